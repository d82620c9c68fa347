-- no-transaction
-- Task applications (taakapplicaties) as accounts with the role 'applicatie', their client
-- secrets and access tokens, and the Haal Centraal request context in the protocol (SQLite).
--
-- The role is a CHECK constraint on users, which SQLite cannot alter: the table is rebuilt
-- in the documented way (foreign keys off, copy, drop, rename, check, on). That cannot run
-- inside sqlx's own transaction, hence `no-transaction` above and our own BEGIN/COMMIT.
PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE users_new (
    id                    INTEGER PRIMARY KEY,
    username              TEXT NOT NULL UNIQUE,
    display_name          TEXT NOT NULL,
    email                 TEXT,
    role                  TEXT NOT NULL
                          CHECK (role IN ('beheerder', 'medewerker', 'toezichthouder', 'applicatie')),
    afnemer_id            INTEGER REFERENCES afnemers (id),
    password_hash         TEXT NOT NULL,
    active                BOOLEAN NOT NULL DEFAULT TRUE,
    sessions_valid_after  TEXT,
    last_login_at         TEXT,
    created_at            TEXT NOT NULL,
    CHECK (role NOT IN ('medewerker', 'applicatie') OR afnemer_id IS NOT NULL)
);
INSERT INTO users_new (id, username, display_name, email, role, afnemer_id, password_hash,
                       active, sessions_valid_after, last_login_at, created_at)
SELECT id, username, display_name, email, role, afnemer_id, password_hash,
       active, sessions_valid_after, last_login_at, created_at
FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;

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

PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
