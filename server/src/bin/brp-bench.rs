//! The raadplegen benchmark (not a test): builds a population and a protocol of the given
//! sizes on SQLite and PostgreSQL, then prints throughput and latency of protocolled
//! lookups by BSN through the service layer, of the bare indexed read plus protocol insert
//! without our layers, of a task application's lookup in process and over real HTTP (the
//! portal's own router on a loopback port, a bearer token from `/oauth/token`), and of
//! listing one person's verstrekkingen.
//!
//! `cargo run --release -p brp-server --bin brp-bench -- [personen] [protocol] [seconden]`
//! (defaults 1000000 10000000 10). PostgreSQL from `BRP_BENCH_POSTGRES_URL` (default
//! postgres://postgres@127.0.0.1:5432/postgres); set `BRP_BENCH_ONLY=sqlite|postgres` for
//! one backend.

use brp_app::ssr::SiteConfig;
use brp_domain::application::ApiContext;
use brp_domain::authorisation::SearchType;
use brp_domain::person::QueryInput;
use brp_domain::protocol::{Channel, ProtocolFilter};
use brp_server::sessions::PortalSessionStore;
use brp_server::web::{router, AppState, WebConfig};
use brp_service::applications::{ApiLookup, ApiSettings};
use brp_service::demo::{DEMO_APPLICATION_CLIENT_ID, DEMO_APPLICATION_SECRET};
use brp_service::raadplegen::LookupRequest;
use brp_service::store::{connect, Connected, DbPool};
use brp_service::{Portal, PortalConfig, SystemClock};
use leptos::prelude::LeptosOptions;
use rand::Rng;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Runs the same sqlx code on whichever pool this is (the two pool types differ).
macro_rules! on_pool {
    ($pool:expr, |$p:ident| $body:expr) => {
        match $pool {
            DbPool::Sqlite($p) => $body,
            DbPool::Postgres($p) => $body,
        }
    };
}

type Op =
    Arc<dyn Fn(String) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send>> + Send + Sync>;

struct Figures {
    ops: usize,
    per_second: f64,
    p50: Duration,
    p99: Duration,
}

