package data

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// fuzzMap is the map the fuzz tests check events against: three regions, one with a
// name that is not ASCII, and a year's range.
func fuzzMap() (*Map, func(string) bool) {
	m := &Map{Slug: "fuzz", Title: "Fuzz", Start: "2021-01-01", End: "2021-12-31", DefaultDate: "2021-06-01", Initial: "gov",
		Factions: []Faction{{ID: "gov", Name: "Government", Color: "#0000ff"}, {ID: "reb", Name: "Rebels", Color: "#ff0000"}}}
	regions := map[string]bool{"A": true, "B": true, "région 3": true}
	return m, func(id string) bool { return regions[id] }
}

// namesLine matches a report naming a line, or the lines of a problem they share.
var namesLine = regexp.MustCompile(`\blines? \d`)

// FuzzReadEvents feeds the events.csv reader arbitrary files. It must never panic; a file it
// accepts holds only valid events, which come back the same when written out as CSV and
// read again; a file it refuses is refused with a message that names the line.
func FuzzReadEvents(f *testing.F) {
	const header = "region,faction,date,source,note,confidence\n"
	f.Add([]byte(header + "A,reb,2021-03-01,https://example.org/a,Taken,confirmed\n"))
	f.Add([]byte("\ufeff" + header + "B,gov,2021-12-31,http://example.org/b?q=1,\"Note, with \"\"quotes\"\"\nand a line\",claimed\r\n"))
	f.Add([]byte("region,faction,date,source,note\nrégion 3,reb,2021-01-01,https://example.org/c,  spaced  \n"))
	f.Add([]byte(header + "A,reb,2021-02-30,https://example.org/a,,\n"))
	f.Add([]byte(header + "A,reb,2021-03-01,javascript:alert(1),,\n"))
	f.Add([]byte(header + "A,reb,2021-03-01,https://example.org/a,\"never closed\n"))
	f.Add([]byte(header + "A,reb,2021-03-01,https://example.org/a,caf\xe9,\n"))
	f.Add([]byte(header + "A,reb\n"))
	f.Add([]byte("a,b,c\n"))
	f.Add([]byte(""))
	m, hasRegion := fuzzMap()
	f.Fuzz(func(t *testing.T, raw []byte) {
		events, lines, err := ReadEventLines(bytes.NewReader(raw), m, hasRegion)
		if err != nil {
			var invalid *InvalidError
			if !errors.As(err, &invalid) || invalid.Msg == "" {
				t.Fatalf("refused without a message for the person: %T %v", err, err)
			}
			// Problems quote the input, which may hold line breaks: the report as a whole,
			// not each of its lines, must name where.
			if !namesLine.MatchString(invalid.Msg) && !strings.Contains(invalid.Msg, "the file is empty") {
				t.Errorf("a report that names no line: %q", invalid.Msg)
			}
			if events != nil {
				t.Errorf("refused, yet returned %d events", len(events))
			}
			return
		}
		if len(lines) != len(events) {
			t.Fatalf("%d lines for %d events", len(lines), len(events))
		}
		for i, e := range events {
			if i > 0 && lines[i] <= lines[i-1] || lines[i] < 2 {
				t.Errorf("event %d on line %d, after line %v", i, lines[i], lines[:i])
			}
			again := e
			if problems := CheckEvent(m, hasRegion, &again); len(problems) > 0 || again != e {
				t.Errorf("accepted event %+v fails its own check: %v", e, problems)
			}
		}

		// Written out with encoding/csv, as an export does, and read back.
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		w.Write(eventsHeader)
		for _, e := range events {
			w.Write([]string{e.Region, e.Faction, e.Date, e.Source, e.Note, e.Confidence})
		}
		w.Flush()
		back, err := ReadEvents(&buf, m, hasRegion)
		if err != nil {
			t.Fatalf("accepted events written out are refused: %v\n%q", err, buf.String())
		}
		if diff := cmp.Diff(events, back); diff != "" && len(events) > 0 {
			t.Errorf("events changed on the way back (-read +again):\n%s", diff)
		}
	})
}

// realDate is an oracle written apart from CheckDate: YYYY-MM-DD in ASCII digits, a month
// of the year and a day of that month in the proleptic Gregorian calendar.
func realDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	num := func(a, b int) (int, bool) {
		n := 0
		for i := a; i < b; i++ {
			if s[i] < '0' || s[i] > '9' {
				return 0, false
			}
			n = n*10 + int(s[i]-'0')
		}
		return n, true
	}
	y, ok1 := num(0, 4)
	mo, ok2 := num(5, 7)
	d, ok3 := num(8, 10)
	if !ok1 || !ok2 || !ok3 || mo < 1 || mo > 12 || d < 1 {
		return false
	}
	days := []int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[mo-1]
	if mo == 2 && y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		days = 29
	}
	return d <= days
}

