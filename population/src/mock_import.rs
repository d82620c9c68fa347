//! Import of persons in RvIG's Haal Centraal BRP mock input format: a JSON array of persons
//! with GBA-style dates (`"19750707"`, `00` for an unknown part), codes with their
//! omschrijving, and LO GBA style investigation markers (`aanduidingGegevensInOnderzoek`, a
//! six-digit `ccggee` code with `datumIngangOnderzoek`).
//!
//! The records are read as [`serde_json::Value`]s rather than strict structs, because the
//! mock mixes types (a huisnummer is a string in one file and a number in another,
//! `geheimhoudingPersoonsgegevens` is `"1"`, `1` or `true`).
//!
//! # Rejected records
//! Each record becomes a [`Persoon`] or a [`Rejection`] with a Dutch reason. A record is
//! rejected when it is not a JSON object; its burgerservicenummer is missing, not nine digits
//! or fails the elfproef; its burgerservicenummer occurred in an earlier record of the file;
//! its A-nummer is present but invalid; it has no geslachtsnaam or no geboortedatum; or any
//! of its dates is not a valid GBA date (`"00000000"` and dates with `00` parts are valid:
//! they are (partly) unknown dates), or its huisnummer is not a whole number. Rejecting on a
//! bad date anywhere is deliberate: a person with silently dropped data would look complete.
//! A relative's (ouder, partner, kind) invalid burgerservicenummer drops only that number;
//! the relation is kept.
//!
//! # Verblijfplaats
//! A straat, naamOpenbareRuimte or huisnummer makes an `Adres`; otherwise a
//! locatiebeschrijving makes a `Locatie`; otherwise regel1/2/3 or a land makes a
//! `VerblijfplaatsBuitenland`, except land `0000` (onbekend), which like an empty address is
//! a `VerblijfplaatsOnbekend`, as in Haal Centraal.
//!
//! # In onderzoek
//! A marker's code `ccggee` is read against the LO GBA elements of its category: `gg == 00`
//! marks the whole category, `ee == 00` a whole group, anything else one element. Each
//! element marks the Haal Centraal fields it feeds (01.02.40 geslachtsnaam marks
//! `naam.geslachtsnaam` and the derived `naam.volledigeNaam`). A code that is not known
//! still says that something is doubtful, so it widens: an unknown element to its LO GBA
//! group, an unknown group (or a code of another category than the group holding the
//! marker) to everything that group holds. Codes of data this import does not keep
//! (08.14 immigratie, 08.10.20 gemeentedeel, the relatives' A-nummers, ...) mark nothing.
//! 08.99.99 (vastgesteld verblijft niet op adres) marks the whole verblijfplaats: the model
//! has no `indicatieVastgesteldVerblijftNietOpAdres`, and Haal Centraal also marks the
//! address lines in onderzoek then.
//!
//! Two stand-ins for places the model lacks: the elements of the address itself
//! (`verblijfadres`) are marked in `verblijfplaats.inOnderzoek` under dotted keys
//! (`"verblijfadres.postcode"`), and the date of a partnership's ontbinding under
//! `"ontbindingHuwelijkPartnerschap.datum"` in the partner's `inOnderzoek`; the keys then
//! read as the field paths the person view flags. The person-level `inOnderzoek` collects
//! category 01 (aNummer, burgerservicenummer, geslacht, leeftijd) and 08.09
//! (gemeenteVanInschrijving, datumInschrijvingInGemeente); when both are marked it keeps the
//! earlier start date.
//!
//! # Not imported
//! The model has no place for: `gezag`, `gezagInOnderzoek`, `indicatieGezagMinderjarige`,
//! `indicatieCurateleRegister`, `immigratie`, `rni`, `verificatie`, `uitsluitingKiesrecht`,
//! `europeesKiesrecht`, the relatives' A-nummers, the place, land and reden of an
//! ontbinding, and nationaliteiten without a `nationaliteit` code (bijzonder
//! Nederlanderschap); these are skipped without a rejection.

use brp_domain::person::{
    ANummer, AdellijkeTitelPredicaat, Bsn, Datum, Gebeurtenis, InOnderzoek, Kind, Naam,
    Nationaliteit, Ontbinding, OpschortingBijhouding, Ouder, Partner, Persoon, Verblijfadres,
    Verblijfplaats, VerblijfplaatsType, Verblijfstitel, Waardetabel,
};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A record that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// 0-based position in the array.
    pub index: usize,
    /// The burgerservicenummer as the record gives it, valid or not.
    pub bsn: Option<String>,
    /// Dutch, starting with "record N" (1-based), for the person who runs the import.
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct ImportResult {
    pub persons: Vec<Persoon>,
    pub rejected: Vec<Rejection>,
}

/// Parses the whole file: a JSON array of mock persons. A file that is not a JSON array is an
/// Err with a Dutch message.
pub fn parse_mock(json: &str) -> Result<ImportResult, String> {
    let value: Value = serde_json::from_str(json)
        .map_err(|e| format!("Het bestand is geen geldige JSON: {e}."))?;
    let Value::Array(records) = value else {
        return Err(format!(
            "Het bestand moet een JSON-lijst (array) van personen zijn, maar is {}.",
            json_kind(&value)
        ));
    };
    let mut persons = Vec::with_capacity(records.len());
    let mut rejected = Vec::new();
    // The first record with a number claims it, even when it is rejected for another reason:
    // two records with one number are a conflict to settle at the source, not for the import
    // to settle by picking one.
    let mut first_with: HashMap<Bsn, usize> = HashMap::new();
    for (index, record) in records.iter().enumerate() {
        let outcome = record_bsn(record).and_then(|bsn| {
            if let Some(first) = first_with.get(&bsn) {
                return Err(format!(
                    "burgerservicenummer {bsn} komt al voor in record {}",
                    first + 1
                ));
            }
            first_with.insert(bsn, index);
            person(record, bsn)
        });
        match outcome {
            Ok(p) => persons.push(p),
            Err(reason) => rejected.push(Rejection {
                index,
                bsn: record.get("burgerservicenummer").and_then(scalar_text),
                reason: format!("record {}: {reason}", index + 1),
            }),
        }
    }
    Ok(ImportResult { persons, rejected })
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "een waarheidswaarde",
        Value::Number(_) => "een getal",
        Value::String(_) => "een tekst",
        Value::Array(_) => "een lijst",
        Value::Object(_) => "een object",
    }
}

// ---------------------------------------------------------------------------------------
// Reading values

/// The text of a scalar, trimmed; numbers count too (the mock is not consistent). Empty
/// text is no value.
fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => {
            let t = s.trim();
            (!t.is_empty()).then(|| t.to_owned())
        }
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn text(obj: &Value, key: &str) -> Option<String> {
    obj.get(key).and_then(scalar_text)
}

/// A value as it stands in the file, for a message about it.
fn shown(v: &Value) -> String {
    scalar_text(v).unwrap_or_else(|| v.to_string())
}

