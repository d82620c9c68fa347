-- Accounts, departments, audit trail and login attempts (PostgreSQL).

CREATE TABLE afnemers (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE users (
    id                    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username              TEXT NOT NULL UNIQUE,
    display_name          TEXT NOT NULL,
    email                 TEXT,
    role                  TEXT NOT NULL CHECK (role IN ('beheerder', 'medewerker', 'toezichthouder')),
    afnemer_id            BIGINT REFERENCES afnemers (id),
    password_hash         TEXT NOT NULL,
    active                BOOLEAN NOT NULL DEFAULT TRUE,
    -- Sessions that logged in before this moment are no longer valid (password reset,
    -- deactivation).
    sessions_valid_after  TIMESTAMPTZ,
    last_login_at         TIMESTAMPTZ,
    created_at            TIMESTAMPTZ NOT NULL,
    CHECK (role <> 'medewerker' OR afnemer_id IS NOT NULL)
);

CREATE TABLE audit_events (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at    TIMESTAMPTZ NOT NULL,
    actor_user_id  BIGINT REFERENCES users (id),
    actor          TEXT NOT NULL,
    action         TEXT NOT NULL,
    subject        TEXT NOT NULL,
    field          TEXT,
    old_value      TEXT,
    new_value      TEXT
);
CREATE INDEX audit_events_by_time ON audit_events (occurred_at);

CREATE TABLE login_attempts (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    attempted_at  TIMESTAMPTZ NOT NULL,
    username      TEXT NOT NULL,
    client_addr   TEXT NOT NULL,
    succeeded     BOOLEAN NOT NULL
);
CREATE INDEX login_attempts_by_user ON login_attempts (username, attempted_at);
CREATE INDEX login_attempts_by_addr ON login_attempts (client_addr, attempted_at);
