package web

import (
	"bytes"
	"encoding/xml"
	"image/png"
	"net/http"
	"strings"
	"testing"
)

// svgPaths reads the region paths of a map picture: id -> fill.
func svgPaths(t *testing.T, body []byte) map[string]string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(body))
	fills := map[string]string{}
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		if el, ok := tok.(xml.StartElement); ok && el.Name.Local == "path" {
			var id, fill string
			for _, a := range el.Attr {
				switch a.Name.Local {
				case "data-region":
					id = a.Value
				case "fill":
					fill = a.Value
				}
			}
			if id != "" {
				if _, dup := fills[id]; dup {
					t.Errorf("region %s has more than one shape", id)
				}
				fills[id] = fill
			}
		}
	}
	return fills
}

func TestMapImageSVG(t *testing.T) {
	h := newTestServer(t).h
	tests := []struct {
		date  string
		fills map[string]string
	}{
		{"2021-08-13", map[string]string{"AF-BAL": "#2f6db5", "AF-KAN": "#d9a441", "AF-PAN": "#2f6db5"}},
		{"2021-08-14", map[string]string{"AF-BAL": "#d9a441", "AF-KAB": "#2f6db5"}},
		{"2021-08-17", map[string]string{"AF-PAN": "#3f9b58", "AF-KAB": "#d9a441"}},
	}
	for _, tt := range tests {
		t.Run(tt.date, func(t *testing.T) {
			rec := get(t, h, "/maps/afghanistan-2021/"+tt.date+".svg")
			if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "image/svg+xml") {
				t.Fatalf("status %d, type %q", rec.Code, rec.Header().Get("Content-Type"))
			}
			fills := svgPaths(t, rec.Body.Bytes())
			if len(fills) != 34 {
				t.Errorf("%d region shapes, want 34", len(fills))
			}
			for id, want := range tt.fills {
				if fills[id] != want {
					t.Errorf("%s filled %q, want %q", id, fills[id], want)
				}
			}
			// Claimed holdings are hatched: Faryab from 14 August.
			if tt.date >= "2021-08-14" && !strings.HasPrefix(fills["AF-FYB"], "url(#") {
				t.Errorf("Faryab (claimed) filled %q, want a hatch", fills["AF-FYB"])
			}
		})
	}
}

func TestMapImagePNG(t *testing.T) {
	h := newTestServer(t).h
	a := get(t, h, "/maps/afghanistan-2021/2021-08-10.png")
	b := get(t, h, "/maps/afghanistan-2021/2021-08-15.png")
	for _, rec := range []*http.Response{a.Result(), b.Result()} {
		if rec.StatusCode != 200 || rec.Header.Get("Content-Type") != "image/png" {
			t.Fatalf("status %d, type %q", rec.StatusCode, rec.Header.Get("Content-Type"))
		}
	}
	img, err := png.Decode(bytes.NewReader(a.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if size := img.Bounds().Size(); size.X != 1200 || size.Y != 630 {
		t.Errorf("PNG is %v, want 1200x630", size)
	}
	if bytes.Equal(a.Body.Bytes(), b.Body.Bytes()) {
		t.Error("the pictures of 10 and 15 August are the same")
	}
	// The same picture again comes from the cache and revalidates by ETag.
	etag := a.Header().Get("ETag")
	if again := get(t, h, "/maps/afghanistan-2021/2021-08-10.png", "If-None-Match", etag); again.Code != http.StatusNotModified {
		t.Errorf("revalidation: %d, want 304", again.Code)
	}
}

func TestMapImageBadRequests(t *testing.T) {
	h := newTestServer(t).h
	for target, want := range map[string]int{
		"/maps/afghanistan-2021/2021-08-14.gif": 404,
		"/maps/afghanistan-2021/picture":        404,
		"/maps/afghanistan-2021/2021-13-01.png": 400,
		"/maps/afghanistan-2021/2030-01-01.svg": 400,
		"/maps/nowhere/2021-08-14.png":          404,
	} {
		if rec := get(t, h, target); rec.Code != want {
			t.Errorf("%s: status %d, want %d", target, rec.Code, want)
		}
	}
}
