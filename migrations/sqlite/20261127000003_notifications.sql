-- The in-app inbox. A notification is stored as a kind plus parameters, rendered in the
-- reader's language when shown (never as text in one language).
CREATE TABLE notification (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES account(id),
    kind        TEXT NOT NULL,
    params_json TEXT NOT NULL DEFAULT '{}',
    link        TEXT,
    created_at  INTEGER NOT NULL,
    read_at     INTEGER
);
CREATE INDEX notification_account ON notification (account_id, id);
-- Unread counts for the bell on every page.
CREATE INDEX notification_unread ON notification (account_id) WHERE read_at IS NULL;

CREATE INDEX audit_log_action ON audit_log (action, id);
