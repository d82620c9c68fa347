//! The data element catalogue: every `fields` path of a Haal Centraal Persoon, with the LO GBA
//! category it belongs to, whether it is a data element, a group of elements or a detail of
//! one element, a plain Dutch label and the LO GBA element number.
//!
//! An autorisatieprofiel grants *elements* (e.g. `naam.voornamen`, `geboorte.datum`). A request
//! may name a group (`naam`: every element below it), an element, or a detail of an element
//! (`geboorte.datum.jaar`: needs `geboorte.datum`). The catalogue answers which elements a
//! request needs and which paths a set of granted elements allows.
//!
//! The data lives in `domain/data/persoon-velden.csv` (semicolon-separated, header
//! `pad;categorie;soort;label;lo_gba`) and is embedded at compile time.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

/// The catalogue file of a Persoon, as embedded in the binary.
pub const PERSOON_CSV: &str = include_str!("../data/persoon-velden.csv");

/// The header line the catalogue file must start with.
pub const HEADER: &str = "pad;categorie;soort;label;lo_gba";

/// What a path in the catalogue is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EntryKind {
    /// A data element a profile can grant: a leaf value, or a date or coded value whose
    /// sub-fields are details.
    Element,
    /// A path with element paths below it (`naam`, `verblijfplaats.verblijfadres`).
    Group,
    /// A sub-field of one element value (`geboorte.datum.jaar`, `geslacht.code`).
    Detail,
}

impl EntryKind {
    /// The word used for this kind in the catalogue file.
    pub fn as_csv(self) -> &'static str {
        match self {
            Self::Element => "element",
            Self::Group => "groep",
            Self::Detail => "detail",
        }
    }

    /// Reads the word used in the catalogue file.
    pub fn from_csv(value: &str) -> Option<Self> {
        match value {
            "element" => Some(Self::Element),
            "groep" => Some(Self::Group),
            "detail" => Some(Self::Detail),
            _ => None,
        }
    }
}

/// An LO GBA category, or `AF` for the fields Haal Centraal derives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub code: &'static str,
    pub label: &'static str,
}

static CATEGORIES: [Category; 12] = [
    Category {
        code: "01",
        label: "Persoon",
    },
    Category {
        code: "02",
        label: "Ouders (categorie 02 en 03)",
    },
    Category {
        code: "04",
        label: "Nationaliteit",
    },
    Category {
        code: "05",
        label: "Huwelijk of geregistreerd partnerschap",
    },
    Category {
        code: "06",
        label: "Overlijden",
    },
    Category {
        code: "07",
        label: "Inschrijving",
    },
    Category {
        code: "08",
        label: "Verblijfplaats en adres",
    },
    Category {
        code: "09",
        label: "Kinderen",
    },
    Category {
        code: "10",
        label: "Verblijfstitel",
    },
    Category {
        code: "11",
        label: "Gezag en curatele",
    },
    Category {
        code: "13",
        label: "Kiesrecht",
    },
    Category {
        code: "AF",
        label: "Afgeleide gegevens",
    },
];

/// One path of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueEntry {
    /// The Haal Centraal `fields` path, e.g. `verblijfplaats.verblijfadres.postcode`.
    pub path: String,
    pub category: &'static Category,
    pub kind: EntryKind,
    /// A short Dutch label for people.
    pub label: String,
    /// The LO GBA element number `cc.gg.ee`; `None` for groups and derived fields.
    pub lo_gba: Option<String>,
}

/// A line of the catalogue file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("regel {line} van de gegevenscatalogus: {reason}")]
pub struct CatalogueError {
    /// The 1-based line number in the file.
    pub line: usize,
    pub reason: String,
}

impl CatalogueError {
    fn new(line: usize, reason: impl Into<String>) -> Self {
        Self {
            line,
            reason: reason.into(),
        }
    }
}

/// The catalogue of one resource: entries in file order, indexed by path.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    entries: Vec<CatalogueEntry>,
    index: HashMap<String, usize>,
    /// For each group: the indexes of the elements below it, in file order.
    group_elements: HashMap<usize, Vec<usize>>,
    /// For each detail: the index of the element it belongs to.
    detail_element: HashMap<usize, usize>,
}

