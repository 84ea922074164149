-- Schema (issue 8, settings): archive-wide settings as key/value text, e.g. the automatic-backup
-- policy (`backup.enabled`, `backup.interval_hours`, `backup.daily`, …). A missing key means the
-- program's default; every change is recorded in the audit trail (`setting_change`).

CREATE TABLE setting (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
