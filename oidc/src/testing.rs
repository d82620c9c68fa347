//! A real OpenID provider in the test process, over HTTP on 127.0.0.1 (feature `testing`).
//!
//! It serves discovery, `/authorize` (the "user" logs in at once with the claims currently
//! set and is redirected back with a code), `/token` (client authentication, single-use
//! codes, redirect URI and PKCE checked) and `/jwks` (an ES256 key made at start). It can be
//! told to get things wrong with [`TestProvider::misbehave`], so tests can prove the client
//! refuses them.
//!
//! ```no_run
//! # async fn example() {
//! use brp_oidc::testing::TestProvider;
//! use brp_oidc::OidcClient;
//!
//! let provider = TestProvider::start("http://127.0.0.1:3000/auth/callback").await;
//! provider.set_subject("pseudonym-1");
//! provider.set_claims(serde_json::from_value(serde_json::json!({"bsn": "999990019"})).unwrap());
//! let client = OidcClient::new(provider.config("http://127.0.0.1:3000/auth/callback")).unwrap();
//! let start = client.begin().await.unwrap();
//! let back = provider.browser_login(&start.authorization_url).await.unwrap();
//! let code = back.code.unwrap();
//! let verified = client
//!     .complete(&code, &start.nonce, &start.pkce_verifier, chrono::Utc::now())
//!     .await
//!     .unwrap();
//! assert_eq!(verified.claim_str("bsn"), Some("999990019"));
//! # }
//! ```

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::{Form, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::Url;
use ring::rand::SystemRandom;
use ring::signature::{EcdsaKeyPair, KeyPair as _, ECDSA_P256_SHA256_FIXED_SIGNING};
use serde_json::{json, Map, Value};

use crate::pkce::{constant_time_eq, pkce_challenge, random_secret};
use crate::OidcConfig;

/// The client id the provider registers.
pub const TEST_CLIENT_ID: &str = "brp-portaal-test";

/// Lifetime of the ID tokens it issues.
const TOKEN_LIFETIME_SECONDS: i64 = 300;

/// What the next ID tokens (or the discovery document) get wrong. Stays in force until
/// changed; [`Misbehaviour::None`] is a correct provider.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Misbehaviour {
    #[default]
    None,
    /// `iss` is another issuer.
    WrongIssuer,
    /// `nonce` is not the one of the authorization request.
    WrongNonce,
    /// `aud` is another client.
    WrongAudience,
    /// Issued two hours ago, expired an hour ago.
    Expired,
    /// Signed by another key that carries the published key's `kid`.
    BadSignature,
    /// Signed with the published key, but with a `kid` the JWKS does not have.
    UnknownKid,
    /// An unsigned token with `alg: none`.
    AlgNone,
    /// The discovery document claims this issuer.
    DiscoveryIssuer(String),
    /// `iat` an hour in the future.
    IssuedInFuture,
    /// `aud` is this client and another one, `azp` the other one.
    ForeignAuthorizedParty,
    /// HS256 with the client secret as the key (a well-known confusion attack).
    AlgHs256,
}

/// How often each endpoint was called.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RequestCounts {
    pub discovery: usize,
    pub authorize: usize,
    pub token: usize,
    pub jwks: usize,
}

/// Where `/authorize` sent the browser, with the query parameters read out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizationRedirect {
    /// The full `Location` of the 302.
    pub location: String,
    pub code: Option<String>,
    pub state: Option<String>,
    /// The OAuth error code, when the request was refused with a redirect.
    pub error: Option<String>,
}

/// A running provider. The server stops when this is dropped.
pub struct TestProvider {
    /// Its base URL, `http://127.0.0.1:PORT`, which is also its issuer identifier.
    pub issuer: String,
    pub client_id: String,
    /// Random per provider.
    pub client_secret: String,
    shared: Arc<Shared>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for TestProvider {
    fn drop(&mut self) {
        self.server.abort();
    }
}

struct Shared {
    issuer: String,
    client_id: String,
    client_secret: String,
    /// Never published: signs [`Misbehaviour::BadSignature`] tokens.
    rogue_key: SigningKey,
    state: Mutex<ProviderState>,
}

struct ProviderState {
    redirect_uris: Vec<String>,
    subject: String,
    claims: Map<String, Value>,
    misbehaviour: Misbehaviour,
    auth_methods: Vec<String>,
    /// Published in the JWKS; the last one signs.
    keys: Vec<SigningKey>,
    grants: HashMap<String, Grant>,
    counts: RequestCounts,
}

#[derive(Clone)]
struct SigningKey {
    kid: String,
    encoding: EncodingKey,
    jwk: Value,
}

/// What an authorization code stands for.
struct Grant {
    redirect_uri: String,
    nonce: Option<String>,
    code_challenge: String,
    subject: String,
    claims: Map<String, Value>,
}

impl Shared {
    // A test that panicked while holding the lock must not make every later request panic.
    fn lock(&self) -> MutexGuard<'_, ProviderState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl TestProvider {
    /// Starts a provider on 127.0.0.1 (a free port) with `redirect_uri` registered.
    ///
    /// Panics if it cannot start: it is a test helper.
    pub async fn start(redirect_uri: &str) -> TestProvider {
        let provider = TestProvider::start_unregistered().await;
        provider.register_redirect_uri(redirect_uri);
        provider
    }

