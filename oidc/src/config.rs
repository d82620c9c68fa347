//! The relying party's configuration and its validation.

use std::fmt;
use std::net::IpAddr;

use reqwest::Url;

use crate::OidcError;

/// How this client is registered at the provider.
#[derive(Clone, PartialEq, Eq)]
pub struct OidcConfig {
    /// The issuer identifier, e.g. `https://broker.example/oidc`. The discovery document and
    /// every ID token must name exactly this string.
    pub issuer: String,
    pub client_id: String,
    /// Sent with `client_secret_basic`, or with `client_secret_post` when the provider's
    /// discovery document lists only that. `None` for a public client (PKCE only).
    pub client_secret: Option<String>,
    pub redirect_uri: String,
    /// Scopes besides `openid`, which is always sent.
    pub scopes: Vec<String>,
    /// Extra authorization request parameters, e.g. `("acr_values", "...")`. They may not
    /// replace the parameters this crate sets itself.
    pub extra_auth_params: Vec<(String, String)>,
}

// By hand, so the client secret never ends up in a log line.
impl fmt::Debug for OidcConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OidcConfig")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("redirect_uri", &self.redirect_uri)
            .field("scopes", &self.scopes)
            .field("extra_auth_params", &self.extra_auth_params)
            .finish()
    }
}

/// Parameters of the authorization request that the client sets itself; letting
/// `extra_auth_params` repeat them would make the request ambiguous or undo PKCE.
pub(crate) const RESERVED_AUTH_PARAMS: &[&str] = &[
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
];

impl OidcConfig {
    /// Checks everything that can be checked without talking to the provider.
    pub(crate) fn validate(&self) -> Result<(), OidcError> {
        let issuer = provider_url(&self.issuer, "issuer").map_err(OidcError::Config)?;
        // OIDC Discovery: the issuer is an https URL with no query or fragment.
        if issuer.query().is_some() || issuer.fragment().is_some() {
            return Err(OidcError::Config(
                "issuer must not have a query or fragment".into(),
            ));
        }
        if self.client_id.is_empty() {
            return Err(OidcError::Config("client_id is empty".into()));
        }
        if self.client_secret.as_deref() == Some("") {
            return Err(OidcError::Config(
                "client_secret is empty; use None for a public client".into(),
            ));
        }
        let redirect = Url::parse(&self.redirect_uri)
            .map_err(|e| OidcError::Config(format!("redirect_uri is not a URL: {e}")))?;
        if !matches!(redirect.scheme(), "https" | "http") || redirect.host_str().is_none() {
            return Err(OidcError::Config(
                "redirect_uri must be an absolute http(s) URL".into(),
            ));
        }
        // RFC 6749 section 3.1.2: the redirection endpoint URI must not include a fragment.
        if redirect.fragment().is_some() {
            return Err(OidcError::Config(
                "redirect_uri must not have a fragment".into(),
            ));
        }
        for scope in &self.scopes {
            if scope.is_empty() || scope.contains(|c: char| c.is_whitespace() || c == '"') {
                return Err(OidcError::Config(format!("invalid scope {scope:?}")));
            }
        }
        for (name, _) in &self.extra_auth_params {
            if name.is_empty() {
                return Err(OidcError::Config(
                    "empty extra authorization parameter name".into(),
                ));
            }
            if RESERVED_AUTH_PARAMS.contains(&name.as_str()) {
                return Err(OidcError::Config(format!(
                    "extra authorization parameter {name:?} is set by the client itself"
                )));
            }
        }
        Ok(())
    }

    /// The scope parameter: `openid` first, then the configured ones without repeats.
    pub(crate) fn scope_param(&self) -> String {
        let mut scopes: Vec<&str> = vec!["openid"];
        for scope in &self.scopes {
            if !scopes.contains(&scope.as_str()) {
                scopes.push(scope);
            }
        }
        scopes.join(" ")
    }

