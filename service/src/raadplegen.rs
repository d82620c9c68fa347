//! Raadplegen: looking persons up under a grant, with every verstrekking protocolled before
//! the data leaves, and every request outside the grant refused and written to the security
//! log. Server functions, the JSON API and the CLI all come through [`Portal::lookup`].

use crate::accounts::Actor;
use crate::authorisation::EffectiveGrant;
use crate::error::ServiceError;
use crate::portal::Portal;
use crate::source::{SourcePerson, SourceRequest};
use crate::store::{NewAuditEvent, NewSecurityEvent, NewTerugmelding, NewVerstrekking};
use brp_domain::application::ApiContext;
use brp_domain::authorisation::{optional_text, required_text, GrantState, SearchType};
use brp_domain::catalogue::Catalogue;
use brp_domain::person::{
    Bsn, DoelChoice, FieldError, FieldSelection, LookupGrant, LookupResult, PersonQuery,
    ProvidedPerson, QueryInput,
};
use brp_domain::protocol::{
    Channel, ProtocolFilter, SecurityEvent, Terugmelding, TerugmeldingStatus, Verstrekking,
};
use brp_domain::{AuditAction, Role, ValidationError};

/// Who may look persons up: those who can hold a grant.
const LOOKUP_ROLES: &[Role] = &[Role::Medewerker, Role::Beheerder];
const READERS: &[Role] = &[Role::Beheerder, Role::Toezichthouder];

/// A search that finds more persons than this gives none, and asks for a narrower search:
/// a list is for picking one person, not for browsing the register.
pub const MAX_RESULTS: usize = 50;

/// The most protocol records the viewer shows, and the most a CSV export holds.
pub const PROTOCOL_PAGE: i64 = 500;

/// One lookup as asked: under which grant, for which doel, and what.
#[derive(Debug, Clone)]
pub struct LookupRequest {
    pub grant_id: i64,
    pub doel_id: i64,
    pub zaak: String,
    pub search_type: SearchType,
    pub input: QueryInput,
    /// Haal Centraal `fields`; empty = everything the profile allows.
    pub fields: Vec<String>,
    pub channel: Channel,
}

impl Portal {
    /// The medewerker's grants that are active today, with what each allows now.
    pub async fn lookup_grants(&self, actor: &Actor) -> Result<Vec<LookupGrant>, ServiceError> {
        actor.require(LOOKUP_ROLES)?;
        let views = self.my_grants(actor).await?;
        let doelen = self.store.list_doelen().await?;
        Ok(views
            .into_iter()
            .filter(|v| v.state == GrantState::Active)
            .filter_map(|v| {
                let content = v.effective?;
                Some(LookupGrant {
                    grant_id: v.grant.id,
                    profile_name: v.grant.profile_name.clone(),
                    afnemer_name: v.grant.afnemer.name.clone(),
                    end_date: v.grant.end_date,
                    search_types: SearchType::ALL
                        .into_iter()
                        .filter(|t| content.search_types.contains(t))
                        .collect(),
                    doelen: doelen
                        .iter()
                        .filter(|d| content.doelen.contains(&d.id))
                        .map(|d| DoelChoice {
                            id: d.id,
                            name: d.name.clone(),
                        })
                        .collect(),
                    own_residents_only: content.own_residents_only,
                    zaak_required: content.zaak_required,
                    fields: content.fields.iter().cloned().collect(),
                })
            })
            .collect())
    }

    /// Writes a refused request to the security log and returns the refusal. If the log
    /// cannot be written the caller still gets a refusal (nothing is provided either way).
    pub(crate) async fn refuse(
        &self,
        actor: &Actor,
        grant_id: Option<i64>,
        action: &str,
        reason: String,
        detail: String,
    ) -> ServiceError {
        let event = NewSecurityEvent {
            at: self.clock.now(),
            user_id: Some(actor.id()),
            username: actor.user().username.to_string(),
            grant_id,
            action: action.to_owned(),
            reason: reason.clone(),
            detail,
        };
        tracing::warn!(user = %event.username, ?grant_id, action, %reason, "lookup refused");
        if let Err(e) = self.store.insert_security_event(&event).await {
            tracing::error!(error = %e, "security log write failed");
        }
        ServiceError::Refused(reason)
    }

