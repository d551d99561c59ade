-- Schema version 14: weekly costs a council states for settings its services data does not price (inpatient beds,
-- temporary accommodation, displaced need) or prices differently. Optional; a scenario's weekly_costs lever overrides them.

CREATE TABLE cost_assumptions (
    council_code VARCHAR NOT NULL,
    setting      VARCHAR NOT NULL,  -- a cost setting (Forecasting.Planning CostSettings.All)
    client_group VARCHAR NOT NULL,  -- a client group, or 'all'
    weekly_cost  DOUBLE  NOT NULL,  -- GBP a week at the prices of valid_from's financial year
    source       VARCHAR NOT NULL,  -- where the figure comes from, in words a reader can check
    valid_from   DATE    NOT NULL   -- in force from this date until a later row of the same setting and group
);
