//! The authorisation model: grondslagen, doelen, autorisatieprofielen with their versions,
//! autorisatieformulieren (requests) and the grants (autorisaties) that come from them.
//!
//! Rules that need the date take it as an argument.

use crate::{AfnemerRef, ValidationError};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

/// The Haal Centraal BRP Personen search and consult types a profile can allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SearchType {
    RaadpleegMetBurgerservicenummer,
    ZoekMetGeslachtsnaamEnGeboortedatum,
    ZoekMetNaamEnGemeenteVanInschrijving,
    ZoekMetPostcodeEnHuisnummer,
    ZoekMetStraatHuisnummerEnGemeenteVanInschrijving,
    ZoekMetNummeraanduidingIdentificatie,
    ZoekMetAdresseerbaarObjectIdentificatie,
}

impl SearchType {
    pub const ALL: [SearchType; 7] = [
        SearchType::RaadpleegMetBurgerservicenummer,
        SearchType::ZoekMetGeslachtsnaamEnGeboortedatum,
        SearchType::ZoekMetNaamEnGemeenteVanInschrijving,
        SearchType::ZoekMetPostcodeEnHuisnummer,
        SearchType::ZoekMetStraatHuisnummerEnGemeenteVanInschrijving,
        SearchType::ZoekMetNummeraanduidingIdentificatie,
        SearchType::ZoekMetAdresseerbaarObjectIdentificatie,
    ];

    /// The `type` value of the Haal Centraal API.
    pub fn code(self) -> &'static str {
        match self {
            SearchType::RaadpleegMetBurgerservicenummer => "RaadpleegMetBurgerservicenummer",
            SearchType::ZoekMetGeslachtsnaamEnGeboortedatum => {
                "ZoekMetGeslachtsnaamEnGeboortedatum"
            }
            SearchType::ZoekMetNaamEnGemeenteVanInschrijving => {
                "ZoekMetNaamEnGemeenteVanInschrijving"
            }
            SearchType::ZoekMetPostcodeEnHuisnummer => "ZoekMetPostcodeEnHuisnummer",
            SearchType::ZoekMetStraatHuisnummerEnGemeenteVanInschrijving => {
                "ZoekMetStraatHuisnummerEnGemeenteVanInschrijving"
            }
            SearchType::ZoekMetNummeraanduidingIdentificatie => {
                "ZoekMetNummeraanduidingIdentificatie"
            }
            SearchType::ZoekMetAdresseerbaarObjectIdentificatie => {
                "ZoekMetAdresseerbaarObjectIdentificatie"
            }
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SearchType::RaadpleegMetBurgerservicenummer => "Raadplegen met burgerservicenummer",
            SearchType::ZoekMetGeslachtsnaamEnGeboortedatum => {
                "Zoeken op geslachtsnaam en geboortedatum"
            }
            SearchType::ZoekMetNaamEnGemeenteVanInschrijving => {
                "Zoeken op naam en gemeente van inschrijving"
            }
            SearchType::ZoekMetPostcodeEnHuisnummer => "Zoeken op postcode en huisnummer",
            SearchType::ZoekMetStraatHuisnummerEnGemeenteVanInschrijving => {
                "Zoeken op straat, huisnummer en gemeente van inschrijving"
            }
            SearchType::ZoekMetNummeraanduidingIdentificatie => {
                "Zoeken op identificatie nummeraanduiding"
            }
            SearchType::ZoekMetAdresseerbaarObjectIdentificatie => {
                "Zoeken op identificatie adresseerbaar object"
            }
        }
    }
}

impl fmt::Display for SearchType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for SearchType {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SearchType::ALL
            .into_iter()
            .find(|t| t.code() == s.trim())
            .ok_or_else(|| ValidationError::new("zoekvormen", "Onbekende zoekvorm."))
    }
}

/// A legal ground for providing data: a law and an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grondslag {
    pub id: i64,
    pub law: String,
    pub article: String,
    pub description: String,
}

impl Grondslag {
    pub fn title(&self) -> String {
        format!("{}, {}", self.law, self.article)
    }
}

