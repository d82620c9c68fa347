//! How citizens prove who they are. [`IdentityProvider`] is the one interface; the
//! production implementation is OpenID Connect ([`brp_oidc::OidcClient`]), which reaches
//! DigiD through an OIDC broker. The service layer decides what the provider's claims
//! mean: which claim holds the BSN and which the assurance level.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

/// The start of a login: where to send the browser, and what the return must match.
#[derive(Clone)]
pub struct IdentityStart {
    pub authorization_url: String,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct IdentityError(pub String);

#[async_trait]
pub trait IdentityProvider: Send + Sync + 'static {
    async fn begin(&self) -> Result<IdentityStart, IdentityError>;

    /// Exchanges the code and returns the verified claims of the login.
    async fn complete(
        &self,
        code: &str,
        nonce: &str,
        pkce_verifier: &str,
        now: DateTime<Utc>,
    ) -> Result<Map<String, Value>, IdentityError>;
}

#[async_trait]
impl IdentityProvider for brp_oidc::OidcClient {
    async fn begin(&self) -> Result<IdentityStart, IdentityError> {
        let start = brp_oidc::OidcClient::begin(self)
            .await
            .map_err(|e| IdentityError(e.to_string()))?;
        Ok(IdentityStart {
            authorization_url: start.authorization_url,
            state: start.state,
            nonce: start.nonce,
            pkce_verifier: start.pkce_verifier,
        })
    }

    async fn complete(
        &self,
        code: &str,
        nonce: &str,
        pkce_verifier: &str,
        now: DateTime<Utc>,
    ) -> Result<Map<String, Value>, IdentityError> {
        brp_oidc::OidcClient::complete(self, code, nonce, pkce_verifier, now)
            .await
            .map(|token| token.claims)
            .map_err(|e| IdentityError(e.to_string()))
    }
}
