//! The SQL implementations of [`Store`]: [`SqliteStore`] and [`PgStore`].
//!
//! The two databases agree on every statement used here, so the bodies are written once in
//! a macro and expanded per backend; each expansion is compiled and type-checked against its
//! own sqlx driver. A statement that has to differ goes in the backend's own `impl` block.

use super::sql_persons::FieldsetCache;
use super::{
    AuditFilter, Backend, LoginAttempt, NewAfnemer, NewAuditEvent, NewUserRecord, Store,
    StoreError, UniqueKey, UserRecord,
};
use async_trait::async_trait;
use brp_domain::{
    Afnemer, AfnemerName, AfnemerRef, AuditAction, AuditEvent, DisplayName, EmailAddress, Role,
    User, Username,
};
use chrono::{DateTime, Utc};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};
use std::str::FromStr;
use std::time::Duration;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

#[derive(Debug, Clone)]
pub struct SqliteStore {
    pub(super) pool: SqlitePool,
    pub(super) fieldsets: FieldsetCache,
}

impl SqliteStore {
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .foreign_keys(true)
            // WAL lets readers go on while one writer commits. FULL sync makes every commit
            // durable before it returns: a protocol record must survive a power cut.
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        Ok(Self {
            pool,
            fieldsets: FieldsetCache::default(),
        })
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    async fn after_migrations(&self) -> Result<(), StoreError> {
        widen_users_role_check(&self.pool).await
    }
}

/// Widens the CHECK on `users.role` to allow 'applicatie' (migration 0010). SQLite cannot
/// alter a CHECK; the table is rebuilt the documented way (foreign keys off, copy, drop,
/// rename, check, foreign keys on), on one connection and outside sqlx's migration
/// transaction, because `PRAGMA foreign_keys` is a no-op inside a transaction. It runs once:
/// afterwards the stored schema already names the role.
async fn widen_users_role_check(pool: &SqlitePool) -> Result<(), StoreError> {
    use sqlx::Executor;
    let mut conn = pool.acquire().await?;
    let (schema,): (String,) =
        sqlx::query_as("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'users'")
            .fetch_one(&mut *conn)
            .await?;
    if schema.contains("'applicatie'") {
        return Ok(());
    }
    conn.execute("PRAGMA foreign_keys = OFF").await?;
    let rebuilt = conn.execute(USERS_REBUILD).await;
    let dangling: Result<Vec<(String,)>, sqlx::Error> = match &rebuilt {
        Ok(_) => {
            sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
                .fetch_all(&mut *conn)
                .await
        }
        Err(_) => Ok(Vec::new()),
    };
    if rebuilt.is_err() {
        // Leave no half-done transaction on a pooled connection.
        let _ = conn.execute("ROLLBACK").await;
    }
    conn.execute("PRAGMA foreign_keys = ON").await?;
    rebuilt?;
    let dangling = dangling?;
    if !dangling.is_empty() {
        return Err(StoreError::Corrupt(format!(
            "foreign keys broken after rebuilding users: {dangling:?}"
        )));
    }
    Ok(())
}

const USERS_REBUILD: &str = "BEGIN;
CREATE TABLE users_new (
    id                    INTEGER PRIMARY KEY,
    username              TEXT NOT NULL UNIQUE,
    display_name          TEXT NOT NULL,
    email                 TEXT,
    role                  TEXT NOT NULL
                          CHECK (role IN ('beheerder', 'medewerker', 'toezichthouder', 'applicatie')),
    afnemer_id            INTEGER REFERENCES afnemers (id),
    password_hash         TEXT NOT NULL,
    active                BOOLEAN NOT NULL DEFAULT TRUE,
    sessions_valid_after  TEXT,
    last_login_at         TEXT,
    created_at            TEXT NOT NULL,
    CHECK (role NOT IN ('medewerker', 'applicatie') OR afnemer_id IS NOT NULL)
);
INSERT INTO users_new (id, username, display_name, email, role, afnemer_id, password_hash,
                       active, sessions_valid_after, last_login_at, created_at)
SELECT id, username, display_name, email, role, afnemer_id, password_hash,
       active, sessions_valid_after, last_login_at, created_at
FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
COMMIT;";

#[derive(Debug, Clone)]
pub struct PgStore {
    pub(super) pool: PgPool,
    pub(super) fieldsets: FieldsetCache,
}

impl PgStore {
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let options = PgConnectOptions::from_str(url)?;
        let pool = PgPoolOptions::new()
            .max_connections(32)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        Ok(Self {
            pool,
            fieldsets: FieldsetCache::default(),
        })
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    async fn after_migrations(&self) -> Result<(), StoreError> {
        Ok(())
    }
}

