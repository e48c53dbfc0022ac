package web

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestDeployedProxyCannotBePoisoned is an attacker's view of deploy/: nginx with
// deploy/nginx/frontline.conf.template in front of a Frontline started without --base-url,
// so the links it writes come from what nginx tells it. Forged forwarding headers and a
// forged Host reach neither the links nor the cache, and one reader's failed sign-ins lock
// out that reader only.
func TestDeployedProxyCannotBePoisoned(t *testing.T) {
	origin := &countingHandler{h: newTestServer(t, withEditor("alice")).h, seen: map[string]int{}}
	srv := httptest.NewServer(origin)
	defer srv.Close()
	proxy := startCachingProxy(t, strings.TrimPrefix(srv.URL, "http://"))

	fetch := func(client *http.Client, target string, header map[string]string) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, target, nil)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range header {
			if k == "Host" {
				req.Host = v
				continue
			}
			req.Header.Set(k, v)
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		return res, string(b)
	}
	forged := map[string]string{
		"X-Forwarded-Proto": "ws", "X-Forwarded-Host": "evil.example", "X-Forwarded-Port": "6666",
		"X-Forwarded-Ssl": "off", "X-Url-Scheme": "ws", "Forwarded": "proto=ws;host=evil.example",
		"X-Forwarded-For": "198.51.100.7",
	}
	// noForgery fails when body repeats anything the attacker sent or the internal address.
	noForgery := func(t *testing.T, what, body string) {
		t.Helper()
		for _, bad := range []string{"ws://", "evil.example", "6666", "http://" + publicHost, strings.TrimPrefix(srv.URL, "http://")} {
			if strings.Contains(body, bad) {
				t.Errorf("%s holds %q:\n%.600s", what, bad, body)
			}
		}
	}

	t.Run("forwarding_headers_poison_nothing", func(t *testing.T) {
		pages := []struct {
			uri            string
			cached, linked bool // kept by the cache; holds absolute links
		}{
			{"/maps/afghanistan-2021/changes.atom", true, true},
			{"/embed/afghanistan-2021?date=2021-08-14", true, false},
			{"/maps/afghanistan-2021?date=2021-08-14", false, true},
		}
		for _, p := range pages {
			// The attacker asks first, so that its answer is the one a cache would keep.
			res, body := fetch(proxy.client, proxy.base+p.uri, forged)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("GET %s with forged headers: %d", p.uri, res.StatusCode)
			}
			noForgery(t, "the attacker's own answer to "+p.uri, body)
			res, body = fetch(proxy.client, proxy.base+p.uri, nil)
			if got := res.Header.Get("X-Cache-Status"); p.cached && got != "HIT" {
				t.Errorf("GET %s after the attacker: X-Cache-Status %q, want HIT (else the test shows nothing)", p.uri, got)
			}
			noForgery(t, "a reader's answer to "+p.uri, body)
			if p.linked && !strings.Contains(body, "https://"+publicHost+"/") {
				t.Errorf("GET %s: no link to https://%s/:\n%.600s", p.uri, publicHost, body)
			}
		}
		if n := origin.count("/maps/afghanistan-2021/changes.atom"); n != 1 {
			t.Errorf("the feed reached the server %d times, want 1", n)
		}
	})

	t.Run("forged_host_is_refused", func(t *testing.T) {
		const uri = "/maps/afghanistan-2021/changes.atom?host-test"
		for _, host := range []string{"evil.example", "127.0.0.1", publicHost + ".evil.example"} {
			res, _ := fetch(proxy.client, proxy.base+uri, map[string]string{"Host": host})
			if res.StatusCode != http.StatusMisdirectedRequest {
				t.Errorf("GET %s with Host %s: %d, want 421", uri, host, res.StatusCode)
			}
		}
		if n := origin.count(uri); n != 0 {
			t.Errorf("a request for another host reached the server %d times", n)
		}
		// The real host's answer under that key is Frontline's, with its own links.
		res, body := fetch(proxy.client, proxy.base+uri, nil)
		if res.StatusCode != http.StatusOK || res.Header.Get("X-Cache-Status") != "MISS" {
			t.Errorf("GET %s: %d, X-Cache-Status %q, want 200 MISS", uri, res.StatusCode, res.Header.Get("X-Cache-Status"))
		}
		noForgery(t, "the feed after forged hosts", body)
	})

	t.Run("plain_http_redirects_to_the_public_address", func(t *testing.T) {
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		res, _ := fetch(client, "http://"+proxy.httpAddr+"/maps/afghanistan-2021?date=2021-08-14", map[string]string{"Host": "evil.example"})
		want := "https://" + publicHost + "/maps/afghanistan-2021?date=2021-08-14"
		if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != want {
			t.Errorf("plain HTTP: %d to %q, want 301 to %q", res.StatusCode, res.Header.Get("Location"), want)
		}
	})

	t.Run("gzip", func(t *testing.T) {
		res, _ := fetch(proxy.client, proxy.base+"/maps/afghanistan-2021?date=2021-08-13", map[string]string{"Accept-Encoding": "gzip"})
		if res.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("the map page through nginx: Content-Encoding %q, want gzip", res.Header.Get("Content-Encoding"))
		}
	})

	t.Run("sign_in_limit_is_per_reader", func(t *testing.T) {
		// Mallory, at 127.0.0.2, guesses passwords, claiming a new address each time.
		mallory := proxy.clientFrom("127.0.0.2")
		mallory.Jar, _ = cookiejar.New(nil)
		var last int
		for i := range loginFailuresPerAddress + 1 {
			last = signIn(t, mallory, proxy.base, fmt.Sprintf("user%d", i), "wrong password",
				map[string]string{"X-Forwarded-For": fmt.Sprintf("198.51.100.%d", i)})
		}
		if last != http.StatusTooManyRequests {
			t.Errorf("attempt %d from one reader: %d, want 429", loginFailuresPerAddress+1, last)
		}
		// Alice, at 127.0.0.3, behind the same proxy, is not locked out.
		alice := proxy.clientFrom("127.0.0.3")
		alice.Jar, _ = cookiejar.New(nil)
		if got := signIn(t, alice, proxy.base, "alice", editorPassword, nil); got != http.StatusSeeOther {
			t.Errorf("alice's sign-in from another address: %d, want 303", got)
		}
	})
}

// signIn fetches the sign-in form for its CSRF cookie and posts name and password,
// returning the status of the post.
func signIn(t *testing.T, client *http.Client, base, name, password string, header map[string]string) int {
	t.Helper()
	res, err := client.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	u, _ := url.Parse(base)
	token := ""
	for _, ck := range client.Jar.Cookies(u) {
		if ck.Name == "frontline_csrf" {
			token = ck.Value
		}
	}
	if token == "" {
		t.Fatal("no CSRF cookie through the proxy")
	}
	form := url.Values{"_csrf": {token}, "username": {name}, "password": {password}}
	req, err := http.NewRequest(http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err = client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}
