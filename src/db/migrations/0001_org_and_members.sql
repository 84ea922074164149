-- Schema v1: the organisation tree and the member records with the national fields.
-- Released migrations are never edited; add a new numbered file instead.

CREATE TABLE org_unit (
    id          INTEGER PRIMARY KEY,
    parent_id   INTEGER REFERENCES org_unit(id) ON DELETE RESTRICT,
    -- university_committee (党委) > college_committee (院党委) > branch (党支部) > group (党小组)
    kind        TEXT NOT NULL CHECK (kind IN ('university_committee', 'college_committee', 'branch', 'group')),
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    CHECK ((kind = 'university_committee') = (parent_id IS NULL))
);
-- Sibling names are unique; the root has no siblings.
CREATE UNIQUE INDEX org_unit_sibling_name ON org_unit (ifnull(parent_id, 0), name);

CREATE TABLE member (
    id                  INTEGER PRIMARY KEY,
    -- National fields (全国党员管理信息系统), in the national order.
    name                TEXT NOT NULL CHECK (length(trim(name)) > 0),   -- 姓名
    sex                 TEXT CHECK (sex IN ('male', 'female')),           -- 性别
    ethnicity           TEXT,                                             -- 民族
    id_number           TEXT UNIQUE CHECK (id_number IS NULL OR length(id_number) = 18), -- 公民身份号码, validated by the core
    birth_date          TEXT,                                             -- 出生日期 YYYY-MM-DD
    education           TEXT,                                             -- 学历
    category            TEXT,                                             -- 人员类别
    branch_id           INTEGER REFERENCES org_unit(id) ON DELETE RESTRICT, -- 所在党支部
    -- 加入党组织日期 and 转为正式党员日期 are derived from member_event, never stored here.
    job                 TEXT,                                             -- 工作岗位
    phone               TEXT,                                             -- 联系电话
    address             TEXT,                                             -- 家庭住址
    membership_status   TEXT,                                             -- 党籍状态
    lost_contact        INTEGER NOT NULL DEFAULT 0 CHECK (lost_contact IN (0, 1)), -- 是否为失联党员
    mobile              INTEGER NOT NULL DEFAULT 0 CHECK (mobile IN (0, 1)),       -- 是否为流动党员
    -- University fields.
    student_no          TEXT UNIQUE,                                      -- 学号
    college             TEXT,                                             -- 学院
    class_name          TEXT,                                             -- 班级
    grade               TEXT,                                             -- 年级
    expected_graduation TEXT,                                             -- 预计毕业日期 YYYY-MM-DD
    native_place        TEXT,                                             -- 籍贯
    created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX member_branch ON member (branch_id);
CREATE INDEX member_name ON member (name);
