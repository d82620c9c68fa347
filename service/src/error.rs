//! The one error type of the service layer. Each caller maps it once: server functions to an
//! HTTP status and a Dutch message, the JSON API to problem+json, the CLI to an exit code.

use crate::store::{StoreError, UniqueKey};
use brp_domain::{ErrorClass, ValidationError};

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("U bent niet ingelogd.")]
    Unauthenticated,
    #[error("Uw sessie is verlopen. Log opnieuw in.")]
    SessionExpired,
    #[error("U heeft geen toegang tot deze functie.")]
    Forbidden,
    #[error("{0} is niet gevonden.")]
    NotFound(&'static str),
    #[error("{0}")]
    Invalid(#[from] ValidationError),
    #[error("{0}")]
    Conflict(String),
    /// A request outside the actor's grant: refused, written to the security log. The
    /// message says what was outside, in Dutch.
    #[error("{0}")]
    Refused(String),
    /// The BRP source did not answer.
    #[error("De basisregistratie personen is nu niet bereikbaar. Probeer het later opnieuw.")]
    Unavailable,
    /// The protocol record could not be written, so no data was provided.
    #[error(
        "De bevraging kon niet worden vastgelegd in het protocol; daarom zijn er geen gegevens \
         getoond. Probeer het later opnieuw."
    )]
    ProtocolFailed,
    /// Deliberately the same for an unknown account, a wrong password and a deactivated
    /// account: the message must not tell an attacker which accounts exist.
    #[error(
        "De combinatie van gebruikersnaam en wachtwoord is onjuist, of het account is niet actief."
    )]
    InvalidCredentials,
    #[error("Te veel inlogpogingen. Wacht 15 minuten en probeer het dan opnieuw.")]
    Throttled,
    /// A task application made more requests than its limit allows.
    #[error("Te veel verzoeken. Probeer het over {retry_after_seconds} seconden opnieuw.")]
    RateLimited { retry_after_seconds: u64 },
    #[error("Er ging iets mis aan onze kant. Probeer het later opnieuw.")]
    Internal(#[source] InternalError),
}

#[derive(Debug, thiserror::Error)]
pub enum InternalError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("password hashing: {0}")]
    Hashing(String),
    #[error("background task: {0}")]
    Task(#[from] tokio::task::JoinError),
    /// The HTTP layer's session store failed while reading who is calling.
    #[error("session store: {0}")]
    Session(String),
}

impl ServiceError {
    /// What kind of failure this is, for every door: server functions, routes, the JSON API
    /// and the CLI. The one place that decides it; no wildcard arm, so a new variant needs a
    /// decision here before anything compiles.
    pub fn class(&self) -> ErrorClass {
        match self {
            // A wrong password is "who are you?", not "you may not": 401, like no session.
            ServiceError::Unauthenticated
            | ServiceError::SessionExpired
            | ServiceError::InvalidCredentials => ErrorClass::Unauthenticated,
            // Outside the grant is a refusal of a known caller, like a missing role.
            ServiceError::Forbidden | ServiceError::Refused(_) => ErrorClass::Forbidden,
            ServiceError::NotFound(_) => ErrorClass::NotFound,
            ServiceError::Invalid(_) => ErrorClass::Invalid,
            ServiceError::Conflict(_) => ErrorClass::Conflict,
            ServiceError::Throttled | ServiceError::RateLimited { .. } => ErrorClass::Throttled,
            // Both mean "nothing was provided, try again later": the source did not answer,
            // or the protocol could not be written and so no data left.
            ServiceError::Unavailable | ServiceError::ProtocolFailed => ErrorClass::Unavailable,
            ServiceError::Internal(_) => ErrorClass::Internal,
        }
    }

    /// The HTTP status of this error: [`ServiceError::class`]'s status.
    pub fn status(&self) -> u16 {
        self.class().status()
    }
}

/// The Dutch words for a unique key that a write ran into; the store only names the key.
fn unique_message(key: UniqueKey) -> &'static str {
    match key {
        UniqueKey::Username => "Er bestaat al een gebruiker met deze gebruikersnaam.",
        UniqueKey::ClientId => "Er bestaat al een account met deze client-id.",
        UniqueKey::AfnemerName => "Er bestaat al een afnemer met deze naam.",
        UniqueKey::ProfileName => "Er bestaat al een profiel met deze naam.",
        UniqueKey::Grondslag => "Deze grondslag bestaat al.",
        UniqueKey::DoelName => "Deze afnemer heeft al een doel met deze naam.",
        UniqueKey::PendingProfileChange => {
            "Er wacht al een wijziging van dit profiel op goedkeuring."
        }
        UniqueKey::CitizenRequest => "Dit kenmerk bestaat al; probeer opnieuw.",
        UniqueKey::CorrectionNotification => {
            "Deze ontvanger is al geïnformeerd over deze correctie."
        }
    }
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Unique { constraint } => {
                ServiceError::Conflict(unique_message(constraint).to_owned())
            }
            StoreError::Conflict(what) => ServiceError::Conflict(what),
            other => ServiceError::Internal(InternalError::Store(other)),
        }
    }
}

impl From<tokio::task::JoinError> for ServiceError {
    fn from(e: tokio::task::JoinError) -> Self {
        ServiceError::Internal(InternalError::Task(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every variant, with the status the issue decided for it. Written out rather than
    /// derived from [`ServiceError::class`], so a changed decision fails here.
    #[test]
    fn every_error_has_its_status() {
        let store = || InternalError::Store(StoreError::UnsupportedUrl);
        let cases: Vec<(ServiceError, u16)> = vec![
            (ServiceError::Unauthenticated, 401),
            (ServiceError::SessionExpired, 401),
            (ServiceError::InvalidCredentials, 401),
            (ServiceError::Forbidden, 403),
            (ServiceError::Refused("veld".into()), 403),
            (ServiceError::NotFound("Persoon"), 404),
            (ValidationError::new("bsn", "onjuist").into(), 400),
            (ServiceError::Conflict("al afgehandeld".into()), 409),
            (ServiceError::Throttled, 429),
            (ServiceError::Unavailable, 503),
            (ServiceError::ProtocolFailed, 503),
            (ServiceError::Internal(store()), 500),
            (
                ServiceError::Internal(InternalError::Hashing("x".into())),
                500,
            ),
        ];
        for (e, status) in cases {
            assert_eq!(e.status(), status, "{e:?}");
        }
    }

    #[test]
    fn a_store_failure_is_internal_and_a_unique_key_a_conflict_in_dutch() {
        let e: ServiceError = StoreError::Database(sqlx::Error::PoolClosed).into();
        assert_eq!(e.status(), 500);
        assert_eq!(
            e.to_string(),
            "Er ging iets mis aan onze kant. Probeer het later opnieuw."
        );
        let e: ServiceError = StoreError::Unique {
            constraint: UniqueKey::Username,
        }
        .into();
        assert_eq!(e.status(), 409);
        assert_eq!(
            e.to_string(),
            "Er bestaat al een gebruiker met deze gebruikersnaam."
        );
    }
}
