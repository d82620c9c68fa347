//! The HTTP side: routes, security headers, the origin check, request ids and logs.

use crate::caller::Staff;
use crate::citizen_routes;
use crate::errors::text_response;
use crate::sessions::{self, PortalSessionStore};
use axum::body::Body;
use axum::extract::{ConnectInfo, FromRef, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use brp_app::ssr::{ClientAddr, SiteConfig};
use brp_app::{shell, App};
use brp_service::Portal;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, handle_server_fns_with_context, LeptosRoutes};
use std::net::SocketAddr;
use std::sync::Arc;
use tower::ServiceBuilder;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;

/// The largest upload request: three attachments of 10 MB and the form around them.
pub const UPLOAD_LIMIT_BYTES: usize = 3 * 10 * 1024 * 1024 + 1024 * 1024;

/// How this server is reached, for the security rules that depend on it.
#[derive(Debug, Clone)]
pub struct WebConfig {
    pub https: bool,
    pub trust_proxy: bool,
    /// When set, state-changing requests must carry exactly this origin.
    pub public_origin: Option<String>,
    pub session_idle: chrono::Duration,
}

#[derive(Clone)]
pub struct AppState {
    pub leptos: LeptosOptions,
    pub portal: Portal,
    pub site: SiteConfig,
    pub web: Arc<WebConfig>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

/// The whole application. `/healthz` and the compiled site assets are served without
/// sessions; pages and server functions with them.
pub fn router(state: AppState, session_store: PortalSessionStore) -> Router {
    let routes = generate_route_list(App);
    let context = {
        let portal = state.portal.clone();
        let site = state.site.clone();
        move || {
            provide_context(portal.clone());
            provide_context(site.clone());
        }
    };
    let shell_fn = {
        let options = state.leptos.clone();
        move || shell(options.clone())
    };

    let server_fns = {
        let context = context.clone();
        move |req: Request| handle_server_fns_with_context(context.clone(), req)
    };
    let with_sessions = Router::new()
        .route("/api/{*fn_name}", post(server_fns))
        .route("/protocol.csv", get(protocol_csv))
        .route("/inwoner/digid", post(citizen_routes::digid_start))
        .route("/inwoner/digid/terug", get(citizen_routes::digid_return))
        .route(
            "/inwoner/bijlagen/{id}",
            get(citizen_routes::citizen_attachment),
        )
        .route(
            "/inwoner/brieven/{id}/download",
            get(citizen_routes::citizen_letter_download),
        )
        .route(
            "/beheer/burgerverzoeken/bijlagen/{id}",
            get(citizen_routes::staff_attachment),
        )
        .route(
            "/beheer/burgerverzoeken/brieven/{id}/download",
            get(citizen_routes::staff_letter_download),
        )
        .leptos_routes_with_context(&state, routes, context.clone(), shell_fn)
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        .layer(middleware::from_fn(crate::server_fns::guard_form_error))
        .layer(middleware::from_fn(crate::server_fns::door))
        .layer(middleware::from_fn_with_state(state.clone(), origin_check))
        // No request body is larger than an upload: three attachments of 10 MB and the
        // form around them. Server functions that read their whole body (all but the
        // multipart uploads) stay under axum's 2 MB default besides.
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            UPLOAD_LIMIT_BYTES,
        ))
        .layer(middleware::from_fn(crate::server_fns::dutch_too_large))
        .layer(sessions::layer(
            session_store,
            state.web.https,
            state.web.session_idle,
        ));

    let pkg_dir = format!("{}/{}", state.leptos.site_root, state.leptos.site_pkg_dir);
    let assets = Router::new()
        .nest_service(
            &format!("/{}", state.leptos.site_pkg_dir),
            ServeDir::new(pkg_dir),
        )
        .route("/healthz", get(healthz));

    let request_id = header::HeaderName::from_static("x-request-id");
    Router::new()
        .merge(assets)
        // The API and its token endpoint: outside the sessions and the origin check
        // (their callers are programs with a bearer token or a client secret), with their
        // own body limits and error format.
        .merge(crate::haalcentraal::routes())
        .merge(with_sessions)
        .layer(middleware::from_fn_with_state(state.clone(), client_addr))
        .layer(middleware::from_fn_with_state(state.clone(), security_headers))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
                    let id = req
                        .headers()
                        .get("x-request-id")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("-");
                    // The path only: query strings may hold personal data.
                    tracing::info_span!("request", id, method = %req.method(), path = req.uri().path())
                }))
                .layer(PropagateRequestIdLayer::new(request_id)),
        )
        .with_state(state)
}

