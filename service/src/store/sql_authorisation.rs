//! The SQL implementation of [`AuthorisationStore`] for both backends, written once and
//! expanded per backend like the account store in `sql.rs`.

use super::sql::{collect, corrupt, unique_violation, PgStore, SqliteStore};
use super::{
    AuthorisationStore, DecisionRecord, GrantFilter, NewAuditEvent, NewDoel, NewGrant,
    NewGrondslag, NewProfileVersion, NewRequest, Notification, RequestFilter, StoreError,
    UniqueKey,
};
use async_trait::async_trait;
use brp_domain::authorisation::{
    AuthorisationRequest, Decision, Doel, Grant, Grondslag, Profile, ProfileContent,
    ProfileVersion, RequestStatus, Revocation, UserRef, VersionStatus,
};
use brp_domain::messages::{Letter, LetterKind, OutboxMessage};
use brp_domain::AfnemerRef;
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::BTreeMap;
use std::str::FromStr;

#[derive(sqlx::FromRow)]
struct GrondslagRow {
    id: i64,
    law: String,
    article: String,
    description: String,
}

impl From<GrondslagRow> for Grondslag {
    fn from(r: GrondslagRow) -> Self {
        Grondslag {
            id: r.id,
            law: r.law,
            article: r.article,
            description: r.description,
        }
    }
}

#[derive(sqlx::FromRow)]
struct DoelRow {
    id: i64,
    afnemer_id: i64,
    grondslag_id: i64,
    name: String,
    description: String,
}

impl From<DoelRow> for Doel {
    fn from(r: DoelRow) -> Self {
        Doel {
            id: r.id,
            afnemer_id: r.afnemer_id,
            grondslag_id: r.grondslag_id,
            name: r.name,
            description: r.description,
        }
    }
}

#[derive(sqlx::FromRow)]
struct ProfileRow {
    id: i64,
    name: String,
    description: String,
    afnemer_id: i64,
    afnemer_name: String,
}

#[derive(sqlx::FromRow)]
struct VersionRow {
    profile_id: i64,
    version: i32,
    content: String,
    status: String,
    note: String,
    proposed_by_user_id: Option<i64>,
    proposed_by: String,
    proposed_at: DateTime<Utc>,
    decided_by: Option<String>,
    decided_at: Option<DateTime<Utc>>,
    decision_reason: Option<String>,
    vrije_derde_basis: Option<String>,
}

fn decision(
    by: Option<String>,
    at: Option<DateTime<Utc>>,
    reason: Option<String>,
) -> Option<Decision> {
    match (by, at) {
        (Some(by), Some(at)) => Some(Decision {
            by,
            at,
            reason: reason.unwrap_or_default(),
        }),
        _ => None,
    }
}

impl TryFrom<VersionRow> for ProfileVersion {
    type Error = StoreError;
    fn try_from(r: VersionRow) -> Result<Self, StoreError> {
        let content: ProfileContent =
            serde_json::from_str(&r.content).map_err(|e| corrupt("profile content", e))?;
        Ok(ProfileVersion {
            profile_id: r.profile_id,
            version: r.version,
            content,
            status: VersionStatus::from_str(&r.status)
                .map_err(|()| corrupt("version status", &r.status))?,
            note: r.note,
            proposed_by_id: r.proposed_by_user_id,
            proposed_by: r.proposed_by,
            proposed_at: r.proposed_at,
            decision: decision(r.decided_by, r.decided_at, r.decision_reason),
            vrije_derde_basis: r
                .vrije_derde_basis
                .as_deref()
                .map(serde_json::from_str)
                .transpose()
                .map_err(|e| corrupt("vrije derde basis", e))?,
        })
    }
}

fn assemble_profiles(
    profiles: Vec<ProfileRow>,
    versions: Vec<VersionRow>,
) -> Result<Vec<Profile>, StoreError> {
    let mut by_profile: BTreeMap<i64, Vec<ProfileVersion>> = BTreeMap::new();
    for v in versions {
        let v = ProfileVersion::try_from(v)?;
        by_profile.entry(v.profile_id).or_default().push(v);
    }
    Ok(profiles
        .into_iter()
        .map(|p| Profile {
            versions: by_profile.remove(&p.id).unwrap_or_default(),
            id: p.id,
            name: p.name,
            description: p.description,
            afnemer: AfnemerRef {
                id: p.afnemer_id,
                name: p.afnemer_name,
            },
        })
        .collect())
}