/// A purpose under a grondslag, belonging to one afnemer. Every lookup names one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Doel {
    pub id: i64,
    pub afnemer_id: i64,
    pub grondslag_id: i64,
    pub name: String,
    pub description: String,
}

/// Non-empty trimmed text of bounded length, for names, articles, reasons.
pub fn required_text(field: &str, raw: &str, max_chars: usize) -> Result<String, ValidationError> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(ValidationError::new(field, "Vul dit veld in."));
    }
    if value.chars().count() > max_chars {
        return Err(ValidationError::new(
            field,
            format!("Gebruik hoogstens {max_chars} tekens."),
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(ValidationError::new(
            field,
            "De tekst bevat een teken dat niet is toegestaan.",
        ));
    }
    Ok(value.to_owned())
}

/// Like [`required_text`], but empty is allowed.
pub fn optional_text(field: &str, raw: &str, max_chars: usize) -> Result<String, ValidationError> {
    if raw.trim().is_empty() {
        Ok(String::new())
    } else {
        required_text(field, raw, max_chars)
    }
}

/// What a profile allows: data elements (catalogue element paths), search types, doelen,
/// whether only residents of the own municipality may be found, and whether every lookup
/// must name a zaak.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileContent {
    pub fields: BTreeSet<String>,
    pub search_types: BTreeSet<SearchType>,
    pub doelen: BTreeSet<i64>,
    pub own_residents_only: bool,
    /// Every lookup under this profile names a zaak (case number), so each verstrekking
    /// can be traced to the case it served. Versions stored before this existed had none.
    #[serde(default)]
    pub zaak_required: bool,
}

/// How one version differs from the one before it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileDiff {
    pub added_fields: Vec<String>,
    pub removed_fields: Vec<String>,
    pub added_search_types: Vec<SearchType>,
    pub removed_search_types: Vec<SearchType>,
    pub added_doelen: Vec<i64>,
    pub removed_doelen: Vec<i64>,
    /// `Some(new value)` when the residents-only restriction changed.
    pub own_residents_only: Option<bool>,
    /// `Some(new value)` when the zaak requirement changed.
    #[serde(default)]
    pub zaak_required: Option<bool>,
}

impl ProfileDiff {
    /// More rights than before: a field, search type or doel added, or the residents-only
    /// restriction lifted. Such a change reaches existing grants only when re-confirmed.
    pub fn widens(&self) -> bool {
        !self.added_fields.is_empty()
            || !self.added_search_types.is_empty()
            || !self.added_doelen.is_empty()
            || self.own_residents_only == Some(false)
            || self.zaak_required == Some(false)
    }

    /// Fewer rights than before; such a change applies to everyone at once.
    pub fn narrows(&self) -> bool {
        !self.removed_fields.is_empty()
            || !self.removed_search_types.is_empty()
            || !self.removed_doelen.is_empty()
            || self.own_residents_only == Some(true)
            || self.zaak_required == Some(true)
    }

    pub fn is_empty(&self) -> bool {
        !self.widens() && !self.narrows()
    }
}

impl ProfileContent {
    /// The rights both contents give. Used to compute what a grant that was confirmed on
    /// an older version may do: a narrowing since then applies, a widening does not.
    pub fn intersect(&self, other: &ProfileContent) -> ProfileContent {
        ProfileContent {
            fields: self.fields.intersection(&other.fields).cloned().collect(),
            search_types: self
                .search_types
                .intersection(&other.search_types)
                .copied()
                .collect(),
            doelen: self.doelen.intersection(&other.doelen).copied().collect(),
            own_residents_only: self.own_residents_only || other.own_residents_only,
            zaak_required: self.zaak_required || other.zaak_required,
        }
    }

