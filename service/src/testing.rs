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
        self.portal_with(|_| {})
    }

    /// Like [`TestDatabase::portal`], with settings changed by `change`.
    pub fn portal_with(&self, change: impl FnOnce(&mut PortalConfig)) -> Portal {
        let mut config = PortalConfig {
            password_hashing: PasswordHashing::INSECURE_FAST_FOR_TESTS,
            ..PortalConfig::default()
        };
        change(&mut config);
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

/// Gives `username` a grant on the named profile, from the test's today for a year, the way
/// the demo set-up does (straight into the register, audited as `test`). Returns its id.
pub async fn grant_profile(db: &TestDatabase, username: &str, profile_name: &str) -> i64 {
    use crate::store::{NewAuditEvent, NewGrant};
    let user = db
        .store
        .user_by_username(&brp_domain::Username::parse(username).expect("user name"))
        .await
        .expect("read user")
        .expect("user exists");
    let profile = db
        .store
        .list_profiles()
        .await
        .expect("profiles")
        .into_iter()
        .find(|p| p.name == profile_name)
        .expect("profile exists");
    let now = db.clock.now();
    let today = brp_domain::time::dutch_local(now).date_naive();
    let grant = NewGrant {
        user_id: user.user.id,
        profile_id: profile.id,
        request_id: None,
        confirmed_version: profile.current().map(|v| v.version).unwrap_or(1),
        start_date: today,
        end_date: brp_domain::authorisation::one_year_after(today),
        confirmed_by: "test".into(),
        created_at: now,
    };
    let audit = NewAuditEvent {
        occurred_at: now,
        actor_user_id: None,
        actor: "test".into(),
        action: brp_domain::AuditAction::GrantCreated,
        subject: format!("autorisatie van {username} ({profile_name})"),
        field: None,
        old_value: None,
        new_value: None,
    };
    db.store.insert_grant(&grant, &audit).await.expect("grant")
}

/// A hand-made person for search tests: every search column can be set.
#[derive(Debug, Clone)]
pub struct TestPerson {
    pub bsn: brp_domain::person::Bsn,
    pub geslachtsnaam: &'static str,
    pub voorvoegsel: Option<&'static str>,
    pub voornamen: &'static str,
    pub geslacht: &'static str,
    pub geboortedatum: &'static str,
    pub gemeente: &'static str,
    pub straat: &'static str,
    pub postcode: &'static str,
    pub huisnummer: u32,
    pub huisletter: Option<&'static str>,
    pub toevoeging: Option<&'static str>,
    /// BAG identificatie of the address (nummeraanduiding), 16 digits.
    pub nummeraanduiding: Option<&'static str>,
    /// BAG identificatie of the dwelling (adresseerbaar object), 16 digits.
    pub adresseerbaar_object: Option<&'static str>,
    pub overleden: bool,
    pub geheim: bool,
    pub onderzoek_naam: bool,
}

impl TestPerson {
    /// A living person in the demo municipality at Dorpsstraat 12, 1991AB. `n` picks the
    /// BSN: the n-th valid one from 100000000 up, so tests can name persons by number.
    pub fn new(n: u32, geslachtsnaam: &'static str, geboortedatum: &'static str) -> Self {
        let bsn = (10_000_000..)
            .filter_map(brp_domain::person::Bsn::complete)
            .nth(n as usize)
            .expect("a BSN");
        Self {
            bsn,
            geslachtsnaam,
            voorvoegsel: None,
            voornamen: "Jan",
            geslacht: "M",
            geboortedatum,
            gemeente: crate::demo::DEMO_GEMEENTE_CODE,
            straat: "Dorpsstraat",
            postcode: "1991AB",
            huisnummer: 12,
            huisletter: None,
            toevoeging: None,
            nummeraanduiding: None,
            adresseerbaar_object: None,
            overleden: false,
            geheim: false,
            onderzoek_naam: false,
        }
    }

    pub fn persoon(&self) -> brp_domain::person::Persoon {
        use brp_domain::person::*;
        let datum = |s: &str| {
            Datum::Volledig(chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date"))
        };
        let mut naam = Naam::new(Some(self.voornamen), self.voorvoegsel, self.geslachtsnaam);
        if self.onderzoek_naam {
            naam.in_onderzoek = Some(InOnderzoek::of(&["geslachtsnaam"], datum("2026-01-01")));
        }
        let woonplaats = if self.gemeente == crate::demo::DEMO_GEMEENTE_CODE {
            crate::demo::DEMO_GEMEENTE_NAAM
        } else {
            "Elders"
        };
        Persoon {
            burgerservicenummer: self.bsn,
            a_nummer: None,
            geslacht: Some(Waardetabel::new(
                self.geslacht,
                if self.geslacht == "V" { "vrouw" } else { "man" },
            )),
            naam,
            geboorte: Some(Gebeurtenis {
                datum: Some(datum(self.geboortedatum)),
                plaats: Some(Waardetabel::new(
                    crate::demo::DEMO_GEMEENTE_CODE,
                    "Voorbeeld",
                )),
                land: Some(Waardetabel::new("6030", "Nederland")),
                in_onderzoek: None,
            }),
            overlijden: self.overleden.then(|| Gebeurtenis {
                datum: Some(datum("2025-03-03")),
                ..Gebeurtenis::default()
            }),
            nationaliteiten: vec![],
            verblijfplaats: Some(Verblijfplaats {
                soort: VerblijfplaatsType::Adres,
                datum_van: Some(datum("2010-01-01")),
                datum_ingang_geldigheid: None,
                adresseerbaar_object_identificatie: self.adresseerbaar_object.map(str::to_owned),
                nummeraanduiding_identificatie: self.nummeraanduiding.map(str::to_owned),
                functie_adres: Some(Waardetabel::new("W", "woonadres")),
                verblijfadres: Some(Verblijfadres {
                    officiele_straatnaam: Some(self.straat.to_owned()),
                    korte_straatnaam: Some(self.straat.to_owned()),
                    huisnummer: Some(self.huisnummer),
                    huisletter: self.huisletter.map(str::to_owned),
                    huisnummertoevoeging: self.toevoeging.map(str::to_owned),
                    postcode: Some(self.postcode.to_owned()),
                    woonplaats: Some(woonplaats.to_owned()),
                    ..Verblijfadres::default()
                }),
                in_onderzoek: None,
            }),
            adressering: None,
            gemeente_van_inschrijving: Some(Waardetabel::new(self.gemeente, woonplaats)),
            datum_inschrijving_in_gemeente: None,
            datum_eerste_inschrijving_gba: None,
            ouders: vec![],
            partners: vec![],
            kinderen: vec![],
            verblijfstitel: None,
            geheimhouding_persoonsgegevens: self.geheim,
            opschorting_bijhouding: self.overleden.then(|| OpschortingBijhouding {
                reden: Waardetabel::new("O", "overlijden"),
                datum: datum("2025-03-03"),
            }),
            in_onderzoek: None,
        }
        .with_adressering()
    }
}

/// The two-step flow for a change that takes four eyes: `proposer` proposes, `approver`
/// approves. Returns the proposal's id.
pub async fn propose_and_approve(
    portal: &crate::Portal,
    proposer: &crate::Actor,
    approver: &crate::Actor,
    change: brp_domain::four_eyes::ProposedChange,
) -> i64 {
    let id = portal
        .propose_change(proposer, change)
        .await
        .expect("proposal");
    portal
        .decide_change(approver, id, true, "")
        .await
        .expect("approval");
    id
}

/// An afnemer as the form would make it: a plain department at once, any other kind or the
/// art. 46 flag through a proposal that `approver` approves.
pub async fn afnemer_with_four_eyes(
    portal: &crate::Portal,
    proposer: &crate::Actor,
    approver: &crate::Actor,
    input: crate::authorisation::AfnemerInput,
) -> brp_domain::Afnemer {
    if input.is_plain_department() {
        return portal
            .create_afnemer(proposer, input)
            .await
            .expect("afnemer");
    }
    let name = input.name.clone();
    propose_and_approve(
        portal,
        proposer,
        approver,
        brp_domain::four_eyes::ProposedChange::CreateAfnemer {
            name: input.name,
            wettelijk_kader: input.wettelijk_kader,
            kind: input.kind,
            ground: input.hidden_from_citizen_ground,
        },
    )
    .await;
    portal
        .list_afnemers(proposer)
        .await
        .expect("afnemers")
        .into_iter()
        .find(|a| a.name == name)
        .expect("approved afnemer exists")
}

/// The set-password token in the newest e-mail to `address`, read straight from the store
/// (the beheerder's outbox view hides it).
pub async fn password_link_token(db: &TestDatabase, address: &str) -> Option<String> {
    let path = crate::four_eyes::SET_PASSWORD_PATH;
    db.store
        .list_outbox(500)
        .await
        .expect("outbox")
        .into_iter()
        .filter(|m| m.to_address == address)
        .find_map(|m| {
            let at = m.body_text.find(path)? + path.len();
            let token: String = m.body_text[at..]
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            (!token.is_empty()).then_some(token)
        })
}

/// A privileged account made the way the portal makes one: proposed by `proposer`,
/// approved by `approver`, its password set by the owner through the link.
pub async fn privileged_account(
    db: &TestDatabase,
    portal: &crate::Portal,
    proposer: &crate::Actor,
    approver: &crate::Actor,
    username: &str,
    role: brp_domain::Role,
    password: &str,
) -> brp_domain::User {
    let email = format!("{username}@voorbeeld.example");
    let id = portal
        .propose_new_account(
            proposer,
            brp_domain::Username::parse(username).expect("user name"),
            brp_domain::DisplayName::parse(&format!("Collega {username}")).expect("name"),
            Some(brp_domain::EmailAddress::parse(&email).expect("email")),
            role,
            None,
        )
        .await
        .expect("proposal");
    portal
        .decide_change(approver, id, true, "")
        .await
        .expect("approval");
    let token = password_link_token(db, &email).await.expect("a link");
    let name = portal
        .set_password_with_token(
            &token,
            brp_domain::NewPassword::parse(password).expect("password"),
        )
        .await
        .expect("set password");
    portal
        .list_users(proposer)
        .await
        .expect("users")
        .into_iter()
        .find(|u| u.username == name)
        .expect("account exists")
}
