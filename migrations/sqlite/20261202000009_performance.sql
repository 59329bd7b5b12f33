-- City-scale reads (issue 8, bench/RESULTS.md).
-- The district's rates read a year of every community's counters (3,000 rows and more); this
-- street-level rollup of appeal_stat, bumped in the same transactions, gives them 72.
CREATE TABLE appeal_stat_by_street (
    month          TEXT NOT NULL,
    street_id      INTEGER NOT NULL REFERENCES street(id),
    filed          INTEGER NOT NULL DEFAULT 0,
    callbacks      INTEGER NOT NULL DEFAULT 0,
    contacted      INTEGER NOT NULL DEFAULT 0,
    solved         INTEGER NOT NULL DEFAULT 0,
    satisfied      INTEGER NOT NULL DEFAULT 0,
    closed         INTEGER NOT NULL DEFAULT 0,
    closed_on_time INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (month, street_id)
);
INSERT INTO appeal_stat_by_street (month, street_id, filed, callbacks, contacted, solved, satisfied, closed, closed_on_time)
SELECT month, street_id, SUM(filed), SUM(callbacks), SUM(contacted), SUM(solved), SUM(satisfied), SUM(closed), SUM(closed_on_time)
  FROM appeal_stat GROUP BY month, street_id;
