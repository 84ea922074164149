-- Schema v7 (roster import): every import is a batch that can be undone exactly. The rows say
-- which member each roster row created or updated, with the values before and after, and which
-- timeline events the batch recorded.

CREATE TABLE import_batch (
    id           INTEGER PRIMARY KEY,
    file_name    TEXT NOT NULL,
    file_sha256  TEXT NOT NULL CHECK (length(file_sha256) = 64),
    rows         INTEGER NOT NULL CHECK (rows >= 0),
    created      INTEGER NOT NULL CHECK (created >= 0),
    updated      INTEGER NOT NULL CHECK (updated >= 0),
    skipped      INTEGER NOT NULL CHECK (skipped >= 0),
    imported_by  TEXT NOT NULL,
    imported_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    undone_by    TEXT,
    undone_at    TEXT,
    CHECK ((undone_by IS NULL) = (undone_at IS NULL))
);

CREATE TABLE import_batch_row (
    batch_id     INTEGER NOT NULL REFERENCES import_batch(id) ON DELETE CASCADE,
    sheet        TEXT NOT NULL,
    row          INTEGER NOT NULL,
    -- NULL once an undo has removed the member the row created.
    member_id    INTEGER REFERENCES member(id) ON DELETE SET NULL,
    action       TEXT NOT NULL CHECK (action IN ('created', 'updated')),
    -- JSON objects {member column: value}: the changed columns' values before the import (NULL
    -- for a created member) and the values the import wrote.
    before_json  TEXT,
    after_json   TEXT NOT NULL,
    PRIMARY KEY (batch_id, sheet, row)
);
CREATE INDEX import_batch_row_member ON import_batch_row (member_id) WHERE member_id IS NOT NULL;

CREATE TABLE import_batch_event (
    batch_id     INTEGER NOT NULL REFERENCES import_batch(id) ON DELETE CASCADE,
    event_id     INTEGER NOT NULL REFERENCES member_event(id) ON DELETE CASCADE,
    PRIMARY KEY (batch_id, event_id)
);
CREATE INDEX import_batch_event_event ON import_batch_event (event_id);

-- Organisation units (college committees, branches) an import created on request.
CREATE TABLE import_batch_unit (
    batch_id     INTEGER NOT NULL REFERENCES import_batch(id) ON DELETE CASCADE,
    unit_id      INTEGER NOT NULL REFERENCES org_unit(id) ON DELETE CASCADE,
    PRIMARY KEY (batch_id, unit_id)
);
