package data

import (
	"bufio"
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/crypto/bcrypt"
)

// Users returns every user, by name, each with the maps granted to it.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT u.id, u.name, u.role, u.disabled_at IS NOT NULL,
		coalesce((SELECT group_concat(map_slug, char(10)) FROM (SELECT map_slug FROM grants g WHERE g.user_id = u.id ORDER BY map_slug)), '')
		FROM users u ORDER BY u.name`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var users []User
	for rows.Next() {
		var u User
		var maps string
		if err := rows.Scan(&u.ID, &u.Name, &u.Role, &u.Disabled, &maps); err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		if maps != "" {
			u.Maps = strings.Split(maps, "\n")
		}
		users = append(users, u)
	}
	return users, rows.Err()
}

// userID returns the id of the user of that name (normalised), or ErrNotFound.
func userID(ctx context.Context, q querier, name string) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM users WHERE name = ?`, NormalizeName(name)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("no user named %q: %w", NormalizeName(name), ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("find user %q: %w", name, err)
	}
	return id, nil
}

// SetPassword gives the user a new password and ends their sessions: whoever knew the old
// one is signed out.
func (s *Store) SetPassword(ctx context.Context, name, password string) error {
	if err := CheckPassword(name, password); err != nil {
		return err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcryptCost)
	if err != nil {
		return fmt.Errorf("hash password: %w", err)
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := userID(ctx, tx, name)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, string(hash), id); err != nil {
			return fmt.Errorf("set password of %q: %w", name, err)
		}
		return endSessions(ctx, tx, id)
	})
}

// SetDisabled disables a user, ending all their sessions at once, or enables one again.
func (s *Store) SetDisabled(ctx context.Context, name string, disabled bool) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := userID(ctx, tx, name)
		if err != nil {
			return err
		}
		if !disabled {
			_, err := tx.ExecContext(ctx, `UPDATE users SET disabled_at = NULL WHERE id = ?`, id)
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET disabled_at = coalesce(disabled_at, ?) WHERE id = ?`, now(), id); err != nil {
			return fmt.Errorf("disable %q: %w", name, err)
		}
		return endSessions(ctx, tx, id)
	})
}

// SetRole makes a user an admin or an editor.
func (s *Store) SetRole(ctx context.Context, name string, role Role) error {
	if _, err := ParseRole(string(role)); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := userID(ctx, tx, name)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE users SET role = ? WHERE id = ?`, string(role), id)
		return err
	})
}

// RemoveUser deletes a user, their sessions and grants. What they wrote keeps their name.
func (s *Store) RemoveUser(ctx context.Context, name string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := userID(ctx, tx, name)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM users WHERE id = ?`, id); err != nil {
			return fmt.Errorf("remove %q: %w", name, err)
		}
		return nil
	})
}

func endSessions(ctx context.Context, tx *sql.Tx, userID int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("end sessions: %w", err)
	}
	return nil
}

// Grant lets the user edit the map. Granting it twice is not an error.
func (s *Store) Grant(ctx context.Context, name, slug string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := userID(ctx, tx, name)
		if err != nil {
			return err
		}
		return grant(ctx, tx, id, slug)
	})
}

func grant(ctx context.Context, tx *sql.Tx, userID int64, slug string) error {
	if _, err := mapID(ctx, tx, slug); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO grants (user_id, map_slug, created_at) VALUES (?, ?, ?)
		ON CONFLICT DO NOTHING`, userID, slug, now()); err != nil {
		return fmt.Errorf("grant %s: %w", slug, err)
	}
	return nil
}

// Revoke takes the map away from the user. Revoking what was not granted is not an error.
func (s *Store) Revoke(ctx context.Context, name, slug string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := userID(ctx, tx, name)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM grants WHERE user_id = ? AND map_slug = ?`, id, slug)
		return err
	})
}

// MayEdit reports whether the user may edit the map: an admin may edit every map, an
// editor the maps granted to them. A map that does not exist is ErrNotFound, for everyone.
func (s *Store) MayEdit(ctx context.Context, u User, slug string) (bool, error) {
	var exists, granted bool
	if err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM maps WHERE slug = ?),
		EXISTS (SELECT 1 FROM grants WHERE user_id = ? AND map_slug = ?)`, slug, u.ID, slug).Scan(&exists, &granted); err != nil {
		return false, fmt.Errorf("grants of %q: %w", u.Name, err)
	}
	if !exists {
		return false, fmt.Errorf("map %q: %w", slug, ErrNotFound)
	}
	return u.Admin() || granted, nil
}

//go:embed common_passwords.txt
var commonPasswordsText string

// commonPasswords are the passwords tried first by those who guess, lower case.
var commonPasswords = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(commonPasswordsText))
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			m[strings.ToLower(line)] = true
		}
	}
	return m
})

func commonPassword(lower string) bool { return commonPasswords()[lower] }
