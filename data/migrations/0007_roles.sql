-- Roles: an admin manages users and maps and may edit every map; an editor edits only the
-- maps granted to them. A disabled user keeps their name on what they wrote but cannot
-- sign in, and has no sessions.
ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'editor' CHECK (role IN ('admin', 'editor'));
ALTER TABLE users ADD COLUMN disabled_at TEXT;

-- Grants name the map by slug, not by its row: `import --replace` deletes the map's row and
-- writes a new one, and the editors of a map must keep it.
CREATE TABLE grants (
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    map_slug   TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, map_slug)
) WITHOUT ROWID;
CREATE INDEX grants_map ON grants (map_slug);

-- Before roles every editor could edit every map: they keep the maps there are, and no more.
INSERT INTO grants (user_id, map_slug, created_at)
    SELECT u.id, m.slug, strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM users u, maps m;

-- User names are compared as typed at sign-in once normalised (lower case): lower the ones
-- that can be, leaving names that differ only by case as they are for an admin to settle.
UPDATE users SET name = lower(name)
    WHERE name <> lower(name)
    AND NOT EXISTS (SELECT 1 FROM users o WHERE o.id <> users.id AND lower(o.name) = lower(users.name));

-- An archived map leaves the lists of maps (the index, /api/maps); its pages, embeds and
-- pictures still answer, so that what was published keeps working.
ALTER TABLE maps ADD COLUMN archived_at TEXT;
