//! Burgerverzoeken: what a citizen may ask about their own BRP data (Wet BRP 2.55 inzage,
//! 2.58 correctie, 2.59 verstrekkingsbeperking and its withdrawal, 3.22 overzicht van
//! verstrekkingen), the life of such a request, and its deadlines.

pub mod attachment;
pub mod correction;
pub mod deadline;
pub mod deferral;
pub mod information;
pub mod overview;

use crate::person::Bsn;
use crate::ValidationError;
use attachment::AttachmentType;
use chrono::{DateTime, NaiveDate, Utc};
use correction::CorrectableField;
use deadline::{Deadline, TermInput};
pub use deferral::ExtensionGround;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RequestKind {
    Inzage,
    Correctie,
    Geheimhouding,
    IntrekkingGeheimhouding,
}

impl RequestKind {
    pub const ALL: [RequestKind; 4] = [
        Self::Inzage,
        Self::Correctie,
        Self::Geheimhouding,
        Self::IntrekkingGeheimhouding,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Inzage => "inzage",
            Self::Correctie => "correctie",
            Self::Geheimhouding => "geheimhouding",
            Self::IntrekkingGeheimhouding => "intrekking_geheimhouding",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code.trim())
    }

    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        Self::from_code(raw)
            .ok_or_else(|| ValidationError::new("soort", "Kies een soort verzoek uit de lijst."))
    }

    /// What the citizen asked, as a noun phrase for lists and letters.
    pub fn label(self) -> &'static str {
        match self {
            Self::Inzage => "Inzage in mijn gegevens en wie ze kreeg",
            Self::Correctie => "Correctie van een gegeven",
            Self::Geheimhouding => "Geheimhouding van mijn gegevens",
            Self::IntrekkingGeheimhouding => "Stoppen met geheimhouding",
        }
    }

    /// The articles of the Wet BRP the request rests on, for the letter.
    pub fn article(self) -> &'static str {
        match self {
            Self::Inzage => "artikel 2.55 en artikel 3.22 van de Wet basisregistratie personen",
            Self::Correctie => "artikel 2.58 van de Wet basisregistratie personen",
            Self::Geheimhouding => {
                "artikel 2.59 en artikel 3.21 van de Wet basisregistratie personen"
            }
            Self::IntrekkingGeheimhouding => "artikel 2.59 van de Wet basisregistratie personen",
        }
    }

    /// Only a correctie may be deferred (Wet BRP 2.58 lid 2).
    pub fn may_be_extended(self) -> bool {
        self == Self::Correctie
    }
}

/// How the request reached the municipality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SubmissionChannel {
    /// Online, logged in with DigiD.
    DigiD,
    /// At the counter, registered by a beheerder.
    Balie,
    /// By letter, registered by a beheerder.
    Post,
}

impl SubmissionChannel {
    pub fn code(self) -> &'static str {
        match self {
            Self::DigiD => "digid",
            Self::Balie => "balie",
            Self::Post => "post",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Self::DigiD, Self::Balie, Self::Post]
            .into_iter()
            .find(|c| c.code() == code.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::DigiD => "Online met DigiD",
            Self::Balie => "Aan de balie",
            Self::Post => "Per brief",
        }
    }
}

/// The DigiD assurance level (betrouwbaarheidsniveau) of a login, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Assurance {
    Basis,
    Midden,
    Substantieel,
    Hoog,
}

impl Assurance {
    pub const ALL: [Assurance; 4] = [Self::Basis, Self::Midden, Self::Substantieel, Self::Hoog];

