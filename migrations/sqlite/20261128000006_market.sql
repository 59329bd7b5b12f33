-- 五社联动, the five-party marketplace (DOMAIN.md §4): organizations and their offerings,
-- volunteer teams, activities with sign-ups and a waitlist, check-in, the service-hours ledger
-- and certificates, the social-worker directory, charity resources, and 双报到.
-- Counters (`activity.confirmed_count`, `team.total_minutes`, `volunteer.total_minutes`,
-- `charity_resource.remaining`) change in the same transaction as the rows they summarise, and
-- CHECKs make the limits hold whatever the application does.

-- An organization registers itself; community staff of its home community verify it.
CREATE TABLE organization (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    kind          TEXT NOT NULL CHECK (kind IN ('social_org', 'property', 'unit', 'charity')),
    community_id  INTEGER NOT NULL REFERENCES community(id),
    -- Service areas: comma-separated codes of the menu's categories (elder, meals, …).
    service_areas TEXT NOT NULL,
    description   TEXT NOT NULL,
    contact_name  TEXT NOT NULL,
    contact_phone TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'verified', 'rejected')),
    reject_reason TEXT,
    created_by    INTEGER NOT NULL REFERENCES account(id),
    created_at    INTEGER NOT NULL,
    decided_by    INTEGER REFERENCES account(id),
    decided_at    INTEGER,
    CHECK ((status = 'rejected') = (reject_reason IS NOT NULL))
);
CREATE INDEX organization_community ON organization (community_id, status, id);

