//! The BAG search types, ZoekMetNummeraanduidingIdentificatie and
//! ZoekMetAdresseerbaarObjectIdentificatie, through the service layer on both databases: who
//! is found (the persons registered at the address; the deceased only on request), the
//! validation of the id, the grant's search types, and the stored columns (also for rows
//! written before migration 0009).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use brp_domain::authorisation::SearchType;
use brp_domain::person::{BagId, BagKind, Bsn, LookupGrant, QueryInput};
use brp_domain::protocol::{Channel, ProtocolFilter};
use brp_service::citizens::NewSubmission;
use brp_service::demo::DEMO_PASSWORD;
use brp_service::raadplegen::LookupRequest;
use brp_service::testing::{grant_profile, TestDatabase, TestPerson};
use brp_service::{on_both_databases, Actor, Portal, ServiceError};
use std::collections::{BTreeMap, BTreeSet};

const ADDR: &str = "192.0.2.21";
const BALIE: &str = "Profiel baliemedewerker Burgerzaken";
const ALGEMEEN: &str = "Profiel raadplegen algemeen";

const NA: SearchType = SearchType::ZoekMetNummeraanduidingIdentificatie;
const AO: SearchType = SearchType::ZoekMetAdresseerbaarObjectIdentificatie;

/// Dorpsstraat 12: one dwelling with one nummeraanduiding.
const NA_12: &str = "1998200000000012";
const AO_12: &str = "1998010000000012";
/// Dorpsstraat 12a: another nummeraanduiding of the same dwelling.
const NA_12A: &str = "1998200000000013";
/// Elsewhere in the municipality.
const NA_40: &str = "1998200000000040";
const AO_40: &str = "1998010000000040";

async fn login(portal: &Portal, username: &str) -> Actor {
    portal
        .login(username, DEMO_PASSWORD, ADDR)
        .await
        .unwrap_or_else(|e| panic!("login {username}: {e}"))
        .actor
}

/// 0 and 1 at Dorpsstraat 12; 2 at 12a (same dwelling); 3 deceased at 12; 4 elsewhere;
/// 5 without BAG ids (at the same postcode and number, so only the ids tell them apart);
/// 6 registered in another gemeente under the same dwelling ids (as a test of the
/// gemeente filter only: real ids are unique).
fn persons() -> Vec<TestPerson> {
    let at = |n, naam, na, ao| {
        let mut p = TestPerson::new(n, naam, "1980-01-01");
        p.nummeraanduiding = Some(na);
        p.adresseerbaar_object = Some(ao);
        p
    };
    let robin = at(0, "Maassen", NA_12, AO_12);
    let saskia = at(1, "Jansen", NA_12, AO_12);
    let mut buur = at(2, "Bakker", NA_12A, AO_12);
    buur.huisletter = Some("a");
    let mut overleden = at(3, "Visser", NA_12, AO_12);
    overleden.overleden = true;
    let mut elders = at(4, "Smit", NA_40, AO_40);
    elders.huisnummer = 40;
    let zonder = TestPerson::new(5, "Mulder", "1980-01-01");
    let mut andere_gemeente = at(6, "Bos", NA_12, AO_12);
    andere_gemeente.gemeente = "0518";
    vec![
        robin,
        saskia,
        buur,
        overleden,
        elders,
        zonder,
        andere_gemeente,
    ]
}

struct Setup {
    portal: Portal,
    medewerker: Actor,
    people: Vec<TestPerson>,
}

async fn setup(db: &TestDatabase) -> Setup {
    let portal = db.portal();
    portal.seed_demo().await.unwrap();
    let people = persons();
    portal
        .store_persons(people.iter().map(TestPerson::persoon))
        .await
        .unwrap();
    let medewerker = login(&portal, "medewerker").await;
    Setup {
        portal,
        medewerker,
        people,
    }
}

async fn grant_named(portal: &Portal, actor: &Actor, profile: &str) -> LookupGrant {
    portal
        .lookup_grants(actor)
        .await
        .unwrap()
        .into_iter()
        .find(|g| g.profile_name == profile)
        .unwrap_or_else(|| panic!("no active grant on {profile}"))
}

fn request(grant: &LookupGrant, search_type: SearchType, input: QueryInput) -> LookupRequest {
    LookupRequest {
        grant_id: grant.grant_id,
        doel_id: grant.doelen[0].id,
        zaak: "Z-2026-011".into(),
        search_type,
        input,
        fields: Vec::new(),
        channel: Channel::Portaal,
    }
}

