//! The portal's side of task applications: the CLI door, the protocol viewer (channel
//! filter, applications among the users, x-gebruiker/x-verwerking in the CSV) and the
//! citizen's overview of verstrekkingen, which names the afnemer of an API verstrekking.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use brp_domain::authorisation::SearchType;
use brp_domain::citizen::{Outcome, RequestStatus};
use brp_domain::four_eyes::{ProposalStatus, ProposedChange};
use brp_domain::person::Bsn;
use brp_domain::protocol::{Channel, ProtocolFilter};
use brp_service::applications::ApplicationForm;
use brp_service::authorisation::AfnemerInput;
use brp_service::citizens::NewSubmission;
use brp_service::demo::DEMO_PASSWORD;
use brp_service::store::NewVerstrekking;
use brp_service::testing::{TestDatabase, TestPerson};
use brp_service::{on_both_databases, Actor, Clock, Portal, ServiceError};
use chrono::{Duration, Utc};

const ADDR: &str = "192.0.2.40";

on_both_databases!(
    the_cli_door_acts_only_as_an_active_beheerder,
    the_protocol_viewer_filters_by_channel_and_names_applications,
    an_api_verstrekking_appears_in_the_citizens_overview_with_the_afnemer,
);

async fn login(portal: &Portal, username: &str) -> Actor {
    portal
        .login(username, DEMO_PASSWORD, ADDR)
        .await
        .unwrap_or_else(|e| panic!("login {username}: {e}"))
        .actor
}