    pub fn code(self) -> &'static str {
        match self {
            Self::Basis => "basis",
            Self::Midden => "midden",
            Self::Substantieel => "substantieel",
            Self::Hoog => "hoog",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Basis => "DigiD Basis",
            Self::Midden => "DigiD Midden",
            Self::Substantieel => "DigiD Substantieel",
            Self::Hoog => "DigiD Hoog",
        }
    }

    /// Reads the value of an identity provider's assurance claim. Brokers send DigiD's own
    /// SAML AuthnContextClassRefs, the eIDAS levels, the `loa` short forms, or a word.
    pub fn from_claim(value: &str) -> Option<Self> {
        let v = value.trim();
        let lower = v.to_ascii_lowercase();
        let by_suffix = [
            ("passwordprotectedtransport", Self::Basis),
            ("mobiletwofactorcontract", Self::Midden),
            ("smartcardpki", Self::Hoog),
            ("smartcard", Self::Substantieel),
            ("loa/low", Self::Basis),
            ("loa/substantial", Self::Substantieel),
            ("loa/high", Self::Hoog),
            ("loa2plus", Self::Midden),
            ("loa2", Self::Basis),
            ("loa3", Self::Substantieel),
            ("loa4", Self::Hoog),
            ("basis", Self::Basis),
            ("midden", Self::Midden),
            ("substantieel", Self::Substantieel),
            ("hoog", Self::Hoog),
        ];
        by_suffix
            .into_iter()
            .find(|(suffix, _)| lower.ends_with(suffix))
            .map(|(_, level)| level)
    }
}

/// What the header shows of a logged-in citizen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitizenInfo {
    pub name: String,
    pub assurance: Assurance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RequestStatus {
    Ontvangen,
    InBehandeling,
    /// The municipality asked the citizen for information; the term stands still.
    WachtOpInformatie,
    Afgehandeld,
}

impl RequestStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::Ontvangen => "ontvangen",
            Self::InBehandeling => "in_behandeling",
            Self::WachtOpInformatie => "wacht_op_informatie",
            Self::Afgehandeld => "afgehandeld",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [
            Self::Ontvangen,
            Self::InBehandeling,
            Self::WachtOpInformatie,
            Self::Afgehandeld,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Ontvangen => "Ontvangen",
            Self::InBehandeling => "In behandeling",
            Self::WachtOpInformatie => "Wacht op uw informatie",
            Self::Afgehandeld => "Afgehandeld",
        }
    }

    pub fn is_open(self) -> bool {
        self != Self::Afgehandeld
    }
}

/// The decision on a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    Toegekend,
    DeelsToegekend,
    Afgewezen,
}

impl Outcome {
    pub fn code(self) -> &'static str {
        match self {
            Self::Toegekend => "toegekend",
            Self::DeelsToegekend => "deels_toegekend",
            Self::Afgewezen => "afgewezen",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Toegekend, Self::DeelsToegekend, Self::Afgewezen]
            .into_iter()
            .find(|o| o.code() == code.trim())
    }

    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        Self::from_code(raw).ok_or_else(|| {
            ValidationError::new("besluit", "Kies toekennen, deels toekennen of afwijzen.")
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Toegekend => "Toegekend",
            Self::DeelsToegekend => "Deels toegekend",
            Self::Afgewezen => "Afgewezen",
        }
    }

    /// Whether (part of) the request was refused: the letter then names the bezwaar
    /// possibility (Wet BRP 2.60, Awb 6:7).
    pub fn refuses(self) -> bool {
        self != Self::Toegekend
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventKind {
    Ontvangen,
    InBehandelingGenomen,
    InformatieGevraagd,
    InformatieGegeven,
    /// The answer term of Awb 4:15 ran out without an answer: the term runs again.
    InformatieTermijnVerstreken,
    Verdaagd,
    Besloten,
    OntvangersInformerenGevraagd,
    OntvangersGeinformeerd,
}

impl EventKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Ontvangen => "ontvangen",
            Self::InBehandelingGenomen => "in_behandeling",
            Self::InformatieGevraagd => "informatie_gevraagd",
            Self::InformatieGegeven => "informatie_gegeven",
            Self::InformatieTermijnVerstreken => "informatie_termijn_verstreken",
            Self::Verdaagd => "verdaagd",
            Self::Besloten => "besloten",
            Self::OntvangersInformerenGevraagd => "ontvangers_informeren_gevraagd",
            Self::OntvangersGeinformeerd => "ontvangers_geinformeerd",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [
            Self::Ontvangen,
            Self::InBehandelingGenomen,
            Self::InformatieGevraagd,
            Self::InformatieGegeven,
            Self::InformatieTermijnVerstreken,
            Self::Verdaagd,
            Self::Besloten,
            Self::OntvangersInformerenGevraagd,
            Self::OntvangersGeinformeerd,
        ]
        .into_iter()
        .find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Ontvangen => "Verzoek ontvangen",
            Self::InBehandelingGenomen => "In behandeling genomen",
            Self::InformatieGevraagd => "Informatie gevraagd",
            Self::InformatieGegeven => "Informatie gegeven",
            Self::InformatieTermijnVerstreken => "Termijn voor informatie verstreken",
            Self::Verdaagd => "Beslistermijn verlengd",
            Self::Besloten => "Besluit genomen",
            Self::OntvangersInformerenGevraagd => "Gevraagd eerdere ontvangers te informeren",
            Self::OntvangersGeinformeerd => "Eerdere ontvangers geïnformeerd",
        }
    }
}

