//! Which fields of a person a request may receive, and the filter that removes the rest.
//!
//! A request names `fields` (Haal Centraal paths: groups, elements or details). The
//! selection is checked against the catalogue and the grant's profile once, before any
//! person is read; the filter then keeps exactly the allowed paths of each person, plus the
//! indications Haal Centraal always delivers.

use crate::catalogue::Catalogue;
use crate::ValidationError;
use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// Delivered with every person whatever `fields` says, and never to be asked for.
pub const ALWAYS_DELIVERED: [&str; 5] = [
    "geheimhoudingPersoonsgegevens",
    "inOnderzoek",
    "opschortingBijhouding",
    "rni",
    "verificatie",
];

/// The paths a search result (`PersoonBeperkt`) can hold; a search type other than
/// RaadpleegMetBurgerservicenummer returns no more than these.
pub const PERSOON_BEPERKT: [&str; 33] = [
    "adressering",
    "adressering.adresregel1",
    "adressering.adresregel2",
    "adressering.adresregel3",
    "adressering.land",
    "adressering.land.code",
    "adressering.land.omschrijving",
    "burgerservicenummer",
    "geboorte",
    "geboorte.datum",
    "geboorte.datum.langFormaat",
    "geboorte.datum.type",
    "geboorte.datum.datum",
    "geboorte.datum.onbekend",
    "geboorte.datum.jaar",
    "geboorte.datum.maand",
    "geslacht",
    "geslacht.code",
    "geslacht.omschrijving",
    "leeftijd",
    "naam",
    "naam.adellijkeTitelPredicaat",
    "naam.adellijkeTitelPredicaat.code",
    "naam.adellijkeTitelPredicaat.omschrijving",
    "naam.adellijkeTitelPredicaat.soort",
    "naam.geslachtsnaam",
    "naam.volledigeNaam",
    "naam.voorletters",
    "naam.voornamen",
    "naam.voorvoegsel",
    "adresseringBinnenland",
    "adresseringBinnenland.adresregel1",
    "adresseringBinnenland.adresregel2",
];

/// Why a requested field cannot be given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldError {
    /// Not a path of a Persoon, or one that is always delivered: a bad request.
    Invalid(ValidationError),
    /// A real path the grant's profile does not allow: refused and logged.
    NotGranted(Vec<String>),
}

/// The element paths one request may receive, and every path (elements, their details and
/// fully granted groups) the filter keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSelection {
    elements: BTreeSet<String>,
    paths: BTreeSet<String>,
}

impl FieldSelection {
    /// Checks the requested paths against the catalogue and the granted elements. An empty
    /// request means "everything the profile allows" (what the portal's own pages ask for).
    /// For a search list (`beperkt`), only `PersoonBeperkt` paths may be asked, and an empty
    /// request means the profile's elements among those.
    pub fn new(
        requested: &[String],
        granted: &BTreeSet<String>,
        beperkt: bool,
    ) -> Result<Self, FieldError> {
        let catalogue = Catalogue::persoon();
        let in_scope = |path: &str| !beperkt || PERSOON_BEPERKT.contains(&path);
        if requested.len() > 130 {
            return Err(FieldError::Invalid(ValidationError::new(
                "fields",
                "Vraag ten hoogste 130 velden tegelijk op.",
            )));
        }
        let mut elements = BTreeSet::new();
        if requested.is_empty() {
            elements.extend(granted.iter().filter(|p| in_scope(p)).cloned());
        } else {
            let mut refused = Vec::new();
            for path in requested {
                let path = path.trim();
                if ALWAYS_DELIVERED.contains(&path) {
                    return Err(FieldError::Invalid(ValidationError::new(
                        "fields",
                        format!("‘{path}’ wordt altijd geleverd en mag niet gevraagd worden."),
                    )));
                }
                let needed = match catalogue.elements_for(path) {
                    Some(needed) if in_scope(path) => needed,
                    _ => {
                        return Err(FieldError::Invalid(ValidationError::new(
                            "fields",
                            format!(
                                "‘{path}’ is geen veld dat bij deze vraag geleverd kan worden."
                            ),
                        )))
                    }
                };
                // A group asked in a search list means its PersoonBeperkt elements only:
                // `naam` holds `naam.aanduidingNaamgebruik`, `adressering` holds `aanhef`,
                // and neither is in a search result.
                for element in needed.into_iter().filter(|e| in_scope(&e.path)) {
                    if granted.contains(&element.path) {
                        elements.insert(element.path.clone());
                    } else {
                        refused.push(element.path.clone());
                    }
                }
            }
            if !refused.is_empty() {
                refused.sort();
                refused.dedup();
                return Err(FieldError::NotGranted(refused));
            }
        }
        let mut paths = catalogue.allowed_paths(&elements);
        paths.retain(|p| in_scope(p));
        Ok(Self { elements, paths })
    }

