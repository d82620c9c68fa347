//! The legal rules of issue 10 for citizens' requests, through the service layer on both
//! databases: Besluit BRP art. 46 recorded per verstrekking, the answer term of Awb 4:15,
//! and staff reading citizens' data.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use brp_domain::authorisation::SearchType;
use brp_domain::citizen::{EventKind, RequestKind, RequestStatus, RequestView};
use brp_domain::person::{Bsn, QueryInput};
use brp_domain::protocol::Channel;
use brp_domain::AuditAction;
use brp_service::citizens::{CounterRegistration, NewSubmission};
use brp_service::demo::DEMO_PASSWORD;
use brp_service::raadplegen::LookupRequest;
use brp_service::store::NewAfnemer;
use brp_service::testing::{TestDatabase, TestPerson};
use brp_service::{on_both_databases, Actor, Citizen, Portal, ServiceError};
use chrono::{Duration, NaiveDate};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

const ADDR: &str = "192.0.2.31";
const ALGEMEEN: &str = "Profiel raadplegen algemeen";

struct Setup {
    portal: Portal,
    beheerder: Actor,
    medewerker: Actor,
    jan: TestPerson,
}

async fn login(portal: &Portal, username: &str) -> Actor {
    portal
        .login(username, DEMO_PASSWORD, ADDR)
        .await
        .unwrap_or_else(|e| panic!("login {username}: {e}"))
        .actor
}

/// The demo set-up with Jan Jansen (Dorpsstraat 12) and his neighbour; inzage at
/// Substantieel is answered at once.
async fn setup(db: &TestDatabase) -> Setup {
    let portal = db.portal_with(|c| {
        c.citizens.simulation = true;
        c.citizens.instant_inzage = true;
        c.municipality = "Gemeente Voorbeeld".into();
    });
    portal.seed_demo().await.unwrap();
    let jan = TestPerson::new(0, "Jansen", "1975-07-07");
    let mut piet = TestPerson::new(1, "Pietersen", "1980-03-04");
    piet.huisnummer = 14;
    portal
        .store_persons([jan.persoon(), piet.persoon()])
        .await
        .unwrap();
    Setup {
        beheerder: login(&portal, "beheerder").await,
        medewerker: login(&portal, "medewerker").await,
        portal,
        jan,
    }
}

async fn citizen(portal: &Portal, bsn: Bsn, level: &str) -> Citizen {
    let claims = portal
        .simulated_citizen_login(&bsn.to_string(), level, "192.0.2.7")
        .await
        .unwrap();
    portal.resolve_citizen(&claims).await.unwrap()
}

fn submission(kind: &str) -> NewSubmission {
    NewSubmission::parse(kind, "", "", "", "", false, Vec::new()).unwrap()
}

async fn letter_text(portal: &Portal, c: &Citizen, view: &RequestView, subject: &str) -> String {
    let letter = view
        .request
        .letters
        .iter()
        .rev()
        .find(|l| l.subject.contains(subject))
        .unwrap_or_else(|| panic!("no letter ‘{subject}’ in {:?}", view.request.letters));
    portal
        .citizen_letter_for_citizen(c, &letter.id)
        .await
        .unwrap()
        .body_html
}

