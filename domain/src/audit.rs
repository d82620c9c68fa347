//! What the audit trail records: every change to accounts and authorisations, with who made
//! it, when, and the old and new value.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AuditAction {
    UserCreated,
    UserDeactivated,
    UserReactivated,
    PasswordReset,
    AfnemerCreated,
    AfnemerChanged,
    GrondslagCreated,
    DoelCreated,
    ProfileProposed,
    ProfileChangeProposed,
    ProfileVersionApproved,
    ProfileVersionRejected,
    RequestSubmitted,
    RequestWithdrawn,
    RequestApproved,
    RequestRejected,
    GrantRevoked,
    GrantReconfirmed,
    GrantExtended,
    GrantCreated,
    TerugmeldingHandled,
    PersonsImported,
    PersonCorrected,
    BeperkingStarted,
    BeperkingEnded,
    /// Staff read a letter to a citizen or a citizen's attachment.
    CitizenDocumentRead,
    /// A change that needs a second beheerder was proposed.
    ChangeProposed,
    ChangeApproved,
    ChangeRejected,
    UserRoleChanged,
    /// The owner set their password with a one-time link.
    PasswordSetByOwner,
    /// Staff were shown a citizen's BRP data while handling requests (queue, request page,
    /// registration): logged access, not a verstrekking.
    CitizenDataViewed,
}

impl AuditAction {
    pub const ALL: [AuditAction; 32] = [
        AuditAction::UserCreated,
        AuditAction::UserDeactivated,
        AuditAction::UserReactivated,
        AuditAction::PasswordReset,
        AuditAction::AfnemerCreated,
        AuditAction::AfnemerChanged,
        AuditAction::GrondslagCreated,
        AuditAction::DoelCreated,
        AuditAction::ProfileProposed,
        AuditAction::ProfileChangeProposed,
        AuditAction::ProfileVersionApproved,
        AuditAction::ProfileVersionRejected,
        AuditAction::RequestSubmitted,
        AuditAction::RequestWithdrawn,
        AuditAction::RequestApproved,
        AuditAction::RequestRejected,
        AuditAction::GrantRevoked,
        AuditAction::GrantReconfirmed,
        AuditAction::GrantExtended,
        AuditAction::GrantCreated,
        AuditAction::TerugmeldingHandled,
        AuditAction::PersonsImported,
        AuditAction::PersonCorrected,
        AuditAction::BeperkingStarted,
        AuditAction::BeperkingEnded,
        AuditAction::CitizenDocumentRead,
        AuditAction::ChangeProposed,
        AuditAction::ChangeApproved,
        AuditAction::ChangeRejected,
        AuditAction::UserRoleChanged,
        AuditAction::PasswordSetByOwner,
        AuditAction::CitizenDataViewed,
    ];

