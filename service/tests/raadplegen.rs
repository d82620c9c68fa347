//! Raadplegen through the service layer, on both databases: the search types, the grant's
//! rules, the protocol and the security log.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use brp_domain::authorisation::SearchType;
use brp_domain::person::{present_paths, Bsn, LookupGrant, QueryInput};
use brp_domain::protocol::{Channel, ProtocolFilter};
use brp_service::demo::DEMO_PASSWORD;
use brp_service::raadplegen::LookupRequest;
use brp_service::testing::{grant_profile, TestDatabase, TestPerson};
use brp_service::{on_both_databases, Actor, Clock, Portal, ServiceError};
use std::collections::BTreeSet;

const ADDR: &str = "192.0.2.20";
const BALIE: &str = "Profiel baliemedewerker Burgerzaken";
const ALGEMEEN: &str = "Profiel raadplegen algemeen";
const LEERPLICHT: &str = "Profiel raadplegen t.b.v. leerplichtadministratie";

async fn login(portal: &Portal, username: &str) -> Actor {
    portal
        .login(username, DEMO_PASSWORD, ADDR)
        .await
        .unwrap_or_else(|e| panic!("login {username}: {e}"))
        .actor
}

/// The persons every search test works on.
fn persons() -> Vec<TestPerson> {
    let jansen = TestPerson::new(0, "Jansen", "1975-07-07");
    let mut janssen = TestPerson::new(1, "Jänssen", "1975-07-07");
    janssen.voornamen = "Ünal";
    janssen.huisletter = Some("A");
    let mut jansma = TestPerson::new(2, "Jansma", "1980-01-01");
    jansma.huisnummer = 14;
    let mut de_vries = TestPerson::new(3, "Vries", "1990-02-03");
    de_vries.voorvoegsel = Some("de");
    de_vries.voornamen = "Anna";
    de_vries.geslacht = "V";
    de_vries.straat = "Kerkstraat";
    de_vries.postcode = "1991AC";
    de_vries.huisnummer = 1;
    de_vries.toevoeging = Some("II");
    let mut overleden = TestPerson::new(4, "Jansen", "1975-07-07");
    overleden.overleden = true;
    let mut elders = TestPerson::new(5, "Jansen", "1975-07-07");
    elders.gemeente = "0518";
    elders.postcode = "2596AA";
    elders.huisnummer = 4;
    let mut geheim = TestPerson::new(6, "Öztürk", "2001-05-05");
    geheim.geheim = true;
    geheim.onderzoek_naam = true;
    geheim.postcode = "1991AD";
    vec![jansen, janssen, jansma, de_vries, overleden, elders, geheim]
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
        zaak: "Z-2026-001".into(),
        search_type,
        input,
        fields: Vec::new(),
        channel: Channel::Portaal,
    }
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