    /// The grant for a lookup, checked fresh: the actor's own, active today, with an approved
    /// profile. A grant that fails is a refusal in the security log.
    async fn lookup_grant(
        &self,
        actor: &Actor,
        grant_id: i64,
        action: &str,
    ) -> Result<EffectiveGrant, ServiceError> {
        match self.effective_grant(actor, grant_id).await {
            Ok(g) => Ok(g),
            Err(ServiceError::Forbidden | ServiceError::NotFound(_)) => Err(self
                .refuse(
                    actor,
                    Some(grant_id),
                    action,
                    "U heeft (nu) geen geldige autorisatie voor deze bevraging. Kies een \
                     actieve autorisatie of vraag er een aan."
                        .into(),
                    format!("autorisatie {grant_id} is niet van deze gebruiker of niet actief"),
                )
                .await),
            Err(other) => Err(other),
        }
    }

    /// Looks persons up. The order of the checks is the rule: role, grant, search type, doel,
    /// zaak, parameters, fields; then the source is asked for exactly the allowed fields,
    /// the protocol records are committed, and only then is anything returned.
    pub async fn lookup(
        &self,
        actor: &Actor,
        request: LookupRequest,
    ) -> Result<LookupResult, ServiceError> {
        actor.require(LOOKUP_ROLES)?;
        let action = request.search_type.code();
        let eg = self.lookup_grant(actor, request.grant_id, action).await?;
        self.lookup_under(actor, &eg, request, None).await
    }

    /// The checks after the grant, for a medewerker and an application alike; `api` holds
    /// the Haal Centraal request context of an application's lookup, for the protocol.
    pub(crate) async fn lookup_under(
        &self,
        actor: &Actor,
        eg: &EffectiveGrant,
        request: LookupRequest,
        api: Option<&ApiContext>,
    ) -> Result<LookupResult, ServiceError> {
        let action = request.search_type.code();
        if !eg.content.search_types.contains(&request.search_type) {
            return Err(self
                .refuse(
                    actor,
                    Some(request.grant_id),
                    action,
                    format!(
                        "Uw autorisatie ‘{}’ staat de zoekvorm ‘{}’ niet toe.",
                        eg.grant.profile_name,
                        request.search_type.label()
                    ),
                    format!("zoekvorm {}", request.search_type.code()),
                )
                .await);
        }
        let doel_name = self.doel_of(actor, eg, &request).await?;
        let query = PersonQuery::parse(request.search_type, &request.input)?;
        let beperkt = request.search_type != SearchType::RaadpleegMetBurgerservicenummer;
        self.provide(actor, eg, &request, doel_name, query, beperkt, api)
            .await
    }

    /// Opens a person from one of the actor's own earlier search lists: a consult by BSN
    /// under the same grant, doel and zaak, protocolled as a new verstrekking. The BSN comes
    /// from the protocol, so a profile without the BSN can still open its results.
    pub async fn open_provided(
        &self,
        actor: &Actor,
        verstrekking_id: i64,
        channel: Channel,
    ) -> Result<LookupResult, ServiceError> {
        actor.require(LOOKUP_ROLES)?;
        let earlier = self
            .store
            .verstrekking(verstrekking_id)
            .await?
            .filter(|v| v.user_id == actor.id())
            .ok_or(ServiceError::NotFound("Deze persoon uit uw zoekresultaat"))?;
        let action = SearchType::RaadpleegMetBurgerservicenummer.code();
        let eg = self.lookup_grant(actor, earlier.grant_id, action).await?;
        let request = LookupRequest {
            grant_id: earlier.grant_id,
            doel_id: earlier.doel_id,
            zaak: earlier.zaak.clone(),
            search_type: SearchType::RaadpleegMetBurgerservicenummer,
            input: QueryInput::default(),
            fields: Vec::new(),
            channel,
        };
        let doel_name = self.doel_of(actor, &eg, &request).await?;
        self.provide(
            actor,
            &eg,
            &request,
            doel_name,
            PersonQuery::Bsn(vec![earlier.bsn]),
            false,
            None,
        )
        .await
    }

