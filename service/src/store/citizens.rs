//! Storage of citizens' requests: the requests with their history, attachments and
//! letters, changes they make to the embedded BRP source, and pending DigiD logins.

use super::{NewAuditEvent, NewOutboxMessage, PersonRecord, StoreError};
use async_trait::async_trait;
use brp_domain::citizen::attachment::AttachmentType;
use brp_domain::citizen::correction::CorrectionRecord;
use brp_domain::citizen::{
    Assurance, AttachmentInfo, CitizenLetter, CitizenLetterKind, CitizenRequest, EventKind,
    Outcome, RequestKind, RequestStatus, SubmissionChannel,
};
use brp_domain::person::Bsn;
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashSet;

#[derive(Debug, Clone)]
pub struct NewCitizenRequest {
    pub id: String,
    pub reference: String,
    pub bsn: Bsn,
    pub kind: RequestKind,
    pub channel: SubmissionChannel,
    pub identity_note: String,
    pub assurance: Option<Assurance>,
    pub email: Option<String>,
    pub received_at: DateTime<Utc>,
    pub received_on: NaiveDate,
    /// The staff member who registered a request from the counter or a letter.
    pub registered_by: Option<String>,
    pub field_path: Option<String>,
    pub current_value: Option<String>,
    pub proposed_value: Option<String>,
    pub explanation: String,
    pub inform_recipients: bool,
}

#[derive(Debug, Clone)]
pub struct NewRequestEvent {
    pub at: DateTime<Utc>,
    pub kind: EventKind,
    pub actor: String,
    pub by_citizen: bool,
    pub text: String,
    pub staff_only: bool,
    /// For a request for information: the last day to answer (Awb 4:15).
    pub due_on: Option<NaiveDate>,
}

#[derive(Clone)]
pub struct NewAttachment {
    pub id: String,
    pub file_name: String,
    pub kind: AttachmentType,
    pub sha256: String,
    pub data: Vec<u8>,
    pub uploaded_at: DateTime<Utc>,
    pub by_citizen: bool,
}

impl std::fmt::Debug for NewAttachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewAttachment")
            .field("id", &self.id)
            .field("file_name", &self.file_name)
            .field("len", &self.data.len())
            .finish()
    }
}

