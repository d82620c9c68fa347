//! Import of persons in RvIG's Haal Centraal BRP mock input format: a JSON array of
//! persons with GBA-style dates (`"19750707"`, `00` for an unknown part), codes with their
//! omschrijving, and LO GBA style investigation markers (`aanduidingGegevensInOnderzoek`,
//! a six-digit `ccggee` code).
//!
//! Each record becomes a [`Persoon`], or a [`Rejection`] with the reason in Dutch. A record
//! is rejected when its burgerservicenummer is missing or fails the elfproef, its A-nummer
//! is present but invalid, it has no geslachtsnaam, its geboortedatum is not a valid date,
//! it is not an object, or its BSN already occurred earlier in the file. A bad BSN of a
//! relative only drops that BSN. Not imported (the model has no place for them yet): gezag,
//! rni, verificatie, immigratie, kiesrecht and curatele.

use brp_domain::person::{
    ANummer, AdellijkeTitelPredicaat, Bsn, Datum, Gebeurtenis, InOnderzoek, Kind, Naam,
    Nationaliteit, Ontbinding, OpschortingBijhouding, Ouder, Partner, Persoon, Verblijfadres,
    Verblijfplaats, VerblijfplaatsType, Verblijfstitel, Waardetabel,
};
use serde_json::Value;
use std::collections::HashSet;

/// A record that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// 0-based position in the array.
    pub index: usize,
    pub bsn: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct ImportResult {
    pub persons: Vec<Persoon>,
    pub rejected: Vec<Rejection>,
}

/// Parses a whole file.
pub fn parse_mock(json: &str) -> Result<ImportResult, String> {
    let value: Value =
        serde_json::from_str(json).map_err(|e| format!("Het bestand is geen geldige JSON: {e}"))?;
    let Value::Array(records) = value else {
        return Err("Het bestand moet een JSON-lijst (array) van personen zijn.".into());
    };
    let mut persons = Vec::with_capacity(records.len());
    let mut rejected = Vec::new();
    let mut seen = HashSet::new();
    for (index, record) in records.iter().enumerate() {
        let bsn_text = text(record, "burgerservicenummer");
        let reject = |reason: String| Rejection {
            index,
            bsn: bsn_text.clone(),
            reason: format!("record {}: {reason}", index + 1),
        };
        match person(record) {
            Ok(p) => {
                if seen.insert(p.burgerservicenummer) {
                    persons.push(p);
                } else {
                    rejected.push(reject(format!(
                        "burgerservicenummer {} komt eerder in het bestand voor",
                        p.burgerservicenummer
                    )));
                }
            }
            Err(reason) => rejected.push(reject(reason)),
        }
    }
    Ok(ImportResult { persons, rejected })
}