fn by_id(search_type: SearchType, id: &str, gemeente: &str, overleden: bool) -> QueryInput {
    let mut input = QueryInput {
        gemeente_van_inschrijving: gemeente.into(),
        inclusief_overleden_personen: overleden,
        ..QueryInput::default()
    };
    match search_type {
        SearchType::ZoekMetNummeraanduidingIdentificatie => {
            input.nummeraanduiding_identificatie = id.into()
        }
        _ => input.adresseerbaar_object_identificatie = id.into(),
    }
    input
}

/// The BSNs found, sorted.
async fn found(portal: &Portal, actor: &Actor, req: LookupRequest) -> Vec<Bsn> {
    let result = portal
        .lookup(actor, req)
        .await
        .unwrap_or_else(|e| panic!("lookup: {e}"));
    let mut bsns: Vec<Bsn> = result
        .persons
        .iter()
        .map(|p| {
            p.persoon["burgerservicenummer"]
                .as_str()
                .map(|b| Bsn::parse(b).unwrap())
                .expect("the balie profile provides the BSN")
        })
        .collect();
    bsns.sort();
    bsns
}

fn bsns(people: &[TestPerson], which: &[usize]) -> Vec<Bsn> {
    let mut v: Vec<Bsn> = which.iter().map(|&i| people[i].bsn).collect();
    v.sort();
    v
}

async fn residents_at_the_address_are_found_the_deceased_only_on_request(db: TestDatabase) {
    let s = setup(&db).await;
    grant_profile(&db, "medewerker", BALIE).await;
    let g = grant_named(&s.portal, &s.medewerker, BALIE).await;
    let (p, m, people) = (&s.portal, &s.medewerker, &s.people);
    let search = |t, id: &'static str, gemeente: &'static str, dead| {
        found(p, m, request(&g, t, by_id(t, id, gemeente, dead)))
    };

    // By nummeraanduiding: the living at Dorpsstraat 12, not the neighbour at 12a (another
    // nummeraanduiding of the same dwelling), not someone elsewhere.
    assert_eq!(search(NA, NA_12, "", false).await, bsns(people, &[0, 1, 6]));
    assert_eq!(
        search(NA, NA_12, "", true).await,
        bsns(people, &[0, 1, 3, 6])
    );
    assert_eq!(search(NA, NA_12A, "", false).await, bsns(people, &[2]));
    assert_eq!(search(NA, NA_40, "", false).await, bsns(people, &[4]));

    // By adresseerbaar object: everyone in the dwelling, whichever nummeraanduiding.
    assert_eq!(
        search(AO, AO_12, "", false).await,
        bsns(people, &[0, 1, 2, 6])
    );
    assert_eq!(
        search(AO, AO_12, "", true).await,
        bsns(people, &[0, 1, 2, 3, 6])
    );
    assert_eq!(search(AO, AO_40, "", false).await, bsns(people, &[4]));

    // gemeenteVanInschrijving narrows to the persons registered in that gemeente.
    assert_eq!(
        search(NA, NA_12, "1998", false).await,
        bsns(people, &[0, 1])
    );
    assert_eq!(search(AO, AO_12, "0518", false).await, bsns(people, &[6]));
    assert!(search(AO, AO_40, "0518", true).await.is_empty());

    // One type's id is not found by the other type: the columns are not mixed up.
    assert!(search(NA, AO_12, "", true).await.is_empty());
    assert!(search(AO, NA_12, "", true).await.is_empty());

    // Nobody registered there: an empty list, and nothing protocolled.
    let before = protocol_count(p).await;
    assert!(search(NA, "1998200000009999", "", true).await.is_empty());
    assert_eq!(protocol_count(p).await, before);

    // A search list is protocolled with its search type, and shows PersoonBeperkt only.
    let list = p
        .lookup(m, request(&g, AO, by_id(AO, AO_12, "1998", false)))
        .await
        .unwrap();
    assert_eq!(list.search_type, AO);
    assert_eq!(list.persons.len(), 3);
    assert!(list
        .persons
        .iter()
        .all(|x| x.persoon.get("nationaliteiten").is_none()));
    let toezicht = login(p, "toezichthouder").await;
    let records: Vec<_> = p
        .protocol_records(&toezicht, &ProtocolFilter::default())
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.request_id == list.request_id)
        .collect();
    assert_eq!(records.len(), 3);
    assert!(records.iter().all(|r| r.search_type == AO));
}