#[derive(Debug, Clone)]
pub struct NewCitizenLetter {
    pub id: String,
    pub kind: CitizenLetterKind,
    pub subject: String,
    pub body_html: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct DecisionChange {
    pub outcome: Outcome,
    pub motivation: String,
    pub decided_by: String,
    pub decided_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewCorrection {
    pub field_path: String,
    pub field_label: String,
    pub old_value: String,
    pub new_value: String,
    pub corrected_by: String,
    pub corrected_at: DateTime<Utc>,
    pub reason: String,
}

/// A change to the embedded BRP source that a decision makes, written with it.
#[derive(Debug, Clone)]
pub enum PersonChange {
    Correction {
        record: PersonRecord,
        /// The person's JSON as read before the change: the update only happens when the
        /// row still holds it, so two decisions cannot overwrite each other's change.
        old_data: String,
        correction: NewCorrection,
    },
    StartBeperking {
        record: PersonRecord,
        old_data: String,
        started_on: NaiveDate,
    },
    EndBeperking {
        record: PersonRecord,
        old_data: String,
        ended_on: NaiveDate,
    },
}

#[derive(Debug, Clone)]
pub struct NewCorrectionNotification {
    pub correction_id: i64,
    pub afnemer_id: i64,
    pub afnemer_name: String,
    pub notified_at: DateTime<Utc>,
    pub notified_by: String,
}

/// One step of a request, written in one transaction: only when the request is still in
/// one of `expect`, otherwise a conflict and nothing changes.
#[derive(Debug, Clone)]
pub struct RequestChange {
    pub request_id: String,
    pub expect: Vec<RequestStatus>,
    pub status: Option<RequestStatus>,
    /// Takes the request: (user id, display name).
    pub assign: Option<(i64, String)>,
    pub decision: Option<DecisionChange>,
    pub inform_recipients: Option<bool>,
    pub event: NewRequestEvent,
    pub attachments: Vec<NewAttachment>,
    pub letter: Option<NewCitizenLetter>,
    pub mails: Vec<NewOutboxMessage>,
    pub person: Option<PersonChange>,
    pub notifications: Vec<NewCorrectionNotification>,
    /// Letters to staff (and their e-mail) that the step sends.
    pub staff_notices: Vec<super::Notification>,
    pub audit: Vec<NewAuditEvent>,
}

impl RequestChange {
    pub fn new(request_id: &str, expect: &[RequestStatus], event: NewRequestEvent) -> Self {
        Self {
            request_id: request_id.to_owned(),
            expect: expect.to_vec(),
            status: None,
            assign: None,
            decision: None,
            inform_recipients: None,
            event,
            attachments: Vec::new(),
            letter: None,
            mails: Vec::new(),
            person: None,
            notifications: Vec::new(),
            staff_notices: Vec::new(),
            audit: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct CitizenRequestFilter {
    pub bsn: Option<Bsn>,
    pub open_only: bool,
    /// At most this many; 0 means no limit. Open requests come oldest first (the most
    /// urgent), all requests newest first.
    pub limit: i64,
}

/// A DigiD login on its way: what the callback must match.
#[derive(Debug, Clone)]
pub struct LoginState {
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
    pub binding_hash: String,
    pub created_at: DateTime<Utc>,
}

/// An attachment with its content.
#[derive(Clone)]
pub struct StoredAttachment {
    pub request_id: String,
    pub info: AttachmentInfo,
    pub data: Vec<u8>,
}

/// A verstrekkingsbeperking as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Beperking {
    pub request_id: String,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
}

#[async_trait]
pub trait CitizenStore: Send + Sync + 'static {
    /// A new request with its first event, attachments, receipt letter and e-mail, in one
    /// transaction. A taken reference number is a conflict (the caller draws another).
    async fn insert_citizen_request(
        &self,
        request: &NewCitizenRequest,
        event: &NewRequestEvent,
        attachments: &[NewAttachment],
        letter: &NewCitizenLetter,
        mail: Option<&NewOutboxMessage>,
    ) -> Result<(), StoreError>;

    /// Applies one step of a request (see [`RequestChange`]).
    async fn change_citizen_request(&self, change: &RequestChange) -> Result<(), StoreError>;

    /// The request with its events, attachments (without content) and letters.
    async fn citizen_request(&self, id: &str) -> Result<Option<CitizenRequest>, StoreError>;

    /// Requests with their events (attachments and letters left empty), newest first.
    async fn list_citizen_requests(
        &self,
        filter: &CitizenRequestFilter,
    ) -> Result<Vec<CitizenRequest>, StoreError>;

    async fn citizen_attachment(&self, id: &str) -> Result<Option<StoredAttachment>, StoreError>;
    async fn citizen_letter(&self, id: &str) -> Result<Option<CitizenLetter>, StoreError>;

    /// The corrections a request made, with the old values.
    async fn corrections_of_request(
        &self,
        request_id: &str,
    ) -> Result<Vec<CorrectionRecord>, StoreError>;
    /// (afnemer id, when, by whom) for every recipient told of a correction.
    async fn correction_notifications(
        &self,
        correction_id: i64,
    ) -> Result<Vec<(i64, DateTime<Utc>, String)>, StoreError>;

    /// The verstrekkingsbeperkingen of a person, newest first.
    async fn beperkingen(&self, bsn: &Bsn) -> Result<Vec<Beperking>, StoreError>;
    /// Which of these persons have a verstrekkingsbeperking in force (granted here and not
    /// ended): the portal's own record, read on every provision whatever the source says.
    async fn restricted_bsns(&self, bsns: &[Bsn]) -> Result<HashSet<Bsn>, StoreError>;

    /// The stored JSON of one person, if the embedded source has them.
    async fn person_data(&self, bsn: &Bsn) -> Result<Option<String>, StoreError>;

    async fn insert_login_state(&self, state: &LoginState) -> Result<(), StoreError>;
    /// Removes and returns a pending login: each state can be used once. Also drops states
    /// older than `expired_before`.
    async fn take_login_state(
        &self,
        state: &str,
        expired_before: DateTime<Utc>,
    ) -> Result<Option<LoginState>, StoreError>;
}
