//! The Haal Centraal BRP Personen API for task applications: `POST /personen` under
//! `/haalcentraal/api/brp`, and the spec this portal implements. The HTTP layer only
//! reads the request ([`request`]), calls [`brp_service::Portal::api_lookup`] with the
//! application the bearer token names ([`crate::caller::Application`]) and writes the
//! answer or the error ([`problem`]); every rule (grant, doelbinding, fields, geheimhouding,
//! protocol, rate limit) is the service's.
//!
//! These routes have no session and no origin check: a task application is no browser,
//! it sends no cookies, and its bearer token is not sent along by a browser on its own.

pub mod problem;
pub mod request;

use crate::caller::Application;
use crate::web::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use brp_domain::application::ApiContext;
use brp_service::applications::ApiLookup;
use problem::{InvalidParam, Problem};
use request::BadQuery;
use serde_json::{json, Value};

/// Where the API lives, as in the spec's `servers`.
pub const BASE: &str = "/haalcentraal/api/brp";
/// The one endpoint.
pub const PERSONEN: &str = "/haalcentraal/api/brp/personen";
/// The largest request body. A query with 130 fields of 200 characters is about 27 kB.
pub const BODY_LIMIT: usize = 64 * 1024;

/// The spec as implemented, served for the applications' developers and test tools. A copy
/// in the repository, so the server needs nothing outside it at run time.
const OPENAPI: &str = include_str!("../../api/openapi.yaml");

/// The API's routes, and `/oauth/token` that issues its access tokens.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(PERSONEN, post(personen))
        .route(&format!("{BASE}/openapi.yaml"), get(openapi))
        .route("/oauth/token", post(crate::oauth::token))
}

async fn openapi() -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/yaml; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        OPENAPI,
    )
        .into_response()
}

/// Whether the `Accept` header allows JSON (absent: anything goes).
fn accepts_json(headers: &HeaderMap) -> bool {
    let values: Vec<_> = headers.get_all(header::ACCEPT).iter().collect();
    if values.is_empty() {
        return true;
    }
    values.iter().any(|v| {
        v.to_str().is_ok_and(|v| {
            v.split(',').any(|range| {
                let mut parts = range.split(';');
                let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
                let charset_ok = parts.all(|p| match p.split_once('=') {
                    Some((k, v)) if k.trim().eq_ignore_ascii_case("charset") => {
                        v.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
                    }
                    _ => true,
                });
                charset_ok
                    && matches!(
                        media.as_str(),
                        "*/*" | "application/*" | "application/json" | "application/problem+json"
                    )
            })
        })
    })
}

/// Whether the body is declared JSON in UTF-8, as the official API requires.
fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let mut parts = value.split(';');
    let media = parts.next().unwrap_or("").trim();
    media.eq_ignore_ascii_case("application/json")
        && parts.all(|p| match p.split_once('=') {
            Some((k, v)) if k.trim().eq_ignore_ascii_case("charset") => {
                v.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
            }
            _ => false,
        })
}

/// The three context headers, each as sent; a header that is not text is refused by name.
fn context(headers: &HeaderMap) -> Result<ApiContext, InvalidParam> {
    let mut values = Vec::new();
    for name in ["x-doelbinding", "x-gebruiker", "x-verwerking"] {
        match headers.get(name).map(|v| v.to_str()) {
            None => values.push(None),
            Some(Ok(v)) => values.push(Some(v)),
            Some(Err(_)) => {
                return Err(InvalidParam::new(
                    name,
                    "value",
                    "Waarde is geen geldige tekst.",
                ))
            }
        }
    }
    ApiContext::parse(values[0], values[1], values[2]).map_err(|e| {
        let sent = headers
            .get(e.field.as_str())
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| !v.trim().is_empty());
        if sent {
            InvalidParam::new(e.field, "value", e.message)
        } else {
            InvalidParam::required(&e.field)
        }
    })
}