    pub fn diff(&self, newer: &ProfileContent) -> ProfileDiff {
        ProfileDiff {
            added_fields: newer.fields.difference(&self.fields).cloned().collect(),
            removed_fields: self.fields.difference(&newer.fields).cloned().collect(),
            added_search_types: newer
                .search_types
                .difference(&self.search_types)
                .copied()
                .collect(),
            removed_search_types: self
                .search_types
                .difference(&newer.search_types)
                .copied()
                .collect(),
            added_doelen: newer.doelen.difference(&self.doelen).copied().collect(),
            removed_doelen: self.doelen.difference(&newer.doelen).copied().collect(),
            own_residents_only: (self.own_residents_only != newer.own_residents_only)
                .then_some(newer.own_residents_only),
            zaak_required: (self.zaak_required != newer.zaak_required)
                .then_some(newer.zaak_required),
        }
    }

    /// A profile must allow something to be useful.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.fields.is_empty() {
            return Err(ValidationError::new(
                "velden",
                "Kies minstens één gegeven dat dit profiel mag zien.",
            ));
        }
        if self.search_types.is_empty() {
            return Err(ValidationError::new(
                "zoekvormen",
                "Kies minstens één zoekvorm.",
            ));
        }
        if self.doelen.is_empty() {
            return Err(ValidationError::new(
                "doelen",
                "Kies minstens één doel waarvoor dit profiel gebruikt mag worden.",
            ));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum VersionStatus {
    Pending,
    Approved,
    Rejected,
}

impl VersionStatus {
    pub fn code(self) -> &'static str {
        match self {
            VersionStatus::Pending => "ter_goedkeuring",
            VersionStatus::Approved => "goedgekeurd",
            VersionStatus::Rejected => "afgewezen",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            VersionStatus::Pending => "Wacht op goedkeuring",
            VersionStatus::Approved => "Goedgekeurd",
            VersionStatus::Rejected => "Afgewezen",
        }
    }
}

impl FromStr for VersionStatus {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        [
            VersionStatus::Pending,
            VersionStatus::Approved,
            VersionStatus::Rejected,
        ]
        .into_iter()
        .find(|v| v.code() == s)
        .ok_or(())
    }
}

/// A decision by a beheerder: who, when, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub by: String,
    pub at: DateTime<Utc>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileVersion {
    pub profile_id: i64,
    pub version: i32,
    pub content: ProfileContent,
    pub status: VersionStatus,
    pub note: String,
    pub proposed_by_id: Option<i64>,
    pub proposed_by: String,
    pub proposed_at: DateTime<Utc>,
    pub decision: Option<Decision>,
    /// For a vrije derde: the consent or weighing the reglement requires, recorded with
    /// the version the second beheerder approves.
    #[serde(default)]
    pub vrije_derde_basis: Option<crate::vrije_derde::VrijeDerdeBasis>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub afnemer: AfnemerRef,
    /// Every version, oldest first.
    pub versions: Vec<ProfileVersion>,
}

impl Profile {
    /// The latest approved version: what the profile means now.
    pub fn current(&self) -> Option<&ProfileVersion> {
        self.versions
            .iter()
            .rev()
            .find(|v| v.status == VersionStatus::Approved)
    }

    pub fn pending(&self) -> Option<&ProfileVersion> {
        self.versions
            .iter()
            .find(|v| v.status == VersionStatus::Pending)
    }

    /// The approved version before `version`, to show what a version changed.
    pub fn approved_before(&self, version: i32) -> Option<&ProfileVersion> {
        self.versions
            .iter()
            .rev()
            .find(|v| v.version < version && v.status == VersionStatus::Approved)
    }

