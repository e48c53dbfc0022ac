-- A map's context: the countries and coasts around it, drawn quietly under its regions,
-- already clipped to its surroundings and simplified at import (geo.ClipContext), as the
-- GeoJSON FeatureCollection served. A table of its own keeps the maps row small, since
-- every page reads that row and only the map's drawing reads this one.
CREATE TABLE map_context (
    map_id  INTEGER PRIMARY KEY REFERENCES maps(id) ON DELETE CASCADE,
    geojson TEXT NOT NULL
);