fn field_path(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// A coded value (`{"code": "V", "omschrijving": "vrouw"}`); a bare scalar is taken as the
/// code.
fn table(obj: &Value, key: &str) -> Option<Waardetabel> {
    match obj.get(key)? {
        t @ Value::Object(_) => {
            let (code, omschrijving) = (text(t, "code"), text(t, "omschrijving"));
            if code.is_none() && omschrijving.is_none() {
                return None;
            }
            Some(Waardetabel::new(
                code.unwrap_or_default(),
                omschrijving.unwrap_or_default(),
            ))
        }
        other => scalar_text(other).map(|code| Waardetabel::new(code, "")),
    }
}

/// An optional GBA date: absent or empty is none, `"00000000"` is an unknown date, anything
/// else that is not `JJJJMMDD` rejects the record.
fn date(obj: &Value, key: &str, path: &str) -> Result<Option<Datum>, String> {
    let raw = match obj.get(key) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => return Ok(None),
        Some(raw) => raw,
    };
    scalar_text(raw)
        .and_then(|t| Datum::from_gba(&t))
        .map(Some)
        .ok_or_else(|| {
            format!(
                "ongeldige datum ‘{}’ in {} (verwacht JJJJMMDD, met 00 voor een onbekend deel)",
                shown(raw),
                field_path(path, key)
            )
        })
}

/// Nonzero numbers, `"1"` and `true` mean geheimhouding; the mock uses all three forms.
fn geheimhouding(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|n| n != 0.0),
        Some(Value::String(s)) => {
            let s = s.trim();
            s.eq_ignore_ascii_case("true") || s.parse::<i64>().is_ok_and(|n| n != 0)
        }
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------
// In onderzoek

/// Where a marked field ends up, relative to the group that holds the marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Part {
    /// The group itself: the person (category 01), the verblijfplaats, a nationaliteit, an
    /// ouder, ...
    Host,
    /// The person, from another category's marker (08.09 gemeente van inschrijving).
    Persoon,
    Naam,
    Geboorte,
    /// A partner's aangaanHuwelijkPartnerschap.
    Aangaan,
}

