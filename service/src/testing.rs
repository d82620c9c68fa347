//! Test support: a fresh database per test, on either backend, and a portal on it with a
//! clock the test controls. Compiled only with the `testing` feature (tests of this crate
//! and of the server), never into the portal itself.

// Test support: a failure to set up the test database should stop the test loudly.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::clock::{Clock, FixedClock};
use crate::password::PasswordHashing;
use crate::portal::{Portal, PortalConfig};
use crate::store::{connect, DbPool, Store};
use chrono::{TimeZone, Utc};
use std::sync::Arc;

/// Where the tests find PostgreSQL; CI and the development machines run it on 127.0.0.1
/// with trust authentication.
pub fn postgres_admin_url() -> String {
    std::env::var("BRP_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// A database that exists for one test only: a SQLite file in a temporary directory, or a
/// PostgreSQL database created for the test and dropped afterwards.
pub struct TestDatabase {
    pub url: String,
    pub store: Arc<dyn Store>,
    pub pool: DbPool,
    pub clock: Arc<FixedClock>,
    _guard: Guard,
}

enum Guard {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl Drop for Guard {
    fn drop(&mut self) {
        if let Guard::Postgres { admin_url, name } = self {
            let admin_url = admin_url.clone();
            let db = name.clone();
            // Drop runs outside any async context we could borrow, so use a thread with its
            // own small runtime. FORCE ends connections the test's pool still holds.
            let dropped = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .ok()?;
                rt.block_on(async {
                    use sqlx::Connection;
                    let mut conn = sqlx::PgConnection::connect(&admin_url).await.ok()?;
                    sqlx::query(&format!("DROP DATABASE IF EXISTS \"{db}\" WITH (FORCE)"))
                        .execute(&mut conn)
                        .await
                        .ok()
                })
            })
            .join();
            if !matches!(dropped, Ok(Some(_))) {
                eprintln!("warning: test database {name} was not dropped");
            }
        }
    }
}

/// The time every test starts at, unless it moves the clock.
pub fn test_start() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0)
        .single()
        .unwrap_or_else(Utc::now)
}

impl TestDatabase {
    pub async fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}", dir.path().join("portal.sqlite").display());
        Self::open(url, Guard::Sqlite(dir)).await
    }

    pub async fn postgres() -> Self {
        use sqlx::Connection;
        let admin_url = postgres_admin_url();
        let name = format!("brp_test_{}", uuid::Uuid::new_v4().simple());
        let mut conn = sqlx::PgConnection::connect(&admin_url)
            .await
            .expect("PostgreSQL must run for the tests (see README)");
        sqlx::query(&format!("CREATE DATABASE \"{name}\""))
            .execute(&mut conn)
            .await
            .expect("create test database");
        let base = admin_url
            .rsplit_once('/')
            .map(|(base, _)| base.to_owned())
            .unwrap_or(admin_url.clone());
        let url = format!("{base}/{name}");
        Self::open(url, Guard::Postgres { admin_url, name }).await
    }

    async fn open(url: String, guard: Guard) -> Self {
        let connected = connect(&url).await.expect("connect to test database");
        connected
            .store
            .migrate()
            .await
            .expect("migrate test database");
        Self {
            url,
            store: connected.store,
            pool: connected.pool,
            clock: Arc::new(FixedClock::new(test_start())),
            _guard: guard,
        }
    }

    /// A portal on this database with fast password hashing and the test's clock.
    pub fn portal(&self) -> Portal {
        let config = PortalConfig {
            password_hashing: PasswordHashing::INSECURE_FAST_FOR_TESTS,
            ..PortalConfig::default()
        };
        let clock: Arc<dyn Clock> = self.clock.clone();
        Portal::new(self.store.clone(), clock, config).expect("portal")
    }
}

/// Runs each named `async fn(TestDatabase)` once on a fresh SQLite file and once on a fresh
/// PostgreSQL database, as two tests `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::testing::TestDatabase::sqlite().await).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name($crate::testing::TestDatabase::postgres().await).await
                }
            }
        )*
    };
}
