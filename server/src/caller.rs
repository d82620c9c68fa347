//! Who is calling: the one place where a route finds its caller. Each kind of caller is an
//! axum extractor that asks the service layer to check the credentials, so a handler that
//! takes a [`Staff`] or a [`Citizen`] runs only for a caller the service accepted; any
//! other request is answered with the service's error and status ([`Refusal`]).
//!
//! Server functions find their caller through `brp_app::ssr::actor` and `citizen`, which
//! read the session with the same two functions as these extractors
//! (`brp_app::ssr::staff_of_session`, `citizen_of_session`).
//!
//! # Kinds of caller
//!
//! See [`CallerKind`]: a staff member with a portal session, a citizen with a DigiD (or
//! simulated) session, and a task application that calls the Haal Centraal API with a
//! bearer token ([`Application`]). The application's refusal is the API's problem+json
//! rather than plain text: its caller is a program that reads the spec's error format.

use crate::errors::text_response;
use crate::haalcentraal::problem::Problem;
use crate::web::AppState;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use brp_app::ssr::{citizen_of_session, staff_of_session};
use brp_service::error::InternalError;
use brp_service::{Actor, ServiceError};
use tower_sessions::Session;

/// The kinds of caller a route can require.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallerKind {
    /// A medewerker, beheerder or toezichthouder, by the portal's session.
    Staff,
    /// A resident, by the citizen session.
    Citizen,
    /// A task application, by the bearer token of `Authorization`.
    Application,
}

/// The staff member calling, accepted by the service layer.
#[derive(Debug, Clone)]
pub struct Staff(pub Actor);

/// The citizen calling, accepted by the service layer.
#[derive(Debug, Clone)]
pub struct Citizen(pub brp_service::Citizen);

/// The task application calling, accepted by the service layer (an actor with the role
/// `applicatie`).
#[derive(Debug, Clone)]
pub struct Application(pub Actor);

/// A request without an acceptable caller of the kind the route needs: no login (401), an
/// expired one (401, and the session is ended), or a failure finding out (500).
#[derive(Debug)]
pub struct Refusal {
    pub wanted: CallerKind,
    pub error: ServiceError,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        tracing::debug!(wanted = ?self.wanted, status = self.error.status(), "no caller");
        text_response(&self.error)
    }
}

async fn session(
    parts: &mut Parts,
    state: &AppState,
    wanted: CallerKind,
) -> Result<Session, Refusal> {
    Session::from_request_parts(parts, state)
        .await
        .map_err(|(_, why)| Refusal {
            wanted,
            error: ServiceError::Internal(InternalError::Session(why.to_owned())),
        })
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Refusal> {
        let wanted = CallerKind::Staff;
        let session = session(parts, state, wanted).await?;
        match staff_of_session(&state.portal, &session).await {
            Ok(Some(actor)) => Ok(Staff(actor)),
            Ok(None) => Err(Refusal {
                wanted,
                error: ServiceError::Unauthenticated,
            }),
            Err(error) => Err(Refusal { wanted, error }),
        }
    }
}

impl FromRequestParts<AppState> for Citizen {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Refusal> {
        let wanted = CallerKind::Citizen;
        let session = session(parts, state, wanted).await?;
        match citizen_of_session(&state.portal, &session).await {
            Ok(Some(c)) => Ok(Citizen(c)),
            Ok(None) => Err(Refusal {
                wanted,
                error: ServiceError::Unauthenticated,
            }),
            Err(error) => Err(Refusal { wanted, error }),
        }
    }
}

/// The token of an `Authorization: Bearer <token>` header; `None` for anything else.
fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

impl FromRequestParts<AppState> for Application {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        let instance = crate::haalcentraal::instance_uri(state, &parts.headers, parts.uri.path());
        let refuse = |error: ServiceError| {
            tracing::debug!(wanted = ?CallerKind::Application, status = error.status(), "no caller");
            Problem::from_service(&error, &instance)
        };
        let Some(token) = bearer(parts) else {
            return Err(refuse(ServiceError::Unauthenticated));
        };
        state
            .portal
            .authenticate_application(token)
            .await
            .map(Application)
            .map_err(refuse)
    }
}