/// `GET /protocol.csv`: the protocol viewer's result as a download. A plain route rather
/// than a server function because the browser saves the response as a file; the rules are
/// the service layer's, as everywhere.
async fn protocol_csv(
    State(state): State<AppState>,
    Staff(actor): Staff,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Response {
    use brp_domain::protocol::ProtocolFilter;
    let p = |k: &str| q.get(k).map(String::as_str).unwrap_or("");
    let filter = match ProtocolFilter::parse(
        p("bsn"),
        p("medewerker"),
        p("afnemer"),
        p("kanaal"),
        p("van"),
        p("tot"),
    ) {
        Ok(f) => f,
        Err(e) => return text_response(&e.into()),
    };
    match state.portal.protocol_csv(&actor, &filter).await {
        Ok(export) => {
            let mut res = (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                    (
                        header::CONTENT_DISPOSITION,
                        "attachment; filename=\"protocol.csv\"",
                    ),
                    (header::CACHE_CONTROL, "no-store"),
                ],
                export.csv,
            )
                .into_response();
            if export.truncated {
                // Also said in the file's last line; here for whoever reads the response.
                res.headers_mut().insert(
                    header::HeaderName::from_static("x-protocol-afgekapt"),
                    HeaderValue::from_static("ja; verfijn het filter"),
                );
            }
            res
        }
        Err(e) => text_response(&e),
    }
}

/// `GET /healthz`: 200 while the database answers, 503 when it does not. Not a mapping of
/// the error: a health check answers "up or not" whatever the cause, and 503 is what load
/// balancers read as "not".
async fn healthz(State(state): State<AppState>) -> Response {
    match state.portal.health().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::error!(error = ?e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database niet bereikbaar").into_response()
        }
    }
}

/// Headers for every response. Pages set their own Content-Security-Policy with a nonce
/// (in the shell); anything else gets one that allows nothing.
async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let is_asset = req
        .uri()
        .path()
        .starts_with(&format!("/{}/", state.leptos.site_pkg_dir));
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let set = |h: &mut HeaderMap, name: header::HeaderName, value: &'static str| {
        h.insert(name, HeaderValue::from_static(value));
    };
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    // same-origin, not no-referrer: a form posted without JavaScript is sent back to its
    // page by the Referer.
    set(h, header::REFERRER_POLICY, "same-origin");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(
        h,
        header::HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    set(
        h,
        header::HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(), payment=()",
    );
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        set(
            h,
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
        );
    }
    // Pages and answers hold personal data: never in a shared or browser cache.
    if !h.contains_key(header::CACHE_CONTROL) {
        set(
            h,
            header::CACHE_CONTROL,
            if is_asset { "no-cache" } else { "no-store" },
        );
    }
    if state.web.https {
        set(
            h,
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
    res
}

/// Refuses state-changing requests from another origin (cross-site request forgery). The
/// browser sends `Origin` with every POST; a request without it must show a same-origin
/// `Referer`. Session cookies are SameSite=Strict as well: two independent defences.
async fn origin_check(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let claimed = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| {
            headers
                .get(header::REFERER)
                .and_then(|v| v.to_str().ok())
                .and_then(origin_of)
        });
    let expected = state.web.public_origin.clone().or_else(|| {
        headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .map(|host| {
                let scheme = if state.web.https { "https" } else { "http" };
                format!("{scheme}://{host}")
            })
    });
    match (claimed, expected) {
        (Some(c), Some(e)) if c.eq_ignore_ascii_case(&e) => next.run(req).await,
        (claimed, _) => {
            tracing::warn!(
                ?claimed,
                path = req.uri().path(),
                "refused: cross-origin request"
            );
            (
                StatusCode::FORBIDDEN,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                "Verzoek geweigerd: het komt niet van dit portaal.",
            )
                .into_response()
        }
    }
}

/// `scheme://host[:port]` of a URL, without path.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    (!authority.is_empty()).then(|| format!("{scheme}://{authority}"))
}

/// Puts the client's address in the request for the service layer (login throttling and
/// logs): the peer address, or behind a trusted proxy the last X-Forwarded-For entry,
/// which is the one that proxy added.
async fn client_addr(
    State(state): State<AppState>,
    mut req: Request<Body>,
    next: Next,
) -> Response {
    let from_proxy = state
        .web
        .trust_proxy
        .then(|| {
            req.headers()
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .map(|v| v.trim().to_owned())
        })
        .flatten()
        .filter(|v| !v.is_empty());
    let addr = from_proxy.or_else(|| {
        req.extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(a)| a.ip().to_string())
    });
    req.extensions_mut()
        .insert(ClientAddr(addr.unwrap_or_else(|| "onbekend".to_owned())));
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::origin_of;

    #[test]
    fn origin_is_scheme_and_authority() {
        assert_eq!(
            origin_of("http://127.0.0.1:3000/beheer?x=1").as_deref(),
            Some("http://127.0.0.1:3000")
        );
        assert_eq!(origin_of("https://a.nl").as_deref(), Some("https://a.nl"));
        assert_eq!(origin_of("geen-url"), None);
        assert_eq!(origin_of("http:///pad"), None);
    }
}
