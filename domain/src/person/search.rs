//! The Haal Centraal search types, parsed from what a person or a task system typed.
//!
//! Text is compared case- and diacritics-insensitively: both the stored search columns and
//! the query go through [`fold`]. A `*` at the end of a name (after at least three
//! characters) matches every name that starts with what comes before it.

use super::bag::{BagId, BagKind};
use super::ids::Bsn;
use super::text::parse_text;
pub use super::text::{fold, TextMatch};
use crate::authorisation::SearchType;
use crate::ValidationError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A Dutch postcode, stored without space in capitals: "2596AA".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Postcode(String);

impl Postcode {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let compact: String = raw.split_whitespace().collect::<String>().to_uppercase();
        let b = compact.as_bytes();
        let valid = b.len() == 6
            && (b'1'..=b'9').contains(&b[0])
            && b[1..4].iter().all(u8::is_ascii_digit)
            && b[4..6].iter().all(u8::is_ascii_uppercase);
        if !valid {
            return Err(ValidationError::new(
                "postcode",
                "Een postcode is vier cijfers (niet beginnend met 0) en twee letters, zoals 1234 AB.",
            ));
        }
        Ok(Postcode(compact))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A gemeentecode: four digits ("0518").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GemeenteCode(String);

impl GemeenteCode {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let raw = raw.trim();
        if raw.len() != 4 || !raw.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ValidationError::new(
                "gemeenteVanInschrijving",
                "Een gemeentecode is vier cijfers, zoals 0518.",
            ));
        }
        Ok(GemeenteCode(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// House number with optional huisletter and toevoeging, folded for comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Huisnummer {
    pub nummer: u32,
    pub huisletter: Option<String>,
    pub toevoeging: Option<String>,
}

impl Huisnummer {
    pub fn parse(
        nummer: &str,
        huisletter: &str,
        toevoeging: &str,
    ) -> Result<Self, ValidationError> {
        let n: u32 = nummer
            .trim()
            .parse()
            .ok()
            .filter(|n| (1..=99_999).contains(n))
            .ok_or_else(|| {
                ValidationError::new(
                    "huisnummer",
                    "Een huisnummer is een getal van 1 tot en met 99999.",
                )
            })?;
        let huisletter = huisletter.trim();
        if !huisletter.is_empty()
            && (huisletter.chars().count() != 1
                || !huisletter.chars().all(|c| c.is_ascii_alphabetic()))
        {
            return Err(ValidationError::new(
                "huisletter",
                "Een huisletter is één letter.",
            ));
        }
        let toevoeging = toevoeging.trim();
        if !toevoeging.is_empty()
            && (toevoeging.chars().count() > 4
                || !toevoeging
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-'))
        {
            return Err(ValidationError::new(
                "huisnummertoevoeging",
                "Een huisnummertoevoeging is ten hoogste vier letters of cijfers.",
            ));
        }
        let opt = |s: &str| (!s.is_empty()).then(|| fold(s));
        Ok(Self {
            nummer: n,
            huisletter: opt(huisletter),
            toevoeging: opt(toevoeging),
        })
    }
}

fn parse_date(field: &str, raw: &str) -> Result<NaiveDate, ValidationError> {
    let raw = raw.trim();
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(raw, "%d-%m-%Y"))
        .map_err(|_| {
            ValidationError::new(
                field,
                "Vul een volledige geboortedatum in, zoals 1975-07-07 of 07-07-1975.",
            )
        })
}

fn parse_geslacht(raw: &str) -> Result<Option<String>, ValidationError> {
    match raw.trim().to_uppercase().as_str() {
        "" => Ok(None),
        g @ ("M" | "V" | "O") => Ok(Some(g.to_owned())),
        _ => Err(ValidationError::new(
            "geslacht",
            "Geslacht is M (man), V (vrouw) of O (onbekend).",
        )),
    }
}

fn parse_voorvoegsel(raw: &str) -> Result<Option<String>, ValidationError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    if raw.chars().count() > 10
        || !raw
            .chars()
            .all(|c| c.is_alphabetic() || c == ' ' || c == '\'')
    {
        return Err(ValidationError::new(
            "voorvoegsel",
            "Een voorvoegsel is ten hoogste tien letters, zoals ‘van der’.",
        ));
    }
    Ok(Some(fold(raw)))
}

