//! The routes of burgerverzoeken that are not pages or server functions: the DigiD
//! redirect and its return, and downloads (attachments, letters) that the browser saves as
//! files. Each finds who is calling (`crate::caller`) and asks the service layer, which
//! decides.

use crate::caller::{Citizen, Staff};
use crate::errors::{status_of, text_response};
use crate::web::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use brp_domain::citizen::CitizenLetter;
use brp_service::store::StoredAttachment;
use brp_service::ServiceError;
use serde::Deserialize;
use tower_sessions::Session;

/// The cookie that binds a DigiD login to the browser that started it. Lax, not Strict:
/// the broker's redirect back is a cross-site navigation, on which a Strict cookie is not
/// sent. It holds only a random secret, and lives ten minutes.
fn binding_cookie_name(https: bool) -> &'static str {
    if https {
        "__Secure-brp_digid"
    } else {
        "brp_digid"
    }
}

fn binding_cookie(https: bool, value: &str, max_age: i64) -> Option<HeaderValue> {
    let secure = if https { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{}={value}; HttpOnly; SameSite=Lax; Path=/inwoner/digid; Max-Age={max_age}{secure}",
        binding_cookie_name(https)
    ))
    .ok()
}

fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

fn see_other(location: &str) -> Response {
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, location.to_owned())],
    )
        .into_response()
}

/// `POST /inwoner/digid`: on to the DigiD broker.
pub async fn digid_start(
    State(state): State<AppState>,
    client: Option<axum::Extension<brp_app::ssr::ClientAddr>>,
) -> Response {
    let client_addr = client.map_or_else(|| "onbekend".to_owned(), |c| c.0 .0);
    match state.portal.begin_digid_login(&client_addr).await {
        Ok(start) => {
            let mut res = see_other(&start.url);
            if let Some(cookie) = binding_cookie(state.web.https, &start.binding, 600) {
                res.headers_mut().insert(header::SET_COOKIE, cookie);
            }
            res
        }
        // The service's status, with words for this door: the limit counts per address.
        Err(e @ ServiceError::Throttled) => (
            status_of(&e),
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Te veel inlogpogingen vanaf dit adres. Wacht 15 minuten en probeer het dan opnieuw.",
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "DigiD login could not start");
            see_other("/inwoner?fout=digid")
        }
    }
}

#[derive(Deserialize)]
pub struct Return {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// `GET /inwoner/digid/terug`: the broker's redirect back. On success a citizen session
/// starts, and a small page moves on to `/inwoner`: after a cross-site redirect the
/// browser would not yet send the new SameSite=Strict session cookie, but it does on a
/// navigation that this page starts.
pub async fn digid_return(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Query(q): Query<Return>,
) -> Response {
    let https = state.web.https;
    let clear = binding_cookie(https, "", 0);
    let fail = |why: &str| {
        tracing::warn!(reason = why, "DigiD return refused");
        let mut res = see_other("/inwoner?fout=digid");
        if let Some(c) = clear.clone() {
            res.headers_mut().insert(header::SET_COOKIE, c);
        }
        res
    };
    if let Some(e) = q.error.as_deref() {
        // The citizen cancelled, or the broker refused; the value is the broker's code.
        let code: String = e
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(40)
            .collect();
        tracing::info!(error = %code, "DigiD returned an error");
        return fail("broker error");
    }
    let (Some(code), Some(st)) = (q.code, q.state) else {
        return fail("no code or state");
    };
    let Some(binding) = cookie_value(&headers, binding_cookie_name(https)) else {
        return fail("no binding cookie");
    };
    let claims = match state
        .portal
        .complete_digid_login(&st, &code, &binding)
        .await
    {
        Ok(c) => c,
        Err(_) => return fail("login refused"),
    };
    if let Err(e) = brp_app::ssr::start_citizen_session(&session, &claims).await {
        tracing::error!(error = %e, "citizen session could not start");
        return fail("session");
    }
    let page = "<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\">\
        <meta http-equiv=\"refresh\" content=\"0; url=/inwoner\">\
        <title>Ingelogd - BRP-portaal</title></head><body>\
        <p>U bent ingelogd met DigiD. <a href=\"/inwoner\">Ga verder naar uw verzoeken</a>.</p>\
        </body></html>";
    let mut res = (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        page,
    )
        .into_response();
    if let Some(c) = clear {
        res.headers_mut().append(header::SET_COOKIE, c);
    }
    res
}

/// Always a download: an ASCII name for every browser and the exact name as
/// `filename*` (RFC 6266); never anything that could end the header or start another.
fn content_disposition(name: &str) -> HeaderValue {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || " .-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    HeaderValue::from_str(&format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    ))
    .unwrap_or(HeaderValue::from_static("attachment"))
}

fn attachment_response(a: StoredAttachment) -> Response {
    let mut res = (
        StatusCode::OK,
        [(header::CONTENT_TYPE, a.info.kind.mime().to_owned())],
        a.data,
    )
        .into_response();
    res.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        content_disposition(&a.info.file_name),
    );
    // Whatever a file holds, it never runs as a page of this origin.
    res.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox; default-src 'none'"),
    );
    res
}

