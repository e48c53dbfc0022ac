-- The in-memory timeline of a map catches up with edits by reading only what changed since
-- the revision it was read at: recorded events by their ids, which only grow, and events
-- that stopped being live by the revision at which they did, which ended_revision records.
ALTER TABLE events ADD COLUMN ended_revision INTEGER;

-- Set by the trigger that counts the revision, so that whichever process or code path
-- retracts or supersedes an event leaves the same trace.
DROP TRIGGER events_update_revision;
CREATE TRIGGER events_update_revision AFTER UPDATE OF retracted_at, superseded_by ON events
BEGIN
    UPDATE maps SET revision = revision + 1 WHERE id = NEW.map_id;
    -- Only a live event that ends: any other update still counts as a revision but leaves
    -- no trace, so a reader finds fewer changes than revisions and reloads in full.
    UPDATE events SET ended_revision = (SELECT revision FROM maps WHERE id = NEW.map_id)
    WHERE id = NEW.id AND OLD.retracted_at IS NULL AND OLD.superseded_by IS NULL
        AND (NEW.retracted_at IS NOT NULL OR NEW.superseded_by IS NOT NULL);
END;

CREATE INDEX events_ended_revision ON events (map_id, ended_revision) WHERE ended_revision IS NOT NULL;