async fn each_search_type_follows_the_haal_centraal_rules(db: TestDatabase) {
    let s = setup(&db).await;
    grant_profile(&db, "medewerker", BALIE).await;
    let g = grant_named(&s.portal, &s.medewerker, BALIE).await;
    let (p, m, people) = (&s.portal, &s.medewerker, &s.people);
    let q = |f: fn(&mut QueryInput)| {
        let mut input = QueryInput::default();
        f(&mut input);
        input
    };

    // By BSN: deceased persons too, and persons of other municipalities.
    let input = QueryInput {
        burgerservicenummer: format!("{} {}", people[4].bsn, people[5].bsn),
        ..QueryInput::default()
    };
    let t = SearchType::RaadpleegMetBurgerservicenummer;
    assert_eq!(
        found(p, m, request(&g, t, input)).await,
        bsns(people, &[4, 5])
    );

    // Geslachtsnaam and geboortedatum: case-insensitive; the deceased only on request.
    let t = SearchType::ZoekMetGeslachtsnaamEnGeboortedatum;
    let jansen = q(|i| {
        i.geslachtsnaam = "JANSEN".into();
        i.geboortedatum = "1975-07-07".into();
    });
    assert_eq!(
        found(p, m, request(&g, t, jansen.clone())).await,
        bsns(people, &[0, 5])
    );
    let with_dead = QueryInput {
        inclusief_overleden_personen: true,
        ..jansen
    };
    assert_eq!(
        found(p, m, request(&g, t, with_dead)).await,
        bsns(people, &[0, 4, 5])
    );
    // Diacritics-insensitive, both ways.
    let janssen = q(|i| {
        i.geslachtsnaam = "janssen".into();
        i.geboortedatum = "07-07-1975".into();
    });
    assert_eq!(
        found(p, m, request(&g, t, janssen)).await,
        bsns(people, &[1])
    );
    // A wildcard after three letters.
    let wildcard = q(|i| {
        i.geslachtsnaam = "Jans*".into();
        i.geboortedatum = "1975-07-07".into();
    });
    assert_eq!(
        found(p, m, request(&g, t, wildcard)).await,
        bsns(people, &[0, 1, 5])
    );
    let voornaam = q(|i| {
        i.geslachtsnaam = "jans*".into();
        i.geboortedatum = "1975-07-07".into();
        i.voornamen = "unal".into();
    });
    assert_eq!(
        found(p, m, request(&g, t, voornaam)).await,
        bsns(people, &[1])
    );
    // Two letters and a wildcard is refused as input, not searched.
    let short = q(|i| {
        i.geslachtsnaam = "Ja*".into();
        i.geboortedatum = "1975-07-07".into();
    });
    assert!(matches!(
        p.lookup(m, request(&g, t, short)).await,
        Err(ServiceError::Invalid(_))
    ));

    // Naam and gemeente van inschrijving, with voorvoegsel.
    let t = SearchType::ZoekMetNaamEnGemeenteVanInschrijving;
    let vries = q(|i| {
        i.geslachtsnaam = "vries".into();
        i.voornamen = "ann*".into();
        i.voorvoegsel = "De".into();
        i.gemeente_van_inschrijving = "1998".into();
    });
    assert_eq!(found(p, m, request(&g, t, vries)).await, bsns(people, &[3]));
    let elders = q(|i| {
        i.geslachtsnaam = "Jansen".into();
        i.voornamen = "Jan".into();
        i.gemeente_van_inschrijving = "0518".into();
    });
    assert_eq!(
        found(p, m, request(&g, t, elders)).await,
        bsns(people, &[5])
    );

    // Postcode and huisnummer, with huisletter and toevoeging.
    let t = SearchType::ZoekMetPostcodeEnHuisnummer;
    let house = q(|i| {
        i.postcode = "1991 ab".into();
        i.huisnummer = "12".into();
    });
    assert_eq!(
        found(p, m, request(&g, t, house)).await,
        bsns(people, &[0, 1])
    );
    let letter = q(|i| {
        i.postcode = "1991AB".into();
        i.huisnummer = "12".into();
        i.huisletter = "a".into();
    });
    assert_eq!(
        found(p, m, request(&g, t, letter)).await,
        bsns(people, &[1])
    );
    let toevoeging = q(|i| {
        i.postcode = "1991AC".into();
        i.huisnummer = "1".into();
        i.huisnummertoevoeging = "ii".into();
    });
    assert_eq!(
        found(p, m, request(&g, t, toevoeging)).await,
        bsns(people, &[3])
    );

    // Straat, huisnummer and gemeente: exact, prefix and suffix.
    let t = SearchType::ZoekMetStraatHuisnummerEnGemeenteVanInschrijving;
    for straat in ["dorpsstraat", "Dorpsstr*", "*orpsstraat"] {
        let input = QueryInput {
            straat: straat.into(),
            huisnummer: "12".into(),
            gemeente_van_inschrijving: "1998".into(),
            ..QueryInput::default()
        };
        // The person with geheimhouding lives at Dorpsstraat 12 too, under another postcode.
        assert_eq!(
            found(p, m, request(&g, t, input)).await,
            bsns(people, &[0, 1, 6]),
            "{straat}"
        );
    }

    // No results: an empty list, and nothing protocolled for it.
    let before = protocol_count(&db).await;
    let nobody = QueryInput {
        postcode: "1991ZZ".into(),
        huisnummer: "1".into(),
        ..QueryInput::default()
    };
    let result = p
        .lookup(
            m,
            request(&g, SearchType::ZoekMetPostcodeEnHuisnummer, nobody),
        )
        .await
        .unwrap();
    assert!(result.persons.is_empty());
    assert_eq!(protocol_count(&db).await, before);
}

