// The light map's date controls shown as they stay (./early.js's showControls), inline right
// after the page's form (web/bundle.go bundles this file): before the map is parsed, so that
// the first frame, which may come before ./early-start.js runs, shows them as they stay.

import { showControls } from './early.js';

showControls(document);
