-- Burgerverzoeken (Wet BRP 2.55, 2.58, 2.59, 3.21-3.23): citizens' requests with their
-- history, attachments and letters; corrections of the embedded source with the old value;
-- verstrekkingsbeperkingen; pending DigiD logins (SQLite).

-- A receiver's kind decides whether a verstrekkingsbeperking stops provision to it.
ALTER TABLE afnemers ADD COLUMN kind TEXT NOT NULL DEFAULT 'binnengemeentelijk';

-- Ids are random UUIDs, so that one citizen cannot find another's request by counting.
CREATE TABLE citizen_requests (
    id                   TEXT PRIMARY KEY,
    reference            TEXT NOT NULL UNIQUE,
    bsn                  TEXT NOT NULL,
    kind                 TEXT NOT NULL,
    channel              TEXT NOT NULL,
    identity_note        TEXT NOT NULL,
    assurance            TEXT,
    email                TEXT,
    received_at          TEXT NOT NULL,
    received_on          TEXT NOT NULL,
    registered_by        TEXT,
    status               TEXT NOT NULL,
    assigned_to_user_id  INTEGER REFERENCES users (id),
    assigned_to          TEXT,
    field_path           TEXT,
    current_value        TEXT,
    proposed_value       TEXT,
    explanation          TEXT NOT NULL DEFAULT '',
    outcome              TEXT,
    motivation           TEXT NOT NULL DEFAULT '',
    decided_by           TEXT,
    decided_at           TEXT,
    inform_recipients    BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE INDEX citizen_requests_bsn ON citizen_requests (bsn, received_at);
CREATE INDEX citizen_requests_status ON citizen_requests (status, received_on);

-- One open request of a kind (and, for a correctie, of an element) per person: the service
-- checks it first and says so in Dutch; this holds when two arrive at once.
CREATE UNIQUE INDEX citizen_requests_one_open ON citizen_requests (bsn, kind, COALESCE(field_path, ''))
WHERE status <> 'afgehandeld';

CREATE TABLE citizen_request_events (
    id          INTEGER PRIMARY KEY,
    request_id  TEXT NOT NULL REFERENCES citizen_requests (id),
    at          TEXT NOT NULL,
    kind        TEXT NOT NULL,
    actor       TEXT NOT NULL,
    by_citizen  BOOLEAN NOT NULL,
    text        TEXT NOT NULL DEFAULT '',
    -- A step the citizen is not shown (telling an afnemer of Besluit BRP art. 46).
    staff_only  BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE INDEX citizen_request_events_request ON citizen_request_events (request_id, id);

CREATE TABLE citizen_attachments (
    id            TEXT PRIMARY KEY,
    request_id    TEXT NOT NULL REFERENCES citizen_requests (id),
    file_name     TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    data          BLOB NOT NULL,
    uploaded_at   TEXT NOT NULL,
    by_citizen    BOOLEAN NOT NULL
);

CREATE INDEX citizen_attachments_request ON citizen_attachments (request_id);

-- Letters are documents that were sent: never changed afterwards.
CREATE TABLE citizen_letters (
    id          TEXT PRIMARY KEY,
    request_id  TEXT NOT NULL REFERENCES citizen_requests (id),
    kind        TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body_html   TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE INDEX citizen_letters_request ON citizen_letters (request_id, created_at);

CREATE TRIGGER citizen_letters_are_final BEFORE UPDATE ON citizen_letters
BEGIN
    SELECT RAISE(ABORT, 'a letter that was sent cannot be changed');
END;

CREATE TRIGGER citizen_letters_are_kept BEFORE DELETE ON citizen_letters
BEGIN
    SELECT RAISE(ABORT, 'a letter that was sent cannot be deleted');
END;

-- A granted correctie keeps the old value with who, when and why (Wet BRP 2.58).
CREATE TABLE person_corrections (
    id             INTEGER PRIMARY KEY,
    bsn            TEXT NOT NULL,
    request_id     TEXT NOT NULL REFERENCES citizen_requests (id),
    field_path     TEXT NOT NULL,
    field_label    TEXT NOT NULL,
    old_value      TEXT NOT NULL,
    new_value      TEXT NOT NULL,
    old_data       TEXT NOT NULL,
    corrected_by   TEXT NOT NULL,
    corrected_at   TEXT NOT NULL,
    reason         TEXT NOT NULL
);

CREATE INDEX person_corrections_bsn ON person_corrections (bsn, corrected_at);

CREATE TRIGGER person_corrections_no_update BEFORE UPDATE ON person_corrections
BEGIN
    SELECT RAISE(ABORT, 'a correction record cannot be changed');
END;

CREATE TRIGGER person_corrections_no_delete BEFORE DELETE ON person_corrections
BEGIN
    SELECT RAISE(ABORT, 'a correction record cannot be deleted');
END;

-- Earlier recipients of a corrected value that were told (Wet BRP 3.23).
CREATE TABLE correction_notifications (
    id             INTEGER PRIMARY KEY,
    correction_id  INTEGER NOT NULL REFERENCES person_corrections (id),
    afnemer_id     INTEGER NOT NULL,
    afnemer_name   TEXT NOT NULL,
    notified_at    TEXT NOT NULL,
    notified_by    TEXT NOT NULL,
    UNIQUE (correction_id, afnemer_id)
);

-- Verstrekkingsbeperkingen (Wet BRP 2.59): from the day granted until withdrawn.
CREATE TABLE verstrekkingsbeperkingen (
    id                 INTEGER PRIMARY KEY,
    bsn                TEXT NOT NULL,
    request_id         TEXT NOT NULL REFERENCES citizen_requests (id),
    started_on         TEXT NOT NULL,
    ended_on           TEXT,
    ended_request_id   TEXT REFERENCES citizen_requests (id)
);

CREATE INDEX verstrekkingsbeperkingen_bsn ON verstrekkingsbeperkingen (bsn);
CREATE UNIQUE INDEX verstrekkingsbeperkingen_one_active ON verstrekkingsbeperkingen (bsn)
WHERE ended_on IS NULL;

-- A DigiD login between the redirect to the broker and its return. The browser holds the
-- binding secret in a cookie; only its hash is kept.
CREATE TABLE citizen_login_states (
    state          TEXT PRIMARY KEY,
    nonce          TEXT NOT NULL,
    pkce_verifier  TEXT NOT NULL,
    binding_hash   TEXT NOT NULL,
    created_at     TEXT NOT NULL
);
