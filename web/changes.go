package web

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/frontline-maps/frontline/data"
)

// changesLimit is how many edits the audit log and its feed show.
const changesLimit = 200

type changesView struct {
	Map     *data.Map
	Changes []changeRow
}

// changeRow is one edit of the audit log.
type changeRow struct {
	Kind, At, AtLabel, Author, Text, RegionURL string
	// Verb is "recorded", "corrected" or "retracted"; Title says it with the region's name.
	Verb, Title        string
	Source, SourceHost string
	EventID            int64
	live               bool
	// UndoBatch, on the first row of a batch of several events recorded together of which
	// some are still live, is the link to retract them together; set for editors only.
	UndoBatch string
	BatchSize int
}

// changeStore is what the changes page and feed read.
type changeStore interface {
	Changes(ctx context.Context, slug string, limit int) ([]data.Change, error)
	subjectLister
}

// changeList serves GET /maps/{slug}/changes: the audit log, newest first.
func (s *Server) changeList(c echo.Context) error {
	v, err := s.newChangesView(c)
	if err != nil {
		return err
	}
	if _, editor := s.currentUser(c); editor {
		v.markBatches()
	}
	return render(c, http.StatusOK, changesPage(v))
}

func (s *Server) newChangesView(c echo.Context) (changesView, error) {
	ctx := c.Request().Context()
	m, err := s.mapParam(c)
	if err != nil {
		return changesView{}, err
	}
	changes, err := s.changes.Changes(ctx, m.Slug, changesLimit)
	if err != nil {
		return changesView{}, err
	}
	names, err := subjectsOf(ctx, s.changes, m.Slug)
	if err != nil {
		return changesView{}, err
	}
	m = s.useMapLang(c, m)
	dates := locOf(ctx).Dates(m.Calendar)
	v := changesView{Map: m}
	for _, ch := range changes {
		e := ch.Event
		region := names.name(e.Region)
		verb := ch.Kind
		text := tf(ctx, "ChangeRecorded", "event", describeEvent(ctx, m, region, e))
		if ch.Kind == data.ChangeRecorded && e.Supersedes != 0 {
			verb = "corrected"
			text = tf(ctx, "ChangeCorrected", "id", number64(ctx, e.Supersedes), "event", describeEvent(ctx, m, region, e))
		}
		if ch.Kind == data.ChangeRetracted {
			text = tf(ctx, "ChangeRetracted", "id", number64(ctx, e.ID), "event", describeEvent(ctx, m, region, e), "reason", e.RetractReason)
		}
		v.Changes = append(v.Changes, changeRow{
			Kind: ch.Kind, At: ch.At.UTC().Format(time.RFC3339), AtLabel: momentLabel(ctx, ch.At),
			Author: ch.Author, Text: text, RegionURL: names.historyURL(m.Slug, e.Region), EventID: e.ID,
			Verb: verb, Title: tf(ctx, feedTitles[verb], "region", region, "faction", factionName(m, e.Faction), "date", dateLabel(dates, e.Date)),
			Source: e.Source, SourceHost: sourceHost(e.Source),
		})
		v.Changes[len(v.Changes)-1].live = e.Live()
	}
	return v, nil
}

// markBatches gives the first row of each batch of several events recorded together (the
// same author and time: one form of several regions, one spreadsheet) of which any is
// still live the link to retract them together. Only the batches the list shows whole or
// in part are seen; the retraction form lists the whole batch.
func (v *changesView) markBatches() {
	for i := 0; i < len(v.Changes); {
		j, live := i, false
		for ; j < len(v.Changes) && v.Changes[j].Kind == data.ChangeRecorded && v.Changes[j].Author == v.Changes[i].Author && v.Changes[j].At == v.Changes[i].At; j++ {
			live = live || v.Changes[j].live
		}
		if j-i > 1 && live {
			v.Changes[i].BatchSize = j - i
			v.Changes[i].UndoBatch = mapURL(v.Map.Slug) + "/events/" + strconv.FormatInt(v.Changes[i].EventID, 10) + "/retract?batch=1"
		}
		i = max(j, i+1)
	}
}

// feedTitles are the feed entries' titles by verb.
var feedTitles = map[string]string{data.ChangeRecorded: "FeedRecorded", "corrected": "FeedCorrected", data.ChangeRetracted: "FeedRetracted"}

// atomFeed is the subset of RFC 4287 the audit feed uses.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Link    []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
}

type atomEntry struct {
	Title   string   `xml:"title"`
	ID      string   `xml:"id"`
	Updated string   `xml:"updated"`
	Author  string   `xml:"author>name"`
	Link    atomLink `xml:"link"`
	Summary string   `xml:"summary"`
}

// changeFeed serves GET /maps/{slug}/changes.atom: the audit log as an Atom feed, its words
// in the language asked for (?lang=, else the map's locale) and its times RFC 3339, as Atom
// requires.
func (s *Server) changeFeed(c echo.Context) error {
	v, err := s.newChangesView(c)
	if err != nil {
		return err
	}
	base := s.baseURL(c)
	feed := atomFeed{
		Lang: htmlLang(c.Request().Context()), Title: tf(c.Request().Context(), "FeedTitle", "title", v.Map.Title), ID: base + mapURL(v.Map.Slug) + "/changes",
		Updated: time.Unix(0, 0).UTC().Format(time.RFC3339),
		Link:    []atomLink{{Href: base + mapURL(v.Map.Slug) + "/changes.atom", Rel: "self"}, {Href: base + mapURL(v.Map.Slug)}},
	}
	for i, ch := range v.Changes {
		if i == 0 {
			feed.Updated = ch.At
		}
		feed.Entries = append(feed.Entries, atomEntry{
			Title: ch.Title, ID: fmt.Sprintf("%s/%s/%d", feed.ID, ch.Kind, ch.EventID),
			Updated: ch.At, Author: ch.Author, Link: atomLink{Href: base + ch.RegionURL}, Summary: ch.Text,
		})
	}
	body, err := xml.MarshalIndent(feed, "", "  ")
	if err != nil {
		return fmt.Errorf("encode feed: %w", err)
	}
	return writeFresh(c, "application/atom+xml; charset=utf-8", cacheShort, append([]byte(xml.Header), body...))
}