async fn protocol_count(db: &TestDatabase) -> usize {
    let beheerder = db.portal();
    let actor = login(&beheerder, "toezichthouder").await;
    beheerder
        .protocol_records(&actor, &ProtocolFilter::default())
        .await
        .unwrap()
        .len()
}

async fn search_lists_and_consults_are_protocolled_with_every_element(db: TestDatabase) {
    let s = setup(&db).await;
    let (p, m) = (&s.portal, &s.medewerker);
    let g = grant_named(p, m, ALGEMEEN).await;
    let house = QueryInput {
        postcode: "1991AB".into(),
        huisnummer: "12".into(),
        ..QueryInput::default()
    };
    let list = p
        .lookup(
            m,
            request(&g, SearchType::ZoekMetPostcodeEnHuisnummer, house),
        )
        .await
        .unwrap();
    assert_eq!(list.persons.len(), 2);
    // The general profile has no BSN: the list does not show it.
    assert!(list
        .persons
        .iter()
        .all(|p| p.persoon.get("burgerservicenummer").is_none()));

    let toezicht = login(p, "toezichthouder").await;
    let records = p
        .protocol_records(&toezicht, &ProtocolFilter::default())
        .await
        .unwrap();
    assert_eq!(records.len(), 2);
    let profile = p
        .list_profiles(&toezicht)
        .await
        .unwrap()
        .into_iter()
        .find(|x| x.name == ALGEMEEN)
        .unwrap();
    for r in &records {
        assert!(list.persons.iter().any(|x| x.verstrekking_id == r.id));
        assert!(s.people[..2].iter().any(|x| x.bsn == r.bsn));
        assert_eq!(r.at, db.clock.now());
        assert_eq!(r.user_id, m.id());
        assert_eq!(r.username, "medewerker");
        assert_eq!(r.grant_id, g.grant_id);
        assert_eq!(r.profile_id, profile.id);
        assert_eq!(r.profile_version, 1);
        assert_eq!(r.afnemer.name, "Team werk, inkomen en zorg");
        assert_eq!(r.doel_id, g.doelen[0].id);
        assert_eq!(r.doel_name, g.doelen[0].name);
        assert_eq!(r.zaak, "Z-2026-001");
        assert_eq!(r.search_type, SearchType::ZoekMetPostcodeEnHuisnummer);
        assert_eq!(r.channel, Channel::Portaal);
        assert_eq!(r.request_id, list.request_id);
        // A list provides the profile's PersoonBeperkt fields only.
        assert!(r.fields.contains(&"naam.geslachtsnaam".to_owned()));
        assert!(!r.fields.contains(&"overlijden.datum".to_owned()));
    }

    // Opening a person from the list is a consult by BSN, protocolled on its own.
    let opened = p
        .open_provided(m, list.persons[0].verstrekking_id, Channel::Portaal)
        .await
        .unwrap();
    assert_eq!(opened.persons.len(), 1);
    assert!(opened.persons[0].persoon.get("verblijfplaats").is_some());
    let consult = p
        .protocol_records(&toezicht, &ProtocolFilter::default())
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.id == opened.persons[0].verstrekking_id)
        .unwrap();
    assert_eq!(
        consult.search_type,
        SearchType::RaadpleegMetBurgerservicenummer
    );
    assert_eq!(consult.zaak, "Z-2026-001");
    // The protocol holds what the person's data held: a living person's record names no
    // overlijden, however wide the profile.
    assert!(consult.fields.contains(&"naam.geslachtsnaam".to_owned()));
    assert!(!consult.fields.iter().any(|f| f.starts_with("overlijden")));
    assert_ne!(consult.request_id, list.request_id);

    // Someone else cannot open the medewerker's results.
    let beheerder = login(p, "beheerder").await;
    assert!(matches!(
        p.open_provided(
            &beheerder,
            list.persons[0].verstrekking_id,
            Channel::Portaal
        )
        .await,
        Err(ServiceError::NotFound(_))
    ));

    // The viewer filters by BSN, medewerker, afnemer and period.
    let by_bsn = ProtocolFilter {
        bsn: Some(consult.bsn),
        ..ProtocolFilter::default()
    };
    assert_eq!(
        p.protocol_records(&toezicht, &by_bsn).await.unwrap().len(),
        2
    );
    let by_other_user = ProtocolFilter {
        user_id: Some(beheerder.id()),
        ..ProtocolFilter::default()
    };
    assert!(p
        .protocol_records(&toezicht, &by_other_user)
        .await
        .unwrap()
        .is_empty());
    let today = brp_domain::time::dutch_local(db.clock.now()).date_naive();
    let period = ProtocolFilter {
        afnemer_id: Some(consult.afnemer.id),
        from: Some(today),
        to: Some(today),
        ..ProtocolFilter::default()
    };
    assert_eq!(
        p.protocol_records(&toezicht, &period).await.unwrap().len(),
        3
    );
    let yesterday = ProtocolFilter {
        to: today.pred_opt(),
        ..ProtocolFilter::default()
    };
    assert!(p
        .protocol_records(&toezicht, &yesterday)
        .await
        .unwrap()
        .is_empty());
    let csv = p.protocol_csv(&toezicht, &by_bsn).await.unwrap().csv;
    assert_eq!(csv.lines().count(), 3);
    assert!(csv.contains(&consult.bsn.to_string()));
    assert!(csv.contains("RaadpleegMetBurgerservicenummer"));

    // Medewerkers do not read the protocol.
    assert!(matches!(
        p.protocol_records(m, &ProtocolFilter::default()).await,
        Err(ServiceError::Forbidden)
    ));
}

