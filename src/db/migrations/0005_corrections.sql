-- Schema v5: corrections. A recorded event is never edited: a correction is a new event, and the
-- old one points to it. Everything derived from the timeline reads only events not superseded.

ALTER TABLE member_event ADD COLUMN superseded_by INTEGER REFERENCES member_event(id);

DROP INDEX member_event_progress;
CREATE INDEX member_event_progress ON member_event (member_id, kind, step)
    WHERE superseded_by IS NULL;
DROP INDEX member_event_status;
CREATE INDEX member_event_status ON member_event (member_id, date DESC, id DESC)
    WHERE kind <> 'step' AND superseded_by IS NULL;