/// Runs `op` from `callers` tasks for `seconds`, each call on a random BSN.
async fn measure(
    op: Op,
    bsns: Arc<Vec<String>>,
    callers: usize,
    seconds: u64,
) -> Result<Figures, String> {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..callers {
        let op = op.clone();
        let bsns = bsns.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            while Instant::now() < deadline {
                let bsn = bsns[rand::thread_rng().gen_range(0..bsns.len())].clone();
                let t = Instant::now();
                op(bsn).await?;
                latencies.push(t.elapsed());
            }
            Ok::<_, String>(latencies)
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.map_err(|e| e.to_string())??);
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    Ok(Figures {
        ops: all.len(),
        per_second: all.len() as f64 / elapsed,
        p50: pct(0.50),
        p99: pct(0.99),
    })
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// 10 protocol records per person on average, spread over the last two years, written
/// straight in SQL: this is set-up, not what is measured.
async fn fill_protocol(pool: &DbPool, records: u64) -> Result<(), String> {
    let fieldset = "INSERT INTO protocol_fieldsets (fields) VALUES ('naam.geslachtsnaam naam.voornamen') ON CONFLICT (fields) DO NOTHING";
    let e = |e: sqlx::Error| e.to_string();
    match pool {
        DbPool::Sqlite(pool) => {
            // One connection: the temporary table exists only on it.
            let mut c = pool.acquire().await.map_err(e)?;
            let p = &mut *c;
            sqlx::query(fieldset).execute(&mut *p).await.map_err(e)?;
            sqlx::query("CREATE TEMP TABLE pb (n INTEGER PRIMARY KEY, bsn TEXT NOT NULL)")
                .execute(&mut *p)
                .await
                .map_err(e)?;
            sqlx::query("INSERT INTO pb (n, bsn) SELECT row_number() OVER (ORDER BY bsn) - 1, bsn FROM persons").execute(&mut *p).await.map_err(e)?;
            sqlx::query(
                "INSERT INTO verstrekkingen (request_id, bsn, at, user_id, username, grant_id, profile_id, \
                 profile_version, afnemer_id, afnemer_name, doel_id, doel_name, zaak, search_type, channel, fieldset_id) \
                 WITH RECURSIVE c(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM c WHERE x + 1 < $1) \
                 SELECT 'bench-' || x, pb.bsn, strftime('%Y-%m-%d %H:%M:%S+00:00', 'now', '-' || (x % 730) || ' days'), \
                 (SELECT id FROM users WHERE username = 'medewerker'), 'medewerker', 1, 1, 1, 1, 'Bench', 1, 'Bench', '', \
                 'RaadpleegMetBurgerservicenummer', 'portaal', (SELECT MIN(id) FROM protocol_fieldsets) \
                 FROM c JOIN pb ON pb.n = c.x % (SELECT COUNT(*) FROM pb)",
            )
            .bind(records as i64)
            .execute(&mut *p)
            .await
            .map_err(e)?;
        }
        DbPool::Postgres(pool) => {
            let mut c = pool.acquire().await.map_err(e)?;
            let p = &mut *c;
            sqlx::query(fieldset).execute(&mut *p).await.map_err(e)?;
            sqlx::query("CREATE TEMP TABLE pb AS SELECT (row_number() OVER (ORDER BY bsn)) - 1 AS n, bsn FROM persons").execute(&mut *p).await.map_err(e)?;
            sqlx::query("CREATE INDEX ON pb (n)")
                .execute(&mut *p)
                .await
                .map_err(e)?;
            sqlx::query(
                "INSERT INTO verstrekkingen (request_id, bsn, at, user_id, username, grant_id, profile_id, \
                 profile_version, afnemer_id, afnemer_name, doel_id, doel_name, zaak, search_type, channel, fieldset_id) \
                 SELECT 'bench-' || x, pb.bsn, now() - ((x % 730) || ' days')::interval, \
                 (SELECT id FROM users WHERE username = 'medewerker'), 'medewerker', 1, 1, 1, 1, 'Bench', 1, 'Bench', '', \
                 'RaadpleegMetBurgerservicenummer', 'portaal', (SELECT MIN(id) FROM protocol_fieldsets) \
                 FROM generate_series(0, $1 - 1) AS x JOIN pb ON pb.n = x % (SELECT COUNT(*) FROM pb)",
            )
            .bind(records as i64)
            .execute(&mut *p)
            .await
            .map_err(e)?;
            sqlx::query("ANALYZE").execute(&mut *p).await.map_err(e)?;
        }
    }
    Ok(())
}

/// The bare cost: one indexed read of the person and one protocol insert, committed.
fn bare_op(pool: DbPool) -> Op {
    const INSERT: &str = "INSERT INTO verstrekkingen (request_id, bsn, at, user_id, username, grant_id, \
        profile_id, profile_version, afnemer_id, afnemer_name, doel_id, doel_name, zaak, search_type, \
        channel, fieldset_id) VALUES ($1, $2, $3, 1, 'bare', 1, 1, 1, 1, 'Bench', 1, 'Bench', '', \
        'RaadpleegMetBurgerservicenummer', 'portaal', 1)";
    Arc::new(move |bsn: String| {
        let pool = pool.clone();
        Box::pin(async move {
            let e = |e: sqlx::Error| e.to_string();
            let now = chrono::Utc::now();
            let id = uuid::Uuid::new_v4().to_string();
            // Each statement commits by itself: the insert is durable when it returns.
            on_pool!(pool, |p| {
                let data: String = sqlx::query_scalar("SELECT data FROM persons WHERE bsn = $1")
                    .bind(&bsn)
                    .fetch_one(&p)
                    .await
                    .map_err(e)?;
                std::hint::black_box(data);
                sqlx::query(INSERT)
                    .bind(id)
                    .bind(&bsn)
                    .bind(now)
                    .execute(&p)
                    .await
                    .map_err(e)?;
            });
            Ok(())
        })
    })
}

/// The demo task application's doel (its grant is on the Burgerzaken balie profile).
const API_DOEL: &str = "Dienstverlening aan de balie";
const API_FIELDS: [&str; 4] = ["burgerservicenummer", "naam", "geboorte", "verblijfplaats"];

/// A task application's lookup by BSN in process: the token checked and the request
/// answered by the service, as the HTTP handler does, without HTTP and JSON.
fn api_in_process(portal: Portal, token: String) -> Op {
    Arc::new(move |bsn: String| {
        let portal = portal.clone();
        let token = token.clone();
        Box::pin(async move {
            let app = portal
                .authenticate_application(&token)
                .await
                .map_err(|e| e.to_string())?;
            let request = ApiLookup {
                context: ApiContext {
                    doelbinding: API_DOEL.to_owned(),
                    gebruiker: "bench".to_owned(),
                    verwerking: None,
                },
                search_type: SearchType::RaadpleegMetBurgerservicenummer,
                input: QueryInput {
                    burgerservicenummer: bsn,
                    ..QueryInput::default()
                },
                fields: API_FIELDS.iter().map(|f| (*f).to_owned()).collect(),
            };
            let r = portal
                .api_lookup(&app, request)
                .await
                .map_err(|e| e.to_string())?;
            if r.persons.len() != 1 {
                return Err("API lookup did not find the person".into());
            }
            Ok(())
        })
    })
}

/// The same lookup over HTTP: `POST /haalcentraal/api/brp/personen` with the bearer token,
/// the response read to its end.
fn api_over_http(client: reqwest::Client, url: String, token: String) -> Op {
    Arc::new(move |bsn: String| {
        let request = client
            .post(&url)
            .bearer_auth(&token)
            .header("x-doelbinding", API_DOEL)
            .header("x-gebruiker", "bench")
            .json(&serde_json::json!({
                "type": "RaadpleegMetBurgerservicenummer",
                "burgerservicenummer": [bsn],
                "fields": API_FIELDS,
            }));
        Box::pin(async move {
            let res = request.send().await.map_err(|e| e.to_string())?;
            let status = res.status();
            let body = res.bytes().await.map_err(|e| e.to_string())?;
            if !status.is_success() || !body.windows(bsn.len()).any(|w| w == bsn.as_bytes()) {
                return Err(format!(
                    "API answered {status}: {}",
                    String::from_utf8_lossy(&body)
                ));
            }
            Ok(())
        })
    })
}

/// Serves the portal's router on a loopback port, as `brp-portaal serve` does; returns its
/// base URL.
async fn serve(portal: Portal, pool: &DbPool) -> Result<String, String> {
    let sessions = PortalSessionStore::new(pool);
    sessions.migrate().await.map_err(|e| e.to_string())?;
    let state = AppState {
        leptos: LeptosOptions::builder()
            .output_name("brp-portaal")
            .site_root("target/site")
            .site_pkg_dir("pkg")
            .build(),
        portal,
        site: SiteConfig {
            municipality: "Gemeente Bench".into(),
            demo: true,
        },
        web: Arc::new(WebConfig {
            https: false,
            trust_proxy: false,
            public_origin: None,
            session_idle: chrono::Duration::minutes(30),
        }),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let app = router(state, sessions);
    tokio::spawn(async move {
        if let Err(e) = axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        {
            eprintln!("server stopped: {e}");
        }
    });
    Ok(format!("http://{addr}"))
}

/// An access token for the demo application from `/oauth/token`.
async fn api_token(client: &reqwest::Client, base: &str) -> Result<String, String> {
    let res = client
        .post(format!("{base}/oauth/token"))
        .basic_auth(DEMO_APPLICATION_CLIENT_ID, Some(DEMO_APPLICATION_SECRET))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let body: serde_json::Value = res.json().await.map_err(|e| e.to_string())?;
    body["access_token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("no access token: {body}"))
}

fn print_row(label: &str, f: &Figures) {
    println!(
        "{:<48} {:>9} {:>10.0} {:>10} {:>10}",
        label,
        f.ops,
        f.per_second,
        ms(f.p50),
        ms(f.p99)
    );
}

async fn run_backend(
    name: &str,
    url: &str,
    persons: usize,
    protocol: u64,
    seconds: u64,
) -> Result<(), String> {
    println!("\n== {name}");
    let Connected { store, pool } = connect(url).await.map_err(|e| e.to_string())?;
    store.migrate().await.map_err(|e| e.to_string())?;
    // No rate limit: the benchmark measures what the portal can do, not what it allows.
    let portal = Portal::new(store, Arc::new(SystemClock), PortalConfig::default())
        .map_err(|e| e.to_string())?
        .with_api_settings(ApiSettings {
            requests_per_second: 1e9,
            burst: 1e9,
        });
    portal.seed_demo().await.map_err(|e| e.to_string())?;
    portal
        .seed_demo_application()
        .await
        .map_err(|e| e.to_string())?;

    let t = Instant::now();
    portal
        .generate_population(persons, 1)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "population: {persons} persons generated and stored in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    fill_protocol(&pool, protocol).await?;
    println!(
        "protocol: {protocol} records written in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    let bsns: Vec<String> = on_pool!(&pool, |p| sqlx::query_scalar("SELECT bsn FROM persons")
        .fetch_all(p)
        .await
        .map_err(|e| e.to_string())?);
    let bsns = Arc::new(bsns);

    let medewerker = portal
        .login("medewerker", brp_service::demo::DEMO_PASSWORD, "bench")
        .await
        .map_err(|e| e.to_string())?
        .actor;
    let grant = portal
        .lookup_grants(&medewerker)
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .next()
        .ok_or("no grant")?;
    let service: Op = {
        let portal = portal.clone();
        Arc::new(move |bsn: String| {
            let portal = portal.clone();
            let medewerker = medewerker.clone();
            let request = LookupRequest {
                grant_id: grant.grant_id,
                doel_id: grant.doelen[0].id,
                zaak: String::new(),
                search_type: SearchType::RaadpleegMetBurgerservicenummer,
                input: QueryInput {
                    burgerservicenummer: bsn,
                    ..QueryInput::default()
                },
                fields: Vec::new(),
                channel: Channel::Api,
            };
            Box::pin(async move {
                let r = portal
                    .lookup(&medewerker, request)
                    .await
                    .map_err(|e| e.to_string())?;
                if r.persons.len() != 1 {
                    return Err("lookup did not find the person".into());
                }
                Ok(())
            })
        })
    };
    let beheerder = portal
        .login("beheerder", brp_service::demo::DEMO_PASSWORD, "bench")
        .await
        .map_err(|e| e.to_string())?
        .actor;
    let listing: Op = {
        let portal = portal.clone();
        Arc::new(move |bsn: String| {
            let portal = portal.clone();
            let beheerder = beheerder.clone();
            Box::pin(async move {
                let filter = ProtocolFilter {
                    bsn: Some(brp_domain::person::Bsn::parse(&bsn).map_err(|e| e.to_string())?),
                    ..ProtocolFilter::default()
                };
                portal
                    .protocol_records(&beheerder, &filter)
                    .await
                    .map_err(|e| e.to_string())?;
                Ok(())
            })
        })
    };

    let base = serve(portal.clone(), &pool).await?;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .build()
        .map_err(|e| e.to_string())?;
    let token = api_token(&client, &base).await?;
    let in_process = api_in_process(portal.clone(), token.clone());
    let over_http = api_over_http(
        client,
        format!("{base}/haalcentraal/api/brp/personen"),
        token,
    );

    println!(
        "{:<48} {:>9} {:>10} {:>10} {:>10}",
        "measurement", "calls", "per s", "p50", "p99"
    );
    for callers in [1, 32] {
        for (label, op) in [
            ("service lookup by BSN, protocolled", service.clone()),
            ("bare read + protocol insert", bare_op(pool.clone())),
        ] {
            let f = measure(op, bsns.clone(), callers, seconds).await?;
            print_row(&format!("{label}, {callers} caller(s)"), &f);
        }
        let local = measure(in_process.clone(), bsns.clone(), callers, seconds).await?;
        print_row(
            &format!("API lookup in process, {callers} caller(s)"),
            &local,
        );
        let http = measure(over_http.clone(), bsns.clone(), callers, seconds).await?;
        print_row(&format!("API lookup over HTTP, {callers} client(s)"), &http);
        println!(
            "  HTTP / in process at {callers}: {:.2} of the rate",
            http.per_second / local.per_second
        );
    }
    let f = measure(listing, bsns.clone(), 1, seconds).await?;
    print_row("list one person's verstrekkingen, 1 caller", &f);
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let arg = |i: usize, default: u64| args.get(i).and_then(|a| a.parse().ok()).unwrap_or(default);
    let persons = arg(1, 1_000_000) as usize;
    let protocol = arg(2, 10_000_000);
    let seconds = arg(3, 10);
    let only = std::env::var("BRP_BENCH_ONLY").unwrap_or_default();
    println!(
        "brp-bench: {persons} persons, {protocol} protocol records, {seconds} s per measurement"
    );

    if only.is_empty() || only == "sqlite" {
        let dir = std::env::temp_dir().join(format!("brp-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let url = format!("sqlite://{}", dir.join("bench.sqlite").display());
        let result = run_backend("SQLite", &url, persons, protocol, seconds).await;
        let _ = std::fs::remove_dir_all(&dir);
        result?;
    }
    if only.is_empty() || only == "postgres" {
        use sqlx::Connection;
        let admin = std::env::var("BRP_BENCH_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        let name = format!("brp_bench_{}", std::process::id());
        let mut conn = sqlx::PgConnection::connect(&admin)
            .await
            .map_err(|e| e.to_string())?;
        sqlx::query(&format!("CREATE DATABASE \"{name}\""))
            .execute(&mut conn)
            .await
            .map_err(|e| e.to_string())?;
        let base = admin
            .rsplit_once('/')
            .map(|(b, _)| b.to_owned())
            .unwrap_or(admin.clone());
        let result = run_backend(
            "PostgreSQL",
            &format!("{base}/{name}"),
            persons,
            protocol,
            seconds,
        )
        .await;
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
            .execute(&mut conn)
            .await;
        result?;
    }
    Ok(())
}
