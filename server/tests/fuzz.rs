//! A deterministic fuzz run over every server function and route, as anonymous visitor,
//! staff (beheerder, medewerker, toezichthouder) and citizen: hostile bodies (wrong and
//! missing content types, urlencoded vs multipart vs JSON, missing, duplicate and huge
//! fields, NUL and other control characters, numbers out of range, invalid UTF-8, unicode).
//!
//! Asserts: no 5xx, no panic (a counting panic hook), and nothing stored (row counts of
//! every table before and after, except the tables that legitimately record attempts:
//! login attempts, the security log, sessions). Every request sent as a logged-in user
//! carries a poison that must make it fail (a control character, raw invalid UTF-8, or an
//! upload that is not multipart), so a success would be a finding too; unpoisoned requests
//! go out anonymously only.
//!
//! Server functions are enumerated from `server_fn`'s registry and pages from the app's
//! route list, so a new one is fuzzed without editing this file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use brp_service::store::DbPool;
use brp_service::testing::{TestDatabase, TestPerson};
use common::{start_built, Options, Server};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Once};
use tower_sessions_sqlx_store::sqlx;

static PANICS: AtomicUsize = AtomicUsize::new(0);
static HOOK: Once = Once::new();

fn count_panics() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS.fetch_add(1, Ordering::SeqCst);
            previous(info);
        }));
    });
}

/// Tables whose rows are attempts, not data: they legitimately grow under attack.
const ATTEMPT_TABLES: [&str; 6] = [
    "login_attempts",
    "security_events",
    "tower_sessions",
    "session",
    "citizen_login_starts",
    "_sqlx_migrations",
];

async fn row_counts(pool: &DbPool) -> BTreeMap<String, i64> {
    let mut counts = BTreeMap::new();
    match pool {
        DbPool::Sqlite(p) => {
            let tables: Vec<(String,)> = sqlx::query_as(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            )
            .fetch_all(p)
            .await
            .unwrap();
            for (t,) in tables {
                let (n,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM \"{t}\""))
                    .fetch_one(p)
                    .await
                    .unwrap();
                counts.insert(t, n);
            }
        }
        DbPool::Postgres(p) => {
            let tables: Vec<(String,)> =
                sqlx::query_as("SELECT tablename::text FROM pg_tables WHERE schemaname = 'public'")
                    .fetch_all(p)
                    .await
                    .unwrap();
            for (t,) in tables {
                let (n,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM \"{t}\""))
                    .fetch_one(p)
                    .await
                    .unwrap();
                counts.insert(t, n);
            }
        }
    }
    counts.retain(|t, _| !ATTEMPT_TABLES.contains(&t.as_str()));
    counts
}

/// Field names the portal's forms use, and some that none does.
const NAMES: [&str; 40] = [
    "id",
    "gebruikersnaam",
    "wachtwoord",
    "naam",
    "email",
    "rol",
    "afnemer",
    "actief",
    "voor",
    "soort",
    "toelichting",
    "gegeven",
    "waarde",
    "ontvangers_informeren",
    "burgerservicenummer",
    "ander_burgerservicenummer",
    "niveau",
    "informatie",
    "stap",
    "vraag",
    "grond",
    "besluit",
    "motivering",
    "kanaal",
    "ontvangen",
    "identiteit",
    "versie",
    "reden",
    "velden[]",
    "velden",
    "autorisatie",
    "doel",
    "zoekvorm",
    "verstrekking",
    "bsn",
    "van",
    "tot",
    "alle",
    "alleen_open",
    "x[y][z][a][b][c]",
];

fn hostile_text(rng: &mut StdRng) -> String {
    const PIECES: [&str; 24] = [
        "1",
        "-1",
        "0",
        "abc",
        "99999999999999999999999",
        "-9223372036854775809",
        "1e400",
        "NaN",
        "true",
        "misschien",
        "",
        " ",
        "999999990",
        "2026-02-30",
        "00000000-0000-0000-0000-000000000000",
        "Ünal Öztürk",
        "👪‍",
        "\u{202e}gnp.exe",
        "a\u{301}\u{301}\u{301}",
        "<script>alert(1)</script>",
        "'; DROP TABLE users; --",
        "=HYPERLINK(\"x\")",
        "%00",
        "\u{FEFF}",
    ];
    let mut s = String::new();
    for _ in 0..rng.gen_range(1..4) {
        s.push_str(PIECES.choose(rng).unwrap());
    }
    if rng.gen_bool(0.05) {
        s.push_str(&"x".repeat(rng.gen_range(1_000..100_000)));
    }
    s
}