/// One step in the history of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestEvent {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub kind: EventKind,
    /// Who: "Inwoner" for the citizen, otherwise the staff member's name.
    pub actor: String,
    pub by_citizen: bool,
    pub text: String,
    /// Not shown to the citizen.
    pub staff_only: bool,
    /// For a request for information: the last day to answer (Awb 4:15).
    pub due_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentInfo {
    pub id: String,
    pub file_name: String,
    pub kind: AttachmentType,
    pub size: u64,
    pub uploaded_at: DateTime<Utc>,
    pub by_citizen: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CitizenLetterKind {
    Ontvangstbevestiging,
    Informatieverzoek,
    Verdaging,
    Besluit,
}

impl CitizenLetterKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Ontvangstbevestiging => "ontvangstbevestiging",
            Self::Informatieverzoek => "informatieverzoek",
            Self::Verdaging => "verdaging",
            Self::Besluit => "besluit",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [
            Self::Ontvangstbevestiging,
            Self::Informatieverzoek,
            Self::Verdaging,
            Self::Besluit,
        ]
        .into_iter()
        .find(|k| k.code() == code)
    }
}

/// A letter about a request, rendered by the service (askama, every value escaped).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitizenLetter {
    pub id: String,
    pub request_id: String,
    pub reference: String,
    pub kind: CitizenLetterKind,
    pub subject: String,
    pub body_html: String,
    pub created_at: DateTime<Utc>,
}

/// What a correctie asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionAsk {
    pub field: CorrectableField,
    /// The value the person had when the request came in.
    pub current_value: String,
    pub proposed_value: String,
}

/// A citizen's request as both sides see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitizenRequest {
    /// Random and unguessable: the id in every URL.
    pub id: String,
    /// The reference number for letters and the phone: "BV-2026-7K3MQ9".
    pub reference: String,
    pub bsn: Bsn,
    pub kind: RequestKind,
    pub channel: SubmissionChannel,
    /// How the identity of the citizen was established.
    pub identity_note: String,
    /// The staff member (user name) who registered a request from the counter or a letter;
    /// another beheerder decides on it (four eyes).
    pub registered_by: Option<String>,
    pub assurance: Option<Assurance>,
    pub email: Option<String>,
    pub received_at: DateTime<Utc>,
    pub received_on: NaiveDate,
    pub status: RequestStatus,
    pub assigned_to: Option<String>,
    pub correction: Option<CorrectionAsk>,
    /// The citizen's own words: why, or what else they want to say.
    pub explanation: String,
    pub outcome: Option<Outcome>,
    pub motivation: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    /// The citizen asked that earlier recipients of the wrong value are told (3.23).
    pub inform_recipients: bool,
    pub events: Vec<RequestEvent>,
    pub attachments: Vec<AttachmentInfo>,
    pub letters: Vec<LetterRef>,
}

