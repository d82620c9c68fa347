//! Afnemers: the municipality's own departments (organisatieonderdelen) that receive BRP
//! data. Every medewerker works for one.

use crate::ValidationError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Afnemer {
    pub id: i64,
    pub name: AfnemerName,
    /// The laws under which this department receives BRP data (reglement, bijlage 1).
    pub wettelijk_kader: String,
    /// When set, this afnemer's verstrekkingen are left out of a citizen's overview, on
    /// this legal ground (Besluit BRP art. 46).
    pub hidden_from_citizen_ground: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A short reference to an afnemer, enough to show it next to something that belongs to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AfnemerRef {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AfnemerName(String);

impl AfnemerName {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let value = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if value.chars().count() < 2 || value.chars().count() > 120 {
            return Err(ValidationError::new(
                "naam",
                "De naam van een afnemer heeft 2 tot 120 tekens.",
            ));
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for AfnemerName {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<AfnemerName> for String {
    fn from(value: AfnemerName) -> Self {
        value.0
    }
}
