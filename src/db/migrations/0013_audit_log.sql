-- Schema (issue 8, audit trail): an append-only, hash-chained log of every change, every view of
-- a member file and every document or export made. Entry `seq` hashes the previous entry's hash
-- (see src/audit/mod.rs for the canonical encoding), so an edited or deleted entry breaks the
-- chain; `audit_head` keeps the last seq and hash, updated in the same transaction as each
-- append, so that deleting the newest entries is detected too.

CREATE TABLE audit_log (
    seq          INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    target_kind  TEXT NOT NULL,
    target_id    INTEGER,
    -- The member concerned, for filtering (no foreign key: the log outlives what it names).
    member_id    INTEGER,
    detail       TEXT NOT NULL,
    prev_hash    TEXT NOT NULL CHECK (length(prev_hash) = 64),
    hash         TEXT NOT NULL CHECK (length(hash) = 64)
);

CREATE INDEX audit_log_member ON audit_log (member_id, seq) WHERE member_id IS NOT NULL;
CREATE INDEX audit_log_action ON audit_log (action, seq);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE TABLE audit_head (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    seq   INTEGER NOT NULL,
    hash  TEXT NOT NULL CHECK (length(hash) = 64)
);

INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Append-only through the program: an update or delete is refused. (Anyone with the file can
-- drop these triggers; `dangan audit verify` then still finds what they changed.)
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
BEGIN SELECT RAISE(ABORT, 'audit_head cannot be deleted'); END;
