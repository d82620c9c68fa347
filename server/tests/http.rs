//! The HTTP layer in-process, over real HTTP on 127.0.0.1, on both databases: sessions,
//! cookies, security headers, the origin check and role checks on direct server-function
//! calls.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use brp_service::demo::DEMO_PASSWORD;
use brp_service::on_both_databases;
use brp_service::testing::TestDatabase;
use common::{bare_client, session_cookie, set_cookie_header, start, Options};
use reqwest::StatusCode;

async fn health_follows_the_database(db: TestDatabase) {
    let server = start(db, Options::default()).await;
    let res = reqwest::get(server.url("/healthz")).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    match &server.db.pool {
        brp_service::store::DbPool::Sqlite(p) => p.close().await,
        brp_service::store::DbPool::Postgres(p) => p.close().await,
    }
    let res = reqwest::get(server.url("/healthz")).await.unwrap();
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
}

async fn login_sets_a_strict_http_only_cookie_and_rotates_the_id(db: TestDatabase) {
    let server = start(db, Options::default()).await;
    let client = server.client();
    // A visit before the login: no session is created for an anonymous visitor.
    let res = client.get(server.url("/inloggen")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);

    let res = client
        .post(server.url("/api/inloggen"))
        .form(&[
            ("gebruikersnaam", "beheerder"),
            ("wachtwoord", DEMO_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["serverfnredirect"], "");
    assert_eq!(res.headers()["location"], "/beheer");
    let header = set_cookie_header(&res).unwrap();
    assert!(header.contains("HttpOnly"), "{header}");
    assert!(header.contains("SameSite=Strict"), "{header}");
    assert!(!header.contains("Secure"), "{header}");
    let first = session_cookie(&res).unwrap();

    // Logging in again (as someone else) gives a new session id.
    let second = server.login(&client, "toezichthouder").await;
    assert_ne!(first, second);
    // The first id is dead.
    let res = bare_client(&server.base, &first)
        .post(server.url("/api/gebruikers"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

async fn a_wrong_password_is_refused_with_a_dutch_message(db: TestDatabase) {
    let server = start(db, Options::default()).await;
    let res = server
        .client()
        .post(server.url("/api/inloggen"))
        .form(&[
            ("gebruikersnaam", "beheerder"),
            ("wachtwoord", "fout-fout-fout"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(session_cookie(&res).is_none());
    let body = res.text().await.unwrap();
    assert!(body.contains("onjuist"), "{body}");
}

async fn a_plain_form_post_is_redirected_with_the_error_for_the_page(db: TestDatabase) {
    let server = start(db, Options::default()).await;
    let client = server.client();
    let res = client
        .post(server.url("/api/inloggen"))
        .header("accept", "text/html")
        .header("referer", server.url("/inloggen"))
        .form(&[
            ("gebruikersnaam", "beheerder"),
            ("wachtwoord", "fout-fout-fout"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.starts_with(&server.url("/inloggen?")),
        "{location}"
    );
    assert!(location.contains("__err="), "{location}");
    // The page at that address shows the error, rendered on the server, to the browser
    // that posted the form (the error is kept in its session).
    let page = client.get(&location).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK, "{:?}", page.headers());
    let html = page.text().await.unwrap();
    assert!(html.contains("onjuist"), "error not rendered");
}

async fn a_medewerker_gets_403_from_every_beheerder_server_function(db: TestDatabase) {
    let server = start(db, Options::default()).await;
    let client = server.client();
    server.login(&client, "medewerker").await;
    let calls: [(&str, &[(&str, &str)]); 5] = [
        ("/api/gebruikers", &[]),
        ("/api/gebruiker", &[("id", "1")]),
        (
            "/api/gebruiker_aanmaken",
            &[
                ("gebruikersnaam", "indringer"),
                ("naam", "Indringer"),
                ("email", ""),
                ("rol", "beheerder"),
                ("afnemer", ""),
                ("wachtwoord", "overgenomen-portaal"),
            ],
        ),
        ("/api/gebruiker_status", &[("id", "1"), ("actief", "false")]),
        (
            "/api/wachtwoord_herstellen",
            &[("id", "1"), ("wachtwoord", "overgenomen-portaal")],
        ),
    ];
    for (path, form) in calls {
        let res = client
            .post(server.url(path))
            .form(form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{path}");
    }
    // The pages say no as well, with a real 403.
    let res = client
        .get(server.url("/beheer/gebruikers"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // Nothing changed.
    let portal = server.db.portal();
    let beheerder = portal
        .login("beheerder", DEMO_PASSWORD, "192.0.2.1")
        .await
        .unwrap()
        .actor;
    let users = portal.list_users(&beheerder).await.unwrap();
    assert_eq!(users.len(), 4);
    assert!(users.iter().all(|u| u.active));
    assert_eq!(
        portal
            .audit_trail(&beheerder, Some("gebruiker indringer".into()), None, 10)
            .await
            .unwrap()
            .len(),
        0
    );
}

async fn a_medewerker_gets_403_from_every_autorisatiebeheer_action(db: TestDatabase) {
    let server = start(db, Options::default()).await;
    let portal = server.db.portal();
    let beheerder = portal
        .login("beheerder", DEMO_PASSWORD, "192.0.2.1")
        .await
        .unwrap()
        .actor;
    let audit_before = portal
        .audit_trail(&beheerder, None, None, 500)
        .await
        .unwrap()
        .len();
    let client = server.client();
    server.login(&client, "medewerker").await;
    let calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (
            "/api/register/afnemer_opslaan",
            vec![
                ("naam", "Indringers"),
                ("wettelijk_kader", ""),
                ("soort", "binnengemeentelijk"),
            ],
        ),
        (
            "/api/register/afnemer_opslaan",
            vec![
                ("id", "1"),
                ("naam", "Overgenomen"),
                ("wettelijk_kader", ""),
                ("soort", "derde"),
            ],
        ),
        (
            "/api/register/grondslag_aanmaken",
            vec![("wet", "Geen"), ("artikel", "1")],
        ),
        (
            "/api/register/doel_aanmaken",
            vec![("afnemer", "1"), ("grondslag", "1"), ("naam", "Alles")],
        ),
        (
            "/api/profiel_voorstellen",
            vec![
                ("naam", "Alles"),
                ("afnemer", "1"),
                ("velden[]", "burgerservicenummer"),
                ("zoekvormen[]", "RaadpleegMetBurgerservicenummer"),
                ("doelen[]", "1"),
            ],
        ),
        (
            "/api/profiel_wijzigen",
            vec![("id", "1"), ("velden[]", "burgerservicenummer")],
        ),
        (
            "/api/profiel_besluit",
            vec![("id", "1"), ("versie", "1"), ("besluit", "goedkeuren")],
        ),
        (
            "/api/aanvraag_besluit",
            vec![("id", "1"), ("besluit", "toekennen")],
        ),
        ("/api/aanvragen", vec![("alleen_open", "false")]),
        ("/api/autorisaties", vec![]),
        ("/api/herbeoordeling", vec![]),
        (
            "/api/autorisatie_actie",
            vec![("id", "1"), ("actie", "intrekken"), ("reden", "x")],
        ),
        (
            "/api/autorisatie_actie",
            vec![("id", "1"), ("actie", "herbevestigen")],
        ),
        (
            "/api/autorisatie_actie",
            vec![
                ("id", "1"),
                ("actie", "verlengen"),
                ("einddatum", "2027-01-01"),
            ],
        ),
        ("/api/uitgaande_post", vec![]),
    ];
    for (path, form) in &calls {
        let res = client
            .post(server.url(path))
            .form(form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{path} {form:?}");
    }
    // Nothing changed: no audit event, the demo grant is still active.
    let audit_after = portal
        .audit_trail(&beheerder, None, None, 500)
        .await
        .unwrap()
        .len();
    assert_eq!(audit_before, audit_after);
    let grants = portal
        .list_grants(&beheerder, brp_service::store::GrantFilter::default())
        .await
        .unwrap();
    assert!(grants.iter().all(|g| g.grant.revocation.is_none()));
}

async fn server_functions_need_a_session(db: TestDatabase) {
    let server = start(db, Options::default()).await;
    let res = server
        .client()
        .post(server.url("/api/gebruikers"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

async fn state_changes_need_post_from_our_own_origin(db: TestDatabase) {
    let server = start(db, Options::default()).await;
    let client = server.client();
    let cookie = server.login(&client, "beheerder").await;

    // Another origin, and no origin at all, are refused before anything runs.
    for origin in [Some("https://kwaadwillend.example"), None] {
        let mut req = reqwest::Client::new()
            .post(server.url("/api/gebruiker_status"))
            .header("cookie", &cookie)
            .form(&[("id", "3"), ("actief", "false")]);
        if let Some(o) = origin {
            req = req.header("origin", o);
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{origin:?}");
    }
    // A same-origin Referer is accepted where Origin is missing.
    let res = reqwest::Client::new()
        .post(server.url("/api/gebruikers"))
        .header("cookie", &cookie)
        .header("referer", server.url("/beheer/gebruikers"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    // GET does not run server functions.
    let res = client
        .get(server.url("/api/gebruikers"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);

    let portal = server.db.portal();
    let beheerder = portal
        .login("beheerder2", DEMO_PASSWORD, "192.0.2.1")
        .await
        .unwrap()
        .actor;
    assert!(portal
        .list_users(&beheerder)
        .await
        .unwrap()
        .iter()
        .all(|u| u.active));
}

async fn logout_ends_the_session_on_the_server(db: TestDatabase) {
    let server = start(db, Options::default()).await;
    let client = server.client();
    let cookie = server.login(&client, "toezichthouder").await;
    let res = bare_client(&server.base, &cookie)
        .post(server.url("/api/auditlog"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);

    let res = client
        .post(server.url("/api/uitloggen"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    // The old cookie, replayed, is worthless.
    let res = bare_client(&server.base, &cookie)
        .post(server.url("/api/auditlog"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

async fn sessions_end_when_idle_and_after_the_absolute_timeout(db: TestDatabase) {
    let server = start(
        db,
        Options {
            idle: chrono::Duration::seconds(1),
            ..Options::default()
        },
    )
    .await;
    let client = server.client();
    let cookie = server.login(&client, "toezichthouder").await;
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let res = bare_client(&server.base, &cookie)
        .post(server.url("/api/auditlog"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "idle timeout");

    let server2 = start(TestDatabase::sqlite().await, Options::default()).await;
    let client = server2.client();
    let cookie = server2.login(&client, "toezichthouder").await;
    server2.db.clock.advance(chrono::Duration::hours(12));
    let res = bare_client(&server2.base, &cookie)
        .post(server2.url("/api/auditlog"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "absolute timeout");
}

async fn pages_carry_the_security_headers(db: TestDatabase) {
    let server = start(db, Options::default()).await;
    let res = server
        .client()
        .get(server.url("/inloggen"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let h = res.headers().clone();
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains("'nonce-"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "same-origin");
    assert_eq!(h["cache-control"], "no-store");
    assert!(h.contains_key("x-request-id"));
    assert!(!h.contains_key("strict-transport-security"));
    // The nonce in the header is the one on the inline hydration script.
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .unwrap()
        .to_owned();
    let html = res.text().await.unwrap();
    assert!(html.contains(&format!("<script type=\"module\" nonce=\"{nonce}\">")));
    assert!(html.contains("<html lang=\"nl\">"));
    // Unknown pages are a real 404.
    let res = server
        .client()
        .get(server.url("/bestaat-niet"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

async fn https_mode_adds_hsts_and_secure_host_cookies(db: TestDatabase) {
    let server = start(
        db,
        Options {
            https: true,
            ..Options::default()
        },
    )
    .await;
    // The origin check expects https:// now, as a browser behind TLS would send.
    let host = server.base.trim_start_matches("http://").to_owned();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = client
        .post(server.url("/api/inloggen"))
        .header("origin", format!("https://{host}"))
        .form(&[
            ("gebruikersnaam", "beheerder"),
            ("wachtwoord", DEMO_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers().contains_key("strict-transport-security"));
    let header = set_cookie_header(&res).unwrap();
    assert!(header.starts_with("__Host-brp_sessie="), "{header}");
    assert!(header.contains("Secure"), "{header}");
}

async fn the_client_address_comes_from_the_proxy_only_when_trusted(db: TestDatabase) {
    // Untrusted: X-Forwarded-For is ignored, so spoofing it does not escape throttling.
    let server = start(db, Options::default()).await;
    for i in 0..20 {
        let res = server
            .client()
            .post(server.url("/api/inloggen"))
            .header("x-forwarded-for", format!("203.0.113.{i}"))
            .form(&[
                ("gebruikersnaam", format!("gok{i}").as_str()),
                ("wachtwoord", "x"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    let res = server
        .client()
        .post(server.url("/api/inloggen"))
        .header("x-forwarded-for", "198.51.100.1")
        .form(&[
            ("gebruikersnaam", "beheerder"),
            ("wachtwoord", DEMO_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);

    // Trusted: the proxy's last entry counts, so another client is not throttled.
    let server = start(
        TestDatabase::sqlite().await,
        Options {
            trust_proxy: true,
            ..Options::default()
        },
    )
    .await;
    for i in 0..20 {
        server
            .client()
            .post(server.url("/api/inloggen"))
            .header("x-forwarded-for", "203.0.113.9")
            .form(&[
                ("gebruikersnaam", format!("gok{i}").as_str()),
                ("wachtwoord", "x"),
            ])
            .send()
            .await
            .unwrap();
    }
    let res = server
        .client()
        .post(server.url("/api/inloggen"))
        .header("x-forwarded-for", "203.0.113.9, 198.51.100.1")
        .form(&[
            ("gebruikersnaam", "beheerder"),
            ("wachtwoord", DEMO_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

/// The raadplegen server functions as an attacker calls them: plain POSTs with a valid
/// medewerker session, each stepping outside the grant. Every one is refused with 403,
/// written to the security log, and provides nothing; the allowed call provides only the
/// profile's fields. The protocol is for beheerder and toezichthouder only.
async fn raadplegen_endpoints_enforce_the_grant_for_direct_callers(db: TestDatabase) {
    use brp_domain::person::LookupResult;
    use brp_domain::protocol::ProtocolFilter;
    use brp_service::testing::{grant_profile, TestPerson};
    let server = start(db, Options::default()).await;
    let portal = server.db.portal();
    let people = [
        TestPerson::new(0, "Jansen", "1975-07-07"),
        TestPerson::new(1, "Pietersen", "1980-01-01"),
    ];
    portal
        .store_persons(people.iter().map(TestPerson::persoon))
        .await
        .unwrap();
    // The beheerder holds a grant too: the medewerker must not be able to use it.
    let beheerder_grant = grant_profile(
        &server.db,
        "beheerder",
        "Profiel baliemedewerker Burgerzaken",
    )
    .await;
    let medewerker = portal
        .login("medewerker", DEMO_PASSWORD, "192.0.2.1")
        .await
        .unwrap()
        .actor;
    let grant = portal.lookup_grants(&medewerker).await.unwrap().remove(0);
    let (grant_id, doel_id) = (grant.grant_id.to_string(), grant.doelen[0].id.to_string());
    let toezicht = portal
        .login("toezichthouder", DEMO_PASSWORD, "192.0.2.1")
        .await
        .unwrap()
        .actor;
    let other_doel = portal
        .list_doelen(&toezicht)
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.id != grant.doelen[0].id)
        .unwrap()
        .id
        .to_string();

    let client = server.client();
    server.login(&client, "medewerker").await;
    let search = |overrides: Vec<(&'static str, String)>| {
        let mut form: Vec<(&'static str, String)> = vec![
            ("autorisatie", grant_id.clone()),
            ("doel", doel_id.clone()),
            ("zoekvorm", "ZoekMetPostcodeEnHuisnummer".into()),
            ("postcode", "1991AB".into()),
            ("huisnummer", "12".into()),
        ];
        for (k, v) in overrides {
            form.retain(|(key, _)| *key != k);
            form.push((k, v));
        }
        form
    };
    let outside = vec![
        search(vec![
            ("zoekvorm", "ZoekMetNaamEnGemeenteVanInschrijving".into()),
            ("geslachtsnaam", "Jansen".into()),
            ("voornamen", "Jan".into()),
            ("gemeente", "1998".into()),
        ]),
        search(vec![("velden[]", "burgerservicenummer".into())]),
        search(vec![("doel", other_doel.clone())]),
        search(vec![("autorisatie", beheerder_grant.to_string())]),
    ];
    for form in &outside {
        let res = client
            .post(server.url("/api/raadplegen/zoeken"))
            .form(form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{form:?}");
        let body = res.text().await.unwrap();
        assert!(!body.contains("Jansen"), "no data in a refusal: {body}");
    }
    let log = portal.security_log(&toezicht).await.unwrap();
    assert_eq!(log.len(), outside.len());
    assert!(log.iter().all(|e| e.username == "medewerker"));
    assert!(portal
        .protocol_records(&toezicht, &ProtocolFilter::default())
        .await
        .unwrap()
        .is_empty());

    // Within the grant: 200, the two persons, only PersoonBeperkt fields of the profile.
    let res = client
        .post(server.url("/api/raadplegen/zoeken"))
        .form(&search(vec![]))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let result: LookupResult = res.json().await.unwrap();
    assert_eq!(result.persons.len(), 2);
    for p in &result.persons {
        assert!(p.persoon.get("burgerservicenummer").is_none());
        assert!(p.persoon.get("naam").is_some());
        assert!(p.persoon.get("geslacht").is_none());
    }
    assert_eq!(
        portal
            .protocol_records(&toezicht, &ProtocolFilter::default())
            .await
            .unwrap()
            .len(),
        2
    );

    // The medewerker's own results open; the toezichthouder cannot look anyone up, nor
    // open the medewerker's results.
    let res = client
        .post(server.url("/api/raadplegen/openen"))
        .form(&[(
            "verstrekking",
            result.persons[0].verstrekking_id.to_string(),
        )])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let t = server.client();
    server.login(&t, "toezichthouder").await;
    let res = t
        .post(server.url("/api/raadplegen/zoeken"))
        .form(&search(vec![]))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = t
        .post(server.url("/api/raadplegen/openen"))
        .form(&[(
            "verstrekking",
            result.persons[0].verstrekking_id.to_string(),
        )])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // The protocol: not for the medewerker, as server function or as CSV.
    for path in [
        "/api/protocol",
        "/api/beveiligingslog",
        "/api/protocol/keuzes",
    ] {
        let res = client.post(server.url(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{path}");
    }
    let res = client
        .get(server.url("/protocol.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = t.get(server.url("/protocol.csv")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let csv = res.text().await.unwrap();
    assert_eq!(csv.lines().count(), 1 + 3);
    assert!(csv.contains(&people[0].bsn.to_string()));
    // Without a session: no export.
    let res = server
        .client()
        .get(server.url("/protocol.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

/// A database failure while finding the caller is our fault (500), not "log in" (401): the
/// status comes from the service layer's one mapping, for the CSV export and the downloads
/// alike.
async fn a_database_error_finding_the_caller_is_a_500_not_a_401(db: TestDatabase) {
    use tower_sessions_sqlx_store::sqlx;
    let server = start(db, Options::default()).await;
    let t = server.client();
    server.login(&t, "toezichthouder").await;
    let res = t.get(server.url("/protocol.csv")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    // The accounts table goes away under the running server. The session still loads (it
    // has a table of its own); checking the staff member behind it fails.
    let sql = "ALTER TABLE users RENAME TO users_weg";
    match &server.db.pool {
        brp_service::store::DbPool::Sqlite(p) => sqlx::query(sql).execute(p).await.map(drop),
        brp_service::store::DbPool::Postgres(p) => sqlx::query(sql).execute(p).await.map(drop),
    }
    .unwrap();
    for path in [
        "/protocol.csv",
        "/beheer/burgerverzoeken/bijlagen/x",
        "/beheer/burgerverzoeken/brieven/x/download",
    ] {
        let res = t.get(server.url(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR, "{path}");
        let body = res.text().await.unwrap();
        assert_eq!(
            body, "Er ging iets mis aan onze kant. Probeer het later opnieuw.",
            "{path}: no cause in the answer"
        );
    }
    // And without a session it is still a plain 401.
    let res = server
        .client()
        .get(server.url("/protocol.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

on_both_databases!(
    health_follows_the_database,
    a_database_error_finding_the_caller_is_a_500_not_a_401,
    login_sets_a_strict_http_only_cookie_and_rotates_the_id,
    a_wrong_password_is_refused_with_a_dutch_message,
    a_plain_form_post_is_redirected_with_the_error_for_the_page,
    a_medewerker_gets_403_from_every_beheerder_server_function,
    a_medewerker_gets_403_from_every_autorisatiebeheer_action,
    server_functions_need_a_session,
    state_changes_need_post_from_our_own_origin,
    logout_ends_the_session_on_the_server,
    sessions_end_when_idle_and_after_the_absolute_timeout,
    pages_carry_the_security_headers,
    https_mode_adds_hsts_and_secure_host_cookies,
    the_client_address_comes_from_the_proxy_only_when_trusted,
    raadplegen_endpoints_enforce_the_grant_for_direct_callers,
);
