//! Changes that one beheerder proposes and a second approves: privileged accounts, roles,
//! and an afnemer's kind and art. 46 flag.
//!
//! A beheerder alone could otherwise defeat every other four-eyes rule: make a second
//! beheerder account and approve their own work with it, or take over a colleague's account
//! by resetting its password. So these changes wait as a proposal until a beheerder who is
//! neither the proposer nor the account's subject approves them.

use crate::{AfnemerKind, DisplayName, EmailAddress, Role, Username};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Roles whose accounts only come about, come back or get a new password with four eyes.
pub fn is_privileged(role: Role) -> bool {
    matches!(role, Role::Beheerder | Role::Toezichthouder)
}

/// What is proposed. Stored as JSON with the proposal; never edited afterwards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "soort", rename_all = "snake_case")]
pub enum ProposedChange {
    /// A new beheerder or toezichthouder account; its owner sets the password.
    CreateAccount {
        username: Username,
        display_name: DisplayName,
        email: EmailAddress,
        role: Role,
        afnemer_id: Option<i64>,
    },
    /// A deactivated beheerder or toezichthouder account becomes active again.
    Reactivate { user_id: i64 },
    /// The toezichthouder's account is deactivated.
    Deactivate { user_id: i64 },
    /// Anyone's role changes. A promotion to a privileged role also ends the old password:
    /// the owner sets a new one through a one-time link.
    ChangeRole {
        user_id: i64,
        role: Role,
        afnemer_id: Option<i64>,
    },
    /// A beheerder's or toezichthouder's password: the old one stops working and the owner
    /// sets a new one through a one-time link.
    ResetPassword { user_id: i64 },
    /// A new afnemer of a kind other than binnengemeentelijk, or with an art. 46 flag: it
    /// exists only once approved.
    CreateAfnemer {
        name: crate::AfnemerName,
        wettelijk_kader: String,
        kind: AfnemerKind,
        ground: Option<crate::art46::Art46Ground>,
    },
    /// An afnemer's kind and art. 46 flag.
    ClassifyAfnemer {
        afnemer_id: i64,
        kind: AfnemerKind,
        ground: Option<crate::art46::Art46Ground>,
    },
    /// A registered (or deactivated) task application becomes active: its credentials start
    /// to work.
    ActivateApplication { user_id: i64 },
    /// A task application gets a grant on a profile (an autorisatiebesluit): every widening
    /// of what an application may see takes four eyes.
    GrantApplication {
        user_id: i64,
        profile_id: i64,
        start_date: chrono::NaiveDate,
        end_date: chrono::NaiveDate,
    },
}

impl ProposedChange {
    /// The existing account this change is about, if any.
    pub fn subject_user_id(&self) -> Option<i64> {
        match self {
            Self::Reactivate { user_id }
            | Self::Deactivate { user_id }
            | Self::ChangeRole { user_id, .. }
            | Self::ResetPassword { user_id }
            | Self::ActivateApplication { user_id }
            | Self::GrantApplication { user_id, .. } => Some(*user_id),
            Self::CreateAccount { .. }
            | Self::CreateAfnemer { .. }
            | Self::ClassifyAfnemer { .. } => None,
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Self::CreateAccount { .. } => "Nieuw account",
            Self::Reactivate { .. } => "Account heractiveren",
            Self::Deactivate { .. } => "Account deactiveren",
            Self::ChangeRole { .. } => "Rol wijzigen",
            Self::ResetPassword { .. } => "Wachtwoord opnieuw laten instellen",
            Self::CreateAfnemer { .. } => "Nieuwe afnemer",
            Self::ClassifyAfnemer { .. } => "Soort of artikel 46 van een afnemer wijzigen",
            Self::ActivateApplication { .. } => "Taakapplicatie activeren",
            Self::GrantApplication { .. } => "Autorisatiebesluit voor een taakapplicatie",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProposalStatus {
    Pending,
    Approved,
    Rejected,
}

impl ProposalStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Pending, Self::Approved, Self::Rejected]
            .into_iter()
            .find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "Wacht op een tweede beheerder",
            Self::Approved => "Goedgekeurd",
            Self::Rejected => "Afgewezen",
        }
    }
}

/// A proposal as stored: what, about whom, who proposed it, and the decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeProposal {
    pub id: i64,
    pub change: ProposedChange,
    /// What the change is about, in words (`gebruiker j.jansen`, `afnemer Politie`).
    pub subject: String,
    /// The account concerned, once it exists.
    pub subject_user_id: Option<i64>,
    /// The change in words, as the approver reads it.
    pub summary: String,
    pub proposed_by_id: Option<i64>,
    pub proposed_by: String,
    pub proposed_at: DateTime<Utc>,
    pub status: ProposalStatus,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub reason: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_round_trip_through_json() {
        let c = ProposedChange::ChangeRole {
            user_id: 3,
            role: Role::Beheerder,
            afnemer_id: None,
        };
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(serde_json::from_str::<ProposedChange>(&json).unwrap(), c);
        assert_eq!(c.subject_user_id(), Some(3));
        assert!(is_privileged(Role::Toezichthouder));
        assert!(!is_privileged(Role::Medewerker));
        for s in [
            ProposalStatus::Pending,
            ProposalStatus::Approved,
            ProposalStatus::Rejected,
        ] {
            assert_eq!(ProposalStatus::from_code(s.code()), Some(s));
        }
    }
}
