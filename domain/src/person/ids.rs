//! The two person numbers: burgerservicenummer and A-nummer, each with its check.

use crate::ValidationError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A burgerservicenummer: nine digits that pass the elfproef
/// (9·d1 + 8·d2 + … + 2·d8 − 1·d9 is divisible by 11), and not all zeros.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Bsn([u8; 9]);

impl fmt::Debug for Bsn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Bsn({self})")
    }
}

impl Bsn {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let digits = nine_digits(raw.trim()).ok_or_else(|| {
            ValidationError::new(
                "burgerservicenummer",
                format!(
                    "‘{}’ is geen burgerservicenummer: dat zijn 9 cijfers.",
                    raw.trim()
                ),
            )
        })?;
        let bsn = Bsn(digits);
        if !bsn.passes_elfproef() {
            return Err(ValidationError::new(
                "burgerservicenummer",
                format!(
                    "{bsn} is geen geldig burgerservicenummer (de elfproef klopt niet). \
                     Controleer het nummer."
                ),
            ));
        }
        Ok(bsn)
    }

    /// The BSN made of eight digits and the ninth that makes the elfproef hold, if one does.
    /// Used by the population generator, which counts through the first eight digits.
    pub fn complete(first_eight: u32) -> Option<Self> {
        if first_eight > 99_999_999 {
            return None;
        }
        let mut digits = [0u8; 9];
        let mut rest = first_eight;
        for d in digits[..8].iter_mut().rev() {
            *d = (rest % 10) as u8;
            rest /= 10;
        }
        let sum: i64 = digits[..8]
            .iter()
            .zip((2..=9).rev())
            .map(|(&d, w)| i64::from(d) * w)
            .sum();
        // sum − d9 ≡ 0 (mod 11) → d9 = sum mod 11, which must be a single digit.
        let last = sum.rem_euclid(11);
        if last > 9 {
            return None;
        }
        digits[8] = last as u8;
        let bsn = Bsn(digits);
        bsn.passes_elfproef().then_some(bsn)
    }

    fn passes_elfproef(&self) -> bool {
        if self.0.iter().all(|&d| d == 0) {
            return false;
        }
        let sum: i64 = self.0[..8]
            .iter()
            .zip((2..=9).rev())
            .map(|(&d, w)| i64::from(d) * w)
            .sum::<i64>()
            - i64::from(self.0[8]);
        sum.rem_euclid(11) == 0
    }
}

fn nine_digits(raw: &str) -> Option<[u8; 9]> {
    let bytes = raw.as_bytes();
    if bytes.len() != 9 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut digits = [0u8; 9];
    for (d, b) in digits.iter_mut().zip(bytes) {
        *d = b - b'0';
    }
    Some(digits)
}

impl fmt::Display for Bsn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in self.0 {
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl From<Bsn> for String {
    fn from(b: Bsn) -> String {
        b.to_string()
    }
}

impl TryFrom<String> for Bsn {
    type Error = ValidationError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Bsn::parse(&s)
    }
}

/// An A-nummer (administratienummer), by the LO GBA rules: ten digits, the first not 0, no
/// two equal digits side by side, the digit sum ≡ 0 or 5 (mod 11), and
/// Σ dᵢ·2ⁱ ≡ 0 (mod 11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ANummer(u64);

impl ANummer {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let raw = raw.trim();
        let invalid = || {
            ValidationError::new(
                "aNummer",
                format!("‘{raw}’ is geen geldig A-nummer (10 cijfers volgens de LO GBA-controle)."),
            )
        };
        if raw.len() != 10 || !raw.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid());
        }
        let digits: Vec<u64> = raw.bytes().map(|b| u64::from(b - b'0')).collect();
        if !Self::digits_valid(&digits) {
            return Err(invalid());
        }
        raw.parse().map(ANummer).map_err(|_| invalid())
    }

    fn digits_valid(digits: &[u64]) -> bool {
        if digits.len() != 10 || digits[0] == 0 {
            return false;
        }
        if digits.windows(2).any(|w| w[0] == w[1]) {
            return false;
        }
        let sum: u64 = digits.iter().sum();
        if !sum.is_multiple_of(11) && sum % 11 != 5 {
            return false;
        }
        let weighted: u64 = digits.iter().enumerate().map(|(i, &d)| d << i).sum();
        weighted.is_multiple_of(11)
    }

    /// The next valid A-nummer after `from` (exclusive), searching upwards; for generating.
    pub fn next_after(from: u64) -> Option<Self> {
        let mut candidate = from.checked_add(1)?;
        while candidate <= 9_999_999_999 {
            let s = format!("{candidate:010}");
            let digits: Vec<u64> = s.bytes().map(|b| u64::from(b - b'0')).collect();
            if Self::digits_valid(&digits) {
                return Some(ANummer(candidate));
            }
            candidate += 1;
        }
        None
    }

    pub fn value(self) -> u64 {
        self.0
    }
}

impl fmt::Display for ANummer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:010}", self.0)
    }
}

impl From<ANummer> for String {
    fn from(a: ANummer) -> String {
        a.to_string()
    }
}

impl TryFrom<String> for ANummer {
    type Error = ValidationError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        ANummer::parse(&s)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn bsn_elfproef() {
        // From RvIG's test data.
        assert!(Bsn::parse("999993653").is_ok());
        assert!(Bsn::parse("000009842").is_ok());
        assert!(Bsn::parse(" 999993653 ").is_ok());
        // One digit changed breaks the check.
        assert!(Bsn::parse("999993654").is_err());
        assert!(Bsn::parse("000000000").is_err());
        assert!(Bsn::parse("99999365").is_err());
        assert!(Bsn::parse("99999365a").is_err());
        assert!(Bsn::parse("9999936530").is_err());
    }

    #[test]
    fn completing_eight_digits_gives_valid_bsns() {
        let mut made = 0;
        for n in 10_000_000..10_001_000 {
            if let Some(bsn) = Bsn::complete(n) {
                assert_eq!(Bsn::parse(&bsn.to_string()), Ok(bsn));
                assert!(bsn.to_string().starts_with(&n.to_string()));
                made += 1;
            }
        }
        // 10 of every 11 prefixes have a check digit.
        assert!(made > 850, "{made}");
    }

    #[test]
    fn a_nummer_rules() {
        assert!(ANummer::parse("4537853450").is_ok());
        assert!(ANummer::parse("0537853450").is_err());
        assert!(ANummer::parse("4537853451").is_err());
        assert!(ANummer::parse("453785345").is_err());
        let next = ANummer::next_after(1_000_000_000).unwrap();
        assert_eq!(ANummer::parse(&next.to_string()), Ok(next));
    }
}
