//! A deterministic synthetic population for the demo municipality.
//!
//! [`generate`] yields [`Persoon`]s household by household from one seeded random stream, so
//! the same [`PopulationSpec`] always gives the same persons, and a longer population starts
//! with the persons of a shorter one. Nothing is read from the clock: every date is relative
//! to [`PopulationSpec::today`]. Only one family cluster (a few households) is held at a time,
//! so a million persons stream through in a few seconds without the population in memory.
//!
//! # What the population looks like
//!
//! * Households: singles, couples, couples with children and single parents, plus elderly
//!   persons and couples whose grown-up children live in households of their own. Persons in
//!   one household share the address. Parents, children and partners name each other by BSN
//!   (both ways); every BSN a person refers to belongs to a person of the population. Adults
//!   whose parents are not in the population have their parents by name only, as the BRP
//!   often has them.
//! * Partnerships: marriages (H) and registered partnerships (P, from 1998), some dissolved
//!   by divorce; a widow(er) lists the late partner with the date of death as the end.
//!   Unmarried couples live together without a partner record.
//! * Names: Dutch first names by generation (some double), Dutch surnames with and without
//!   voorvoegsel, and a minority of Turkish, Moroccan, Surinamese, Polish, German and
//!   former-Yugoslav names with their diacritics (Çelik, Öztürk, Wójcik, Šimić, Müller ...).
//! * Addresses: 200 streets of the fictional town, postcodes 1990–1999 (each street its own
//!   postcodes, odd and even sides apart), house numbers with some huisletters and
//!   toevoegingen, and BAG-style identifications of 16 digits (gemeentecode, `01` or `20`,
//!   a 10-digit number).
//! * Shares: about 1% deceased (with overlijden and opschorting O; they keep their last
//!   address), 1% geheimhouding, 0.5% with data in onderzoek, 2% registered in another
//!   municipality (moved away), the rest in the demo municipality.
//! * Numbers: BSNs counted from 200000000 upwards (elfproef, never RvIG's 99999xxxx test
//!   range) and A-nummers from 2000000000 upwards, so both are unique. The counters number
//!   at least 40 million persons (about 50 million); a count beyond them ends early.
//!
//! # The fixture household
//!
//! Whatever the seed, the first three persons are one fixed family for end-to-end tests, at
//! Dorpsstraat 12, 1991AB in the demo woonplaats ([`FIXTURE_STRAAT`], [`FIXTURE_POSTCODE`],
//! [`FIXTURE_HUISNUMMER`]):
//!
//! | # | BSN | A-nummer | name | geslacht | born | notes |
//! |---|---|---|---|---|---|---|
//! | 1 | 199101206 | 1234567190 | Jeroen Willem van Oosterhout | M | 17 April 1982, demo gemeente | married to 2 on 8 June 2013 in the demo gemeente |
//! | 2 | 199101218 | 1234567230 | Noëlle Margriet Zwanenburg | V | 3 September 1984, Utrecht | **geheimhouding persoonsgegevens** |
//! | 3 | 199101231 | 1234567361 | Daan Jeroen van Oosterhout | M | 11 February 2016, demo gemeente | child of 2 (ouder 1) and 1 (ouder 2) |
//!
//! They live there since 1 May 2014 and are registered in the municipality since
//! 1 September 2010 (the child since birth). The surnames Oosterhout and Zwanenburg occur
//! nowhere else in the population. The dates are absolute, so the fixture makes sense for a
//! `today` after 2016.

use brp_domain::person::{
    ANummer, Bsn, Datum, Gebeurtenis, InOnderzoek, Kind, Naam, Nationaliteit, Ontbinding,
    OpschortingBijhouding, Ouder, Partner, Persoon, Verblijfadres, Verblijfplaats,
    VerblijfplaatsType, Waardetabel,
};
use chrono::{Datelike, NaiveDate, TimeDelta};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::ops::Range;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PopulationSpec {
    pub seed: u64,
    /// Number of persons to produce (exactly this many).
    pub count: usize,
    /// The demo municipality's gemeentecode, four digits, e.g. "1998".
    pub gemeente_code: String,
    /// e.g. "Voorbeeld".
    pub gemeente_naam: String,
    /// e.g. "Voorbeeld".
    pub woonplaats: String,
    /// Reference date: ages and dates are relative to it, the clock is never read.
    pub today: NaiveDate,
}

/// The fixture household's street (see the module documentation).
pub const FIXTURE_STRAAT: &str = "Dorpsstraat";
/// The fixture household's postcode.
pub const FIXTURE_POSTCODE: &str = "1991AB";
/// The fixture household's house number.
pub const FIXTURE_HUISNUMMER: u32 = 12;
/// Jeroen Willem van Oosterhout, the father; the first person yielded.
pub const FIXTURE_BSN_FATHER: &str = "199101206";
/// Noëlle Margriet Zwanenburg, the mother, with geheimhouding; the second person yielded.
pub const FIXTURE_BSN_MOTHER: &str = "199101218";
/// Daan Jeroen van Oosterhout, their son; the third person yielded.
pub const FIXTURE_BSN_CHILD: &str = "199101231";
/// The fixture's BSNs in the order the persons are yielded: father, mother, child.
pub const FIXTURE_BSNS: [&str; 3] = [FIXTURE_BSN_FATHER, FIXTURE_BSN_MOTHER, FIXTURE_BSN_CHILD];
/// The fixture's A-nummers in the same order.
pub const FIXTURE_A_NUMMERS: [&str; 3] = ["1234567190", "1234567230", "1234567361"];

/// Yields exactly `spec.count` persons, household by household, deterministic for
/// (seed, count, today, names). The first persons are the fixture household.
pub fn generate(spec: &PopulationSpec) -> impl Iterator<Item = Persoon> {
    Population::new(spec)
}

// ---------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------

/// First eight BSN digits the counter starts at. The fixture's BSNs lie below it.
const BSN_FIRST: u32 = 20_000_000;
/// Where the counter stops: RvIG's test range 999 99x xxx stays untouched.
const BSN_END: u32 = 99_990_000;
/// First nine A-nummer digits the counter starts at. The fixture's A-nummers lie below it.
const A_PREFIX_FIRST: u64 = 200_000_000;
const A_PREFIX_END: u64 = 1_000_000_000;
/// Persons the two counters are sure to number (about 51 million A-nummers and 72 million
/// BSNs lie in their ranges); the iterator's lower size bound never claims more.
const GUARANTEED_CAPACITY: usize = 40_000_000;

/// The A-nummer with these first nine digits, if the LO GBA rules let one exist: the tenth
/// digit is fixed by Σ dᵢ·2ⁱ ≡ 0 (mod 11), then the digit sum and the no-repeated-neighbour
/// rule decide. Checking a prefix at a time is what makes numbering a million persons cheap;
/// [`ANummer::next_after`] formats every candidate, and only one in 155 numbers is valid.
fn complete_a_nummer(prefix: u64) -> Option<u64> {
    let mut digits = [0u64; 9];
    let mut rest = prefix;
    for d in digits.iter_mut().rev() {
        *d = rest % 10;
        rest /= 10;
    }
    if rest != 0 || digits[0] == 0 || digits.windows(2).any(|w| w[0] == w[1]) {
        return None;
    }
    let sum: u64 = digits.iter().sum();
    let weighted: u64 = digits.iter().enumerate().map(|(i, &d)| d << i).sum();
    // The tenth digit weighs 2⁹ = 512 ≡ 6 (mod 11), and 6·2 ≡ 1, so it must be ≡ −2·weighted.
    let last = (11 - (2 * weighted) % 11) % 11;
    if last > 9 || last == digits[8] {
        return None;
    }
    let total = sum + last;
    (total.is_multiple_of(11) || total % 11 == 5).then_some(prefix * 10 + last)
}

// ---------------------------------------------------------------------------------------
// Reference tables
// ---------------------------------------------------------------------------------------

/// A code with its description, as in the LO GBA tables.
type Code = (&'static str, &'static str);
/// (voorvoegsel, geslachtsnaam); the voorvoegsel is "" when there is none.
type Surname = (&'static str, &'static str);

const NEDERLAND: Code = ("6030", "Nederland");
const NEDERLANDSE: Code = ("0001", "Nederlandse");
const REDEN_WET_1892: Code = ("001", "Wet op het Nederlanderschap 1892, art.1, lid 1a");
const REDEN_RWN_ART3: Code = (
    "017",
    "Rijkswet op het Nederlanderschap 1984, art. 3, lid 1",
);
const REDEN_NATURALISATIE: Code = ("027", "Rijkswet op het Nederlanderschap 1984, art. 7");
const REDEN_VREEMD: Code = ("301", "Vaststelling bezit vreemde nationaliteit");
const WOONADRES: Code = ("W", "woonadres");
const OVERLIJDEN: Code = ("O", "overlijden");

/// The keys of a Haal Centraal `Adres` group's inOnderzoek, all set when LO GBA category 08
/// as a whole is under investigation.
const ADRES_IN_ONDERZOEK: [&str; 5] = [
    "type",
    "datumVan",
    "adresseerbaarObjectIdentificatie",
    "nummeraanduidingIdentificatie",
    "functieAdres",
];

/// Another Dutch municipality: a birthplace, a place of marriage, or where someone who moved
/// away is registered now (with a plausible range of its postcodes).
#[derive(Debug)]
struct Gemeente {
    code: &'static str,
    naam: &'static str,
    postcodes: (u16, u16),
}

const GEMEENTEN: [Gemeente; 21] = [
    Gemeente {
        code: "0363",
        naam: "Amsterdam",
        postcodes: (1011, 1109),
    },
    Gemeente {
        code: "0599",
        naam: "Rotterdam",
        postcodes: (3011, 3089),
    },
    Gemeente {
        code: "0518",
        naam: "'s-Gravenhage",
        postcodes: (2491, 2597),
    },
    Gemeente {
        code: "0344",
        naam: "Utrecht",
        postcodes: (3511, 3585),
    },
    Gemeente {
        code: "0772",
        naam: "Eindhoven",
        postcodes: (5611, 5658),
    },
    Gemeente {
        code: "0014",
        naam: "Groningen",
        postcodes: (9711, 9747),
    },
    Gemeente {
        code: "0855",
        naam: "Tilburg",
        postcodes: (5011, 5049),
    },
    Gemeente {
        code: "0202",
        naam: "Arnhem",
        postcodes: (6811, 6846),
    },
    Gemeente {
        code: "0080",
        naam: "Leeuwarden",
        postcodes: (8911, 8941),
    },
    Gemeente {
        code: "0153",
        naam: "Enschede",
        postcodes: (7511, 7548),
    },
    Gemeente {
        code: "0193",
        naam: "Zwolle",
        postcodes: (8011, 8043),
    },
    Gemeente {
        code: "0200",
        naam: "Apeldoorn",
        postcodes: (7311, 7339),
    },
    Gemeente {
        code: "0268",
        naam: "Nijmegen",
        postcodes: (6511, 6546),
    },
    Gemeente {
        code: "0307",
        naam: "Amersfoort",
        postcodes: (3811, 3829),
    },
    Gemeente {
        code: "0361",
        naam: "Alkmaar",
        postcodes: (1811, 1834),
    },
    Gemeente {
        code: "0392",
        naam: "Haarlem",
        postcodes: (2011, 2037),
    },
    Gemeente {
        code: "0503",
        naam: "Delft",
        postcodes: (2611, 2629),
    },
    Gemeente {
        code: "0546",
        naam: "Leiden",
        postcodes: (2311, 2334),
    },
    Gemeente {
        code: "0758",
        naam: "Breda",
        postcodes: (4811, 4841),
    },
    Gemeente {
        code: "0796",
        naam: "'s-Hertogenbosch",
        postcodes: (5211, 5236),
    },
    Gemeente {
        code: "0935",
        naam: "Maastricht",
        postcodes: (6211, 6229),
    },
];
/// Utrecht, the fixture mother's birthplace.
const UTRECHT: &Gemeente = &GEMEENTEN[3];

