-- Schema version 12: refused calls are summarised (one audit event per key, method and minute with its count), and a
-- validation report records the councils it may be shown for.

-- How many calls one event stands for: 1 for a recorded write; the count for a summary of refused calls.
ALTER TABLE audit_log ADD COLUMN calls BIGINT DEFAULT 1;

-- The councils of the importing key, or of the rows a key of every council imported; NULL = shown only to keys of every council.
ALTER TABLE import_reports ADD COLUMN council_codes VARCHAR[];