fn poison(rng: &mut StdRng) -> String {
    const BAD: [&str; 8] = [
        "\0",
        "a\0b",
        "\u{1}",
        "\u{1b}[2J",
        "\u{7f}",
        "\u{8}",
        "\u{85}",
        "x\u{0}\u{0}",
    ];
    let text = hostile_text(rng);
    let bad = BAD.choose(rng).unwrap();
    // Somewhere in the text: before, after, or in the middle (on a character boundary).
    let at = text.char_indices().map(|(i, _)| i).collect::<Vec<_>>();
    let at = at.choose(rng).copied().unwrap_or(0);
    format!("{}{bad}{}", &text[..at], &text[at..])
}

#[derive(Debug, Clone)]
enum Body {
    Form(Vec<(String, String)>),
    Multipart(Vec<(String, String)>),
    Raw {
        content_type: Option<String>,
        bytes: Vec<u8>,
    },
}

#[derive(Debug, Clone)]
struct Call {
    actor: usize,
    method: reqwest::Method,
    path: String,
    html: bool,
    body: Body,
}

fn fields(rng: &mut StdRng, poisoned: bool) -> Vec<(String, String)> {
    let n = rng.gen_range(0..7);
    let mut v: Vec<(String, String)> = (0..n)
        .map(|_| {
            let name = (*NAMES.choose(rng).unwrap()).to_owned();
            (name, hostile_text(rng))
        })
        .collect();
    if rng.gen_bool(0.2) && !v.is_empty() {
        let dup = v[0].clone();
        v.push(dup); // a duplicate field
    }
    if poisoned {
        let at = rng.gen_range(0..=v.len());
        let name = if rng.gen_bool(0.1) {
            poison(rng)
        } else {
            (*NAMES.choose(rng).unwrap()).to_owned()
        };
        v.insert(at, (name, poison(rng)));
    }
    v
}

fn encode(fields: &[(String, String)]) -> Vec<u8> {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        s.append_pair(k, v);
    }
    s.finish().into_bytes()
}

/// One server function call. Logged in, always poisoned.
fn server_fn_call(rng: &mut StdRng, path: &str, upload: bool, actor: usize) -> Call {
    let poisoned = actor != 0 || rng.gen_bool(0.5);
    let body = match rng.gen_range(0..10) {
        // urlencoded, the normal way
        0..=3 => Body::Form(fields(rng, poisoned)),
        // a real multipart form
        4..=5 => Body::Multipart(fields(rng, poisoned || !upload)),
        // JSON, with or without the right content type
        6 => {
            let map: serde_json::Map<String, serde_json::Value> = fields(rng, poisoned)
                .into_iter()
                .map(|(k, v)| (k, serde_json::Value::String(v)))
                .collect();
            let mut bytes = serde_json::to_vec(&map).unwrap();
            if rng.gen_bool(0.3) {
                bytes.truncate(bytes.len() / 2); // invalid JSON
            }
            if actor != 0 || poisoned {
                bytes.extend_from_slice(b"\xff\xfe");
            }
            Body::Raw {
                content_type: Some("application/json".into()),
                bytes,
            }
        }
        // multipart claimed, but without boundary, or with a urlencoded body
        7 => {
            let mut bytes = encode(&fields(rng, poisoned || !upload));
            if !upload && !poisoned {
                bytes.extend_from_slice(b"&z=\xff");
            }
            Body::Raw {
                content_type: Some(
                    [
                        "multipart/form-data",
                        "multipart/form-data; boundary=",
                        "multipart/mixed; boundary=x",
                    ]
                    .choose(rng)
                    .unwrap()
                    .to_string(),
                ),
                bytes,
            }
        }
        // raw bytes: invalid UTF-8, no or a strange content type
        _ => {
            let mut bytes: Vec<u8> = (0..rng.gen_range(0..200)).map(|_| rng.gen()).collect();
            bytes.extend_from_slice(b"\xff\xc0\x00");
            Body::Raw {
                content_type: [
                    None,
                    Some("text/plain"),
                    Some("application/x-www-form-urlencoded"),
                    Some("application/octet-stream"),
                ]
                .choose(rng)
                .unwrap()
                .map(str::to_owned),
                bytes,
            }
        }
    };
    Call {
        actor,
        method: reqwest::Method::POST,
        path: path.to_owned(),
        html: rng.gen_bool(0.2),
        body,
    }
}

