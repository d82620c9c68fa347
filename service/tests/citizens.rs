//! Burgerverzoeken through the service layer, on both databases: deadlines, ownership,
//! attachments, letters, the overview of verstrekkingen, geheimhouding and correctie, and
//! the DigiD login against an in-process OpenID provider.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use brp_domain::authorisation::{ProfileContent, SearchType};
use brp_domain::citizen::attachment::{check_attachments, MAX_ATTACHMENT_BYTES};
use brp_domain::citizen::{Outcome, RequestKind, RequestStatus, RequestView};
use brp_domain::person::{Bsn, QueryInput};
use brp_domain::protocol::Channel;
use brp_domain::{DisplayName, NewPassword, Role, Username};
use brp_oidc::testing::{Misbehaviour, TestProvider};
use brp_service::accounts::NewUser;
use brp_service::authorisation::{AfnemerInput, ProfileInput};
use brp_service::citizens::NewSubmission;
use brp_service::demo::DEMO_PASSWORD;
use brp_service::raadplegen::LookupRequest;
use brp_service::store::NewVerstrekking;
use brp_service::testing::{afnemer_with_four_eyes, grant_profile, TestDatabase, TestPerson};
use brp_service::{on_both_databases, Actor, Citizen, Clock, Portal, ServiceError};
use chrono::{Duration, NaiveDate, Utc};
use std::sync::Arc;

const ADDR: &str = "192.0.2.30";
const ALGEMEEN: &str = "Profiel raadplegen algemeen";
const PNG: &[u8] = &[
    0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 1, 2,
];

struct Setup {
    portal: Portal,
    beheerder: Actor,
    toezicht: Actor,
    medewerker: Actor,
    jan: TestPerson,
    piet: TestPerson,
}

async fn login(portal: &Portal, username: &str) -> Actor {
    portal
        .login(username, DEMO_PASSWORD, ADDR)
        .await
        .unwrap_or_else(|e| panic!("login {username}: {e}"))
        .actor
}

async fn setup_with(db: &TestDatabase, instant_inzage: bool) -> Setup {
    let portal = db.portal_with(|c| {
        c.citizens.simulation = true;
        c.citizens.instant_inzage = instant_inzage;
        c.municipality = "Gemeente Voorbeeld".into();
    });
    portal.seed_demo().await.unwrap();
    let jan = TestPerson::new(0, "Jansen", "1975-07-07");
    let mut piet = TestPerson::new(1, "Pietersen", "1980-03-04");
    piet.voornamen = "Piet";
    piet.huisnummer = 14;
    portal
        .store_persons([jan.persoon(), piet.persoon()])
        .await
        .unwrap();
    Setup {
        beheerder: login(&portal, "beheerder").await,
        toezicht: login(&portal, "toezichthouder").await,
        medewerker: login(&portal, "medewerker").await,
        portal,
        jan,
        piet,
    }
}

async fn setup(db: &TestDatabase) -> Setup {
    setup_with(db, false).await
}

async fn citizen(portal: &Portal, bsn: Bsn, level: &str) -> Citizen {
    let claims = portal
        .simulated_citizen_login(&bsn.to_string(), level, ADDR)
        .await
        .unwrap();
    portal.resolve_citizen(&claims).await.unwrap()
}

fn submission(kind: &str) -> NewSubmission {
    NewSubmission::parse(
        kind,
        "inwoner@voorbeeld.example",
        "",
        "",
        "",
        false,
        Vec::new(),
    )
    .unwrap()
}