/// A letter in a request's list: enough to link to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterRef {
    pub id: String,
    pub kind: CitizenLetterKind,
    pub subject: String,
    pub created_at: DateTime<Utc>,
}

impl CitizenRequest {
    pub fn extensions(&self) -> u32 {
        let n = self
            .events
            .iter()
            .filter(|e| e.kind == EventKind::Verdaagd)
            .count();
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    /// Dutch calendar days the term stood still (Awb 4:15): from each request for
    /// information until the answer, or until the answer term ran out unused (the day after
    /// its last day), or until `today` while the answer is still awaited.
    pub fn suspended_days(&self, today: NaiveDate) -> i64 {
        let day = |t: DateTime<Utc>| crate::time::dutch_local(t).date_naive();
        let mut total = 0;
        // The day the suspension began, and the day the answer term runs out.
        let mut since: Option<(NaiveDate, Option<NaiveDate>)> = None;
        let end = |at: NaiveDate, ends: Option<NaiveDate>| ends.map_or(at, |e| at.min(e));
        for e in &self.events {
            match e.kind {
                EventKind::InformatieGevraagd if since.is_none() => {
                    since = Some((day(e.at), e.due_on.map(information::term_ends)));
                }
                EventKind::InformatieGegeven | EventKind::InformatieTermijnVerstreken => {
                    if let Some((start, ends)) = since.take() {
                        total += (end(day(e.at), ends) - start).num_days().max(0);
                    }
                }
                _ => {}
            }
        }
        if let Some((start, ends)) = since {
            total += (end(today, ends) - start).num_days().max(0);
        }
        total.max(0)
    }

    /// The deadline on `today`. A decided request keeps the deadline it had when decided.
    pub fn deadline(&self, today: NaiveDate) -> Deadline {
        let as_of = match self.decided_at {
            Some(at) if !self.status.is_open() => crate::time::dutch_local(at).date_naive(),
            _ => today,
        };
        let term = TermInput {
            received_on: self.received_on,
            extensions: self.extensions(),
            suspended_days: self.suspended_days(as_of),
        };
        let mut d = deadline::deadline(term, as_of);
        d.days_left = (d.due - today).num_days();
        d
    }

    /// Whether the decision came in time, once there is one.
    pub fn decided_in_time(&self) -> Option<bool> {
        let at = self.decided_at?;
        let day = crate::time::dutch_local(at).date_naive();
        Some(day <= self.deadline(day).due)
    }
}

/// The canonical form of a request id (a UUID, lower case with hyphens), or `None` when
/// `raw` is no request id. Ids are read through this at every door, so that a crafted id
/// never reaches a query, a redirect or a header.
pub fn canonical_request_id(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let ok = raw.len() == 36
        && raw.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        });
    ok.then(|| raw.to_ascii_lowercase())
}

/// A request in a list (the citizen's own overview, the beheerder's queue).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestSummary {
    pub id: String,
    pub reference: String,
    pub kind: RequestKind,
    pub channel: SubmissionChannel,
    pub received_on: NaiveDate,
    pub status: RequestStatus,
    pub outcome: Option<Outcome>,
    pub assigned_to: Option<String>,
    pub deadline: Deadline,
    /// The citizen's name as the BRP holds it; only in the beheerder's queue.
    pub citizen_name: Option<String>,
}

/// Who registered a request at the counter or from a letter, and how identity was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum IdentityCheck {
    /// A passport, identity card or driving licence shown at the counter.
    IdentiteitsbewijsGetoond,
    /// A copy of an identity document with the letter, checked against the BRP.
    KopieBijBrief,
    /// A signed letter whose signature and address were checked against the BRP.
    HandtekeningGecontroleerd,
}

