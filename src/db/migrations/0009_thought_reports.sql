-- Schema v9: thought reports (思想汇报) and the full-text search index.

CREATE TABLE thought_report (
    id              INTEGER PRIMARY KEY,
    member_id       INTEGER NOT NULL REFERENCES member(id) ON DELETE CASCADE,
    -- The day the report was handed in, and the quarter it reports on (e.g. 2026Q3).
    date            TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    period          TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]Q[1-4]'),
    title           TEXT NOT NULL CHECK (length(trim(title)) > 0),
    body            TEXT NOT NULL,
    -- Typed in the app, or imported from a file (kept under files/ by its SHA-256).
    source          TEXT NOT NULL CHECK (source IN ('typed', 'docx', 'txt')),
    file_name       TEXT,
    file_sha256     TEXT REFERENCES attachment(sha256) ON DELETE RESTRICT,
    reviewer        TEXT,
    review_comment  TEXT,
    reviewed_on     TEXT CHECK (reviewed_on IS NULL OR reviewed_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    recorded_by     TEXT NOT NULL,
    recorded_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    CHECK ((reviewer IS NULL) = (reviewed_on IS NULL)),
    CHECK ((source = 'typed') = (file_name IS NULL))
);
CREATE INDEX thought_report_member ON thought_report (member_id, period);

-- The search index. One `search_doc` row per searchable document; the `search_fts` row with the
-- same rowid holds its tokens, computed in Rust (src/search/tokens.rs: overlapping bigrams for
-- Chinese) and written in the same transaction as the document. Contentless: the text itself
-- stays in the document's own table.
CREATE TABLE search_doc (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('thought_report', 'meeting')),
    ref_id      INTEGER NOT NULL,
    member_id   INTEGER REFERENCES member(id) ON DELETE SET NULL,
    UNIQUE (kind, ref_id)
);
CREATE VIRTUAL TABLE search_fts USING fts5(
    title, body, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 0'
);

-- A report deleted (directly, or with its member) leaves the index with it.
CREATE TRIGGER thought_report_unindex AFTER DELETE ON thought_report BEGIN
    DELETE FROM search_fts WHERE rowid =
        (SELECT id FROM search_doc WHERE kind = 'thought_report' AND ref_id = OLD.id);
    DELETE FROM search_doc WHERE kind = 'thought_report' AND ref_id = OLD.id;
END;