    /// Starts a provider without any redirect URI registered, for callers whose own server
    /// has not bound its port yet; register it later with
    /// [`TestProvider::register_redirect_uri`].
    pub async fn start_unregistered() -> TestProvider {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("test provider: cannot bind 127.0.0.1:0: {e}"));
        let address = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("test provider: no local address: {e}"));
        let issuer = format!("http://{address}");
        let client_secret =
            random_secret().unwrap_or_else(|e| panic!("test provider: no client secret: {e}"));
        let key = generate_key("key-1")
            .unwrap_or_else(|e| panic!("test provider: cannot make a signing key: {e}"));
        // Same kid as the real key, so only the signature check can catch it.
        let rogue_key = generate_key("key-1")
            .unwrap_or_else(|e| panic!("test provider: cannot make a signing key: {e}"));

        let shared = Arc::new(Shared {
            issuer: issuer.clone(),
            client_id: TEST_CLIENT_ID.to_owned(),
            client_secret: client_secret.clone(),
            rogue_key,
            state: Mutex::new(ProviderState {
                redirect_uris: Vec::new(),
                subject: "test-subject".to_owned(),
                claims: Map::new(),
                misbehaviour: Misbehaviour::None,
                auth_methods: vec!["client_secret_basic".to_owned()],
                keys: vec![key],
                grants: HashMap::new(),
                counts: RequestCounts::default(),
            }),
        });
        let router = Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/authorize", get(authorize))
            .route("/token", post(token))
            .route("/jwks", get(jwks))
            .with_state(shared.clone());
        let server = tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, router).await {
                tracing::error!("test provider stopped: {e}");
            }
        });
        TestProvider {
            issuer,
            client_id: TEST_CLIENT_ID.to_owned(),
            client_secret,
            shared,
            server,
        }
    }

    /// Registers (another) redirect URI; `/authorize` accepts only registered ones, exactly.
    pub fn register_redirect_uri(&self, redirect_uri: &str) {
        let mut state = self.shared.lock();
        if !state.redirect_uris.iter().any(|u| u == redirect_uri) {
            state.redirect_uris.push(redirect_uri.to_owned());
        }
    }

    /// Extra claims of the ID tokens of the next logins, e.g. `{"bsn": "999990019", "acr":
    /// "..."}`. The registered claims (`iss`, `sub`, `aud`, `exp`, `iat`, `nonce`,
    /// `auth_time`) are always the provider's own and cannot be overridden here.
    pub fn set_claims(&self, claims: Map<String, Value>) {
        self.shared.lock().claims = claims;
    }

    /// The `sub` of the next logins (default `test-subject`).
    pub fn set_subject(&self, subject: &str) {
        self.shared.lock().subject = subject.to_owned();
    }

    /// What the next tokens (or the discovery document) get wrong, until changed.
    pub fn misbehave(&self, misbehaviour: Misbehaviour) {
        self.shared.lock().misbehaviour = misbehaviour;
    }

    /// The token endpoint authentication methods it advertises and accepts (default
    /// `["client_secret_basic"]`; `client_secret_post` is the other one it knows).
    pub fn set_token_endpoint_auth_methods(&self, methods: &[&str]) {
        self.shared.lock().auth_methods = methods.iter().map(|m| (*m).to_owned()).collect();
    }

    /// Adds a new signing key with a new kid and signs with it from now on; the old key stays
    /// published. A client with a cached JWKS must fetch it again to verify new tokens.
    pub fn rotate_signing_key(&self) {
        let mut state = self.shared.lock();
        let kid = format!("key-{}", state.keys.len() + 1);
        let key = generate_key(&kid)
            .unwrap_or_else(|e| panic!("test provider: cannot make a signing key: {e}"));
        state.keys.push(key);
    }

    /// A client configuration that matches this provider's registration.
    pub fn config(&self, redirect_uri: &str) -> OidcConfig {
        OidcConfig {
            issuer: self.issuer.clone(),
            client_id: self.client_id.clone(),
            client_secret: Some(self.client_secret.clone()),
            redirect_uri: redirect_uri.to_owned(),
            scopes: Vec::new(),
            extra_auth_params: Vec::new(),
        }
    }

    /// A JWT access token (RFC 9068) signed with the provider's current key, with exactly
    /// `claims` (the test sets iss, aud, exp, ... as it needs), as an identity provider
    /// gives a task application in the client credentials flow.
    #[allow(clippy::expect_used)]
    pub fn access_token(&self, claims: &Map<String, Value>) -> String {
        let state = self.shared.lock();
        let key = state.keys.last().expect("a signing key");
        let header = Header {
            typ: Some("at+jwt".into()),
            kid: Some(key.kid.clone()),
            ..Header::new(Algorithm::ES256)
        };
        jsonwebtoken::encode(&header, claims, &key.encoding).expect("sign")
    }

    /// How often each endpoint has been called.
    pub fn request_counts(&self) -> RequestCounts {
        self.shared.lock().counts
    }

    /// Plays the browser: GETs the authorization URL without following redirects and reads
    /// the 302 `Location`. `Err` if the provider did not redirect (unknown client or
    /// redirect URI), with its status and body.
    pub async fn browser_login(
        &self,
        authorization_url: &str,
    ) -> Result<AuthorizationRedirect, String> {
        let browser = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .build()
            .map_err(|e| e.to_string())?;
        let response = browser
            .get(authorization_url)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status();
        let location = response
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        match location {
            Some(location) if status == StatusCode::FOUND => {
                let url = Url::parse(&location).map_err(|e| e.to_string())?;
                let param = |name: &str| {
                    url.query_pairs()
                        .find(|(k, _)| k == name)
                        .map(|(_, v)| v.into_owned())
                };
                Ok(AuthorizationRedirect {
                    code: param("code"),
                    state: param("state"),
                    error: param("error"),
                    location,
                })
            }
            _ => {
                let body = response.text().await.unwrap_or_default();
                Err(format!("no redirect: HTTP {status}: {body}"))
            }
        }
    }
}

