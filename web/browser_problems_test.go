package web

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserImportProblemsPersian pastes a spreadsheet with bad lines into the import form
// in Persian, on a phone and a laptop, and reads the problems as the page shows them: in
// Persian, with the line numbers in Persian digits and the values given verbatim, each a
// bidi isolate, right to left, and nothing wider than the screen.
func TestBrowserImportProblemsPersian(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t, withEditor("alice")).h)
	defer srv.Close()
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/maps/afghanistan-2021/events/import?lang=fa"),
		signInForm("alice"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="import-form"]`)),
	); err != nil {
		t.Fatal(err)
	}
	const csv = "region,faction,date,source,note,confidence\n" +
		"Kabull,taliban,2021-08-15,https://example.org/a,,confirmed\n" +
		"Kabul,talibans,2021-08-15,https://example.org/a,,confirmed\n" +
		"Kabul,taliban,15/08/2021,example.org/a,,confirmed\n"
	for _, size := range [][2]int64{{375, 812}, {1280, 800}} {
		t.Run(fmt.Sprint(size[0]), func(t *testing.T) {
			if err := chromedp.Do(ctx,
				chromedp.EmulateViewport(size[0], size[1]),
				chromedp.Navigate(srv.URL+"/maps/afghanistan-2021/events/import?lang=fa"),
				chromedp.WaitVisible(chromedp.ID("field-csv")),
				chromedp.SetValue(chromedp.ID("field-csv"), csv),
				chromedp.Click(chromedp.CSS(`[data-testid="import-preview"]`)),
				chromedp.WaitVisible(chromedp.CSS(`[data-testid="problem"]`)),
			); err != nil {
				t.Fatal(err)
			}
			if got := js[string](t, ctx, `document.documentElement.lang + ' ' + getComputedStyle(document.querySelector('[data-testid="problems"]')).direction`); got != "fa rtl" {
				t.Errorf("the problems' page and direction: %s", got)
			}
			problems := js[string](t, ctx, `[...document.querySelectorAll('[data-testid="problem"]')].map((p) => p.innerText).join('\n')`)
			for _, want := range []string{
				"سطر ۲: \u2068region\u2069: \u2068\"Kabull\"\u2069 منطقه‌ای از این نقشه نیست",
				"سطر ۳: \u2068faction\u2069: \u2068\"talibans\"\u2069 طرفی از این نقشه نیست؛ منظورتان \u2068taliban\u2069 بود؟ طرف‌ها ",
				"در «قالب نوشتن تاریخ‌ها» \u2068DD/MM/YYYY\u2069 را برگزینید",
				"منظورتان \u2068\"https://example.org/a\"\u2069 بود؟",
			} {
				if !strings.Contains(problems, want) {
					t.Errorf("the problems lack %q:\n%s", want, problems)
				}
			}
			if over := js[int](t, ctx, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); over > 0 {
				t.Errorf("the page is %d px wider than the screen", over)
			}
			screenshot(t, ctx, fmt.Sprintf("import-problems-fa-%d", size[0]))
		})
	}
}