/// A string field; numbers are accepted too (the mock is not consistent).
fn text(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn table(v: &Value, key: &str) -> Option<Waardetabel> {
    let t = v.get(key)?;
    let code = text(t, "code");
    let omschrijving = text(t, "omschrijving");
    match (code, omschrijving) {
        (None, None) => None,
        (c, o) => Some(Waardetabel::new(
            c.unwrap_or_default(),
            o.unwrap_or_default(),
        )),
    }
}

/// An optional date: absent is fine, "00000000" is an unknown date, garbage is an error.
fn date(v: &Value, key: &str, label: &str) -> Result<Option<Datum>, String> {
    match text(v, key) {
        None => Ok(None),
        Some(raw) => Datum::from_gba(&raw)
            .map(Some)
            .ok_or_else(|| format!("{label} ‘{raw}’ is geen geldige datum")),
    }
}

fn relative_bsn(v: &Value) -> Option<Bsn> {
    text(v, "burgerservicenummer").and_then(|b| Bsn::parse(&b).ok())
}

fn naam(v: &Value) -> Option<Naam> {
    let n = v.get("naam")?;
    let geslachtsnaam = text(n, "geslachtsnaam")?;
    let mut naam = Naam::new(
        text(n, "voornamen").as_deref(),
        text(n, "voorvoegsel").as_deref(),
        &geslachtsnaam,
    );
    naam.adellijke_titel_predicaat = n.get("adellijkeTitelPredicaat").and_then(|t| {
        Some(AdellijkeTitelPredicaat {
            code: text(t, "code")?,
            omschrijving: text(t, "omschrijving").unwrap_or_default(),
            soort: text(t, "soort").unwrap_or_default(),
        })
    });
    naam.aanduiding_naamgebruik = table(n, "aanduidingNaamgebruik");
    Some(naam)
}

fn event(v: &Value, key: &str, label: &str) -> Result<Option<Gebeurtenis>, String> {
    let Some(e) = v.get(key) else {
        return Ok(None);
    };
    let plaats = match (
        text(e.get("plaats").unwrap_or(&Value::Null), "code"),
        e.get("plaats").and_then(|p| text(p, "omschrijving")),
    ) {
        (None, None) => None,
        (c, o) => Some(Waardetabel::new(
            c.unwrap_or_default(),
            o.unwrap_or_default(),
        )),
    };
    Ok(Some(Gebeurtenis {
        datum: date(e, "datum", label)?,
        land: table(e, "land"),
        plaats,
        in_onderzoek: None,
    }))
}

/// The fields an LO GBA investigation marker (`aanduidingGegevensInOnderzoek`, `ccggee`)
/// marks among `fields` (each given as its `ggee` group and element number). Group `00` is
/// the whole category. When nothing matches, `whole_group_if_unknown` decides: a table
/// that covers the whole category marks everything (an unknown code still means "something
/// here is investigated"); a table for one part of a category marks nothing.
fn onderzoek_in(
    marker: Option<&Value>,
    fields: &[(&str, &str)],
    whole_group_if_unknown: bool,
) -> Result<Option<InOnderzoek>, String> {
    let Some(o) = marker else {
        return Ok(None);
    };
    let Some(code) = text(o, "aanduidingGegevensInOnderzoek") else {
        return Ok(None);
    };
    let since = date(o, "datumIngangOnderzoek", "datum ingang onderzoek")?;
    let (group, element) = (
        code.get(2..4).unwrap_or("00"),
        code.get(4..6).unwrap_or("00"),
    );
    let mut marked: Vec<&str> = fields
        .iter()
        .filter(|(lo, _)| {
            group == "00"
                || (lo.get(0..2) == Some(group)
                    && (element == "00" || lo.get(2..4) == Some(element)))
        })
        .map(|(_, f)| *f)
        .collect();
    if marked.is_empty() {
        if !whole_group_if_unknown {
            return Ok(None);
        }
        marked = fields.iter().map(|(_, f)| *f).collect();
    }
    marked.dedup();
    Ok(Some(InOnderzoek::of(
        &marked,
        since.unwrap_or(Datum::Onbekend),
    )))
}

/// The investigation marker of a group in the mock (`inOnderzoek`), for a table that
/// covers its whole category.
fn onderzoek(v: &Value, fields: &[(&str, &str)]) -> Result<Option<InOnderzoek>, String> {
    onderzoek_in(v.get("inOnderzoek"), fields, true)
}

const NAAM_FIELDS: [(&str, &str); 4] = [
    ("0210", "voornamen"),
    ("0220", "adellijkeTitelPredicaat"),
    ("0230", "voorvoegsel"),
    ("0240", "geslachtsnaam"),
];
const PERSOON_FIELDS: [(&str, &str); 3] = [
    ("0110", "aNummer"),
    ("0120", "burgerservicenummer"),
    ("0410", "geslacht"),
];
const GEBOORTE_FIELDS: [(&str, &str); 3] =
    [("0310", "datum"), ("0320", "plaats"), ("0330", "land")];
const OUDER_FIELDS: [(&str, &str); 6] = [
    ("0210", "voornamen"),
    ("0230", "voorvoegsel"),
    ("0240", "geslachtsnaam"),
    ("0310", "geboorte"),
    ("0410", "geslacht"),
    ("6210", "datumIngangFamilierechtelijkeBetrekking"),
];
const VERBLIJF_FIELDS: [(&str, &str); 9] = [
    ("0930", "datumVan"),
    ("1110", "verblijfadres"),
    ("1115", "verblijfadres"),
    ("1120", "verblijfadres"),
    ("1130", "verblijfadres"),
    ("1140", "verblijfadres"),
    ("1160", "verblijfadres"),
    ("1170", "verblijfadres"),
    ("1180", "adresseerbaarObjectIdentificatie"),
];

fn related_name_and_birth(v: &Value, who: &str) -> Result<(Naam, Option<Gebeurtenis>), String> {
    let naam = naam(v).unwrap_or_default();
    let geboorte = event(v, "geboorte", &format!("geboortedatum van {who}"))?;
    Ok((naam, geboorte))
}

fn person(record: &Value) -> Result<Persoon, String> {
    if !record.is_object() {
        return Err("is geen persoon (geen JSON-object)".into());
    }
    let bsn_raw = text(record, "burgerservicenummer").ok_or("geen burgerservicenummer")?;
    let bsn = Bsn::parse(&bsn_raw)
        .map_err(|_| format!("burgerservicenummer {bsn_raw} voldoet niet aan de elfproef"))?;
    let a_nummer = match text(record, "aNummer") {
        None => None,
        Some(a) => Some(ANummer::parse(&a).map_err(|_| format!("A-nummer {a} is ongeldig"))?),
    };
    // Category 01 has one marker for the person, the name and the birth together.
    let persoon_onderzoek = record.get("persoonInOnderzoek");
    let mut naam = naam(record).ok_or("geen geslachtsnaam")?;
    naam.in_onderzoek = onderzoek_in(persoon_onderzoek, &NAAM_FIELDS, false)?;
    let mut geboorte = event(record, "geboorte", "geboortedatum")?;
    match geboorte.as_mut() {
        Some(g) => g.in_onderzoek = onderzoek_in(persoon_onderzoek, &GEBOORTE_FIELDS, false)?,
        None => return Err("geen geboortedatum".into()),
    }
    if geboorte.as_ref().and_then(|g| g.datum).is_none() {
        return Err("geen geboortedatum".into());
    }
    let mut overlijden = event(record, "overlijden", "overlijdensdatum")?;
    if let (Some(o), Some(raw)) = (overlijden.as_mut(), record.get("overlijden")) {
        o.in_onderzoek = onderzoek(raw, &GEBOORTE_FIELDS)?;
    }

    let mut nationaliteiten = Vec::new();
    for n in record
        .get("nationaliteiten")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(nationaliteit) = table(n, "nationaliteit") else {
            continue;
        };
        nationaliteiten.push(Nationaliteit {
            nationaliteit,
            reden_opname: table(n, "redenOpname"),
            datum_ingang_geldigheid: date(n, "datumIngangGeldigheid", "datum nationaliteit")?,
            in_onderzoek: onderzoek(n, &[("0510", "nationaliteit"), ("6310", "redenOpname")])?,
        });
    }

    let verblijfplaats = match record.get("verblijfplaats") {
        None => None,
        Some(v) => Some(verblijfplaats(v)?),
    };

    let mut ouders = Vec::new();
    for o in record
        .get("ouders")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let (naam, geboorte) = related_name_and_birth(o, "een ouder")?;
        ouders.push(Ouder {
            burgerservicenummer: relative_bsn(o),
            naam,
            geslacht: table(o, "geslacht"),
            geboorte,
            ouder_aanduiding: text(o, "ouderAanduiding").unwrap_or_default(),
            datum_ingang_familierechtelijke_betrekking: text(
                o,
                "datumIngangFamilierechtelijkeBetrekking",
            )
            .and_then(|d| Datum::from_gba(&d)),
            in_onderzoek: onderzoek(o, &OUDER_FIELDS)?,
        });
    }
    let mut partners = Vec::new();
    for p in record
        .get("partners")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let (naam, geboorte) = related_name_and_birth(p, "een partner")?;
        partners.push(Partner {
            burgerservicenummer: relative_bsn(p),
            naam,
            geslacht: table(p, "geslacht"),
            geboorte,
            soort_verbintenis: table(p, "soortVerbintenis")
                .unwrap_or_else(|| Waardetabel::new(".", "onbekend")),
            aangaan_huwelijk_partnerschap: event(
                p,
                "aangaanHuwelijkPartnerschap",
                "datum huwelijk",
            )?,
            ontbinding_huwelijk_partnerschap: p
                .get("ontbindingHuwelijkPartnerschap")
                .and_then(|o| text(o, "datum"))
                .and_then(|d| Datum::from_gba(&d))
                .map(|datum| Ontbinding { datum }),
            in_onderzoek: onderzoek(p, &NAAM_FIELDS)?,
        });
    }
    let mut kinderen = Vec::new();
    for k in record
        .get("kinderen")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let (naam, geboorte) = related_name_and_birth(k, "een kind")?;
        kinderen.push(Kind {
            burgerservicenummer: relative_bsn(k),
            naam,
            geboorte,
            in_onderzoek: onderzoek(k, &NAAM_FIELDS)?,
        });
    }

    let verblijfstitel = match record.get("verblijfstitel") {
        Some(v) => match table(v, "aanduiding") {
            Some(aanduiding) => Some(Verblijfstitel {
                aanduiding,
                datum_ingang: date(v, "datumIngang", "ingangsdatum verblijfstitel")?,
                datum_einde: date(v, "datumEinde", "einddatum verblijfstitel")?,
                in_onderzoek: None,
            }),
            None => None,
        },
        None => None,
    };
    let opschorting_bijhouding = match record.get("opschortingBijhouding") {
        Some(o) => match (table(o, "reden"), date(o, "datum", "datum opschorting")?) {
            (Some(reden), Some(datum)) => Some(OpschortingBijhouding { reden, datum }),
            _ => None,
        },
        None => None,
    };
    let geheim = match record.get("geheimhoudingPersoonsgegevens") {
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_i64().is_some_and(|n| n != 0),
        Some(Value::String(s)) => !matches!(s.trim(), "" | "0" | "false"),
        _ => false,
    };

    Ok(Persoon {
        burgerservicenummer: bsn,
        a_nummer,
        geslacht: table(record, "geslacht"),
        naam,
        geboorte,
        overlijden,
        nationaliteiten,
        verblijfplaats,
        adressering: None,
        gemeente_van_inschrijving: table(record, "gemeenteVanInschrijving"),
        datum_inschrijving_in_gemeente: date(
            record,
            "datumInschrijvingInGemeente",
            "datum inschrijving",
        )?,
        datum_eerste_inschrijving_gba: date(
            record,
            "datumEersteInschrijvingGBA",
            "datum eerste inschrijving",
        )?,
        ouders,
        partners,
        kinderen,
        verblijfstitel,
        geheimhouding_persoonsgegevens: geheim,
        opschorting_bijhouding,
        in_onderzoek: onderzoek_in(persoon_onderzoek, &PERSOON_FIELDS, false)?,
    }
    .with_adressering())
}

