//! The relying party: discovery, the authorization request and the token exchange.

use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use chrono::{DateTime, Utc};
use jsonwebtoken::jwk::Jwk;
use reqwest::header::{ACCEPT, AUTHORIZATION};
use reqwest::Url;
use serde::{Deserialize, Serialize};

use crate::config::provider_url;
use crate::pkce::{pkce_challenge, random_secret};
use crate::verify::{self, Expected, VerifiedIdToken};
use crate::{IdTokenError, OidcConfig, OidcError};

/// Whole-request timeout for every call to the provider; a hanging broker must not hang the
/// login page.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Discovery documents, JWK sets and token responses are a few kilobytes; a larger body is
/// not read into memory.
const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The parts of the provider's discovery document this client uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderMetadata {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub jwks_uri: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub userinfo_endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_session_endpoint: Option<String>,
    #[serde(default)]
    pub response_types_supported: Vec<String>,
    #[serde(default)]
    pub id_token_signing_alg_values_supported: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_challenge_methods_supported: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_endpoint_auth_methods_supported: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes_supported: Option<Vec<String>>,
}

/// What [`OidcClient::begin`] hands out. The caller keeps `state`, `nonce` and
/// `pkce_verifier` server-side (in the session) until the browser comes back.
#[derive(Clone, PartialEq, Eq)]
pub struct AuthStart {
    pub authorization_url: String,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

// By hand: the nonce and verifier are secrets of this login attempt.
impl fmt::Debug for AuthStart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthStart")
            .field("authorization_url", &"<redacted>")
            .field("state", &"<redacted>")
            .field("nonce", &"<redacted>")
            .field("pkce_verifier", &"<redacted>")
            .finish()
    }
}

/// How the client authenticates at the token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClientAuth {
    /// HTTP Basic with the form-urlencoded id and secret (RFC 6749 section 2.3.1).
    Basic,
    /// `client_id` and `client_secret` in the form body.
    Post,
    /// A public client: only `client_id` in the body; PKCE protects the code.
    None,
}

/// The relying party. Cheap to clone: clones share the HTTP client and the caches.
#[derive(Clone)]
pub struct OidcClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    config: OidcConfig,
    // Cached after the first success. A std lock suffices: it is never held across an await.
    metadata: RwLock<Option<Arc<ProviderMetadata>>>,
    jwks: RwLock<Option<Arc<Vec<Jwk>>>>,
}

impl fmt::Debug for OidcClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OidcClient")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct TokenResponse {
    id_token: Option<String>,
}

#[derive(Deserialize)]
struct OAuthErrorBody {
    error: Option<String>,
    error_description: Option<String>,
}

impl OidcClient {
    /// Checks the configuration and builds the HTTP client. Does not contact the provider.
    pub fn new(config: OidcConfig) -> Result<Self, OidcError> {
        config.validate()?;
        let http = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .connect_timeout(CONNECT_TIMEOUT)
            // The provider's endpoints are fixed by discovery; a redirect from one of them
            // (the token endpoint above all, with the code and secret) is not followed.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("brp-oidc/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| OidcError::Config(format!("cannot build the HTTP client: {e}")))?;
        Ok(OidcClient {
            inner: Arc::new(Inner {
                http,
                config,
                metadata: RwLock::new(None),
                jwks: RwLock::new(None),
            }),
        })
    }

    /// The configuration this client was built with.
    pub fn config(&self) -> &OidcConfig {
        &self.inner.config
    }

    /// Fetches `{issuer}/.well-known/openid-configuration` (cached after the first success),
    /// checks that its `issuer` equals the configured issuer exactly and that it has usable
    /// authorization, token and JWKS endpoints.
    pub async fn metadata(&self) -> Result<ProviderMetadata, OidcError> {
        Ok(self.metadata_arc().await?.as_ref().clone())
    }

