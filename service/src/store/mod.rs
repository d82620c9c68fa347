//! Storage behind one trait, with one implementation per database.
//!
//! SQLite is the embedded default; PostgreSQL is the production database. Both run the same
//! SQL where the dialects agree (they do for everything so far, `$n` placeholders included)
//! and keep their own migrations under `migrations/<backend>/`.

mod records;
mod sql;

pub use records::*;
pub use sql::{PgStore, SqliteStore};

use async_trait::async_trait;
use brp_domain::{Afnemer, AfnemerName, AuditEvent, Username};
use chrono::{DateTime, Utc};
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A uniqueness rule was broken; the text says which, in Dutch, for the person.
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Everything the service layer keeps. Methods that change something take the audit events
/// that describe the change and write both in one transaction: a change without its audit
/// record cannot happen.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    fn backend(&self) -> Backend;

    /// Answers when the database answers; for health checks.
    async fn ping(&self) -> Result<(), StoreError>;

    /// Applies this backend's migrations that have not run yet.
    async fn migrate(&self) -> Result<(), StoreError>;

    async fn insert_afnemer(
        &self,
        name: &AfnemerName,
        now: DateTime<Utc>,
        audit: &NewAuditEvent,
    ) -> Result<Afnemer, StoreError>;
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

    async fn list_audit_events(&self, filter: &AuditFilter) -> Result<Vec<AuditEvent>, StoreError>;
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
