-- Task applications (taakapplicaties) as accounts with the role 'applicatie', their client
-- secrets and access tokens, and the Haal Centraal request context in the protocol (SQLite).
--
-- The role 'applicatie' also needs the CHECK on users widened. SQLite cannot alter a CHECK,
-- and rebuilding a table that others refer to needs foreign keys off, which cannot be
-- switched inside the transaction sqlx runs a migration in: SqliteStore::migrate does that
-- rebuild right after the migrations (see widen_users_role_check).

-- What only an application has besides its account.
CREATE TABLE applications (
    user_id        INTEGER PRIMARY KEY REFERENCES users (id),
    contact        TEXT NOT NULL,
    registered_by  TEXT NOT NULL
);

-- Client secrets: only an argon2 hash is kept. A rotated secret keeps working until
-- valid_until (the overlap), so the application can switch without an outage.
CREATE TABLE application_secrets (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    secret_hash  TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    valid_until  TEXT
);
CREATE INDEX application_secrets_by_user ON application_secrets (user_id);

-- Access tokens from /oauth/token: only the SHA-256 of the token is kept (the token is 256
-- random bits, so a fast hash suffices and checking a request never runs a password hash).
CREATE TABLE access_tokens (
    token_hash  TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    secret_id   INTEGER NOT NULL REFERENCES application_secrets (id),
    issued_at   TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE INDEX access_tokens_by_expiry ON access_tokens (expires_at);

-- The Haal Centraal request context of an API verstrekking.
ALTER TABLE verstrekkingen ADD COLUMN gebruiker TEXT;
ALTER TABLE verstrekkingen ADD COLUMN verwerking TEXT;
CREATE INDEX security_events_user ON security_events (user_id, at);
