//! Server functions: the portal's public API for its own pages.
//!
//! Each body does three things only: find the actor (via the session), call the service
//! layer, map the error. No rule is decided here; the service layer decides every one, so a
//! direct POST to any of these URLs meets exactly the checks the pages meet.

use crate::error::AppError;
use brp_domain::{Afnemer, AuditEvent, Role, User};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::ssr;

/// What every page needs to know about the visitor and the installation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub municipality: String,
    pub demo: bool,
    pub user: Option<User>,
    /// A citizen logged in with DigiD (or its simulation); never at the same time as a
    /// staff user.
    pub citizen: Option<brp_domain::citizen::CitizenInfo>,
    pub previous_login_at: Option<DateTime<Utc>>,
    /// Today in the Netherlands, by the server's clock (the browser's may differ).
    pub today: chrono::NaiveDate,
}

/// The start page of each role, where a login lands.
pub fn start_page(role: Role) -> &'static str {
    match role {
        Role::Beheerder => "/beheer",
        Role::Medewerker => "/werkplek",
        Role::Toezichthouder => "/toezicht",
        // An application never has a session; should one appear, it gets the plain start.
        Role::Applicatie => "/",
    }
}

#[server(endpoint = "sessie")]
pub async fn get_session_info() -> Result<SessionInfo, AppError> {
    let site = ssr::site();
    let session = ssr::session().await?;
    // An expired session is simply "not logged in" here; the page then offers the login.
    let user = ssr::current_actor(&session)
        .await
        .ok()
        .flatten()
        .map(|a| a.user().clone());
    let previous_login_at = match user {
        Some(_) => ssr::previous_login(&session).await,
        None => None,
    };
    let portal = ssr::portal()?;
    let citizen = match ssr::current_citizen(&session).await.ok().flatten() {
        Some(c) => portal.citizen_info(&c).await.ok(),
        None => None,
    };
    Ok(SessionInfo {
        municipality: site.municipality,
        demo: site.demo,
        user,
        citizen,
        previous_login_at,
        today: brp_domain::time::dutch_local(portal.now()).date_naive(),
    })
}

#[server(endpoint = "inloggen")]
pub async fn login(gebruikersnaam: String, wachtwoord: String) -> Result<(), AppError> {
    let portal = ssr::portal()?;
    let outcome = portal
        .login(&gebruikersnaam, &wachtwoord, &ssr::client_addr())
        .await
        .map_err(ssr::fail)?;
    let session = ssr::session().await?;
    ssr::start_session(&session, &outcome.claims, outcome.previous_login_at).await?;
    leptos_axum::redirect(start_page(outcome.actor.role()));
    Ok(())
}

#[server(endpoint = "uitloggen")]
pub async fn logout() -> Result<(), AppError> {
    let session = ssr::session().await?;
    ssr::end_session(&session).await?;
    leptos_axum::redirect("/inloggen?uitgelogd=1");
    Ok(())
}

#[server(endpoint = "gebruikers")]
pub async fn list_users() -> Result<Vec<User>, AppError> {
    let actor = ssr::actor().await?;
    ssr::portal()?.list_users(&actor).await.map_err(ssr::fail)
}

#[server(endpoint = "gebruiker")]
pub async fn get_user(id: i64) -> Result<User, AppError> {
    let actor = ssr::actor().await?;
    ssr::portal()?.user(&actor, id).await.map_err(ssr::fail)
}

#[server(endpoint = "afnemers")]
pub async fn list_afnemers() -> Result<Vec<Afnemer>, AppError> {
    let actor = ssr::actor().await?;
    ssr::portal()?
        .list_afnemers(&actor)
        .await
        .map_err(ssr::fail)
}

/// Creates an account. Arguments are the form's fields, as typed: they are parsed into
/// domain types here, and a parse error names its field. A beheerder or toezichthouder
/// account becomes a proposal for a second beheerder; its owner sets the password, so the
/// password field is used for a medewerker only.
#[server(endpoint = "gebruiker_aanmaken")]
pub async fn create_user(
    gebruikersnaam: String,
    naam: String,
    email: String,
    rol: String,
    afnemer: String,
    #[server(default)] wachtwoord: String,
) -> Result<(), AppError> {
    use brp_domain::{DisplayName, EmailAddress, NewPassword, Username, ValidationError};
    use brp_service::accounts::NewUser;
    let actor = ssr::actor().await?;
    let parse = || -> Result<_, ValidationError> {
        let afnemer_id = match afnemer.trim() {
            "" => None,
            id => Some(id.parse::<i64>().map_err(|_| {
                ValidationError::new("afnemer", "Kies een bestaand organisatieonderdeel.")
            })?),
        };
        Ok((
            Username::parse(&gebruikersnaam)?,
            DisplayName::parse(&naam)?,
            match email.trim() {
                "" => None,
                e => Some(EmailAddress::parse(e)?),
            },
            rol.parse::<Role>()?,
            afnemer_id,
        ))
    };
    let (username, display_name, email, role, afnemer_id) =
        parse().map_err(|e| ssr::fail(e.into()))?;
    let portal = ssr::portal()?;
    if brp_domain::four_eyes::is_privileged(role) {
        portal
            .propose_new_account(&actor, username, display_name, email, role, afnemer_id)
            .await
            .map_err(ssr::fail)?;
        leptos_axum::redirect("/beheer/voorstellen?melding=voorgesteld");
        return Ok(());
    }
    let password = NewPassword::parse(&wachtwoord).map_err(|e| ssr::fail(e.into()))?;
    let new = NewUser {
        username,
        display_name,
        email,
        role,
        afnemer_id,
        password,
    };
    let user = portal.create_user(&actor, new).await.map_err(ssr::fail)?;
    leptos_axum::redirect(&format!(
        "/beheer/gebruikers/{}?melding=aangemaakt",
        user.id
    ));
    Ok(())
}

/// Deactivates (`actief = false`) or re-activates an account.
#[server(endpoint = "gebruiker_status")]
pub async fn set_user_active(id: i64, actief: bool) -> Result<(), AppError> {
    let actor = ssr::actor().await?;
    ssr::portal()?
        .set_user_active(&actor, id, actief)
        .await
        .map_err(ssr::fail)?;
    let melding = if actief {
        "geactiveerd"
    } else {
        "gedeactiveerd"
    };
    leptos_axum::redirect(&format!("/beheer/gebruikers/{id}?melding={melding}"));
    Ok(())
}

#[server(endpoint = "wachtwoord_herstellen")]
pub async fn reset_password(id: i64, wachtwoord: String) -> Result<(), AppError> {
    let actor = ssr::actor().await?;
    let password = brp_domain::NewPassword::parse(&wachtwoord).map_err(|e| ssr::fail(e.into()))?;
    ssr::portal()?
        .reset_password(&actor, id, password)
        .await
        .map_err(ssr::fail)?;
    leptos_axum::redirect(&format!("/beheer/gebruikers/{id}?melding=wachtwoord"));
    Ok(())
}

/// One page of the audit trail, newest first; `voor` pages back from an event id.
#[server(endpoint = "auditlog")]
pub async fn audit_trail(voor: Option<i64>) -> Result<Vec<AuditEvent>, AppError> {
    let actor = ssr::actor().await?;
    ssr::portal()?
        .audit_trail(&actor, None, voor, AUDIT_PAGE_SIZE)
        .await
        .map_err(ssr::fail)
}

pub const AUDIT_PAGE_SIZE: u32 = 50;
pub mod applications;
pub mod authorisation;
pub mod burgerzaken;
pub mod citizens;
pub mod four_eyes;
pub mod raadplegen;
