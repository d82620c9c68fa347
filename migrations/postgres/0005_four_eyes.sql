-- Four eyes on privileged accounts and on an afnemer's kind and art. 46 flag; one-time links
-- with which the owner of a privileged account sets its password (PostgreSQL).

CREATE TABLE change_proposals (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The proposed change as JSON (brp_domain::four_eyes::ProposedChange); never edited.
    payload          TEXT NOT NULL,
    subject          TEXT NOT NULL,
    -- The account concerned; set on approval for a new account.
    subject_user_id  BIGINT REFERENCES users (id),
    summary          TEXT NOT NULL,
    proposed_by_id   BIGINT REFERENCES users (id),
    proposed_by      TEXT NOT NULL,
    proposed_at      TIMESTAMPTZ NOT NULL,
    status           TEXT NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'approved', 'rejected')),
    decided_by_id    BIGINT REFERENCES users (id),
    decided_by       TEXT,
    decided_at       TIMESTAMPTZ,
    reason           TEXT,
    -- The approver is never the proposer.
    CHECK (decided_by_id IS NULL OR proposed_by_id IS NULL OR decided_by_id <> proposed_by_id)
);
CREATE INDEX change_proposals_by_status ON change_proposals (status, id);
CREATE INDEX change_proposals_by_subject ON change_proposals (subject_user_id, id);

-- Only the SHA-256 of a token is kept: whoever reads the database cannot use a link.
CREATE TABLE password_tokens (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id),
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ
);
CREATE INDEX password_tokens_by_user ON password_tokens (user_id);
