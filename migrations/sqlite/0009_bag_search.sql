-- The BAG identifiers of a person's address, for the Haal Centraal search types
-- ZoekMetNummeraanduidingIdentificatie and ZoekMetAdresseerbaarObjectIdentificatie (SQLite).
-- NULL when the verblijfplaats has none (no address, a locatie, abroad): such a person is
-- never found by an identificatie.
ALTER TABLE persons ADD COLUMN nummeraanduiding TEXT;
ALTER TABLE persons ADD COLUMN adresseerbaar_object TEXT;

-- Persons stored before this migration carry the identifiers only inside their JSON. Rows
-- without either are left alone, so they are not rewritten for nothing.
UPDATE persons
SET nummeraanduiding = json_extract(data, '$.verblijfplaats.nummeraanduidingIdentificatie'),
    adresseerbaar_object = json_extract(data, '$.verblijfplaats.adresseerbaarObjectIdentificatie')
WHERE json_extract(data, '$.verblijfplaats.nummeraanduidingIdentificatie') IS NOT NULL
   OR json_extract(data, '$.verblijfplaats.adresseerbaarObjectIdentificatie') IS NOT NULL;

-- Created after the backfill: one build of each index instead of an update per row.
CREATE INDEX persons_nummeraanduiding ON persons (nummeraanduiding);
CREATE INDEX persons_adresseerbaar_object ON persons (adresseerbaar_object);
