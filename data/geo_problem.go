package data

import (
	"strings"

	"github.com/frontline-maps/frontline/geo"
)

// GeoProblem is geo's message m (a layer's problem, a kind of repair) as a Problem: the
// same id and values, its inner messages converted too, so that web/i18n's catalogues word
// it as they word data's own problems, through the one Fill, and String reads
// geo.ProblemEnglish.
func GeoProblem(m geo.Message) Problem {
	p := Problem{ID: m.ID, Args: make(map[string]any, len(m.Args))}
	for name, v := range m.Args {
		if inner, ok := v.(geo.Message); ok {
			v = GeoProblem(inner)
		}
		p.Args[name] = v
	}
	return p
}

// geoInvalid is a layer's problems, each line named with the file's name, as an
// *InvalidError: its Msg geo's own English (the command line's, unchanged), its Problems
// the same lines for a page to word in its language.
func geoInvalid(file string, problems geo.Problems) *InvalidError {
	report := problems.Report()
	ps := make([]Problem, len(report))
	lines := make([]string, len(report))
	for i, m := range report {
		ps[i] = P("ProblemInFile", "file", file, "problem", GeoProblem(m))
		lines[i] = file + ": " + m.Msg
	}
	return &InvalidError{Msg: strings.Join(lines, "\n"), Problems: ps}
}