/// The streets of the demo town: (officiële straatnaam, korte straatnaam when the official
/// name is longer than the 24 characters the BAG allows for the short one, else "").
/// Dorpsstraat must stay at index 1: the fixture address and its postcode 1991AB depend on it.
const STREETS: [(&str, &str); 200] = [
    ("Kerkstraat", ""),
    ("Dorpsstraat", ""),
    ("Molenweg", ""),
    ("Julianalaan", ""),
    ("Schoolstraat", ""),
    ("Stationsweg", ""),
    ("Wilhelminastraat", ""),
    ("Beatrixlaan", ""),
    ("Nieuwstraat", ""),
    ("Hoofdstraat", ""),
    ("Marktplein", ""),
    ("Molenstraat", ""),
    ("Kastanjelaan", ""),
    ("Eikenlaan", ""),
    ("Beukenlaan", ""),
    ("Lindenlaan", ""),
    ("Berkenlaan", ""),
    ("Esdoornlaan", ""),
    ("Populierenlaan", ""),
    ("Wilgenlaan", ""),
    ("Iepenlaan", ""),
    ("Acacialaan", ""),
    ("Meidoornstraat", ""),
    ("Vlierstraat", ""),
    ("Hazelaarstraat", ""),
    ("Rozenstraat", ""),
    ("Tulpstraat", ""),
    ("Narcisstraat", ""),
    ("Lelieweg", ""),
    ("Irisstraat", ""),
    ("Anjerstraat", ""),
    ("Violierstraat", ""),
    ("Seringenlaan", ""),
    ("Goudsbloemstraat", ""),
    ("Zonnebloemstraat", ""),
    ("Klaverweg", ""),
    ("Heidelaan", ""),
    ("Merelstraat", ""),
    ("Lijsterstraat", ""),
    ("Vinkenstraat", ""),
    ("Zwaluwstraat", ""),
    ("Spreeuwstraat", ""),
    ("Meeuwenlaan", ""),
    ("Reigerstraat", ""),
    ("Kievitstraat", ""),
    ("Eksterlaan", ""),
    ("Koekoekstraat", ""),
    ("Uilenstraat", ""),
    ("Valkenstraat", ""),
    ("Havikstraat", ""),
    ("Oranjestraat", ""),
    ("Prinsenstraat", ""),
    ("Koningsweg", ""),
    ("Emmastraat", ""),
    ("Prins Bernhardlaan", ""),
    ("Prinses Irenestraat", ""),
    ("Prinses Margrietlaan", ""),
    ("Prins Clauslaan", ""),
    ("Koningin Wilhelminalaan", ""),
    ("Koningin Julianaplein", ""),
    ("Willem de Zwijgerlaan", ""),
    ("Johan de Wittstraat", ""),
    ("Van Oldenbarneveltstraat", ""),
    ("Michiel de Ruyterstraat", ""),
    ("Piet Heinstraat", ""),
    ("Tromplaan", ""),
    ("Van Speijkstraat", ""),
    ("Karel Doormanlaan", ""),
    ("Rembrandtlaan", ""),
    ("Vermeerstraat", ""),
    ("Frans Halsstraat", ""),
    ("Jan Steenstraat", ""),
    ("Van Goghlaan", ""),
    ("Mondriaanstraat", ""),
    ("Jacob van Ruisdaelstraat", ""),
    ("Vondelstraat", ""),
    ("Bilderdijkstraat", ""),
    ("Multatulilaan", ""),
    ("Hooftstraat", ""),
    ("Brederostraat", ""),
    ("Huygensstraat", ""),
    ("Spinozastraat", ""),
    ("Erasmusweg", ""),
    ("Thorbeckestraat", ""),
    ("Schaepmanstraat", ""),
    ("Händelstraat", ""),
    ("Mozartlaan", ""),
    ("Beethovenstraat", ""),
    ("Chopinlaan", ""),
    ("Dvořáklaan", ""),
    ("Schubertstraat", ""),
    ("Bachstraat", ""),
    ("Sweelinckstraat", ""),
    ("Burgemeester de Withstraat", "Burg de Withstraat"),
    ("Burgemeester van Nispenstraat", "Burg van Nispenstraat"),
    ("Burgemeester Kasteleinweg", "Burg Kasteleinweg"),
    ("Dokter Schaepmanplein", ""),
    ("Professor Zernikelaan", ""),
    ("Pastoor van Arsstraat", ""),
    ("Generaal Urquhartlaan", ""),
    ("Sint Janstraat", ""),
    ("Sint Jorisstraat", ""),
    ("Kapelstraat", ""),
    ("Kloosterweg", ""),
    ("Pastoriestraat", ""),
    ("Kerkpad", ""),
    ("Kerkplein", ""),
    ("Raadhuisstraat", ""),
    ("Raadhuisplein", ""),
    ("Brink", ""),
    ("Voorstraat", ""),
    ("Achterstraat", ""),
    ("Zuidstraat", ""),
    ("Noordstraat", ""),
    ("Oosteinde", ""),
    ("Westeinde", ""),
    ("Middenweg", ""),
    ("Dijkweg", ""),
    ("Zeedijk", ""),
    ("Havenstraat", ""),
    ("Havenkade", ""),
    ("Veerweg", ""),
    ("Sluisweg", ""),
    ("Brugstraat", ""),
    ("Slotlaan", ""),
    ("Kasteellaan", ""),
    ("Parklaan", ""),
    ("Plantsoen", ""),
    ("Boslaan", ""),
    ("Bosweg", ""),
    ("Heideweg", ""),
    ("Veldweg", ""),
    ("Akkerweg", ""),
    ("Weidelaan", ""),
    ("Polderweg", ""),
    ("Molenvliet", ""),
    ("Vaartweg", ""),
    ("Zandweg", ""),
    ("Steenweg", ""),
    ("Laan van Meerdervoort", ""),
    ("Laan van Vollenhove", ""),
    ("Laan der Verenigde Naties", "Ln der Verenigde Naties"),
    ("Europaweg", ""),
    ("Industrieweg", ""),
    ("Ambachtsweg", ""),
    ("Nijverheidsweg", ""),
    ("Handelsweg", ""),
    ("Fabriekstraat", ""),
    ("Smidsweg", ""),
    ("Bakkerstraat", ""),
    ("Kuiperstraat", ""),
    ("Weverstraat", ""),
    ("Timmermanstraat", ""),
    ("Ververstraat", ""),
    ("Spoorstraat", ""),
    ("Stationsplein", ""),
    ("Tramweg", ""),
    ("Postweg", ""),
    ("Oude Gracht", ""),
    ("Nieuwe Gracht", ""),
    ("Singel", ""),
    ("Oude Singel", ""),
    ("Lange Nieuwstraat", ""),
    ("Korte Nieuwstraat", ""),
    ("Lange Kerkstraat", ""),
    ("Korte Kerkstraat", ""),
    ("Hogeweg", ""),
    ("Lageweg", ""),
    ("Hoge Rijndijk", ""),
    ("Rijnstraat", ""),
    ("Maasstraat", ""),
    ("Waalstraat", ""),
    ("IJsselstraat", ""),
    ("Amstelstraat", ""),
    ("Vechtstraat", ""),
    ("Dommelstraat", ""),
    ("Scheldestraat", ""),
    ("Lekstraat", ""),
    ("Lingestraat", ""),
    ("Brabantlaan", ""),
    ("Limburglaan", ""),
    ("Friesestraat", ""),
    ("Zeeuwsestraat", ""),
    ("Drentsestraat", ""),
    ("Hollandselaan", ""),
    ("Duinweg", ""),
    ("Strandweg", ""),
    ("Zeeweg", ""),
    ("Watermolen", ""),
    ("Koornmarkt", ""),
    ("Vismarkt", ""),
    ("Boterstraat", ""),
    ("Kaasmarkt", ""),
    ("Tuinstraat", ""),
    ("Bloemstraat", ""),
    ("Appelgaard", ""),
    ("Perenlaan", ""),
    ("Kersenlaan", ""),
    ("Pruimenlaan", ""),
    ("Notenlaan", ""),
];
const FIXTURE_STREET_INDEX: usize = 1;

/// Postcodes of one street: 33 letter pairs, so 200 streets over ten numeric parts use at
/// most 20 × 33 = 660 of the 673 pairs.
const POSTCODES_PER_STREET: usize = 33;
/// The letter pairs SA, SD and SS are not used in Dutch postcodes (AA = 0, ZZ = 675).
const UNUSED_LETTER_PAIRS: [usize; 3] = [18 * 26, 18 * 26 + 3, 18 * 26 + 18];
const LETTER_PAIRS: usize = 26 * 26 - UNUSED_LETTER_PAIRS.len();

/// (huisletter, huisnummertoevoeging) of the dwellings behind one house number.
type Unit = (Option<&'static str>, Option<&'static str>);
const SINGLE: &[Unit] = &[(None, None)];
const LETTERED: &[Unit] = &[(Some("A"), None), (Some("B"), None)];
const BIS: &[Unit] = &[(None, None), (None, Some("bis"))];
const FLOORS: &[Unit] = &[
    (None, Some("hs")),
    (None, Some("1")),
    (None, Some("2")),
    (None, Some("3")),
];
const ROMAN_FLOORS: &[Unit] = &[(None, Some("I")), (None, Some("II")), (None, Some("III"))];

/// The dwellings at one house number. A fixed hash of the address rather than the random
/// stream, so the town looks the same for every seed.
fn layout(street: usize, huisnummer: u32) -> &'static [Unit] {
    if street == FIXTURE_STREET_INDEX && huisnummer == FIXTURE_HUISNUMMER {
        return SINGLE;
    }
    match splitmix64(((street as u64) << 32) | u64::from(huisnummer)) % 100 {
        0..=84 => SINGLE,
        85..=90 => LETTERED,
        91..=92 => BIS,
        93..=96 => FLOORS,
        _ => ROMAN_FLOORS,
    }
}

/// The house number of a street's `building`-th occupied building. Buildings fill each
/// block of 64 numbers in a scattered order that differs per street, so a small population
/// does not live at the first numbers of every street only. Stepping by 37, coprime with
/// 64, uses every number of the block once.
fn huisnummer_of(street: usize, building: u32) -> u32 {
    let rotation = (street as u32 % 64) * 23;
    (building / 64) * 64 + ((building % 64) * 37 + rotation) % 64 + 1
}

/// SplitMix64's finaliser: a fixed, well-spread hash for the town's layout.
fn splitmix64(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn postcode(numeric: usize, letter_pair: usize) -> String {
    let mut raw = letter_pair % LETTER_PAIRS;
    for unused in UNUSED_LETTER_PAIRS {
        if raw >= unused {
            raw += 1;
        }
    }
    let letter = |i: usize| char::from(b'A' + (i % 26) as u8);
    format!("{numeric:04}{}{}", letter(raw / 26), letter(raw % 26))
}

/// A street's postcode for a house number: numeric part 1990–1999 by street, then a letter
/// pair per hundred numbers and side of the street.
fn home_postcode(street: usize, huisnummer: u32) -> String {
    let block = (huisnummer.saturating_sub(1) / 100) as usize;
    let side = usize::from(huisnummer.is_multiple_of(2));
    let segment = (block * 2 + side).min(POSTCODES_PER_STREET - 1);
    postcode(
        1990 + street % 10,
        (street / 10) * POSTCODES_PER_STREET + segment,
    )
}

fn home_address(street: usize, huisnummer: u32, unit: usize) -> Address {
    let (huisletter, toevoeging) = layout(street, huisnummer)
        .get(unit)
        .copied()
        .unwrap_or((None, None));
    Address {
        street,
        huisnummer,
        huisletter,
        toevoeging,
        postcode: home_postcode(street, huisnummer),
        // Unique per dwelling: street, number and unit each have their own digits.
        bag_number: (street as u64 + 1) * 10_000_000 + u64::from(huisnummer) * 8 + unit as u64,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    Dutch,
    Turkish,
    Moroccan,
    Surinamese,
    Polish,
    German,
    Yugoslav,
}

/// Names and codes of persons of one origin (Dutch first names go by generation instead).
struct OriginData {
    male: &'static [&'static str],
    female: &'static [&'static str],
    surnames: &'static [Surname],
    nationaliteit: Code,
    geboorteland: Code,
    /// The year migration from there began (guest workers from 1964, Poles with the EU's
    /// enlargement in 2004): nobody of this origin came earlier or was born here earlier.
    migration_since: i32,
    naturalisation_share: f64,
}

impl Origin {
    /// (origin, weight in per mille) of the household's first person.
    const WEIGHTS: [(Origin, u32); 7] = [
        (Origin::Dutch, 780),
        (Origin::Turkish, 50),
        (Origin::Moroccan, 50),
        (Origin::Surinamese, 40),
        (Origin::Polish, 35),
        (Origin::German, 25),
        (Origin::Yugoslav, 20),
    ];

    fn data(self) -> &'static OriginData {
        match self {
            Origin::Dutch => &DUTCH,
            Origin::Turkish => &TURKISH,
            Origin::Moroccan => &MOROCCAN,
            Origin::Surinamese => &SURINAMESE,
            Origin::Polish => &POLISH,
            Origin::German => &GERMAN,
            Origin::Yugoslav => &YUGOSLAV,
        }
    }

    /// The foreign nationality; former Yugoslavs are Bosnian or Croatian by the roll.
    fn nationaliteit(self, roll: u32) -> Code {
        match self {
            Origin::Yugoslav if roll & 1 == 1 => ("0043", "Kroatische"),
            _ => self.data().nationaliteit,
        }
    }

    fn geboorteland(self, year: i32, roll: u32) -> Code {
        match self {
            Origin::Yugoslav if year < 1992 => ("6045", "Joegoslavië"),
            Origin::Yugoslav if roll & 1 == 1 => ("5051", "Kroatië"),
            _ => self.data().geboorteland,
        }
    }
}

const DUTCH: OriginData = OriginData {
    male: MIDDLE_MALE,
    female: MIDDLE_FEMALE,
    surnames: DUTCH_SURNAMES,
    nationaliteit: NEDERLANDSE,
    geboorteland: NEDERLAND,
    migration_since: 1800,
    naturalisation_share: 0.0,
};

const TURKISH: OriginData = OriginData {
    male: &[
        "Mehmet", "Mustafa", "Ahmet", "Ali", "Hüseyin", "Hasan", "Emre", "Burak", "Murat", "Yusuf",
        "Ömer", "Kerem", "Enes", "Furkan", "Oğuz",
    ],
    female: &[
        "Ayşe", "Fatma", "Emine", "Zeynep", "Elif", "Büşra", "Özlem", "Gül", "Hatice", "Merve",
        "Esra", "Derya", "Sevgi", "Meryem", "Gülşen",
    ],
    surnames: &[
        ("", "Yılmaz"),
        ("", "Kaya"),
        ("", "Demir"),
        ("", "Şahin"),
        ("", "Çelik"),
        ("", "Yıldız"),
        ("", "Yıldırım"),
        ("", "Öztürk"),
        ("", "Aydın"),
        ("", "Özdemir"),
        ("", "Arslan"),
        ("", "Doğan"),
        ("", "Kılıç"),
        ("", "Aslan"),
        ("", "Çetin"),
        ("", "Kara"),
        ("", "Koç"),
        ("", "Kurt"),
        ("", "Özkan"),
        ("", "Şimşek"),
        ("", "Polat"),
        ("", "Erdoğan"),
        ("", "Güneş"),
        ("", "Aksoy"),
        ("", "Tekin"),
    ],
    nationaliteit: ("0339", "Turkse"),
    geboorteland: ("6043", "Turkije"),
    migration_since: 1964,
    naturalisation_share: 0.5,
};

const MOROCCAN: OriginData = OriginData {
    male: &[
        "Mohamed",
        "Ahmed",
        "Youssef",
        "Said",
        "Karim",
        "Mustapha",
        "Hamza",
        "Bilal",
        "Ayoub",
        "Rachid",
        "Abdelkader",
        "Mohammed",
        "Anouar",
        "Ismail",
        "Nordin",
    ],
    female: &[
        "Fatima", "Khadija", "Nadia", "Samira", "Naima", "Soumaya", "Yasmina", "Hanan", "Malika",
        "Aicha", "Imane", "Salma", "Ikram", "Rachida", "Zineb",
    ],
    surnames: &[
        ("", "El Amrani"),
        ("", "Bouzid"),
        ("", "El Idrissi"),
        ("", "Benali"),
        ("", "Azzouzi"),
        ("", "El Khatib"),
        ("", "Amrani"),
        ("", "Tahiri"),
        ("", "Haddouchi"),
        ("", "Boukhari"),
        ("", "Ait Taleb"),
        ("", "El Hamdaoui"),
        ("", "Bakkali"),
        ("", "Ouali"),
        ("", "Zaoui"),
        ("", "Chaouch"),
        ("", "El Ouazzani"),
        ("", "Belhaj"),
    ],
    nationaliteit: ("0131", "Marokkaanse"),
    geboorteland: ("5022", "Marokko"),
    migration_since: 1965,
    naturalisation_share: 0.55,
};

const SURINAMESE: OriginData = OriginData {
    male: &[
        "Rakesh", "Anil", "Ravi", "Dwight", "Romano", "Sunil", "Glenn", "Marvin", "Kenneth",
        "Ashwin", "Ricardo", "Navin",
    ],
    female: &[
        "Sharon",
        "Priya",
        "Anjali",
        "Shanti",
        "Chantal",
        "Sandhya",
        "Ghislaine",
        "Rosita",
        "Natasja",
        "Kavita",
        "Shirley",
        "Reshma",
    ],
    surnames: &[
        ("", "Ramdin"),
        ("", "Jagessar"),
        ("", "Sital"),
        ("", "Mahabier"),
        ("", "Ramsaran"),
        ("", "Doelwijt"),
        ("", "Pinas"),
        ("", "Kartodikromo"),
        ("", "Soekhlal"),
        ("", "Bhola"),
        ("", "Ramcharan"),
        ("", "Biharie"),
        ("", "Wijngaarde"),
        ("", "Lachman"),
        ("", "Sewdien"),
        ("", "Ramautar"),
    ],
    nationaliteit: ("0263", "Surinaamse"),
    geboorteland: ("5007", "Suriname"),
    migration_since: 1955,
    naturalisation_share: 0.6,
};