async fn requests_outside_the_grant_are_refused_logged_and_provide_nothing(db: TestDatabase) {
    let s = setup(&db).await;
    let (p, m) = (&s.portal, &s.medewerker);
    let g = grant_named(p, m, ALGEMEEN).await;
    let by_name = QueryInput {
        geslachtsnaam: "Jansen".into(),
        voornamen: "Jan".into(),
        gemeente_van_inschrijving: "1998".into(),
        ..QueryInput::default()
    };
    let house = QueryInput {
        postcode: "1991AB".into(),
        huisnummer: "12".into(),
        ..QueryInput::default()
    };
    let t = SearchType::ZoekMetPostcodeEnHuisnummer;

    // A search type the profile does not have.
    let r = p
        .lookup(
            m,
            request(
                &g,
                SearchType::ZoekMetNaamEnGemeenteVanInschrijving,
                by_name,
            ),
        )
        .await;
    assert!(
        matches!(r, Err(ServiceError::Refused(ref m)) if m.contains("zoekvorm")),
        "{r:?}"
    );

    // A doel of another profile.
    let toezicht = login(p, "toezichthouder").await;
    let other_doel = p
        .list_doelen(&toezicht)
        .await
        .unwrap()
        .into_iter()
        .find(|d| !g.doelen.iter().any(|x| x.id == d.id))
        .unwrap();
    let mut wrong_doel = request(&g, t, house.clone());
    wrong_doel.doel_id = other_doel.id;
    assert!(matches!(
        p.lookup(m, wrong_doel).await,
        Err(ServiceError::Refused(_))
    ));

    // A field outside the profile.
    let mut bsn_field = request(&g, t, house.clone());
    bsn_field.fields = vec!["burgerservicenummer".into()];
    assert!(matches!(
        p.lookup(m, bsn_field).await,
        Err(ServiceError::Refused(ref m)) if m.contains("burgerservicenummer")
    ));

    // Someone else's grant.
    let beheerder = login(p, "beheerder").await;
    assert!(matches!(
        p.lookup(&beheerder, request(&g, t, house.clone())).await,
        Err(ServiceError::Refused(_))
    ));

    // An unknown field is a bad request, not a refusal.
    let mut unknown = request(&g, t, house);
    unknown.fields = vec!["naam.schoenmaat".into()];
    assert!(matches!(
        p.lookup(m, unknown).await,
        Err(ServiceError::Invalid(_))
    ));

    let log = p.security_log(&toezicht).await.unwrap();
    assert_eq!(log.len(), 4, "{log:?}");
    assert!(log.iter().any(|e| e.username == "beheerder"));
    assert!(log.iter().all(|e| !e.reason.is_empty()));
    assert_eq!(log.iter().filter(|e| e.username == "medewerker").count(), 3);
    assert_eq!(protocol_count(&db).await, 0);
    assert!(matches!(
        p.security_log(m).await,
        Err(ServiceError::Forbidden)
    ));
}

