-- Accounts, departments, audit trail and login attempts (SQLite).
-- Times are RFC 3339 text in UTC, written by sqlx from chrono; they sort as text.

CREATE TABLE afnemers (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
);

CREATE TABLE users (
    id                    INTEGER PRIMARY KEY,
    username              TEXT NOT NULL UNIQUE,
    display_name          TEXT NOT NULL,
    email                 TEXT,
    role                  TEXT NOT NULL CHECK (role IN ('beheerder', 'medewerker', 'toezichthouder')),
    afnemer_id            INTEGER REFERENCES afnemers (id),
    password_hash         TEXT NOT NULL,
    active                BOOLEAN NOT NULL DEFAULT TRUE,
    -- Sessions that logged in before this moment are no longer valid (password reset,
    -- deactivation).
    sessions_valid_after  TEXT,
    last_login_at         TEXT,
    created_at            TEXT NOT NULL,
    CHECK (role <> 'medewerker' OR afnemer_id IS NOT NULL)
);

CREATE TABLE audit_events (
    id             INTEGER PRIMARY KEY,
    occurred_at    TEXT NOT NULL,
    actor_user_id  INTEGER REFERENCES users (id),
    actor          TEXT NOT NULL,
    action         TEXT NOT NULL,
    subject        TEXT NOT NULL,
    field          TEXT,
    old_value      TEXT,
    new_value      TEXT
);
CREATE INDEX audit_events_by_time ON audit_events (occurred_at);

CREATE TABLE login_attempts (
    id            INTEGER PRIMARY KEY,
    attempted_at  TEXT NOT NULL,
    username      TEXT NOT NULL,
    client_addr   TEXT NOT NULL,
    succeeded     BOOLEAN NOT NULL
);
CREATE INDEX login_attempts_by_user ON login_attempts (username, attempted_at);
CREATE INDEX login_attempts_by_addr ON login_attempts (client_addr, attempted_at);
