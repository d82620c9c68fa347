//! Migration 0009 on a database that already holds persons: the BAG columns are filled from
//! each row's JSON, so persons stored before the migration are found by the BAG search
//! types. Runs the real migration files up to 0008, stores rows the way the store did then,
//! and migrates the rest with the store's own migrator. Both backends.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use brp_domain::authorisation::SearchType;
use brp_domain::person::{PersonQuery, QueryInput};
use brp_service::store::{connect, DbPool};
use brp_service::testing::{postgres_admin_url, TestPerson};
use sqlx::migrate::Migrator;
use std::path::Path;

const NA: &str = "1998200000000012";
const AO: &str = "1998010000000012";

/// The migrations of `backend` before 0009, read from the files like `sqlx::migrate!` does.
async fn before_0009(backend: &str) -> Migrator {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../migrations")
        .join(backend);
    let mut m = Migrator::new(dir).await.unwrap();
    m.migrations = m
        .migrations
        .iter()
        .filter(|x| x.version < 9)
        .cloned()
        .collect::<Vec<_>>()
        .into();
    assert_eq!(m.migrations.len(), 8);
    m
}

/// Three persons as the store wrote them before 0009: with both BAG ids, without any
/// (no verblijfplaats ids), and deceased with both.
fn old_rows() -> Vec<(String, String)> {
    let mut with = TestPerson::new(0, "Maassen", "1983-05-26");
    with.nummeraanduiding = Some(NA);
    with.adresseerbaar_object = Some(AO);
    let without = TestPerson::new(1, "Jansen", "1983-05-26");
    let mut dead = with.clone();
    dead.bsn = TestPerson::new(2, "x", "2000-01-01").bsn;
    dead.overleden = true;
    [with, without, dead]
        .iter()
        .map(|p| {
            (
                p.bsn.to_string(),
                serde_json::to_string(&p.persoon()).unwrap(),
            )
        })
        .collect()
}

const OLD_INSERT: &str = "INSERT INTO persons (bsn, a_nummer, geslachtsnaam, voornamen, \
     voorvoegsel, geslacht, geboortedatum, gemeente_code, postcode, huisnummer, huisletter, \
     huisnummertoevoeging, straat, overleden, data) \
     VALUES ($1, NULL, 'x', 'x', '', 'M', NULL, '1998', '1991AB', 12, '', '', 'x', $2, $3)";

async fn backfill_finds_persons_stored_before(url: &str, backend: &str) {
    let connected = connect(url).await.unwrap();
    let before = before_0009(backend).await;
    let rows = old_rows();
    match &connected.pool {
        DbPool::Sqlite(pool) => {
            before.run(pool).await.unwrap();
            for (i, (bsn, data)) in rows.iter().enumerate() {
                sqlx::query(OLD_INSERT)
                    .bind(bsn)
                    .bind(i == 2)
                    .bind(data)
                    .execute(pool)
                    .await
                    .unwrap();
            }
        }
        DbPool::Postgres(pool) => {
            before.run(pool).await.unwrap();
            for (i, (bsn, data)) in rows.iter().enumerate() {
                sqlx::query(OLD_INSERT)
                    .bind(bsn)
                    .bind(i == 2)
                    .bind(data)
                    .execute(pool)
                    .await
                    .unwrap();
            }
        }
    }
    connected.store.migrate().await.unwrap();

    let query = |t, na: &str, ao: &str, dead| {
        PersonQuery::parse(
            t,
            &QueryInput {
                nummeraanduiding_identificatie: na.into(),
                adresseerbaar_object_identificatie: ao.into(),
                inclusief_overleden_personen: dead,
                ..QueryInput::default()
            },
        )
        .unwrap()
    };
    let store = &connected.store;
    let bsns = |found: Vec<brp_service::store::StoredPerson>| {
        found.into_iter().map(|p| p.bsn).collect::<Vec<_>>()
    };
    let na = SearchType::ZoekMetNummeraanduidingIdentificatie;
    let ao = SearchType::ZoekMetAdresseerbaarObjectIdentificatie;
    let living = vec![rows[0].0.clone()];
    let mut all = vec![rows[0].0.clone(), rows[2].0.clone()];
    all.sort();
    assert_eq!(
        bsns(
            store
                .find_persons(&query(na, NA, "", false), None, 10)
                .await
                .unwrap()
        ),
        living
    );
    assert_eq!(
        bsns(
            store
                .find_persons(&query(na, NA, "", true), None, 10)
                .await
                .unwrap()
        ),
        all
    );
    assert_eq!(
        bsns(
            store
                .find_persons(&query(ao, "", AO, false), None, 10)
                .await
                .unwrap()
        ),
        living
    );
    assert_eq!(
        bsns(
            store
                .find_persons(&query(ao, "", AO, true), None, 10)
                .await
                .unwrap()
        ),
        all
    );
    // Each column holds its own id: searching one type by the other's id finds nobody.
    assert!(store
        .find_persons(&query(na, AO, "", true), None, 10)
        .await
        .unwrap()
        .is_empty());
    // A person without ids gets NULL, not an empty string or the JSON null as text.
    let nulls = "SELECT COUNT(*) FROM persons WHERE nummeraanduiding IS NULL \
                 AND adresseerbaar_object IS NULL";
    let without: i64 = match &connected.pool {
        DbPool::Sqlite(pool) => sqlx::query_scalar(nulls).fetch_one(pool).await.unwrap(),
        DbPool::Postgres(pool) => sqlx::query_scalar(nulls).fetch_one(pool).await.unwrap(),
    };
    assert_eq!(without, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let path = std::env::temp_dir().join(format!(
        "brp-bag-migration-{}-{nanos}.sqlite",
        std::process::id()
    ));
    let url = format!("sqlite://{}", path.display());
    backfill_finds_persons_stored_before(&url, "sqlite").await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    use sqlx::Connection;
    let admin_url = postgres_admin_url();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let name = format!("brp_test_bag_{}_{nanos}", std::process::id());
    let mut admin = sqlx::PgConnection::connect(&admin_url).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE \"{name}\""))
        .execute(&mut admin)
        .await
        .unwrap();
    let base = admin_url
        .rsplit_once('/')
        .map(|(base, _)| base.to_owned())
        .unwrap_or(admin_url.clone());
    backfill_finds_persons_stored_before(&format!("{base}/{name}"), "postgres").await;
    sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .execute(&mut admin)
        .await
        .unwrap();
}
