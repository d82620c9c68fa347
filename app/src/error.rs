//! The error every server function returns: serialisable, with a Dutch message, and mapped
//! from the service layer's error in one place ([`crate::ssr::fail`]).

use brp_domain::ErrorClass;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("U bent niet ingelogd.")]
    Unauthenticated,
    #[error("Uw sessie is verlopen. Log opnieuw in.")]
    SessionExpired,
    #[error("U heeft geen toegang tot deze functie.")]
    Forbidden,
    /// Outside the grant: the message says what; the attempt is in the security log.
    #[error("{0}")]
    Refused(String),
    /// A service the portal depends on (the BRP source, the protocol) failed.
    #[error("{0}")]
    Unavailable(String),
    #[error("{0}")]
    NotFound(String),
    /// A field of a form was filled in wrongly; `field` names the input.
    #[error("{message}")]
    Invalid { field: String, message: String },
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Login(String),
    #[error("{0}")]
    Throttled(String),
    #[error("Er ging iets mis aan onze kant. Probeer het later opnieuw.")]
    Internal,
    /// The request itself could not be made or read (network, missing argument).
    #[error("Het verzoek kon niet worden verwerkt. Controleer de invoer en probeer het opnieuw.")]
    Request(String),
    /// The request body is larger than the portal accepts.
    #[error("Het verzoek is te groot. Verstuur minder of kleinere bestanden.")]
    TooLarge,
}

impl AppError {
    /// The message for a form field, if this error belongs to that field.
    pub fn for_field(&self, name: &str) -> Option<String> {
        match self {
            AppError::Invalid { field, message } if field == name => Some(message.clone()),
            _ => None,
        }
    }

    /// The class of this error. Each variant mirrors the service error it is made from
    /// (`ssr::from_service`), so this is no decision of its own: a test in the server
    /// (`server/src/caller.rs`) proves that every service error keeps its class on the way.
    /// Only `Request` and `TooLarge` are the door's own.
    pub fn class(&self) -> ErrorClass {
        match self {
            AppError::Unauthenticated | AppError::SessionExpired | AppError::Login(_) => {
                ErrorClass::Unauthenticated
            }
            AppError::Forbidden | AppError::Refused(_) => ErrorClass::Forbidden,
            AppError::NotFound(_) => ErrorClass::NotFound,
            AppError::Invalid { .. } | AppError::Request(_) => ErrorClass::Invalid,
            AppError::Conflict(_) => ErrorClass::Conflict,
            AppError::TooLarge => ErrorClass::TooLarge,
            AppError::Throttled(_) => ErrorClass::Throttled,
            AppError::Internal => ErrorClass::Internal,
            AppError::Unavailable(_) => ErrorClass::Unavailable,
        }
    }

    /// The HTTP status a direct caller of the server function sees: the class's status.
    pub fn status(&self) -> u16 {
        self.class().status()
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    /// Errors of `server_fn` itself. On the server these are the request's fault (its body
    /// could not be decoded into the function's arguments), so they answer 400 through
    /// [`AppError::status`]; a body over the limit answers 413.
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        let message = value.to_string();
        // http-body-util's `LengthLimitError`, which axum's body limit reports.
        if message.contains("length limit exceeded") {
            AppError::TooLarge
        } else {
            AppError::Request(message)
        }
    }
}