const PROFILE_SELECT: &str = "SELECT p.id, p.name, p.description, p.afnemer_id, \
     a.name AS afnemer_name FROM profiles p JOIN afnemers a ON a.id = p.afnemer_id";
const VERSION_SELECT: &str = "SELECT profile_id, version, content, status, note, \
     proposed_by_user_id, proposed_by, proposed_at, decided_by, decided_at, decision_reason, \
     vrije_derde_basis FROM profile_versions";

fn user_ref(
    id: i64,
    username: String,
    display_name: String,
    afnemer_id: Option<i64>,
    afnemer_name: Option<String>,
) -> UserRef {
    UserRef {
        id,
        username,
        display_name,
        afnemer: afnemer_id
            .zip(afnemer_name)
            .map(|(id, name)| AfnemerRef { id, name }),
    }
}

#[derive(sqlx::FromRow)]
struct RequestRow {
    id: i64,
    requester_id: i64,
    requester_username: String,
    requester_name: String,
    requester_afnemer_id: Option<i64>,
    requester_afnemer_name: Option<String>,
    profile_id: i64,
    profile_name: String,
    profile_afnemer_id: i64,
    profile_afnemer_name: String,
    profile_version: i32,
    motivation: String,
    start_date: NaiveDate,
    end_date: NaiveDate,
    signed_text: String,
    signed_name: String,
    signed_at: DateTime<Utc>,
    status: String,
    decided_by: Option<String>,
    decided_at: Option<DateTime<Utc>>,
    decision_reason: Option<String>,
}

impl TryFrom<RequestRow> for AuthorisationRequest {
    type Error = StoreError;
    fn try_from(r: RequestRow) -> Result<Self, StoreError> {
        Ok(AuthorisationRequest {
            id: r.id,
            requester: user_ref(
                r.requester_id,
                r.requester_username,
                r.requester_name,
                r.requester_afnemer_id,
                r.requester_afnemer_name,
            ),
            profile_id: r.profile_id,
            profile_name: r.profile_name,
            profile_afnemer: AfnemerRef {
                id: r.profile_afnemer_id,
                name: r.profile_afnemer_name,
            },
            profile_version: r.profile_version,
            motivation: r.motivation,
            start_date: r.start_date,
            end_date: r.end_date,
            signed_text: r.signed_text,
            signed_name: r.signed_name,
            signed_at: r.signed_at,
            status: RequestStatus::from_str(&r.status)
                .map_err(|()| corrupt("request status", &r.status))?,
            decision: decision(r.decided_by, r.decided_at, r.decision_reason),
        })
    }
}

const REQUEST_SELECT: &str = "SELECT r.id, r.requester_id, u.username AS requester_username, \
     u.display_name AS requester_name, ua.id AS requester_afnemer_id, \
     ua.name AS requester_afnemer_name, r.profile_id, p.name AS profile_name, \
     pa.id AS profile_afnemer_id, pa.name AS profile_afnemer_name, r.profile_version, \
     r.motivation, r.start_date, r.end_date, r.signed_text, r.signed_name, r.signed_at, \
     r.status, r.decided_by, r.decided_at, r.decision_reason \
     FROM authorisation_requests r \
     JOIN users u ON u.id = r.requester_id \
     LEFT JOIN afnemers ua ON ua.id = u.afnemer_id \
     JOIN profiles p ON p.id = r.profile_id \
     JOIN afnemers pa ON pa.id = p.afnemer_id";

#[derive(sqlx::FromRow)]
struct GrantRow {
    id: i64,
    user_id: i64,
    username: String,
    display_name: String,
    user_afnemer_id: Option<i64>,
    user_afnemer_name: Option<String>,
    profile_id: i64,
    profile_name: String,
    afnemer_id: i64,
    afnemer_name: String,
    request_id: Option<i64>,
    confirmed_version: i32,
    current_version: i32,
    start_date: NaiveDate,
    end_date: NaiveDate,
    last_confirmed_at: DateTime<Utc>,
    last_confirmed_by: String,
    revoked_at: Option<DateTime<Utc>>,
    revoked_by: Option<String>,
    revoke_reason: Option<String>,
}

