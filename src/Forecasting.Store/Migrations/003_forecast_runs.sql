-- Forecast runs: every forecast or refresh is kept whole (as the contract's JSON form) and never overwritten.
CREATE TABLE forecast_runs (
    run_id       VARCHAR   NOT NULL PRIMARY KEY,
    kind         VARCHAR   NOT NULL,  -- forecast or refresh
    created_at   TIMESTAMP NOT NULL,
    snapshot_id  VARCHAR,
    requested_by VARCHAR   NOT NULL,
    series_count INTEGER   NOT NULL,
    seconds      DOUBLE    NOT NULL,
    run_json     VARCHAR   NOT NULL
);