    /// Makes a fresh random state, nonce and PKCE verifier (S256) and the authorization URL to
    /// send the browser to.
    pub async fn begin(&self) -> Result<AuthStart, OidcError> {
        let metadata = self.metadata_arc().await?;
        let config = &self.inner.config;
        let state = random_secret()?;
        let nonce = random_secret()?;
        let pkce_verifier = random_secret()?;

        // Validated at discovery, so this parse does not fail in practice.
        let mut url = Url::parse(&metadata.authorization_endpoint)
            .map_err(|e| OidcError::Discovery(format!("authorization_endpoint: {e}")))?;
        {
            let mut query = url.query_pairs_mut();
            query
                .append_pair("response_type", "code")
                .append_pair("client_id", &config.client_id)
                .append_pair("redirect_uri", &config.redirect_uri)
                .append_pair("scope", &config.scope_param())
                .append_pair("state", &state)
                .append_pair("nonce", &nonce)
                .append_pair("code_challenge", &pkce_challenge(&pkce_verifier))
                .append_pair("code_challenge_method", "S256");
            for (name, value) in &config.extra_auth_params {
                query.append_pair(name, value);
            }
        }
        Ok(AuthStart {
            authorization_url: url.into(),
            state,
            nonce,
            pkce_verifier,
        })
    }

    /// Exchanges the code at the token endpoint (grant_type=authorization_code, code,
    /// redirect_uri, code_verifier, client authentication) and verifies the ID token against
    /// `expected_nonce` and `now`.
    ///
    /// The caller must already have checked the returned `state` (see
    /// [`crate::state_matches`]).
    pub async fn complete(
        &self,
        code: &str,
        expected_nonce: &str,
        pkce_verifier: &str,
        now: DateTime<Utc>,
    ) -> Result<VerifiedIdToken, OidcError> {
        if code.is_empty() {
            return Err(OidcError::InvalidArgument(
                "the authorization code is empty",
            ));
        }
        if expected_nonce.is_empty() {
            return Err(OidcError::InvalidArgument("the expected nonce is empty"));
        }
        if pkce_verifier.is_empty() {
            return Err(OidcError::InvalidArgument("the PKCE verifier is empty"));
        }
        let id_token = self.exchange_code(code, pkce_verifier).await?;
        self.verify_id_token(&id_token, expected_nonce, now).await
    }

    /// Verifies an ID token: signature with the provider's JWKS (fetched again once if the
    /// `kid` is unknown), allowed algorithm, issuer, audience and `azp`, `exp`/`iat`/`nbf`
    /// against `now` with [`crate::CLOCK_LEEWAY_SECONDS`], nonce and subject.
    ///
    /// [`OidcClient::complete`] calls this; it is public for callers that get an ID token by
    /// other means from the same provider.
    pub async fn verify_id_token(
        &self,
        id_token: &str,
        expected_nonce: &str,
        now: DateTime<Utc>,
    ) -> Result<VerifiedIdToken, OidcError> {
        if expected_nonce.is_empty() {
            return Err(OidcError::InvalidArgument("the expected nonce is empty"));
        }
        let expected = Expected {
            issuer: &self.inner.config.issuer,
            client_id: &self.inner.config.client_id,
            nonce: Some(expected_nonce),
            now,
        };
        self.verify_jwt(id_token, &expected).await
    }

    /// A client for a resource server: it only verifies JWT access tokens of `issuer` meant
    /// for `audience` ([`OidcClient::verify_access_token`]); it never starts a login.
    pub fn resource_server(issuer: &str, audience: &str) -> Result<Self, OidcError> {
        Self::new(OidcConfig {
            issuer: issuer.to_owned(),
            client_id: audience.to_owned(),
            client_secret: None,
            // Never used: a resource server redirects nobody. The issuer is a valid URL.
            redirect_uri: issuer.to_owned(),
            scopes: Vec::new(),
            extra_auth_params: Vec::new(),
        })
    }