fn invalid_field(e: ServiceError) -> String {
    match e {
        ServiceError::Invalid(v) => v.field,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

async fn team_belastingen(portal: &Portal, beheerder: &Actor) -> i64 {
    portal
        .create_afnemer(
            beheerder,
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
        .unwrap()
        .id
}

fn api_verstrekking(
    bsn: Bsn,
    at: chrono::DateTime<Utc>,
    app: (i64, &str),
    afnemer: (i64, &str),
) -> NewVerstrekking {
    NewVerstrekking {
        request_id: format!("api-{}", at.timestamp()),
        bsn,
        at,
        user_id: app.0,
        username: app.1.into(),
        grant_id: 1,
        profile_id: 1,
        profile_version: 1,
        afnemer_id: afnemer.0,
        afnemer_name: afnemer.1.into(),
        doel_id: 1,
        doel_name: "Heffing gemeentelijke belastingen".into(),
        zaak: String::new(),
        search_type: SearchType::RaadpleegMetBurgerservicenummer,
        channel: Channel::Api,
        fields: "naam.geslachtsnaam verblijfplaats.verblijfadres.postcode".into(),
        hidden_from_citizen: false,
        gebruiker: Some("k.de.vries".into()),
        verwerking: Some("aanslag 2026".into()),
    }
}

async fn the_cli_door_acts_only_as_an_active_beheerder(db: TestDatabase) {
    let p = db.portal();
    p.seed_demo().await.unwrap();
    let beheerder = login(&p, "beheerder").await;
    let beheerder2 = login(&p, "beheerder2").await;
    let afnemer_id = team_belastingen(&p, &beheerder).await;

    // Only an existing, active beheerder can be named as the one who acts.
    for who in ["medewerker", "toezichthouder", "niemand", "Geen Naam!"] {
        let e = p.cli_beheerder(who).await.unwrap_err();
        assert_eq!(invalid_field(e), "door", "{who}");
    }
    let door = p.cli_beheerder("beheerder").await.unwrap();
    assert_eq!(door.id(), beheerder.id());

    let (app, issued) = p
        .register_application(
            &door,
            ApplicationForm {
                client_id: "belastingen-app".into(),
                name: "Belastingapplicatie".into(),
                afnemer_id,
                contact: "team-belastingen@voorbeeld.example".into(),
            },
        )
        .await
        .unwrap();
    assert!(!app.active, "waits for a second beheerder");
    assert_eq!(issued.client_id, "belastingen-app");
    // Not active yet: the secret gives no token.
    assert!(matches!(
        p.issue_access_token("belastingen-app", &issued.secret)
            .await,
        Err(ServiceError::InvalidCredentials)
    ));
    let proposal = p
        .list_change_proposals(&beheerder2, true)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.change == ProposedChange::ActivateApplication { user_id: app.id })
        .expect("activation proposed");
    assert_eq!(proposal.proposed_by_id, Some(door.id()));
    // The proposer cannot approve their own proposal, also not through the CLI door.
    assert!(p.decide_change(&door, proposal.id, true, "").await.is_err());
    p.decide_change(&beheerder2, proposal.id, true, "")
        .await
        .unwrap();
    let decided = p
        .list_change_proposals(&beheerder2, false)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.id == proposal.id)
        .unwrap();
    assert_eq!(decided.status, ProposalStatus::Approved);
    let listed = p.list_applications(&door).await.unwrap();
    let listed = listed.iter().find(|a| a.id == app.id).unwrap();
    assert!(listed.active);
    assert_eq!(listed.afnemer.name, "Team belastingen");
    p.issue_access_token("belastingen-app", &issued.secret)
        .await
        .unwrap();

    // Rotation without overlap: the old secret stops at once, the new one works.
    let rotated = p.rotate_application_secret(&door, app.id, 0).await.unwrap();
    assert_ne!(rotated.secret, issued.secret);
    assert!(matches!(
        p.issue_access_token("belastingen-app", &issued.secret)
            .await,
        Err(ServiceError::InvalidCredentials)
    ));
    p.issue_access_token("belastingen-app", &rotated.secret)
        .await
        .unwrap();
    let e = p
        .rotate_application_secret(&door, app.id, -5)
        .await
        .unwrap_err();
    assert_eq!(invalid_field(e), "overlap");

    // A beheerder who has been deactivated is no door any more.
    p.set_user_active(&beheerder, beheerder2.id(), false)
        .await
        .unwrap();
    let e = p.cli_beheerder("beheerder2").await.unwrap_err();
    assert_eq!(invalid_field(e), "door");
}

async fn the_protocol_viewer_filters_by_channel_and_names_applications(db: TestDatabase) {
    let p = db.portal();
    p.seed_demo().await.unwrap();
    let beheerder = login(&p, "beheerder").await;
    let toezicht = login(&p, "toezichthouder").await;
    let medewerker = login(&p, "medewerker").await;
    let afnemer_id = team_belastingen(&p, &beheerder).await;
    let (app, _) = p
        .register_application(
            &beheerder,
            ApplicationForm {
                client_id: "belastingen-app".into(),
                name: "Belastingapplicatie".into(),
                afnemer_id,
                contact: "team-belastingen@voorbeeld.example".into(),
            },
        )
        .await
        .unwrap();
    let jan = TestPerson::new(0, "Jansen", "1975-07-07");
    let now = db.clock.now();
    let mut portaal = api_verstrekking(
        jan.bsn,
        now - Duration::hours(2),
        (medewerker.id(), "medewerker"),
        (afnemer_id, "Team belastingen"),
    );
    portaal.channel = Channel::Portaal;
    portaal.gebruiker = None;
    portaal.verwerking = None;
    db.store
        .insert_verstrekkingen(&[
            portaal,
            api_verstrekking(
                jan.bsn,
                now - Duration::hours(1),
                (app.id, "belastingen-app"),
                (afnemer_id, "Team belastingen"),
            ),
        ])
        .await
        .unwrap();

    let users = p.protocol_users(&toezicht).await.unwrap();
    assert!(users.contains(&(
        app.id,
        "Belastingapplicatie (belastingen-app, taakapplicatie)".to_owned()
    )));
    assert!(users.iter().any(|(id, _)| *id == medewerker.id()));

    let filter = |kanaal: &str| ProtocolFilter::parse("", "", "", kanaal, "", "").unwrap();
    let api = p.protocol_records(&toezicht, &filter("api")).await.unwrap();
    assert_eq!(api.len(), 1);
    assert_eq!(api[0].user_id, app.id);
    assert_eq!(api[0].gebruiker.as_deref(), Some("k.de.vries"));
    assert_eq!(api[0].verwerking.as_deref(), Some("aanslag 2026"));
    let portal_only = p
        .protocol_records(&toezicht, &filter("portaal"))
        .await
        .unwrap();
    assert_eq!(portal_only.len(), 1);
    assert_eq!(portal_only[0].user_id, medewerker.id());
    assert_eq!(
        p.protocol_records(&toezicht, &filter(""))
            .await
            .unwrap()
            .len(),
        2
    );
    // The application as the "user" of the filter.
    let by_app = ProtocolFilter::parse("", &app.id.to_string(), "", "", "", "").unwrap();
    assert_eq!(
        p.protocol_records(&toezicht, &by_app).await.unwrap().len(),
        1
    );

    let csv = p.protocol_csv(&beheerder, &filter("")).await.unwrap().csv;
    let mut lines = csv.lines();
    assert!(lines
        .next()
        .unwrap()
        .ends_with(";kanaal;verzoek;gegevens;x-gebruiker;x-verwerking"));
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 2);
    assert!(rows[0].contains(";api;"), "newest first: {}", rows[0]);
    assert!(rows[0].ends_with(";k.de.vries;aanslag 2026"), "{}", rows[0]);
    assert!(
        rows[1].ends_with(";;"),
        "a portal row has empty API columns: {}",
        rows[1]
    );
}

