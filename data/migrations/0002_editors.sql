-- Editors, their sign-in sessions, and the revision history of events.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    -- bcrypt: slow and salted; the password itself is never stored.
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL
);

-- The cookie holds a random token; only its SHA-256 is stored, so a leaked database does
-- not hand out live sessions.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    last_seen  TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- An event is live until it is retracted or superseded; neither deletes it.
ALTER TABLE events ADD COLUMN retracted_at TEXT;
ALTER TABLE events ADD COLUMN retracted_by TEXT;
ALTER TABLE events ADD COLUMN retract_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN superseded_by INTEGER REFERENCES events(id);

-- The state query reads only live events; a partial index keeps dead revisions out of its way.
DROP INDEX events_region_date;
CREATE INDEX events_live_region_date ON events (map_id, region_id, date, id)
    WHERE retracted_at IS NULL AND superseded_by IS NULL;
CREATE INDEX events_map_created ON events (map_id, created_at);