fn correctie(field: &str, value: &str, attachments: Vec<(String, Vec<u8>)>) -> NewSubmission {
    let files = check_attachments("bijlagen", attachments).unwrap();
    NewSubmission::parse(
        "correctie",
        "inwoner@voorbeeld.example",
        "Mijn naam is verkeerd gespeld; zie de akte.",
        field,
        value,
        true,
        files,
    )
    .unwrap()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

async fn letter_text(portal: &Portal, c: &Citizen, view: &RequestView, subject: &str) -> String {
    let letter = view
        .request
        .letters
        .iter()
        .find(|l| l.subject.contains(subject))
        .unwrap_or_else(|| panic!("no letter ‘{subject}’ in {:?}", view.request.letters));
    portal
        .citizen_letter_for_citizen(c, &letter.id)
        .await
        .unwrap()
        .body_html
}

// ---- deadlines ------------------------------------------------------------------------

async fn deadlines_are_four_weeks_and_a_correctie_can_be_deferred_by_eight(db: TestDatabase) {
    let s = setup(&db).await;
    let p = &s.portal;
    let jan = citizen(p, s.jan.bsn, "midden").await;
    // The test clock stands at Sunday 22 November 2026. Four weeks is Sunday 20 December;
    // the Algemene termijnenwet moves that to Monday 21 December.
    let id = p
        .submit_citizen_request(&jan, correctie("naam.geslachtsnaam", "Janssen", Vec::new()))
        .await
        .unwrap();
    let view = p.my_citizen_request(&jan, &id).await.unwrap();
    assert_eq!(view.request.received_on, day(2026, 11, 22));
    assert_eq!(view.deadline.due, day(2026, 12, 21));
    assert_eq!(view.deadline.days_left, 29);
    let receipt = letter_text(p, &jan, &view, "Ontvangstbevestiging").await;
    assert!(receipt.contains("21 december 2026"), "{receipt}");
    assert!(receipt.contains(&view.request.reference));

    // Deferral needs a ground the law allows, and the one the element falls under: a
    // geslachtsnaam is burgerlijke staat, not nationaliteit.
    let wrong = p
        .extend_citizen_request(&s.beheerder, &id, "drukte", "")
        .await
        .unwrap_err();
    assert!(matches!(wrong, ServiceError::Invalid(_)), "{wrong:?}");
    let wrong = p
        .extend_citizen_request(&s.beheerder, &id, "nationaliteit", "")
        .await
        .unwrap_err();
    assert!(matches!(wrong, ServiceError::Invalid(_)), "{wrong:?}");
    assert!(
        p.citizen_request_for_staff(&s.beheerder, &id)
            .await
            .unwrap()
            .allowed
            .extend
    );
    p.extend_citizen_request(
        &s.beheerder,
        &id,
        "burgerlijke_staat",
        "Wij wachten op een buitenlandse huwelijksakte.",
    )
    .await
    .unwrap();
    let view = p.my_citizen_request(&jan, &id).await.unwrap();
    // 20 December + 8 weeks = Sunday 14 February 2027 → Monday 15 February.
    assert_eq!(view.deadline.due, day(2027, 2, 15));
    let notice = letter_text(p, &jan, &view, "meer tijd").await;
    assert!(notice.contains("15 februari 2027"));
    assert!(notice.contains("burgerlijke staat"));
    assert!(notice.contains("artikel 2.58, tweede lid"));
    // The citizen sees the reason in the history.
    assert!(view
        .request
        .events
        .iter()
        .any(|e| e.text.contains("burgerlijke staat") && e.text.contains("huwelijksakte")));

    // One deferral only: not the same day, not a day later, and the page no longer
    // offers it.
    assert!(matches!(
        p.extend_citizen_request(&s.beheerder, &id, "burgerlijke_staat", "")
            .await,
        Err(ServiceError::Conflict(_))
    ));
    db.clock.advance(Duration::days(1));
    assert!(matches!(
        p.extend_citizen_request(&s.beheerder, &id, "burgerlijke_staat", "")
            .await,
        Err(ServiceError::Conflict(_))
    ));
    let staff = p
        .citizen_request_for_staff(&s.beheerder, &id)
        .await
        .unwrap();
    assert!(!staff.allowed.extend);
    assert_eq!(
        staff.deadline.due,
        day(2027, 2, 15),
        "still eight weeks, not sixteen"
    );

    // An address element is no burgerlijke staat: no deferral, not offered.
    let postcode = p
        .submit_citizen_request(
            &jan,
            correctie(
                "verblijfplaats.verblijfadres.postcode",
                "1991 AC",
                Vec::new(),
            ),
        )
        .await
        .unwrap();
    assert!(
        !p.citizen_request_for_staff(&s.beheerder, &postcode)
            .await
            .unwrap()
            .allowed
            .extend
    );
    for ground in ["burgerlijke_staat", "nationaliteit"] {
        assert!(matches!(
            p.extend_citizen_request(&s.beheerder, &postcode, ground, "")
                .await,
            Err(ServiceError::Conflict(_))
        ));
    }

    // Only a correctie can be deferred, and only before its term has passed.
    let inzage = p
        .submit_citizen_request(&jan, submission("inzage"))
        .await
        .unwrap();
    assert!(matches!(
        p.extend_citizen_request(&s.beheerder, &inzage, "nationaliteit", "")
            .await,
        Err(ServiceError::Conflict(_))
    ));
    let piet = citizen(p, s.piet.bsn, "midden").await;
    let late = p
        .submit_citizen_request(&piet, correctie("naam.voornamen", "Pieter", Vec::new()))
        .await
        .unwrap();
    db.clock.advance(Duration::days(30));
    let overdue = p
        .citizen_request_for_staff(&s.beheerder, &late)
        .await
        .unwrap();
    assert!(overdue.deadline.days_left < 0);
    assert!(!overdue.allowed.extend);
    assert!(matches!(
        p.extend_citizen_request(&s.beheerder, &late, "burgerlijke_staat", "")
            .await,
        Err(ServiceError::Conflict(_))
    ));
}

async fn waiting_for_information_stops_the_clock(db: TestDatabase) {
    let s = setup(&db).await;
    let p = &s.portal;
    let jan = citizen(p, s.jan.bsn, "midden").await;
    let id = p
        .submit_citizen_request(&jan, submission("geheimhouding"))
        .await
        .unwrap();
    p.take_citizen_request(&s.beheerder, &id).await.unwrap();
    p.ask_citizen_information(&s.beheerder, &id, "Waarom wilt u geheimhouding?", "")
        .await
        .unwrap();
    let view = p.my_citizen_request(&jan, &id).await.unwrap();
    assert_eq!(view.request.status, RequestStatus::WachtOpInformatie);
    assert!(view.allowed.give_information);
    db.clock.advance(Duration::days(7));
    p.give_citizen_information(&jan, &id, "Ik word lastiggevallen.", Vec::new())
        .await
        .unwrap();
    let view = p.my_citizen_request(&jan, &id).await.unwrap();
    assert_eq!(view.request.status, RequestStatus::InBehandeling);
    // 20 December + 7 days = Sunday 27 December → Monday 28 December.
    assert_eq!(view.deadline.due, day(2026, 12, 28));
    assert!(matches!(
        p.give_citizen_information(&jan, &id, "nog iets", Vec::new())
            .await,
        Err(ServiceError::Conflict(_))
    ));
}

// ---- ownership, roles, attachments ----------------------------------------------------

async fn a_citizen_reaches_only_their_own_requests(db: TestDatabase) {
    let s = setup(&db).await;
    let p = &s.portal;
    let jan = citizen(p, s.jan.bsn, "midden").await;
    let piet = citizen(p, s.piet.bsn, "midden").await;
    let files = vec![("akte.png".to_owned(), PNG.to_vec())];
    let id = p
        .submit_citizen_request(&jan, correctie("naam.geslachtsnaam", "Janssen", files))
        .await
        .unwrap();
    p.ask_citizen_information(&s.beheerder, &id, "Stuur de akte opnieuw.", "")
        .await
        .unwrap();
    let view = p.my_citizen_request(&jan, &id).await.unwrap();
    let attachment = view.request.attachments[0].id.clone();
    let letter = view.request.letters[0].id.clone();

    // Piet gets "not found" for everything of Jan's, exactly as for an unknown id.
    let not_found = |r: Result<_, ServiceError>| matches!(r, Err(ServiceError::NotFound(_)));
    assert!(not_found(
        p.my_citizen_request(&piet, &id).await.map(|_| ())
    ));
    assert!(not_found(
        p.my_citizen_request(&piet, "no-such-id").await.map(|_| ())
    ));
    assert!(not_found(
        p.give_citizen_information(&piet, &id, "hallo", Vec::new())
            .await
    ));
    assert!(not_found(p.ask_to_inform_recipients(&piet, &id).await));
    assert!(not_found(
        p.citizen_letter_for_citizen(&piet, &letter)
            .await
            .map(|_| ())
    ));
    assert!(not_found(
        p.attachment_for_citizen(&piet, &attachment)
            .await
            .map(|_| ())
    ));
    assert!(p.my_citizen_requests(&piet).await.unwrap().is_empty());
    // Nothing changed: Jan's request still waits for his answer.
    let view = p.my_citizen_request(&jan, &id).await.unwrap();
    assert_eq!(view.request.status, RequestStatus::WachtOpInformatie);
    assert!(view.request.inform_recipients);
    assert_eq!(view.request.events.len(), 2);

    // The owner and the beheerder get the attachment, with its content; the toezichthouder
    // and the medewerker do not.
    assert_eq!(
        p.attachment_for_citizen(&jan, &attachment)
            .await
            .unwrap()
            .data,
        PNG
    );
    assert_eq!(
        p.attachment_for_staff(&s.beheerder, &attachment)
            .await
            .unwrap()
            .data,
        PNG
    );
    assert!(matches!(
        p.attachment_for_staff(&s.toezicht, &attachment).await,
        Err(ServiceError::Forbidden)
    ));
    assert!(matches!(
        p.attachment_for_staff(&s.medewerker, &attachment).await,
        Err(ServiceError::Forbidden)
    ));

    // Staff reading a citizen's documents is in the audit trail.
    p.citizen_letter_for_staff(&s.toezicht, &letter)
        .await
        .unwrap();
    let reads = p
        .audit_trail(
            &s.beheerder,
            Some(format!("persoon {}", s.jan.bsn)),
            None,
            50,
        )
        .await
        .unwrap();
    assert_eq!(
        reads
            .iter()
            .filter(|e| e.action == brp_domain::AuditAction::CitizenDocumentRead)
            .map(|e| (e.actor.as_str(), e.field.as_deref()))
            .collect::<Vec<_>>(),
        vec![
            ("toezichthouder", Some("brief")),
            ("beheerder", Some("bijlage"))
        ]
    );
    // Ids are checked for their form before anything else.
    assert!(matches!(
        p.citizen_request_for_staff(&s.beheerder, &format!("{id}\nx"))
            .await,
        Err(ServiceError::NotFound(_))
    ));

    // The toezichthouder reads the queue and the request, and changes nothing.
    assert_eq!(
        p.citizen_request_queue(&s.toezicht, true)
            .await
            .unwrap()
            .len(),
        1
    );
    let read = p.citizen_request_for_staff(&s.toezicht, &id).await.unwrap();
    assert_eq!(read.allowed, Default::default());
    assert!(matches!(
        p.take_citizen_request(&s.toezicht, &id).await,
        Err(ServiceError::Forbidden)
    ));
    assert!(matches!(
        p.decide_citizen_request(&s.toezicht, &id, "afgewezen", "nee", None)
            .await,
        Err(ServiceError::Forbidden)
    ));
    // The medewerker sees no citizen requests at all.
    assert!(matches!(
        p.citizen_request_queue(&s.medewerker, true).await,
        Err(ServiceError::Forbidden)
    ));
    assert!(matches!(
        p.citizen_request_for_staff(&s.medewerker, &id).await,
        Err(ServiceError::Forbidden)
    ));
}

async fn attachments_are_checked_by_content_and_size(db: TestDatabase) {
    let s = setup(&db).await;
    let p = &s.portal;
    let renamed = check_attachments(
        "bijlagen",
        vec![("akte.pdf".into(), b"MZ\x90\x00 not a pdf".to_vec())],
    )
    .unwrap_err();
    assert!(renamed.message.contains("geen PDF, JPEG of PNG"));
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(MAX_ATTACHMENT_BYTES + 1, b'x');
    let too_big = check_attachments("bijlagen", vec![("groot.pdf".into(), big)]).unwrap_err();
    assert!(too_big.message.contains("10 MB"));
    // Attachments belong to a correctie only.
    let files = check_attachments("bijlagen", vec![("a.png".into(), PNG.to_vec())]).unwrap();
    assert!(NewSubmission::parse("inzage", "", "", "", "", false, files).is_err());
    // A valid one is stored with its detected type and a safe name.
    let jan = citizen(p, s.jan.bsn, "midden").await;
    let files = vec![("../../scan van akte.png".to_owned(), PNG.to_vec())];
    let id = p
        .submit_citizen_request(&jan, correctie("naam.geslachtsnaam", "Janssen", files))
        .await
        .unwrap();
    let view = p.my_citizen_request(&jan, &id).await.unwrap();
    assert_eq!(view.request.attachments.len(), 1);
    assert_eq!(view.request.attachments[0].file_name, "scan van akte.png");
    assert_eq!(view.request.attachments[0].size, PNG.len() as u64);
}

// ---- letters and decisions ------------------------------------------------------------

async fn letters_name_the_article_the_decision_and_for_a_refusal_the_bezwaar(db: TestDatabase) {
    let s = setup(&db).await;
    let p = &s.portal;
    let jan = citizen(p, s.jan.bsn, "midden").await;
    let id = p
        .submit_citizen_request(&jan, submission("geheimhouding"))
        .await
        .unwrap();
    // A refusal needs a motivation.
    assert!(matches!(
        p.decide_citizen_request(&s.beheerder, &id, "afgewezen", " ", None)
            .await,
        Err(ServiceError::Invalid(_))
    ));
    assert!(matches!(
        p.decide_citizen_request(&s.beheerder, &id, "deels_toegekend", "x", None)
            .await,
        Err(ServiceError::Invalid(_))
    ));
    p.decide_citizen_request(
        &s.beheerder,
        &id,
        "afgewezen",
        "Uw verzoek kwam niet van uzelf.",
        None,
    )
    .await
    .unwrap();
    let view = p.my_citizen_request(&jan, &id).await.unwrap();
    assert_eq!(view.request.outcome, Some(Outcome::Afgewezen));
    let letter = letter_text(p, &jan, &view, "Besluit").await;
    assert!(letter.contains("artikel 2.59 en artikel 3.21 van de Wet basisregistratie personen"));
    assert!(letter.contains("Wij stellen geen geheimhouding van uw gegevens in."));
    assert!(letter.contains("Uw verzoek kwam niet van uzelf."));
    assert!(letter.contains("bezwaar"));
    assert!(letter.contains("binnen 6 weken"));
    assert!(letter.contains(&view.request.reference));
    // Addressed to the person as the BRP holds them.
    assert!(letter.contains("J. Jansen"), "{letter}");
    assert!(letter.contains("Geachte heer Jansen"));
    // A decided request is final.
    assert!(matches!(
        p.decide_citizen_request(&s.beheerder, &id, "toegekend", "", None)
            .await,
        Err(ServiceError::Conflict(_))
    ));

    // A grant names its article and has no bezwaar clause.
    let inzage = p
        .submit_citizen_request(&jan, submission("inzage"))
        .await
        .unwrap();
    // A partial inzage has no defined content: only granted or refused.
    assert!(matches!(
        p.decide_citizen_request(&s.beheerder, &inzage, "deels_toegekend", "Deels.", None)
            .await,
        Err(ServiceError::Invalid(_))
    ));
    p.decide_citizen_request(&s.beheerder, &inzage, "toegekend", "", None)
        .await
        .unwrap();
    let view = p.my_citizen_request(&jan, &inzage).await.unwrap();
    let letter = letter_text(p, &jan, &view, "Besluit").await;
    assert!(letter.contains("artikel 2.55 en artikel 3.22"));
    assert!(!letter.contains("binnen 6 weken"));
    // Every step was mailed to the citizen's address, without personal data.
    let outbox = p.outbox(&s.beheerder).await.unwrap();
    let mails: Vec<_> = outbox
        .iter()
        .filter(|m| m.to_address == "inwoner@voorbeeld.example")
        .collect();
    assert_eq!(mails.len(), 4, "two receipts and two decisions");
    assert!(mails.iter().all(|m| !m.body_text.contains("Jansen")));
    assert!(mails
        .iter()
        .all(|m| !m.body_text.contains(&s.jan.bsn.to_string())));
}

// ---- inzage: the overview of verstrekkingen --------------------------------------------

#[allow(clippy::too_many_arguments)]
fn verstrekking(
    bsn: Bsn,
    at: chrono::DateTime<Utc>,
    user_id: i64,
    afnemer: (i64, &str),
    doel: &str,
) -> NewVerstrekking {
    NewVerstrekking {
        request_id: uuid_like(at),
        bsn,
        at,
        user_id,
        username: "medewerker".into(),
        grant_id: 1,
        profile_id: 1,
        profile_version: 1,
        afnemer_id: afnemer.0,
        afnemer_name: afnemer.1.into(),
        doel_id: 1,
        doel_name: doel.into(),
        zaak: String::new(),
        search_type: SearchType::RaadpleegMetBurgerservicenummer,
        channel: Channel::Api,
        fields: "naam.geslachtsnaam verblijfplaats.verblijfadres.postcode".into(),
        hidden_from_citizen: false,
        gebruiker: Some("j.jansen".into()),
        verwerking: None,
    }
}

fn uuid_like(at: chrono::DateTime<Utc>) -> String {
    format!("test-{}", at.timestamp())
}

async fn the_inzage_overview_covers_twenty_years_and_leaves_out_art_46_afnemers(db: TestDatabase) {
    let s = setup_with(&db, true).await;
    let p = &s.portal;
    // Only a derde named by art. 46 Besluit BRP holds the flag, set with four eyes.
    let beheerder2 = login(p, "beheerder2").await;
    let hidden = afnemer_with_four_eyes(
        p,
        &s.beheerder,
        &beheerder2,
        AfnemerInput::parse(
            "Bijzondere opsporing",
            "Wet op de bijzondere opsporingsdiensten",
            "derde",
            true,
            "bod",
        )
        .unwrap(),
    )
    .await;
    let visible = p
        .create_afnemer(
            &s.beheerder,
            AfnemerInput::parse(
                "Team belastingen",
                "Gemeentewet",
                "binnengemeentelijk",
                false,
                "",
            )
            .unwrap(),
        )
        .await
        .unwrap();
    let now = db.clock.now();
    let user = s.medewerker.id();
    let years = |n: i64| now - Duration::days(365 * n);
    db.store
        .insert_verstrekkingen(&[
            verstrekking(
                s.jan.bsn,
                years(21),
                user,
                (visible.id, "Team belastingen"),
                "Aanslag van eenentwintig jaar terug",
            ),
            verstrekking(
                s.jan.bsn,
                years(19),
                user,
                (visible.id, "Team belastingen"),
                "Aanslag van negentien jaar terug",
            ),
            NewVerstrekking {
                hidden_from_citizen: true,
                ..verstrekking(
                    s.jan.bsn,
                    years(1),
                    user,
                    (hidden.id, "Bijzondere opsporing"),
                    "Heimelijk onderzoek",
                )
            },
            verstrekking(
                s.piet.bsn,
                years(1),
                user,
                (visible.id, "Team belastingen"),
                "Aanslag van de buurman",
            ),
        ])
        .await
        .unwrap();
    // An internal lookup by a medewerker of the municipality, through the portal.
    let grant = p
        .lookup_grants(&s.medewerker)
        .await
        .unwrap()
        .into_iter()
        .find(|g| g.profile_name == ALGEMEEN)
        .unwrap();
    let found = p
        .lookup(
            &s.medewerker,
            LookupRequest {
                grant_id: grant.grant_id,
                doel_id: grant.doelen[0].id,
                zaak: "Z-1".into(),
                search_type: SearchType::ZoekMetPostcodeEnHuisnummer,
                input: QueryInput {
                    postcode: "1991AB".into(),
                    huisnummer: "12".into(),
                    ..QueryInput::default()
                },
                fields: Vec::new(),
                channel: Channel::Portaal,
            },
        )
        .await
        .unwrap();
    assert_eq!(found.persons.len(), 1);

    // Logged in at Substantieel with instant answers on: answered at once.
    db.clock.advance(Duration::minutes(5));
    let jan = citizen(p, s.jan.bsn, "substantieel").await;
    let id = p
        .submit_citizen_request(&jan, submission("inzage"))
        .await
        .unwrap();
    let view = p.my_citizen_request(&jan, &id).await.unwrap();
    assert_eq!(view.request.status, RequestStatus::Afgehandeld);
    assert_eq!(view.request.outcome, Some(Outcome::Toegekend));
    let letter = letter_text(p, &jan, &view, "Besluit").await;
    assert!(letter.contains("Aanslag van negentien jaar terug"));
    assert!(!letter.contains("eenentwintig"), "older than 20 years");
    assert!(!letter.contains("Heimelijk onderzoek"), "art. 46");
    assert!(!letter.contains("Bijzondere opsporing"), "art. 46");
    assert!(!letter.contains("buurman"), "another person's");
    assert!(letter.contains(&grant.afnemer_name), "the internal lookup");
    assert!(letter.contains(&grant.doelen[0].name));
    assert!(letter.contains("Verblijfplaats en adres"), "kinds of data");
    // The persoonslijst as held.
    assert!(letter.contains("Dorpsstraat"));
    assert!(letter.contains("7 juli 1975"));

    // At Midden the inzage goes to the queue.
    let midden = citizen(p, s.piet.bsn, "midden").await;
    let queued = p
        .submit_citizen_request(&midden, submission("inzage"))
        .await
        .unwrap();
    let view = p.my_citizen_request(&midden, &queued).await.unwrap();
    assert_eq!(view.request.status, RequestStatus::Ontvangen);
}

// ---- geheimhouding ---------------------------------------------------------------------

/// A derde with a profile that consults by BSN, and one of its users with a grant on it.
async fn derde(db: &TestDatabase, s: &Setup) -> (Actor, i64) {
    let p = &s.portal;
    let beheerder2 = login(p, "beheerder2").await;
    let afnemer = afnemer_with_four_eyes(
        p,
        &s.beheerder,
        &beheerder2,
        AfnemerInput::parse(
            "Stichting Schuldhulp Voorbeeld",
            "Wet BRP artikel 3.9",
            // A derde: a vrije derde may not hold the BSN this profile needs.
            "derde",
            false,
            "",
        )
        .unwrap(),
    )
    .await;
    let grondslag = p
        .create_grondslag(
            &s.beheerder,
            "Wet basisregistratie personen",
            "artikel 3.9",
            "",
        )
        .await
        .unwrap();
    let doel = p
        .create_doel(
            &s.beheerder,
            afnemer.id,
            grondslag.id,
            "Schuldhulpverlening",
            "",
        )
        .await
        .unwrap();
    let content = ProfileContent {
        fields: [
            "burgerservicenummer".to_owned(),
            "naam.geslachtsnaam".to_owned(),
        ]
        .into(),
        search_types: [SearchType::RaadpleegMetBurgerservicenummer].into(),
        doelen: [doel.id].into(),
        own_residents_only: false,
        zaak_required: false,
    };
    let profile = p
        .propose_profile(
            &s.beheerder,
            ProfileInput {
                name: "Profiel schuldhulp".into(),
                afnemer_id: afnemer.id,
                description: String::new(),
                content,
                note: String::new(),
            },
        )
        .await
        .unwrap();
    let beheerder2 = login(p, "beheerder2").await;
    p.decide_profile_version(&beheerder2, profile, 1, true, "")
        .await
        .unwrap();
    p.create_user(
        &s.beheerder,
        NewUser {
            username: Username::parse("schuldhulp").unwrap(),
            display_name: DisplayName::parse("Sam Schuldhulp").unwrap(),
            email: None,
            role: Role::Medewerker,
            afnemer_id: Some(afnemer.id),
            password: NewPassword::parse(DEMO_PASSWORD).unwrap(),
        },
    )
    .await
    .unwrap();
    grant_profile(db, "schuldhulp", "Profiel schuldhulp").await;
    let user = login(p, "schuldhulp").await;
    let grant = p.lookup_grants(&user).await.unwrap()[0].grant_id;
    (user, grant)
}

/// `actor` consults `bsn` by BSN under one of their grants, with its first doel.
async fn consult_by_bsn(
    p: &Portal,
    actor: &Actor,
    grant_id: i64,
    bsn: Bsn,
    channel: Channel,
) -> brp_domain::person::LookupResult {
    let grant = p
        .lookup_grants(actor)
        .await
        .unwrap()
        .into_iter()
        .find(|g| g.grant_id == grant_id)
        .unwrap();
    p.lookup(
        actor,
        LookupRequest {
            grant_id,
            doel_id: grant.doelen[0].id,
            zaak: String::new(),
            search_type: SearchType::RaadpleegMetBurgerservicenummer,
            input: QueryInput {
                burgerservicenummer: bsn.to_string(),
                ..QueryInput::default()
            },
            fields: Vec::new(),
            channel,
        },
    )
    .await
    .unwrap()
}

async fn lookup_by_bsn(p: &Portal, actor: &Actor, grant_id: i64, bsn: Bsn) -> usize {
    consult_by_bsn(p, actor, grant_id, bsn, Channel::Api)
        .await
        .persons
        .len()
}

/// The municipality's own balie (not a derde) consults `bsn` by BSN.
async fn balie_lookup(db: &TestDatabase, s: &Setup, bsn: Bsn) -> brp_domain::person::LookupResult {
    let intern = grant_profile(db, "medewerker", "Profiel baliemedewerker Burgerzaken").await;
    consult_by_bsn(&s.portal, &s.medewerker, intern, bsn, Channel::Portaal).await
}

async fn a_granted_geheimhouding_stops_derden_and_shows_at_lookup(db: TestDatabase) {
    let s = setup(&db).await;
    let p = &s.portal;
    let (derde_user, derde_grant) = derde(&db, &s).await;
    assert_eq!(
        lookup_by_bsn(p, &derde_user, derde_grant, s.jan.bsn).await,
        1
    );

    let jan = citizen(p, s.jan.bsn, "midden").await;
    let id = p
        .submit_citizen_request(&jan, submission("geheimhouding"))
        .await
        .unwrap();
    // A second one while the first is open is refused.
    assert!(matches!(
        p.submit_citizen_request(&jan, submission("geheimhouding"))
            .await,
        Err(ServiceError::Conflict(_))
    ));
    p.decide_citizen_request(&s.beheerder, &id, "toegekend", "", None)
        .await
        .unwrap();
    let view = p.my_citizen_request(&jan, &id).await.unwrap();
    assert_eq!(view.geheimhouding_since, Some(day(2026, 11, 22)));

    // The derde gets nothing; the municipality's own department still finds Jan, with the
    // indication shown.
    assert_eq!(
        lookup_by_bsn(p, &derde_user, derde_grant, s.jan.bsn).await,
        0
    );
    assert_eq!(
        lookup_by_bsn(p, &derde_user, derde_grant, s.piet.bsn).await,
        1
    );
    let balie = balie_lookup(&db, &s, s.jan.bsn).await;
    assert_eq!(balie.persons.len(), 1);
    assert!(balie.persons[0].indicaties.geheimhouding);

    // Asking again is refused; the withdrawal ends it and the derde gets Jan again.
    assert!(matches!(
        p.submit_citizen_request(&jan, submission("geheimhouding"))
            .await,
        Err(ServiceError::Conflict(_))
    ));
    let end = decided(p, &s, &jan, "intrekking_geheimhouding").await;
    assert_eq!(
        lookup_by_bsn(p, &derde_user, derde_grant, s.jan.bsn).await,
        1
    );
    let view = p.my_citizen_request(&jan, &end).await.unwrap();
    assert_eq!(view.geheimhouding_since, None);
    let trail = p.audit_trail(&s.beheerder, None, None, 50).await.unwrap();
    assert!(trail
        .iter()
        .any(|e| e.action == brp_domain::AuditAction::BeperkingStarted));
    assert!(trail
        .iter()
        .any(|e| e.action == brp_domain::AuditAction::BeperkingEnded));
}

/// The portal keeps the geheimhouding it granted: reading the person in again as the
/// source has them, without the indication, does not lift it.
/// A citizen's request of `kind`, submitted and granted.
async fn decided(p: &Portal, s: &Setup, citizen: &Citizen, kind: &str) -> String {
    let id = p
        .submit_citizen_request(citizen, submission(kind))
        .await
        .unwrap();
    p.decide_citizen_request(&s.beheerder, &id, "toegekend", "", None)
        .await
        .unwrap();
    id
}

async fn a_reimport_does_not_lift_a_granted_geheimhouding(db: TestDatabase) {
    let s = setup(&db).await;
    let p = &s.portal;
    let (derde_user, derde_grant) = derde(&db, &s).await;
    let jan = citizen(p, s.jan.bsn, "midden").await;
    decided(p, &s, &jan, "geheimhouding").await;
    assert_eq!(
        lookup_by_bsn(p, &derde_user, derde_grant, s.jan.bsn).await,
        0
    );

    // A fresh copy of the BRP without the indication.
    assert!(!s.jan.persoon().geheimhouding_persoonsgegevens);
    p.store_persons([s.jan.persoon()]).await.unwrap();
    let held: serde_json::Value =
        serde_json::from_str(&db.store.person_data(&s.jan.bsn).await.unwrap().unwrap()).unwrap();
    assert_eq!(held.get("geheimhoudingPersoonsgegevens"), None);

    // The derde still gets nothing; the balie sees the indication and the always-delivered
    // field.
    assert_eq!(
        lookup_by_bsn(p, &derde_user, derde_grant, s.jan.bsn).await,
        0
    );
    let balie = balie_lookup(&db, &s, s.jan.bsn).await;
    assert!(balie.persons[0].indicaties.geheimhouding);
    assert_eq!(
        balie.persons[0].persoon["geheimhoudingPersoonsgegevens"],
        serde_json::json!(true)
    );
    // For the citizen it still holds: asking again is refused, stopping it is possible.
    assert!(matches!(
        p.submit_citizen_request(&jan, submission("geheimhouding"))
            .await,
        Err(ServiceError::Conflict(_))
    ));
    decided(p, &s, &jan, "intrekking_geheimhouding").await;
    assert_eq!(
        lookup_by_bsn(p, &derde_user, derde_grant, s.jan.bsn).await,
        1
    );
}

// ---- correctie --------------------------------------------------------------------------

async fn a_granted_correctie_changes_the_datum_keeps_the_old_value_and_tells_recipients(
    db: TestDatabase,
) {
    let s = setup(&db).await;
    let p = &s.portal;
    // The medewerker looks Jan up first: the old name leaves under "raadplegen algemeen".
    let grant = p
        .lookup_grants(&s.medewerker)
        .await
        .unwrap()
        .into_iter()
        .find(|g| g.profile_name == ALGEMEEN)
        .unwrap();
    p.lookup(
        &s.medewerker,
        LookupRequest {
            grant_id: grant.grant_id,
            doel_id: grant.doelen[0].id,
            zaak: "Z-77".into(),
            search_type: SearchType::ZoekMetPostcodeEnHuisnummer,
            input: QueryInput {
                postcode: "1991AB".into(),
                huisnummer: "12".into(),
                ..QueryInput::default()
            },
            fields: Vec::new(),
            channel: Channel::Portaal,
        },
    )
    .await
    .unwrap();
    db.clock.advance(Duration::hours(1));

    let jan = citizen(p, s.jan.bsn, "midden").await;
    // The value must fit the element, and differ from what is held.
    let same = p
        .submit_citizen_request(&jan, correctie("naam.geslachtsnaam", "Jansen", Vec::new()))
        .await
        .unwrap_err();
    assert!(matches!(same, ServiceError::Invalid(_)), "{same:?}");
    let bad_date = p
        .submit_citizen_request(&jan, correctie("geboorte.datum", "31-02-1975", Vec::new()))
        .await
        .unwrap_err();
    assert!(matches!(bad_date, ServiceError::Invalid(_)));
    let id = p
        .submit_citizen_request(&jan, correctie("naam.geslachtsnaam", "Janssen", Vec::new()))
        .await
        .unwrap();
    // Another request changes the voornamen meanwhile: this one is about the surname and
    // goes on; but a correctie whose datum changed since the request is refused.
    let other = p
        .submit_citizen_request(&jan, correctie("naam.voornamen", "Johannes", Vec::new()))
        .await
        .unwrap();
    let mut changed = s.jan.clone();
    changed.voornamen = "Jantje";
    p.store_persons([changed.persoon()]).await.unwrap();
    assert!(matches!(
        p.decide_citizen_request(&s.beheerder, &other, "toegekend", "", None)
            .await,
        Err(ServiceError::Conflict(_))
    ));
    p.store_persons([s.jan.persoon()]).await.unwrap();
    p.take_citizen_request(&s.beheerder, &id).await.unwrap();
    p.decide_citizen_request(
        &s.beheerder,
        &id,
        "toegekend",
        "De geboorteakte bevestigt de spelling.",
        Some("Janssen"),
    )
    .await
    .unwrap();

    // The datum changed in the embedded source: the new name is found, derived parts too.
    let data: serde_json::Value =
        serde_json::from_str(&db.store.person_data(&s.jan.bsn).await.unwrap().unwrap()).unwrap();
    assert_eq!(data["naam"]["geslachtsnaam"], "Janssen");
    assert_eq!(data["naam"]["volledigeNaam"], "Jan Janssen");
    assert_eq!(data["adressering"]["aanhef"], "Geachte heer Janssen");

    // The old value is kept with who, when and why, and that record cannot be changed.
    let view = p
        .citizen_request_for_staff(&s.beheerder, &id)
        .await
        .unwrap();
    let c = &view.corrections[0];
    assert_eq!(c.old_value, "Jansen");
    assert_eq!(c.new_value, "Janssen");
    assert_eq!(c.corrected_by, "Bea Beheer");
    assert!(c.reason.contains("geboorteakte"));
    assert_eq!(c.corrected_at, db.clock.now());
    let tampered = match &db.pool {
        brp_service::store::DbPool::Sqlite(pool) => {
            sqlx::query("UPDATE person_corrections SET old_value = 'x'")
                .execute(pool)
                .await
                .map(|_| ())
        }
        brp_service::store::DbPool::Postgres(pool) => {
            sqlx::query("UPDATE person_corrections SET old_value = 'x'")
                .execute(pool)
                .await
                .map(|_| ())
        }
    };
    assert!(tampered.is_err(), "a correction record is evidence");

    // Jan asked that earlier recipients are told: the medewerker's department is listed.
    assert!(view.request.inform_recipients);
    assert_eq!(view.recipients.len(), 1);
    assert_eq!(view.recipients[0].afnemer_name, grant.afnemer_name);
    assert!(view.recipients[0].notified_at.is_none());
    assert!(view.allowed.notify_recipients);
    assert_eq!(
        p.notify_earlier_recipients(&s.beheerder, &id)
            .await
            .unwrap(),
        1
    );
    let view = p.my_citizen_request(&jan, &id).await.unwrap();
    assert_eq!(
        view.recipients[0].notified_by.as_deref(),
        Some("Bea Beheer")
    );
    assert!(matches!(
        p.notify_earlier_recipients(&s.beheerder, &id).await,
        Err(ServiceError::Conflict(_))
    ));
    // The medewerker got a letter that points at their verstrekking, without the datum.
    let letters = p.my_letters(&s.medewerker).await.unwrap();
    let notice = letters
        .iter()
        .find(|l| l.subject.contains("gecorrigeerd"))
        .expect("a correction notice");
    assert!(notice.body_html.contains("Geslachtsnaam"));
    assert!(notice.body_html.contains("Z-77"));
    assert!(!notice.body_html.contains("Janssen"));

    let letter = letter_text(p, &jan, &view, "Besluit").await;
    assert!(letter.contains("Oude waarde") && letter.contains("Janssen"));
    assert!(letter.contains("01.02.40"));
}

async fn a_counter_request_records_how_identity_was_verified(db: TestDatabase) {
    let s = setup(&db).await;
    let p = &s.portal;
    let today = day(2026, 11, 22);
    let r = brp_service::citizens::CounterRegistration::parse(
        &s.jan.bsn.to_string(),
        "balie",
        "identiteitsbewijs",
        "Paspoort getoond, nummer eindigt op 42",
        "2026-11-20",
        "Inwoner aan de balie, wil inzage",
        today,
        submission("inzage"),
    )
    .unwrap();
    let id = p.register_counter_request(&s.beheerder, r).await.unwrap();
    // Four eyes: the beheerder who registered it does not decide on it.
    let own = p
        .citizen_request_for_staff(&s.beheerder, &id)
        .await
        .unwrap();
    assert!(!own.allowed.decide);
    assert!(matches!(
        p.decide_citizen_request(&s.beheerder, &id, "toegekend", "", None)
            .await,
        Err(ServiceError::Conflict(_))
    ));
    let beheerder2 = login(p, "beheerder2").await;
    assert!(
        p.citizen_request_for_staff(&beheerder2, &id)
            .await
            .unwrap()
            .allowed
            .decide
    );
    let jan = citizen(p, s.jan.bsn, "midden").await;
    let view = p.my_citizen_request(&jan, &id).await.unwrap();
    assert_eq!(view.request.received_on, day(2026, 11, 20));
    assert!(view.request.identity_note.contains("Paspoort getoond"));
    assert!(view
        .request
        .identity_note
        .contains("Identiteitsbewijs getoond aan de balie"));
    assert_eq!(view.deadline.due, day(2026, 12, 18));
    // Only a beheerder registers; the date cannot lie ahead; the BSN must exist.
    let again = |bsn: &str, date: &str| {
        brp_service::citizens::CounterRegistration::parse(
            bsn,
            "post",
            "kopie",
            "Kopie paspoort",
            date,
            "Brief van de inwoner",
            today,
            submission("inzage"),
        )
    };
    assert!(again(&s.piet.bsn.to_string(), "2026-11-23").is_err());
    assert!(matches!(
        p.register_counter_request(
            &s.toezicht,
            again(&s.piet.bsn.to_string(), "2026-11-21").unwrap()
        )
        .await,
        Err(ServiceError::Forbidden)
    ));
    let unknown = Bsn::complete(77_777_777).unwrap().to_string();
    assert!(matches!(
        p.register_counter_request(&s.beheerder, again(&unknown, "2026-11-21").unwrap())
            .await,
        Err(ServiceError::Invalid(_))
    ));
    // The queue sorts by deadline and shows the citizen's name.
    let piet = citizen(p, s.piet.bsn, "midden").await;
    p.submit_citizen_request(&piet, submission("inzage"))
        .await
        .unwrap();
    let queue = p.citizen_request_queue(&s.beheerder, true).await.unwrap();
    assert_eq!(queue.len(), 2);
    assert_eq!(queue[0].id, id, "the older deadline first");
    assert_eq!(queue[0].citizen_name.as_deref(), Some("Jan Jansen"));
    assert!(queue[0].deadline.due <= queue[1].deadline.due);
    assert_eq!(queue[0].kind, RequestKind::Inzage);
}

// ---- logging in -------------------------------------------------------------------------

async fn the_simulation_is_for_demo_mode_only(db: TestDatabase) {
    let s = setup(&db).await;
    let real = db.portal();
    assert!(matches!(
        real.simulated_citizen_login(&s.jan.bsn.to_string(), "hoog", ADDR)
            .await,
        Err(ServiceError::Forbidden)
    ));
    // A simulated session stops counting when the portal is not in demo mode.
    let claims = s
        .portal
        .simulated_citizen_login(&s.jan.bsn.to_string(), "hoog", ADDR)
        .await
        .unwrap();
    assert!(matches!(
        real.resolve_citizen(&claims).await,
        Err(ServiceError::SessionExpired)
    ));
    // Only persons of the demo population.
    let unknown = Bsn::complete(77_777_777).unwrap().to_string();
    assert!(s
        .portal
        .simulated_citizen_login(&unknown, "hoog", ADDR)
        .await
        .is_err());
    // A citizen session ends at the absolute timeout.
    db.clock.advance(Duration::hours(13));
    assert!(matches!(
        s.portal.resolve_citizen(&claims).await,
        Err(ServiceError::SessionExpired)
    ));
}

async fn digid_portal(db: &TestDatabase, provider: &TestProvider, redirect: &str) -> Portal {
    let client = brp_oidc::OidcClient::new(provider.config(redirect)).unwrap();
    db.portal().with_identity_provider(Arc::new(client))
}

/// Runs a DigiD login through the provider as a browser would; returns what completing
/// it gives.
async fn digid_login(
    portal: &Portal,
    provider: &TestProvider,
) -> Result<brp_service::CitizenClaims, ServiceError> {
    let start = portal.begin_digid_login(ADDR).await.unwrap();
    let back = provider.browser_login(&start.url).await.unwrap();
    let (code, state) = (back.code.unwrap(), back.state.unwrap());
    portal
        .complete_digid_login(&state, &code, &start.binding)
        .await
}

async fn digid_login_through_openid_connect(db: TestDatabase) {
    let redirect = "http://127.0.0.1:9/inwoner/digid/terug";
    let provider = TestProvider::start(redirect).await;
    // The provider's tokens are issued now, by the real clock.
    db.clock.set(Utc::now());
    let portal = digid_portal(&db, &provider, redirect).await;
    let bsn = "999990019";
    let claims = |acr: &str| {
        serde_json::from_value(serde_json::json!({
            "bsn": bsn,
            "acr": acr,
        }))
        .unwrap()
    };
    provider.set_claims(claims("urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard"));
    let ok = digid_login(&portal, &provider).await.unwrap();
    assert_eq!(ok.bsn, bsn);
    assert_eq!(ok.assurance, brp_domain::citizen::Assurance::Substantieel);
    let citizen = portal.resolve_citizen(&ok).await.unwrap();
    assert_eq!(citizen.bsn().to_string(), bsn);

    // A state is used once, and only by the browser it was given to.
    let start = portal.begin_digid_login(ADDR).await.unwrap();
    let back = provider.browser_login(&start.url).await.unwrap();
    let (code, state) = (back.code.unwrap(), back.state.unwrap());
    assert!(matches!(
        portal
            .complete_digid_login(&state, &code, "another browser")
            .await,
        Err(ServiceError::Refused(_))
    ));
    assert!(matches!(
        portal
            .complete_digid_login(&state, &code, &start.binding)
            .await,
        Err(ServiceError::Refused(_))
    ));

    // Tokens from the wrong issuer or with the wrong nonce are refused.
    for m in [
        Misbehaviour::WrongIssuer,
        Misbehaviour::WrongNonce,
        Misbehaviour::BadSignature,
    ] {
        let what = format!("{m:?}");
        provider.misbehave(m);
        assert!(
            matches!(
                digid_login(&portal, &provider).await,
                Err(ServiceError::Refused(_))
            ),
            "{what}"
        );
    }
    provider.misbehave(Misbehaviour::None);

    // The BSN claim must hold a valid BSN, the level must be known and high enough.
    provider.set_claims(
        serde_json::from_value(serde_json::json!({"bsn": "123456789", "acr": "hoog"})).unwrap(),
    );
    assert!(matches!(
        digid_login(&portal, &provider).await,
        Err(ServiceError::Refused(_))
    ));
    provider.set_claims(claims(
        "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport",
    ));
    let low = digid_login(&portal, &provider).await.unwrap_err();
    assert!(low.to_string().contains("DigiD Basis"), "{low}");

    // A stale state (older than ten minutes) is refused.
    provider.set_claims(claims("midden"));
    let start = portal.begin_digid_login(ADDR).await.unwrap();
    let back = provider.browser_login(&start.url).await.unwrap();
    db.clock.advance(Duration::minutes(11));
    assert!(matches!(
        portal
            .complete_digid_login(&back.state.unwrap(), &back.code.unwrap(), &start.binding)
            .await,
        Err(ServiceError::Refused(_))
    ));
}

on_both_databases!(
    a_reimport_does_not_lift_a_granted_geheimhouding,
    deadlines_are_four_weeks_and_a_correctie_can_be_deferred_by_eight,
    waiting_for_information_stops_the_clock,
    a_citizen_reaches_only_their_own_requests,
    attachments_are_checked_by_content_and_size,
    letters_name_the_article_the_decision_and_for_a_refusal_the_bezwaar,
    the_inzage_overview_covers_twenty_years_and_leaves_out_art_46_afnemers,
    a_granted_geheimhouding_stops_derden_and_shows_at_lookup,
    a_granted_correctie_changes_the_datum_keeps_the_old_value_and_tells_recipients,
    a_counter_request_records_how_identity_was_verified,
    the_simulation_is_for_demo_mode_only,
    digid_login_through_openid_connect,
);
