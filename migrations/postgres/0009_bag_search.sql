-- The BAG identifiers of a person's address, for the Haal Centraal search types
-- ZoekMetNummeraanduidingIdentificatie and ZoekMetAdresseerbaarObjectIdentificatie
-- (PostgreSQL). NULL when the verblijfplaats has none (no address, a locatie, abroad): such
-- a person is never found by an identificatie. Nullable columns without a default are added
-- without rewriting the table.
ALTER TABLE persons ADD COLUMN nummeraanduiding TEXT COLLATE "C";
ALTER TABLE persons ADD COLUMN adresseerbaar_object TEXT COLLATE "C";

-- Persons stored before this migration carry the identifiers only inside their JSON (a TEXT
-- column since 0003). Read as json, not jsonb: json accepts every text serde_json writes
-- (jsonb refuses an escaped NUL), and only these two values are taken out. Rows without
-- either are left alone, so they are not rewritten for nothing.
UPDATE persons
SET nummeraanduiding = data::json -> 'verblijfplaats' ->> 'nummeraanduidingIdentificatie',
    adresseerbaar_object = data::json -> 'verblijfplaats' ->> 'adresseerbaarObjectIdentificatie'
WHERE data::json -> 'verblijfplaats' ->> 'nummeraanduidingIdentificatie' IS NOT NULL
   OR data::json -> 'verblijfplaats' ->> 'adresseerbaarObjectIdentificatie' IS NOT NULL;

-- Created after the backfill: one build of each index instead of an update per row.
CREATE INDEX persons_nummeraanduiding ON persons (nummeraanduiding);
CREATE INDEX persons_adresseerbaar_object ON persons (adresseerbaar_object);
