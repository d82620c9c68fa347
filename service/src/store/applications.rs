//! Storage of task applications: their accounts (role `applicatie`), client secrets (argon2
//! hashes), access tokens (SHA-256 of the token) and their use, for both backends.

use super::sql::{corrupt, unique_violation, PgStore, SqliteStore};
use super::UniqueKey;
use super::{NewAuditEvent, Store, StoreError, UserRecord};
use async_trait::async_trait;
use brp_domain::application::{Application, ApplicationUsage, ClientSecretInfo};
use brp_domain::{AfnemerRef, DisplayName, Username};
use chrono::{DateTime, Utc};

/// A new application: its account (inactive until a second beheerder activates it) and its
/// first client secret.
#[derive(Debug, Clone)]
pub struct NewApplication {
    pub client_id: Username,
    pub name: DisplayName,
    pub afnemer_id: i64,
    pub contact: String,
    pub registered_by: String,
    pub secret_hash: String,
    pub created_at: DateTime<Utc>,
}

/// A stored client secret: what the portal shows, and the hash to verify against.
#[derive(Debug, Clone)]
pub struct StoredSecret {
    pub info: ClientSecretInfo,
    pub hash: String,
}

/// An access token as found for a request.
#[derive(Debug, Clone)]
pub struct AccessTokenRecord {
    pub user_id: i64,
    pub expires_at: DateTime<Utc>,
    /// The end of the overlap of the secret the token was issued with, if it was replaced.
    pub secret_valid_until: Option<DateTime<Utc>>,
}

#[async_trait]
pub trait ApplicationStore: Send + Sync + 'static {
    /// The account (inactive), its application row and first secret, in one transaction.
    async fn insert_application(
        &self,
        app: &NewApplication,
        audit: &NewAuditEvent,
    ) -> Result<i64, StoreError>;
    async fn list_applications(&self) -> Result<Vec<Application>, StoreError>;
    async fn application(&self, user_id: i64) -> Result<Option<Application>, StoreError>;
    async fn application_secrets(&self, user_id: i64) -> Result<Vec<StoredSecret>, StoreError>;
    /// Adds a secret; every secret of the application still valid now stays valid until
    /// `old_valid_until` at most (the overlap; `now` ends them at once).
    async fn rotate_application_secret(
        &self,
        user_id: i64,
        secret_hash: &str,
        now: DateTime<Utc>,
        old_valid_until: DateTime<Utc>,
        audit: &NewAuditEvent,
    ) -> Result<i64, StoreError>;
    /// Stores an issued access token and forgets tokens that expired before `now`.
    async fn insert_access_token(
        &self,
        token_hash: &str,
        user_id: i64,
        secret_id: i64,
        issued_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    async fn access_token(&self, token_hash: &str)
        -> Result<Option<AccessTokenRecord>, StoreError>;
    /// Ends every access token of the application (deactivation, rotation without overlap).
    async fn delete_access_tokens(&self, user_id: i64) -> Result<(), StoreError>;
    async fn application_user(&self, user_id: i64) -> Result<Option<UserRecord>, StoreError>;
}

#[derive(sqlx::FromRow)]
struct ApplicationRow {
    id: i64,
    username: String,
    display_name: String,
    afnemer_id: Option<i64>,
    afnemer_name: Option<String>,
    contact: String,
    active: bool,
    created_at: DateTime<Utc>,
    last_provided: Option<DateTime<Utc>>,
    requests: Option<i64>,
    persons: Option<i64>,
    last_refused: Option<DateTime<Utc>>,
    refused: Option<i64>,
}

impl TryFrom<ApplicationRow> for Application {
    type Error = StoreError;
    fn try_from(r: ApplicationRow) -> Result<Self, StoreError> {
        let afnemer = match (r.afnemer_id, r.afnemer_name) {
            (Some(id), Some(name)) => AfnemerRef { id, name },
            _ => return Err(corrupt("application afnemer", r.id)),
        };
        Ok(Application {
            id: r.id,
            client_id: Username::parse(&r.username).map_err(|e| corrupt("client_id", e))?,
            name: DisplayName::parse(&r.display_name).map_err(|e| corrupt("name", e))?,
            afnemer,
            contact: r.contact,
            active: r.active,
            created_at: r.created_at,
            usage: ApplicationUsage {
                last_used_at: r.last_provided.max(r.last_refused),
                requests: r.requests.unwrap_or(0),
                persons: r.persons.unwrap_or(0),
                refused: r.refused.unwrap_or(0),
            },
        })
    }
}

/// Applications with their use, read from the protocol and the security log: the protocol
/// is the record of what was provided, so the counts cannot drift from it.
const APPLICATION_SELECT: &str = "SELECT u.id, u.username, u.display_name, u.afnemer_id, \
     a.name AS afnemer_name, ap.contact, u.active, u.created_at, \
     (SELECT MAX(v.at) FROM verstrekkingen v WHERE v.user_id = u.id) AS last_provided, \
     (SELECT COUNT(DISTINCT v.request_id) FROM verstrekkingen v WHERE v.user_id = u.id) \
        AS requests, \
     (SELECT COUNT(*) FROM verstrekkingen v WHERE v.user_id = u.id) AS persons, \
     (SELECT MAX(s.at) FROM security_events s WHERE s.user_id = u.id) AS last_refused, \
     (SELECT COUNT(*) FROM security_events s WHERE s.user_id = u.id) AS refused \
     FROM users u JOIN applications ap ON ap.user_id = u.id \
     LEFT JOIN afnemers a ON a.id = u.afnemer_id";