// FuzzCheckDate checks the date parser of URLs, forms and files against the oracle, and
// Map.ParseDate against the map's range.
func FuzzCheckDate(f *testing.F) {
	for _, s := range []string{"2021-08-15", "2021-02-29", "2020-02-29", "1900-02-29", "2000-02-29", "0000-01-01", "9999-12-31",
		"2021-8-15", "2021-08-15 ", "+2021-08-15", "2021-13-01", "2021-00-10", "2021-01-00", "２０２１-08-15", "", "2021-06-01T00:00:00Z"} {
		f.Add(s)
	}
	m, _ := fuzzMap()
	f.Fuzz(func(t *testing.T, s string) {
		err := CheckDate(s)
		if (err == nil) != realDate(s) {
			t.Fatalf("CheckDate(%q) = %v, but the oracle says real=%v", s, err, realDate(s))
		}
		var invalid *InvalidError
		if err != nil && (!errors.As(err, &invalid) || !strings.Contains(invalid.Msg, "YYYY-MM-DD")) {
			t.Errorf("CheckDate(%q): %v is not a message for the person", s, err)
		}
		got, perr := m.ParseDate(s)
		switch {
		case s == "":
			if perr != nil || got != m.DefaultDate {
				t.Errorf("ParseDate(\"\") = %q, %v; want the default date", got, perr)
			}
		case err != nil:
			if perr == nil {
				t.Errorf("ParseDate(%q) accepted what CheckDate refuses", s)
			}
		case s < m.Start || s > m.End:
			if perr == nil || !strings.Contains(perr.Error(), "outside") {
				t.Errorf("ParseDate(%q) = %q, %v; want outside the range", s, got, perr)
			}
		default:
			if perr != nil || got != s {
				t.Errorf("ParseDate(%q) = %q, %v", s, got, perr)
			}
		}
	})
}

// FuzzCheckEvent checks the one validation that the change form and the CSV reader share:
// never a panic, problems only for the six fields, and an accepted event that is trimmed,
// valid in every field, and accepted again unchanged.
func FuzzCheckEvent(f *testing.F) {
	f.Add("A", "reb", "2021-03-01", "https://example.org/a", "Taken", "confirmed")
	f.Add(" A ", " gov ", " 2021-12-31 ", " http://example.org ", "  ", "")
	f.Add("région 3", "reb", "2021-01-01", "https://example.org/?q=<script>", "<script>alert(1)</script>", "claimed")
	f.Add("Z", "army", "2021-02-30", "ftp://example.org", strings.Repeat("n", MaxNoteLen+1), "maybe")
	f.Add("A\xff", "reb\x00", "2022-01-01", "https://", "caf\xe9", "CLAIMED")
	f.Add("", "", "", "", "", "")
	m, hasRegion := fuzzMap()
	fields := map[string]bool{"region": true, "faction": true, "date": true, "source": true, "note": true, "confidence": true}
	f.Fuzz(func(t *testing.T, region, faction, date, source, note, confidence string) {
		e := Event{Region: region, Faction: faction, Date: date, Source: source, Note: note, Confidence: confidence}
		problems := CheckEvent(m, hasRegion, &e)
		for field, msg := range problems {
			if !fields[field] || msg.String() == "" {
				t.Errorf("problem %q: %q", field, msg)
			}
		}
		if _, bad := problems["date"]; !bad && !realDate(e.Date) {
			t.Errorf("date %q passed", e.Date)
		}
		if len(problems) > 0 {
			return
		}
		for name, v := range map[string]string{"region": e.Region, "faction": e.Faction, "date": e.Date, "source": e.Source, "note": e.Note} {
			if v != strings.TrimSpace(v) || !utf8.ValidString(v) {
				t.Errorf("accepted %s %q is untrimmed or not UTF-8", name, v)
			}
		}
		if !hasRegion(e.Region) {
			t.Errorf("accepted unknown region %q", e.Region)
		}
		if _, ok := m.Faction(e.Faction); !ok {
			t.Errorf("accepted unknown faction %q", e.Faction)
		}
		if e.Date < m.Start || e.Date > m.End {
			t.Errorf("accepted date %q outside the map", e.Date)
		}
		u, err := url.Parse(e.Source)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(e.Source) > MaxSourceLen {
			t.Errorf("accepted source %q", e.Source)
		}
		if utf8.RuneCountInString(e.Note) > MaxNoteLen {
			t.Errorf("accepted a note of %d characters", utf8.RuneCountInString(e.Note))
		}
		if e.Confidence != Confirmed && e.Confidence != Claimed {
			t.Errorf("accepted confidence %q", e.Confidence)
		}
		again := e
		if p := CheckEvent(m, hasRegion, &again); len(p) > 0 || again != e {
			t.Errorf("checking an accepted event again: %v, %+v", p, again)
		}
	})
}

// TestReadEventsQuoteErrorInFirstField: a quoting mistake at the start of a line is a
// problem of that line, reported as such, not a crash. FuzzReadEvents found the crash:
// ReadEventLines asked cr.FieldPos(0) before it looked at Read's error, and FieldPos
// panics when the broken record has no field yet.
func TestReadEventsQuoteErrorInFirstField(t *testing.T) {
	m, hasRegion := fuzzMap()
	for _, raw := range []string{
		"region,fACtion,dAte,sourCe,note\n\"0", // FuzzReadEvents' crasher
		"region,faction,date,source,note,confidence\nA,reb,2021-03-01,https://example.org/a,,\n\"A\"x,reb,2021-03-02,https://example.org/b,,\n",
	} {
		t.Run(fmt.Sprintf("%.20q", raw[strings.LastIndex(raw[:len(raw)-1], "\n")+1:]), func(t *testing.T) {
			_, err := ReadEvents(strings.NewReader(raw), m, hasRegion)
			var invalid *InvalidError
			if !errors.As(err, &invalid) || !strings.Contains(invalid.Msg, "line ") {
				t.Errorf("ReadEvents = %v, want a problem naming the line", err)
			}
		})
	}
}
