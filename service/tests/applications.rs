//! Task applications through the service layer, on both databases: registration with four
//! eyes, client credentials and access tokens, and the Haal Centraal lookup under the same
//! rules and protocol as a medewerker's (issue #11).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use brp_domain::application::ApiContext;
use brp_domain::authorisation::SearchType;
use brp_domain::person::QueryInput;
use brp_domain::protocol::{Channel, ProtocolFilter};
use brp_domain::Role;
use brp_service::applications::{ApiLookup, ApiSettings, ApplicationForm};
use brp_service::demo::DEMO_PASSWORD;
use brp_service::testing::{TestDatabase, TestPerson};
use brp_service::{on_both_databases, Actor, Portal, ServiceError};
use chrono::Duration;

const ADDR: &str = "192.0.2.30";
const ALGEMEEN: &str = "Profiel raadplegen algemeen";
const DOEL: &str = "Controle adres en samenstelling huishouden";

async fn login(portal: &Portal, username: &str) -> Actor {
    portal
        .login(username, DEMO_PASSWORD, ADDR)
        .await
        .unwrap_or_else(|e| panic!("login {username}: {e}"))
        .actor
}

struct Setup {
    portal: Portal,
    beheerder: Actor,
    beheerder2: Actor,
    app_id: i64,
    client_id: String,
    secret: String,
}

async fn afnemer_id(portal: &Portal, by: &Actor, name: &str) -> i64 {
    portal
        .list_afnemers(by)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.name.as_str() == name)
        .unwrap()
        .id
}

async fn profile_id(portal: &Portal, by: &Actor, name: &str) -> i64 {
    portal
        .list_profiles(by)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.name == name)
        .unwrap()
        .id
}

async fn pending_proposal(portal: &Portal, by: &Actor) -> i64 {
    portal
        .list_change_proposals(by, true)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.status == brp_domain::four_eyes::ProposalStatus::Pending)
        .expect("a pending proposal")
        .id
}

/// An application registered by one beheerder, activated and given a grant on the
/// "raadplegen algemeen" profile by a second.
async fn setup_with(db: &TestDatabase, api: ApiSettings) -> Setup {
    let portal = db.portal_with(|c| c.api = api);
    portal.seed_demo().await.unwrap();
    portal
        .store_persons(
            [
                TestPerson::new(0, "Jansen", "1975-07-07"),
                TestPerson::new(1, "Jansen", "1978-03-03"),
            ]
            .iter()
            .map(TestPerson::persoon),
        )
        .await
        .unwrap();
    let beheerder = login(&portal, "beheerder").await;
    let beheerder2 = login(&portal, "beheerder2").await;
    let afnemer = afnemer_id(&portal, &beheerder, "Team werk, inkomen en zorg").await;
    let (app, secret) = portal
        .register_application(
            &beheerder,
            ApplicationForm {
                client_id: "suites-sociaal".into(),
                name: "Suite sociaal domein".into(),
                afnemer_id: afnemer,
                contact: "functioneel beheer, 14 0000".into(),
            },
        )
        .await
        .unwrap();
    assert!(!app.active, "an application starts inactive");
    // Not active yet: the credentials give no token.
    assert!(matches!(
        portal
            .issue_access_token(&secret.client_id, &secret.secret)
            .await,
        Err(ServiceError::InvalidCredentials)
    ));
    let activation = pending_proposal(&portal, &beheerder2).await;
    // Four eyes: the proposer cannot approve the activation.
    assert!(matches!(
        portal.decide_change(&beheerder, activation, true, "").await,
        Err(ServiceError::Conflict(_))
    ));
    portal
        .decide_change(&beheerder2, activation, true, "")
        .await
        .unwrap();
    let profile = profile_id(&portal, &beheerder, ALGEMEEN).await;
    let today = portal.now().date_naive();
    portal
        .propose_application_grant(
            &beheerder,
            app.id,
            profile,
            &today.to_string(),
            &(today + Duration::days(300)).to_string(),
        )
        .await
        .unwrap();
    let grant = pending_proposal(&portal, &beheerder2).await;
    portal
        .decide_change(&beheerder2, grant, true, "")
        .await
        .unwrap();
    Setup {
        portal,
        beheerder,
        beheerder2,
        app_id: app.id,
        client_id: secret.client_id,
        secret: secret.secret,
    }
}