    /// The doel's name, when the doel belongs to the grant's profile; a refusal otherwise.
    async fn doel_of(
        &self,
        actor: &Actor,
        eg: &EffectiveGrant,
        request: &LookupRequest,
    ) -> Result<String, ServiceError> {
        match eg.doelen.iter().find(|d| d.id == request.doel_id) {
            Some(d) => Ok(d.name.clone()),
            None => Err(self
                .refuse(
                    actor,
                    Some(request.grant_id),
                    request.search_type.code(),
                    "Kies een doel dat bij uw autorisatie hoort.".into(),
                    format!("doel {}", request.doel_id),
                )
                .await),
        }
    }

    #[allow(clippy::too_many_arguments)]
    async fn provide(
        &self,
        actor: &Actor,
        eg: &EffectiveGrant,
        request: &LookupRequest,
        doel_name: String,
        query: PersonQuery,
        beperkt: bool,
        api: Option<&ApiContext>,
    ) -> Result<LookupResult, ServiceError> {
        let action = request.search_type.code();
        let zaak = optional_text("zaak", &request.zaak, 100)?;
        if eg.content.zaak_required && zaak.is_empty() {
            // The profile ties every verstrekking to a case: without one nothing is provided,
            // also not when a list entry from an earlier lookup is opened.
            return Err(self
                .refuse(
                    actor,
                    Some(request.grant_id),
                    action,
                    format!(
                        "Uw autorisatie ‘{}’ vraagt bij elke bevraging een zaaknummer. Vul het \
                         zaaknummer of kenmerk van de zaak in.",
                        eg.grant.profile_name
                    ),
                    "zonder zaak".into(),
                )
                .await);
        }
        let selection = match FieldSelection::new(&request.fields, &eg.content.fields, beperkt) {
            Ok(s) => s,
            Err(FieldError::Invalid(e)) => return Err(ServiceError::Invalid(e)),
            Err(FieldError::NotGranted(paths)) => {
                return Err(self
                    .refuse(
                        actor,
                        Some(request.grant_id),
                        action,
                        format!(
                            "Uw autorisatie geeft geen toegang tot: {}.",
                            paths.join(", ")
                        ),
                        format!("velden {}", paths.join(" ")),
                    )
                    .await)
            }
        };
        if selection.is_empty() {
            return Err(ServiceError::Invalid(ValidationError::new(
                "fields",
                "Uw autorisatie geeft bij deze zoekvorm geen enkel gegeven.",
            )));
        }
        let gemeente = eg
            .content
            .own_residents_only
            .then_some(self.config.municipality_code.as_str());
        let found = self
            .source
            .find(SourceRequest {
                query: &query,
                gemeente,
                selection: &selection,
                today: self.today(),
                limit: MAX_RESULTS + 1,
            })
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "BRP source failed");
                ServiceError::Unavailable
            })?;
        // Wet BRP 3.21: a person with a verstrekkingsbeperking is withheld from a derde.
        // Every provision passes this check, whatever the search or the channel.
        // The kind was read with the grant (a missing afnemer counts as a derde).
        let afnemer_kind = eg.afnemer_kind;
        let hidden_from_citizen = eg.hidden_from_citizen;
        // The portal keeps the verstrekkingsbeperkingen it granted: the stricter of its own
        // record and the source's indication holds, so a re-import or an upstream that
        // lacks the indication never lifts one.
        let bsns: Vec<Bsn> = found.iter().map(|p| p.bsn).collect();
        let restricted = self.store.restricted_bsns(&bsns).await?;
        let found: Vec<SourcePerson> = found
            .into_iter()
            .map(|mut p| {
                if restricted.contains(&p.bsn) {
                    p.restrict();
                }
                p
            })
            .filter(|p| !Portal::withheld_from(afnemer_kind, &p.indicaties))
            .collect();
        if found.len() > MAX_RESULTS {
            return Err(ServiceError::Invalid(ValidationError::new(
                "zoekvraag",
                format!(
                    "Er zijn meer dan {MAX_RESULTS} personen gevonden. Maak de zoekvraag \
                     specifieker, bijvoorbeeld met een huisletter, een volledige naam of een \
                     geboortedatum."
                ),
            )));
        }
        let (request_id, persons) = self
            .protocol(
                actor,
                eg,
                request,
                (doel_name, zaak),
                &selection,
                found,
                (hidden_from_citizen, api),
            )
            .await?;
        Ok(LookupResult {
            request_id,
            search_type: request.search_type,
            persons,
        })
    }

    /// Commits one protocol record per person and pairs each person with its record. An
    /// error here means nothing is returned: no provision without protocol.
    #[allow(clippy::too_many_arguments)]
    async fn protocol(
        &self,
        actor: &Actor,
        eg: &EffectiveGrant,
        request: &LookupRequest,
        (doel_name, zaak): (String, String),
        selection: &FieldSelection,
        found: Vec<SourcePerson>,
        (hidden_from_citizen, api): (bool, Option<&ApiContext>),
    ) -> Result<(String, Vec<ProvidedPerson>), ServiceError> {
        let request_id = uuid::Uuid::new_v4().to_string();
        if found.is_empty() {
            return Ok((request_id, Vec::new()));
        }
        let at = self.clock.now();
        let profile_version = eg
            .profile
            .current()
            .map(|v| v.version)
            .unwrap_or(eg.grant.confirmed_version);
        let records: Vec<NewVerstrekking> = found
            .iter()
            .map(|p| NewVerstrekking {
                request_id: request_id.clone(),
                bsn: p.bsn,
                at,
                user_id: actor.id(),
                username: actor.user().username.to_string(),
                grant_id: eg.grant.id,
                profile_id: eg.profile.id,
                profile_version,
                afnemer_id: eg.profile.afnemer.id,
                afnemer_name: eg.profile.afnemer.name.clone(),
                doel_id: request.doel_id,
                doel_name: doel_name.clone(),
                zaak: zaak.clone(),
                search_type: request.search_type,
                channel: request.channel,
                fields: provided_fields(selection, &p.persoon),
                hidden_from_citizen,
                gebruiker: api.map(|a| a.gebruiker.clone()),
                verwerking: api.and_then(|a| a.verwerking.clone()),
            })
            .collect();
        let ids = self.protocol.write(records).await.map_err(|e| {
            tracing::error!(error = %e, "protocol write failed; nothing provided");
            ServiceError::ProtocolFailed
        })?;
        let persons = found
            .into_iter()
            .zip(ids)
            .map(|(p, id)| ProvidedPerson {
                verstrekking_id: id,
                persoon: p.persoon,
                indicaties: p.indicaties,
            })
            .collect();
        Ok((request_id, persons))
    }

    // ---- protocol viewer ----------------------------------------------------------------

    pub async fn protocol_records(
        &self,
        actor: &Actor,
        filter: &ProtocolFilter,
    ) -> Result<Vec<Verstrekking>, ServiceError> {
        actor.require(READERS)?;
        Ok(self
            .store
            .list_verstrekkingen(filter, PROTOCOL_PAGE)
            .await?)
    }

    /// The protocol as CSV (semicolon-separated, as Dutch spreadsheets expect), newest
    /// first, at most `config.protocol_export_max` rows. When the filter matches more, the
    /// file ends with a line that says so and how to narrow the filter, and the export is
    /// marked `truncated` (the download says so in a header too): never cut off silently.
    pub async fn protocol_csv(
        &self,
        actor: &Actor,
        filter: &ProtocolFilter,
    ) -> Result<ProtocolExport, ServiceError> {
        actor.require(READERS)?;
        let max = self.config.protocol_export_max.max(1);
        let mut rows = self
            .store
            .list_verstrekkingen(filter, max.saturating_add(1))
            .await?;
        let truncated = usize::try_from(max).is_ok_and(|max| rows.len() > max);
        if truncated {
            rows.truncate(usize::try_from(max).unwrap_or(usize::MAX));
        }
        let mut out = String::from(
            "id;tijdstip;burgerservicenummer;medewerker;afnemer;doel;zaak;autorisatie;\
             profiel;profielversie;wijze;kanaal;verzoek;gegevens;x-gebruiker;x-verwerking\r\n",
        );
        for v in rows {
            let cells = [
                v.id.to_string(),
                v.at.to_rfc3339(),
                v.bsn.to_string(),
                v.username,
                v.afnemer.name,
                v.doel_name,
                v.zaak,
                v.grant_id.to_string(),
                v.profile_id.to_string(),
                v.profile_version.to_string(),
                v.search_type.code().to_owned(),
                v.channel.code().to_owned(),
                v.request_id,
                v.fields.join(" "),
                v.gebruiker.unwrap_or_default(),
                v.verwerking.unwrap_or_default(),
            ];
            let line = cells
                .iter()
                .map(|c| csv_cell(c))
                .collect::<Vec<_>>()
                .join(";");
            out.push_str(&line);
            out.push_str("\r\n");
        }
        if truncated {
            out.push_str(&csv_cell(&truncation_notice(max)));
            out.push_str("\r\n");
        }
        Ok(ProtocolExport {
            csv: out,
            truncated,
        })
    }

    /// Everyone who can appear in the protocol, by id and name, for the viewer's filter.
    pub async fn protocol_users(&self, actor: &Actor) -> Result<Vec<(i64, String)>, ServiceError> {
        actor.require(READERS)?;
        Ok(self
            .store
            .list_users()
            .await?
            .into_iter()
            .filter(|u| LOOKUP_ROLES.contains(&u.user.role) || u.user.role == Role::Applicatie)
            .map(|u| {
                let suffix = if u.user.role == Role::Applicatie {
                    ", taakapplicatie"
                } else {
                    ""
                };
                (
                    u.user.id,
                    format!(
                        "{} ({}{suffix})",
                        u.user.display_name.as_str(),
                        u.user.username.as_str()
                    ),
                )
            })
            .collect())
    }

    pub async fn security_log(&self, actor: &Actor) -> Result<Vec<SecurityEvent>, ServiceError> {
        actor.require(READERS)?;
        Ok(self.store.list_security_events(PROTOCOL_PAGE).await?)
    }

    // ---- terugmeldingen -----------------------------------------------------------------

    /// A medewerker reports doubt about a datum of a person they were provided. The
    /// verstrekking proves they received the person, and the field must be one they saw.
    pub async fn submit_terugmelding(
        &self,
        actor: &Actor,
        verstrekking_id: i64,
        field_path: &str,
        reason: &str,
    ) -> Result<i64, ServiceError> {
        actor.require(LOOKUP_ROLES)?;
        let v = self
            .store
            .verstrekking(verstrekking_id)
            .await?
            .filter(|v| v.user_id == actor.id())
            .ok_or(ServiceError::NotFound("Deze verstrekking"))?;
        let field_path = field_path.trim();
        let entry = Catalogue::persoon()
            .get(field_path)
            .filter(|_| v.fields.iter().any(|f| f == field_path))
            .ok_or_else(|| {
                ValidationError::new("gegeven", "Kies een gegeven dat u heeft ontvangen.")
            })?;
        let reason = required_text("toelichting", reason, 2000)?;
        let user = actor.user();
        let id = self
            .store
            .insert_terugmelding(&NewTerugmelding {
                bsn: v.bsn,
                field_path: field_path.to_owned(),
                field_label: entry.label.clone(),
                reason,
                reported_by: actor.id(),
                reporter_name: user.display_name.to_string(),
                afnemer_id: user.afnemer.as_ref().map(|a| a.id),
                afnemer_name: user
                    .afnemer
                    .as_ref()
                    .map(|a| a.name.clone())
                    .unwrap_or_else(|| v.afnemer.name.clone()),
                reported_at: self.clock.now(),
            })
            .await?;
        Ok(id)
    }

    /// The beheerder and toezichthouder see every terugmelding; a medewerker their own.
    pub async fn terugmeldingen(&self, actor: &Actor) -> Result<Vec<Terugmelding>, ServiceError> {
        let reporter = match actor.role() {
            Role::Beheerder | Role::Toezichthouder => None,
            Role::Medewerker => Some(actor.id()),
            Role::Applicatie => return Err(ServiceError::Forbidden),
        };
        Ok(self.store.list_terugmeldingen(reporter).await?)
    }

    /// The beheerder takes a terugmelding in behandeling or closes it with an outcome.
    pub async fn handle_terugmelding(
        &self,
        actor: &Actor,
        id: i64,
        status: TerugmeldingStatus,
        outcome: &str,
    ) -> Result<(), ServiceError> {
        actor.require(&[Role::Beheerder])?;
        let current = self
            .store
            .terugmelding(id)
            .await?
            .ok_or(ServiceError::NotFound("De terugmelding"))?;
        let outcome = match status {
            TerugmeldingStatus::Afgehandeld => required_text("uitkomst", outcome, 2000)?,
            TerugmeldingStatus::InBehandeling => optional_text("uitkomst", outcome, 2000)?,
            TerugmeldingStatus::Ontvangen => {
                return Err(ValidationError::new(
                    "status",
                    "Kies ‘in behandeling’ of ‘afgehandeld’.",
                )
                .into())
            }
        };
        let audit = NewAuditEvent {
            occurred_at: self.clock.now(),
            actor_user_id: Some(actor.id()),
            actor: actor.user().username.to_string(),
            action: AuditAction::TerugmeldingHandled,
            subject: format!("terugmelding {id}"),
            field: Some("status".into()),
            old_value: Some(current.status.label().to_owned()),
            new_value: Some(if outcome.is_empty() {
                status.label().to_owned()
            } else {
                format!("{}: {outcome}", status.label())
            }),
        };
        self.store
            .update_terugmelding(
                id,
                status,
                &outcome,
                &actor.user().display_name.to_string(),
                audit.occurred_at,
                &audit,
            )
            .await?;
        Ok(())
    }
}

