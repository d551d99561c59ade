-- Schema version 16: comparison with other councils from published figures. A council's comparator group (its
-- nearest neighbours) and the published ASCOF figures of every area; benchmark quartiles are computed from the
-- group's figures when both are held, and from the benchmarks table's summary rows otherwise.

CREATE TABLE comparator_groups (
    council_code    VARCHAR NOT NULL,  -- the council whose group this is
    comparator_code VARCHAR NOT NULL,  -- a council in its group
    rank            INTEGER NOT NULL,  -- 1 = most similar
    source          VARCHAR NOT NULL   -- e.g. CIPFA nearest neighbours 2024
);

CREATE TABLE published_measures (
    council_code   VARCHAR NOT NULL,  -- the area the figure is for: a council, a region (E12...) or England (E92000001)
    area_name      VARCHAR,
    measure        VARCHAR NOT NULL,  -- the product's measure name (ascof_2a1, ...)
    fy             INTEGER NOT NULL,  -- starting year: 2024 = 2024/25
    published_code VARCHAR NOT NULL,  -- the code as published, in that year's framework (2B, 2A(1), ...)
    numerator      DOUBLE,
    denominator    DOUBLE,
    value          DOUBLE  NOT NULL,
    source         VARCHAR NOT NULL
);