    /// What a grant confirmed on `confirmed_version` may do now: the intersection of every
    /// approved version from that one to the current one. A right removed at any point
    /// since the confirmation stays removed until the grant is confirmed again.
    pub fn effective_for(&self, confirmed_version: i32) -> Option<ProfileContent> {
        let mut approved = self
            .versions
            .iter()
            .filter(|v| v.status == VersionStatus::Approved && v.version >= confirmed_version);
        let first = approved.next()?;
        Some(approved.fold(first.content.clone(), |acc, v| acc.intersect(&v.content)))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RequestStatus {
    Submitted,
    Withdrawn,
    Approved,
    Rejected,
}

impl RequestStatus {
    pub fn code(self) -> &'static str {
        match self {
            RequestStatus::Submitted => "ingediend",
            RequestStatus::Withdrawn => "ingetrokken",
            RequestStatus::Approved => "goedgekeurd",
            RequestStatus::Rejected => "afgewezen",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            RequestStatus::Submitted => "Ingediend, wacht op besluit",
            RequestStatus::Withdrawn => "Ingetrokken",
            RequestStatus::Approved => "Toegekend",
            RequestStatus::Rejected => "Afgewezen",
        }
    }
}

impl FromStr for RequestStatus {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        [
            RequestStatus::Submitted,
            RequestStatus::Withdrawn,
            RequestStatus::Approved,
            RequestStatus::Rejected,
        ]
        .into_iter()
        .find(|v| v.code() == s)
        .ok_or(())
    }
}

/// Who a request or grant is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRef {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub afnemer: Option<AfnemerRef>,
}

/// The declaration a medewerker signs by typing their full name (reglement, bijlage 1a).
pub const DECLARATION: &str = "Ik verklaar dat ik de gegevens uit de basisregistratie personen \
uitsluitend gebruik voor de uitvoering van mijn werkzaamheden, binnen het doel waarvoor ik ze \
opvraag. Ik geef de gegevens niet door aan anderen die er geen recht op hebben. Ik weet dat \
elke raadpleging wordt vastgelegd en dat misbruik gevolgen heeft voor mijn toegang en mijn \
dienstverband.";

/// An autorisatieformulier: a signed request for a profile. Never edited after it is
/// stored; only its status and decision are added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorisationRequest {
    pub id: i64,
    pub requester: UserRef,
    pub profile_id: i64,
    pub profile_name: String,
    pub profile_afnemer: AfnemerRef,
    pub profile_version: i32,
    pub motivation: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// The full text that was signed, with the signer's name and the time.
    pub signed_text: String,
    pub signed_name: String,
    pub signed_at: DateTime<Utc>,
    pub status: RequestStatus,
    pub decision: Option<Decision>,
}

/// A requested or granted period: starts today or later, lasts at most one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// The same calendar date a year later (29 February becomes 28 February).
pub fn one_year_after(date: NaiveDate) -> NaiveDate {
    date.with_year(date.year() + 1)
        .or_else(|| (date - Duration::days(1)).with_year(date.year() + 1))
        .unwrap_or(date + Duration::days(365))
}

impl Period {
    pub fn parse(start: &str, end: &str, today: NaiveDate) -> Result<Self, ValidationError> {
        let parse = |field: &str, raw: &str| {
            NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
                .map_err(|_| ValidationError::new(field, "Vul een geldige datum in (jjjj-mm-dd)."))
        };
        let start = parse("begindatum", start)?;
        let end = parse("einddatum", end)?;
        Self::new(start, end, today)
    }

    pub fn new(
        start: NaiveDate,
        end: NaiveDate,
        today: NaiveDate,
    ) -> Result<Self, ValidationError> {
        if start < today {
            return Err(ValidationError::new(
                "begindatum",
                "De begindatum ligt in het verleden.",
            ));
        }
        if end < start {
            return Err(ValidationError::new(
                "einddatum",
                "De einddatum ligt vóór de begindatum.",
            ));
        }
        if end > one_year_after(start) {
            return Err(ValidationError::new(
                "einddatum",
                "Een autorisatie duurt hoogstens een jaar.",
            ));
        }
        Ok(Self { start, end })
    }
}

