//! Correctie (Wet BRP 2.58): the data elements a citizen can ask to have corrected through
//! the portal, how a new value is read, and how it changes a person.
//!
//! Each element has a typed value, so a granted correctie can only ever write a value of the
//! right shape: a date is a date, a postcode a postcode. Derived parts (voorletters,
//! volledige naam, adressering) are derived again after the change.

use crate::catalogue::Catalogue;
use crate::person::search::Postcode;
use crate::person::{Datum, Naam, Persoon, Verblijfadres};
use crate::ValidationError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CorrectableField {
    Voornamen,
    Voorvoegsel,
    Geslachtsnaam,
    Geboortedatum,
    Straatnaam,
    Huisnummer,
    Huisletter,
    Huisnummertoevoeging,
    Postcode,
    Woonplaats,
}

/// A new value, already read into its type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CorrectionValue {
    Text(String),
    /// Only for fields that may be empty (voorvoegsel, huisletter, toevoeging).
    Empty,
    Date(NaiveDate),
    Number(u32),
    Postcode(String),
}

impl CorrectionValue {
    pub fn text(&self) -> String {
        match self {
            Self::Text(t) | Self::Postcode(t) => t.clone(),
            Self::Empty => "(leeg)".to_owned(),
            Self::Date(d) => crate::time::format_day(*d),
            Self::Number(n) => n.to_string(),
        }
    }
}

impl CorrectableField {
    pub const ALL: [CorrectableField; 10] = [
        Self::Voornamen,
        Self::Voorvoegsel,
        Self::Geslachtsnaam,
        Self::Geboortedatum,
        Self::Straatnaam,
        Self::Huisnummer,
        Self::Huisletter,
        Self::Huisnummertoevoeging,
        Self::Postcode,
        Self::Woonplaats,
    ];