impl From<GrantRow> for Grant {
    fn from(r: GrantRow) -> Self {
        Grant {
            id: r.id,
            user: user_ref(
                r.user_id,
                r.username,
                r.display_name,
                r.user_afnemer_id,
                r.user_afnemer_name,
            ),
            profile_id: r.profile_id,
            profile_name: r.profile_name,
            afnemer: AfnemerRef {
                id: r.afnemer_id,
                name: r.afnemer_name,
            },
            request_id: r.request_id,
            confirmed_version: r.confirmed_version,
            current_version: r.current_version,
            start_date: r.start_date,
            end_date: r.end_date,
            last_confirmed_at: r.last_confirmed_at,
            last_confirmed_by: r.last_confirmed_by,
            revocation: match (r.revoked_by, r.revoked_at) {
                (Some(by), Some(at)) => Some(Revocation {
                    by,
                    at,
                    reason: r.revoke_reason.unwrap_or_default(),
                }),
                _ => None,
            },
        }
    }
}

const GRANT_SELECT: &str = "SELECT g.id, g.user_id, u.username, u.display_name, \
     ua.id AS user_afnemer_id, ua.name AS user_afnemer_name, g.profile_id, \
     p.name AS profile_name, pa.id AS afnemer_id, pa.name AS afnemer_name, g.request_id, \
     g.confirmed_version, \
     COALESCE((SELECT MAX(v.version) FROM profile_versions v \
               WHERE v.profile_id = g.profile_id AND v.status = 'goedgekeurd'), 0) \
       AS current_version, \
     g.start_date, g.end_date, g.last_confirmed_at, g.last_confirmed_by, g.revoked_at, \
     g.revoked_by, g.revoke_reason \
     FROM grants g \
     JOIN users u ON u.id = g.user_id \
     LEFT JOIN afnemers ua ON ua.id = u.afnemer_id \
     JOIN profiles p ON p.id = g.profile_id \
     JOIN afnemers pa ON pa.id = p.afnemer_id";

#[derive(sqlx::FromRow)]
struct LetterRow {
    id: i64,
    user_id: i64,
    kind: String,
    subject: String,
    body_html: String,
    created_at: DateTime<Utc>,
}