impl Catalogue {
    /// The catalogue of a Persoon, parsed once. Rows that do not parse are left out; a unit
    /// test proves the embedded file has none.
    pub fn persoon() -> &'static Catalogue {
        static PERSOON: OnceLock<Catalogue> = OnceLock::new();
        PERSOON.get_or_init(|| Self::parse_lenient(PERSOON_CSV).0)
    }

    /// The fixed list of categories, in display order.
    pub fn categories() -> &'static [Category] {
        &CATEGORIES
    }

    /// The category with this code.
    pub fn category(code: &str) -> Option<&'static Category> {
        CATEGORIES.iter().find(|category| category.code == code)
    }

    /// Parses a catalogue file and fails on the first line that does not parse.
    pub fn parse(text: &str) -> Result<Self, CatalogueError> {
        let (catalogue, errors) = Self::parse_lenient(text);
        match errors.into_iter().next() {
            Some(error) => Err(error),
            None => Ok(catalogue),
        }
    }

    /// Parses a catalogue file, leaving out the lines that do not parse (and later duplicates
    /// of a path), and returns those problems beside the catalogue.
    pub fn parse_lenient(text: &str) -> (Self, Vec<CatalogueError>) {
        let mut entries: Vec<CatalogueEntry> = Vec::new();
        let mut index = HashMap::new();
        let mut errors = Vec::new();
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut header_seen = false;
        for (number, line) in text.lines().enumerate() {
            let number = number + 1;
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() {
                continue;
            }
            if !header_seen {
                header_seen = true;
                if line == HEADER {
                    continue;
                }
                errors.push(CatalogueError::new(
                    number,
                    format!("de kopregel is niet \"{HEADER}\""),
                ));
            }
            match parse_row(line) {
                Ok(entry) => {
                    if index.contains_key(&entry.path) {
                        errors.push(CatalogueError::new(
                            number,
                            format!("het pad {} staat er al eerder in", entry.path),
                        ));
                    } else {
                        index.insert(entry.path.clone(), entries.len());
                        entries.push(entry);
                    }
                }
                Err(reason) => errors.push(CatalogueError::new(number, reason)),
            }
        }
        if !header_seen {
            errors.push(CatalogueError::new(1, "het bestand is leeg"));
        }
        let mut catalogue = Self {
            entries,
            index,
            group_elements: HashMap::new(),
            detail_element: HashMap::new(),
        };
        catalogue.link();
        (catalogue, errors)
    }

    /// Works out which elements lie below each group and which element each detail belongs to.
    fn link(&mut self) {
        for (position, entry) in self.entries.iter().enumerate() {
            match entry.kind {
                EntryKind::Element => {}
                EntryKind::Group => {
                    let prefix = format!("{}.", entry.path);
                    let below = self
                        .entries
                        .iter()
                        .enumerate()
                        .filter(|(_, other)| {
                            other.kind == EntryKind::Element && other.path.starts_with(&prefix)
                        })
                        .map(|(other_position, _)| other_position)
                        .collect();
                    self.group_elements.insert(position, below);
                }
                EntryKind::Detail => {
                    // The nearest ancestor that is an element.
                    let mut current = entry.path.as_str();
                    while let Some((parent, _)) = current.rsplit_once('.') {
                        if let Some(&parent_position) = self.index.get(parent) {
                            if self.entries[parent_position].kind == EntryKind::Element {
                                self.detail_element.insert(position, parent_position);
                                break;
                            }
                        }
                        current = parent;
                    }
                }
            }
        }
    }

    /// The number of paths.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn get(&self, path: &str) -> Option<&CatalogueEntry> {
        self.index
            .get(path)
            .map(|&position| &self.entries[position])
    }

    /// Every path, in file order.
    pub fn entries(&self) -> impl Iterator<Item = &CatalogueEntry> + '_ {
        self.entries.iter()
    }

    /// Elements only, in file order.
    pub fn elements(&self) -> impl Iterator<Item = &CatalogueEntry> + '_ {
        self.entries
            .iter()
            .filter(|entry| entry.kind == EntryKind::Element)
    }

    /// Elements of one category, in file order.
    pub fn elements_in(&self, category_code: &str) -> Vec<&CatalogueEntry> {
        self.elements()
            .filter(|entry| entry.category.code == category_code)
            .collect()
    }

    /// The element a detail belongs to (`geboorte.datum` for `geboorte.datum.jaar`).
    pub fn element_of_detail(&self, path: &str) -> Option<&CatalogueEntry> {
        let position = self.index.get(path)?;
        self.detail_element
            .get(position)
            .map(|&element| &self.entries[element])
    }

    /// The elements a requested `fields` path needs: a group → every element below it; an
    /// element → itself; a detail → its element. Unknown path → `None`.
    pub fn elements_for(&self, path: &str) -> Option<Vec<&CatalogueEntry>> {
        let &position = self.index.get(path)?;
        let entry = &self.entries[position];
        let elements = match entry.kind {
            EntryKind::Element => vec![entry],
            EntryKind::Group => self
                .group_elements
                .get(&position)
                .map(|below| below.iter().map(|&p| &self.entries[p]).collect())
                .unwrap_or_default(),
            EntryKind::Detail => self
                .detail_element
                .get(&position)
                .map(|&p| vec![&self.entries[p]])
                .unwrap_or_default(),
        };
        Some(elements)
    }

    /// Whether a requested path is fully covered by a set of granted element paths. Only
    /// element paths in `granted` count: a granted group or detail path grants nothing. A path
    /// that is unknown, or that needs no element at all, is never covered.
    pub fn covers(&self, granted: &BTreeSet<String>, path: &str) -> bool {
        match self.elements_for(path) {
            Some(elements) => {
                !elements.is_empty()
                    && elements
                        .iter()
                        .all(|element| granted.contains(&element.path))
            }
            None => false,
        }
    }

    /// All paths (elements, their details, and groups whose elements are all granted) that a
    /// set of granted elements allows; used to filter what is serialised. Paths in `granted`
    /// that are not elements of this catalogue are ignored.
    pub fn allowed_paths(&self, granted: &BTreeSet<String>) -> BTreeSet<String> {
        let is_granted = |position: usize| {
            let entry = &self.entries[position];
            entry.kind == EntryKind::Element && granted.contains(&entry.path)
        };
        self.entries
            .iter()
            .enumerate()
            .filter(|&(position, entry)| match entry.kind {
                EntryKind::Element => is_granted(position),
                EntryKind::Detail => self
                    .detail_element
                    .get(&position)
                    .is_some_and(|&element| is_granted(element)),
                EntryKind::Group => self.group_elements.get(&position).is_some_and(|below| {
                    !below.is_empty() && below.iter().all(|&element| is_granted(element))
                }),
            })
            .map(|(_, entry)| entry.path.clone())
            .collect()
    }
}