/// The medewerker looks up the household at Dorpsstraat 12 (Jan) under their algemeen
/// grant; returns the afnemer the grant belongs to.
async fn look_up_jan(p: &Portal, medewerker: &Actor) -> String {
    let grant = p
        .lookup_grants(medewerker)
        .await
        .unwrap()
        .into_iter()
        .find(|g| g.profile_name == ALGEMEEN)
        .unwrap();
    let found = p
        .lookup(
            medewerker,
            LookupRequest {
                grant_id: grant.grant_id,
                doel_id: grant.doelen[0].id,
                zaak: String::new(),
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
    grant.afnemer_name
}

/// Sets or clears an afnemer's art. 46 flag with the lowest-level call there is (the
/// store), whatever procedure the service puts before it.
async fn flag(db: &TestDatabase, afnemer: &str, ground: Option<&str>) {
    let a = db
        .store
        .list_afnemers()
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.name.as_str() == afnemer)
        .unwrap();
    db.store
        .update_afnemer(
            a.id,
            &NewAfnemer {
                name: a.name.clone(),
                wettelijk_kader: a.wettelijk_kader.clone(),
                kind: a.kind,
                hidden_from_citizen_ground: ground.map(str::to_owned),
            },
            &[],
        )
        .await
        .unwrap();
}

// ---- Besluit BRP art. 46 -------------------------------------------------------------

async fn art_46_is_recorded_per_verstrekking_when_it_is_made(db: TestDatabase) {
    let s = setup(&db).await;
    let p = &s.portal;
    // Sunday 22 November 2026: a lookup while the afnemer is not flagged.
    let afnemer = look_up_jan(p, &s.medewerker).await;
    // Flagged afterwards; a lookup on Tuesday 24 November while it is.
    flag(&db, &afnemer, Some("Besluit BRP art. 46")).await;
    db.clock.advance(Duration::days(2));
    look_up_jan(p, &s.medewerker).await;

    // Jan asks for a correctie of his name and that earlier recipients are told.
    let jan = citizen(p, s.jan.bsn, "substantieel").await;
    let correctie = NewSubmission::parse(
        "correctie",
        "",
        "Mijn naam is verkeerd gespeld.",
        "naam.geslachtsnaam",
        "Janssen",
        true,
        Vec::new(),
    )
    .unwrap();
    let id = p.submit_citizen_request(&jan, correctie).await.unwrap();
    db.clock.advance(Duration::days(1));
    p.decide_citizen_request(&s.beheerder, &id, "toegekend", "", None)
        .await
        .unwrap();
    // The flag set later does not hide the first verstrekking; the one made while flagged
    // is not counted for the citizen. Staff see both.
    let view = p.my_citizen_request(&jan, &id).await.unwrap();
    assert_eq!(view.recipients.len(), 1, "{:?}", view.recipients);
    assert_eq!(view.recipients[0].afnemer_name, afnemer);
    assert_eq!(view.recipients[0].verstrekkingen, 1);
    let staff = p
        .citizen_request_for_staff(&s.beheerder, &id)
        .await
        .unwrap();
    assert_eq!(staff.recipients[0].verstrekkingen, 2);

    // The inzage overview (Wednesday 25 November) shows the first, not the second.
    let inzage = p
        .submit_citizen_request(&jan, submission("inzage"))
        .await
        .unwrap();
    let view = p.my_citizen_request(&jan, &inzage).await.unwrap();
    let letter = letter_text(p, &jan, &view, "Besluit").await;
    assert!(letter.contains(&afnemer), "{letter}");
    assert!(letter.contains("22 november 2026"));
    assert!(!letter.contains("24 november 2026"), "made while flagged");

    // The reverse: clearing the flag does not reveal what was hidden when it was made.
    flag(&db, &afnemer, None).await;
    db.clock.advance(Duration::days(1));
    let again = p
        .submit_citizen_request(&jan, submission("inzage"))
        .await
        .unwrap();
    let view = p.my_citizen_request(&jan, &again).await.unwrap();
    assert_eq!(view.request.kind, RequestKind::Inzage);
    let letter = letter_text(p, &jan, &view, "Besluit").await;
    assert!(letter.contains("22 november 2026"));
    assert!(!letter.contains("24 november 2026"), "still hidden");
    let view = p.my_citizen_request(&jan, &id).await.unwrap();
    assert_eq!(view.recipients[0].verstrekkingen, 1);
}

// ---- Awb 4:15: the answer term -------------------------------------------------------

async fn an_unanswered_question_ends_the_suspension_when_its_term_runs_out(db: TestDatabase) {
    let s = setup(&db).await;
    let p = &s.portal;
    let jan = citizen(p, s.jan.bsn, "midden").await;
    // Received Sunday 22 November 2026: decision due Monday 21 December.
    let id = p
        .submit_citizen_request(&jan, submission("geheimhouding"))
        .await
        .unwrap();
    // The answer term is within a week and eight weeks.
    for wrong in ["2026-11-25", "2027-02-01", "morgen"] {
        assert!(matches!(
            p.ask_citizen_information(&s.beheerder, &id, "Waarom?", wrong)
                .await,
            Err(ServiceError::Invalid(_))
        ));
    }
    // Without a choice: two weeks, to Sunday 6 December, in the letter and on both sides.
    p.ask_citizen_information(&s.beheerder, &id, "Waarom wilt u geheimhouding?", "")
        .await
        .unwrap();
    let view = p.my_citizen_request(&jan, &id).await.unwrap();
    assert_eq!(view.request.status, RequestStatus::WachtOpInformatie);
    let asked = view.request.events.last().unwrap();
    assert_eq!(asked.due_on, Some(day(2026, 12, 6)));
    let letter = letter_text(p, &jan, &view, "meer informatie").await;
    assert!(letter.contains("6 december 2026"), "{letter}");

    // No answer. On 22 December the term has long run out: the suspension ended on
    // 7 December (15 days), so the decision is due 20 December + 15 days = Monday 4 January.
    db.clock.advance(Duration::days(30));
    let queue = p.citizen_request_queue(&s.beheerder, true).await.unwrap();
    let row = queue.iter().find(|r| r.id == id).unwrap();
    assert_eq!(row.status, RequestStatus::InBehandeling, "computed, no job");
    assert_eq!(row.deadline.due, day(2027, 1, 4));
    let mine = p.my_citizen_requests(&jan).await.unwrap();
    assert_eq!(mine[0].status, RequestStatus::InBehandeling);
    let view = p.my_citizen_request(&jan, &id).await.unwrap();
    assert_eq!(view.request.status, RequestStatus::InBehandeling);
    assert!(!view.allowed.give_information);
    assert_eq!(view.deadline.due, day(2027, 1, 4));
    let ended: Vec<_> = view
        .request
        .events
        .iter()
        .filter(|e| e.kind == EventKind::InformatieTermijnVerstreken)
        .collect();
    assert_eq!(ended.len(), 1, "in the history the citizen sees");
    assert_eq!(
        brp_domain::time::dutch_local(ended[0].at).date_naive(),
        day(2026, 12, 7)
    );
    // Staff see the same, once; the step was stored by the first read.
    let staff = p
        .citizen_request_for_staff(&s.beheerder, &id)
        .await
        .unwrap();
    assert_eq!(staff.request.status, RequestStatus::InBehandeling);
    assert_eq!(
        staff
            .request
            .events
            .iter()
            .filter(|e| e.kind == EventKind::InformatieTermijnVerstreken)
            .count(),
        1
    );
    assert!(staff.allowed.ask_information && staff.allowed.decide);
    // A late answer is not taken as if the term still ran; the request is decided on what
    // is known.
    assert!(matches!(
        p.give_citizen_information(&jan, &id, "Te laat", Vec::new())
            .await,
        Err(ServiceError::Conflict(_))
    ));
    p.decide_citizen_request(&s.beheerder, &id, "toegekend", "", None)
        .await
        .unwrap();
}

// ---- staff reading citizens' BRP data ------------------------------------------------

async fn staff_views_of_citizens_data_are_logged_and_registration_needs_a_reason(db: TestDatabase) {
    let s = setup(&db).await;
    let p = &s.portal;
    let toezicht = login(p, "toezichthouder").await;
    let today = day(2026, 11, 22);
    let registration = |reason: &str| {
        CounterRegistration::parse(
            &s.jan.bsn.to_string(),
            "balie",
            "identiteitsbewijs",
            "Paspoort getoond, eindigt op 42",
            "2026-11-22",
            reason,
            today,
            submission("inzage"),
        )
    };
    // No reason, no registration.
    let err = registration("  ").unwrap_err();
    assert_eq!(err.field, "reden");
    let id = p
        .register_counter_request(
            &s.beheerder,
            registration("Inwoner aan de balie, wil inzage").unwrap(),
        )
        .await
        .unwrap();
    let person = format!("persoon {}", s.jan.bsn);
    let logged = |events: &[brp_domain::AuditEvent], field: &str| {
        events
            .iter()
            .filter(|e| e.action == AuditAction::CitizenDataViewed)
            .filter(|e| e.field.as_deref() == Some(field))
            .map(|e| (e.actor.clone(), e.new_value.clone().unwrap_or_default()))
            .collect::<Vec<_>>()
    };
    let trail = p
        .audit_trail(&s.beheerder, Some(person.clone()), None, 50)
        .await
        .unwrap();
    let reg = logged(&trail, "registratie");
    assert_eq!(reg.len(), 1, "{trail:?}");
    assert_eq!(reg[0].0, "beheerder");
    assert!(reg[0].1.contains("Inwoner aan de balie, wil inzage"));

    // The request page, for the beheerder and for the toezichthouder, shows the reason in
    // the history and is logged per view.
    let view = p
        .citizen_request_for_staff(&s.beheerder, &id)
        .await
        .unwrap();
    assert!(view.request.events[0]
        .text
        .contains("Reden van registratie: Inwoner aan de balie, wil inzage"));
    p.citizen_request_for_staff(&toezicht, &id).await.unwrap();
    let trail = p
        .audit_trail(&s.beheerder, Some(person.clone()), None, 50)
        .await
        .unwrap();
    let pages = logged(&trail, "verzoek");
    assert_eq!(pages.len(), 2, "{trail:?}");
    assert!(pages.iter().any(|(who, _)| who == "toezichthouder"));
    assert!(pages
        .iter()
        .all(|(_, what)| what.contains(&view.request.reference)));

    // The queue shows names from the BRP: one logged view naming each request and person.
    let queue = p.citizen_request_queue(&toezicht, true).await.unwrap();
    assert_eq!(queue[0].citizen_name.as_deref(), Some("Jan Jansen"));
    let trail = p
        .audit_trail(
            &s.beheerder,
            Some("wachtrij burgerverzoeken".to_owned()),
            None,
            50,
        )
        .await
        .unwrap();
    let names = logged(&trail, "namen");
    assert_eq!(names.len(), 1);
    assert_eq!(names[0].0, "toezichthouder");
    assert!(names[0].1.contains(&view.request.reference));
    assert!(names[0].1.contains(&s.jan.bsn.to_string()));

    // The receipt letter is logged under the person too.
    let letter = &view.request.letters[0];
    p.citizen_letter_for_staff(&toezicht, &letter.id)
        .await
        .unwrap();
    let trail = p
        .audit_trail(&s.beheerder, Some(person), None, 50)
        .await
        .unwrap();
    assert!(trail
        .iter()
        .any(|e| e.action == AuditAction::CitizenDocumentRead
            && e.actor == "toezichthouder"
            && e.new_value
                .as_deref()
                .unwrap_or_default()
                .contains(&view.request.reference)));
    // None of this is a verstrekking: the citizen's overview does not list Burgerzaken.
    let protocol = p
        .protocol_records(
            &s.beheerder,
            &brp_domain::protocol::ProtocolFilter {
                bsn: Some(s.jan.bsn),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(protocol.is_empty());
}

on_both_databases!(
    art_46_is_recorded_per_verstrekking_when_it_is_made,
    an_unanswered_question_ends_the_suspension_when_its_term_runs_out,
    staff_views_of_citizens_data_are_logged_and_registration_needs_a_reason,
);
