//! A person as Haal Centraal BRP Personen v2 delivers it (`Persoon`). The structs serialise to
//! exactly the JSON of the API, so the field filter and every caller work on one shape. Only
//! serialisation is needed: persons are built by the generator and the import, stored as this
//! JSON, and read back as JSON.

use super::datum::Datum;
use super::ids::{ANummer, Bsn};
use super::search::fold;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

fn is_false(b: &bool) -> bool {
    !*b
}

/// A coded value with its description (`{"code": "V", "omschrijving": "vrouw"}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Waardetabel {
    pub code: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub omschrijving: String,
}

impl Waardetabel {
    pub fn new(code: impl Into<String>, omschrijving: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            omschrijving: omschrijving.into(),
        }
    }
}

/// Which values of a group are under investigation, and since when. Serialised as the
/// group's `inOnderzoek` object: one `true` per field, plus the start date.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InOnderzoek {
    #[serde(flatten)]
    pub velden: BTreeMap<String, bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub datum_ingang_onderzoek: Option<Datum>,
}

impl InOnderzoek {
    pub fn of(fields: &[&str], since: Datum) -> Self {
        Self {
            velden: fields.iter().map(|f| ((*f).to_owned(), true)).collect(),
            datum_ingang_onderzoek: Some(since),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdellijkeTitelPredicaat {
    pub code: String,
    pub omschrijving: String,
    /// "titel" or "predicaat".
    pub soort: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Naam {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voornamen: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adellijke_titel_predicaat: Option<AdellijkeTitelPredicaat>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voorvoegsel: Option<String>,
    pub geslachtsnaam: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voorletters: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volledige_naam: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aanduiding_naamgebruik: Option<Waardetabel>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_onderzoek: Option<InOnderzoek>,
}

impl Naam {
    /// A name with its derived parts (voorletters, volledige naam) filled in.
    pub fn new(voornamen: Option<&str>, voorvoegsel: Option<&str>, geslachtsnaam: &str) -> Self {
        let voornamen = voornamen.map(str::trim).filter(|v| !v.is_empty());
        let voorvoegsel = voorvoegsel.map(str::trim).filter(|v| !v.is_empty());
        let voorletters = voornamen.map(|v| {
            v.split_whitespace()
                .filter_map(|n| n.chars().next())
                .map(|c| format!("{}.", c.to_uppercase()))
                .collect::<String>()
        });
        let volledige_naam = [voornamen, voorvoegsel, Some(geslachtsnaam.trim())]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        Self {
            voornamen: voornamen.map(str::to_owned),
            voorvoegsel: voorvoegsel.map(str::to_owned),
            geslachtsnaam: geslachtsnaam.trim().to_owned(),
            voorletters,
            volledige_naam: Some(volledige_naam),
            ..Self::default()
        }
    }

    /// "de Vries" or "Jansen": the surname with its voorvoegsel, as in a salutation.
    pub fn achternaam(&self) -> String {
        match &self.voorvoegsel {
            Some(v) => format!("{v} {}", self.geslachtsnaam),
            None => self.geslachtsnaam.clone(),
        }
    }
}

/// Birth, death, marriage: a date with where it happened.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Gebeurtenis {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub datum: Option<Datum>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub land: Option<Waardetabel>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plaats: Option<Waardetabel>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_onderzoek: Option<InOnderzoek>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Nationaliteit {
    pub nationaliteit: Waardetabel,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reden_opname: Option<Waardetabel>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub datum_ingang_geldigheid: Option<Datum>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_onderzoek: Option<InOnderzoek>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Verblijfadres {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub officiele_straatnaam: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub korte_straatnaam: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub huisnummer: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub huisletter: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub huisnummertoevoeging: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aanduiding_bij_huisnummer: Option<Waardetabel>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub woonplaats: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locatiebeschrijving: Option<String>,
    /// Lines of an address abroad.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regel1: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regel2: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regel3: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub land: Option<Waardetabel>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum VerblijfplaatsType {
    Adres,
    Locatie,
    VerblijfplaatsBuitenland,
    VerblijfplaatsOnbekend,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Verblijfplaats {
    #[serde(rename = "type")]
    pub soort: VerblijfplaatsType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub datum_van: Option<Datum>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub datum_ingang_geldigheid: Option<Datum>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adresseerbaar_object_identificatie: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nummeraanduiding_identificatie: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub functie_adres: Option<Waardetabel>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verblijfadres: Option<Verblijfadres>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_onderzoek: Option<InOnderzoek>,
}

/// How to address a letter to the person; derived from naam, geslacht and verblijfplaats.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Adressering {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adresregel1: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adresregel2: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adresregel3: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub land: Option<Waardetabel>,
    pub aanhef: String,
    pub aanschrijfwijze: Aanschrijfwijze,
    pub gebruik_in_lopende_tekst: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Aanschrijfwijze {
    pub naam: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ouder {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub burgerservicenummer: Option<Bsn>,
    pub naam: Naam,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geslacht: Option<Waardetabel>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geboorte: Option<Gebeurtenis>,
    /// "1" or "2".
    pub ouder_aanduiding: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub datum_ingang_familierechtelijke_betrekking: Option<Datum>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_onderzoek: Option<InOnderzoek>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ontbinding {
    pub datum: Datum,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Partner {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub burgerservicenummer: Option<Bsn>,
    pub naam: Naam,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geslacht: Option<Waardetabel>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geboorte: Option<Gebeurtenis>,
    /// H (huwelijk) or P (geregistreerd partnerschap).
    pub soort_verbintenis: Waardetabel,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aangaan_huwelijk_partnerschap: Option<Gebeurtenis>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ontbinding_huwelijk_partnerschap: Option<Ontbinding>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_onderzoek: Option<InOnderzoek>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Kind {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub burgerservicenummer: Option<Bsn>,
    pub naam: Naam,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geboorte: Option<Gebeurtenis>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_onderzoek: Option<InOnderzoek>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Verblijfstitel {
    pub aanduiding: Waardetabel,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub datum_ingang: Option<Datum>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub datum_einde: Option<Datum>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_onderzoek: Option<InOnderzoek>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OpschortingBijhouding {
    /// O (overlijden), E (emigratie), M (ministerieel besluit), R (pl aangelegd in de
    /// RNI), F (fout).
    pub reden: Waardetabel,
    pub datum: Datum,
}

/// A person. `leeftijd` is not stored: it depends on the day of the request and is added
/// when the person is provided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Persoon {
    pub burgerservicenummer: Bsn,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub a_nummer: Option<ANummer>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geslacht: Option<Waardetabel>,
    pub naam: Naam,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geboorte: Option<Gebeurtenis>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overlijden: Option<Gebeurtenis>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nationaliteiten: Vec<Nationaliteit>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verblijfplaats: Option<Verblijfplaats>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adressering: Option<Adressering>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gemeente_van_inschrijving: Option<Waardetabel>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub datum_inschrijving_in_gemeente: Option<Datum>,
    #[serde(
        rename = "datumEersteInschrijvingGBA",
        skip_serializing_if = "Option::is_none"
    )]
    pub datum_eerste_inschrijving_gba: Option<Datum>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ouders: Vec<Ouder>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partners: Vec<Partner>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kinderen: Vec<Kind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verblijfstitel: Option<Verblijfstitel>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub geheimhouding_persoonsgegevens: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opschorting_bijhouding: Option<OpschortingBijhouding>,
    /// Investigation of burgerservicenummer, aNummer, geslacht (LO GBA category 01).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_onderzoek: Option<InOnderzoek>,
}

/// The columns a person is found by, in the normalised form searches compare with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchKeys {
    pub geslachtsnaam: String,
    pub voornamen: String,
    pub voorvoegsel: String,
    pub geslacht: String,
    pub geboortedatum: Option<NaiveDate>,
    pub gemeente_code: String,
    pub postcode: String,
    pub huisnummer: Option<u32>,
    pub huisletter: String,
    pub huisnummertoevoeging: String,
    pub straat: String,
    pub nummeraanduiding: String,
    pub adresseerbaar_object: String,
    pub overleden: bool,
}

impl Persoon {
    /// Fills the parts Haal Centraal derives: the name's voorletters and volledige naam are
    /// set by [`Naam::new`]; this adds `adressering`.
    pub fn with_adressering(mut self) -> Self {
        self.refresh_adressering();
        self
    }

    /// Derives `adressering` again, after a change of name or address.
    pub fn refresh_adressering(&mut self) {
        self.adressering = Some(self.derive_adressering());
    }

    fn derive_adressering(&self) -> Adressering {
        let man = self.geslacht.as_ref().is_some_and(|g| g.code == "M");
        let vrouw = self.geslacht.as_ref().is_some_and(|g| g.code == "V");
        let achternaam = self.naam.achternaam();
        let hoofdletter = |s: &str| {
            let mut c = s.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                None => String::new(),
            }
        };
        let (aanhef, lopend) = if man {
            (
                format!("Geachte heer {}", hoofdletter(&achternaam)),
                format!("de heer {}", hoofdletter(&achternaam)),
            )
        } else if vrouw {
            (
                format!("Geachte mevrouw {}", hoofdletter(&achternaam)),
                format!("mevrouw {}", hoofdletter(&achternaam)),
            )
        } else {
            let naam = self.naam.volledige_naam.clone().unwrap_or_default();
            (format!("Geachte {naam}"), naam)
        };
        let aanschrijfnaam = match &self.naam.voorletters {
            Some(v) => format!("{v} {achternaam}"),
            None => achternaam.clone(),
        };
        let mut adressering = Adressering {
            aanhef,
            aanschrijfwijze: Aanschrijfwijze {
                naam: aanschrijfnaam,
            },
            gebruik_in_lopende_tekst: lopend,
            ..Adressering::default()
        };
        if let Some(adres) = self
            .verblijfplaats
            .as_ref()
            .and_then(|v| v.verblijfadres.as_ref())
        {
            if let Some(straat) = &adres.korte_straatnaam {
                let nummer = [
                    adres.huisnummer.map(|n| n.to_string()),
                    adres.huisletter.clone(),
                ]
                .into_iter()
                .flatten()
                .collect::<String>();
                let toevoeging = adres
                    .huisnummertoevoeging
                    .as_ref()
                    .map(|t| format!("-{t}"))
                    .unwrap_or_default();
                adressering.adresregel1 = Some(format!("{straat} {nummer}{toevoeging}"));
                let postcode = adres
                    .postcode
                    .as_deref()
                    .map(|p| format!("{} {}", &p[..4.min(p.len())], &p[4.min(p.len())..]))
                    .unwrap_or_default();
                let woonplaats = adres.woonplaats.clone().unwrap_or_default().to_uppercase();
                adressering.adresregel2 = Some(format!("{postcode}  {woonplaats}"));
            } else if adres.regel1.is_some() {
                adressering.adresregel1 = adres.regel1.clone();
                adressering.adresregel2 = adres.regel2.clone();
                adressering.adresregel3 = adres.regel3.clone();
                adressering.land = adres.land.clone();
            }
        }
        adressering
    }

    pub fn is_overleden(&self) -> bool {
        self.overlijden.is_some()
    }

    pub fn search_keys(&self) -> SearchKeys {
        let adres = self
            .verblijfplaats
            .as_ref()
            .and_then(|v| v.verblijfadres.as_ref());
        let verblijf = self.verblijfplaats.as_ref();
        let text = |v: Option<&String>| v.map(|s| fold(s)).unwrap_or_default();
        SearchKeys {
            geslachtsnaam: fold(&self.naam.geslachtsnaam),
            voornamen: text(self.naam.voornamen.as_ref()),
            voorvoegsel: text(self.naam.voorvoegsel.as_ref()),
            geslacht: self
                .geslacht
                .as_ref()
                .map(|g| g.code.to_uppercase())
                .unwrap_or_default(),
            geboortedatum: self
                .geboorte
                .as_ref()
                .and_then(|g| g.datum)
                .and_then(Datum::complete),
            gemeente_code: self
                .gemeente_van_inschrijving
                .as_ref()
                .map(|g| g.code.clone())
                .unwrap_or_default(),
            postcode: adres
                .and_then(|a| a.postcode.as_deref())
                .map(|p| p.replace(' ', "").to_uppercase())
                .unwrap_or_default(),
            huisnummer: adres.and_then(|a| a.huisnummer),
            huisletter: text(adres.and_then(|a| a.huisletter.as_ref())),
            huisnummertoevoeging: text(adres.and_then(|a| a.huisnummertoevoeging.as_ref())),
            straat: text(adres.and_then(|a| {
                a.officiele_straatnaam
                    .as_ref()
                    .or(a.korte_straatnaam.as_ref())
            })),
            nummeraanduiding: verblijf
                .and_then(|v| v.nummeraanduiding_identificatie.clone())
                .unwrap_or_default(),
            adresseerbaar_object: verblijf
                .and_then(|v| v.adresseerbaar_object_identificatie.clone())
                .unwrap_or_default(),
            overleden: self.is_overleden(),
        }
    }
}
