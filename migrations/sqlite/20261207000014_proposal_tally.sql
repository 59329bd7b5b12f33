-- A proposal's vote count, apart from the proposal (issue 8): see the PostgreSQL migration of
-- the same name for why. SQLite has one writer, so here it only keeps the two engines' schemas
-- and queries the same.
--
-- The row exists from the moment a vote opens; `open_until` is the closing time while it is
-- open and NULL once closed. A vote updates the row only while `open_until` is ahead of it,
-- and the closing sets it to NULL in the same row.
CREATE TABLE proposal_tally (
    proposal_id   INTEGER PRIMARY KEY REFERENCES proposal(id),
    votes_for     INTEGER NOT NULL DEFAULT 0 CHECK (votes_for >= 0),
    votes_against INTEGER NOT NULL DEFAULT 0 CHECK (votes_against >= 0),
    votes_abstain INTEGER NOT NULL DEFAULT 0 CHECK (votes_abstain >= 0),
    open_until    INTEGER
);

INSERT INTO proposal_tally (proposal_id, votes_for, votes_against, votes_abstain, open_until)
SELECT id, votes_for, votes_against, votes_abstain, CASE WHEN state = 'voting' THEN voting_closes_at END
  FROM proposal
 WHERE voting_closes_at IS NOT NULL OR votes_for + votes_against + votes_abstain > 0;

ALTER TABLE proposal DROP COLUMN votes_for;
ALTER TABLE proposal DROP COLUMN votes_against;
ALTER TABLE proposal DROP COLUMN votes_abstain;
