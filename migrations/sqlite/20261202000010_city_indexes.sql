-- "Newest first" walks (community, created_at, id). Ordered by id alone, PostgreSQL could walk
-- the primary key backwards and filter by community instead: for a community whose proposals
-- are mostly old that read most of the table for one page (bench/RESULTS.md: 163 pages/s).
-- No single-column index gives this order, so the composite is the only way.
DROP INDEX proposal_newest;
CREATE INDEX proposal_newest ON proposal (community_id, created_at, id);
DROP INDEX proposal_state_newest;
CREATE INDEX proposal_state_newest ON proposal (community_id, state, created_at, id);

-- Who holds a role in a place (the staff an overdue order or a new appeal is told about):
-- without it every such lookup read all grants (2.5 ms each at the city preset's 21,000).
CREATE INDEX role_grant_scope ON role_grant (scope_kind, scope_id, role);
