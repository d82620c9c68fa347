//! Vrije derden (Wet BRP 3.9; formerly art. 100 Wet GBA): non-profit parties outside
//! government that the municipality may serve by its own rules. The two rules of the seeds:
//!
//! - **At most the permitted data set.** Reglement Maasgouw (seed 001) art. 8 and bijlage 4
//!   allow a vrije derde "maximaal de gegevens genoemd in art. 100, lid 2 Wet GBA"; the
//!   Wormerland privacyverordening (seed 004) art. 5 spells that list out: "algemene en
//!   verwijsgegevens over de naam, de geslachtsnaam van de echtgenoot dan wel geregistreerde
//!   partner, de eerdere echtgenoot of eerder geregistreerde partner, het gebruik door de
//!   ingeschrevene van de geslachtsnaam van de echtgenoot (...), het adres, de gemeente van
//!   inschrijving, de geboortedatum en de datum van overlijden". The burgerservicenummer is
//!   not on it, so a vrije derde never gets it.
//! - **Consent or a weighing, recorded.** A rechtspersoon without profit motive only "voor
//!   zover de persoonlijke levenssfeer daardoor niet onevenredig wordt geschaad" (001 art. 8,
//!   004 art. 5 sub 1), after checking the dringende maatschappelijke behoefte, the
//!   proportion to the doel and that the doel cannot be reached less intrusively (001
//!   bijlage 4, conditions); a natuurlijk persoon only for a personal, non-commercial
//!   interest with the prior written consent of the ingeschrevene (004 art. 5 sub 2; 001
//!   bijlage 4 "Natuurlijke personen"), consents kept a year (001, toelichting art. 8).

use crate::authorisation::{required_text, ProfileContent, SearchType};
use crate::catalogue::Catalogue;
use crate::ValidationError;
use serde::{Deserialize, Serialize};

/// Where the permitted data set comes from, for messages and the reglement.
pub const PERMITTED_SOURCE: &str = "artikel 5 van de privacyverordening en bijlage 4 van het \
reglement (artikel 100, tweede lid, Wet GBA; nu artikel 3.9 Wet BRP)";

/// The data elements a vrije derde may receive (seed 004 art. 5; seed 001 bijlage 4), as
/// catalogue paths. Each line group names the words of art. 5 it stands for.
pub const PERMITTED_ELEMENTS: &[&str] = &[
    // "de naam"
    "naam.voornamen",
    "naam.adellijkeTitelPredicaat",
    "naam.voorvoegsel",
    "naam.geslachtsnaam",
    "naam.voorletters",
    "naam.volledigeNaam",
    // "het gebruik door de ingeschrevene van de geslachtsnaam van de echtgenoot (...)"
    "naam.aanduidingNaamgebruik",
    // "de geslachtsnaam van de echtgenoot dan wel geregistreerde partner, de eerdere (...)"
    "partners.naam.voorvoegsel",
    "partners.naam.geslachtsnaam",
    // "het adres"
    "verblijfplaats.verblijfadres.officieleStraatnaam",
    "verblijfplaats.verblijfadres.korteStraatnaam",
    "verblijfplaats.verblijfadres.huisnummer",
    "verblijfplaats.verblijfadres.huisletter",
    "verblijfplaats.verblijfadres.huisnummertoevoeging",
    "verblijfplaats.verblijfadres.aanduidingBijHuisnummer",
    "verblijfplaats.verblijfadres.postcode",
    "verblijfplaats.verblijfadres.woonplaats",
    "verblijfplaats.verblijfadres.locatiebeschrijving",
    "verblijfplaats.verblijfadres.land",
    "verblijfplaats.verblijfadres.regel1",
    "verblijfplaats.verblijfadres.regel2",
    "verblijfplaats.verblijfadres.regel3",
    "verblijfplaatsBinnenland.verblijfadres.officieleStraatnaam",
    "verblijfplaatsBinnenland.verblijfadres.korteStraatnaam",
    "verblijfplaatsBinnenland.verblijfadres.huisnummer",
    "verblijfplaatsBinnenland.verblijfadres.huisletter",
    "verblijfplaatsBinnenland.verblijfadres.huisnummertoevoeging",
    "verblijfplaatsBinnenland.verblijfadres.aanduidingBijHuisnummer",
    "verblijfplaatsBinnenland.verblijfadres.postcode",
    "verblijfplaatsBinnenland.verblijfadres.woonplaats",
    "verblijfplaatsBinnenland.verblijfadres.locatiebeschrijving",
    "adressering.adresregel1",
    "adressering.adresregel2",
    "adressering.adresregel3",
    "adressering.land",
    "adresseringBinnenland.adresregel1",
    "adresseringBinnenland.adresregel2",
    // "de gemeente van inschrijving"
    "gemeenteVanInschrijving",
    // "de geboortedatum"
    "geboorte.datum",
    // "de datum van overlijden"
    "overlijden.datum",
];

