//! Storage of the embedded BRP source, the protocol, the security log and terugmeldingen.

use super::{NewAuditEvent, StoreError};
use async_trait::async_trait;
use brp_domain::authorisation::SearchType;
use brp_domain::person::{Bsn, PersonQuery, Persoon, SearchKeys};
use brp_domain::protocol::{
    Channel, ProtocolFilter, SecurityEvent, Terugmelding, TerugmeldingStatus, Verstrekking,
};
use chrono::{DateTime, Utc};

/// A person ready to store: the JSON the source serves and the columns it is found by.
#[derive(Debug, Clone)]
pub struct PersonRecord {
    pub bsn: Bsn,
    pub a_nummer: Option<String>,
    pub keys: SearchKeys,
    pub data: String,
}

impl PersonRecord {
    pub fn from_persoon(p: &Persoon) -> Result<Self, StoreError> {
        Ok(Self {
            bsn: p.burgerservicenummer,
            a_nummer: p.a_nummer.map(|a| a.to_string()),
            keys: p.search_keys(),
            data: serde_json::to_string(p).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        })
    }
}

/// A stored person: its BSN and its Haal Centraal JSON.
#[derive(Debug, Clone)]
pub struct StoredPerson {
    pub bsn: String,
    pub data: String,
}

#[derive(Debug, Clone)]
pub struct NewVerstrekking {
    pub request_id: String,
    pub bsn: Bsn,
    pub at: DateTime<Utc>,
    pub user_id: i64,
    pub username: String,
    pub grant_id: i64,
    pub profile_id: i64,
    pub profile_version: i32,
    pub afnemer_id: i64,
    pub afnemer_name: String,
    pub doel_id: i64,
    pub doel_name: String,
    pub zaak: String,
    pub search_type: SearchType,
    pub channel: Channel,
    /// Element paths provided, space-separated in sorted order.
    pub fields: String,
    /// Left out of what the citizen is shown (Besluit BRP art. 46): the afnemer's flag at
    /// the moment of this verstrekking.
    pub hidden_from_citizen: bool,
    /// `x-gebruiker` and `x-verwerking` of an API verstrekking.
    pub gebruiker: Option<String>,
    pub verwerking: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewSecurityEvent {
    pub at: DateTime<Utc>,
    pub user_id: Option<i64>,
    pub username: String,
    pub grant_id: Option<i64>,
    pub action: String,
    pub reason: String,
    pub detail: String,
}

#[derive(Debug, Clone)]
pub struct NewTerugmelding {
    pub bsn: Bsn,
    pub field_path: String,
    pub field_label: String,
    pub reason: String,
    pub reported_by: i64,
    pub reporter_name: String,
    pub afnemer_id: Option<i64>,
    pub afnemer_name: String,
    pub reported_at: DateTime<Utc>,
}

/// The persons of the embedded source and everything recorded about their provision.
#[async_trait]
pub trait PersonStore: Send + Sync + 'static {
    /// Inserts or replaces persons, all in one transaction.
    async fn upsert_persons(&self, persons: &[PersonRecord]) -> Result<(), StoreError>;
    async fn count_persons(&self) -> Result<i64, StoreError>;
    /// The persons that answer `query`, restricted to one gemeente when given, at most
    /// `limit`, ordered by BSN.
    async fn find_persons(
        &self,
        query: &PersonQuery,
        gemeente: Option<&str>,
        limit: i64,
    ) -> Result<Vec<StoredPerson>, StoreError>;

    /// Writes the protocol records of one request in one transaction and returns their ids
    /// in order. Returns only after the commit: the caller may then release the data.
    async fn insert_verstrekkingen(
        &self,
        records: &[NewVerstrekking],
    ) -> Result<Vec<i64>, StoreError>;
    async fn verstrekking(&self, id: i64) -> Result<Option<Verstrekking>, StoreError>;
    /// When the first verstrekking of this installation was recorded: the protocol, and so
    /// a citizen's overview, starts there. `None` while nothing was recorded.
    async fn first_verstrekking_at(&self) -> Result<Option<DateTime<Utc>>, StoreError>;
    /// Newest first.
    async fn list_verstrekkingen(
        &self,
        filter: &ProtocolFilter,
        limit: i64,
    ) -> Result<Vec<Verstrekking>, StoreError>;

    async fn insert_security_event(&self, event: &NewSecurityEvent) -> Result<(), StoreError>;
    /// Newest first.
    async fn list_security_events(&self, limit: i64) -> Result<Vec<SecurityEvent>, StoreError>;

    async fn insert_terugmelding(&self, t: &NewTerugmelding) -> Result<i64, StoreError>;
    async fn terugmelding(&self, id: i64) -> Result<Option<Terugmelding>, StoreError>;
    /// Open ones first, oldest first within a status.
    async fn list_terugmeldingen(
        &self,
        reporter: Option<i64>,
    ) -> Result<Vec<Terugmelding>, StoreError>;
    async fn update_terugmelding(
        &self,
        id: i64,
        status: TerugmeldingStatus,
        outcome: &str,
        handled_by: &str,
        at: DateTime<Utc>,
        audit: &NewAuditEvent,
    ) -> Result<(), StoreError>;
}
