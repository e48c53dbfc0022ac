// The links that follow the date on the slider, with no DOM. The server builds every such
// link once, as a template whose date is DATE_PLACEHOLDER (web/links.go, newMapLinks), fills
// it for the page it renders, and hands the templates to the browser: the page data's
// `links`, and data-*-template attributes on the elements static/share.js rewrites. Nothing
// here parses a URL, so a slug holding a date (ukraine-2022-02-24) stays as it is.
// Golden cases: testdata/rules/links.json.

import { fillTemplate } from './template.js';

/** What stands for the date in a link template. */
export const DATE_PLACEHOLDER = '{date}';

/**
 * The link for date (YYYY-MM-DD) from its template, compared with compare (a date, or ''
 * for none): the templates of the links that carry a comparison hold {compare}, which fills
 * to nothing or to "&compare=D0" (web/links.go, compareQuery).
 */
export function linkAt(template, date, compare = '') {
  return fillTemplate(template, { date, compare: compare ? `&compare=${compare}` : '' });
}

/** Every link of a set of templates ({page, csv, …}) for date and compare. */
export function linksAt(templates, date, compare = '') {
  return Object.fromEntries(Object.entries(templates ?? {}).map(([name, t]) => [name, linkAt(t, date, compare)]));
}
