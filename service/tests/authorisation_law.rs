//! The legal rules of issue 10 for autorisatiebeheer, on both databases: the department
//! check, the zaak a profile can require, vrije derden (seed 001 art. 8 and bijlage 4;
//! seed 004 art. 5) and the reglement's bijlagen by kind of afnemer.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use brp_domain::authorisation::{Profile, ProfileContent, SearchType};
use brp_domain::person::QueryInput;
use brp_domain::protocol::{Channel, ProtocolFilter};
use brp_domain::vrije_derde::{VrijeDerdeBasis, VrijeDerdeBasisInput};
use brp_domain::{AfnemerKind, AfnemerName, AuditAction};
use brp_service::authorisation::ProfileInput;
use brp_service::demo::DEMO_PASSWORD;
use brp_service::raadplegen::LookupRequest;
use brp_service::store::{DbPool, NewAfnemer, NewAuditEvent};
use brp_service::testing::{TestDatabase, TestPerson};
use brp_service::{on_both_databases, Actor, Portal, ServiceError};
use chrono::Duration;

const ADDR: &str = "192.0.2.30";
const ALGEMEEN: &str = "Profiel raadplegen algemeen";
const SOZA: &str = "Profiel raadplegen t.b.v. administraties Soza";
const FINANCIEN: &str = "Profiel raadplegen financiën";
const BALIE: &str = "Profiel baliemedewerker Burgerzaken";

async fn login(portal: &Portal, username: &str) -> Actor {
    portal
        .login(username, DEMO_PASSWORD, ADDR)
        .await
        .unwrap_or_else(|e| panic!("login {username}: {e}"))
        .actor
}

struct Demo {
    portal: Portal,
    beheerder: Actor,
    beheerder2: Actor,
    medewerker: Actor,
}

async fn demo(db: &TestDatabase) -> Demo {
    let portal = db.portal();
    portal.seed_demo().await.unwrap();
    Demo {
        beheerder: login(&portal, "beheerder").await,
        beheerder2: login(&portal, "beheerder2").await,
        medewerker: login(&portal, "medewerker").await,
        portal,
    }
}

async fn profile_named(d: &Demo, name: &str) -> Profile {
    d.portal
        .list_profiles(&d.beheerder)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("profile {name}"))
}

fn iso(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

async fn submit(d: &Demo, actor: &Actor, profile: &str, name: &str) -> Result<i64, ServiceError> {
    let profile = profile_named(d, profile).await;
    let today = brp_domain::time::dutch_local(d.portal.now()).date_naive();
    d.portal
        .submit_request(
            actor,
            profile.id,
            "Voor mijn werk.",
            &iso(today),
            &iso(today + Duration::days(60)),
            name,
        )
        .await
}

async fn security_reasons(d: &Demo) -> Vec<String> {
    d.portal
        .security_log(&d.beheerder)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.reason)
        .collect()
}

// ---- the department check ---------------------------------------------------------------

