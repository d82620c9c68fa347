//! ID-token verification: header checks, key selection, signature, claims.
//!
//! Everything here is a pure function of the token, the provider's keys and the `now` passed
//! in; fetching the keys is the client's job.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, Utc};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, KeyOperations, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{Map, Value};

use crate::pkce::constant_time_eq;
use crate::IdTokenError;

/// The only signature algorithms an ID token may use. Never `none` (no signature at all) and
/// never HS* (the key would be the client secret, and a confused verifier could be made to
/// use a public key as an HMAC secret).
pub const ALLOWED_ALGORITHMS: &[&str] = &[
    "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384",
];

/// Allowed clock difference with the provider, for `exp`, `iat` and `nbf`.
pub const CLOCK_LEEWAY_SECONDS: i64 = 60;

/// The verified result of a login.
#[derive(Clone, PartialEq)]
pub struct VerifiedIdToken {
    /// The `sub` claim.
    pub subject: String,
    /// The `iat` claim.
    pub issued_at: DateTime<Utc>,
    /// The `exp` claim.
    pub expires_at: DateTime<Utc>,
    /// All claims of the ID token, the registered ones included.
    pub claims: Map<String, Value>,
}

impl VerifiedIdToken {
    /// A claim whose value is a string.
    pub fn claim_str(&self, name: &str) -> Option<&str> {
        self.claims.get(name).and_then(Value::as_str)
    }
}

// By hand: the subject and claims may be personal data (a BSN), so a stray `{:?}` in a log
// line shows only which claims there are.
impl fmt::Debug for VerifiedIdToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifiedIdToken")
            .field("subject", &"<redacted>")
            .field("issued_at", &self.issued_at)
            .field("expires_at", &self.expires_at)
            .field("claim_names", &self.claims.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// What the token must match.
#[derive(Clone, Copy)]
pub(crate) struct Expected<'a> {
    pub(crate) issuer: &'a str,
    pub(crate) client_id: &'a str,
    /// The nonce of an ID token; `None` for a JWT access token (RFC 9068), which has none
    /// and whose `aud` is the resource server rather than a client.
    pub(crate) nonce: Option<&'a str>,
    pub(crate) now: DateTime<Utc>,
}

/// A token whose header passed the checks, not yet its signature.
pub(crate) struct UnverifiedToken<'a> {
    raw: &'a str,
    alg: Algorithm,
    alg_name: String,
    pub(crate) kid: Option<String>,
}

/// Splits the compact JWS and checks its header, before any key is looked at.
pub(crate) fn parse_header(token: &str) -> Result<UnverifiedToken<'_>, IdTokenError> {
    let parts: Vec<&str> = token.split('.').collect();
    let [header, _payload, _signature] = parts.as_slice() else {
        // Five parts would be an encrypted token (JWE), which we do not accept.
        return Err(IdTokenError::Malformed(format!(
            "expected 3 dot-separated parts, found {}",
            parts.len()
        )));
    };
    let header_bytes = URL_SAFE_NO_PAD
        .decode(header)
        .map_err(|_| IdTokenError::Malformed("header is not base64url".into()))?;
    let header: Map<String, Value> = serde_json::from_slice(&header_bytes)
        .map_err(|_| IdTokenError::Malformed("header is not a JSON object".into()))?;

    let alg_name = header
        .get("alg")
        .and_then(Value::as_str)
        .ok_or_else(|| IdTokenError::Malformed("header has no alg".into()))?;
    // The allow-list comes first: `none` and HS* must be refused by name, whatever else the
    // token looks like.
    if !ALLOWED_ALGORITHMS.contains(&alg_name) {
        return Err(IdTokenError::ForbiddenAlgorithm(alg_name.to_owned()));
    }
    let alg: Algorithm = alg_name
        .parse()
        .map_err(|_| IdTokenError::ForbiddenAlgorithm(alg_name.to_owned()))?;
    // RFC 7515 section 4.1.11: extensions listed in `crit` must be understood; we understand
    // none.
    if header.contains_key("crit") {
        return Err(IdTokenError::Malformed("header has crit extensions".into()));
    }
    let kid = match header.get("kid") {
        None => None,
        Some(Value::String(kid)) => Some(kid.clone()),
        Some(_) => return Err(IdTokenError::Malformed("kid is not a string".into())),
    };
    Ok(UnverifiedToken {
        raw: token,
        alg,
        alg_name: alg_name.to_owned(),
        kid,
    })
}

