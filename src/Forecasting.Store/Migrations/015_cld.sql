-- Schema version 15: the national Client Level Data (CLD) return after the national cleaning, per council. Filled by
-- the CLD import from a council's submission files (never from a file of their own), in the same all-or-nothing
-- swap as every other table; the snapshot an import records covers them.

-- One row per national unique event: Release 2 wording, end date corrected by death, duplicates resolved.
CREATE TABLE cld_events (
    council_code              VARCHAR NOT NULL,
    event_key                 VARCHAR NOT NULL,  -- the national unique-event key: council, start, end (not services), client type, person, event type, route / assessment type / service type and component
    record_id                 BIGINT  NOT NULL,  -- Der_Unique_Record_ID of the row kept (0 when the file had none)
    person_id                 VARCHAR NOT NULL,  -- traced NHS number, else NHS number, else LA code + '_' + council person id
    la_person_id              VARCHAR,
    client_type               VARCHAR NOT NULL,  -- '' when the row had none
    event_type                VARCHAR NOT NULL,
    start_date                DATE    NOT NULL,
    end_date                  DATE,
    event_outcome             VARCHAR,
    outcome_hierarchy         INTEGER,           -- 1 (Progress to reablement/ST-Max) .. 17 (NFA: Other)
    route_of_access           VARCHAR,
    assessment_type           VARCHAR,
    eligible_needs_identified VARCHAR,
    service_type              VARCHAR,
    service_component         VARCHAR,
    delivery_mechanism        VARCHAR,
    unit_cost                 DOUBLE,
    cost_frequency_unit_type  VARCHAR,
    planned_units_per_week    DOUBLE,
    review_reason             VARCHAR,
    review_outcomes_achieved  VARCHAR,
    total_hours_caring        VARCHAR,
    linked_person_1           VARCHAR,           -- council person ids of the people an unpaid carer cares for
    linked_person_2           VARCHAR,
    linked_person_3           VARCHAR,
    birth_year                INTEGER,
    birth_month               INTEGER,
    date_of_death             DATE,
    gender                    VARCHAR,
    primary_support_reason    VARCHAR,
    accommodation_status      VARCHAR
);

-- The latest person details, one row per council and person.
CREATE TABLE cld_people (
    council_code           VARCHAR NOT NULL,
    person_id              VARCHAR NOT NULL,
    la_person_id           VARCHAR,
    birth_date             DATE,             -- first of the earliest valid birth month
    date_of_death          DATE,
    gender                 VARCHAR,
    primary_support_reason VARCHAR,
    accommodation_status   VARCHAR,
    has_unpaid_carer       VARCHAR,
    client_type            VARCHAR
);

-- The data-quality report of the council's latest CLD import: one line per finding, in report order.
CREATE TABLE cld_quality (
    council_code VARCHAR NOT NULL,
    line_no      INTEGER NOT NULL,
    section      VARCHAR NOT NULL,  -- Field values, Rows dropped, Replaced by a later submission, Duplicates removed, Person identifier, Person details, Checks
    field        VARCHAR NOT NULL,  -- the CLD column, or '' for a whole row
    category     VARCHAR NOT NULL,  -- e.g. Valid, Mapped from Release 1, Invalid and not mapped, Missing, Exact duplicate
    row_count    BIGINT  NOT NULL
);

-- The first few rows of each finding.
CREATE TABLE cld_quality_examples (
    council_code VARCHAR NOT NULL,
    line_no      INTEGER NOT NULL,
    example_no   INTEGER NOT NULL,
    file         VARCHAR NOT NULL,
    file_row     BIGINT  NOT NULL,
    value        VARCHAR
);
