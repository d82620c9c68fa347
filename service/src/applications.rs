//! Task applications (taakapplicaties): registered by a beheerder, activated and given
//! grants with four eyes, authenticated with OAuth 2.0 client credentials or a JWT of the
//! municipality's identity provider, and looking persons up under the same rules and
//! protocol as a medewerker ([`Portal::api_lookup`]).
//!
//! - A client secret is 256 random bits, shown once and kept as an argon2 hash. Rotating it
//!   keeps the old one working for an overlap the beheerder chooses (zero ends it at once).
//! - An access token is 256 random bits, valid [`ACCESS_TOKEN_SECONDS`]; only its SHA-256
//!   is kept. Checking a request is one indexed read: no password hash per request.
//! - Every request is checked afresh: the application active, the secret of its token not
//!   ended, the grant active today. Deactivating an application, ending a secret or revoking
//!   a grant stops the next call.

use crate::accounts::Actor;
use crate::error::ServiceError;
use crate::four_eyes::Prepared;
use crate::portal::Portal;
use crate::raadplegen::LookupRequest;
use crate::store::{NewApplication, NewGrant, ProposalEffect};
use async_trait::async_trait;
use brp_domain::application::{ApiContext, Application, ClientSecretInfo, ACCESS_TOKEN_SECONDS};
use brp_domain::authorisation::{required_text, GrantState, Period, SearchType};
use brp_domain::four_eyes::ProposedChange;
use brp_domain::person::{LookupResult, QueryInput};
use brp_domain::protocol::Channel;
use brp_domain::{AuditAction, DisplayName, Role, Username, ValidationError};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::Rng;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;

const MANAGERS: &[Role] = &[Role::Beheerder];
const READERS: &[Role] = &[Role::Beheerder, Role::Toezichthouder];

/// The longest overlap of an old secret after rotation.
pub const MAX_OVERLAP_HOURS: i64 = 7 * 24;

/// Verifies a JWT access token of the municipality's own identity provider (issuer, JWKS,
/// audience as configured) and returns the client id its configured claim names.
#[async_trait]
pub trait ApplicationIdp: Send + Sync + 'static {
    async fn client_id(&self, token: &str, now: DateTime<Utc>) -> Result<String, String>;
}

/// The municipality's identity provider as an [`ApplicationIdp`]: JWT access tokens checked
/// by brp-oidc exactly as DigiD ID tokens are (JWKS from discovery, allowed algorithms,
/// issuer, audience, times), the application named by a configured claim.
pub struct OidcApplicationIdp {
    client: brp_oidc::OidcClient,
    claim: String,
}

impl OidcApplicationIdp {
    /// `issuer` of the provider, the `audience` its tokens for this portal carry, and the
    /// `claim` that holds the application's client id (e.g. `client_id` or `azp`).
    pub fn new(issuer: &str, audience: &str, claim: &str) -> Result<Self, String> {
        if claim.trim().is_empty() {
            return Err("the claim naming the application is empty".into());
        }
        Ok(Self {
            client: brp_oidc::OidcClient::resource_server(issuer, audience)
                .map_err(|e| e.to_string())?,
            claim: claim.trim().to_owned(),
        })
    }
}

#[async_trait]
impl ApplicationIdp for OidcApplicationIdp {
    async fn client_id(&self, token: &str, now: DateTime<Utc>) -> Result<String, String> {
        let verified = self
            .client
            .verify_access_token(token, now)
            .await
            .map_err(|e| e.to_string())?;
        verified
            .claim_str(&self.claim)
            .map(str::to_owned)
            .ok_or_else(|| format!("the token has no claim {}", self.claim))
    }
}

/// Limits on the API, per application.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ApiSettings {
    /// Requests per second an application may make on average.
    pub requests_per_second: f64,
    /// How many requests it may make at once above that (the bucket's size).
    pub burst: f64,
}

impl Default for ApiSettings {
    fn default() -> Self {
        Self {
            requests_per_second: 50.0,
            burst: 100.0,
        }
    }
}