async fn protocol_count(portal: &Portal) -> usize {
    let actor = login(portal, "toezichthouder").await;
    portal
        .protocol_records(&actor, &ProtocolFilter::default())
        .await
        .unwrap()
        .len()
}

async fn a_bad_id_is_a_validation_error_naming_the_parameter(db: TestDatabase) {
    let s = setup(&db).await;
    grant_profile(&db, "medewerker", BALIE).await;
    let g = grant_named(&s.portal, &s.medewerker, BALIE).await;
    let (p, m) = (&s.portal, &s.medewerker);
    for (t, field) in [
        (NA, "nummeraanduidingIdentificatie"),
        (AO, "adresseerbaarObjectIdentificatie"),
    ] {
        for bad in [
            "",
            "123456789012345",
            "12345678901234567",
            "0000000000000000",
            "199820000000001x",
            "<script>1234567890123456</script>",
        ] {
            let r = p.lookup(m, request(&g, t, by_id(t, bad, "", false))).await;
            assert!(
                matches!(r, Err(ServiceError::Invalid(ref e)) if e.field == field),
                "{t:?} {bad:?}: {r:?}"
            );
        }
        let r = p
            .lookup(m, request(&g, t, by_id(t, NA_12, "19", false)))
            .await;
        assert!(
            matches!(r, Err(ServiceError::Invalid(ref e)) if e.field == "gemeenteVanInschrijving"),
            "{r:?}"
        );
    }
    // Bad input is no refusal: nothing in the security log, nothing protocolled.
    let toezicht = login(p, "toezichthouder").await;
    assert!(p.security_log(&toezicht).await.unwrap().is_empty());
    assert_eq!(protocol_count(p).await, 0);
}

async fn a_profile_without_the_search_type_is_refused_and_logged(db: TestDatabase) {
    let s = setup(&db).await;
    let (p, m) = (&s.portal, &s.medewerker);
    // The general profile has the address searches, but not the BAG ones.
    let g = grant_named(p, m, ALGEMEEN).await;
    assert!(!g.search_types.contains(&NA) && !g.search_types.contains(&AO));
    for (t, id) in [(NA, NA_12), (AO, AO_12)] {
        let r = p.lookup(m, request(&g, t, by_id(t, id, "", false))).await;
        assert!(
            matches!(r, Err(ServiceError::Refused(ref msg)) if msg.contains("zoekvorm")),
            "{r:?}"
        );
        // Refused before the parameters are read: a bad id is refused the same way.
        let r = p.lookup(m, request(&g, t, by_id(t, "x", "", false))).await;
        assert!(matches!(r, Err(ServiceError::Refused(_))), "{r:?}");
    }
    let toezicht = login(p, "toezichthouder").await;
    let log = p.security_log(&toezicht).await.unwrap();
    assert_eq!(log.len(), 4, "{log:?}");
    assert!(log.iter().any(|e| e.detail.contains(NA.code())));
    assert!(log.iter().any(|e| e.detail.contains(AO.code())));
    assert_eq!(protocol_count(p).await, 0);
}

/// Storing a person again (a new import or load) moves the BAG columns with the JSON.
async fn a_stored_again_person_is_found_at_the_new_address(db: TestDatabase) {
    let s = setup(&db).await;
    grant_profile(&db, "medewerker", BALIE).await;
    let g = grant_named(&s.portal, &s.medewerker, BALIE).await;
    let (p, m, people) = (&s.portal, &s.medewerker, &s.people);
    let mut moved = people[0].clone();
    moved.nummeraanduiding = Some(NA_40);
    moved.adresseerbaar_object = Some(AO_40);
    moved.huisnummer = 40;
    p.store_persons([moved.persoon()]).await.unwrap();
    let search = |t, id: &'static str| found(p, m, request(&g, t, by_id(t, id, "1998", false)));
    assert_eq!(search(NA, NA_40).await, bsns(people, &[0, 4]));
    assert_eq!(search(AO, AO_40).await, bsns(people, &[0, 4]));
    assert_eq!(search(NA, NA_12).await, bsns(people, &[1]));
}