const POLISH: OriginData = OriginData {
    male: &[
        "Piotr",
        "Krzysztof",
        "Tomasz",
        "Paweł",
        "Łukasz",
        "Michał",
        "Marcin",
        "Jakub",
        "Andrzej",
        "Grzegorz",
    ],
    female: &[
        "Agnieszka",
        "Katarzyna",
        "Małgorzata",
        "Joanna",
        "Magdalena",
        "Anna",
        "Ewa",
        "Monika",
        "Dorota",
        "Żaneta",
    ],
    // Only surnames without a feminine form, so a family shares one.
    surnames: &[
        ("", "Nowak"),
        ("", "Wójcik"),
        ("", "Kowalczyk"),
        ("", "Woźniak"),
        ("", "Mazur"),
        ("", "Krawczyk"),
        ("", "Kaczmarek"),
        ("", "Pawlak"),
        ("", "Michalak"),
        ("", "Król"),
        ("", "Wróbel"),
        ("", "Dudek"),
        ("", "Zając"),
        ("", "Sikora"),
        ("", "Wieczorek"),
    ],
    nationaliteit: ("0072", "Poolse"),
    geboorteland: ("7028", "Polen"),
    migration_since: 2004,
    naturalisation_share: 0.1,
};

const GERMAN: OriginData = OriginData {
    male: &[
        "Jürgen",
        "Klaus",
        "Stefan",
        "Thomas",
        "Andreas",
        "Michael",
        "Uwe",
        "Jörg",
        "Matthias",
        "Sebastian",
    ],
    female: &[
        "Ursula", "Sabine", "Petra", "Birgit", "Katrin", "Jutta", "Anja", "Bärbel", "Susanne",
        "Lena",
    ],
    surnames: &[
        ("", "Müller"),
        ("", "Schmidt"),
        ("", "Schneider"),
        ("", "Fischer"),
        ("", "Weber"),
        ("", "Wagner"),
        ("", "Becker"),
        ("", "Schulz"),
        ("", "Hoffmann"),
        ("", "Schäfer"),
        ("", "Krüger"),
        ("", "Schröder"),
        ("", "Weiß"),
        ("", "Köhler"),
    ],
    nationaliteit: ("0055", "Burger van de Bondsrepubliek Duitsland"),
    geboorteland: ("9089", "Bondsrepubliek Duitsland"),
    migration_since: 1900,
    naturalisation_share: 0.1,
};

const YUGOSLAV: OriginData = OriginData {
    male: &[
        "Ivan", "Marko", "Goran", "Dragan", "Amir", "Zoran", "Nenad", "Dejan", "Emir", "Admir",
    ],
    female: &[
        "Ana", "Ivana", "Mirela", "Jasmina", "Snežana", "Amra", "Lejla", "Jelena", "Maja", "Vesna",
    ],
    surnames: &[
        ("", "Šimić"),
        ("", "Horvat"),
        ("", "Kovačević"),
        ("", "Babić"),
        ("", "Marić"),
        ("", "Jurić"),
        ("", "Petrović"),
        ("", "Nikolić"),
        ("", "Hodžić"),
        ("", "Begić"),
        ("", "Delić"),
        ("", "Knežević"),
        ("", "Đurić"),
    ],
    nationaliteit: ("0029", "Burger van Bosnië-Herzegovina"),
    geboorteland: ("6065", "Bosnië-Herzegovina"),
    migration_since: 1966,
    naturalisation_share: 0.5,
};

/// Frequent Dutch surnames. Oosterhout and Zwanenburg are kept out: the fixture has them.
const DUTCH_SURNAMES: &[Surname] = &[
    ("", "Jansen"),
    ("de", "Jong"),
    ("de", "Vries"),
    ("van den", "Berg"),
    ("van", "Dijk"),
    ("", "Bakker"),
    ("", "Janssen"),
    ("", "Visser"),
    ("", "Smit"),
    ("", "Meijer"),
    ("de", "Boer"),
    ("", "Mulder"),
    ("de", "Groot"),
    ("", "Bos"),
    ("", "Vos"),
    ("", "Peters"),
    ("", "Hendriks"),
    ("van", "Leeuwen"),
    ("", "Dekker"),
    ("", "Brouwer"),
    ("de", "Wit"),
    ("", "Dijkstra"),
    ("", "Smits"),
    ("de", "Graaf"),
    ("van der", "Meer"),
    ("van der", "Linden"),
    ("", "Kok"),
    ("", "Jacobs"),
    ("de", "Haan"),
    ("", "Vermeulen"),
    ("van den", "Heuvel"),
    ("van der", "Veen"),
    ("van den", "Broek"),
    ("de", "Bruijn"),
    ("de", "Bruin"),
    ("van der", "Heijden"),
    ("", "Schouten"),
    ("van", "Beek"),
    ("", "Willems"),
    ("van", "Vliet"),
    ("van de", "Ven"),
    ("", "Hoekstra"),
    ("", "Maas"),
    ("", "Verhoeven"),
    ("", "Koster"),
    ("van", "Dam"),
    ("van der", "Wal"),
    ("", "Prins"),
    ("", "Blom"),
    ("", "Huisman"),
    ("", "Peeters"),
    ("de", "Jonge"),
    ("van", "Wijk"),
    ("", "Post"),
    ("", "Kuiper"),
    ("", "Veenstra"),
    ("", "Kramer"),
    ("van den", "Brink"),
    ("", "Scholten"),
    ("van", "Wijngaarden"),
    ("", "Postma"),
    ("", "Martens"),
    ("", "Vink"),
    ("de", "Ruiter"),
    ("", "Timmermans"),
    ("", "Groen"),
    ("", "Gerritsen"),
    ("", "Jonker"),
    ("van", "Loon"),
    ("van der", "Velde"),
    ("", "Willemsen"),
    ("", "Smeets"),
    ("de", "Lange"),
    ("", "Bosch"),
    ("van", "Dongen"),
    ("", "Schipper"),
    ("de", "Koning"),
    ("van der", "Laan"),
    ("", "Driessen"),
    ("van", "Doorn"),
    ("", "Hermans"),
    ("", "Evers"),
    ("van den", "Bosch"),
    ("van der", "Meulen"),
    ("", "Hofman"),
    ("", "Bosman"),
    ("", "Wolters"),
    ("", "Sanders"),
    ("van der", "Horst"),
    ("", "Mol"),
    ("", "Kuipers"),
    ("van", "Veen"),
    ("", "Brands"),
    ("ter", "Horst"),
    ("in 't", "Veld"),
    ("van 't", "Hof"),
    ("ten", "Brink"),
    ("op de", "Beek"),
    ("van", "Rooij"),
    ("van", "Rijn"),
    ("", "Verbeek"),
    ("", "Wouters"),
    ("", "Lammers"),
    ("", "Hoogendoorn"),
    ("", "Zijlstra"),
    ("van", "Houten"),
    ("van 't", "Zand"),
    ("uit den", "Bogaard"),
    ("van", "Ommen"),
    ("", "Brinkman"),
    ("", "Wessels"),
    ("", "Claassen"),
    ("", "Jongsma"),
    ("", "Koopman"),
    ("", "Schaap"),
    ("", "Veldman"),
    ("ten", "Cate"),
    ("", "Bouwman"),
    ("", "Stam"),
    ("van", "Egmond"),
    ("", "Leenders"),
    ("", "Aarts"),
    ("", "Goossens"),
    ("", "Zwart"),
];

/// Dutch first names of persons born before 1960; also the second names of all generations.
const CLASSIC_MALE: &[&str] = &[
    "Johannes",
    "Cornelis",
    "Hendrik",
    "Jacobus",
    "Willem",
    "Petrus",
    "Gerrit",
    "Jan",
    "Pieter",
    "Adrianus",
    "Theodorus",
    "Antonius",
    "Franciscus",
    "Hendrikus",
    "Gerardus",
    "Wilhelmus",
    "Dirk",
    "Klaas",
    "Arie",
    "Henk",
    "Kees",
    "Wim",
    "Gerard",
    "Bernardus",
    "Johan",
    "Albert",
    "Hans",
    "Frans",
    "Piet",
    "Leendert",
];
const CLASSIC_FEMALE: &[&str] = &[
    "Maria",
    "Johanna",
    "Cornelia",
    "Anna",
    "Hendrika",
    "Elisabeth",
    "Catharina",
    "Wilhelmina",
    "Adriana",
    "Geertruida",
    "Jacoba",
    "Petronella",
    "Margaretha",
    "Aaltje",
    "Grietje",
    "Neeltje",
    "Alida",
    "Gerda",
    "Ria",
    "Truus",
    "Annie",
    "Joke",
    "Trijntje",
    "Tineke",
    "Riet",
    "Ans",
    "Els",
    "Gerritje",
    "Dina",
    "Hélène",
];
const MIDDLE_MALE: &[&str] = &[
    "Peter", "Mark", "Martijn", "Jeroen", "Erik", "Marco", "Dennis", "Robert", "Michiel", "Bas",
    "Sander", "Arjen", "Ronald", "Richard", "Patrick", "Vincent", "Rob", "Paul", "Frank", "Edwin",
    "Marcel", "René", "Remco", "Wouter", "Joost", "Niels", "Maarten", "Bart", "Rick", "Jasper",
];
const MIDDLE_FEMALE: &[&str] = &[
    "Linda",
    "Sandra",
    "Monique",
    "Marieke",
    "Esther",
    "Ingrid",
    "Petra",
    "Marjolein",
    "Anouk",
    "Wendy",
    "Mirjam",
    "Saskia",
    "Ilse",
    "Karin",
    "Annemarie",
    "Femke",
    "Jolanda",
    "Daniëlle",
    "Chantal",
    "Mariëlle",
    "Judith",
    "Natasja",
    "Kim",
    "Nicole",
    "Astrid",
    "Ellen",
    "Bianca",
    "Miranda",
    "Inge",
    "Renée",
];
const MODERN_MALE: &[&str] = &[
    "Daan", "Sem", "Lucas", "Levi", "Finn", "Milan", "Noah", "Luuk", "Jesse", "Thijs", "Bram",
    "Lars", "Ruben", "Stijn", "Tim", "Sven", "Liam", "Mees", "Jens", "Thomas", "Max", "Jayden",
    "Julian", "Gijs", "Siem", "Teun", "Olivier", "Noud", "Boaz", "Joël",
];
const MODERN_FEMALE: &[&str] = &[
    "Emma", "Julia", "Tess", "Sophie", "Zoë", "Mila", "Sara", "Eva", "Lotte", "Fleur", "Noor",
    "Lisa", "Isa", "Saar", "Nina", "Evi", "Roos", "Lieke", "Chloë", "Fenna", "Anna", "Sanne",
    "Yara", "Nora", "Liv", "Maud", "Floor", "Jasmijn", "Lynn", "Noa",
];

// ---------------------------------------------------------------------------------------
// Time
// ---------------------------------------------------------------------------------------

/// Days in `n` years, leap days included on average.
const fn years(n: i64) -> i64 {
    n * 365 + n / 4
}

/// Dates are held as days before `today` while a cluster is built ("ago": larger is
/// earlier), which keeps the arithmetic of ages and orderings simple and total.
struct Context {
    today: NaiveDate,
    gemeente_code: String,
    gemeente: Waardetabel,
    woonplaats: String,
    /// 1 October 1994, the start of the GBA.
    gba_start_ago: i64,
    /// 1 January 1985, when the Rijkswet op het Nederlanderschap replaced the 1892 law.
    rwn_ago: i64,
    /// 1 January 1998, the first registered partnerships.
    partnerschap_ago: i64,
    /// 1 April 2001, the first marriages of two men or two women.
    same_sex_marriage_ago: i64,
    /// 25 November 1975, Surinamese independence: who came before arrived as a Dutchman.
    suriname_ago: i64,
}

impl Context {
    fn ago_of(&self, year: i32, month: u32, day: u32) -> i64 {
        NaiveDate::from_ymd_opt(year, month, day)
            .map(|date| (self.today - date).num_days())
            .unwrap_or(0)
    }

    fn date(&self, ago: i64) -> NaiveDate {
        self.today
            .checked_sub_signed(TimeDelta::days(ago))
            .unwrap_or(self.today)
    }

    fn datum(&self, ago: i64) -> Datum {
        Datum::Volledig(self.date(ago))
    }

    fn year(&self, ago: i64) -> i32 {
        self.date(ago).year()
    }

    fn event(&self, ago: i64, place: Place) -> Gebeurtenis {
        let (plaats, land) = match place {
            Place::Home => (Some(self.gemeente.clone()), NEDERLAND),
            Place::Dutch(g) => (Some(Waardetabel::new(g.code, g.naam)), NEDERLAND),
            // A place abroad is free text without a code, which Waardetabel cannot hold
            // without an empty code; the country says enough here.
            Place::Abroad(land) => (None, land),
        };
        Gebeurtenis {
            datum: Some(self.datum(ago)),
            land: Some(code(land)),
            plaats,
            in_onderzoek: None,
        }
    }
}

fn code((code, omschrijving): Code) -> Waardetabel {
    Waardetabel::new(code, omschrijving)
}

// ---------------------------------------------------------------------------------------
// A family cluster under construction
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sex {
    Man,
    Vrouw,
    Onbekend,
}

impl Sex {
    /// The other sex of a couple (a man for a person of unknown sex).
    fn other(self) -> Sex {
        match self {
            Sex::Man => Sex::Vrouw,
            Sex::Vrouw | Sex::Onbekend => Sex::Man,
        }
    }

    fn geslacht(self) -> Waardetabel {
        code(match self {
            Sex::Man => ("M", "man"),
            Sex::Vrouw => ("V", "vrouw"),
            Sex::Onbekend => ("O", "onbekend"),
        })
    }
}

