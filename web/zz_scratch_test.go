package web

import (
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func TestZZScratch(t *testing.T) {
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(os.Getenv("URL"))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "drawn", `performance.getEntriesByName('frontline:drawn').length === 1`)
	t.Log(js[any](t, ctx, `[document.querySelectorAll('#map path[data-region]').length, !!window.L, performance.getEntriesByType('resource').map(r => r.name.replace(location.origin,'')+' '+r.transferSize)]`))
	for _, step := range os.Args {
		_ = step
	}
	if s := os.Getenv("JS"); s != "" {
		t.Log(js[any](t, ctx, s))
		time.Sleep(1500 * time.Millisecond)
		t.Log(js[any](t, ctx, os.Getenv("JS2")))
	}
	time.Sleep(2 * time.Second)
	if s := os.Getenv("JS3"); s != "" {
		t.Log(js[any](t, ctx, s))
	}
	if p := os.Getenv("SHOT"); p != "" {
		png, _ := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		os.WriteFile(p, png, 0o644)
	}
}
