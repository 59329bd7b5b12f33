-- 邻里议事厅, the discussion hall (DOMAIN.md §3): proposals and their lifecycle, supports,
-- votes, comments and moderation, offline meetings, progress updates and followers.
-- Counters on `proposal` are kept in the same transaction as the rows they summarise, so
-- list pages never count votes; the proposal row is the lock that serialises them.

CREATE TABLE proposal (
    id               INTEGER PRIMARY KEY,
    community_id     INTEGER NOT NULL REFERENCES community(id),
    author_id        INTEGER NOT NULL REFERENCES account(id),
    category         TEXT NOT NULL CHECK (category IN ('environment', 'safety', 'facilities', 'parking',
                         'elderly', 'children', 'culture', 'property', 'other')),
    title            TEXT NOT NULL,
    body             TEXT NOT NULL,
    -- Lower-cased title and body: substring search, which finds 1- and 2-character Chinese
    -- queries that word or trigram indexes miss.
    search_text      TEXT NOT NULL,
    state            TEXT NOT NULL DEFAULT 'collecting' CHECK (state IN ('collecting', 'agenda', 'voting',
                         'passed', 'rejected', 'implementing', 'done', 'withdrawn', 'merged')),
    support_count    INTEGER NOT NULL DEFAULT 0 CHECK (support_count >= 0),
    votes_for        INTEGER NOT NULL DEFAULT 0 CHECK (votes_for >= 0),
    votes_against    INTEGER NOT NULL DEFAULT 0 CHECK (votes_against >= 0),
    votes_abstain    INTEGER NOT NULL DEFAULT 0 CHECK (votes_abstain >= 0),
    comment_count    INTEGER NOT NULL DEFAULT 0 CHECK (comment_count >= 0),
    voting_opens_at  INTEGER,
    voting_closes_at INTEGER,
    merged_into      INTEGER REFERENCES proposal(id),
    -- Staff locked the discussion: no new comments.
    locked_at        INTEGER,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    CHECK ((state = 'voting') <= (voting_closes_at IS NOT NULL))
);
-- Keyset pagination of each sort, per community (and per state when filtered).
CREATE INDEX proposal_newest ON proposal (community_id, id);
CREATE INDEX proposal_state_newest ON proposal (community_id, state, id);
CREATE INDEX proposal_supported ON proposal (community_id, support_count, id);
CREATE INDEX proposal_closing ON proposal (community_id, state, voting_closes_at, id);
-- The closing sweep looks for votes that are due.
CREATE INDEX proposal_due ON proposal (voting_closes_at) WHERE state = 'voting';

-- The proposal's timeline: every state change with who (NULL: the system), when and a note.
CREATE TABLE proposal_event (
    id          INTEGER PRIMARY KEY,
    proposal_id INTEGER NOT NULL REFERENCES proposal(id),
    from_state  TEXT,
    to_state    TEXT NOT NULL,
    actor_id    INTEGER REFERENCES account(id),
    note        TEXT NOT NULL DEFAULT '',
    at          INTEGER NOT NULL
);
CREATE INDEX proposal_event_proposal ON proposal_event (proposal_id, id);

-- 附议: one per resident per proposal.
CREATE TABLE support (
    proposal_id INTEGER NOT NULL REFERENCES proposal(id),
    account_id  INTEGER NOT NULL REFERENCES account(id),
    at          INTEGER NOT NULL,
    PRIMARY KEY (proposal_id, account_id)
);