fn respond<T>(result: Result<T, ServiceError>, ok: impl FnOnce(T) -> Response) -> Response {
    match result {
        Ok(value) => ok(value),
        Err(e) => text_response(&e),
    }
}

/// `GET /inwoner/bijlagen/{id}`: the citizen's own attachment.
pub async fn citizen_attachment(
    State(state): State<AppState>,
    Citizen(c): Citizen,
    Path(id): Path<String>,
) -> Response {
    respond(
        state.portal.attachment_for_citizen(&c, &id).await,
        attachment_response,
    )
}

/// `GET /beheer/burgerverzoeken/bijlagen/{id}`: for the beheerder.
pub async fn staff_attachment(
    State(state): State<AppState>,
    Staff(actor): Staff,
    Path(id): Path<String>,
) -> Response {
    respond(
        state.portal.attachment_for_staff(&actor, &id).await,
        attachment_response,
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A letter as a file of its own: a whole HTML document with its print style, to keep or
/// print outside the portal.
fn letter_download(l: CitizenLetter) -> Response {
    let style = "body{font-family:system-ui,Arial,sans-serif;line-height:1.5;max-width:44rem;\
        margin:2rem auto;padding:0 1rem;color:#1a1a1a}\
        .data-list{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1.5rem}\
        .data-list dt{font-weight:700}.data-list dd{margin:0}\
        table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.25rem;\
        border-bottom:1px solid #6b7280;vertical-align:top}.pre-line{white-space:pre-line}\
        .letter__head{display:grid;gap:.5rem}";
    let doc = format!(
        "<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\"><title>{} ({})</title>\
         <style>{style}</style></head><body>{}</body></html>",
        escape(&l.subject),
        escape(&l.reference),
        l.body_html
    );
    let file = format!("{}-{}.html", l.reference, l.kind.code());
    let mut res = (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        doc,
    )
        .into_response();
    res.headers_mut()
        .insert(header::CONTENT_DISPOSITION, content_disposition(&file));
    res.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox; default-src 'none'; style-src 'unsafe-inline'"),
    );
    res
}

/// `GET /inwoner/brieven/{id}/download`
pub async fn citizen_letter_download(
    State(state): State<AppState>,
    Citizen(c): Citizen,
    Path(id): Path<String>,
) -> Response {
    respond(
        state.portal.citizen_letter_for_citizen(&c, &id).await,
        letter_download,
    )
}

/// `GET /beheer/burgerverzoeken/brieven/{id}/download`
pub async fn staff_letter_download(
    State(state): State<AppState>,
    Staff(actor): Staff,
    Path(id): Path<String>,
) -> Response {
    respond(
        state.portal.citizen_letter_for_staff(&actor, &id).await,
        letter_download,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_by_name() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("brp_sessie=abc; brp_digid=s3cret"),
        );
        assert_eq!(cookie_value(&h, "brp_digid").as_deref(), Some("s3cret"));
        assert_eq!(cookie_value(&h, "brp_digi"), None);
        assert_eq!(escape("<a & \"b\">"), "&lt;a &amp; &quot;b&quot;&gt;");
        assert_eq!(
            content_disposition("akte één.pdf").to_str().unwrap(),
            "attachment; filename=\"akte __n.pdf\"; filename*=UTF-8''akte%20%C3%A9%C3%A9n.pdf"
        );
    }
}
