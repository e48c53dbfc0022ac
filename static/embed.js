// Frontline embed page: tells the parent page its height with NPR's Pym.js protocol, which
// newsroom CMSes already speak, so the iframe fits its content at any width.
if (window.pym) {
  // Polling catches the late growth when the map's shapes and the legend settle.
  new window.pym.Child({ polling: 500 });
}
