package web

import (
	"context"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/frontline-maps/frontline/data"
)

// themes are the values of ?theme= (the contract's reader options): "auto", the default,
// follows the reader's prefers-color-scheme; "light" and "dark" pin one.
var themes = []string{"auto", "light", "dark"}

type themeKey struct{}

// withTheme reads ?theme= into the request's context for the layouts (themeOf), which set
// it as <html data-theme>; style.css draws both from one set of custom properties. A value
// not in themes is a 400 naming them, before the handler runs, so it changes nothing.
func withTheme(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		theme, err := themeParam(c.QueryParam("theme"))
		if err != nil {
			return err
		}
		r := c.Request()
		c.SetRequest(r.WithContext(context.WithValue(r.Context(), themeKey{}, theme)))
		return next(c)
	}
}

// themeParam checks a ?theme= value; "" is "auto".
func themeParam(v string) (string, error) {
	if v == "" {
		return "auto", nil
	}
	for _, t := range themes {
		if v == t {
			return v, nil
		}
	}
	return "", invalidWords(data.P("ThemeNot", "value", strconv.Quote(v), "themes", strings.Join(themes, ", ")))
}

// themeOf is the page's theme: "auto" outside the routes that read one (error pages of a
// bad ?theme= included).
func themeOf(ctx context.Context) string {
	if t, _ := ctx.Value(themeKey{}).(string); t != "" {
		return t
	}
	return "auto"
}
