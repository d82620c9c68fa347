//! Where person data comes from. [`BrpSource`] is the one interface; [`EmbeddedSource`]
//! serves the persons kept in the portal's own database. An upstream Haal Centraal source
//! goes behind the same trait: it receives the field selection and passes it on as
//! `fields`, so that no source hands the service more than the request may receive.

use crate::store::{Store, StoreError};
use async_trait::async_trait;
use brp_domain::person::{add_leeftijd, Bsn, FieldSelection, Indicaties, PersonQuery};
use chrono::NaiveDate;
use serde_json::Value;
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("person data does not parse: {0}")]
    Corrupt(String),
}

/// One search or consult, already authorised and parsed.
pub struct SourceRequest<'a> {
    pub query: &'a PersonQuery,
    /// Only persons registered in this gemeente (a profile limited to own residents).
    pub gemeente: Option<&'a str>,
    pub selection: &'a FieldSelection,
    /// For the derived `leeftijd`.
    pub today: NaiveDate,
    /// At most this many persons.
    pub limit: usize,
}

/// A person as the source gives it: filtered to the selection, with the indications read
/// from the full record.
#[derive(Debug, Clone)]
pub struct SourcePerson {
    pub bsn: Bsn,
    pub persoon: Value,
    pub indicaties: Indicaties,
}

impl SourcePerson {
    /// Marks a verstrekkingsbeperking the portal holds, whatever the source said: the
    /// indication, and `geheimhoudingPersoonsgegevens`, which the API always delivers.
    pub fn restrict(&mut self) {
        self.indicaties.geheimhouding = true;
        if let Some(persoon) = self.persoon.as_object_mut() {
            persoon.insert("geheimhoudingPersoonsgegevens".into(), Value::Bool(true));
        }
    }
}

#[async_trait]
pub trait BrpSource: Send + Sync + 'static {
    async fn find(&self, request: SourceRequest<'_>) -> Result<Vec<SourcePerson>, SourceError>;
}

/// The persons in the portal's own database.
pub struct EmbeddedSource {
    store: Arc<dyn Store>,
}

impl EmbeddedSource {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }
}

#[async_trait]
impl BrpSource for EmbeddedSource {
    async fn find(&self, request: SourceRequest<'_>) -> Result<Vec<SourcePerson>, SourceError> {
        let limit = i64::try_from(request.limit).unwrap_or(i64::MAX);
        let rows = self
            .store
            .find_persons(request.query, request.gemeente, limit)
            .await?;
        rows.into_iter()
            .map(|row| {
                let bsn = Bsn::parse(&row.bsn).map_err(|e| SourceError::Corrupt(e.to_string()))?;
                let mut full: Value = serde_json::from_str(&row.data)
                    .map_err(|e| SourceError::Corrupt(format!("{}: {e}", row.bsn)))?;
                let indicaties = Indicaties::of(&full);
                add_leeftijd(&mut full, request.today);
                // The full record goes no further than this line.
                let persoon = request.selection.filter(&full);
                Ok(SourcePerson {
                    bsn,
                    persoon,
                    indicaties,
                })
            })
            .collect()
    }
}
