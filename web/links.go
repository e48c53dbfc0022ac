package web

import (
	"net/url"
	"strings"

	"github.com/frontline-maps/frontline/data"
)

// datePlaceholder stands for the date in a link template. It cannot occur in the rest of a
// link: slugs are [a-z0-9-]+, a Host header holds no braces, and the embed codes write a
// title's braces as character references (see escapeBraces).
const datePlaceholder = "{date}"

// mapLinks are a map's links that follow the date shown: the share link, the downloads, the
// embed preview and pinned embed codes, and the editor's link to the change form. newMapLinks builds each one once, as a template holding
// datePlaceholder; the server fills them for the page it renders (at) and hands the
// templates to the browser (the page data's links and data-*-template attributes), whose
// static/model/links.js fills them as the slider moves. Golden cases:
// testdata/rules/links.json.
type mapLinks struct {
	Page         string `json:"page"`
	GeoJSON      string `json:"geojson"`
	CSV          string `json:"csv"`
	PNG          string `json:"png"`
	SVG          string `json:"svg"`
	Embed        string `json:"embed"`
	Edit         string `json:"edit"`
	IframePinned string `json:"iframePinned"`
	PymPinned    string `json:"pymPinned"`
}

// newMapLinks returns m's link templates; base (scheme and host) makes the embed codes,
// pasted into other sites, absolute. The pages' links and the embed codes carry the
// reader's theme (themeQuery); the downloads and pictures have none.
func newMapLinks(base string, m *data.Map, theme string) mapLinks {
	slug := url.PathEscape(m.Slug)
	dated := "date=" + datePlaceholder + themeQuery(theme, "&")
	return mapLinks{
		Page:         mapURL(m.Slug) + "?" + dated,
		GeoJSON:      "/api/maps/" + slug + "/state.geojson?date=" + datePlaceholder,
		CSV:          "/api/maps/" + slug + "/state.csv?date=" + datePlaceholder,
		PNG:          imageURL(m.Slug, datePlaceholder, "png"),
		SVG:          imageURL(m.Slug, datePlaceholder, "svg"),
		Embed:        embedURL(m.Slug) + "?" + dated,
		Edit:         mapURL(m.Slug) + "/edit?" + dated,
		IframePinned: iframeCode(base, m, dated, embedWidth, embedHeight),
		PymPinned:    pymCode(base, m, dated),
	}
}

// themeQuery is the query parameter that carries a chosen theme, after sep ("&" or "?"),
// or "" for auto, the default, which a link need not say.
func themeQuery(theme, sep string) string {
	if theme == "" || theme == "auto" {
		return ""
	}
	return sep + "theme=" + theme
}

// at returns the links for date, a valid YYYY-MM-DD date.
func (l mapLinks) at(date string) mapLinks {
	fill := func(t string) string { return fillTemplate(t, "date", date) }
	return mapLinks{
		Page: fill(l.Page), GeoJSON: fill(l.GeoJSON), CSV: fill(l.CSV), PNG: fill(l.PNG), SVG: fill(l.SVG),
		Embed: fill(l.Embed), Edit: fill(l.Edit), IframePinned: fill(l.IframePinned), PymPinned: fill(l.PymPinned),
	}
}

// fillTemplate replaces each {name} of template by its value, given as name, value pairs,
// in one pass, so a value holding "{date}" is not filled again; a {name} with no value stays.
// static/model/template.js fills the same templates in the browser.
func fillTemplate(template string, pairs ...string) string {
	oldnew := make([]string, 0, len(pairs))
	for i := 0; i+1 < len(pairs); i += 2 {
		oldnew = append(oldnew, "{"+pairs[i]+"}", pairs[i+1])
	}
	return strings.NewReplacer(oldnew...).Replace(template)
}

// escapeBraces writes { and } in text bound for an embed code as character references
// (HTML) or escapes (JavaScript), so text from an editor, such as a title, can never hold a
// template's placeholder. Both forms read back as the same characters.
func escapeBraces(s string, js bool) string {
	if js {
		return strings.NewReplacer("{", `\u007b`, "}", `\u007d`).Replace(s)
	}
	return strings.NewReplacer("{", "&#123;", "}", "&#125;").Replace(s)
}