#[derive(Debug, Clone, Copy)]
enum Place {
    /// The demo municipality.
    Home,
    Dutch(&'static Gemeente),
    Abroad(Code),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Naamgebruik {
    Eigen,
    PartnerNaEigen,
    Partner,
    PartnerVoorEigen,
}

impl Naamgebruik {
    fn waardetabel(self) -> Waardetabel {
        code(match self {
            Naamgebruik::Eigen => ("E", "eigen geslachtsnaam"),
            Naamgebruik::PartnerNaEigen => (
                "N",
                "geslachtsnaam echtgenoot/geregistreerd partner na eigen geslachtsnaam",
            ),
            Naamgebruik::Partner => ("P", "geslachtsnaam echtgenoot/geregistreerd partner"),
            Naamgebruik::PartnerVoorEigen => (
                "V",
                "geslachtsnaam echtgenoot/geregistreerd partner voor eigen geslachtsnaam",
            ),
        })
    }
}

/// Which group of a person is under investigation.
#[derive(Debug, Clone, Copy)]
enum Onderzoek {
    Geslachtsnaam,
    Voornamen,
    Geboortedatum,
    Adres,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Nederlanderschap {
    None,
    ByBirth,
    /// Naturalised this many days ago.
    Naturalised(i64),
}

/// A parent known by name only (not in the population).
#[derive(Debug, Clone, Copy)]
struct NamedParent {
    voornaam: &'static str,
    surname: Surname,
}

#[derive(Debug)]
struct Member {
    /// Preset for the fixture; everyone else is numbered once the cluster is complete.
    ids: Option<(Bsn, ANummer)>,
    sex: Sex,
    voornamen: String,
    surname: Surname,
    origin: Origin,
    household: usize,
    born_ago: i64,
    birthplace: Place,
    /// When the person came to the Netherlands: the birth for those born here.
    arrived_ago: i64,
    /// Ouder 1 (the mother) and ouder 2 (the father), when they are in the cluster.
    parents: [Option<usize>; 2],
    /// Mother and father by name, for adults whose parents are not in the population.
    named_parents: Option<[NamedParent; 2]>,
    died_ago: Option<i64>,
    geheim: bool,
    onderzoek: Option<(Onderzoek, i64)>,
    naamgebruik: Naamgebruik,
    nederlanderschap: Nederlanderschap,
    /// The foreign nationality held (besides or instead of the Dutch one).
    foreign: Option<Code>,
    /// Random bits for decisions taken after the person was drawn (nationality of a child,
    /// country of birth), so that settling never draws from the stream.
    roll: u32,
}

#[derive(Debug, Clone)]
struct Address {
    street: usize,
    huisnummer: u32,
    huisletter: Option<&'static str>,
    toevoeging: Option<&'static str>,
    postcode: String,
    /// The 10-digit part of the BAG identifications.
    bag_number: u64,
}

#[derive(Debug)]
struct Household {
    address: Address,
    /// `None` for the demo municipality.
    gemeente: Option<&'static Gemeente>,
    moved_in_ago: i64,
    /// Since when the household lives in this municipality (moved in at this address or
    /// earlier elsewhere in town).
    town_since_ago: i64,
    /// The earliest the household can have moved in, in days ago: a partner who left after
    /// a divorce moved in after it.
    move_not_before_ago: i64,
}

#[derive(Debug)]
struct Partnership {
    a: usize,
    b: usize,
    soort: Code,
    since_ago: i64,
    place: Place,
    divorced_ago: Option<i64>,
}

#[derive(Debug, Default)]
struct Cluster {
    members: Vec<Member>,
    households: Vec<Household>,
    partnerships: Vec<Partnership>,
}

impl Cluster {
    fn clear(&mut self) {
        self.members.clear();
        self.households.clear();
        self.partnerships.clear();
    }
}

/// The next free dwelling of a street: which of its buildings in the order of
/// [`huisnummer_of`], and the unit in it.
#[derive(Debug, Clone, Copy)]
struct StreetCursor {
    building: u32,
    unit: usize,
}

// ---------------------------------------------------------------------------------------
// The generator
// ---------------------------------------------------------------------------------------

const GEHEIM_SHARE: f64 = 0.01;
const ONDERZOEK_SHARE: f64 = 0.005;
/// Chance that a household of a given kind lives in another municipality: a divorced
/// partner or a grown-up child has often moved further away.
const AWAY_SHARE: f64 = 0.008;
const AWAY_SHARE_EX: f64 = 0.12;
const AWAY_SHARE_GROWN_CHILD: f64 = 0.04;

struct Population {
    rng: StdRng,
    ctx: Context,
    /// Persons still to be produced beyond the current cluster.
    remaining: usize,
    fixture_pending: bool,
    cluster: Cluster,
    /// The numbers of the cluster's members.
    ids: Vec<(Bsn, ANummer)>,
    /// How many of the cluster's members are produced, and how many of those were yielded.
    produced: usize,
    yielded: usize,
    /// The cluster's names as relations carry them, made once for all who refer to them.
    related_names: Vec<Naam>,
    next_bsn: u32,
    next_a_prefix: u64,
    cursors: Vec<StreetCursor>,
    home_households: usize,
}

impl Population {
    fn new(spec: &PopulationSpec) -> Self {
        let mut ctx = Context {
            today: spec.today,
            gemeente_code: spec.gemeente_code.clone(),
            gemeente: Waardetabel::new(spec.gemeente_code.clone(), spec.gemeente_naam.clone()),
            woonplaats: spec.woonplaats.clone(),
            gba_start_ago: 0,
            rwn_ago: 0,
            partnerschap_ago: 0,
            same_sex_marriage_ago: 0,
            suriname_ago: 0,
        };
        ctx.gba_start_ago = ctx.ago_of(1994, 10, 1);
        ctx.rwn_ago = ctx.ago_of(1985, 1, 1);
        ctx.partnerschap_ago = ctx.ago_of(1998, 1, 1);
        ctx.same_sex_marriage_ago = ctx.ago_of(2001, 4, 1);
        ctx.suriname_ago = ctx.ago_of(1975, 11, 25);
        Population {
            rng: StdRng::seed_from_u64(spec.seed),
            ctx,
            remaining: spec.count,
            fixture_pending: true,
            cluster: Cluster::default(),
            ids: Vec::new(),
            produced: 0,
            yielded: 0,
            related_names: Vec::new(),
            next_bsn: BSN_FIRST,
            next_a_prefix: A_PREFIX_FIRST,
            cursors: vec![
                StreetCursor {
                    building: 0,
                    unit: 0
                };
                STREETS.len()
            ],
            home_households: 0,
        }
    }

    // --- random helpers -----------------------------------------------------------------

    /// A uniform value in `lo..=hi`; `lo` when the range is empty (and nothing is drawn, which
    /// is as deterministic as drawing).
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            lo
        } else {
            self.rng.gen_range(lo..=hi)
        }
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.gen_bool(p)
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.rng.gen_range(0..items.len())]
    }

    /// An age in days, uniform over the years `lo..=hi`.
    fn age_years(&mut self, lo: i64, hi: i64) -> i64 {
        self.between(years(lo), years(hi + 1) - 1)
    }

    /// 65 to 102, ever fewer with every year: the top of the population pyramid.
    fn elderly_age(&mut self) -> i64 {
        let u: f64 = self.rng.gen();
        let age = 65.0 + 37.0 * (1.0 - u.sqrt());
        (age * 365.25) as i64
    }

    fn man_or_woman(&mut self, man_share: f64) -> Sex {
        if self.chance(man_share) {
            Sex::Man
        } else {
            Sex::Vrouw
        }
    }

    fn origin(&mut self) -> Origin {
        let mut n = self.rng.gen_range(0..1000);
        for (origin, weight) in Origin::WEIGHTS {
            if n < weight {
                return origin;
            }
            n -= weight;
        }
        Origin::Dutch
    }

    fn partner_origin(&mut self, origin: Origin) -> Origin {
        let same = if origin == Origin::Dutch { 0.93 } else { 0.8 };
        if self.chance(same) {
            origin
        } else if origin == Origin::Dutch {
            self.origin()
        } else {
            Origin::Dutch
        }
    }

    /// A partner's age: men a little older on average.
    fn partner_age(&mut self, age: i64, partner_sex: Sex) -> i64 {
        let shift = match partner_sex {
            Sex::Man => self.between(-years(2), years(6)),
            Sex::Vrouw => self.between(-years(6), years(2)),
            Sex::Onbekend => self.between(-years(4), years(4)),
        };
        (age + shift).max(years(19))
    }

    fn surname(&mut self, origin: Origin) -> Surname {
        self.pick(origin.data().surnames)
    }