/// The signing keys of a JWKS document. Keys we cannot use (encryption keys, unknown types or
/// algorithms, symmetric keys) are skipped one by one rather than failing the whole set, since
/// providers publish such keys next to their signing keys.
pub(crate) fn parse_jwks(body: &[u8]) -> Result<Vec<Jwk>, String> {
    #[derive(serde::Deserialize)]
    struct RawSet {
        keys: Vec<Value>,
    }
    let raw: RawSet = serde_json::from_slice(body).map_err(|e| format!("not a JWK set: {e}"))?;
    Ok(raw
        .keys
        .into_iter()
        .filter_map(|key| serde_json::from_value::<Jwk>(key).ok())
        .filter(is_signing_key)
        .collect())
}

fn is_signing_key(jwk: &Jwk) -> bool {
    let use_ok = matches!(
        jwk.common.public_key_use,
        None | Some(PublicKeyUse::Signature)
    );
    let ops_ok = jwk
        .common
        .key_operations
        .as_ref()
        .is_none_or(|ops| ops.contains(&KeyOperations::Verify));
    let asymmetric = matches!(
        jwk.algorithm,
        AlgorithmParameters::RSA(_) | AlgorithmParameters::EllipticCurve(_)
    );
    use_ok && ops_ok && asymmetric
}

/// Whether the key can verify signatures of this algorithm: right key type and curve, and
/// not pinned to another algorithm by its `alg`.
fn key_fits(jwk: &Jwk, alg: Algorithm, alg_name: &str) -> bool {
    if let Some(pinned) = jwk.common.key_algorithm {
        // KeyAlgorithm displays as its variant name, which is the JOSE name for every
        // signature algorithm we allow.
        if pinned.to_string() != alg_name {
            return false;
        }
    }
    match (&jwk.algorithm, alg) {
        (
            AlgorithmParameters::RSA(_),
            Algorithm::RS256
            | Algorithm::RS384
            | Algorithm::RS512
            | Algorithm::PS256
            | Algorithm::PS384
            | Algorithm::PS512,
        ) => true,
        (AlgorithmParameters::EllipticCurve(ec), Algorithm::ES256) => {
            ec.curve == EllipticCurve::P256
        }
        (AlgorithmParameters::EllipticCurve(ec), Algorithm::ES384) => {
            ec.curve == EllipticCurve::P384
        }
        _ => false,
    }
}

/// Picks the key for the token. `Ok(None)` means no key is known for it yet (the caller
/// fetches the JWKS again once: the provider may have rotated its keys).
pub(crate) fn select_key<'k>(
    keys: &'k [Jwk],
    token: &UnverifiedToken<'_>,
) -> Result<Option<&'k Jwk>, IdTokenError> {
    match &token.kid {
        Some(kid) => match keys
            .iter()
            .find(|k| k.common.key_id.as_deref() == Some(kid.as_str()))
        {
            None => Ok(None),
            Some(key) if key_fits(key, token.alg, &token.alg_name) => Ok(Some(key)),
            Some(_) => Err(IdTokenError::KeyMismatch {
                kid: Some(kid.clone()),
                alg: token.alg_name.clone(),
            }),
        },
        // Without a kid, only an unambiguous key will do.
        None => {
            let mut fitting = keys
                .iter()
                .filter(|k| key_fits(k, token.alg, &token.alg_name));
            match (fitting.next(), fitting.next()) {
                (Some(key), None) => Ok(Some(key)),
                _ => Ok(None),
            }
        }
    }
}

