//! The whole login flow against the in-process provider over real HTTP, driven the way a
//! browser would: begin, GET the authorization URL, read the 302, complete.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use brp_oidc::testing::{Misbehaviour, RequestCounts, TestProvider};
use brp_oidc::{
    pkce_challenge, state_matches, AuthStart, IdTokenError, OidcClient, OidcConfig, OidcError,
    VerifiedIdToken,
};
use chrono::{Duration, Utc};
use reqwest::header::LOCATION;
use reqwest::{StatusCode, Url};
use serde_json::{json, Map, Value};

/// Never contacted: the test reads the redirect instead of following it.
const REDIRECT_URI: &str = "http://127.0.0.1:9/auth/callback";

fn claims(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

fn client_for(provider: &TestProvider) -> OidcClient {
    OidcClient::new(provider.config(REDIRECT_URI)).unwrap()
}

/// The browser: follows nothing, so the test sees the 302.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .unwrap()
}

/// begin() → GET the authorization URL → the 302 back to the redirect URI → its code, after
/// checking the state.
async fn authorize(client: &OidcClient) -> (AuthStart, String) {
    let start = client.begin().await.unwrap();
    let response = browser()
        .get(&start.authorization_url)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FOUND);
    let location = response.headers()[LOCATION].to_str().unwrap().to_owned();
    assert!(
        location.starts_with(&format!("{REDIRECT_URI}?")),
        "redirected to {location}"
    );
    let url = Url::parse(&location).unwrap();
    let param = |name: &str| {
        url.query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    let state = param("state").expect("state in the redirect");
    assert!(state_matches(&start.state, &state), "state must round-trip");
    let code = param("code").expect("code in the redirect");
    (start, code)
}

/// The full flow with `now` as the verification time.
async fn login_at(
    client: &OidcClient,
    now: chrono::DateTime<Utc>,
) -> Result<VerifiedIdToken, OidcError> {
    let (start, code) = authorize(client).await;
    client
        .complete(&code, &start.nonce, &start.pkce_verifier, now)
        .await
}

async fn login(client: &OidcClient) -> Result<VerifiedIdToken, OidcError> {
    login_at(client, Utc::now()).await
}

fn id_token_error(result: Result<VerifiedIdToken, OidcError>) -> IdTokenError {
    match result {
        Err(OidcError::InvalidIdToken(reason)) => reason,
        Err(other) => panic!("expected an ID token error, got {other:?}"),
        Ok(_) => panic!("expected an ID token error, the token was accepted"),
    }
}

fn token_endpoint_error(result: Result<VerifiedIdToken, OidcError>) -> (u16, Option<String>) {
    match result {
        Err(OidcError::TokenEndpoint { status, error, .. }) => (status, error),
        Err(other) => panic!("expected a token endpoint error, got {other:?}"),
        Ok(_) => panic!("expected a token endpoint error, the login succeeded"),
    }
}

#[tokio::test]
async fn happy_path_returns_the_subject_and_the_extra_claims() {
    let provider = TestProvider::start(REDIRECT_URI).await;
    provider.set_subject("pseudonym-42");
    provider.set_claims(claims(json!({
        "bsn": "999990019",
        "acr": "urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard",
    })));
    let client = client_for(&provider);

    let before = Utc::now();
    let verified = login(&client).await.unwrap();

    assert_eq!(verified.subject, "pseudonym-42");
    assert_eq!(verified.claim_str("bsn"), Some("999990019"));
    assert_eq!(
        verified.claims["acr"],
        "urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard"
    );
    assert_eq!(verified.claims["iss"], provider.issuer.as_str());
    assert_eq!(verified.claims["aud"], provider.client_id.as_str());
    assert!((verified.issued_at - before).num_seconds().abs() <= 5);
    assert!(verified.expires_at > verified.issued_at);
    assert_eq!(
        provider.request_counts(),
        RequestCounts {
            discovery: 1,
            authorize: 1,
            token: 1,
            jwks: 1
        }
    );
}

