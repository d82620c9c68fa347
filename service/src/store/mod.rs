//! Storage behind one trait, with one implementation per database.
//!
//! SQLite is the embedded default; PostgreSQL is the production database. Both run the same
//! SQL where the dialects agree (they do for everything so far, `$n` placeholders included)
//! and keep their own migrations under `migrations/<backend>/`.

mod applications;
mod citizens;
mod four_eyes;
mod persons;
mod records;
mod sql;
mod sql_authorisation;
mod sql_citizens;
mod sql_persons;

pub use applications::*;
pub use citizens::*;
pub use four_eyes::*;
pub use persons::*;
pub use records::*;
pub use sql::{PgStore, SqliteStore};

use async_trait::async_trait;
use brp_domain::authorisation::{AuthorisationRequest, Doel, Grant, Grondslag, Profile};
use brp_domain::messages::{Letter, OutboxMessage};
use brp_domain::{Afnemer, AfnemerName, AuditEvent, Username};
use chrono::{DateTime, Utc};
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A uniqueness rule was broken: which one, as data. The service layer chooses the
    /// Dutch words for the person (`ServiceError::from`), and may act on the key itself.
    #[error("unique key violated: {constraint:?}")]
    Unique { constraint: UniqueKey },
    /// The row changed under the request (someone else handled it first); the text says
    /// what, in Dutch, for the person.
    #[error("{0}")]
    Conflict(String),
    #[error("stored data does not parse: {0}")]
    Corrupt(String),
    #[error("unsupported database url; use sqlite:// or postgres://")]
    UnsupportedUrl,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Migration(#[from] sqlx::migrate::MigrateError),
}

/// The unique keys of the schema that a person can run into. The store names the key whose
/// unique index refused a write; it never words the refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UniqueKey {
    /// `users.username`.
    Username,
    /// `users.username` of a task application: its client id.
    ClientId,
    /// `afnemers.name`.
    AfnemerName,
    /// `profiles.name`.
    ProfileName,
    /// `grondslagen` (the law of a grondslag).
    Grondslag,
    /// A doel's name within its afnemer.
    DoelName,
    /// At most one proposed change per profile waits for approval.
    PendingProfileChange,
    /// A citizen request: its reference (kenmerk), or one open request per citizen, kind
    /// and field.
    CitizenRequest,
    /// One notification per correction and recipient.
    CorrectionNotification,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Everything the service layer keeps. Methods that change something take the audit events
