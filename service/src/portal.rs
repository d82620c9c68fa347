//! [`Portal`]: the one entry point to the service layer.

use crate::caches::Caches;
use crate::clock::Clock;
use crate::error::{InternalError, ServiceError};
use crate::password::PasswordHashing;
use crate::protocol_writer::ProtocolWriter;
use crate::source::{BrpSource, EmbeddedSource};
use crate::store::Store;
use brp_domain::{LoginThrottle, SessionPolicy};
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct PortalConfig {
    /// The municipality's name, for letters.
    pub municipality: String,
    /// The municipality's gemeentecode: a profile limited to own residents finds only
    /// persons registered here.
    pub municipality_code: String,
    pub password_hashing: PasswordHashing,
    pub login_throttle: LoginThrottle,
    /// Citizen login starts (DigiD and the simulation) per client address.
    pub login_start_throttle: brp_domain::LoginStartThrottle,
    pub sessions: SessionPolicy,
    pub citizens: crate::citizens::CitizenSettings,
    /// The most rows a protocol export holds; past it the file says it was cut off.
    pub protocol_export_max: i64,
    /// The Haal Centraal API's limits per application.
    pub api: crate::applications::ApiSettings,
}

impl Default for PortalConfig {
    fn default() -> Self {
        Self {
            municipality: "Gemeente".to_owned(),
            municipality_code: crate::demo::DEMO_GEMEENTE_CODE.to_owned(),
            password_hashing: PasswordHashing::PRODUCTION,
            login_throttle: LoginThrottle::default(),
            login_start_throttle: brp_domain::LoginStartThrottle::default(),
            sessions: SessionPolicy::default(),
            citizens: crate::citizens::CitizenSettings::default(),
            protocol_export_max: 100_000,
            api: crate::applications::ApiSettings::default(),
        }
    }
}

/// The service layer. Cheap to clone; every caller (server functions, JSON API, CLI) holds
/// one and goes through it for every read and change.
#[derive(Clone)]
pub struct Portal {
    pub(crate) store: Arc<dyn Store>,
    pub(crate) source: Arc<dyn BrpSource>,
    pub(crate) protocol: Arc<ProtocolWriter>,
    pub(crate) caches: Arc<Caches>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) config: PortalConfig,
    /// How citizens log in with DigiD; `None` where it is not configured.
    pub(crate) identity: Option<Arc<dyn crate::identity::IdentityProvider>>,
    /// A hash to verify against when the account does not exist, so that a login for an
    /// unknown user name costs as much time as one for a known name.
    pub(crate) dummy_hash: Arc<str>,
    /// Requests per application, for the API's rate limit.
    pub(crate) rate_limiter: Arc<crate::applications::RateLimiter>,
    /// The municipality's identity provider whose JWTs applications may present.
    pub(crate) application_idp: Option<Arc<dyn crate::applications::ApplicationIdp>>,
}

impl Portal {
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        config: PortalConfig,
    ) -> Result<Self, ServiceError> {
        let dummy_hash = config
            .password_hashing
            .hash("dummy password that matches nothing")
            .map_err(|e| ServiceError::Internal(InternalError::Hashing(e)))?;
        Ok(Self {
            source: Arc::new(EmbeddedSource::new(store.clone())),
            protocol: Arc::new(ProtocolWriter::new(store.clone())),
            caches: Arc::new(Caches::default()),
            store,
            clock,
            config,
            identity: None,
            dummy_hash: dummy_hash.into(),
            rate_limiter: Arc::default(),
            application_idp: None,
        })
    }

    /// The same portal with other limits on the Haal Centraal API.
    pub fn with_api_settings(mut self, api: crate::applications::ApiSettings) -> Self {
        self.config.api = api;
        self
    }

    /// The same portal accepting JWT access tokens of the municipality's identity provider
    /// from task applications.
    pub fn with_application_idp(
        mut self,
        idp: Arc<dyn crate::applications::ApplicationIdp>,
    ) -> Self {
        self.application_idp = Some(idp);
        self
    }

    /// The same portal reading persons from another source (an upstream Haal Centraal
    /// API, or a test's).
    pub fn with_source(mut self, source: Arc<dyn BrpSource>) -> Self {
        self.source = source;
        self
    }

    pub fn config(&self) -> &PortalConfig {
        &self.config
    }

    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// Whether the database answers; for `/healthz`.
    pub async fn health(&self) -> Result<(), ServiceError> {
        self.store.ping().await?;
        Ok(())
    }

    pub(crate) async fn hash_password(&self, password: String) -> Result<String, ServiceError> {
        let hashing = self.config.password_hashing;
        tokio::task::spawn_blocking(move || hashing.hash(&password))
            .await?
            .map_err(|e| ServiceError::Internal(InternalError::Hashing(e)))
    }

    pub(crate) async fn verify_password(
        &self,
        password: String,
        hash: String,
    ) -> Result<bool, ServiceError> {
        Ok(tokio::task::spawn_blocking(move || PasswordHashing::verify(&password, &hash)).await?)
    }
}
