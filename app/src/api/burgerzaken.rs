//! Server functions for the beheerder's handling of citizens' requests (and the
//! toezichthouder's reading of them). Every rule is the service layer's.

// A server function's arguments are the fields of its form, so some have many.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use brp_domain::citizen::{CitizenLetter, RequestSummary, RequestView};
use leptos::prelude::*;
use leptos::server_fn::codec::MultipartData;

#[cfg(feature = "ssr")]
use crate::ssr;

/// The queue: open requests by deadline, or (`alle`) every request.
#[server(endpoint = "burgerzaken/verzoeken")]
pub async fn request_queue(alle: bool) -> Result<Vec<RequestSummary>, AppError> {
    let actor = ssr::actor().await?;
    ssr::portal()?
        .citizen_request_queue(&actor, !alle)
        .await
        .map_err(ssr::fail)
}

#[server(endpoint = "burgerzaken/verzoek")]
pub async fn staff_request(id: String) -> Result<RequestView, AppError> {
    let actor = ssr::actor().await?;
    ssr::portal()?
        .citizen_request_for_staff(&actor, &id)
        .await
        .map_err(ssr::fail)
}

/// One step of handling, by `stap`: `oppakken`, `vragen` (with `vraag`, `antwoord_uiterlijk`), `verlengen`
/// (with `grond`, `toelichting`), `besluiten` (with `besluit`, `motivering`, `waarde`) or
/// `informeren`.
#[server(endpoint = "burgerzaken/stap")]
pub async fn handle_request(
    id: String,
    stap: String,
    #[server(default)] vraag: String,
    #[server(default)] antwoord_uiterlijk: String,
    #[server(default)] grond: String,
    #[server(default)] toelichting: String,
    #[server(default)] besluit: String,
    #[server(default)] motivering: String,
    #[server(default)] waarde: String,
) -> Result<(), AppError> {
    let actor = ssr::actor().await?;
    let portal = ssr::portal()?;
    let id = crate::api::citizens::request_id(&id)?;
    let melding = match stap.as_str() {
        "oppakken" => {
            portal
                .take_citizen_request(&actor, &id)
                .await
                .map_err(ssr::fail)?;
            "opgepakt"
        }
        "vragen" => {
            portal
                .ask_citizen_information(&actor, &id, &vraag, &antwoord_uiterlijk)
                .await
                .map_err(ssr::fail)?;
            "gevraagd"
        }
        "verlengen" => {
            portal
                .extend_citizen_request(&actor, &id, &grond, &toelichting)
                .await
                .map_err(ssr::fail)?;
            "verlengd"
        }
        "besluiten" => {
            let value = (!waarde.trim().is_empty()).then_some(waarde.as_str());
            portal
                .decide_citizen_request(&actor, &id, &besluit, &motivering, value)
                .await
                .map_err(ssr::fail)?;
            "besloten"
        }
        "informeren" => {
            portal
                .notify_earlier_recipients(&actor, &id)
                .await
                .map_err(ssr::fail)?;
            "geinformeerd"
        }
        _ => {
            return Err(ssr::fail(
                brp_domain::ValidationError::new("stap", "Kies een handeling.").into(),
            ))
        }
    };
    leptos_axum::redirect(&format!("/beheer/burgerverzoeken/{id}?melding={melding}"));
    Ok(())
}

/// A request received at the counter or by letter (multipart form: `burgerservicenummer`,
/// `kanaal`, `ontvangen`, `identiteit`, `identiteit_toelichting`, `reden`, `soort`, `email`,
/// `toelichting`, `gegeven`, `waarde`, `ontvangers_informeren`, files in `bijlagen`).
#[server(endpoint = "burgerzaken/registreren", input = crate::codec::Upload, input_derive = ())]
pub async fn register_request(data: MultipartData) -> Result<(), AppError> {
    use brp_domain::citizen::attachment::check_attachments;
    use brp_service::citizens::{CounterRegistration, NewSubmission};
    let actor = ssr::actor().await?;
    let portal = ssr::portal()?;
    let mut form = ssr::read_multipart(data, "bijlagen").await?;
    let files = check_attachments("bijlagen", std::mem::take(&mut form.files))
        .map_err(|e| ssr::fail(e.into()))?;
    let today = brp_domain::time::dutch_local(portal.now()).date_naive();
    let parse = || {
        let submission = NewSubmission::parse(
            &form.text("soort"),
            &form.text("email"),
            &form.text("toelichting"),
            &form.text("gegeven"),
            &form.text("waarde"),
            form.has("ontvangers_informeren"),
            files,
        )?;
        CounterRegistration::parse(
            &form.text("burgerservicenummer"),
            &form.text("kanaal"),
            &form.text("identiteit"),
            &form.text("identiteit_toelichting"),
            &form.text("ontvangen"),
            &form.text("reden"),
            today,
            submission,
        )
    };
    let registration = parse().map_err(|e| ssr::fail(e.into()))?;
    let id = portal
        .register_counter_request(&actor, registration)
        .await
        .map_err(ssr::fail)?;
    leptos_axum::redirect(&format!(
        "/beheer/burgerverzoeken/{id}?melding=geregistreerd"
    ));
    Ok(())
}

#[server(endpoint = "burgerzaken/brief")]
pub async fn staff_letter(id: String) -> Result<CitizenLetter, AppError> {
    let actor = ssr::actor().await?;
    ssr::portal()?
        .citizen_letter_for_staff(&actor, &id)
        .await
        .map_err(ssr::fail)
}
