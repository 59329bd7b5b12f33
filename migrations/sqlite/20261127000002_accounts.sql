-- Accounts, roles, sessions, login throttling and the audit log (DOMAIN.md §2, §7).
-- Times are epoch milliseconds written by the application clock.

CREATE TABLE account (
    id            INTEGER PRIMARY KEY,
    -- Mainland mobile number, normalised to 11 digits; the login name. NULL once deleted.
    phone         TEXT UNIQUE,
    display_name  TEXT NOT NULL,
    -- argon2id PHC string; NULL once deleted.
    password_hash TEXT,
    -- When the privacy notice was accepted (consent is required to register).
    consented_at  INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    deleted_at    INTEGER,
    -- Home declared by the resident; confirmed by staff or a grid worker ("verified resident").
    community_id  INTEGER REFERENCES community(id),
    grid_id       INTEGER REFERENCES grid(id),
    building_id   INTEGER REFERENCES building(id),
    verified_at   INTEGER,
    verified_by   INTEGER REFERENCES account(id)
);

-- A role held by an account, scoped to a place or an organization (scope_id NULL for unscoped
-- roles such as resident or admin). One account may hold several.
CREATE TABLE role_grant (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account(id),
    role       TEXT NOT NULL CHECK (role IN ('resident', 'volunteer', 'org_admin', 'social_worker',
                   'grid_worker', 'community_staff', 'street_officer', 'dept_handler', 'admin')),
    scope_kind TEXT CHECK (scope_kind IN ('community', 'grid', 'street', 'department', 'organization')),
    scope_id   INTEGER,
    granted_by INTEGER REFERENCES account(id),
    granted_at INTEGER NOT NULL,
    CHECK ((scope_kind IS NULL) = (scope_id IS NULL))
);
-- One grant per (account, role, scope); COALESCE because NULLs are distinct in UNIQUE.
CREATE UNIQUE INDEX role_grant_unique ON role_grant (account_id, role, COALESCE(scope_kind, ''), COALESCE(scope_id, 0));

-- Server-side sessions, shared by every server instance. The cookie carries a random token;
-- only its SHA-256 is stored, so a copy of the table cannot be used to log in.
CREATE TABLE session (
    token_hash   TEXT PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES account(id),
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
);
CREATE INDEX session_account ON session (account_id);

-- Failed-login counters per account ('account:<phone>') and per client address ('addr:<ip>').
CREATE TABLE login_throttle (
    key          TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    locked_until INTEGER NOT NULL DEFAULT 0
);

-- Every staff or admin action: who did what to which object, with before and after.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    actor_id    INTEGER REFERENCES account(id),
    action      TEXT NOT NULL,
    object_kind TEXT NOT NULL,
    object_id   INTEGER,
    before_json TEXT,
    after_json  TEXT,
    at          INTEGER NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
