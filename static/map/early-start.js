// The early script as a page carries it inline (web/bundle.go bundles this file): ./early.js
// started at once, before the first frame, and the page's modules loaded after that frame.
// ./early.js itself starts nothing, so that ./start.js and node --test may import it.

import { loadModulesLater, startEarly } from './early.js';

startEarly(document);
loadModulesLater(document);
