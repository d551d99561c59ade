-- Schema version 2: what-if scenarios and their results for strategy planning. Rows are only ever inserted:
-- an update is a new revision and a delete is a new revision with deleted = true, so every revision stays
-- readable and an old result can be traced to the exact levers that made it. New strategy versions created
-- through the API are rows in strategies / strategy_phases (schema version 1).

CREATE TABLE planning_scenarios (
    council_code VARCHAR   NOT NULL,
    scenario_id  VARCHAR   NOT NULL,
    revision     INTEGER   NOT NULL,
    name         VARCHAR   NOT NULL,
    description  VARCHAR,
    levers_json  VARCHAR   NOT NULL,  -- ScenarioLevers in snake_case JSON (the planning.proto field names)
    author       VARCHAR   NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    deleted      BOOLEAN   NOT NULL,
    PRIMARY KEY (scenario_id, revision)
);

CREATE TABLE planning_scenario_results (
    result_id         VARCHAR   NOT NULL PRIMARY KEY,
    council_code      VARCHAR   NOT NULL,
    scenario_id       VARCHAR,            -- NULL = the baseline (no levers)
    scenario_revision INTEGER,
    snapshot_id       VARCHAR,            -- data snapshot the baseline was loaded from
    forecast_run_id   VARCHAR   NOT NULL, -- hash of the engine, the flow histories and the horizon
    seed              BIGINT    NOT NULL,
    draws             INTEGER   NOT NULL,
    created_at        TIMESTAMP NOT NULL,
    result_json       VARCHAR   NOT NULL  -- PlanningResult in snake_case JSON
);
