//! Hostile input over real HTTP, on both databases: forms that are not what a server
//! function expects, arguments that cannot be decoded, bodies over the limit, NUL bytes and
//! made-up error text in a page's URL. Never a 500, never a panic.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use brp_service::on_both_databases;
use brp_service::testing::{TestDatabase, TestPerson};
use common::{start, start_built, Options, Server};
use reqwest::StatusCode;

async fn citizen_server(db: TestDatabase) -> (Server, TestPerson) {
    let jan = TestPerson::new(0, "Jansen", "1975-07-07");
    let server = start_built(db, Options::default(), |db, _| {
        db.portal_with(|c| c.citizens.simulation = true)
    })
    .await;
    server
        .db
        .portal()
        .store_persons([jan.persoon()])
        .await
        .unwrap();
    (server, jan)
}

async fn citizen(server: &Server, bsn: &str) -> reqwest::Client {
    let client = server.client();
    let res = client
        .post(server.url("/api/inwoner/simulatie"))
        .form(&[("burgerservicenummer", bsn), ("niveau", "midden")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "simulated login");
    client
}

const UPLOADS: [&str; 3] = [
    "/api/inwoner/correctie_indienen",
    "/api/inwoner/informatie_geven",
    "/api/burgerzaken/registreren",
];

/// Each upload function, sent urlencoded, multipart without a boundary, or without any
/// content type: a 400 with a Dutch message, anonymous and logged in alike (this panicked
/// with "couldn't parse boundary" before any login check).
async fn uploads_that_are_not_multipart_get_400(db: TestDatabase) {
    let (server, jan) = citizen_server(db).await;
    let anonymous = server.client();
    let inwoner = citizen(&server, &jan.bsn.to_string()).await;
    let beheerder = server.client();
    server.login(&beheerder, "beheerder").await;
    for client in [&anonymous, &inwoner, &beheerder] {
        for path in UPLOADS {
            let sent = [
                client.post(server.url(path)).form(&[("toelichting", "x")]),
                client
                    .post(server.url(path))
                    .header("content-type", "multipart/form-data")
                    .body("--x\r\n"),
                client.post(server.url(path)).body("gegeven=naam"),
                client
                    .post(server.url(path))
                    .header("content-type", "application/json")
                    .body("{}"),
            ];
            for req in sent {
                let res = req
                    .send()
                    .await
                    .expect("an answer, not a dropped connection");
                assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{path}");
                let body = res.text().await.unwrap();
                assert!(body.contains("multipart/form-data"), "{path}: {body}");
            }
        }
    }
}

/// Arguments that cannot be decoded into a server function's parameters answer 400, not
/// 500; a body over the limit 413 with a Dutch text.
async fn malformed_arguments_get_400_and_big_bodies_413(db: TestDatabase) {
    let server = start(db, Options::default()).await;
    let client = server.client();
    server.login(&client, "beheerder").await;
    let cases: [(&str, &str); 7] = [
        ("/api/gebruiker", "id=abc"),
        ("/api/gebruiker", ""),
        ("/api/gebruiker", "id=1&id=2"),
        ("/api/gebruiker", "id=99999999999999999999999"),
        ("/api/gebruiker_status", "id=1&actief=misschien"),
        ("/api/auditlog", "voor=1e99"),
        ("/api/inloggen", "gebruikersnaam=a"),
    ];
    for (path, body) in cases {
        let res = client
            .post(server.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{path} {body}");
    }
    let res = client
        .post(server.url("/api/gebruiker"))
        .header("content-type", "application/json")
        .body("{\"id\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST, "invalid JSON");

    let big = format!(
        "gebruikersnaam={}&wachtwoord=x",
        "a".repeat(3 * 1024 * 1024)
    );
    let res = client
        .post(server.url("/api/inloggen"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(res.text().await.unwrap().contains("te groot"));
    // A 40 MB upload is refused on its declared length, before the body is read. Over a
    // raw socket: the server answers and closes while a client would still be writing, which
    // an HTTP client reports as a broken pipe instead of the answer.
    let answer = declared_upload(&server, 40 * 1024 * 1024).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("te groot"), "{answer}");
}

/// Sends the head of a multipart upload declaring `length` bytes and the first 64 kB of its
/// body, then reads what the server answers.
async fn declared_upload(server: &Server, length: usize) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = server.base.trim_start_matches("http://");
    let mut socket = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /api/inwoner/correctie_indienen HTTP/1.1\r\nhost: {addr}\r\norigin: {}\r\n\
         content-type: multipart/form-data; boundary=x\r\ncontent-length: {length}\r\n\
         connection: close\r\n\r\n",
        server.base
    );
    socket.write_all(head.as_bytes()).await.unwrap();
    // The server may already have answered and closed; a failed write is no failure here.
    let _ = socket.write_all(&vec![b'a'; 64 * 1024]).await;
    let mut answer = Vec::new();
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        socket.read_to_end(&mut answer),
    )
    .await
    .expect("the server answers without waiting for the whole body");
    // A reset after the answer is fine: the answer was read first.
    if let Err(e) = read {
        assert!(!answer.is_empty(), "no answer: {e}");
    }
    String::from_utf8_lossy(&answer).into_owned()
}

/// A NUL byte in a login name, a letter id, an attachment id or any text is refused (400,
/// or "not found" for an id), and nothing is stored; PostgreSQL answered 500 before.
async fn nul_bytes_and_control_characters_are_refused(db: TestDatabase) {
    let (server, jan) = citizen_server(db).await;
    let anonymous = server.client();
    let res = anonymous
        .post(server.url("/api/inloggen"))
        .form(&[("gebruikersnaam", "behe\0rder"), ("wachtwoord", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("stuurteken"));

    let inwoner = citizen(&server, &jan.bsn.to_string()).await;
    for path in [
        "/inwoner/bijlagen/a%00b",
        "/inwoner/brieven/%00/download",
        "/inwoner/verzoeken/%00",
    ] {
        let res = inwoner.get(server.url(path)).send().await.unwrap();
        assert!(res.status().is_client_error(), "{path}: {}", res.status());
    }
    for form in [
        [("id", "\0"), ("x", "")],
        [("id", "00000000-0000-0000-0000-00000000000\0"), ("x", "")],
    ] {
        for path in ["/api/inwoner/verzoek", "/api/inwoner/brief"] {
            let res = inwoner
                .post(server.url(path))
                .form(&form)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{path}");
        }
    }
    let beheerder = server.client();
    server.login(&beheerder, "beheerder").await;
    for path in [
        "/beheer/burgerverzoeken/bijlagen/%00",
        "/beheer/burgerverzoeken/brieven/a%00/download",
    ] {
        let res = beheerder.get(server.url(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
    }

    for text in ["met\0nul", "escape \u{1b}[2J", "del\u{7f}"] {
        let res = inwoner
            .post(server.url("/api/inwoner/verzoek_indienen"))
            .form(&[("soort", "inzage"), ("toelichting", text)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        assert!(res.text().await.unwrap().contains("stuurteken"));
    }
    // A multipart text field with a NUL, too.
    let form = reqwest::multipart::Form::new()
        .text("gegeven", "naam")
        .text("waarde", "Jan\0sen")
        .text("toelichting", "x");
    let res = inwoner
        .post(server.url("/api/inwoner/correctie_indienen"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    // Line breaks and tabs are text, and pass.
    let res = inwoner
        .post(server.url("/api/inwoner/verzoek_indienen"))
        .form(&[("soort", "inzage"), ("toelichting", "regel 1\r\n\tregel 2")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = inwoner
        .post(server.url("/api/inwoner/verzoeken"))
        .send()
        .await
        .unwrap();
    let mine: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        mine.as_array().unwrap().len(),
        1,
        "only the clean request stored"
    );
}

/// The `__err` of a URL shows on the page only when it is the error this server produced
/// for this browser; made-up text is sent away with a redirect.
async fn only_errors_this_server_made_for_this_browser_are_shown(db: TestDatabase) {
    use base64::Engine;
    let server = start(db, Options::default()).await;
    let forged = base64::engine::general_purpose::URL_SAFE
        .encode(br#"{"Login":"Uw account is geblokkeerd. Bel 0900-1234."}"#);
    let url = server.url(&format!(
        "/inloggen?uitgelogd=1&__path=%2Fapi%2Finloggen&__err={forged}"
    ));
    let client = server.client();
    let res = client.get(&url).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/inloggen?uitgelogd=1");
    let res = client
        .get(server.url("/inloggen?__err=abc"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    // A real error of this browser's form post is shown ...
    let res = client
        .post(server.url("/api/inloggen"))
        .header("accept", "text/html")
        .header("referer", server.url("/inloggen"))
        .form(&[("gebruikersnaam", "beheerder"), ("wachtwoord", "fout")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let page = client.get(&location).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("onjuist"));
    // ... but not in another browser, and a forged one not even in this browser.
    let other = server.client().get(&location).send().await.unwrap();
    assert_eq!(other.status(), StatusCode::SEE_OTHER);
    let res = client.get(&url).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}

on_both_databases!(
    uploads_that_are_not_multipart_get_400,
    malformed_arguments_get_400_and_big_bodies_413,
    nul_bytes_and_control_characters_are_refused,
    only_errors_this_server_made_for_this_browser_are_shown,
);