/// Checks the signature with `key` and then every claim rule.
pub(crate) fn verify_with_key(
    token: &UnverifiedToken<'_>,
    key: &Jwk,
    expected: &Expected<'_>,
) -> Result<VerifiedIdToken, IdTokenError> {
    let mismatch = || IdTokenError::KeyMismatch {
        kid: token.kid.clone(),
        alg: token.alg_name.clone(),
    };
    let decoding_key = DecodingKey::from_jwk(key).map_err(|_| mismatch())?;

    // jsonwebtoken checks only the signature and the algorithm here. Its own time checks
    // would read the system clock, and its issuer and audience checks are not the OIDC
    // rules, so all of those are switched off and done below against `expected`.
    let mut validation = Validation::new(token.alg);
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    validation.leeway = 0;

    let claims =
        match jsonwebtoken::decode::<Map<String, Value>>(token.raw, &decoding_key, &validation) {
            Ok(data) => data.claims,
            Err(e) => {
                return Err(match e.kind() {
                    ErrorKind::InvalidSignature => IdTokenError::Signature,
                    ErrorKind::InvalidAlgorithm
                    | ErrorKind::InvalidEcdsaKey
                    | ErrorKind::InvalidRsaKey(_)
                    | ErrorKind::InvalidKeyFormat => mismatch(),
                    ErrorKind::Base64(_) | ErrorKind::Json(_) | ErrorKind::Utf8(_) => {
                        IdTokenError::Malformed("payload or signature is not decodable".into())
                    }
                    // Whatever else jsonwebtoken may report, the token is not accepted.
                    _ => IdTokenError::Signature,
                });
            }
        };
    check_claims(claims, expected)
}

/// The claim rules of OIDC Core 1.0 section 3.1.3.7, against the `now` passed in.
fn check_claims(
    claims: Map<String, Value>,
    expected: &Expected<'_>,
) -> Result<VerifiedIdToken, IdTokenError> {
    let iss = claims
        .get("iss")
        .and_then(Value::as_str)
        .ok_or(IdTokenError::MissingClaim("iss"))?;
    if iss != expected.issuer {
        return Err(IdTokenError::WrongIssuer {
            found: iss.to_owned(),
        });
    }

    let audiences: Vec<&str> = match claims.get("aud") {
        Some(Value::String(aud)) => vec![aud.as_str()],
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| {
                item.as_str()
                    .ok_or_else(|| IdTokenError::Malformed("aud holds a non-string".into()))
            })
            .collect::<Result<_, _>>()?,
        _ => return Err(IdTokenError::MissingClaim("aud")),
    };
    if !audiences.contains(&expected.client_id) {
        return Err(IdTokenError::WrongAudience);
    }
    let several_audiences = audiences.iter().any(|aud| *aud != expected.client_id);
    // An ID token's azp names the client it was issued to: ours. An access token's azp (if
    // any) names the calling client, which is not us; the caller reads it as a claim.
    match (claims.get("azp"), expected.nonce.is_some()) {
        (_, false) => {}
        (Some(Value::String(azp)), true) if azp == expected.client_id => {}
        (Some(Value::String(_)), true) => return Err(IdTokenError::WrongAuthorizedParty),
        (Some(_), true) => return Err(IdTokenError::Malformed("azp is not a string".into())),
        // With other audiences the token may have been issued to one of them.
        (None, true) if several_audiences => return Err(IdTokenError::WrongAuthorizedParty),
        (None, true) => {}
    }

    let now = expected.now.timestamp();
    let exp = numeric_date(&claims, "exp")?;
    if now >= exp.saturating_add(CLOCK_LEEWAY_SECONDS) {
        return Err(IdTokenError::Expired);
    }
    let iat = numeric_date(&claims, "iat")?;
    if iat > now.saturating_add(CLOCK_LEEWAY_SECONDS) {
        return Err(IdTokenError::IssuedInFuture);
    }
    if claims.contains_key("nbf") {
        let nbf = numeric_date(&claims, "nbf")?;
        if nbf > now.saturating_add(CLOCK_LEEWAY_SECONDS) {
            return Err(IdTokenError::NotYetValid);
        }
    }

    if let Some(expected_nonce) = expected.nonce {
        let nonce = claims
            .get("nonce")
            .and_then(Value::as_str)
            .ok_or(IdTokenError::WrongNonce)?;
        if !constant_time_eq(nonce.as_bytes(), expected_nonce.as_bytes()) {
            return Err(IdTokenError::WrongNonce);
        }
    }

    let subject = claims
        .get("sub")
        .and_then(Value::as_str)
        .filter(|sub| !sub.is_empty())
        .ok_or(IdTokenError::MissingClaim("sub"))?
        .to_owned();

    let as_time = |seconds: i64, name: &str| {
        DateTime::from_timestamp(seconds, 0)
            .ok_or_else(|| IdTokenError::Malformed(format!("{name} is out of range")))
    };
    Ok(VerifiedIdToken {
        subject,
        issued_at: as_time(iat, "iat")?,
        expires_at: as_time(exp, "exp")?,
        claims,
    })
}