-- 表决: one per resident per proposal, changeable until the vote closes. Never shown per
-- person: only the counters on `proposal` leave the server (and a resident's own choice, to them).
CREATE TABLE vote (
    proposal_id INTEGER NOT NULL REFERENCES proposal(id),
    account_id  INTEGER NOT NULL REFERENCES account(id),
    choice      TEXT NOT NULL CHECK (choice IN ('for', 'against', 'abstain')),
    at          INTEGER NOT NULL,
    PRIMARY KEY (proposal_id, account_id)
);

-- Comments, threaded one level: a reply's parent is a top-level comment of the same proposal.
CREATE TABLE comment (
    id            INTEGER PRIMARY KEY,
    proposal_id   INTEGER NOT NULL REFERENCES proposal(id),
    parent_id     INTEGER REFERENCES comment(id),
    author_id     INTEGER NOT NULL REFERENCES account(id),
    body          TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    edited_at     INTEGER,
    -- Hidden by staff (hidden_by set) or by three residents' reports pending review (NULL).
    hidden_at     INTEGER,
    hidden_by     INTEGER REFERENCES account(id),
    hidden_reason TEXT,
    report_count  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX comment_thread ON comment (proposal_id, parent_id, id);

CREATE TABLE comment_report (
    comment_id  INTEGER NOT NULL REFERENCES comment(id),
    reporter_id INTEGER NOT NULL REFERENCES account(id),
    reason      TEXT NOT NULL,
    at          INTEGER NOT NULL,
    PRIMARY KEY (comment_id, reporter_id)
);

-- The public moderation log of a community.
CREATE TABLE moderation_log (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES community(id),
    proposal_id  INTEGER NOT NULL REFERENCES proposal(id),
    comment_id   INTEGER REFERENCES comment(id),
    action       TEXT NOT NULL CHECK (action IN ('hide', 'restore', 'auto_hide', 'lock', 'unlock')),
    -- NULL when three reports hid the comment.
    actor_id     INTEGER REFERENCES account(id),
    reason       TEXT NOT NULL DEFAULT '',
    at           INTEGER NOT NULL
);
CREATE INDEX moderation_log_community ON moderation_log (community_id, id);

-- Followers get inbox notifications (authors and commenters follow automatically).
CREATE TABLE follow (
    proposal_id INTEGER NOT NULL REFERENCES proposal(id),
    account_id  INTEGER NOT NULL REFERENCES account(id),
    PRIMARY KEY (proposal_id, account_id)
);

-- 线下议事会: recorded by staff beside the online hall.
CREATE TABLE meeting (
    id                 INTEGER PRIMARY KEY,
    community_id       INTEGER NOT NULL REFERENCES community(id),
    held_at            INTEGER NOT NULL,
    venue              TEXT NOT NULL,
    residents_present  INTEGER NOT NULL CHECK (residents_present >= 0),
    -- 两代表一委员: deputies to the people's congresses and CPPCC members.
    deputies_present   INTEGER NOT NULL CHECK (deputies_present >= 0),
    -- 五老: retired cadres, veterans, teachers, model workers and elders.
    elders_present     INTEGER NOT NULL CHECK (elders_present >= 0),
    minutes            TEXT NOT NULL,
    recorded_by        INTEGER NOT NULL REFERENCES account(id),
    created_at         INTEGER NOT NULL
);
CREATE INDEX meeting_community ON meeting (community_id, held_at);

-- A proposal on a meeting's agenda, with the decision and the paper-ballot count. Kept apart
-- from the online tally, never added to it.
CREATE TABLE meeting_item (
    meeting_id      INTEGER NOT NULL REFERENCES meeting(id),
    proposal_id     INTEGER NOT NULL REFERENCES proposal(id),
    decision        TEXT NOT NULL,
    ballots_for     INTEGER NOT NULL CHECK (ballots_for >= 0),
    ballots_against INTEGER NOT NULL CHECK (ballots_against >= 0),
    ballots_abstain INTEGER NOT NULL CHECK (ballots_abstain >= 0),
    PRIMARY KEY (meeting_id, proposal_id)
);
CREATE INDEX meeting_item_proposal ON meeting_item (proposal_id);

-- Implementation progress, dated by staff, on passed proposals until done.
CREATE TABLE progress_update (
    id          INTEGER PRIMARY KEY,
    proposal_id INTEGER NOT NULL REFERENCES proposal(id),
    author_id   INTEGER NOT NULL REFERENCES account(id),
    dated       TEXT NOT NULL,
    body        TEXT NOT NULL,
    at          INTEGER NOT NULL
);
CREATE INDEX progress_update_proposal ON progress_update (proposal_id, id);