/// A granted geheimhouding rewrites the person's row (the citizen path, not the bulk load):
/// the BAG columns are written again with it, so the person is still found by them.
async fn a_person_rewritten_by_a_citizen_request_keeps_the_bag_columns(db: TestDatabase) {
    let portal = db.portal_with(|c| c.citizens.simulation = true);
    portal.seed_demo().await.unwrap();
    let people = persons();
    portal
        .store_persons(people.iter().map(TestPerson::persoon))
        .await
        .unwrap();
    let claims = portal
        .simulated_citizen_login(&people[0].bsn.to_string(), "midden", ADDR)
        .await
        .unwrap();
    let robin = portal.resolve_citizen(&claims).await.unwrap();
    let submission = NewSubmission::parse(
        "geheimhouding",
        "inwoner@voorbeeld.example",
        "",
        "",
        "",
        false,
        Vec::new(),
    )
    .unwrap();
    let id = portal
        .submit_citizen_request(&robin, submission)
        .await
        .unwrap();
    let beheerder = login(&portal, "beheerder").await;
    portal
        .decide_citizen_request(&beheerder, &id, "toegekend", "", None)
        .await
        .unwrap();
    grant_profile(&db, "medewerker", BALIE).await;
    let m = login(&portal, "medewerker").await;
    let g = grant_named(&portal, &m, BALIE).await;
    let result = portal
        .lookup(&m, request(&g, NA, by_id(NA, NA_12, "1998", false)))
        .await
        .unwrap();
    let robin_found = result
        .persons
        .iter()
        .find(|x| x.persoon["burgerservicenummer"] == people[0].bsn.to_string())
        .expect("still found by the nummeraanduiding");
    assert!(robin_found.indicaties.geheimhouding);
    assert_eq!(
        found(
            &portal,
            &m,
            request(&g, AO, by_id(AO, AO_12, "1998", false))
        )
        .await,
        bsns(&people, &[0, 1, 2])
    );
}

fn kind(t: SearchType) -> BagKind {
    if t == NA {
        BagKind::Nummeraanduiding
    } else {
        BagKind::AdresseerbaarObject
    }
}

/// Every well-formed BAG id in the shared mock data finds exactly the imported persons that carry it.
async fn the_mock_import_is_found_by_its_bag_ids(db: TestDatabase) {
    let portal = db.portal();
    portal.seed_demo().await.unwrap();
    let json = include_str!("../../population/tests/data/personen-mock-test-data.json");
    portal.import_mock(json, "mock").await.unwrap();
    grant_profile(&db, "medewerker", BALIE).await;
    let m = login(&portal, "medewerker").await;
    let g = grant_named(&portal, &m, BALIE).await;
    let all: Vec<serde_json::Value> = serde_json::from_str(json).unwrap();
    let mut expected: BTreeMap<(SearchType, String), BTreeSet<Bsn>> = BTreeMap::new();
    for person in &all {
        let Some(bsn) = person["burgerservicenummer"]
            .as_str()
            .and_then(|b| Bsn::parse(b).ok())
        else {
            continue;
        };
        let v = &person["verblijfplaats"];
        for (t, key) in [
            (NA, "nummeraanduidingIdentificatie"),
            (AO, "adresseerbaarObjectIdentificatie"),
        ] {
            // The mock data also holds a few malformed ids (15 digits after a space), as
            // the BRP can: nobody can search by those.
            if let Some(id) = v[key]
                .as_str()
                .filter(|id| BagId::parse(kind(t), id).is_ok())
            {
                expected.entry((t, id.to_owned())).or_default().insert(bsn);
            }
        }
    }
    assert!(expected.len() > 400, "the mock data carries BAG ids");
    for ((t, id), want) in &expected {
        let got = found(&portal, &m, request(&g, *t, by_id(*t, id, "", true))).await;
        assert_eq!(
            got.into_iter().collect::<BTreeSet<_>>(),
            *want,
            "{t:?} {id}"
        );
    }
}

on_both_databases!(
    residents_at_the_address_are_found_the_deceased_only_on_request,
    a_bad_id_is_a_validation_error_naming_the_parameter,
    a_profile_without_the_search_type_is_refused_and_logged,
    a_stored_again_person_is_found_at_the_new_address,
    a_person_rewritten_by_a_citizen_request_keeps_the_bag_columns,
    the_mock_import_is_found_by_its_bag_ids,
);