/// Whether a vrije derde may receive this catalogue element.
pub fn permitted(path: &str) -> bool {
    PERMITTED_ELEMENTS.contains(&path)
}

/// The legal basis of a provision to a vrije derde, recorded with the profile version that
/// a second beheerder approves (the portal's autorisatiebesluit for that afnemer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "grond", rename_all = "snake_case")]
pub enum VrijeDerdeBasis {
    /// A rechtspersoon without profit motive: the weighing of interests.
    Belangenafweging {
        /// The dringende maatschappelijke behoefte or gemeentelijk belang the provision serves.
        behoefte: String,
        /// Why it is in proportion to the doel and does not harm the persoonlijke
        /// levenssfeer disproportionately.
        evenredigheid: String,
        /// Why the doel cannot be reached in a less intrusive way.
        subsidiariteit: String,
    },
    /// A natuurlijk persoon with a personal, non-commercial interest: each verstrekking only
    /// after the written consent of the ingeschrevene; the zaak of each lookup names it.
    Toestemming {
        /// The personal, non-commercial interest.
        belang: String,
        /// Where and how the written consents are kept (at least a year).
        bewaring: String,
    },
}

/// The form's values for a [`VrijeDerdeBasis`], as they arrive.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VrijeDerdeBasisInput {
    /// `belangenafweging` or `toestemming`.
    pub grond: String,
    /// The beheerder confirms the derde seeks no profit with the data.
    pub geen_winstoogmerk: bool,
    pub behoefte: String,
    pub evenredigheid: String,
    pub subsidiariteit: String,
    pub belang: String,
    pub bewaring: String,
}

impl VrijeDerdeBasisInput {
    /// The form's values back from a stored basis, to fill in a change.
    pub fn from_basis(basis: &VrijeDerdeBasis) -> Self {
        match basis.clone() {
            VrijeDerdeBasis::Belangenafweging {
                behoefte,
                evenredigheid,
                subsidiariteit,
            } => Self {
                grond: "belangenafweging".into(),
                geen_winstoogmerk: true,
                behoefte,
                evenredigheid,
                subsidiariteit,
                ..Self::default()
            },
            VrijeDerdeBasis::Toestemming { belang, bewaring } => Self {
                grond: "toestemming".into(),
                geen_winstoogmerk: true,
                belang,
                bewaring,
                ..Self::default()
            },
        }
    }

    /// Nothing filled in: the form was not for a vrije derde.
    pub fn is_empty(&self) -> bool {
        self.grond.trim().is_empty()
    }

    pub fn parse(&self) -> Result<VrijeDerdeBasis, ValidationError> {
        // Both grounds are for parties without profit motive (001 bijlage 4: "Er mogen geen
        // gegevens worden verstrekt (...) indien een winstoogmerk met de verkrijging wordt
        // beoogd"; 004 art. 5: "niet-commercieel belang").
        let confirm_no_profit = || {
            if self.geen_winstoogmerk {
                Ok(())
            } else {
                Err(ValidationError::new(
                    "geen_winstoogmerk",
                    "Een vrije derde krijgt alleen gegevens zonder winstoogmerk (bijlage 4 van \
                     het reglement). Bevestig dat de afnemer er geen winst mee beoogt.",
                ))
            }
        };
        match self.grond.trim() {
            "belangenafweging" => {
                confirm_no_profit()?;
                Ok(VrijeDerdeBasis::Belangenafweging {
                    behoefte: required_text("behoefte", &self.behoefte, 2000)?,
                    evenredigheid: required_text("evenredigheid", &self.evenredigheid, 2000)?,
                    subsidiariteit: required_text("subsidiariteit", &self.subsidiariteit, 2000)?,
                })
            }
            "toestemming" => {
                confirm_no_profit()?;
                Ok(VrijeDerdeBasis::Toestemming {
                    belang: required_text("belang", &self.belang, 2000)?,
                    bewaring: required_text("bewaring", &self.bewaring, 2000)?,
                })
            }
            _ => Err(ValidationError::new(
                "vrije_derde_grond",
                "Kies de grond voor verstrekking aan deze vrije derde: belangenafweging \
                 (rechtspersoon) of toestemming van de ingeschrevene (natuurlijk persoon).",
            )),
        }
    }
}

