-- Schema version 6: the audit trail of every write, and the councils a stored forecast run covers.

CREATE TABLE audit_log (
    event_id       VARCHAR   NOT NULL PRIMARY KEY,
    occurred_at    TIMESTAMP NOT NULL,  -- UTC, when the call finished
    key_name       VARCHAR   NOT NULL,  -- the configured name of the caller's API key
    role           VARCHAR   NOT NULL,
    method         VARCHAR   NOT NULL,  -- e.g. forecasting.v1.DataService/Import
    council_code   VARCHAR,             -- the council the call named, if any
    target         VARCHAR,             -- ids written: import, snapshot, scenario, result, run
    outcome        VARCHAR   NOT NULL,  -- OK or a gRPC status code name
    detail         VARCHAR,             -- the status message of a failed call
    seconds        DOUBLE    NOT NULL,
    correlation_id VARCHAR   NOT NULL   -- matches the server log
);

-- Councils whose data a run forecast, comma-separated; NULL = every council (runs made before keys were scoped).
ALTER TABLE forecast_runs ADD COLUMN council_codes VARCHAR;
