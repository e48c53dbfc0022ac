// Package data owns Frontline's storage: the domain types, the SQLite schema and every SQL
// statement, the map-folder format, and the built-in maps.
package data

import (
	"errors"
	"fmt"
	"time"
)

// ErrNotFound is returned when a map, region or event does not exist.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a write loses a race with another editor's write, such as
// retracting an event that was just superseded.
var ErrConflict = errors.New("conflict")

// ConflictError is an ErrConflict with a message for the editor who lost the race.
type ConflictError struct {
	Msg string
}

func (e *ConflictError) Error() string { return e.Msg }

// Is makes errors.Is(err, ErrConflict) hold.
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

// InvalidError reports input that breaks a rule of the data model. Its message is written
// for the person who supplied the input.
type InvalidError struct {
	Msg string
	// Problems, when set, are the problems Msg words in English, one a line (Invalid):
	// what a page words in its reader's language.
	Problems []Problem
}

func (e *InvalidError) Error() string { return e.Msg }

// Invalidf returns an *InvalidError with a formatted message.
func Invalidf(format string, args ...any) error {
	return &InvalidError{Msg: fmt.Sprintf(format, args...)}
}

// DateLayout is the one date format of the data model and the URLs (YYYY-MM-DD).
const DateLayout = "2006-01-02"

// Confidence values of an event.
const (
	Confirmed = "confirmed"
	Claimed   = "claimed"
)

// Map is a territorial-control map: its metadata and the faction every region holds before
// its first event.
type Map struct {
	Slug         string    `json:"slug"`
	Title        string    `json:"title"`
	Description  string    `json:"description"`
	Attribution  string    `json:"attribution"`
	Start        string    `json:"start"`
	End          string    `json:"end"`
	DefaultDate  string    `json:"default_date"`
	Initial      string    `json:"initial"`
	IDProperty   string    `json:"id_property"`
	NameProperty string    `json:"name_property"`
	Factions     []Faction `json:"factions"`
	// Locale is the language readers get when they ask for none (one of Languages, or "");
	// Calendar is "persian" for Solar Hijri dates beside the Gregorian ones.
	Locale   string `json:"locale,omitempty"`
	Calendar string `json:"calendar,omitempty"`
	// TitleI18n and DescriptionI18n are the translations map.json gave (nil for a plain
	// string); Title and Description are the text shown when none fits.
	TitleI18n       Translations `json:"-"`
	DescriptionI18n Translations `json:"-"`
	// Archived is set on an archived map, out of the lists of maps (AllMaps).
	Archived bool `json:"-"`
}

// Faction is a control state a region can be in, such as an army or "contested".
type Faction struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Color string `json:"color"`
	// NameI18n are the translations of Name map.json gave, nil for a plain string.
	NameI18n Translations `json:"-"`
}

// Faction returns the faction with the given id.
func (m *Map) Faction(id string) (Faction, bool) {
	for _, f := range m.Factions {
		if f.ID == id {
			return f, true
		}
	}
	return Faction{}, false
}

// ParseDate checks that s is a real calendar date written YYYY-MM-DD and within the map's
// range, and returns it unchanged. An empty s means the map's default date.
func (m *Map) ParseDate(s string) (string, error) {
	if s == "" {
		return m.DefaultDate, nil
	}
	if err := CheckDate(s); err != nil {
		return "", err
	}
	if s < m.Start || s > m.End {
		return "", Invalid(P("DateOutside", "date", s, "start", m.Start, "end", m.End))
	}
	return s, nil
}

// CheckDate reports whether s is a real calendar date in the form YYYY-MM-DD.
func CheckDate(s string) error {
	t, err := time.Parse(DateLayout, s)
	// Re-formatting rejects forms time.Parse tolerates, so every stored date compares as text.
	if err != nil || t.Format(DateLayout) != s {
		return Invalid(P("DateNotReal", "date", quote(s)))
	}
	return nil
}

// Region is one area of a map (a province, a district).
type Region struct {
	ID         string
	Name       string
	Capital    string
	Population int64
	// Place is set for a place (a city, a town: a point), which holds a faction as a region
	// does and shares the regions' ids; Kind is then its kind (capital, city, town, ...).
	Place bool
	Kind  string
	// Point is a place's position, [lon, lat] in WGS84.
	Point [2]float64
}

// Event is a change of control: from Date on, Region is held by Faction. Events are never
// deleted: an event stops counting when it is retracted or superseded by a correction.
type Event struct {
	ID         int64     `json:"id"`
	Region     string    `json:"region"`
	Faction    string    `json:"faction"`
	Date       string    `json:"date"`
	Source     string    `json:"source"`
	Note       string    `json:"note"`
	Confidence string    `json:"confidence"`
	Author     string    `json:"-"`
	CreatedAt  time.Time `json:"-"`

	// RetractedAt is zero unless the event was retracted, by RetractedBy for RetractReason.
	RetractedAt   time.Time `json:"-"`
	RetractedBy   string    `json:"-"`
	RetractReason string    `json:"-"`
	// SupersededBy is the id of the correction that replaced this event, 0 if none;
	// Supersedes is the id of the event this one replaced, 0 if none.
	SupersededBy int64 `json:"-"`
	Supersedes   int64 `json:"-"`
}

// Live reports whether the event counts towards the state: neither retracted nor superseded.
func (e *Event) Live() bool { return e.RetractedAt.IsZero() && e.SupersededBy == 0 }

// Holding is who holds a region at a date, and since when.
type Holding struct {
	Region  Region
	Faction string
	// Since is the date of the event that gave the region to Faction, or the map's start.
	Since string
	// Event is the event behind the holding; nil when the region holds the map's initial faction.
	Event *Event
}

// Claimed reports whether the holding rests on an unconfirmed claim.
func (h Holding) Claimed() bool { return h.Event != nil && h.Event.Confidence == Claimed }

// State is every region's holding at one date, in the map's region order.
type State struct {
	Date     string
	Holdings []Holding
	// Places is every place's holding, in the order of the map's places file; counts leave
	// places out.
	Places []Holding
	// Revision is the map's revision the state was computed from.
	Revision int64
}

// holding returns the i-th holding of the regions and then the places.
func (s *State) holding(i int) *Holding {
	if i < len(s.Holdings) {
		return &s.Holdings[i]
	}
	return &s.Places[i-len(s.Holdings)]
}

// Counts returns how many regions each faction holds, with every faction of m present.
func (s State) Counts(m *Map) map[string]int {
	counts := make(map[string]int, len(m.Factions))
	for _, f := range m.Factions {
		counts[f.ID] = 0
	}
	for _, h := range s.Holdings {
		counts[h.Faction]++
	}
	return counts
}
