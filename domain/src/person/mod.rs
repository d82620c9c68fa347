//! Persons: the Haal Centraal `Persoon`, its numbers and dates, the search types and the
//! field filter that enforces a profile on every person provided.

pub mod bag;
pub mod datum;
pub mod display;
pub mod fields;
pub mod ids;
pub mod model;
pub mod provided;
pub mod search;
pub mod text;

pub use bag::{BagId, BagKind};
pub use datum::Datum;
pub use fields::{present_paths, FieldError, FieldSelection};
pub use ids::{ANummer, Bsn};
pub use model::*;
pub use provided::{
    add_leeftijd, provided_bsn, DoelChoice, Indicaties, LookupGrant, LookupResult, ProvidedPerson,
};
pub use search::{fold, PersonQuery, QueryInput, TextMatch};
