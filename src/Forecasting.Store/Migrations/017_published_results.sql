-- Schema version 17: published planning results. An analyst or strategy lead publishes a stored result as the council's
-- figures; the pages, the committee report and the downloads show the council's latest publication, so an ad-hoc run
-- never moves them. Rows are only ever inserted (every publication is kept, so a report can be produced for any past
-- one); a published result is never trimmed from planning_scenario_results.

CREATE TABLE published_results (
    publication_id VARCHAR   NOT NULL PRIMARY KEY,
    result_id      VARCHAR   NOT NULL,
    council_code   VARCHAR   NOT NULL,
    scenario_id    VARCHAR,            -- NULL = the baseline
    label          VARCHAR   NOT NULL,
    published_by   VARCHAR   NOT NULL, -- the key's name
    published_at   TIMESTAMP NOT NULL
);