/// A fresh P-256 key pair: ring makes it, jsonwebtoken signs with its PKCS#8 form, and the
/// JWK carries the public point's coordinates.
fn generate_key(kid: &str) -> Result<SigningKey, String> {
    let rng = SystemRandom::new();
    let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
        .map_err(|_| "key generation failed".to_owned())?;
    let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng)
        .map_err(|_| "generated key does not parse".to_owned())?;
    // An uncompressed point: 0x04 || x (32 bytes) || y (32 bytes).
    let [0x04, coordinates @ ..] = pair.public_key().as_ref() else {
        return Err("public key is not an uncompressed point".into());
    };
    if coordinates.len() != 64 {
        return Err("public key has the wrong length".into());
    }
    let (x, y) = coordinates.split_at(32);
    Ok(SigningKey {
        kid: kid.to_owned(),
        encoding: EncodingKey::from_ec_der(pkcs8.as_ref()),
        jwk: json!({
            "kty": "EC",
            "crv": "P-256",
            "use": "sig",
            "alg": "ES256",
            "kid": kid,
            "x": URL_SAFE_NO_PAD.encode(x),
            "y": URL_SAFE_NO_PAD.encode(y),
        }),
    })
}

async fn discovery(State(shared): State<Arc<Shared>>) -> Json<Value> {
    let mut state = shared.lock();
    state.counts.discovery += 1;
    let issuer = match &state.misbehaviour {
        Misbehaviour::DiscoveryIssuer(other) => other.clone(),
        _ => shared.issuer.clone(),
    };
    let base = &shared.issuer;
    Json(json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{base}/authorize"),
        "token_endpoint": format!("{base}/token"),
        "jwks_uri": format!("{base}/jwks"),
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["public"],
        "scopes_supported": ["openid"],
        "id_token_signing_alg_values_supported": ["ES256"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": state.auth_methods,
    }))
}

async fn jwks(State(shared): State<Arc<Shared>>) -> Json<Value> {
    let mut state = shared.lock();
    state.counts.jwks += 1;
    let keys: Vec<Value> = state.keys.iter().map(|k| k.jwk.clone()).collect();
    Json(json!({ "keys": keys }))
}