/// The fields of a search as typed, before parsing; every search type reads the ones it
/// needs. The web form and the JSON API both fill this.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueryInput {
    /// One or more BSNs, separated by spaces, commas or new lines.
    pub burgerservicenummer: String,
    pub geslachtsnaam: String,
    pub voornamen: String,
    pub voorvoegsel: String,
    pub geslacht: String,
    pub geboortedatum: String,
    pub gemeente_van_inschrijving: String,
    pub postcode: String,
    pub huisnummer: String,
    pub huisletter: String,
    pub huisnummertoevoeging: String,
    pub straat: String,
    /// A BAG identificatie of a nummeraanduiding (16 digits).
    pub nummeraanduiding_identificatie: String,
    /// A BAG identificatie of an adresseerbaar object (16 digits).
    pub adresseerbaar_object_identificatie: String,
    pub inclusief_overleden_personen: bool,
}

/// The most BSNs one RaadpleegMetBurgerservicenummer may ask for.
pub const MAX_BSNS: usize = 20;

/// A parsed search: one of the Haal Centraal search types with valid parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PersonQuery {
    Bsn(Vec<Bsn>),
    GeslachtsnaamEnGeboortedatum {
        geslachtsnaam: TextMatch,
        geboortedatum: NaiveDate,
        geslacht: Option<String>,
        voorvoegsel: Option<String>,
        voornamen: Option<TextMatch>,
        inclusief_overleden: bool,
    },
    NaamEnGemeente {
        geslachtsnaam: TextMatch,
        voornamen: TextMatch,
        gemeente: GemeenteCode,
        geslacht: Option<String>,
        voorvoegsel: Option<String>,
        inclusief_overleden: bool,
    },
    PostcodeEnHuisnummer {
        postcode: Postcode,
        huisnummer: Huisnummer,
        geslachtsnaam: Option<TextMatch>,
        geboortedatum: Option<NaiveDate>,
        inclusief_overleden: bool,
    },
    StraatHuisnummerEnGemeente {
        straat: TextMatch,
        huisnummer: Huisnummer,
        gemeente: GemeenteCode,
        inclusief_overleden: bool,
    },
    /// The persons registered at one address (BAG nummeraanduiding).
    Nummeraanduiding {
        id: BagId,
        gemeente: Option<GemeenteCode>,
        inclusief_overleden: bool,
    },
    /// The persons registered in one dwelling (BAG adresseerbaar object), whichever of its
    /// nummeraanduidingen they live at.
    AdresseerbaarObject {
        id: BagId,
        gemeente: Option<GemeenteCode>,
        inclusief_overleden: bool,
    },
}

