-- Schema v4: attachments (scanned paper, documents) stored once under files/ by their SHA-256,
-- and linked to the timeline events they are evidence of.

CREATE TABLE attachment (
    sha256      TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    size        INTEGER NOT NULL CHECK (size >= 0),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE event_attachment (
    event_id    INTEGER NOT NULL REFERENCES member_event(id) ON DELETE CASCADE,
    sha256      TEXT NOT NULL REFERENCES attachment(sha256) ON DELETE RESTRICT,
    -- The file's name as the user had it, for showing and exporting.
    file_name   TEXT NOT NULL CHECK (length(trim(file_name)) > 0),
    -- Which archive material it is (assets/rules/materials.toml), if known.
    material    TEXT,
    added_by    TEXT NOT NULL,
    added_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (event_id, sha256)
);
CREATE INDEX event_attachment_sha256 ON event_attachment (sha256);
