//! Errors of the Haal Centraal API as `application/problem+json` (RFC 7807) with the
//! fields and codes of the spec's `Foutbericht` and `BadRequestFoutbericht`.
//!
//! [`Problem::from_service`] is the one mapping from a [`ServiceError`] to an API error;
//! its status is the service's ([`ServiceError::class`]). Every text goes through
//! [`Problem::into_response`]'s sanitising, so whatever a message holds, the answer fits the
//! spec's patterns (title, detail, `invalidParams` name and reason) that a conformance run
//! checks.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use brp_domain::ErrorClass;
use brp_service::ServiceError;
use serde::Serialize;

/// The title of a 400 answer, as the official API words it.
pub const PARAMS_TITLE: &str = "Een of meerdere parameters zijn niet correct.";

/// One wrong parameter: `name` the parameter (or `fields[2]`), `code` the kind of fault,
/// `reason` in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvalidParam {
    pub name: String,
    pub code: &'static str,
    pub reason: String,
}

impl InvalidParam {
    pub fn new(name: impl Into<String>, code: &'static str, reason: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            code,
            reason: reason.into(),
        }
    }

    pub fn required(name: &str) -> Self {
        Self::new(name, "required", "Parameter is verplicht.")
    }

    pub fn pattern(name: impl Into<String>) -> Self {
        // The official API adds the pattern itself; the spec's own pattern for `reason`
        // does not allow its characters, so it is left out.
        Self::new(name, "pattern", "Waarde voldoet niet aan patroon.")
    }
}

/// An API error, before it is written down.
#[derive(Debug, Clone)]
pub struct Problem {
    pub status: StatusCode,
    pub code: &'static str,
    pub title: String,
    pub detail: String,
    pub instance: String,
    pub invalid_params: Vec<InvalidParam>,
    pub retry_after: Option<u64>,
    /// The challenge of a 401: `Bearer` for the API.
    pub challenge: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Body<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'a str,
    status: u16,
    detail: &'a str,
    instance: &'a str,
    code: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    invalid_params: Vec<InvalidParam>,
}

impl Problem {
    pub fn new(
        status: StatusCode,
        code: &'static str,
        title: &str,
        detail: impl Into<String>,
        instance: &str,
    ) -> Self {
        Self {
            status,
            code,
            title: title.to_owned(),
            detail: detail.into(),
            instance: instance.to_owned(),
            invalid_params: Vec::new(),
            retry_after: None,
            challenge: None,
        }
    }

    /// A 400 naming every wrong parameter, as the official API answers.
    pub fn params(instance: &str, invalid_params: Vec<InvalidParam>) -> Self {
        let names: Vec<&str> = invalid_params.iter().map(|p| p.name.as_str()).collect();
        let mut p = Self::new(
            StatusCode::BAD_REQUEST,
            "paramsValidation",
            PARAMS_TITLE,
            format!("De foutieve parameter(s) zijn: {}.", names.join(", ")),
            instance,
        );
        p.invalid_params = invalid_params;
        p
    }

    /// A request that cannot be read at all (not JSON, not an object): a 400 without
    /// parameters.
    pub fn unreadable(instance: &str, detail: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "paramsValidation",
            PARAMS_TITLE,
            detail,
            instance,
        )
    }

    pub fn not_acceptable(instance: &str) -> Self {
        Self::new(
            StatusCode::NOT_ACCEPTABLE,
            "notAcceptable",
            "Gevraagde content type wordt niet ondersteund.",
            "Ondersteunde content type: application/json; charset=utf-8.",
            instance,
        )
    }

    pub fn unsupported_media_type(instance: &str) -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupportedMediaType",
            "Media Type wordt niet ondersteund.",
            "Ondersteunde content type: application/json; charset=utf-8.",
            instance,
        )
    }

    pub fn too_large(instance: &str, limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "tooLarge",
            "Het verzoek is te groot.",
            format!("Een verzoek is ten hoogste {} kB.", limit / 1024),
            instance,
        )
    }

    /// The one mapping of a service error to an API error. The status is the service's;
    /// this decides only the spec's code and words for it.
    pub fn from_service(e: &ServiceError, instance: &str) -> Self {
        let class = e.class();
        let status =
            StatusCode::from_u16(class.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let (code, title) = match class {
            ErrorClass::Invalid => ("paramsValidation", PARAMS_TITLE),
            ErrorClass::Unauthenticated => ("authentication", "Niet correct geauthenticeerd."),
            ErrorClass::Forbidden => (
                "autorisation",
                "U bent niet geautoriseerd voor deze operatie.",
            ),
            ErrorClass::NotFound => ("notFound", "Opgevraagde resource bestaat niet."),
            ErrorClass::Conflict => ("conflict", "Het verzoek botst met de huidige toestand."),
            ErrorClass::TooLarge => ("tooLarge", "Het verzoek is te groot."),
            ErrorClass::Throttled => ("tooManyRequests", "Te veel verzoeken."),
            ErrorClass::Unavailable => (
                "notAvailable",
                "Bronservice BRP is tijdelijk niet beschikbaar.",
            ),
            ErrorClass::Internal => ("serverError", "Interne server fout."),
        };
        if status.is_server_error() {
            tracing::error!(error = ?e, "api request failed");
        }
        let mut p = match e {
            ServiceError::Invalid(v) => Self::params(
                instance,
                vec![InvalidParam::new(v.field.clone(), "value", v.message.clone())],
            ),
            // Never the cause of an internal error; the log has it.
            ServiceError::Internal(_) => Self::new(
                status,
                code,
                title,
                "Er ging iets mis aan onze kant. Probeer het later opnieuw.",
                instance,
            ),
            // The portal's words ("U bent niet ingelogd") speak to a person; this to a program.
            _ if class == ErrorClass::Unauthenticated => Self::new(
                status,
                code,
                title,
                "Geef een geldig, niet verlopen access token mee als Bearer in de header Authorization.",
                instance,
            ),
            other => Self::new(status, code, title, other.to_string(), instance),
        };
        if let ServiceError::RateLimited {
            retry_after_seconds,
        } = e
        {
            p.retry_after = Some(*retry_after_seconds);
        }
        if class == ErrorClass::Unauthenticated {
            p.challenge = Some("Bearer");
        }
        p
    }
}

