//! The one error type of the service layer. Each caller maps it once: server functions to an
//! HTTP status and a Dutch message, the JSON API to problem+json, the CLI to an exit code.

use crate::store::StoreError;
use brp_domain::ValidationError;

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
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
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