    /// One given name fitting the origin, sex and (for Dutch names) the generation.
    fn given_name(&mut self, origin: Origin, sex: Sex, year: i32) -> &'static str {
        let male = match sex {
            Sex::Man => true,
            Sex::Vrouw => false,
            Sex::Onbekend => self.rng.gen(),
        };
        let list = match (origin, male) {
            (Origin::Dutch, true) if year < 1960 => CLASSIC_MALE,
            (Origin::Dutch, false) if year < 1960 => CLASSIC_FEMALE,
            (Origin::Dutch, true) if year < 1990 => MIDDLE_MALE,
            (Origin::Dutch, false) if year < 1990 => MIDDLE_FEMALE,
            (Origin::Dutch, true) => MODERN_MALE,
            (Origin::Dutch, false) => MODERN_FEMALE,
            (other, true) => other.data().male,
            (other, false) => other.data().female,
        };
        self.pick(list)
    }

    /// Voornamen: Dutch parents often add a grandparent's name, the older generations more.
    fn voornamen(&mut self, origin: Origin, sex: Sex, year: i32) -> String {
        let first = self.given_name(origin, sex, year);
        let second_share = match (origin, year) {
            (Origin::Dutch, ..=1959) => 0.6,
            (Origin::Dutch, 1960..=1989) => 0.4,
            (Origin::Dutch, _) => 0.25,
            _ => 0.1,
        };
        if !self.chance(second_share) {
            return first.to_owned();
        }
        // Second names are the classic ones in Dutch families.
        let second = self.given_name(origin, sex, year.min(1950));
        if second == first {
            first.to_owned()
        } else {
            format!("{first} {second}")
        }
    }

    fn dutch_place(&mut self) -> Place {
        if self.chance(0.55) {
            Place::Home
        } else {
            Place::Dutch(&GEMEENTEN[self.rng.gen_range(0..GEMEENTEN.len())])
        }
    }

    /// Another municipality for a household that moved away, with probability `share`.
    fn moved_away(&mut self, share: f64) -> Option<&'static Gemeente> {
        if !self.chance(share) {
            return None;
        }
        let mut i = self.rng.gen_range(0..GEMEENTEN.len());
        if GEMEENTEN[i].code == self.ctx.gemeente_code {
            i = (i + 1) % GEMEENTEN.len();
        }
        Some(&GEMEENTEN[i])
    }

    // --- households and persons -------------------------------------------------------

    /// The next free dwelling of the demo town. Streets take turns, so a small population
    /// spreads over the whole town.
    fn next_home_address(&mut self) -> Address {
        let street = self.home_households % STREETS.len();
        self.home_households += 1;
        let cursor = &mut self.cursors[street];
        if street == FIXTURE_STREET_INDEX
            && huisnummer_of(street, cursor.building) == FIXTURE_HUISNUMMER
        {
            // Reserved for the fixture household.
            cursor.building += 1;
            cursor.unit = 0;
        }
        let (huisnummer, unit) = (huisnummer_of(street, cursor.building), cursor.unit);
        cursor.unit += 1;
        if cursor.unit >= layout(street, huisnummer).len() {
            cursor.building += 1;
            cursor.unit = 0;
        }
        home_address(street, huisnummer, unit)
    }

    /// An address in another municipality: drawn, not allocated, since nobody searches
    /// those for a full house.
    fn away_address(&mut self, gemeente: &Gemeente) -> Address {
        let street = self.rng.gen_range(0..STREETS.len());
        let huisnummer = self.rng.gen_range(1..=250);
        let numeric = self
            .rng
            .gen_range(gemeente.postcodes.0..=gemeente.postcodes.1);
        let pair = self.rng.gen_range(0..LETTER_PAIRS);
        Address {
            street,
            huisnummer,
            huisletter: None,
            toevoeging: None,
            postcode: postcode(usize::from(numeric), pair),
            bag_number: self.rng.gen_range(0..10_000_000_000),
        }
    }

    fn household(&mut self, away: Option<&'static Gemeente>) -> usize {
        let address = match away {
            Some(g) => self.away_address(g),
            None => self.next_home_address(),
        };
        self.cluster.households.push(Household {
            address,
            gemeente: away,
            moved_in_ago: 0,
            town_since_ago: 0,
            move_not_before_ago: i64::MAX,
        });
        self.cluster.households.len() - 1
    }

    /// A person born in the Netherlands; [`Self::adult`] and [`Self::settle_children`] decide
    /// who was born abroad.
    fn member(
        &mut self,
        household: usize,
        sex: Sex,
        born_ago: i64,
        origin: Origin,
        surname: Surname,
    ) -> usize {
        let year = self.ctx.year(born_ago);
        let voornamen = self.voornamen(origin, sex, year);
        let birthplace = self.dutch_place();
        let geheim = self.chance(GEHEIM_SHARE);
        let onderzoek = if self.chance(ONDERZOEK_SHARE) {
            let group = match self.rng.gen_range(0..4) {
                0 => Onderzoek::Geslachtsnaam,
                1 => Onderzoek::Voornamen,
                2 => Onderzoek::Geboortedatum,
                _ => Onderzoek::Adres,
            };
            // Started within the last two years, and not before the birth.
            Some((group, self.between(0, years(2).min(born_ago))))
        } else {
            None
        };
        let roll = self.rng.gen();
        self.cluster.members.push(Member {
            ids: None,
            sex,
            voornamen,
            surname,
            origin,
            household,
            born_ago,
            birthplace,
            arrived_ago: born_ago,
            parents: [None, None],
            named_parents: None,
            died_ago: None,
            geheim,
            onderzoek,
            naamgebruik: Naamgebruik::Eigen,
            nederlanderschap: Nederlanderschap::ByBirth,
            foreign: None,
            roll,
        });
        self.cluster.members.len() - 1
    }

    /// An adult whose parents are not in the population.
    fn adult(&mut self, household: usize, sex: Sex, born_ago: i64, origin: Origin) -> usize {
        let surname = self.surname(origin);
        self.adult_named(household, sex, born_ago, origin, surname)
    }

    fn adult_named(
        &mut self,
        household: usize,
        sex: Sex,
        born_ago: i64,
        origin: Origin,
        surname: Surname,
    ) -> usize {
        let i = self.member(household, sex, born_ago, origin, surname);
        self.origin_story(i);
        // Their parents by name: the father's surname is theirs.
        let year = self.ctx.year(born_ago) - 30;
        let mother = NamedParent {
            voornaam: self.given_name(origin, Sex::Vrouw, year),
            surname: self.surname(origin),
        };
        let father = NamedParent {
            voornaam: self.given_name(origin, Sex::Man, year),
            surname,
        };
        self.cluster.members[i].named_parents = Some([mother, father]);
        i
    }

    /// Where an adult of foreign origin was born, when they came, and their nationalities.
    fn origin_story(&mut self, i: usize) {
        let (origin, born_ago, roll) = {
            let m = &self.cluster.members[i];
            (m.origin, m.born_ago, m.roll)
        };
        if origin == Origin::Dutch {
            return;
        }
        let data = origin.data();
        let year = self.ctx.year(born_ago);
        let abroad_share = if year < data.migration_since {
            1.0
        } else if born_ago >= years(35) {
            0.85
        } else if born_ago >= years(18) {
            0.45
        } else {
            0.0
        };
        if !self.chance(abroad_share) {
            // Born here to parents who came earlier: Dutch, often with the parents'
            // nationality too.
            let keeps = self.chance(0.5);
            self.cluster.members[i].foreign = keeps.then(|| origin.nationaliteit(roll));
            return;
        }
        let mut arrived = born_ago - self.between(years(16), years(35));
        arrived = arrived.min(self.ctx.ago_of(data.migration_since, 1, 1));
        if arrived < 0 {
            arrived = self.between(0, years(2)).min(born_ago - 1);
        }
        let nederlanderschap = if origin == Origin::Surinamese && arrived > self.ctx.suriname_ago {
            Nederlanderschap::ByBirth
        } else if arrived > years(6) && self.chance(data.naturalisation_share) {
            Nederlanderschap::Naturalised(self.between(0, arrived - years(5)))
        } else {
            Nederlanderschap::None
        };
        // Moroccans cannot give up their nationality; others often keep theirs too.
        let keeps = origin == Origin::Moroccan || self.chance(0.5);
        let m = &mut self.cluster.members[i];
        m.birthplace = Place::Abroad(origin.geboorteland(year, roll));
        m.arrived_ago = arrived;
        m.nederlanderschap = nederlanderschap;
        m.foreign = (nederlanderschap == Nederlanderschap::None || keeps)
            .then(|| origin.nationaliteit(roll));
    }

    /// Registers a marriage or partnership; `divorced_ago` when it was dissolved. Two men or
    /// two women must have come after 1998 (the caller sees to it) and could only register
    /// a partnership before April 2001.
    fn partnership(&mut self, a: usize, b: usize, since_ago: i64, divorced_ago: Option<i64>) {
        let (sex_a, sex_b) = (self.cluster.members[a].sex, self.cluster.members[b].sex);
        let partnerschap = if sex_a == sex_b {
            since_ago >= self.ctx.same_sex_marriage_ago || self.chance(0.2)
        } else {
            since_ago < self.ctx.partnerschap_ago && self.chance(0.12)
        };
        let soort = if partnerschap {
            ("P", "geregistreerd partnerschap")
        } else {
            ("H", "huwelijk")
        };
        let both_here = [a, b]
            .iter()
            .all(|&p| self.cluster.members[p].arrived_ago > since_ago);
        let place = if both_here {
            self.dutch_place()
        } else {
            // Married before one of them came: in the country of the one who came later.
            let later = if self.cluster.members[a].arrived_ago < self.cluster.members[b].arrived_ago
            {
                a
            } else {
                b
            };
            let m = &self.cluster.members[later];
            match m.birthplace {
                Place::Abroad(land) => Place::Abroad(land),
                _ => Place::Home,
            }
        };
        self.cluster.partnerships.push(Partnership {
            a,
            b,
            soort,
            since_ago,
            place,
            divorced_ago,
        });
        if divorced_ago.is_some() {
            return;
        }
        for p in [a, b] {
            let (sex, born_ago) = (
                self.cluster.members[p].sex,
                self.cluster.members[p].born_ago,
            );
            let older = self.ctx.year(born_ago) < 1960;
            let n = self.rng.gen_range(0..100);
            self.cluster.members[p].naamgebruik = match (sex, older) {
                (Sex::Vrouw, true) if n < 25 => Naamgebruik::PartnerVoorEigen,
                (Sex::Vrouw, true) if n < 50 => Naamgebruik::Partner,
                (Sex::Vrouw, true) if n < 55 => Naamgebruik::PartnerNaEigen,
                (Sex::Vrouw, false) if n < 8 => Naamgebruik::PartnerVoorEigen,
                (Sex::Vrouw, false) if n < 13 => Naamgebruik::Partner,
                (Sex::Vrouw, false) if n < 15 => Naamgebruik::PartnerNaEigen,
                (Sex::Man, _) if n < 2 => Naamgebruik::PartnerVoorEigen,
                _ => Naamgebruik::Eigen,
            };
        }
    }

    /// When a couple married: around the birth of their first child if they have one,
    /// always when both were adults.
    fn wedding_ago(&mut self, a: usize, b: usize, eldest_child_ago: Option<i64>) -> i64 {
        let youngest = self.cluster.members[a]
            .born_ago
            .min(self.cluster.members[b].born_ago);
        let latest = (youngest - years(18)).max(0);
        let ago = match eldest_child_ago {
            Some(eldest) => eldest + self.between(-years(3), years(6)),
            None => self.between(30, latest.min(years(40))),
        };
        ago.clamp(latest.min(30), latest)
    }

    /// Children at home of a mother `mother_ago` days old; they are numbered one after
    /// another, so they are returned as a range. The caller sets their parents.
    fn children(
        &mut self,
        household: usize,
        mother_ago: i64,
        origin: Origin,
        surname: Surname,
        count: usize,
    ) -> Range<usize> {
        let start = self.cluster.members.len();
        // Born when the mother was 20 to 40, and not older than 26 now (still at home).
        let latest = (mother_ago - years(20)).min(years(26));
        let earliest = (mother_ago - years(40)).max(0);
        if latest < 0 {
            return start..start;
        }
        let mut ago = self.between(earliest, latest);
        for _ in 0..count {
            if ago < 0 {
                break;
            }
            let sex = self.man_or_woman(0.51);
            self.member(household, sex, ago, origin, surname);
            ago -= self.between(years(1), years(4));
        }
        start..self.cluster.members.len()
    }

    fn set_parents(&mut self, children: Range<usize>, mother: usize, father: usize) {
        for child in children {
            self.cluster.members[child].parents = [Some(mother), Some(father)];
        }
    }

    /// Whose surname the children get: the father's mostly, the mother's sometimes, but the
    /// same for all children of a couple.
    fn family_name(&mut self, mother: usize, father: usize) -> (Origin, Surname) {
        let giver = if self.chance(0.85) { father } else { mother };
        let m = &self.cluster.members[giver];
        (m.origin, m.surname)
    }

    fn kids_count(&mut self) -> usize {
        match self.rng.gen_range(0..100) {
            0..=29 => 1,
            30..=74 => 2,
            75..=92 => 3,
            _ => 4,
        }
    }

    // --- cluster kinds -------------------------------------------------------------------

    fn random_cluster(&mut self) {
        self.cluster.clear();
        match self.rng.gen_range(0..100) {
            0..=24 => self.single_cluster(),
            25..=36 => self.elderly_single_cluster(),
            37..=44 => self.young_couple_cluster(),
            45..=64 => self.family_cluster(),
            65..=70 => self.single_parent_cluster(),
            _ => self.elderly_couple_cluster(),
        }
        self.settle_children();
        self.settle_households();
        self.late_deaths();
    }

    /// Someone living alone; some divorced, with the ex-partner elsewhere.
    fn single_cluster(&mut self) {
        let origin = self.origin();
        let sex = if self.chance(0.0005) {
            Sex::Onbekend
        } else {
            self.man_or_woman(0.5)
        };
        let age = match self.rng.gen_range(0..100) {
            0..=39 => self.age_years(18, 34),
            40..=79 => self.age_years(35, 64),
            _ => self.age_years(65, 79),
        };
        let away = self.moved_away(AWAY_SHARE);
        let household = self.household(away);
        let me = self.adult(household, sex, age, origin);
        if age > years(30) && sex != Sex::Onbekend && self.chance(0.2) {
            let ex_sex = sex.other();
            let ex_age = self.partner_age(age, ex_sex);
            let ex_origin = self.partner_origin(origin);
            let away = self.moved_away(AWAY_SHARE_EX);
            let ex_household = self.household(away);
            let ex = self.adult(ex_household, ex_sex, ex_age, ex_origin);
            let since = self.wedding_ago(me, ex, None).max(years(1));
            let divorced = self.between(0, since - 180);
            self.partnership(me, ex, since, Some(divorced));
            self.cluster.households[ex_household].move_not_before_ago = divorced;
        }
    }

    /// An elderly person alone. Some are recently widowed: the late partner is in the
    /// population, keeps this address, and their grown-up children live in households of
    /// their own. (Those widowed long ago, divorced or never married have no partner here.)
    fn elderly_single_cluster(&mut self) {
        let origin = self.origin();
        let sex = self.man_or_woman(0.35);
        let age = self.elderly_age();
        let away = self.moved_away(AWAY_SHARE / 2.0);
        let household = self.household(away);
        let me = self.adult(household, sex, age, origin);
        if !self.chance(0.17) {
            return;
        }
        let partner_sex = sex.other();
        let partner_age = self.partner_age(age, partner_sex);
        let partner_origin = self.partner_origin(origin);
        let partner = self.adult(household, partner_sex, partner_age, partner_origin);
        let since = age.min(partner_age) - self.between(years(20), years(32));
        let died = self.between(30, since.min(years(12)));
        self.cluster.members[partner].died_ago = Some(died);
        self.partnership(me, partner, since, None);
        let (mother, father) = if sex == Sex::Vrouw {
            (me, partner)
        } else {
            (partner, me)
        };
        self.grown_children(mother, father);
    }

    /// Two adults without children at home; unmarried couples have no partner record.
    fn young_couple_cluster(&mut self) {
        let origin = self.origin();
        let age = self.age_years(20, 39);
        let sex = self.man_or_woman(0.5);
        let partner_sex = if self.chance(0.03) { sex } else { sex.other() };
        let away = self.moved_away(AWAY_SHARE);
        let household = self.household(away);
        let a = self.adult(household, sex, age, origin);
        let partner_age = self.partner_age(age, partner_sex);
        let partner_origin = self.partner_origin(origin);
        let b = self.adult(household, partner_sex, partner_age, partner_origin);
        if self.chance(0.55) {
            let mut since = self.wedding_ago(a, b, None);
            if sex == partner_sex {
                since = since.min(self.ctx.partnerschap_ago - 1).max(0);
            }
            self.partnership(a, b, since, None);
        }
    }

    /// Mother, father and children at home.
    fn family_cluster(&mut self) {
        let origin = self.origin();
        let mother_age = self.age_years(26, 55);
        let away = self.moved_away(AWAY_SHARE);
        let household = self.household(away);
        let mother = self.adult(household, Sex::Vrouw, mother_age, origin);
        let father_age = self.partner_age(mother_age, Sex::Man);
        let father_origin = self.partner_origin(origin);
        let father = self.adult(household, Sex::Man, father_age, father_origin);
        self.family_children(household, mother, father, 0.68);
    }

    /// Children of a couple living with them, and maybe the couple's marriage.
    fn family_children(
        &mut self,
        household: usize,
        mother: usize,
        father: usize,
        married_share: f64,
    ) {
        let (origin, surname) = self.family_name(mother, father);
        let count = self.kids_count();
        let mother_ago = self.cluster.members[mother].born_ago;
        let kids = self.children(household, mother_ago, origin, surname, count);
        let eldest = (!kids.is_empty()).then(|| self.cluster.members[kids.start].born_ago);
        self.set_parents(kids, mother, father);
        if self.chance(married_share) {
            let since = self.wedding_ago(mother, father, eldest);
            self.partnership(mother, father, since, None);
        }
    }

    /// A parent with the children; the other parent lives alone elsewhere, divorced if they
    /// were married. Some have a new partner at home (unmarried, so without a record).
    fn single_parent_cluster(&mut self) {
        let origin = self.origin();
        let sex = self.man_or_woman(0.15);
        let age = self.age_years(26, 54);
        let away = self.moved_away(AWAY_SHARE);
        let household = self.household(away);
        let parent = self.adult(household, sex, age, origin);
        if self.chance(0.25) {
            let new_sex = sex.other();
            let new_age = self.partner_age(age, new_sex);
            let new_origin = self.partner_origin(origin);
            self.adult(household, new_sex, new_age, new_origin);
        }
        // The other parent is registered after the children (their own household comes
        // later), but the children's surname and ages need them now.
        let ex_sex = sex.other();
        let ex_age = self.partner_age(age, ex_sex);
        let ex_origin = self.partner_origin(origin);
        let ex_surname = self.surname(ex_origin);
        let (parent_origin, parent_surname) = {
            let m = &self.cluster.members[parent];
            (m.origin, m.surname)
        };
        let father_is_ex = sex == Sex::Vrouw;
        let from_father = self.chance(0.85);
        let (kids_origin, kids_surname) = if from_father == father_is_ex {
            (ex_origin, ex_surname)
        } else {
            (parent_origin, parent_surname)
        };
        let mother_ago = if father_is_ex { age } else { ex_age };
        let count = self.rng.gen_range(1..=3);
        let kids = self.children(household, mother_ago, kids_origin, kids_surname, count);
        let away = self.moved_away(AWAY_SHARE_EX);
        let ex_household = self.household(away);
        let ex = self.adult_named(ex_household, ex_sex, ex_age, ex_origin, ex_surname);
        let (mother, father) = if father_is_ex {
            (parent, ex)
        } else {
            (ex, parent)
        };
        let (eldest, youngest) = match (kids.start, kids.end) {
            (s, e) if e > s => (
                Some(self.cluster.members[s].born_ago),
                self.cluster.members[e - 1].born_ago,
            ),
            _ => (None, years(1)),
        };
        self.set_parents(kids, mother, father);
        let separated = if self.chance(0.5) {
            let since = self.wedding_ago(mother, father, eldest);
            let divorced = self.between(0, youngest.min(since - 180));
            self.partnership(parent, ex, since, Some(divorced));
            divorced
        } else {
            self.between(0, youngest)
        };
        self.cluster.households[ex_household].move_not_before_ago = separated;
    }

    /// An older couple, usually married, rarely with one of them deceased, and their
    /// grown-up children in households of their own.
    fn elderly_couple_cluster(&mut self) {
        let origin = self.origin();
        let man_age = if self.chance(0.55) {
            self.age_years(52, 72)
        } else {
            self.elderly_age()
        };
        let away = self.moved_away(AWAY_SHARE / 2.0);
        let household = self.household(away);
        let man = self.adult(household, Sex::Man, man_age, origin);
        let woman_age = self.partner_age(man_age, Sex::Vrouw);
        let woman_origin = self.partner_origin(origin);
        let woman = self.adult(household, Sex::Vrouw, woman_age, woman_origin);
        if self.chance(0.9) {
            let since = man_age.min(woman_age) - self.between(years(20), years(32));
            if self.chance(0.03) {
                let late = if man_age >= woman_age { man } else { woman };
                let died = self.between(30, since.min(years(8)));
                self.cluster.members[late].died_ago = Some(died);
            }
            self.partnership(man, woman, since, None);
        }
        self.grown_children(woman, man);
    }

    /// Up to three grown-up children of a couple, each in a household of their own: alone,
    /// with a partner, or with a family of their own (the grandchildren).
    fn grown_children(&mut self, mother: usize, father: usize) {
        let count = self.rng.gen_range(0..=3);
        let (origin, surname) = if self.chance(0.9) {
            let m = &self.cluster.members[father];
            (m.origin, m.surname)
        } else {
            let m = &self.cluster.members[mother];
            (m.origin, m.surname)
        };
        let mother_ago = self.cluster.members[mother].born_ago;
        let mut ago = mother_ago - self.between(years(21), years(30));
        for _ in 0..count {
            if ago < years(18) {
                break;
            }
            self.grown_child(ago, mother, father, origin, surname);
            ago -= self.between(years(1), years(5));
        }
    }

    fn grown_child(
        &mut self,
        born_ago: i64,
        mother: usize,
        father: usize,
        origin: Origin,
        surname: Surname,
    ) {
        let away = self.moved_away(AWAY_SHARE_GROWN_CHILD);
        let household = self.household(away);
        let sex = self.man_or_woman(0.5);
        let child = self.member(household, sex, born_ago, origin, surname);
        self.cluster.members[child].parents = [Some(mother), Some(father)];
        // Now, so that a wedding knows whether the child was here yet.
        self.settle_child(child);
        let n = self.rng.gen_range(0..100);
        let (with_partner, with_kids) = if born_ago < years(25) {
            (n >= 60, false)
        } else if born_ago < years(55) {
            (n >= 25, n >= 55)
        } else {
            (n >= 35, false)
        };
        if !with_partner {
            return;
        }
        let partner_sex = sex.other();
        let partner_age = self.partner_age(born_ago, partner_sex);
        let partner_origin = self.partner_origin(origin);
        let partner = self.adult(household, partner_sex, partner_age, partner_origin);
        if with_kids {
            let (m, f) = if sex == Sex::Vrouw {
                (child, partner)
            } else {
                (partner, child)
            };
            self.family_children(household, m, f, 0.65);
        } else if self.chance(0.6) {
            let since = self.wedding_ago(child, partner, None);
            self.partnership(child, partner, since, None);
        }
    }

    // --- settling a built cluster ---------------------------------------------------------

    /// Settles everyone with parents in the cluster. Index order settles grown-up children
    /// before the grandchildren that depend on them.
    fn settle_children(&mut self) {
        for i in 0..self.cluster.members.len() {
            self.settle_child(i);
        }
    }

    /// Birthplace and nationality of a child from the parents: born abroad when all parents
    /// were still abroad then (arriving with the last of them); Dutch when a parent is, with
    /// a parent's foreign nationality often kept as well. Draws nothing, so settling twice
    /// is harmless.
    fn settle_child(&mut self, i: usize) {
        let members = &self.cluster.members;
        let m = &members[i];
        if m.parents.iter().all(Option::is_none) {
            return;
        }
        let parents = m.parents.iter().flatten().map(|&p| &members[p]);
        let mut all_abroad = true;
        let mut last_arrival = m.born_ago;
        let mut dutch = Nederlanderschap::None;
        let mut foreign = None;
        for p in parents {
            all_abroad &= matches!(p.birthplace, Place::Abroad(_)) && p.arrived_ago < m.born_ago;
            last_arrival = last_arrival.min(p.arrived_ago);
            dutch = match (dutch, p.nederlanderschap) {
                (Nederlanderschap::ByBirth, _) | (_, Nederlanderschap::ByBirth) => {
                    Nederlanderschap::ByBirth
                }
                (_, Nederlanderschap::Naturalised(ago)) if ago >= m.born_ago => {
                    Nederlanderschap::ByBirth
                }
                (_, Nederlanderschap::Naturalised(ago)) => Nederlanderschap::Naturalised(ago),
                (d, Nederlanderschap::None) => d,
            };
            foreign = foreign.or(p.foreign);
        }
        let (born_ago, origin, roll) = (m.born_ago, m.origin, m.roll);
        let year = self.ctx.year(born_ago);
        // Half keep a parent's foreign nationality; those without the Dutch one must.
        let foreign = match foreign {
            Some(nat) if dutch == Nederlanderschap::None || roll & 2 == 0 => Some(nat),
            None if dutch == Nederlanderschap::None => Some(origin.nationaliteit(roll)),
            _ => None,
        };
        let m = &mut self.cluster.members[i];
        if all_abroad {
            m.birthplace = Place::Abroad(origin.geboorteland(year, roll));
            m.arrived_ago = last_arrival;
        }
        m.nederlanderschap = dutch;
        m.foreign = foreign;
    }

    /// When each household moved in: as adults, after any divorce that split them off, and
    /// before the death of a member who keeps the address.
    fn settle_households(&mut self) {
        for h in 0..self.cluster.households.len() {
            // Bounds in days ago: the move lies between `max_ago` and `min_ago`.
            let mut max_ago = self.cluster.households[h].move_not_before_ago;
            let mut min_ago = 0;
            for m in self.cluster.members.iter().filter(|m| m.household == h) {
                if m.born_ago >= years(18) {
                    max_ago = max_ago.min(m.born_ago - years(18));
                }
                if let Some(died) = m.died_ago {
                    min_ago = min_ago.max(died + 30);
                }
            }
            let max_ago = max_ago.max(min_ago).min(min_ago + years(35));
            let moved_in = self.between(min_ago, max_ago);
            let town_since = if self.chance(0.5) {
                moved_in
            } else {
                moved_in + self.between(0, years(15))
            };
            let household = &mut self.cluster.households[h];
            household.moved_in_ago = moved_in;
            household.town_since_ago = town_since;
        }
    }

    /// Deaths among the older members, on top of the widowed: at their address, after
    /// everything else their record holds.
    fn late_deaths(&mut self) {
        for i in 0..self.cluster.members.len() {
            let (born_ago, household) = {
                let m = &self.cluster.members[i];
                if m.died_ago.is_some() {
                    continue;
                }
                (m.born_ago, m.household)
            };
            let share = match born_ago {
                a if a < years(45) => continue,
                a if a < years(65) => 0.001,
                a if a < years(80) => 0.004,
                _ => 0.015,
            };
            if !self.chance(share) {
                continue;
            }
            let members = &self.cluster.members;
            let mut bound = years(6)
                .min(self.cluster.households[household].moved_in_ago)
                .min(members[i].arrived_ago);
            for child in members.iter().filter(|c| c.parents.contains(&Some(i))) {
                bound = bound.min(child.born_ago);
            }
            for p in self
                .cluster
                .partnerships
                .iter()
                .filter(|p| p.a == i || p.b == i)
            {
                bound = bound
                    .min(p.since_ago)
                    .min(p.divorced_ago.unwrap_or(i64::MAX));
            }
            if bound < 30 {
                continue;
            }
            let died = self.between(0, bound - 1);
            self.cluster.members[i].died_ago = Some(died);
        }
    }

    // --- the fixture -------------------------------------------------------------------

    fn fixture_cluster(&mut self) {
        self.cluster.clear();
        let ctx = &self.ctx;
        let ids = |bsn: &str, a: &str| Bsn::parse(bsn).ok().zip(ANummer::parse(a).ok());
        self.cluster.households.push(Household {
            address: home_address(FIXTURE_STREET_INDEX, FIXTURE_HUISNUMMER, 0),
            gemeente: None,
            moved_in_ago: ctx.ago_of(2014, 5, 1),
            town_since_ago: ctx.ago_of(2010, 9, 1),
            move_not_before_ago: i64::MAX,
        });
        let person = |ids, sex, voornamen: &str, surname, born_ago, birthplace| Member {
            ids,
            sex,
            voornamen: voornamen.to_owned(),
            surname,
            origin: Origin::Dutch,
            household: 0,
            born_ago,
            birthplace,
            arrived_ago: born_ago,
            parents: [None, None],
            named_parents: None,
            died_ago: None,
            geheim: false,
            onderzoek: None,
            naamgebruik: Naamgebruik::Eigen,
            nederlanderschap: Nederlanderschap::ByBirth,
            foreign: None,
            roll: 0,
        };
        let father = person(
            ids(FIXTURE_BSN_FATHER, FIXTURE_A_NUMMERS[0]),
            Sex::Man,
            "Jeroen Willem",
            ("van", "Oosterhout"),
            ctx.ago_of(1982, 4, 17),
            Place::Home,
        );
        let mut mother = person(
            ids(FIXTURE_BSN_MOTHER, FIXTURE_A_NUMMERS[1]),
            Sex::Vrouw,
            "Noëlle Margriet",
            ("", "Zwanenburg"),
            ctx.ago_of(1984, 9, 3),
            Place::Dutch(UTRECHT),
        );
        mother.geheim = true;
        let mut child = person(
            ids(FIXTURE_BSN_CHILD, FIXTURE_A_NUMMERS[2]),
            Sex::Man,
            "Daan Jeroen",
            ("van", "Oosterhout"),
            ctx.ago_of(2016, 2, 11),
            Place::Home,
        );
        child.parents = [Some(1), Some(0)];
        let wedding = ctx.ago_of(2013, 6, 8);
        self.cluster.members.extend([father, mother, child]);
        self.cluster.partnerships.push(Partnership {
            a: 0,
            b: 1,
            soort: ("H", "huwelijk"),
            since_ago: wedding,
            place: Place::Home,
            divorced_ago: None,
        });
    }

    // --- output -------------------------------------------------------------------------

    fn next_ids(&mut self) -> Option<(Bsn, ANummer)> {
        let bsn = loop {
            if self.next_bsn >= BSN_END {
                return None;
            }
            self.next_bsn += 1;
            if let Some(bsn) = Bsn::complete(self.next_bsn - 1) {
                break bsn;
            }
        };
        let a_nummer = loop {
            if self.next_a_prefix >= A_PREFIX_END {
                return None;
            }
            self.next_a_prefix += 1;
            if let Some(a) = complete_a_nummer(self.next_a_prefix - 1)
                .and_then(|n| ANummer::parse(&format!("{n:010}")).ok())
            {
                break a;
            }
        };
        Some((bsn, a_nummer))
    }

    /// Numbers the built cluster and decides how many of its members are produced: as many
    /// as are still wanted. Every member is numbered, wanted or not, and nothing is drawn
    /// here, so truncating the last cluster changes nothing but its links to the persons
    /// left out.
    fn number_cluster(&mut self) {
        self.ids.clear();
        let mut exhausted = false;
        for i in 0..self.cluster.members.len() {
            match self.cluster.members[i].ids.or_else(|| self.next_ids()) {
                Some(ids) => self.ids.push(ids),
                None => {
                    exhausted = true;
                    break;
                }
            }
        }
        self.produced = self.ids.len().min(self.remaining);
        self.yielded = 0;
        self.remaining = if exhausted {
            0
        } else {
            self.remaining - self.produced
        };
        self.related_names.clear();
        for m in &self.cluster.members[..self.produced] {
            // As a relation (ouder, kind, partner) carries it: without volledigeNaam.
            let mut naam = Naam::new(Some(&m.voornamen), Some(m.surname.0), m.surname.1);
            naam.volledige_naam = None;
            self.related_names.push(naam);
        }
    }

    fn related_naam(&self, i: usize) -> Naam {
        self.related_names[i].clone()
    }

    fn geboorte(&self, i: usize) -> Gebeurtenis {
        let m = &self.cluster.members[i];
        self.ctx.event(m.born_ago, m.birthplace)
    }

    /// Member `i` as a Persoon, with links only to the members produced.
    fn persoon(&self, i: usize) -> Persoon {
        let produced = self.produced;
        let ctx = &self.ctx;
        let members = &self.cluster.members;
        let m = &members[i];
        let (bsn, a_nummer) = self.ids[i];
        let household = &self.cluster.households[m.household];

        let mut naam = Naam::new(Some(&m.voornamen), Some(m.surname.0), m.surname.1);
        naam.aanduiding_naamgebruik = Some(m.naamgebruik.waardetabel());
        let mut geboorte = self.geboorte(i);
        let mut verblijfplaats = self.verblijfplaats(household, m);
        match m.onderzoek {
            Some((Onderzoek::Geslachtsnaam, since)) => {
                naam.in_onderzoek = Some(InOnderzoek::of(&["geslachtsnaam"], ctx.datum(since)));
            }
            Some((Onderzoek::Voornamen, since)) => {
                naam.in_onderzoek = Some(InOnderzoek::of(
                    &["voornamen", "voorletters"],
                    ctx.datum(since),
                ));
            }
            Some((Onderzoek::Geboortedatum, since)) => {
                geboorte.in_onderzoek = Some(InOnderzoek::of(&["datum"], ctx.datum(since)));
            }
            Some((Onderzoek::Adres, since)) => {
                verblijfplaats.in_onderzoek =
                    Some(InOnderzoek::of(&ADRES_IN_ONDERZOEK, ctx.datum(since)));
            }
            None => {}
        }

        let here = match household.gemeente {
            Some(g) => Place::Dutch(g),
            None => Place::Home,
        };
        let overlijden = m.died_ago.map(|died| ctx.event(died, here));
        let opschorting_bijhouding = m.died_ago.map(|died| OpschortingBijhouding {
            reden: code(OVERLIJDEN),
            datum: ctx.datum(died),
        });
        let gemeente_van_inschrijving = match household.gemeente {
            Some(g) => Waardetabel::new(g.code, g.naam),
            None => ctx.gemeente.clone(),
        };

        Persoon {
            burgerservicenummer: bsn,
            a_nummer: Some(a_nummer),
            geslacht: Some(m.sex.geslacht()),
            naam,
            geboorte: Some(geboorte),
            overlijden,
            nationaliteiten: self.nationaliteiten(m),
            verblijfplaats: Some(verblijfplaats),
            adressering: None,
            gemeente_van_inschrijving: Some(gemeente_van_inschrijving),
            datum_inschrijving_in_gemeente: Some(
                ctx.datum(household.town_since_ago.min(m.arrived_ago)),
            ),
            datum_eerste_inschrijving_gba: Some(ctx.datum(ctx.gba_start_ago.min(m.arrived_ago))),
            ouders: self.ouders(i, produced),
            partners: self.partners(i, produced),
            kinderen: self.kinderen(i, produced),
            verblijfstitel: None,
            geheimhouding_persoonsgegevens: m.geheim,
            opschorting_bijhouding,
            in_onderzoek: None,
        }
        .with_adressering()
    }

    fn verblijfplaats(&self, household: &Household, m: &Member) -> Verblijfplaats {
        let ctx = &self.ctx;
        let a = &household.address;
        let (gemeente_code, woonplaats) = match household.gemeente {
            Some(g) => (g.code, g.naam),
            None => (ctx.gemeente_code.as_str(), ctx.woonplaats.as_str()),
        };
        let (officieel, kort) = STREETS[a.street];
        let van = ctx.datum(household.moved_in_ago.min(m.arrived_ago));
        Verblijfplaats {
            soort: VerblijfplaatsType::Adres,
            datum_van: Some(van),
            datum_ingang_geldigheid: Some(van),
            adresseerbaar_object_identificatie: Some(format!(
                "{gemeente_code}01{:010}",
                a.bag_number
            )),
            nummeraanduiding_identificatie: Some(format!("{gemeente_code}20{:010}", a.bag_number)),
            functie_adres: Some(code(WOONADRES)),
            verblijfadres: Some(Verblijfadres {
                officiele_straatnaam: Some(officieel.to_owned()),
                korte_straatnaam: Some(if kort.is_empty() { officieel } else { kort }.to_owned()),
                huisnummer: Some(a.huisnummer),
                huisletter: a.huisletter.map(str::to_owned),
                huisnummertoevoeging: a.toevoeging.map(str::to_owned),
                postcode: Some(a.postcode.clone()),
                woonplaats: Some(woonplaats.to_owned()),
                ..Verblijfadres::default()
            }),
            in_onderzoek: None,
        }
    }

    fn nationaliteiten(&self, m: &Member) -> Vec<Nationaliteit> {
        let ctx = &self.ctx;
        let mut out = Vec::with_capacity(2);
        let dutch = match m.nederlanderschap {
            Nederlanderschap::ByBirth if m.born_ago > ctx.rwn_ago => {
                Some((REDEN_WET_1892, m.born_ago))
            }
            Nederlanderschap::ByBirth => Some((REDEN_RWN_ART3, m.born_ago)),
            Nederlanderschap::Naturalised(ago) => Some((REDEN_NATURALISATIE, ago)),
            Nederlanderschap::None => None,
        };
        if let Some((reden, since)) = dutch {
            out.push(Nationaliteit {
                nationaliteit: code(NEDERLANDSE),
                reden_opname: Some(code(reden)),
                datum_ingang_geldigheid: Some(ctx.datum(since)),
                in_onderzoek: None,
            });
        }
        if let Some(nat) = m.foreign {
            out.push(Nationaliteit {
                nationaliteit: code(nat),
                reden_opname: Some(code(REDEN_VREEMD)),
                datum_ingang_geldigheid: Some(ctx.datum(m.arrived_ago)),
                in_onderzoek: None,
            });
        }
        out
    }

    fn ouders(&self, i: usize, produced: usize) -> Vec<Ouder> {
        let m = &self.cluster.members[i];
        let since = Some(self.ctx.datum(m.born_ago));
        let mut ouders = Vec::new();
        for (slot, parent) in m.parents.iter().enumerate() {
            let Some(p) = parent.filter(|&p| p < produced) else {
                continue;
            };
            ouders.push(Ouder {
                burgerservicenummer: Some(self.ids[p].0),
                naam: self.related_naam(p),
                geslacht: Some(self.cluster.members[p].sex.geslacht()),
                geboorte: Some(self.geboorte(p)),
                ouder_aanduiding: if slot == 0 { "1" } else { "2" }.to_owned(),
                datum_ingang_familierechtelijke_betrekking: since,
                in_onderzoek: None,
            });
        }
        if let (true, Some(named)) = (ouders.is_empty(), m.named_parents) {
            for (slot, (parent, sex)) in named.iter().zip([Sex::Vrouw, Sex::Man]).enumerate() {
                let mut naam = Naam::new(
                    Some(parent.voornaam),
                    Some(parent.surname.0),
                    parent.surname.1,
                );
                naam.volledige_naam = None;
                ouders.push(Ouder {
                    burgerservicenummer: None,
                    naam,
                    geslacht: Some(sex.geslacht()),
                    geboorte: None,
                    ouder_aanduiding: if slot == 0 { "1" } else { "2" }.to_owned(),
                    datum_ingang_familierechtelijke_betrekking: since,
                    in_onderzoek: None,
                });
            }
        }
        ouders
    }

    fn kinderen(&self, i: usize, produced: usize) -> Vec<Kind> {
        (0..produced)
            .filter(|&c| self.cluster.members[c].parents.contains(&Some(i)))
            .map(|c| Kind {
                burgerservicenummer: Some(self.ids[c].0),
                naam: self.related_naam(c),
                geboorte: Some(self.geboorte(c)),
                in_onderzoek: None,
            })
            .collect()
    }

    fn partners(&self, i: usize, produced: usize) -> Vec<Partner> {
        let members = &self.cluster.members;
        let mut partners = Vec::new();
        for p in &self.cluster.partnerships {
            let other = match (p.a == i, p.b == i) {
                (true, _) => p.b,
                (_, true) => p.a,
                _ => continue,
            };
            if other >= produced {
                continue;
            }
            // A death ends the marriage for the survivor; the record of the one who died
            // first stops at the death and keeps the marriage as it was.
            let ended = p
                .divorced_ago
                .or(match (members[i].died_ago, members[other].died_ago) {
                    (_, None) => None,
                    (Some(mine), Some(theirs)) if mine >= theirs => None,
                    (_, Some(theirs)) => Some(theirs),
                });
            partners.push(Partner {
                burgerservicenummer: Some(self.ids[other].0),
                naam: self.related_naam(other),
                geslacht: Some(members[other].sex.geslacht()),
                geboorte: Some(self.geboorte(other)),
                soort_verbintenis: code(p.soort),
                aangaan_huwelijk_partnerschap: Some(self.ctx.event(p.since_ago, p.place)),
                ontbinding_huwelijk_partnerschap: ended.map(|ago| Ontbinding {
                    datum: self.ctx.datum(ago),
                }),
                in_onderzoek: None,
            });
        }
        partners
    }
}

