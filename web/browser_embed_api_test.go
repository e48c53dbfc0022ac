package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserEmbedAPI serves docs/embed-example.html (an article on one origin) framing the
// embed (the Frontline server, another origin), scrolls through the article and sees the
// embed's date follow each step, the embed answering with date-changed messages. A
// stranger's frame in the article, and a page of another origin framing the embed, send
// commands that the embed ignores.
func TestBrowserEmbedAPI(t *testing.T) {
	fl := httptest.NewServer(newTestServer(t).h)
	defer fl.Close()
	article := httptest.NewServer(http.FileServer(http.Dir("../docs")))
	defer article.Close()
	embedURL := fl.URL + "/embed/afghanistan-2021"
	// The stranger: a frame that posts to its sibling, the embed, and a page that frames the
	// embed telling it to trust a newsroom it is not.
	stranger := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/poke":
			fmt.Fprint(w, `<!DOCTYPE html><title>poke</title><script>
				parent.frames[0].postMessage({type: 'frontline:set-date', date: '2021-09-01'}, '*');
			</script>`)
		case "/host":
			fmt.Fprintf(w, `<!DOCTYPE html><title>host</title><iframe id="frontline" title="map" style="width:640px;height:600px" src="%s"></iframe><script>
				const f = document.getElementById('frontline');
				window.sent = 0;
				setInterval(() => { f.contentWindow.postMessage({type: 'frontline:set-date', date: '2021-09-01'}, '*'); window.sent++; }, 100);
			</script>`, embedURL+"?date=2021-08-06&origin="+url.QueryEscape("https://news.example"))
		default:
			http.NotFound(w, r)
		}
	}))
	defer stranger.Close()

	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(article.URL+"/embed-example.html?embed="+url.QueryEscape(embedURL))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the embed's ready message", `embedMessages.some((m) => m.type === 'frontline:ready' && m.map === 'afghanistan-2021' && m.start === '2021-08-01')`)
	frames, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSS(`iframe#frontline`)))
	if err != nil || len(frames) != 1 {
		t.Fatalf("the article's embed frame: %v (%d)", err, len(frames))
	}
	embedLabel := func(want string) {
		t.Helper()
		expr := fmt.Sprintf(`document.getElementById('date-label').textContent === %q`, want)
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingInFrame(frames[0]), chromedp.WithPollingTimeout(10*time.Second))); err != nil {
			got, _ := chromedp.Run(ctx, chromedp.Poll[string](`document.getElementById('date-label').textContent`, chromedp.WithPollingInFrame(frames[0])))
			t.Fatalf("the embed shows %q, want %q: %v", got, want, err)
		}
	}
	embedLabel("6 August 2021")

	for _, step := range []struct{ date, label string }{
		{"2021-08-08", "8 August 2021"},
		{"2021-08-12", "12 August 2021"},
		{"2021-08-15", "15 August 2021"},
	} {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-date="`+step.date+`"]').scrollIntoView({block: 'center'})`)); err != nil {
			t.Fatal(err)
		}
		waitFor(t, ctx, "date-changed to "+step.date, `(() => { const m = embedMessages.at(-1); return m.type === 'frontline:date-changed' && m.date === '`+step.date+`' && m.label === '`+step.label+`'; })()`)
		embedLabel(step.label)
	}
	screenshot(t, ctx, "embed-example")

	// A stranger's frame in the article posts to the embed: not the embed's parent, ignored.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`(() => {
		const f = document.createElement('iframe');
		f.id = 'stranger'; f.title = 'stranger'; f.src = '`+stranger.URL+`/poke';
		// The frame's script, which posts, has run by its load event.
		f.onload = () => (window.strangerLoaded = true);
		document.body.append(f);
	})()`)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the stranger's frame to have posted", `window.strangerLoaded === true`)
	time.Sleep(500 * time.Millisecond)
	embedLabel("15 August 2021")
	if got := js[int](t, ctx, `embedMessages.filter((m) => m.date === '2021-09-01').length`); got != 0 {
		t.Errorf("the embed answered the stranger's frame %d times", got)
	}

	// The embed's parent, at an origin the embed was not told to trust: ignored.
	if err := chromedp.Do(ctx, chromedp.Navigate(stranger.URL+"/host")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the host to have posted", `window.sent >= 20`)
	if frames, err = chromedp.Run(ctx, chromedp.Nodes(chromedp.CSS(`iframe#frontline`))); err != nil || len(frames) != 1 {
		t.Fatalf("the host's embed frame: %v", err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`!!window.frontline`, chromedp.WithPollingInFrame(frames[0]), chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("the embed in the stranger's page never started: %v", err)
	}
	time.Sleep(500 * time.Millisecond)
	embedLabel("6 August 2021")
}