impl TryFrom<LetterRow> for Letter {
    type Error = StoreError;
    fn try_from(r: LetterRow) -> Result<Self, StoreError> {
        Ok(Letter {
            id: r.id,
            user_id: r.user_id,
            kind: LetterKind::from_code(&r.kind).ok_or_else(|| corrupt("letter kind", &r.kind))?,
            subject: r.subject,
            body_html: r.body_html,
            created_at: r.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct OutboxRow {
    id: i64,
    to_address: String,
    to_name: String,
    subject: String,
    body_text: String,
    created_at: DateTime<Utc>,
    sent_at: Option<DateTime<Utc>>,
    attempts: i32,
    last_error: Option<String>,
}

impl From<OutboxRow> for OutboxMessage {
    fn from(r: OutboxRow) -> Self {
        OutboxMessage {
            id: r.id,
            to_address: r.to_address,
            to_name: r.to_name,
            subject: r.subject,
            body_text: r.body_text,
            created_at: r.created_at,
            sent_at: r.sent_at,
            attempts: r.attempts,
            last_error: r.last_error,
        }
    }
}

fn content_json(c: &ProfileContent) -> Result<String, StoreError> {
    serde_json::to_string(c).map_err(|e| corrupt("profile content", e))
}

fn not_open(what: &str) -> StoreError {
    StoreError::Conflict(format!("{what} is al afgehandeld."))
}

macro_rules! sql_authorisation_store {
    ($store:ident, $db:ty) => {
        impl $store {
            async fn insert_version(
                tx: &mut sqlx::Transaction<'_, $db>,
                profile_id: i64,
                v: &NewProfileVersion,
            ) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO profile_versions (profile_id, version, content, status, note, \
                     proposed_by_user_id, proposed_by, proposed_at, vrije_derde_basis) \
                     VALUES ($1, $2, $3, 'ter_goedkeuring', $4, $5, $6, $7, $8)",
                )
                .bind(profile_id)
                .bind(v.version)
                .bind(content_json(&v.content)?)
                .bind(&v.note)
                .bind(v.proposed_by_user_id)
                .bind(&v.proposed_by)
                .bind(v.proposed_at)
                .bind(
                    v.vrije_derde_basis
                        .as_ref()
                        .map(serde_json::to_string)
                        .transpose()
                        .map_err(|e| corrupt("vrije derde basis", e))?,
                )
                .execute(&mut **tx)
                .await
                .map_err(|e| {
                    unique_violation(e, UniqueKey::PendingProfileChange)
                })?;
                Ok(())
            }

            pub(super) async fn insert_grant_row(
                tx: &mut sqlx::Transaction<'_, $db>,
                g: &NewGrant,
            ) -> Result<i64, StoreError> {
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO grants (user_id, profile_id, request_id, confirmed_version, \
                     start_date, end_date, last_confirmed_at, last_confirmed_by, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                )
                .bind(g.user_id)
                .bind(g.profile_id)
                .bind(g.request_id)
                .bind(g.confirmed_version)
                .bind(g.start_date)
                .bind(g.end_date)
                .bind(g.created_at)
                .bind(&g.confirmed_by)
                .bind(g.created_at)
                .fetch_one(&mut **tx)
                .await?;
                Ok(id)
            }

            pub(super) async fn notify(
                tx: &mut sqlx::Transaction<'_, $db>,
                n: &Notification,
            ) -> Result<(), StoreError> {
                let l = &n.letter;
                sqlx::query(
                    "INSERT INTO letters (user_id, kind, subject, body_html, created_at) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(l.user_id)
                .bind(l.kind.code())
                .bind(&l.subject)
                .bind(&l.body_html)
                .bind(l.created_at)
                .execute(&mut **tx)
                .await?;
                if let Some(m) = &n.mail {
                    Self::insert_outbox(tx, m).await?;
                }
                Ok(())
            }

            pub(super) async fn insert_outbox(
                tx: &mut sqlx::Transaction<'_, $db>,
                m: &super::NewOutboxMessage,
            ) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO outbox (to_address, to_name, subject, body_text, created_at) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(&m.to_address)
                .bind(&m.to_name)
                .bind(&m.subject)
                .bind(&m.body_text)
                .bind(m.created_at)
                .execute(&mut **tx)
                .await?;
                Ok(())
            }

            /// Moves an open request to a final status with its decision; a conflict when
            /// it was no longer open (decided or withdrawn in the meantime).
            async fn close_request(
                tx: &mut sqlx::Transaction<'_, $db>,
                id: i64,
                status: RequestStatus,
                d: &DecisionRecord,
            ) -> Result<(), StoreError> {
                let done = sqlx::query(
                    "UPDATE authorisation_requests SET status = $1, decided_by_user_id = $2, \
                     decided_by = $3, decided_at = $4, decision_reason = $5 \
                     WHERE id = $6 AND status = 'ingediend'",
                )
                .bind(status.code())
                .bind(d.by_user_id)
                .bind(&d.by)
                .bind(d.at)
                .bind(&d.reason)
                .bind(id)
                .execute(&mut **tx)
                .await?;
                if done.rows_affected() == 1 {
                    Ok(())
                } else {
                    Err(not_open("Deze aanvraag"))
                }
            }
        }

        #[async_trait]
        impl AuthorisationStore for $store {
            async fn list_grondslagen(&self) -> Result<Vec<Grondslag>, StoreError> {
                let rows: Vec<GrondslagRow> = sqlx::query_as(
                    "SELECT id, law, article, description FROM grondslagen ORDER BY law, article",
                )
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.into_iter().map(Grondslag::from).collect())
            }

            async fn insert_grondslag(
                &self,
                g: &NewGrondslag,
                now: DateTime<Utc>,
                audit: &NewAuditEvent,
            ) -> Result<Grondslag, StoreError> {
                let mut tx = self.pool.begin().await?;
                let row: GrondslagRow = sqlx::query_as(
                    "INSERT INTO grondslagen (law, article, description, created_at) \
                     VALUES ($1, $2, $3, $4) RETURNING id, law, article, description",
                )
                .bind(&g.law)
                .bind(&g.article)
                .bind(&g.description)
                .bind(now)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| unique_violation(e, UniqueKey::Grondslag))?;
                Self::insert_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(row.into())
            }

            async fn list_doelen(&self) -> Result<Vec<Doel>, StoreError> {
                let rows: Vec<DoelRow> = sqlx::query_as(
                    "SELECT id, afnemer_id, grondslag_id, name, description FROM doelen \
                     ORDER BY name",
                )
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.into_iter().map(Doel::from).collect())
            }

            async fn insert_doel(
                &self,
                d: &NewDoel,
                now: DateTime<Utc>,
                audit: &NewAuditEvent,
            ) -> Result<Doel, StoreError> {
                let mut tx = self.pool.begin().await?;
                let row: DoelRow = sqlx::query_as(
                    "INSERT INTO doelen (afnemer_id, grondslag_id, name, description, created_at) \
                     VALUES ($1, $2, $3, $4, $5) \
                     RETURNING id, afnemer_id, grondslag_id, name, description",
                )
                .bind(d.afnemer_id)
                .bind(d.grondslag_id)
                .bind(&d.name)
                .bind(&d.description)
                .bind(now)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| {
                    unique_violation(e, UniqueKey::DoelName)
                })?;
                Self::insert_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(row.into())
            }

