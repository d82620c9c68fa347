//! Burgerverzoeken over real HTTP, on both databases, called as an attacker would: every
//! citizen endpoint with another citizen's ids, citizen sessions against staff endpoints,
//! uploads that lie about their type or are too large, and the DigiD login through an
//! in-process OpenID provider.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use brp_oidc::testing::{Misbehaviour, TestProvider};
use brp_service::on_both_databases;
use brp_service::testing::{TestDatabase, TestPerson};
use common::{start_built, Options, Server};
use reqwest::header::{HeaderMap, HeaderValue, ORIGIN};
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use serde_json::Value;
use std::sync::Arc;

const PNG: &[u8] = &[
    0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 7, 7,
];

fn people() -> (TestPerson, TestPerson) {
    let jan = TestPerson::new(0, "Jansen", "1975-07-07");
    let mut piet = TestPerson::new(1, "Pietersen", "1980-03-04");
    piet.huisnummer = 14;
    (jan, piet)
}

async fn server(db: TestDatabase) -> (Server, TestPerson, TestPerson) {
    let (jan, piet) = people();
    let server = start_built(db, Options::default(), |db, _| {
        db.portal_with(|c| c.citizens.simulation = true)
    })
    .await;
    let portal = server.db.portal();
    portal
        .store_persons([jan.persoon(), piet.persoon()])
        .await
        .unwrap();
    (server, jan, piet)
}