/// An LO GBA element (`ggee`) and the fields it marks.
type Element = (&'static str, &'static [(Part, &'static str)]);

/// The elements of one LO GBA category (or of the categories that share a layout, like
/// 02 and 03 for the two ouders).
struct Category {
    numbers: &'static [&'static str],
    elements: &'static [&'static [Element]],
}

const NAAM_ELEMENTS: &[Element] = &[
    (
        "0210",
        &[
            (Part::Naam, "voornamen"),
            (Part::Naam, "voorletters"),
            (Part::Naam, "volledigeNaam"),
        ],
    ),
    (
        "0220",
        &[
            (Part::Naam, "adellijkeTitelPredicaat"),
            (Part::Naam, "volledigeNaam"),
        ],
    ),
    (
        "0230",
        &[(Part::Naam, "voorvoegsel"), (Part::Naam, "volledigeNaam")],
    ),
    (
        "0240",
        &[(Part::Naam, "geslachtsnaam"), (Part::Naam, "volledigeNaam")],
    ),
];

const GEBOORTE_ELEMENTS: &[Element] = &[
    ("0310", &[(Part::Geboorte, "datum")]),
    ("0320", &[(Part::Geboorte, "plaats")]),
    ("0330", &[(Part::Geboorte, "land")]),
];

const PERSOON: Category = Category {
    numbers: &["01"],
    elements: &[
        &[
            ("0110", &[(Part::Host, "aNummer")]),
            ("0120", &[(Part::Host, "burgerservicenummer")]),
            // The age derives from the birth date, so it is as doubtful.
            ("0310", &[(Part::Host, "leeftijd")]),
            ("0410", &[(Part::Host, "geslacht")]),
            // Vorig and volgend A-nummer: not imported.
            ("2010", &[]),
            ("2020", &[]),
            ("6110", &[(Part::Naam, "aanduidingNaamgebruik")]),
        ],
        NAAM_ELEMENTS,
        GEBOORTE_ELEMENTS,
    ],
};

const OUDER: Category = Category {
    numbers: &["02", "03"],
    elements: &[
        &[
            // A relative's A-nummer is not imported.
            ("0110", &[]),
            ("0120", &[(Part::Host, "burgerservicenummer")]),
            ("0410", &[(Part::Host, "geslacht")]),
            (
                "6210",
                &[(Part::Host, "datumIngangFamilierechtelijkeBetrekking")],
            ),
        ],
        NAAM_ELEMENTS,
        GEBOORTE_ELEMENTS,
    ],
};

const PARTNER: Category = Category {
    numbers: &["05"],
    elements: &[
        &[
            ("0110", &[]),
            ("0120", &[(Part::Host, "burgerservicenummer")]),
            ("0410", &[(Part::Host, "geslacht")]),
            ("0610", &[(Part::Aangaan, "datum")]),
            ("0620", &[(Part::Aangaan, "plaats")]),
            ("0630", &[(Part::Aangaan, "land")]),
            // The model's Ontbinding has no inOnderzoek of its own.
            (
                "0710",
                &[(Part::Host, "ontbindingHuwelijkPartnerschap.datum")],
            ),
            ("0720", &[]),
            ("0730", &[]),
            ("0740", &[]),
            ("1510", &[(Part::Host, "soortVerbintenis")]),
        ],
        NAAM_ELEMENTS,
        GEBOORTE_ELEMENTS,
    ],
};

const KIND: Category = Category {
    numbers: &["09"],
    elements: &[
        &[
            ("0110", &[]),
            ("0120", &[(Part::Host, "burgerservicenummer")]),
        ],
        NAAM_ELEMENTS,
        GEBOORTE_ELEMENTS,
    ],
};

const NATIONALITEIT: Category = Category {
    numbers: &["04"],
    elements: &[&[
        ("0510", &[(Part::Host, "nationaliteit")]),
        ("6310", &[(Part::Host, "redenOpname")]),
        // Reden beëindigen and bijzonder Nederlanderschap: not imported.
        ("6410", &[]),
        ("6510", &[]),
        ("8510", &[(Part::Host, "datumIngangGeldigheid")]),
    ]],
};

const OVERLIJDEN: Category = Category {
    numbers: &["06"],
    elements: &[&[
        ("0810", &[(Part::Host, "datum")]),
        ("0820", &[(Part::Host, "plaats")]),
        ("0830", &[(Part::Host, "land")]),
    ]],
};

const VERBLIJFSTITEL: Category = Category {
    numbers: &["10"],
    elements: &[&[
        ("3910", &[(Part::Host, "aanduiding")]),
        ("3920", &[(Part::Host, "datumEinde")]),
        ("3930", &[(Part::Host, "datumIngang")]),
    ]],
};

/// Every key a verblijfplaats marker can set; 08.99.99 sets them all, and
/// [`restrict_to_type`] keeps those of the verblijfplaats' type.
const VERBLIJFPLAATS_ALL: &[(Part, &str)] = &[
    (Part::Host, "type"),
    (Part::Host, "datumVan"),
    (Part::Host, "datumIngangGeldigheid"),
    (Part::Host, "adresseerbaarObjectIdentificatie"),
    (Part::Host, "nummeraanduidingIdentificatie"),
    (Part::Host, "functieAdres"),
    (Part::Host, "verblijfadres.officieleStraatnaam"),
    (Part::Host, "verblijfadres.korteStraatnaam"),
    (Part::Host, "verblijfadres.huisnummer"),
    (Part::Host, "verblijfadres.huisletter"),
    (Part::Host, "verblijfadres.huisnummertoevoeging"),
    (Part::Host, "verblijfadres.aanduidingBijHuisnummer"),
    (Part::Host, "verblijfadres.postcode"),
    (Part::Host, "verblijfadres.woonplaats"),
    (Part::Host, "verblijfadres.locatiebeschrijving"),
    (Part::Host, "verblijfadres.regel1"),
    (Part::Host, "verblijfadres.regel2"),
    (Part::Host, "verblijfadres.regel3"),
    (Part::Host, "verblijfadres.land"),
];

const VERBLIJFPLAATS: Category = Category {
    numbers: &["08"],
    elements: &[&[
        ("0910", &[(Part::Persoon, "gemeenteVanInschrijving")]),
        ("0920", &[(Part::Persoon, "datumInschrijvingInGemeente")]),
        ("1010", &[(Part::Host, "functieAdres")]),
        // Gemeentedeel: not in the model.
        ("1020", &[]),
        ("1030", &[(Part::Host, "datumVan")]),
        // The straatnaam identifies the address, so its doubt extends to the type.
        (
            "1110",
            &[
                (Part::Host, "type"),
                (Part::Host, "verblijfadres.korteStraatnaam"),
            ],
        ),
        ("1115", &[(Part::Host, "verblijfadres.officieleStraatnaam")]),
        ("1120", &[(Part::Host, "verblijfadres.huisnummer")]),
        ("1130", &[(Part::Host, "verblijfadres.huisletter")]),
        (
            "1140",
            &[(Part::Host, "verblijfadres.huisnummertoevoeging")],
        ),
        (
            "1150",
            &[(Part::Host, "verblijfadres.aanduidingBijHuisnummer")],
        ),
        ("1160", &[(Part::Host, "verblijfadres.postcode")]),
        ("1170", &[(Part::Host, "verblijfadres.woonplaats")]),
        ("1180", &[(Part::Host, "adresseerbaarObjectIdentificatie")]),
        ("1190", &[(Part::Host, "nummeraanduidingIdentificatie")]),
        (
            "1210",
            &[
                (Part::Host, "type"),
                (Part::Host, "verblijfadres.locatiebeschrijving"),
            ],
        ),
        (
            "1310",
            &[(Part::Host, "type"), (Part::Host, "verblijfadres.land")],
        ),
        ("1320", &[(Part::Host, "datumVan")]),
        ("1330", &[(Part::Host, "verblijfadres.regel1")]),
        ("1340", &[(Part::Host, "verblijfadres.regel2")]),
        ("1350", &[(Part::Host, "verblijfadres.regel3")]),
        // Immigratie: not imported.
        ("1410", &[]),
        ("1420", &[]),
        ("8510", &[(Part::Host, "datumIngangGeldigheid")]),
        ("9999", VERBLIJFPLAATS_ALL),
    ]],
};

impl Category {
    fn elements(&self) -> impl Iterator<Item = &'static Element> + '_ {
        self.elements.iter().flat_map(|group| group.iter())
    }

    fn whole(&self) -> BTreeSet<(Part, &'static str)> {
        self.elements()
            .flat_map(|(_, fields)| fields.iter().copied())
            .collect()
    }

    /// The fields an `aanduidingGegevensInOnderzoek` code marks: one element, a group
    /// (`ee == 00`) or the whole category (`gg == 00`). A code this table does not know
    /// still says that something is doubtful, so it widens to its group, or to the whole
    /// category when the group is unknown too or the code belongs to another category.
    fn marked(&self, code: &str) -> BTreeSet<(Part, &'static str)> {
        let ours = code.len() == 6
            && code.bytes().all(|b| b.is_ascii_digit())
            && self.numbers.contains(&&code[..2]);
        if !ours || &code[2..4] == "00" {
            return self.whole();
        }
        let element: Vec<&Element> = self
            .elements()
            .filter(|(number, _)| *number == &code[2..6])
            .collect();
        let matching = if element.is_empty() {
            self.elements()
                .filter(|(number, _)| number[..2] == code[2..4])
                .collect()
        } else {
            element
        };
        if matching.is_empty() {
            return self.whole();
        }
        matching
            .into_iter()
            .flat_map(|(_, fields)| fields.iter().copied())
            .collect()
    }
}

/// What one marker marks, and since when.
#[derive(Debug, Default)]
struct Marks {
    fields: BTreeSet<(Part, &'static str)>,
    since: Option<Datum>,
}

impl Marks {
    /// Reads the marker `key` of `host` (at `path` in the record, for messages).
    fn read(host: &Value, key: &str, path: &str, category: &Category) -> Result<Self, String> {
        let Some(marker) = host.get(key).filter(|m| m.is_object()) else {
            return Ok(Self::default());
        };
        let Some(code) = text(marker, "aanduidingGegevensInOnderzoek") else {
            return Ok(Self::default());
        };
        Ok(Self {
            fields: category.marked(&code),
            since: date(marker, "datumIngangOnderzoek", &field_path(path, key))?,
        })
    }

    fn of(&self, part: Part) -> Option<InOnderzoek> {
        let velden: BTreeMap<String, bool> = self
            .fields
            .iter()
            .filter(|(p, _)| *p == part)
            .map(|(_, field)| ((*field).to_owned(), true))
            .collect();
        (!velden.is_empty()).then_some(InOnderzoek {
            velden,
            datum_ingang_onderzoek: self.since,
        })
    }
}

/// The keys of a verblijfplaats' inOnderzoek that exist for its type.
fn verblijfplaats_keys(soort: VerblijfplaatsType) -> &'static [&'static str] {
    match soort {
        VerblijfplaatsType::Adres => &[
            "type",
            "datumVan",
            "datumIngangGeldigheid",
            "adresseerbaarObjectIdentificatie",
            "nummeraanduidingIdentificatie",
            "functieAdres",
            "verblijfadres.officieleStraatnaam",
            "verblijfadres.korteStraatnaam",
            "verblijfadres.huisnummer",
            "verblijfadres.huisletter",
            "verblijfadres.huisnummertoevoeging",
            "verblijfadres.aanduidingBijHuisnummer",
            "verblijfadres.postcode",
            "verblijfadres.woonplaats",
        ],
        VerblijfplaatsType::Locatie => &[
            "type",
            "datumVan",
            "datumIngangGeldigheid",
            "functieAdres",
            "verblijfadres.locatiebeschrijving",
        ],
        VerblijfplaatsType::VerblijfplaatsBuitenland => &[
            "type",
            "datumVan",
            "datumIngangGeldigheid",
            "verblijfadres.regel1",
            "verblijfadres.regel2",
            "verblijfadres.regel3",
            "verblijfadres.land",
        ],
        VerblijfplaatsType::VerblijfplaatsOnbekend => {
            &["type", "datumVan", "datumIngangGeldigheid"]
        }
    }
}

/// Drops the verblijfplaats keys its type does not have. A code that named only such keys
/// (a buitenland element on an Adres) still signals doubt, so it marks the whole type then.
fn restrict_to_type(marks: &mut Marks, soort: VerblijfplaatsType) {
    let keys = verblijfplaats_keys(soort);
    let marked_here = marks.fields.iter().any(|(p, _)| *p == Part::Host);
    marks
        .fields
        .retain(|(p, key)| *p != Part::Host || keys.contains(key));
    if marked_here && !marks.fields.iter().any(|(p, _)| *p == Part::Host) {
        marks
            .fields
            .extend(keys.iter().map(|key| (Part::Host, *key)));
    }
}

/// One person-level inOnderzoek from two markers (category 01 and 08.09). The model has one
/// start date; the earlier one says since when at least part of it has been doubtful.
fn merge(a: Option<InOnderzoek>, b: Option<InOnderzoek>) -> Option<InOnderzoek> {
    match (a, b) {
        (Some(mut a), Some(b)) => {
            a.velden.extend(b.velden);
            a.datum_ingang_onderzoek = match (a.datum_ingang_onderzoek, b.datum_ingang_onderzoek) {
                (Some(Datum::Volledig(x)), Some(Datum::Volledig(y))) => {
                    Some(Datum::Volledig(x.min(y)))
                }
                (x, y) => x.or(y),
            };
            Some(a)
        }
        (a, b) => a.or(b),
    }
}

/// Puts a marker on an event, creating the event when the record has none, so the marker is
/// not lost.
fn with_onderzoek(event: Option<Gebeurtenis>, marker: Option<InOnderzoek>) -> Option<Gebeurtenis> {
    match marker {
        None => event,
        Some(m) => {
            let mut e = event.unwrap_or_default();
            e.in_onderzoek = Some(m);
            Some(e)
        }
    }
}

// ---------------------------------------------------------------------------------------
// Groups

/// The record's own burgerservicenummer, or why it has none.
fn record_bsn(record: &Value) -> Result<Bsn, String> {
    if !record.is_object() {
        return Err(format!(
            "is geen persoon: {} in plaats van een JSON-object",
            json_kind(record)
        ));
    }
    let raw = match record.get("burgerservicenummer") {
        None | Some(Value::Null) => return Err("burgerservicenummer ontbreekt".into()),
        Some(raw) => shown(raw),
    };
    if raw.is_empty() {
        return Err("burgerservicenummer ontbreekt".into());
    }
    if raw.len() != 9 || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "burgerservicenummer ‘{raw}’ bestaat niet uit 9 cijfers"
        ));
    }
    Bsn::parse(&raw).map_err(|_| format!("burgerservicenummer {raw} voldoet niet aan de elfproef"))
}

