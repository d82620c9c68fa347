//! A provided person laid out for people: sections per LO GBA category, rows per element
//! with the catalogue's Dutch label. Works on the filtered JSON, so it can only ever show
//! what the request was given.

use crate::catalogue::{Catalogue, CatalogueEntry};
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayRow {
    pub path: String,
    pub label: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplaySection {
    pub title: String,
    pub rows: Vec<DisplayRow>,
}

/// The text of one element's value: a date's long form, a coded value's description, a
/// plain value as it is.
pub fn value_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(if *b { "ja" } else { "nee" }.to_owned()),
        Value::Object(map) => {
            if let Some(text) = map.get("langFormaat").and_then(Value::as_str) {
                return Some(text.to_owned());
            }
            match (
                map.get("omschrijving").and_then(Value::as_str),
                map.get("code").and_then(Value::as_str),
            ) {
                (Some(o), _) => Some(o.to_owned()),
                (None, Some(c)) => Some(c.to_owned()),
                (None, None) => {
                    let parts: Vec<String> = map
                        .iter()
                        .filter(|(k, _)| k.as_str() != "inOnderzoek")
                        .filter_map(|(_, v)| value_text(v))
                        .collect();
                    (!parts.is_empty()).then(|| parts.join(", "))
                }
            }
        }
        _ => None,
    }
}

fn lookup<'a>(value: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(value, |v, key| v.get(key))
}

fn rows(item: &Value, elements: &[&CatalogueEntry], skip: usize) -> Vec<DisplayRow> {
    elements
        .iter()
        .filter_map(|e| {
            let parts: Vec<&str> = e.path.split('.').skip(skip).collect();
            let value = value_text(lookup(item, &parts)?)?;
            Some(DisplayRow {
                path: e.path.clone(),
                label: e.label.clone(),
                value,
            })
        })
        .collect()
}

/// The person's sections in catalogue order; empty sections are left out. A category whose
/// data is a list (ouders, nationaliteiten, partners, kinderen) gets a section per item.
pub fn sections(person: &Value) -> Vec<DisplaySection> {
    let catalogue = Catalogue::persoon();
    let mut out = Vec::new();
    for category in Catalogue::categories() {
        let elements = catalogue.elements_in(category.code);
        // Group by the first path segment, so list-valued roots are laid out per item.
        let mut roots: Vec<&str> = Vec::new();
        for e in &elements {
            let root = e.path.split('.').next().unwrap_or("");
            if !roots.contains(&root) {
                roots.push(root);
            }
        }
        let mut plain = Vec::new();
        for root in roots {
            let under: Vec<&CatalogueEntry> = elements
                .iter()
                .copied()
                .filter(|e| e.path.split('.').next() == Some(root))
                .collect();
            match person.get(root) {
                Some(Value::Array(items)) => {
                    for (i, item) in items.iter().enumerate() {
                        let r = rows(item, &under, 1);
                        if !r.is_empty() {
                            out.push(DisplaySection {
                                title: format!("{} {}", item_title(root), i + 1),
                                rows: r,
                            });
                        }
                    }
                }
                Some(_) => plain.extend(rows(person, &under, 0)),
                None => {}
            }
        }
        if !plain.is_empty() {
            out.push(DisplaySection {
                title: category.label.to_owned(),
                rows: plain,
            });
        }
    }
    out
}

fn item_title(root: &str) -> &'static str {
    match root {
        "ouders" => "Ouder",
        "partners" => "Partner",
        "kinderen" => "Kind",
        "nationaliteiten" => "Nationaliteit",
        _ => "Gegeven",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lays_out_what_is_there_with_labels() {
        let p = json!({
            "naam": {"voornamen": "Jan", "geslachtsnaam": "Jansen"},
            "geboorte": {"datum": {"type": "Datum", "datum": "1975-07-07", "langFormaat": "7 juli 1975"}},
            "ouders": [{"naam": {"geslachtsnaam": "Jansen"}}, {"naam": {"geslachtsnaam": "Pietersen"}}],
        });
        let s = sections(&p);
        let persoon = s.iter().find(|s| s.title == "Persoon").expect("persoon");
        assert!(persoon
            .rows
            .iter()
            .any(|r| r.path == "geboorte.datum" && r.value == "7 juli 1975"));
        assert!(persoon
            .rows
            .iter()
            .any(|r| r.path == "naam.voornamen" && r.value == "Jan"));
        assert!(s
            .iter()
            .any(|s| s.title == "Ouder 2" && s.rows.iter().any(|r| r.value == "Pietersen")));
        assert!(!s.iter().any(|s| s.title.starts_with("Kind")));
    }
}
