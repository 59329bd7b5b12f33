-- Hot rows after a storm (issue 8; `bench/hot-row.sh`, docs/architecture.md).
-- Every vote updates its proposal's counters and every sign-up its activity's, so one popular
-- proposal is updated thousands of times a minute. Most updates are HOT (the new row version
-- stays on its page, no new index entries), but under many writers 15–25% are not: the page
-- is full and cannot be pruned while others hold it. Each of those adds an entry to every
-- index, with the same key as the row's earlier versions.
--
-- 1. Deduplication merges those same-key entries into one posting list, which a scan can
--    never mark dead while it also holds the live version: every later scan visits every
--    dead version in the heap, until VACUUM. After 8,000 votes by 16 writers on one proposal,
--    观音井's list page 1's index scan read 291 buffers in 1.6 ms instead of 9 in 0.1; with
--    deduplication off the first scan marks the dead entries and later ones skip them (29–52
--    buffers, 0.4–0.95 ms). `bash bench/hot-row.sh` (`DEDUP=on` for before).
--    Off for the indexes a hot row's versions pile up in (new entries; existing ones stay).
ALTER INDEX proposal_newest SET (deduplicate_items = off);
ALTER INDEX proposal_state_newest SET (deduplicate_items = off);
ALTER INDEX proposal_supported SET (deduplicate_items = off);
ALTER INDEX proposal_closing SET (deduplicate_items = off);
ALTER INDEX proposal_due SET (deduplicate_items = off);
ALTER INDEX activity_upcoming SET (deduplicate_items = off);
ALTER INDEX activity_community SET (deduplicate_items = off);
ALTER INDEX activity_team SET (deduplicate_items = off);
ALTER INDEX activity_org SET (deduplicate_items = off);
ALTER INDEX activity_remind SET (deduplicate_items = off);
-- 2. VACUUM restores the rest (0.1 ms), but by default autovacuum waits for 20% of the table
--    to be dead (10,000 row versions at the city preset, where pruning leaves ~2,000 after
--    such a storm: it would not come at all). A thousand dead versions is enough here, so
--    the next autovacuum round (`autovacuum_naptime`, a minute) cleans up after a storm.
ALTER TABLE proposal SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000);
ALTER TABLE activity SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000);
