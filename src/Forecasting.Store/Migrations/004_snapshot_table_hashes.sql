-- Schema version 4: the content hash of every data table, recorded with each snapshot in the same
-- transaction as the import's swap. At start-up the store recomputes them: a table that no longer matches
-- its latest snapshot (a commit torn by a crash and a faulty write-ahead-log recovery) is restored from the
-- last good copy (StoreIntegrity.cs).
CREATE TABLE snapshot_tables (
    snapshot_id  VARCHAR   NOT NULL,
    created_at   TIMESTAMP NOT NULL,  -- with snapshot_id, the snapshots row these hashes belong to
    table_name   VARCHAR   NOT NULL,
    row_count    BIGINT    NOT NULL,
    content_hash VARCHAR   NOT NULL,  -- sum of hash(row) modulo a 64-bit prime: order independent
    PRIMARY KEY (snapshot_id, created_at, table_name)
);
