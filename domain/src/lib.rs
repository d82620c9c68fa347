//! Domain types of BRP-portaal.
//!
//! Everything here is plain Rust: no web framework, no database, no clock. Values are parsed
//! once at the edge into types that cannot hold an invalid state ("parse, don't validate"),
//! and every rule that needs the current time takes it as an argument.

pub mod account;
pub mod afnemer;
pub mod application;
pub mod art46;
pub mod audit;
pub mod authorisation;
pub mod catalogue;
pub mod citizen;
pub mod error;
pub mod four_eyes;
pub mod messages;
pub mod person;
pub mod protocol;
pub mod security;
pub mod text;
pub mod time;
pub mod vrije_derde;

pub use account::{DisplayName, EmailAddress, NewPassword, Role, User, Username};
pub use afnemer::{Afnemer, AfnemerKind, AfnemerName, AfnemerRef};
pub use audit::{AuditAction, AuditEvent};
pub use error::{ErrorClass, ValidationError};
pub use security::{LoginStartThrottle, LoginThrottle, SessionPolicy};
