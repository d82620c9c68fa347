//! The in-process server the HTTP tests talk to over real HTTP on 127.0.0.1, and small
//! helpers for its cookies.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use brp_app::ssr::SiteConfig;
use brp_server::sessions::PortalSessionStore;
use brp_server::web::{router, AppState, WebConfig};
use brp_service::demo::DEMO_PASSWORD;
use brp_service::testing::TestDatabase;
use brp_service::Portal;
use leptos::prelude::LeptosOptions;
use reqwest::header::{HeaderMap, HeaderValue, ORIGIN};
use reqwest::StatusCode;
use std::net::SocketAddr;
use std::sync::Arc;

pub struct Server {
    pub base: String,
    pub db: TestDatabase,
}

#[derive(Clone, Copy)]
pub struct Options {
    pub https: bool,
    pub trust_proxy: bool,
    pub idle: chrono::Duration,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            https: false,
            trust_proxy: false,
            idle: chrono::Duration::minutes(30),
        }
    }
}

pub async fn start(db: TestDatabase, opts: Options) -> Server {
    let portal = db.portal();
    start_with(db, opts, portal).await
}

/// Like [`start`], with a portal the test configured itself (on the same database).
pub async fn start_with(db: TestDatabase, opts: Options, portal: Portal) -> Server {
    start_built(db, opts, move |_, _| portal).await
}

/// Like [`start`], with a portal made once the server's address is known (a DigiD client
/// needs its redirect address).
pub async fn start_built(
    db: TestDatabase,
    opts: Options,
    make: impl FnOnce(&TestDatabase, &str) -> Portal,
) -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let portal = make(&db, &format!("http://{addr}"));
    portal.seed_demo().await.unwrap();
    let sessions = PortalSessionStore::new(&db.pool);
    sessions.migrate().await.unwrap();
    let leptos = LeptosOptions::builder()
        .output_name("brp-portaal")
        .site_root("target/site")
        .site_pkg_dir("pkg")
        .build();
    let state = AppState {
        leptos,
        portal,
        site: SiteConfig {
            municipality: "Gemeente Test".into(),
            demo: true,
        },
        web: Arc::new(WebConfig {
            https: opts.https,
            trust_proxy: opts.trust_proxy,
            public_origin: None,
            session_idle: opts.idle,
        }),
    };
    let app = router(state, sessions);
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    Server {
        base: format!("http://{addr}"),
        db,
    }
}

impl Server {
    pub fn client(&self) -> reqwest::Client {
        let mut headers = HeaderMap::new();
        headers.insert(ORIGIN, HeaderValue::from_str(&self.base).unwrap());
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .default_headers(headers)
            .build()
            .unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Logs in as a script would and returns the raw session cookie (`name=value`).
    pub async fn login(&self, client: &reqwest::Client, user: &str) -> String {
        let res = client
            .post(self.url("/api/inloggen"))
            .form(&[("gebruikersnaam", user), ("wachtwoord", DEMO_PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "login {user}");
        session_cookie(&res).expect("login sets a session cookie")
    }
}

pub fn set_cookie_header(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.contains("brp_sessie="))
        .map(str::to_owned)
}

pub fn session_cookie(res: &reqwest::Response) -> Option<String> {
    set_cookie_header(res).and_then(|v| v.split(';').next().map(str::to_owned))
}

/// A client without cookie store, sending exactly the given cookie.
pub fn bare_client(base: &str, cookie: &str) -> reqwest::Client {
    let mut headers = HeaderMap::new();
    headers.insert(ORIGIN, HeaderValue::from_str(base).unwrap());
    headers.insert("cookie", HeaderValue::from_str(cookie).unwrap());
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .unwrap()
}
