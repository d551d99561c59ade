-- Schema version 8: the long-term support and performance domains councils report each quarter
-- (Domain/docs/measures.md, "What performance papers report"), the comparator values they benchmark against and versioned measure targets.
-- Import/TableSchemas.cs holds the allowed values, keys and cross-row rules; the measures over these
-- tables are in Analytics/MeasureCatalog.cs.

-- One row per service episode of a person on long-term support. Caseload at a date = people with an
-- open episode; spend = weekly_cost for each day of the episode / 7.
CREATE TABLE services (
    council_code           VARCHAR NOT NULL,
    service_id             VARCHAR NOT NULL,
    person_id              VARCHAR NOT NULL,
    service_type           VARCHAR NOT NULL,  -- home_care, residential, nursing, supported_living, extra_care,
                                              -- shared_lives, day_care, direct_payment, other_community
    start_date             DATE    NOT NULL,
    end_date               DATE,              -- NULL = open; the episode covers start_date to the day before end_date
    planned_hours_per_week DOUBLE,            -- home care only
    weekly_cost            DOUBLE  NOT NULL,  -- GBP per week
    funding                VARCHAR NOT NULL,  -- council_managed, individual_service_fund, direct_payment, joint_nhs
    psr                    VARCHAR,
    age_band               VARCHAR NOT NULL,  -- 18-24, 25-64, 65-74, 75-84, 85+ at the start of the episode
    accommodation_status   VARCHAR,           -- ASCOF 1G: own_home_or_family, supported_living, residential, other
    locality               VARCHAR
);

-- Requests for a Care Act assessment. Waiting at a date = received and not completed; waiting for allocation =
-- received and not yet allocated to a named worker; waiting for a package = found eligible and support not yet begun.
CREATE TABLE assessments (
    council_code   VARCHAR NOT NULL,
    assessment_id  VARCHAR NOT NULL,
    person_id      VARCHAR NOT NULL,
    received_date  DATE    NOT NULL,
    allocated_date DATE,                      -- allocated to a named worker; NULL = waiting for allocation
    start_date     DATE,
    completed_date DATE,
    outcome        VARCHAR,                   -- eligible, not_eligible, withdrawn; NULL while open
    support_start_date DATE,                  -- eligible: the day the support began; NULL = waiting for a package
    priority       VARCHAR NOT NULL,          -- urgent, high, standard
    age_band       VARCHAR,
    psr            VARCHAR
);

-- Reviews of long-term support plans: due and completed dates.
CREATE TABLE reviews (
    council_code   VARCHAR NOT NULL,
    review_id      VARCHAR NOT NULL,
    person_id      VARCHAR NOT NULL,
    due_date       DATE    NOT NULL,
    completed_date DATE
);

-- Reablement episodes; status_91_days is where a person discharged from hospital into reablement
-- was 91 days after the episode ended (ASCOF 2B(1)); outcome is what followed (ASCOF 2D).
CREATE TABLE reablement (
    council_code   VARCHAR NOT NULL,
    episode_id     VARCHAR NOT NULL,
    person_id      VARCHAR NOT NULL,
    start_date     DATE    NOT NULL,
    end_date       DATE,
    source         VARCHAR NOT NULL,          -- hospital_discharge, community
    age_band       VARCHAR NOT NULL,
    outcome        VARCHAR,                   -- no_further_support, ongoing_low_level, long_term_community,
                                              -- long_term_residential, deceased, other
    status_91_days VARCHAR                    -- at_home, residential, hospital, deceased; NULL = not yet known
);

-- Hospital discharge referrals: delay = days from the decision that the person is ready to leave to discharge.
CREATE TABLE discharges (
    council_code   VARCHAR NOT NULL,
    discharge_id   VARCHAR NOT NULL,
    person_id      VARCHAR NOT NULL,
    referral_date  DATE    NOT NULL,
    decision_date  DATE    NOT NULL,
    discharge_date DATE,
    pathway        INTEGER NOT NULL,          -- 0 home without new support ... 3 care home
    age_band       VARCHAR NOT NULL
);

-- Deprivation of Liberty Safeguards applications.
CREATE TABLE dols (
    council_code   VARCHAR NOT NULL,
    application_id VARCHAR NOT NULL,
    person_id      VARCHAR NOT NULL,
    received_date  DATE    NOT NULL,
    allocated_date DATE,
    completed_date DATE,
    outcome        VARCHAR,                   -- authorised, not_granted, withdrawn
    age_band       VARCHAR
);

-- Safeguarding concerns; a concern with an enquiry_start_date led to a section 42 enquiry.
CREATE TABLE safeguarding (
    council_code       VARCHAR NOT NULL,
    concern_id         VARCHAR NOT NULL,
    person_id          VARCHAR NOT NULL,
    concern_date       DATE    NOT NULL,
    enquiry_start_date DATE,
    enquiry_end_date   DATE,
    risk_outcome       VARCHAR,               -- removed, reduced, remains
    age_band           VARCHAR
);

-- Budget and outturn by service line and financial year (GBP). An open year has a forecast outturn.
CREATE TABLE budgets (
    council_code     VARCHAR NOT NULL,
    fy               INTEGER NOT NULL,        -- starting year: 2024 = 2024/25
    service_line     VARCHAR NOT NULL,
    budget           DOUBLE  NOT NULL,
    outturn          DOUBLE,
    forecast_outturn DOUBLE
);

-- Published comparator values of a measure: peer councils, the region, England and quartile boundaries.
CREATE TABLE benchmarks (
    council_code    VARCHAR NOT NULL,         -- the council these comparators are for
    measure         VARCHAR NOT NULL,
    fy              INTEGER NOT NULL,
    comparator_type VARCHAR NOT NULL,         -- council, region, england, quartile
    comparator_code VARCHAR NOT NULL,         -- a council or region code, 'england', or lower_quartile / median / upper_quartile
    comparator_name VARCHAR NOT NULL,
    value           DOUBLE  NOT NULL,
    source          VARCHAR NOT NULL
);

-- Versioned targets of a measure for a financial year; the latest version is current, earlier ones say
-- what the target was and why it changed.
CREATE TABLE measure_targets (
    council_code VARCHAR   NOT NULL,
    measure      VARCHAR   NOT NULL,
    fy           INTEGER   NOT NULL,
    version      INTEGER   NOT NULL,
    target       DOUBLE    NOT NULL,
    amber_margin DOUBLE    NOT NULL,          -- within this distance on the wrong side of the target is amber
    created_at   TIMESTAMP NOT NULL,
    author       VARCHAR   NOT NULL,
    reason       VARCHAR   NOT NULL
);
