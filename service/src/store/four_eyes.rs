//! Storage of four-eyes proposals and one-time password links, for both backends.
//!
//! A decision, its effect (the account, role, status, password or afnemer it changes), the
//! one-time link, the audit events and the e-mails are written in one transaction, and only
//! while the proposal is still pending: two beheerders deciding at once cannot both win.

use super::sql::{corrupt, unique_violation, PgStore, SqliteStore};
use super::{
    DecisionRecord, NewAfnemer, NewAuditEvent, NewOutboxMessage, NewUserRecord, StoreError,
    UniqueKey,
};
use async_trait::async_trait;
use brp_domain::four_eyes::{ChangeProposal, ProposalStatus, ProposedChange};
use brp_domain::{EmailAddress, Role};
use chrono::{DateTime, Utc};

/// What a stored password hash holds while the owner has not chosen a password: it is no
/// PHC string, so no password verifies against it and the account cannot log in.
pub const NO_PASSWORD: &str = "!nog-geen-wachtwoord";

#[derive(Debug, Clone)]
pub struct NewProposal {
    pub change: ProposedChange,
    pub subject: String,
    pub subject_user_id: Option<i64>,
    pub summary: String,
    pub proposed_by_id: Option<i64>,
    pub proposed_by: String,
    pub proposed_at: DateTime<Utc>,
}

/// What an approval changes, besides the proposal itself.
#[derive(Debug, Clone)]
pub enum ProposalEffect {
    /// A new account without a password ([`NO_PASSWORD`]).
    InsertUser(NewUserRecord),
    SetActive {
        user_id: i64,
        active: bool,
    },
    SetRole {
        user_id: i64,
        role: Role,
        afnemer_id: Option<i64>,
        /// Ends the password and open sessions (a promotion to a privileged role).
        end_password: bool,
    },
    /// Ends the password and open sessions; the owner sets a new one with a link.
    EndPassword {
        user_id: i64,
    },
    InsertAfnemer(NewAfnemer),
    ClassifyAfnemer {
        afnemer_id: i64,
        afnemer: NewAfnemer,
    },
    /// A grant for a task application (its autorisatiebesluit).
    InsertGrant(super::NewGrant),
}

/// A one-time link for the account the effect is about (for a new account: the one just
/// made). Earlier unused links of that account stop working.
#[derive(Debug, Clone)]
pub struct NewPasswordToken {
    pub token_hash: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct PasswordTokenRecord {
    pub id: i64,
    pub user_id: i64,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
}

#[async_trait]
pub trait FourEyesStore: Send + Sync + 'static {
    async fn insert_proposal(
        &self,
        p: &NewProposal,
        audit: &NewAuditEvent,
        mails: &[NewOutboxMessage],
    ) -> Result<i64, StoreError>;
    async fn proposal(&self, id: i64) -> Result<Option<ChangeProposal>, StoreError>;
    /// Newest first; only those about this account, or only pending ones, when asked.
    async fn list_proposals(
        &self,
        subject_user_id: Option<i64>,
        pending_only: bool,
        limit: u32,
    ) -> Result<Vec<ChangeProposal>, StoreError>;
    /// Decides a pending proposal; a conflict when it is no longer pending. Returns the
    /// account the effect was about (the new one for a new account).
    #[allow(clippy::too_many_arguments)]
    async fn decide_proposal(
        &self,
        id: i64,
        approved: bool,
        decision: &DecisionRecord,
        effect: Option<&ProposalEffect>,
        token: Option<&NewPasswordToken>,
        audit: &[NewAuditEvent],
        mails: &[NewOutboxMessage],
    ) -> Result<Option<i64>, StoreError>;
    async fn password_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<PasswordTokenRecord>, StoreError>;
    /// Uses a link once: sets the password and ends open sessions. A conflict when the link
    /// was used (or replaced) in the meantime.
    async fn use_password_token(
        &self,
        token_id: i64,
        user_id: i64,
        password_hash: &str,
        now: DateTime<Utc>,
        audit: &NewAuditEvent,
    ) -> Result<(), StoreError>;
}

