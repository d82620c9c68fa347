//! Task applications for the Haal Centraal API tests: registered, activated and granted
//! through the service with four eyes, as a beheerder and a second beheerder would.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use crate::common::Server;
use brp_domain::four_eyes::ProposedChange;
use brp_service::applications::ApplicationForm;
use brp_service::demo::DEMO_PASSWORD;
use brp_service::{Actor, Portal};
use reqwest::StatusCode;
use serde_json::Value;

pub const PERSONEN: &str = "/haalcentraal/api/brp/personen";
/// Team Burgerzaken's profile: every search type and every field.
pub const BALIE: (&str, &str, &str) = (
    "Team Burgerzaken",
    "Profiel baliemedewerker Burgerzaken",
    "Dienstverlening aan de balie",
);
/// A narrower profile: four search types (not by name and gemeente), no nationaliteiten.
pub const SOZA: (&str, &str, &str) = (
    "Team werk, inkomen en zorg",
    "Profiel raadplegen t.b.v. administraties Soza",
    "Beoordelen aanvraag bijstand",
);

pub async fn staff(portal: &Portal, username: &str) -> Actor {
    portal
        .login(username, DEMO_PASSWORD, "192.0.2.40")
        .await
        .unwrap()
        .actor
}

#[derive(Debug, Clone)]
pub struct App {
    pub id: i64,
    pub client_id: String,
    pub secret: String,
    pub doel: &'static str,
}

/// Registers `client_id` for the afnemer of `profile`, has a second beheerder activate it,
/// and gives it a grant on the profile (proposed by one beheerder, approved by the other).
pub async fn application(
    portal: &Portal,
    client_id: &str,
    (afnemer, profile, doel): (&str, &str, &'static str),
) -> App {
    let b1 = staff(portal, "beheerder").await;
    let b2 = staff(portal, "beheerder2").await;
    let afnemer_id = portal
        .list_afnemers(&b1)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.name.as_str() == afnemer)
        .unwrap()
        .id;
    let (app, secret) = portal
        .register_application(
            &b1,
            ApplicationForm {
                client_id: client_id.into(),
                name: format!("Taakapplicatie {client_id}"),
                afnemer_id,
                contact: "Functioneel beheer, 0123 456789".into(),
            },
        )
        .await
        .unwrap();
    let activation = portal
        .list_change_proposals(&b2, true)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.change == ProposedChange::ActivateApplication { user_id: app.id })
        .unwrap();
    portal
        .decide_change(&b2, activation.id, true, "")
        .await
        .unwrap();
    let profile_id = portal
        .list_profiles(&b1)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.name == profile)
        .unwrap()
        .id;
    let today = brp_service::testing::test_start().date_naive();
    let grant = portal
        .propose_application_grant(
            &b1,
            app.id,
            profile_id,
            &today.to_string(),
            &(today + chrono::Duration::days(365)).to_string(),
        )
        .await
        .unwrap();
    portal.decide_change(&b2, grant, true, "").await.unwrap();
    App {
        id: app.id,
        client_id: secret.client_id,
        secret: secret.secret,
        doel,
    }
}

/// An access token from `/oauth/token` with HTTP Basic.
pub async fn token(server: &Server, app: &App) -> String {
    let res = reqwest::Client::new()
        .post(server.url("/oauth/token"))
        .basic_auth(&app.client_id, Some(&app.secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    body["access_token"].as_str().unwrap().to_owned()
}

/// `POST /personen` with the token, the application's doel and an end user.
pub async fn lookup(server: &Server, token: &str, doel: &str, body: &Value) -> reqwest::Response {
    reqwest::Client::new()
        .post(server.url(PERSONEN))
        .bearer_auth(token)
        .header("x-doelbinding", doel)
        .header("x-gebruiker", "j.jansen")
        .header("x-verwerking", "zaak 2026-0042")
        .json(body)
        .send()
        .await
        .unwrap()
}