/// A token bucket per application, in memory: a limit that protects the portal and the BRP
/// from one runaway application needs no durability.
#[derive(Default)]
pub(crate) struct RateLimiter {
    buckets: Mutex<HashMap<i64, (f64, DateTime<Utc>)>>,
}

impl RateLimiter {
    /// Takes one request from the application's bucket, or says after how many seconds
    /// the next one fits.
    fn take(&self, app: i64, now: DateTime<Utc>, settings: ApiSettings) -> Result<(), u64> {
        let rate = settings.requests_per_second.max(0.001);
        let burst = settings.burst.max(1.0);
        let mut buckets = match self.buckets.lock() {
            Ok(b) => b,
            Err(poisoned) => poisoned.into_inner(),
        };
        let (tokens, at) = buckets.entry(app).or_insert((burst, now));
        let elapsed = (now - *at).num_milliseconds().max(0) as f64 / 1000.0;
        *tokens = (*tokens + elapsed * rate).min(burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - *tokens) / rate).ceil().max(1.0) as u64)
        }
    }
}

/// What the beheerder types to register an application.
#[derive(Debug, Clone, Default)]
pub struct ApplicationForm {
    pub client_id: String,
    pub name: String,
    pub afnemer_id: i64,
    pub contact: String,
}

/// A client secret, shown once: to the beheerder who registered or rotated it, to hand to
/// the application's supplier. Only its hash is kept.
#[derive(Clone)]
pub struct IssuedSecret {
    pub client_id: String,
    pub secret: String,
}

impl std::fmt::Debug for IssuedSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedSecret")
            .field("client_id", &self.client_id)
            .field("secret", &"[verborgen]")
            .finish()
    }
}

/// An access token as `/oauth/token` returns it.
#[derive(Clone)]
pub struct AccessToken {
    pub token: String,
    pub expires_in: i64,
}

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessToken")
            .field("expires_in", &self.expires_in)
            .finish_non_exhaustive()
    }
}

/// One application with its secrets (without the secrets) and grants, for its page.
#[derive(Debug, Clone)]
pub struct ApplicationDetail {
    pub application: Application,
    pub secrets: Vec<ClientSecretInfo>,
    pub grants: Vec<brp_domain::authorisation::GrantView>,
}

/// A Haal Centraal request of an application, as the API parsed it.
#[derive(Debug, Clone)]
pub struct ApiLookup {
    pub context: ApiContext,
    pub search_type: SearchType,
    pub input: QueryInput,
    pub fields: Vec<String>,
}

