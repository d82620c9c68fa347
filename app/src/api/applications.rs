//! Server functions for task applications (taakapplicaties). As everywhere: find the
//! caller, call the service, map the error; the service decides every rule (who may
//! register, the four eyes on activation and grants, the secrets).
//!
//! A client secret is shown once and never travels in a URL: registering or rotating keeps
//! it in the server's memory for this browser's session ([`crate::ssr::keep_secret`]), and
//! the application's page takes it from there, once ([`take_issued_secret`]). That works
//! the same with and without JavaScript.

use crate::error::AppError;
use brp_domain::application::{Application, ClientSecretInfo};
use brp_domain::authorisation::GrantView;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::ssr;

/// An application as the list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicationRow {
    pub application: Application,
    /// Not active, with an activation proposal waiting for a second beheerder.
    pub awaiting_activation: bool,
}

impl ApplicationRow {
    pub fn status_label(&self) -> &'static str {
        if self.application.active {
            "Actief"
        } else if self.awaiting_activation {
            "Wacht op activering"
        } else {
            "Niet actief"
        }
    }
}

/// One application with its secrets (never the secrets themselves) and grants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicationPageData {
    pub row: ApplicationRow,
    pub secrets: Vec<ClientSecretInfo>,
    pub grants: Vec<GrantView>,
    /// Pending proposals of a grant for this application.
    pub pending_grants: Vec<String>,
}

/// A secret just issued, for the one time it is shown.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct ShownSecret {
    pub client_id: String,
    pub secret: String,
}

impl std::fmt::Debug for ShownSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShownSecret")
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

/// The ids of applications whose activation waits for a second beheerder, and the
/// pending grant proposals per application (profile and period, as summarised).
#[cfg(feature = "ssr")]
async fn pending(
    portal: &brp_service::Portal,
    actor: &brp_service::Actor,
) -> Result<Vec<brp_domain::four_eyes::ChangeProposal>, AppError> {
    portal
        .list_change_proposals(actor, true)
        .await
        .map_err(ssr::fail)
}

#[cfg(feature = "ssr")]
fn awaiting(proposals: &[brp_domain::four_eyes::ChangeProposal], id: i64) -> bool {
    use brp_domain::four_eyes::ProposedChange;
    proposals
        .iter()
        .any(|p| p.change == ProposedChange::ActivateApplication { user_id: id })
}

#[server(endpoint = "applicaties")]
pub async fn list_applications() -> Result<Vec<ApplicationRow>, AppError> {
    let actor = ssr::actor().await?;
    let portal = ssr::portal()?;
    let apps = portal.list_applications(&actor).await.map_err(ssr::fail)?;
    let proposals = pending(&portal, &actor).await?;
    Ok(apps
        .into_iter()
        .map(|application| ApplicationRow {
            awaiting_activation: awaiting(&proposals, application.id),
            application,
        })
        .collect())
}

#[server(endpoint = "applicatie")]
pub async fn get_application(id: i64) -> Result<ApplicationPageData, AppError> {
    use brp_domain::four_eyes::ProposedChange;
    let actor = ssr::actor().await?;
    let portal = ssr::portal()?;
    let detail = portal
        .application_detail(&actor, id)
        .await
        .map_err(ssr::fail)?;
    let proposals = pending(&portal, &actor).await?;
    let pending_grants = proposals
        .iter()
        .filter(|p| matches!(p.change, ProposedChange::GrantApplication { user_id, .. } if user_id == id))
        .map(|p| p.summary.clone())
        .collect();
    Ok(ApplicationPageData {
        row: ApplicationRow {
            awaiting_activation: awaiting(&proposals, id),
            application: detail.application,
        },
        secrets: detail.secrets,
        grants: detail.grants,
        pending_grants,
    })
}

/// The secret just issued for this application in this browser's session, once: a second
/// call (a reload) answers `None`.
#[server(endpoint = "applicatie/geheim")]
pub async fn take_issued_secret(id: i64) -> Result<Option<ShownSecret>, AppError> {
    // Only a reader of applications may take one; the service checks the role.
    let actor = ssr::actor().await?;
    ssr::portal()?
        .application_detail(&actor, id)
        .await
        .map_err(ssr::fail)?;
    Ok(ssr::take_secret(id)
        .await?
        .map(|(client_id, secret)| ShownSecret { client_id, secret }))
}

