-- Schema version 7: targets of a strategy version per client group, annual or for the whole period.
-- A version without rows here is targeted by its phases alone (all client groups, or the strategy's client_group).

CREATE TABLE strategy_targets (
    council_code VARCHAR NOT NULL,
    strategy_id  VARCHAR NOT NULL,
    version      INTEGER NOT NULL,
    client_group VARCHAR NOT NULL,  -- a client group, or 'all' for an all-groups annual target
    fy           INTEGER,           -- the financial year of an annual target; NULL = over the whole strategy period, accrued per year
    unit_target  INTEGER NOT NULL   -- units to deliver in that year (or period)
);