/// Reads one data line: `pad;categorie;soort;label;lo_gba`.
fn parse_row(line: &str) -> Result<CatalogueEntry, String> {
    let fields: Vec<&str> = line.split(';').collect();
    let [path, category, kind, label, lo_gba] = fields.as_slice() else {
        return Err(format!(
            "verwacht 5 velden gescheiden door ';', gevonden {}",
            fields.len()
        ));
    };
    if !is_valid_path(path) {
        return Err(format!("ongeldig pad \"{path}\""));
    }
    let category = Catalogue::category(category)
        .ok_or_else(|| format!("onbekende categorie \"{category}\" bij {path}"))?;
    let kind = EntryKind::from_csv(kind)
        .ok_or_else(|| format!("onbekende soort \"{kind}\" bij {path}"))?;
    let label = label.trim();
    if label.is_empty() {
        return Err(format!("geen label bij {path}"));
    }
    let lo_gba = lo_gba.trim();
    let lo_gba = if lo_gba.is_empty() {
        None
    } else if is_lo_gba_number(lo_gba) {
        Some(lo_gba.to_owned())
    } else {
        return Err(format!("ongeldig LO GBA-nummer \"{lo_gba}\" bij {path}"));
    };
    Ok(CatalogueEntry {
        path: (*path).to_owned(),
        category,
        kind,
        label: label.to_owned(),
        lo_gba,
    })
}

