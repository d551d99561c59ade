-- Schema version 1: the four data domains of adult social care planning, plus population,
-- localities and strategies. Every row carries council_code (an ONS-style local authority
-- code) so one store can hold one council, a region or all of England.
-- Codes are lower-case snake_case. Import/TableSchemas.cs holds the allowed values and the keys;
-- the importer validates both before rows reach these tables, so the data tables carry no
-- index constraints (which would make the replace-by-council swap slow).

CREATE TABLE councils (
    council_code VARCHAR NOT NULL,
    name         VARCHAR NOT NULL,
    region       VARCHAR NOT NULL
);

-- Locality codes change over time (a ward review renames or merges areas); replaced_by
-- lets analytics map a retired code onto its successor.
CREATE TABLE localities (
    council_code  VARCHAR NOT NULL,
    locality_code VARCHAR NOT NULL,
    name          VARCHAR NOT NULL,
    valid_from    DATE    NOT NULL,
    valid_to      DATE,
    replaced_by   VARCHAR
);

-- Front-door contacts: one row per contact.
CREATE TABLE contacts (
    council_code       VARCHAR NOT NULL,
    contact_id         VARCHAR NOT NULL,
    contact_date       DATE    NOT NULL,
    route              VARCHAR NOT NULL,  -- community, hospital_discharge, hospital_diversion, transition, prison
    channel            VARCHAR NOT NULL,  -- phone, online, email, professional_referral
    age_band           VARCHAR,           -- 18-24, 25-64, 65-74, 75-84, 85+; NULL = not specified
    psr                VARCHAR,           -- primary support reason; NULL = not specified
    locality           VARCHAR,
    outcome            VARCHAR NOT NULL,  -- information_advice, no_further_action, short_term_support,
                                          -- long_term_support, ongoing_low_level, nhs_funded, deceased
    repeat_within_12m  BOOLEAN NOT NULL
);

-- Permanent admissions to residential or nursing care. Rows dated before the history
-- window are the opening stock of residents, so stock at any date = admitted and not left.
CREATE TABLE admissions (
    council_code        VARCHAR NOT NULL,
    admission_id        VARCHAR NOT NULL,
    person_id           VARCHAR NOT NULL,
    admission_date      DATE    NOT NULL,
    setting             VARCHAR NOT NULL,  -- residential, nursing
    age_at_admission    INTEGER NOT NULL,
    psr                 VARCHAR,
    locality            VARCHAR,
    funding             VARCHAR NOT NULL,  -- council, former_self_funder
    source              VARCHAR NOT NULL,  -- hospital, community
    step_down_candidate BOOLEAN NOT NULL,  -- assessed as able to live more independently
    PRIMARY KEY (council_code, admission_id)
);

CREATE TABLE leavers (
    council_code VARCHAR NOT NULL,
    admission_id VARCHAR NOT NULL,
    leave_date   DATE    NOT NULL,
    reason       VARCHAR NOT NULL,  -- deceased, moved_to_supported_living, self_funding, nhs_funded, community_support
    PRIMARY KEY (council_code, admission_id)
);

-- Young people known to children's services or SEND teams likely to need adult support.
CREATE TABLE transitions (
    council_code      VARCHAR NOT NULL,
    young_person_id   VARCHAR NOT NULL,
    date_of_birth     DATE    NOT NULL,
    primary_need      VARCHAR NOT NULL,  -- learning_disability, autism, pmld, mental_health, physical
    predicted_setting VARCHAR NOT NULL,  -- family_home, supported_living, residential, shared_lives
    locality          VARCHAR,
    out_of_area       BOOLEAN NOT NULL,
    likelihood        DOUBLE  NOT NULL,  -- probability of becoming an adult social care client, 0-1
    recorded_date     DATE    NOT NULL
);

CREATE TABLE schemes (
    council_code      VARCHAR NOT NULL,
    scheme_id         VARCHAR NOT NULL,
    name              VARCHAR NOT NULL,
    category          VARCHAR NOT NULL,  -- supported_living, shared_house, extra_care
    client_group      VARCHAR NOT NULL,  -- ld_autism, mental_health, physical_sensory, older_dementia, complex_needs
    locality          VARCHAR,
    in_area           BOOLEAN NOT NULL,
    owner             VARCHAR NOT NULL,  -- council, rsl, private
    provider          VARCHAR NOT NULL,
    design            VARCHAR NOT NULL,  -- self_contained, shared, core_and_cluster
    opened_date       DATE    NOT NULL,
    decommission_date DATE,              -- planned or actual closure
    PRIMARY KEY (council_code, scheme_id)
);

CREATE TABLE units (
    council_code VARCHAR NOT NULL,
    unit_id      VARCHAR NOT NULL,
    scheme_id    VARCHAR NOT NULL
);

-- Status history: a unit is in exactly one status from valid_from until valid_to (exclusive);
-- valid_to NULL = current.
CREATE TABLE unit_status (
    council_code VARCHAR NOT NULL,
    unit_id      VARCHAR NOT NULL,
    status       VARCHAR NOT NULL,  -- occupied, void, offline
    valid_from   DATE    NOT NULL,
    valid_to     DATE
);