/// A relative's burgerservicenummer when valid; an invalid one is left out, the relation
/// itself is kept.
fn relative_bsn(v: &Value) -> Option<Bsn> {
    text(v, "burgerservicenummer").and_then(|b| Bsn::parse(&b).ok())
}

/// The name under `naam`, if it has a geslachtsnaam.
fn naam(obj: &Value) -> Option<Naam> {
    let n = obj.get("naam")?;
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

/// A relative's name; the model needs a geslachtsnaam, so a relative without one gets an
/// empty one and keeps the rest.
fn relative_naam(obj: &Value) -> Naam {
    naam(obj).unwrap_or_else(|| {
        let n = obj.get("naam").unwrap_or(&Value::Null);
        let mut naam = Naam::new(
            text(n, "voornamen").as_deref(),
            text(n, "voorvoegsel").as_deref(),
            "",
        );
        // Naam::new joins the empty geslachtsnaam too.
        naam.volledige_naam = naam
            .volledige_naam
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty());
        naam
    })
}

/// Birth, death or marriage: date, plaats and land. An empty object is none.
fn event(obj: &Value, key: &str, path: &str) -> Result<Option<Gebeurtenis>, String> {
    let Some(e) = obj.get(key).filter(|e| e.is_object()) else {
        return Ok(None);
    };
    let event = Gebeurtenis {
        datum: date(e, "datum", &field_path(path, key))?,
        land: table(e, "land"),
        plaats: table(e, "plaats"),
        in_onderzoek: None,
    };
    Ok((event != Gebeurtenis::default()).then_some(event))
}

/// The objects of the list `key`; other entries carry nothing to import.
fn items<'a>(obj: &'a Value, key: &str) -> impl Iterator<Item = (usize, &'a Value)> {
    obj.get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .filter(|(_, v)| v.is_object())
}

/// A relative's naam and geboorte with their markers.
fn relative_parts(
    v: &Value,
    path: &str,
    marks: &Marks,
) -> Result<(Naam, Option<Gebeurtenis>), String> {
    let mut naam = relative_naam(v);
    naam.in_onderzoek = marks.of(Part::Naam);
    let geboorte = with_onderzoek(event(v, "geboorte", path)?, marks.of(Part::Geboorte));
    Ok((naam, geboorte))
}

fn ouder(v: &Value, i: usize) -> Result<Ouder, String> {
    let path = format!("ouders[{i}]");
    let marks = Marks::read(v, "inOnderzoek", &path, &OUDER)?;
    let (naam, geboorte) = relative_parts(v, &path, &marks)?;
    Ok(Ouder {
        burgerservicenummer: relative_bsn(v),
        naam,
        geslacht: table(v, "geslacht"),
        geboorte,
        // Haal Centraal requires "1" or "2"; the position is the best guess when missing.
        ouder_aanduiding: text(v, "ouderAanduiding").unwrap_or_else(|| (i + 1).to_string()),
        datum_ingang_familierechtelijke_betrekking: date(
            v,
            "datumIngangFamilierechtelijkeBetrekking",
            &path,
        )?,
        in_onderzoek: marks.of(Part::Host),
    })
}

fn partner(v: &Value, i: usize) -> Result<Partner, String> {
    let path = format!("partners[{i}]");
    let marks = Marks::read(v, "inOnderzoek", &path, &PARTNER)?;
    let (naam, geboorte) = relative_parts(v, &path, &marks)?;
    let ontbinding = match v
        .get("ontbindingHuwelijkPartnerschap")
        .filter(|o| o.is_object())
    {
        // A recorded ontbinding without a date is still an ontbinding.
        Some(o) => Some(Ontbinding {
            datum: date(
                o,
                "datum",
                &format!("{path}.ontbindingHuwelijkPartnerschap"),
            )?
            .unwrap_or(Datum::Onbekend),
        }),
        None => None,
    };
    Ok(Partner {
        burgerservicenummer: relative_bsn(v),
        naam,
        geslacht: table(v, "geslacht"),
        geboorte,
        // "." is the GBA value for an unknown code.
        soort_verbintenis: table(v, "soortVerbintenis")
            .unwrap_or_else(|| Waardetabel::new(".", "onbekend")),
        aangaan_huwelijk_partnerschap: with_onderzoek(
            event(v, "aangaanHuwelijkPartnerschap", &path)?,
            marks.of(Part::Aangaan),
        ),
        ontbinding_huwelijk_partnerschap: ontbinding,
        in_onderzoek: marks.of(Part::Host),
    })
}

