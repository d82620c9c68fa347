//! Task applications (taakapplicaties): systems of the municipality that look persons up
//! through the Haal Centraal API, under the same grants and protocol as a medewerker.

use crate::{AfnemerRef, DisplayName, Username, ValidationError};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The longest value of `x-doelbinding`, `x-gebruiker` and `x-verwerking` that is kept.
pub const MAX_HEADER_CHARS: usize = 200;

/// An access token lives this long at most (the limit is 15 minutes).
pub const ACCESS_TOKEN_SECONDS: i64 = 15 * 60;

/// A registered task application, with how it has been used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    /// The id of its account (an account with the role `applicatie`).
    pub id: i64,
    /// The OAuth `client_id`: the account's user name.
    pub client_id: Username,
    pub name: DisplayName,
    pub afnemer: AfnemerRef,
    /// Who to call about it: a name, team, e-mail address or phone number.
    pub contact: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub usage: ApplicationUsage,
}

/// What the protocol and the security log say about an application's use.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationUsage {
    /// The last request that provided data or was refused.
    pub last_used_at: Option<DateTime<Utc>>,
    /// Requests that provided data (one request may provide several persons).
    pub requests: i64,
    /// Persons provided.
    pub persons: i64,
    /// Requests refused and written to the security log.
    pub refused: i64,
}

/// One client secret of an application, without the secret itself (only a hash is kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientSecretInfo {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    /// Set when a newer secret replaced this one: it works until then (the overlap).
    pub valid_until: Option<DateTime<Utc>>,
}

impl ClientSecretInfo {
    pub fn is_valid(&self, now: DateTime<Utc>) -> bool {
        self.valid_until.is_none_or(|until| now < until)
    }
}

/// The request context a task application must send: the doel the lookup serves
/// (`x-doelbinding`), the end user in the application (`x-gebruiker`) and, when sent, the
/// verwerking (`x-verwerking`). All three go into the protocol.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiContext {
    pub doelbinding: String,
    pub gebruiker: String,
    pub verwerking: Option<String>,
}

impl ApiContext {
    /// Parses the three headers as received (`None`: not sent). A missing or empty required
    /// header, an overlong value or a control character is an error naming the header.
    pub fn parse(
        doelbinding: Option<&str>,
        gebruiker: Option<&str>,
        verwerking: Option<&str>,
    ) -> Result<Self, ValidationError> {
        let required = |name: &str, value: Option<&str>| -> Result<String, ValidationError> {
            match value.map(str::trim) {
                Some(v) if !v.is_empty() => header_value(name, v),
                _ => Err(ValidationError::new(
                    name,
                    format!("De header {name} is verplicht."),
                )),
            }
        };
        let doelbinding = required("x-doelbinding", doelbinding)?;
        let gebruiker = required("x-gebruiker", gebruiker)?;
        let verwerking = match verwerking.map(str::trim) {
            Some(v) if !v.is_empty() => Some(header_value("x-verwerking", v)?),
            _ => None,
        };
        Ok(Self {
            doelbinding,
            gebruiker,
            verwerking,
        })
    }
}

fn header_value(name: &str, value: &str) -> Result<String, ValidationError> {
    crate::text::check_text(name, value)?;
    if value.chars().count() > MAX_HEADER_CHARS {
        return Err(ValidationError::new(
            name,
            format!("De header {name} is langer dan {MAX_HEADER_CHARS} tekens."),
        ));
    }
    Ok(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_required_and_named() {
        let ok = ApiContext::parse(Some(" Bijstand "), Some("j.jansen"), None).unwrap();
        assert_eq!(ok.doelbinding, "Bijstand");
        assert_eq!(ok.verwerking, None);
        let e = ApiContext::parse(None, Some("j"), None).unwrap_err();
        assert_eq!(e.field, "x-doelbinding");
        let e = ApiContext::parse(Some("d"), Some("  "), None).unwrap_err();
        assert_eq!(e.field, "x-gebruiker");
        let e = ApiContext::parse(Some("d"), Some("g"), Some("a\u{0}b")).unwrap_err();
        assert_eq!(e.field, "x-verwerking");
        let long = "x".repeat(MAX_HEADER_CHARS + 1);
        let e = ApiContext::parse(Some(&long), Some("g"), None).unwrap_err();
        assert_eq!(e.field, "x-doelbinding");
        let v = ApiContext::parse(Some("d"), Some("g"), Some("dossier 12")).unwrap();
        assert_eq!(v.verwerking.as_deref(), Some("dossier 12"));
    }

    #[test]
    fn a_replaced_secret_works_until_its_overlap_ends() {
        let now = Utc::now();
        let s = ClientSecretInfo {
            id: 1,
            created_at: now,
            valid_until: Some(now + chrono::Duration::minutes(5)),
        };
        assert!(s.is_valid(now));
        assert!(!s.is_valid(now + chrono::Duration::minutes(5)));
    }
}
