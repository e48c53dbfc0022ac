package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/frontline-maps/frontline/data"
	"github.com/frontline-maps/frontline/geo"
	"github.com/frontline-maps/frontline/web/i18n"
)

// adminMapStore is what the maps page reads and writes.
type adminMapStore interface {
	AllMaps(ctx context.Context) ([]data.Map, error)
	Map(ctx context.Context, slug string) (*data.Map, error)
	SetArchived(ctx context.Context, slug string, archived bool) error
	ImportFolder(ctx context.Context, f *data.Folder, opt data.ImportOptions) (data.ImportSummary, error)
	UpdateMap(ctx context.Context, slug string, edit data.Map) error
}

// maxUpload bounds a zipped map folder sent to POST /admin/maps; larger ones are imported
// with `frontline import`, which reads a file of any size as it goes.
const maxUploadText = "64M"

// adminMapsView is the maps page: every map with its edit form, the upload form, and what
// the last upload would import or why not.
type adminMapsView struct {
	Editor *editorMeta
	Maps   []*data.Map
	Notice string
	// Error is why the last action was refused; Slug names the map it was about, if any.
	Error, Slug string
	// Preview is what the uploaded folder holds, when it was only looked at.
	Preview *uploadPreview
}

// uploadPreview says what an uploaded map folder would import.
type uploadPreview struct {
	File                  string
	Slug, Title           string
	Regions, Events, Hist int
	Factions              []data.Faction
	Start, End            string
	// Repairs are what reading the regions mended, as the import will store them.
	Repairs []previewRepair
}

// previewRepair is one kind of repair made to an upload's regions, worded for the page.
type previewRepair struct {
	What    string // the repair, in the page's language
	Regions int
	IDs     string // the first regions' ids, and how many more
}

// repairedListed is how many regions of one kind of repair the preview names.
const repairedListed = 8

// previewRepairs says, in ctx's language, what reading the regions repaired and in which.
func previewRepairs(ctx context.Context, regions []geo.Region) []previewRepair {
	var out []previewRepair
	for _, r := range geo.RepairSummary(regions) {
		ids := strings.Join(r.Regions[:min(len(r.Regions), repairedListed)], ", ")
		if i18n.RTL(locOf(ctx).Lang()) {
			ids = "\u2068" + ids + "\u2069" // Latin ids and commas kept together
		}
		if more := len(r.Regions) - repairedListed; more > 0 {
			ids = tf(ctx, "UploadRepairMore", "ids", ids, "more", number(ctx, more))
		}
		out = append(out, previewRepair{What: locOf(ctx).Problem(data.GeoProblem(r.Message())), Regions: len(r.Regions), IDs: ids})
	}
	return out
}

// adminMapNotices are the messages of the actions done, by ?done=.
var adminMapNotices = map[string]string{"imported": "NoticeImported", "saved": "NoticeSaved", "archived": "NoticeArchived", "restored": "NoticeRestored"}

// adminMapList serves GET /admin/maps.
func (s *Server) adminMapList(c echo.Context) error {
	var notice string
	if slug := c.QueryParam("map"); slug != "" {
		if id, ok := adminMapNotices[c.QueryParam("done")]; ok {
			notice = tf(c.Request().Context(), id, "slug", slug)
		}
	}
	return s.renderAdminMaps(c, http.StatusOK, adminMapsView{Notice: notice})
}

func (s *Server) renderAdminMaps(c echo.Context, status int, v adminMapsView) error {
	ctx := c.Request().Context()
	maps, err := s.mapAdmin.AllMaps(ctx)
	if err != nil {
		return err
	}
	for _, m := range maps {
		full, err := s.mapAdmin.Map(ctx, m.Slug)
		if err != nil {
			return err
		}
		full.Archived = m.Archived
		v.Maps = append(v.Maps, full)
	}
	u, _ := s.currentUser(c)
	v.Editor = &editorMeta{Name: u.Name, CSRF: csrfToken(c), Admin: true}
	return render(c, status, adminMapsPage(v))
}

// adminMapsRefused shows the maps page again with why an action was refused (422); other
// errors go to the error handler.
func (s *Server) adminMapsRefused(c echo.Context, err error, slug string) error {
	var invalid *data.InvalidError
	if !errors.As(err, &invalid) {
		return err
	}
	return s.renderAdminMaps(c, http.StatusUnprocessableEntity, adminMapsView{Error: locOf(c.Request().Context()).Invalid(invalid), Slug: slug})
}

