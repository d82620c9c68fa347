//! The Haal Centraal API for task applications over real HTTP, on both databases (issue
//! 11): a token from `/oauth/token`, every query type, each error as problem+json, the
//! protocol, rotation and revocation, the rate limit and a failing protocol store.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/api.rs"]
mod api;
mod common;

use api::{application, lookup, staff, token, App, BALIE, PERSONEN, SOZA};
use brp_domain::protocol::{Channel, ProtocolFilter};
use brp_oidc::testing::TestProvider;
use brp_service::applications::{ApiSettings, OidcApplicationIdp};
use brp_service::on_both_databases;
use brp_service::store::DbPool;
use brp_service::testing::{TestDatabase, TestPerson};
use common::{start, start_with, Options, Server};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::sync::Arc;
use tower_sessions_sqlx_store::sqlx;

/// Two people at one address; Jansen's BAG ids are known, so the BAG types find them.
fn people() -> [TestPerson; 2] {
    let mut jan = TestPerson::new(0, "Jansen", "1975-07-07");
    jan.nummeraanduiding = Some(NUMMERAANDUIDING);
    jan.adresseerbaar_object = Some(ADRESSEERBAAR_OBJECT);
    [jan, TestPerson::new(1, "Pietersen", "1980-01-01")]
}

const NUMMERAANDUIDING: &str = "1998200000000123";
const ADRESSEERBAAR_OBJECT: &str = "1998010000000123";

async fn with_people(server: &Server) -> [TestPerson; 2] {
    let people = people();
    server
        .db
        .portal()
        .store_persons(people.iter().map(TestPerson::persoon))
        .await
        .unwrap();
    people
}

/// A problem+json answer with this status and code; returns the body.
async fn problem(res: reqwest::Response, status: u16, code: &str) -> Value {
    assert_eq!(res.status().as_u16(), status);
    assert_eq!(
        res.headers()["content-type"].to_str().unwrap(),
        "application/problem+json"
    );
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], status, "{body}");
    assert_eq!(body["code"], code, "{body}");
    // An absolute URI, as the spec's Foutbericht has `format: uri`.
    let instance = body["instance"].as_str().unwrap();
    assert!(
        instance.starts_with("http://127.0.0.1:") && instance.ends_with(PERSONEN),
        "{body}"
    );
    assert!(body["type"].as_str().unwrap().starts_with("https://"));
    assert!(!body["title"].as_str().unwrap().is_empty());
    body
}