CREATE TABLE tenancies (
    council_code VARCHAR NOT NULL,
    tenancy_id   VARCHAR NOT NULL,
    unit_id      VARCHAR NOT NULL,
    person_id    VARCHAR NOT NULL,
    start_date   DATE    NOT NULL,
    end_date     DATE,
    end_reason   VARCHAR,           -- deceased, moved_on, residential, other
    PRIMARY KEY (council_code, tenancy_id)
);

CREATE TABLE pipeline (
    council_code   VARCHAR NOT NULL,
    pipeline_id    VARCHAR NOT NULL,
    name           VARCHAR NOT NULL,
    units          INTEGER NOT NULL,
    category       VARCHAR NOT NULL,
    client_group   VARCHAR NOT NULL,
    design         VARCHAR NOT NULL,
    in_area        BOOLEAN NOT NULL,
    expected_date  DATE    NOT NULL,
    strategy_phase VARCHAR,
    status         VARCHAR NOT NULL,  -- delivered, confirmed, in_procurement, reasonable_confidence,
                                      -- in_discussion, identified, failed
    status_date    DATE    NOT NULL,  -- when the status was last reviewed
    PRIMARY KEY (council_code, pipeline_id)
);

CREATE TABLE waiting_list (
    council_code   VARCHAR NOT NULL,
    person_id      VARCHAR NOT NULL,
    date_added     DATE    NOT NULL,
    client_group   VARCHAR NOT NULL,
    preference     VARCHAR NOT NULL,  -- self_contained, shared, no_preference
    age_band       VARCHAR NOT NULL,  -- under_18, 18-20, 21-24, 25-64, 65+
    date_removed   DATE,
    removal_reason VARCHAR,           -- housed, withdrawn, deceased, other
    PRIMARY KEY (council_code, person_id, date_added)
);

-- Demand cohorts beyond the waiting list (Domain/docs/planning-model.md, "Demand cohorts"): people leaving inpatient or
-- assessment units, people in temporary accommodation, people 55+ awaiting extra care.
CREATE TABLE accommodation_needs (
    council_code    VARCHAR NOT NULL,
    person_id       VARCHAR NOT NULL,
    cohort          VARCHAR NOT NULL,  -- inpatient, temporary_accommodation, older_awaiting_extra_care
    client_group    VARCHAR NOT NULL,
    date_identified DATE    NOT NULL,
    needed_by       DATE    NOT NULL,
    date_met        DATE
);

-- Population by mid-year, age band and variant. A (source, variant) pair is a versioned
-- denominator: rates always report which one they used.
CREATE TABLE population (
    council_code VARCHAR NOT NULL,
    year         INTEGER NOT NULL,  -- mid-year (30 June)
    age_band     VARCHAR NOT NULL,  -- 0-17, 18-24, 25-64, 65-74, 75-84, 85+
    variant      VARCHAR NOT NULL,  -- estimate, low, principal, high
    source       VARCHAR NOT NULL,  -- e.g. ONS MYE 2024, ONS 2022-based SNPP
    population   INTEGER NOT NULL
);

-- Strategies are versioned: a re-based target is a new version with an author and a reason.
CREATE TABLE strategies (
    council_code VARCHAR NOT NULL,
    strategy_id  VARCHAR NOT NULL,
    version      INTEGER NOT NULL,
    name         VARCHAR NOT NULL,
    start_fy     INTEGER NOT NULL,  -- first financial year, by its starting calendar year (2021 = 2021/22)
    end_fy       INTEGER NOT NULL,  -- last financial year, inclusive
    client_group VARCHAR,           -- NULL = all client groups
    created_at   TIMESTAMP NOT NULL,
    author       VARCHAR NOT NULL,
    reason       VARCHAR NOT NULL
);

CREATE TABLE strategy_phases (
    council_code VARCHAR NOT NULL,
    strategy_id  VARCHAR NOT NULL,
    version      INTEGER NOT NULL,
    phase        VARCHAR NOT NULL,
    start_fy     INTEGER NOT NULL,
    end_fy       INTEGER NOT NULL,
    unit_target  INTEGER NOT NULL,  -- units to deliver within the phase; cumulative targets are summed
    PRIMARY KEY (council_code, strategy_id, version, phase)
);

-- Bookkeeping: every successful import is a data snapshot.
CREATE TABLE snapshots (
    snapshot_id  VARCHAR   NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    source       VARCHAR   NOT NULL,
    table_counts VARCHAR   NOT NULL,  -- JSON object: table -> row count after the import
    PRIMARY KEY (snapshot_id, created_at)
);

CREATE TABLE import_reports (
    import_id   VARCHAR   NOT NULL PRIMARY KEY,
    created_at  TIMESTAMP NOT NULL,
    succeeded   BOOLEAN   NOT NULL,
    snapshot_id VARCHAR,
    report_json VARCHAR   NOT NULL
);
