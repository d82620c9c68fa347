//! A deterministic fuzz run of the Haal Centraal API and its token endpoint: mutated
//! bodies (removed, retyped and unknown properties, control characters, NUL bytes, cut and
//! flipped bytes, invalid UTF-8, deep nesting, huge values) and headers (content types,
//! Accept, the x- headers with odd bytes, broken Authorization). Asserts: no 5xx, no panic,
//! and every error a problem+json whose texts fit the spec's patterns.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/api.rs"]
mod api;
mod common;

use api::{application, token, BALIE, PERSONEN};
use brp_service::applications::ApiSettings;
use brp_service::testing::{TestDatabase, TestPerson};
use common::{start_with, Options};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use reqwest::header::{HeaderName, HeaderValue};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

static PANICS: AtomicUsize = AtomicUsize::new(0);

fn bodies(bsn: &str) -> Vec<Value> {
    vec![
        json!({"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": [bsn], "fields": ["naam", "burgerservicenummer"]}),
        json!({"type": "ZoekMetGeslachtsnaamEnGeboortedatum", "geslachtsnaam": "Jans*", "geboortedatum": "1975-07-07", "fields": ["naam"], "inclusiefOverledenPersonen": true}),
        json!({"type": "ZoekMetNaamEnGemeenteVanInschrijving", "geslachtsnaam": "Jansen", "voornamen": "Jan", "gemeenteVanInschrijving": "1998", "fields": ["naam"], "voorvoegsel": "van"}),
        json!({"type": "ZoekMetPostcodeEnHuisnummer", "postcode": "1991AB", "huisnummer": 12, "huisletter": "a", "fields": ["burgerservicenummer"]}),
        json!({"type": "ZoekMetStraatHuisnummerEnGemeenteVanInschrijving", "straat": "Dorpsstraat", "huisnummer": 12, "gemeenteVanInschrijving": "1998", "fields": ["naam.voornamen"]}),
        json!({"type": "ZoekMetAdresseerbaarObjectIdentificatie", "adresseerbaarObjectIdentificatie": "1998010000000001", "fields": ["naam"]}),
    ]
}

fn odd_value(rng: &mut StdRng) -> Value {
    match rng.gen_range(0..12) {
        0 => Value::Null,
        1 => json!(rng.gen::<i64>()),
        2 => json!(-1.5e300),
        3 => json!(rng.gen::<bool>()),
        4 => json!("a\u{0}b"),
        5 => json!("é".repeat(rng.gen_range(0..400))),
        6 => json!(vec!["x"; 200]),
        7 => json!({"a": {"b": [1, {"c": null}]}}),
        8 => json!("\u{202e}\u{feff}\u{1F600}*"),
        9 => json!(""),
        10 => json!("*"),
        _ => json!("999999321"),
    }
}

const KEYS: [&str; 18] = [
    "type",
    "fields",
    "burgerservicenummer",
    "geslachtsnaam",
    "voornamen",
    "voorvoegsel",
    "geslacht",
    "geboortedatum",
    "gemeenteVanInschrijving",
    "postcode",
    "huisnummer",
    "huisletter",
    "huisnummertoevoeging",
    "straat",
    "inclusiefOverledenPersonen",
    "nummeraanduidingIdentificatie",
    "adresseerbaarObjectIdentificatie",
    "onbekend",
];

fn mutate(rng: &mut StdRng, base: &Value) -> Vec<u8> {
    let mut v = base.clone();
    for _ in 0..rng.gen_range(0..4) {
        let obj = v.as_object_mut().unwrap();
        let key = *KEYS.choose(rng).unwrap();
        match rng.gen_range(0..3) {
            0 => {
                obj.remove(key);
            }
            _ => {
                obj.insert(key.into(), odd_value(rng));
            }
        }
    }
    let mut bytes = serde_json::to_vec(&v).unwrap();
    match rng.gen_range(0..10) {
        0 if !bytes.is_empty() => bytes.truncate(rng.gen_range(0..bytes.len())),
        1 if !bytes.is_empty() => {
            let i = rng.gen_range(0..bytes.len());
            bytes[i] = rng.gen();
        }
        2 => bytes.insert(rng.gen_range(0..bytes.len()), 0),
        3 => bytes = format!("{}{}", "{\"a\":".repeat(300), "}".repeat(300)).into_bytes(),
        4 => bytes.extend_from_slice(&[0xff, 0xfe]),
        5 => bytes = b"{\"type\":\"RaadpleegMetBurgerservicenummer\",\"type\":\"x\"}".to_vec(),
        6 => bytes = vec![b' '; rng.gen_range(0..100_000)],
        _ => {}
    }
    bytes
}

fn header(rng: &mut StdRng, good: &str) -> Option<HeaderValue> {
    match rng.gen_range(0..20) {
        0 => None,
        1 => Some(HeaderValue::from_bytes(b"\xff\xfe bad").unwrap()),
        2 => Some(HeaderValue::from_str(&"x".repeat(rng.gen_range(0..400))).unwrap()),
        3 => Some(HeaderValue::from_static("\t")),
        _ => Some(HeaderValue::from_str(good).unwrap()),
    }
}