    /// The element paths provided, for the protocol.
    pub fn elements(&self) -> &BTreeSet<String> {
        &self.elements
    }

    pub fn is_empty(&self) -> bool {
        self.elements.is_empty()
    }

    pub fn allows(&self, path: &str) -> bool {
        self.paths.contains(path)
    }

    /// Whether any allowed path lies at or below `prefix`.
    fn reaches(&self, prefix: &str) -> bool {
        if self.paths.contains(prefix) {
            return true;
        }
        let below = format!("{prefix}.");
        self.paths
            .range(below.clone()..)
            .next()
            .is_some_and(|p| p.starts_with(&below))
    }

    /// Keeps the allowed paths of a person (arrays are transparent: `ouders.naam` applies to
    /// every ouder) and the always-delivered indications.
    pub fn filter(&self, person: &Value) -> Value {
        match person {
            Value::Object(map) => Value::Object(self.filter_object(map, "")),
            _ => Value::Null,
        }
    }

    fn filter_object(&self, map: &Map<String, Value>, prefix: &str) -> Map<String, Value> {
        let mut out = Map::new();
        for (key, value) in map {
            let path = if prefix.is_empty() {
                key.clone()
            } else {
                format!("{prefix}.{key}")
            };
            let indication = (prefix.is_empty() && ALWAYS_DELIVERED.contains(&key.as_str()))
                || key == "inOnderzoek";
            if indication || self.allows(&path) {
                out.insert(key.clone(), value.clone());
            } else if self.reaches(&path) {
                if let Some(kept) = self.filter_value(value, &path) {
                    out.insert(key.clone(), kept);
                }
            }
        }
        // An inOnderzoek alone, without any field of its group, tells nothing useful and
        // would leak that the group exists: drop it then.
        if !prefix.is_empty() && out.len() == 1 && out.contains_key("inOnderzoek") {
            out.clear();
        }
        out
    }

    fn filter_value(&self, value: &Value, path: &str) -> Option<Value> {
        match value {
            Value::Object(map) => {
                let kept = self.filter_object(map, path);
                (!kept.is_empty()).then_some(Value::Object(kept))
            }
            Value::Array(items) => {
                let kept: Vec<Value> = items
                    .iter()
                    .filter_map(|item| self.filter_value(item, path))
                    .collect();
                (!kept.is_empty()).then_some(Value::Array(kept))
            }
            // A leaf whose path is not allowed itself.
            _ => None,
        }
    }
}