fn random_hex() -> String {
    let bytes: [u8; 32] = rand::thread_rng().gen();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A JWT has three dot-separated parts; our own tokens are hex and have none.
fn looks_like_jwt(token: &str) -> bool {
    token.split('.').count() == 3
}

impl Portal {
    /// The application whose account has this id; anything else is "not found".
    pub(crate) async fn subject_application(&self, id: i64) -> Result<Application, ServiceError> {
        self.store
            .application(id)
            .await?
            .ok_or(ServiceError::NotFound("De taakapplicatie"))
    }

    /// The activation of an application, checked for the four-eyes proposal (and again
    /// when it is approved).
    pub(crate) async fn prepare_application_activation(
        &self,
        user_id: i64,
    ) -> Result<Prepared, ServiceError> {
        let app = self.subject_application(user_id).await?;
        if app.active {
            return Err(ServiceError::Conflict(
                "De taakapplicatie is al actief.".into(),
            ));
        }
        Ok(Prepared::activation(
            format!("taakapplicatie {}", app.client_id),
            app.id,
            format!(
                "{} ({}) van {} activeren: de client-id en het geheim gaan werken",
                app.name, app.client_id, app.afnemer.name
            ),
            None,
        ))
    }

    /// A grant for an application on a profile of its own afnemer, checked for the
    /// four-eyes proposal (and again when it is approved).
    pub(crate) async fn prepare_application_grant(
        &self,
        user_id: i64,
        profile_id: i64,
        start_date: NaiveDate,
        end_date: NaiveDate,
    ) -> Result<Prepared, ServiceError> {
        let now = self.clock.now();
        let app = self.subject_application(user_id).await?;
        if end_date < start_date || end_date < self.today() {
            return Err(ValidationError::new(
                "tot",
                "De einddatum ligt vóór de begindatum of in het verleden.",
            )
            .into());
        }
        let (profile, current_version) = self.approved_profile(profile_id).await?;
        // An application works for one afnemer, under that afnemer's profiles, as a
        // medewerker does for their department.
        if profile.afnemer.id != app.afnemer.id {
            return Err(ValidationError::new(
                "profiel",
                format!(
                    "Dit profiel hoort bij {}; de taakapplicatie werkt voor {}.",
                    profile.afnemer.name, app.afnemer.name
                ),
            )
            .into());
        }
        let summary = format!(
            "{} ({}) krijgt het profiel {} (versie {}) van {} tot en met {}",
            app.name,
            app.client_id,
            profile.name,
            current_version,
            brp_domain::time::format_day(start_date),
            brp_domain::time::format_day(end_date),
        );
        Ok(Prepared {
            subject: format!("taakapplicatie {}", app.client_id),
            subject_user_id: Some(app.id),
            summary: summary.clone(),
            effect: ProposalEffect::InsertGrant(NewGrant {
                user_id: app.id,
                profile_id: profile.id,
                request_id: None,
                confirmed_version: current_version,
                start_date,
                end_date,
                confirmed_by: String::new(),
                created_at: now,
            }),
            audit: (
                AuditAction::GrantCreated,
                "autorisatie",
                None,
                Some(summary),
            ),
            link_to: None,
            fg: None,
        })
    }

    /// Registers an application, inactive, with its first secret (returned once), and
    /// proposes its activation to a second beheerder.
    pub async fn register_application(
        &self,
        actor: &Actor,
        form: ApplicationForm,
    ) -> Result<(Application, IssuedSecret), ServiceError> {
        actor.require(MANAGERS)?;
        let client_id = Username::parse(&form.client_id)
            .map_err(|e| ValidationError::new("client_id", e.message))?;
        let name =
            DisplayName::parse(&form.name).map_err(|e| ValidationError::new("naam", e.message))?;
        let contact = required_text("contact", &form.contact, 200)?;
        brp_domain::text::check_text("contact", &contact)?;
        let afnemer = self
            .store
            .afnemer_by_id(form.afnemer_id)
            .await?
            .ok_or_else(|| ValidationError::new("afnemer", "Kies een bestaande afnemer."))?;
        let secret = random_hex();
        let secret_hash = self.hash_password(secret.clone()).await?;
        let now = self.clock.now();
        let audit = self.event(
            actor,
            AuditAction::UserCreated,
            format!("taakapplicatie {client_id}"),
            Some("account"),
            None,
            Some(format!(
                "{name} van {}, contact {contact}; niet actief tot een tweede beheerder haar \
                 activeert",
                afnemer.name.as_str()
            )),
        );
        let id = self
            .store
            .insert_application(
                &NewApplication {
                    client_id: client_id.clone(),
                    name,
                    afnemer_id: afnemer.id,
                    contact,
                    registered_by: actor.user().display_name.to_string(),
                    secret_hash,
                    created_at: now,
                },
                &audit,
            )
            .await?;
        self.propose_change(actor, ProposedChange::ActivateApplication { user_id: id })
            .await?;
        let application = self.subject_application(id).await?;
        Ok((
            application,
            IssuedSecret {
                client_id: client_id.to_string(),
                secret,
            },
        ))
    }

    /// The CLI door (`brp-portaal applicatie ...`): acts as the named beheerder, who must
    /// exist and be active, through the same service calls (and their audit) as the pages.
    /// Whoever can run the server's command line already holds its database; this only
    /// names who answers for the change. For the command line only, never for a web request.
    pub async fn cli_beheerder(&self, username: &str) -> Result<Actor, ServiceError> {
        let name =
            Username::parse(username).map_err(|e| ValidationError::new("door", e.message))?;
        let user = self
            .store
            .user_by_username(&name)
            .await?
            .filter(|u| u.user.active && u.user.role == Role::Beheerder)
            .ok_or_else(|| {
                ValidationError::new("door", "Geen actieve beheerder met deze gebruikersnaam.")
            })?;
        Ok(Actor::from_user(user.user))
    }

    pub async fn list_applications(&self, actor: &Actor) -> Result<Vec<Application>, ServiceError> {
        actor.require(READERS)?;
        Ok(self.store.list_applications().await?)
    }

    pub async fn application_detail(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<ApplicationDetail, ServiceError> {
        actor.require(READERS)?;
        let application = self.subject_application(id).await?;
        let secrets = self
            .store
            .application_secrets(id)
            .await?
            .into_iter()
            .map(|s| s.info)
            .collect();
        let grants = self
            .list_grants(
                actor,
                crate::store::GrantFilter {
                    user_id: Some(id),
                    ..Default::default()
                },
            )
            .await?;
        Ok(ApplicationDetail {
            application,
            secrets,
            grants,
        })
    }

    /// Proposes to activate a (deactivated) application again; a second beheerder decides.
    pub async fn propose_application_activation(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<i64, ServiceError> {
        actor.require(MANAGERS)?;
        self.propose_change(actor, ProposedChange::ActivateApplication { user_id: id })
            .await
    }

    /// Proposes an autorisatiebesluit: the application gets a grant on a profile of its
    /// afnemer for a period. A second beheerder approves it.
    pub async fn propose_application_grant(
        &self,
        actor: &Actor,
        id: i64,
        profile_id: i64,
        start: &str,
        end: &str,
    ) -> Result<i64, ServiceError> {
        actor.require(MANAGERS)?;
        let period = Period::parse(start, end, self.today())?;
        self.propose_change(
            actor,
            ProposedChange::GrantApplication {
                user_id: id,
                profile_id,
                start_date: period.start,
                end_date: period.end,
            },
        )
        .await
    }

    /// Deactivates an application at once (a narrowing: one beheerder suffices); its
    /// tokens stop working with the next call.
    pub async fn deactivate_application(&self, actor: &Actor, id: i64) -> Result<(), ServiceError> {
        actor.require(MANAGERS)?;
        let app = self.subject_application(id).await?;
        if !app.active {
            return Err(ServiceError::Conflict(
                "De taakapplicatie is al niet actief.".into(),
            ));
        }
        let audit = self.event(
            actor,
            AuditAction::UserDeactivated,
            format!("taakapplicatie {}", app.client_id),
            Some("status"),
            Some("actief".into()),
            Some("niet actief".into()),
        );
        self.store
            .set_user_active(id, false, self.clock.now(), &audit)
            .await?;
        self.store.delete_access_tokens(id).await?;
        Ok(())
    }

    /// A new client secret (returned once). The secrets valid until now keep working for
    /// `overlap_minutes` (0: they stop at once, with every token issued with them).
    pub async fn rotate_application_secret(
        &self,
        actor: &Actor,
        id: i64,
        overlap_minutes: i64,
    ) -> Result<IssuedSecret, ServiceError> {
        actor.require(MANAGERS)?;
        if !(0..=MAX_OVERLAP_HOURS * 60).contains(&overlap_minutes) {
            return Err(ValidationError::new(
                "overlap",
                format!("Kies een overlap van 0 minuten tot {MAX_OVERLAP_HOURS} uur."),
            )
            .into());
        }
        let app = self.subject_application(id).await?;
        let secret = random_hex();
        let hash = self.hash_password(secret.clone()).await?;
        let now = self.clock.now();
        let until = now + Duration::minutes(overlap_minutes);
        let audit = self.event(
            actor,
            AuditAction::PasswordReset,
            format!("taakapplicatie {}", app.client_id),
            Some("client secret"),
            Some("(verborgen)".into()),
            Some(format!(
                "nieuw geheim; het oude werkt tot {}",
                brp_domain::time::format_datetime(until)
            )),
        );
        self.store
            .rotate_application_secret(id, &hash, now, until, &audit)
            .await?;
        Ok(IssuedSecret {
            client_id: app.client_id.to_string(),
            secret,
        })
    }

    /// OAuth 2.0 client credentials: an access token for a valid client id and secret of an
    /// active application. Every failure is the same [`ServiceError::InvalidCredentials`],
    /// and costs one password hash, so the answer does not tell which client ids exist.
    pub async fn issue_access_token(
        &self,
        client_id: &str,
        secret: &str,
    ) -> Result<AccessToken, ServiceError> {
        let now = self.clock.now();
        let user = match Username::parse(client_id) {
            Ok(name) => self
                .store
                .user_by_username(&name)
                .await?
                .filter(|u| u.user.role == Role::Applicatie && u.user.active),
            Err(_) => None,
        };
        let secrets = match &user {
            Some(u) => self
                .store
                .application_secrets(u.user.id)
                .await?
                .into_iter()
                .filter(|s| s.info.is_valid(now))
                .collect(),
            None => Vec::new(),
        };
        if secrets.is_empty() || secret.len() > 256 {
            self.verify_password(
                secret.chars().take(256).collect(),
                self.dummy_hash.to_string(),
            )
            .await?;
            return Err(ServiceError::InvalidCredentials);
        }
        let mut matched = None;
        for s in &secrets {
            if self
                .verify_password(secret.to_owned(), s.hash.clone())
                .await?
            {
                matched = Some(s.info.id);
                break;
            }
        }
        let (Some(user), Some(secret_id)) = (user, matched) else {
            return Err(ServiceError::InvalidCredentials);
        };
        let token = random_hex();
        let expires_at = now + Duration::seconds(ACCESS_TOKEN_SECONDS);
        self.store
            .insert_access_token(
                &sha256_hex(&token),
                user.user.id,
                secret_id,
                now,
                expires_at,
            )
            .await?;
        tracing::info!(client_id = %user.user.username, "access token issued");
        Ok(AccessToken {
            token,
            expires_in: ACCESS_TOKEN_SECONDS,
        })
    }

    /// The application behind a bearer token: one of ours, or a JWT of the configured
    /// identity provider. Checked afresh on every request.
    pub async fn authenticate_application(&self, bearer: &str) -> Result<Actor, ServiceError> {
        let now = self.clock.now();
        let bearer = bearer.trim();
        if bearer.is_empty() || bearer.len() > 8192 {
            return Err(ServiceError::Unauthenticated);
        }
        let user_id = if looks_like_jwt(bearer) {
            let Some(idp) = &self.application_idp else {
                return Err(ServiceError::Unauthenticated);
            };
            let client_id = idp.client_id(bearer, now).await.map_err(|e| {
                tracing::warn!(error = %e, "identity provider token refused");
                ServiceError::Unauthenticated
            })?;
            let name = Username::parse(&client_id).map_err(|_| ServiceError::Unauthenticated)?;
            self.store
                .user_by_username(&name)
                .await?
                .ok_or(ServiceError::Unauthenticated)?
                .user
                .id
        } else {
            let record = self
                .store
                .access_token(&sha256_hex(bearer))
                .await?
                .ok_or(ServiceError::Unauthenticated)?;
            if record.expires_at <= now || record.secret_valid_until.is_some_and(|u| u <= now) {
                return Err(ServiceError::Unauthenticated);
            }
            record.user_id
        };
        let user = self
            .store
            .application_user(user_id)
            .await?
            .filter(|u| u.user.active)
            .ok_or(ServiceError::Unauthenticated)?;
        Ok(Actor::from_user(user.user))
    }

    /// A Haal Centraal lookup by an application: the same checks, source, filter and
    /// protocol as a medewerker's lookup, with the grant chosen by `x-doelbinding`.
    pub async fn api_lookup(
        &self,
        app: &Actor,
        request: ApiLookup,
    ) -> Result<LookupResult, ServiceError> {
        app.require(&[Role::Applicatie])?;
        if let Err(retry_after_seconds) =
            self.rate_limiter
                .take(app.id(), self.clock.now(), self.config.api)
        {
            return Err(ServiceError::RateLimited {
                retry_after_seconds,
            });
        }
        if request.fields.is_empty() {
            return Err(
                ValidationError::new("fields", "Geef ten minste één veld op in fields.").into(),
            );
        }
        let action = request.search_type.code();
        let grants = self
            .store
            .list_grants(crate::store::GrantFilter {
                user_id: Some(app.id()),
                ..Default::default()
            })
            .await?;
        let today = self.today();
        let mut usable = Vec::new();
        for g in grants
            .into_iter()
            .filter(|g| g.state(today) == GrantState::Active)
        {
            match self.effective_from(app, g).await {
                Ok(eg) => usable.push(eg),
                Err(ServiceError::Forbidden | ServiceError::NotFound(_)) => {}
                Err(e) => return Err(e),
            }
        }
        if usable.is_empty() {
            return Err(self
                .refuse(
                    app,
                    None,
                    action,
                    "De applicatie heeft (nu) geen geldige autorisatie.".into(),
                    "geen actieve autorisatie".into(),
                )
                .await);
        }
        let wanted = request.context.doelbinding.as_str();
        let with_doel: Vec<_> = usable
            .iter()
            .filter_map(|eg| {
                eg.doelen
                    .iter()
                    .find(|d| d.name.eq_ignore_ascii_case(wanted) || d.id.to_string() == wanted)
                    .map(|d| (eg, d.id))
            })
            .collect();
        if with_doel.is_empty() {
            let _ = self
                .refuse(
                    app,
                    None,
                    action,
                    "onbekende doelbinding".into(),
                    format!("x-doelbinding {wanted}"),
                )
                .await;
            return Err(ValidationError::new(
                "x-doelbinding",
                "De doelbinding is onbekend of hoort niet bij een autorisatie van deze applicatie.",
            )
            .into());
        }
        let Some((eg, doel_id)) = with_doel
            .iter()
            .find(|(eg, _)| eg.content.search_types.contains(&request.search_type))
            .copied()
        else {
            let (eg, _) = with_doel[0];
            return Err(self
                .refuse(
                    app,
                    Some(eg.grant.id),
                    action,
                    format!(
                        "De autorisatie ‘{}’ staat de zoekvorm ‘{}’ niet toe.",
                        eg.grant.profile_name,
                        request.search_type.code()
                    ),
                    format!("zoekvorm {action}"),
                )
                .await);
        };
        let lookup = LookupRequest {
            grant_id: eg.grant.id,
            doel_id,
            zaak: String::new(),
            search_type: request.search_type,
            input: request.input,
            fields: request.fields,
            channel: Channel::Api,
        };
        self.lookup_under(app, eg, lookup, Some(&request.context))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bucket_refills_at_the_rate() {
        let limiter = RateLimiter::default();
        let settings = ApiSettings {
            requests_per_second: 2.0,
            burst: 2.0,
        };
        let t = Utc::now();
        assert!(limiter.take(1, t, settings).is_ok());
        assert!(limiter.take(1, t, settings).is_ok());
        assert_eq!(limiter.take(1, t, settings), Err(1));
        // Another application has its own bucket.
        assert!(limiter.take(2, t, settings).is_ok());
        assert!(limiter
            .take(1, t + Duration::milliseconds(500), settings)
            .is_ok());
    }

    #[test]
    fn tokens_and_jwts_are_told_apart() {
        assert!(!looks_like_jwt(&random_hex()));
        assert!(looks_like_jwt("a.b.c"));
        assert_ne!(random_hex(), random_hex());
        assert_eq!(sha256_hex("x").len(), 64);
    }
}
