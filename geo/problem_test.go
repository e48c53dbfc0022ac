package geo

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestSayAsCatalogued holds every say in geo's code to ProblemEnglish: its format, each
// verb read as the placeholder its value fills, is the catalogue's English word for word,
// so that the command line's English (the format's) and a page's (the catalogue's, through
// web/i18n) cannot drift apart; and every message of the catalogue is said somewhere or
// is a repair's.
func TestSayAsCatalogued(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	verb := regexp.MustCompile(`%[sdv]`)
	said := map[string]bool{}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if fn, ok := call.Fun.(*ast.Ident); !ok || fn.Name != "say" {
				return true
			}
			at := fset.Position(call.Pos())
			literal := func(i int) string {
				lit, ok := call.Args[i].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					t.Errorf("%s: say's argument %d is not a string literal", at, i)
					return ""
				}
				s, _ := strconv.Unquote(lit.Value)
				return s
			}
			id, format := literal(0), literal(1)
			var names []string
			for i := 2; i < len(call.Args); i += 2 {
				names = append(names, literal(i))
			}
			if n := len(verb.FindAllString(format, -1)); n != len(names) || strings.Count(format, "%") != n {
				t.Errorf("%s: %s's format %q has %d verbs (only %%s, %%d, %%v) for %d values", at, id, format, n, len(names))
				return true
			}
			k := 0
			got := verb.ReplaceAllStringFunc(format, func(string) string { k++; return "{" + names[k-1] + "}" })
			if want, ok := ProblemEnglish[id]; !ok {
				t.Errorf("%s: %s is not in ProblemEnglish", at, id)
			} else if got != want {
				t.Errorf("%s: %s's format reads %q, ProblemEnglish %q", at, id, got, want)
			}
			said[id] = true
			return true
		})
	}
	for _, what := range repairOrder {
		id, ok := repairIDs[what]
		if !ok || ProblemEnglish[id] != what {
			t.Errorf("repair %q has the id %q, whose English is %q", what, id, ProblemEnglish[id])
		}
		said[id] = true
	}
	for id := range ProblemEnglish {
		if !said[id] {
			t.Errorf("%s is in ProblemEnglish but said nowhere", id)
		}
	}
}
