//! Server functions of raadplegen, the protocol viewer and terugmeldingen. As everywhere:
//! find the actor, call the service, map the error. Every rule (grant, search type, doel,
//! fields, ownership of a result) is the service layer's.

// A server function's arguments are the fields of its form, so some have many.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use brp_domain::person::{LookupGrant, LookupResult};
use brp_domain::protocol::{SecurityEvent, Terugmelding, Verstrekking};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::ssr;

#[server(endpoint = "raadplegen/autorisaties")]
pub async fn lookup_grants() -> Result<Vec<LookupGrant>, AppError> {
    let actor = ssr::actor().await?;
    ssr::portal()?
        .lookup_grants(&actor)
        .await
        .map_err(ssr::fail)
}

/// One search, as the search form sends it (a GET form: the page passes its query on).
/// `velden` are Haal Centraal `fields`; empty asks for everything the grant allows.
#[server(endpoint = "raadplegen/zoeken")]
pub async fn search_persons(
    autorisatie: String,
    doel: String,
    #[server(default)] zaak: String,
    zoekvorm: String,
    #[server(default)] velden: Vec<String>,
    #[server(default)] burgerservicenummer: String,
    #[server(default)] geslachtsnaam: String,
    #[server(default)] voornamen: String,
    #[server(default)] voorvoegsel: String,
    #[server(default)] geslacht: String,
    #[server(default)] geboortedatum: String,
    #[server(default)] gemeente: String,
    #[server(default)] postcode: String,
    #[server(default)] huisnummer: String,
    #[server(default)] huisletter: String,
    #[server(default)] toevoeging: String,
    #[server(default)] straat: String,
    #[server(default)] nummeraanduiding: String,
    #[server(default)] adresseerbaarobject: String,
    #[server(default)] overleden: Option<String>,
) -> Result<LookupResult, AppError> {
    use brp_domain::authorisation::SearchType;
    use brp_domain::person::QueryInput;
    use brp_domain::protocol::Channel;
    use brp_domain::ValidationError;
    use brp_service::raadplegen::LookupRequest;
    let actor = ssr::actor().await?;
    let id = |field: &str, raw: &str| {
        raw.trim().parse::<i64>().map_err(|_| {
            ssr::fail(ValidationError::new(field, "Maak een keuze uit de lijst.").into())
        })
    };
    let request = LookupRequest {
        grant_id: id("autorisatie", &autorisatie)?,
        doel_id: id("doel", &doel).map_err(|_| {
            ssr::fail(ValidationError::new("doel", "Kies het doel van deze bevraging.").into())
        })?,
        zaak,
        search_type: zoekvorm
            .parse::<SearchType>()
            .map_err(|e| ssr::fail(e.into()))?,
        input: QueryInput {
            burgerservicenummer,
            geslachtsnaam,
            voornamen,
            voorvoegsel,
            geslacht,
            geboortedatum,
            gemeente_van_inschrijving: gemeente,
            postcode,
            huisnummer,
            huisletter,
            huisnummertoevoeging: toevoeging,
            straat,
            nummeraanduiding_identificatie: nummeraanduiding,
            adresseerbaar_object_identificatie: adresseerbaarobject,
            inclusief_overleden_personen: overleden.is_some(),
        },
        fields: velden,
        channel: Channel::Portaal,
    };
    ssr::portal()?
        .lookup(&actor, request)
        .await
        .map_err(ssr::fail)
}

/// Opens a person from the caller's own search list (by the list's protocol record).
#[server(endpoint = "raadplegen/openen")]
pub async fn open_person(verstrekking: i64) -> Result<LookupResult, AppError> {
    use brp_domain::protocol::Channel;
    let actor = ssr::actor().await?;
    ssr::portal()?
        .open_provided(&actor, verstrekking, Channel::Portaal)
        .await
        .map_err(ssr::fail)
}

#[server(endpoint = "raadplegen/terugmelden")]
pub async fn submit_terugmelding(
    verstrekking: i64,
    gegeven: String,
    toelichting: String,
) -> Result<i64, AppError> {
    let actor = ssr::actor().await?;
    let id = ssr::portal()?
        .submit_terugmelding(&actor, verstrekking, &gegeven, &toelichting)
        .await
        .map_err(ssr::fail)?;
    // Not back to the person: that page is a new consult, and would be protocolled again.
    leptos_axum::redirect("/terugmeldingen?melding=ingediend");
    Ok(id)
}

#[server(endpoint = "terugmeldingen")]
pub async fn list_terugmeldingen() -> Result<Vec<Terugmelding>, AppError> {
    let actor = ssr::actor().await?;
    ssr::portal()?
        .terugmeldingen(&actor)
        .await
        .map_err(ssr::fail)
}

#[server(endpoint = "terugmeldingen/behandelen")]
pub async fn handle_terugmelding(
    id: i64,
    status: String,
    #[server(default)] uitkomst: String,
) -> Result<(), AppError> {
    use brp_domain::protocol::TerugmeldingStatus;
    use brp_domain::ValidationError;
    let actor = ssr::actor().await?;
    let status = TerugmeldingStatus::from_code(&status).ok_or_else(|| {
        ssr::fail(ValidationError::new("status", "Kies een status uit de lijst.").into())
    })?;
    ssr::portal()?
        .handle_terugmelding(&actor, id, status, &uitkomst)
        .await
        .map_err(ssr::fail)?;
    leptos_axum::redirect("/terugmeldingen?melding=bijgewerkt");
    Ok(())
}

/// Who and what the protocol viewer can filter on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProtocolFilterOptions {
    pub users: Vec<(i64, String)>,
    pub afnemers: Vec<(i64, String)>,
}

#[server(endpoint = "protocol/keuzes")]
pub async fn protocol_choices() -> Result<ProtocolFilterOptions, AppError> {
    let actor = ssr::actor().await?;
    let portal = ssr::portal()?;
    let users = portal.protocol_users(&actor).await.map_err(ssr::fail)?;
    let afnemers = portal
        .list_afnemers(&actor)
        .await
        .map_err(ssr::fail)?
        .into_iter()
        .map(|a| (a.id, a.name.as_str().to_owned()))
        .collect();
    Ok(ProtocolFilterOptions { users, afnemers })
}

#[server(endpoint = "protocol")]
pub async fn protocol_records(
    #[server(default)] bsn: String,
    #[server(default)] medewerker: String,
    #[server(default)] afnemer: String,
    #[server(default)] kanaal: String,
    #[server(default)] van: String,
    #[server(default)] tot: String,
) -> Result<Vec<Verstrekking>, AppError> {
    use brp_domain::protocol::ProtocolFilter;
    let actor = ssr::actor().await?;
    let filter = ProtocolFilter::parse(&bsn, &medewerker, &afnemer, &kanaal, &van, &tot)
        .map_err(|e| ssr::fail(e.into()))?;
    ssr::portal()?
        .protocol_records(&actor, &filter)
        .await
        .map_err(ssr::fail)
}

#[server(endpoint = "beveiligingslog")]
pub async fn security_log() -> Result<Vec<SecurityEvent>, AppError> {
    let actor = ssr::actor().await?;
    ssr::portal()?.security_log(&actor).await.map_err(ssr::fail)
}