/// Dot-separated names of ASCII letters and digits, as Haal Centraal `fields` paths are.
fn is_valid_path(path: &str) -> bool {
    !path.is_empty()
        && path
            .split('.')
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// `cc.gg.ee`: three pairs of digits.
fn is_lo_gba_number(value: &str) -> bool {
    let parts: Vec<&str> = value.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|part| part.len() == 2 && part.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue() -> Catalogue {
        Catalogue::parse(PERSOON_CSV).expect("the embedded catalogue parses")
    }

    fn set(paths: &[&str]) -> BTreeSet<String> {
        paths.iter().map(|path| (*path).to_owned()).collect()
    }

    fn paths<'a>(entries: &[&'a CatalogueEntry]) -> Vec<&'a str> {
        entries.iter().map(|entry| entry.path.as_str()).collect()
    }

    #[test]
    fn embedded_file_parses_completely() {
        let (lenient, errors) = Catalogue::parse_lenient(PERSOON_CSV);
        assert_eq!(errors, vec![]);
        assert_eq!(lenient.len(), 352);
        let strict = catalogue();
        assert_eq!(strict.len(), 352);
        assert_eq!(Catalogue::persoon().len(), 352);
    }

    #[test]
    fn paths_match_the_haal_centraal_fields_list() {
        let catalogue = catalogue();
        let all: Vec<&str> = catalogue.entries().map(|e| e.path.as_str()).collect();
        // Same order as fields-Persoon.csv: first and last paths.
        assert_eq!(all.first(), Some(&"aNummer"));
        assert_eq!(
            all.last(),
            Some(&"adresseringBinnenland.gebruikInLopendeTekst")
        );
        for path in [
            "naam.voornamen",
            "geboorte.datum.langFormaat",
            "verblijfplaats.verblijfadres.postcode",
            "partners.ontbindingHuwelijkPartnerschap.datum.maand",
            "gezag.derden.burgerservicenummer",
            "nationaliteiten.type",
            "verblijfplaatsBinnenland.verblijfadres.locatiebeschrijving",
        ] {
            assert!(catalogue.get(path).is_some(), "{path} is missing");
        }
        // When the shared data sits beside the repository, compare with the source list itself.
        // Read at run time so that the build never depends on it.
        let source = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/data/haalcentraal/fields-Persoon.csv"
        );
        if let Ok(text) = std::fs::read_to_string(source) {
            let expected: Vec<&str> = text
                .trim_start_matches('\u{feff}')
                .lines()
                .map(str::trim)
                .filter(|line| !line.is_empty())
                .skip(1)
                .collect();
            assert_eq!(all, expected);
        }
    }

    #[test]
    fn kinds_per_spot_check() {
        let catalogue = catalogue();
        let kind = |path: &str| catalogue.get(path).map(|entry| entry.kind);
        assert_eq!(kind("naam"), Some(EntryKind::Group));
        assert_eq!(kind("geboorte"), Some(EntryKind::Group));
        assert_eq!(kind("partners"), Some(EntryKind::Group));
        assert_eq!(kind("partners.naam"), Some(EntryKind::Group));
        assert_eq!(kind("verblijfplaats.verblijfadres"), Some(EntryKind::Group));
        assert_eq!(kind("geboorte.datum"), Some(EntryKind::Element));
        assert_eq!(kind("geboorte.datum.datum"), Some(EntryKind::Detail));
        assert_eq!(kind("geslacht.code"), Some(EntryKind::Detail));
        assert_eq!(
            kind("naam.adellijkeTitelPredicaat.soort"),
            Some(EntryKind::Detail)
        );
        assert_eq!(kind("verblijfplaats.type"), Some(EntryKind::Element));
        assert_eq!(kind("nationaliteiten.type"), Some(EntryKind::Element));
        assert_eq!(kind("gezag.type"), Some(EntryKind::Element));
        assert_eq!(kind("leeftijd"), Some(EntryKind::Element));
    }

    #[test]
    fn every_detail_belongs_to_an_element() {
        let catalogue = catalogue();
        for entry in catalogue.entries().filter(|e| e.kind == EntryKind::Detail) {
            let parent = entry
                .path
                .rsplit_once('.')
                .map(|(parent, _)| parent)
                .and_then(|parent| catalogue.get(parent));
            let parent = parent.unwrap_or_else(|| panic!("{} has no parent", entry.path));
            assert_eq!(parent.kind, EntryKind::Element, "parent of {}", entry.path);
            assert_eq!(
                parent.category, entry.category,
                "category of {}",
                entry.path
            );
            assert_eq!(parent.lo_gba, entry.lo_gba, "number of {}", entry.path);
            assert_eq!(
                catalogue.element_of_detail(&entry.path).map(|e| &e.path),
                Some(&parent.path)
            );
        }
    }

    #[test]
    fn every_group_has_an_element_below_it() {
        let catalogue = catalogue();
        for entry in catalogue.entries().filter(|e| e.kind == EntryKind::Group) {
            let elements = catalogue.elements_for(&entry.path).unwrap_or_default();
            assert!(!elements.is_empty(), "{} has no elements", entry.path);
            assert_eq!(entry.lo_gba, None, "group {} has a number", entry.path);
            assert!(
                elements.iter().all(|e| e.category == entry.category),
                "group {} spans categories",
                entry.path
            );
        }
    }

    #[test]
    fn every_element_and_detail_sits_below_its_group() {
        let catalogue = catalogue();
        for entry in catalogue.entries().filter(|e| e.kind != EntryKind::Group) {
            if let Some((parent, _)) = entry.path.rsplit_once('.') {
                let parent = catalogue.get(parent);
                assert!(parent.is_some(), "parent of {} is missing", entry.path);
            }
        }
    }

    #[test]
    fn element_labels_are_unique_per_category() {
        let catalogue = catalogue();
        let mut seen = BTreeSet::new();
        for entry in catalogue.elements() {
            assert!(
                seen.insert((entry.category.code, entry.label.as_str())),
                "label {:?} twice in category {}",
                entry.label,
                entry.category.code
            );
        }
    }

    #[test]
    fn lo_gba_numbers_match_their_category() {
        let catalogue = catalogue();
        for entry in catalogue.elements() {
            if let Some(number) = &entry.lo_gba {
                let category = &number[..2];
                let expected = if category == "03" { "02" } else { category };
                assert_eq!(entry.category.code, expected, "{}", entry.path);
            }
        }
        assert!(catalogue
            .elements_in("AF")
            .iter()
            .all(|e| e.lo_gba.is_none()));
    }

    #[test]
    fn known_numbers() {
        let catalogue = catalogue();
        let bsn = catalogue.get("burgerservicenummer").expect("bsn");
        assert_eq!(bsn.lo_gba.as_deref(), Some("01.01.20"));
        assert_eq!(bsn.category.code, "01");
        assert_eq!(bsn.label, "Burgerservicenummer");
        let postcode = catalogue
            .get("verblijfplaats.verblijfadres.postcode")
            .expect("postcode");
        assert_eq!(postcode.lo_gba.as_deref(), Some("08.11.60"));
        assert_eq!(postcode.category.code, "08");
        assert_eq!(
            catalogue
                .get("geboorte.datum.jaar")
                .and_then(|e| e.lo_gba.as_deref()),
            Some("01.03.10")
        );
        assert_eq!(
            catalogue
                .get("ouders.naam.voornamen")
                .and_then(|e| e.lo_gba.as_deref()),
            Some("02.02.10")
        );
        assert_eq!(
            catalogue.get("leeftijd").map(|e| e.category.code),
            Some("AF")
        );
    }

    #[test]
    fn categories_are_the_fixed_list() {
        let codes: Vec<&str> = Catalogue::categories().iter().map(|c| c.code).collect();
        assert_eq!(
            codes,
            ["01", "02", "04", "05", "06", "07", "08", "09", "10", "11", "13", "AF"]
        );
        let catalogue = catalogue();
        for category in Catalogue::categories() {
            assert!(
                !catalogue.elements_in(category.code).is_empty(),
                "category {} has no elements",
                category.code
            );
        }
        assert!(catalogue.elements_in("12").is_empty());
    }

    #[test]
    fn elements_for_a_group_are_its_elements() {
        let catalogue = catalogue();
        let naam = catalogue.elements_for("naam").expect("naam is known");
        let naam = paths(&naam);
        assert!(naam.contains(&"naam.voornamen"));
        assert!(naam.contains(&"naam.geslachtsnaam"));
        assert!(naam.contains(&"naam.adellijkeTitelPredicaat"));
        assert!(!naam.contains(&"naam.adellijkeTitelPredicaat.code"));
        assert!(naam
            .iter()
            .all(|p| catalogue.get(p).map(|e| e.kind) == Some(EntryKind::Element)));
    }

    #[test]
    fn elements_for_an_element_or_detail() {
        let catalogue = catalogue();
        let datum = catalogue
            .elements_for("geboorte.datum.jaar")
            .expect("known");
        assert_eq!(paths(&datum), ["geboorte.datum"]);
        let datum = catalogue.elements_for("geboorte.datum").expect("known");
        assert_eq!(paths(&datum), ["geboorte.datum"]);
        let titel = catalogue
            .elements_for("partners.naam.adellijkeTitelPredicaat.soort")
            .expect("known");
        assert_eq!(paths(&titel), ["partners.naam.adellijkeTitelPredicaat"]);
    }

    #[test]
    fn covers_a_group_only_when_all_its_elements_are_granted() {
        let catalogue = catalogue();
        let all: BTreeSet<String> = catalogue
            .elements_for("naam")
            .expect("known")
            .iter()
            .map(|e| e.path.clone())
            .collect();
        assert!(catalogue.covers(&all, "naam"));
        let mut missing_one = all.clone();
        missing_one.remove("naam.voorletters");
        assert!(!catalogue.covers(&missing_one, "naam"));
        assert!(catalogue.covers(&missing_one, "naam.voornamen"));
        assert!(!catalogue.covers(&missing_one, "naam.voorletters"));
        // A detail is covered by its element.
        let datum = set(&["geboorte.datum"]);
        assert!(catalogue.covers(&datum, "geboorte.datum.jaar"));
        assert!(!catalogue.covers(&datum, "geboorte"));
        // A granted group path grants nothing by itself.
        assert!(!catalogue.covers(&set(&["naam"]), "naam.voornamen"));
    }

    #[test]
    fn allowed_paths_of_one_element() {
        let catalogue = catalogue();
        let allowed = catalogue.allowed_paths(&set(&["naam.voornamen"]));
        assert!(allowed.contains("naam.voornamen"));
        assert!(!allowed.contains("naam"));
        assert_eq!(allowed.len(), 1);

        let allowed = catalogue.allowed_paths(&set(&[
            "geboorte.datum",
            "geboorte.plaats",
            "geboorte.land",
        ]));
        assert!(allowed.contains("geboorte"));
        assert!(allowed.contains("geboorte.datum"));
        assert!(allowed.contains("geboorte.datum.langFormaat"));
        assert!(allowed.contains("geboorte.land.code"));
        assert!(!allowed.contains("ouders.geboorte"));
        assert_eq!(allowed.len(), 1 + 3 + 6 + 2 + 2);

        assert!(catalogue.allowed_paths(&set(&["onbekend.veld"])).is_empty());
    }

    #[test]
    fn unknown_path() {
        let catalogue = catalogue();
        assert_eq!(catalogue.elements_for("naam.bestaatNiet"), None);
        assert_eq!(catalogue.get("naam.bestaatNiet"), None);
        let everything: BTreeSet<String> = catalogue.elements().map(|e| e.path.clone()).collect();
        assert!(!catalogue.covers(&everything, "naam.bestaatNiet"));
        assert!(!catalogue.covers(&everything, ""));
    }

    #[test]
    fn everything_granted_allows_every_path() {
        let catalogue = catalogue();
        let everything: BTreeSet<String> = catalogue.elements().map(|e| e.path.clone()).collect();
        let allowed = catalogue.allowed_paths(&everything);
        assert_eq!(allowed.len(), catalogue.len());
        for entry in catalogue.entries() {
            assert!(catalogue.covers(&everything, &entry.path), "{}", entry.path);
        }
    }

    #[test]
    fn bad_rows_are_reported_and_skipped() {
        let text = format!(
            "\u{feff}{HEADER}\r\n\
             naam;01;groep;Naam;\r\n\
             naam.voornamen;01;element;Voornamen;01.02.10\r\n\
             naam.voornamen;01;element;Voornamen;01.02.10\n\
             naam.geslachtsnaam;99;element;Geslachtsnaam;01.02.40\n\
             naam.voorvoegsel;01;blad;Voorvoegsel;01.02.30\n\
             naam.x;01;element;X;1.2.3\n\
             naam.y;01;element;;\n\
             naam.z;01;element\n\
             naam..w;01;element;W;\n\
             \n"
        );
        let (catalogue, errors) = Catalogue::parse_lenient(&text);
        assert_eq!(catalogue.len(), 2);
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [4, 5, 6, 7, 8, 9, 10]);
        assert_eq!(Catalogue::parse(&text).err().map(|e| e.line), Some(4));
        assert_eq!(
            paths(&catalogue.elements_for("naam").expect("known")),
            ["naam.voornamen"]
        );
    }

    #[test]
    fn missing_header_or_empty_file_is_an_error() {
        assert!(Catalogue::parse("").is_err());
        let (catalogue, errors) = Catalogue::parse_lenient("naam;01;groep;Naam;\n");
        assert_eq!(errors.len(), 1);
        assert_eq!(catalogue.len(), 1);
    }

    #[test]
    fn entry_kind_csv_words_round_trip() {
        for kind in [EntryKind::Element, EntryKind::Group, EntryKind::Detail] {
            assert_eq!(EntryKind::from_csv(kind.as_csv()), Some(kind));
        }
        assert_eq!(EntryKind::from_csv("Element"), None);
    }
}