impl Iterator for Population {
    type Item = Persoon;

    fn next(&mut self) -> Option<Persoon> {
        loop {
            if self.yielded < self.produced {
                self.yielded += 1;
                return Some(self.persoon(self.yielded - 1));
            }
            if self.remaining == 0 {
                return None;
            }
            if self.fixture_pending {
                self.fixture_pending = false;
                self.fixture_cluster();
            } else {
                self.random_cluster();
            }
            self.number_cluster();
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.produced - self.yielded + self.remaining;
        (left.min(GUARANTEED_CAPACITY), Some(left))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use brp_domain::person::fold;
    use std::collections::{HashMap, HashSet};
    use std::sync::OnceLock;
    use std::time::Instant;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
    }

    fn spec(seed: u64, count: usize) -> PopulationSpec {
        PopulationSpec {
            seed,
            count,
            gemeente_code: "1998".into(),
            gemeente_naam: "Voorbeeld".into(),
            woonplaats: "Voorbeeld".into(),
            today: today(),
        }
    }

    fn json(p: &Persoon) -> String {
        serde_json::to_string(p).unwrap()
    }

    fn date(d: Option<Datum>) -> NaiveDate {
        d.and_then(Datum::complete).unwrap()
    }

    fn birth(p: &Persoon) -> NaiveDate {
        date(p.geboorte.as_ref().and_then(|g| g.datum))
    }

    fn nummeraanduiding(p: &Persoon) -> String {
        p.verblijfplaats
            .as_ref()
            .and_then(|v| v.nummeraanduiding_identificatie.clone())
            .unwrap()
    }

    /// What the link check needs of one person.
    struct Links {
        ouders: Vec<Bsn>,
        kinderen: Vec<Bsn>,
        partners: Vec<Bsn>,
        born: NaiveDate,
        nummeraanduiding: String,
        overleden: bool,
    }

    /// Every BSN a person refers to is a person of the population, and the link is mutual;
    /// parents are older than their children, and minors live with a parent.
    fn link_errors<'a>(
        persons: impl IntoIterator<Item = &'a Persoon>,
        today: NaiveDate,
    ) -> (usize, Vec<String>) {
        let mut all = HashMap::new();
        for p in persons {
            let bsns = |it: &mut dyn Iterator<Item = Option<Bsn>>| it.flatten().collect();
            all.insert(
                p.burgerservicenummer,
                Links {
                    ouders: bsns(&mut p.ouders.iter().map(|o| o.burgerservicenummer)),
                    kinderen: bsns(&mut p.kinderen.iter().map(|k| k.burgerservicenummer)),
                    partners: bsns(&mut p.partners.iter().map(|k| k.burgerservicenummer)),
                    born: birth(p),
                    nummeraanduiding: nummeraanduiding(p),
                    overleden: p.is_overleden(),
                },
            );
        }
        let mut checked = 0;
        let mut errors = Vec::new();
        for (bsn, me) in &all {
            for ouder in &me.ouders {
                checked += 1;
                match all.get(ouder) {
                    None => errors.push(format!("{bsn}: ouder {ouder} missing")),
                    Some(o) if !o.kinderen.contains(bsn) => {
                        errors.push(format!("{bsn}: ouder {ouder} does not list the child"))
                    }
                    Some(o) if o.born + TimeDelta::days(years(15)) > me.born => {
                        errors.push(format!("{bsn}: ouder {ouder} too young"))
                    }
                    Some(_) => {}
                }
            }
            for kind in &me.kinderen {
                checked += 1;
                match all.get(kind) {
                    None => errors.push(format!("{bsn}: kind {kind} missing")),
                    Some(k) if !k.ouders.contains(bsn) => {
                        errors.push(format!("{bsn}: kind {kind} does not list the parent"))
                    }
                    Some(_) => {}
                }
            }
            for partner in &me.partners {
                checked += 1;
                match all.get(partner) {
                    None => errors.push(format!("{bsn}: partner {partner} missing")),
                    Some(p) if !p.partners.contains(bsn) => {
                        errors.push(format!("{bsn}: partner {partner} not mutual"))
                    }
                    Some(_) => {}
                }
            }
            let minor = me.born + TimeDelta::days(years(18)) > today;
            if minor && !me.overleden && !me.ouders.is_empty() {
                let at_home = me
                    .ouders
                    .iter()
                    .filter_map(|o| all.get(o))
                    .any(|o| o.nummeraanduiding == me.nummeraanduiding);
                if !at_home {
                    errors.push(format!("{bsn}: minor not living with a parent"));
                }
            }
        }
        (checked, errors)
    }

