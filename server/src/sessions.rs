//! Staff sessions in the portal's own database, via tower-sessions' sqlx stores.

use async_trait::async_trait;
use brp_service::store::DbPool;
use tower_sessions::cookie::SameSite;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};
use tower_sessions::{Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

/// The session store of whichever database the portal runs on.
#[derive(Debug, Clone)]
pub enum PortalSessionStore {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl PortalSessionStore {
    pub fn new(pool: &DbPool) -> Self {
        match pool {
            DbPool::Sqlite(p) => Self::Sqlite(SqliteStore::new(p.clone())),
            DbPool::Postgres(p) => Self::Postgres(PostgresStore::new(p.clone())),
        }
    }

    /// Creates the session table if it is missing (the store keeps its own schema).
    pub async fn migrate(&self) -> Result<(), sqlx_error::Error> {
        match self {
            Self::Sqlite(s) => s.migrate().await,
            Self::Postgres(s) => s.migrate().await,
        }
    }

    /// Removes expired sessions every `period`; runs until the process ends.
    pub fn spawn_cleanup(&self, period: std::time::Duration) {
        let store = self.clone();
        tokio::spawn(async move {
            let mut interval = tokio::time::interval(period);
            loop {
                interval.tick().await;
                if let Err(e) = store.delete_expired().await {
                    tracing::warn!(error = %e, "could not delete expired sessions");
                }
            }
        });
    }
}

/// sqlx's error type, named through the store crate so the server needs no sqlx of its own.
mod sqlx_error {
    pub use tower_sessions_sqlx_store::sqlx::Error;
}

#[async_trait]
impl SessionStore for PortalSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        match self {
            Self::Sqlite(s) => s.create(record).await,
            Self::Postgres(s) => s.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        match self {
            Self::Sqlite(s) => s.save(record).await,
            Self::Postgres(s) => s.save(record).await,
        }
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self {
            Self::Sqlite(s) => s.load(id).await,
            Self::Postgres(s) => s.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        match self {
            Self::Sqlite(s) => s.delete(id).await,
            Self::Postgres(s) => s.delete(id).await,
        }
    }
}

#[async_trait]
impl ExpiredDeletion for PortalSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        match self {
            Self::Sqlite(s) => s.delete_expired().await,
            Self::Postgres(s) => s.delete_expired().await,
        }
    }
}

/// The cookie rules: HttpOnly, SameSite=Strict, Secure (with the `__Host-` prefix) when the
/// portal is served over HTTPS, and an idle timeout that every request extends.
pub fn layer(
    store: PortalSessionStore,
    https: bool,
    idle: chrono::Duration,
) -> SessionManagerLayer<PortalSessionStore> {
    let idle = time::Duration::seconds(idle.num_seconds());
    SessionManagerLayer::new(store)
        .with_name(if https {
            "__Host-brp_sessie"
        } else {
            "brp_sessie"
        })
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_secure(https)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(idle))
        // Saving on every request is what moves the idle deadline forward.
        .with_always_save(true)
}
