//! Staff accounts: who may log in, and as what.

use crate::ValidationError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The staff roles of the portal. Citizens (inwoners) are not staff and never hold a role:
/// they get a separate kind of session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Beheerder,
    Medewerker,
    Toezichthouder,
    /// A task application (taakapplicatie) that looks persons up through the Haal Centraal
    /// API. It is an account so that it holds grants, appears in the protocol and the
    /// herbeoordeling like a medewerker, but it never logs in: it authenticates with client
    /// credentials, and no form can give a person this role or an application another one.
    Applicatie,
}

impl Role {
    /// The roles of people, as forms offer and parse them. [`Role::Applicatie`] is left out
    /// on purpose: it comes about only by registering an application.
    pub const ALL: [Role; 3] = [Role::Beheerder, Role::Medewerker, Role::Toezichthouder];

    /// Every role as stored, for reading the database.
    pub fn from_stored_code(code: &str) -> Option<Role> {
        [
            Role::Beheerder,
            Role::Medewerker,
            Role::Toezichthouder,
            Role::Applicatie,
        ]
        .into_iter()
        .find(|r| r.code() == code)
    }

    /// The stable code stored in the database and sent in forms.
    pub fn code(self) -> &'static str {
        match self {
            Role::Beheerder => "beheerder",
            Role::Medewerker => "medewerker",
            Role::Toezichthouder => "toezichthouder",
            Role::Applicatie => "applicatie",
        }
    }

    /// The label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Role::Beheerder => "BRP-beheerder",
            Role::Medewerker => "Medewerker",
            Role::Toezichthouder => "Toezichthouder",
            Role::Applicatie => "Taakapplicatie",
        }
    }

    /// A medewerker always works for a department (afnemer); their access to BRP data is
    /// tied to it. The other roles may belong to one, but need not.
    pub fn requires_afnemer(self) -> bool {
        matches!(self, Role::Medewerker | Role::Applicatie)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Role {
    type Err = ValidationError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.code() == s.trim())
            .ok_or_else(|| ValidationError::new("rol", "Kies een geldige rol."))
    }
}

/// A login name: 3 to 64 characters, lower case letters, digits, dot, hyphen, underscore.
/// Stored lower case so that "Beheerder" and "beheerder" are the same account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);

