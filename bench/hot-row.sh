#!/usr/bin/env bash
# A hot row on PostgreSQL (issue 8, migrations/postgres/20261205000013_hot_rows.sql and
# 20261207000014_proposal_tally.sql): opens a vote in 观音井 (community 1), updates its
# counters VOTES times from WRITERS connections as votes do (a KEY SHARE lock, as the vote's
# foreign key takes, then the counter UPDATE), then times the index scan of that community's
# list page 1 — after the storm, again once the first scan has marked what it could, and after
# the next autovacuum (when the server runs it) — and removes the vote.
# The counters are where the schema keeps them, the narrow `proposal_tally` row.
# LAYOUT=row puts them back on the wide proposal row for comparison, as they were before
# 20261207000014 (a column `bench_votes` added for the run and dropped after).
# DEDUP=on first turns index deduplication back on (the default before 20261205000013) and
# rebuilds the indexes; the script rebuilds them as migrated when it ends.
#   bash bench/hot-row.sh [DATABASE_URL]   (default: the city bench's database)
#   WRITERS=16 VOTES=8000 DEDUP=off LAYOUT=tally
set -euo pipefail
URL=${1:-postgres://postgres@127.0.0.1:5432/linli_bench_city}
WRITERS=${WRITERS:-16}; VOTES=${VOTES:-8000}; DEDUP=${DEDUP:-off}; LAYOUT=${LAYOUT:-tally}
PGBENCH=$(ls /usr/lib/postgresql/*/bin/pgbench | tail -1)
P() { psql "$URL" -qAt -v ON_ERROR_STOP=1 "$@"; }
INDEXES="proposal_newest proposal_state_newest proposal_supported proposal_closing"
dedup() {
  for i in $INDEXES; do P -c "ALTER INDEX $i SET (deduplicate_items = $1)"; done
  P -c "REINDEX TABLE proposal"
}
# The list's page 1 (with its counters, as the page reads them): the index scan's time and
# buffers, and the whole query's.
scan() {
  local from="proposal p LEFT JOIN proposal_tally t ON t.proposal_id = p.id" votes="COALESCE(t.votes_for, 0)"
  [ "$LAYOUT" = row ] && from="proposal p" && votes="p.bench_votes"
  P -c "EXPLAIN (ANALYZE, BUFFERS) SELECT p.id, p.title, $votes FROM $from WHERE p.community_id = 1
          ORDER BY p.created_at DESC, p.id DESC LIMIT 21" \
    | grep -E -A2 "Index Scan Backward|Execution Time" | grep -oE "actual time=[0-9.]+\.\.[0-9.]+|hit=[0-9]+( read=[0-9]+)?|Execution Time: [0-9.]+" \
    | sed -E 's/actual time=[0-9.]+\.\./index scan ms /; s/hit=/buffers /; s/Execution Time: /, query ms /' | paste -sd' '
}
cleanup() {
  P -c "DELETE FROM proposal_tally WHERE proposal_id IN (SELECT id FROM proposal WHERE title = '基准测试：热行')" >/dev/null
  P -c "DELETE FROM proposal WHERE title = '基准测试：热行'" >/dev/null
  P -c "SET client_min_messages = warning; ALTER TABLE proposal DROP COLUMN IF EXISTS bench_votes" >/dev/null
  dedup off
}
trap cleanup EXIT
[ "$DEDUP" = on ] && dedup on
[ "$LAYOUT" = row ] && P -c "ALTER TABLE proposal ADD COLUMN bench_votes BIGINT NOT NULL DEFAULT 0"
P -c "VACUUM ANALYZE proposal, proposal_tally"
echo "before the storm:        $(scan)"
ID=$(P -c "INSERT INTO proposal (community_id, author_id, category, title, body, search_text, state, voting_opens_at,
                                 voting_closes_at, created_at, updated_at)
           SELECT 1, MIN(id), 'facilities', '基准测试：热行', '热行', '基准测试：热行', 'voting', 0, 9999999999999,
                  (extract(epoch FROM now()) * 1000)::bigint, 0
             FROM account WHERE community_id = 1 RETURNING id" | head -1)
P -c "INSERT INTO proposal_tally (proposal_id, open_until) VALUES ($ID, 9999999999999)"
# The table the storm updates, as `cast_vote` does.
HOT=proposal_tally; UPDATE="UPDATE proposal_tally SET votes_for = votes_for + 1 WHERE proposal_id = $ID AND open_until > 0"
[ "$LAYOUT" = row ] && HOT=proposal && UPDATE="UPDATE proposal SET bench_votes = bench_votes + 1 WHERE id = $ID AND state = 'voting'"
P -c "SELECT pg_stat_reset_single_table_counters('$HOT'::regclass)" >/dev/null
SCRIPT=$(mktemp)
printf 'BEGIN;\nSELECT 1 FROM proposal WHERE id = %s FOR KEY SHARE;\n%s;\nCOMMIT;\n' "$ID" "$UPDATE" > "$SCRIPT"
"$PGBENCH" -n -c "$WRITERS" -j 2 -t $((VOTES / WRITERS)) -f "$SCRIPT" "$URL" | grep -E '^tps' | sed 's/ (without.*//; s/^/storm: /'
rm -f "$SCRIPT"
STORM_END=$(P -c "SELECT now()")
P -c "SELECT '$HOT: updates ' || n_tup_upd || ', HOT ' || n_tup_hot_upd || ', dead ' || n_dead_tup FROM pg_stat_user_tables WHERE relname = '$HOT'"
echo "first scan after:        $(scan)"
echo "second scan after:       $(scan)"
if [ "$(P -c "SHOW autovacuum")" != on ]; then
  echo "after autovacuum:        autovacuum is off on this server (SHOW autovacuum): not waited for"
  exit 0
fi
for _ in $(seq 90); do
  [ -n "$(P -c "SELECT last_autovacuum FROM pg_stat_user_tables WHERE relname = '$HOT' AND last_autovacuum > '$STORM_END'")" ] && break
  sleep 2
done
echo "after autovacuum ($(P -c "SELECT CASE WHEN last_autovacuum > '$STORM_END' THEN round(extract(epoch FROM last_autovacuum - '$STORM_END'))::text || ' s after the storm' ELSE 'none within 3 min' END FROM pg_stat_user_tables WHERE relname = '$HOT'")): $(scan)"
