-- Schema (issue 8, accounts): local user accounts with roles, and the organisation subtrees each
-- may see. Passwords are stored only as argon2id PHC strings. A scope row names a unit; the user
-- sees that unit and every unit below it.

CREATE TABLE user_account (
    id               INTEGER PRIMARY KEY,
    username         TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(username)) > 0),
    display_name     TEXT NOT NULL,
    role             TEXT NOT NULL CHECK (role IN ('admin', 'counselor', 'secretary', 'clerk', 'viewer')),
    password_hash    TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    failed_attempts  INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
    -- UTC, RFC 3339; a login before this time is refused.
    locked_until     TEXT,
    disabled         INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    changed_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE user_scope (
    user_id      INTEGER NOT NULL REFERENCES user_account(id) ON DELETE CASCADE,
    -- A unit removed by an import's undo takes the scope rows naming it with it.
    org_unit_id  INTEGER NOT NULL REFERENCES org_unit(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, org_unit_id)
);