const PROPOSAL_COLUMNS: &str = "id, payload, subject, subject_user_id, summary, proposed_by_id, \
     proposed_by, proposed_at, status, decided_by, decided_at, reason";

#[derive(sqlx::FromRow)]
struct ProposalRow {
    id: i64,
    payload: String,
    subject: String,
    subject_user_id: Option<i64>,
    summary: String,
    proposed_by_id: Option<i64>,
    proposed_by: String,
    proposed_at: DateTime<Utc>,
    status: String,
    decided_by: Option<String>,
    decided_at: Option<DateTime<Utc>>,
    reason: Option<String>,
}

impl TryFrom<ProposalRow> for ChangeProposal {
    type Error = StoreError;
    fn try_from(r: ProposalRow) -> Result<Self, StoreError> {
        Ok(ChangeProposal {
            id: r.id,
            change: serde_json::from_str(&r.payload).map_err(|e| corrupt("proposal", e))?,
            subject: r.subject,
            subject_user_id: r.subject_user_id,
            summary: r.summary,
            proposed_by_id: r.proposed_by_id,
            proposed_by: r.proposed_by,
            proposed_at: r.proposed_at,
            status: ProposalStatus::from_code(&r.status)
                .ok_or_else(|| corrupt("proposal status", &r.status))?,
            decided_by: r.decided_by,
            decided_at: r.decided_at,
            reason: r.reason,
        })
    }
}

#[derive(sqlx::FromRow)]
struct TokenRow {
    id: i64,
    user_id: i64,
    expires_at: DateTime<Utc>,
    used_at: Option<DateTime<Utc>>,
}

