//! Autorisatieformulieren: a medewerker asks for a profile of their own department, a
//! second person decides. Split from `authorisation.rs` by job.

use super::{READERS, REQUESTERS, STAFF};
use crate::accounts::Actor;
use crate::error::ServiceError;
use crate::letters::{self, LetterData};
use crate::portal::Portal;
use crate::store::{NewGrant, NewRequest, NewSecurityEvent, RequestFilter};
use brp_domain::authorisation::{
    check_signature, optional_text, required_text, AuthorisationRequest, Doel, Period, Profile,
    RequestStatus, DECLARATION,
};
use brp_domain::catalogue::Catalogue;
use brp_domain::messages::LetterKind;
use brp_domain::time::{format_date, format_datetime, format_day as format_naive};
use brp_domain::{AuditAction, Role};

impl Portal {
    // ---- requests -----------------------------------------------------------------------

    /// Submits an autorisatieformulier for the actor. The signed text, the profile version
    /// and the time are stored together and never change afterwards.
    pub async fn submit_request(
        &self,
        actor: &Actor,
        profile_id: i64,
        motivation: &str,
        start: &str,
        end: &str,
        signature: &str,
    ) -> Result<i64, ServiceError> {
        actor.require(REQUESTERS)?;
        let motivation = required_text("motivering", motivation, 4000)?;
        let period = Period::parse(start, end, self.today())?;
        let signed_name = check_signature(signature, actor.user().display_name.as_str())?;
        let (profile, current_version) = self.approved_profile(profile_id).await?;
        self.require_own_department(actor, &profile).await?;
        let open = self
            .store
            .list_requests(RequestFilter {
                requester_id: Some(actor.id()),
                status: Some(RequestStatus::Submitted),
            })
            .await?;
        if open.iter().any(|r| r.profile_id == profile_id) {
            return Err(ServiceError::Conflict(
                "U heeft voor dit profiel al een aanvraag die op een besluit wacht.".into(),
            ));
        }
        let now = self.clock.now();
        let signed_text = format!(
            "{DECLARATION}\n\nOndertekend door {signed_name} (gebruiker {}) op {}, voor het \
             autorisatieprofiel {} (versie {}) van {}, voor de periode van {} tot en met {}.",
            actor.user().username,
            format_datetime(now),
            profile.name,
            current_version,
            profile.afnemer.name,
            format_naive(period.start),
            format_naive(period.end),
        );
        let new = NewRequest {
            requester_id: actor.id(),
            profile_id,
            profile_version: current_version,
            motivation,
            start_date: period.start,
            end_date: period.end,
            signed_text,
            signed_name,
            signed_at: now,
        };
        let audit = self.event(
            actor,
            AuditAction::RequestSubmitted,
            format!(
                "aanvraag van {} voor {}",
                actor.user().username,
                profile.name
            ),
            Some("status"),
            None,
            Some(RequestStatus::Submitted.label().to_owned()),
        );
        Ok(self.store.insert_request(&new, &audit).await?)
    }

