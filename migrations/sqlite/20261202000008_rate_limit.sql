-- Rate limits (app/src/ratelimit.rs): one counter per key ('comment:acct:42', 'register:addr:…')
-- and fixed window, shared by every server instance. The sweep deletes windows a day old.
CREATE TABLE rate_limit (
    key          TEXT PRIMARY KEY,
    window_start INTEGER NOT NULL,
    hits         INTEGER NOT NULL CHECK (hits >= 0)
);
CREATE INDEX rate_limit_window ON rate_limit (window_start);