impl VrijeDerdeBasis {
    pub fn label(&self) -> &'static str {
        match self {
            Self::Belangenafweging { .. } => {
                "Belangenafweging (rechtspersoon zonder winstoogmerk; artikel 8 en bijlage 4 \
                 van het reglement)"
            }
            Self::Toestemming { .. } => {
                "Voorafgaande schriftelijke toestemming van de ingeschrevene (natuurlijk \
                 persoon; artikel 5 van de privacyverordening)"
            }
        }
    }

    /// The recorded answers as (question, answer), to show with the decision.
    pub fn lines(&self) -> Vec<(&'static str, String)> {
        match self {
            Self::Belangenafweging {
                behoefte,
                evenredigheid,
                subsidiariteit,
            } => vec![
                (
                    "Winstoogmerk",
                    "Nee, bevestigd door de beheerder".to_owned(),
                ),
                ("Dringende maatschappelijke behoefte", behoefte.clone()),
                ("Evenredigheid met het doel", evenredigheid.clone()),
                (
                    "Niet op minder ingrijpende wijze te bereiken",
                    subsidiariteit.clone(),
                ),
            ],
            Self::Toestemming { belang, bewaring } => vec![
                ("Persoonlijk, niet-commercieel belang", belang.clone()),
                (
                    "Bewaring van de schriftelijke toestemmingen",
                    bewaring.clone(),
                ),
                (
                    "Per bevraging",
                    "Het zaaknummer verwijst naar de schriftelijke toestemming van de \
                     ingeschrevene."
                        .to_owned(),
                ),
            ],
        }
    }

    /// A one-line summary for the audit trail.
    pub fn summary(&self) -> String {
        self.lines()
            .into_iter()
            .map(|(q, a)| format!("{q}: {a}"))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// The rules for a vrije derde's profile version: only permitted elements, never the BSN
/// (not as a datum, not as a search key), a recorded basis, and with consent a zaak on every
/// lookup that names the consent.
pub fn check_profile(
    content: &ProfileContent,
    basis: Option<&VrijeDerdeBasis>,
) -> Result<(), ValidationError> {
    let catalogue = Catalogue::persoon();
    let outside: Vec<String> = content
        .fields
        .iter()
        .filter(|f| !permitted(f))
        .map(|f| {
            catalogue
                .get(f)
                .map_or_else(|| f.clone(), |e| format!("{} ({f})", e.label))
        })
        .collect();
    if !outside.is_empty() {
        let bsn = content
            .fields
            .iter()
            .any(|f| f.ends_with("burgerservicenummer"));
        return Err(ValidationError::new(
            "velden",
            format!(
                "{}Een vrije derde krijgt hoogstens de gegevens van {PERMITTED_SOURCE}. Niet \
                 toegestaan: {}.",
                if bsn {
                    "Een vrije derde krijgt nooit het burgerservicenummer. "
                } else {
                    ""
                },
                outside.join(", ")
            ),
        ));
    }
    if content
        .search_types
        .contains(&SearchType::RaadpleegMetBurgerservicenummer)
    {
        // A consult by BSN tells the asker whose number it is: that is providing the BSN.
        return Err(ValidationError::new(
            "zoekvormen",
            "Een vrije derde krijgt nooit het burgerservicenummer, dus ook geen raadpleging \
             met burgerservicenummer. Kies een andere zoekvorm.",
        ));
    }
    match basis {
        None => Err(ValidationError::new(
            "vrije_derde_grond",
            "Leg voor deze vrije derde de belangenafweging of de toestemming vast die het \
             reglement vraagt (artikel 8 en bijlage 4).",
        )),
        Some(VrijeDerdeBasis::Toestemming { .. }) if !content.zaak_required => {
            Err(ValidationError::new(
                "zaak_verplicht",
                "Bij verstrekking met toestemming is het zaaknummer verplicht: het verwijst \
                 per bevraging naar de schriftelijke toestemming van de ingeschrevene.",
            ))
        }
        Some(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_permitted_set_is_in_the_catalogue_and_never_holds_a_bsn() {
        let catalogue = Catalogue::persoon();
        for path in PERMITTED_ELEMENTS {
            let entry = catalogue.get(path).unwrap_or_else(|| panic!("{path}"));
            assert_eq!(entry.kind, crate::catalogue::EntryKind::Element, "{path}");
            assert!(!path.contains("burgerservicenummer"), "{path}");
        }
    }

    fn content(fields: &[&str], zaak: bool) -> ProfileContent {
        ProfileContent {
            fields: fields.iter().map(|s| s.to_string()).collect(),
            search_types: [SearchType::ZoekMetGeslachtsnaamEnGeboortedatum].into(),
            doelen: [1].into(),
            own_residents_only: false,
            zaak_required: zaak,
        }
    }

    #[test]
    fn a_vrije_derde_profile_holds_only_the_permitted_set_with_a_basis() {
        let weighing = VrijeDerdeBasis::Belangenafweging {
            behoefte: "b".into(),
            evenredigheid: "e".into(),
            subsidiariteit: "s".into(),
        };
        let ok = content(&["naam.geslachtsnaam", "geboorte.datum"], false);
        assert!(check_profile(&ok, Some(&weighing)).is_ok());
        let e = check_profile(&ok, None).unwrap_err();
        assert_eq!(e.field, "vrije_derde_grond");

        let bsn = content(&["naam.geslachtsnaam", "burgerservicenummer"], false);
        let e = check_profile(&bsn, Some(&weighing)).unwrap_err();
        assert_eq!(e.field, "velden");
        assert!(e.message.contains("nooit het burgerservicenummer"), "{e}");
        assert!(e
            .message
            .contains("Burgerservicenummer (burgerservicenummer)"));
        let geslacht = content(&["geslacht"], false);
        assert!(check_profile(&geslacht, Some(&weighing))
            .unwrap_err()
            .message
            .contains("Geslacht (geslacht)"));

        let mut by_bsn = ok.clone();
        by_bsn
            .search_types
            .insert(SearchType::RaadpleegMetBurgerservicenummer);
        assert_eq!(
            check_profile(&by_bsn, Some(&weighing)).unwrap_err().field,
            "zoekvormen"
        );

        let consent = VrijeDerdeBasis::Toestemming {
            belang: "reünie".into(),
            bewaring: "zaaksysteem".into(),
        };
        assert_eq!(
            check_profile(&ok, Some(&consent)).unwrap_err().field,
            "zaak_verplicht"
        );
        assert!(check_profile(&content(&["naam.geslachtsnaam"], true), Some(&consent)).is_ok());
    }

    #[test]
    fn the_basis_form_needs_every_answer_of_its_ground() {
        let mut input = VrijeDerdeBasisInput {
            grond: "belangenafweging".into(),
            geen_winstoogmerk: true,
            behoefte: "Ledenadministratie bibliotheek".into(),
            evenredigheid: "Alleen naam en adres".into(),
            subsidiariteit: " ".into(),
            ..Default::default()
        };
        assert_eq!(input.parse().unwrap_err().field, "subsidiariteit");
        input.subsidiariteit = "Leden geven het adres niet altijd door".into();
        let basis = input.parse().unwrap();
        assert_eq!(VrijeDerdeBasisInput::from_basis(&basis), input);
        input.geen_winstoogmerk = false;
        assert_eq!(input.parse().unwrap_err().field, "geen_winstoogmerk");
        input.grond = "iets".into();
        assert_eq!(input.parse().unwrap_err().field, "vrije_derde_grond");
    }
}