    /// A request as the actor may see it: their own, or any for beheerder and
    /// toezichthouder. Someone else's request is "not found", not "forbidden".
    pub async fn request(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<AuthorisationRequest, ServiceError> {
        actor.require(STAFF)?;
        let request = self
            .store
            .request(id)
            .await?
            .ok_or(ServiceError::NotFound("De aanvraag"))?;
        if request.requester.id == actor.id() || READERS.contains(&actor.role()) {
            Ok(request)
        } else {
            Err(ServiceError::NotFound("De aanvraag"))
        }
    }

    pub async fn my_requests(
        &self,
        actor: &Actor,
    ) -> Result<Vec<AuthorisationRequest>, ServiceError> {
        actor.require(STAFF)?;
        Ok(self
            .store
            .list_requests(RequestFilter {
                requester_id: Some(actor.id()),
                status: None,
            })
            .await?)
    }

    pub async fn list_requests(
        &self,
        actor: &Actor,
        status: Option<RequestStatus>,
    ) -> Result<Vec<AuthorisationRequest>, ServiceError> {
        actor.require(READERS)?;
        Ok(self
            .store
            .list_requests(RequestFilter {
                requester_id: None,
                status,
            })
            .await?)
    }

    /// The requester withdraws their own open request.
    pub async fn withdraw_request(&self, actor: &Actor, id: i64) -> Result<(), ServiceError> {
        actor.require(REQUESTERS)?;
        let request = self.request(actor, id).await?;
        if request.requester.id != actor.id() {
            return Err(ServiceError::NotFound("De aanvraag"));
        }
        let audit = self.event(
            actor,
            AuditAction::RequestWithdrawn,
            format!("aanvraag {} ({})", id, request.profile_name),
            Some("status"),
            Some(request.status.label().to_owned()),
            Some(RequestStatus::Withdrawn.label().to_owned()),
        );
        Ok(self.store.withdraw_request(id, &audit).await?)
    }

    /// A beheerder approves or rejects a request; never their own. Approval creates the
    /// grant and the written notice; rejection a letter with the reason.
    pub async fn decide_request(
        &self,
        actor: &Actor,
        id: i64,
        approve: bool,
        reason: &str,
    ) -> Result<Option<i64>, ServiceError> {
        actor.require(&[Role::Beheerder])?;
        let request = self.request(actor, id).await?;
        if request.requester.id == actor.id() {
            return Err(ServiceError::Conflict(
                "Vier ogen: over uw eigen aanvraag beslist een andere beheerder.".into(),
            ));
        }
        if request.status != RequestStatus::Submitted {
            return Err(ServiceError::Conflict(
                "Deze aanvraag is al afgehandeld.".into(),
            ));
        }
        let reason = if approve {
            optional_text("reden", reason, 2000)?
        } else {
            required_text("reden", reason, 2000)?
        };
        if approve && request.end_date < self.today() {
            return Err(ServiceError::Conflict(
                "De gevraagde periode is al voorbij; de medewerker moet opnieuw aanvragen.".into(),
            ));
        }
        let requester = self
            .store
            .user_by_id(request.requester.id)
            .await?
            .ok_or(ServiceError::NotFound("De aanvrager"))?;
        // The requester may have moved to another department since signing: a grant is only
        // ever for a profile of the holder's own afnemer.
        if approve
            && requester.user.afnemer.as_ref().map(|a| a.id) != Some(request.profile_afnemer.id)
        {
            return Err(ServiceError::Conflict(format!(
                "De aanvrager hoort niet (meer) bij {}, de afnemer van dit profiel. Wijs de \
                 aanvraag af; de medewerker vraagt een profiel van de eigen afnemer aan.",
                request.profile_afnemer.name
            )));
        }
        let profile = self
            .store
            .profile(request.profile_id)
            .await?
            .ok_or(ServiceError::NotFound("Het profiel"))?;
        let decision = self.decision(actor, reason.clone());
        let now = decision.at;
        let doelen = self.store.list_doelen().await?;
        let mut data = self.letter_data(
            actor,
            &request.requester,
            &profile,
            request.profile_version,
            &doelen,
        );
        data.request_date = format_date(request.signed_at);
        data.start = format_naive(request.start_date);
        data.end = format_naive(request.end_date);
        data.reason = reason;
        data.signed_text = request.signed_text.clone();
        data.reference = format!("BRP-AUT-{id}");
        let email = requester.user.email.as_ref().map(|e| e.as_str().to_owned());
        let subject = format!("aanvraag {} ({})", id, request.profile_name);
        if approve {
            data.subject = "Schriftelijk bericht van de toegekende autorisatie".into();
            let notice = letters::notification(
                LetterKind::GrantNotice,
                &data,
                request.requester.id,
                email.as_deref(),
                now,
            )?;
            let grant = NewGrant {
                user_id: request.requester.id,
                profile_id: request.profile_id,
                request_id: Some(id),
                confirmed_version: request.profile_version,
                start_date: request.start_date,
                end_date: request.end_date,
                confirmed_by: actor.user().display_name.to_string(),
                created_at: now,
            };
            let audit = self.event(
                actor,
                AuditAction::RequestApproved,
                subject,
                Some("status"),
                Some(request.status.label().to_owned()),
                Some(format!(
                    "{} ({} t/m {})",
                    RequestStatus::Approved.label(),
                    data.start,
                    data.end
                )),
            );
            let grant_id = self
                .store
                .approve_request(id, &decision, &grant, &notice, &audit)
                .await?;
            Ok(Some(grant_id))
        } else {
            data.subject = "Besluit op uw aanvraag om autorisatie: afgewezen".into();
            let notice = letters::notification(
                LetterKind::RejectionNotice,
                &data,
                request.requester.id,
                email.as_deref(),
                now,
            )?;
            let audit = self.event(
                actor,
                AuditAction::RequestRejected,
                subject,
                Some("status"),
                Some(request.status.label().to_owned()),
                Some(format!(
                    "{}: {}",
                    RequestStatus::Rejected.label(),
                    data.reason
                )),
            );
            self.store
                .reject_request(id, &decision, &notice, &audit)
                .await?;
            Ok(None)
        }
    }

    pub(super) fn letter_data(
        &self,
        actor: &Actor,
        recipient: &brp_domain::authorisation::UserRef,
        profile: &Profile,
        version: i32,
        doelen: &[Doel],
    ) -> LetterData {
        let content = profile
            .versions
            .iter()
            .find(|v| v.version == version)
            .map(|v| v.content.clone())
            .unwrap_or_default();
        let catalogue = Catalogue::persoon();
        let categories = Catalogue::categories()
            .iter()
            .filter_map(|c| {
                let labels: Vec<String> = catalogue
                    .elements_in(c.code)
                    .into_iter()
                    .filter(|e| content.fields.contains(&e.path))
                    .map(|e| e.label.clone())
                    .collect();
                (!labels.is_empty()).then(|| (c.label.to_owned(), labels.join(", ")))
            })
            .collect();
        LetterData {
            municipality: self.config.municipality.clone(),
            date: format_date(self.clock.now()),
            recipient_name: recipient.display_name.clone(),
            recipient_afnemer: recipient.afnemer.as_ref().map(|a| a.name.clone()),
            profile_name: profile.name.clone(),
            profile_version: version,
            profile_afnemer: profile.afnemer.name.clone(),
            beheerder_name: actor.user().display_name.to_string(),
            search_types: content
                .search_types
                .iter()
                .map(|t| t.label().to_owned())
                .collect(),
            categories,
            doelen: doelen
                .iter()
                .filter(|d| content.doelen.contains(&d.id))
                .map(|d| d.name.clone())
                .collect(),
            ..LetterData::default()
        }
    }

    /// A medewerker may ask only for profiles of the afnemer their account belongs to
    /// (reglement, bijlage 1: the medewerkers of an organisatieonderdeel get that
    /// onderdeel's profiles). A beheerder asking for themselves is held to the same rule:
    /// the beheerder works for Burgerzaken (reglement art. 4 lid 1 sub a) and asks for a
    /// Burgerzaken profile; a beheerder without an afnemer asks nothing, since a grant must
    /// name the department that receives the data. An attempt outside the own department
    /// is refused and written to the security log.
    async fn require_own_department(
        &self,
        actor: &Actor,
        profile: &Profile,
    ) -> Result<(), ServiceError> {
        let own = actor.user().afnemer.clone();
        if own.as_ref().map(|a| a.id) == Some(profile.afnemer.id) {
            return Ok(());
        }
        let reason = match &own {
            Some(a) => format!(
                "U kunt alleen een profiel aanvragen van de afnemer waar uw account bij hoort \
                 ({}). Het profiel ‘{}’ is van {}.",
                a.name, profile.name, profile.afnemer.name
            ),
            None => "Uw account hoort bij geen afnemer; vraag de beheerder uw account aan uw \
                     organisatieonderdeel te koppelen."
                .to_owned(),
        };
        let event = NewSecurityEvent {
            at: self.clock.now(),
            user_id: Some(actor.id()),
            username: actor.user().username.to_string(),
            grant_id: None,
            action: "autorisatieaanvraag".into(),
            reason: reason.clone(),
            detail: format!(
                "profiel {} van afnemer {}; eigen afnemer {}",
                profile.id,
                profile.afnemer.id,
                own.map_or_else(|| "geen".to_owned(), |a| a.id.to_string())
            ),
        };
        tracing::warn!(user = %event.username, profile = profile.id, "request outside own department refused");
        if let Err(e) = self.store.insert_security_event(&event).await {
            tracing::error!(error = %e, "security log write failed");
        }
        Err(ServiceError::Refused(reason))
    }
}
