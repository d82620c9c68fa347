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
    pub kind: AfnemerKind,
    /// When set, this afnemer's verstrekkingen are left out of a citizen's overview, on
    /// this legal ground (Besluit BRP art. 46).
    pub hidden_from_citizen_ground: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// What kind of receiver an afnemer is. The law treats them differently: a
/// verstrekkingsbeperking (Wet BRP 2.59, 3.21) stops provision to derden, never to
/// government bodies such as the municipality's own departments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AfnemerKind {
    /// A department of the municipality itself (or another government body).
    Binnengemeentelijk,
    /// A derde with a legal ground (Wet BRP 3.6 and further).
    Derde,
    /// A vrije derde the municipality serves by its own rules (Wet BRP 3.9).
    VrijeDerde,
}

impl AfnemerKind {
    pub const ALL: [AfnemerKind; 3] = [Self::Binnengemeentelijk, Self::Derde, Self::VrijeDerde];

    pub fn code(self) -> &'static str {
        match self {
            Self::Binnengemeentelijk => "binnengemeentelijk",
            Self::Derde => "derde",
            Self::VrijeDerde => "vrije_derde",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code.trim())
    }

    /// The kind must be chosen: a form that lacks it must not turn a derde into a
    /// government body, which would then receive persons with geheimhouding.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        Self::from_code(raw)
            .ok_or_else(|| ValidationError::new("soort", "Kies een soort afnemer uit de lijst."))
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Binnengemeentelijk => "Binnengemeentelijke afnemer (overheid)",
            Self::Derde => "Derde (artikel 3.6 e.v. Wet BRP)",
            Self::VrijeDerde => "Vrije derde (artikel 3.9 Wet BRP)",
        }
    }

    /// Whether a verstrekkingsbeperking (geheimhouding) stops provision to this receiver.
    pub fn is_derde(self) -> bool {
        self != Self::Binnengemeentelijk
    }
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