/// A GET of a page or route with hostile path ids and query strings. Staff get only
/// requests that must fail (a poisoned id or filter), as a successful read of citizens'
/// data may rightly be recorded.
fn route_call(rng: &mut StdRng, route: &str, actor: usize, staff: bool) -> Call {
    let mut has_param = false;
    let path: String = route
        .split('/')
        .map(|seg| {
            if seg.starts_with(':') || seg.starts_with('{') || seg.starts_with('*') {
                has_param = true;
                let raw = if staff {
                    poison(rng)
                } else {
                    hostile_text(rng)
                };
                let raw: String = raw.chars().take(200).collect();
                form_urlencoded::byte_serialize(raw.as_bytes()).collect::<String>()
            } else {
                seg.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("/");
    let mut q = fields(rng, staff && !has_param);
    if rng.gen_bool(0.2) {
        q.push(("__path".into(), "/api/inloggen".into()));
        q.push(("__err".into(), "eyJMb2dpbiI6Ik5lcCJ9".into()));
    }
    for (k, v) in &mut q {
        k.truncate(k.char_indices().nth(100).map_or(k.len(), |(i, _)| i));
        v.truncate(v.char_indices().nth(300).map_or(v.len(), |(i, _)| i));
    }
    let query = String::from_utf8(encode(&q)).unwrap();
    Call {
        actor,
        method: reqwest::Method::GET,
        path: if query.is_empty() {
            path
        } else {
            format!("{path}?{query}")
        },
        html: true,
        body: Body::Raw {
            content_type: None,
            bytes: Vec::new(),
        },
    }
}

fn plan(seed: u64, total: usize) -> Vec<Call> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut fns: Vec<&'static str> = leptos::server_fn::axum::server_fn_paths()
        .map(|(p, _)| p)
        .collect();
    fns.sort_unstable();
    assert!(fns.len() >= 50, "server functions found: {}", fns.len());
    let uploads = brp_app::codec::upload_paths();
    let mut routes: Vec<String> = leptos_axum::generate_route_list(brp_app::App)
        .iter()
        .map(|r| r.path().to_owned())
        .collect();
    // The routes outside leptos (server/src/web.rs).
    routes.extend(
        [
            "/protocol.csv",
            "/inwoner/digid/terug",
            "/inwoner/bijlagen/{id}",
            "/inwoner/brieven/{id}/download",
            "/beheer/burgerverzoeken/bijlagen/{id}",
            "/beheer/burgerverzoeken/brieven/{id}/download",
            "/healthz",
            "/bestaat/niet/{x}",
        ]
        .map(str::to_owned),
    );
    routes.sort();
    routes.dedup();
    let mut calls = Vec::with_capacity(total);
    // Every server function and route at least once per actor first.
    for actor in 0..ACTORS {
        for f in &fns {
            calls.push(server_fn_call(&mut rng, f, uploads.contains(f), actor));
        }
    }
    while calls.len() < total {
        let actor = rng.gen_range(0..ACTORS);
        if rng.gen_bool(0.08) {
            let r = routes.choose(&mut rng).unwrap();
            calls.push(route_call(&mut rng, r, actor, (1..=3).contains(&actor)));
        } else if rng.gen_bool(0.01) {
            // DigiD start: not configured here, so it must answer a redirect, never 5xx.
            calls.push(Call {
                actor,
                method: reqwest::Method::POST,
                path: "/inwoner/digid".into(),
                html: true,
                body: Body::Form(fields(&mut rng, true)),
            });
        } else {
            let f = *fns.choose(&mut rng).unwrap();
            calls.push(server_fn_call(&mut rng, f, uploads.contains(&f), actor));
        }
    }
    calls
}

/// 0 anonymous, 1 beheerder, 2 medewerker, 3 toezichthouder, 4 citizen.
const ACTORS: usize = 5;

async fn clients(server: &Server, bsn: &str) -> Vec<reqwest::Client> {
    let mut v = vec![server.client()];
    for user in ["beheerder", "medewerker", "toezichthouder"] {
        let c = server.client();
        server.login(&c, user).await;
        v.push(c);
    }
    let c = server.client();
    let res = c
        .post(server.url("/api/inwoner/simulatie"))
        .form(&[("burgerservicenummer", bsn), ("niveau", "midden")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), reqwest::StatusCode::OK);
    v.push(c);
    v
}

async fn send(server: &Server, clients: &[reqwest::Client], call: &Call) -> u16 {
    let client = &clients[call.actor];
    let mut req = client.request(call.method.clone(), server.url(&call.path));
    if call.html {
        req = req
            .header("accept", "text/html")
            .header("referer", server.url("/inloggen"));
    }
    req = match &call.body {
        Body::Form(f) => req
            .header("content-type", "application/x-www-form-urlencoded")
            .body(encode(f)),
        Body::Multipart(f) => {
            let mut form = reqwest::multipart::Form::new();
            for (k, v) in f {
                form = form.text(k.clone(), v.clone());
            }
            req.multipart(form)
        }
        Body::Raw {
            content_type,
            bytes,
        } => {
            let req = match content_type {
                Some(ct) => req.header("content-type", ct.as_str()),
                None => req,
            };
            if call.method == reqwest::Method::GET {
                req
            } else {
                req.body(bytes.clone())
            }
        }
    };
    match req.send().await {
        Ok(res) => {
            let status = res.status().as_u16();
            let _ = res.bytes().await;
            status
        }
        // A dropped connection is what a panic in a handler looks like from outside.
        Err(e) => panic!("no answer to {} {}: {e}", call.method, call.path),
    }
}

async fn fuzz(db: TestDatabase, seed: u64, total: usize) {
    count_panics();
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
    let clients = Arc::new(clients(&server, &jan.bsn.to_string()).await);
    let before = row_counts(&server.db.pool).await;
    let panics_before = PANICS.load(Ordering::SeqCst);

    let calls = Arc::new(plan(seed, total));
    let server = Arc::new(server);
    let next = Arc::new(AtomicUsize::new(0));
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..6 {
        let (server, clients, calls, next) =
            (server.clone(), clients.clone(), calls.clone(), next.clone());
        workers.spawn(async move {
            let mut bad = Vec::new();
            let mut by_status: BTreeMap<u16, usize> = BTreeMap::new();
            loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(call) = calls.get(i) else { break };
                let status = send(&server, &clients, call).await;
                *by_status.entry(status).or_default() += 1;
                let poisoned_success = call.actor != 0
                    && (200..300).contains(&status)
                    && call.method == reqwest::Method::POST;
                if status >= 500 || poisoned_success {
                    bad.push(format!("{status} {} {:?}", call.path, call.body));
                }
            }
            (bad, by_status)
        });
    }
    let mut bad = Vec::new();
    let mut by_status: BTreeMap<u16, usize> = BTreeMap::new();
    while let Some(r) = workers.join_next().await {
        let (b, s) = r.unwrap();
        bad.extend(b);
        for (k, v) in s {
            *by_status.entry(k).or_default() += v;
        }
    }
    let sent: usize = by_status.values().sum();
    println!("fuzz: sent {sent} requests (seed {seed}); answers by status: {by_status:?}");
    bad.truncate(20);
    assert!(
        bad.is_empty(),
        "5xx or a poisoned request that succeeded: {bad:#?}"
    );
    assert_eq!(
        PANICS.load(Ordering::SeqCst),
        panics_before,
        "panics in the server"
    );
    let after = row_counts(&server.db.pool).await;
    assert_eq!(before, after, "rows were stored");
    assert_eq!(sent, total);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fuzz_every_server_function_and_route_on_sqlite() {
    fuzz(TestDatabase::sqlite().await, 10, 9_000).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fuzz_every_server_function_and_route_on_postgres() {
    fuzz(TestDatabase::postgres().await, 20, 3_000).await;
}
