-- Schema v11: democratic appraisal (民主评议党员) grades, one per member and year.
-- The branch is the one that gave the grade (a member may move on later); the meeting is the
-- 民主评议 meeting it was given at, when recorded.

CREATE TABLE appraisal (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES member(id) ON DELETE CASCADE,
    branch_id   INTEGER NOT NULL REFERENCES org_unit(id) ON DELETE RESTRICT,
    year        INTEGER NOT NULL CHECK (year BETWEEN 1921 AND 9999),
    grade       TEXT NOT NULL CHECK (grade IN ('excellent', 'qualified', 'basically_qualified',
                    'unqualified')),
    meeting_id  INTEGER REFERENCES meeting(id) ON DELETE SET NULL,
    note        TEXT,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (member_id, year)
);
CREATE INDEX appraisal_branch ON appraisal (branch_id, year);
CREATE INDEX appraisal_meeting ON appraisal (meeting_id) WHERE meeting_id IS NOT NULL;
