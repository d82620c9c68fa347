//! The legal rules of issue 10 over HTTP, as an attacker calls the server functions: plain
//! POSTs with a valid session that step outside the rules, on both databases.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use brp_domain::authorisation::Profile;
use brp_domain::protocol::ProtocolFilter;
use brp_domain::{AfnemerKind, AfnemerName, AuditAction};
use brp_service::demo::DEMO_PASSWORD;
use brp_service::on_both_databases;
use brp_service::store::{NewAfnemer, NewAuditEvent};
use brp_service::testing::{TestDatabase, TestPerson};
use brp_service::{Actor, Portal};
use common::{start, Options};
use reqwest::StatusCode;

async fn login(portal: &Portal, user: &str) -> Actor {
    portal
        .login(user, DEMO_PASSWORD, "192.0.2.1")
        .await
        .unwrap()
        .actor
}

async fn profile(portal: &Portal, actor: &Actor, name: &str) -> Profile {
    portal
        .list_profiles(actor)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.name == name)
        .unwrap()
}

async fn a_medewerker_cannot_request_another_departments_profile(db: TestDatabase) {
    let server = start(db, Options::default()).await;
    let portal = server.db.portal();
    let beheerder = login(&portal, "beheerder").await;
    let financien = profile(&portal, &beheerder, "Profiel raadplegen financiën").await;
    let client = server.client();
    server.login(&client, "medewerker").await;
    let res = client
        .post(server.url("/api/aanvraag_indienen"))
        .form(&[
            ("profiel", financien.id.to_string().as_str()),
            ("motivering", "Ik wil meekijken bij belastingen."),
            ("begindatum", "2026-11-22"),
            ("einddatum", "2027-01-01"),
            ("ondertekening", "Mila de Medewerker"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let body = res.text().await.unwrap();
    assert!(body.contains("alleen een profiel aanvragen"), "{body}");
    assert!(portal
        .list_requests(&beheerder, None)
        .await
        .unwrap()
        .is_empty());
    let log = portal.security_log(&beheerder).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].username, "medewerker");
}

async fn a_lookup_without_zaak_is_refused_when_the_profile_requires_one(db: TestDatabase) {
    let server = start(db, Options::default()).await;
    let portal = server.db.portal();
    portal
        .store_persons([TestPerson::new(0, "Jansen", "1975-07-07").persoon()])
        .await
        .unwrap();
    let (beheerder, beheerder2) = (
        login(&portal, "beheerder").await,
        login(&portal, "beheerder2").await,
    );
    let algemeen = profile(&portal, &beheerder, "Profiel raadplegen algemeen").await;
    let mut content = algemeen.current().unwrap().content.clone();
    content.zaak_required = true;
    let v = portal
        .propose_profile_change(&beheerder, algemeen.id, content, "Zaak verplicht")
        .await
        .unwrap();
    portal
        .decide_profile_version(&beheerder2, algemeen.id, v, true, "")
        .await
        .unwrap();
    let medewerker = login(&portal, "medewerker").await;
    let grant = portal.lookup_grants(&medewerker).await.unwrap().remove(0);
    let form = |zaak: &str| {
        vec![
            ("autorisatie", grant.grant_id.to_string()),
            ("doel", grant.doelen[0].id.to_string()),
            ("zaak", zaak.to_owned()),
            ("zoekvorm", "ZoekMetPostcodeEnHuisnummer".to_owned()),
            ("postcode", "1991AB".to_owned()),
            ("huisnummer", "12".to_owned()),
        ]
    };
    let client = server.client();
    server.login(&client, "medewerker").await;
    // Without a zaak, and without the field at all.
    let mut without_field = form("");
    without_field.retain(|(k, _)| *k != "zaak");
    for f in [form(""), form("  "), without_field] {
        let res = client
            .post(server.url("/api/raadplegen/zoeken"))
            .form(&f)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{f:?}");
        let body = res.text().await.unwrap();
        assert!(body.contains("zaaknummer"), "{body}");
        assert!(!body.contains("Jansen"), "no data in a refusal: {body}");
    }
    assert!(portal
        .protocol_records(&beheerder, &ProtocolFilter::default())
        .await
        .unwrap()
        .is_empty());
    assert_eq!(portal.security_log(&beheerder).await.unwrap().len(), 3);
    // With a zaak it works.
    let res = client
        .post(server.url("/api/raadplegen/zoeken"))
        .form(&form("Z-2026-12"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("Jansen"));
}

async fn a_vrije_derde_profile_with_the_bsn_is_refused(db: TestDatabase) {
    let server = start(db, Options::default()).await;
    let portal = server.db.portal();
    let beheerder = login(&portal, "beheerder").await;
    let now = portal.now();
    let afnemer = server
        .db
        .store
        .insert_afnemer(
            &NewAfnemer {
                name: AfnemerName::parse("Woningcorporatie Voorbeeld").unwrap(),
                wettelijk_kader: "Wet BRP artikel 3.9".into(),
                kind: AfnemerKind::VrijeDerde,
                hidden_from_citizen_ground: None,
            },
            now,
            &NewAuditEvent {
                occurred_at: now,
                actor_user_id: None,
                actor: "test".into(),
                action: AuditAction::AfnemerCreated,
                subject: "afnemer Woningcorporatie".into(),
                field: None,
                old_value: None,
                new_value: None,
            },
        )
        .await
        .unwrap();
    let grondslag = portal
        .create_grondslag(
            &beheerder,
            "Wet basisregistratie personen",
            "artikel 3.9",
            "",
        )
        .await
        .unwrap();
    let doel = portal
        .create_doel(
            &beheerder,
            afnemer.id,
            grondslag.id,
            "Huurdersadministratie",
            "",
        )
        .await
        .unwrap();
    let client = server.client();
    server.login(&client, "beheerder").await;
    let afnemer_id = afnemer.id.to_string();
    let doel_id = doel.id.to_string();
    let mut form = vec![
        ("naam", "Profiel woningcorporatie"),
        ("afnemer", afnemer_id.as_str()),
        ("velden[]", "naam.geslachtsnaam"),
        ("velden[]", "burgerservicenummer"),
        ("zoekvormen[]", "ZoekMetGeslachtsnaamEnGeboortedatum"),
        ("doelen[]", doel_id.as_str()),
        ("vrije_derde_grond", "belangenafweging"),
        ("geen_winstoogmerk", "ja"),
        ("behoefte", "Huurdersadministratie"),
        ("evenredigheid", "Alleen naam en adres"),
        ("subsidiariteit", "Geen andere bron"),
    ];
    let res = client
        .post(server.url("/api/profiel_voorstellen"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let body = res.text().await.unwrap();
    assert!(body.contains("nooit het burgerservicenummer"), "{body}");
    // The whole category "Persoon" holds the BSN too.
    form.retain(|(k, v)| !(*k == "velden[]" && *v == "burgerservicenummer"));
    form.push(("categorieen[]", "01"));
    let res = client
        .post(server.url("/api/profiel_voorstellen"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    // Without the weighing it is refused as well.
    form.retain(|(k, _)| *k != "categorieen[]" && *k != "vrije_derde_grond");
    let res = client
        .post(server.url("/api/profiel_voorstellen"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("belangenafweging"));
    assert!(portal
        .list_profiles(&beheerder)
        .await
        .unwrap()
        .iter()
        .all(|p| p.afnemer.id != afnemer.id));
    // Within the set and with the weighing, the proposal is stored.
    form.push(("vrije_derde_grond", "belangenafweging"));
    let res = client
        .post(server.url("/api/profiel_voorstellen"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let stored = profile(&portal, &beheerder, "Profiel woningcorporatie").await;
    assert!(stored.versions[0].vrije_derde_basis.is_some());
}

async fn the_reglement_page_lists_vrije_derden_apart(db: TestDatabase) {
    let server = start(db, Options::default()).await;
    let portal = server.db.portal();
    let now = portal.now();
    server
        .db
        .store
        .insert_afnemer(
            &NewAfnemer {
                name: AfnemerName::parse("Bibliotheek Voorbeeld").unwrap(),
                wettelijk_kader: "Wet BRP artikel 3.9".into(),
                kind: AfnemerKind::VrijeDerde,
                hidden_from_citizen_ground: None,
            },
            now,
            &NewAuditEvent {
                occurred_at: now,
                actor_user_id: None,
                actor: "test".into(),
                action: AuditAction::AfnemerCreated,
                subject: "afnemer Bibliotheek".into(),
                field: None,
                old_value: None,
                new_value: None,
            },
        )
        .await
        .unwrap();
    let html = reqwest::get(server.url("/reglement"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // The rendered page (not the data serialised for hydration): each heading's part.
    let part = |from: &str, to: &str| {
        let start = html.find(from).unwrap_or_else(|| panic!("{from}"));
        let end = start + html[start..].find(to).unwrap_or_else(|| panic!("{to}"));
        html[start..end].to_owned()
    };
    let bijlage1 = part(
        "Bijlage 1: binnengemeentelijke afnemers",
        "Derden met een wettelijke grondslag",
    );
    assert!(bijlage1.contains("Team werk, inkomen en zorg"));
    assert!(!bijlage1.contains("Bibliotheek Voorbeeld"));
    let bijlage4 = part("Bijlage 4: vrije derden", "Bijlage 1a");
    assert!(bijlage4.contains("Bibliotheek Voorbeeld"), "{bijlage4}");
    assert!(!bijlage4.contains("Team werk"));
}

on_both_databases!(
    a_medewerker_cannot_request_another_departments_profile,
    a_lookup_without_zaak_is_refused_when_the_profile_requires_one,
    a_vrije_derde_profile_with_the_bsn_is_refused,
    the_reglement_page_lists_vrije_derden_apart,
);
