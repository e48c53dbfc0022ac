package web

import (
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/frontline-maps/frontline/data"
)

// TestBrowserUploadProblems: an admin on the maps page in French, then in Arabic, uploads a
// map folder whose regions cannot be drawn; the page lists the layer's problems in its
// language, and the list wraps within a phone's width rather than running off it. A folder
// whose regions were repaired on reading is previewed with its repairs, in Arabic.
func TestBrowserUploadProblems(t *testing.T) {
	lab := newTestServer(t, withUser("root", data.RoleAdmin))
	srv := httptest.NewServer(lab.h)
	defer srv.Close()
	ctx := newBrowser(t)
	folder := labFolder()
	var features []string
	for i := range 8 {
		features = append(features, feature(fmt.Sprintf(`"R%d"`, i), square(2*i)))
	}
	features = append(features, feature(`"R0"`, square(20)), feature(`"P"`, `{"type":"Point","coordinates":[1,2]}`),
		feature(`"X"`, `{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[0,0],[181,0],[1,1],[0,0]]]]}`))
	folder["regions.geojson"] = featureCollection(features...)
	upload := filepath.Join(t.TempDir(), "map.zip")
	if err := os.WriteFile(upload, []byte(zipFiles(folder)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/login?next=/admin/maps"), signInForm("root"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="admin-maps"]`))); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ lang, want string }{
		{"fr", `entité 8 : identifiant "R0" en double (aussi l'entité 0)`},
		{"ar", "المنطقة \u2068\"X\"\u2069: المضلع ١: الحلقة ٠: للموضع \u2068[181, 0]\u2069 خط طول خارج"},
	} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(375, 812), chromedp.Navigate(srv.URL+"/admin/maps?lang="+tc.lang),
			chromedp.SetUploadFiles(chromedp.CSS(`[data-testid="upload-map"] input[type="file"]`), []string{upload}),
			chromedp.Click(chromedp.CSS(`[data-testid="upload-map"] button[value="preview"]`)),
			chromedp.WaitVisible(chromedp.CSS(`pre[data-testid="form-error"]`))); err != nil {
			t.Fatal(err)
		}
		if msg := js[string](t, ctx, `document.querySelector('pre[data-testid="form-error"]').textContent`); !strings.Contains(msg, tc.want) {
			t.Errorf("%s: the page says\n%s\nwant it to contain %q", tc.lang, msg, tc.want)
		}
		for _, size := range []struct{ w, h int64 }{{375, 812}, {1280, 800}} {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(size.w, size.h)); err != nil {
				t.Fatal(err)
			}
			if over := js[int](t, ctx, `document.documentElement.scrollWidth - window.innerWidth`); over > 0 {
				t.Errorf("%s at %dx%d: the page is %d px wider than the window", tc.lang, size.w, size.h, over)
			}
			if over := js[int](t, ctx, `(e => e.scrollWidth - e.clientWidth)(document.querySelector('pre[data-testid="form-error"]'))`); over > 0 {
				t.Errorf("%s at %dx%d: the problems run %d px past their box", tc.lang, size.w, size.h, over)
			}
			screenshot(t, ctx, fmt.Sprintf("upload-problems-%s-%dx%d", tc.lang, size.w, size.h))
		}
	}

	var crossed []string
	for i := range 10 {
		crossed = append(crossed, feature(fmt.Sprintf(`"REGION-%d"`, i), polygon(fmt.Sprintf(`[[%d,0],[%d,2],[%d,0],[%d,2],[%d,0]]`, 3*i, 3*i+2, 3*i+2, 3*i, 3*i))))
	}
	folder["regions.geojson"] = featureCollection(crossed...)
	folder["events.csv"] = "region,faction,date,source,note,confidence\n"
	if err := os.WriteFile(upload, []byte(zipFiles(folder)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(375, 812), chromedp.Navigate(srv.URL+"/admin/maps?lang=ar"),
		chromedp.SetUploadFiles(chromedp.CSS(`[data-testid="upload-map"] input[type="file"]`), []string{upload}),
		chromedp.Click(chromedp.CSS(`[data-testid="upload-map"] button[value="preview"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="repairs"]`))); err != nil {
		t.Fatal(err)
	}
	want := "١٠ مناطق: قُسّمت حلقات تتقاطع مع نفسها أو تمسّها"
	if got := js[string](t, ctx, `document.querySelector('[data-testid="repairs"] li').textContent`); !strings.Contains(got, want) || !strings.Contains(got, "و٢ غيرها") {
		t.Errorf("the preview's repairs: %q, want %q and the two regions not named counted", got, want)
	}
	for _, size := range []struct{ w, h int64 }{{375, 812}, {1280, 800}} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(size.w, size.h)); err != nil {
			t.Fatal(err)
		}
		if over := js[int](t, ctx, `document.documentElement.scrollWidth - window.innerWidth`); over > 0 {
			t.Errorf("the preview at %dx%d: the page is %d px wider than the window", size.w, size.h, over)
		}
		screenshot(t, ctx, fmt.Sprintf("upload-repairs-ar-%dx%d", size.w, size.h))
	}
}