fn invalid_names(body: &Value) -> Vec<(String, String)> {
    body["invalidParams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_owned(),
                p["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Every query type over HTTP with `token`, each answered 200 as the spec says; then one
/// protocol record per person provided, with every element of the request.
async fn every_query_type_answers(
    server: &Server,
    token: &str,
    app: &App,
    [jan, piet]: &[TestPerson; 2],
) {
    let portal = server.db.portal();
    let bsn = jan.bsn.to_string();
    let cases = [
        (
            json!({"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": [bsn],
            "fields": ["burgerservicenummer", "naam", "geboorte"]}),
            1,
        ),
        (
            json!({"type": "ZoekMetGeslachtsnaamEnGeboortedatum", "geslachtsnaam": "jansen",
            "geboortedatum": "1975-07-07", "fields": ["burgerservicenummer", "naam"]}),
            1,
        ),
        (
            json!({"type": "ZoekMetNaamEnGemeenteVanInschrijving", "geslachtsnaam": "Jansen",
            "voornamen": "Jan", "gemeenteVanInschrijving": "1998", "fields": ["naam"]}),
            1,
        ),
        (
            json!({"type": "ZoekMetPostcodeEnHuisnummer", "postcode": "1991 AB", "huisnummer": 12,
            "fields": ["burgerservicenummer", "naam.geslachtsnaam"]}),
            2,
        ),
        (
            json!({"type": "ZoekMetStraatHuisnummerEnGemeenteVanInschrijving", "straat": "Dorpsstraat",
            "huisnummer": 12, "gemeenteVanInschrijving": "1998", "fields": ["burgerservicenummer"]}),
            2,
        ),
        (
            json!({"type": "ZoekMetNummeraanduidingIdentificatie",
            "nummeraanduidingIdentificatie": NUMMERAANDUIDING, "fields": ["burgerservicenummer"]}),
            1,
        ),
        (
            json!({"type": "ZoekMetAdresseerbaarObjectIdentificatie",
            "adresseerbaarObjectIdentificatie": ADRESSEERBAAR_OBJECT, "fields": ["naam.geslachtsnaam"]}),
            1,
        ),
    ];
    let mut answers = Vec::new();
    for (body, found) in &cases {
        let res = lookup(server, token, app.doel, body).await;
        assert_eq!(res.status(), StatusCode::OK, "{body}");
        assert_eq!(
            res.headers()["content-type"],
            "application/json; charset=utf-8"
        );
        assert_eq!(res.headers()["cache-control"], "no-store");
        let answer: Value = res.json().await.unwrap();
        assert_eq!(answer["type"], body["type"]);
        let personen = answer["personen"].as_array().unwrap();
        assert_eq!(personen.len(), *found, "{answer}");
        assert!(
            personen.iter().all(|p| p.get("geslacht").is_none()),
            "{answer}"
        );
        answers.push(answer);
    }
    assert_eq!(answers[0]["personen"][0]["burgerservicenummer"], bsn);
    assert_eq!(answers[0]["personen"][0]["naam"]["geslachtsnaam"], "Jansen");
    // The BAG types find Jansen, not Pietersen at the same postcode.
    assert_eq!(answers[5]["personen"][0]["burgerservicenummer"], bsn);
    assert_eq!(answers[6]["personen"][0]["naam"]["geslachtsnaam"], "Jansen");

    // The protocol: one record per person provided, with every element of the request.
    let fg = staff(&portal, "toezichthouder").await;
    let filter = ProtocolFilter::parse("", &app.id.to_string(), "", "api", "", "").unwrap();
    let records = portal.protocol_records(&fg, &filter).await.unwrap();
    assert_eq!(records.len(), 1 + 1 + 1 + 2 + 2 + 1 + 1);
    for r in &records {
        assert_eq!(r.channel, Channel::Api);
        assert_eq!(r.username, app.client_id);
        assert_eq!(r.gebruiker.as_deref(), Some("j.jansen"));
        assert_eq!(r.verwerking.as_deref(), Some("zaak 2026-0042"));
        assert_eq!(r.doel_name, app.doel);
        assert!(!r.fields.is_empty());
    }
    let piet_records: Vec<_> = records.iter().filter(|r| r.bsn == piet.bsn).collect();
    assert_eq!(piet_records.len(), 2);
    let by_bsn = records
        .iter()
        .find(|r| r.search_type.code() == "RaadpleegMetBurgerservicenummer")
        .unwrap();
    assert!(
        by_bsn.fields.iter().any(|f| f == "naam.geslachtsnaam"),
        "{:?}",
        by_bsn.fields
    );
    assert!(
        by_bsn.fields.iter().any(|f| f.starts_with("geboorte.")),
        "{:?}",
        by_bsn.fields
    );
}

async fn every_query_type_with_a_token_from_oauth(db: TestDatabase) {
    let server = start(db, Options::default()).await;
    let people = with_people(&server).await;
    let app = application(&server.db.portal(), "belastingen", BALIE).await;
    let t = token(&server, &app).await;
    every_query_type_answers(&server, &t, &app, &people).await;

    // The spec as implemented, from the repository.
    let res = reqwest::get(server.url("/haalcentraal/api/brp/openapi.yaml"))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let spec = res.text().await.unwrap();
    assert!(spec.contains("url: /haalcentraal/api/brp"));
    assert!(spec.contains("tokenUrl: /oauth/token"));
    assert!(spec.contains("name: x-doelbinding"));
}

/// The municipality's identity provider issues the application a JWT access token (here an
/// in-process provider over real HTTP, its JWKS fetched by the portal); every query type
/// answers to it as to our own tokens, and a JWT for another audience is a 401.
async fn every_query_type_with_a_jwt_of_the_identity_provider(db: TestDatabase) {
    let provider = TestProvider::start("http://127.0.0.1/unused").await;
    let idp = OidcApplicationIdp::new(&provider.issuer, "brp-portaal", "client_id").unwrap();
    let portal = db.portal().with_application_idp(Arc::new(idp));
    let server = start_with(db, Options::default(), portal.clone()).await;
    let people = with_people(&server).await;
    let app = application(&portal, "sociaal-domein", BALIE).await;
    let now = portal.now().timestamp();
    let jwt = |audience: &str| {
        let Value::Object(claims) = json!({
            "iss": provider.issuer,
            "aud": audience,
            "sub": app.client_id,
            "client_id": app.client_id,
            "iat": now,
            "exp": now + 300,
        }) else {
            unreachable!()
        };
        provider.access_token(&claims)
    };
    every_query_type_answers(&server, &jwt("brp-portaal"), &app, &people).await;

    let body = json!({"type": "RaadpleegMetBurgerservicenummer",
        "burgerservicenummer": [people[0].bsn.to_string()], "fields": ["naam"]});
    problem(
        lookup(&server, &jwt("een-andere-api"), app.doel, &body).await,
        401,
        "authentication",
    )
    .await;
}

async fn the_token_endpoint_speaks_rfc_6749(db: TestDatabase) {
    let server = start(db, Options::default()).await;
    let app = application(&server.db.portal(), "leerplicht-app", BALIE).await;
    let c = reqwest::Client::new();
    let url = server.url("/oauth/token");
    // client_secret_post works too, without Origin (no CSRF check on this endpoint).
    let res = c
        .post(&url)
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", &app.client_id),
            ("client_secret", &app.secret),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    assert_eq!(body["access_token"].as_str().unwrap().len(), 64);

    let res = c
        .post(&url)
        .basic_auth(&app.client_id, Some("fout-geheim"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(res.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .starts_with("Basic"));
    assert_eq!(
        res.json::<Value>().await.unwrap()["error"],
        "invalid_client"
    );
    for (form, error) in [
        (vec![("grant_type", "password")], "unsupported_grant_type"),
        (vec![], "invalid_request"),
    ] {
        let res = c
            .post(&url)
            .basic_auth(&app.client_id, Some(&app.secret))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        assert_eq!(res.json::<Value>().await.unwrap()["error"], error);
    }
    let res = c
        .post(&url)
        .body("{}")
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

async fn each_error_is_problem_json(db: TestDatabase) {
    let server = start(db, Options::default()).await;
    let [jan, _] = with_people(&server).await;
    let portal = server.db.portal();
    let app = application(&portal, "sociaal-domein", SOZA).await;
    let t = token(&server, &app).await;
    let bsn = jan.bsn.to_string();
    let ok = json!({"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": [bsn], "fields": ["naam"]});
    let c = reqwest::Client::new();
    let post = |token: &str| {
        c.post(server.url(PERSONEN))
            .bearer_auth(token)
            .header("x-doelbinding", app.doel)
            .header("x-gebruiker", "j.jansen")
    };

    // 401: no token, a wrong one.
    let res = c.post(server.url(PERSONEN)).json(&ok).send().await.unwrap();
    assert_eq!(res.headers()["www-authenticate"], "Bearer");
    problem(res, 401, "authentication").await;
    problem(
        post("0123abcd").json(&ok).send().await.unwrap(),
        401,
        "authentication",
    )
    .await;

    // 400: headers missing or unknown, named.
    let res = c
        .post(server.url(PERSONEN))
        .bearer_auth(&t)
        .header("x-gebruiker", "j")
        .json(&ok)
        .send()
        .await
        .unwrap();
    let body = problem(res, 400, "paramsValidation").await;
    assert_eq!(
        invalid_names(&body),
        vec![("x_doelbinding".into(), "required".into())]
    );
    assert!(
        body["detail"].as_str().unwrap().contains("x-doelbinding"),
        "{body}"
    );
    let res = lookup(&server, &t, "Onbekend doel", &ok).await;
    let body = problem(res, 400, "paramsValidation").await;
    assert_eq!(
        invalid_names(&body),
        vec![("x_doelbinding".into(), "value".into())]
    );

    // 403: a field or a search type outside the grant, named and in the security log.
    let res = lookup(
        &server,
        &t,
        app.doel,
        &json!({"type": "RaadpleegMetBurgerservicenummer",
        "burgerservicenummer": [bsn], "fields": ["naam", "nationaliteiten"]}),
    )
    .await;
    let body = problem(res, 403, "autorisation").await;
    assert!(
        body["detail"].as_str().unwrap().contains("nationaliteiten"),
        "{body}"
    );
    let res = lookup(&server, &t, app.doel, &json!({"type": "ZoekMetNaamEnGemeenteVanInschrijving",
        "geslachtsnaam": "Jansen", "voornamen": "Jan", "gemeenteVanInschrijving": "1998", "fields": ["naam"]})).await;
    problem(res, 403, "autorisation").await;
    let fg = staff(&portal, "toezichthouder").await;
    let log = portal.security_log(&fg).await.unwrap();
    assert!(
        log.iter()
            .any(|e| e.username == app.client_id && e.detail.contains("nationaliteiten")),
        "{log:?}"
    );
    assert!(
        log.iter().any(|e| e.username == app.client_id
            && e.detail.contains("ZoekMetNaamEnGemeenteVanInschrijving")),
        "{log:?}"
    );

    // 400 for what cannot be read, 406, 415, 413: never a 500.
    let raw = |body: Vec<u8>, ct: &'static str| post(&t).header("content-type", ct).body(body);
    problem(
        raw(b"{\"type\": ".to_vec(), "application/json")
            .send()
            .await
            .unwrap(),
        400,
        "paramsValidation",
    )
    .await;
    problem(
        raw(
            b"{\"type\": \"Raadpleeg\x00\"}".to_vec(),
            "application/json",
        )
        .send()
        .await
        .unwrap(),
        400,
        "paramsValidation",
    )
    .await;
    let nested = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    problem(
        raw(nested.into_bytes(), "application/json")
            .send()
            .await
            .unwrap(),
        400,
        "paramsValidation",
    )
    .await;
    let escaped_nul = json!({"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": ["99999\u{0}321"], "fields": ["naam\u{0}"]});
    let body = problem(
        post(&t).json(&escaped_nul).send().await.unwrap(),
        400,
        "paramsValidation",
    )
    .await;
    assert_eq!(invalid_names(&body).len(), 2, "{body}");
    problem(
        raw(ok.to_string().into_bytes(), "text/csv")
            .send()
            .await
            .unwrap(),
        415,
        "unsupportedMediaType",
    )
    .await;
    problem(
        raw(
            ok.to_string().into_bytes(),
            "application/json; charset=cp1252",
        )
        .send()
        .await
        .unwrap(),
        415,
        "unsupportedMediaType",
    )
    .await;
    problem(
        post(&t)
            .header("accept", "application/xml")
            .json(&ok)
            .send()
            .await
            .unwrap(),
        406,
        "notAcceptable",
    )
    .await;
    let big = json!({"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": [bsn], "fields": ["naam"], "x": "a".repeat(70_000)});
    problem(post(&t).json(&big).send().await.unwrap(), 413, "tooLarge").await;

    // The official API's codes for a wrong body.
    let res = post(&t)
        .json(&json!({"type": "OnbekendZoekType", "fields": ["naam"]}))
        .send()
        .await
        .unwrap();
    let body = problem(res, 400, "paramsValidation").await;
    assert_eq!(invalid_names(&body), vec![("type".into(), "value".into())]);
    assert_eq!(
        body["title"],
        "Een of meerdere parameters zijn niet correct."
    );
    let res = post(&t)
        .json(&json!({"postcode": "1991AB"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        invalid_names(&problem(res, 400, "paramsValidation").await),
        vec![("type".into(), "required".into())]
    );
    let res = post(&t)
        .json(
            &json!({"type": "ZoekMetPostcodeEnHuisnummer", "postcode": "0991AB",
        "huisnummer": "12", "fields": ["naam"], "straat": "Dorpsstraat"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        invalid_names(&problem(res, 400, "paramsValidation").await),
        vec![
            ("straat".into(), "unknownParam".into()),
            ("postcode".into(), "pattern".into()),
            ("huisnummer".into(), "integer".into())
        ]
    );
    let res = post(&t)
        .json(&json!({"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": [bsn]}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        invalid_names(&problem(res, 400, "paramsValidation").await),
        vec![("fields".into(), "required".into())]
    );
    let res = post(&t)
        .json(&json!({"type": "ZoekMetNummeraanduidingIdentificatie",
        "nummeraanduidingIdentificatie": "1998200000000001", "fields": ["naam"]}))
        .send()
        .await
        .unwrap();
    // The BAG types are served, under the grant: the Soza profile does not allow this
    // search type (403); an id of the wrong form is a 400 naming the parameter.
    problem(res, 403, "autorisation").await;
    let res = post(&t)
        .json(&json!({"type": "ZoekMetNummeraanduidingIdentificatie",
        "nummeraanduidingIdentificatie": "0000000000000000", "fields": ["naam"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        invalid_names(&problem(res, 400, "paramsValidation").await),
        vec![("nummeraanduidingIdentificatie".into(), "pattern".into())]
    );
    // A field the catalogue does not know: the service's validation, as a 400.
    let res = lookup(
        &server,
        &t,
        app.doel,
        &json!({"type": "RaadpleegMetBurgerservicenummer",
        "burgerservicenummer": [bsn], "fields": ["bestaatniet"]}),
    )
    .await;
    problem(res, 400, "paramsValidation").await;

    // Only the allowed call provided anything.
    let fg_filter = ProtocolFilter::parse("", &app.id.to_string(), "", "", "", "").unwrap();
    assert!(portal
        .protocol_records(&fg, &fg_filter)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        lookup(&server, &t, app.doel, &ok).await.status(),
        StatusCode::OK
    );

    // An expired token: 401.
    server.db.clock.advance(chrono::Duration::minutes(16));
    problem(
        lookup(&server, &t, app.doel, &ok).await,
        401,
        "authentication",
    )
    .await;
}

async fn rotation_and_revocation_stop_the_next_call(db: TestDatabase) {
    let server = start(db, Options::default()).await;
    let [jan, _] = with_people(&server).await;
    let portal = server.db.portal();
    let mut app = application(&portal, "zaaksysteem", SOZA).await;
    let ok = json!({"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": [jan.bsn.to_string()], "fields": ["naam"]});
    let old = token(&server, &app).await;
    assert_eq!(
        lookup(&server, &old, app.doel, &ok).await.status(),
        StatusCode::OK
    );
    let b1 = staff(&portal, "beheerder").await;
    let new = portal
        .rotate_application_secret(&b1, app.id, 0)
        .await
        .unwrap();
    problem(
        lookup(&server, &old, app.doel, &ok).await,
        401,
        "authentication",
    )
    .await;
    let res = reqwest::Client::new()
        .post(server.url("/oauth/token"))
        .basic_auth(&app.client_id, Some(&app.secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    app.secret = new.secret;
    let t = token(&server, &app).await;
    assert_eq!(
        lookup(&server, &t, app.doel, &ok).await.status(),
        StatusCode::OK
    );

    let grant = portal.application_detail(&b1, app.id).await.unwrap().grants[0]
        .grant
        .id;
    portal
        .revoke_grant(&b1, grant, "Koppeling beëindigd")
        .await
        .unwrap();
    problem(
        lookup(&server, &t, app.doel, &ok).await,
        403,
        "autorisation",
    )
    .await;
}

async fn the_rate_limit_answers_429_with_retry_after(db: TestDatabase) {
    let portal = db.portal_with(|c| {
        c.api = ApiSettings {
            requests_per_second: 0.01,
            burst: 2.0,
        }
    });
    let server = start_with(db, Options::default(), portal).await;
    let [jan, _] = with_people(&server).await;
    let app = application(&server.db.portal(), "leerplicht", SOZA).await;
    let t = token(&server, &app).await;
    let ok = json!({"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": [jan.bsn.to_string()], "fields": ["naam"]});
    assert_eq!(
        lookup(&server, &t, app.doel, &ok).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        lookup(&server, &t, app.doel, &ok).await.status(),
        StatusCode::OK
    );
    let res = lookup(&server, &t, app.doel, &ok).await;
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry >= 1, "{retry}");
    problem(res, 429, "tooManyRequests").await;
}

async fn with_the_protocol_failing_no_data_leaves(db: TestDatabase) {
    let server = start(db, Options::default()).await;
    let [jan, _] = with_people(&server).await;
    let app = application(&server.db.portal(), "belastingen", BALIE).await;
    let t = token(&server, &app).await;
    match &server.db.pool {
        DbPool::Sqlite(pool) => {
            sqlx::query("CREATE TRIGGER protocol_down BEFORE INSERT ON verstrekkingen BEGIN SELECT RAISE(ABORT, 'disk full'); END")
                .execute(pool).await.unwrap();
        }
        DbPool::Postgres(pool) => {
            sqlx::query("CREATE FUNCTION protocol_down() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'disk full'; END; $$ LANGUAGE plpgsql")
                .execute(pool).await.unwrap();
            sqlx::query("CREATE TRIGGER protocol_down BEFORE INSERT ON verstrekkingen FOR EACH ROW EXECUTE FUNCTION protocol_down()")
                .execute(pool).await.unwrap();
        }
    }
    let res = lookup(
        &server,
        &t,
        app.doel,
        &json!({"type": "RaadpleegMetBurgerservicenummer",
        "burgerservicenummer": [jan.bsn.to_string()], "fields": ["naam", "burgerservicenummer"]}),
    )
    .await;
    let text = {
        assert_eq!(res.status().as_u16(), 503);
        res.text().await.unwrap()
    };
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body["code"], "notAvailable");
    assert!(
        !text.contains("Jansen") && !text.contains(&jan.bsn.to_string()),
        "{text}"
    );
}

on_both_databases!(
    every_query_type_with_a_token_from_oauth,
    every_query_type_with_a_jwt_of_the_identity_provider,
    the_token_endpoint_speaks_rfc_6749,
    each_error_is_problem_json,
    rotation_and_revocation_stop_the_next_call,
    the_rate_limit_answers_429_with_retry_after,
    with_the_protocol_failing_no_data_leaves,
);