    /// Stable code stored with each event; never rename one that has been written.
    pub fn code(self) -> &'static str {
        match self {
            AuditAction::UserCreated => "gebruiker.aangemaakt",
            AuditAction::UserDeactivated => "gebruiker.gedeactiveerd",
            AuditAction::UserReactivated => "gebruiker.geheractiveerd",
            AuditAction::PasswordReset => "gebruiker.wachtwoord_hersteld",
            AuditAction::AfnemerCreated => "afnemer.aangemaakt",
            AuditAction::AfnemerChanged => "afnemer.gewijzigd",
            AuditAction::GrondslagCreated => "grondslag.aangemaakt",
            AuditAction::DoelCreated => "doel.aangemaakt",
            AuditAction::ProfileProposed => "profiel.voorgesteld",
            AuditAction::ProfileChangeProposed => "profiel.wijziging_voorgesteld",
            AuditAction::ProfileVersionApproved => "profiel.versie_goedgekeurd",
            AuditAction::ProfileVersionRejected => "profiel.versie_afgewezen",
            AuditAction::RequestSubmitted => "aanvraag.ingediend",
            AuditAction::RequestWithdrawn => "aanvraag.ingetrokken",
            AuditAction::RequestApproved => "aanvraag.toegekend",
            AuditAction::RequestRejected => "aanvraag.afgewezen",
            AuditAction::GrantRevoked => "autorisatie.ingetrokken",
            AuditAction::GrantReconfirmed => "autorisatie.herbevestigd",
            AuditAction::GrantExtended => "autorisatie.verlengd",
            AuditAction::GrantCreated => "autorisatie.toegekend",
            AuditAction::TerugmeldingHandled => "terugmelding.behandeld",
            AuditAction::PersonsImported => "personen.ingelezen",
            AuditAction::PersonCorrected => "persoon.gecorrigeerd",
            AuditAction::BeperkingStarted => "persoon.verstrekkingsbeperking_gestart",
            AuditAction::BeperkingEnded => "persoon.verstrekkingsbeperking_beeindigd",
            AuditAction::CitizenDocumentRead => "burgerverzoek.document_ingezien",
            AuditAction::ChangeProposed => "vier_ogen.voorgesteld",
            AuditAction::ChangeApproved => "vier_ogen.goedgekeurd",
            AuditAction::ChangeRejected => "vier_ogen.afgewezen",
            AuditAction::UserRoleChanged => "gebruiker.rol_gewijzigd",
            AuditAction::PasswordSetByOwner => "gebruiker.wachtwoord_ingesteld_door_eigenaar",
            AuditAction::CitizenDataViewed => "burgerverzoek.gegevens_ingezien",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AuditAction::UserCreated => "Gebruiker aangemaakt",
            AuditAction::UserDeactivated => "Gebruiker gedeactiveerd",
            AuditAction::UserReactivated => "Gebruiker opnieuw geactiveerd",
            AuditAction::PasswordReset => "Wachtwoord opnieuw ingesteld",
            AuditAction::AfnemerCreated => "Afnemer aangemaakt",
            AuditAction::AfnemerChanged => "Afnemer gewijzigd",
            AuditAction::GrondslagCreated => "Grondslag aangemaakt",
            AuditAction::DoelCreated => "Doel aangemaakt",
            AuditAction::ProfileProposed => "Nieuw profiel voorgesteld",
            AuditAction::ProfileChangeProposed => "Profielwijziging voorgesteld",
            AuditAction::ProfileVersionApproved => "Profielversie goedgekeurd",
            AuditAction::ProfileVersionRejected => "Profielversie afgewezen",
            AuditAction::RequestSubmitted => "Autorisatieaanvraag ingediend",
            AuditAction::RequestWithdrawn => "Autorisatieaanvraag ingetrokken",
            AuditAction::RequestApproved => "Autorisatieaanvraag toegekend",
            AuditAction::RequestRejected => "Autorisatieaanvraag afgewezen",
            AuditAction::GrantRevoked => "Autorisatie ingetrokken",
            AuditAction::GrantReconfirmed => "Autorisatie herbevestigd",
            AuditAction::GrantExtended => "Autorisatie verlengd",
            AuditAction::GrantCreated => "Autorisatie toegekend zonder formulier",
            AuditAction::TerugmeldingHandled => "Terugmelding behandeld",
            AuditAction::PersonsImported => "Personen ingelezen",
            AuditAction::PersonCorrected => "Persoonsgegeven gecorrigeerd",
            AuditAction::BeperkingStarted => "Verstrekkingsbeperking ingegaan",
            AuditAction::BeperkingEnded => "Verstrekkingsbeperking beëindigd",
            AuditAction::CitizenDocumentRead => "Brief of bijlage van een inwoner ingezien",
            AuditAction::ChangeProposed => "Wijziging voorgesteld (vier ogen)",
            AuditAction::ChangeApproved => "Voorgestelde wijziging goedgekeurd",
            AuditAction::ChangeRejected => "Voorgestelde wijziging afgewezen",
            AuditAction::UserRoleChanged => "Rol van gebruiker gewijzigd",
            AuditAction::PasswordSetByOwner => "Wachtwoord ingesteld door de eigenaar",
            AuditAction::CitizenDataViewed => {
                "BRP-gegevens van een inwoner ingezien bij een verzoek"
            }
        }
    }
}

impl FromStr for AuditAction {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AuditAction::ALL
            .into_iter()
            .find(|a| a.code() == s)
            .ok_or(())
    }
}

/// One recorded change: who, when, what, and the old and new value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    /// The user name of whoever made the change, as it was then; `cli` for the command line.
    pub actor: String,
    pub action: AuditAction,
    /// What was changed, e.g. `gebruiker medewerker`.
    pub subject: String,
    pub field: Option<String>,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_round_trip() {
        for a in AuditAction::ALL {
            assert_eq!(a.code().parse::<AuditAction>(), Ok(a));
        }
        let mut codes: Vec<_> = AuditAction::ALL.iter().map(|a| a.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), AuditAction::ALL.len());
    }
}
