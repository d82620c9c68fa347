//! Server functions of autorisatiebeheer. As everywhere: find the actor, call the service,
//! map the error; every rule is the service layer's.

// A server function's arguments are the fields of its form, so some have many.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use brp_domain::authorisation::{
    AuthorisationRequest, Doel, GrantView, Grondslag, Profile, Reglement,
};
use brp_domain::messages::{Letter, OutboxMessage};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::ssr;

/// Form values as they arrive, parsed into a profile's content. Whole categories (ticked
/// as such, which also works without JavaScript) stand for all their elements.
#[cfg(feature = "ssr")]
fn parse_content(
    velden: Vec<String>,
    categorieen: Vec<String>,
    zoekvormen: Vec<String>,
    doelen: Vec<String>,
    alleen_eigen_inwoners: Option<String>,
    zaak_verplicht: Option<String>,
) -> Result<brp_domain::authorisation::ProfileContent, AppError> {
    use brp_domain::authorisation::{ProfileContent, SearchType};
    use brp_domain::catalogue::Catalogue;
    use brp_domain::ValidationError;
    let catalogue = Catalogue::persoon();
    let mut fields: std::collections::BTreeSet<String> = velden.into_iter().collect();
    for code in &categorieen {
        fields.extend(
            catalogue
                .elements_in(code)
                .into_iter()
                .map(|e| e.path.clone()),
        );
    }
    let search_types = zoekvormen
        .iter()
        .map(|s| s.parse::<SearchType>())
        .collect::<Result<_, _>>()
        .map_err(|e| ssr::fail(e.into()))?;
    let doelen = doelen
        .iter()
        .map(|d| d.parse::<i64>())
        .collect::<Result<_, _>>()
        .map_err(|_| ssr::fail(ValidationError::new("doelen", "Kies bestaande doelen.").into()))?;
    Ok(ProfileContent {
        fields,
        search_types,
        doelen,
        own_residents_only: alleen_eigen_inwoners.is_some(),
        zaak_required: zaak_verplicht.is_some(),
    })
}

/// The vrije-derde part of a profile form (the service ignores it for other afnemers).
#[cfg(feature = "ssr")]
fn basis_input(
    vrije_derde_grond: String,
    geen_winstoogmerk: Option<String>,
    behoefte: String,
    evenredigheid: String,
    subsidiariteit: String,
    belang: String,
    bewaring: String,
) -> brp_domain::vrije_derde::VrijeDerdeBasisInput {
    brp_domain::vrije_derde::VrijeDerdeBasisInput {
        grond: vrije_derde_grond,
        geen_winstoogmerk: geen_winstoogmerk.is_some(),
        behoefte,
        evenredigheid,
        subsidiariteit,
        belang,
        bewaring,
    }
}

#[cfg(feature = "ssr")]
fn parse_id(field: &str, raw: &str) -> Result<i64, AppError> {
    raw.trim().parse::<i64>().map_err(|_| {
        ssr::fail(brp_domain::ValidationError::new(field, "Maak een keuze uit de lijst.").into())
    })
}

#[server(endpoint = "register/afnemer_opslaan")]
pub async fn save_afnemer(
    #[server(default)] id: Option<i64>,
    naam: String,
    wettelijk_kader: String,
    // Defaulted so that a form without it gets the Dutch message "kies een soort", not a
    // bare decoding error; the kind is never assumed.
    #[server(default)] soort: String,
    #[server(default)] verborgen: Option<String>,
    #[server(default)] grondslag_verborgen: String,
) -> Result<(), AppError> {
    use brp_service::authorisation::AfnemerInput;
    let actor = ssr::actor().await?;
    let input = AfnemerInput::parse(
        &naam,
        &wettelijk_kader,
        &soort,
        verborgen.is_some(),
        &grondslag_verborgen,
    )
    .map_err(|e| ssr::fail(e.into()))?;
    let portal = ssr::portal()?;
    let wanted = (
        input.kind,
        input
            .hidden_from_citizen_ground
            .map(|g| g.label().to_owned()),
    );
    match id {
        Some(id) => {
            // A different kind or art. 46 flag is proposed, not applied (four eyes).
            let saved = portal
                .update_afnemer(&actor, id, input)
                .await
                .map_err(ssr::fail)?;
            let melding = if (saved.kind, saved.hidden_from_citizen_ground) == wanted {
                "opgeslagen"
            } else {
                "voorgesteld"
            };
            leptos_axum::redirect(&format!("/beheer/afnemers/{id}?melding={melding}"));
        }
        None if input.is_plain_department() => {
            let saved = portal
                .create_afnemer(&actor, input)
                .await
                .map_err(ssr::fail)?;
            leptos_axum::redirect(&format!("/beheer/afnemers/{}?melding=opgeslagen", saved.id));
        }
        None => {
            portal
                .propose_change(
                    &actor,
                    brp_domain::four_eyes::ProposedChange::CreateAfnemer {
                        name: input.name,
                        wettelijk_kader: input.wettelijk_kader,
                        kind: input.kind,
                        ground: input.hidden_from_citizen_ground,
                    },
                )
                .await
                .map_err(ssr::fail)?;
            leptos_axum::redirect("/beheer/voorstellen?melding=voorgesteld");
        }
    }
    Ok(())
}

