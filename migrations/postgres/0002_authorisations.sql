-- The authorisation register: grondslagen, doelen, profielen with versions,
-- autorisatieformulieren, grants, letters and the e-mail outbox (PostgreSQL).

ALTER TABLE afnemers ADD COLUMN wettelijk_kader TEXT NOT NULL DEFAULT '';
-- Set: this afnemer's verstrekkingen are left out of citizens' overviews on this ground
-- (Besluit BRP art. 46).
ALTER TABLE afnemers ADD COLUMN hidden_from_citizen_ground TEXT;

CREATE TABLE grondslagen (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    law          TEXT NOT NULL,
    article      TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (law, article)
);

CREATE TABLE doelen (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    afnemer_id    BIGINT NOT NULL REFERENCES afnemers (id),
    grondslag_id  BIGINT NOT NULL REFERENCES grondslagen (id),
    name          TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (afnemer_id, name)
);

CREATE TABLE profiles (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    afnemer_id   BIGINT NOT NULL REFERENCES afnemers (id),
    description  TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL
);

-- Every change of a profile is a new row; a row's content never changes, only its status
-- (from ter_goedkeuring to goedgekeurd or afgewezen) and the decision.
CREATE TABLE profile_versions (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    profile_id           BIGINT NOT NULL REFERENCES profiles (id),
    version              INTEGER NOT NULL,
    content              TEXT NOT NULL,
    status               TEXT NOT NULL CHECK (status IN ('ter_goedkeuring', 'goedgekeurd', 'afgewezen')),
    note                 TEXT NOT NULL DEFAULT '',
    proposed_by_user_id  BIGINT REFERENCES users (id),
    proposed_by          TEXT NOT NULL,
    proposed_at          TIMESTAMPTZ NOT NULL,
    decided_by_user_id   BIGINT REFERENCES users (id),
    decided_by           TEXT,
    decided_at           TIMESTAMPTZ,
    decision_reason      TEXT,
    UNIQUE (profile_id, version)
);
-- At most one version of a profile waits for approval.
CREATE UNIQUE INDEX profile_versions_one_pending
    ON profile_versions (profile_id) WHERE status = 'ter_goedkeuring';

CREATE TABLE authorisation_requests (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    requester_id        BIGINT NOT NULL REFERENCES users (id),
    profile_id          BIGINT NOT NULL REFERENCES profiles (id),
    profile_version     INTEGER NOT NULL,
    motivation          TEXT NOT NULL,
    start_date          DATE NOT NULL,
    end_date            DATE NOT NULL,
    signed_text         TEXT NOT NULL,
    signed_name         TEXT NOT NULL,
    signed_at           TIMESTAMPTZ NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('ingediend', 'ingetrokken', 'goedgekeurd', 'afgewezen')),
    decided_by_user_id  BIGINT REFERENCES users (id),
    decided_by          TEXT,
    decided_at          TIMESTAMPTZ,
    decision_reason     TEXT
);
CREATE INDEX authorisation_requests_by_status ON authorisation_requests (status, signed_at);
CREATE INDEX authorisation_requests_by_requester ON authorisation_requests (requester_id);

-- The signed form is a record: once stored, what was signed cannot change.
CREATE FUNCTION authorisation_requests_signed_is_final() RETURNS trigger AS $$
BEGIN
    IF (NEW.requester_id, NEW.profile_id, NEW.profile_version, NEW.motivation, NEW.start_date,
        NEW.end_date, NEW.signed_text, NEW.signed_name, NEW.signed_at)
       IS DISTINCT FROM
       (OLD.requester_id, OLD.profile_id, OLD.profile_version, OLD.motivation, OLD.start_date,
        OLD.end_date, OLD.signed_text, OLD.signed_name, OLD.signed_at) THEN
        RAISE EXCEPTION 'an autorisatieformulier cannot be edited after it is signed';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER authorisation_requests_signed_is_final
BEFORE UPDATE ON authorisation_requests
FOR EACH ROW EXECUTE FUNCTION authorisation_requests_signed_is_final();

CREATE TABLE grants (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id            BIGINT NOT NULL REFERENCES users (id),
    profile_id         BIGINT NOT NULL REFERENCES profiles (id),
    request_id         BIGINT REFERENCES authorisation_requests (id),
    confirmed_version  INTEGER NOT NULL,
    start_date         DATE NOT NULL,
    end_date           DATE NOT NULL,
    last_confirmed_at  TIMESTAMPTZ NOT NULL,
    last_confirmed_by  TEXT NOT NULL,
    revoked_at         TIMESTAMPTZ,
    revoked_by         TEXT,
    revoke_reason      TEXT,
    created_at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX grants_by_user ON grants (user_id);
CREATE INDEX grants_by_profile ON grants (profile_id);

CREATE TABLE letters (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id),
    kind        TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body_html   TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX letters_by_user ON letters (user_id);

CREATE TABLE outbox (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    to_address   TEXT NOT NULL,
    to_name      TEXT NOT NULL,
    subject      TEXT NOT NULL,
    body_text    TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    sent_at      TIMESTAMPTZ,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT
);
