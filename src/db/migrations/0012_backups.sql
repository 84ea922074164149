-- Schema (issue 8, backups): every backup the program made, verified or not. A backup is a copy of
-- archive.db made with SQLite's online backup API; the attachments under files/ are not copied
-- again (they are immutable and named by their SHA-256; each backup is checked to find every file
-- it refers to). `file` is relative to the archive folder when the copy is under backups/, so an
-- archive folder moved to another machine still finds its backups.

CREATE TABLE backup (
    id              INTEGER PRIMARY KEY,
    file            TEXT NOT NULL,
    bytes           INTEGER NOT NULL CHECK (bytes >= 0),
    reason          TEXT NOT NULL CHECK (reason IN
                        ('manual', 'scheduled', 'before_migration', 'before_import', 'before_restore')),
    schema_version  INTEGER NOT NULL,
    verified        INTEGER NOT NULL CHECK (verified IN (0, 1)),
    -- Why verification failed (NULL when verified).
    problem         TEXT,
    -- JSON object {table: rows} of the source at the moment of the copy (the copy has the same).
    counts_json     TEXT NOT NULL,
    -- The audit trail's head when the copy was made: the copy ends at this entry.
    audit_seq       INTEGER,
    audit_hash      TEXT,
    made_by         TEXT NOT NULL,
    made_at         TEXT NOT NULL,
    millis          INTEGER NOT NULL CHECK (millis >= 0),
    -- Set when rotation deleted the file (the row stays, as a record).
    deleted_at      TEXT,
    CHECK ((verified = 1) = (problem IS NULL))
);

CREATE INDEX backup_made_at ON backup (made_at);
