//! Server functions for four-eyes proposals and the one-time set-password link. As
//! everywhere: find the caller, call the service, map the error; the service decides.

use crate::error::AppError;
use brp_domain::four_eyes::ChangeProposal;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::ssr;

/// Every proposal, newest first (beheerder and toezichthouder).
#[server(endpoint = "voorstellen")]
pub async fn list_proposals() -> Result<Vec<ChangeProposal>, AppError> {
    let actor = ssr::actor().await?;
    ssr::portal()?
        .list_change_proposals(&actor, false)
        .await
        .map_err(ssr::fail)
}

/// The proposals and decisions about the caller's own account.
#[server(endpoint = "mijn_accountwijzigingen")]
pub async fn my_account_changes() -> Result<Vec<ChangeProposal>, AppError> {
    let actor = ssr::actor().await?;
    ssr::portal()?
        .my_account_changes(&actor)
        .await
        .map_err(ssr::fail)
}

/// Proposes a change to an existing account: `soort` is `heractiveren`, `deactiveren`,
/// `wachtwoord` or `rol` (with `rol` and, for a medewerker, `afnemer`).
#[server(endpoint = "gebruiker_voorstel")]
pub async fn propose_account_change(
    id: i64,
    soort: String,
    #[server(default)] rol: String,
    #[server(default)] afnemer: String,
) -> Result<(), AppError> {
    use brp_domain::four_eyes::ProposedChange;
    use brp_domain::{Role, ValidationError};
    let actor = ssr::actor().await?;
    let change = match soort.as_str() {
        "heractiveren" => ProposedChange::Reactivate { user_id: id },
        "deactiveren" => ProposedChange::Deactivate { user_id: id },
        "wachtwoord" => ProposedChange::ResetPassword { user_id: id },
        "rol" => {
            let role = rol.parse::<Role>().map_err(|e| ssr::fail(e.into()))?;
            let afnemer_id = match afnemer.trim() {
                "" => None,
                raw => Some(raw.parse::<i64>().map_err(|_| {
                    ssr::fail(
                        ValidationError::new("afnemer", "Kies een bestaand organisatieonderdeel.")
                            .into(),
                    )
                })?),
            };
            ProposedChange::ChangeRole {
                user_id: id,
                role,
                afnemer_id,
            }
        }
        _ => {
            return Err(ssr::fail(
                ValidationError::new("soort", "Kies een wijziging uit de lijst.").into(),
            ))
        }
    };
    ssr::portal()?
        .propose_change(&actor, change)
        .await
        .map_err(ssr::fail)?;
    leptos_axum::redirect("/beheer/voorstellen?melding=voorgesteld");
    Ok(())
}

/// Approves (`besluit = goedkeuren`) or rejects (`afwijzen`, with a reason) a proposal.
#[server(endpoint = "voorstel_besluit")]
pub async fn decide_proposal(
    id: i64,
    besluit: String,
    #[server(default)] reden: String,
) -> Result<(), AppError> {
    let actor = ssr::actor().await?;
    let approve = match besluit.as_str() {
        "goedkeuren" => true,
        "afwijzen" => false,
        _ => {
            return Err(ssr::fail(
                brp_domain::ValidationError::new("besluit", "Kies goedkeuren of afwijzen.").into(),
            ))
        }
    };
    ssr::portal()?
        .decide_change(&actor, id, approve, &reden)
        .await
        .map_err(ssr::fail)?;
    let melding = if approve { "goedgekeurd" } else { "afgewezen" };
    leptos_axum::redirect(&format!("/beheer/voorstellen?melding={melding}"));
    Ok(())
}

/// Sets the password of an account with its one-time link. No login: the token is the
/// proof, and the service checks it.
#[server(endpoint = "wachtwoord_instellen")]
pub async fn set_password(token: String, wachtwoord: String) -> Result<(), AppError> {
    let password = brp_domain::NewPassword::parse(&wachtwoord).map_err(|e| ssr::fail(e.into()))?;
    ssr::portal()?
        .set_password_with_token(&token, password)
        .await
        .map_err(ssr::fail)?;
    leptos_axum::redirect("/inloggen?wachtwoord=ingesteld");
    Ok(())
}