macro_rules! four_eyes_store {
    ($store:ident, $db:ty) => {
        impl $store {
            async fn end_password(
                tx: &mut sqlx::Transaction<'_, $db>,
                user_id: i64,
                now: DateTime<Utc>,
            ) -> Result<(), StoreError> {
                sqlx::query(
                    "UPDATE users SET password_hash = $1, sessions_valid_after = $2 WHERE id = $3",
                )
                .bind(NO_PASSWORD)
                .bind(now)
                .bind(user_id)
                .execute(&mut **tx)
                .await?;
                Ok(())
            }

            async fn apply_effect(
                tx: &mut sqlx::Transaction<'_, $db>,
                effect: &ProposalEffect,
                now: DateTime<Utc>,
            ) -> Result<Option<i64>, StoreError> {
                match effect {
                    ProposalEffect::InsertUser(u) => {
                        let (id,): (i64,) = sqlx::query_as(
                            "INSERT INTO users (username, display_name, email, role, afnemer_id, \
                             password_hash, active, created_at) \
                             VALUES ($1, $2, $3, $4, $5, $6, TRUE, $7) RETURNING id",
                        )
                        .bind(u.username.as_str())
                        .bind(u.display_name.as_str())
                        .bind(u.email.as_ref().map(EmailAddress::as_str))
                        .bind(u.role.code())
                        .bind(u.afnemer_id)
                        .bind(NO_PASSWORD)
                        .bind(u.created_at)
                        .fetch_one(&mut **tx)
                        .await
                        .map_err(|e| {
                            unique_violation(e, UniqueKey::Username)
                        })?;
                        Ok(Some(id))
                    }
                    ProposalEffect::SetActive { user_id, active } => {
                        sqlx::query(
                            "UPDATE users SET active = $1, \
                             sessions_valid_after = CASE WHEN $1 THEN sessions_valid_after \
                             ELSE $2 END WHERE id = $3",
                        )
                        .bind(*active)
                        .bind(now)
                        .bind(*user_id)
                        .execute(&mut **tx)
                        .await?;
                        Ok(Some(*user_id))
                    }
                    ProposalEffect::SetRole {
                        user_id,
                        role,
                        afnemer_id,
                        end_password,
                    } => {
                        // A role change ends open sessions: the pages and rights of the
                        // old role must not linger in a browser.
                        sqlx::query(
                            "UPDATE users SET role = $1, afnemer_id = $2, \
                             sessions_valid_after = $3 WHERE id = $4",
                        )
                        .bind(role.code())
                        .bind(*afnemer_id)
                        .bind(now)
                        .bind(*user_id)
                        .execute(&mut **tx)
                        .await?;
                        if *end_password {
                            Self::end_password(tx, *user_id, now).await?;
                        }
                        Ok(Some(*user_id))
                    }
                    ProposalEffect::InsertGrant(g) => {
                        Self::insert_grant_row(tx, g).await?;
                        Ok(Some(g.user_id))
                    }
                    ProposalEffect::EndPassword { user_id } => {
                        Self::end_password(tx, *user_id, now).await?;
                        Ok(Some(*user_id))
                    }
                    ProposalEffect::InsertAfnemer(a) => {
                        sqlx::query(
                            "INSERT INTO afnemers (name, wettelijk_kader, \
                             hidden_from_citizen_ground, created_at, kind) \
                             VALUES ($1, $2, $3, $4, $5)",
                        )
                        .bind(a.name.as_str())
                        .bind(&a.wettelijk_kader)
                        .bind(&a.hidden_from_citizen_ground)
                        .bind(now)
                        .bind(a.kind.code())
                        .execute(&mut **tx)
                        .await
                        .map_err(|e| {
                            unique_violation(e, UniqueKey::AfnemerName)
                        })?;
                        Ok(None)
                    }
                    ProposalEffect::ClassifyAfnemer {
                        afnemer_id,
                        afnemer,
                    } => {
                        sqlx::query(
                            "UPDATE afnemers SET kind = $1, hidden_from_citizen_ground = $2 \
                             WHERE id = $3",
                        )
                        .bind(afnemer.kind.code())
                        .bind(&afnemer.hidden_from_citizen_ground)
                        .bind(*afnemer_id)
                        .execute(&mut **tx)
                        .await?;
                        Ok(None)
                    }
                }
            }
        }

        #[async_trait]
        impl FourEyesStore for $store {
            async fn insert_proposal(
                &self,
                p: &NewProposal,
                audit: &NewAuditEvent,
                mails: &[NewOutboxMessage],
            ) -> Result<i64, StoreError> {
                let payload =
                    serde_json::to_string(&p.change).map_err(|e| corrupt("proposal", e))?;
                let mut tx = self.pool.begin().await?;
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO change_proposals (payload, subject, subject_user_id, summary, \
                     proposed_by_id, proposed_by, proposed_at, status) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending') RETURNING id",
                )
                .bind(payload)
                .bind(&p.subject)
                .bind(p.subject_user_id)
                .bind(&p.summary)
                .bind(p.proposed_by_id)
                .bind(&p.proposed_by)
                .bind(p.proposed_at)
                .fetch_one(&mut *tx)
                .await?;
                Self::insert_audit(&mut tx, audit).await?;
                for m in mails {
                    Self::insert_outbox(&mut tx, m).await?;
                }
                tx.commit().await?;
                Ok(id)
            }

            async fn proposal(&self, id: i64) -> Result<Option<ChangeProposal>, StoreError> {
                let row: Option<ProposalRow> = sqlx::query_as(&format!(
                    "SELECT {PROPOSAL_COLUMNS} FROM change_proposals WHERE id = $1"
                ))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
                row.map(ChangeProposal::try_from).transpose()
            }

            async fn list_proposals(
                &self,
                subject_user_id: Option<i64>,
                pending_only: bool,
                limit: u32,
            ) -> Result<Vec<ChangeProposal>, StoreError> {
                let rows: Vec<ProposalRow> = sqlx::query_as(&format!(
                    "SELECT {PROPOSAL_COLUMNS} FROM change_proposals \
                     WHERE ($1 IS NULL OR subject_user_id = $1) \
                     AND ($2 = FALSE OR status = 'pending') ORDER BY id DESC LIMIT $3"
                ))
                .bind(subject_user_id)
                .bind(pending_only)
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?;
                super::sql::collect(rows)
            }

            async fn decide_proposal(
                &self,
                id: i64,
                approved: bool,
                decision: &DecisionRecord,
                effect: Option<&ProposalEffect>,
                token: Option<&NewPasswordToken>,
                audit: &[NewAuditEvent],
                mails: &[NewOutboxMessage],
            ) -> Result<Option<i64>, StoreError> {
                let mut tx = self.pool.begin().await?;
                let affected_user = match effect {
                    Some(effect) if approved => {
                        Self::apply_effect(&mut tx, effect, decision.at).await?
                    }
                    _ => None,
                };
                let done = sqlx::query(
                    "UPDATE change_proposals SET status = $1, decided_by_id = $2, \
                     decided_by = $3, decided_at = $4, reason = $5, \
                     subject_user_id = COALESCE(subject_user_id, $6) \
                     WHERE id = $7 AND status = 'pending'",
                )
                .bind(if approved {
                    ProposalStatus::Approved.code()
                } else {
                    ProposalStatus::Rejected.code()
                })
                .bind(decision.by_user_id)
                .bind(&decision.by)
                .bind(decision.at)
                .bind(&decision.reason)
                .bind(affected_user)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() != 1 {
                    return Err(StoreError::Conflict(
                        "Dit voorstel is al afgehandeld.".into(),
                    ));
                }
                if let (Some(t), Some(user_id)) = (token, affected_user) {
                    sqlx::query(
                        "UPDATE password_tokens SET used_at = $1 \
                         WHERE user_id = $2 AND used_at IS NULL",
                    )
                    .bind(t.created_at)
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query(
                        "INSERT INTO password_tokens (user_id, token_hash, created_at, \
                         expires_at) VALUES ($1, $2, $3, $4)",
                    )
                    .bind(user_id)
                    .bind(&t.token_hash)
                    .bind(t.created_at)
                    .bind(t.expires_at)
                    .execute(&mut *tx)
                    .await?;
                }
                for event in audit {
                    Self::insert_audit(&mut tx, event).await?;
                }
                for m in mails {
                    Self::insert_outbox(&mut tx, m).await?;
                }
                tx.commit().await?;
                Ok(affected_user)
            }

            async fn password_token(
                &self,
                token_hash: &str,
            ) -> Result<Option<PasswordTokenRecord>, StoreError> {
                let row: Option<TokenRow> = sqlx::query_as(
                    "SELECT id, user_id, expires_at, used_at FROM password_tokens \
                     WHERE token_hash = $1",
                )
                .bind(token_hash)
                .fetch_optional(&self.pool)
                .await?;
                Ok(row.map(|r| PasswordTokenRecord {
                    id: r.id,
                    user_id: r.user_id,
                    expires_at: r.expires_at,
                    used_at: r.used_at,
                }))
            }

            async fn use_password_token(
                &self,
                token_id: i64,
                user_id: i64,
                password_hash: &str,
                now: DateTime<Utc>,
                audit: &NewAuditEvent,
            ) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                let done = sqlx::query(
                    "UPDATE password_tokens SET used_at = $1 \
                     WHERE id = $2 AND user_id = $3 AND used_at IS NULL AND expires_at > $1",
                )
                .bind(now)
                .bind(token_id)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() != 1 {
                    return Err(StoreError::Conflict(
                        "Deze link is al gebruikt of verlopen.".into(),
                    ));
                }
                sqlx::query(
                    "UPDATE users SET password_hash = $1, sessions_valid_after = $2 WHERE id = $3",
                )
                .bind(password_hash)
                .bind(now)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
                Self::insert_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(())
            }
        }
    };
}

four_eyes_store!(SqliteStore, sqlx::Sqlite);
four_eyes_store!(PgStore, sqlx::Postgres);
