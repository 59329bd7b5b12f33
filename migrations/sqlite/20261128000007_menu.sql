-- 你点我供, the service menu (DOMAIN.md §5): a community's menu items with eligibility, weekly
-- capacity and price; residents' orders and their state machine; the weekly counters that
-- make capacity hold under simultaneous orders; and wishes (心愿单) with their supporters.
-- Counters (`menu_week.taken`, `menu_item.rating_*`, `wish.support_count`) change in the same
-- transaction as the rows they summarise, and CHECKs make the limits hold whatever the
-- application does.

-- The resident's year of birth, for age-limited items (e.g. 助餐 for 60+). Optional: a
-- resident without one can order only items without an age limit.
ALTER TABLE account ADD COLUMN birth_year INTEGER CHECK (birth_year BETWEEN 1900 AND 2100);

-- A menu item: a service of one community, provided by an organization (org_id), a team
-- (team_id) or the community itself (neither).
CREATE TABLE menu_item (
    id              INTEGER PRIMARY KEY,
    community_id    INTEGER NOT NULL REFERENCES community(id),
    -- One of the menu's categories (elder, meals, health, cleaning, repair, legal, childcare, phone).
    category        TEXT NOT NULL,
    title           TEXT NOT NULL,
    description     TEXT NOT NULL,
    provider_kind   TEXT NOT NULL CHECK (provider_kind IN ('org', 'team', 'community')),
    org_id          INTEGER REFERENCES organization(id),
    team_id         INTEGER REFERENCES team(id),
    -- The organization's offering it came from, when staff put one on the menu.
    offering_id     INTEGER REFERENCES offering(id),
    -- Eligibility: at least this age (NULL: any age); the buildings are in menu_item_building
    -- (none: every resident of the community).
    min_age         INTEGER CHECK (min_age BETWEEN 1 AND 120),
    -- How many orders a week (Monday to Sunday, local time) it takes, by the preferred time.
    weekly_capacity INTEGER NOT NULL CHECK (weekly_capacity BETWEEN 1 AND 1000),
    -- Free, subsidised (the resident pays price_fen after the subsidy) or paid (price_fen).
    price_kind      TEXT NOT NULL CHECK (price_kind IN ('free', 'subsidised', 'paid')),
    price_fen       INTEGER CHECK (price_fen BETWEEN 0 AND 10000000),
    -- How long one order's service takes: what a volunteer's ledger is credited.
    service_minutes INTEGER NOT NULL CHECK (service_minutes BETWEEN 1 AND 720),
    rating_count    INTEGER NOT NULL DEFAULT 0 CHECK (rating_count >= 0),
    rating_sum      INTEGER NOT NULL DEFAULT 0 CHECK (rating_sum >= 0),
    completed_count INTEGER NOT NULL DEFAULT 0 CHECK (completed_count >= 0),
    created_by      INTEGER NOT NULL REFERENCES account(id),
    created_at      INTEGER NOT NULL,
    -- Taken off the menu (its orders stay).
    withdrawn_at    INTEGER,
    CHECK ((provider_kind = 'org') = (org_id IS NOT NULL)),
    CHECK ((provider_kind = 'team') = (team_id IS NOT NULL)),
    CHECK ((price_kind = 'free') = (price_fen IS NULL))
);
CREATE INDEX menu_item_community ON menu_item (community_id, category, id);
CREATE INDEX menu_item_org ON menu_item (org_id);
CREATE INDEX menu_item_team ON menu_item (team_id);

-- Eligibility by building: when an item has rows here, only residents of these buildings may order.
CREATE TABLE menu_item_building (
    item_id     INTEGER NOT NULL REFERENCES menu_item(id),
    building_id INTEGER NOT NULL REFERENCES building(id),
    PRIMARY KEY (item_id, building_id)
);

