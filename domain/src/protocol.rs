//! Protocollering (Wet BRP 3.11): one record per person provided, per request; the security
//! log of refused requests; and terugmeldingen.

use crate::authorisation::SearchType;
use crate::person::Bsn;
use crate::AfnemerRef;
use crate::ValidationError;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Through which door the data left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Channel {
    /// A medewerker in the portal's pages.
    Portaal,
    /// A task application through the JSON API.
    Api,
}

impl Channel {
    pub fn code(self) -> &'static str {
        match self {
            Channel::Portaal => "portaal",
            Channel::Api => "api",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "portaal" => Some(Channel::Portaal),
            "api" => Some(Channel::Api),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Channel::Portaal => "Portaal",
            Channel::Api => "API (taakapplicatie)",
        }
    }
}

/// How the person was found: in the list of a search, or consulted by BSN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Wijze {
    Zoekresultaat(SearchType),
    Raadpleging,
}

/// A protocol record as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verstrekking {
    pub id: i64,
    /// The persons provided by one request share this id.
    pub request_id: String,
    pub bsn: Bsn,
    pub at: DateTime<Utc>,
    pub user_id: i64,
    pub username: String,
    pub grant_id: i64,
    pub profile_id: i64,
    pub profile_version: i32,
    pub afnemer: AfnemerRef,
    pub doel_id: i64,
    pub doel_name: String,
    pub zaak: String,
    pub search_type: SearchType,
    pub channel: Channel,
    /// The element paths provided.
    pub fields: Vec<String>,
    /// Left out of what the citizen is shown (Besluit BRP art. 46), as the afnemer was
    /// flagged when this verstrekking was made.
    pub hidden_from_citizen: bool,
    /// The end user in a task application (`x-gebruiker`), for an API verstrekking.
    pub gebruiker: Option<String>,
    /// The application's verwerking (`x-verwerking`), when it sent one.
    pub verwerking: Option<String>,
}

impl Verstrekking {
    /// "Zoeken met postcode en huisnummer" or "Raadplegen met burgerservicenummer".
    pub fn how_label(&self) -> &'static str {
        self.search_type.label()
    }
}

/// What the protocol viewer searches by. All parts are optional and combine with AND.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProtocolFilter {
    pub bsn: Option<Bsn>,
    pub user_id: Option<i64>,
    pub afnemer_id: Option<i64>,
    /// Only the portal or only the API.
    pub channel: Option<Channel>,
    /// First day included.
    pub from: Option<NaiveDate>,
    /// Last day included.
    pub to: Option<NaiveDate>,
}

impl ProtocolFilter {
    /// Parses the viewer's form; empty fields mean "any".
    pub fn parse(
        bsn: &str,
        user_id: &str,
        afnemer_id: &str,
        channel: &str,
        from: &str,
        to: &str,
    ) -> Result<Self, ValidationError> {
        let id = |field: &str, raw: &str| -> Result<Option<i64>, ValidationError> {
            let raw = raw.trim();
            if raw.is_empty() {
                return Ok(None);
            }
            raw.parse()
                .map(Some)
                .map_err(|_| ValidationError::new(field, "Kies een waarde uit de lijst."))
        };
        let day = |field: &str, raw: &str| -> Result<Option<NaiveDate>, ValidationError> {
            let raw = raw.trim();
            if raw.is_empty() {
                return Ok(None);
            }
            NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .or_else(|_| NaiveDate::parse_from_str(raw, "%d-%m-%Y"))
                .map(Some)
                .map_err(|_| {
                    ValidationError::new(field, "Vul een datum in, zoals 2026-11-22 of 22-11-2026.")
                })
        };
        let filter = Self {
            bsn: if bsn.trim().is_empty() {
                None
            } else {
                Some(Bsn::parse(bsn)?)
            },
            user_id: id("medewerker", user_id)?,
            afnemer_id: id("afnemer", afnemer_id)?,
            channel: match channel.trim() {
                "" => None,
                code => Some(Channel::from_code(code).ok_or_else(|| {
                    ValidationError::new("kanaal", "Kies een waarde uit de lijst.")
                })?),
            },
            from: day("van", from)?,
            to: day("tot", to)?,
        };
        if let (Some(f), Some(t)) = (filter.from, filter.to) {
            if t < f {
                return Err(ValidationError::new(
                    "tot",
                    "De einddatum ligt vóór de begindatum.",
                ));
            }
        }
        Ok(filter)
    }
}

/// A request refused because it went outside the grant: no data left, so no verstrekking,
/// but the attempt is kept for the beheerder and the toezichthouder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityEvent {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub user_id: Option<i64>,
    pub username: String,
    pub grant_id: Option<i64>,
    pub action: String,
    pub reason: String,
    pub detail: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TerugmeldingStatus {
    Ontvangen,
    InBehandeling,
    Afgehandeld,
}

impl TerugmeldingStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::Ontvangen => "ontvangen",
            Self::InBehandeling => "in_behandeling",
            Self::Afgehandeld => "afgehandeld",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "ontvangen" => Some(Self::Ontvangen),
            "in_behandeling" => Some(Self::InBehandeling),
            "afgehandeld" => Some(Self::Afgehandeld),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Ontvangen => "Ontvangen",
            Self::InBehandeling => "In behandeling",
            Self::Afgehandeld => "Afgehandeld",
        }
    }
}

/// An afnemer's report of doubt about a datum of a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Terugmelding {
    pub id: i64,
    pub bsn: Bsn,
    pub field_path: String,
    pub field_label: String,
    pub reason: String,
    pub reporter_id: i64,
    /// The reporter's display name at the time.
    pub reporter_name: String,
    pub afnemer_name: String,
    pub reported_at: DateTime<Utc>,
    pub status: TerugmeldingStatus,
    pub outcome: String,
    pub handled_by: Option<String>,
    pub handled_at: Option<DateTime<Utc>>,
}
