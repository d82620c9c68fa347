-- Legal rules for citizens' requests (issue 10): whether a verstrekking is hidden from the
-- citizen under Besluit BRP art. 46 is recorded with the verstrekking itself (SQLite).

-- Art. 46 is decided per verstrekking, at the moment it is made: a later change of the
-- afnemer's flag does not rewrite a citizen's history.
ALTER TABLE verstrekkingen ADD COLUMN hidden_from_citizen BOOLEAN NOT NULL DEFAULT FALSE;

-- Records made before this column existed take the afnemer's flag as it stands now: the
-- best that is known of it. The protocol is otherwise never changed, so the guard is lifted
-- for this one statement only, inside the migration's transaction.
DROP TRIGGER verstrekkingen_no_update;

UPDATE verstrekkingen SET hidden_from_citizen = TRUE
WHERE afnemer_id IN (SELECT id FROM afnemers WHERE hidden_from_citizen_ground IS NOT NULL);

CREATE TRIGGER verstrekkingen_no_update BEFORE UPDATE ON verstrekkingen
BEGIN
    SELECT RAISE(ABORT, 'a protocol record cannot be changed');
END;

-- Awb 4:15: a request for information carries the last day to answer. When it passes
-- unanswered, the suspension of the decision term ends (worked out from the clock).
ALTER TABLE citizen_request_events ADD COLUMN due_on TEXT;