/// The signature: the signer types their full name, which must be the name of the account.
pub fn check_signature(typed: &str, account_name: &str) -> Result<String, ValidationError> {
    let normalise = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    if typed.trim().is_empty() {
        return Err(ValidationError::new(
            "ondertekening",
            "Onderteken de verklaring door uw volledige naam te typen.",
        ));
    }
    if normalise(typed) != normalise(account_name) {
        return Err(ValidationError::new(
            "ondertekening",
            "Typ uw volledige naam precies zoals die bij uw account staat.",
        ));
    }
    Ok(typed.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revocation {
    pub by: String,
    pub at: DateTime<Utc>,
    pub reason: String,
}

/// An autorisatie: a user may use a profile from `start_date` to `end_date`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub id: i64,
    pub user: UserRef,
    pub profile_id: i64,
    pub profile_name: String,
    pub afnemer: AfnemerRef,
    pub request_id: Option<i64>,
    /// The profile version this grant was approved or last re-confirmed on.
    pub confirmed_version: i32,
    /// The profile's current approved version.
    pub current_version: i32,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub last_confirmed_at: DateTime<Utc>,
    pub last_confirmed_by: String,
    pub revocation: Option<Revocation>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum GrantState {
    NotYetStarted,
    Active,
    Expired,
    Revoked,
}

impl GrantState {
    pub fn label(self) -> &'static str {
        match self {
            GrantState::NotYetStarted => "Nog niet ingegaan",
            GrantState::Active => "Actief",
            GrantState::Expired => "Verlopen",
            GrantState::Revoked => "Ingetrokken",
        }
    }
}

/// How long before its end a grant appears on the herbeoordeling list.
pub const REVIEW_BEFORE_END_DAYS: i64 = 30;
/// How long a grant may go without confirmation before it needs a herbeoordeling.
pub const REVIEW_AFTER_MONTHS: u32 = 12;

impl Grant {
    pub fn state(&self, today: NaiveDate) -> GrantState {
        if self.revocation.is_some() {
            GrantState::Revoked
        } else if today < self.start_date {
            GrantState::NotYetStarted
        } else if today > self.end_date {
            GrantState::Expired
        } else {
            GrantState::Active
        }
    }

    /// The profile changed since this grant was confirmed.
    pub fn behind_profile(&self) -> bool {
        self.confirmed_version < self.current_version
    }

    /// On the herbeoordeling list: still running (or about to), and ending within 30 days
    /// or not confirmed for 12 months.
    pub fn due_for_review(&self, now: DateTime<Utc>) -> bool {
        // Dates are Dutch calendar days, as in `state`: near midnight UTC and Dutch time
        // disagree on the day.
        let today = crate::time::dutch_local(now).date_naive();
        let running = matches!(
            self.state(today),
            GrantState::Active | GrantState::NotYetStarted
        );
        let ends_soon = self.end_date <= today + Duration::days(REVIEW_BEFORE_END_DAYS);
        let stale = crate::time::dutch_local(self.last_confirmed_at)
            .date_naive()
            .checked_add_months(chrono::Months::new(REVIEW_AFTER_MONTHS))
            .is_some_and(|due| due <= today);
        running && (ends_soon || stale)
    }
}

/// A grant as its holder and the beheerder see it: with its state today and what it
/// allows now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantView {
    pub grant: Grant,
    pub state: GrantState,
    /// What the grant allows now (see [`Profile::effective_for`]); `None` when the profile
    /// has no approved version at or after the confirmed one.
    pub effective: Option<ProfileContent>,
    /// The profile gives more than this grant may use until it is re-confirmed.
    pub awaiting_reconfirmation: bool,
    pub due_for_review: bool,
}

/// The published reglement's bijlagen 1 and 1a, generated from the live configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reglement {
    pub generated_at: DateTime<Utc>,
    pub municipality: String,
    pub afnemers: Vec<ReglementAfnemer>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReglementAfnemer {
    pub name: String,
    /// Bijlage 1 lists the municipality's own departments; derden and vrije derden are
    /// listed apart (seed 001, bijlagen 1 and 4).
    pub kind: crate::AfnemerKind,
    pub wettelijk_kader: String,
    pub profiles: Vec<ReglementProfile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReglementProfile {
    pub name: String,
    pub version: i32,
    pub description: String,
    pub content: ProfileContent,
    /// "Doel (wet, artikel)" for each doel of the profile.
    pub doelen: Vec<String>,
    /// For a vrije derde: the consent or weighing this version was approved on.
    #[serde(default)]
    pub vrije_derde_basis: Option<crate::vrije_derde::VrijeDerdeBasis>,
}

#[cfg(test)]
mod tests;