/// that describe the change and write both in one transaction: a change without its audit
/// record cannot happen.
#[async_trait]
pub trait Store:
    AuthorisationStore
    + PersonStore
    + CitizenStore
    + FourEyesStore
    + ApplicationStore
    + Send
    + Sync
    + 'static
{
    fn backend(&self) -> Backend;

    /// Answers when the database answers; for health checks.
    async fn ping(&self) -> Result<(), StoreError>;

    /// Applies this backend's migrations that have not run yet.
    async fn migrate(&self) -> Result<(), StoreError>;

    /// An audit event for a change made outside the other methods (an import).
    async fn record_audit(&self, audit: &NewAuditEvent) -> Result<(), StoreError>;

    async fn insert_afnemer(
        &self,
        afnemer: &NewAfnemer,
        now: DateTime<Utc>,
        audit: &NewAuditEvent,
    ) -> Result<Afnemer, StoreError>;
    async fn update_afnemer(
        &self,
        id: i64,
        afnemer: &NewAfnemer,
        audit: &[NewAuditEvent],
    ) -> Result<(), StoreError>;
    async fn list_afnemers(&self) -> Result<Vec<Afnemer>, StoreError>;
    async fn afnemer_by_name(&self, name: &AfnemerName) -> Result<Option<Afnemer>, StoreError>;
    async fn afnemer_by_id(&self, id: i64) -> Result<Option<Afnemer>, StoreError>;

    async fn insert_user(
        &self,
        user: &NewUserRecord,
        audit: &[NewAuditEvent],
    ) -> Result<i64, StoreError>;
    async fn user_by_id(&self, id: i64) -> Result<Option<UserRecord>, StoreError>;
    async fn user_by_username(&self, username: &Username)
        -> Result<Option<UserRecord>, StoreError>;
    async fn list_users(&self) -> Result<Vec<UserRecord>, StoreError>;
    async fn count_active_users_with_role(&self, role: brp_domain::Role)
        -> Result<i64, StoreError>;

    /// Activates or deactivates; deactivation also ends every open session of the user.
    async fn set_user_active(
        &self,
        id: i64,
        active: bool,
        now: DateTime<Utc>,
        audit: &NewAuditEvent,
    ) -> Result<(), StoreError>;

    /// Replaces the password hash and ends every open session of the user.
    async fn set_password_hash(
        &self,
        id: i64,
        hash: &str,
        now: DateTime<Utc>,
        audit: &NewAuditEvent,
    ) -> Result<(), StoreError>;

    /// Records a login attempt; a successful one also sets the user's last login time.
    async fn record_login_attempt(&self, attempt: &LoginAttempt) -> Result<(), StoreError>;

    /// Failed attempts since `since` for this user name, and from this address.
    async fn count_login_failures(
        &self,
        username: &str,
        client_addr: &str,
        since: DateTime<Utc>,
    ) -> Result<(u32, u32), StoreError>;

    /// Records the start of a citizen login (`kind`: `digid` or `simulatie`).
    async fn record_login_start(
        &self,
        kind: &str,
        client_addr: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// Citizen login starts from this address since `since`.
    async fn count_login_starts(
        &self,
        client_addr: &str,
        since: DateTime<Utc>,
    ) -> Result<u32, StoreError>;

    async fn list_audit_events(&self, filter: &AuditFilter) -> Result<Vec<AuditEvent>, StoreError>;
}

/// The authorisation register: grondslagen, doelen, profiles, requests, grants, letters and
/// the outbox. Every change takes its audit events and writes them in the same transaction.
#[async_trait]
pub trait AuthorisationStore: Send + Sync + 'static {
    async fn list_grondslagen(&self) -> Result<Vec<Grondslag>, StoreError>;
    async fn insert_grondslag(
        &self,
        g: &NewGrondslag,
        now: DateTime<Utc>,
        audit: &NewAuditEvent,
    ) -> Result<Grondslag, StoreError>;
    async fn list_doelen(&self) -> Result<Vec<Doel>, StoreError>;
    async fn insert_doel(
        &self,
        d: &NewDoel,
        now: DateTime<Utc>,
        audit: &NewAuditEvent,
    ) -> Result<Doel, StoreError>;

    /// Creates a profile with its first (pending) version.
    async fn insert_profile(
        &self,
        name: &str,
        afnemer_id: i64,
        description: &str,
        first: &NewProfileVersion,
        audit: &NewAuditEvent,
    ) -> Result<i64, StoreError>;
    async fn insert_profile_version(
        &self,
        profile_id: i64,
        v: &NewProfileVersion,
        audit: &NewAuditEvent,
    ) -> Result<(), StoreError>;
    /// Approves or rejects a pending version; a conflict when it is no longer pending.
    async fn decide_profile_version(
        &self,
        profile_id: i64,
        version: i32,
        approve: bool,
        decision: &DecisionRecord,
        audit: &NewAuditEvent,
    ) -> Result<(), StoreError>;
    async fn list_profiles(&self) -> Result<Vec<Profile>, StoreError>;
    async fn profile(&self, id: i64) -> Result<Option<Profile>, StoreError>;

    async fn insert_request(
        &self,
        r: &NewRequest,
        audit: &NewAuditEvent,
    ) -> Result<i64, StoreError>;
    async fn request(&self, id: i64) -> Result<Option<AuthorisationRequest>, StoreError>;
    async fn list_requests(
        &self,
        filter: RequestFilter,
    ) -> Result<Vec<AuthorisationRequest>, StoreError>;
    /// Withdraws a request that is still open; a conflict otherwise.
    async fn withdraw_request(&self, id: i64, audit: &NewAuditEvent) -> Result<(), StoreError>;
    /// Approves an open request: the decision, the grant, the letter and its e-mail, in one
    /// transaction. Returns the grant's id.
    async fn approve_request(
        &self,
        id: i64,
        decision: &DecisionRecord,
        grant: &NewGrant,
        notification: &Notification,
        audit: &NewAuditEvent,
    ) -> Result<i64, StoreError>;
    async fn reject_request(
        &self,
        id: i64,
        decision: &DecisionRecord,
        notification: &Notification,
        audit: &NewAuditEvent,
    ) -> Result<(), StoreError>;

    /// A grant made without a request (the demo set-up, a migration from paper).
    async fn insert_grant(&self, g: &NewGrant, audit: &NewAuditEvent) -> Result<i64, StoreError>;
    async fn list_grants(&self, filter: GrantFilter) -> Result<Vec<Grant>, StoreError>;
    async fn grant(&self, id: i64) -> Result<Option<Grant>, StoreError>;
    /// Revokes a grant that is not revoked yet; a conflict otherwise.
    async fn revoke_grant(
        &self,
        id: i64,
        decision: &DecisionRecord,
        notification: &Notification,
        audit: &NewAuditEvent,
    ) -> Result<(), StoreError>;
    /// Sets the confirmed version, the end date and the confirmation time.
    async fn confirm_grant(
        &self,
        id: i64,
        version: i32,
        end_date: chrono::NaiveDate,
        by: &str,
        at: DateTime<Utc>,
        audit: &NewAuditEvent,
    ) -> Result<(), StoreError>;

    /// A letter to a user and its e-mail, outside any other change.
    async fn insert_notification(&self, notification: &Notification) -> Result<(), StoreError>;
    async fn letters_for_user(&self, user_id: i64) -> Result<Vec<Letter>, StoreError>;
    async fn letter(&self, id: i64) -> Result<Option<Letter>, StoreError>;
    async fn list_outbox(&self, limit: u32) -> Result<Vec<OutboxMessage>, StoreError>;
    /// Unsent messages with fewer than `max_attempts` failed attempts, oldest first.
    async fn pending_outbox(
        &self,
        max_attempts: i32,
        limit: u32,
    ) -> Result<Vec<OutboxMessage>, StoreError>;
    async fn mark_outbox_sent(&self, id: i64, at: DateTime<Utc>) -> Result<(), StoreError>;
    async fn mark_outbox_failed(&self, id: i64, error: &str) -> Result<(), StoreError>;
}

/// The pool behind a store, for parts outside the service layer that need the database
/// itself (the session store of tower-sessions).
#[derive(Clone, Debug)]
pub enum DbPool {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

pub struct Connected {
    pub store: Arc<dyn Store>,
    pub pool: DbPool,
}

/// Opens the database named by `url`: `sqlite://path` (created when missing) or
/// `postgres://…`. Does not migrate; call [`Store::migrate`].
pub async fn connect(url: &str) -> Result<Connected, StoreError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let store = PgStore::connect(url).await?;
        let pool = DbPool::Postgres(store.pool().clone());
        Ok(Connected {
            store: Arc::new(store),
            pool,
        })
    } else if url.starts_with("sqlite:") {
        let store = SqliteStore::connect(url).await?;
        let pool = DbPool::Sqlite(store.pool().clone());
        Ok(Connected {
            store: Arc::new(store),
            pool,
        })
    } else {
        Err(StoreError::UnsupportedUrl)
    }
}
