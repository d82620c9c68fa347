-- A vrije derde's profile version records the consent or the weighing of interests the
-- reglement requires (seed 001 art. 8 and bijlage 4; seed 004 art. 5), as JSON; NULL for
-- every other afnemer. The zaak requirement lives in the version's content JSON.
ALTER TABLE profile_versions ADD COLUMN vrije_derde_basis TEXT;
