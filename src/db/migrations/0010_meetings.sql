-- Schema v10: meetings (三会一课 and more) with attendance, resolutions and each member's vote.
-- A resolution that admits, converts or extends the probation of a member is linked to the
-- timeline event it created.

CREATE TABLE meeting (
    id          INTEGER PRIMARY KEY,
    branch_id   INTEGER NOT NULL REFERENCES org_unit(id) ON DELETE RESTRICT,
    kind        TEXT NOT NULL CHECK (kind IN ('general_meeting', 'committee', 'group', 'lecture',
                    'theme_day', 'life_meeting', 'appraisal')),
    date        TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    place       TEXT,
    host        TEXT,
    recorder    TEXT,
    topic       TEXT NOT NULL CHECK (length(trim(topic)) > 0),
    minutes     TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX meeting_branch ON meeting (branch_id, date);

CREATE TABLE meeting_attendance (
    meeting_id   INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
    member_id    INTEGER NOT NULL REFERENCES member(id) ON DELETE CASCADE,
    status       TEXT NOT NULL CHECK (status IN ('present', 'leave', 'absent')),
    reason       TEXT,
    signed_in_at TEXT,
    PRIMARY KEY (meeting_id, member_id)
);
CREATE INDEX meeting_attendance_member ON meeting_attendance (member_id);

CREATE TABLE resolution (
    id          INTEGER PRIMARY KEY,
    meeting_id  INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('admit', 'convert', 'extend_probation', 'other')),
    member_id   INTEGER REFERENCES member(id) ON DELETE CASCADE,
    months      INTEGER,
    text        TEXT NOT NULL CHECK (length(trim(text)) > 0),
    -- The arithmetic as it stood on the day: full members entitled to vote, and the result.
    entitled    INTEGER NOT NULL CHECK (entitled >= 0),
    passed      INTEGER NOT NULL CHECK (passed IN (0, 1)),
    event_id    INTEGER REFERENCES member_event(id) ON DELETE SET NULL,
    CHECK ((kind = 'other') OR member_id IS NOT NULL),
    UNIQUE (meeting_id, position)
);
CREATE INDEX resolution_member ON resolution (member_id) WHERE member_id IS NOT NULL;
CREATE INDEX resolution_event ON resolution (event_id) WHERE event_id IS NOT NULL;

CREATE TABLE vote (
    resolution_id INTEGER NOT NULL REFERENCES resolution(id) ON DELETE CASCADE,
    member_id     INTEGER NOT NULL REFERENCES member(id) ON DELETE CASCADE,
    vote          TEXT NOT NULL CHECK (vote IN ('yes', 'no', 'abstain')),
    PRIMARY KEY (resolution_id, member_id)
);

CREATE TRIGGER meeting_unindex AFTER DELETE ON meeting BEGIN
    DELETE FROM search_fts WHERE rowid =
        (SELECT id FROM search_doc WHERE kind = 'meeting' AND ref_id = OLD.id);
    DELETE FROM search_doc WHERE kind = 'meeting' AND ref_id = OLD.id;
END;