-- 服务项目: what a verified organization offers (issue 7 puts them on a community's menu).
CREATE TABLE offering (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES organization(id),
    category    TEXT NOT NULL,
    title       TEXT NOT NULL,
    description TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX offering_org ON offering (org_id, id);

-- A volunteer: number, skills (volunteer_skill), hours, and the 双报到 registration with the
-- home community (a party member or cadre's work unit, confirmed by its staff).
CREATE TABLE volunteer (
    account_id    INTEGER PRIMARY KEY REFERENCES account(id),
    volunteer_no  TEXT NOT NULL UNIQUE,
    total_minutes INTEGER NOT NULL DEFAULT 0 CHECK (total_minutes >= 0),
    cadre_unit    TEXT,
    cadre_community_id INTEGER REFERENCES community(id),
    cadre_confirmed_by INTEGER REFERENCES account(id),
    cadre_confirmed_at INTEGER,
    joined_at     INTEGER NOT NULL,
    CHECK ((cadre_unit IS NULL) = (cadre_confirmed_at IS NULL))
);
CREATE INDEX volunteer_cadre ON volunteer (cadre_community_id) WHERE cadre_community_id IS NOT NULL;

CREATE TABLE volunteer_skill (
    account_id INTEGER NOT NULL REFERENCES volunteer(account_id),
    skill      TEXT NOT NULL,
    PRIMARY KEY (account_id, skill)
);

-- 志愿服务队: belongs to an organization or (org_id NULL) to the community itself.
CREATE TABLE team (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    org_id        INTEGER REFERENCES organization(id),
    community_id  INTEGER NOT NULL REFERENCES community(id),
    leader_id     INTEGER NOT NULL REFERENCES account(id),
    description   TEXT NOT NULL,
    member_count  INTEGER NOT NULL DEFAULT 0 CHECK (member_count >= 0),
    total_minutes INTEGER NOT NULL DEFAULT 0 CHECK (total_minutes >= 0),
    created_by    INTEGER NOT NULL REFERENCES account(id),
    created_at    INTEGER NOT NULL,
    UNIQUE (community_id, name)
);
CREATE INDEX team_org ON team (org_id);

-- Joining a team needs its leader's approval.
CREATE TABLE team_member (
    team_id    INTEGER NOT NULL REFERENCES team(id),
    account_id INTEGER NOT NULL REFERENCES account(id),
    status     TEXT NOT NULL CHECK (status IN ('pending', 'member', 'declined')),
    applied_at INTEGER NOT NULL,
    decided_by INTEGER REFERENCES account(id),
    decided_at INTEGER,
    PRIMARY KEY (team_id, account_id)
);
CREATE INDEX team_member_account ON team_member (account_id);

-- 招募: an activity of a team or an organization, in a community, with slots.
CREATE TABLE activity (
    id              INTEGER PRIMARY KEY,
    title           TEXT NOT NULL,
    description     TEXT NOT NULL,
    team_id         INTEGER REFERENCES team(id),
    org_id          INTEGER REFERENCES organization(id),
    community_id    INTEGER NOT NULL REFERENCES community(id),
    place           TEXT NOT NULL,
    starts_at       INTEGER NOT NULL,
    ends_at         INTEGER NOT NULL,
    slots           INTEGER NOT NULL CHECK (slots BETWEEN 1 AND 500),
    -- Confirmed sign-ups; never more than the slots.
    confirmed_count INTEGER NOT NULL DEFAULT 0 CHECK (confirmed_count >= 0 AND confirmed_count <= slots),
    -- The code the organiser shows on site; it works until the activity ends.
    checkin_code    TEXT NOT NULL,
    organiser_id    INTEGER NOT NULL REFERENCES account(id),
    created_at      INTEGER NOT NULL,
    -- The day-before reminder went out (set once, by whichever instance's sweep got there).
    reminded_at     INTEGER,
    CHECK (ends_at > starts_at),
    CHECK (team_id IS NOT NULL OR org_id IS NOT NULL)
);
CREATE INDEX activity_upcoming ON activity (ends_at, id);
CREATE INDEX activity_community ON activity (community_id, ends_at, id);
CREATE INDEX activity_team ON activity (team_id, starts_at);
CREATE INDEX activity_org ON activity (org_id, starts_at);
CREATE INDEX activity_remind ON activity (starts_at) WHERE reminded_at IS NULL;

CREATE TABLE activity_skill (
    activity_id INTEGER NOT NULL REFERENCES activity(id),
    skill       TEXT NOT NULL,
    PRIMARY KEY (activity_id, skill)
);

-- A volunteer's place on an activity. Waitlist order is the row id (the order the sign-ups
-- took the activity's lock); a cancelled sign-up is deleted, so signing up again queues anew.
-- The activity's window is copied here to find overlaps with one indexed query.
CREATE TABLE signup (
    id              INTEGER PRIMARY KEY,
    activity_id     INTEGER NOT NULL REFERENCES activity(id),
    account_id      INTEGER NOT NULL REFERENCES account(id),
    status          TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlisted')),
    starts_at       INTEGER NOT NULL,
    ends_at         INTEGER NOT NULL,
    signed_up_at    INTEGER NOT NULL,
    checked_in_at   INTEGER,
    checked_out_at  INTEGER,
    -- The organiser confirmed attendance and these minutes (credited once to the ledger).
    attended_minutes INTEGER CHECK (attended_minutes > 0),
    attendance_confirmed_at INTEGER,
    UNIQUE (activity_id, account_id),
    CHECK ((attended_minutes IS NULL) = (attendance_confirmed_at IS NULL))
);
CREATE INDEX signup_activity ON signup (activity_id, status, id);
CREATE INDEX signup_account ON signup (account_id, starts_at);

-- The service-hours ledger: one row per credit, never two for the same source.
CREATE TABLE hours_credit (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES account(id),
    minutes      INTEGER NOT NULL CHECK (minutes > 0),
    source_kind  TEXT NOT NULL CHECK (source_kind IN ('activity', 'order')),
    source_id    INTEGER NOT NULL,
    title        TEXT NOT NULL,
    team_id      INTEGER REFERENCES team(id),
    org_id       INTEGER REFERENCES organization(id),
    community_id INTEGER NOT NULL REFERENCES community(id),
    confirmed_by INTEGER NOT NULL REFERENCES account(id),
    served_at    INTEGER NOT NULL,
    at           INTEGER NOT NULL,
    UNIQUE (source_kind, source_id)
);
CREATE INDEX hours_credit_account ON hours_credit (account_id, id);
CREATE INDEX hours_credit_community ON hours_credit (community_id, served_at);

-- A service-hours certificate as issued: its number, whom, how many hours at the time.
CREATE TABLE certificate (
    id         INTEGER PRIMARY KEY,
    number     TEXT NOT NULL UNIQUE,
    account_id INTEGER NOT NULL REFERENCES account(id),
    minutes    INTEGER NOT NULL,
    issued_at  INTEGER NOT NULL
);
CREATE INDEX certificate_account ON certificate (account_id, id);

-- The social-worker directory (持证社工), kept by community staff.
CREATE TABLE social_worker (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    level        TEXT NOT NULL CHECK (level IN ('assistant', 'intermediate', 'senior')),
    org_id       INTEGER REFERENCES organization(id),
    community_id INTEGER NOT NULL REFERENCES community(id),
    focus        TEXT NOT NULL,
    updated_by   INTEGER NOT NULL REFERENCES account(id),
    updated_at   INTEGER NOT NULL,
    removed_at   INTEGER
);
CREATE INDEX social_worker_community ON social_worker (community_id, id);

-- 慈善资源: goods, funds or a venue offered with a quantity; claims take from `remaining`,
-- which can never go below zero.
CREATE TABLE charity_resource (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES organization(id),
    kind         TEXT NOT NULL CHECK (kind IN ('goods', 'funds', 'venue')),
    title        TEXT NOT NULL,
    unit         TEXT NOT NULL,
    quantity     INTEGER NOT NULL CHECK (quantity > 0),
    remaining    INTEGER NOT NULL CHECK (remaining >= 0 AND remaining <= quantity),
    description  TEXT NOT NULL,
    created_by   INTEGER NOT NULL REFERENCES account(id),
    created_at   INTEGER NOT NULL
);

CREATE TABLE charity_claim (
    id           INTEGER PRIMARY KEY,
    resource_id  INTEGER NOT NULL REFERENCES charity_resource(id),
    quantity     INTEGER NOT NULL CHECK (quantity > 0),
    purpose      TEXT NOT NULL,
    -- For whom: a community (claimed by its staff) or an organization (by its admins).
    community_id INTEGER REFERENCES community(id),
    org_id       INTEGER REFERENCES organization(id),
    claimed_by   INTEGER NOT NULL REFERENCES account(id),
    at           INTEGER NOT NULL,
    CHECK ((community_id IS NULL) <> (org_id IS NULL))
);
CREATE INDEX charity_claim_resource ON charity_claim (resource_id, id);
