-- Schema v6: probation extension (延长预备期). A new event kind with the number of months the
-- branch meeting decided. SQLite cannot change a CHECK constraint, so member_event is rebuilt
-- (the procedure of https://sqlite.org/lang_altertable.html#otheralter): the migrations run with
-- foreign keys off and `PRAGMA foreign_key_check` must pass before they commit. Ids are kept, so
-- event_person, event_attachment and superseded_by still point at the same events.

CREATE TABLE member_event_v6 (
    id            INTEGER PRIMARY KEY,
    member_id     INTEGER NOT NULL REFERENCES member(id) ON DELETE CASCADE,
    -- 'step' is one of the 25 development steps (domain.md); 'probation_extended' lengthens the
    -- probation by `months`; the others are changes of status.
    kind          TEXT NOT NULL CHECK (kind IN ('step', 'probation_extended', 'transferred_in',
                      'transferred_out', 'disqualified', 'withdrawn', 'deceased')),
    step          INTEGER CHECK ((kind = 'step') = (step IS NOT NULL) AND (step IS NULL OR step BETWEEN 1 AND 25)),
    -- How far the probation is extended; how many months are allowed is a rule, not a constraint.
    months        INTEGER CHECK ((kind = 'probation_extended') = (months IS NOT NULL) AND (months IS NULL OR months > 0)),
    date          TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    note          TEXT,
    recorded_by   TEXT NOT NULL,
    recorded_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    superseded_by INTEGER REFERENCES member_event(id)
);

INSERT INTO member_event_v6 (id, member_id, kind, step, months, date, note, recorded_by, recorded_at, superseded_by)
    SELECT id, member_id, kind, step, NULL, date, note, recorded_by, recorded_at, superseded_by
      FROM member_event;

DROP TABLE member_event;
ALTER TABLE member_event_v6 RENAME TO member_event;

CREATE INDEX member_event_progress ON member_event (member_id, kind, step)
    WHERE superseded_by IS NULL;
CREATE INDEX member_event_timeline ON member_event (member_id, date);
-- The latest change of status per member: an extension is not one (it leaves the stage alone).
CREATE INDEX member_event_status ON member_event (member_id, date DESC, id DESC)
    WHERE kind NOT IN ('step', 'probation_extended') AND superseded_by IS NULL;
