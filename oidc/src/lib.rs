//! A small OpenID Connect relying party for the authorization code flow with PKCE.
//!
//! The portal logs citizens in through a DigiD OIDC broker with it. The crate is generic: it
//! knows nothing about BSNs or assurance levels. [`OidcClient::complete`] returns the verified
//! ID-token claims and the caller picks what it needs out of them.
//!
//! The flow:
//! 1. [`OidcClient::begin`] makes a fresh `state`, `nonce` and PKCE verifier and the URL to send
//!    the browser to. The caller keeps the three secrets in the user's session.
//! 2. The provider redirects the browser back to the redirect URI with `code` and `state`. The
//!    caller compares `state` with the stored one ([`state_matches`]).
//! 3. [`OidcClient::complete`] exchanges the code at the token endpoint and verifies the ID token
//!    (signature from the provider's JWKS, issuer, audience, times against the `now` passed in,
//!    nonce).
//!
//! With the feature `testing`, [`testing::TestProvider`] is a real in-process provider over
//! HTTP for tests.

mod client;
mod config;
mod error;
mod pkce;
mod verify;

#[cfg(feature = "testing")]
pub mod testing;

pub use client::{AuthStart, OidcClient, ProviderMetadata};
pub use config::OidcConfig;
pub use error::{IdTokenError, OidcError};
pub use pkce::{pkce_challenge, state_matches};
pub use verify::{VerifiedIdToken, ALLOWED_ALGORITHMS, CLOCK_LEEWAY_SECONDS};
