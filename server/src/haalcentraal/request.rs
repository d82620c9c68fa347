//! The body of `POST /personen`, read strictly as the spec's `PersonenQuery`: the `type`
//! chooses the schema, every property of another schema is refused (`unknownParam`), and
//! each value is checked against the spec's type and pattern, with the official API's codes
//! and words. What passes becomes the service's [`QueryInput`]; the service then applies the
//! domain's own rules (wildcards, dates, the grant) as for the portal's form.

use super::problem::InvalidParam;
use brp_domain::authorisation::SearchType;
use brp_domain::person::QueryInput;
use serde_json::{Map, Value};

/// A request as read, before it becomes a [`QueryInput`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedQuery {
    pub search_type: Option<SearchType>,
    pub input: QueryInput,
    pub fields: Vec<String>,
    pub bag: BagIds,
}

/// The two BAG ids of the BAG search types. Another branch adds them to [`QueryInput`];
/// until it lands, they are read here and refused in [`ParsedQuery::into_lookup`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BagIds {
    pub nummeraanduiding_identificatie: String,
    pub adresseerbaar_object_identificatie: String,
}

/// Why a request is not a query.
#[derive(Debug, Clone, PartialEq)]
pub enum BadQuery {
    Params(Vec<InvalidParam>),
}

impl ParsedQuery {
    /// The search type, input and fields for the service.
    pub fn into_lookup(self) -> Result<(SearchType, QueryInput, Vec<String>), BadQuery> {
        let Some(search_type) = self.search_type else {
            return Err(BadQuery::Params(vec![InvalidParam::required("type")]));
        };
        let mut input = self.input;
        input.nummeraanduiding_identificatie = self.bag.nummeraanduiding_identificatie;
        input.adresseerbaar_object_identificatie = self.bag.adresseerbaar_object_identificatie;
        Ok((search_type, input, self.fields))
    }
}

const COMMON: &[&str] = &["type", "fields", "gemeenteVanInschrijving"];

/// The properties each type allows besides [`COMMON`], and which of them are required.
fn schema(t: SearchType) -> (&'static [&'static str], &'static [&'static str]) {
    match t {
        SearchType::RaadpleegMetBurgerservicenummer => {
            (&["burgerservicenummer"], &["burgerservicenummer"])
        }
        SearchType::ZoekMetGeslachtsnaamEnGeboortedatum => (
            &[
                "inclusiefOverledenPersonen",
                "geboortedatum",
                "geslachtsnaam",
                "geslacht",
                "voorvoegsel",
                "voornamen",
            ],
            &["geslachtsnaam", "geboortedatum"],
        ),
        SearchType::ZoekMetNaamEnGemeenteVanInschrijving => (
            &[
                "inclusiefOverledenPersonen",
                "geslacht",
                "geslachtsnaam",
                "voorvoegsel",
                "voornamen",
            ],
            &["geslachtsnaam", "gemeenteVanInschrijving", "voornamen"],
        ),
        SearchType::ZoekMetPostcodeEnHuisnummer => (
            &[
                "inclusiefOverledenPersonen",
                "huisletter",
                "huisnummer",
                "huisnummertoevoeging",
                "postcode",
                "geboortedatum",
                "geslachtsnaam",
            ],
            &["postcode", "huisnummer"],
        ),
        SearchType::ZoekMetStraatHuisnummerEnGemeenteVanInschrijving => (
            &[
                "inclusiefOverledenPersonen",
                "huisletter",
                "huisnummer",
                "huisnummertoevoeging",
                "straat",
            ],
            &["straat", "huisnummer", "gemeenteVanInschrijving"],
        ),
        SearchType::ZoekMetNummeraanduidingIdentificatie => (
            &[
                "inclusiefOverledenPersonen",
                "nummeraanduidingIdentificatie",
            ],
            &["nummeraanduidingIdentificatie"],
        ),
        SearchType::ZoekMetAdresseerbaarObjectIdentificatie => (
            &[
                "inclusiefOverledenPersonen",
                "adresseerbaarObjectIdentificatie",
            ],
            &["adresseerbaarObjectIdentificatie"],
        ),
    }
}

/// `À-ž` of the spec's patterns.
fn latin(c: char) -> bool {
    ('\u{C0}'..='\u{17E}').contains(&c)
}

fn name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || latin(c) || matches!(c, ' ' | '.' | '-' | '\'')
}

fn count(s: &str) -> usize {
    s.chars().count()
}