/// The `instance` of a problem: the absolute URI of the request, as the spec's Foutbericht
/// requires (`format: uri`). The public origin when configured, else the Host header when it
/// is a plain host name (anything else could make the URI invalid), else localhost.
pub(crate) fn instance_uri(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    path: &str,
) -> String {
    let origin = state.web.public_origin.clone().unwrap_or_else(|| {
        let scheme = if state.web.https { "https" } else { "http" };
        let host = headers
            .get(axum::http::header::HOST)
            .and_then(|v| v.to_str().ok())
            .filter(|h| {
                !h.is_empty()
                    && h.len() <= 255
                    && h.chars().all(|c| {
                        c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']')
                    })
            })
            .unwrap_or("localhost");
        format!("{scheme}://{host}")
    });
    format!("{}{path}", origin.trim_end_matches('/'))
}

/// `POST /haalcentraal/api/brp/personen`.
async fn personen(
    State(state): State<AppState>,
    Application(app): Application,
    req: Request,
) -> Response {
    let headers = req.headers().clone();
    let instance = instance_uri(&state, &headers, req.uri().path());
    if !accepts_json(&headers) {
        return Problem::not_acceptable(&instance).into_response();
    }
    if !is_json(&headers) {
        return Problem::unsupported_media_type(&instance).into_response();
    }
    let Ok(bytes) = axum::body::to_bytes(req.into_body(), BODY_LIMIT).await else {
        return Problem::too_large(&instance, BODY_LIMIT).into_response();
    };
    // serde_json refuses nesting deeper than 128 and raw control characters: both a 400.
    let body: Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(_) => {
            return Problem::unreadable(&instance, "Het verzoek is geen geldige JSON.")
                .into_response()
        }
    };
    let parsed = request::parse(&body);
    let context = context(&headers);
    let (parsed, context) = match (parsed, context) {
        (Ok(p), Ok(c)) => (p, c),
        (p, c) => {
            let mut errors = p.err().unwrap_or_default();
            errors.extend(c.err());
            return Problem::params(&instance, errors).into_response();
        }
    };
    let (search_type, input, fields) = match parsed.into_lookup() {
        Ok(l) => l,
        Err(BadQuery::Params(errors)) => return Problem::params(&instance, errors).into_response(),
    };
    let lookup = ApiLookup {
        context,
        search_type,
        input,
        fields,
    };
    match state.portal.api_lookup(&app, lookup).await {
        Ok(result) => {
            let personen: Vec<&Value> = result.persons.iter().map(|p| &p.persoon).collect();
            let body = json!({"type": result.search_type.code(), "personen": personen});
            (
                [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
                serde_json::to_vec(&body).unwrap_or_default(),
            )
                .into_response()
        }
        Err(e) => Problem::from_service(&e, &instance).into_response(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use axum::http::HeaderValue;

    fn with(name: header::HeaderName, value: &'static str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(name, HeaderValue::from_static(value));
        h
    }

    #[test]
    fn accept_and_content_type_as_the_official_api() {
        for ok in [
            "*/*",
            "*/*;charset=UTF-8",
            "application/json; charset=utf-8",
            "text/html, application/json",
        ] {
            assert!(accepts_json(&with(header::ACCEPT, ok)), "{ok}");
        }
        for bad in [
            "application/xml",
            "text/csv",
            "application/json; charset=cp1252",
        ] {
            assert!(!accepts_json(&with(header::ACCEPT, bad)), "{bad}");
        }
        assert!(accepts_json(&HeaderMap::new()));
        for ok in [
            "application/json",
            "application/json;charset=Utf-8",
            "application/json; charset=UTF-8",
        ] {
            assert!(is_json(&with(header::CONTENT_TYPE, ok)), "{ok}");
        }
        for bad in [
            "text/csv",
            "application/json; charset=cp1252",
            "application/xml",
            "",
        ] {
            assert!(!is_json(&with(header::CONTENT_TYPE, bad)), "{bad}");
        }
        assert!(!is_json(&HeaderMap::new()));
    }
}
