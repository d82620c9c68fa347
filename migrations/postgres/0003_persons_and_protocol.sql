-- The embedded BRP source (persons), the protocol of verstrekkingen, the security log of
-- refused requests, and terugmeldingen (PostgreSQL).

-- One row per person: the Haal Centraal Persoon as JSON text (read whole, never queried
-- inside), and the columns the search types use, folded (lower case, no diacritics).
-- COLLATE "C" makes comparisons byte order, as in SQLite, so a prefix search is an index
-- range scan whatever the database's locale.
CREATE TABLE persons (
    bsn                   TEXT PRIMARY KEY,
    a_nummer              TEXT,
    geslachtsnaam         TEXT COLLATE "C" NOT NULL,
    voornamen             TEXT COLLATE "C" NOT NULL,
    voorvoegsel           TEXT COLLATE "C" NOT NULL,
    geslacht              TEXT NOT NULL,
    geboortedatum         TEXT,
    gemeente_code         TEXT NOT NULL,
    postcode              TEXT NOT NULL,
    huisnummer            BIGINT,
    huisletter            TEXT NOT NULL,
    huisnummertoevoeging  TEXT NOT NULL,
    straat                TEXT COLLATE "C" NOT NULL,
    overleden             BOOLEAN NOT NULL,
    data                  TEXT NOT NULL
);

CREATE INDEX persons_naam_geboorte ON persons (geslachtsnaam, geboortedatum);
CREATE INDEX persons_gemeente_naam ON persons (gemeente_code, geslachtsnaam);
CREATE INDEX persons_postcode ON persons (postcode, huisnummer);
CREATE INDEX persons_straat ON persons (gemeente_code, huisnummer, straat);

-- The sets of fields provided, stored once and referred to by id.
CREATE TABLE protocol_fieldsets (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    fields  TEXT NOT NULL UNIQUE
);

-- One row per person provided, per request (Wet BRP 3.11).
CREATE TABLE verstrekkingen (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id       TEXT NOT NULL,
    bsn              TEXT NOT NULL,
    at               TIMESTAMPTZ NOT NULL,
    user_id          BIGINT NOT NULL REFERENCES users (id),
    username         TEXT NOT NULL,
    grant_id         BIGINT NOT NULL,
    profile_id       BIGINT NOT NULL,
    profile_version  INTEGER NOT NULL,
    afnemer_id       BIGINT NOT NULL,
    afnemer_name     TEXT NOT NULL,
    doel_id          BIGINT NOT NULL,
    doel_name        TEXT NOT NULL,
    zaak             TEXT NOT NULL,
    search_type      TEXT NOT NULL,
    channel          TEXT NOT NULL,
    fieldset_id      BIGINT NOT NULL REFERENCES protocol_fieldsets (id)
);

CREATE INDEX verstrekkingen_bsn ON verstrekkingen (bsn, at);
CREATE INDEX verstrekkingen_user ON verstrekkingen (user_id, at);
CREATE INDEX verstrekkingen_afnemer ON verstrekkingen (afnemer_id, at);
CREATE INDEX verstrekkingen_at ON verstrekkingen (at);

-- The protocol is evidence: no row changes, and none goes before its 20 years are over.
CREATE FUNCTION verstrekkingen_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'a protocol record cannot be changed';
    END IF;
    IF OLD.at > now() - INTERVAL '20 years' THEN
        RAISE EXCEPTION 'a protocol record is kept for 20 years';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER verstrekkingen_guard
BEFORE UPDATE OR DELETE ON verstrekkingen
FOR EACH ROW EXECUTE FUNCTION verstrekkingen_guard();

CREATE TABLE security_events (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         TIMESTAMPTZ NOT NULL,
    user_id    BIGINT REFERENCES users (id),
    username   TEXT NOT NULL,
    grant_id   BIGINT,
    action     TEXT NOT NULL,
    reason     TEXT NOT NULL,
    detail     TEXT NOT NULL
);

CREATE INDEX security_events_at ON security_events (at);

CREATE TABLE terugmeldingen (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    bsn            TEXT NOT NULL,
    field_path     TEXT NOT NULL,
    field_label    TEXT NOT NULL,
    reason         TEXT NOT NULL,
    reported_by    BIGINT NOT NULL REFERENCES users (id),
    reporter_name  TEXT NOT NULL,
    afnemer_id     BIGINT,
    afnemer_name   TEXT NOT NULL,
    reported_at    TIMESTAMPTZ NOT NULL,
    status         TEXT NOT NULL,
    outcome        TEXT NOT NULL DEFAULT '',
    handled_by     TEXT,
    handled_at     TIMESTAMPTZ
);

CREATE INDEX terugmeldingen_status ON terugmeldingen (status, reported_at);
