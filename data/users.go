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
)

// User is an editor.
type User struct {
	ID   int64
	Name string
}

// ErrBadCredentials is returned for a wrong username or password; callers must not say which.
var ErrBadCredentials = errors.New("wrong username or password")

// Password rules. bcrypt reads at most 72 bytes, so longer passwords are refused rather
// than silently cut.
const (
	MinPasswordLen = 10
	maxPasswordLen = 72
	bcryptCost     = 12
)

var userNamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// CreateUser adds an editor with a bcrypt hash of password.
func (s *Store) CreateUser(ctx context.Context, name, password string) (User, error) {
	if !userNamePattern.MatchString(name) {
		return User{}, Invalidf("user name %q must be 1 to 64 letters, digits, dots, hyphens or underscores, starting with a letter or digit", name)
	}
	if err := checkPassword(password); err != nil {
		return User{}, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcryptCost)
	if err != nil {
		return User{}, fmt.Errorf("hash password: %w", err)
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO users (name, password_hash, created_at) VALUES (?, ?, ?)
		ON CONFLICT (name) DO NOTHING`, name, string(hash), now())
	if err != nil {
		return User{}, fmt.Errorf("create user %q: %w", name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return User{}, Invalidf("a user named %q already exists", name)
	}
	id, err := res.LastInsertId()
	return User{ID: id, Name: name}, err
}

func checkPassword(p string) error {
	switch {
	case !utf8.ValidString(p):
		return Invalidf("the password is not valid UTF-8 text")
	case utf8.RuneCountInString(p) < MinPasswordLen:
		return Invalidf("the password must be at least %d characters long", MinPasswordLen)
	case len(p) > maxPasswordLen:
		return Invalidf("the password must be at most %d bytes long", maxPasswordLen)
	case strings.TrimSpace(p) == "":
		return Invalidf("the password must not be blank")
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

// Authenticate returns the user with this name and password, or ErrBadCredentials.
func (s *Store) Authenticate(ctx context.Context, name, password string) (User, error) {
	u := User{Name: name}
	var hash string
	err := s.db.QueryRowContext(ctx, `SELECT id, password_hash FROM users WHERE name = ?`, name).Scan(&u.ID, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		bcrypt.CompareHashAndPassword(dummyHash(), []byte(password))
		return User{}, ErrBadCredentials
	}
	if err != nil {
		return User{}, fmt.Errorf("find user %q: %w", name, err)
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil {
		return User{}, ErrBadCredentials
	}
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
	err := s.db.QueryRowContext(ctx, `SELECT u.id, u.name, s.created_at, s.last_seen FROM sessions s
		JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`, h).Scan(&u.ID, &u.Name, &created, &seen)
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