#[server(endpoint = "register/grondslagen")]
pub async fn register_grondslagen() -> Result<Vec<Grondslag>, AppError> {
    let actor = ssr::actor().await?;
    ssr::portal()?
        .list_grondslagen(&actor)
        .await
        .map_err(ssr::fail)
}

#[server(endpoint = "register/grondslag_aanmaken")]
pub async fn create_grondslag(
    wet: String,
    artikel: String,
    #[server(default)] omschrijving: String,
) -> Result<(), AppError> {
    let actor = ssr::actor().await?;
    ssr::portal()?
        .create_grondslag(&actor, &wet, &artikel, &omschrijving)
        .await
        .map_err(ssr::fail)?;
    leptos_axum::redirect("/beheer/grondslagen?melding=aangemaakt");
    Ok(())
}

#[server(endpoint = "register/doelen")]
pub async fn register_doelen() -> Result<Vec<Doel>, AppError> {
    let actor = ssr::actor().await?;
    ssr::portal()?.list_doelen(&actor).await.map_err(ssr::fail)
}

#[server(endpoint = "register/doel_aanmaken")]
pub async fn create_doel(
    afnemer: String,
    grondslag: String,
    naam: String,
    #[server(default)] omschrijving: String,
) -> Result<(), AppError> {
    let actor = ssr::actor().await?;
    let afnemer_id = parse_id("afnemer", &afnemer)?;
    let grondslag_id = parse_id("grondslag", &grondslag)?;
    ssr::portal()?
        .create_doel(&actor, afnemer_id, grondslag_id, &naam, &omschrijving)
        .await
        .map_err(ssr::fail)?;
    leptos_axum::redirect(&format!("/beheer/afnemers/{afnemer_id}?melding=doel"));
    Ok(())
}

#[server(endpoint = "profielen")]
pub async fn list_profiles() -> Result<Vec<Profile>, AppError> {
    let actor = ssr::actor().await?;
    ssr::portal()?
        .list_profiles(&actor)
        .await
        .map_err(ssr::fail)
}

#[server(endpoint = "profiel")]
pub async fn get_profile(id: i64) -> Result<Profile, AppError> {
    let actor = ssr::actor().await?;
    ssr::portal()?.profile(&actor, id).await.map_err(ssr::fail)
}

#[server(endpoint = "profiel_voorstellen")]
pub async fn propose_profile(
    naam: String,
    afnemer: String,
    #[server(default)] omschrijving: String,
    #[server(default)] velden: Vec<String>,
    #[server(default)] categorieen: Vec<String>,
    #[server(default)] zoekvormen: Vec<String>,
    #[server(default)] doelen: Vec<String>,
    #[server(default)] alleen_eigen_inwoners: Option<String>,
    #[server(default)] zaak_verplicht: Option<String>,
    #[server(default)] toelichting: String,
    #[server(default)] vrije_derde_grond: String,
    #[server(default)] geen_winstoogmerk: Option<String>,
    #[server(default)] behoefte: String,
    #[server(default)] evenredigheid: String,
    #[server(default)] subsidiariteit: String,
    #[server(default)] belang: String,
    #[server(default)] bewaring: String,
) -> Result<(), AppError> {
    use brp_service::authorisation::ProfileInput;
    let actor = ssr::actor().await?;
    let afnemer_id = parse_id("afnemer", &afnemer)?;
    let content = parse_content(
        velden,
        categorieen,
        zoekvormen,
        doelen,
        alleen_eigen_inwoners,
        zaak_verplicht,
    )?;
    let basis = basis_input(
        vrije_derde_grond,
        geen_winstoogmerk,
        behoefte,
        evenredigheid,
        subsidiariteit,
        belang,
        bewaring,
    );
    let id = ssr::portal()?
        .propose_profile_with(
            &actor,
            ProfileInput {
                name: naam,
                afnemer_id,
                description: omschrijving,
                content,
                note: toelichting,
            },
            &basis,
        )
        .await
        .map_err(ssr::fail)?;
    leptos_axum::redirect(&format!("/beheer/profielen/{id}?melding=voorgesteld"));
    Ok(())
}

