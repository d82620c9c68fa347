//! Filling the embedded BRP source: the demo population and imports. These are system
//! operations for the command line and the demo set-up, not for a session: whoever can run
//! them already holds the database.

use crate::error::ServiceError;
use crate::portal::Portal;
use crate::store::{NewAuditEvent, PersonRecord};
use brp_domain::person::Persoon;
use brp_domain::AuditAction;
use brp_population::generate::{generate, PopulationSpec};
use brp_population::mock_import::{parse_mock, Rejection};

/// Persons written per transaction when loading many: large enough that commits do not
/// dominate, small enough to keep memory flat at a million persons.
const LOAD_BATCH: usize = 20_000;

/// The seed of the demo population: the same demo municipality on every machine.
pub const DEMO_SEED: u64 = 2026;

/// What an import did.
#[derive(Debug, Clone)]
pub struct ImportReport {
    pub imported: usize,
    pub rejected: Vec<Rejection>,
}

impl Portal {
    /// Stores persons (inserting or replacing by BSN), in batches. Returns how many.
    pub async fn store_persons(
        &self,
        persons: impl IntoIterator<Item = Persoon>,
    ) -> Result<usize, ServiceError> {
        let mut persons = persons.into_iter();
        let mut total = 0;
        loop {
            let batch = persons
                .by_ref()
                .take(LOAD_BATCH)
                .map(|p| PersonRecord::from_persoon(&p))
                .collect::<Result<Vec<_>, _>>()?;
            if batch.is_empty() {
                return Ok(total);
            }
            self.store.upsert_persons(&batch).await?;
            total += batch.len();
        }
    }

    pub async fn count_persons(&self) -> Result<i64, ServiceError> {
        Ok(self.store.count_persons().await?)
    }

    /// The specification of this portal's synthetic population of `count` persons.
    pub fn population_spec(&self, count: usize, seed: u64) -> PopulationSpec {
        PopulationSpec {
            seed,
            count,
            gemeente_code: self.config.municipality_code.clone(),
            gemeente_naam: crate::demo::DEMO_GEMEENTE_NAAM.to_owned(),
            woonplaats: crate::demo::DEMO_GEMEENTE_NAAM.to_owned(),
            today: self.today(),
        }
    }

    /// Generates and stores a synthetic population; returns how many persons were stored.
    pub async fn generate_population(
        &self,
        count: usize,
        seed: u64,
    ) -> Result<usize, ServiceError> {
        let spec = self.population_spec(count, seed);
        self.store_persons(generate(&spec)).await
    }

    /// The demo population, once: nothing happens when persons are already stored.
    pub async fn seed_demo_population(&self, count: usize) -> Result<usize, ServiceError> {
        if self.count_persons().await? > 0 {
            return Ok(0);
        }
        self.generate_population(count, DEMO_SEED).await
    }

    /// Imports persons in RvIG's mock format: every valid record is stored, every other one
    /// is reported with its reason. The import is recorded in the audit trail.
    pub async fn import_mock(
        &self,
        json: &str,
        source: &str,
    ) -> Result<ImportReport, ServiceError> {
        let parsed = parse_mock(json)
            .map_err(|m| ServiceError::Invalid(brp_domain::ValidationError::new("bestand", m)))?;
        let imported = self.store_persons(parsed.persons).await?;
        let audit = NewAuditEvent {
            occurred_at: self.clock.now(),
            actor_user_id: None,
            actor: "cli".into(),
            action: AuditAction::PersonsImported,
            subject: format!("personen uit {source}"),
            field: None,
            old_value: None,
            new_value: Some(format!(
                "{imported} ingelezen, {} afgewezen",
                parsed.rejected.len()
            )),
        };
        self.store.record_audit(&audit).await?;
        Ok(ImportReport {
            imported,
            rejected: parsed.rejected,
        })
    }
}