impl IdentityCheck {
    pub const ALL: [IdentityCheck; 3] = [
        Self::IdentiteitsbewijsGetoond,
        Self::KopieBijBrief,
        Self::HandtekeningGecontroleerd,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::IdentiteitsbewijsGetoond => "identiteitsbewijs",
            Self::KopieBijBrief => "kopie",
            Self::HandtekeningGecontroleerd => "handtekening",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|c| c.code() == raw.trim())
            .ok_or_else(|| {
                ValidationError::new(
                    "identiteit",
                    "Kies hoe de identiteit van de inwoner is vastgesteld.",
                )
            })
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::IdentiteitsbewijsGetoond => "Identiteitsbewijs getoond aan de balie",
            Self::KopieBijBrief => "Kopie van een identiteitsbewijs bij de brief",
            Self::HandtekeningGecontroleerd => {
                "Handtekening en adres van de brief vergeleken met de BRP"
            }
        }
    }
}

/// What the viewer of a request may do with it now. The service computes it for the page,
/// and checks every action again by itself: this only decides which buttons are shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allowed {
    pub take: bool,
    pub ask_information: bool,
    pub extend: bool,
    pub decide: bool,
    pub notify_recipients: bool,
    pub give_information: bool,
    pub ask_inform_recipients: bool,
    pub download_attachments: bool,
}

