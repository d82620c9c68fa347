//! The BAG identifiers of an address (Basisregistratie Adressen en Gebouwen), by which the
//! Haal Centraal search types `ZoekMetNummeraanduidingIdentificatie` and
//! `ZoekMetAdresseerbaarObjectIdentificatie` find the persons registered there.

use super::text::capitalise;
use crate::ValidationError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Which BAG object an identificatie names. A nummeraanduiding is the address (postcode and
/// house number); an adresseerbaar object is the dwelling it belongs to, which may carry
/// more than one nummeraanduiding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BagKind {
    Nummeraanduiding,
    AdresseerbaarObject,
}

impl BagKind {
    /// The Haal Centraal parameter that carries it; also the field a validation error names.
    pub fn parameter(self) -> &'static str {
        match self {
            BagKind::Nummeraanduiding => "nummeraanduidingIdentificatie",
            BagKind::AdresseerbaarObject => "adresseerbaarObjectIdentificatie",
        }
    }

    fn label(self) -> &'static str {
        match self {
            BagKind::Nummeraanduiding => "de identificatie van de nummeraanduiding",
            BagKind::AdresseerbaarObject => "de identificatie van het adresseerbaar object",
        }
    }
}

/// A BAG identificatie as the Haal Centraal spec allows it: exactly 16 digits, not all
/// zeros (`^(?!0{16})[0-9]{16}$`). The leading zeros belong to it (the first four digits
/// are a gemeentecode), so it stays text.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BagId(String);

impl fmt::Debug for BagId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BagId({})", self.0)
    }
}

impl BagId {
    /// Surrounding white space is forgiven, as for a BSN; nothing else is.
    pub fn parse(kind: BagKind, raw: &str) -> Result<Self, ValidationError> {
        let raw = raw.trim();
        let label = kind.label();
        if raw.is_empty() {
            return Err(ValidationError::new(
                kind.parameter(),
                format!("Vul {label} in."),
            ));
        }
        if !Self::valid(raw) {
            return Err(ValidationError::new(
                kind.parameter(),
                format!(
                    "{} is 16 cijfers (niet allemaal 0), zoals 0599200000219679.",
                    capitalise(label)
                ),
            ));
        }
        Ok(BagId(raw.to_owned()))
    }

    fn valid(s: &str) -> bool {
        s.len() == 16 && s.bytes().all(|b| b.is_ascii_digit()) && s.bytes().any(|b| b != b'0')
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for BagId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<BagId> for String {
    fn from(b: BagId) -> String {
        b.0
    }
}

/// Deserialising checks the form, so a stored or sent query cannot hold an invalid id.
impl TryFrom<String> for BagId {
    type Error = ValidationError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        if Self::valid(&s) {
            Ok(BagId(s))
        } else {
            Err(ValidationError::new(
                "identificatie",
                "Een BAG-identificatie is 16 cijfers.",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn sixteen_digits_and_not_all_zeros() {
        for kind in [BagKind::Nummeraanduiding, BagKind::AdresseerbaarObject] {
            let id = BagId::parse(kind, " 0599200000219679 ").unwrap();
            assert_eq!(id.as_str(), "0599200000219679");
            for bad in [
                "",
                "   ",
                "059920000021967",
                "05992000002196790",
                "0000000000000000",
                "059920000021967a",
                "0599 20000021967",
                "<script>1234567890123456</script>",
                "０５９９２０００００２１９６７９",
            ] {
                let e = BagId::parse(kind, bad).unwrap_err();
                assert_eq!(e.field, kind.parameter(), "{bad:?}");
            }
        }
    }

    #[test]
    fn the_message_says_what_is_missing_or_wrong() {
        let e = BagId::parse(BagKind::Nummeraanduiding, "").unwrap_err();
        assert_eq!(
            e.message,
            "Vul de identificatie van de nummeraanduiding in."
        );
        let e = BagId::parse(BagKind::AdresseerbaarObject, "123").unwrap_err();
        assert!(e
            .message
            .starts_with("De identificatie van het adresseerbaar object is 16"));
    }

    #[test]
    fn deserialising_checks_the_form() {
        let ok: BagId = serde_json::from_str("\"0599010000219679\"").unwrap();
        assert_eq!(ok.to_string(), "0599010000219679");
        assert!(serde_json::from_str::<BagId>("\"0000000000000000\"").is_err());
        assert!(serde_json::from_str::<BagId>("\"12\"").is_err());
    }
}