async fn authorize(
    State(shared): State<Arc<Shared>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let mut state = shared.lock();
    state.counts.authorize += 1;
    let param = |name: &str| query.get(name).map(String::as_str);

    // An unknown client or redirect URI is answered here, never by redirecting: that would
    // make the provider an open redirector (RFC 6749 section 4.1.2.1).
    if param("client_id") != Some(shared.client_id.as_str()) {
        return (StatusCode::BAD_REQUEST, "unknown client_id").into_response();
    }
    let Some(redirect_uri) = param("redirect_uri") else {
        return (StatusCode::BAD_REQUEST, "redirect_uri missing").into_response();
    };
    if !state.redirect_uris.iter().any(|u| u == redirect_uri) {
        return (StatusCode::BAD_REQUEST, "redirect_uri not registered").into_response();
    }
    let Ok(mut location) = Url::parse(redirect_uri) else {
        return (StatusCode::BAD_REQUEST, "redirect_uri is not a URL").into_response();
    };

    let scope_has_openid = param("scope").is_some_and(|s| s.split(' ').any(|s| s == "openid"));
    let error = if param("response_type") != Some("code") {
        Some("unsupported_response_type")
    } else if !scope_has_openid {
        Some("invalid_scope")
    } else if param("code_challenge").is_none_or(str::is_empty)
        || param("code_challenge_method") != Some("S256")
    {
        // This provider requires PKCE with S256.
        Some("invalid_request")
    } else {
        None
    };
    {
        let mut pairs = location.query_pairs_mut();
        match error {
            Some(error) => {
                pairs.append_pair("error", error);
            }
            None => {
                let Ok(code) = random_secret() else {
                    return StatusCode::INTERNAL_SERVER_ERROR.into_response();
                };
                let grant = Grant {
                    redirect_uri: redirect_uri.to_owned(),
                    nonce: param("nonce").map(str::to_owned),
                    code_challenge: param("code_challenge").unwrap_or_default().to_owned(),
                    subject: state.subject.clone(),
                    claims: state.claims.clone(),
                };
                pairs.append_pair("code", &code);
                state.grants.insert(code, grant);
            }
        }
        if let Some(st) = param("state") {
            pairs.append_pair("state", st);
        }
    }
    (
        StatusCode::FOUND,
        [(header::LOCATION, location.to_string())],
    )
        .into_response()
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    let mut response = (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({ "error": error, "error_description": description })),
    )
        .into_response();
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Basic realm=\"test-provider\""),
        );
    }
    response
}

async fn token(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut state = shared.lock();
    state.counts.token += 1;
    let field = |name: &str| form.get(name).map(String::as_str);
    let allows = |method: &str| state.auth_methods.iter().any(|m| m == method);

    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "));
    let authenticated = match (basic, field("client_secret")) {
        (Some(_), Some(_)) => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "more than one client authentication method",
            )
        }
        (Some(credentials), None) => {
            allows("client_secret_basic")
                && parse_basic(credentials).is_some_and(|(id, secret)| {
                    id == shared.client_id
                        && constant_time_eq(secret.as_bytes(), shared.client_secret.as_bytes())
                })
        }
        (None, Some(secret)) => {
            allows("client_secret_post")
                && field("client_id") == Some(shared.client_id.as_str())
                && constant_time_eq(secret.as_bytes(), shared.client_secret.as_bytes())
        }
        (None, None) => false,
    };
    if !authenticated {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "client authentication failed",
        );
    }
    if field("grant_type") != Some("authorization_code") {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "only authorization_code",
        );
    }
    let Some(code) = field("code") else {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "code missing");
    };
    // Removed on first presentation, whatever the outcome: a code is single use.
    let Some(grant) = state.grants.remove(code) else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "unknown or already used code",
        );
    };
    if field("redirect_uri") != Some(grant.redirect_uri.as_str()) {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "redirect_uri differs from the authorization request",
        );
    }
    let verifier_ok = field("code_verifier").is_some_and(|verifier| {
        constant_time_eq(
            pkce_challenge(verifier).as_bytes(),
            grant.code_challenge.as_bytes(),
        )
    });
    if !verifier_ok {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "PKCE verification failed",
        );
    }

    let id_token = match issue_id_token(&shared, &state, &grant) {
        Ok(token) => token,
        Err(e) => {
            return oauth_error(StatusCode::INTERNAL_SERVER_ERROR, "server_error", &e);
        }
    };
    let access_token = random_secret().unwrap_or_default();
    (
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": TOKEN_LIFETIME_SECONDS,
            "id_token": id_token,
        })),
    )
        .into_response()
}