            async fn insert_profile(
                &self,
                name: &str,
                afnemer_id: i64,
                description: &str,
                first: &NewProfileVersion,
                audit: &NewAuditEvent,
            ) -> Result<i64, StoreError> {
                let mut tx = self.pool.begin().await?;
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO profiles (name, afnemer_id, description, created_at) \
                     VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(name)
                .bind(afnemer_id)
                .bind(description)
                .bind(first.proposed_at)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| unique_violation(e, UniqueKey::ProfileName))?;
                Self::insert_version(&mut tx, id, first).await?;
                Self::insert_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn insert_profile_version(
                &self,
                profile_id: i64,
                v: &NewProfileVersion,
                audit: &NewAuditEvent,
            ) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                Self::insert_version(&mut tx, profile_id, v).await?;
                Self::insert_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn decide_profile_version(
                &self,
                profile_id: i64,
                version: i32,
                approve: bool,
                d: &DecisionRecord,
                audit: &NewAuditEvent,
            ) -> Result<(), StoreError> {
                let status = if approve {
                    VersionStatus::Approved
                } else {
                    VersionStatus::Rejected
                };
                let mut tx = self.pool.begin().await?;
                let done = sqlx::query(
                    "UPDATE profile_versions SET status = $1, decided_by_user_id = $2, \
                     decided_by = $3, decided_at = $4, decision_reason = $5 \
                     WHERE profile_id = $6 AND version = $7 AND status = 'ter_goedkeuring'",
                )
                .bind(status.code())
                .bind(d.by_user_id)
                .bind(&d.by)
                .bind(d.at)
                .bind(&d.reason)
                .bind(profile_id)
                .bind(version)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() != 1 {
                    return Err(not_open("Deze profielversie"));
                }
                Self::insert_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn list_profiles(&self) -> Result<Vec<Profile>, StoreError> {
                let profiles: Vec<ProfileRow> =
                    sqlx::query_as(&format!("{PROFILE_SELECT} ORDER BY p.name"))
                        .fetch_all(&self.pool)
                        .await?;
                let versions: Vec<VersionRow> =
                    sqlx::query_as(&format!("{VERSION_SELECT} ORDER BY profile_id, version"))
                        .fetch_all(&self.pool)
                        .await?;
                assemble_profiles(profiles, versions)
            }

            async fn profile(&self, id: i64) -> Result<Option<Profile>, StoreError> {
                let profiles: Vec<ProfileRow> =
                    sqlx::query_as(&format!("{PROFILE_SELECT} WHERE p.id = $1"))
                        .bind(id)
                        .fetch_all(&self.pool)
                        .await?;
                let versions: Vec<VersionRow> = sqlx::query_as(&format!(
                    "{VERSION_SELECT} WHERE profile_id = $1 ORDER BY version"
                ))
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
                Ok(assemble_profiles(profiles, versions)?.into_iter().next())
            }

            async fn insert_request(
                &self,
                r: &NewRequest,
                audit: &NewAuditEvent,
            ) -> Result<i64, StoreError> {
                let mut tx = self.pool.begin().await?;
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO authorisation_requests (requester_id, profile_id, \
                     profile_version, motivation, start_date, end_date, signed_text, \
                     signed_name, signed_at, status) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'ingediend') RETURNING id",
                )
                .bind(r.requester_id)
                .bind(r.profile_id)
                .bind(r.profile_version)
                .bind(&r.motivation)
                .bind(r.start_date)
                .bind(r.end_date)
                .bind(&r.signed_text)
                .bind(&r.signed_name)
                .bind(r.signed_at)
                .fetch_one(&mut *tx)
                .await?;
                Self::insert_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn request(&self, id: i64) -> Result<Option<AuthorisationRequest>, StoreError> {
                let row: Option<RequestRow> =
                    sqlx::query_as(&format!("{REQUEST_SELECT} WHERE r.id = $1"))
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await?;
                row.map(AuthorisationRequest::try_from).transpose()
            }

