#!/usr/bin/env bash
# Row locks on PostgreSQL without new row versions (issue 8, `db::lock_rows`): a sign-up storm
# on a full activity, as `sign_up` runs it (lock the volunteer; try for a slot; lock the
# activity and look again; join the waitlist and move its counter), from WRITERS connections,
# SIGNUPS times.
# LOCK=select takes the two locks as the app does now, `SELECT … FOR NO KEY UPDATE`;
# LOCK=update as it did before, a no-op `UPDATE … SET c = c`, which writes a new version of
# the row each time. Prints the storm's rate, the row versions each table gained, and the time
# of the query the activity's page and the market list read after the storm (the activity with
# its waitlist's length: from the counter, as now, and by counting the rows, as before
# migration 15); then removes the activity and its sign-ups.
#   bash bench/lock-row.sh [DATABASE_URL]   (default: the city bench's database)
#   WRITERS=16 SIGNUPS=8000 LOCK=select
set -euo pipefail
URL=${1:-postgres://postgres@127.0.0.1:5432/linli_bench_city}
WRITERS=${WRITERS:-16}; SIGNUPS=${SIGNUPS:-8000}; LOCK=${LOCK:-select}
PGBENCH=$(ls /usr/lib/postgresql/*/bin/pgbench | tail -1)
P() { psql "$URL" -qAt -v ON_ERROR_STOP=1 "$@"; }
TITLE='基准测试：锁行'
cleanup() {
  P -c "DELETE FROM signup WHERE activity_id IN (SELECT id FROM activity WHERE title = '$TITLE')" >/dev/null
  P -c "DELETE FROM activity_waitlist WHERE activity_id IN (SELECT id FROM activity WHERE title = '$TITLE')" >/dev/null
  P -c "DELETE FROM activity WHERE title = '$TITLE'" >/dev/null
  P -c "SET client_min_messages = warning; DROP TABLE IF EXISTS bench_lock_volunteer" >/dev/null
}
trap cleanup EXIT
cleanup
# A full activity of 观音井 (community 1), a year ahead, and the volunteers who will queue for it
# (drawn at random: one already waiting is not counted again, as `sign_up` answers them).
ID=$(P -c "INSERT INTO activity (title, description, team_id, community_id, place, starts_at, ends_at, slots,
                                 confirmed_count, checkin_code, organiser_id, created_at)
           SELECT '$TITLE', '锁行基准', id, community_id, '社区活动室', 40000000000000, 40000007200000, 1, 1, '000000',
                  leader_id, 0 FROM team WHERE community_id = 1 ORDER BY id LIMIT 1 RETURNING id" | head -1)
P -c "CREATE TABLE bench_lock_volunteer AS
        SELECT row_number() OVER (ORDER BY account_id) AS n, account_id FROM volunteer ORDER BY account_id LIMIT $SIGNUPS"
VOLUNTEERS=$(P -c "SELECT COUNT(*) FROM bench_lock_volunteer")
P -c "VACUUM ANALYZE activity, volunteer, signup"
if [ "$LOCK" = update ]; then
  LOCK_VOLUNTEER="UPDATE volunteer SET total_minutes = total_minutes WHERE account_id = :v RETURNING account_id"
  LOCK_ACTIVITY="UPDATE activity SET slots = slots WHERE id = $ID RETURNING confirmed_count, slots"
else
  LOCK_VOLUNTEER="SELECT account_id FROM volunteer WHERE account_id = :v FOR NO KEY UPDATE"
  LOCK_ACTIVITY="SELECT confirmed_count, slots FROM activity WHERE id = $ID FOR NO KEY UPDATE"
fi
for t in activity volunteer; do P -c "SELECT pg_stat_reset_single_table_counters('$t'::regclass)" >/dev/null; done
SCRIPT=$(mktemp)
cat > "$SCRIPT" <<SQL
\set k random(1, $VOLUNTEERS)
SELECT account_id AS v FROM bench_lock_volunteer WHERE n = :k \gset
BEGIN;
$LOCK_VOLUNTEER;
SELECT status FROM signup WHERE activity_id = $ID AND account_id = :v;
SELECT id FROM signup WHERE account_id = :v AND starts_at < 40000007200000 AND ends_at > 40000000000000 LIMIT 1;
UPDATE activity SET confirmed_count = confirmed_count + 1 WHERE id = $ID AND confirmed_count < slots;
$LOCK_ACTIVITY;
WITH joined AS (INSERT INTO signup (activity_id, account_id, status, starts_at, ends_at, signed_up_at)
  VALUES ($ID, :v, 'waitlisted', 40000000000000, 40000007200000, 0) ON CONFLICT DO NOTHING RETURNING 1)
INSERT INTO activity_waitlist (activity_id, waiting) SELECT $ID, 1 FROM joined
  ON CONFLICT (activity_id) DO UPDATE SET waiting = activity_waitlist.waiting + excluded.waiting;
COMMIT;
SQL
echo "LOCK=$LOCK, $WRITERS writers, $SIGNUPS sign-ups on one full activity"
WAL_START=$(P -c "SELECT pg_current_wal_lsn()")
"$PGBENCH" -n -c "$WRITERS" -j 2 -t $((SIGNUPS / WRITERS)) -f "$SCRIPT" "$URL" | grep -E '^tps|latency average' | sed 's/ (without.*//; s/^/storm: /'
rm -f "$SCRIPT"
sleep 1 # the statistics collector's last report
for t in activity volunteer; do
  P -c "SELECT '$t: row versions written ' || n_tup_upd || ' (HOT ' || n_tup_hot_upd || '), dead now ' || n_dead_tup FROM pg_stat_user_tables WHERE relname = '$t'"
done
P -c "SELECT 'WAL written during the storm: ' || pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(), '$WAL_START')) || ', '
               || round(pg_wal_lsn_diff(pg_current_wal_lsn(), '$WAL_START') / $SIGNUPS) || ' bytes a sign-up'"
# What the activity's page reads (store::ACTIVITY_COLUMNS): the row and its waitlist's length,
# from the counter (`activity_waitlist`) and, as before migration 15, by counting its rows.
page() {
  P -c "EXPLAIN (ANALYZE, BUFFERS) SELECT a.id, a.confirmed_count, a.slots, $1 AS waitlisted
          FROM activity a LEFT JOIN activity_waitlist wl ON wl.activity_id = a.id WHERE a.id = $ID" \
    | grep -E "Execution Time|Buffers" | sed -n '1p;$p' | grep -oE "hit=[0-9]+|Execution Time: [0-9.]+" \
    | sed -E 's/hit=/buffers /; s/Execution Time: /, ms /' | paste -sd' '
}
P -c "SELECT 'waiting: counter ' || (SELECT waiting FROM activity_waitlist WHERE activity_id = $ID)
             || ', rows ' || (SELECT COUNT(*) FROM signup WHERE activity_id = $ID AND status = 'waitlisted')"
for i in 1 2; do
  echo "activity page query, scan $i: counter: $(page "COALESCE(wl.waiting, 0)"); counting the rows: $(page "(SELECT COUNT(*) FROM signup w WHERE w.activity_id = a.id AND w.status = 'waitlisted')")"
done