async fn a_medewerker_asks_only_for_profiles_of_their_own_department(db: TestDatabase) {
    let d = demo(&db).await;
    let p = &d.portal;
    // Mila works for Team werk, inkomen en zorg: Team financiën's profile is not hers to ask.
    match submit(&d, &d.medewerker, FINANCIEN, "Mila de Medewerker").await {
        Err(ServiceError::Refused(m)) => {
            assert!(m.contains("Team werk, inkomen en zorg"), "{m}");
            assert!(m.contains("Team financiën"), "{m}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(p.my_requests(&d.medewerker).await.unwrap().is_empty());
    let log = security_reasons(&d).await;
    assert_eq!(log.len(), 1);
    assert!(log[0].contains("alleen een profiel aanvragen"), "{log:?}");
    // Her own department's profile she may ask for.
    let soza_request = submit(&d, &d.medewerker, SOZA, "Mila de Medewerker")
        .await
        .unwrap();
    // She moves to Team financiën before the decision: the request is not approved.
    let financien = profile_named(&d, FINANCIEN).await.afnemer.id;
    let sql = "UPDATE users SET afnemer_id = $1 WHERE username = 'medewerker'";
    match &db.pool {
        DbPool::Sqlite(pool) => sqlx::query(sql)
            .bind(financien)
            .execute(pool)
            .await
            .map(|_| ()),
        DbPool::Postgres(pool) => sqlx::query(sql)
            .bind(financien)
            .execute(pool)
            .await
            .map(|_| ()),
    }
    .unwrap();
    assert!(matches!(
        p.decide_request(&d.beheerder, soza_request, true, "").await,
        Err(ServiceError::Conflict(_))
    ));
    let sql = "UPDATE users SET afnemer_id = $1 WHERE username = 'medewerker'";
    let wiz = profile_named(&d, SOZA).await.afnemer.id;
    match &db.pool {
        DbPool::Sqlite(pool) => sqlx::query(sql).bind(wiz).execute(pool).await.map(|_| ()),
        DbPool::Postgres(pool) => sqlx::query(sql).bind(wiz).execute(pool).await.map(|_| ()),
    }
    .unwrap();

    // A beheerder asking for themselves: only profiles of their own afnemer (Burgerzaken).
    assert!(matches!(
        submit(&d, &d.beheerder, SOZA, "Bea Beheer").await,
        Err(ServiceError::Refused(_))
    ));
    let own = submit(&d, &d.beheerder, BALIE, "Bea Beheer").await.unwrap();
    assert!(p.decide_request(&d.beheerder2, own, true, "").await.is_ok());

    // A beheerder whose account belongs to no afnemer asks for nothing. (The CLI made such
    // beheerders before; it makes only the first two now, so the row is set directly.)
    let sql = "UPDATE users SET afnemer_id = NULL WHERE username = 'beheerder2'";
    match &db.pool {
        DbPool::Sqlite(pool) => sqlx::query(sql).execute(pool).await.map(|_| ()),
        DbPool::Postgres(pool) => sqlx::query(sql).execute(pool).await.map(|_| ()),
    }
    .unwrap();
    let zonder = login(p, "beheerder2").await;
    match submit(&d, &zonder, BALIE, "Bart van den Beheer").await {
        Err(ServiceError::Refused(m)) => assert!(m.contains("geen afnemer"), "{m}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

// ---- zaak verplicht -----------------------------------------------------------------------

/// "raadplegen algemeen" changed (four eyes) so that every lookup needs a zaak.
async fn require_zaak(d: &Demo) {
    let algemeen = profile_named(d, ALGEMEEN).await;
    let mut content = algemeen.current().unwrap().content.clone();
    assert!(!content.zaak_required);
    content.zaak_required = true;
    let v = d
        .portal
        .propose_profile_change(&d.beheerder, algemeen.id, content, "Zaak verplicht")
        .await
        .unwrap();
    // Four eyes, like every profile change.
    assert!(matches!(
        d.portal
            .decide_profile_version(&d.beheerder, algemeen.id, v, true, "")
            .await,
        Err(ServiceError::Conflict(_))
    ));
    d.portal
        .decide_profile_version(&d.beheerder2, algemeen.id, v, true, "")
        .await
        .unwrap();
}

fn postcode_lookup(grant: &brp_domain::person::LookupGrant, zaak: &str) -> LookupRequest {
    LookupRequest {
        grant_id: grant.grant_id,
        doel_id: grant.doelen[0].id,
        zaak: zaak.into(),
        search_type: SearchType::ZoekMetPostcodeEnHuisnummer,
        input: QueryInput {
            postcode: "1991AB".into(),
            huisnummer: "12".into(),
            ..QueryInput::default()
        },
        fields: Vec::new(),
        channel: Channel::Portaal,
    }
}

async fn a_lookup_without_zaak_is_refused_where_the_profile_requires_one(db: TestDatabase) {
    let d = demo(&db).await;
    let p = &d.portal;
    p.store_persons([TestPerson::new(0, "Jansen", "1975-07-07").persoon()])
        .await
        .unwrap();
    let grant = p.lookup_grants(&d.medewerker).await.unwrap().remove(0);
    assert!(!grant.zaak_required);
    // Before: a lookup without a zaak is allowed, and leaves a list entry to open later.
    let earlier = p
        .lookup(&d.medewerker, postcode_lookup(&grant, ""))
        .await
        .unwrap();
    let entry = earlier.persons[0].verstrekking_id;

    require_zaak(&d).await;
    // The narrowing reaches the existing grant at once, and the form can mark the field.
    let grant = p.lookup_grants(&d.medewerker).await.unwrap().remove(0);
    assert!(grant.zaak_required);
    let protocol_before = p
        .protocol_records(&d.beheerder, &ProtocolFilter::default())
        .await
        .unwrap()
        .len();
    for zaak in ["", "   "] {
        match p.lookup(&d.medewerker, postcode_lookup(&grant, zaak)).await {
            Err(ServiceError::Refused(m)) => assert!(m.contains("zaaknummer"), "{m}"),
            other => panic!("expected a refusal, got {:?}", other.map(|_| ())),
        }
    }
    // Opening the list entry from before carries its empty zaak: refused as well.
    assert!(matches!(
        p.open_provided(&d.medewerker, entry, Channel::Portaal)
            .await,
        Err(ServiceError::Refused(_))
    ));
    // Nothing provided, every attempt in the security log.
    let protocol = p
        .protocol_records(&d.beheerder, &ProtocolFilter::default())
        .await
        .unwrap();
    assert_eq!(protocol.len(), protocol_before);
    let log = security_reasons(&d).await;
    assert_eq!(log.len(), 3, "{log:?}");
    assert!(log.iter().all(|r| r.contains("zaaknummer")));
    // With a zaak the lookup works, and the zaak is in the protocol.
    let found = p
        .lookup(&d.medewerker, postcode_lookup(&grant, "Z-2026-7"))
        .await
        .unwrap();
    assert_eq!(found.persons.len(), 1);
    let protocol = p
        .protocol_records(&d.beheerder, &ProtocolFilter::default())
        .await
        .unwrap();
    assert_eq!(protocol.len(), protocol_before + 1);
    assert_eq!(protocol[0].zaak, "Z-2026-7");
    // The reglement shows the requirement.
    let reglement = p.reglement().await.unwrap();
    let entry = reglement
        .afnemers
        .iter()
        .flat_map(|a| &a.profiles)
        .find(|x| x.name == ALGEMEEN)
        .unwrap();
    assert!(entry.content.zaak_required);
}

// ---- vrije derden -----------------------------------------------------------------------

/// A vrije derde in the register with a doel, written straight to the store: how an
/// afnemer's kind is decided (four eyes) is not what these tests are about.
async fn vrije_derde(db: &TestDatabase, d: &Demo) -> (i64, i64) {
    let now = d.portal.now();
    let audit = NewAuditEvent {
        occurred_at: now,
        actor_user_id: None,
        actor: "test".into(),
        action: AuditAction::AfnemerCreated,
        subject: "afnemer Bibliotheek".into(),
        field: None,
        old_value: None,
        new_value: None,
    };
    let afnemer = db
        .store
        .insert_afnemer(
            &NewAfnemer {
                name: AfnemerName::parse("Bibliotheek Voorbeeld").unwrap(),
                wettelijk_kader: "Wet BRP artikel 3.9; reglement bijlage 4".into(),
                kind: AfnemerKind::VrijeDerde,
                hidden_from_citizen_ground: None,
            },
            now,
            &audit,
        )
        .await
        .unwrap();
    let grondslag = d
        .portal
        .create_grondslag(
            &d.beheerder,
            "Wet basisregistratie personen",
            "artikel 3.9",
            "",
        )
        .await
        .unwrap();
    let doel = d
        .portal
        .create_doel(
            &d.beheerder,
            afnemer.id,
            grondslag.id,
            "Bijhouding ledenadministratie",
            "",
        )
        .await
        .unwrap();
    (afnemer.id, doel.id)
}

fn content(fields: &[&str], doel: i64) -> ProfileContent {
    ProfileContent {
        fields: fields.iter().map(|s| s.to_string()).collect(),
        search_types: [SearchType::ZoekMetGeslachtsnaamEnGeboortedatum].into(),
        doelen: [doel].into(),
        own_residents_only: true,
        zaak_required: false,
    }
}

fn input(afnemer_id: i64, content: ProfileContent) -> ProfileInput {
    ProfileInput {
        name: "Profiel bibliotheek".into(),
        afnemer_id,
        description: "Ledenadministratie".into(),
        content,
        note: String::new(),
    }
}

fn weighing() -> VrijeDerdeBasisInput {
    VrijeDerdeBasisInput {
        grond: "belangenafweging".into(),
        geen_winstoogmerk: true,
        behoefte: "Een actuele ledenadministratie van de openbare bibliotheek.".into(),
        evenredigheid: "Alleen naam, adres en geboortedatum van leden.".into(),
        subsidiariteit: "Leden melden een verhuizing vaak niet zelf.".into(),
        ..VrijeDerdeBasisInput::default()
    }
}

async fn a_vrije_derde_profile_holds_at_most_the_permitted_set_with_its_basis(db: TestDatabase) {
    let d = demo(&db).await;
    let p = &d.portal;
    let (afnemer, doel) = vrije_derde(&db, &d).await;
    let ok = ["naam.geslachtsnaam", "naam.voornamen", "geboorte.datum"];
    let invalid = |r: Result<i64, ServiceError>, field: &str| match r {
        Err(ServiceError::Invalid(e)) if e.field == field => e.message,
        other => panic!("expected Invalid({field}), got {other:?}"),
    };

    // Never the BSN, and the message names the fields outside the set.
    let with_bsn = content(
        &["naam.geslachtsnaam", "burgerservicenummer", "geslacht"],
        doel,
    );
    let m = invalid(
        p.propose_profile_with(&d.beheerder, input(afnemer, with_bsn), &weighing())
            .await,
        "velden",
    );
    assert!(m.contains("nooit het burgerservicenummer"), "{m}");
    assert!(
        m.contains("Burgerservicenummer (burgerservicenummer)"),
        "{m}"
    );
    assert!(m.contains("Geslacht (geslacht)"), "{m}");
    assert!(m.contains("artikel 5 van de privacyverordening"), "{m}");
    // Not as a search key either.
    let mut by_bsn = content(&ok, doel);
    by_bsn
        .search_types
        .insert(SearchType::RaadpleegMetBurgerservicenummer);
    invalid(
        p.propose_profile_with(&d.beheerder, input(afnemer, by_bsn), &weighing())
            .await,
        "zoekvormen",
    );
    // The weighing or the consent is required, with every answer.
    invalid(
        p.propose_profile(&d.beheerder, input(afnemer, content(&ok, doel)))
            .await,
        "vrije_derde_grond",
    );
    let mut half = weighing();
    half.evenredigheid = String::new();
    invalid(
        p.propose_profile_with(&d.beheerder, input(afnemer, content(&ok, doel)), &half)
            .await,
        "evenredigheid",
    );
    // Consent of the ingeschrevene goes with a zaak on every lookup that names it.
    let consent = VrijeDerdeBasisInput {
        grond: "toestemming".into(),
        geen_winstoogmerk: true,
        belang: "Een reünie".into(),
        bewaring: "Zaaksysteem, een jaar".into(),
        ..VrijeDerdeBasisInput::default()
    };
    invalid(
        p.propose_profile_with(&d.beheerder, input(afnemer, content(&ok, doel)), &consent)
            .await,
        "zaak_verplicht",
    );
    assert!(p
        .list_profiles(&d.beheerder)
        .await
        .unwrap()
        .iter()
        .all(|x| x.afnemer.id != afnemer));

    // Within the set and with the weighing: stored with the version, approved by a second
    // beheerder, and published in the reglement under vrije derden.
    let id = p
        .propose_profile_with(
            &d.beheerder,
            input(afnemer, content(&ok, doel)),
            &weighing(),
        )
        .await
        .unwrap();
    let profile = p.profile(&d.beheerder, id).await.unwrap();
    let expected = weighing().parse().unwrap();
    assert_eq!(
        profile.versions[0].vrije_derde_basis,
        Some(expected.clone())
    );
    assert!(matches!(expected, VrijeDerdeBasis::Belangenafweging { .. }));
    p.decide_profile_version(&d.beheerder2, id, 1, true, "Afweging akkoord")
        .await
        .unwrap();
    let trail = p.audit_trail(&d.beheerder, None, None, 50).await.unwrap();
    assert!(trail
        .iter()
        .any(|e| e.action == AuditAction::ProfileProposed
            && e.new_value
                .as_deref()
                .is_some_and(|v| v.contains("Dringende maatschappelijke behoefte"))));
    let reglement = p.reglement().await.unwrap();
    let entry = reglement
        .afnemers
        .iter()
        .find(|a| a.name == "Bibliotheek Voorbeeld")
        .unwrap();
    assert_eq!(entry.kind, AfnemerKind::VrijeDerde);
    assert_eq!(entry.profiles[0].vrije_derde_basis, Some(expected));

    // A change that adds the BSN is refused too; a change of the weighing alone is a version.
    let mut wider = content(&ok, doel);
    wider.fields.insert("burgerservicenummer".into());
    assert!(matches!(
        p.propose_profile_change_with(&d.beheerder, id, wider, "", &weighing())
            .await,
        Err(ServiceError::Invalid(_))
    ));
    let mut reweighed = weighing();
    reweighed.evenredigheid = "Alleen naam en adres.".into();
    assert_eq!(
        p.propose_profile_change_with(&d.beheerder, id, content(&ok, doel), "", &reweighed)
            .await
            .unwrap(),
        2
    );
}

async fn an_afnemer_that_became_a_vrije_derde_gets_no_bsn_profile_approved(db: TestDatabase) {
    let d = demo(&db).await;
    let p = &d.portal;
    // A BSN profile proposed for Handhaving, a department of the municipality ...
    let handhaving = p
        .list_afnemers(&d.beheerder)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.name.as_str() == "Handhaving")
        .unwrap();
    let grondslag = p
        .create_grondslag(&d.beheerder, "Gemeentewet", "artikel 125", "")
        .await
        .unwrap();
    let doel = p
        .create_doel(&d.beheerder, handhaving.id, grondslag.id, "Toezicht", "")
        .await
        .unwrap();
    let mut c = content(&["naam.geslachtsnaam", "burgerservicenummer"], doel.id);
    c.search_types
        .insert(SearchType::RaadpleegMetBurgerservicenummer);
    let mut i = input(handhaving.id, c);
    i.name = "Profiel handhaving".into();
    let id = p.propose_profile(&d.beheerder, i).await.unwrap();
    // ... whose kind is then recorded as vrije derde: the approval is refused.
    let audit = NewAuditEvent {
        occurred_at: p.now(),
        actor_user_id: None,
        actor: "test".into(),
        action: AuditAction::AfnemerChanged,
        subject: "afnemer Handhaving".into(),
        field: Some("soort".into()),
        old_value: None,
        new_value: None,
    };
    db.store
        .update_afnemer(
            handhaving.id,
            &NewAfnemer {
                name: handhaving.name.clone(),
                wettelijk_kader: handhaving.wettelijk_kader.clone(),
                kind: AfnemerKind::VrijeDerde,
                hidden_from_citizen_ground: None,
            },
            &[audit],
        )
        .await
        .unwrap();
    match p
        .decide_profile_version(&d.beheerder2, id, 1, true, "")
        .await
    {
        Err(ServiceError::Conflict(m)) => assert!(m.contains("burgerservicenummer"), "{m}"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert!(p
        .profile(&d.beheerder, id)
        .await
        .unwrap()
        .current()
        .is_none());
}

async fn a_grant_of_an_afnemer_that_became_a_vrije_derde_provides_no_bsn(db: TestDatabase) {
    let d = demo(&db).await;
    let p = &d.portal;
    p.store_persons([TestPerson::new(0, "Jansen", "1975-07-07").persoon()])
        .await
        .unwrap();
    // The medewerker holds the balie profile of Team Burgerzaken: every element, BSN too.
    brp_service::testing::grant_profile(&db, "medewerker", BALIE).await;
    let balie = profile_named(&d, BALIE).await;
    let grant = p
        .lookup_grants(&d.medewerker)
        .await
        .unwrap()
        .into_iter()
        .find(|g| g.profile_name == BALIE)
        .unwrap();
    let by_postcode = LookupRequest {
        search_type: SearchType::ZoekMetPostcodeEnHuisnummer,
        ..postcode_lookup(&grant, "Z-1")
    };
    let before = p.lookup(&d.medewerker, by_postcode.clone()).await.unwrap();
    assert!(before.persons[0]
        .persoon
        .get("burgerservicenummer")
        .is_some());
    // The afnemer is then recorded as a vrije derde.
    let afnemer = db
        .store
        .afnemer_by_id(balie.afnemer.id)
        .await
        .unwrap()
        .unwrap();
    let audit = NewAuditEvent {
        occurred_at: p.now(),
        actor_user_id: None,
        actor: "test".into(),
        action: AuditAction::AfnemerChanged,
        subject: "afnemer Team Burgerzaken".into(),
        field: Some("soort".into()),
        old_value: None,
        new_value: None,
    };
    db.store
        .update_afnemer(
            afnemer.id,
            &NewAfnemer {
                name: afnemer.name.clone(),
                wettelijk_kader: afnemer.wettelijk_kader.clone(),
                kind: AfnemerKind::VrijeDerde,
                hidden_from_citizen_ground: None,
            },
            &[audit],
        )
        .await
        .unwrap();
    // From the next lookup on: only the permitted set, and no consult by BSN.
    let after = p.lookup(&d.medewerker, by_postcode).await.unwrap();
    let persoon = &after.persons[0].persoon;
    assert!(persoon.get("burgerservicenummer").is_none(), "{persoon}");
    assert!(persoon.get("geslacht").is_none(), "{persoon}");
    assert!(persoon.get("naam").is_some(), "{persoon}");
    let by_bsn = LookupRequest {
        search_type: SearchType::RaadpleegMetBurgerservicenummer,
        input: QueryInput {
            burgerservicenummer: TestPerson::new(0, "Jansen", "1975-07-07").bsn.to_string(),
            ..QueryInput::default()
        },
        ..postcode_lookup(&grant, "Z-1")
    };
    assert!(matches!(
        p.lookup(&d.medewerker, by_bsn).await,
        Err(ServiceError::Refused(_))
    ));
}

// ---- reglement ----------------------------------------------------------------------------

async fn the_reglement_tells_each_afnemer_by_its_kind(db: TestDatabase) {
    let d = demo(&db).await;
    let _ = vrije_derde(&db, &d).await;
    let reglement = d.portal.reglement().await.unwrap();
    let kind = |name: &str| {
        reglement
            .afnemers
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.kind)
    };
    assert_eq!(
        kind("Team werk, inkomen en zorg"),
        Some(AfnemerKind::Binnengemeentelijk)
    );
    assert_eq!(kind("Bibliotheek Voorbeeld"), Some(AfnemerKind::VrijeDerde));
}

on_both_databases!(
    a_medewerker_asks_only_for_profiles_of_their_own_department,
    a_lookup_without_zaak_is_refused_where_the_profile_requires_one,
    a_vrije_derde_profile_holds_at_most_the_permitted_set_with_its_basis,
    an_afnemer_that_became_a_vrije_derde_gets_no_bsn_profile_approved,
    a_grant_of_an_afnemer_that_became_a_vrije_derde_provides_no_bsn,
    the_reglement_tells_each_afnemer_by_its_kind,
);
