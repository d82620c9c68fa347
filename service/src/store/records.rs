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
