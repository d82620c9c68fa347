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