/// The users columns with the afnemer's name joined in, as [`UserRow`] reads them.
const USER_SELECT: &str = "SELECT u.id, u.username, u.display_name, u.email, u.role, \
     u.afnemer_id, a.name AS afnemer_name, u.password_hash, u.active, \
     u.sessions_valid_after, u.last_login_at, u.created_at \
     FROM users u LEFT JOIN afnemers a ON a.id = u.afnemer_id";

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    username: String,
    display_name: String,
    email: Option<String>,
    role: String,
    afnemer_id: Option<i64>,
    afnemer_name: Option<String>,
    password_hash: String,
    active: bool,
    sessions_valid_after: Option<DateTime<Utc>>,
    last_login_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

pub(super) fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

impl TryFrom<UserRow> for UserRecord {
    type Error = StoreError;

    fn try_from(r: UserRow) -> Result<Self, StoreError> {
        let afnemer = match (r.afnemer_id, r.afnemer_name) {
            (Some(id), Some(name)) => Some(AfnemerRef { id, name }),
            _ => None,
        };
        Ok(UserRecord {
            user: User {
                id: r.id,
                username: Username::parse(&r.username).map_err(|e| corrupt("username", e))?,
                display_name: DisplayName::parse(&r.display_name)
                    .map_err(|e| corrupt("display_name", e))?,
                email: r
                    .email
                    .as_deref()
                    .map(EmailAddress::parse)
                    .transpose()
                    .map_err(|e| corrupt("email", e))?,
                role: Role::from_stored_code(&r.role).ok_or_else(|| corrupt("role", &r.role))?,
                afnemer,
                active: r.active,
                last_login_at: r.last_login_at,
                created_at: r.created_at,
            },
            password_hash: r.password_hash,
            sessions_valid_after: r.sessions_valid_after,
        })
    }
}

pub(super) const AFNEMER_COLUMNS: &str =
    "id, name, wettelijk_kader, kind, hidden_from_citizen_ground, created_at";

#[derive(sqlx::FromRow)]
pub(super) struct AfnemerRow {
    id: i64,
    name: String,
    wettelijk_kader: String,
    kind: String,
    hidden_from_citizen_ground: Option<String>,
    created_at: DateTime<Utc>,
}

