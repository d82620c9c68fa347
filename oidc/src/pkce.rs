//! Random secrets, the PKCE challenge and constant-time comparison.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rand::rngs::OsRng;
use rand::RngCore as _;
use sha2::{Digest as _, Sha256};

use crate::OidcError;

/// 32 bytes give 256 bits of entropy; base64url-encoded that is 43 characters, the minimum
/// length RFC 7636 allows for a code verifier.
const SECRET_BYTES: usize = 32;

/// A fresh random value for `state`, `nonce` or the PKCE verifier: 32 bytes from the operating
/// system, base64url without padding.
pub(crate) fn random_secret() -> Result<String, OidcError> {
    let mut bytes = [0u8; SECRET_BYTES];
    OsRng
        .try_fill_bytes(&mut bytes)
        .map_err(|_| OidcError::Random)?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// The PKCE S256 code challenge of a verifier: base64url(sha256(verifier)) without padding
/// (RFC 7636 section 4.2).
pub fn pkce_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// Whether the `state` returned to the redirect URI is the one stored at [`crate::OidcClient::begin`].
///
/// Constant-time in the contents, so the comparison does not leak how much of a guess was
/// right. An empty expected state never matches.
pub fn state_matches(expected: &str, received: &str) -> bool {
    !expected.is_empty() && constant_time_eq(expected.as_bytes(), received.as_bytes())
}

/// Compares without an early exit on the first differing byte. The length is not secret (all
/// our secrets have a fixed length), so a length mismatch may return at once.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7636_appendix_b_test_vector() {
        // The verifier is base64url of the RFC's 32 example octets; both strings as printed
        // in RFC 7636 appendix B.
        assert_eq!(
            pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn secrets_are_43_base64url_chars_and_differ() {
        let a = random_secret().unwrap();
        let b = random_secret().unwrap();
        assert_eq!(a.len(), 43);
        assert!(a
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
        assert_ne!(a, b);
    }

    #[test]
    fn constant_time_comparison() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
        assert!(state_matches("xyz", "xyz"));
        assert!(!state_matches("xyz", "xy"));
        assert!(!state_matches("", ""));
    }
}
