package data

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestUserNamesNormalised: names differing only in case, surrounding space or Unicode
// compatibility form are one account, at creation and at sign-in.
func TestUserNamesNormalised(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	u, err := s.CreateUser(ctx, " Alice ", "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if u.Name != "alice" {
		t.Errorf("stored name %q, want alice", u.Name)
	}
	for _, dup := range []string{"alice", "ALICE", "alice ", "ａｌｉｃｅ"} {
		if _, err := s.CreateUser(ctx, dup, "another good password"); err == nil || !strings.Contains(err.Error(), "already exists") {
			t.Errorf("CreateUser(%q): err = %v, want already exists", dup, err)
		}
		if got, err := s.Authenticate(ctx, dup, "correct horse battery"); err != nil || got.ID != u.ID {
			t.Errorf("Authenticate(%q) = %+v, %v", dup, got, err)
		}
	}
}

// TestPasswordPolicy: trivial and common passwords are refused with the reason.
func TestPasswordPolicy(t *testing.T) {
	for _, tc := range []struct{ name, password, want string }{
		{"alice", "aaaaaaaaaa", "one character repeated"},
		{"alice", "alicealice", "user name"},
		{"alice", "xxALICExx123", "user name"},
		{"bob", "1234567890", "common passwords"},
		{"bob", "Password123", "common passwords"},
		{"bob", "short", "at least 10"},
		{"bob", "correct horse battery", ""},
	} {
		err := CheckPassword(tc.name, tc.password)
		if tc.want == "" {
			if err != nil {
				t.Errorf("CheckPassword(%q, %q) = %v, want nil", tc.name, tc.password, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("CheckPassword(%q, %q) = %v, want %q", tc.name, tc.password, err, tc.want)
		}
	}
}

// TestRolesAndGrants: who may edit what, and what disabling, a new password and removal end.
func TestRolesAndGrants(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t, withBuiltins())
	const slug = "afghanistan-2021"
	if _, err := s.AddUser(ctx, NewUser{Name: "eve", Password: "correct horse battery", Maps: []string{"nowhere"}}); !errors.Is(err, ErrNotFound) {
		t.Errorf("grant of an unknown map: err = %v, want not found", err)
	}
	if users, _ := s.Users(ctx); len(users) != 0 {
		t.Errorf("a refused user was created: %+v", users)
	}
	root, err := s.AddUser(ctx, NewUser{Name: "root", Password: "correct horse battery", Role: RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	bob, err := s.AddUser(ctx, NewUser{Name: "bob", Password: "correct horse battery", Maps: []string{slug}})
	if err != nil {
		t.Fatal(err)
	}
	alice, err := s.CreateUser(ctx, "alice", "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		u    User
		want bool
	}{{root, true}, {bob, true}, {alice, false}} {
		if got, err := s.MayEdit(ctx, tc.u, slug); err != nil || got != tc.want {
			t.Errorf("MayEdit(%s) = %v, %v; want %v", tc.u.Name, got, err, tc.want)
		}
	}
	if _, err := s.MayEdit(ctx, root, "nowhere"); !errors.Is(err, ErrNotFound) {
		t.Errorf("MayEdit on an unknown map: err = %v, want not found", err)
	}
	users, err := s.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, u := range users {
		listed = append(listed, u.Name+":"+string(u.Role)+":"+strings.Join(u.Maps, ","))
	}
	if got, want := strings.Join(listed, " "), "alice:editor: bob:editor:"+slug+" root:admin:"; got != want {
		t.Errorf("Users = %s, want %s", got, want)
	}

	// Each of these ends bob's sessions.
	for _, tc := range []struct {
		name string
		end  func() error
	}{
		{"disable", func() error { return s.SetDisabled(ctx, "bob", true) }},
		{"new_password", func() error { return s.SetPassword(ctx, "bob", "a brand new passphrase") }},
		{"remove", func() error { return s.RemoveUser(ctx, "bob") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			token, err := s.CreateSession(ctx, bob.ID)
			if err != nil {
				t.Fatal(err)
			}
			if err := tc.end(); err != nil {
				t.Fatal(err)
			}
			if _, err := s.SessionUser(ctx, token); !errors.Is(err, ErrNotFound) {
				t.Errorf("session after %s: err = %v, want not found", tc.name, err)
			}
			s.SetDisabled(ctx, "bob", false)
		})
	}
	if _, err := s.Authenticate(ctx, "bob", "a brand new passphrase"); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("a removed user signed in: %v", err)
	}
}
