-- Schema version 13: the prevalence cross-check's data, which a council can replace with its own figures.

-- Prevalence of a condition in an age band of the council's population (POPPI/PANSI style), feeding one client group.
CREATE TABLE prevalence_rates (
    council_code VARCHAR NOT NULL,
    client_group VARCHAR NOT NULL,   -- the planning client group the condition's need falls to
    condition    VARCHAR NOT NULL,   -- e.g. learning_disability, autism_without_learning_disability, dementia
    age_band     VARCHAR NOT NULL,   -- an adult band of population.csv: 18-24, 25-64, 65-74, 75-84, 85+
    rate         DOUBLE  NOT NULL,   -- people with the condition per 100 or per 1,000 of the band (unit)
    unit         VARCHAR NOT NULL,   -- per_100 or per_1000
    source       VARCHAR NOT NULL
);

-- Planning ratios: the share of a client group's prevalent population that needs a supported-living or extra-care
-- unit (unit_need_share, 0-1, per client group), and extra-care units per 1,000 people aged 75+
-- (extra_care_units_per_1000_75plus, the Housing LIN method; no client group).
CREATE TABLE accommodation_benchmarks (
    council_code VARCHAR NOT NULL,
    measure      VARCHAR NOT NULL,
    client_group VARCHAR,
    value        DOUBLE  NOT NULL,
    source       VARCHAR NOT NULL
);
