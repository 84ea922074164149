-- Meeting attachments: scanned sign-in sheets, photos, PDFs of minutes, kept in the same
-- content-addressed store as a member's evidence (`attachment`, files/ab/abcdef…) and linked to
-- the meeting they document.

CREATE TABLE meeting_attachment (
    meeting_id  INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
    sha256      TEXT NOT NULL REFERENCES attachment(sha256) ON DELETE RESTRICT,
    -- The file's name as the user had it, for showing and exporting.
    file_name   TEXT NOT NULL CHECK (length(trim(file_name)) > 0),
    added_by    TEXT NOT NULL,
    added_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (meeting_id, sha256)
);
CREATE INDEX meeting_attachment_sha256 ON meeting_attachment (sha256);