fn kind(v: &Value, i: usize) -> Result<Kind, String> {
    let path = format!("kinderen[{i}]");
    let marks = Marks::read(v, "inOnderzoek", &path, &KIND)?;
    let (naam, geboorte) = relative_parts(v, &path, &marks)?;
    Ok(Kind {
        burgerservicenummer: relative_bsn(v),
        naam,
        geboorte,
        in_onderzoek: marks.of(Part::Host),
    })
}

fn nationaliteit(v: &Value, i: usize) -> Result<Option<Nationaliteit>, String> {
    let path = format!("nationaliteiten[{i}]");
    // Validate the dates even of an entry that is skipped, like everywhere else.
    let datum_ingang_geldigheid = date(v, "datumIngangGeldigheid", &path)?;
    let marks = Marks::read(v, "inOnderzoek", &path, &NATIONALITEIT)?;
    Ok(
        table(v, "nationaliteit").map(|nationaliteit| Nationaliteit {
            nationaliteit,
            reden_opname: table(v, "redenOpname"),
            datum_ingang_geldigheid,
            in_onderzoek: marks.of(Part::Host),
        }),
    )
}

/// The verblijfplaats, and what its marker marks on the person (08.09).
fn verblijfplaats(v: &Value) -> Result<(Option<Verblijfplaats>, Option<InOnderzoek>), String> {
    const PATH: &str = "verblijfplaats";
    if v.as_object().is_none_or(|o| o.is_empty()) {
        return Ok((None, None));
    }
    let straat = text(v, "straat");
    let openbare_ruimte = text(v, "naamOpenbareRuimte");
    let huisnummer =
        match text(v, "huisnummer") {
            None => None,
            Some(h) => Some(h.parse::<u32>().map_err(|_| {
                format!("huisnummer ‘{h}’ in {PATH}.huisnummer is geen geheel getal")
            })?),
        };
    let locatie = text(v, "locatiebeschrijving");
    let regels = [text(v, "regel1"), text(v, "regel2"), text(v, "regel3")];
    let land = table(v, "land");
    let aanvang_adres = date(v, "datumAanvangAdreshouding", PATH)?;
    let aanvang_buitenland = date(v, "datumAanvangAdresBuitenland", PATH)?;

    let soort = if straat.is_some() || openbare_ruimte.is_some() || huisnummer.is_some() {
        VerblijfplaatsType::Adres
    } else if locatie.is_some() {
        VerblijfplaatsType::Locatie
    } else if regels.iter().any(Option::is_some) || land.as_ref().is_some_and(|l| l.code != "0000")
    {
        VerblijfplaatsType::VerblijfplaatsBuitenland
    } else {
        // Land 0000 ("onbekend") or no address at all.
        VerblijfplaatsType::VerblijfplaatsOnbekend
    };
    let [regel1, regel2, regel3] = regels;
    let binnenland = matches!(
        soort,
        VerblijfplaatsType::Adres | VerblijfplaatsType::Locatie
    );
    let (datum_van, verblijfadres) = match soort {
        VerblijfplaatsType::Adres => (
            aanvang_adres,
            Some(Verblijfadres {
                officiele_straatnaam: openbare_ruimte.clone().or_else(|| straat.clone()),
                korte_straatnaam: straat.or(openbare_ruimte),
                huisnummer,
                huisletter: text(v, "huisletter"),
                huisnummertoevoeging: text(v, "huisnummertoevoeging"),
                aanduiding_bij_huisnummer: table(v, "aanduidingBijHuisnummer"),
                postcode: text(v, "postcode").map(|p| {
                    p.chars()
                        .filter(|c| !c.is_whitespace())
                        .collect::<String>()
                        .to_uppercase()
                }),
                woonplaats: text(v, "woonplaats"),
                ..Verblijfadres::default()
            }),
        ),
        VerblijfplaatsType::Locatie => (
            aanvang_adres,
            Some(Verblijfadres {
                locatiebeschrijving: locatie,
                ..Verblijfadres::default()
            }),
        ),
        VerblijfplaatsType::VerblijfplaatsBuitenland => (
            aanvang_buitenland,
            Some(Verblijfadres {
                regel1,
                regel2,
                regel3,
                land,
                ..Verblijfadres::default()
            }),
        ),
        VerblijfplaatsType::VerblijfplaatsOnbekend => (aanvang_buitenland.or(aanvang_adres), None),
    };
    let adres = soort == VerblijfplaatsType::Adres;

    let mut marks = Marks::read(v, "inOnderzoek", PATH, &VERBLIJFPLAATS)?;
    restrict_to_type(&mut marks, soort);
    let verblijfplaats = Verblijfplaats {
        soort,
        datum_van,
        datum_ingang_geldigheid: date(v, "datumIngangGeldigheid", PATH)?,
        adresseerbaar_object_identificatie: text(v, "adresseerbaarObjectIdentificatie")
            .filter(|_| adres),
        nummeraanduiding_identificatie: text(v, "nummeraanduidingIdentificatie").filter(|_| adres),
        functie_adres: table(v, "functieAdres").filter(|_| binnenland),
        verblijfadres,
        in_onderzoek: marks.of(Part::Host),
    };
    Ok((Some(verblijfplaats), marks.of(Part::Persoon)))
}

fn verblijfstitel(v: &Value) -> Result<Option<Verblijfstitel>, String> {
    const PATH: &str = "verblijfstitel";
    let datum_ingang = date(v, "datumIngang", PATH)?;
    let datum_einde = date(v, "datumEinde", PATH)?;
    let marks = Marks::read(v, "inOnderzoek", PATH, &VERBLIJFSTITEL)?;
    Ok(table(v, "aanduiding").map(|aanduiding| Verblijfstitel {
        aanduiding,
        datum_ingang,
        datum_einde,
        in_onderzoek: marks.of(Part::Host),
    }))
}

fn opschorting(v: &Value) -> Result<Option<OpschortingBijhouding>, String> {
    let datum = date(v, "datum", "opschortingBijhouding")?;
    // The reden is the point of the indication; a missing date is an unknown one.
    Ok(table(v, "reden").map(|reden| OpschortingBijhouding {
        reden,
        datum: datum.unwrap_or(Datum::Onbekend),
    }))
}

