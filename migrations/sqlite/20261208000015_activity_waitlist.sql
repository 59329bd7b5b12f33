-- How many wait on an activity's waitlist, kept as the sign-ups change (issue 8;
-- `bash bench/lock-row.sh`, `bash bench/city.sh`). The activity's page and the market's lists
-- counted the waitlist's rows on every render: after a storm of 8,000 sign-ups on one full
-- activity that count read about 5,000 buffers in 3–7 ms on PostgreSQL, and the page served 6%
-- of its ceiling. The counter is not on the activity's row: that row is wide (title,
-- description) and on PostgreSQL every waitlisted sign-up would rewrite it; the schema is the
-- same on both engines.
--
-- A row exists once someone has waited on the activity. It changes only under the activity's
-- lock (market/store.rs, `waitlist_moved`).
CREATE TABLE activity_waitlist (
    activity_id INTEGER PRIMARY KEY REFERENCES activity(id),
    waiting     INTEGER NOT NULL DEFAULT 0 CHECK (waiting >= 0)
);

INSERT INTO activity_waitlist (activity_id, waiting)
SELECT activity_id, COUNT(*) FROM signup WHERE status = 'waitlisted' GROUP BY activity_id;