-- Orders taken per item and week. The capacity is copied in when the week's row is made, so
-- the CHECK holds within the row: the database refuses the 21st order of a capacity of 20
-- however many requests race (each order takes one with a conditional UPDATE, and a
-- cancellation or rejection gives it back).
CREATE TABLE menu_week (
    item_id  INTEGER NOT NULL REFERENCES menu_item(id),
    -- Weeks since the Monday 1970-01-05 00:00 China Standard Time.
    week     INTEGER NOT NULL,
    capacity INTEGER NOT NULL CHECK (capacity >= 1),
    taken    INTEGER NOT NULL DEFAULT 0 CHECK (taken >= 0 AND taken <= capacity),
    PRIMARY KEY (item_id, week)
);

-- A resident's order. States: submitted → accepted (a person assigned) → in_progress →
-- completed (by the provider) → confirmed (the resident rates it); or rejected (with a
-- reason) or cancelled (by the resident, before acceptance). Every step is a conditional
-- UPDATE on the state it leaves, so two simultaneous steps cannot both happen.
CREATE TABLE service_order (
    id            INTEGER PRIMARY KEY,
    item_id       INTEGER NOT NULL REFERENCES menu_item(id),
    community_id  INTEGER NOT NULL REFERENCES community(id),
    -- For whom (the address is their verified home's building).
    resident_id   INTEGER NOT NULL REFERENCES account(id),
    -- Assisted ordering: the staff member or grid worker who entered it on the resident's behalf.
    entered_by    INTEGER REFERENCES account(id),
    status        TEXT NOT NULL DEFAULT 'submitted' CHECK (status IN
                      ('submitted', 'accepted', 'in_progress', 'completed', 'confirmed', 'rejected', 'cancelled')),
    preferred_at  INTEGER NOT NULL,
    -- The capacity week it counts in (menu_week).
    week          INTEGER NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    submitted_at  INTEGER NOT NULL,
    -- The person doing the work (a volunteer, social worker or staff member) and who assigned them.
    assignee_id   INTEGER REFERENCES account(id),
    accepted_by   INTEGER REFERENCES account(id),
    accepted_at   INTEGER,
    started_at    INTEGER,
    completed_at  INTEGER,
    confirmed_at  INTEGER,
    -- Rejected or cancelled.
    closed_at     INTEGER,
    reject_reason TEXT,
    -- Nobody accepted it within 24 hours: the sweep sent it to community staff.
    escalated_at  INTEGER,
    rating        INTEGER CHECK (rating BETWEEN 1 AND 5),
    rating_comment TEXT,
    CHECK ((status = 'rejected') = (reject_reason IS NOT NULL)),
    CHECK ((status = 'confirmed') = (rating IS NOT NULL)),
    CHECK ((status IN ('submitted', 'cancelled')) OR assignee_id IS NOT NULL OR status = 'rejected')
);
CREATE INDEX service_order_item ON service_order (item_id, status, id);
CREATE INDEX service_order_resident ON service_order (resident_id, id);
CREATE INDEX service_order_assignee ON service_order (assignee_id, status);
CREATE INDEX service_order_pending ON service_order (submitted_at) WHERE status = 'submitted' AND escalated_at IS NULL;

-- 心愿单: a service a resident asks for that the menu lacks; staff turn it into an item.
CREATE TABLE wish (
    id            INTEGER PRIMARY KEY,
    community_id  INTEGER NOT NULL REFERENCES community(id),
    category      TEXT NOT NULL,
    title         TEXT NOT NULL,
    description   TEXT NOT NULL,
    author_id     INTEGER NOT NULL REFERENCES account(id),
    -- Supporters, the author included.
    support_count INTEGER NOT NULL DEFAULT 0 CHECK (support_count >= 0),
    -- The item it became.
    item_id       INTEGER REFERENCES menu_item(id),
    fulfilled_at  INTEGER,
    created_at    INTEGER NOT NULL,
    CHECK ((item_id IS NULL) = (fulfilled_at IS NULL))
);
CREATE INDEX wish_community ON wish (community_id, support_count);

-- One support per resident and wish.
CREATE TABLE wish_support (
    wish_id    INTEGER NOT NULL REFERENCES wish(id),
    account_id INTEGER NOT NULL REFERENCES account(id),
    at         INTEGER NOT NULL,
    PRIMARY KEY (wish_id, account_id)
);
CREATE INDEX wish_support_account ON wish_support (account_id);
