-- Every start of a citizen login (DigiD or its demo simulation), per client address, so a
-- flood of starts from one address can be throttled. Only attempts: no personal data.
CREATE TABLE citizen_login_starts (
    id           INTEGER PRIMARY KEY,
    started_at   TEXT NOT NULL,
    kind         TEXT NOT NULL,
    client_addr  TEXT NOT NULL
);
CREATE INDEX citizen_login_starts_by_addr ON citizen_login_starts (client_addr, started_at);
