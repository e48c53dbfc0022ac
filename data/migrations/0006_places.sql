-- Places (cities, towns, bases) are points that hold a faction as regions do, and events
-- name either in region_id. They live in the regions table so that events' foreign key,
-- the id space shared with regions, and the one state rule (the timeline) cover them with
-- no second copy; every query for regions alone says place = 0. A place's geometry is its
-- GeoJSON Point.
ALTER TABLE regions ADD COLUMN place INTEGER NOT NULL DEFAULT 0;
ALTER TABLE regions ADD COLUMN kind TEXT NOT NULL DEFAULT '';