async fn a_revoked_grant_stops_the_next_lookup(db: TestDatabase) {
    let s = setup(&db).await;
    let (p, m) = (&s.portal, &s.medewerker);
    let g = grant_named(p, m, ALGEMEEN).await;
    let house = QueryInput {
        postcode: "1991AB".into(),
        huisnummer: "12".into(),
        ..QueryInput::default()
    };
    let t = SearchType::ZoekMetPostcodeEnHuisnummer;
    assert_eq!(
        p.lookup(m, request(&g, t, house.clone()))
            .await
            .unwrap()
            .persons
            .len(),
        2
    );
    let beheerder = login(p, "beheerder").await;
    p.revoke_grant(&beheerder, g.grant_id, "Andere functie")
        .await
        .unwrap();
    assert!(matches!(
        p.lookup(m, request(&g, t, house)).await,
        Err(ServiceError::Refused(_))
    ));
    assert!(p.lookup_grants(m).await.unwrap().is_empty());
    assert_eq!(protocol_count(&db).await, 2);
}

async fn with_the_protocol_failing_no_data_is_returned(db: TestDatabase) {
    let s = setup(&db).await;
    let (p, m) = (&s.portal, &s.medewerker);
    let g = grant_named(p, m, ALGEMEEN).await;
    // A real failure of the real database: every protocol insert is rejected.
    match &db.pool {
        brp_service::store::DbPool::Sqlite(pool) => {
            sqlx::query(
                "CREATE TRIGGER protocol_down BEFORE INSERT ON verstrekkingen \
                 BEGIN SELECT RAISE(ABORT, 'disk full'); END",
            )
            .execute(pool)
            .await
            .unwrap();
        }
        brp_service::store::DbPool::Postgres(pool) => {
            sqlx::query(
                "CREATE FUNCTION protocol_down() RETURNS trigger AS $$ \
                 BEGIN RAISE EXCEPTION 'disk full'; END; $$ LANGUAGE plpgsql",
            )
            .execute(pool)
            .await
            .unwrap();
            sqlx::query(
                "CREATE TRIGGER protocol_down BEFORE INSERT ON verstrekkingen \
                 FOR EACH ROW EXECUTE FUNCTION protocol_down()",
            )
            .execute(pool)
            .await
            .unwrap();
        }
    }
    let house = QueryInput {
        postcode: "1991AB".into(),
        huisnummer: "12".into(),
        ..QueryInput::default()
    };
    let r = p
        .lookup(
            m,
            request(&g, SearchType::ZoekMetPostcodeEnHuisnummer, house),
        )
        .await;
    assert!(matches!(r, Err(ServiceError::ProtocolFailed)), "{r:?}");
    assert_eq!(protocol_count(&db).await, 0);
}

async fn a_profile_for_own_residents_only_finds_only_them(db: TestDatabase) {
    let s = setup(&db).await;
    let (p, m, people) = (&s.portal, &s.medewerker, &s.people);
    grant_profile(&db, "medewerker", LEERPLICHT).await;
    let g = grant_named(p, m, LEERPLICHT).await;
    let input = QueryInput {
        burgerservicenummer: format!("{} {}", people[0].bsn, people[5].bsn),
        ..QueryInput::default()
    };
    assert_eq!(
        found(
            p,
            m,
            request(&g, SearchType::RaadpleegMetBurgerservicenummer, input)
        )
        .await,
        vec![people[0].bsn]
    );
}

