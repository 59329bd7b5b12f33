-- City-scale reads (issue 8, bench/RESULTS.md).
-- The district's rates read a year of every community's counters (3,000 rows and more); this
-- street-level rollup of appeal_stat, bumped in the same transactions, gives them 72.
CREATE TABLE appeal_stat_by_street (
    month          TEXT NOT NULL,
    street_id      BIGINT NOT NULL REFERENCES street(id),
    filed          BIGINT NOT NULL DEFAULT 0,
    callbacks      BIGINT NOT NULL DEFAULT 0,
    contacted      BIGINT NOT NULL DEFAULT 0,
    solved         BIGINT NOT NULL DEFAULT 0,
    satisfied      BIGINT NOT NULL DEFAULT 0,
    closed         BIGINT NOT NULL DEFAULT 0,
    closed_on_time BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (month, street_id)
);
INSERT INTO appeal_stat_by_street (month, street_id, filed, callbacks, contacted, solved, satisfied, closed, closed_on_time)
SELECT month, street_id, SUM(filed), SUM(callbacks), SUM(contacted), SUM(solved), SUM(satisfied), SUM(closed), SUM(closed_on_time)
  FROM appeal_stat GROUP BY month, street_id;