#[tokio::test]
async fn authorization_url_carries_pkce_nonce_state_scope_and_extra_params() {
    let provider = TestProvider::start(REDIRECT_URI).await;
    let mut config = provider.config(REDIRECT_URI);
    config.scopes = vec!["profile".into(), "openid".into()];
    config.extra_auth_params = vec![(
        "acr_values".into(),
        "urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard".into(),
    )];
    let client = OidcClient::new(config).unwrap();

    let start = client.begin().await.unwrap();
    let url = Url::parse(&start.authorization_url).unwrap();
    assert_eq!(url.path(), "/authorize");
    let param = |name: &str| {
        let values: Vec<String> = url
            .query_pairs()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
            .collect();
        assert_eq!(values.len(), 1, "{name} exactly once");
        values.into_iter().next().unwrap()
    };
    assert_eq!(param("response_type"), "code");
    assert_eq!(param("client_id"), provider.client_id);
    assert_eq!(param("redirect_uri"), REDIRECT_URI);
    assert_eq!(param("scope"), "openid profile");
    assert_eq!(param("state"), start.state);
    assert_eq!(param("nonce"), start.nonce);
    assert_eq!(param("code_challenge_method"), "S256");
    assert_eq!(
        param("code_challenge"),
        pkce_challenge(&start.pkce_verifier)
    );
    assert_eq!(
        param("acr_values"),
        "urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard"
    );
    for secret in [&start.state, &start.nonce, &start.pkce_verifier] {
        assert_eq!(secret.len(), 43);
    }
    assert!(!start.authorization_url.contains(&start.pkce_verifier));

    // Fresh secrets every time, and the discovery document is fetched only once.
    let again = client.begin().await.unwrap();
    assert_ne!(again.state, start.state);
    assert_ne!(again.nonce, start.nonce);
    assert_ne!(again.pkce_verifier, start.pkce_verifier);
    assert_eq!(provider.request_counts().discovery, 1);
}

#[tokio::test]
async fn metadata_is_checked_and_cached() {
    let provider = TestProvider::start(REDIRECT_URI).await;
    let client = client_for(&provider);
    let metadata = client.metadata().await.unwrap();
    assert_eq!(metadata.issuer, provider.issuer);
    assert_eq!(
        metadata.token_endpoint,
        format!("{}/token", provider.issuer)
    );
    assert_eq!(metadata.id_token_signing_alg_values_supported, ["ES256"]);
    client.metadata().await.unwrap();
    assert_eq!(provider.request_counts().discovery, 1);
}

#[tokio::test]
async fn discovery_with_another_issuer_is_refused() {
    let provider = TestProvider::start(REDIRECT_URI).await;
    provider.misbehave(Misbehaviour::DiscoveryIssuer(
        "https://evil.example/oidc".into(),
    ));
    let client = client_for(&provider);

    match client.metadata().await {
        Err(OidcError::IssuerMismatch { expected, found }) => {
            assert_eq!(expected, provider.issuer);
            assert_eq!(found, "https://evil.example/oidc");
        }
        other => panic!("expected an issuer mismatch, got {other:?}"),
    }
    assert!(matches!(
        client.begin().await,
        Err(OidcError::IssuerMismatch { .. })
    ));
    // A refused document is not cached: once the provider is right, discovery works.
    provider.misbehave(Misbehaviour::None);
    client.metadata().await.unwrap();
}

#[tokio::test]
async fn discovery_issuer_must_match_exactly_not_modulo_a_slash() {
    let provider = TestProvider::start(REDIRECT_URI).await;
    let mut config = provider.config(REDIRECT_URI);
    config.issuer = format!("{}/", provider.issuer);
    let client = OidcClient::new(config).unwrap();
    assert!(matches!(
        client.metadata().await,
        Err(OidcError::IssuerMismatch { .. })
    ));
}

#[tokio::test]
async fn discovery_failures_are_reported() {
    let provider = TestProvider::start(REDIRECT_URI).await;
    let mut config = provider.config(REDIRECT_URI);
    config.issuer = format!("{}/no-such-tenant", provider.issuer);
    let client = OidcClient::new(config).unwrap();
    assert!(matches!(
        client.metadata().await,
        Err(OidcError::Discovery(_))
    ));

    // Nothing listens there: a transport error.
    let free_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let config = OidcConfig {
        issuer: format!("http://127.0.0.1:{free_port}"),
        client_id: "c".into(),
        client_secret: None,
        redirect_uri: REDIRECT_URI.into(),
        scopes: vec![],
        extra_auth_params: vec![],
    };
    let client = OidcClient::new(config).unwrap();
    assert!(matches!(client.metadata().await, Err(OidcError::Http(_))));
}

#[tokio::test]
async fn wrong_issuer_in_the_token_is_refused() {
    let provider = TestProvider::start(REDIRECT_URI).await;
    provider.misbehave(Misbehaviour::WrongIssuer);
    let error = id_token_error(login(&client_for(&provider)).await);
    assert_eq!(
        error,
        IdTokenError::WrongIssuer {
            found: "https://not-the-issuer.example".into()
        }
    );
}