impl Username {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let value = raw.trim().to_lowercase();
        let len = value.chars().count();
        if !(3..=64).contains(&len) {
            return Err(ValidationError::new(
                "gebruikersnaam",
                "Een gebruikersnaam heeft 3 tot 64 tekens.",
            ));
        }
        let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c);
        if !value.chars().all(allowed) {
            return Err(ValidationError::new(
                "gebruikersnaam",
                "Gebruik alleen kleine letters, cijfers, punt, streepje of liggend streepje.",
            ));
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Username {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Username> for String {
    fn from(value: Username) -> Self {
        value.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A person's full name as shown in the portal and in letters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        // Collapse runs of white space: a name typed with a double space is the same name.
        let value = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if value.is_empty() {
            return Err(ValidationError::new("naam", "Vul de volledige naam in."));
        }
        if value.chars().count() > 200 {
            return Err(ValidationError::new(
                "naam",
                "Een naam heeft hoogstens 200 tekens.",
            ));
        }
        if value.chars().any(char::is_control) {
            return Err(ValidationError::new(
                "naam",
                "De naam bevat een teken dat niet is toegestaan.",
            ));
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for DisplayName {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<DisplayName> for String {
    fn from(value: DisplayName) -> Self {
        value.0
    }
}

impl fmt::Display for DisplayName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An e-mail address, checked only for its shape: whether it exists shows when mail is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let value = raw.trim();
        let invalid = || {
            ValidationError::new(
                "email",
                "Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.",
            )
        };
        if value.len() > 254 || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid());
        }
        let (local, domain) = value.split_once('@').ok_or_else(invalid)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
            && !domain.contains("..");
        if local.is_empty() || !domain_ok {
            return Err(invalid());
        }
        Ok(Self(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for EmailAddress {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<EmailAddress> for String {
    fn from(value: EmailAddress) -> Self {
        value.0
    }
}

/// A password that someone chooses now. Existing passwords are never parsed: a login checks
/// whatever was typed against the stored hash, so tightening this rule never locks anyone out.
///
/// Deliberately not `Serialize` and without `Display`: it must not end up in logs or JSON.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    /// NCSC and NIST advise length over composition rules; 12 is the portal's minimum.
    pub const MIN_CHARS: usize = 12;
    /// Long enough for any pass phrase, short enough that hashing it is no denial of service.
    pub const MAX_CHARS: usize = 256;

    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let len = raw.chars().count();
        if len < Self::MIN_CHARS {
            return Err(ValidationError::new(
                "wachtwoord",
                format!("Een wachtwoord heeft minstens {} tekens.", Self::MIN_CHARS),
            ));
        }
        if len > Self::MAX_CHARS {
            return Err(ValidationError::new(
                "wachtwoord",
                format!("Een wachtwoord heeft hoogstens {} tekens.", Self::MAX_CHARS),
            ));
        }
        if raw.trim().is_empty() {
            return Err(ValidationError::new(
                "wachtwoord",
                "Een wachtwoord bestaat niet alleen uit spaties.",
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

/// A staff account as the portal shows it. The password hash never leaves the service layer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub id: i64,
    pub username: Username,
    pub display_name: DisplayName,
    pub email: Option<EmailAddress>,
    pub role: Role,
    pub afnemer: Option<crate::AfnemerRef>,
    pub active: bool,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_folded_to_lower_case_and_limited() {
        assert_eq!(
            Username::parse("  Beheerder ").unwrap().as_str(),
            "beheerder"
        );
        assert!(Username::parse("ab").is_err());
        assert!(Username::parse("jan jansen").is_err());
        assert!(Username::parse("jan@jansen").is_err());
        assert!(Username::parse(&"a".repeat(65)).is_err());
        assert!(Username::parse("j.de-vries_2").is_ok());
    }

    #[test]
    fn passwords_need_twelve_characters_counted_as_characters() {
        assert!(NewPassword::parse("elf-tekens!").is_err());
        assert!(NewPassword::parse("twaalf-tekens").is_ok());
        // Twelve characters, more bytes: counted as characters.
        assert!(NewPassword::parse("éééééééééééé").is_ok());
        assert!(NewPassword::parse(&" ".repeat(20)).is_err());
        assert!(NewPassword::parse(&"x".repeat(257)).is_err());
    }

    #[test]
    fn passwords_do_not_print() {
        let p = NewPassword::parse("geheim-geheim-geheim").unwrap();
        assert!(!format!("{p:?}").contains("geheim"));
    }

    #[test]
    fn roles_round_trip_through_their_code() {
        for role in Role::ALL {
            assert_eq!(role.code().parse::<Role>().unwrap(), role);
        }
        assert!("admin".parse::<Role>().is_err());
        // No form can make an application account.
        assert!("applicatie".parse::<Role>().is_err());
        assert_eq!(Role::from_stored_code("applicatie"), Some(Role::Applicatie));
        assert!(Role::Medewerker.requires_afnemer());
        assert!(!Role::Beheerder.requires_afnemer());
    }

    #[test]
    fn display_names_are_trimmed_and_collapsed() {
        assert_eq!(
            DisplayName::parse("  Jan   de  Vries ").unwrap().as_str(),
            "Jan de Vries"
        );
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse("Jan\u{0007}").is_err());
    }

    #[test]
    fn email_addresses_are_checked_for_shape() {
        assert!(EmailAddress::parse("a.b@voorbeeld.nl").is_ok());
        for bad in [
            "",
            "geen-at",
            "@voorbeeld.nl",
            "a@b",
            "a@.nl",
            "a@b..nl",
            "a b@c.nl",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad}");
        }
    }
}