fn verblijfplaats(v: &Value) -> Result<Verblijfplaats, String> {
    let straat = text(v, "straat");
    let regel1 = text(v, "regel1");
    let locatie = text(v, "locatiebeschrijving");
    let huisnummer = match text(v, "huisnummer") {
        None => None,
        Some(h) => Some(
            h.parse::<u32>()
                .map_err(|_| format!("huisnummer ‘{h}’ is geen getal"))?,
        ),
    };
    let soort = if straat.is_some() || huisnummer.is_some() {
        VerblijfplaatsType::Adres
    } else if locatie.is_some() {
        VerblijfplaatsType::Locatie
    } else if regel1.is_some() || v.get("land").is_some() {
        VerblijfplaatsType::VerblijfplaatsBuitenland
    } else {
        VerblijfplaatsType::VerblijfplaatsOnbekend
    };
    let datum_van = match soort {
        VerblijfplaatsType::VerblijfplaatsBuitenland => date(
            v,
            "datumAanvangAdresBuitenland",
            "datum aanvang adres buitenland",
        )?,
        _ => date(v, "datumAanvangAdreshouding", "datum aanvang adreshouding")?,
    };
    let verblijfadres = match soort {
        VerblijfplaatsType::VerblijfplaatsOnbekend => None,
        _ => Some(Verblijfadres {
            officiele_straatnaam: text(v, "naamOpenbareRuimte").or_else(|| straat.clone()),
            korte_straatnaam: straat,
            huisnummer,
            huisletter: text(v, "huisletter"),
            huisnummertoevoeging: text(v, "huisnummertoevoeging"),
            aanduiding_bij_huisnummer: table(v, "aanduidingBijHuisnummer"),
            postcode: text(v, "postcode").map(|p| p.replace(' ', "").to_uppercase()),
            woonplaats: text(v, "woonplaats"),
            locatiebeschrijving: locatie,
            regel1,
            regel2: text(v, "regel2"),
            regel3: text(v, "regel3"),
            land: table(v, "land"),
        }),
    };
    Ok(Verblijfplaats {
        soort,
        datum_van,
        datum_ingang_geldigheid: date(v, "datumIngangGeldigheid", "datum ingang verblijfplaats")?,
        adresseerbaar_object_identificatie: text(v, "adresseerbaarObjectIdentificatie"),
        nummeraanduiding_identificatie: text(v, "nummeraanduidingIdentificatie"),
        functie_adres: table(v, "functieAdres"),
        verblijfadres,
        in_onderzoek: onderzoek(v, &VERBLIJF_FIELDS)?,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    const MOCK: &str = include_str!("../tests/data/personen-mock-test-data.json");

    #[test]
    fn the_rvig_mock_imports_all_but_the_invalid_bsn() {
        let result = parse_mock(MOCK).unwrap();
        assert_eq!(result.persons.len() + result.rejected.len(), 882);
        assert_eq!(result.rejected.len(), 1, "{:?}", result.rejected);
        let r = &result.rejected[0];
        assert!(r.reason.contains("elfproef"), "{r:?}");
        let bsns: HashSet<Bsn> = result
            .persons
            .iter()
            .map(|p| p.burgerservicenummer)
            .collect();
        assert_eq!(bsns.len(), result.persons.len());
        let json: Vec<Value> = result
            .persons
            .iter()
            .map(|p| serde_json::to_value(p).unwrap())
            .collect();
        assert_eq!(
            json.iter()
                .filter(|p| p["geheimhoudingPersoonsgegevens"] == true)
                .count(),
            39
        );
        assert!(
            json.iter()
                .filter(|p| p["overlijden"]["datum"]["type"] == "Datum")
                .count()
                >= 25
        );
        assert!(json.iter().any(|p| p["naam"]["inOnderzoek"].is_object()));
        assert!(json
            .iter()
            .any(|p| p["verblijfplaats"]["verblijfadres"]["postcode"] == "2596AA"));
    }

    #[test]
    fn every_bad_record_is_reported_with_its_reason() {
        let good = r#"{"burgerservicenummer": "999993653", "naam": {"geslachtsnaam": "Jansen"}, "geboorte": {"datum": "19750707"}, "verblijfplaats": {"straat": "Dorpsstraat", "huisnummer": "4", "postcode": "1991 ab"}}"#;
        let file = format!(
            r#"[{good},
            {{"burgerservicenummer": "999993654", "naam": {{"geslachtsnaam": "X"}}, "geboorte": {{"datum": "19750707"}}}},
            {{"burgerservicenummer": "999990019", "aNummer": "123", "naam": {{"geslachtsnaam": "X"}}, "geboorte": {{"datum": "19750707"}}}},
            {{"burgerservicenummer": "999990020", "naam": {{}}, "geboorte": {{"datum": "19750707"}}}},
            {{"burgerservicenummer": "999990032", "naam": {{"geslachtsnaam": "X"}}, "geboorte": {{"datum": "19751341"}}}},
            {good},
            "geen persoon"]"#
        );
        let result = parse_mock(&file).unwrap();
        assert_eq!(result.persons.len(), 1);
        let p = serde_json::to_value(&result.persons[0]).unwrap();
        assert_eq!(p["verblijfplaats"]["verblijfadres"]["postcode"], "1991AB");
        assert_eq!(p["verblijfplaats"]["verblijfadres"]["huisnummer"], 4);
        let reasons: Vec<(usize, &str)> = result
            .rejected
            .iter()
            .map(|r| (r.index, r.reason.as_str()))
            .collect();
        assert_eq!(reasons.len(), 6, "{reasons:?}");
        assert!(reasons[0].0 == 1 && reasons[0].1.contains("elfproef"));
        assert!(reasons[1].0 == 2 && reasons[1].1.contains("A-nummer"));
        assert!(reasons[2].0 == 3 && reasons[2].1.contains("geslachtsnaam"));
        assert!(reasons[3].0 == 4 && reasons[3].1.contains("geen geldige datum"));
        assert!(reasons[4].0 == 5 && reasons[4].1.contains("eerder"));
        assert!(reasons[5].0 == 6 && reasons[5].1.contains("geen persoon"));
        assert!(reasons
            .iter()
            .all(|(i, r)| r.starts_with(&format!("record {}", i + 1))));
    }

    #[test]
    fn a_file_that_is_not_a_list_is_refused() {
        assert!(parse_mock("{}").is_err());
        assert!(parse_mock("niet eens json").is_err());
    }
}
