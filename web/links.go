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

// comparePlaceholder stands for the comparison (?compare=D0) in the templates of the links
// that carry it: the share link, the embed and its codes. It fills to "" with none, else
// to "&compare=D0" (compareQuery), right after the date.
const comparePlaceholder = "{compare}"

// mapLinks are a map's links that follow the date shown: the share link, the downloads, the
// embed preview and pinned embed codes, and the editor's link to the change form. newMapLinks builds each one once, as a template holding
// datePlaceholder; the server fills them for the page it renders (at) and hands the
// templates to the browser (the page data's links and data-*-template attributes), whose
// static/model/links.js fills them as the slider moves. Golden cases:
// testdata/rules/links.json.
type mapLinks struct {
	Page    string `json:"page"`
	GeoJSON string `json:"geojson"`
	CSV     string `json:"csv"`
	PNG     string `json:"png"`
	SVG     string `json:"svg"`
	// GIF animates the map from its start to the date (image_gif.go).
	GIF          string `json:"gif"`
	Embed        string `json:"embed"`
	Edit         string `json:"edit"`
	IframePinned string `json:"iframePinned"`
	PymPinned    string `json:"pymPinned"`
}

// newMapLinks returns m's link templates; base (scheme and host) makes the embed codes,
// pasted into other sites, absolute. lang is the ?lang= the reader asked for ("" for none):
// the pages, the pictures and the embed codes carry it, so the language persists; the
// pages' links and the embed codes carry the reader's theme too (themeQuery), the downloads
// and pictures none.
func newMapLinks(base string, m *data.Map, lang, theme string) mapLinks {
	slug := url.PathEscape(m.Slug)
	q, pq := readerQuery(lang, theme, "&"), ""
	if lang != "" {
		pq = "?lang=" + url.QueryEscape(lang)
	}
	dated := "date=" + datePlaceholder + q
	return mapLinks{
		Page:         mapURL(m.Slug) + "?" + dated + comparePlaceholder,
		GeoJSON:      "/api/maps/" + slug + "/state.geojson?date=" + datePlaceholder,
		CSV:          "/api/maps/" + slug + "/state.csv?date=" + datePlaceholder,
		PNG:          imageURL(m.Slug, datePlaceholder, "png") + pq,
		SVG:          imageURL(m.Slug, datePlaceholder, "svg") + pq,
		GIF:          imageURL(m.Slug, m.Start+"_"+datePlaceholder, "gif") + pq,
		Embed:        embedURL(m.Slug) + "?" + dated + comparePlaceholder,
		Edit:         mapURL(m.Slug) + "/edit?" + dated,
		IframePinned: iframeCode(base, m, dated+comparePlaceholder, embedWidth, embedHeight),
		PymPinned:    pymCode(base, m, dated+comparePlaceholder),
	}
}

// readerQuery is the query parameters of the reader's choices that links carry on, the
// language asked for and the theme, after sep ("&" or "?"); "" for none.
func readerQuery(lang, theme, sep string) string {
	var q string
	if lang != "" {
		q = "&lang=" + url.QueryEscape(lang)
	}
	q += themeQuery(theme, "&")
	if q == "" {
		return ""
	}
	return sep + q[1:]
}

// themeQuery is the query parameter that carries a chosen theme, after sep ("&" or "?"),
// or "" for auto, the default, which a link need not say.
func themeQuery(theme, sep string) string {
	if theme == "" || theme == "auto" {
		return ""
	}
	return sep + "theme=" + theme
}

// at returns the links for date, a valid YYYY-MM-DD date, compared with compare (a valid
// date, or "" for no comparison).
func (l mapLinks) at(date, compare string) mapLinks {
	fill := func(t string) string { return fillTemplate(t, "date", date, "compare", compareQuery(compare)) }
	return mapLinks{
		Page: fill(l.Page), GeoJSON: fill(l.GeoJSON), CSV: fill(l.CSV), PNG: fill(l.PNG), SVG: fill(l.SVG), GIF: fill(l.GIF),
		Embed: fill(l.Embed), Edit: fill(l.Edit), IframePinned: fill(l.IframePinned), PymPinned: fill(l.PymPinned),
	}
}

// compareQuery is what {compare} fills to: nothing without a comparison, else the query's
// compare parameter, after the date. static/model/links.js has the same rule.
func compareQuery(compare string) string {
	if compare == "" {
		return ""
	}
	return "&compare=" + compare
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
