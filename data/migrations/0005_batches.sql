-- Events recorded together (one form with several regions, one spreadsheet import) share
-- their author and creation time: that pair is a batch, which an editor may retract in one
-- go. This index finds a batch's events, and serves the change list's newest-first order.
CREATE INDEX events_created ON events (map_id, created_at, author);