/// The selected fields that the person's data actually hold, space-separated: the protocol
/// records what was provided, not what was asked (a person without a partner got no partner
/// data, whatever `fields` said).
fn provided_fields(selection: &FieldSelection, persoon: &serde_json::Value) -> String {
    let present = brp_domain::person::present_paths(persoon);
    selection
        .elements()
        .iter()
        .filter(|element| {
            present.iter().any(|p| {
                p == *element
                    || (p.starts_with(element.as_str())
                        && p.as_bytes().get(element.len()) == Some(&b'.'))
            })
        })
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A CSV cell: quoted when it holds a separator, quote or line break; a leading `=`, `+`,
/// `-` or `@` is neutralised so a spreadsheet does not run it as a formula.
fn csv_cell(value: &str) -> String {
    // A spreadsheet reads a cell as a formula when it starts with one of these, also after
    // leading quotes or white space, and also in their full-width forms; a tab or carriage
    // return at the start can start one too. Such a cell gets a leading apostrophe.
    let after_padding = value.trim_start_matches(['"', '\'', ' ', '\t', '\r', '\n']);
    let formula = value.starts_with(['\t', '\r'])
        || after_padding.starts_with(['=', '+', '-', '@', '＝', '＋', '－', '＠']);
    let value = if formula {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    // Quoted when neutralised, and whenever a separator a spreadsheet might assume (`;`,
    // `,`, tab), a quote or a line break is inside.
    if formula || value.contains([';', ',', '\t', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// The last line of an export that was cut off.
pub fn truncation_notice(max: i64) -> String {
    format!(
        "LET OP: deze export is afgebroken na {max} regels; er zijn meer verstrekkingen. \
         Verfijn het filter (burgerservicenummer, medewerker, afnemer of een kortere \
         periode van/tot) en exporteer opnieuw."
    )
}

/// The protocol as a CSV file, and whether it was cut off at the maximum.
#[derive(Debug, Clone)]
pub struct ProtocolExport {
    pub csv: String,
    pub truncated: bool,
}

#[cfg(test)]
mod tests {
    use super::csv_cell;

    #[test]
    fn csv_cells_are_quoted_and_formulas_neutralised() {
        assert_eq!(csv_cell("gewoon"), "gewoon");
        assert_eq!(csv_cell("a;b"), "\"a;b\"");
        assert_eq!(csv_cell("zei \"ja\""), "\"zei \"\"ja\"\"\"");
        assert_eq!(csv_cell("=SOM(A1)"), "\"'=SOM(A1)\"");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("a\tb"), "\"a\tb\"");
        assert_eq!(csv_cell("regel\nregel"), "\"regel\nregel\"");
        for formula in [
            "+31", "-1+2", "@SUM(A1)", "\t=1", "\r=1", "\"=1+1", "' =1", "  =1", "＝1",
        ] {
            let cell = csv_cell(formula);
            assert!(cell.starts_with("\"'"), "{formula:?} -> {cell:?}");
        }
        assert_eq!(
            csv_cell("2026-01-01T00:00:00+00:00"),
            "2026-01-01T00:00:00+00:00"
        );
        assert_eq!(csv_cell("999999990"), "999999990");
    }
}
