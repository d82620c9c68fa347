//! Where the persons of the embedded BRP source come from: a deterministic synthetic
//! population for demos, tests and benchmarks ([`generate`]), and the import of persons in
//! RvIG's mock format ([`mock_import`]). Both produce [`brp_domain::person::Persoon`]s; the
//! service layer stores them.

pub mod generate;
pub mod mock_import;
