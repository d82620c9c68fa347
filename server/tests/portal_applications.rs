//! Task applications in the portal, over real HTTP as a browser without JavaScript posts:
//! the secret is shown once on the application's page and never travels in a URL; the
//! CLI's `applicatie` commands go through the same service rules.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use brp_domain::four_eyes::ProposedChange;
use brp_server::config::ApplicatieCommand;
use brp_service::demo::DEMO_PASSWORD;
use brp_service::on_both_databases;
use brp_service::testing::TestDatabase;
use brp_service::ServiceError;
use common::{start, Options};
use reqwest::StatusCode;

on_both_databases!(
    the_secret_is_shown_once_and_never_in_a_url,
    the_cli_registers_rotates_and_lists,
);

fn secret_in(html: &str) -> Option<String> {
    // The element's attributes may come in any order: from the test id to the tag's end.
    let at = html.find("data-testid=\"client-secret\"")?;
    let start = at + html[at..].find('>')? + 1;
    Some(html.get(start..start + 64)?.to_owned())
}

async fn the_secret_is_shown_once_and_never_in_a_url(db: TestDatabase) {
    let server = start(db, Options::default()).await;
    let client = server.client();
    server.login(&client, "beheerder").await;
    let afnemer = server
        .db
        .portal()
        .list_afnemers(
            &server
                .db
                .portal()
                .login("beheerder", DEMO_PASSWORD, "192.0.2.1")
                .await
                .unwrap()
                .actor,
        )
        .await
        .unwrap()[0]
        .id;
    let res = client
        .post(server.url("/api/applicatie_registreren"))
        .header("accept", "text/html")
        .form(&[
            ("client_id", "zaaksysteem"),
            ("naam", "Zaaksysteem"),
            ("afnemer", &afnemer.to_string()),
            ("contact", "functioneel beheer, 14 020"),
        ])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.starts_with("/beheer/applicaties/")
            && location.ends_with("?melding=geregistreerd"),
        "{location}"
    );
    let page = client
        .get(server.url(&location))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    let secret = secret_in(&html).expect("the secret on the page");
    assert!(secret.chars().all(|c| c.is_ascii_hexdigit()), "{secret}");
    assert!(!location.contains(&secret));
    assert!(html.contains("alleen nu zichtbaar"));
    assert!(html.contains("/beheer/voorstellen"));
    // Once: the next visit shows no secret.
    let again = client
        .get(server.url(&location))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!again.contains(&secret));
    assert!(secret_in(&again).is_none());

    // Another session does not get it either (a fresh secret, never shown to it).
    let p = server.db.portal();
    let beheerder2 = p
        .login("beheerder2", DEMO_PASSWORD, "192.0.2.1")
        .await
        .unwrap()
        .actor;
    let app = p
        .list_applications(&beheerder2)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.client_id.as_str() == "zaaksysteem")
        .unwrap();
    assert!(!app.active);
    // The secret shown is the real one: it works once a second beheerder activated it.
    let proposal = p
        .list_change_proposals(&beheerder2, true)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.change == ProposedChange::ActivateApplication { user_id: app.id })
        .unwrap();
    p.decide_change(&beheerder2, proposal.id, true, "")
        .await
        .unwrap();
    p.issue_access_token("zaaksysteem", &secret).await.unwrap();

    // The toezichthouder reads the list but registers nothing; a medewerker sees nothing.
    let toezicht = server.client();
    server.login(&toezicht, "toezichthouder").await;
    let list = toezicht
        .get(server.url("/beheer/applicaties"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(list.status(), StatusCode::OK);
    let list = list.text().await.unwrap();
    assert!(list.contains("zaaksysteem"));
    assert!(!list.contains("Taakapplicatie registreren"));
    let res = toezicht
        .post(server.url("/api/applicatie_registreren"))
        .form(&[
            ("client_id", "stiekem"),
            ("naam", "Stiekem"),
            ("afnemer", &afnemer.to_string()),
            ("contact", "x"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let medewerker = server.client();
    server.login(&medewerker, "medewerker").await;
    let res = medewerker
        .get(server.url("/beheer/applicaties"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

async fn the_cli_registers_rotates_and_lists(db: TestDatabase) {
    let p = db.portal();
    p.seed_demo().await.unwrap();
    let out = brp_server::cli::applicatie(
        &p,
        ApplicatieCommand::Registreer {
            door: "beheerder".into(),
            client_id: "leerplicht".into(),
            naam: "Leerplichtadministratie".into(),
            afnemer: "team werk, inkomen en zorg".into(),
            contact: "leerplicht@voorbeeld.example".into(),
        },
    )
    .await
    .unwrap();
    assert!(out.contains("client_id: leerplicht"), "{out}");
    assert!(out.contains("tweede beheerder"), "{out}");
    let secret = out
        .lines()
        .find_map(|l| l.strip_prefix("client_secret: "))
        .unwrap()
        .to_owned();
    assert_eq!(secret.len(), 64);
    // Not active yet.
    assert!(matches!(
        p.issue_access_token("leerplicht", &secret).await,
        Err(ServiceError::InvalidCredentials)
    ));
    // The list answers only to a beheerder, like the page.
    let lijst = |door: &str| {
        brp_server::cli::applicatie(
            &p,
            ApplicatieCommand::Lijst {
                door: door.to_owned(),
            },
        )
    };
    let refused = lijst("medewerker").await.unwrap_err();
    assert!(
        refused.to_string().contains("Geen actieve beheerder"),
        "{refused}"
    );
    let list = lijst("beheerder").await.unwrap();
    assert!(
        list.contains(
            "leerplicht\tLeerplichtadministratie\tTeam werk, inkomen en zorg\tniet actief"
        ),
        "{list}"
    );

    let rotated = brp_server::cli::applicatie(
        &p,
        ApplicatieCommand::Roteer {
            door: "beheerder2".into(),
            client_id: "leerplicht".into(),
            overlap_minuten: 30,
        },
    )
    .await
    .unwrap();
    assert!(rotated.contains("30 minuten"), "{rotated}");
    assert!(!rotated.contains(&secret));

    // Only an active beheerder is a door; an unknown afnemer is named.
    for (door, afnemer) in [
        ("medewerker", "Team Burgerzaken"),
        ("beheerder", "Bestaat niet"),
    ] {
        let e = brp_server::cli::applicatie(
            &p,
            ApplicatieCommand::Registreer {
                door: door.into(),
                client_id: "nog-een".into(),
                naam: "Nog een".into(),
                afnemer: afnemer.into(),
                contact: "x".into(),
            },
        )
        .await
        .unwrap_err()
        .to_string();
        assert!(e.contains("beheerder") || e.contains("afnemer"), "{e}");
    }
}