/// Decodes Basic credentials: base64 of form-urlencoded id, `:`, form-urlencoded secret.
fn parse_basic(credentials: &str) -> Option<(String, String)> {
    let decoded = String::from_utf8(STANDARD.decode(credentials.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((form_urldecode(id)?, form_urldecode(secret)?))
}

fn form_urldecode(value: &str) -> Option<String> {
    let mut out = Vec::with_capacity(value.len());
    let mut bytes = value.bytes();
    while let Some(byte) = bytes.next() {
        match byte {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = [bytes.next()?, bytes.next()?];
                let hex = std::str::from_utf8(&hex).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
            }
            other => out.push(other),
        }
    }
    String::from_utf8(out).ok()
}

fn issue_id_token(shared: &Shared, state: &ProviderState, grant: &Grant) -> Result<String, String> {
    // The provider is the one place that reads the clock: it plays the outside world.
    let now = chrono::Utc::now().timestamp();
    let misbehaviour = &state.misbehaviour;
    let (iat, exp) = match misbehaviour {
        Misbehaviour::Expired => (now - 7200, now - 3600),
        Misbehaviour::IssuedInFuture => (now + 3600, now + 3600 + TOKEN_LIFETIME_SECONDS),
        _ => (now, now + TOKEN_LIFETIME_SECONDS),
    };

    let mut claims = grant.claims.clone();
    let issuer = match misbehaviour {
        Misbehaviour::WrongIssuer => "https://not-the-issuer.example".to_owned(),
        _ => shared.issuer.clone(),
    };
    claims.insert("iss".into(), json!(issuer));
    claims.insert("sub".into(), json!(grant.subject));
    match misbehaviour {
        Misbehaviour::WrongAudience => {
            claims.insert("aud".into(), json!("another-client"));
        }
        Misbehaviour::ForeignAuthorizedParty => {
            claims.insert("aud".into(), json!([shared.client_id, "another-client"]));
            claims.insert("azp".into(), json!("another-client"));
        }
        _ => {
            claims.insert("aud".into(), json!(shared.client_id));
        }
    }
    claims.insert("exp".into(), json!(exp));
    claims.insert("iat".into(), json!(iat));
    claims.insert("auth_time".into(), json!(iat));
    match (misbehaviour, &grant.nonce) {
        (Misbehaviour::WrongNonce, _) => {
            claims.insert("nonce".into(), json!("not-the-nonce"));
        }
        (_, Some(nonce)) => {
            claims.insert("nonce".into(), json!(nonce));
        }
        (_, None) => {}
    }

    let current = state.keys.last().ok_or("no signing key")?;
    let es256 = |kid: &str| Header {
        typ: Some("JWT".into()),
        kid: Some(kid.to_owned()),
        ..Header::new(Algorithm::ES256)
    };
    let sign = |header: &Header, key: &EncodingKey| {
        jsonwebtoken::encode(header, &claims, key).map_err(|e| e.to_string())
    };
    match misbehaviour {
        Misbehaviour::BadSignature => {
            sign(&es256(&shared.rogue_key.kid), &shared.rogue_key.encoding)
        }
        Misbehaviour::UnknownKid => sign(&es256("no-such-key"), &current.encoding),
        Misbehaviour::AlgHs256 => {
            let header = Header {
                typ: Some("JWT".into()),
                kid: Some(current.kid.clone()),
                ..Header::new(Algorithm::HS256)
            };
            sign(
                &header,
                &EncodingKey::from_secret(shared.client_secret.as_bytes()),
            )
        }
        Misbehaviour::AlgNone => {
            let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
            let payload = serde_json::to_vec(&claims).map_err(|e| e.to_string())?;
            Ok(format!("{header}.{}.", URL_SAFE_NO_PAD.encode(payload)))
        }
        _ => sign(&es256(&current.kid), &current.encoding),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::form_urlencode;

    #[test]
    fn form_urldecode_reverses_the_client_encoding() {
        for value in ["plain", "a b:c/d%", "é+ü", ""] {
            assert_eq!(
                form_urldecode(&form_urlencode(value)).as_deref(),
                Some(value)
            );
        }
        assert_eq!(form_urldecode("%4"), None);
        assert_eq!(form_urldecode("%zz"), None);
    }

    #[test]
    fn generated_jwk_has_32_byte_coordinates() {
        let key = generate_key("k").unwrap();
        for coordinate in ["x", "y"] {
            let text = key.jwk[coordinate].as_str().unwrap();
            assert_eq!(URL_SAFE_NO_PAD.decode(text).unwrap().len(), 32);
        }
        assert_eq!(key.jwk["kid"], "k");
    }
}
