package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// saveChange signs the editor in when needed and saves one change through the real form,
// reporting whether the server acknowledged it (303 to the map).
func saveChange(ctx context.Context, client *http.Client, base, name, password, source string, i int) (bool, error) {
	u, _ := url.Parse(base)
	token := ""
	for _, ck := range client.Jar.Cookies(u) {
		if ck.Name == "frontline_csrf" {
			token = ck.Value
		}
	}
	if token == "" {
		if err := crashGet(ctx, client, base+"/login"); err != nil {
			return false, err
		}
		return false, nil
	}
	form := url.Values{"_csrf": {token}, "region": {[]string{"AF-WAR", "AF-KAB", "AF-BAL", "AF-HER", "AF-KAN"}[i%5]},
		"faction": {[]string{"taliban", "government", "resistance"}[i%3]}, "date": {fmt.Sprintf("2021-08-%02d", 1+i%31)},
		"source": {source}, "note": {"crash test"}, "confidence": {"confirmed"}, "intent": {"save"}}
	resp, err := crashPost(ctx, client, base+"/maps/afghanistan-2021/events", form)
	if err != nil {
		return false, err
	}
	switch resp.StatusCode {
	case http.StatusSeeOther:
		return true, nil
	case http.StatusUnauthorized:
		// Not signed in yet (or the sign-in was cut off by a kill): sign in.
		resp, err := crashPost(ctx, client, base+"/login", url.Values{"_csrf": {token}, "username": {name}, "password": {password}})
		if err != nil {
			return false, err
		}
		if resp.StatusCode != http.StatusSeeOther {
			return false, fmt.Errorf("sign-in: status %d", resp.StatusCode)
		}
		return false, nil
	}
	return false, fmt.Errorf("save: status %d", resp.StatusCode)
}

func crashPost(ctx context.Context, client *http.Client, target string, form url.Values) (*http.Response, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp, err
}

func crashGet(ctx context.Context, client *http.Client, target string) error {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	return resp.Body.Close()
}

// freeAddr returns a loopback address with a port nobody listens on.
func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// waitHealthy polls /healthz until it answers ok or the time is up.
func waitHealthy(base string, limit time.Duration) error {
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if resp, err := client.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("%s/healthz did not answer within %s", base, limit)
}

// median and longest of a few durations, for the report.
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2].Round(time.Millisecond)
}

func longest(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	return slices.Max(ds).Round(time.Millisecond)
}