async fn an_api_verstrekking_appears_in_the_citizens_overview_with_the_afnemer(db: TestDatabase) {
    let p = db.portal_with(|c| {
        c.citizens.simulation = true;
        c.citizens.instant_inzage = true;
    });
    p.seed_demo().await.unwrap();
    let beheerder = login(&p, "beheerder").await;
    let afnemer_id = team_belastingen(&p, &beheerder).await;
    let (app, _) = p
        .register_application(
            &beheerder,
            ApplicationForm {
                client_id: "belastingen-app".into(),
                name: "Belastingapplicatie".into(),
                afnemer_id,
                contact: "team-belastingen@voorbeeld.example".into(),
            },
        )
        .await
        .unwrap();
    let jan = TestPerson::new(0, "Jansen", "1975-07-07");
    p.store_persons([jan.persoon()]).await.unwrap();
    let now = db.clock.now();
    db.store
        .insert_verstrekkingen(&[api_verstrekking(
            jan.bsn,
            now - Duration::days(3),
            (app.id, "belastingen-app"),
            (afnemer_id, "Team belastingen"),
        )])
        .await
        .unwrap();

    let claims = p
        .simulated_citizen_login(&jan.bsn.to_string(), "substantieel", ADDR)
        .await
        .unwrap();
    let citizen = p.resolve_citizen(&claims).await.unwrap();
    let id = p
        .submit_citizen_request(
            &citizen,
            NewSubmission::parse(
                "inzage",
                "inwoner@voorbeeld.example",
                "",
                "",
                "",
                false,
                Vec::new(),
            )
            .unwrap(),
        )
        .await
        .unwrap();
    let view = p.my_citizen_request(&citizen, &id).await.unwrap();
    assert_eq!(view.request.status, RequestStatus::Afgehandeld);
    assert_eq!(view.request.outcome, Some(Outcome::Toegekend));
    let letter = view
        .request
        .letters
        .iter()
        .find(|l| l.subject.contains("Besluit"))
        .expect("the decision letter");
    let html = p
        .citizen_letter_for_citizen(&citizen, &letter.id)
        .await
        .unwrap()
        .body_html;
    assert!(html.contains("Team belastingen"), "the afnemer is named");
    assert!(
        html.contains("Heffing gemeentelijke belastingen"),
        "the doel"
    );
    assert!(html.contains("Verblijfplaats en adres"), "kinds of data");
}