impl TryFrom<AfnemerRow> for Afnemer {
    type Error = StoreError;
    fn try_from(r: AfnemerRow) -> Result<Self, StoreError> {
        Ok(Afnemer {
            id: r.id,
            name: AfnemerName::parse(&r.name).map_err(|e| corrupt("afnemer name", e))?,
            wettelijk_kader: r.wettelijk_kader,
            kind: brp_domain::AfnemerKind::from_code(&r.kind)
                .ok_or_else(|| corrupt("afnemer kind", &r.kind))?,
            hidden_from_citizen_ground: r.hidden_from_citizen_ground,
            created_at: r.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: i64,
    occurred_at: DateTime<Utc>,
    actor: String,
    action: String,
    subject: String,
    field: Option<String>,
    old_value: Option<String>,
    new_value: Option<String>,
}

impl TryFrom<AuditRow> for AuditEvent {
    type Error = StoreError;
    fn try_from(r: AuditRow) -> Result<Self, StoreError> {
        Ok(AuditEvent {
            id: r.id,
            occurred_at: r.occurred_at,
            actor: r.actor,
            action: AuditAction::from_str(&r.action)
                .map_err(|()| corrupt("audit action", &r.action))?,
            subject: r.subject,
            field: r.field,
            old_value: r.old_value,
            new_value: r.new_value,
        })
    }
}

/// Names the unique key a write ran into, when that is why it failed; other errors pass.
/// The caller says which key: the one its statement can break.
pub(super) fn unique_violation(e: sqlx::Error, constraint: UniqueKey) -> StoreError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Unique { constraint },
        _ => StoreError::Database(e),
    }
}

pub(super) fn collect<R, T>(rows: Vec<R>) -> Result<Vec<T>, StoreError>
where
    T: TryFrom<R, Error = StoreError>,
{
    rows.into_iter().map(T::try_from).collect()
}

macro_rules! sql_store {
    ($store:ident, $db:ty, $backend:expr, $migrator:expr) => {
        impl $store {
            pub(super) async fn insert_audit(
                tx: &mut sqlx::Transaction<'_, $db>,
                e: &NewAuditEvent,
            ) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO audit_events (occurred_at, actor_user_id, actor, action, \
                     subject, field, old_value, new_value) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(e.occurred_at)
                .bind(e.actor_user_id)
                .bind(&e.actor)
                .bind(e.action.code())
                .bind(&e.subject)
                .bind(&e.field)
                .bind(&e.old_value)
                .bind(&e.new_value)
                .execute(&mut **tx)
                .await?;
                Ok(())
            }
        }

        #[async_trait]
        impl Store for $store {
            fn backend(&self) -> Backend {
                $backend
            }

            async fn ping(&self) -> Result<(), StoreError> {
                sqlx::query("SELECT 1").execute(&self.pool).await?;
                Ok(())
            }

            async fn migrate(&self) -> Result<(), StoreError> {
                $migrator.run(&self.pool).await?;
                self.after_migrations().await
            }

            async fn record_audit(&self, audit: &NewAuditEvent) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                Self::insert_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn insert_afnemer(
                &self,
                a: &NewAfnemer,
                now: DateTime<Utc>,
                audit: &NewAuditEvent,
            ) -> Result<Afnemer, StoreError> {
                let mut tx = self.pool.begin().await?;
                let row: AfnemerRow = sqlx::query_as(&format!(
                    "INSERT INTO afnemers (name, wettelijk_kader, hidden_from_citizen_ground, \
                     created_at, kind) VALUES ($1, $2, $3, $4, $5) RETURNING {AFNEMER_COLUMNS}"
                ))
                .bind(a.name.as_str())
                .bind(&a.wettelijk_kader)
                .bind(&a.hidden_from_citizen_ground)
                .bind(now)
                .bind(a.kind.code())
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| unique_violation(e, UniqueKey::AfnemerName))?;
                Self::insert_audit(&mut tx, audit).await?;
                tx.commit().await?;
                row.try_into()
            }

            async fn update_afnemer(
                &self,
                id: i64,
                a: &NewAfnemer,
                audit: &[NewAuditEvent],
            ) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                sqlx::query(
                    "UPDATE afnemers SET name = $1, wettelijk_kader = $2, \
                     hidden_from_citizen_ground = $3, kind = $5 WHERE id = $4",
                )
                .bind(a.name.as_str())
                .bind(&a.wettelijk_kader)
                .bind(&a.hidden_from_citizen_ground)
                .bind(id)
                .bind(a.kind.code())
                .execute(&mut *tx)
                .await
                .map_err(|e| unique_violation(e, UniqueKey::AfnemerName))?;
                for event in audit {
                    Self::insert_audit(&mut tx, event).await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn list_afnemers(&self) -> Result<Vec<Afnemer>, StoreError> {
                let rows: Vec<AfnemerRow> = sqlx::query_as(&format!(
                    "SELECT {AFNEMER_COLUMNS} FROM afnemers ORDER BY name"
                ))
                .fetch_all(&self.pool)
                .await?;
                collect(rows)
            }

            async fn afnemer_by_name(
                &self,
                name: &AfnemerName,
            ) -> Result<Option<Afnemer>, StoreError> {
                let row: Option<AfnemerRow> = sqlx::query_as(&format!(
                    "SELECT {AFNEMER_COLUMNS} FROM afnemers WHERE name = $1"
                ))
                .bind(name.as_str())
                .fetch_optional(&self.pool)
                .await?;
                row.map(Afnemer::try_from).transpose()
            }

            async fn afnemer_by_id(&self, id: i64) -> Result<Option<Afnemer>, StoreError> {
                let row: Option<AfnemerRow> = sqlx::query_as(&format!(
                    "SELECT {AFNEMER_COLUMNS} FROM afnemers WHERE id = $1"
                ))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
                row.map(Afnemer::try_from).transpose()
            }

            async fn insert_user(
                &self,
                u: &NewUserRecord,
                audit: &[NewAuditEvent],
            ) -> Result<i64, StoreError> {
                let mut tx = self.pool.begin().await?;
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
                .bind(&u.password_hash)
                .bind(u.created_at)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| unique_violation(e, UniqueKey::Username))?;
                for event in audit {
                    Self::insert_audit(&mut tx, event).await?;
                }
                tx.commit().await?;
                Ok(id)
            }

            async fn user_by_id(&self, id: i64) -> Result<Option<UserRecord>, StoreError> {
                let row: Option<UserRow> =
                    sqlx::query_as(&format!("{USER_SELECT} WHERE u.id = $1"))
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await?;
                row.map(UserRecord::try_from).transpose()
            }

            async fn user_by_username(
                &self,
                username: &Username,
            ) -> Result<Option<UserRecord>, StoreError> {
                let row: Option<UserRow> =
                    sqlx::query_as(&format!("{USER_SELECT} WHERE u.username = $1"))
                        .bind(username.as_str())
                        .fetch_optional(&self.pool)
                        .await?;
                row.map(UserRecord::try_from).transpose()
            }

            async fn list_users(&self) -> Result<Vec<UserRecord>, StoreError> {
                let rows: Vec<UserRow> =
                    sqlx::query_as(&format!("{USER_SELECT} ORDER BY u.username"))
                        .fetch_all(&self.pool)
                        .await?;
                collect(rows)
            }

            async fn count_active_users_with_role(&self, role: Role) -> Result<i64, StoreError> {
                let (n,): (i64,) =
                    sqlx::query_as("SELECT COUNT(*) FROM users WHERE role = $1 AND active = TRUE")
                        .bind(role.code())
                        .fetch_one(&self.pool)
                        .await?;
                Ok(n)
            }

            async fn set_user_active(
                &self,
                id: i64,
                active: bool,
                now: DateTime<Utc>,
                audit: &NewAuditEvent,
            ) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                // Deactivation cuts off open sessions; reactivation leaves the cut in place,
                // so sessions from before the deactivation stay dead.
                sqlx::query(
                    "UPDATE users SET active = $1, \
                     sessions_valid_after = CASE WHEN $1 THEN sessions_valid_after ELSE $2 END \
                     WHERE id = $3",
                )
                .bind(active)
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                Self::insert_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn set_password_hash(
                &self,
                id: i64,
                hash: &str,
                now: DateTime<Utc>,
                audit: &NewAuditEvent,
            ) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                sqlx::query(
                    "UPDATE users SET password_hash = $1, sessions_valid_after = $2 WHERE id = $3",
                )
                .bind(hash)
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                Self::insert_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn record_login_attempt(&self, a: &LoginAttempt) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                sqlx::query(
                    "INSERT INTO login_attempts (attempted_at, username, client_addr, succeeded) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(a.attempted_at)
                .bind(&a.username)
                .bind(&a.client_addr)
                .bind(a.succeeded)
                .execute(&mut *tx)
                .await?;
                if a.succeeded {
                    sqlx::query("UPDATE users SET last_login_at = $1 WHERE username = $2")
                        .bind(a.attempted_at)
                        .bind(&a.username)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn count_login_failures(
                &self,
                username: &str,
                client_addr: &str,
                since: DateTime<Utc>,
            ) -> Result<(u32, u32), StoreError> {
                let (by_user, by_addr): (i64, i64) = sqlx::query_as(
                    "SELECT \
                     (SELECT COUNT(*) FROM login_attempts \
                      WHERE username = $1 AND attempted_at >= $3 AND succeeded = FALSE), \
                     (SELECT COUNT(*) FROM login_attempts \
                      WHERE client_addr = $2 AND attempted_at >= $3 AND succeeded = FALSE)",
                )
                .bind(username)
                .bind(client_addr)
                .bind(since)
                .fetch_one(&self.pool)
                .await?;
                Ok((
                    u32::try_from(by_user).unwrap_or(u32::MAX),
                    u32::try_from(by_addr).unwrap_or(u32::MAX),
                ))
            }

            async fn record_login_start(
                &self,
                kind: &str,
                client_addr: &str,
                at: DateTime<Utc>,
            ) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO citizen_login_starts (started_at, kind, client_addr) \
                     VALUES ($1, $2, $3)",
                )
                .bind(at)
                .bind(kind)
                .bind(client_addr)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn count_login_starts(
                &self,
                client_addr: &str,
                since: DateTime<Utc>,
            ) -> Result<u32, StoreError> {
                let (n,): (i64,) = sqlx::query_as(
                    "SELECT COUNT(*) FROM citizen_login_starts \
                     WHERE client_addr = $1 AND started_at >= $2",
                )
                .bind(client_addr)
                .bind(since)
                .fetch_one(&self.pool)
                .await?;
                Ok(u32::try_from(n).unwrap_or(u32::MAX))
            }

            async fn list_audit_events(
                &self,
                f: &AuditFilter,
            ) -> Result<Vec<AuditEvent>, StoreError> {
                let rows: Vec<AuditRow> = sqlx::query_as(
                    "SELECT id, occurred_at, actor, action, subject, field, old_value, new_value \
                     FROM audit_events \
                     WHERE ($1 IS NULL OR subject = $1) AND ($2 IS NULL OR id < $2) \
                     ORDER BY id DESC LIMIT $3",
                )
                .bind(&f.subject)
                .bind(f.before_id)
                .bind(i64::from(f.limit))
                .fetch_all(&self.pool)
                .await?;
                collect(rows)
            }
        }
    };
}

sql_store!(
    SqliteStore,
    sqlx::Sqlite,
    Backend::Sqlite,
    SQLITE_MIGRATIONS
);
sql_store!(
    PgStore,
    sqlx::Postgres,
    Backend::Postgres,
    POSTGRES_MIGRATIONS
);
