//! `POST /oauth/token`: OAuth 2.0 client credentials (RFC 6749 section 4.4) for task
//! applications. The client authenticates with HTTP Basic (`client_secret_basic`) or with
//! `client_id` and `client_secret` in the form (`client_secret_post`), not both. The
//! checking is the service's ([`brp_service::Portal::issue_access_token`]); this reads the
//! request and writes RFC 6749's JSON.
//!
//! No session and no origin check: the caller is a server, and the secret it sends is the
//! proof that a forged cross-site request would lack.

use crate::web::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use brp_domain::ErrorClass;
use serde_json::json;

/// A token request is a few short fields.
const BODY_LIMIT: usize = 8 * 1024;

/// An RFC 6749 section 5.2 error.
fn error(status: StatusCode, code: &'static str, description: &str) -> Response {
    let mut res = (
        status,
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        json!({"error": code, "error_description": description}).to_string(),
    )
        .into_response();
    if status == StatusCode::UNAUTHORIZED {
        res.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"brp-portaal\""),
        );
    }
    res
}

fn invalid_request(description: &str) -> Response {
    error(StatusCode::BAD_REQUEST, "invalid_request", description)
}

fn invalid_client() -> Response {
    error(
        StatusCode::UNAUTHORIZED,
        "invalid_client",
        "Client authentication failed.",
    )
}

/// One form-urlencoded value decoded (RFC 6749 section 2.3.1 encodes id and secret so).
fn form_decode(raw: &str) -> String {
    form_urlencoded::parse(format!("v={raw}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// The client id and secret of a Basic `Authorization` header: `None` when there is none
/// (or another scheme), `Some(Err)` when it cannot be read.
fn basic(headers: &HeaderMap) -> Option<Result<(String, String), ()>> {
    let value = headers.get(header::AUTHORIZATION)?;
    let Ok(value) = value.to_str() else {
        return Some(Err(()));
    };
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    Some(
        base64::engine::general_purpose::STANDARD
            .decode(encoded.trim())
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|s| {
                s.split_once(':')
                    .map(|(id, secret)| (form_decode(id), form_decode(secret)))
            })
            .ok_or(()),
    )
}

/// `POST /oauth/token`.
pub async fn token(State(state): State<AppState>, req: Request) -> Response {
    let headers = req.headers().clone();
    let form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| {
            m.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        });
    if !form {
        return invalid_request("Send the request as application/x-www-form-urlencoded.");
    }
    let Ok(body) = axum::body::to_bytes(req.into_body(), BODY_LIMIT).await else {
        return invalid_request("The request is too large.");
    };
    let (mut grant_type, mut client_id, mut client_secret) = (None, None, None);
    for (key, value) in form_urlencoded::parse(&body) {
        let slot = match key.as_ref() {
            "grant_type" => &mut grant_type,
            "client_id" => &mut client_id,
            "client_secret" => &mut client_secret,
            // Unknown parameters are ignored (RFC 6749 section 3.2).
            _ => continue,
        };
        if slot.replace(value.into_owned()).is_some() {
            return invalid_request("A parameter is repeated.");
        }
    }
    match grant_type.as_deref() {
        None => return invalid_request("grant_type is required."),
        Some("client_credentials") => {}
        Some(_) => {
            return error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "Only client_credentials is supported.",
            )
        }
    }
    let (id, secret) = match (basic(&headers), client_id, client_secret) {
        (Some(Ok(credentials)), None, None) => credentials,
        (Some(Err(())), None, None) => return invalid_client(),
        (Some(_), _, _) => {
            return invalid_request("Use one method of client authentication, not two.")
        }
        (None, Some(id), Some(secret)) => (id, secret),
        (None, _, _) => return invalid_client(),
    };
    match state.portal.issue_access_token(&id, &secret).await {
        Ok(t) => (
            [
                (header::CONTENT_TYPE, "application/json; charset=utf-8"),
                (header::CACHE_CONTROL, "no-store"),
                (header::PRAGMA, "no-cache"),
            ],
            json!({"access_token": t.token, "token_type": "Bearer", "expires_in": t.expires_in})
                .to_string(),
        )
            .into_response(),
        Err(e) if e.class() == ErrorClass::Unauthenticated => invalid_client(),
        Err(e) => {
            tracing::error!(error = ?e, "token request failed");
            let status = crate::errors::status_of(&e);
            let code = if e.class() == ErrorClass::Unavailable {
                "temporarily_unavailable"
            } else {
                "server_error"
            };
            error(
                status,
                code,
                "The token could not be issued; try again later.",
            )
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn basic_credentials_are_decoded() {
        let mut h = HeaderMap::new();
        let enc = base64::engine::general_purpose::STANDARD.encode("app%3A1:ge+heim");
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_str(&format!("Basic {enc}")).unwrap(),
        );
        assert_eq!(
            basic(&h),
            Some(Ok(("app:1".to_owned(), "ge heim".to_owned())))
        );
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic !!!"));
        assert_eq!(basic(&h), Some(Err(())));
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer x"));
        assert_eq!(basic(&h), None);
    }
}