async fn indications_are_always_shown_whatever_the_profile(db: TestDatabase) {
    let s = setup(&db).await;
    let (p, m) = (&s.portal, &s.medewerker);
    let g = grant_named(p, m, ALGEMEEN).await;
    let input = QueryInput {
        postcode: "1991AD".into(),
        huisnummer: "12".into(),
        ..QueryInput::default()
    };
    let list = p
        .lookup(
            m,
            request(&g, SearchType::ZoekMetPostcodeEnHuisnummer, input),
        )
        .await
        .unwrap();
    let person = &list.persons[0];
    assert!(person.indicaties.geheimhouding);
    assert_eq!(person.indicaties.in_onderzoek, vec!["naam.geslachtsnaam"]);
    assert_eq!(person.persoon["geheimhoudingPersoonsgegevens"], true);
    assert_eq!(person.persoon["naam"]["inOnderzoek"]["geslachtsnaam"], true);

    // The deceased: opened by BSN under the balie profile, which has no overlijden filter.
    grant_profile(&db, "medewerker", BALIE).await;
    let balie = grant_named(p, m, BALIE).await;
    let input = QueryInput {
        burgerservicenummer: s.people[4].bsn.to_string(),
        ..QueryInput::default()
    };
    let mut req = request(&balie, SearchType::RaadpleegMetBurgerservicenummer, input);
    req.fields = vec!["naam.voornamen".into()];
    let dead = p.lookup(m, req).await.unwrap();
    let person = &dead.persons[0];
    assert_eq!(person.indicaties.overleden.as_deref(), Some("3 maart 2025"));
    assert!(person.indicaties.opschorting.is_some());
    // Only the asked field and the always-delivered indications.
    let paths = present_paths(&person.persoon);
    assert!(
        paths
            .iter()
            .all(|p| p == "naam.voornamen" || p.starts_with("opschortingBijhouding")),
        "{paths:?}"
    );
}

/// For random profiles and persons, a response never holds a path outside the profile
/// (beyond the always-delivered indications).
async fn no_response_holds_a_field_outside_the_profile(db: TestDatabase) {
    use rand::{Rng, SeedableRng};
    let s = setup(&db).await;
    let (p, m) = (&s.portal, &s.medewerker);
    p.generate_population(300, 7).await.unwrap();
    grant_profile(&db, "medewerker", BALIE).await;
    let g = grant_named(p, m, BALIE).await;
    let catalogue = brp_domain::catalogue::Catalogue::persoon();
    let elements: Vec<String> = catalogue.elements().map(|e| e.path.clone()).collect();
    let population: Vec<Bsn> = p
        .population_spec(300, 7)
        .pipe(|spec| brp_population::generate::generate(&spec).map(|x| x.burgerservicenummer))
        .collect();
    let mut rng = rand::rngs::StdRng::seed_from_u64(42);
    for round in 0..25 {
        let profile: Vec<String> = elements
            .iter()
            .filter(|_| rng.gen_bool(0.15))
            .cloned()
            .collect();
        if profile.is_empty() {
            continue;
        }
        let asked: Vec<Bsn> = (0..20)
            .map(|_| population[rng.gen_range(0..population.len())])
            .collect();
        let input = QueryInput {
            burgerservicenummer: asked
                .iter()
                .map(Bsn::to_string)
                .collect::<Vec<_>>()
                .join(" "),
            ..QueryInput::default()
        };
        let mut req = request(&g, SearchType::RaadpleegMetBurgerservicenummer, input);
        req.fields = profile.clone();
        let granted: BTreeSet<String> = profile.into_iter().collect();
        let allowed = catalogue.allowed_paths(&granted);
        let result = p.lookup(m, req).await.unwrap();
        assert!(!result.persons.is_empty());
        for person in &result.persons {
            for path in present_paths(&person.persoon) {
                let inside = allowed
                    .iter()
                    .any(|a| path == *a || path.starts_with(&format!("{a}.")));
                let indication = path.contains("inOnderzoek")
                    || brp_domain::person::fields::ALWAYS_DELIVERED
                        .iter()
                        .any(|a| path == *a || path.starts_with(&format!("{a}.")));
                assert!(
                    inside || indication,
                    "round {round}: {path} is outside the profile"
                );
            }
        }
    }
}

