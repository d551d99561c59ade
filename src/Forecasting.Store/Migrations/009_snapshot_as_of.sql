-- Schema version 9: every snapshot states the as-of date of its import: the date the data run to, given
-- by the caller (at most the day of the import) or, when none is given, the UTC date of the import. Rows
-- dated after it are refused by the import (planned dates excepted), and every answer's default period ends
-- at it, never at the latest row (DataImporter, AnalyticsQueries, PlanningDataLoader).
ALTER TABLE snapshots ADD COLUMN as_of_date DATE;

-- Snapshots recorded before this version were measured from the UTC date of their import.
UPDATE snapshots SET as_of_date = CAST(created_at AS DATE);
