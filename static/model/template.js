// Filling the server's text templates, with no DOM. The server (web/links.go, fillTemplate)
// fills the same templates for the page it renders and hands them to the browser in the
// page data, so the wording and the URLs live on the server and the script only fills in
// values: a date for a link (static/model/links.js), counts for the summary sentence
// (static/model/summary.js).

const PLACEHOLDER = /\{([A-Za-z]+)\}/g;

/**
 * The template with each {name} replaced by values[name], in one pass: a value that itself
 * holds "{date}" (a faction named "{date} Brigade") is left as it is. A {name} with no value
 * stays in the text.
 */
export function fillTemplate(template, values) {
  return String(template ?? '').replace(PLACEHOLDER, (whole, name) =>
    Object.hasOwn(values, name) ? String(values[name]) : whole);
}