async fn setup(db: &TestDatabase) -> Setup {
    setup_with(db, ApiSettings::default()).await
}

fn context(doel: &str) -> ApiContext {
    ApiContext::parse(Some(doel), Some("m.de.vries"), Some("dossier 2026-17")).unwrap()
}

fn by_name(fields: &[&str]) -> ApiLookup {
    ApiLookup {
        context: context(DOEL),
        search_type: SearchType::ZoekMetGeslachtsnaamEnGeboortedatum,
        input: QueryInput {
            geslachtsnaam: "Jansen".into(),
            geboortedatum: "1975-07-07".into(),
            ..QueryInput::default()
        },
        fields: fields.iter().map(|f| (*f).to_owned()).collect(),
    }
}

async fn app_actor(s: &Setup) -> Actor {
    let token = s
        .portal
        .issue_access_token(&s.client_id, &s.secret)
        .await
        .unwrap();
    assert!(token.expires_in <= 15 * 60);
    s.portal
        .authenticate_application(&token.token)
        .await
        .unwrap()
}

async fn an_application_is_registered_activated_and_granted_with_four_eyes(db: TestDatabase) {
    let s = setup(&db).await;
    let p = &s.portal;
    let apps = p.list_applications(&s.beheerder).await.unwrap();
    assert_eq!(apps.len(), 1);
    assert!(apps[0].active);
    let detail = p.application_detail(&s.beheerder2, s.app_id).await.unwrap();
    assert_eq!(detail.grants.len(), 1);
    assert_eq!(detail.grants[0].grant.profile_name, ALGEMEEN);
    // The grant was confirmed by the second beheerder, who approved it.
    assert_eq!(
        detail.grants[0].grant.last_confirmed_by,
        "Bart van den Beheer"
    );
    // An application is no person: not in the user list, cannot log in, cannot be given a
    // password or another role by the one-step calls.
    assert!(p
        .list_users(&s.beheerder)
        .await
        .unwrap()
        .iter()
        .all(|u| u.role != Role::Applicatie));
    assert!(p.login(&s.client_id, &s.secret, ADDR).await.is_err());
    assert!(matches!(
        p.set_user_active(&s.beheerder, s.app_id, false).await,
        Err(ServiceError::NotFound(_))
    ));
    // Only a beheerder registers; a medewerker cannot.
    let medewerker = login(p, "medewerker").await;
    assert!(matches!(
        p.register_application(&medewerker, ApplicationForm::default())
            .await,
        Err(ServiceError::Forbidden)
    ));
    assert!(matches!(
        p.list_applications(&medewerker).await,
        Err(ServiceError::Forbidden)
    ));
    // A grant on another afnemer's profile is refused when proposed.
    let leerplicht = profile_id(
        p,
        &s.beheerder,
        "Profiel raadplegen t.b.v. leerplichtadministratie",
    )
    .await;
    let today = p.now().date_naive().to_string();
    assert!(matches!(
        p.propose_application_grant(&s.beheerder, s.app_id, leerplicht, &today, &today)
            .await,
        Err(ServiceError::Invalid(_))
    ));
}

