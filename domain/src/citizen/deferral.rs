//! Verdaging of a correctie (Wet BRP 2.58 lid 2): "Indien het verzoek betrekking heeft op
//! gegevens over de burgerlijke staat of de nationaliteit, kan het college de beslissing
//! voor ten hoogste acht weken verdagen." One deferral, of at most eight weeks, for those
//! elements only, announced while the first term still runs.

use super::correction::CorrectableField;
use super::{CitizenRequest, RequestKind};
use crate::ValidationError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Why a correctie is deferred: Wet BRP 2.58 lid 2 allows it only for these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExtensionGround {
    BurgerlijkeStaat,
    Nationaliteit,
}

impl ExtensionGround {
    pub fn code(self) -> &'static str {
        match self {
            Self::BurgerlijkeStaat => "burgerlijke_staat",
            Self::Nationaliteit => "nationaliteit",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        [Self::BurgerlijkeStaat, Self::Nationaliteit]
            .into_iter()
            .find(|g| g.code() == raw.trim())
            .ok_or_else(|| {
                ValidationError::new(
                    "grond",
                    "Verdagen kan alleen als het verzoek gaat over burgerlijke staat of \
                     nationaliteit.",
                )
            })
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::BurgerlijkeStaat => "het verzoek gaat over uw burgerlijke staat",
            Self::Nationaliteit => "het verzoek gaat over uw nationaliteit",
        }
    }
}

impl CorrectableField {
    /// The ground of 2.58 lid 2 that a correctie of this element falls under, if any.
    ///
    /// Burgerlijke staat is the staat van de persoon of Boek 1 BW: the data the BRP takes
    /// from akten van de burgerlijke stand and court rulings (Wet BRP 2.8): the name
    /// (voornamen, voorvoegsel, geslachtsnaam; Boek 1 titel 2) and the birth (geboortedatum,
    /// from the geboorteakte). Correcting those may need a deed from abroad or a court
    /// ruling, which is why the law allows more time. The address elements are not
    /// burgerlijke staat: they come from the citizen's own aangifte van adreswijziging and
    /// can be checked within the four weeks. No nationaliteit element can be asked for in the
    /// portal, so that ground never fits a request made here.
    pub fn extension_ground(self) -> Option<ExtensionGround> {
        match self {
            Self::Voornamen | Self::Voorvoegsel | Self::Geslachtsnaam | Self::Geboortedatum => {
                Some(ExtensionGround::BurgerlijkeStaat)
            }
            Self::Straatnaam
            | Self::Huisnummer
            | Self::Huisletter
            | Self::Huisnummertoevoeging
            | Self::Postcode
            | Self::Woonplaats => None,
        }
    }
}

/// Why a request cannot be deferred (now).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoDeferral {
    /// Not a correctie, or a correctie of an element outside burgerlijke staat and
    /// nationaliteit.
    NoGround,
    /// The one deferral the law allows was already made.
    AlreadyDeferred,
    /// The first term has ended: a deferral must be announced before it does.
    TermEnded,
    /// Decided already.
    Closed,
}

impl NoDeferral {
    /// The Dutch reason, for the beheerder.
    pub fn message(self) -> &'static str {
        match self {
            Self::NoGround => {
                "Verdagen kan alleen bij een correctie van gegevens over burgerlijke staat of \
                 nationaliteit (Wet BRP 2.58, tweede lid)."
            }
            Self::AlreadyDeferred => {
                "De beslissing is al een keer verdaagd. De wet staat één verdaging van ten \
                 hoogste 8 weken toe."
            }
            Self::TermEnded => {
                "De termijn van 4 weken is al verstreken. Verdagen moet vóór het einde van die \
                 termijn."
            }
            Self::Closed => "Over dit verzoek is al besloten.",
        }
    }
}

impl CitizenRequest {
    /// The ground the request could be deferred on, from the element it is about.
    pub fn deferral_ground(&self) -> Option<ExtensionGround> {
        if self.kind != RequestKind::Correctie {
            return None;
        }
        self.correction
            .as_ref()
            .and_then(|c| c.field.extension_ground())
    }

    /// Whether the decision may be deferred on `today`, and on which ground.
    pub fn deferral(&self, today: NaiveDate) -> Result<ExtensionGround, NoDeferral> {
        if !self.status.is_open() {
            return Err(NoDeferral::Closed);
        }
        let ground = self.deferral_ground().ok_or(NoDeferral::NoGround)?;
        if self.extensions() > 0 {
            return Err(NoDeferral::AlreadyDeferred);
        }
        // Without a deferral the running term is the first one (four weeks, plus any days
        // it stood still under Awb 4:15, moved off a weekend or holiday).
        if self.deadline(today).days_left < 0 {
            return Err(NoDeferral::TermEnded);
        }
        Ok(ground)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::super::tests::{event, request};
    use super::*;
    use crate::citizen::{CorrectionAsk, EventKind, RequestStatus};

    fn correctie(field: CorrectableField) -> CitizenRequest {
        let mut r = request(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
        r.correction = Some(CorrectionAsk {
            field,
            current_value: "a".into(),
            proposed_value: "b".into(),
        });
        r
    }

    #[test]
    fn only_burgerlijke_staat_once_and_within_the_first_term() {
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let mut r = correctie(CorrectableField::Geslachtsnaam);
        assert_eq!(
            r.deferral(day(12, 2)),
            Ok(ExtensionGround::BurgerlijkeStaat)
        );
        assert_eq!(
            r.deferral(day(12, 29)),
            Ok(ExtensionGround::BurgerlijkeStaat)
        );
        assert_eq!(r.deferral(day(12, 30)), Err(NoDeferral::TermEnded));
        r.events.push(event(EventKind::Verdaagd, 2026, 12, 10));
        assert_eq!(r.deferral(day(12, 11)), Err(NoDeferral::AlreadyDeferred));
        assert_eq!(
            correctie(CorrectableField::Postcode).deferral(day(12, 2)),
            Err(NoDeferral::NoGround)
        );
        let mut inzage = correctie(CorrectableField::Geboortedatum);
        inzage.kind = RequestKind::Inzage;
        assert_eq!(inzage.deferral(day(12, 2)), Err(NoDeferral::NoGround));
        let mut closed = correctie(CorrectableField::Voornamen);
        closed.status = RequestStatus::Afgehandeld;
        assert_eq!(closed.deferral(day(12, 2)), Err(NoDeferral::Closed));
    }
}
