#!/usr/bin/env bash
# A hot row on PostgreSQL (issue 8, migrations/postgres/20261205000013_hot_rows.sql): opens a
# vote in 观音井 (community 1), updates its counters VOTES times from WRITERS connections as
# votes do (a KEY SHARE lock, as the vote's foreign key takes, then the counter UPDATE), then
# times the index scan of that community's list page 1 — after the storm, again once the
# first scan has marked what it could, and after the next autovacuum (when the server runs
# it) — and removes the vote.
# DEDUP=on first turns index deduplication back on (the default before the migration) and
# rebuilds the indexes; the script rebuilds them as migrated when it ends.
#   bash bench/hot-row.sh [DATABASE_URL]   (default: the city bench's database)
#   WRITERS=16 VOTES=8000 DEDUP=off
set -euo pipefail
URL=${1:-postgres://postgres@127.0.0.1:5432/linli_bench_city}
WRITERS=${WRITERS:-16}; VOTES=${VOTES:-8000}; DEDUP=${DEDUP:-off}
PGBENCH=$(ls /usr/lib/postgresql/*/bin/pgbench | tail -1)
P() { psql "$URL" -qAt -v ON_ERROR_STOP=1 "$@"; }
INDEXES="proposal_newest proposal_state_newest proposal_supported proposal_closing proposal_due"
dedup() {
  for i in $INDEXES; do P -c "ALTER INDEX $i SET (deduplicate_items = $1)"; done
  P -c "REINDEX TABLE proposal"
}
scan() {
  P -c "EXPLAIN (ANALYZE, BUFFERS) SELECT p.id, p.title FROM proposal p WHERE p.community_id = 1
          ORDER BY p.created_at DESC, p.id DESC LIMIT 21" \
    | grep -A3 "Index Scan Backward" | grep -oE "actual time=[0-9.]+\.\.[0-9.]+|hit=[0-9]+( read=[0-9]+)?" \
    | sed -E 's/actual time=[0-9.]+\.\./index scan ms /; s/hit=/buffers /' | paste -sd' '
}
trap 'P -c "DELETE FROM proposal WHERE title = '"'"'基准测试：热行'"'"'" >/dev/null; dedup off' EXIT
[ "$DEDUP" = on ] && dedup on
P -c "VACUUM ANALYZE proposal"
echo "before the storm:        $(scan)"
ID=$(P -c "INSERT INTO proposal (community_id, author_id, category, title, body, search_text, state, voting_opens_at,
                                 voting_closes_at, created_at, updated_at)
           SELECT 1, MIN(id), 'facilities', '基准测试：热行', '热行', '基准测试：热行', 'voting', 0, 9999999999999,
                  (extract(epoch FROM now()) * 1000)::bigint, 0
             FROM account WHERE community_id = 1 RETURNING id" | head -1)
P -c "SELECT pg_stat_reset_single_table_counters('proposal'::regclass)" >/dev/null
SCRIPT=$(mktemp)
printf 'BEGIN;\nSELECT 1 FROM proposal WHERE id = %s FOR KEY SHARE;\nUPDATE proposal SET votes_for = votes_for + 1 WHERE id = %s AND state = %s;\nCOMMIT;\n' \
  "$ID" "$ID" "'voting'" > "$SCRIPT"
"$PGBENCH" -n -c "$WRITERS" -j 2 -t $((VOTES / WRITERS)) -f "$SCRIPT" "$URL" | grep -E '^tps' | sed 's/ (without.*//; s/^/storm: /'
rm -f "$SCRIPT"
STORM_END=$(P -c "SELECT now()")
P -c "SELECT 'updates ' || n_tup_upd || ', HOT ' || n_tup_hot_upd || ', dead ' || n_dead_tup FROM pg_stat_user_tables WHERE relname = 'proposal'"
echo "first scan after:        $(scan)"
echo "second scan after:       $(scan)"
if [ "$(P -c "SHOW autovacuum")" != on ]; then
  echo "after autovacuum:        autovacuum is off on this server (SHOW autovacuum): not waited for"
  exit 0
fi
for _ in $(seq 90); do
  [ -n "$(P -c "SELECT last_autovacuum FROM pg_stat_user_tables WHERE relname = 'proposal' AND last_autovacuum > '$STORM_END'")" ] && break
  sleep 2
done
echo "after autovacuum ($(P -c "SELECT CASE WHEN last_autovacuum > '$STORM_END' THEN round(extract(epoch FROM last_autovacuum - '$STORM_END'))::text || ' s after the storm' ELSE 'none within 3 min' END FROM pg_stat_user_tables WHERE relname = 'proposal'")): $(scan)"
