//! Letters to staff, kept in the portal, and the e-mail outbox.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LetterKind {
    /// "Schriftelijk bericht van de toegekende autorisatie".
    GrantNotice,
    RejectionNotice,
    RevocationNotice,
    /// Wet BRP 3.23: a datum this user received was corrected.
    CorrectionNotice,
}

impl LetterKind {
    pub fn code(self) -> &'static str {
        match self {
            LetterKind::GrantNotice => "toekenning",
            LetterKind::RejectionNotice => "afwijzing",
            LetterKind::RevocationNotice => "intrekking",
            LetterKind::CorrectionNotice => "correctiemelding",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        [
            LetterKind::GrantNotice,
            LetterKind::RejectionNotice,
            LetterKind::RevocationNotice,
            LetterKind::CorrectionNotice,
        ]
        .into_iter()
        .find(|k| k.code() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Letter {
    pub id: i64,
    pub user_id: i64,
    pub kind: LetterKind,
    pub subject: String,
    /// Rendered by the service with askama (every value escaped); shown as it is.
    pub body_html: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxMessage {
    pub id: i64,
    pub to_address: String,
    pub to_name: String,
    pub subject: String,
    pub body_text: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub attempts: i32,
    pub last_error: Option<String>,
}