async fn credentials_give_short_tokens_and_every_failure_looks_the_same(db: TestDatabase) {
    let s = setup(&db).await;
    let p = &s.portal;
    for (id, secret) in [
        (s.client_id.as_str(), "fout"),
        ("bestaat-niet", s.secret.as_str()),
        ("", ""),
        ("suites-sociaal\u{0}", s.secret.as_str()),
    ] {
        assert!(matches!(
            p.issue_access_token(id, secret).await,
            Err(ServiceError::InvalidCredentials)
        ));
    }
    let token = p.issue_access_token(&s.client_id, &s.secret).await.unwrap();
    assert!(p.authenticate_application(&token.token).await.is_ok());
    for bad in ["", "abc", "a.b.c", &format!("{}x", token.token)] {
        assert!(matches!(
            p.authenticate_application(bad).await,
            Err(ServiceError::Unauthenticated)
        ));
    }
    // Fifteen minutes later the token is dead.
    db.clock.advance(Duration::minutes(15));
    assert!(matches!(
        p.authenticate_application(&token.token).await,
        Err(ServiceError::Unauthenticated)
    ));
}

async fn a_rotated_secret_works_for_the_overlap_then_stops(db: TestDatabase) {
    let s = setup(&db).await;
    let p = &s.portal;
    let old_token = p.issue_access_token(&s.client_id, &s.secret).await.unwrap();
    let new = p
        .rotate_application_secret(&s.beheerder, s.app_id, 10)
        .await
        .unwrap();
    // During the overlap both secrets, and tokens of the old one, work.
    assert!(p.issue_access_token(&s.client_id, &s.secret).await.is_ok());
    assert!(p.authenticate_application(&old_token.token).await.is_ok());
    let new_token = p
        .issue_access_token(&new.client_id, &new.secret)
        .await
        .unwrap();
    db.clock.advance(Duration::minutes(10));
    assert!(matches!(
        p.issue_access_token(&s.client_id, &s.secret).await,
        Err(ServiceError::InvalidCredentials)
    ));
    assert!(matches!(
        p.authenticate_application(&old_token.token).await,
        Err(ServiceError::Unauthenticated)
    ));
    assert!(p.authenticate_application(&new_token.token).await.is_ok());
    // Without overlap the old secret and its tokens stop at once.
    let newest = p
        .rotate_application_secret(&s.beheerder, s.app_id, 0)
        .await
        .unwrap();
    assert!(matches!(
        p.authenticate_application(&new_token.token).await,
        Err(ServiceError::Unauthenticated)
    ));
    assert!(p
        .issue_access_token(&newest.client_id, &newest.secret)
        .await
        .is_ok());
    // A deactivated application's tokens stop with the next call.
    let t = p
        .issue_access_token(&newest.client_id, &newest.secret)
        .await
        .unwrap();
    p.deactivate_application(&s.beheerder, s.app_id)
        .await
        .unwrap();
    assert!(matches!(
        p.authenticate_application(&t.token).await,
        Err(ServiceError::Unauthenticated)
    ));
}