// adminMapUpload serves POST /admin/maps: a zipped map folder in the file field "file",
// read by the importer of `frontline import`; with intent=preview it says what would be
// imported, or every problem found, and stores nothing; with intent=save it imports it,
// all or nothing. A map whose slug exists is replaced with `frontline import --replace`,
// which guards editors' changes.
func (s *Server) adminMapUpload(c echo.Context) error {
	fh, err := c.FormFile("file")
	if err != nil {
		return s.adminMapsRefused(c, invalidWords(data.P("AdminUploadChoose")), "")
	}
	if !strings.EqualFold(path.Ext(fh.Filename), ".zip") {
		return s.adminMapsRefused(c, invalidWords(data.P("AdminUploadNotZip", "file", fh.Filename)), "")
	}
	file, err := fh.Open()
	if err != nil {
		return fmt.Errorf("open upload: %w", err)
	}
	defer file.Close()
	fsys, err := data.ZipFolder(file, fh.Size)
	if err == nil {
		var f *data.Folder
		if f, err = data.LoadFolder(fsys); err == nil {
			return s.adminMapImport(c, fh.Filename, f)
		}
	}
	return s.adminMapsRefused(c, data.InFile(fh.Filename, err), "")
}

func (s *Server) adminMapImport(c echo.Context, name string, f *data.Folder) error {
	ctx := c.Request().Context()
	if _, err := s.mapAdmin.Map(ctx, f.Map.Slug); err == nil {
		return s.adminMapsRefused(c, invalidWords(data.P("AdminUploadExists", "slug", strconv.Quote(f.Map.Slug))), "")
	}
	switch c.FormValue("intent") {
	case "preview", "":
		p := &uploadPreview{File: name, Slug: f.Map.Slug, Title: f.Map.Title, Regions: len(f.Regions), Events: len(f.Events),
			Hist: len(f.History), Factions: f.Map.Factions, Start: f.Map.Start, End: f.Map.End, Repairs: previewRepairs(ctx, f.Regions)}
		return s.renderAdminMaps(c, http.StatusOK, adminMapsView{Preview: p})
	case "save":
	default:
		return s.adminMapsRefused(c, invalidWords(data.P("AdminUploadIntent", "intent", strconv.Quote(c.FormValue("intent")))), "")
	}
	sum, err := s.mapAdmin.ImportFolder(ctx, f, data.ImportOptions{Author: data.ImportAuthor})
	if err != nil {
		return s.adminMapsRefused(c, err, "")
	}
	s.log.InfoContext(ctx, "map imported", "map", f.Map.Slug, "regions", sum.Regions, "events", sum.Events, "by", s.adminName(c))
	return seeOther(c, "/admin/maps?"+url.Values{"done": {"imported"}, "map": {f.Map.Slug}}.Encode())
}

// adminMapUpdate serves POST /admin/maps/{slug}: fields title, description, attribution,
// start, end, default_date, and for each faction name_{id} and color_{id}.
func (s *Server) adminMapUpdate(c echo.Context) error {
	m, err := s.mapParam(c)
	if err != nil {
		return err
	}
	edit := data.Map{Title: c.FormValue("title"), Description: c.FormValue("description"), Attribution: c.FormValue("attribution"),
		Start: c.FormValue("start"), End: c.FormValue("end"), DefaultDate: c.FormValue("default_date")}
	for _, f := range m.Factions {
		name, color := c.FormValue("name_"+f.ID), c.FormValue("color_"+f.ID)
		if name == "" && color == "" {
			continue
		}
		edit.Factions = append(edit.Factions, data.Faction{ID: f.ID, Name: name, Color: color})
	}
	if err := s.mapAdmin.UpdateMap(c.Request().Context(), m.Slug, edit); err != nil {
		return s.adminMapsRefused(c, err, m.Slug)
	}
	s.log.InfoContext(c.Request().Context(), "map updated", "map", m.Slug, "by", s.adminName(c))
	return seeOther(c, "/admin/maps?"+url.Values{"done": {"saved"}, "map": {m.Slug}}.Encode())
}

// adminMapArchive serves POST /admin/maps/{slug}/archive: field archived, 1 to take the
// map out of the lists of maps (its pages, embeds and pictures still answer, so nothing
// published breaks) or 0 to bring it back.
func (s *Server) adminMapArchive(c echo.Context) error {
	m, err := s.mapParam(c)
	if err != nil {
		return err
	}
	var archive bool
	switch c.FormValue("archived") {
	case "1":
		archive = true
	case "0":
	default:
		return s.adminMapsRefused(c, invalidWords(data.P("ArchivedNotFlag", "value", strconv.Quote(c.FormValue("archived")))), m.Slug)
	}
	if err := s.mapAdmin.SetArchived(c.Request().Context(), m.Slug, archive); err != nil {
		return err
	}
	s.log.InfoContext(c.Request().Context(), "map archived", "map", m.Slug, "archived", archive, "by", s.adminName(c))
	done := "restored"
	if archive {
		done = "archived"
	}
	return seeOther(c, "/admin/maps?"+url.Values{"done": {done}, "map": {m.Slug}}.Encode())
}

// adminMapURL is where a map's admin form is sent.
func adminMapURL(slug string) string { return "/admin/maps/" + url.PathEscape(slug) }
