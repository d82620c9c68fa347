//! Server functions for citizens. As everywhere: find the citizen (via the session), call
//! the service, map the error. Ownership of a request is checked by the service layer, so a
//! direct call with another citizen's id meets the same "not found" as the page.

use crate::error::AppError;
use brp_domain::citizen::{CitizenLetter, RequestSummary, RequestView};
use leptos::prelude::*;
use leptos::server_fn::codec::MultipartData;

#[cfg(feature = "ssr")]
use crate::ssr;

/// The DigiD-simulatie of the demo: pick a BSN and a level, and be logged in as that person.
#[server(endpoint = "inwoner/simulatie")]
pub async fn simulated_login(
    #[server(default)] burgerservicenummer: String,
    #[server(default)] ander_burgerservicenummer: String,
    niveau: String,
) -> Result<(), AppError> {
    let bsn = if ander_burgerservicenummer.trim().is_empty() {
        burgerservicenummer
    } else {
        ander_burgerservicenummer
    };
    let portal = ssr::portal()?;
    let claims = portal
        .simulated_citizen_login(&bsn, &niveau, &ssr::client_addr())
        .await
        .map_err(ssr::fail)?;
    let session = ssr::session().await?;
    ssr::start_citizen_session(&session, &claims).await?;
    leptos_axum::redirect("/inwoner");
    Ok(())
}

/// The persons the simulation offers (demo mode only).
#[server(endpoint = "inwoner/simulatie_personen")]
pub async fn simulation_persons() -> Result<Vec<(String, String)>, AppError> {
    ssr::portal()?.simulation_persons().await.map_err(ssr::fail)
}

/// Whether DigiD is configured here.
#[server(endpoint = "inwoner/digid_beschikbaar")]
pub async fn digid_available() -> Result<bool, AppError> {
    Ok(ssr::portal()?.digid_available())
}

#[server(endpoint = "inwoner/uitloggen")]
pub async fn citizen_logout() -> Result<(), AppError> {
    let session = ssr::session().await?;
    ssr::end_session(&session).await?;
    leptos_axum::redirect("/inwoner?uitgelogd=1");
    Ok(())
}

#[server(endpoint = "inwoner/verzoeken")]
pub async fn my_requests() -> Result<Vec<RequestSummary>, AppError> {
    let citizen = ssr::citizen().await?;
    ssr::portal()?
        .my_citizen_requests(&citizen)
        .await
        .map_err(ssr::fail)
}

#[server(endpoint = "inwoner/verzoek")]
pub async fn my_request(id: String) -> Result<RequestView, AppError> {
    let citizen = ssr::citizen().await?;
    ssr::portal()?
        .my_citizen_request(&citizen, &id)
        .await
        .map_err(ssr::fail)
}

/// A request without attachments: inzage, geheimhouding, or its end.
#[server(endpoint = "inwoner/verzoek_indienen")]
pub async fn submit_request(
    soort: String,
    #[server(default)] email: String,
    #[server(default)] toelichting: String,
) -> Result<(), AppError> {
    use brp_service::citizens::NewSubmission;
    let citizen = ssr::citizen().await?;
    if soort == "correctie" {
        return Err(ssr::fail(
            brp_domain::ValidationError::new("soort", "Gebruik het formulier voor correctie.")
                .into(),
        ));
    }
    let submission = NewSubmission::parse(&soort, &email, &toelichting, "", "", false, Vec::new())
        .map_err(|e| ssr::fail(e.into()))?;
    let id = ssr::portal()?
        .submit_citizen_request(&citizen, submission)
        .await
        .map_err(ssr::fail)?;
    leptos_axum::redirect(&format!("/inwoner/verzoeken/{id}?melding=ingediend"));
    Ok(())
}

/// A correctie, with up to three attachments (multipart form: `gegeven`, `waarde`,
/// `toelichting`, `email`, `ontvangers_informeren`, files in `bijlagen`).
#[server(endpoint = "inwoner/correctie_indienen", input = crate::codec::Upload, input_derive = ())]
pub async fn submit_correction(data: MultipartData) -> Result<(), AppError> {
    use brp_domain::citizen::attachment::check_attachments;
    use brp_service::citizens::NewSubmission;
    let citizen = ssr::citizen().await?;
    let mut form = ssr::read_multipart(data, "bijlagen").await?;
    let files = check_attachments("bijlagen", std::mem::take(&mut form.files))
        .map_err(|e| ssr::fail(e.into()))?;
    let submission = NewSubmission::parse(
        "correctie",
        &form.text("email"),
        &form.text("toelichting"),
        &form.text("gegeven"),
        &form.text("waarde"),
        form.has("ontvangers_informeren"),
        files,
    )
    .map_err(|e| ssr::fail(e.into()))?;
    let id = ssr::portal()?
        .submit_citizen_request(&citizen, submission)
        .await
        .map_err(ssr::fail)?;
    leptos_axum::redirect(&format!("/inwoner/verzoeken/{id}?melding=ingediend"));
    Ok(())
}

/// The citizen's answer to a request for information (multipart form: `id`, `informatie`,
/// files in `bijlagen`).
#[server(endpoint = "inwoner/informatie_geven", input = crate::codec::Upload, input_derive = ())]
pub async fn give_information(data: MultipartData) -> Result<(), AppError> {
    use brp_domain::citizen::attachment::check_attachments;
    let citizen = ssr::citizen().await?;
    let mut form = ssr::read_multipart(data, "bijlagen").await?;
    let files = check_attachments("bijlagen", std::mem::take(&mut form.files))
        .map_err(|e| ssr::fail(e.into()))?;
    // Only a well-formed id goes on into the service and the redirect.
    let id = request_id(&form.text("id"))?;
    ssr::portal()?
        .give_citizen_information(&citizen, &id, &form.text("informatie"), files)
        .await
        .map_err(ssr::fail)?;
    leptos_axum::redirect(&format!("/inwoner/verzoeken/{id}?melding=informatie"));
    Ok(())
}

#[server(endpoint = "inwoner/ontvangers_informeren")]
pub async fn ask_inform_recipients(id: String) -> Result<(), AppError> {
    let citizen = ssr::citizen().await?;
    let id = request_id(&id)?;
    ssr::portal()?
        .ask_to_inform_recipients(&citizen, &id)
        .await
        .map_err(ssr::fail)?;
    leptos_axum::redirect(&format!("/inwoner/verzoeken/{id}?melding=ontvangers"));
    Ok(())
}

#[server(endpoint = "inwoner/brief")]
pub async fn my_letter(id: String) -> Result<CitizenLetter, AppError> {
    let citizen = ssr::citizen().await?;
    ssr::portal()?
        .citizen_letter_for_citizen(&citizen, &id)
        .await
        .map_err(ssr::fail)
}

/// A request id in canonical form, or "not found" (as the service says for any id that is
/// not the caller's).
#[cfg(feature = "ssr")]
pub(crate) fn request_id(raw: &str) -> Result<String, AppError> {
    brp_domain::citizen::canonical_request_id(raw)
        .ok_or_else(|| ssr::fail(brp_service::ServiceError::NotFound("Het verzoek")))
}
