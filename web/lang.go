package web

import (
	"context"
	"html"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"github.com/frontline-maps/frontline/data"
	"github.com/frontline-maps/frontline/web/i18n"
)

// langKey keys the request's language (a *pageLang) in its context.
type langKey struct{}

// pageLang is the language a page is written in. Asked is the ?lang= the reader gave, ""
// for none: links carry it on, and a map's own locale applies only without it.
type pageLang struct {
	loc   *i18n.Localizer
	Asked string
}

// withLang reads ?lang= on the pages: one of i18n.Langs, else a 400 naming them. Until a
// handler knows the map (useMapLang), the page is in the language asked for or English.
func (s *Server) withLang(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		lang := c.QueryParam("lang")
		if _, given := c.QueryParams()["lang"]; given && !i18n.Valid(lang) {
			return data.Invalidf("%v", i18n.ErrUnknown(lang))
		}
		setLang(c, &pageLang{loc: s.catalog.For(lang), Asked: lang})
		return next(c)
	}
}

func setLang(c echo.Context, l *pageLang) {
	r := c.Request()
	c.SetRequest(r.WithContext(context.WithValue(r.Context(), langKey{}, l)))
}

// useMapLang puts the page in m's locale when the reader asked for no language, and
// returns m with its title, description and factions' names in the page's language.
func (s *Server) useMapLang(c echo.Context, m *data.Map) *data.Map {
	l := langOf(c.Request().Context())
	if l.Asked == "" && i18n.Valid(m.Locale) {
		l = &pageLang{loc: s.catalog.For(m.Locale)}
		setLang(c, l)
	}
	return localized(m, l.loc.Lang())
}

// localized is a copy of m whose texts are in lang where map.json translated them.
func localized(m *data.Map, lang string) *data.Map {
	out := *m
	out.Title = m.TitleI18n.In(lang, m.Title)
	out.Description = m.DescriptionI18n.In(lang, m.Description)
	out.Factions = make([]data.Faction, len(m.Factions))
	for i, f := range m.Factions {
		f.Name = f.NameI18n.In(lang, f.Name)
		out.Factions[i] = f
	}
	return &out
}

// english is the language of what is rendered outside a request through withLang: error
// pages of requests no route took, a static export, tests rendering a component.
var english = sync.OnceValue(func() *pageLang { return langFor(i18n.Default) })

// outsideCatalog is the catalogue of what is rendered outside a request (english).
var outsideCatalog = sync.OnceValue(func() *i18n.Catalog { return i18n.MustNew(slog.Default()) })

// langFor is lang's page language outside a request: a static export's pages.
func langFor(lang string) *pageLang { return &pageLang{loc: outsideCatalog().For(lang)} }

// langOf is the page's language in ctx.
func langOf(ctx context.Context) *pageLang {
	if l, ok := ctx.Value(langKey{}).(*pageLang); ok {
		return l
	}
	return english()
}

// locOf is the page's localizer in ctx.
func locOf(ctx context.Context) *i18n.Localizer { return langOf(ctx).loc }

// t is the message id in the page's language, for templates: { t(ctx, "Play") }.
func t(ctx context.Context, id string) string { return locOf(ctx).T(id) }

// tf is t with its {name} placeholders filled, as name, value pairs.
func tf(ctx context.Context, id string, pairs ...string) string {
	return fillTemplate(t(ctx, id), pairs...)
}

// tn is the plural message id for a count of n in the page's language, its {count} written
// in the page's digits and its other placeholders filled from pairs.
func tn(ctx context.Context, id string, n int, pairs ...string) string {
	return fillTemplate(locOf(ctx).N(id, n), append([]string{"count", number(ctx, n)}, pairs...)...)
}

// htmlLang and htmlDir are the page's lang and dir attributes.
func htmlLang(ctx context.Context) string { return locOf(ctx).Lang() }
func htmlDir(ctx context.Context) string  { return locOf(ctx).Dir() }

// langQuery is "lang=xx" after sep ("?" or "&") when the reader asked for a language, so a
// link keeps it; "" otherwise.
func langQuery(ctx context.Context, sep string) string {
	if l := langOf(ctx).Asked; l != "" {
		return sep + "lang=" + l
	}
	return ""
}

// seeOther redirects, after a form, to target with the language the reader asked for, so
// the page after a save, an import or a sign-in is in the language of the form sent.
func seeOther(c echo.Context, target string) error {
	if l := langOf(c.Request().Context()).Asked; l != "" && !strings.Contains(target, "lang=") {
		sep := "?"
		if strings.Contains(target, "?") {
			sep = "&"
		}
		target += sep + "lang=" + l
	}
	return c.Redirect(http.StatusSeeOther, target)
}

// number64 is number for an id.
func number64(ctx context.Context, n int64) string {
	return locOf(ctx).Dates("").Number(strconv.FormatInt(n, 10))
}

// htmlWords is message id in the page's language, HTML-escaped, its placeholders filled
// from pairs whose values are HTML already (see wrapHTML): for a sentence some of whose
// words are marked up, such as literal input as <code>.
func htmlWords(ctx context.Context, id string, pairs ...string) string {
	return fillTemplate(html.EscapeString(t(ctx, id)), pairs...)
}

// wrapHTML is text escaped and, with a tag, wrapped in it: wrapHTML("code", "a<b").
func wrapHTML(tag, text string) string {
	if tag == "" {
		return html.EscapeString(text)
	}
	return "<" + tag + ">" + html.EscapeString(text) + "</" + tag + ">"
}

// linkHTML is a link to href (a URL of this site) with text, both escaped.
func linkHTML(href, text string) string {
	return `<a href="` + html.EscapeString(href) + `">` + html.EscapeString(text) + "</a>"
}

// number writes n in the page's digits (Persian in fa and ps, Eastern Arabic in ar).
func number(ctx context.Context, n int) string {
	return locOf(ctx).Dates("").Number(strconv.Itoa(n))
}
