-- Four eyes on privileged accounts and on an afnemer's kind and art. 46 flag; one-time links
-- with which the owner of a privileged account sets its password (SQLite).

CREATE TABLE change_proposals (
    id               INTEGER PRIMARY KEY,
    -- The proposed change as JSON (brp_domain::four_eyes::ProposedChange); never edited.
    payload          TEXT NOT NULL,
    subject          TEXT NOT NULL,
    -- The account concerned; set on approval for a new account.
    subject_user_id  INTEGER REFERENCES users (id),
    summary          TEXT NOT NULL,
    proposed_by_id   INTEGER REFERENCES users (id),
    proposed_by      TEXT NOT NULL,
    proposed_at      TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'approved', 'rejected')),
    decided_by_id    INTEGER REFERENCES users (id),
    decided_by       TEXT,
    decided_at       TEXT,
    reason           TEXT,
    -- The approver is never the proposer.
    CHECK (decided_by_id IS NULL OR proposed_by_id IS NULL OR decided_by_id <> proposed_by_id)
);
CREATE INDEX change_proposals_by_status ON change_proposals (status, id);
CREATE INDEX change_proposals_by_subject ON change_proposals (subject_user_id, id);

-- Only the SHA-256 of a token is kept: whoever reads the database cannot use a link.
CREATE TABLE password_tokens (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
);
CREATE INDEX password_tokens_by_user ON password_tokens (user_id);