fn person(record: &Value, bsn: Bsn) -> Result<Persoon, String> {
    let a_nummer = match record.get("aNummer") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(raw) => {
            let raw = shown(raw);
            Some(ANummer::parse(&raw).map_err(|_| {
                format!("A-nummer ‘{raw}’ is ongeldig (10 cijfers volgens de LO GBA-controle)")
            })?)
        }
    };
    let marks = Marks::read(record, "persoonInOnderzoek", "", &PERSOON)?;

    let mut naam = naam(record).ok_or("geslachtsnaam ontbreekt (naam.geslachtsnaam)")?;
    naam.in_onderzoek = marks.of(Part::Naam);
    let geboorte = event(record, "geboorte", "")?
        .filter(|g| g.datum.is_some())
        .ok_or("geboortedatum ontbreekt (geboorte.datum)")?;
    let geboorte = with_onderzoek(Some(geboorte), marks.of(Part::Geboorte));

    let overlijden = match record.get("overlijden") {
        Some(o) => {
            let marks = Marks::read(o, "inOnderzoek", "overlijden", &OVERLIJDEN)?;
            with_onderzoek(event(record, "overlijden", "")?, marks.of(Part::Host))
        }
        None => None,
    };

    let (verblijfplaats, gemeente_onderzoek) = match record.get("verblijfplaats") {
        Some(v) => verblijfplaats(v)?,
        None => (None, None),
    };

    let mut nationaliteiten = Vec::new();
    for (i, n) in items(record, "nationaliteiten") {
        nationaliteiten.extend(nationaliteit(n, i)?);
    }
    let ouders = items(record, "ouders")
        .map(|(i, o)| ouder(o, i))
        .collect::<Result<Vec<_>, _>>()?;
    let partners = items(record, "partners")
        .map(|(i, p)| partner(p, i))
        .collect::<Result<Vec<_>, _>>()?;
    let kinderen = items(record, "kinderen")
        .map(|(i, k)| kind(k, i))
        .collect::<Result<Vec<_>, _>>()?;

    let verblijfstitel = match record.get("verblijfstitel").filter(|v| v.is_object()) {
        Some(v) => verblijfstitel(v)?,
        None => None,
    };
    let opschorting_bijhouding = match record
        .get("opschortingBijhouding")
        .filter(|v| v.is_object())
    {
        Some(o) => opschorting(o)?,
        None => None,
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
        datum_inschrijving_in_gemeente: date(record, "datumInschrijvingInGemeente", "")?,
        datum_eerste_inschrijving_gba: date(record, "datumEersteInschrijvingGBA", "")?,
        ouders,
        partners,
        kinderen,
        verblijfstitel,
        geheimhouding_persoonsgegevens: geheimhouding(record.get("geheimhoudingPersoonsgegevens")),
        opschorting_bijhouding,
        in_onderzoek: merge(marks.of(Part::Host), gemeente_onderzoek),
    }
    .with_adressering())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use serde_json::json;
    use std::collections::HashSet;

    const MOCK: &str = include_str!("../tests/data/personen-mock-test-data.json");

    fn imported() -> &'static ImportResult {
        static RESULT: std::sync::OnceLock<ImportResult> = std::sync::OnceLock::new();
        RESULT.get_or_init(|| parse_mock(MOCK).unwrap())
    }

    /// The imported person with this BSN, as the JSON the API delivers.
    fn person_json(bsn: &str) -> Value {
        let p = imported()
            .persons
            .iter()
            .find(|p| p.burgerservicenummer.to_string() == bsn)
            .unwrap_or_else(|| panic!("{bsn} not imported"));
        serde_json::to_value(p).unwrap()
    }

    fn keys(in_onderzoek: &Value) -> Vec<&str> {
        in_onderzoek
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .filter(|k| *k != "datumIngangOnderzoek")
            .collect()
    }

    #[test]
    fn the_mock_imports_every_record_with_a_valid_bsn() {
        let raw: Vec<Value> = serde_json::from_str(MOCK).unwrap();
        assert_eq!(raw.len(), 882);
        let valid: HashSet<String> = raw
            .iter()
            .filter_map(|r| r["burgerservicenummer"].as_str())
            .filter(|b| Bsn::parse(b).is_ok())
            .map(str::to_owned)
            .collect();

        let result = imported();
        assert_eq!(result.persons.len(), 881);
        let bsns: HashSet<String> = result
            .persons
            .iter()
            .map(|p| p.burgerservicenummer.to_string())
            .collect();
        assert_eq!(bsns.len(), result.persons.len(), "imported BSNs are unique");
        assert_eq!(bsns, valid);

        // RvIG's mock holds one number that fails the elfproef on purpose.
        assert_eq!(
            result.rejected,
            vec![Rejection {
                index: 832,
                bsn: Some("999999245".into()),
                reason: "record 833: burgerservicenummer 999999245 voldoet niet aan de elfproef"
                    .into(),
            }]
        );
    }

    #[test]
    fn the_mock_keeps_its_indications() {
        let json: Vec<Value> = imported()
            .persons
            .iter()
            .map(|p| serde_json::to_value(p).unwrap())
            .collect();
        let count = |f: &dyn Fn(&Value) -> bool| json.iter().filter(|p| f(p)).count();
        assert_eq!(count(&|p| p["geheimhoudingPersoonsgegevens"] == true), 39);
        assert_eq!(count(&|p| p["overlijden"].is_object()), 32);
        assert_eq!(count(&|p| p["opschortingBijhouding"].is_object()), 93);
        assert_eq!(count(&|p| p["verblijfstitel"].is_object()), 20);
        // Every person gets the derived adressering.
        assert_eq!(count(&|p| p["adressering"]["aanhef"].is_string()), 881);
        let types = |t: &str| count(&|p| p["verblijfplaats"]["type"] == t);
        assert_eq!(types("Adres"), 810);
        assert_eq!(types("VerblijfplaatsBuitenland"), 68);
        assert_eq!(types("Locatie"), 1);
        assert_eq!(types("VerblijfplaatsOnbekend"), 2);
    }

    #[test]
    fn a_person_with_geheimhouding() {
        // Jan de Cuykelaer: "geheimhoudingPersoonsgegevens": "1", and an investigation of
        // his immigratie (08.14), which this import does not keep.
        let p = person_json("999990792");
        assert_eq!(p["geheimhoudingPersoonsgegevens"], true);
        assert_eq!(p["naam"]["volledigeNaam"], "Jan de Cuykelaer");
        assert_eq!(p["aNummer"], "1340320875");
        assert_eq!(p["geboorte"]["datum"]["datum"], "1977-12-10");
        assert_eq!(p["geboorte"]["plaats"]["omschrijving"], "Spa");
        let v = &p["verblijfplaats"];
        assert_eq!(v["type"], "Adres");
        assert_eq!(v["datumVan"]["datum"], "2000-02-28");
        assert_eq!(v["verblijfadres"]["huisnummer"], 731);
        assert_eq!(v["verblijfadres"]["postcode"], "2564CJ");
        assert_eq!(v["adresseerbaarObjectIdentificatie"], "0518010060731001");
        assert!(v.get("inOnderzoek").is_none());
        assert_eq!(p["adressering"]["adresregel1"], "Thorbeckelaan 731");
        assert_eq!(p["adressering"]["adresregel2"], "2564 CJ  'S-GRAVENHAGE");
        // A person without the indication does not carry it at all.
        assert!(person_json("999992466")
            .get("geheimhoudingPersoonsgegevens")
            .is_none());
    }

    #[test]
    fn a_deceased_person() {
        // Gloria de Geus died in Gent; her overlijden is in onderzoek as a whole (060000).
        let p = person_json("999970422");
        let o = &p["overlijden"];
        assert_eq!(o["datum"]["datum"], "2022-02-01");
        assert_eq!(o["plaats"]["omschrijving"], "Gent");
        assert_eq!(o["land"]["code"], "5010");
        assert_eq!(keys(&o["inOnderzoek"]), ["datum", "land", "plaats"]);
        assert_eq!(
            o["inOnderzoek"]["datumIngangOnderzoek"]["datum"],
            "2022-08-25"
        );
        assert_eq!(p["opschortingBijhouding"]["reden"]["code"], "O");
        assert_eq!(p["opschortingBijhouding"]["datum"]["datum"], "2022-02-01");
    }

    #[test]
    fn persons_in_onderzoek() {
        // Amandine le Sommer: 01.02 (naam) as a group.
        let p = person_json("999992466");
        let naam = &p["naam"]["inOnderzoek"];
        assert_eq!(naam["geslachtsnaam"], true);
        assert_eq!(
            keys(naam),
            [
                "adellijkeTitelPredicaat",
                "geslachtsnaam",
                "volledigeNaam",
                "voorletters",
                "voornamen",
                "voorvoegsel"
            ]
        );
        assert_eq!(naam["datumIngangOnderzoek"]["datum"], "1994-03-10");
        assert!(p.get("inOnderzoek").is_none());
        assert!(p["geboorte"].get("inOnderzoek").is_none());

        // Karin Holthuizen: only the postcode (08.11.60).
        let p = person_json("999991516");
        assert_eq!(
            keys(&p["verblijfplaats"]["inOnderzoek"]),
            ["verblijfadres.postcode"]
        );

        // Gerdien de Geus: geboortedatum (01.03.10) and datum inschrijving (08.09.20) meet
        // in the person's own inOnderzoek.
        let p = person_json("999970288");
        assert_eq!(keys(&p["geboorte"]["inOnderzoek"]), ["datum"]);
        assert_eq!(
            keys(&p["inOnderzoek"]),
            ["datumInschrijvingInGemeente", "leeftijd"]
        );
        assert!(p["verblijfplaats"].get("inOnderzoek").is_none());
        // Her ouders: 02.62.10 and 03.02.10.
        assert_eq!(
            keys(&p["ouders"][0]["inOnderzoek"]),
            ["datumIngangFamilierechtelijkeBetrekking"]
        );
        assert_eq!(
            keys(&p["ouders"][1]["naam"]["inOnderzoek"]),
            ["volledigeNaam", "voorletters", "voornamen"]
        );

        // Govert de Geus: vastgesteld verblijft niet op adres (08.99.99) and relatives.
        let p = person_json("999970008");
        let v = &p["verblijfplaats"]["inOnderzoek"];
        assert_eq!(v["type"], true);
        assert_eq!(v["verblijfadres.postcode"], true);
        assert!(v.get("verblijfadres.regel1").is_none(), "not for an Adres");
        let ouder1 = &p["ouders"][0];
        assert_eq!(
            keys(&ouder1["inOnderzoek"]),
            [
                "burgerservicenummer",
                "datumIngangFamilierechtelijkeBetrekking",
                "geslacht"
            ]
        );
        assert_eq!(ouder1["naam"]["inOnderzoek"]["geslachtsnaam"], true);
        assert_eq!(ouder1["geboorte"]["inOnderzoek"]["datum"], true);
        assert_eq!(
            ouder1["datumIngangFamilierechtelijkeBetrekking"]["type"],
            "DatumOnbekend"
        );
        assert_eq!(keys(&p["ouders"][1]["geboorte"]["inOnderzoek"]), ["datum"]);
        assert_eq!(
            keys(&p["partners"][0]["aangaanHuwelijkPartnerschap"]["inOnderzoek"]),
            ["datum"]
        );
        assert_eq!(
            keys(&p["kinderen"][1]["geboorte"]["inOnderzoek"]),
            ["datum", "land", "plaats"]
        );
        assert_eq!(
            keys(&p["kinderen"][0]["inOnderzoek"]),
            ["burgerservicenummer"]
        );

        // Nationaliteit 04.05.10.
        let p = person_json("999970331");
        assert_eq!(
            keys(&p["nationaliteiten"][0]["inOnderzoek"]),
            ["nationaliteit"]
        );

        // A whole category 01 marks the person, the name and the birth.
        let p = person_json("999993355");
        assert_eq!(
            keys(&p["inOnderzoek"]),
            ["aNummer", "burgerservicenummer", "geslacht", "leeftijd"]
        );
        assert_eq!(p["naam"]["inOnderzoek"]["aanduidingNaamgebruik"], true);
        assert_eq!(
            keys(&p["geboorte"]["inOnderzoek"]),
            ["datum", "land", "plaats"]
        );
    }

    #[test]
    fn the_kinds_of_verblijfplaats() {
        let p = person_json("100600128");
        let v = &p["verblijfplaats"];
        assert_eq!(v["type"], "VerblijfplaatsBuitenland");
        assert_eq!(v["datumVan"]["datum"], "2008-11-25");
        assert_eq!(v["verblijfadres"]["regel1"], "2448 Essex Road 14");
        assert_eq!(v["verblijfadres"]["land"]["omschrijving"], "Canada");
        assert_eq!(p["adressering"]["adresregel2"], "Wheatley");

        let v = &person_json("999997002")["verblijfplaats"];
        assert_eq!(v["type"], "Locatie");
        assert_eq!(
            v["verblijfadres"]["locatiebeschrijving"],
            "woonaak De Kabouter in Ruigoord"
        );
        assert_eq!(v["datumVan"]["datum"], "1990-07-01");

        // Land 0000 is an unknown verblijfplaats, dated from the move abroad.
        let v = &person_json("999993586")["verblijfplaats"];
        assert_eq!(v["type"], "VerblijfplaatsOnbekend");
        assert_eq!(v["datumVan"]["datum"], "2008-04-02");
        assert!(v.get("verblijfadres").is_none());
    }

    fn good(bsn: &str) -> Value {
        json!({
            "burgerservicenummer": bsn,
            "aNummer": "4537853450",
            "naam": {"voornamen": "Jan Piet", "voorvoegsel": "de", "geslachtsnaam": "Vries",
                     "adellijkeTitelPredicaat": {"code": "JH", "omschrijving": "jonkheer", "soort": "predicaat"}},
            "geslacht": {"code": "M", "omschrijving": "man"},
            "geboorte": {"datum": "19750700"},
            "verblijfplaats": {"straat": "Dorpsstraat", "huisnummer": 4, "huisletter": "a",
                               "postcode": "1991 ab", "woonplaats": "Velserbroek",
                               "datumAanvangAdreshouding": "20010101"},
            "geheimhoudingPersoonsgegevens": 1,
            "ouders": [{"burgerservicenummer": "123456789", "ouderAanduiding": "1",
                        "naam": {"geslachtsnaam": "Vries"},
                        "datumIngangFamilierechtelijkeBetrekking": "00000000"}]
        })
    }

    #[test]
    fn every_bad_record_is_rejected_with_its_reason() {
        let with = |bsn: &str, change: &dyn Fn(&mut Value)| {
            let mut r = good(bsn);
            change(&mut r);
            r
        };
        let file = Value::Array(vec![
            good("999993653"),
            with("999993654", &|_| {}),
            with("999990019", &|r| r["aNummer"] = json!("4537853451")),
            with("999990378", &|r| r["naam"] = json!({"voornamen": "Jan"})),
            with("999990561", &|r| r["geboorte"]["datum"] = json!("19751341")),
            good("999993653"),
            json!("geen persoon"),
            with("999991310", &|r| {
                r["verblijfplaats"]["datumAanvangAdreshouding"] = json!("2001-01-01")
            }),
            with("999992466", &|r| {
                r.as_object_mut().unwrap().remove("burgerservicenummer");
            }),
        ])
        .to_string();

        let result = parse_mock(&file).unwrap();
        assert_eq!(result.persons.len(), 1);
        let got: Vec<(usize, Option<&str>, &str)> = result
            .rejected
            .iter()
            .map(|r| (r.index, r.bsn.as_deref(), r.reason.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    1,
                    Some("999993654"),
                    "record 2: burgerservicenummer 999993654 voldoet niet aan de elfproef"
                ),
                (
                    2,
                    Some("999990019"),
                    "record 3: A-nummer ‘4537853451’ is ongeldig (10 cijfers volgens de LO GBA-controle)"
                ),
                (
                    3,
                    Some("999990378"),
                    "record 4: geslachtsnaam ontbreekt (naam.geslachtsnaam)"
                ),
                (
                    4,
                    Some("999990561"),
                    "record 5: ongeldige datum ‘19751341’ in geboorte.datum (verwacht JJJJMMDD, met 00 voor een onbekend deel)"
                ),
                (
                    5,
                    Some("999993653"),
                    "record 6: burgerservicenummer 999993653 komt al voor in record 1"
                ),
                (
                    6,
                    None,
                    "record 7: is geen persoon: een tekst in plaats van een JSON-object"
                ),
                (
                    7,
                    Some("999991310"),
                    "record 8: ongeldige datum ‘2001-01-01’ in verblijfplaats.datumAanvangAdreshouding (verwacht JJJJMMDD, met 00 voor een onbekend deel)"
                ),
                (8, None, "record 9: burgerservicenummer ontbreekt"),
            ]
        );
    }

    #[test]
    fn a_good_record_is_mapped_in_full() {
        let file = Value::Array(vec![good("999993653")]).to_string();
        let result = parse_mock(&file).unwrap();
        assert!(result.rejected.is_empty());
        let p = serde_json::to_value(&result.persons[0]).unwrap();
        assert_eq!(p["aNummer"], "4537853450");
        assert_eq!(p["naam"]["voorletters"], "J.P.");
        assert_eq!(p["naam"]["adellijkeTitelPredicaat"]["soort"], "predicaat");
        assert_eq!(p["geboorte"]["datum"]["type"], "JaarMaandDatum");
        assert_eq!(p["geheimhoudingPersoonsgegevens"], true);
        let a = &p["verblijfplaats"]["verblijfadres"];
        assert_eq!(a["huisnummer"], 4, "a number in the mock is read too");
        assert_eq!(a["postcode"], "1991AB");
        assert_eq!(a["korteStraatnaam"], "Dorpsstraat");
        assert_eq!(a["officieleStraatnaam"], "Dorpsstraat");
        assert_eq!(p["adressering"]["adresregel1"], "Dorpsstraat 4a");
        // The ouder's BSN fails the elfproef: dropped, the ouder stays.
        let ouder = &p["ouders"][0];
        assert!(ouder.get("burgerservicenummer").is_none());
        assert_eq!(ouder["naam"]["geslachtsnaam"], "Vries");
        assert_eq!(
            ouder["datumIngangFamilierechtelijkeBetrekking"]["type"],
            "DatumOnbekend"
        );
    }

    #[test]
    fn geheimhouding_in_every_form() {
        for (value, expected) in [
            (json!(true), true),
            (json!(1), true),
            (json!("1"), true),
            (json!(7), true),
            (json!(false), false),
            (json!(0), false),
            (json!("0"), false),
            (json!(null), false),
        ] {
            assert_eq!(geheimhouding(Some(&value)), expected, "{value}");
        }
        assert!(!geheimhouding(None));
    }

    #[test]
    fn investigation_codes() {
        let names = |category: &Category, code: &str| -> Vec<&str> {
            category.marked(code).into_iter().map(|(_, f)| f).collect()
        };
        assert_eq!(
            names(&PERSOON, "010240"),
            ["geslachtsnaam", "volledigeNaam"]
        );
        assert_eq!(names(&PERSOON, "010120"), ["burgerservicenummer"]);
        assert_eq!(names(&PERSOON, "010110"), ["aNummer"]);
        assert_eq!(names(&PERSOON, "010410"), ["geslacht"]);
        // An unknown element, or a code of another category, marks the whole group.
        assert_eq!(PERSOON.marked("010299"), PERSOON.marked("010200"));
        assert_eq!(PERSOON.marked("018110"), PERSOON.whole());
        assert_eq!(PERSOON.marked("081160"), PERSOON.whole());
        assert_eq!(PERSOON.marked("garbage"), PERSOON.whole());
        assert_eq!(names(&VERBLIJFPLAATS, "081030"), ["datumVan"]);
        assert_eq!(
            names(&VERBLIJFPLAATS, "081170"),
            ["verblijfadres.woonplaats"]
        );
        // Known, but holding data the import does not keep.
        assert!(VERBLIJFPLAATS.marked("081400").is_empty());
        assert!(VERBLIJFPLAATS.marked("081020").is_empty());
        assert_eq!(
            names(&OUDER, "036210"),
            ["datumIngangFamilierechtelijkeBetrekking"]
        );

        // A buitenland element on an Adres still marks the Adres.
        let mut marks = Marks {
            fields: VERBLIJFPLAATS.marked("081330"),
            since: None,
        };
        restrict_to_type(&mut marks, VerblijfplaatsType::Adres);
        assert_eq!(
            marks.fields.len(),
            verblijfplaats_keys(VerblijfplaatsType::Adres).len()
        );
    }

    #[test]
    fn a_file_that_is_not_a_list_is_refused() {
        assert_eq!(
            parse_mock(r#"{"burgerservicenummer": "999993653"}"#).unwrap_err(),
            "Het bestand moet een JSON-lijst (array) van personen zijn, maar is een object."
        );
        assert!(parse_mock("niet eens json")
            .unwrap_err()
            .starts_with("Het bestand is geen geldige JSON"));
        let empty = parse_mock("[]").unwrap();
        assert!(empty.persons.is_empty() && empty.rejected.is_empty());
    }
}