/// `^[S]{1,max}$|^[S]{min_wild,max-1}\*$`: a name with an optional wildcard at the end.
fn wildcard_name(s: &str, max: usize, min_wild: usize) -> bool {
    let plain =
        |s: &str, lo: usize, hi: usize| (lo..=hi).contains(&count(s)) && s.chars().all(name_char);
    plain(s, 1, max)
        || s.strip_suffix('*')
            .is_some_and(|r| plain(r, min_wild, max - 1))
}

fn straat(s: &str) -> bool {
    let plain =
        |s: &str, lo: usize, hi: usize| (lo..=hi).contains(&count(s)) && s.chars().all(name_char);
    plain(s, 1, 80)
        || s.strip_suffix('*').is_some_and(|r| plain(r, 7, 79))
        || s.strip_prefix('*').is_some_and(|r| plain(r, 7, 79))
}

fn postcode(s: &str) -> bool {
    let b = s.as_bytes();
    let digits =
        b.len() >= 6 && (b'1'..=b'9').contains(&b[0]) && b[1..4].iter().all(u8::is_ascii_digit);
    let rest = match b.len() {
        6 => &b[4..],
        7 if b[4] == b' ' => &b[5..],
        _ => return false,
    };
    digits && rest.iter().all(u8::is_ascii_alphabetic)
}

fn digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

fn bag_id(s: &str) -> bool {
    digits(s, 16) && s.bytes().any(|b| b != b'0')
}

fn field_path(s: &str) -> bool {
    (1..=200).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_')
}

/// A string property checked by `ok`; `None` when absent.
fn string(
    obj: &Map<String, Value>,
    name: &str,
    ok: impl Fn(&str) -> bool,
    errors: &mut Vec<InvalidParam>,
) -> String {
    match obj.get(name) {
        None => String::new(),
        Some(Value::String(s)) if ok(s) => s.clone(),
        Some(Value::String(_)) => {
            errors.push(InvalidParam::pattern(name));
            String::new()
        }
        Some(_) => {
            errors.push(InvalidParam::new(name, "string", "Waarde is geen string."));
            String::new()
        }
    }
}

