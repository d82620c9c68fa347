//! The door of the server functions (`POST /api/...`): what every call passes before and
//! after `server_fn` handles it.
//!
//! - Before: a body over the limit is refused with 413 and a Dutch text; a text value with
//!   a control character (other than line break and tab) is refused with 400, so no NUL
//!   ever reaches the service or the database.
//! - After: the HTTP status follows the error. `server_fn` answers every error with 500;
//!   here it becomes [`AppError::status`], so arguments that cannot be decoded (text where a
//!   number goes, a missing or duplicate field, an overflowing number, a body that is not
//!   a form) answer 400, not 500.
//! - A form posted without JavaScript is redirected back to its page with the error in the
//!   URL (`__path`, `__err`). The error is also kept in this browser's session; a page
//!   shows an error from the URL only when it is that one (see [`guard_form_error`]), so a
//!   link with made-up text in `__err` shows nothing.

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use brp_app::error::AppError;
use leptos::server_fn::error::{FromServerFnError, ServerFnUrlError, SERVER_FN_ERROR_HEADER};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

/// The largest body of a server function that reads its body whole (all but the uploads,
/// which stream under the route's upload limit).
pub const FORM_LIMIT_BYTES: usize = 2 * 1024 * 1024;

/// The session key of the last form error this server produced for the browser.
const FORM_ERROR_KEY: &str = "form_error";

/// The Dutch text of a 413.
pub const TOO_LARGE: &str = "Het verzoek is te groot. Verstuur minder of kleinere bestanden.";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct FormError {
    path: String,
    err: String,
}

/// Runs every server function call (`/api/...`) through the door. A middleware, because
/// `leptos_axum` registers each server function as a route of its own.
pub async fn door(session: Session, req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let accepts_html = header_str(&req, header::ACCEPT).is_some_and(|a| a.contains("text/html"));
    let referer = header_str(&req, header::REFERER).map(str::to_owned);
    let path = req.uri().path().to_owned();
    let req = match check_body(req).await {
        Ok(req) => req,
        Err(refusal) => {
            let res = match refusal {
                Refusal::TooLarge => too_large(),
                Refusal::Invalid(e) if accepts_html => {
                    let location = ServerFnUrlError::new(&path, e)
                        .to_url(referer.as_deref().unwrap_or("/"))
                        .map_or_else(|_| "/".to_owned(), |u| u.to_string());
                    (StatusCode::FOUND, [(header::LOCATION, location)]).into_response()
                }
                Refusal::Invalid(e) => error_response(&path, &e),
            };
            return remember_form_error(&session, res).await;
        }
    };
    let res = next.run(req).await;
    let res = status_from_error(res).await;
    remember_form_error(&session, res).await
}

enum Refusal {
    TooLarge,
    Invalid(AppError),
}

fn header_str(req: &Request, name: header::HeaderName) -> Option<&str> {
    req.headers().get(name).and_then(|v| v.to_str().ok())
}

/// Reads the body of a server function that is no upload (within [`FORM_LIMIT_BYTES`])
/// and checks every name and value in it. Whatever content type a request claims, such a
/// function decodes its body as a form, so it is checked as one. Uploads are checked field
/// by field as they stream (`brp_app::ssr::read_multipart`).
async fn check_body(req: Request) -> Result<Request, Refusal> {
    if brp_app::codec::upload_paths().contains(&req.uri().path()) {
        return Ok(req);
    }
    let (parts, body) = req.into_parts();
    let bytes = to_bytes(body, FORM_LIMIT_BYTES)
        .await
        .map_err(|_| Refusal::TooLarge)?;
    for text in [parts.uri.query().unwrap_or("").as_bytes(), &bytes[..]] {
        for (name, value) in form_urlencoded::parse(text) {
            let field = if brp_domain::text::check_text("", &name).is_ok() {
                name.as_ref()
            } else {
                "formulier"
            };
            for t in [&name, &value] {
                if let Err(e) = brp_domain::text::check_text(field, t) {
                    return Err(Refusal::Invalid(AppError::Invalid {
                        field: e.field,
                        message: e.message,
                    }));
                }
            }
        }
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

/// A 413 with a Dutch text.
pub fn too_large() -> Response {
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        TOO_LARGE,
    )
        .into_response()
}

/// An error answer as `server_fn` makes one, with the error's own status.
fn error_response(path: &str, e: &AppError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST);
    let mut res = (status, Body::from(e.ser())).into_response();
    let headers = res.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Ok(v) = HeaderValue::from_str(path) {
        headers.insert(SERVER_FN_ERROR_HEADER, v);
    }
    res
}

/// Gives a `server_fn` error answer (always 500) the status of its error.
async fn status_from_error(res: Response) -> Response {
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !res.headers().contains_key(SERVER_FN_ERROR_HEADER)
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = to_bytes(body, 64 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "Er ging iets mis.").into_response();
    };
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        if let Ok(status) = StatusCode::from_u16(err.status()) {
            parts.status = status;
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The `__path` and `__err` parameters of a URL's query, if both are there.
fn form_error_in(query: &str) -> Option<FormError> {
    let mut path = None;
    let mut err = None;
    for (k, v) in form_urlencoded::parse(query.as_bytes()) {
        match k.as_ref() {
            "__path" => path = Some(v.into_owned()),
            "__err" => err = Some(v.into_owned()),
            _ => {}
        }
    }
    Some(FormError {
        path: path?,
        err: err?,
    })
}

/// Keeps the error of a redirect back to a form in the session, as the one error a page
/// may show from its URL.
async fn remember_form_error(session: &Session, res: Response) -> Response {
    let location = res
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok());
    let Some(found) = location
        .and_then(|l| l.split_once('?'))
        .and_then(|(_, q)| form_error_in(q.split('#').next().unwrap_or("")))
    else {
        return res;
    };
    if let Err(e) = session.insert(FORM_ERROR_KEY, &found).await {
        tracing::error!(error = %e, "session store");
        return (StatusCode::INTERNAL_SERVER_ERROR, "Er ging iets mis.").into_response();
    }
    res
}

/// For pages: a URL whose `__err` is not the error this server last produced for this
/// browser is sent on to the same URL without it, so no made-up text reaches the page.
pub async fn guard_form_error(session: Session, req: Request, next: Next) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return next.run(req).await;
    }
    let Some(query) = req.uri().query() else {
        return next.run(req).await;
    };
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    if !pairs.iter().any(|(k, _)| k == "__err" || k == "__path") {
        return next.run(req).await;
    }
    let kept: Option<FormError> = session.get(FORM_ERROR_KEY).await.ok().flatten();
    if kept.is_some() && kept == form_error_in(query) {
        return next.run(req).await;
    }
    let rest: Vec<&(String, String)> = pairs
        .iter()
        .filter(|(k, _)| k != "__err" && k != "__path")
        .collect();
    let mut location = req.uri().path().to_owned();
    if !rest.is_empty() {
        let mut q = form_urlencoded::Serializer::new(String::new());
        for (k, v) in rest {
            q.append_pair(k, v);
        }
        location.push('?');
        location.push_str(&q.finish());
    }
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}

/// A 413 from the body limit layer gets a Dutch text.
pub async fn dutch_too_large(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if res.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large()
    } else {
        res
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_errors_are_read_from_a_query() {
        assert_eq!(
            form_error_in("a=1&__path=%2Fapi%2Finloggen&__err=eyJ9"),
            Some(FormError {
                path: "/api/inloggen".into(),
                err: "eyJ9".into()
            })
        );
        assert_eq!(form_error_in("__err=x"), None);
    }
}
