-- Schema v2: the member's timeline. Stage, 入党时间 and 转为正式党员日期 are derived from these rows.

CREATE TABLE member_event (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES member(id) ON DELETE CASCADE,
    -- 'step' is one of the 25 development steps (domain.md); the others are changes of status.
    kind        TEXT NOT NULL CHECK (kind IN ('step', 'transferred_in', 'transferred_out', 'disqualified', 'withdrawn', 'deceased')),
    step        INTEGER CHECK ((kind = 'step') = (step IS NOT NULL) AND (step IS NULL OR step BETWEEN 1 AND 25)),
    date        TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    note        TEXT,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX member_event_progress ON member_event (member_id, kind, step);
CREATE INDEX member_event_timeline ON member_event (member_id, date);
-- The latest status event (transfer, disqualification...) per member, in one index probe: the
-- member list derives every row's stage from it.
CREATE INDEX member_event_status ON member_event (member_id, date DESC, id DESC) WHERE kind <> 'step';

-- The people involved in an event: the talker (谈话人), contacts (培养联系人), introducers (入党介绍人).
CREATE TABLE event_person (
    event_id    INTEGER NOT NULL REFERENCES member_event(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('talker', 'contact', 'introducer', 'approver', 'other')),
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    -- Set when the person is a member of this archive.
    member_id   INTEGER REFERENCES member(id) ON DELETE SET NULL,
    PRIMARY KEY (event_id, position)
);
CREATE INDEX event_person_member ON event_person (member_id) WHERE member_id IS NOT NULL;
