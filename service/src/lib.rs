//! The service layer of BRP-portaal.
//!
//! Every rule lives here: who may do what, how a login is checked, what is audited. Server
//! functions, the JSON API and the CLI all call [`Portal`]; none of them decides on access
//! by itself. Storage sits behind the [`store::Store`] trait with one implementation per
//! database.

pub mod accounts;
pub mod applications;
pub mod authorisation;
mod caches;
pub mod citizen_letters;
pub mod citizens;
pub mod clock;
pub mod demo;
mod demo_authorisations;
pub mod error;
pub mod four_eyes;
pub mod identity;
pub mod letters;
pub mod login_starts;
pub mod mail;
pub mod password;
pub mod persons;
pub mod portal;
mod protocol_writer;
pub mod raadplegen;
pub mod source;
pub mod store;
#[cfg(feature = "testing")]
pub mod testing;

pub use accounts::{Actor, LoginOutcome, SessionClaims};
pub use citizens::{Citizen, CitizenClaims, CitizenSettings};
pub use clock::{Clock, FixedClock, SystemClock};
pub use error::ServiceError;
pub use password::PasswordHashing;
pub use portal::{Portal, PortalConfig};
