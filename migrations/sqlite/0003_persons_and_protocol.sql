-- The embedded BRP source (persons), the protocol of verstrekkingen, the security log of
-- refused requests, and terugmeldingen (SQLite).

-- One row per person: the Haal Centraal Persoon as JSON, and the columns the search types
-- use, folded (lower case, no diacritics) so that comparisons are plain byte comparisons.
-- A rowid table with a unique BSN rather than WITHOUT ROWID: the rows are kilobytes of
-- JSON, and SQLite keeps large rows best in a rowid table (measured: loading a million
-- persons wrote several times more to disk WITHOUT ROWID).
CREATE TABLE persons (
    id                    INTEGER PRIMARY KEY,
    bsn                   TEXT NOT NULL UNIQUE,
    a_nummer              TEXT,
    geslachtsnaam         TEXT NOT NULL,
    voornamen             TEXT NOT NULL,
    voorvoegsel           TEXT NOT NULL,
    geslacht              TEXT NOT NULL,
    geboortedatum         TEXT,
    gemeente_code         TEXT NOT NULL,
    postcode              TEXT NOT NULL,
    huisnummer            INTEGER,
    huisletter            TEXT NOT NULL,
    huisnummertoevoeging  TEXT NOT NULL,
    straat                TEXT NOT NULL,
    overleden             BOOLEAN NOT NULL,
    data                  TEXT NOT NULL
);

CREATE INDEX persons_naam_geboorte ON persons (geslachtsnaam, geboortedatum);
CREATE INDEX persons_gemeente_naam ON persons (gemeente_code, geslachtsnaam);
CREATE INDEX persons_postcode ON persons (postcode, huisnummer);
CREATE INDEX persons_straat ON persons (gemeente_code, huisnummer, straat);

-- The sets of fields provided, stored once and referred to by id: a protocol kept for 20
-- years holds millions of rows with a handful of distinct field lists.
CREATE TABLE protocol_fieldsets (
    id      INTEGER PRIMARY KEY,
    fields  TEXT NOT NULL UNIQUE
);

-- One row per person provided, per request (Wet BRP 3.11). Names of the afnemer and doel
-- are copied as they were at the time: the record must say what happened then.
CREATE TABLE verstrekkingen (
    id               INTEGER PRIMARY KEY,
    request_id       TEXT NOT NULL,
    bsn              TEXT NOT NULL,
    at               TEXT NOT NULL,
    user_id          INTEGER NOT NULL REFERENCES users (id),
    username         TEXT NOT NULL,
    grant_id         INTEGER NOT NULL,
    profile_id       INTEGER NOT NULL,
    profile_version  INTEGER NOT NULL,
    afnemer_id       INTEGER NOT NULL,
    afnemer_name     TEXT NOT NULL,
    doel_id          INTEGER NOT NULL,
    doel_name        TEXT NOT NULL,
    zaak             TEXT NOT NULL,
    search_type      TEXT NOT NULL,
    channel          TEXT NOT NULL,
    fieldset_id      INTEGER NOT NULL REFERENCES protocol_fieldsets (id)
);

CREATE INDEX verstrekkingen_bsn ON verstrekkingen (bsn, at);
CREATE INDEX verstrekkingen_user ON verstrekkingen (user_id, at);
CREATE INDEX verstrekkingen_afnemer ON verstrekkingen (afnemer_id, at);
CREATE INDEX verstrekkingen_at ON verstrekkingen (at);

-- The protocol is evidence: no row changes, and none goes before its 20 years are over.
CREATE TRIGGER verstrekkingen_no_update BEFORE UPDATE ON verstrekkingen
BEGIN
    SELECT RAISE(ABORT, 'a protocol record cannot be changed');
END;

CREATE TRIGGER verstrekkingen_kept_20_years BEFORE DELETE ON verstrekkingen
WHEN OLD.at > datetime('now', '-20 years')
BEGIN
    SELECT RAISE(ABORT, 'a protocol record is kept for 20 years');
END;

-- Requests refused because they went outside a grant: no verstrekking, but evidence of
-- possible misuse for the beheerder and the toezichthouder.
CREATE TABLE security_events (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    user_id    INTEGER REFERENCES users (id),
    username   TEXT NOT NULL,
    grant_id   INTEGER,
    action     TEXT NOT NULL,
    reason     TEXT NOT NULL,
    detail     TEXT NOT NULL
);

CREATE INDEX security_events_at ON security_events (at);

CREATE TABLE terugmeldingen (
    id             INTEGER PRIMARY KEY,
    bsn            TEXT NOT NULL,
    field_path     TEXT NOT NULL,
    field_label    TEXT NOT NULL,
    reason         TEXT NOT NULL,
    reported_by    INTEGER NOT NULL REFERENCES users (id),
    reporter_name  TEXT NOT NULL,
    afnemer_id     INTEGER,
    afnemer_name   TEXT NOT NULL,
    reported_at    TEXT NOT NULL,
    status         TEXT NOT NULL,
    outcome        TEXT NOT NULL DEFAULT '',
    handled_by     TEXT,
    handled_at     TEXT
);

CREATE INDEX terugmeldingen_status ON terugmeldingen (status, reported_at);
