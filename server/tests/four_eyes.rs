//! Four eyes over HTTP, called as an attacker would: straight POSTs to the server functions
//! with a valid beheerder session, on both databases (issue #10, "Separation of duties").
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use brp_domain::four_eyes::ProposalStatus;
use brp_service::demo::DEMO_PASSWORD;
use brp_service::on_both_databases;
use brp_service::testing::{password_link_token, TestDatabase};
use brp_service::{Actor, Portal};
use common::{start, Options, Server};
use reqwest::StatusCode;

const ADDR: &str = "192.0.2.30";

async fn actor(portal: &Portal, username: &str) -> Actor {
    portal
        .login(username, DEMO_PASSWORD, ADDR)
        .await
        .unwrap()
        .actor
}

async fn post(
    server: &Server,
    client: &reqwest::Client,
    path: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    client
        .post(server.url(path))
        .form(form)
        .send()
        .await
        .unwrap()
}

async fn user_id(portal: &Portal, by: &Actor, username: &str) -> Option<i64> {
    portal
        .list_users(by)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.username.as_str() == username)
        .map(|u| u.id)
}

/// One beheerder alone: no beheerder account for a straw man, no approving their own
/// proposal, no taking over another beheerder, nothing against the toezichthouder.
async fn one_beheerder_alone_cannot_escalate_over_http(db: TestDatabase) {
    let server = start(db, Options::default()).await;
    let portal = server.db.portal();
    let me = server.client();
    server.login(&me, "beheerder").await;
    let beheerder = actor(&portal, "beheerder").await;
    let beheerder2_id = user_id(&portal, &beheerder, "beheerder2").await.unwrap();
    let fg_id = user_id(&portal, &beheerder, "toezichthouder")
        .await
        .unwrap();

    // Creating a beheerder with a password of one's own choosing becomes a proposal only.
    let res = post(
        &server,
        &me,
        "/api/gebruiker_aanmaken",
        &[
            ("gebruikersnaam", "stroman"),
            ("naam", "Stro Man"),
            ("email", "stroman@kwaadwillend.example"),
            ("rol", "beheerder"),
            ("afnemer", ""),
            ("wachtwoord", "door-mij-gekozen"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(user_id(&portal, &beheerder, "stroman").await.is_none());
    assert!(portal
        .login("stroman", "door-mij-gekozen", ADDR)
        .await
        .is_err());
    let proposals = portal
        .list_change_proposals(&beheerder, true)
        .await
        .unwrap();
    assert_eq!(proposals.len(), 1);
    let id = proposals[0].id.to_string();

    // Approving one's own proposal: refused, nothing made.
    let res = post(
        &server,
        &me,
        "/api/voorstel_besluit",
        &[("id", &id), ("besluit", "goedkeuren")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(res.text().await.unwrap().contains("Vier ogen"));
    assert!(user_id(&portal, &beheerder, "stroman").await.is_none());

    // Another beheerder's password: refused; their own password still works.
    let b2 = beheerder2_id.to_string();
    let res = post(
        &server,
        &me,
        "/api/wachtwoord_herstellen",
        &[("id", &b2), ("wachtwoord", "overgenomen-account")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(portal
        .login("beheerder2", "overgenomen-account", ADDR)
        .await
        .is_err());
    portal
        .login("beheerder2", DEMO_PASSWORD, ADDR)
        .await
        .unwrap();

    // The toezichthouder: not deactivated, not reset, not demoted by one beheerder.
    let fg = fg_id.to_string();
    for (path, form) in [
        (
            "/api/gebruiker_status",
            vec![("id", fg.as_str()), ("actief", "false")],
        ),
        (
            "/api/wachtwoord_herstellen",
            vec![("id", fg.as_str()), ("wachtwoord", "overgenomen-fg-12")],
        ),
    ] {
        let res = post(&server, &me, path, &form).await;
        assert_eq!(res.status(), StatusCode::CONFLICT, "{path}");
    }
    let res = post(
        &server,
        &me,
        "/api/gebruiker_voorstel",
        &[
            ("id", &fg),
            ("soort", "rol"),
            ("rol", "medewerker"),
            ("afnemer", "1"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let demotion = portal
        .list_change_proposals(&beheerder, true)
        .await
        .unwrap()[0]
        .id
        .to_string();
    let res = post(
        &server,
        &me,
        "/api/voorstel_besluit",
        &[("id", &demotion), ("besluit", "goedkeuren")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let fg_actor = actor(&portal, "toezichthouder").await;
    assert_eq!(fg_actor.role(), brp_domain::Role::Toezichthouder);
    assert!(fg_actor.user().active);

    // The FG was told, in the portal and by e-mail.
    let fg_client = server.client();
    server.login(&fg_client, "toezichthouder").await;
    let res = post(&server, &fg_client, "/api/mijn_accountwijzigingen", &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let mine: Vec<brp_domain::four_eyes::ChangeProposal> = res.json().await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].status, ProposalStatus::Pending);
    assert!(
        password_link_token(&server.db, "toezichthouder@voorbeeld.example")
            .await
            .is_none()
    );
    let told = server
        .db
        .store
        .list_outbox(100)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.to_address == "toezichthouder@voorbeeld.example")
        .count();
    assert_eq!(told, 1);
}

/// The second beheerder's approval, the link, the owner's password, end to end; the outbox
/// view never shows the token, and the token works once.
async fn a_second_beheerder_approves_and_the_link_works_once(db: TestDatabase) {
    let server = start(db, Options::default()).await;
    let portal = server.db.portal();
    let one = server.client();
    server.login(&one, "beheerder").await;
    let two = server.client();
    server.login(&two, "beheerder2").await;

    let res = post(
        &server,
        &one,
        "/api/gebruiker_aanmaken",
        &[
            ("gebruikersnaam", "f.g.nieuw"),
            ("naam", "Fleur Nieuw"),
            ("email", "fleur@voorbeeld.example"),
            ("rol", "toezichthouder"),
            ("afnemer", ""),
            ("wachtwoord", ""),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let beheerder = actor(&portal, "beheerder").await;
    let id = portal
        .list_change_proposals(&beheerder, true)
        .await
        .unwrap()[0]
        .id
        .to_string();
    let res = post(
        &server,
        &two,
        "/api/voorstel_besluit",
        &[("id", &id), ("besluit", "goedkeuren")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    // Approving twice: the proposal is done.
    let res = post(
        &server,
        &two,
        "/api/voorstel_besluit",
        &[("id", &id), ("besluit", "goedkeuren")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);

    let token = password_link_token(&server.db, "fleur@voorbeeld.example")
        .await
        .unwrap();
    // The beheerder's outbox, as JSON and as the page: the mail is there, the token is not.
    let res = post(&server, &one, "/api/uitgaande_post", &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body = res.text().await.unwrap();
    assert!(body.contains("fleur@voorbeeld.example"));
    assert!(body.contains("[verborgen]"));
    assert!(!body.contains(&token));
    let page = one
        .get(server.url("/beheer/uitgaande-post"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains(&token));

    // The account cannot log in before its owner sets the password.
    let res = post(
        &server,
        &server.client(),
        "/api/inloggen",
        &[("gebruikersnaam", "f.g.nieuw"), ("wachtwoord", "")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    // The owner, not logged in, opens the link and sets the password.
    let owner = server.client();
    let res = owner
        .get(server.url(&format!("/wachtwoord-instellen/{token}")))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = post(
        &server,
        &owner,
        "/api/wachtwoord_instellen",
        &[("token", &token), ("wachtwoord", "alleen-ik-weet-dit")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = post(
        &server,
        &owner,
        "/api/inloggen",
        &[
            ("gebruikersnaam", "f.g.nieuw"),
            ("wachtwoord", "alleen-ik-weet-dit"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);

    // Single use: the same link again, from anyone, is refused and changes nothing.
    let res = post(
        &server,
        &server.client(),
        "/api/wachtwoord_instellen",
        &[("token", &token), ("wachtwoord", "overgenomen-door-mij")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(portal
        .login("f.g.nieuw", "overgenomen-door-mij", ADDR)
        .await
        .is_err());
}

async fn an_expired_link_is_refused(db: TestDatabase) {
    let server = start(db, Options::default()).await;
    let portal = server.db.portal();
    let beheerder = actor(&portal, "beheerder").await;
    let beheerder2 = actor(&portal, "beheerder2").await;
    let b2 = user_id(&portal, &beheerder, "beheerder2").await.unwrap();
    let fg = user_id(&portal, &beheerder, "toezichthouder")
        .await
        .unwrap();
    let id = portal
        .propose_change(
            &beheerder2,
            brp_domain::four_eyes::ProposedChange::ResetPassword { user_id: fg },
        )
        .await
        .unwrap();
    assert_ne!(b2, fg);
    portal
        .decide_change(&beheerder, id, true, "")
        .await
        .unwrap();
    let token = password_link_token(&server.db, "toezichthouder@voorbeeld.example")
        .await
        .unwrap();
    server.db.clock.advance(chrono::Duration::hours(
        brp_service::four_eyes::TOKEN_HOURS + 1,
    ));
    let res = post(
        &server,
        &server.client(),
        "/api/wachtwoord_instellen",
        &[("token", &token), ("wachtwoord", "te-laat-gekozen-1")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(portal
        .login("toezichthouder", "te-laat-gekozen-1", ADDR)
        .await
        .is_err());
}

on_both_databases!(
    one_beheerder_alone_cannot_escalate_over_http,
    a_second_beheerder_approves_and_the_link_works_once,
    an_expired_link_is_refused,
);
