//! Errors of the relying party.

/// Everything that can go wrong in discovery, the token exchange and ID-token verification.
///
/// The messages never contain tokens, codes, verifiers or the client secret.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    /// The [`crate::OidcConfig`] cannot work (bad URL, empty client id, reserved parameter, ...),
    /// or the provider supports no client authentication method this client has.
    #[error("bad OIDC configuration: {0}")]
    Config(String),

    /// The caller passed an unusable argument (for example an empty expected nonce).
    #[error("invalid argument: {0}")]
    InvalidArgument(&'static str),

    /// The discovery document could not be had or is unusable (HTTP status, not JSON, a
    /// required endpoint missing, an endpoint URL that is not allowed, no S256 PKCE).
    #[error("OIDC discovery failed: {0}")]
    Discovery(String),

    /// The discovery document names another issuer than the configured one. OIDC Discovery
    /// 1.0 section 4.3 requires them to be identical; otherwise a document served from one
    /// place could make us trust tokens of another issuer.
    #[error("OIDC discovery issuer mismatch: expected {expected:?}, the provider says {found:?}")]
    IssuerMismatch { expected: String, found: String },

    /// The provider's JWKS could not be had or is unusable.
    #[error("fetching the provider's JWKS failed: {0}")]
    Jwks(String),

    /// The token endpoint refused the request. `error` is the OAuth 2.0 error code
    /// (`invalid_grant`, `invalid_client`, ...) when the provider sent one.
    #[error("token endpoint refused the request (HTTP {status}, error {error:?})")]
    TokenEndpoint {
        status: u16,
        error: Option<String>,
        description: Option<String>,
    },

    /// The token endpoint answered 2xx but the answer is unusable (not JSON, no `id_token`).
    #[error("invalid token endpoint response: {0}")]
    TokenResponse(String),

    /// The ID token failed verification.
    #[error("invalid ID token: {0}")]
    InvalidIdToken(#[from] IdTokenError),

    /// A transport-level failure talking to the provider (connect, TLS, timeout, ...).
    #[error("HTTP request to the OIDC provider failed: {0}")]
    Http(#[source] reqwest::Error),

    /// The operating system's random number generator failed.
    #[error("the random number generator failed")]
    Random,
}

impl OidcError {
    /// The OAuth 2.0 `error` code of a token endpoint refusal, if any.
    pub fn oauth_error(&self) -> Option<&str> {
        match self {
            OidcError::TokenEndpoint { error, .. } => error.as_deref(),
            _ => None,
        }
    }

    /// The reason an ID token was refused, if that is what happened.
    pub fn id_token_error(&self) -> Option<&IdTokenError> {
        match self {
            OidcError::InvalidIdToken(reason) => Some(reason),
            _ => None,
        }
    }
}

/// Why an ID token was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdTokenError {
    /// Not a compact JWS with a JSON header and JSON claims, or a claim has the wrong type.
    #[error("malformed token: {0}")]
    Malformed(String),

    /// The header's `alg` is not one of [`crate::ALLOWED_ALGORITHMS`] (`none`, HS*, ...).
    #[error("signature algorithm {0:?} is not allowed")]
    ForbiddenAlgorithm(String),

    /// No signing key in the provider's JWKS has this `kid`, even after fetching it again.
    #[error("no signing key in the provider's JWKS for kid {kid:?}")]
    UnknownKey { kid: Option<String> },

    /// The key with this `kid` is not usable for the token's `alg` (wrong key type or curve,
    /// or the key is pinned to another algorithm).
    #[error("key {kid:?} cannot verify {alg} signatures")]
    KeyMismatch { kid: Option<String>, alg: String },

    /// The signature does not verify with the provider's key.
    #[error("the signature does not verify")]
    Signature,

    /// `iss` is not exactly the configured issuer.
    #[error("issuer {found:?} is not the configured issuer")]
    WrongIssuer { found: String },

    /// `aud` does not contain this client's id.
    #[error("the audience does not contain this client")]
    WrongAudience,

    /// Several audiences without `azp`, or an `azp` that is not this client.
    #[error("the authorized party (azp) is not this client")]
    WrongAuthorizedParty,

    /// `exp` has passed (beyond the leeway).
    #[error("the token has expired")]
    Expired,

    /// `nbf` is in the future (beyond the leeway).
    #[error("the token is not yet valid (nbf)")]
    NotYetValid,

    /// `iat` is in the future (beyond the leeway).
    #[error("the token was issued in the future (iat)")]
    IssuedInFuture,

    /// `nonce` is absent or differs from the one sent in the authorization request.
    #[error("the nonce does not match")]
    WrongNonce,

    /// A required claim (`sub`, `exp`, `iat`, ...) is absent or of the wrong type.
    #[error("required claim {0:?} is missing or not usable")]
    MissingClaim(&'static str),
}
