-- A map's revision changes with every change to its events, so caches of its state (in
-- this process or any other) can tell at the cost of one lookup whether they are current.
-- Triggers keep it right whichever code path writes.
ALTER TABLE maps ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER events_insert_revision AFTER INSERT ON events
BEGIN
    UPDATE maps SET revision = revision + 1 WHERE id = NEW.map_id;
END;

CREATE TRIGGER events_update_revision AFTER UPDATE OF retracted_at, superseded_by ON events
BEGIN
    UPDATE maps SET revision = revision + 1 WHERE id = NEW.map_id;
END;

-- Region histories read every revision of a region, live or not; the subquery that finds
-- the correction of an event looks events up by superseded_by.
CREATE INDEX events_region_date ON events (map_id, region_id, date, id);
CREATE INDEX events_superseded_by ON events (superseded_by) WHERE superseded_by IS NOT NULL;
