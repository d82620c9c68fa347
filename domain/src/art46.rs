//! The legal grounds on which an afnemer's verstrekkingen stay out of a citizen's overview
//! (Wet BRP 3.22, Besluit BRP art. 46).
//!
//! Wet BRP artikel 3.22 gives the ingeschrevene the right to an overview of the
//! verstrekkingen of their data, and lets a lower regulation name the receivers whose
//! verstrekkingen are left out of it, because telling the person would harm their task.
//! DOMAIN.md summarises those receivers as "police, special investigation services, GGD ...",
//! flagged per afnemer with their ground. The list below is the portal's own summary of the
//! kinds of receiver meant (intelligence and security services, police and Koninklijke
//! marechaussee in their police tasks, bijzondere opsporingsdiensten, Openbaar Ministerie,
//! Rijksrecherche, FIOD, NCTV, the GGD in infectious-disease control); it is not the statutory text, which was not among the
//! project's sources, and a municipality must check it against the current text on
//! wetten.overheid.nl before relying on it. The ground is chosen from this list, never
//! typed, so that a flag can only name a kind of receiver the regulation means. The
//! municipality's own departments are never on it: a binnengemeentelijke afnemer cannot
//! hold the flag.

use crate::{AfnemerKind, ValidationError};
use serde::{Deserialize, Serialize};

/// One receiver that Besluit BRP art. 46 names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Art46Ground {
    Aivd,
    Mivd,
    Politie,
    KoninklijkeMarechaussee,
    BijzondereOpsporingsdiensten,
    OpenbaarMinisterie,
    Rijksrecherche,
    Fiod,
    Nctv,
    Ggd,
}

impl Art46Ground {
    pub const ALL: [Art46Ground; 10] = [
        Self::Aivd,
        Self::Mivd,
        Self::Politie,
        Self::KoninklijkeMarechaussee,
        Self::BijzondereOpsporingsdiensten,
        Self::OpenbaarMinisterie,
        Self::Rijksrecherche,
        Self::Fiod,
        Self::Nctv,
        Self::Ggd,
    ];

    /// The stable code sent in forms.
    pub fn code(self) -> &'static str {
        match self {
            Self::Aivd => "aivd",
            Self::Mivd => "mivd",
            Self::Politie => "politie",
            Self::KoninklijkeMarechaussee => "kmar",
            Self::BijzondereOpsporingsdiensten => "bod",
            Self::OpenbaarMinisterie => "om",
            Self::Rijksrecherche => "rijksrecherche",
            Self::Fiod => "fiod",
            Self::Nctv => "nctv",
            Self::Ggd => "ggd",
        }
    }

    /// The ground as stored with the afnemer and shown to staff: the receiver and the
    /// article.
    pub fn label(self) -> &'static str {
        match self {
            Self::Aivd => {
                "Algemene Inlichtingen- en Veiligheidsdienst (art. 46 Besluit BRP, art. 3.22 Wet BRP)"
            }
            Self::Mivd => {
                "Militaire Inlichtingen- en Veiligheidsdienst (art. 46 Besluit BRP, art. 3.22 Wet BRP)"
            }
            Self::Politie => "Politie (art. 46 Besluit BRP, art. 3.22 Wet BRP)",
            Self::KoninklijkeMarechaussee => {
                "Koninklijke marechaussee, voor zover belast met politietaken (art. 46 Besluit BRP, art. 3.22 Wet BRP)"
            }
            Self::BijzondereOpsporingsdiensten => {
                "Bijzondere opsporingsdiensten (art. 46 Besluit BRP, art. 3.22 Wet BRP)"
            }
            Self::OpenbaarMinisterie => {
                "Openbaar Ministerie (art. 46 Besluit BRP, art. 3.22 Wet BRP)"
            }
            Self::Rijksrecherche => "Rijksrecherche (art. 46 Besluit BRP, art. 3.22 Wet BRP)",
            Self::Fiod => {
                "Belastingdienst, voor zover belast met opsporing (FIOD) (art. 46 Besluit BRP, art. 3.22 Wet BRP)"
            }
            Self::Nctv => {
                "Nationaal Coördinator Terrorismebestrijding en Veiligheid (art. 46 Besluit BRP, art. 3.22 Wet BRP)"
            }
            Self::Ggd => {
                "GGD, voor zover belast met de bestrijding van infectieziekten (art. 46 Besluit BRP, art. 3.22 Wet BRP)"
            }
        }
    }

    /// Parses a form's code. Free text is refused: the ground comes from the list.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|g| g.code() == raw.trim())
            .ok_or_else(|| {
                ValidationError::new(
                    "grondslag_verborgen",
                    "Kies de wettelijke grondslag uit de lijst van artikel 46 Besluit BRP.",
                )
            })
    }

    /// The ground of a stored flag (its label, or its code).
    pub fn from_stored(stored: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|g| g.label() == stored || g.code() == stored)
    }
}

/// Whether an afnemer of this kind may hold an art. 46 flag: only a derde, never the
/// municipality's own departments (binnengemeentelijk) nor a vrije derde, which the
/// municipality serves by its own rules (Wet BRP 3.9) and which art. 46 does not name.
pub fn kind_may_hold_ground(kind: AfnemerKind) -> bool {
    kind == AfnemerKind::Derde
}

/// Checks a kind and flag together, as they would be after a change.
pub fn check_kind_and_ground(
    kind: AfnemerKind,
    ground: Option<Art46Ground>,
) -> Result<(), ValidationError> {
    if ground.is_some() && !kind_may_hold_ground(kind) {
        return Err(ValidationError::new(
            "grondslag_verborgen",
            "Alleen een derde die artikel 46 Besluit BRP noemt (politie, opsporingsdiensten, \
             inlichtingendiensten, Openbaar Ministerie …) kan verborgen blijven voor de inwoner; \
             een eigen afdeling van de gemeente of een vrije derde niet.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grounds_round_trip_and_free_text_is_refused() {
        for g in Art46Ground::ALL {
            assert_eq!(Art46Ground::parse(g.code()).unwrap(), g);
            assert_eq!(Art46Ground::from_stored(g.label()), Some(g));
        }
        assert!(Art46Ground::parse("Besluit BRP art. 46").is_err());
        assert!(Art46Ground::parse("").is_err());
    }

    #[test]
    fn only_a_derde_holds_the_flag() {
        let g = Some(Art46Ground::Politie);
        assert!(check_kind_and_ground(AfnemerKind::Derde, g).is_ok());
        assert!(check_kind_and_ground(AfnemerKind::Binnengemeentelijk, g).is_err());
        assert!(check_kind_and_ground(AfnemerKind::VrijeDerde, g).is_err());
        assert!(check_kind_and_ground(AfnemerKind::Binnengemeentelijk, None).is_ok());
    }
}
