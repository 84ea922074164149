-- Schema v3: the university's local rule sets, kept as the TOML text that was loaded so that
-- what was checked can always be shown exactly as written. The national sets ship with the
-- program and are not stored here.

CREATE TABLE rule_set (
    id              TEXT PRIMARY KEY,
    effective_from  TEXT NOT NULL CHECK (effective_from GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    title           TEXT NOT NULL,
    toml            TEXT NOT NULL,
    file_name       TEXT NOT NULL,
    loaded_by       TEXT NOT NULL,
    loaded_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