/// Registers an application (inactive, activation proposed to a second beheerder). Its
/// page then shows the secret once.
#[server(endpoint = "applicatie_registreren")]
pub async fn register_application(
    client_id: String,
    naam: String,
    afnemer: String,
    contact: String,
) -> Result<(), AppError> {
    use brp_domain::ValidationError;
    use brp_service::applications::ApplicationForm;
    let actor = ssr::actor().await?;
    let afnemer_id = afnemer.trim().parse::<i64>().map_err(|_| {
        ssr::fail(ValidationError::new("afnemer", "Kies een bestaande afnemer.").into())
    })?;
    let (app, secret) = ssr::portal()?
        .register_application(
            &actor,
            ApplicationForm {
                client_id,
                name: naam,
                afnemer_id,
                contact,
            },
        )
        .await
        .map_err(ssr::fail)?;
    ssr::keep_secret(app.id, secret.client_id, secret.secret).await?;
    leptos_axum::redirect(&format!(
        "/beheer/applicaties/{}?melding=geregistreerd",
        app.id
    ));
    Ok(())
}

/// `actie` is `deactiveren` (at once) or `activeren` (a proposal for a second beheerder).
#[server(endpoint = "applicatie_status")]
pub async fn application_status(id: i64, actie: String) -> Result<(), AppError> {
    let actor = ssr::actor().await?;
    let portal = ssr::portal()?;
    let melding = match actie.as_str() {
        "deactiveren" => {
            portal
                .deactivate_application(&actor, id)
                .await
                .map_err(ssr::fail)?;
            "gedeactiveerd"
        }
        "activeren" => {
            portal
                .propose_application_activation(&actor, id)
                .await
                .map_err(ssr::fail)?;
            "activering"
        }
        _ => {
            return Err(ssr::fail(
                brp_domain::ValidationError::new("actie", "Onbekende actie.").into(),
            ))
        }
    };
    leptos_axum::redirect(&format!("/beheer/applicaties/{id}?melding={melding}"));
    Ok(())
}

/// A new client secret; the old ones keep working for `overlap` minutes.
#[server(endpoint = "applicatie_geheim_vernieuwen")]
pub async fn rotate_secret(id: i64, overlap: String) -> Result<(), AppError> {
    use brp_domain::ValidationError;
    let actor = ssr::actor().await?;
    let minutes = match overlap.trim() {
        "" => 60,
        raw => raw.parse::<i64>().map_err(|_| {
            ssr::fail(
                ValidationError::new("overlap", "Vul een aantal minuten in, bijvoorbeeld 60.")
                    .into(),
            )
        })?,
    };
    let secret = ssr::portal()?
        .rotate_application_secret(&actor, id, minutes)
        .await
        .map_err(ssr::fail)?;
    ssr::keep_secret(id, secret.client_id, secret.secret).await?;
    leptos_axum::redirect(&format!("/beheer/applicaties/{id}?melding=vernieuwd"));
    Ok(())
}

/// Proposes an autorisatiebesluit: a grant on a profile of the application's afnemer.
#[server(endpoint = "applicatie_autorisatie_voorstellen")]
pub async fn propose_application_grant(
    id: i64,
    profiel: String,
    begindatum: String,
    einddatum: String,
) -> Result<(), AppError> {
    use brp_domain::ValidationError;
    let actor = ssr::actor().await?;
    let profile_id = profiel
        .trim()
        .parse::<i64>()
        .map_err(|_| ssr::fail(ValidationError::new("profiel", "Kies een profiel.").into()))?;
    ssr::portal()?
        .propose_application_grant(&actor, id, profile_id, &begindatum, &einddatum)
        .await
        .map_err(ssr::fail)?;
    leptos_axum::redirect(&format!("/beheer/applicaties/{id}?melding=voorgesteld"));
    Ok(())
}