#[derive(sqlx::FromRow)]
struct SecretRow {
    id: i64,
    secret_hash: String,
    created_at: DateTime<Utc>,
    valid_until: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct TokenRow {
    user_id: i64,
    expires_at: DateTime<Utc>,
    valid_until: Option<DateTime<Utc>>,
}

macro_rules! application_store {
    ($store:ident) => {
        #[async_trait]
        impl ApplicationStore for $store {
            async fn insert_application(
                &self,
                app: &NewApplication,
                audit: &NewAuditEvent,
            ) -> Result<i64, StoreError> {
                let mut tx = self.pool.begin().await?;
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO users (username, display_name, email, role, afnemer_id, \
                     password_hash, active, created_at) \
                     VALUES ($1, $2, NULL, 'applicatie', $3, $4, FALSE, $5) RETURNING id",
                )
                .bind(app.client_id.as_str())
                .bind(app.name.as_str())
                .bind(app.afnemer_id)
                // An application never logs in with a password: this is no PHC string.
                .bind(super::NO_PASSWORD)
                .bind(app.created_at)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| unique_violation(e, UniqueKey::ClientId))?;
                sqlx::query(
                    "INSERT INTO applications (user_id, contact, registered_by) \
                     VALUES ($1, $2, $3)",
                )
                .bind(id)
                .bind(&app.contact)
                .bind(&app.registered_by)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "INSERT INTO application_secrets (user_id, secret_hash, created_at) \
                     VALUES ($1, $2, $3)",
                )
                .bind(id)
                .bind(&app.secret_hash)
                .bind(app.created_at)
                .execute(&mut *tx)
                .await?;
                Self::insert_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn list_applications(&self) -> Result<Vec<Application>, StoreError> {
                let rows: Vec<ApplicationRow> =
                    sqlx::query_as(&format!("{APPLICATION_SELECT} ORDER BY u.display_name"))
                        .fetch_all(&self.pool)
                        .await?;
                rows.into_iter().map(Application::try_from).collect()
            }

            async fn application(&self, user_id: i64) -> Result<Option<Application>, StoreError> {
                let row: Option<ApplicationRow> =
                    sqlx::query_as(&format!("{APPLICATION_SELECT} WHERE u.id = $1"))
                        .bind(user_id)
                        .fetch_optional(&self.pool)
                        .await?;
                row.map(Application::try_from).transpose()
            }

            async fn application_secrets(
                &self,
                user_id: i64,
            ) -> Result<Vec<StoredSecret>, StoreError> {
                let rows: Vec<SecretRow> = sqlx::query_as(
                    "SELECT id, secret_hash, created_at, valid_until FROM application_secrets \
                     WHERE user_id = $1 ORDER BY id DESC",
                )
                .bind(user_id)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|r| StoredSecret {
                        info: ClientSecretInfo {
                            id: r.id,
                            created_at: r.created_at,
                            valid_until: r.valid_until,
                        },
                        hash: r.secret_hash,
                    })
                    .collect())
            }

            async fn rotate_application_secret(
                &self,
                user_id: i64,
                secret_hash: &str,
                now: DateTime<Utc>,
                old_valid_until: DateTime<Utc>,
                audit: &NewAuditEvent,
            ) -> Result<i64, StoreError> {
                let mut tx = self.pool.begin().await?;
                sqlx::query(
                    "UPDATE application_secrets SET valid_until = $1 \
                     WHERE user_id = $2 AND (valid_until IS NULL OR valid_until > $1)",
                )
                .bind(old_valid_until)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
                if old_valid_until <= now {
                    // No overlap: the tokens of the old secrets stop now as well.
                    sqlx::query("DELETE FROM access_tokens WHERE user_id = $1")
                        .bind(user_id)
                        .execute(&mut *tx)
                        .await?;
                }
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO application_secrets (user_id, secret_hash, created_at) \
                     VALUES ($1, $2, $3) RETURNING id",
                )
                .bind(user_id)
                .bind(secret_hash)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                Self::insert_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn insert_access_token(
                &self,
                token_hash: &str,
                user_id: i64,
                secret_id: i64,
                issued_at: DateTime<Utc>,
                expires_at: DateTime<Utc>,
            ) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                sqlx::query("DELETE FROM access_tokens WHERE expires_at < $1")
                    .bind(issued_at)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                    "INSERT INTO access_tokens (token_hash, user_id, secret_id, issued_at, \
                     expires_at) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(token_hash)
                .bind(user_id)
                .bind(secret_id)
                .bind(issued_at)
                .bind(expires_at)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn access_token(
                &self,
                token_hash: &str,
            ) -> Result<Option<AccessTokenRecord>, StoreError> {
                let row: Option<TokenRow> = sqlx::query_as(
                    "SELECT t.user_id, t.expires_at, s.valid_until FROM access_tokens t \
                     JOIN application_secrets s ON s.id = t.secret_id \
                     WHERE t.token_hash = $1",
                )
                .bind(token_hash)
                .fetch_optional(&self.pool)
                .await?;
                Ok(row.map(|r| AccessTokenRecord {
                    user_id: r.user_id,
                    expires_at: r.expires_at,
                    secret_valid_until: r.valid_until,
                }))
            }

            async fn delete_access_tokens(&self, user_id: i64) -> Result<(), StoreError> {
                sqlx::query("DELETE FROM access_tokens WHERE user_id = $1")
                    .bind(user_id)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn application_user(
                &self,
                user_id: i64,
            ) -> Result<Option<UserRecord>, StoreError> {
                Ok(self
                    .user_by_id(user_id)
                    .await?
                    .filter(|u| u.user.role == brp_domain::Role::Applicatie))
            }
        }
    };
}

application_store!(SqliteStore);
application_store!(PgStore);
