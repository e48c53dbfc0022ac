package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// The change form names places as well as regions (the contract: region names a region or
// a place): they are listed after the regions, previewed, and recorded with regions in one
// change; an unknown id is still refused with nothing stored.
func TestRecordPlacesFromTheForm(t *testing.T) {
	srv := newTestServer(t, withEditor("alice"))
	cl := newClient(t, srv.h)
	cl.signIn()
	change := func(ids ...string) url.Values {
		v := validChange(cl.csrf())
		v.Del("region")
		for _, id := range ids {
			v.Add("region", id)
		}
		v.Set("date", "2021-08-10")
		return v
	}

	t.Run("listed_after_the_regions", func(t *testing.T) {
		doc := parseHTML(t, cl.get("/maps/afghanistan-2021/edit?region=kabul"))
		places := doc.Find(`#field-region optgroup[data-testid="place-options"] option`)
		if places.Length() != 35 {
			t.Errorf("%d places in the form's list, want the 35", places.Length())
		}
		if got := doc.Find(`#field-region option[value="kabul"][selected]`).Text(); got != "Kabul" {
			t.Errorf("?region=kabul chose %q, want the place Kabul", got)
		}
	})

	t.Run("preview", func(t *testing.T) {
		v := change("AF-KAB", "kabul")
		v.Set("intent", "preview")
		before := srv.file.checksum()
		rec := cl.post("/maps/afghanistan-2021/events", v)
		doc := parseHTML(t, rec)
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d: %s", rec.Code, doc.Find(".form-error, .field-error").Text())
		}
		var lines []string
		doc.Find(".preview-list li").Each(func(_ int, li *goquery.Selection) { lines = append(lines, li.Text()) })
		want := "Kabul: Islamic Republic of Afghanistan → Taliban from 2021-08-10 (was Islamic Republic of Afghanistan since 2021-08-01)."
		if len(lines) != 2 || lines[0] != want || lines[1] != want {
			t.Errorf("preview lines %q, want the province's and the city's, both %q", lines, want)
		}
		srv.file.unchanged(t, before, "a preview")
	})

	t.Run("unknown_refused", func(t *testing.T) {
		before := srv.file.checksum()
		rec := cl.post("/maps/afghanistan-2021/events", change("kabul", "atlantis"))
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(parseHTML(t, rec).Find("#err-region").Text(), `"atlantis" is not a region of this map`) {
			t.Errorf("status %d, message %q", rec.Code, parseHTML(t, rec).Find("#err-region").Text())
		}
		srv.file.unchanged(t, before, "a refused change")
	})

	t.Run("recorded", func(t *testing.T) {
		rec := cl.post("/maps/afghanistan-2021/events", change("AF-KAB", "kabul"))
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("status %d: %s", rec.Code, parseHTML(t, rec).Find(".form-error, .field-error").Text())
		}
		ctx := context.Background()
		m, err := srv.store.Map(ctx, "afghanistan-2021")
		if err != nil {
			t.Fatal(err)
		}
		st, err := srv.store.State(ctx, m, "2021-08-10")
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range st.Places {
			if h.Region.ID == "kabul" && h.Faction != "taliban" {
				t.Errorf("Kabul on 2021-08-10 is held by %q after the change, want taliban", h.Faction)
			}
		}
		events, err := srv.store.RegionEvents(ctx, "afghanistan-2021", "kabul")
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range events {
			found = found || (e.Author == "alice" && e.Date == "2021-08-10" && e.Faction == "taliban")
		}
		if !found {
			t.Errorf("Kabul's events %+v lack alice's of 2021-08-10", events)
		}
	})
}
