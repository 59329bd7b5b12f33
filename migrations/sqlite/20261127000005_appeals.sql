-- 诉求, the appeals closed loop (DOMAIN.md §6): filing, classification, dispatch to a
-- department with a deadline, acceptance or return, extension, reply, verification, callback
-- and closure. Every step is a row of `appeal_event` written in the same transaction as the
-- appeal's new state; the appeal row is the lock that serialises steps.

-- The departments the street dispatches to (住建局, 城管局 …).
CREATE TABLE department (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE,
    name_en TEXT NOT NULL
);

-- Time limits per urgency (after Beijing's 12345 standard); admins edit them. A deadline is
-- set from the rule in force when the clock starts, so edits never move running deadlines.
CREATE TABLE urgency_rule (
    code          TEXT PRIMARY KEY CHECK (code IN ('emergency', 'urgent', 'normal', 'complex')),
    limit_minutes INTEGER NOT NULL CHECK (limit_minutes BETWEEN 10 AND 525600),
    position      INTEGER NOT NULL,
    updated_by    INTEGER REFERENCES account(id),
    updated_at    INTEGER
);
INSERT INTO urgency_rule (code, limit_minutes, position) VALUES
    ('emergency', 120, 1), ('urgent', 1440, 2), ('normal', 10080, 3), ('complex', 21600, 4);

CREATE TABLE appeal (
    id             INTEGER PRIMARY KEY,
    -- Where: the building's grid, community and street are copied in for scoping and stats.
    street_id      INTEGER NOT NULL REFERENCES street(id),
    community_id   INTEGER NOT NULL REFERENCES community(id),
    grid_id        INTEGER NOT NULL REFERENCES grid(id),
    building_id    INTEGER REFERENCES building(id),
    category       TEXT NOT NULL CHECK (category IN ('property', 'neighbour_dispute', 'noise', 'leak',
                       'encroachment', 'environment', 'repair', 'other')),
    urgency        TEXT NOT NULL REFERENCES urgency_rule(code),
    description    TEXT NOT NULL,
    source         TEXT NOT NULL CHECK (source IN ('online', 'grid_patrol', 'hotline', 'visit', 'open311')),
    -- Never shown publicly. The reporter's account when they have one (they follow and call
    -- back); who typed it in (a grid worker for assisted entry); contact for those without one.
    reporter_id    INTEGER REFERENCES account(id),
    filed_by       INTEGER REFERENCES account(id),
    contact_name   TEXT,
    contact_phone  TEXT,
    api_key_id     INTEGER,
    state          TEXT NOT NULL DEFAULT 'submitted' CHECK (state IN ('submitted', 'classified', 'dispatched',
                       'accepted', 'returned', 'replied', 'verified', 'closed')),
    -- Set by classification: the community resolves it itself, or escalates it to the street.
    route          TEXT CHECK (route IN ('local', 'escalate')),
    department_id  INTEGER REFERENCES department(id),
    -- The reply is due by this time; set when the clock starts (local handling or dispatch).
    deadline_at    INTEGER,
    -- When the sweep found it past its deadline (kept as a record after the reply).
    overdue_at     INTEGER,
    -- A pending extension request, in days, with its reason.
    extension_days   INTEGER CHECK (extension_days BETWEEN 1 AND 30),
    extension_reason TEXT,
    dispatched_at  INTEGER,
    reply          TEXT,
    replied_at     INTEGER,
    -- 回访: the resident's answers (1/0), and who recorded them.
    contacted      INTEGER CHECK (contacted IN (0, 1)),
    solved         INTEGER CHECK (solved IN (0, 1)),
    satisfied      INTEGER CHECK (satisfied IN (0, 1)),
    callback_note  TEXT,
    callback_by    INTEGER REFERENCES account(id),
    closed_at      INTEGER,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    CHECK ((state IN ('dispatched', 'accepted')) <= (department_id IS NOT NULL AND deadline_at IS NOT NULL)),
    CHECK ((state = 'closed') <= (closed_at IS NOT NULL AND contacted IS NOT NULL))
);
-- Work queues, by the scope each role works in, in deadline order.
CREATE INDEX appeal_community_queue ON appeal (community_id, state, deadline_at);
CREATE INDEX appeal_street_queue ON appeal (street_id, state, deadline_at);
CREATE INDEX appeal_department_queue ON appeal (department_id, state, deadline_at);
-- The overdue sweep: open appeals with a running clock.
CREATE INDEX appeal_due ON appeal (deadline_at) WHERE overdue_at IS NULL AND state IN ('classified', 'dispatched', 'accepted');
-- "My appeals", the public list of a community, Open311 date filters.
CREATE INDEX appeal_reporter ON appeal (reporter_id, id);
CREATE INDEX appeal_filed_by ON appeal (filed_by, id);
CREATE INDEX appeal_community_newest ON appeal (community_id, id);
CREATE INDEX appeal_created ON appeal (created_at);

-- The timeline: every step, who took it in which capacity (NULL actor: the system), and the
-- public note (a return's reason, a reply, an extension's reason).
CREATE TABLE appeal_event (
    id         INTEGER PRIMARY KEY,
    appeal_id  INTEGER NOT NULL REFERENCES appeal(id),
    step       TEXT NOT NULL,
    from_state TEXT,
    to_state   TEXT NOT NULL,
    -- In which capacity: 'resident', 'community', 'street', 'department', 'system'.
    actor_role TEXT NOT NULL,
    actor_id   INTEGER REFERENCES account(id),
    note       TEXT NOT NULL DEFAULT '',
    at         INTEGER NOT NULL
);
CREATE INDEX appeal_event_appeal ON appeal_event (appeal_id, id);

-- Up to three photos per appeal (JPEG, PNG or WebP, checked by their first bytes).
CREATE TABLE appeal_photo (
    id           INTEGER PRIMARY KEY,
    appeal_id    INTEGER NOT NULL REFERENCES appeal(id),
    content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
    data         BLOB NOT NULL,
    uploaded_by  INTEGER REFERENCES account(id),
    created_at   INTEGER NOT NULL
);
CREATE INDEX appeal_photo_appeal ON appeal_photo (appeal_id);

-- Keys admins issue to Open311 client apps. Only the SHA-256 of a key is stored.
CREATE TABLE api_key (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    key_hash     TEXT NOT NULL UNIQUE,
    created_by   INTEGER REFERENCES account(id),
    created_at   INTEGER NOT NULL,
    revoked_at   INTEGER,
    last_used_at INTEGER
);

-- Monthly counters behind the rates (三率), per community and department (0: none, handled in
-- the community), written in the same transaction as the filing and the callback they count,
-- so the rates page sums a few hundred rows however many appeals there are.
CREATE TABLE appeal_stat (
    month          TEXT NOT NULL,
    community_id   INTEGER NOT NULL REFERENCES community(id),
    department_id  INTEGER NOT NULL,
    street_id      INTEGER NOT NULL REFERENCES street(id),
    filed          INTEGER NOT NULL DEFAULT 0,
    callbacks      INTEGER NOT NULL DEFAULT 0,
    contacted      INTEGER NOT NULL DEFAULT 0,
    solved         INTEGER NOT NULL DEFAULT 0,
    satisfied      INTEGER NOT NULL DEFAULT 0,
    closed         INTEGER NOT NULL DEFAULT 0,
    closed_on_time INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (month, community_id, department_id)
);
CREATE INDEX appeal_stat_street ON appeal_stat (street_id, month);
CREATE INDEX appeal_stat_department ON appeal_stat (department_id, month);