/// A client logged in as a citizen through the DigiD-simulatie.
async fn citizen(server: &Server, bsn: &str) -> reqwest::Client {
    let client = server.client();
    let res = client
        .post(server.url("/api/inwoner/simulatie"))
        .form(&[("burgerservicenummer", bsn), ("niveau", "midden")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "simulated login");
    assert_eq!(res.headers()["location"], "/inwoner");
    client
}

async fn staff(server: &Server, user: &str) -> reqwest::Client {
    let client = server.client();
    server.login(&client, user).await;
    client
}

async fn call(
    client: &reqwest::Client,
    server: &Server,
    path: &str,
    form: &[(&str, &str)],
) -> (StatusCode, String) {
    let res = client
        .post(server.url(path))
        .form(form)
        .send()
        .await
        .unwrap();
    (res.status(), res.text().await.unwrap())
}

async fn get(client: &reqwest::Client, server: &Server, path: &str) -> reqwest::Response {
    client.get(server.url(path)).send().await.unwrap()
}

fn correction_form(file: Option<(&str, Vec<u8>)>) -> Form {
    let mut form = Form::new()
        .text("gegeven", "naam.geslachtsnaam")
        .text("waarde", "Janssen")
        .text("toelichting", "Zie de geboorteakte.")
        .text("email", "jan@voorbeeld.example");
    if let Some((name, bytes)) = file {
        form = form.part("bijlagen", Part::bytes(bytes).file_name(name.to_owned()));
    }
    form
}

async fn my_requests(client: &reqwest::Client, server: &Server) -> Vec<Value> {
    let (status, body) = call(client, server, "/api/inwoner/verzoeken", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_str(&body).unwrap()
}

async fn another_citizens_request_is_not_found_through_any_endpoint(db: TestDatabase) {
    let (server, jan_p, piet_p) = server(db).await;
    let jan = citizen(&server, &jan_p.bsn.to_string()).await;
    let piet = citizen(&server, &piet_p.bsn.to_string()).await;

    let res = jan
        .post(server.url("/api/inwoner/correctie_indienen"))
        .multipart(correction_form(Some(("akte.png", PNG.to_vec()))))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    let id = my_requests(&jan, &server).await[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let beheerder = staff(&server, "beheerder").await;
    let (status, body) = call(
        &beheerder,
        &server,
        "/api/burgerzaken/stap",
        &[("id", &id), ("stap", "vragen"), ("vraag", "Stuur de akte.")],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, body) = call(&jan, &server, "/api/inwoner/verzoek", &[("id", &id)]).await;
    let view: Value = serde_json::from_str(&body).unwrap();
    let reference = view["request"]["reference"].as_str().unwrap().to_owned();
    let attachment = view["request"]["attachments"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let letter = view["request"]["letters"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Piet, with Jan's ids, through every endpoint: "not found", nothing changes.
    let (status, body) = call(&piet, &server, "/api/inwoner/verzoek", &[("id", &id)]).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert!(!body.contains(&reference));
    let res = piet
        .post(server.url("/api/inwoner/informatie_geven"))
        .multipart(
            Form::new()
                .text("id", id.clone())
                .text("informatie", "Van Piet"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let (status, _) = call(
        &piet,
        &server,
        "/api/inwoner/ontvangers_informeren",
        &[("id", &id)],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = call(&piet, &server, "/api/inwoner/brief", &[("id", &letter)]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!body.contains("Jansen"));
    let res = get(&piet, &server, &format!("/inwoner/bijlagen/{attachment}")).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_ne!(res.bytes().await.unwrap().as_ref(), PNG);
    let res = get(
        &piet,
        &server,
        &format!("/inwoner/brieven/{letter}/download"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let page = get(&piet, &server, &format!("/inwoner/verzoeken/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !page.contains(&reference),
        "the page shows nothing of Jan's"
    );
    assert!(page.contains("niet gevonden"));
    assert!(my_requests(&piet, &server).await.is_empty());
    let (_, body) = call(&jan, &server, "/api/inwoner/verzoek", &[("id", &id)]).await;
    let view: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(view["request"]["status"], "WachtOpInformatie");
    assert_eq!(view["request"]["events"].as_array().unwrap().len(), 2);
    assert_eq!(view["request"]["inform_recipients"], false);

    // Jan gets his own attachment, as a download that cannot run as a page.
    let res = get(&jan, &server, &format!("/inwoner/bijlagen/{attachment}")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/png");
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    assert!(res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("sandbox"));
    assert_eq!(res.bytes().await.unwrap().as_ref(), PNG);
    let res = get(
        &jan,
        &server,
        &format!("/inwoner/brieven/{letter}/download"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains(&reference));

    // A citizen session carries no staff rights.
    for (path, form) in [
        ("/api/burgerzaken/verzoeken", vec![("alle", "true")]),
        ("/api/burgerzaken/verzoek", vec![("id", id.as_str())]),
        (
            "/api/burgerzaken/stap",
            vec![("id", id.as_str()), ("stap", "oppakken")],
        ),
        ("/api/gebruikers", vec![]),
        ("/api/raadplegen/autorisaties", vec![]),
    ] {
        let (status, _) = call(&jan, &server, path, &form).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}");
    }
    let res = get(
        &jan,
        &server,
        &format!("/beheer/burgerverzoeken/bijlagen/{attachment}"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    // And a staff session is no citizen.
    let (status, _) = call(&beheerder, &server, "/api/inwoner/verzoeken", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // The medewerker sees no citizen requests; the toezichthouder reads but changes
    // nothing and gets no attachment.
    let medewerker = staff(&server, "medewerker").await;
    let (status, _) = call(
        &medewerker,
        &server,
        "/api/burgerzaken/verzoeken",
        &[("alle", "true")],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(
        &medewerker,
        &server,
        "/api/burgerzaken/stap",
        &[("id", &id), ("stap", "oppakken")],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let toezicht = staff(&server, "toezichthouder").await;
    let (status, body) = call(
        &toezicht,
        &server,
        "/api/burgerzaken/verzoek",
        &[("id", &id)],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    for stap in [
        vec![("id", id.as_str()), ("stap", "oppakken")],
        vec![
            ("id", id.as_str()),
            ("stap", "besluiten"),
            ("besluit", "afgewezen"),
            ("motivering", "x"),
        ],
    ] {
        let (status, _) = call(&toezicht, &server, "/api/burgerzaken/stap", &stap).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let res = get(
        &toezicht,
        &server,
        &format!("/beheer/burgerverzoeken/bijlagen/{attachment}"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = get(
        &beheerder,
        &server,
        &format!("/beheer/burgerverzoeken/bijlagen/{attachment}"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    // A crafted id is "not found" everywhere, and never reaches a redirect or a header.
    let crafted = format!("{id}\r\nLocation: https://example.org/");
    for (client, path) in [
        (&beheerder, "/api/burgerzaken/stap"),
        (&jan, "/api/inwoner/ontvangers_informeren"),
        (&jan, "/api/inwoner/verzoek"),
    ] {
        let (status, _) = call(
            client,
            &server,
            path,
            &[("id", &crafted), ("stap", "oppakken")],
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }

    // Nobody logged in: nothing.
    let anonymous = server.client();
    let (status, _) = call(&anonymous, &server, "/api/inwoner/verzoeken", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let res = get(
        &anonymous,
        &server,
        &format!("/inwoner/bijlagen/{attachment}"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

async fn uploads_are_checked_by_content_and_size(db: TestDatabase) {
    let (server, jan_p, _) = server(db).await;
    let jan = citizen(&server, &jan_p.bsn.to_string()).await;
    let upload = |form: Form| {
        jan.post(server.url("/api/inwoner/correctie_indienen"))
            .multipart(form)
            .send()
    };
    // A script named .pdf.
    let res = upload(correction_form(Some((
        "akte.pdf",
        b"<script>x</script>".to_vec(),
    ))))
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("geen PDF, JPEG of PNG"));
    // Over 10 MB: refused while reading, with a Dutch message.
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(10 * 1024 * 1024 + 1, b' ');
    let res = upload(correction_form(Some(("groot.pdf", big))))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("groter dan 10 MB"));
    // Four files.
    let mut form = correction_form(None);
    for i in 0..4 {
        form = form.part(
            "bijlagen",
            Part::bytes(PNG.to_vec()).file_name(format!("{i}.png")),
        );
    }
    let res = upload(form).await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("hoogstens 3"));
    // A body larger than any upload is cut off.
    let mut form = correction_form(None);
    for i in 0..4 {
        let mut pdf = b"%PDF-1.7\n".to_vec();
        pdf.resize(9 * 1024 * 1024, b' ');
        form = form.part("bijlagen", Part::bytes(pdf).file_name(format!("{i}.pdf")));
    }
    // The server answers 413 (or the form error) and may close the connection before the
    // client has sent everything: either way nothing is stored.
    match upload(form).await {
        Ok(res) => assert!(
            res.status() == StatusCode::PAYLOAD_TOO_LARGE
                || res.status() == StatusCode::BAD_REQUEST,
            "{}",
            res.status()
        ),
        Err(e) => assert!(e.is_request(), "{e}"),
    }
    // None of these made a request.
    assert!(my_requests(&jan, &server).await.is_empty());

    // A plain form post (no JavaScript) goes back to its page with the error for the form.
    let mut headers = HeaderMap::new();
    headers.insert("accept", HeaderValue::from_static("text/html"));
    headers.insert(
        "referer",
        HeaderValue::from_str(&server.url("/inwoner/verzoeken/nieuw?soort=correctie")).unwrap(),
    );
    let res = jan
        .post(server.url("/api/inwoner/correctie_indienen"))
        .headers(headers)
        .multipart(correction_form(Some(("akte.pdf", b"GIF89a".to_vec()))))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.contains("soort=correctie") && location.contains("__err="),
        "{location}"
    );
    let page = jan
        .get(&location)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("geen PDF, JPEG of PNG"),
        "the form shows the error"
    );
    // A good one goes through.
    let res = upload(correction_form(Some(("akte.png", PNG.to_vec()))))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(my_requests(&jan, &server).await.len(), 1);
}

async fn the_digid_simulation_exists_in_demo_mode_only(db: TestDatabase) {
    let (jan, _) = people();
    let server = start_built(db, Options::default(), |db, _| db.portal()).await;
    server
        .db
        .portal()
        .store_persons([jan.persoon()])
        .await
        .unwrap();
    let client = server.client();
    let (status, _) = call(
        &client,
        &server,
        "/api/inwoner/simulatie",
        &[
            ("burgerservicenummer", &jan.bsn.to_string()),
            ("niveau", "hoog"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(&client, &server, "/api/inwoner/verzoeken", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

async fn a_citizen_login_ends_a_staff_session_and_the_other_way_round(db: TestDatabase) {
    let (server, jan_p, _) = server(db).await;
    let client = staff(&server, "beheerder").await;
    let (status, _) = call(&client, &server, "/api/gebruikers", &[]).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = call(
        &client,
        &server,
        "/api/inwoner/simulatie",
        &[
            ("burgerservicenummer", &jan_p.bsn.to_string()),
            ("niveau", "midden"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = call(&client, &server, "/api/gebruikers", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the staff login is gone");
    let (status, _) = call(&client, &server, "/api/inwoner/verzoeken", &[]).await;
    assert_eq!(status, StatusCode::OK);
    server.login(&client, "beheerder").await;
    let (status, _) = call(&client, &server, "/api/inwoner/verzoeken", &[]).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "the citizen login is gone"
    );
}

/// A server with DigiD through `provider`.
async fn digid_server(db: TestDatabase, provider: &TestProvider) -> Server {
    start_built(db, Options::default(), |db, base| {
        let redirect = format!("{base}/inwoner/digid/terug");
        provider.register_redirect_uri(&redirect);
        let client = brp_oidc::OidcClient::new(provider.config(&redirect)).unwrap();
        db.clock.set(chrono::Utc::now());
        db.portal().with_identity_provider(Arc::new(client))
    })
    .await
}

/// The browser's way through the login: the portal, the provider, the portal's return.
/// Returns the final response of the return address.
async fn browse_digid(server: &Server, client: &reqwest::Client) -> reqwest::Response {
    let res = client
        .post(server.url("/inwoner/digid"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let to_provider = res.headers()["location"].to_str().unwrap().to_owned();
    let res = client.get(&to_provider).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    let back = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(back.starts_with(&server.base), "{back}");
    client.get(&back).send().await.unwrap()
}

async fn digid_login_over_http_against_an_openid_provider(db: TestDatabase) {
    let provider = TestProvider::start_unregistered().await;
    let server = digid_server(db, &provider).await;
    let (jan, _) = people();
    server
        .db
        .portal()
        .store_persons([jan.persoon()])
        .await
        .unwrap();
    provider.set_claims(
        serde_json::from_value(serde_json::json!({
            "bsn": jan.bsn.to_string(),
            "acr": "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract",
        }))
        .unwrap(),
    );
    let mut headers = HeaderMap::new();
    headers.insert(ORIGIN, HeaderValue::from_str(&server.base).unwrap());
    let browser = || {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .default_headers(headers.clone())
            .build()
            .unwrap()
    };

    let client = browser();
    let res = browse_digid(&server, &client).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("url=/inwoner"));
    let (status, body) = call(&client, &server, "/api/sessie", &[]).await;
    assert_eq!(status, StatusCode::OK);
    let info: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(info["citizen"]["name"], "Jan Jansen");
    assert_eq!(info["citizen"]["assurance"], "Midden");
    assert!(info["user"].is_null());
    let (status, _) = call(&client, &server, "/api/inwoner/verzoeken", &[]).await;
    assert_eq!(status, StatusCode::OK);

    // A token from the wrong issuer, or with the wrong nonce: no session.
    for m in [Misbehaviour::WrongIssuer, Misbehaviour::WrongNonce] {
        provider.misbehave(m);
        let client = browser();
        let res = browse_digid(&server, &client).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(res.headers()["location"], "/inwoner?fout=digid");
        let (status, _) = call(&client, &server, "/api/inwoner/verzoeken", &[]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    provider.misbehave(Misbehaviour::None);

    // The return address followed by another browser (without the binding cookie) fails.
    let first = browser();
    let res = first
        .post(server.url("/inwoner/digid"))
        .send()
        .await
        .unwrap();
    let to_provider = res.headers()["location"].to_str().unwrap().to_owned();
    let back = first.get(&to_provider).send().await.unwrap().headers()["location"]
        .to_str()
        .unwrap()
        .to_owned();
    let other = browser();
    let res = other.get(&back).send().await.unwrap();
    assert_eq!(res.headers()["location"], "/inwoner?fout=digid");
    let (status, _) = call(&other, &server, "/api/inwoner/verzoeken", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

/// The legal rules of issue 10 over HTTP: a counter registration needs a reason, a question
/// carries an answer term within bounds, and a deferral is refused when the law allows none.
async fn counter_reason_answer_term_and_deferral_over_http(db: TestDatabase) {
    let (server, jan_p, _) = server(db).await;
    let beheerder = staff(&server, "beheerder").await;
    let register = |reden: &'static str| {
        Form::new()
            .text("burgerservicenummer", jan_p.bsn.to_string())
            .text("kanaal", "balie")
            .text("ontvangen", "2026-11-22")
            .text("identiteit", "identiteitsbewijs")
            .text("identiteit_toelichting", "Paspoort, eindigt op 42")
            .text("reden", reden)
            .text("soort", "correctie")
            .text("gegeven", "verblijfplaats.verblijfadres.postcode")
            .text("waarde", "1991 AC")
            .text("toelichting", "De postcode is verkeerd.")
    };
    let res = beheerder
        .post(server.url("/api/burgerzaken/registreren"))
        .multipart(register(""))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("reden"));
    let res = beheerder
        .post(server.url("/api/burgerzaken/registreren"))
        .multipart(register("Inwoner aan de balie"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    let (_, body) = call(
        &beheerder,
        &server,
        "/api/burgerzaken/verzoeken",
        &[("alle", "false")],
    )
    .await;
    let queue: Vec<Value> = serde_json::from_str(&body).unwrap();
    let id = queue[0]["id"].as_str().unwrap().to_owned();
    let (_, body) = call(
        &beheerder,
        &server,
        "/api/burgerzaken/verzoek",
        &[("id", &id)],
    )
    .await;
    assert!(
        body.contains("Reden van registratie: Inwoner aan de balie"),
        "{body}"
    );
    // An address is no burgerlijke staat: not offered, and refused.
    let view: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(view["allowed"]["extend"], false);
    let (status, _) = call(
        &beheerder,
        &server,
        "/api/burgerzaken/stap",
        &[
            ("id", &id),
            ("stap", "verlengen"),
            ("grond", "burgerlijke_staat"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    // The answer term: too short is refused; a chosen date is kept and shown to the citizen.
    let ask = |date: &'static str| {
        [
            ("id", id.as_str()),
            ("stap", "vragen"),
            ("vraag", "Stuur een bewijs van uw adres."),
            ("antwoord_uiterlijk", date),
        ]
    };
    let (status, _) = call(
        &beheerder,
        &server,
        "/api/burgerzaken/stap",
        &ask("2026-11-24"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, body) = call(
        &beheerder,
        &server,
        "/api/burgerzaken/stap",
        &ask("2026-12-10"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let jan = citizen(&server, &jan_p.bsn.to_string()).await;
    let (_, body) = call(&jan, &server, "/api/inwoner/verzoek", &[("id", &id)]).await;
    let view: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(view["request"]["status"], "WachtOpInformatie");
    let events = view["request"]["events"].as_array().unwrap();
    assert_eq!(events.last().unwrap()["due_on"], "2026-12-10");
}

on_both_databases!(
    another_citizens_request_is_not_found_through_any_endpoint,
    uploads_are_checked_by_content_and_size,
    the_digid_simulation_exists_in_demo_mode_only,
    a_citizen_login_ends_a_staff_session_and_the_other_way_round,
    digid_login_over_http_against_an_openid_provider,
    counter_reason_answer_term_and_deferral_over_http,
);
