-- Places: district → street → community → grid → estate/building (DOMAIN.md §1).
-- Ids are INTEGER PRIMARY KEY (SQLite's rowid, a 64-bit integer) to decode as i64 like
-- PostgreSQL's BIGINT through sqlx's Any driver.

CREATE TABLE district (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE,
    name_en TEXT NOT NULL
);

CREATE TABLE street (
    id          INTEGER PRIMARY KEY,
    district_id INTEGER NOT NULL REFERENCES district(id),
    name        TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    UNIQUE (district_id, name)
);

CREATE TABLE community (
    id        INTEGER PRIMARY KEY,
    street_id INTEGER NOT NULL REFERENCES street(id),
    name      TEXT NOT NULL,
    name_en   TEXT NOT NULL,
    -- The community type sets its governance focus (seed part 4.2).
    kind      TEXT NOT NULL CHECK (kind IN ('residential', 'business', 'old_courtyard', 'work_unit', 'urban_rural')),
    -- Supports a proposal needs to reach the agenda (DOMAIN.md §3).
    support_threshold INTEGER NOT NULL DEFAULT 10 CHECK (support_threshold > 0),
    UNIQUE (street_id, name)
);
CREATE INDEX community_street ON community (street_id);

CREATE TABLE grid (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES community(id),
    name         TEXT NOT NULL,
    UNIQUE (community_id, name)
);

CREATE TABLE estate (
    id            INTEGER PRIMARY KEY,
    community_id  INTEGER NOT NULL REFERENCES community(id),
    name          TEXT NOT NULL,
    -- 品牌物业 / 前置物业 / 业委会自管 / 失管
    property_kind TEXT NOT NULL CHECK (property_kind IN ('brand', 'developer', 'owners_committee', 'none')),
    UNIQUE (community_id, name)
);

CREATE TABLE building (
    id        INTEGER PRIMARY KEY,
    grid_id   INTEGER NOT NULL REFERENCES grid(id),
    -- NULL for a single building outside any estate (the seed counts 400+ of them).
    estate_id INTEGER REFERENCES estate(id),
    name      TEXT NOT NULL,
    UNIQUE (grid_id, name)
);
CREATE INDEX building_grid ON building (grid_id);
