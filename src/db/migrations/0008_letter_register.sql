-- The register of organisational-relationship introduction letters (组织关系介绍信): each letter
-- issued, with the serial number printed on its stub, letter and receipt (字第 N 号), and the day
-- its receipt (回执) came back. A letter whose receipt is not back within its validity is a
-- reminder. Released migrations are never edited; add a new numbered file instead.

CREATE TABLE letter (
    -- The serial number N of 字第 N 号: one sequence for the whole archive.
    serial          INTEGER PRIMARY KEY,
    -- The word printed before 字第 (often an abbreviation of the issuing committee).
    prefix          TEXT NOT NULL,
    member_id       INTEGER NOT NULL REFERENCES member(id) ON DELETE RESTRICT,
    -- 正式党员 or 预备党员 on the day of issue.
    member_kind     TEXT NOT NULL CHECK (member_kind IN ('full', 'probationary')),
    from_org        TEXT NOT NULL CHECK (length(trim(from_org)) > 0),
    to_org          TEXT NOT NULL CHECK (length(trim(to_org)) > 0),
    -- Dues paid up to this month, YYYY-MM.
    dues_paid_to    TEXT NOT NULL CHECK (dues_paid_to GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
    valid_days      INTEGER NOT NULL CHECK (valid_days > 0),
    issued_on       TEXT NOT NULL CHECK (issued_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    issued_by       TEXT NOT NULL,
    receipt_on      TEXT CHECK (receipt_on IS NULL OR receipt_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    receipt_by      TEXT,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX letter_member ON letter (member_id);
-- Letters still waiting for their receipt: the reminder query reads only these.
CREATE INDEX letter_open ON letter (issued_on) WHERE receipt_on IS NULL;