            async fn list_requests(
                &self,
                f: RequestFilter,
            ) -> Result<Vec<AuthorisationRequest>, StoreError> {
                let rows: Vec<RequestRow> = sqlx::query_as(&format!(
                    "{REQUEST_SELECT} WHERE ($1 IS NULL OR r.requester_id = $1) \
                     AND ($2 IS NULL OR r.status = $2) ORDER BY r.signed_at DESC, r.id DESC"
                ))
                .bind(f.requester_id)
                .bind(f.status.map(RequestStatus::code))
                .fetch_all(&self.pool)
                .await?;
                collect(rows)
            }

            async fn withdraw_request(
                &self,
                id: i64,
                audit: &NewAuditEvent,
            ) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                let done = sqlx::query(
                    "UPDATE authorisation_requests SET status = 'ingetrokken' \
                     WHERE id = $1 AND status = 'ingediend'",
                )
                .bind(id)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() != 1 {
                    return Err(not_open("Deze aanvraag"));
                }
                Self::insert_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn approve_request(
                &self,
                id: i64,
                d: &DecisionRecord,
                g: &NewGrant,
                n: &Notification,
                audit: &NewAuditEvent,
            ) -> Result<i64, StoreError> {
                let mut tx = self.pool.begin().await?;
                Self::close_request(&mut tx, id, RequestStatus::Approved, d).await?;
                let grant_id = Self::insert_grant_row(&mut tx, g).await?;
                Self::notify(&mut tx, n).await?;
                Self::insert_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(grant_id)
            }

            async fn reject_request(
                &self,
                id: i64,
                d: &DecisionRecord,
                n: &Notification,
                audit: &NewAuditEvent,
            ) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                Self::close_request(&mut tx, id, RequestStatus::Rejected, d).await?;
                Self::notify(&mut tx, n).await?;
                Self::insert_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn insert_grant(
                &self,
                g: &NewGrant,
                audit: &NewAuditEvent,
            ) -> Result<i64, StoreError> {
                let mut tx = self.pool.begin().await?;
                let id = Self::insert_grant_row(&mut tx, g).await?;
                Self::insert_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn list_grants(&self, f: GrantFilter) -> Result<Vec<Grant>, StoreError> {
                let rows: Vec<GrantRow> = sqlx::query_as(&format!(
                    "{GRANT_SELECT} WHERE ($1 IS NULL OR g.user_id = $1) \
                     AND ($2 IS NULL OR p.afnemer_id = $2) AND ($3 IS NULL OR g.profile_id = $3) \
                     ORDER BY pa.name, p.name, u.username, g.id"
                ))
                .bind(f.user_id)
                .bind(f.afnemer_id)
                .bind(f.profile_id)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.into_iter().map(Grant::from).collect())
            }

