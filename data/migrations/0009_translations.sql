-- Languages: a map's language (locale, the reader's default), its calendar ('' or
-- 'gregorian', or 'persian' for Solar Hijri dates beside the Gregorian ones), and the
-- translations map.json gave its title, description and factions' names, as JSON objects
-- {"lang": "text"} ('' when it gave a plain string), so that export writes back what came in.
ALTER TABLE maps ADD COLUMN locale TEXT NOT NULL DEFAULT '';
ALTER TABLE maps ADD COLUMN calendar TEXT NOT NULL DEFAULT '';
ALTER TABLE maps ADD COLUMN title_i18n TEXT NOT NULL DEFAULT '';
ALTER TABLE maps ADD COLUMN description_i18n TEXT NOT NULL DEFAULT '';
ALTER TABLE factions ADD COLUMN name_i18n TEXT NOT NULL DEFAULT '';
