package data

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
	"golang.org/x/text/unicode/norm"
)

// Role is what a user may do: an admin manages users and maps and edits every map; an
// editor edits the maps granted to them.
type Role string

// The roles.
const (
	RoleAdmin  Role = "admin"
	RoleEditor Role = "editor"
)

// ParseRole reads a role by name.
func ParseRole(s string) (Role, error) {
	switch r := Role(strings.ToLower(strings.TrimSpace(s))); r {
	case RoleAdmin, RoleEditor:
		return r, nil
	}
	return "", Invalid(P("UserRole", "role", quote(s)))
}

// User is someone who may sign in.
type User struct {
	ID   int64
	Name string
	Role Role
	// Disabled is set when the user may no longer sign in.
	Disabled bool
	// Maps are the slugs of the maps granted to the user, as Users lists them.
	Maps []string
}

// Admin reports whether the user is an admin.
func (u User) Admin() bool { return u.Role == RoleAdmin }

// ErrBadCredentials is returned for a wrong username or password; callers must not say which.
var ErrBadCredentials = errors.New("wrong username or password")

// Password rules. bcrypt reads at most 72 bytes, so longer passwords are refused rather
// than silently cut.
const (
	MinPasswordLen = 10
	maxPasswordLen = 72
	bcryptCost     = 12
)

var userNamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

// NormalizeName is a user name as stored and compared: Unicode compatibility forms folded
// (a full-width "Ａ" is "A"), surrounding space dropped, lower case. Applied once when a
// user is created and once at each sign-in, so "ALICE" and "alice " are one account.
func NormalizeName(name string) string {
	return strings.ToLower(strings.TrimSpace(norm.NFKC.String(name)))
}

// NewUser is a user to create.
type NewUser struct {
	Name, Password string
	Role           Role
	// Maps are granted to the user; each must exist.
	Maps []string
}

// CreateUser adds an editor with no maps granted and a bcrypt hash of password.
func (s *Store) CreateUser(ctx context.Context, name, password string) (User, error) {
	return s.AddUser(ctx, NewUser{Name: name, Password: password, Role: RoleEditor})
}

// AddUser creates a user with a bcrypt hash of the password and grants it the maps, all in
// one transaction: a map that does not exist creates nothing.
func (s *Store) AddUser(ctx context.Context, nu NewUser) (User, error) {
	name := NormalizeName(nu.Name)
	if !userNamePattern.MatchString(name) {
		return User{}, Invalid(P("UserName", "name", quote(nu.Name)))
	}
	if nu.Role == "" {
		nu.Role = RoleEditor
	}
	if _, err := ParseRole(string(nu.Role)); err != nil {
		return User{}, err
	}
	if err := CheckPassword(name, nu.Password); err != nil {
		return User{}, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(nu.Password), bcryptCost)
	if err != nil {
		return User{}, fmt.Errorf("hash password: %w", err)
	}
	u := User{Name: name, Role: nu.Role}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO users (name, password_hash, created_at, role)
			SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM users WHERE lower(name) = ?)`, name, string(hash), now(), string(nu.Role), name)
		if err != nil {
			return fmt.Errorf("create user %q: %w", name, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return Invalid(P("UserExists", "name", quote(name)))
		}
		if u.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		for _, slug := range nu.Maps {
			if err := grant(ctx, tx, u.ID, slug); err != nil {
				return err
			}
			u.Maps = append(u.Maps, slug)
		}
		return nil
	})
	if err != nil {
		return User{}, err
	}
	return u, nil
}

// CheckPassword says why a password may not be used by the user name, or nil: too short or
// long, blank, one character repeated, the user name in it, or a common password.
func CheckPassword(name, p string) error {
	lower := strings.ToLower(p)
	switch {
	case !utf8.ValidString(p):
		return Invalid(P("PasswordText"))
	case utf8.RuneCountInString(p) < MinPasswordLen:
		return Invalid(P("PasswordShort", "min", MinPasswordLen))
	case len(p) > maxPasswordLen:
		return Invalid(P("PasswordLong", "max", maxPasswordLen))
	case strings.TrimSpace(p) == "":
		return Invalid(P("PasswordBlank"))
	case strings.Count(p, string([]rune(p)[:1])) == utf8.RuneCountInString(p):
		return Invalid(P("PasswordRepeated"))
	case name != "" && strings.Contains(lower, NormalizeName(name)):
		return Invalid(P("PasswordHasName"))
	case commonPassword(lower):
		return Invalid(P("PasswordCommon"))
	}
	return nil
}

// dummyHash is compared against when the user does not exist, so that a wrong name takes as
// long as a wrong password and timing does not reveal which accounts exist.
// It is made on first use: hashing at start-up would slow every program that imports data.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("frontline-dummy-password"), bcryptCost)
	return h
})

// Authenticate returns the user with this name and password, or ErrBadCredentials. The
// name is normalised as at creation; a disabled user's password is still checked, so that
// timing does not tell a disabled account from a wrong password.
func (s *Store) Authenticate(ctx context.Context, name, password string) (User, error) {
	u := User{Name: NormalizeName(name)}
	var hash, role string
	var disabled sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT id, password_hash, role, disabled_at FROM users WHERE name = ?`, u.Name).
		Scan(&u.ID, &hash, &role, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		bcrypt.CompareHashAndPassword(dummyHash(), []byte(password))
		return User{}, ErrBadCredentials
	}
	if err != nil {
		return User{}, fmt.Errorf("find user %q: %w", u.Name, err)
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil || disabled.Valid {
		return User{}, ErrBadCredentials
	}
	u.Role = Role(role)
	return u, nil
}