    /// The catalogue path of the element.
    pub fn path(self) -> &'static str {
        match self {
            Self::Voornamen => "naam.voornamen",
            Self::Voorvoegsel => "naam.voorvoegsel",
            Self::Geslachtsnaam => "naam.geslachtsnaam",
            Self::Geboortedatum => "geboorte.datum",
            Self::Straatnaam => "verblijfplaats.verblijfadres.korteStraatnaam",
            Self::Huisnummer => "verblijfplaats.verblijfadres.huisnummer",
            Self::Huisletter => "verblijfplaats.verblijfadres.huisletter",
            Self::Huisnummertoevoeging => "verblijfplaats.verblijfadres.huisnummertoevoeging",
            Self::Postcode => "verblijfplaats.verblijfadres.postcode",
            Self::Woonplaats => "verblijfplaats.verblijfadres.woonplaats",
        }
    }

    pub fn from_path(path: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.path() == path.trim())
    }

    /// The element's Dutch label from the catalogue.
    pub fn label(self) -> String {
        Catalogue::persoon()
            .get(self.path())
            .map_or_else(|| self.path().to_owned(), |e| e.label.clone())
    }

    /// The LO GBA element number, for the letter.
    pub fn lo_gba(self) -> Option<String> {
        Catalogue::persoon()
            .get(self.path())
            .and_then(|e| e.lo_gba.clone())
    }

    /// The other paths whose value follows from this one: their recipients received the
    /// wrong value too (Wet BRP 3.23).
    pub fn derived_paths(self) -> &'static [&'static str] {
        match self {
            Self::Voornamen => &["naam.voorletters", "naam.volledigeNaam", "adressering"],
            Self::Voorvoegsel | Self::Geslachtsnaam => &["naam.volledigeNaam", "adressering"],
            Self::Geboortedatum => &["leeftijd"],
            Self::Straatnaam
            | Self::Huisnummer
            | Self::Huisletter
            | Self::Huisnummertoevoeging
            | Self::Postcode
            | Self::Woonplaats => &["adressering"],
        }
    }

    /// What the form tells the citizen about the value's shape.
    pub fn hint(self) -> &'static str {
        match self {
            Self::Geboortedatum => "Een datum, zoals 31-12-1980.",
            Self::Huisnummer => "Alleen cijfers.",
            Self::Postcode => "Vier cijfers en twee letters, zoals 1234 AB.",
            Self::Voorvoegsel | Self::Huisletter | Self::Huisnummertoevoeging => {
                "Mag leeg zijn als het gegeven moet vervallen."
            }
            _ => "",
        }
    }

    fn may_be_empty(self) -> bool {
        matches!(
            self,
            Self::Voorvoegsel | Self::Huisletter | Self::Huisnummertoevoeging
        )
    }

    /// Reads a new value as typed. `field` names the form input.
    pub fn parse_value(self, field: &str, raw: &str) -> Result<CorrectionValue, ValidationError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return if self.may_be_empty() {
                Ok(CorrectionValue::Empty)
            } else {
                Err(ValidationError::new(
                    field,
                    "Vul in wat het gegeven moet zijn.",
                ))
            };
        }
        if raw.chars().any(char::is_control) {
            return Err(ValidationError::new(
                field,
                "De tekst bevat een teken dat niet is toegestaan.",
            ));
        }
        match self {
            Self::Geboortedatum => NaiveDate::parse_from_str(raw, "%d-%m-%Y")
                .or_else(|_| NaiveDate::parse_from_str(raw, "%Y-%m-%d"))
                .map(CorrectionValue::Date)
                .map_err(|_| ValidationError::new(field, "Vul een datum in, zoals 31-12-1980.")),
            Self::Huisnummer => raw
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=99_999).contains(n))
                .map(CorrectionValue::Number)
                .ok_or_else(|| {
                    ValidationError::new(field, "Een huisnummer is een getal van 1 tot 99999.")
                }),
            Self::Postcode => Postcode::parse(raw)
                .map(|p| CorrectionValue::Postcode(p.as_str().to_owned()))
                .map_err(|e| ValidationError::new(field, e.message)),
            Self::Huisletter => {
                let ok = raw.chars().count() == 1 && raw.chars().all(char::is_alphabetic);
                if ok {
                    Ok(CorrectionValue::Text(raw.to_owned()))
                } else {
                    Err(ValidationError::new(field, "Een huisletter is één letter."))
                }
            }
            Self::Huisnummertoevoeging if raw.chars().count() > 4 => Err(ValidationError::new(
                field,
                "Een huisnummertoevoeging heeft hoogstens 4 tekens.",
            )),
            _ if raw.chars().count() > 200 => {
                Err(ValidationError::new(field, "Gebruik hoogstens 200 tekens."))
            }
            _ => Ok(CorrectionValue::Text(raw.to_owned())),
        }
    }

    /// The value the person has now, as text (for the form, the letter and the record).
    pub fn current_text(self, p: &Persoon) -> String {
        let adres = p
            .verblijfplaats
            .as_ref()
            .and_then(|v| v.verblijfadres.as_ref());
        let text = |v: Option<&String>| v.cloned().unwrap_or_else(|| "(leeg)".to_owned());
        match self {
            Self::Voornamen => text(p.naam.voornamen.as_ref()),
            Self::Voorvoegsel => text(p.naam.voorvoegsel.as_ref()),
            Self::Geslachtsnaam => p.naam.geslachtsnaam.clone(),
            Self::Geboortedatum => p
                .geboorte
                .as_ref()
                .and_then(|g| g.datum)
                .map_or_else(|| "(leeg)".to_owned(), Datum::long_format),
            Self::Straatnaam => text(adres.and_then(|a| a.korte_straatnaam.as_ref())),
            Self::Huisnummer => adres
                .and_then(|a| a.huisnummer)
                .map_or_else(|| "(leeg)".to_owned(), |n| n.to_string()),
            Self::Huisletter => text(adres.and_then(|a| a.huisletter.as_ref())),
            Self::Huisnummertoevoeging => text(adres.and_then(|a| a.huisnummertoevoeging.as_ref())),
            Self::Postcode => text(adres.and_then(|a| a.postcode.as_ref())),
            Self::Woonplaats => text(adres.and_then(|a| a.woonplaats.as_ref())),
        }
    }

    /// Writes `value` into the person and derives the dependent parts again. An address
    /// element needs an address in the Netherlands to write to.
    pub fn apply(self, p: &mut Persoon, value: &CorrectionValue) -> Result<(), ValidationError> {
        let wrong = || ValidationError::new("waarde", "Deze waarde past niet bij dit gegeven.");
        let text = |v: &CorrectionValue| match v {
            CorrectionValue::Text(t) | CorrectionValue::Postcode(t) => Ok(Some(t.clone())),
            CorrectionValue::Empty => Ok(None),
            _ => Err(wrong()),
        };
        match self {
            Self::Voornamen | Self::Voorvoegsel | Self::Geslachtsnaam => {
                let mut voornamen = p.naam.voornamen.clone();
                let mut voorvoegsel = p.naam.voorvoegsel.clone();
                let mut geslachtsnaam = p.naam.geslachtsnaam.clone();
                match self {
                    Self::Voornamen => voornamen = text(value)?,
                    Self::Voorvoegsel => voorvoegsel = text(value)?,
                    _ => geslachtsnaam = text(value)?.ok_or_else(wrong)?,
                }
                let derived =
                    Naam::new(voornamen.as_deref(), voorvoegsel.as_deref(), &geslachtsnaam);
                p.naam = Naam {
                    adellijke_titel_predicaat: p.naam.adellijke_titel_predicaat.take(),
                    aanduiding_naamgebruik: p.naam.aanduiding_naamgebruik.take(),
                    in_onderzoek: p.naam.in_onderzoek.take(),
                    ..derived
                };
            }
            Self::Geboortedatum => {
                let CorrectionValue::Date(d) = value else {
                    return Err(wrong());
                };
                p.geboorte.get_or_insert_with(Default::default).datum = Some(Datum::Volledig(*d));
            }
            _ => {
                let adres: &mut Verblijfadres = p
                    .verblijfplaats
                    .as_mut()
                    .and_then(|v| v.verblijfadres.as_mut())
                    .filter(|a| a.regel1.is_none())
                    .ok_or_else(|| {
                        ValidationError::new(
                            "veld",
                            "Deze persoon heeft geen adres in Nederland om te corrigeren.",
                        )
                    })?;
                match self {
                    Self::Straatnaam => {
                        let t = text(value)?.ok_or_else(wrong)?;
                        adres.korte_straatnaam = Some(t.clone());
                        adres.officiele_straatnaam = Some(t);
                    }
                    Self::Huisnummer => {
                        let CorrectionValue::Number(n) = value else {
                            return Err(wrong());
                        };
                        adres.huisnummer = Some(*n);
                    }
                    Self::Huisletter => adres.huisletter = text(value)?,
                    Self::Huisnummertoevoeging => adres.huisnummertoevoeging = text(value)?,
                    Self::Postcode => {
                        let CorrectionValue::Postcode(pc) = value else {
                            return Err(wrong());
                        };
                        adres.postcode = Some(pc.clone());
                    }
                    _ => adres.woonplaats = Some(text(value)?.ok_or_else(wrong)?),
                }
            }
        }
        p.refresh_adressering();
        Ok(())
    }
}

/// What a granted correctie changed, for the record that keeps the old value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionRecord {
    pub id: i64,
    pub request_id: String,
    pub field_path: String,
    pub field_label: String,
    pub old_value: String,
    pub new_value: String,
    pub corrected_by: String,
    pub corrected_at: chrono::DateTime<chrono::Utc>,
    pub reason: String,
}

/// An afnemer that received the value before it was corrected, and whether it was told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EarlierRecipient {
    pub afnemer_id: i64,
    pub afnemer_name: String,
    /// How many verstrekkingen held the old value.
    pub verstrekkingen: i64,
    pub last_provided_at: chrono::DateTime<chrono::Utc>,
    pub notified_at: Option<chrono::DateTime<chrono::Utc>>,
    pub notified_by: Option<String>,
}