impl PersonQuery {
    pub fn parse(search_type: SearchType, input: &QueryInput) -> Result<Self, ValidationError> {
        let naam = |raw: &str| parse_text("geslachtsnaam", "de geslachtsnaam", raw, 200, 3, false);
        let optional = |raw: &str, f: &dyn Fn(&str) -> Result<TextMatch, ValidationError>| {
            if raw.trim().is_empty() {
                Ok(None)
            } else {
                f(raw).map(Some)
            }
        };
        let voornamen = |raw: &str| parse_text("voornamen", "de voornamen", raw, 200, 3, false);
        let overleden = input.inclusief_overleden_personen;
        // gemeenteVanInschrijving narrows any search to one municipality when given.
        let optional_gemeente = || {
            let raw = input.gemeente_van_inschrijving.trim();
            if raw.is_empty() {
                Ok(None)
            } else {
                GemeenteCode::parse(raw).map(Some)
            }
        };
        Ok(match search_type {
            SearchType::RaadpleegMetBurgerservicenummer => {
                let mut bsns = Vec::new();
                for part in input
                    .burgerservicenummer
                    .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
                    .filter(|p| !p.is_empty())
                {
                    let bsn = Bsn::parse(part)?;
                    if !bsns.contains(&bsn) {
                        bsns.push(bsn);
                    }
                }
                if bsns.is_empty() {
                    return Err(ValidationError::new(
                        "burgerservicenummer",
                        "Vul een burgerservicenummer in.",
                    ));
                }
                if bsns.len() > MAX_BSNS {
                    return Err(ValidationError::new(
                        "burgerservicenummer",
                        format!("Vraag ten hoogste {MAX_BSNS} burgerservicenummers tegelijk op."),
                    ));
                }
                PersonQuery::Bsn(bsns)
            }
            SearchType::ZoekMetGeslachtsnaamEnGeboortedatum => {
                PersonQuery::GeslachtsnaamEnGeboortedatum {
                    geslachtsnaam: naam(&input.geslachtsnaam)?,
                    geboortedatum: parse_date("geboortedatum", &input.geboortedatum)?,
                    geslacht: parse_geslacht(&input.geslacht)?,
                    voorvoegsel: parse_voorvoegsel(&input.voorvoegsel)?,
                    voornamen: optional(&input.voornamen, &voornamen)?,
                    inclusief_overleden: overleden,
                }
            }
            SearchType::ZoekMetNaamEnGemeenteVanInschrijving => PersonQuery::NaamEnGemeente {
                geslachtsnaam: naam(&input.geslachtsnaam)?,
                voornamen: voornamen(&input.voornamen)?,
                gemeente: GemeenteCode::parse(&input.gemeente_van_inschrijving)?,
                geslacht: parse_geslacht(&input.geslacht)?,
                voorvoegsel: parse_voorvoegsel(&input.voorvoegsel)?,
                inclusief_overleden: overleden,
            },
            SearchType::ZoekMetPostcodeEnHuisnummer => PersonQuery::PostcodeEnHuisnummer {
                postcode: Postcode::parse(&input.postcode)?,
                huisnummer: Huisnummer::parse(
                    &input.huisnummer,
                    &input.huisletter,
                    &input.huisnummertoevoeging,
                )?,
                geslachtsnaam: optional(&input.geslachtsnaam, &naam)?,
                geboortedatum: if input.geboortedatum.trim().is_empty() {
                    None
                } else {
                    Some(parse_date("geboortedatum", &input.geboortedatum)?)
                },
                inclusief_overleden: overleden,
            },
            SearchType::ZoekMetStraatHuisnummerEnGemeenteVanInschrijving => {
                PersonQuery::StraatHuisnummerEnGemeente {
                    straat: parse_text("straat", "de straat", &input.straat, 80, 7, true)?,
                    huisnummer: Huisnummer::parse(
                        &input.huisnummer,
                        &input.huisletter,
                        &input.huisnummertoevoeging,
                    )?,
                    gemeente: GemeenteCode::parse(&input.gemeente_van_inschrijving)?,
                    inclusief_overleden: overleden,
                }
            }
            SearchType::ZoekMetNummeraanduidingIdentificatie => PersonQuery::Nummeraanduiding {
                id: BagId::parse(
                    BagKind::Nummeraanduiding,
                    &input.nummeraanduiding_identificatie,
                )?,
                gemeente: optional_gemeente()?,
                inclusief_overleden: overleden,
            },
            SearchType::ZoekMetAdresseerbaarObjectIdentificatie => {
                PersonQuery::AdresseerbaarObject {
                    id: BagId::parse(
                        BagKind::AdresseerbaarObject,
                        &input.adresseerbaar_object_identificatie,
                    )?,
                    gemeente: optional_gemeente()?,
                    inclusief_overleden: overleden,
                }
            }
        })
    }

    pub fn search_type(&self) -> SearchType {
        match self {
            PersonQuery::Bsn(_) => SearchType::RaadpleegMetBurgerservicenummer,
            PersonQuery::GeslachtsnaamEnGeboortedatum { .. } => {
                SearchType::ZoekMetGeslachtsnaamEnGeboortedatum
            }
            PersonQuery::NaamEnGemeente { .. } => SearchType::ZoekMetNaamEnGemeenteVanInschrijving,
            PersonQuery::PostcodeEnHuisnummer { .. } => SearchType::ZoekMetPostcodeEnHuisnummer,
            PersonQuery::StraatHuisnummerEnGemeente { .. } => {
                SearchType::ZoekMetStraatHuisnummerEnGemeenteVanInschrijving
            }
            PersonQuery::Nummeraanduiding { .. } => {
                SearchType::ZoekMetNummeraanduidingIdentificatie
            }
            PersonQuery::AdresseerbaarObject { .. } => {
                SearchType::ZoekMetAdresseerbaarObjectIdentificatie
            }
        }
    }