/// `pipe` keeps the property test readable without a temporary.
trait Pipe: Sized {
    fn pipe<R>(self, f: impl FnOnce(Self) -> R) -> R {
        f(self)
    }
}
impl<T> Pipe for T {}

async fn the_shared_mock_data_imports_and_every_valid_person_is_found(db: TestDatabase) {
    let portal = db.portal();
    portal.seed_demo().await.unwrap();
    let json = include_str!("../../population/tests/data/personen-mock-test-data.json");
    let report = portal.import_mock(json, "mock").await.unwrap();
    assert_eq!(report.imported + report.rejected.len(), 882);
    assert!(report.imported >= 880, "{:?}", report.rejected);
    assert_eq!(
        portal.count_persons().await.unwrap() as usize,
        report.imported
    );
    grant_profile(&db, "medewerker", BALIE).await;
    let m = login(&portal, "medewerker").await;
    let g = grant_named(&portal, &m, BALIE).await;
    let all: Vec<serde_json::Value> = serde_json::from_str(json).unwrap();
    let valid: Vec<String> = all
        .iter()
        .filter_map(|p| p["burgerservicenummer"].as_str())
        .filter(|b| Bsn::parse(b).is_ok())
        .map(str::to_owned)
        .collect();
    assert_eq!(valid.len(), report.imported);
    for chunk in valid.chunks(20) {
        let input = QueryInput {
            burgerservicenummer: chunk.join(" "),
            ..QueryInput::default()
        };
        let result = portal
            .lookup(
                &m,
                request(&g, SearchType::RaadpleegMetBurgerservicenummer, input),
            )
            .await
            .unwrap();
        assert_eq!(result.persons.len(), chunk.len());
    }
    let trail = portal
        .audit_trail(&login(&portal, "toezichthouder").await, None, None, 500)
        .await
        .unwrap();
    assert!(trail
        .iter()
        .any(|e| e.action == brp_domain::AuditAction::PersonsImported));
}

/// Lookups at the same moment share commits (group commit); each still gets exactly its
/// own protocol records, for exactly the persons it received.
async fn concurrent_lookups_each_get_their_own_protocol_records(db: TestDatabase) {
    let s = setup(&db).await;
    grant_profile(&db, "medewerker", BALIE).await;
    let g = grant_named(&s.portal, &s.medewerker, BALIE).await;
    let mut tasks = Vec::new();
    for i in 0..24 {
        let portal = s.portal.clone();
        let actor = s.medewerker.clone();
        let bsn = s.people[i % s.people.len()].bsn;
        let req = request(
            &g,
            SearchType::RaadpleegMetBurgerservicenummer,
            QueryInput {
                burgerservicenummer: bsn.to_string(),
                ..QueryInput::default()
            },
        );
        tasks.push(tokio::spawn(async move {
            (bsn, portal.lookup(&actor, req).await.unwrap())
        }));
    }
    let toezicht = login(&s.portal, "toezichthouder").await;
    let mut ids = BTreeSet::new();
    for t in tasks {
        let (bsn, result) = t.await.unwrap();
        assert_eq!(result.persons.len(), 1);
        let id = result.persons[0].verstrekking_id;
        assert!(ids.insert(id), "verstrekking {id} given twice");
        let fresh = s
            .portal
            .protocol_records(
                &toezicht,
                &ProtocolFilter {
                    bsn: Some(bsn),
                    ..ProtocolFilter::default()
                },
            )
            .await
            .unwrap();
        assert!(fresh.iter().any(|r| r.id == id && r.bsn == bsn));
    }
    assert_eq!(protocol_count(&db).await, 24);
}

