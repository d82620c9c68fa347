//! The BRP-portaal server: HTTP, sessions, and the command line. Every rule is in the
//! service layer (`brp-service`); this crate only wires requests to it.

pub mod caller;
pub mod citizen_routes;
pub mod cli;
pub mod config;
pub mod errors;
pub mod haalcentraal;
pub mod mail;
pub mod oauth;
pub mod server_fns;
pub mod sessions;
pub mod web;