/// Reads the body's JSON value as a query; every fault found is reported, as the official
/// API does.
pub fn parse(body: &Value) -> Result<ParsedQuery, Vec<InvalidParam>> {
    let Some(obj) = body.as_object() else {
        return Err(vec![InvalidParam::new(
            "body",
            "object",
            "Het verzoek is geen JSON object.",
        )]);
    };
    let search_type = match obj.get("type") {
        None => return Err(vec![InvalidParam::required("type")]),
        Some(Value::String(s)) => SearchType::ALL.into_iter().find(|t| t.code() == s),
        Some(_) => None,
    };
    let Some(search_type) = search_type else {
        return Err(vec![InvalidParam::new(
            "type",
            "value",
            "Waarde is geen geldig zoek type.",
        )]);
    };
    let (allowed, required) = schema(search_type);
    let mut errors = Vec::new();
    for key in obj.keys() {
        if !COMMON.contains(&key.as_str()) && !allowed.contains(&key.as_str()) {
            errors.push(InvalidParam::new(
                key.chars().take(30).collect::<String>(),
                "unknownParam",
                "Parameter is niet verwacht.",
            ));
        }
    }
    // Only the type's own properties are read: another type's was reported as unknown.
    let own: Map<String, Value> = obj
        .iter()
        .filter(|(k, _)| COMMON.contains(&k.as_str()) || allowed.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let obj = &own;
    for name in required.iter().chain(&["fields"]) {
        if !obj.contains_key(*name) {
            errors.push(InvalidParam::required(name));
        }
    }
    let fields = match obj.get("fields") {
        None => Vec::new(),
        Some(Value::Array(items)) => {
            if items.is_empty() {
                errors.push(InvalidParam::new(
                    "fields",
                    "minItems",
                    "Array bevat minder dan 1 items.",
                ));
            } else if items.len() > 130 {
                errors.push(InvalidParam::new(
                    "fields",
                    "maxItems",
                    "Array bevat meer dan 130 items.",
                ));
            }
            let mut fields = Vec::new();
            for (i, item) in items.iter().enumerate().take(131) {
                match item.as_str() {
                    Some(f) if field_path(f) => fields.push(f.to_owned()),
                    _ => errors.push(InvalidParam::pattern(format!("fields[{i}]"))),
                }
            }
            fields
        }
        Some(_) => {
            errors.push(InvalidParam::new(
                "fields",
                "array",
                "Parameter is geen array.",
            ));
            Vec::new()
        }
    };
    let mut input = QueryInput {
        gemeente_van_inschrijving: string(
            obj,
            "gemeenteVanInschrijving",
            |s| digits(s, 4),
            &mut errors,
        ),
        geslachtsnaam: string(
            obj,
            "geslachtsnaam",
            |s| wildcard_name(s, 200, 3),
            &mut errors,
        ),
        voorvoegsel: string(
            obj,
            "voorvoegsel",
            |s| {
                (1..=10).contains(&s.len())
                    && s.bytes()
                        .all(|b| b.is_ascii_alphabetic() || b == b' ' || b == b'\'')
            },
            &mut errors,
        ),
        geslacht: string(
            obj,
            "geslacht",
            |s| matches!(s, "M" | "m" | "V" | "v" | "O" | "o"),
            &mut errors,
        ),
        postcode: string(obj, "postcode", postcode, &mut errors),
        huisletter: string(
            obj,
            "huisletter",
            |s| s.len() == 1 && s.bytes().all(|b| b.is_ascii_alphabetic()),
            &mut errors,
        ),
        huisnummertoevoeging: string(
            obj,
            "huisnummertoevoeging",
            |s| {
                (1..=4).contains(&s.len())
                    && s.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b' ' || b == b'-')
            },
            &mut errors,
        ),
        straat: string(obj, "straat", straat, &mut errors),
        ..QueryInput::default()
    };
    input.voornamen = string(
        obj,
        "voornamen",
        |s| {
            if search_type == SearchType::ZoekMetNaamEnGemeenteVanInschrijving {
                wildcard_name(s, 200, 3)
            } else {
                let core = s.strip_suffix('*').unwrap_or(s);
                (1..=199).contains(&count(core)) && core.chars().all(name_char)
            }
        },
        &mut errors,
    );
    input.geboortedatum = match obj.get("geboortedatum") {
        None => String::new(),
        Some(Value::String(s))
            if s.len() == 10 && chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok() =>
        {
            s.clone()
        }
        Some(_) => {
            errors.push(InvalidParam::new(
                "geboortedatum",
                "date",
                "Waarde is geen geldige datum.",
            ));
            String::new()
        }
    };
    input.huisnummer = match obj.get("huisnummer") {
        None => String::new(),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(h) if h < 1 => {
                errors.push(InvalidParam::new(
                    "huisnummer",
                    "minimum",
                    "Waarde is lager dan minimum 1.",
                ));
                String::new()
            }
            Some(h) if h > 99_999 => {
                errors.push(InvalidParam::new(
                    "huisnummer",
                    "maximum",
                    "Waarde is hoger dan maximum 99999.",
                ));
                String::new()
            }
            Some(h) => h.to_string(),
            None => {
                errors.push(InvalidParam::new(
                    "huisnummer",
                    "integer",
                    "Waarde is geen geldig getal.",
                ));
                String::new()
            }
        },
        Some(_) => {
            errors.push(InvalidParam::new(
                "huisnummer",
                "integer",
                "Waarde is geen geldig getal.",
            ));
            String::new()
        }
    };
    input.inclusief_overleden_personen = match obj.get("inclusiefOverledenPersonen") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            errors.push(InvalidParam::new(
                "inclusiefOverledenPersonen",
                "boolean",
                "Waarde is geen boolean.",
            ));
            false
        }
    };
    input.burgerservicenummer = match obj.get("burgerservicenummer") {
        None => String::new(),
        Some(Value::Array(items)) => {
            if items.is_empty() {
                errors.push(InvalidParam::new(
                    "burgerservicenummer",
                    "minItems",
                    "Array bevat minder dan 1 items.",
                ));
            } else if items.len() > 20 {
                errors.push(InvalidParam::new(
                    "burgerservicenummer",
                    "maxItems",
                    "Array bevat meer dan 20 items.",
                ));
            }
            let mut bsns = Vec::new();
            for (i, item) in items.iter().enumerate().take(21) {
                match item.as_str() {
                    Some(b) if digits(b, 9) => bsns.push(b.to_owned()),
                    _ => errors.push(InvalidParam::pattern(format!("burgerservicenummer[{i}]"))),
                }
            }
            bsns.join(" ")
        }
        Some(_) => {
            errors.push(InvalidParam::new(
                "burgerservicenummer",
                "array",
                "Parameter is geen array.",
            ));
            String::new()
        }
    };
    let bag = BagIds {
        nummeraanduiding_identificatie: string(
            obj,
            "nummeraanduidingIdentificatie",
            bag_id,
            &mut errors,
        ),
        adresseerbaar_object_identificatie: string(
            obj,
            "adresseerbaarObjectIdentificatie",
            bag_id,
            &mut errors,
        ),
    };
    if errors.is_empty() {
        Ok(ParsedQuery {
            search_type: Some(search_type),
            input,
            fields,
            bag,
        })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use serde_json::json;

    fn errors(v: Value) -> Vec<(String, &'static str)> {
        parse(&v)
            .unwrap_err()
            .into_iter()
            .map(|p| (p.name, p.code))
            .collect()
    }

    #[test]
    fn each_type_reads_its_own_properties() {
        let q = parse(&json!({"type": "ZoekMetPostcodeEnHuisnummer", "postcode": "1991 AB",
            "huisnummer": 12, "huisletter": "a", "fields": ["naam"], "inclusiefOverledenPersonen": true}))
        .unwrap();
        assert_eq!(q.input.postcode, "1991 AB");
        assert_eq!(q.input.huisnummer, "12");
        assert!(q.input.inclusief_overleden_personen);
        let (t, input, fields) = q.into_lookup().unwrap();
        assert_eq!(t, SearchType::ZoekMetPostcodeEnHuisnummer);
        assert_eq!(input.huisletter, "a");
        assert_eq!(fields, vec!["naam"]);
        let q = parse(&json!({"type": "RaadpleegMetBurgerservicenummer",
            "burgerservicenummer": ["999999321", "999999333"], "fields": ["naam"]}))
        .unwrap();
        assert_eq!(q.input.burgerservicenummer, "999999321 999999333");
    }

    #[test]
    fn faults_are_named_as_the_official_api_names_them() {
        assert_eq!(
            errors(json!({"postcode": "1234AB"})),
            vec![("type".into(), "required")]
        );
        assert_eq!(
            errors(json!({"type": "zoekmetpostcodeenhuisnummer"})),
            vec![("type".into(), "value")]
        );
        assert_eq!(
            errors(
                json!({"type": "ZoekMetPostcodeEnHuisnummer", "fields": ["naam"], "huisnummer": 0, "postcode": "0123AB", "straat": "x"})
            ),
            vec![
                ("straat".into(), "unknownParam"),
                ("postcode".into(), "pattern"),
                ("huisnummer".into(), "minimum")
            ]
        );
        assert_eq!(
            errors(
                json!({"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": ["1", "999999321"], "fields": []})
            ),
            vec![
                ("fields".into(), "minItems"),
                ("burgerservicenummer[0]".into(), "pattern")
            ]
        );
        assert_eq!(
            errors(
                json!({"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": "999999321", "fields": "naam,x"})
            ),
            vec![
                ("fields".into(), "array"),
                ("burgerservicenummer".into(), "array")
            ]
        );
        assert_eq!(
            errors(
                json!({"type": "ZoekMetGeslachtsnaamEnGeboortedatum", "fields": ["a-b"], "geslachtsnaam": "*an", "geboortedatum": "2020-02-30"})
            ),
            vec![
                ("fields[0]".into(), "pattern"),
                ("geslachtsnaam".into(), "pattern"),
                ("geboortedatum".into(), "date")
            ]
        );
        assert_eq!(
            errors(
                json!({"type": "ZoekMetNaamEnGemeenteVanInschrijving", "fields": ["naam"], "geslachtsnaam": "Jansen", "voornamen": "Jan"})
            ),
            vec![("gemeenteVanInschrijving".into(), "required")]
        );
        assert_eq!(errors(json!([1, 2])), vec![("body".into(), "object")]);
    }

    #[test]
    fn the_bag_types_are_read_into_the_query() {
        let q = parse(&json!({"type": "ZoekMetNummeraanduidingIdentificatie",
            "nummeraanduidingIdentificatie": "0599200000000001", "fields": ["naam"]}))
        .unwrap();
        assert_eq!(q.bag.nummeraanduiding_identificatie, "0599200000000001");
        let (t, input, _) = q.into_lookup().unwrap();
        assert_eq!(t, SearchType::ZoekMetNummeraanduidingIdentificatie);
        assert_eq!(input.nummeraanduiding_identificatie, "0599200000000001");
        assert_eq!(
            errors(json!({"type": "ZoekMetAdresseerbaarObjectIdentificatie",
                "adresseerbaarObjectIdentificatie": "0000000000000000", "fields": ["naam"]})),
            vec![("adresseerbaarObjectIdentificatie".into(), "pattern")]
        );
    }
}