async fn an_api_lookup_is_protocolled_with_the_request_context(db: TestDatabase) {
    let s = setup(&db).await;
    let p = &s.portal;
    let app = app_actor(&s).await;
    let result = p
        .api_lookup(&app, by_name(&["naam.geslachtsnaam", "geboorte.datum"]))
        .await
        .unwrap();
    assert_eq!(result.persons.len(), 1);
    let persoon = &result.persons[0].persoon;
    assert_eq!(persoon["naam"]["geslachtsnaam"], "Jansen");
    assert!(persoon.get("burgerservicenummer").is_none());
    let toezicht = login(p, "toezichthouder").await;
    let records = p
        .protocol_records(
            &toezicht,
            &ProtocolFilter {
                channel: Some(Channel::Api),
                ..ProtocolFilter::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(records.len(), 1);
    let r = &records[0];
    assert_eq!(r.channel, Channel::Api);
    assert_eq!(r.username, "suites-sociaal");
    assert_eq!(r.user_id, s.app_id);
    assert_eq!(r.gebruiker.as_deref(), Some("m.de.vries"));
    assert_eq!(r.verwerking.as_deref(), Some("dossier 2026-17"));
    assert_eq!(r.doel_name, DOEL);
    assert_eq!(r.afnemer.name, "Team werk, inkomen en zorg");
    assert_eq!(
        r.fields,
        vec!["geboorte.datum".to_owned(), "naam.geslachtsnaam".to_owned()]
    );
    // The portal channel filter does not show it.
    let portal_only = p
        .protocol_records(
            &toezicht,
            &ProtocolFilter {
                channel: Some(Channel::Portaal),
                ..ProtocolFilter::default()
            },
        )
        .await
        .unwrap();
    assert!(portal_only.is_empty());
    // The beheerder sees the use.
    let apps = p.list_applications(&s.beheerder).await.unwrap();
    assert_eq!(apps[0].usage.requests, 1);
    assert_eq!(apps[0].usage.persons, 1);
    assert!(apps[0].usage.last_used_at.is_some());
}

async fn requests_outside_the_grant_are_refused_logged_and_provide_nothing(db: TestDatabase) {
    let s = setup(&db).await;
    let p = &s.portal;
    let app = app_actor(&s).await;
    // A field outside the profile (the BSN): refused, naming the field.
    match p
        .api_lookup(
            &app,
            by_name(&["naam.geslachtsnaam", "burgerservicenummer"]),
        )
        .await
    {
        Err(ServiceError::Refused(m)) => assert!(m.contains("burgerservicenummer"), "{m}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    // A search type outside the profile.
    let mut by_gemeente = by_name(&["naam.geslachtsnaam"]);
    by_gemeente.search_type = SearchType::ZoekMetNaamEnGemeenteVanInschrijving;
    by_gemeente.input.voornamen = "Jan".into();
    by_gemeente.input.gemeente_van_inschrijving = "1998".into();
    assert!(matches!(
        p.api_lookup(&app, by_gemeente).await,
        Err(ServiceError::Refused(_))
    ));
    // An unknown doel is a 400 naming the header.
    let mut other_doel = by_name(&["naam.geslachtsnaam"]);
    other_doel.context = context("Heffing en invordering gemeentelijke belastingen");
    match p.api_lookup(&app, other_doel).await {
        Err(ServiceError::Invalid(e)) => assert_eq!(e.field, "x-doelbinding"),
        other => panic!("expected a 400, got {other:?}"),
    }
    // No fields at all is a 400 too.
    match p.api_lookup(&app, by_name(&[])).await {
        Err(ServiceError::Invalid(e)) => assert_eq!(e.field, "fields"),
        other => panic!("expected a 400, got {other:?}"),
    }
    let toezicht = login(p, "toezichthouder").await;
    assert!(p
        .protocol_records(&toezicht, &ProtocolFilter::default())
        .await
        .unwrap()
        .is_empty());
    let log = p.security_log(&toezicht).await.unwrap();
    assert_eq!(
        log.iter()
            .filter(|e| e.username == "suites-sociaal")
            .count(),
        3,
        "{log:?}"
    );
    // A person's session cannot use the API's path, and an application not the portal's.
    let medewerker = login(p, "medewerker").await;
    assert!(matches!(
        p.api_lookup(&medewerker, by_name(&["naam.geslachtsnaam"]))
            .await,
        Err(ServiceError::Forbidden)
    ));
    assert!(matches!(
        p.lookup_grants(&app).await,
        Err(ServiceError::Forbidden)
    ));
}

async fn a_revoked_grant_stops_the_next_call(db: TestDatabase) {
    let s = setup(&db).await;
    let p = &s.portal;
    let app = app_actor(&s).await;
    assert!(p
        .api_lookup(&app, by_name(&["naam.geslachtsnaam"]))
        .await
        .is_ok());
    let detail = p.application_detail(&s.beheerder, s.app_id).await.unwrap();
    p.revoke_grant(
        &s.beheerder,
        detail.grants[0].grant.id,
        "Contract beëindigd",
    )
    .await
    .unwrap();
    assert!(matches!(
        p.api_lookup(&app, by_name(&["naam.geslachtsnaam"])).await,
        Err(ServiceError::Refused(_))
    ));
}

async fn the_rate_limit_answers_with_a_retry_time(db: TestDatabase) {
    let s = setup_with(
        &db,
        ApiSettings {
            requests_per_second: 1.0,
            burst: 2.0,
        },
    )
    .await;
    let p = &s.portal;
    let app = app_actor(&s).await;
    for _ in 0..2 {
        p.api_lookup(&app, by_name(&["naam.geslachtsnaam"]))
            .await
            .unwrap();
    }
    match p.api_lookup(&app, by_name(&["naam.geslachtsnaam"])).await {
        Err(
            e @ ServiceError::RateLimited {
                retry_after_seconds,
            },
        ) => {
            assert!(retry_after_seconds >= 1);
            assert_eq!(e.status(), 429);
        }
        other => panic!("expected 429, got {other:?}"),
    }
    db.clock.advance(Duration::seconds(1));
    assert!(p
        .api_lookup(&app, by_name(&["naam.geslachtsnaam"]))
        .await
        .is_ok());
    let _ = &s.beheerder2;
}

/// A JWT access token of the municipality's identity provider names the application in a
/// claim; it is checked like a DigiD ID token (signature, issuer, audience, times).
async fn a_jwt_of_the_identity_provider_is_accepted_when_it_checks_out(db: TestDatabase) {
    let s = setup(&db).await;
    let provider = brp_oidc::testing::TestProvider::start("http://127.0.0.1/unused").await;
    let idp = brp_service::applications::OidcApplicationIdp::new(
        &provider.issuer,
        "brp-portaal",
        "client_id",
    )
    .unwrap();
    let p = s
        .portal
        .clone()
        .with_application_idp(std::sync::Arc::new(idp));
    let now = p.now().timestamp();
    let claims = |aud: &str, client: &str, exp: i64| {
        let serde_json::Value::Object(map) = serde_json::json!({
            "iss": provider.issuer,
            "aud": aud,
            "sub": client,
            "client_id": client,
            "iat": now,
            "exp": exp,
        }) else {
            unreachable!()
        };
        map
    };
    let good = provider.access_token(&claims("brp-portaal", "suites-sociaal", now + 300));
    let app = p.authenticate_application(&good).await.unwrap();
    assert_eq!(app.id(), s.app_id);
    assert!(p
        .api_lookup(&app, by_name(&["naam.geslachtsnaam"]))
        .await
        .is_ok());
    for bad in [
        provider.access_token(&claims("een-ander", "suites-sociaal", now + 300)),
        provider.access_token(&claims("brp-portaal", "suites-sociaal", now - 120)),
        provider.access_token(&claims("brp-portaal", "onbekend", now + 300)),
        format!("{good}x"),
    ] {
        assert!(matches!(
            p.authenticate_application(&bad).await,
            Err(ServiceError::Unauthenticated)
        ));
    }
    // Without a configured provider a JWT is refused.
    assert!(matches!(
        s.portal.authenticate_application(&good).await,
        Err(ServiceError::Unauthenticated)
    ));
    // A deactivated application is refused whatever its token.
    p.deactivate_application(&s.beheerder, s.app_id)
        .await
        .unwrap();
    assert!(matches!(
        p.authenticate_application(&good).await,
        Err(ServiceError::Unauthenticated)
    ));
}

on_both_databases!(
    a_jwt_of_the_identity_provider_is_accepted_when_it_checks_out,
    an_application_is_registered_activated_and_granted_with_four_eyes,
    credentials_give_short_tokens_and_every_failure_looks_the_same,
    a_rotated_secret_works_for_the_overlap_then_stops,
    an_api_lookup_is_protocolled_with_the_request_context,
    requests_outside_the_grant_are_refused_logged_and_provide_nothing,
    a_revoked_grant_stops_the_next_call,
    the_rate_limit_answers_with_a_retry_time,
);
