//! What a lookup gives back: each person as provided (already filtered to the grant's
//! fields), with the indications that are always shown, and the protocol record it has.

use super::ids::Bsn;
use crate::authorisation::SearchType;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Shown with every person whatever the profile (Haal Centraal delivers these always, and a
/// medewerker must not act on a deceased person's or a disputed datum unknowingly).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Indicaties {
    /// Verstrekkingsbeperking: no provision to derden; inside the municipality allowed.
    pub geheimhouding: bool,
    /// The date of death in words ("12 maart 2024"), or "datum onbekend".
    pub overleden: Option<String>,
    /// Opschorting bijhouding: reason and date in words.
    pub opschorting: Option<String>,
    /// Paths of the data under investigation (`naam.geslachtsnaam`, `verblijfplaats`).
    pub in_onderzoek: Vec<String>,
}

impl Indicaties {
    /// Reads the indications from a person's full JSON (before any filtering).
    pub fn of(person: &Value) -> Self {
        let text = |v: &Value| v.as_str().map(str::to_owned);
        let overleden = person.get("overlijden").map(|o| {
            o.pointer("/datum/langFormaat")
                .and_then(text)
                .unwrap_or_else(|| "datum onbekend".to_owned())
        });
        let opschorting = person.get("opschortingBijhouding").map(|o| {
            let reden = o
                .pointer("/reden/omschrijving")
                .and_then(text)
                .unwrap_or_else(|| "reden onbekend".to_owned());
            match o.pointer("/datum/langFormaat").and_then(text) {
                Some(d) => format!("{reden} (sinds {d})"),
                None => reden,
            }
        });
        let mut in_onderzoek = Vec::new();
        collect_onderzoek(person, "", &mut in_onderzoek);
        in_onderzoek.sort();
        in_onderzoek.dedup();
        Self {
            geheimhouding: person
                .get("geheimhoudingPersoonsgegevens")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            overleden,
            opschorting,
            in_onderzoek,
        }
    }

    /// Whether the datum at `path` (or its group) is under investigation.
    pub fn is_in_onderzoek(&self, path: &str) -> bool {
        self.in_onderzoek
            .iter()
            .any(|p| path == p || path.starts_with(&format!("{p}.")))
    }
}

fn collect_onderzoek(value: &Value, path: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if k == "inOnderzoek" {
                    if let Value::Object(flags) = v {
                        for (field, flag) in flags {
                            if flag.as_bool() == Some(true) {
                                out.push(if path.is_empty() {
                                    field.clone()
                                } else {
                                    format!("{path}.{field}")
                                });
                            }
                        }
                    }
                } else {
                    let p = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    collect_onderzoek(v, &p, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect_onderzoek(i, path, out)),
        _ => {}
    }
}

/// Adds Haal Centraal's derived `leeftijd` (age on `today`) to a living person with a
/// complete birth date.
pub fn add_leeftijd(person: &mut Value, today: NaiveDate) {
    if person.get("overlijden").is_some() {
        return;
    }
    let born = person
        .pointer("/geboorte/datum/datum")
        .and_then(Value::as_str)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    if let (Some(born), Value::Object(map)) = (born, person) {
        let mut age = today.year() - born.year();
        if (today.month(), today.day()) < (born.month(), born.day()) {
            age -= 1;
        }
        if age >= 0 {
            map.insert("leeftijd".into(), Value::from(age));
        }
    }
}

/// One person as provided to the caller.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProvidedPerson {
    /// The protocol record of this provision; the portal's pages use it to open the person
    /// from a search list without showing a BSN the profile does not allow.
    pub verstrekking_id: i64,
    pub persoon: Value,
    pub indicaties: Indicaties,
}

/// The answer to one lookup.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LookupResult {
    pub request_id: String,
    pub search_type: SearchType,
    pub persons: Vec<ProvidedPerson>,
}

/// A person's BSN as provided, when the profile allows it.
pub fn provided_bsn(person: &Value) -> Option<Bsn> {
    person
        .get("burgerservicenummer")
        .and_then(Value::as_str)
        .and_then(|b| Bsn::parse(b).ok())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn indications_come_from_the_full_record() {
        let p = json!({
            "geheimhoudingPersoonsgegevens": true,
            "overlijden": {"datum": {"langFormaat": "3 maart 2024"}},
            "opschortingBijhouding": {"reden": {"code": "O", "omschrijving": "overlijden"},
                                      "datum": {"langFormaat": "3 maart 2024"}},
            "naam": {"inOnderzoek": {"geslachtsnaam": true, "datumIngangOnderzoek": {}}},
        });
        let i = Indicaties::of(&p);
        assert!(i.geheimhouding);
        assert_eq!(i.overleden.as_deref(), Some("3 maart 2024"));
        assert_eq!(
            i.opschorting.as_deref(),
            Some("overlijden (sinds 3 maart 2024)")
        );
        assert_eq!(i.in_onderzoek, vec!["naam.geslachtsnaam".to_owned()]);
        assert!(i.is_in_onderzoek("naam.geslachtsnaam"));
        assert!(!i.is_in_onderzoek("naam.voornamen"));
    }

    #[test]
    fn age_is_added_for_the_living_only() {
        let mut p = json!({"geboorte": {"datum": {"datum": "2000-11-23"}}});
        add_leeftijd(&mut p, NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
        assert_eq!(p["leeftijd"], json!(25));
        let mut dead = json!({"geboorte": {"datum": {"datum": "2000-11-23"}}, "overlijden": {}});
        add_leeftijd(&mut dead, NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
        assert!(dead.get("leeftijd").is_none());
    }
}

/// A doel as offered in the lookup form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoelChoice {
    pub id: i64,
    pub name: String,
}

/// One active grant a medewerker can look persons up under, with what it allows now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LookupGrant {
    pub grant_id: i64,
    pub profile_name: String,
    pub afnemer_name: String,
    pub end_date: NaiveDate,
    pub search_types: Vec<SearchType>,
    pub doelen: Vec<DoelChoice>,
    pub own_residents_only: bool,
    /// Every lookup under this grant must name a zaak (the profile says so).
    #[serde(default)]
    pub zaak_required: bool,
    /// Element paths the profile allows.
    pub fields: Vec<String>,
}