    /// Whether deceased persons are included (always for a consult by BSN).
    pub fn includes_deceased(&self) -> bool {
        match self {
            PersonQuery::Bsn(_) => true,
            PersonQuery::GeslachtsnaamEnGeboortedatum {
                inclusief_overleden,
                ..
            }
            | PersonQuery::NaamEnGemeente {
                inclusief_overleden,
                ..
            }
            | PersonQuery::PostcodeEnHuisnummer {
                inclusief_overleden,
                ..
            }
            | PersonQuery::StraatHuisnummerEnGemeente {
                inclusief_overleden,
                ..
            }
            | PersonQuery::Nummeraanduiding {
                inclusief_overleden,
                ..
            }
            | PersonQuery::AdresseerbaarObject {
                inclusief_overleden,
                ..
            } => *inclusief_overleden,
        }
    }

    /// Whether a person with these search keys answers this query. The storage layer narrows
    /// with its indexes; this is the one definition of a match, which it applies to the rows
    /// it found (and which the tests check against).
    pub fn matches(&self, keys: &super::model::SearchKeys, bsn: &Bsn) -> bool {
        if keys.overleden && !self.includes_deceased() {
            return false;
        }
        let huis = |h: &Huisnummer| {
            keys.huisnummer == Some(h.nummer)
                && h.huisletter.as_ref().is_none_or(|l| *l == keys.huisletter)
                && h.toevoeging
                    .as_ref()
                    .is_none_or(|t| *t == keys.huisnummertoevoeging)
        };
        let opt_eq = |want: &Option<String>, have: &str| want.as_ref().is_none_or(|w| w == have);
        let in_gemeente =
            |g: &Option<GemeenteCode>| g.as_ref().is_none_or(|g| g.as_str() == keys.gemeente_code);
        match self {
            PersonQuery::Bsn(bsns) => bsns.contains(bsn),
            PersonQuery::GeslachtsnaamEnGeboortedatum {
                geslachtsnaam,
                geboortedatum,
                geslacht,
                voorvoegsel,
                voornamen,
                ..
            } => {
                geslachtsnaam.matches(&keys.geslachtsnaam)
                    && keys.geboortedatum == Some(*geboortedatum)
                    && opt_eq(geslacht, &keys.geslacht)
                    && opt_eq(voorvoegsel, &keys.voorvoegsel)
                    && voornamen
                        .as_ref()
                        .is_none_or(|v| v.matches(&keys.voornamen))
            }
            PersonQuery::NaamEnGemeente {
                geslachtsnaam,
                voornamen,
                gemeente,
                geslacht,
                voorvoegsel,
                ..
            } => {
                geslachtsnaam.matches(&keys.geslachtsnaam)
                    && voornamen.matches(&keys.voornamen)
                    && gemeente.as_str() == keys.gemeente_code
                    && opt_eq(geslacht, &keys.geslacht)
                    && opt_eq(voorvoegsel, &keys.voorvoegsel)
            }
            PersonQuery::PostcodeEnHuisnummer {
                postcode,
                huisnummer,
                geslachtsnaam,
                geboortedatum,
                ..
            } => {
                postcode.as_str() == keys.postcode
                    && huis(huisnummer)
                    && geslachtsnaam
                        .as_ref()
                        .is_none_or(|g| g.matches(&keys.geslachtsnaam))
                    && geboortedatum.is_none_or(|d| keys.geboortedatum == Some(d))
            }
            PersonQuery::StraatHuisnummerEnGemeente {
                straat,
                huisnummer,
                gemeente,
                ..
            } => {
                straat.matches(&keys.straat)
                    && huis(huisnummer)
                    && gemeente.as_str() == keys.gemeente_code
            }
            PersonQuery::Nummeraanduiding { id, gemeente, .. } => {
                id.as_str() == keys.nummeraanduiding && in_gemeente(gemeente)
            }
            PersonQuery::AdresseerbaarObject { id, gemeente, .. } => {
                id.as_str() == keys.adresseerbaar_object && in_gemeente(gemeente)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::super::model::SearchKeys;
    use super::*;

    #[test]
    fn wildcards_need_three_characters() {
        let input = |naam: &str| QueryInput {
            geslachtsnaam: naam.into(),
            geboortedatum: "1975-07-07".into(),
            ..QueryInput::default()
        };
        let t = SearchType::ZoekMetGeslachtsnaamEnGeboortedatum;
        assert!(PersonQuery::parse(t, &input("Ja*")).is_err());
        match PersonQuery::parse(t, &input("Jän*")).unwrap() {
            PersonQuery::GeslachtsnaamEnGeboortedatum { geslachtsnaam, .. } => {
                assert_eq!(geslachtsnaam, TextMatch::StartsWith("jan".into()))
            }
            other => panic!("{other:?}"),
        }
        assert!(PersonQuery::parse(t, &input("Jan<script>")).is_err());
        assert!(PersonQuery::parse(t, &input("")).is_err());
    }

    #[test]
    fn bsn_lists_are_checked() {
        let input = |b: &str| QueryInput {
            burgerservicenummer: b.into(),
            ..QueryInput::default()
        };
        let t = SearchType::RaadpleegMetBurgerservicenummer;
        assert!(PersonQuery::parse(t, &input("999993653, 000009842")).is_ok());
        assert!(PersonQuery::parse(t, &input("999993654")).is_err());
        let many = (0..40)
            .filter_map(|i| Bsn::complete(10_000_000 + i))
            .take(21)
            .map(|b| b.to_string())
            .collect::<Vec<_>>()
            .join(" ");
        assert!(PersonQuery::parse(t, &input(&many)).is_err());
    }

    #[test]
    fn postcodes_and_house_numbers() {
        assert_eq!(Postcode::parse("2596 aa").unwrap().as_str(), "2596AA");
        assert!(Postcode::parse("0596AA").is_err());
        assert!(Postcode::parse("2596A").is_err());
        assert!(Huisnummer::parse("0", "", "").is_err());
        assert!(Huisnummer::parse("12", "AB", "").is_err());
        assert_eq!(
            Huisnummer::parse("12", "b", "II").unwrap(),
            Huisnummer {
                nummer: 12,
                huisletter: Some("b".into()),
                toevoeging: Some("ii".into())
            }
        );
    }

    #[test]
    fn streets_may_start_or_end_with_a_wildcard_after_seven_characters() {
        let input = |s: &str| QueryInput {
            straat: s.into(),
            huisnummer: "4".into(),
            gemeente_van_inschrijving: "0518".into(),
            ..QueryInput::default()
        };
        let t = SearchType::ZoekMetStraatHuisnummerEnGemeenteVanInschrijving;
        assert!(PersonQuery::parse(t, &input("Koning*")).is_err());
        assert!(PersonQuery::parse(t, &input("Koningsk*")).is_ok());
        assert!(PersonQuery::parse(t, &input("*ingskade")).is_ok());
    }

    #[test]
    fn bag_searches_parse_their_own_id_and_an_optional_gemeente() {
        let na = SearchType::ZoekMetNummeraanduidingIdentificatie;
        let ao = SearchType::ZoekMetAdresseerbaarObjectIdentificatie;
        let input = QueryInput {
            nummeraanduiding_identificatie: "0599200000219679".into(),
            adresseerbaar_object_identificatie: "0599010000219679".into(),
            ..QueryInput::default()
        };
        let q = PersonQuery::parse(na, &input).unwrap();
        assert_eq!(q.search_type(), na);
        assert!(!q.includes_deceased());
        match &q {
            PersonQuery::Nummeraanduiding { id, gemeente, .. } => {
                assert_eq!(id.as_str(), "0599200000219679");
                assert_eq!(gemeente, &None);
            }
            other => panic!("{other:?}"),
        }
        let q = PersonQuery::parse(ao, &input).unwrap();
        assert_eq!(q.search_type(), ao);
        match &q {
            PersonQuery::AdresseerbaarObject { id, .. } => {
                assert_eq!(id.as_str(), "0599010000219679")
            }
            other => panic!("{other:?}"),
        }
        let with_dead = QueryInput {
            inclusief_overleden_personen: true,
            gemeente_van_inschrijving: "0599".into(),
            ..input.clone()
        };
        let q = PersonQuery::parse(na, &with_dead).unwrap();
        assert!(q.includes_deceased());
        assert!(matches!(
            q,
            PersonQuery::Nummeraanduiding { gemeente: Some(ref g), .. } if g.as_str() == "0599"
        ));
        let bad_gemeente = QueryInput {
            gemeente_van_inschrijving: "599".into(),
            ..input.clone()
        };
        assert_eq!(
            PersonQuery::parse(ao, &bad_gemeente).unwrap_err().field,
            "gemeenteVanInschrijving"
        );
    }

    #[test]
    fn bag_searches_refuse_an_invalid_id_naming_the_parameter() {
        for bad in [
            "",
            "123456789012345",
            "12345678901234567",
            "0000000000000000",
            "12345678901234ab",
            "<script>1234567890123456</script>",
        ] {
            let na = QueryInput {
                nummeraanduiding_identificatie: bad.into(),
                // The other type's id does not stand in for the one asked for.
                adresseerbaar_object_identificatie: "0599010000219679".into(),
                ..QueryInput::default()
            };
            let e = PersonQuery::parse(SearchType::ZoekMetNummeraanduidingIdentificatie, &na)
                .unwrap_err();
            assert_eq!(e.field, "nummeraanduidingIdentificatie", "{bad:?}");
            let ao = QueryInput {
                adresseerbaar_object_identificatie: bad.into(),
                nummeraanduiding_identificatie: "0599200000219679".into(),
                ..QueryInput::default()
            };
            let e = PersonQuery::parse(SearchType::ZoekMetAdresseerbaarObjectIdentificatie, &ao)
                .unwrap_err();
            assert_eq!(e.field, "adresseerbaarObjectIdentificatie", "{bad:?}");
        }
    }

    #[test]
    fn bag_searches_match_their_own_column_the_gemeente_and_the_living() {
        let bsn = Bsn::parse("999993653").unwrap();
        let keys = SearchKeys {
            nummeraanduiding: "0599200000219679".into(),
            adresseerbaar_object: "0599010000219679".into(),
            gemeente_code: "0599".into(),
            ..SearchKeys::default()
        };
        let parse = |t, na: &str, ao: &str, gemeente: &str, dead: bool| {
            PersonQuery::parse(
                t,
                &QueryInput {
                    nummeraanduiding_identificatie: na.into(),
                    adresseerbaar_object_identificatie: ao.into(),
                    gemeente_van_inschrijving: gemeente.into(),
                    inclusief_overleden_personen: dead,
                    ..QueryInput::default()
                },
            )
            .unwrap()
        };
        let na = SearchType::ZoekMetNummeraanduidingIdentificatie;
        let ao = SearchType::ZoekMetAdresseerbaarObjectIdentificatie;
        // Each type reads its own id: the other's value is the wrong one here.
        let (na_id, ao_id) = ("0599200000219679", "0599010000219679");
        assert!(parse(na, na_id, ao_id, "", false).matches(&keys, &bsn));
        assert!(!parse(na, ao_id, na_id, "", false).matches(&keys, &bsn));
        assert!(parse(ao, na_id, ao_id, "", false).matches(&keys, &bsn));
        assert!(!parse(ao, ao_id, na_id, "", false).matches(&keys, &bsn));
        assert!(parse(na, na_id, ao_id, "0599", false).matches(&keys, &bsn));
        assert!(!parse(na, na_id, ao_id, "0518", false).matches(&keys, &bsn));
        assert!(!parse(ao, na_id, ao_id, "0518", false).matches(&keys, &bsn));
        let dead = SearchKeys {
            overleden: true,
            ..keys.clone()
        };
        assert!(!parse(na, na_id, ao_id, "", false).matches(&dead, &bsn));
        assert!(parse(na, na_id, ao_id, "", true).matches(&dead, &bsn));
        assert!(!parse(ao, na_id, ao_id, "", false).matches(&dead, &bsn));
        assert!(parse(ao, na_id, ao_id, "", true).matches(&dead, &bsn));
        // Someone without a BAG address is never found by an id.
        let none = SearchKeys::default();
        assert!(!parse(na, na_id, ao_id, "", true).matches(&none, &bsn));
    }
}