/// One request as a page shows it, for the citizen or for staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestView {
    pub request: CitizenRequest,
    pub deadline: Deadline,
    /// The citizen's name as the BRP holds it.
    pub citizen_name: String,
    pub corrections: Vec<correction::CorrectionRecord>,
    /// For a granted correctie: who received the old value (for the citizen without the
    /// afnemers of Besluit BRP art. 46).
    pub recipients: Vec<correction::EarlierRecipient>,
    /// Since when a verstrekkingsbeperking is in force, if it is.
    pub geheimhouding_since: Option<NaiveDate>,
    pub allowed: Allowed,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn assurance_levels_from_broker_claims() {
        let smartcard = "urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard";
        assert_eq!(
            Assurance::from_claim(smartcard),
            Some(Assurance::Substantieel)
        );
        assert_eq!(
            Assurance::from_claim("urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI"),
            Some(Assurance::Hoog)
        );
        assert_eq!(
            Assurance::from_claim("urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract"),
            Some(Assurance::Midden)
        );
        assert_eq!(
            Assurance::from_claim(
                "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
            ),
            Some(Assurance::Basis)
        );
        assert_eq!(
            Assurance::from_claim("http://eidas.europa.eu/LoA/substantial"),
            Some(Assurance::Substantieel)
        );
        assert_eq!(
            Assurance::from_claim("urn:etoegang:core:assurance-class:loa2plus"),
            Some(Assurance::Midden)
        );
        assert_eq!(
            Assurance::from_claim("Substantieel"),
            Some(Assurance::Substantieel)
        );
        assert_eq!(Assurance::from_claim("iets anders"), None);
        assert!(Assurance::Hoog > Assurance::Substantieel);
        assert!(Assurance::Midden < Assurance::Substantieel);
    }

    pub(super) fn request(received: NaiveDate) -> CitizenRequest {
        CitizenRequest {
            id: "x".into(),
            reference: "BV-2026-AAAAAA".into(),
            bsn: Bsn::parse("999990019").unwrap(),
            kind: RequestKind::Correctie,
            channel: SubmissionChannel::DigiD,
            identity_note: String::new(),
            registered_by: None,
            assurance: None,
            email: None,
            received_at: Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap(),
            received_on: received,
            status: RequestStatus::InBehandeling,
            assigned_to: None,
            correction: None,
            explanation: String::new(),
            outcome: None,
            motivation: String::new(),
            decided_by: None,
            decided_at: None,
            inform_recipients: false,
            events: Vec::new(),
            attachments: Vec::new(),
            letters: Vec::new(),
        }
    }

    pub(super) fn event(kind: EventKind, y: i32, m: u32, d: u32) -> RequestEvent {
        RequestEvent {
            id: 0,
            at: Utc.with_ymd_and_hms(y, m, d, 10, 0, 0).unwrap(),
            kind,
            actor: String::new(),
            by_citizen: false,
            text: String::new(),
            staff_only: false,
            due_on: None,
        }
    }

    #[test]
    fn the_deadline_counts_deferrals_and_time_waiting_for_the_citizen() {
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let mut r = request(day(12, 1));
        assert_eq!(r.deadline(day(12, 1)).due, day(12, 29));
        r.events
            .push(event(EventKind::InformatieGevraagd, 2026, 12, 3));
        // Still waiting on 10 December: seven days stood still so far.
        assert_eq!(r.suspended_days(day(12, 10)), 7);
        r.events
            .push(event(EventKind::InformatieGegeven, 2026, 12, 8));
        assert_eq!(r.suspended_days(day(12, 20)), 5);
        // 29 December + 5 days = Sunday 3 January 2027 → Monday 4 January.
        assert_eq!(
            r.deadline(day(12, 20)).due,
            NaiveDate::from_ymd_opt(2027, 1, 4).unwrap()
        );
        r.events.push(event(EventKind::Verdaagd, 2026, 12, 20));
        assert_eq!(r.extensions(), 1);
        // 3 January 2027 + 8 weeks = Sunday 28 February → Monday 1 March.
        assert_eq!(
            r.deadline(day(12, 20)).due,
            NaiveDate::from_ymd_opt(2027, 3, 1).unwrap()
        );
    }

    #[test]
    fn a_decided_request_keeps_its_deadline_and_knows_if_it_was_in_time() {
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let mut r = request(day(11, 2));
        r.status = RequestStatus::Afgehandeld;
        r.decided_at = Some(Utc.with_ymd_and_hms(2026, 11, 20, 10, 0, 0).unwrap());
        let d = r.deadline(day(12, 20));
        assert_eq!(d.due, day(11, 30));
        assert_eq!(d.days_left, -20);
        assert_eq!(r.decided_in_time(), Some(true));
        r.decided_at = Some(Utc.with_ymd_and_hms(2026, 12, 2, 10, 0, 0).unwrap());
        assert_eq!(r.decided_in_time(), Some(false));
    }

    #[test]
    fn request_ids_are_uuids_in_canonical_form() {
        let id = "3F2504E0-4F89-11D3-9A0C-0305E82C3301";
        assert_eq!(
            canonical_request_id(id).as_deref(),
            Some("3f2504e0-4f89-11d3-9a0c-0305e82c3301")
        );
        for bad in [
            "",
            "x",
            "3f2504e0-4f89-11d3-9a0c-0305e82c330",
            "3f2504e0-4f89-11d3-9a0c-0305e82c3301\nLocation: x",
            "{3f2504e0-4f89-11d3-9a0c-0305e82c3301}",
            "3f2504e0x4f89-11d3-9a0c-0305e82c3301",
        ] {
            assert_eq!(canonical_request_id(bad), None, "{bad}");
        }
    }

    #[test]
    fn codes_round_trip() {
        for k in RequestKind::ALL {
            assert_eq!(RequestKind::from_code(k.code()), Some(k));
        }
        for o in [
            Outcome::Toegekend,
            Outcome::DeelsToegekend,
            Outcome::Afgewezen,
        ] {
            assert_eq!(Outcome::from_code(o.code()), Some(o));
        }
        assert!(ExtensionGround::parse("huisnummer").is_err());
        assert!(Outcome::Afgewezen.refuses() && Outcome::DeelsToegekend.refuses());
        assert!(!Outcome::Toegekend.refuses());
        assert!(RequestKind::Correctie.may_be_extended());
        assert!(!RequestKind::Inzage.may_be_extended());
    }
}