    /// Verifies a JWT access token (RFC 9068) of the provider: signature with its JWKS,
    /// allowed algorithm, issuer, the configured client id as audience, `exp`/`iat`/`nbf`
    /// against `now`, and a subject. No nonce: an access token has none.
    pub async fn verify_access_token(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<VerifiedIdToken, OidcError> {
        let expected = Expected {
            issuer: &self.inner.config.issuer,
            client_id: &self.inner.config.client_id,
            nonce: None,
            now,
        };
        self.verify_jwt(token, &expected).await
    }

    async fn verify_jwt(
        &self,
        id_token: &str,
        expected: &Expected<'_>,
    ) -> Result<VerifiedIdToken, OidcError> {
        let expected = *expected;
        let token = verify::parse_header(id_token)?;
        let keys = self.jwks(false).await?;
        if let Some(key) = verify::select_key(&keys, &token)? {
            return Ok(verify::verify_with_key(&token, key, &expected)?);
        }
        // The provider may have rotated its keys since we fetched them: fetch once more.
        tracing::info!(kid = ?token.kid, "ID token key not in the cached JWKS, fetching it again");
        let keys = self.jwks(true).await?;
        match verify::select_key(&keys, &token)? {
            Some(key) => Ok(verify::verify_with_key(&token, key, &expected)?),
            None => Err(IdTokenError::UnknownKey {
                kid: token.kid.clone(),
            }
            .into()),
        }
    }

    async fn metadata_arc(&self) -> Result<Arc<ProviderMetadata>, OidcError> {
        if let Some(cached) = read_cache(&self.inner.metadata) {
            return Ok(cached);
        }
        let config = &self.inner.config;
        let url = config.discovery_url();
        let response = self
            .inner
            .http
            .get(&url)
            .header(ACCEPT, "application/json")
            .send()
            .await
            .map_err(OidcError::Http)?;
        let status = response.status();
        if !status.is_success() {
            return Err(OidcError::Discovery(format!(
                "{url} answered HTTP {status}"
            )));
        }
        let body = read_body(response)
            .await?
            .ok_or_else(|| OidcError::Discovery("discovery document too large".into()))?;
        let metadata: ProviderMetadata = serde_json::from_slice(&body)
            .map_err(|e| OidcError::Discovery(format!("invalid discovery document: {e}")))?;

        if metadata.issuer != config.issuer {
            return Err(OidcError::IssuerMismatch {
                expected: config.issuer.clone(),
                found: metadata.issuer,
            });
        }
        for (what, endpoint) in [
            ("authorization_endpoint", &metadata.authorization_endpoint),
            ("token_endpoint", &metadata.token_endpoint),
            ("jwks_uri", &metadata.jwks_uri),
        ] {
            provider_url(endpoint, what).map_err(OidcError::Discovery)?;
        }
        // We always send an S256 challenge. A provider that says it does not support S256
        // might ignore it, which would silently drop PKCE's protection.
        if let Some(methods) = &metadata.code_challenge_methods_supported {
            if !methods.iter().any(|m| m == "S256") {
                return Err(OidcError::Discovery(
                    "the provider does not support PKCE with S256".into(),
                ));
            }
        }
        // Refuse now rather than at the first login if no client authentication fits.
        client_auth(&metadata, config)?;

        let metadata = Arc::new(metadata);
        write_cache(&self.inner.metadata, metadata.clone());
        tracing::debug!(issuer = %config.issuer, "OIDC discovery document fetched");
        Ok(metadata)
    }

    /// The provider's signing keys: from the cache, or fetched when `refresh` or not cached.
    async fn jwks(&self, refresh: bool) -> Result<Arc<Vec<Jwk>>, OidcError> {
        if !refresh {
            if let Some(cached) = read_cache(&self.inner.jwks) {
                return Ok(cached);
            }
        }
        let metadata = self.metadata_arc().await?;
        let response = self
            .inner
            .http
            .get(&metadata.jwks_uri)
            .header(ACCEPT, "application/json, application/jwk-set+json")
            .send()
            .await
            .map_err(OidcError::Http)?;
        let status = response.status();
        if !status.is_success() {
            return Err(OidcError::Jwks(format!("HTTP {status}")));
        }
        let body = read_body(response)
            .await?
            .ok_or_else(|| OidcError::Jwks("JWKS too large".into()))?;
        let keys = Arc::new(verify::parse_jwks(&body).map_err(OidcError::Jwks)?);
        write_cache(&self.inner.jwks, keys.clone());
        tracing::debug!(keys = keys.len(), "OIDC JWKS fetched");
        Ok(keys)
    }

    /// Returns the ID token of a successful code exchange.
    async fn exchange_code(&self, code: &str, pkce_verifier: &str) -> Result<String, OidcError> {
        let metadata = self.metadata_arc().await?;
        let config = &self.inner.config;
        let mut form: Vec<(&str, &str)> = vec![
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", &config.redirect_uri),
            ("code_verifier", pkce_verifier),
        ];
        let mut request = self
            .inner
            .http
            .post(&metadata.token_endpoint)
            .header(ACCEPT, "application/json");
        match (client_auth(&metadata, config)?, &config.client_secret) {
            (ClientAuth::Basic, Some(secret)) => {
                request = request.header(AUTHORIZATION, basic_auth(&config.client_id, secret));
            }
            (ClientAuth::Post, Some(secret)) => {
                form.push(("client_id", &config.client_id));
                form.push(("client_secret", secret));
            }
            _ => form.push(("client_id", &config.client_id)),
        }
        let response = request.form(&form).send().await.map_err(OidcError::Http)?;

        let status = response.status();
        let body = read_body(response).await?;
        if !status.is_success() {
            let parsed = body
                .as_deref()
                .and_then(|b| serde_json::from_slice::<OAuthErrorBody>(b).ok());
            let (error, description) = parsed
                .map(|p| (p.error, p.error_description))
                .unwrap_or_default();
            tracing::warn!(status = status.as_u16(), error = ?error, "OIDC token endpoint refused the code");
            return Err(OidcError::TokenEndpoint {
                status: status.as_u16(),
                error,
                description,
            });
        }
        let body =
            body.ok_or_else(|| OidcError::TokenResponse("token response too large".into()))?;
        let parsed: TokenResponse = serde_json::from_slice(&body)
            .map_err(|_| OidcError::TokenResponse("token response is not JSON".into()))?;
        parsed
            .id_token
            .filter(|t| !t.is_empty())
            .ok_or_else(|| OidcError::TokenResponse("token response has no id_token".into()))
    }
}

/// `client_secret_basic` unless the provider lists authentication methods without it; then
/// `client_secret_post` if listed (OIDC Discovery: absent means `client_secret_basic`).
fn client_auth(metadata: &ProviderMetadata, config: &OidcConfig) -> Result<ClientAuth, OidcError> {
    if config.client_secret.is_none() {
        return Ok(ClientAuth::None);
    }
    let Some(methods) = &metadata.token_endpoint_auth_methods_supported else {
        return Ok(ClientAuth::Basic);
    };
    if methods.is_empty() || methods.iter().any(|m| m == "client_secret_basic") {
        Ok(ClientAuth::Basic)
    } else if methods.iter().any(|m| m == "client_secret_post") {
        Ok(ClientAuth::Post)
    } else {
        Err(OidcError::Config(format!(
            "the provider supports neither client_secret_basic nor client_secret_post (it lists {methods:?})"
        )))
    }
}

/// The Basic credentials of RFC 6749 section 2.3.1: id and secret are form-urlencoded first,
/// so a `:` in the id cannot split it.
fn basic_auth(client_id: &str, secret: &str) -> String {
    let pair = format!("{}:{}", form_urlencode(client_id), form_urlencode(secret));
    format!("Basic {}", STANDARD.encode(pair))
}

/// application/x-www-form-urlencoded encoding of one value.
pub(crate) fn form_urlencode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                out.push(char::from(byte));
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Reads the body, at most [`MAX_BODY_BYTES`]; `None` if it is larger.
async fn read_body(mut response: reqwest::Response) -> Result<Option<Vec<u8>>, OidcError> {
    if response
        .content_length()
        .is_some_and(|len| len > MAX_BODY_BYTES as u64)
    {
        return Ok(None);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(OidcError::Http)? {
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(body))
}

// A poisoned lock only means another thread panicked while swapping an `Arc`; the value in it
// is still whole, so it is used rather than propagating the panic.
fn read_cache<T>(lock: &RwLock<Option<Arc<T>>>) -> Option<Arc<T>> {
    lock.read().unwrap_or_else(|e| e.into_inner()).clone()
}

fn write_cache<T>(lock: &RwLock<Option<Arc<T>>>, value: Arc<T>) {
    *lock.write().unwrap_or_else(|e| e.into_inner()) = Some(value);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_urlencoding_of_credentials() {
        assert_eq!(form_urlencode("portal-1_a.b*"), "portal-1_a.b*");
        assert_eq!(form_urlencode("a b:c/d%"), "a+b%3Ac%2Fd%25");
        assert_eq!(form_urlencode("é"), "%C3%A9");
        assert_eq!(
            basic_auth("id:1", "s"),
            format!("Basic {}", STANDARD.encode("id%3A1:s"))
        );
    }

    fn metadata(methods: Option<Vec<&str>>) -> ProviderMetadata {
        ProviderMetadata {
            issuer: "https://op.example".into(),
            authorization_endpoint: "https://op.example/authorize".into(),
            token_endpoint: "https://op.example/token".into(),
            jwks_uri: "https://op.example/jwks".into(),
            userinfo_endpoint: None,
            end_session_endpoint: None,
            response_types_supported: vec!["code".into()],
            id_token_signing_alg_values_supported: vec!["ES256".into()],
            code_challenge_methods_supported: None,
            token_endpoint_auth_methods_supported: methods
                .map(|m| m.into_iter().map(String::from).collect()),
            scopes_supported: None,
        }
    }

    fn config(secret: Option<&str>) -> OidcConfig {
        OidcConfig {
            issuer: "https://op.example".into(),
            client_id: "portal".into(),
            client_secret: secret.map(String::from),
            redirect_uri: "https://portal.example/cb".into(),
            scopes: vec![],
            extra_auth_params: vec![],
        }
    }

    #[test]
    fn client_auth_method_choice() {
        let secret = config(Some("s"));
        assert_eq!(
            client_auth(&metadata(None), &secret).unwrap(),
            ClientAuth::Basic
        );
        assert_eq!(
            client_auth(
                &metadata(Some(vec!["client_secret_post", "client_secret_basic"])),
                &secret
            )
            .unwrap(),
            ClientAuth::Basic
        );
        assert_eq!(
            client_auth(&metadata(Some(vec!["client_secret_post"])), &secret).unwrap(),
            ClientAuth::Post
        );
        assert!(matches!(
            client_auth(&metadata(Some(vec!["private_key_jwt"])), &secret),
            Err(OidcError::Config(_))
        ));
        assert_eq!(
            client_auth(&metadata(Some(vec!["private_key_jwt"])), &config(None)).unwrap(),
            ClientAuth::None
        );
    }

    #[test]
    fn auth_start_debug_hides_secrets() {
        let start = AuthStart {
            authorization_url: "https://op.example/authorize?nonce=abc".into(),
            state: "st4te".into(),
            nonce: "n0nce".into(),
            pkce_verifier: "ver1fier".into(),
        };
        let shown = format!("{start:?}");
        for secret in ["abc", "st4te", "n0nce", "ver1fier"] {
            assert!(!shown.contains(secret));
        }
    }
}
