-- Maps, their factions, regions and the events that move control between factions.
CREATE TABLE maps (
    id            INTEGER PRIMARY KEY,
    slug          TEXT NOT NULL UNIQUE,
    title         TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    attribution   TEXT NOT NULL DEFAULT '',
    start_date    TEXT NOT NULL,
    end_date      TEXT NOT NULL,
    default_date  TEXT NOT NULL,
    initial       TEXT NOT NULL,
    id_property   TEXT NOT NULL DEFAULT '',
    name_property TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL
);

CREATE TABLE factions (
    map_id   INTEGER NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
    id       TEXT NOT NULL,
    name     TEXT NOT NULL,
    color    TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (map_id, id)
);

CREATE TABLE regions (
    map_id     INTEGER NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
    id         TEXT NOT NULL,
    name       TEXT NOT NULL,
    capital    TEXT NOT NULL DEFAULT '',
    population INTEGER NOT NULL DEFAULT 0,
    -- The region's geometry as RFC 7946 GeoJSON, already validated and simplified.
    geometry   TEXT NOT NULL,
    position   INTEGER NOT NULL,
    PRIMARY KEY (map_id, id)
);

-- Events are never deleted: later migrations add retraction and supersession as new rows
-- and columns. The rowid is the recording order, which breaks ties between events on one date.
CREATE TABLE events (
    id         INTEGER PRIMARY KEY,
    map_id     INTEGER NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
    region_id  TEXT NOT NULL,
    faction_id TEXT NOT NULL,
    date       TEXT NOT NULL,
    source     TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    confidence TEXT NOT NULL CHECK (confidence IN ('confirmed', 'claimed')),
    author     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    FOREIGN KEY (map_id, region_id) REFERENCES regions(map_id, id) ON DELETE CASCADE,
    FOREIGN KEY (map_id, faction_id) REFERENCES factions(map_id, id) ON DELETE CASCADE
);

-- The state query seeks, per region, the latest event on or before a date.
CREATE INDEX events_region_date ON events (map_id, region_id, date, id);
CREATE INDEX events_map_date ON events (map_id, date, id);
