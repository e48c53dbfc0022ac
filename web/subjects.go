package web

import (
	"context"

	"github.com/frontline-maps/frontline/data"
)

// An event names a region or a place (the contract's events.csv region column): subjects
// are both of a map, by id, so that the pages listing events name and link either.
type subjects struct {
	byID map[string]data.Region
	list []data.Region // the regions, then the places, each sorted by name
}

// subjectLister is what subjectsOf reads: the map's regions and its places.
type subjectLister interface {
	Regions(ctx context.Context, slug string) ([]data.Region, error)
	Places(ctx context.Context, slug string) ([]data.Region, error)
}

// subjectsOf reads the regions and places of the map slug.
func subjectsOf(ctx context.Context, store subjectLister, slug string) (subjects, error) {
	regions, err := store.Regions(ctx, slug)
	if err != nil {
		return subjects{}, err
	}
	places, err := store.Places(ctx, slug)
	if err != nil {
		return subjects{}, err
	}
	s := subjects{byID: make(map[string]data.Region, len(regions)+len(places)), list: append(regions, places...)}
	for _, r := range s.list {
		s.byID[r.ID] = r
	}
	return s, nil
}

// name is the name of the region or place id, or id itself for one the map does not have.
func (s subjects) name(id string) string {
	if r, ok := s.byID[id]; ok && r.Name != "" {
		return r.Name
	}
	return id
}

// historyURL is the history page of the region or place id of the map slug.
func (s subjects) historyURL(slug, id string) string {
	if s.byID[id].Place {
		return placeURL(slug, id)
	}
	return regionURL(slug, id)
}

// all lists the regions, then the places, each sorted by name.
func (s subjects) all() []data.Region { return s.list }

// index finds the regions and places by what a person writes for them (their ids in any
// letter case, their names), as an events sheet is read: a name a region shares with a
// place is the region's.
func (s subjects) index() *data.RegionIndex { return s.indexOf(func(data.Region) bool { return true }) }

// indexOf is index over the regions and places keep accepts.
func (s subjects) indexOf(keep func(data.Region) bool) *data.RegionIndex {
	x := data.NewRegionIndex()
	for _, r := range s.list {
		if !keep(r) {
			continue
		}
		if r.Place {
			x.AddPlace(r.ID, r.Name)
		} else {
			x.Add(r.ID, r.Name)
		}
	}
	return x
}