#[server(endpoint = "profiel_wijzigen")]
pub async fn propose_profile_change(
    id: i64,
    #[server(default)] velden: Vec<String>,
    #[server(default)] categorieen: Vec<String>,
    #[server(default)] zoekvormen: Vec<String>,
    #[server(default)] doelen: Vec<String>,
    #[server(default)] alleen_eigen_inwoners: Option<String>,
    #[server(default)] zaak_verplicht: Option<String>,
    #[server(default)] toelichting: String,
    #[server(default)] vrije_derde_grond: String,
    #[server(default)] geen_winstoogmerk: Option<String>,
    #[server(default)] behoefte: String,
    #[server(default)] evenredigheid: String,
    #[server(default)] subsidiariteit: String,
    #[server(default)] belang: String,
    #[server(default)] bewaring: String,
) -> Result<(), AppError> {
    let actor = ssr::actor().await?;
    let content = parse_content(
        velden,
        categorieen,
        zoekvormen,
        doelen,
        alleen_eigen_inwoners,
        zaak_verplicht,
    )?;
    let basis = basis_input(
        vrije_derde_grond,
        geen_winstoogmerk,
        behoefte,
        evenredigheid,
        subsidiariteit,
        belang,
        bewaring,
    );
    ssr::portal()?
        .propose_profile_change_with(&actor, id, content, &toelichting, &basis)
        .await
        .map_err(ssr::fail)?;
    leptos_axum::redirect(&format!("/beheer/profielen/{id}?melding=voorgesteld"));
    Ok(())
}

/// `besluit` is `goedkeuren` or `afwijzen`.
#[server(endpoint = "profiel_besluit")]
pub async fn decide_profile_version(
    id: i64,
    versie: i32,
    besluit: String,
    #[server(default)] reden: String,
) -> Result<(), AppError> {
    let actor = ssr::actor().await?;
    let approve = besluit == "goedkeuren";
    ssr::portal()?
        .decide_profile_version(&actor, id, versie, approve, &reden)
        .await
        .map_err(ssr::fail)?;
    let melding = if approve { "goedgekeurd" } else { "afgewezen" };
    leptos_axum::redirect(&format!("/beheer/profielen/{id}?melding={melding}"));
    Ok(())
}

#[server(endpoint = "aanvraag_indienen")]
pub async fn submit_request(
    profiel: String,
    motivering: String,
    begindatum: String,
    einddatum: String,
    ondertekening: String,
) -> Result<(), AppError> {
    let actor = ssr::actor().await?;
    let profile_id = parse_id("profiel", &profiel)?;
    let id = ssr::portal()?
        .submit_request(
            &actor,
            profile_id,
            &motivering,
            &begindatum,
            &einddatum,
            &ondertekening,
        )
        .await
        .map_err(ssr::fail)?;
    leptos_axum::redirect(&format!("/autorisaties/aanvragen/{id}?melding=ingediend"));
    Ok(())
}

#[server(endpoint = "aanvraag_intrekken")]
pub async fn withdraw_request(id: i64) -> Result<(), AppError> {
    let actor = ssr::actor().await?;
    ssr::portal()?
        .withdraw_request(&actor, id)
        .await
        .map_err(ssr::fail)?;
    leptos_axum::redirect(&format!("/autorisaties/aanvragen/{id}?melding=ingetrokken"));
    Ok(())
}

#[server(endpoint = "mijn_aanvragen")]
pub async fn my_requests() -> Result<Vec<AuthorisationRequest>, AppError> {
    let actor = ssr::actor().await?;
    ssr::portal()?.my_requests(&actor).await.map_err(ssr::fail)
}

#[server(endpoint = "aanvraag")]
pub async fn get_request(id: i64) -> Result<AuthorisationRequest, AppError> {
    let actor = ssr::actor().await?;
    ssr::portal()?.request(&actor, id).await.map_err(ssr::fail)
}

/// All requests, or only the open ones.
#[server(endpoint = "aanvragen")]
pub async fn list_requests(alleen_open: bool) -> Result<Vec<AuthorisationRequest>, AppError> {
    use brp_domain::authorisation::RequestStatus;
    let actor = ssr::actor().await?;
    let status = alleen_open.then_some(RequestStatus::Submitted);
    ssr::portal()?
        .list_requests(&actor, status)
        .await
        .map_err(ssr::fail)
}