/// A NumericDate (RFC 7519): seconds since the epoch, possibly with a fraction, which is
/// dropped.
fn numeric_date(claims: &Map<String, Value>, name: &'static str) -> Result<i64, IdTokenError> {
    let Some(Value::Number(number)) = claims.get(name) else {
        return Err(IdTokenError::MissingClaim(name));
    };
    if let Some(seconds) = number.as_i64() {
        return Ok(seconds);
    }
    match number.as_f64() {
        // `as` saturates; an absurd value then fails the range check of the caller or a
        // comparison, never wraps.
        Some(seconds) if seconds.is_finite() => Ok(seconds.floor() as i64),
        _ => Err(IdTokenError::MissingClaim(name)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn encode_part(value: &Value) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).unwrap())
    }

    fn token_with_header(header: Value) -> String {
        format!(
            "{}.{}.c2ln",
            encode_part(&header),
            encode_part(&json!({"sub": "x"}))
        )
    }

    fn expected(now: i64) -> Expected<'static> {
        Expected {
            issuer: "https://op.example",
            client_id: "portal",
            nonce: Some("n-0S6_WzA2Mj"),
            now: DateTime::from_timestamp(now, 0).unwrap(),
        }
    }

    fn good_claims(now: i64) -> Map<String, Value> {
        let Value::Object(map) = json!({
            "iss": "https://op.example",
            "aud": "portal",
            "sub": "subject-1",
            "exp": now + 300,
            "iat": now,
            "nonce": "n-0S6_WzA2Mj",
            "bsn": "999990019"
        }) else {
            unreachable!()
        };
        map
    }

    const NOW: i64 = 1_750_000_000;

    #[test]
    fn forbidden_algorithms_are_refused_by_name() {
        for alg in ["none", "HS256", "HS384", "HS512", "EdDSA", "ES512", "nOnE"] {
            let token = token_with_header(json!({"alg": alg, "kid": "k"}));
            assert!(
                matches!(parse_header(&token), Err(IdTokenError::ForbiddenAlgorithm(a)) if a == alg),
                "{alg} must be refused"
            );
        }
        for alg in ALLOWED_ALGORITHMS {
            let token = token_with_header(json!({"alg": alg, "kid": "k"}));
            assert!(parse_header(&token).is_ok(), "{alg} must be accepted");
        }
    }

    #[test]
    fn malformed_headers_are_refused() {
        assert!(matches!(
            parse_header("abc.def"),
            Err(IdTokenError::Malformed(_))
        ));
        assert!(matches!(
            parse_header("a.b.c.d.e"),
            Err(IdTokenError::Malformed(_))
        ));
        assert!(matches!(
            parse_header("!!!.e30.c2ln"),
            Err(IdTokenError::Malformed(_))
        ));
        let crit = token_with_header(json!({"alg": "ES256", "crit": ["exp"]}));
        assert!(matches!(
            parse_header(&crit),
            Err(IdTokenError::Malformed(_))
        ));
        let kid_number = token_with_header(json!({"alg": "ES256", "kid": 7}));
        assert!(matches!(
            parse_header(&kid_number),
            Err(IdTokenError::Malformed(_))
        ));
    }

    #[test]
    fn jwks_parsing_skips_unusable_keys() {
        let body = serde_json::to_vec(&json!({"keys": [
            {"kty": "EC", "crv": "P-256", "kid": "sig", "use": "sig", "alg": "ES256",
             "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
             "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"},
            {"kty": "EC", "crv": "P-256", "kid": "enc", "use": "enc",
             "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
             "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"},
            {"kty": "RSA", "kid": "oaep", "alg": "RSA-OAEP-384", "n": "AQAB", "e": "AQAB"},
            {"kty": "oct", "kid": "hmac", "k": "c2VjcmV0"},
            {"kty": "weird", "kid": "w"}
        ]}))
        .unwrap();
        let keys = parse_jwks(&body).unwrap();
        let kids: Vec<_> = keys
            .iter()
            .map(|k| k.common.key_id.as_deref().unwrap())
            .collect();
        assert_eq!(kids, ["sig"]);
        assert!(parse_jwks(b"[]").is_err());
    }

    #[test]
    fn key_selection_by_kid_type_and_pinned_alg() {
        let body = serde_json::to_vec(&json!({"keys": [
            {"kty": "EC", "crv": "P-256", "kid": "ec", "alg": "ES256",
             "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
             "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}
        ]}))
        .unwrap();
        let keys = parse_jwks(&body).unwrap();
        let token = |header: Value| token_with_header(header);

        let es = token(json!({"alg": "ES256", "kid": "ec"}));
        assert!(select_key(&keys, &parse_header(&es).unwrap())
            .unwrap()
            .is_some());
        let unknown = token(json!({"alg": "ES256", "kid": "other"}));
        assert!(select_key(&keys, &parse_header(&unknown).unwrap())
            .unwrap()
            .is_none());
        // An RSA algorithm with an EC key, or ES384 with a P-256 key: refused, not tried.
        for alg in ["RS256", "ES384"] {
            let t = token(json!({"alg": alg, "kid": "ec"}));
            assert!(matches!(
                select_key(&keys, &parse_header(&t).unwrap()),
                Err(IdTokenError::KeyMismatch { .. })
            ));
        }
        let no_kid = token(json!({"alg": "ES256"}));
        assert!(select_key(&keys, &parse_header(&no_kid).unwrap())
            .unwrap()
            .is_some());
    }

    #[test]
    fn good_claims_pass() {
        let verified = check_claims(good_claims(NOW), &expected(NOW)).unwrap();
        assert_eq!(verified.subject, "subject-1");
        assert_eq!(verified.issued_at.timestamp(), NOW);
        assert_eq!(verified.expires_at.timestamp(), NOW + 300);
        assert_eq!(verified.claim_str("bsn"), Some("999990019"));
        let shown = format!("{verified:?}");
        assert!(!shown.contains("999990019") && !shown.contains("subject-1"));
    }

    #[test]
    fn issuer_must_match_exactly() {
        let mut claims = good_claims(NOW);
        claims.insert("iss".into(), json!("https://op.example/"));
        assert!(matches!(
            check_claims(claims, &expected(NOW)),
            Err(IdTokenError::WrongIssuer { .. })
        ));
    }

    #[test]
    fn audience_rules() {
        let mut claims = good_claims(NOW);
        claims.insert("aud".into(), json!(["other"]));
        assert_eq!(
            check_claims(claims, &expected(NOW)),
            Err(IdTokenError::WrongAudience)
        );

        let mut claims = good_claims(NOW);
        claims.insert("aud".into(), json!(["portal"]));
        assert!(check_claims(claims, &expected(NOW)).is_ok());

        let mut claims = good_claims(NOW);
        claims.insert("aud".into(), json!(["portal", "other"]));
        assert_eq!(
            check_claims(claims.clone(), &expected(NOW)),
            Err(IdTokenError::WrongAuthorizedParty)
        );
        claims.insert("azp".into(), json!("other"));
        assert_eq!(
            check_claims(claims.clone(), &expected(NOW)),
            Err(IdTokenError::WrongAuthorizedParty)
        );
        claims.insert("azp".into(), json!("portal"));
        assert!(check_claims(claims, &expected(NOW)).is_ok());

        let mut claims = good_claims(NOW);
        claims.remove("aud");
        assert_eq!(
            check_claims(claims, &expected(NOW)),
            Err(IdTokenError::MissingClaim("aud"))
        );
    }

    #[test]
    fn time_rules_use_now_with_leeway() {
        let claims = good_claims(NOW);
        // exp = NOW + 300: still fine 359 s later, expired at 360 s.
        assert!(check_claims(claims.clone(), &expected(NOW + 359)).is_ok());
        assert_eq!(
            check_claims(claims.clone(), &expected(NOW + 360)),
            Err(IdTokenError::Expired)
        );
        // iat = NOW: fine if our clock is 60 s behind, not 61 s.
        assert!(check_claims(claims.clone(), &expected(NOW - 60)).is_ok());
        assert_eq!(
            check_claims(claims.clone(), &expected(NOW - 61)),
            Err(IdTokenError::IssuedInFuture)
        );

        let mut with_nbf = good_claims(NOW);
        with_nbf.insert("nbf".into(), json!(NOW + 100));
        assert_eq!(
            check_claims(with_nbf.clone(), &expected(NOW)),
            Err(IdTokenError::NotYetValid)
        );
        assert!(check_claims(with_nbf, &expected(NOW + 40)).is_ok());

        let mut fractional = good_claims(NOW);
        fractional.insert("exp".into(), json!((NOW + 300) as f64 + 0.5));
        assert!(check_claims(fractional, &expected(NOW)).is_ok());

        for name in ["exp", "iat"] {
            let mut missing = good_claims(NOW);
            missing.remove(name);
            assert!(matches!(
                check_claims(missing, &expected(NOW)),
                Err(IdTokenError::MissingClaim(_))
            ));
            let mut text = good_claims(NOW);
            text.insert(name.into(), json!("1750000000"));
            assert!(matches!(
                check_claims(text, &expected(NOW)),
                Err(IdTokenError::MissingClaim(_))
            ));
        }
    }

    #[test]
    fn nonce_and_subject_rules() {
        let mut claims = good_claims(NOW);
        claims.insert("nonce".into(), json!("n-0S6_WzA2Mk"));
        assert_eq!(
            check_claims(claims, &expected(NOW)),
            Err(IdTokenError::WrongNonce)
        );
        let mut claims = good_claims(NOW);
        claims.remove("nonce");
        assert_eq!(
            check_claims(claims, &expected(NOW)),
            Err(IdTokenError::WrongNonce)
        );
        let mut claims = good_claims(NOW);
        claims.remove("sub");
        assert_eq!(
            check_claims(claims, &expected(NOW)),
            Err(IdTokenError::MissingClaim("sub"))
        );
        let mut claims = good_claims(NOW);
        claims.insert("sub".into(), json!(""));
        assert_eq!(
            check_claims(claims, &expected(NOW)),
            Err(IdTokenError::MissingClaim("sub"))
        );
    }
}