            async fn grant(&self, id: i64) -> Result<Option<Grant>, StoreError> {
                let row: Option<GrantRow> =
                    sqlx::query_as(&format!("{GRANT_SELECT} WHERE g.id = $1"))
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await?;
                Ok(row.map(Grant::from))
            }

            async fn revoke_grant(
                &self,
                id: i64,
                d: &DecisionRecord,
                n: &Notification,
                audit: &NewAuditEvent,
            ) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                let done = sqlx::query(
                    "UPDATE grants SET revoked_at = $1, revoked_by = $2, revoke_reason = $3 \
                     WHERE id = $4 AND revoked_at IS NULL",
                )
                .bind(d.at)
                .bind(&d.by)
                .bind(&d.reason)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() != 1 {
                    return Err(StoreError::Conflict(
                        "Deze autorisatie is al ingetrokken.".into(),
                    ));
                }
                Self::notify(&mut tx, n).await?;
                Self::insert_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn confirm_grant(
                &self,
                id: i64,
                version: i32,
                end_date: NaiveDate,
                by: &str,
                at: DateTime<Utc>,
                audit: &NewAuditEvent,
            ) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                let done = sqlx::query(
                    "UPDATE grants SET confirmed_version = $1, end_date = $2, \
                     last_confirmed_at = $3, last_confirmed_by = $4 \
                     WHERE id = $5 AND revoked_at IS NULL",
                )
                .bind(version)
                .bind(end_date)
                .bind(at)
                .bind(by)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() != 1 {
                    return Err(StoreError::Conflict(
                        "Deze autorisatie is ingetrokken.".into(),
                    ));
                }
                Self::insert_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn insert_notification(&self, n: &Notification) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                Self::notify(&mut tx, n).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn letters_for_user(&self, user_id: i64) -> Result<Vec<Letter>, StoreError> {
                let rows: Vec<LetterRow> = sqlx::query_as(
                    "SELECT id, user_id, kind, subject, body_html, created_at FROM letters \
                     WHERE user_id = $1 ORDER BY id DESC",
                )
                .bind(user_id)
                .fetch_all(&self.pool)
                .await?;
                collect(rows)
            }

            async fn letter(&self, id: i64) -> Result<Option<Letter>, StoreError> {
                let row: Option<LetterRow> = sqlx::query_as(
                    "SELECT id, user_id, kind, subject, body_html, created_at FROM letters \
                     WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
                row.map(Letter::try_from).transpose()
            }

            async fn list_outbox(&self, limit: u32) -> Result<Vec<OutboxMessage>, StoreError> {
                let rows: Vec<OutboxRow> = sqlx::query_as(
                    "SELECT id, to_address, to_name, subject, body_text, created_at, sent_at, \
                     attempts, last_error FROM outbox ORDER BY id DESC LIMIT $1",
                )
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.into_iter().map(OutboxMessage::from).collect())
            }

            async fn pending_outbox(
                &self,
                max_attempts: i32,
                limit: u32,
            ) -> Result<Vec<OutboxMessage>, StoreError> {
                let rows: Vec<OutboxRow> = sqlx::query_as(
                    "SELECT id, to_address, to_name, subject, body_text, created_at, sent_at, \
                     attempts, last_error FROM outbox WHERE sent_at IS NULL AND attempts < $1 \
                     ORDER BY id LIMIT $2",
                )
                .bind(max_attempts)
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.into_iter().map(OutboxMessage::from).collect())
            }

            async fn mark_outbox_sent(&self, id: i64, at: DateTime<Utc>) -> Result<(), StoreError> {
                sqlx::query("UPDATE outbox SET sent_at = $1, last_error = NULL WHERE id = $2")
                    .bind(at)
                    .bind(id)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn mark_outbox_failed(&self, id: i64, error: &str) -> Result<(), StoreError> {
                sqlx::query(
                    "UPDATE outbox SET attempts = attempts + 1, last_error = $1 WHERE id = $2",
                )
                .bind(error)
                .bind(id)
                .execute(&self.pool)
                .await?;
                Ok(())
            }
        }
    };
}

sql_authorisation_store!(SqliteStore, sqlx::Sqlite);
sql_authorisation_store!(PgStore, sqlx::Postgres);