/// `besluit` is `toekennen` or `afwijzen`.
#[server(endpoint = "aanvraag_besluit")]
pub async fn decide_request(
    id: i64,
    besluit: String,
    #[server(default)] reden: String,
) -> Result<(), AppError> {
    let actor = ssr::actor().await?;
    let approve = besluit == "toekennen";
    ssr::portal()?
        .decide_request(&actor, id, approve, &reden)
        .await
        .map_err(ssr::fail)?;
    let melding = if approve { "toegekend" } else { "afgewezen" };
    leptos_axum::redirect(&format!("/beheer/aanvragen/{id}?melding={melding}"));
    Ok(())
}

#[server(endpoint = "mijn_autorisaties")]
pub async fn my_grants() -> Result<Vec<GrantView>, AppError> {
    let actor = ssr::actor().await?;
    ssr::portal()?.my_grants(&actor).await.map_err(ssr::fail)
}

#[server(endpoint = "autorisaties")]
pub async fn list_grants(
    #[server(default)] afnemer: Option<i64>,
    #[server(default)] gebruiker: Option<i64>,
) -> Result<Vec<GrantView>, AppError> {
    use brp_service::store::GrantFilter;
    let actor = ssr::actor().await?;
    ssr::portal()?
        .list_grants(
            &actor,
            GrantFilter {
                user_id: gebruiker,
                afnemer_id: afnemer,
                profile_id: None,
            },
        )
        .await
        .map_err(ssr::fail)
}

#[server(endpoint = "herbeoordeling")]
pub async fn review_list() -> Result<Vec<GrantView>, AppError> {
    let actor = ssr::actor().await?;
    ssr::portal()?.review_list(&actor).await.map_err(ssr::fail)
}

/// `actie` is `intrekken` (with `reden`), `herbevestigen`, or `verlengen` (with
/// `einddatum`). `terug` is the page to return to.
#[server(endpoint = "autorisatie_actie")]
pub async fn grant_action(
    id: i64,
    actie: String,
    #[server(default)] reden: String,
    #[server(default)] einddatum: String,
    #[server(default)] terug: String,
) -> Result<(), AppError> {
    let actor = ssr::actor().await?;
    let portal = ssr::portal()?;
    let melding = match actie.as_str() {
        "intrekken" => {
            portal
                .revoke_grant(&actor, id, &reden)
                .await
                .map_err(ssr::fail)?;
            "ingetrokken"
        }
        "herbevestigen" => {
            portal
                .reconfirm_grant(&actor, id)
                .await
                .map_err(ssr::fail)?;
            "herbevestigd"
        }
        "verlengen" => {
            portal
                .extend_grant(&actor, id, &einddatum)
                .await
                .map_err(ssr::fail)?;
            "verlengd"
        }
        _ => {
            return Err(ssr::fail(
                brp_domain::ValidationError::new("actie", "Onbekende actie.").into(),
            ))
        }
    };
    // Only our own pages as the way back: never an open redirect.
    let back = match terug.as_str() {
        "herbeoordeling" => "/beheer/herbeoordeling".to_owned(),
        // A task application's page: only its numeric id is taken from the form.
        app if app.starts_with("applicatie-") => match app["applicatie-".len()..].parse::<i64>() {
            Ok(app_id) => format!("/beheer/applicaties/{app_id}"),
            Err(_) => "/beheer/applicaties".to_owned(),
        },
        _ => "/beheer/autorisaties".to_owned(),
    };
    leptos_axum::redirect(&format!("{back}?melding={melding}"));
    Ok(())
}

#[server(endpoint = "mijn_berichten")]
pub async fn my_letters() -> Result<Vec<Letter>, AppError> {
    let actor = ssr::actor().await?;
    ssr::portal()?.my_letters(&actor).await.map_err(ssr::fail)
}

#[server(endpoint = "bericht")]
pub async fn get_letter(id: i64) -> Result<Letter, AppError> {
    let actor = ssr::actor().await?;
    ssr::portal()?.letter(&actor, id).await.map_err(ssr::fail)
}

#[server(endpoint = "uitgaande_post")]
pub async fn outbox() -> Result<Vec<OutboxMessage>, AppError> {
    let actor = ssr::actor().await?;
    ssr::portal()?.outbox(&actor).await.map_err(ssr::fail)
}

/// The reglement's bijlagen; public, like the reglement itself.
#[server(endpoint = "reglement")]
pub async fn get_reglement() -> Result<Reglement, AppError> {
    ssr::portal()?.reglement().await.map_err(ssr::fail)
}