#[tokio::test]
async fn wrong_nonce_is_refused() {
    let provider = TestProvider::start(REDIRECT_URI).await;
    provider.misbehave(Misbehaviour::WrongNonce);
    let client = client_for(&provider);
    assert_eq!(
        id_token_error(login(&client).await),
        IdTokenError::WrongNonce
    );

    // A correct token, but the caller expects the nonce of another login attempt.
    provider.misbehave(Misbehaviour::None);
    let (start, code) = authorize(&client).await;
    let other = client.begin().await.unwrap();
    let result = client
        .complete(&code, &other.nonce, &start.pkce_verifier, Utc::now())
        .await;
    assert_eq!(id_token_error(result), IdTokenError::WrongNonce);
}

#[tokio::test]
async fn wrong_audience_is_refused() {
    let provider = TestProvider::start(REDIRECT_URI).await;
    provider.misbehave(Misbehaviour::WrongAudience);
    let client = client_for(&provider);
    assert_eq!(
        id_token_error(login(&client).await),
        IdTokenError::WrongAudience
    );

    // This client among the audiences, but authorized for another party.
    provider.misbehave(Misbehaviour::ForeignAuthorizedParty);
    assert_eq!(
        id_token_error(login(&client).await),
        IdTokenError::WrongAuthorizedParty
    );
}

#[tokio::test]
async fn expired_token_is_refused() {
    let provider = TestProvider::start(REDIRECT_URI).await;
    provider.misbehave(Misbehaviour::Expired);
    assert_eq!(
        id_token_error(login(&client_for(&provider)).await),
        IdTokenError::Expired
    );
}

#[tokio::test]
async fn a_good_token_is_judged_by_the_now_passed_in() {
    let provider = TestProvider::start(REDIRECT_URI).await;
    let client = client_for(&provider);
    // The token lives 300 s; a day later it has expired.
    assert_eq!(
        id_token_error(login_at(&client, Utc::now() + Duration::days(1)).await),
        IdTokenError::Expired
    );
    // Seen from a day earlier it was issued in the future.
    assert_eq!(
        id_token_error(login_at(&client, Utc::now() - Duration::days(1)).await),
        IdTokenError::IssuedInFuture
    );
    // Within the leeway both ways it is fine.
    login_at(&client, Utc::now() + Duration::seconds(330))
        .await
        .unwrap();
    login_at(&client, Utc::now() - Duration::seconds(30))
        .await
        .unwrap();
}

#[tokio::test]
async fn token_issued_in_the_future_is_refused() {
    let provider = TestProvider::start(REDIRECT_URI).await;
    provider.misbehave(Misbehaviour::IssuedInFuture);
    assert_eq!(
        id_token_error(login(&client_for(&provider)).await),
        IdTokenError::IssuedInFuture
    );
}

#[tokio::test]
async fn bad_signature_is_refused() {
    let provider = TestProvider::start(REDIRECT_URI).await;
    provider.misbehave(Misbehaviour::BadSignature);
    assert_eq!(
        id_token_error(login(&client_for(&provider)).await),
        IdTokenError::Signature
    );
}

#[tokio::test]
async fn alg_none_is_refused() {
    let provider = TestProvider::start(REDIRECT_URI).await;
    provider.misbehave(Misbehaviour::AlgNone);
    assert_eq!(
        id_token_error(login(&client_for(&provider)).await),
        IdTokenError::ForbiddenAlgorithm("none".into())
    );
}

#[tokio::test]
async fn hs256_signed_with_the_client_secret_is_refused() {
    let provider = TestProvider::start(REDIRECT_URI).await;
    provider.misbehave(Misbehaviour::AlgHs256);
    assert_eq!(
        id_token_error(login(&client_for(&provider)).await),
        IdTokenError::ForbiddenAlgorithm("HS256".into())
    );
}

#[tokio::test]
async fn unknown_kid_is_refused_after_one_jwks_refetch() {
    let provider = TestProvider::start(REDIRECT_URI).await;
    let client = client_for(&provider);
    login(&client).await.unwrap();
    assert_eq!(provider.request_counts().jwks, 1);

    provider.misbehave(Misbehaviour::UnknownKid);
    assert_eq!(
        id_token_error(login(&client).await),
        IdTokenError::UnknownKey {
            kid: Some("no-such-key".into())
        }
    );
    assert_eq!(
        provider.request_counts().jwks,
        2,
        "exactly one refetch of the JWKS"
    );
}

#[tokio::test]
async fn a_rotated_key_is_found_by_refetching_the_jwks() {
    let provider = TestProvider::start(REDIRECT_URI).await;
    let client = client_for(&provider);
    login(&client).await.unwrap();
    provider.rotate_signing_key();
    login(&client).await.unwrap();
    assert_eq!(provider.request_counts().jwks, 2);
    // The refetched set is cached again.
    login(&client).await.unwrap();
    assert_eq!(provider.request_counts().jwks, 2);
}