    /// `{issuer}/.well-known/openid-configuration`, keeping any path of the issuer (a URL
    /// join would drop its last segment).
    pub(crate) fn discovery_url(&self) -> String {
        format!(
            "{}/.well-known/openid-configuration",
            self.issuer.trim_end_matches('/')
        )
    }
}

/// Parses a URL of the provider (issuer or endpoint). Tokens and codes travel to these, so
/// plain http is only accepted on the loopback interface (local development and tests).
pub(crate) fn provider_url(value: &str, what: &str) -> Result<Url, String> {
    let url = Url::parse(value).map_err(|e| format!("{what} {value:?} is not a URL: {e}"))?;
    match url.scheme() {
        "https" if url.host().is_some() => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        "http" => Err(format!(
            "{what} {value:?} uses plain http on a non-loopback host"
        )),
        _ => Err(format!("{what} {value:?} is not an https URL")),
    }
}

fn is_loopback(url: &Url) -> bool {
    // `url` is not a direct dependency (reqwest only re-exports `Url`), so the host is read
    // as text: IPv6 literals come in brackets.
    let Some(host) = url.host_str() else {
        return false;
    };
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let literal = host.trim_start_matches('[').trim_end_matches(']');
    literal.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> OidcConfig {
        OidcConfig {
            issuer: "https://broker.example/oidc".into(),
            client_id: "portal".into(),
            client_secret: Some("s3cret".into()),
            redirect_uri: "https://portal.example/auth/callback".into(),
            scopes: vec!["profile".into(), "openid".into()],
            extra_auth_params: vec![("acr_values".into(), "substantial".into())],
        }
    }

    #[test]
    fn a_good_config_validates() {
        config().validate().unwrap();
        let mut local = config();
        local.issuer = "http://127.0.0.1:8080".into();
        local.validate().unwrap();
        local.issuer = "http://localhost:8080/oidc".into();
        local.validate().unwrap();
        local.issuer = "http://[::1]:8080".into();
        local.validate().unwrap();
    }

    #[test]
    fn plain_http_issuer_off_loopback_is_refused() {
        let mut c = config();
        c.issuer = "http://broker.example/oidc".into();
        assert!(matches!(c.validate(), Err(OidcError::Config(_))));
        c.issuer = "ftp://broker.example/oidc".into();
        assert!(matches!(c.validate(), Err(OidcError::Config(_))));
        c.issuer = "https://broker.example/oidc?x=1".into();
        assert!(matches!(c.validate(), Err(OidcError::Config(_))));
    }

    #[test]
    fn reserved_extra_params_and_bad_values_are_refused() {
        let mut c = config();
        c.extra_auth_params
            .push(("code_challenge_method".into(), "plain".into()));
        assert!(matches!(c.validate(), Err(OidcError::Config(_))));

        let mut c = config();
        c.client_id.clear();
        assert!(matches!(c.validate(), Err(OidcError::Config(_))));

        let mut c = config();
        c.client_secret = Some(String::new());
        assert!(matches!(c.validate(), Err(OidcError::Config(_))));

        let mut c = config();
        c.scopes.push("two words".into());
        assert!(matches!(c.validate(), Err(OidcError::Config(_))));

        let mut c = config();
        c.redirect_uri = "https://portal.example/cb#frag".into();
        assert!(matches!(c.validate(), Err(OidcError::Config(_))));
    }

    #[test]
    fn scope_always_starts_with_openid_once() {
        assert_eq!(config().scope_param(), "openid profile");
    }

    #[test]
    fn discovery_url_keeps_the_issuer_path() {
        assert_eq!(
            config().discovery_url(),
            "https://broker.example/oidc/.well-known/openid-configuration"
        );
        let mut c = config();
        c.issuer = "https://broker.example/".into();
        assert_eq!(
            c.discovery_url(),
            "https://broker.example/.well-known/openid-configuration"
        );
    }

    #[test]
    fn debug_hides_the_secret() {
        let shown = format!("{:?}", config());
        assert!(!shown.contains("s3cret"));
        assert!(shown.contains("<redacted>"));
    }
}
