//! What goes in and out of the store, beside the domain types themselves.

use brp_domain::{AuditAction, DisplayName, EmailAddress, Role, User, Username};
use chrono::{DateTime, Utc};

/// A user as stored, with what only the service layer may see.
#[derive(Debug, Clone)]
pub struct UserRecord {
    pub user: User,
    pub password_hash: String,
    pub sessions_valid_after: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct NewUserRecord {
    pub username: Username,
    pub display_name: DisplayName,
    pub email: Option<EmailAddress>,
    pub role: Role,
    pub afnemer_id: Option<i64>,
    pub password_hash: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewAuditEvent {
    pub occurred_at: DateTime<Utc>,
    pub actor_user_id: Option<i64>,
    pub actor: String,
    pub action: AuditAction,
    pub subject: String,
    pub field: Option<String>,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

#[derive(Debug, Clone)]
pub struct LoginAttempt {
    pub attempted_at: DateTime<Utc>,
    pub username: String,
    pub client_addr: String,
    pub succeeded: bool,
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Only events whose subject is exactly this.
    pub subject: Option<String>,
    /// Only events older than this id (paging backwards through time).
    pub before_id: Option<i64>,
    pub limit: u32,
}

#[derive(Debug, Clone)]
pub struct NewAfnemer {
    pub name: brp_domain::AfnemerName,
    pub wettelijk_kader: String,
    pub kind: brp_domain::AfnemerKind,
    pub hidden_from_citizen_ground: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewGrondslag {
    pub law: String,
    pub article: String,
    pub description: String,
}

#[derive(Debug, Clone)]
pub struct NewDoel {
    pub afnemer_id: i64,
    pub grondslag_id: i64,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone)]
pub struct NewProfileVersion {
    pub version: i32,
    pub content: brp_domain::authorisation::ProfileContent,
    pub note: String,
    pub proposed_by_user_id: Option<i64>,
    pub proposed_by: String,
    pub proposed_at: DateTime<Utc>,
    /// For a vrije derde: the consent or weighing this version rests on.
    pub vrije_derde_basis: Option<brp_domain::vrije_derde::VrijeDerdeBasis>,
}

/// Who decided, when, and why; written with the status change it belongs to.
#[derive(Debug, Clone)]
pub struct DecisionRecord {
    /// `None` for decisions of the system itself (the demo set-up).
    pub by_user_id: Option<i64>,
    pub by: String,
    pub at: DateTime<Utc>,
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct NewRequest {
    pub requester_id: i64,
    pub profile_id: i64,
    pub profile_version: i32,
    pub motivation: String,
    pub start_date: chrono::NaiveDate,
    pub end_date: chrono::NaiveDate,
    pub signed_text: String,
    pub signed_name: String,
    pub signed_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewGrant {
    pub user_id: i64,
    pub profile_id: i64,
    pub request_id: Option<i64>,
    pub confirmed_version: i32,
    pub start_date: chrono::NaiveDate,
    pub end_date: chrono::NaiveDate,
    pub confirmed_by: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewLetter {
    pub user_id: i64,
    pub kind: brp_domain::messages::LetterKind,
    pub subject: String,
    pub body_html: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewOutboxMessage {
    pub to_address: String,
    pub to_name: String,
    pub subject: String,
    pub body_text: String,
    pub created_at: DateTime<Utc>,
}

/// A letter to a user and, when they have an address, the e-mail that announces it.
#[derive(Debug, Clone)]
pub struct Notification {
    pub letter: NewLetter,
    pub mail: Option<NewOutboxMessage>,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct GrantFilter {
    pub user_id: Option<i64>,
    pub afnemer_id: Option<i64>,
    pub profile_id: Option<i64>,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct RequestFilter {
    pub requester_id: Option<i64>,
    pub status: Option<brp_domain::authorisation::RequestStatus>,
}