/// The `type` URI for a status: the section of the RFC that defines it, as the official
/// API links them.
fn type_uri(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.1",
        401 => "https://datatracker.ietf.org/doc/html/rfc7235#section-3.1",
        403 => "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.3",
        404 => "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.4",
        406 => "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.6",
        409 => "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.8",
        413 => "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.11",
        415 => "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.13",
        429 => "https://datatracker.ietf.org/doc/html/rfc6585#section-4",
        503 => "https://datatracker.ietf.org/doc/html/rfc7231#section-6.6.4",
        _ => "https://datatracker.ietf.org/doc/html/rfc7231#section-6.6.1",
    }
}

/// Keeps the characters `allowed` accepts, turns accented letters outside it into their
/// base letter and anything else into a space; collapses spaces and cuts at `max` chars.
/// Never empty: `fallback` then.
fn sanitise(text: &str, max: usize, allowed: impl Fn(char) -> bool, fallback: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let push = |c: char, out: &mut String| {
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            return;
        }
        out.push(c);
    };
    for c in text.chars() {
        if allowed(c) {
            push(c, &mut out);
        } else if matches!(c, '‘' | '’' | '“' | '”' | '"' | '`') {
            // Quotes around a name: the name stays readable without them.
            continue;
        } else {
            let folded = brp_domain::person::fold(&c.to_string());
            if !folded.is_empty() && folded.chars().all(&allowed) {
                for f in folded.chars() {
                    push(f, &mut out);
                }
            } else {
                push(' ', &mut out);
            }
        }
    }
    let cut: String = out.trim().chars().take(max).collect();
    let cut = cut.trim().to_owned();
    if cut.is_empty() {
        fallback.to_owned()
    } else {
        cut
    }
}

/// `À-ž` of the spec's patterns: U+00C0 to U+017E.
fn latin(c: char) -> bool {
    ('\u{C0}'..='\u{17E}').contains(&c)
}

fn title_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || latin(c) || matches!(c, ' ' | '.' | '-')
}

fn detail_char(c: char) -> bool {
    title_char(c) || matches!(c, '(' | ')' | ',')
}

fn name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_')
}

fn reason_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | ',' | ' ')
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let title = sanitise(&self.title, 80, title_char, "Fout");
        let detail = sanitise(&self.detail, 200, detail_char, "Zie de titel.");
        let invalid_params = self
            .invalid_params
            .into_iter()
            .map(|p| InvalidParam {
                // `x-doelbinding` becomes `x_doelbinding`: the spec's pattern for a name
                // has no hyphen. The detail names the header as sent.
                name: sanitise(&p.name.replace('-', "_"), 30, name_char, "onbekend"),
                code: p.code,
                reason: sanitise(&p.reason, 80, reason_char, "Waarde is onjuist."),
            })
            .collect();
        let body = Body {
            kind: type_uri(self.status),
            title: &title,
            status: self.status.as_u16(),
            detail: &detail,
            instance: &self.instance,
            code: self.code,
            invalid_params,
        };
        let json = serde_json::to_vec(&body).unwrap_or_default();
        let mut res = (
            self.status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            json,
        )
            .into_response();
        let h = res.headers_mut();
        if let Some(seconds) = self.retry_after {
            h.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if let Some(challenge) = self.challenge {
            h.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(challenge),
            );
        }
        res
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn texts_are_made_to_fit_the_spec_patterns() {
        assert_eq!(
            sanitise(
                "De foutieve parameter(s) zijn: type.",
                200,
                detail_char,
                "x"
            ),
            "De foutieve parameter(s) zijn type."
        );
        assert_eq!(
            sanitise(
                "Geef ten minste één veld op in ‘fields’.",
                80,
                reason_char,
                "x"
            ),
            "Geef ten minste een veld op in fields."
        );
        assert_eq!(sanitise("\u{0}\u{0}", 80, title_char, "Fout"), "Fout");
        assert_eq!(sanitise(&"a".repeat(300), 200, detail_char, "x").len(), 200);
        assert_eq!(sanitise("Café", 80, title_char, "x"), "Café");
    }

    #[test]
    fn every_class_has_a_code_and_the_service_status() {
        use brp_service::error::InternalError;
        use brp_service::store::StoreError;
        let all = vec![
            ServiceError::Unauthenticated,
            ServiceError::Forbidden,
            ServiceError::Refused("veld".into()),
            ServiceError::NotFound("Persoon"),
            brp_domain::ValidationError::new("bsn", "onjuist").into(),
            ServiceError::Conflict("x".into()),
            ServiceError::RateLimited {
                retry_after_seconds: 3,
            },
            ServiceError::ProtocolFailed,
            ServiceError::Internal(InternalError::Store(StoreError::UnsupportedUrl)),
        ];
        for e in all {
            let p = Problem::from_service(&e, "/x");
            assert_eq!(p.status.as_u16(), e.status(), "{e:?}");
            let res = p.into_response();
            assert_eq!(res.status().as_u16(), e.status());
        }
    }
}