/// A medewerker reports doubt about a datum they received; the beheerder handles it. Only
/// the receiver can report on a verstrekking, only fields they received, and only the
/// beheerder changes the status; an outcome is required to close it.
async fn terugmeldingen_go_from_the_receiver_to_the_beheerder(db: TestDatabase) {
    use brp_domain::protocol::TerugmeldingStatus;
    let s = setup(&db).await;
    let (p, m) = (&s.portal, &s.medewerker);
    let g = grant_named(p, m, ALGEMEEN).await;
    let house = QueryInput {
        postcode: "1991AB".into(),
        huisnummer: "12".into(),
        ..QueryInput::default()
    };
    let list = p
        .lookup(
            m,
            request(&g, SearchType::ZoekMetPostcodeEnHuisnummer, house),
        )
        .await
        .unwrap();
    let v = list.persons[0].verstrekking_id;

    // Someone else's verstrekking, a field not received, an empty reason: refused.
    let beheerder = login(p, "beheerder").await;
    assert!(matches!(
        p.submit_terugmelding(&beheerder, v, "naam.geslachtsnaam", "Klopt niet")
            .await,
        Err(ServiceError::NotFound(_))
    ));
    assert!(matches!(
        p.submit_terugmelding(m, v, "burgerservicenummer", "Klopt niet")
            .await,
        Err(ServiceError::Invalid(_))
    ));
    assert!(matches!(
        p.submit_terugmelding(m, v, "naam.geslachtsnaam", "  ")
            .await,
        Err(ServiceError::Invalid(_))
    ));
    let toezicht = login(p, "toezichthouder").await;
    assert!(p.terugmeldingen(&toezicht).await.unwrap().is_empty());

    let id = p
        .submit_terugmelding(
            m,
            v,
            "naam.geslachtsnaam",
            "Schrijfwijze wijkt af van het paspoort.",
        )
        .await
        .unwrap();
    let mine = p.terugmeldingen(m).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].field_label, "Geslachtsnaam");
    assert_eq!(mine[0].status, TerugmeldingStatus::Ontvangen);
    assert!(s.people[..2].iter().any(|x| x.bsn == mine[0].bsn));

    // Only the beheerder handles it; closing needs an outcome.
    assert!(matches!(
        p.handle_terugmelding(
            &toezicht,
            id,
            TerugmeldingStatus::Afgehandeld,
            "Gecorrigeerd"
        )
        .await,
        Err(ServiceError::Forbidden)
    ));
    assert!(matches!(
        p.handle_terugmelding(m, id, TerugmeldingStatus::InBehandeling, "")
            .await,
        Err(ServiceError::Forbidden)
    ));
    assert!(matches!(
        p.handle_terugmelding(&beheerder, id, TerugmeldingStatus::Afgehandeld, " ")
            .await,
        Err(ServiceError::Invalid(_))
    ));
    p.handle_terugmelding(&beheerder, id, TerugmeldingStatus::InBehandeling, "")
        .await
        .unwrap();
    p.handle_terugmelding(
        &beheerder,
        id,
        TerugmeldingStatus::Afgehandeld,
        "Onderzocht; de schrijfwijze is gecorrigeerd.",
    )
    .await
    .unwrap();
    let queue = p.terugmeldingen(&toezicht).await.unwrap();
    assert_eq!(queue[0].status, TerugmeldingStatus::Afgehandeld);
    assert_eq!(queue[0].handled_by.as_deref(), Some("Bea Beheer"));
    assert!(queue[0].outcome.contains("gecorrigeerd"));
    // A closed terugmelding stays closed.
    assert!(matches!(
        p.handle_terugmelding(&beheerder, id, TerugmeldingStatus::InBehandeling, "")
            .await,
        Err(ServiceError::Conflict(_))
    ));
    let trail = p.audit_trail(&toezicht, None, None, 500).await.unwrap();
    assert_eq!(
        trail
            .iter()
            .filter(|e| e.action == brp_domain::AuditAction::TerugmeldingHandled)
            .count(),
        2
    );
}

on_both_databases!(
    each_search_type_follows_the_haal_centraal_rules,
    search_lists_and_consults_are_protocolled_with_every_element,
    requests_outside_the_grant_are_refused_logged_and_provide_nothing,
    a_revoked_grant_stops_the_next_lookup,
    with_the_protocol_failing_no_data_is_returned,
    a_profile_for_own_residents_only_finds_only_them,
    indications_are_always_shown_whatever_the_profile,
    no_response_holds_a_field_outside_the_profile,
    the_shared_mock_data_imports_and_every_valid_person_is_found,
    concurrent_lookups_each_get_their_own_protocol_records,
    terugmeldingen_go_from_the_receiver_to_the_beheerder,
);
