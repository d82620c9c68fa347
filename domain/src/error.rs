use serde::{Deserialize, Serialize};

/// Input that does not fit a domain type. The message is Dutch and written for the person
/// who typed the value, because it is shown to them as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("{field}: {message}")]
pub struct ValidationError {
    /// The form field the message belongs to, so a page can show it next to the input.
    pub field: String,
    pub message: String,
}

impl ValidationError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

/// The kind of failure an error is, as every door of the portal reports it: one class, one
/// HTTP status. It lives here, not in the service layer, because the browser build of the
/// pages (which has no service layer) must answer with the same numbers as the server.
///
/// Which error is which class is decided once, in `brp_service::ServiceError::class`; the
/// number for a class only here. Both matches are exhaustive, without a wildcard arm, so a
/// new variant cannot compile without a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ErrorClass {
    /// Nobody (or nobody any longer, or not with these credentials) is logged in.
    Unauthenticated,
    /// Someone is, but this is not theirs to do or see.
    Forbidden,
    NotFound,
    /// The request is wrong: a value does not fit, or it could not be read.
    Invalid,
    /// The request is well-formed but the state does not allow it (anymore).
    Conflict,
    TooLarge,
    Throttled,
    /// A service the answer depends on failed; trying again later may work.
    Unavailable,
    /// Our fault; the details are in the log, never in the answer.
    Internal,
}

impl ErrorClass {
    /// The HTTP status of this class.
    pub const fn status(self) -> u16 {
        match self {
            ErrorClass::Unauthenticated => 401,
            ErrorClass::Forbidden => 403,
            ErrorClass::NotFound => 404,
            ErrorClass::Invalid => 400,
            ErrorClass::Conflict => 409,
            ErrorClass::TooLarge => 413,
            ErrorClass::Throttled => 429,
            ErrorClass::Unavailable => 503,
            ErrorClass::Internal => 500,
        }
    }
}