// Session lifetimes: a session ends after SessionIdle without use, and after SessionMax in all.
const (
	SessionIdle = 12 * time.Hour
	SessionMax  = 30 * 24 * time.Hour
	// touchEvery limits last_seen writes to one per session per interval.
	touchEvery = 5 * time.Minute
)

// CreateSession starts a session for the user and returns its token, the cookie's value.
func (s *Store) CreateSession(ctx context.Context, userID int64) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("session token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	t := now()
	if _, err := s.db.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, last_seen) VALUES (?, ?, ?, ?)`,
		hashToken(token), userID, t, t); err != nil {
		return "", fmt.Errorf("create session: %w", err)
	}
	return token, nil
}

// SessionUser returns the user of a live session and marks the session used. An unknown or
// expired token is ErrNotFound.
func (s *Store) SessionUser(ctx context.Context, token string) (User, error) {
	var u User
	var created, seen string
	h := hashToken(token)
	// A disabled user's sessions are deleted when they are disabled; the condition here
	// holds the line should one be made in between.
	err := s.db.QueryRowContext(ctx, `SELECT u.id, u.name, u.role, s.created_at, s.last_seen FROM sessions s
		JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND u.disabled_at IS NULL`, h).
		Scan(&u.ID, &u.Name, &u.Role, &created, &seen)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, fmt.Errorf("session: %w", ErrNotFound)
	}
	if err != nil {
		return User{}, fmt.Errorf("find session: %w", err)
	}
	t := time.Now()
	if t.Sub(parseTime(seen)) > SessionIdle || t.Sub(parseTime(created)) > SessionMax {
		if _, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, h); err != nil {
			return User{}, fmt.Errorf("end expired session: %w", err)
		}
		return User{}, fmt.Errorf("session expired: %w", ErrNotFound)
	}
	if t.Sub(parseTime(seen)) > touchEvery {
		if _, err := s.db.ExecContext(ctx, `UPDATE sessions SET last_seen = ? WHERE token_hash = ?`, now(), h); err != nil {
			return User{}, fmt.Errorf("touch session: %w", err)
		}
	}
	return u, nil
}

// DeleteSession ends a session; ending an unknown one is not an error.
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, hashToken(token)); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