    /// Figures over one population of 100,000, computed once for all tests that need them.
    #[derive(Default)]
    struct Summary {
        count: usize,
        distinct_bsns: usize,
        distinct_a_nummers: usize,
        invalid_numbers: Vec<String>,
        links_checked: usize,
        link_errors: Vec<String>,
        inconsistencies: Vec<String>,
        deceased: usize,
        geheim: usize,
        onderzoek: usize,
        elsewhere: usize,
        ages: [usize; 11],
        minors: usize,
        non_ascii_names: usize,
        voorvoegsels: usize,
        double_voornamen: usize,
        huwelijk: usize,
        partnerschap: usize,
        ontbonden: usize,
        named_parents: usize,
        born_abroad: usize,
        foreign_nationality: usize,
        not_dutch: usize,
        huisletters: usize,
        toevoegingen: usize,
        naamgebruik_not_e: usize,
        geslacht_o: usize,
        at_fixture_address: usize,
        fixture_surnames: usize,
        households: usize,
    }

    fn summary() -> &'static Summary {
        static SUMMARY: OnceLock<Summary> = OnceLock::new();
        SUMMARY.get_or_init(|| summarise(&spec(2026, 100_000)))
    }

    fn summarise(spec: &PopulationSpec) -> Summary {
        let persons: Vec<Persoon> = generate(spec).collect();
        let mut s = Summary {
            count: persons.len(),
            ..Summary::default()
        };
        let mut bsns = HashSet::new();
        let mut a_nummers = HashSet::new();
        let mut addresses = HashSet::new();
        let bad = |s: &mut Summary, p: &Persoon, what: &str| {
            if s.inconsistencies.len() < 20 {
                s.inconsistencies
                    .push(format!("{}: {what}", p.burgerservicenummer));
            }
        };
        for p in &persons {
            let bsn = p.burgerservicenummer;
            bsns.insert(bsn);
            if Bsn::parse(&bsn.to_string()) != Ok(bsn) || bsn.to_string().starts_with("99999") {
                s.invalid_numbers.push(bsn.to_string());
            }
            match p.a_nummer {
                Some(a) if ANummer::parse(&a.to_string()) == Ok(a) => {
                    a_nummers.insert(a);
                }
                other => s.invalid_numbers.push(format!("{other:?}")),
            }
            let born = birth(p);
            let age = Datum::Volledig(born).age_on(spec.today).unwrap();
            s.ages[(age as usize / 10).min(10)] += 1;
            s.minors += usize::from(age < 18);
            s.deceased += usize::from(p.is_overleden());
            s.geheim += usize::from(p.geheimhouding_persoonsgegevens);
            let onderzoek = p.naam.in_onderzoek.is_some()
                || p.geboorte
                    .as_ref()
                    .is_some_and(|g| g.in_onderzoek.is_some())
                || p.verblijfplaats
                    .as_ref()
                    .is_some_and(|v| v.in_onderzoek.is_some());
            s.onderzoek += usize::from(onderzoek);
            let gemeente = p.gemeente_van_inschrijving.as_ref().unwrap();
            s.elsewhere += usize::from(gemeente.code != spec.gemeente_code);
            s.non_ascii_names += usize::from(!p.naam.geslachtsnaam.is_ascii());
            s.voorvoegsels += usize::from(p.naam.voorvoegsel.is_some());
            s.double_voornamen += usize::from(p.naam.voornamen.as_deref().unwrap().contains(' '));
            s.named_parents += usize::from(
                !p.ouders.is_empty() && p.ouders.iter().all(|o| o.burgerservicenummer.is_none()),
            );
            let geboorteland = &p.geboorte.as_ref().unwrap().land.as_ref().unwrap().code;
            s.born_abroad += usize::from(geboorteland != "6030");
            let nats: Vec<&str> = p
                .nationaliteiten
                .iter()
                .map(|n| n.nationaliteit.code.as_str())
                .collect();
            s.foreign_nationality += usize::from(nats.iter().any(|&c| c != "0001"));
            s.not_dutch += usize::from(!nats.contains(&"0001"));
            let naamgebruik = p.naam.aanduiding_naamgebruik.as_ref().unwrap();
            s.naamgebruik_not_e += usize::from(naamgebruik.code != "E");
            let geslacht = p.geslacht.as_ref().unwrap();
            s.geslacht_o += usize::from(geslacht.code == "O");
            for partner in &p.partners {
                match partner.soort_verbintenis.code.as_str() {
                    "H" => s.huwelijk += 1,
                    "P" => s.partnerschap += 1,
                    other => bad(&mut s, p, &format!("soort verbintenis {other}")),
                }
                let aangaan = date(
                    partner
                        .aangaan_huwelijk_partnerschap
                        .as_ref()
                        .unwrap()
                        .datum,
                );
                if aangaan < born + TimeDelta::days(years(18)) || aangaan > spec.today {
                    bad(&mut s, p, "married as a minor or in the future");
                }
                if partner.soort_verbintenis.code == "P"
                    && aangaan < NaiveDate::from_ymd_opt(1998, 1, 1).unwrap()
                {
                    bad(&mut s, p, "geregistreerd partnerschap before 1998");
                }
                if partner.soort_verbintenis.code == "H"
                    && partner.geslacht == p.geslacht
                    && aangaan < NaiveDate::from_ymd_opt(2001, 4, 1).unwrap()
                {
                    bad(&mut s, p, "same-sex marriage before April 2001");
                }
                if let Some(ontbinding) = &partner.ontbinding_huwelijk_partnerschap {
                    s.ontbonden += 1;
                    if date(Some(ontbinding.datum)) < aangaan {
                        bad(&mut s, p, "ontbinding before aangaan");
                    }
                }
            }
            if naamgebruik.code != "E" && p.partners.is_empty() {
                bad(&mut s, p, "naamgebruik of a partner without partner");
            }
            if p.nationaliteiten.is_empty() {
                bad(&mut s, p, "no nationality");
            }

            // Address and registration.
            let v = p.verblijfplaats.as_ref().unwrap();
            let adres = v.verblijfadres.as_ref().unwrap();
            let postcode = adres.postcode.as_deref().unwrap();
            let pc = postcode.as_bytes();
            if pc.len() != 6
                || !pc[..4].iter().all(u8::is_ascii_digit)
                || !pc[4..].iter().all(u8::is_ascii_uppercase)
            {
                bad(&mut s, p, "postcode");
            }
            if gemeente.code == spec.gemeente_code
                && !(1990..=1999).contains(&postcode[..4].parse::<u32>().unwrap())
            {
                bad(&mut s, p, "postcode outside the town");
            }
            s.huisletters += usize::from(adres.huisletter.is_some());
            s.toevoegingen += usize::from(adres.huisnummertoevoeging.is_some());
            if adres.korte_straatnaam.as_ref().unwrap().chars().count() > 24 {
                bad(&mut s, p, "korte straatnaam too long");
            }
            let vbo = v.adresseerbaar_object_identificatie.as_deref().unwrap();
            let na = v.nummeraanduiding_identificatie.as_deref().unwrap();
            for (id, kind) in [(vbo, "01"), (na, "20")] {
                if id.len() != 16
                    || !id.bytes().all(|b| b.is_ascii_digit())
                    || !id.starts_with(&format!("{}{kind}", gemeente.code))
                {
                    bad(&mut s, p, &format!("BAG id {id}"));
                }
            }
            addresses.insert(na.to_owned());
            if postcode == FIXTURE_POSTCODE
                && adres.huisnummer == Some(FIXTURE_HUISNUMMER)
                && adres.huisletter.is_none()
                && adres.huisnummertoevoeging.is_none()
            {
                s.at_fixture_address += 1;
            }
            if ["Oosterhout", "Zwanenburg"].contains(&p.naam.geslachtsnaam.as_str()) {
                s.fixture_surnames += 1;
            }
            let van = date(v.datum_van);
            let ingeschreven = date(p.datum_inschrijving_in_gemeente);
            let eerste = date(p.datum_eerste_inschrijving_gba);
            if van < born || van > spec.today || ingeschreven > van || ingeschreven < born {
                bad(&mut s, p, "datum van / inschrijving out of order");
            }
            if eerste < born || eerste > spec.today {
                bad(&mut s, p, "eerste inschrijving GBA out of order");
            }
            match (&p.overlijden, &p.opschorting_bijhouding) {
                (None, None) => {}
                (Some(o), Some(op)) => {
                    let died = date(o.datum);
                    if op.reden.code != "O" || date(Some(op.datum)) != died {
                        bad(&mut s, p, "opschorting does not match overlijden");
                    }
                    if died < van || died > spec.today {
                        bad(&mut s, p, "died before moving in or in the future");
                    }
                }
                _ => bad(&mut s, p, "overlijden without opschorting or back"),
            }
            if p.adressering
                .as_ref()
                .and_then(|a| a.adresregel1.as_ref())
                .is_none()
            {
                bad(&mut s, p, "no adressering");
            }
        }
        s.distinct_bsns = bsns.len();
        s.distinct_a_nummers = a_nummers.len();
        s.households = addresses.len();
        let (checked, errors) = link_errors(&persons, spec.today);
        s.links_checked = checked;
        s.link_errors = errors.into_iter().take(20).collect();
        s
    }

    fn share(n: usize) -> f64 {
        n as f64 * 100.0 / summary().count as f64
    }

    #[test]
    fn same_spec_gives_the_same_persons() {
        let a: Vec<String> = generate(&spec(7, 2000)).map(|p| json(&p)).collect();
        let b: Vec<String> = generate(&spec(7, 2000)).map(|p| json(&p)).collect();
        assert_eq!(a.len(), 2000);
        assert_eq!(a, b);
        let other: Vec<String> = generate(&spec(8, 2000)).map(|p| json(&p)).collect();
        assert_eq!(
            a[..3],
            other[..3],
            "the fixture does not depend on the seed"
        );
        assert_ne!(a[3..], other[3..]);
    }

    #[test]
    fn a_longer_population_starts_with_a_shorter_one() {
        let long: Vec<Persoon> = generate(&spec(3, 1_300)).collect();
        for n in [1, 2, 3, 4, 5, 6, 7, 10, 57, 500, 1000] {
            let short: Vec<Persoon> = generate(&spec(3, n)).collect();
            assert_eq!(short.len(), n);
            let mut differing = 0;
            for (s, l) in short.iter().zip(&long) {
                if s != l {
                    // Only the last household may lose links to persons left out.
                    differing += 1;
                    let unlinked = |p: &Persoon| {
                        let mut p = p.clone();
                        p.ouders.clear();
                        p.partners.clear();
                        p.kinderen.clear();
                        p
                    };
                    assert_eq!(unlinked(s), unlinked(l));
                }
            }
            assert!(differing <= 12, "{n}: {differing} persons differ");
        }
    }

    #[test]
    fn every_count_is_exact_and_every_reference_resolves() {
        for n in (0..40).chain([99, 1234]) {
            let persons: Vec<Persoon> = generate(&spec(11, n)).collect();
            assert_eq!(persons.len(), n);
            let (_, errors) = link_errors(&persons, today());
            assert!(errors.is_empty(), "count {n}: {errors:?}");
        }
        let mut it = generate(&spec(11, 10));
        assert_eq!(it.size_hint(), (10, Some(10)));
        it.next();
        assert_eq!(it.size_hint(), (9, Some(9)));
    }

    #[test]
    fn numbers_are_unique_and_valid() {
        let s = summary();
        assert_eq!(s.count, 100_000);
        assert_eq!(s.distinct_bsns, s.count);
        assert_eq!(s.distinct_a_nummers, s.count);
        assert!(s.invalid_numbers.is_empty(), "{:?}", s.invalid_numbers);
    }

    #[test]
    fn family_links_resolve_both_ways() {
        let s = summary();
        assert!(s.link_errors.is_empty(), "{:?}", s.link_errors);
        assert!(s.links_checked > 50_000, "{}", s.links_checked);
    }

    #[test]
    fn data_is_consistent() {
        let s = summary();
        assert!(s.inconsistencies.is_empty(), "{:?}", s.inconsistencies);
    }

    #[test]
    fn shares_are_realistic() {
        let s = summary();
        println!(
            "deceased {:.2}%, geheim {:.2}%, onderzoek {:.2}%, elsewhere {:.2}%",
            share(s.deceased),
            share(s.geheim),
            share(s.onderzoek),
            share(s.elsewhere)
        );
        println!(
            "ages by decade: {:?}, under 18: {:.1}%",
            s.ages.map(|n| format!("{:.1}", share(n))),
            share(s.minors)
        );
        println!(
            "non-ascii surnames {:.1}%, voorvoegsel {:.1}%, double voornamen {:.1}%, \
             born abroad {:.1}%, foreign nationality {:.1}%, not Dutch {:.1}%",
            share(s.non_ascii_names),
            share(s.voorvoegsels),
            share(s.double_voornamen),
            share(s.born_abroad),
            share(s.foreign_nationality),
            share(s.not_dutch)
        );
        println!(
            "partners H {} P {} ontbonden {}, named-only parents {:.1}%, naamgebruik ≠ E {}, \
             geslacht O {}, huisletter {}, toevoeging {}, households {} ({:.2} persons each)",
            s.huwelijk,
            s.partnerschap,
            s.ontbonden,
            share(s.named_parents),
            s.naamgebruik_not_e,
            s.geslacht_o,
            s.huisletters,
            s.toevoegingen,
            s.households,
            s.count as f64 / s.households as f64
        );
        assert!((0.7..=1.3).contains(&share(s.deceased)), "deceased");
        assert!((0.7..=1.3).contains(&share(s.geheim)), "geheimhouding");
        assert!((0.3..=0.7).contains(&share(s.onderzoek)), "in onderzoek");
        assert!((1.0..=3.5).contains(&share(s.elsewhere)), "other gemeente");
        assert!((14.0..=25.0).contains(&share(s.minors)), "under 18");
        assert!(share(s.ages[8] + s.ages[9] + s.ages[10]) > 2.5, "over 80");
        assert!(s.ages[10] > 0, "centenarians");
        assert!(s.non_ascii_names > 1000 && s.voorvoegsels > 10_000);
        assert!(s.partnerschap > 0 && s.ontbonden > 0 && s.naamgebruik_not_e > 0);
        assert!(s.huisletters > 0 && s.toevoegingen > 0);
    }

    #[test]
    fn holds_for_another_municipality_and_day() {
        let spec = PopulationSpec {
            seed: 5,
            count: 20_000,
            gemeente_code: "0363".into(),
            gemeente_naam: "Amsterdam".into(),
            woonplaats: "Amsterdam".into(),
            today: NaiveDate::from_ymd_opt(2040, 6, 30).unwrap(),
        };
        let s = summarise(&spec);
        assert_eq!(s.count, 20_000);
        assert!(s.inconsistencies.is_empty(), "{:?}", s.inconsistencies);
        assert!(s.link_errors.is_empty(), "{:?}", s.link_errors);
        assert!(s.invalid_numbers.is_empty(), "{:?}", s.invalid_numbers);
        // Those who moved away went somewhere else than the municipality itself.
        assert!(s.elsewhere > 100, "{}", s.elsewhere);
    }

    #[test]
    fn the_fixture_household_comes_first() {
        for seed in [0, 1, 42] {
            let persons: Vec<Persoon> = generate(&spec(seed, 50)).collect();
            let [father, mother, child] = [&persons[0], &persons[1], &persons[2]];
            let bsn = |p: &Persoon| p.burgerservicenummer.to_string();
            assert_eq!([bsn(father), bsn(mother), bsn(child)], FIXTURE_BSNS);
            let a = |p: &Persoon| p.a_nummer.unwrap().to_string();
            assert_eq!([a(father), a(mother), a(child)], FIXTURE_A_NUMMERS);
            let name = |p: &Persoon| p.naam.volledige_naam.clone().unwrap();
            assert_eq!(name(father), "Jeroen Willem van Oosterhout");
            assert_eq!(name(mother), "Noëlle Margriet Zwanenburg");
            assert_eq!(name(child), "Daan Jeroen van Oosterhout");
            assert_eq!(fold(&name(mother)), "noelle margriet zwanenburg");
            assert!(!father.geheimhouding_persoonsgegevens);
            assert!(mother.geheimhouding_persoonsgegevens);
            assert!(!child.geheimhouding_persoonsgegevens);
            assert_eq!(birth(father), NaiveDate::from_ymd_opt(1982, 4, 17).unwrap());
            assert_eq!(birth(mother), NaiveDate::from_ymd_opt(1984, 9, 3).unwrap());
            assert_eq!(birth(child), NaiveDate::from_ymd_opt(2016, 2, 11).unwrap());
            for p in [father, mother, child] {
                let v = p.verblijfplaats.as_ref().unwrap();
                let adres = v.verblijfadres.as_ref().unwrap();
                assert_eq!(adres.officiele_straatnaam.as_deref(), Some(FIXTURE_STRAAT));
                assert_eq!(adres.postcode.as_deref(), Some(FIXTURE_POSTCODE));
                assert_eq!(adres.huisnummer, Some(FIXTURE_HUISNUMMER));
                assert_eq!(adres.huisletter, None);
                assert_eq!(adres.huisnummertoevoeging, None);
                assert_eq!(adres.woonplaats.as_deref(), Some("Voorbeeld"));
                assert_eq!(nummeraanduiding(p), nummeraanduiding(father));
                assert_eq!(p.gemeente_van_inschrijving.as_ref().unwrap().code, "1998");
                assert!(!p.is_overleden());
            }
            assert_eq!(
                father.adressering.as_ref().unwrap().adresregel2.as_deref(),
                Some("1991 AB  VOORBEELD")
            );
            let partner = |p: &Persoon| p.partners[0].burgerservicenummer.unwrap().to_string();
            assert_eq!(partner(father), FIXTURE_BSN_MOTHER);
            assert_eq!(partner(mother), FIXTURE_BSN_FATHER);
            assert_eq!(father.partners[0].soort_verbintenis.code, "H");
            let ouders: Vec<(String, String)> = child
                .ouders
                .iter()
                .map(|o| {
                    (
                        o.ouder_aanduiding.clone(),
                        o.burgerservicenummer.unwrap().to_string(),
                    )
                })
                .collect();
            assert_eq!(
                ouders,
                [
                    ("1".to_owned(), FIXTURE_BSN_MOTHER.to_owned()),
                    ("2".to_owned(), FIXTURE_BSN_FATHER.to_owned())
                ]
            );
            for parent in [father, mother] {
                assert_eq!(parent.kinderen.len(), 1);
                assert_eq!(
                    parent.kinderen[0].burgerservicenummer.unwrap().to_string(),
                    FIXTURE_BSN_CHILD
                );
            }
            // Nobody else lives there.
            assert!(persons[3..]
                .iter()
                .all(|p| nummeraanduiding(p) != nummeraanduiding(father)));
        }
        let s = summary();
        assert_eq!(s.at_fixture_address, 3);
        assert_eq!(s.fixture_surnames, 3);
    }

    #[test]
    fn street_table_fits_the_postcode_scheme() {
        assert_eq!(STREETS[FIXTURE_STREET_INDEX].0, FIXTURE_STRAAT);
        assert_eq!(
            home_postcode(FIXTURE_STREET_INDEX, FIXTURE_HUISNUMMER),
            FIXTURE_POSTCODE
        );
        let names: HashSet<&str> = STREETS.iter().map(|s| s.0).collect();
        assert_eq!(names.len(), STREETS.len(), "street names are unique");
        for (officieel, kort) in STREETS {
            let short = if kort.is_empty() { officieel } else { kort };
            assert!(short.chars().count() <= 24, "{short}");
            assert!(
                kort.is_empty() || officieel.chars().count() > 24,
                "{officieel}"
            );
        }
        // No postcode is shared by two streets; the unused letter pairs never appear.
        assert!((STREETS.len().div_ceil(10)) * POSTCODES_PER_STREET <= LETTER_PAIRS);
        let mut owner = HashMap::new();
        for street in 0..STREETS.len() {
            for huisnummer in 1..=1_800 {
                let pc = home_postcode(street, huisnummer);
                assert!(!["SA", "SD", "SS"].contains(&&pc[4..]), "{pc}");
                assert_eq!(*owner.entry(pc.clone()).or_insert(street), street, "{pc}");
            }
        }
        for street in [0, 1, 77, 199] {
            let numbers: HashSet<u32> = (0..640).map(|b| huisnummer_of(street, b)).collect();
            assert_eq!(numbers, (1..=640).collect());
        }
        assert_eq!(postcode(1990, 0), "1990AA");
        assert_eq!(postcode(1990, LETTER_PAIRS - 1), "1990ZZ");
    }

    #[test]
    fn a_nummer_completion_follows_the_lo_gba_rules() {
        let mut found = 0;
        for prefix in 201_010_000..201_030_000u64 {
            let completed = complete_a_nummer(prefix);
            for last in 0..10 {
                let n = prefix * 10 + last;
                let valid = ANummer::parse(&format!("{n:010}")).is_ok();
                assert_eq!(valid, completed == Some(n), "{n}");
            }
            found += usize::from(completed.is_some());
        }
        assert!(found > 100, "{found}");
        assert_eq!(complete_a_nummer(1_000_000_000), None);
        for a in FIXTURE_A_NUMMERS {
            assert!(ANummer::parse(a).is_ok());
            assert!(a.parse::<u64>().unwrap() < A_PREFIX_FIRST * 10);
        }
        for bsn in FIXTURE_BSNS {
            assert!(Bsn::parse(bsn).is_ok());
            assert!(bsn[..8].parse::<u32>().unwrap() < BSN_FIRST);
        }
    }

    /// `cargo test -p brp-population --release -- --ignored --nocapture`
    #[test]
    #[ignore = "timing; run in release"]
    fn time_a_million() {
        let start = Instant::now();
        let mut count = 0;
        let mut deceased = 0;
        for p in generate(&spec(2026, 1_000_000)) {
            count += 1;
            deceased += usize::from(p.is_overleden());
        }
        let elapsed = start.elapsed();
        assert_eq!(count, 1_000_000);
        println!(
            "generated {count} persons ({deceased} deceased) in {:.2} s ({:.0} persons/s)",
            elapsed.as_secs_f64(),
            count as f64 / elapsed.as_secs_f64()
        );
    }
}