fn pattern_ok(text: &str, max: usize, extra: &str) -> bool {
    let n = text.chars().count();
    (1..=max).contains(&n)
        && text.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || ('\u{C0}'..='\u{17E}').contains(&c)
                || " .-".contains(c)
                || extra.contains(c)
        })
}

async fn fuzz(db: TestDatabase, seed: u64, total: usize) {
    std::panic::set_hook({
        let previous = std::panic::take_hook();
        Box::new(move |info| {
            PANICS.fetch_add(1, Ordering::SeqCst);
            previous(info);
        })
    });
    let portal = db.portal_with(|c| {
        c.api = ApiSettings {
            requests_per_second: 1e6,
            burst: 1e6,
        }
    });
    let server = start_with(db, Options::default(), portal).await;
    let jan = TestPerson::new(0, "Jansen", "1975-07-07");
    server
        .db
        .portal()
        .store_persons([jan.persoon()])
        .await
        .unwrap();
    let app = application(&server.db.portal(), "fuzz-app", BALIE).await;
    let t = token(&server, &app).await;
    let bases = bodies(&jan.bsn.to_string());
    let mut rng = StdRng::seed_from_u64(seed);
    // A fresh connection per request: the server closes a connection whose body it did not
    // read, and a pooled one could be reused in that moment (hyper's IncompleteMessage).
    let c = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let mut by_status: BTreeMap<u16, usize> = BTreeMap::new();
    let mut bad = Vec::new();
    for i in 0..total {
        let to_token = i % 10 == 9;
        let mut large = false;
        let mut req = if to_token {
            let forms = [
                "grant_type=client_credentials",
                "grant_type=x&grant_type=y",
                "\u{0}=\u{0}",
                "%ff%fe=%00",
                "",
            ];
            let body = format!(
                "{}&client_id={}&client_secret={}",
                forms.choose(&mut rng).unwrap(),
                app.client_id,
                "x".repeat(rng.gen_range(0..600))
            );
            c.post(server.url("/oauth/token")).body(body)
        } else {
            let base = bases.choose(&mut rng).unwrap();
            let body = mutate(&mut rng, base);
            large = body.len() > 60_000;
            c.post(server.url(PERSONEN)).body(body)
        };
        let content_types = [
            "application/json",
            "application/json",
            "application/json",
            "application/json",
            "application/json; charset=UTF-8",
            "text/plain",
            "application/x-www-form-urlencoded",
            "application/json; charset=latin1",
            "multipart/form-data; boundary=x",
        ];
        let content_type = *content_types.choose(&mut rng).unwrap();
        if let Some(v) = header(&mut rng, content_type) {
            req = req.header("content-type", v);
        }
        let auth = format!("Bearer {t}");
        let auths = [
            auth.as_str(),
            auth.as_str(),
            auth.as_str(),
            auth.as_str(),
            auth.as_str(),
            auth.as_str(),
            auth.as_str(),
            "Bearer a.b.c",
            "Basic Zm9vOmJhcg==",
            "Bearer",
        ];
        let chosen = *auths.choose(&mut rng).unwrap();
        if let Some(v) = header(&mut rng, chosen) {
            req = req.header("authorization", v);
        }
        for (name, good) in [
            ("x-doelbinding", app.doel),
            ("x-gebruiker", "j.jansen"),
            ("x-verwerking", "zaak 1"),
            ("accept", "application/json"),
        ] {
            if let Some(v) = header(&mut rng, good) {
                req = req.header(HeaderName::from_static(name), v);
            }
        }
        let res = match req.send().await {
            Ok(res) => res,
            // A body over the limit is answered before it is read, and the server may close
            // the connection while the client is still sending it. Anything else dropped
            // is what a panic in a handler looks like from outside.
            Err(_) if large => {
                *by_status.entry(0).or_default() += 1;
                continue;
            }
            Err(e) => panic!("no answer to request {i}: {e:?}"),
        };
        let status = res.status().as_u16();
        *by_status.entry(status).or_default() += 1;
        let ct = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let body = res.bytes().await.unwrap();
        if status >= 500 {
            bad.push(format!(
                "{status} request {i}: {}",
                String::from_utf8_lossy(&body)
            ));
        }
        if !to_token && status >= 400 && status != 405 {
            let ok = ct == "application/problem+json"
                && serde_json::from_slice::<Value>(&body).is_ok_and(|p| {
                    pattern_ok(p["title"].as_str().unwrap_or(""), 80, "")
                        && pattern_ok(p["detail"].as_str().unwrap_or(""), 200, "(),")
                        && p["status"] == status
                });
            if !ok {
                bad.push(format!(
                    "not a spec problem: {status} {ct} {}",
                    String::from_utf8_lossy(&body)
                ));
            }
        }
    }
    println!("api fuzz: {total} requests (seed {seed}); by status: {by_status:?}");
    bad.truncate(10);
    assert!(bad.is_empty(), "{bad:#?}");
    assert_eq!(PANICS.load(Ordering::SeqCst), 0, "panics in the server");
    assert!(
        by_status.get(&200).copied().unwrap_or(0) > 0,
        "nothing got through: {by_status:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fuzz_the_api_on_sqlite() {
    fuzz(TestDatabase::sqlite().await, 11, 3_000).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fuzz_the_api_on_postgres() {
    fuzz(TestDatabase::postgres().await, 21, 1_500).await;
}