#[tokio::test]
async fn a_code_used_twice_fails_the_second_time() {
    let provider = TestProvider::start(REDIRECT_URI).await;
    let client = client_for(&provider);
    let (start, code) = authorize(&client).await;
    client
        .complete(&code, &start.nonce, &start.pkce_verifier, Utc::now())
        .await
        .unwrap();
    let again = client
        .complete(&code, &start.nonce, &start.pkce_verifier, Utc::now())
        .await;
    assert_eq!(
        token_endpoint_error(again),
        (400, Some("invalid_grant".into()))
    );
}

#[tokio::test]
async fn a_wrong_pkce_verifier_fails_at_the_token_endpoint() {
    let provider = TestProvider::start(REDIRECT_URI).await;
    let client = client_for(&provider);
    let (start, code) = authorize(&client).await;
    let other = client.begin().await.unwrap();
    let result = client
        .complete(&code, &start.nonce, &other.pkce_verifier, Utc::now())
        .await;
    let error = result.unwrap_err();
    assert_eq!(error.oauth_error(), Some("invalid_grant"));
    assert!(matches!(
        error,
        OidcError::TokenEndpoint { status: 400, .. }
    ));
}

#[tokio::test]
async fn a_wrong_client_secret_fails() {
    let provider = TestProvider::start(REDIRECT_URI).await;
    let mut config = provider.config(REDIRECT_URI);
    config.client_secret = Some("not-the-secret".into());
    let client = OidcClient::new(config).unwrap();
    assert_eq!(
        token_endpoint_error(login(&client).await),
        (401, Some("invalid_client".into()))
    );
}

#[tokio::test]
async fn client_secret_post_is_used_when_it_is_the_only_method_listed() {
    let provider = TestProvider::start(REDIRECT_URI).await;
    provider.set_token_endpoint_auth_methods(&["client_secret_post"]);
    // The provider now refuses Basic, so success proves the secret went in the body.
    login(&client_for(&provider)).await.unwrap();

    provider.set_token_endpoint_auth_methods(&["private_key_jwt"]);
    let client = client_for(&provider);
    assert!(matches!(client.begin().await, Err(OidcError::Config(_))));
}

#[tokio::test]
async fn an_empty_expected_nonce_is_refused_before_the_token_endpoint() {
    let provider = TestProvider::start(REDIRECT_URI).await;
    let client = client_for(&provider);
    let (start, code) = authorize(&client).await;
    let result = client
        .complete(&code, "", &start.pkce_verifier, Utc::now())
        .await;
    assert!(matches!(result, Err(OidcError::InvalidArgument(_))));
    assert_eq!(provider.request_counts().token, 0);
}

#[tokio::test]
async fn an_unregistered_redirect_uri_gets_no_redirect() {
    let provider = TestProvider::start(REDIRECT_URI).await;
    let client = OidcClient::new(provider.config("http://127.0.0.1:9/elsewhere")).unwrap();
    let start = client.begin().await.unwrap();
    let response = browser()
        .get(&start.authorization_url)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.headers().get(LOCATION).is_none());
    assert!(provider
        .browser_login(&start.authorization_url)
        .await
        .is_err());
}

#[tokio::test]
async fn redirect_uri_registered_after_start_and_the_browser_helper() {
    let provider = TestProvider::start_unregistered().await;
    let client = client_for(&provider);
    let start = client.begin().await.unwrap();
    assert!(provider
        .browser_login(&start.authorization_url)
        .await
        .is_err());

    provider.register_redirect_uri(REDIRECT_URI);
    provider.set_claims(claims(json!({"bsn": "999990019"})));
    let start = client.begin().await.unwrap();
    let back = provider
        .browser_login(&start.authorization_url)
        .await
        .unwrap();
    assert_eq!(back.state.as_deref(), Some(start.state.as_str()));
    assert_eq!(back.error, None);
    let verified = client
        .complete(
            &back.code.unwrap(),
            &start.nonce,
            &start.pkce_verifier,
            Utc::now(),
        )
        .await
        .unwrap();
    assert_eq!(verified.subject, "test-subject");
    assert_eq!(verified.claim_str("bsn"), Some("999990019"));
}

#[tokio::test]
async fn a_public_client_is_refused_by_a_confidential_registration() {
    let provider = TestProvider::start(REDIRECT_URI).await;
    let mut config = provider.config(REDIRECT_URI);
    config.client_secret = None;
    let client = OidcClient::new(config).unwrap();
    assert_eq!(
        token_endpoint_error(login(&client).await),
        (401, Some("invalid_client".into()))
    );
}