/// Every path (with arrays transparent) that holds a value in `person`, for tests and for
/// checking a response: `naam.voornamen`, `geboorte.datum.datum`, ...
pub fn present_paths(person: &Value) -> BTreeSet<String> {
    fn walk(value: &Value, path: &str, out: &mut BTreeSet<String>) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    let p = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    walk(v, &p, out);
                }
            }
            Value::Array(items) => items.iter().for_each(|i| walk(i, path, out)),
            _ => {
                out.insert(path.to_owned());
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(person, "", &mut out);
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn granted(paths: &[&str]) -> BTreeSet<String> {
        paths.iter().map(|p| (*p).to_owned()).collect()
    }

    fn person() -> Value {
        json!({
            "burgerservicenummer": "999993653",
            "geheimhoudingPersoonsgegevens": true,
            "naam": {"voornamen": "Jan", "geslachtsnaam": "Jansen",
                     "inOnderzoek": {"geslachtsnaam": true}},
            "geboorte": {"datum": {"type": "Datum", "datum": "1975-07-07", "langFormaat": "7 juli 1975"},
                         "plaats": {"code": "0518", "omschrijving": "'s-Gravenhage"}},
            "ouders": [{"naam": {"geslachtsnaam": "Jansen", "voornamen": "Piet"}, "ouderAanduiding": "1"}],
        })
    }

    #[test]
    fn keeps_only_granted_paths_and_the_indications() {
        let sel = FieldSelection::new(&[], &granted(&["naam.voornamen", "geboorte.datum"]), false)
            .unwrap();
        let out = sel.filter(&person());
        assert_eq!(
            out,
            json!({
                "geheimhoudingPersoonsgegevens": true,
                "naam": {"voornamen": "Jan", "inOnderzoek": {"geslachtsnaam": true}},
                "geboorte": {"datum": {"type": "Datum", "datum": "1975-07-07", "langFormaat": "7 juli 1975"}},
            })
        );
    }

    #[test]
    fn arrays_are_transparent() {
        let sel =
            FieldSelection::new(&[], &granted(&["ouders.naam.geslachtsnaam"]), false).unwrap();
        assert_eq!(
            sel.filter(&person())["ouders"],
            json!([{"naam": {"geslachtsnaam": "Jansen"}}])
        );
    }

    #[test]
    fn requests_outside_the_profile_are_refused_and_unknown_paths_are_invalid() {
        let g = granted(&["naam.voornamen", "naam.geslachtsnaam"]);
        assert!(matches!(
            FieldSelection::new(&["burgerservicenummer".into()], &g, false),
            Err(FieldError::NotGranted(p)) if p == vec!["burgerservicenummer".to_owned()]
        ));
        assert!(matches!(
            FieldSelection::new(&["naam.bestaatniet".into()], &g, false),
            Err(FieldError::Invalid(_))
        ));
        assert!(matches!(
            FieldSelection::new(&["inOnderzoek".into()], &g, false),
            Err(FieldError::Invalid(_))
        ));
        // A group is the same as all its elements: naam needs more than is granted.
        assert!(matches!(
            FieldSelection::new(&["naam".into()], &g, false),
            Err(FieldError::NotGranted(_))
        ));
        let sel = FieldSelection::new(&["naam.voornamen".into()], &g, false).unwrap();
        assert_eq!(sel.elements(), &granted(&["naam.voornamen"]));
    }

    #[test]
    fn search_lists_hold_only_persoon_beperkt_fields() {
        let g = granted(&["naam.voornamen", "ouders.naam.geslachtsnaam"]);
        let sel = FieldSelection::new(&[], &g, true).unwrap();
        assert_eq!(sel.elements(), &granted(&["naam.voornamen"]));
        assert!(matches!(
            FieldSelection::new(&["ouders.naam.geslachtsnaam".into()], &g, true),
            Err(FieldError::Invalid(_))
        ));
    }

    #[test]
    fn a_group_in_a_search_list_expands_to_its_persoon_beperkt_elements_only() {
        let catalogue = Catalogue::persoon();
        // Everything the catalogue has under naam and adressering is granted.
        let all: BTreeSet<String> = catalogue
            .elements()
            .filter(|e| e.path.starts_with("naam.") || e.path.starts_with("adressering."))
            .map(|e| e.path.clone())
            .collect();
        assert!(all.contains("naam.aanduidingNaamgebruik"));
        assert!(all.contains("adressering.aanhef"));
        for group in ["naam", "adressering"] {
            let sel = FieldSelection::new(&[group.into()], &all, true).unwrap();
            assert!(!sel.is_empty(), "{group}");
            for e in sel.elements() {
                assert!(PERSOON_BEPERKT.contains(&e.as_str()), "{group} gave {e}");
            }
            for p in &sel.paths {
                assert!(PERSOON_BEPERKT.contains(&p.as_str()), "{group} allows {p}");
            }
            assert!(!sel.allows("naam.aanduidingNaamgebruik"));
            assert!(!sel.allows("adressering.aanhef"));
        }
        // A consult (not a search list) still gets the whole group.
        let sel = FieldSelection::new(&["naam".into()], &all, false).unwrap();
        assert!(sel.elements().contains("naam.aanduidingNaamgebruik"));
    }
}
