//! Hostile input at the service layer, on both databases: the protocol export against
//! spreadsheet formulas and silent cut-offs, search lists against fields outside
//! PersoonBeperkt, and the DigiD login start against floods.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use brp_domain::authorisation::SearchType;
use brp_domain::person::fields::{ALWAYS_DELIVERED, PERSOON_BEPERKT};
use brp_domain::person::{present_paths, LookupGrant, QueryInput};
use brp_domain::protocol::{Channel, ProtocolFilter};
use brp_service::demo::DEMO_PASSWORD;
use brp_service::raadplegen::LookupRequest;
use brp_service::testing::{TestDatabase, TestPerson};
use brp_service::{on_both_databases, Actor, Portal};

const ADDR: &str = "192.0.2.30";
const ALGEMEEN: &str = "Profiel raadplegen algemeen";

async fn login(portal: &Portal, username: &str) -> Actor {
    portal
        .login(username, DEMO_PASSWORD, ADDR)
        .await
        .unwrap()
        .actor
}

async fn household(portal: &Portal) {
    portal.seed_demo().await.unwrap();
    let jan = TestPerson::new(0, "Jansen", "1975-07-07");
    let mut anna = TestPerson::new(1, "Jansen", "1978-03-04");
    anna.voornamen = "Anna";
    anna.geslacht = "V";
    portal
        .store_persons([jan.persoon(), anna.persoon()])
        .await
        .unwrap();
}

async fn grant(portal: &Portal, actor: &Actor) -> LookupGrant {
    portal
        .lookup_grants(actor)
        .await
        .unwrap()
        .into_iter()
        .find(|g| g.profile_name == ALGEMEEN)
        .expect("the medewerker holds the general profile")
}

fn by_address(g: &LookupGrant, zaak: &str, fields: &[&str]) -> LookupRequest {
    LookupRequest {
        grant_id: g.grant_id,
        doel_id: g.doelen[0].id,
        zaak: zaak.into(),
        search_type: SearchType::ZoekMetPostcodeEnHuisnummer,
        input: QueryInput {
            postcode: "1991AB".into(),
            huisnummer: "12".into(),
            ..QueryInput::default()
        },
        fields: fields.iter().map(|f| (*f).to_owned()).collect(),
        channel: Channel::Portaal,
    }
}

/// Every cell a spreadsheet could read as a formula is neutralised and quoted, and an
/// export over the maximum says so in its last line and in its flag.
async fn the_protocol_export_neutralises_formulas_and_says_when_it_is_cut(db: TestDatabase) {
    let portal = db.portal_with(|c| c.protocol_export_max = 1);
    household(&portal).await;
    let m = login(&portal, "medewerker").await;
    let g = grant(&portal, &m).await;
    let found = portal
        .lookup(&m, by_address(&g, "=HYPERLINK(\"http://x\")", &[]))
        .await
        .unwrap();
    assert_eq!(found.persons.len(), 2, "two verstrekkingen");
    let toezicht = login(&portal, "toezichthouder").await;
    let export = portal
        .protocol_csv(&toezicht, &ProtocolFilter::default())
        .await
        .unwrap();
    assert!(export.truncated);
    let lines: Vec<&str> = export.csv.lines().collect();
    assert_eq!(lines.len(), 3, "header, one row, the notice: {lines:?}");
    assert!(
        lines[1].contains(";\"'=HYPERLINK(\"\"http://x\"\")\";"),
        "{}",
        lines[1]
    );
    assert!(lines[2].contains("afgebroken na 1 regels"), "{}", lines[2]);
    assert!(lines[2].contains("Verfijn het filter"));

    // Within the maximum: everything, and no notice.
    let all = db.portal_with(|c| c.protocol_export_max = 10);
    let export = all
        .protocol_csv(&toezicht, &ProtocolFilter::default())
        .await
        .unwrap();
    assert!(!export.truncated);
    assert_eq!(export.csv.lines().count(), 3);
    assert!(!export.csv.contains("afgebroken"));
}

/// Asking a search for a group (`naam`, `adressering`) gives only its PersoonBeperkt
/// elements, in the answer and in the protocol.
async fn search_lists_hold_only_persoon_beperkt_fields_for_a_group(db: TestDatabase) {
    let portal = db.portal();
    household(&portal).await;
    let m = login(&portal, "medewerker").await;
    let g = grant(&portal, &m).await;
    let found = portal
        .lookup(&m, by_address(&g, "Z-1", &["naam", "adressering"]))
        .await
        .unwrap();
    assert_eq!(found.persons.len(), 2);
    for p in &found.persons {
        for path in present_paths(&p.persoon) {
            let top = path.split('.').next().unwrap_or_default();
            assert!(
                PERSOON_BEPERKT.contains(&path.as_str()) || ALWAYS_DELIVERED.contains(&top),
                "search list holds {path}"
            );
        }
    }
    let toezicht = login(&portal, "toezichthouder").await;
    let records = portal
        .protocol_records(&toezicht, &ProtocolFilter::default())
        .await
        .unwrap();
    assert_eq!(records.len(), 2);
    for r in records {
        assert!(r.fields.iter().any(|f| f == "naam.geslachtsnaam"));
        for f in &r.fields {
            assert!(PERSOON_BEPERKT.contains(&f.as_str()), "protocolled {f}");
        }
    }
}

/// Starting a citizen login (the simulation, and DigiD) is throttled per client address:
/// the fourth start within the window from one address is refused, another address is
/// not, and the window passes.
async fn citizen_login_starts_are_throttled_per_address(db: TestDatabase) {
    use brp_service::{Clock, ServiceError};
    use std::sync::Arc;
    let portal = db.portal_with(|c| {
        c.citizens.simulation = true;
        c.login_start_throttle.max_starts_per_address = 3;
    });
    household(&portal).await;
    let bsn = TestPerson::new(0, "Jansen", "1975-07-07").bsn.to_string();
    for _ in 0..3 {
        portal
            .simulated_citizen_login(&bsn, "midden", ADDR)
            .await
            .unwrap();
    }
    assert!(matches!(
        portal.simulated_citizen_login(&bsn, "midden", ADDR).await,
        Err(ServiceError::Throttled)
    ));
    portal
        .simulated_citizen_login(&bsn, "midden", "192.0.2.99")
        .await
        .unwrap();

    // DigiD shares the count of the address.
    let provider = brp_oidc::testing::TestProvider::start("http://portaal/terug").await;
    let client = brp_oidc::OidcClient::new(provider.config("http://portaal/terug")).unwrap();
    let digid = portal.clone().with_identity_provider(Arc::new(client));
    assert!(matches!(
        digid.begin_digid_login(ADDR).await,
        Err(ServiceError::Throttled)
    ));
    digid.begin_digid_login("192.0.2.98").await.unwrap();

    db.clock.set(db.clock.now() + chrono::Duration::minutes(16));
    digid.begin_digid_login(ADDR).await.unwrap();
    portal
        .simulated_citizen_login(&bsn, "midden", ADDR)
        .await
        .unwrap();
}

on_both_databases!(
    the_protocol_export_neutralises_formulas_and_says_when_it_is_cut,
    search_lists_hold_only_persoon_beperkt_fields_for_a_group,
    citizen_login_starts_are_throttled_per_address,
);
