//! Autorisatiebeheer: the register (afnemers, grondslagen, doelen), autorisatieprofielen
//! with four-eyes versioning, autorisatieformulieren, and the grants they lead to.
//!
//! The rules, each enforced here and nowhere else:
//! - only a beheerder changes the register, profiles, requests and grants; the
//!   toezichthouder reads;
//! - a profile version takes effect only when a second beheerder approves it;
//! - nobody decides on their own request, or re-confirms or extends their own grant;
//! - a request is signed by typing the account's full name, covers at most a year, and is
//!   never edited afterwards;
//! - a grant gives rights only between its dates and until it is revoked, checked on every
//!   request; a widening of its profile reaches it only after re-confirmation.

use crate::accounts::Actor;
use crate::error::ServiceError;
use crate::letters::{self, LetterData};
use crate::portal::Portal;
use crate::store::{
    DecisionRecord, GrantFilter, NewAfnemer, NewAuditEvent, NewDoel, NewGrant, NewGrondslag,
    NewProfileVersion, NewRequest, RequestFilter,
};
use brp_domain::art46::Art46Ground;
use brp_domain::authorisation::{
    check_signature, one_year_after, optional_text, required_text, AuthorisationRequest, Doel,
    Grant, GrantState, GrantView, Grondslag, Period, Profile, ProfileContent, Reglement,
    ReglementAfnemer, ReglementProfile, RequestStatus, VersionStatus, DECLARATION,
};
use brp_domain::catalogue::{Catalogue, EntryKind};
use brp_domain::messages::{Letter, LetterKind, OutboxMessage};
use brp_domain::time::{format_date, format_datetime, format_day as format_naive};
use brp_domain::{Afnemer, AfnemerKind, AfnemerName, AuditAction, Role, ValidationError};
use chrono::NaiveDate;

const READERS: &[Role] = &[Role::Beheerder, Role::Toezichthouder];
const STAFF: &[Role] = &[Role::Beheerder, Role::Toezichthouder, Role::Medewerker];
/// Roles that may ask for a profile: those who look persons up.
const REQUESTERS: &[Role] = &[Role::Medewerker, Role::Beheerder];

/// An afnemer as the beheerder enters it, parsed.
#[derive(Debug, Clone)]
pub struct AfnemerInput {
    pub name: AfnemerName,
    pub wettelijk_kader: String,
    pub kind: AfnemerKind,
    /// The art. 46 Besluit BRP ground, chosen from the list; never free text.
    pub hidden_from_citizen_ground: Option<Art46Ground>,
}

impl AfnemerInput {
    /// `kind` is an [`AfnemerKind`] code; `hidden_ground` an [`Art46Ground`] code.
    pub fn parse(
        name: &str,
        wettelijk_kader: &str,
        kind: &str,
        hidden_from_citizen: bool,
        hidden_ground: &str,
    ) -> Result<Self, ValidationError> {
        let ground = if hidden_from_citizen {
            Some(Art46Ground::parse(hidden_ground)?)
        } else {
            None
        };
        Ok(Self {
            name: AfnemerName::parse(name)?,
            wettelijk_kader: optional_text("wettelijk_kader", wettelijk_kader, 2000)?,
            kind: AfnemerKind::parse(kind)?,
            hidden_from_citizen_ground: ground,
        })
    }

    /// Whether one beheerder may set this up alone: a department of the municipality
    /// without the art. 46 flag. Any other kind, and the flag, take a second beheerder.
    pub fn is_plain_department(&self) -> bool {
        self.kind == AfnemerKind::Binnengemeentelijk && self.hidden_from_citizen_ground.is_none()
    }
}

/// A new profile as the beheerder proposes it.
#[derive(Debug, Clone)]
pub struct ProfileInput {
    pub name: String,
    pub afnemer_id: i64,
    pub description: String,
    pub content: ProfileContent,
    pub note: String,
}

/// What a grant allows for one request of its holder, checked now.
#[derive(Debug, Clone)]
pub struct EffectiveGrant {
    pub grant: Grant,
    pub profile: std::sync::Arc<Profile>,
    pub content: ProfileContent,
    pub doelen: Vec<Doel>,
}

impl Portal {
    pub(crate) fn today(&self) -> NaiveDate {
        // The municipality works in Dutch local time: a grant ending "on 31 December" ends
        // at midnight in the Netherlands, not in UTC.
        brp_domain::time::dutch_local(self.clock.now()).date_naive()
    }

    fn event(
        &self,
        actor: &Actor,
        action: AuditAction,
        subject: String,
        field: Option<&str>,
        old_value: Option<String>,
        new_value: Option<String>,
    ) -> NewAuditEvent {
        NewAuditEvent {
            occurred_at: self.clock.now(),
            actor_user_id: Some(actor.id()),
            actor: actor.user().username.to_string(),
            action,
            subject,
            field: field.map(str::to_owned),
            old_value,
            new_value,
        }
    }

    fn decision(&self, actor: &Actor, reason: String) -> DecisionRecord {
        DecisionRecord {
            by_user_id: Some(actor.id()),
            by: actor.user().display_name.to_string(),
            at: self.clock.now(),
            reason,
        }
    }

    // ---- register ---------------------------------------------------------------------

    /// Creates a department of the municipality (binnengemeentelijk, without the art. 46
    /// flag). Any other kind, or the flag, is a proposal that a second beheerder approves
    /// ([`Portal::propose_change`]); until then the afnemer does not exist.
    pub async fn create_afnemer(
        &self,
        actor: &Actor,
        input: AfnemerInput,
    ) -> Result<Afnemer, ServiceError> {
        actor.require(&[Role::Beheerder])?;
        if !input.is_plain_department() {
            return Err(ServiceError::Conflict(
                "Een afnemer van een andere soort dan binnengemeentelijk, of met artikel 46 \
                 Besluit BRP, vraagt vier ogen: stel haar voor; een tweede beheerder keurt \
                 het goed."
                    .into(),
            ));
        }
        let audit = self.event(
            actor,
            AuditAction::AfnemerCreated,
            format!("afnemer {}", input.name.as_str()),
            Some("afnemer"),
            None,
            Some(format!(
                "{}; soort: {}; wettelijk kader: {}; verborgen voor inwoner: nee",
                input.name.as_str(),
                input.kind.label(),
                input.wettelijk_kader,
            )),
        );
        let new = NewAfnemer {
            name: input.name,
            wettelijk_kader: input.wettelijk_kader,
            kind: input.kind,
            hidden_from_citizen_ground: None,
        };
        Ok(self
            .store
            .insert_afnemer(&new, audit.occurred_at, &audit)
            .await?)
    }

    /// Changes an afnemer's name and wettelijk kader at once. A different kind or art. 46
    /// flag is not applied but proposed, for a second beheerder to approve: the afnemer is
    /// returned as it now stands, so the caller sees whether a proposal was made.
    pub async fn update_afnemer(
        &self,
        actor: &Actor,
        id: i64,
        input: AfnemerInput,
    ) -> Result<Afnemer, ServiceError> {
        actor.require(&[Role::Beheerder])?;
        let old = self
            .store
            .afnemer_by_id(id)
            .await?
            .ok_or(ServiceError::NotFound("De afnemer"))?;
        let new_ground = input
            .hidden_from_citizen_ground
            .map(|g| g.label().to_owned());
        let classify = old.kind != input.kind || old.hidden_from_citizen_ground != new_ground;
        if classify {
            // Checked before anything changes, so a refused flag changes nothing at all.
            brp_domain::art46::check_kind_and_ground(input.kind, input.hidden_from_citizen_ground)?;
        }
        let subject = format!("afnemer {}", old.name.as_str());
        let mut audit = Vec::new();
        let mut change = |field: &str, before: Option<String>, after: Option<String>| {
            if before != after {
                audit.push(self.event(
                    actor,
                    AuditAction::AfnemerChanged,
                    subject.clone(),
                    Some(field),
                    before,
                    after,
                ));
            }
        };
        change(
            "naam",
            Some(old.name.as_str().to_owned()),
            Some(input.name.as_str().to_owned()),
        );
        change(
            "wettelijk kader",
            Some(old.wettelijk_kader.clone()),
            Some(input.wettelijk_kader.clone()),
        );
        if !audit.is_empty() {
            let new = NewAfnemer {
                name: input.name,
                wettelijk_kader: input.wettelijk_kader,
                kind: old.kind,
                hidden_from_citizen_ground: old.hidden_from_citizen_ground.clone(),
            };
            self.store.update_afnemer(id, &new, &audit).await?;
        }
        if classify {
            self.propose_change(
                actor,
                brp_domain::four_eyes::ProposedChange::ClassifyAfnemer {
                    afnemer_id: id,
                    kind: input.kind,
                    ground: input.hidden_from_citizen_ground,
                },
            )
            .await?;
        }
        self.store
            .afnemer_by_id(id)
            .await?
            .ok_or(ServiceError::NotFound("De afnemer"))
    }

    pub async fn list_grondslagen(&self, actor: &Actor) -> Result<Vec<Grondslag>, ServiceError> {
        actor.require(STAFF)?;
        Ok(self.store.list_grondslagen().await?)
    }

    pub async fn create_grondslag(
        &self,
        actor: &Actor,
        law: &str,
        article: &str,
        description: &str,
    ) -> Result<Grondslag, ServiceError> {
        actor.require(&[Role::Beheerder])?;
        let new = NewGrondslag {
            law: required_text("wet", law, 200)?,
            article: required_text("artikel", article, 200)?,
            description: optional_text("omschrijving", description, 2000)?,
        };
        let audit = self.event(
            actor,
            AuditAction::GrondslagCreated,
            format!("grondslag {}, {}", new.law, new.article),
            Some("grondslag"),
            None,
            Some(format!("{}, {}", new.law, new.article)),
        );
        Ok(self
            .store
            .insert_grondslag(&new, audit.occurred_at, &audit)
            .await?)
    }

    pub async fn list_doelen(&self, actor: &Actor) -> Result<Vec<Doel>, ServiceError> {
        actor.require(STAFF)?;
        Ok(self.store.list_doelen().await?)
    }

    pub async fn create_doel(
        &self,
        actor: &Actor,
        afnemer_id: i64,
        grondslag_id: i64,
        name: &str,
        description: &str,
    ) -> Result<Doel, ServiceError> {
        actor.require(&[Role::Beheerder])?;
        let afnemer = self
            .store
            .afnemer_by_id(afnemer_id)
            .await?
            .ok_or_else(|| ValidationError::new("afnemer", "Kies een bestaande afnemer."))?;
        let grondslag = self
            .store
            .list_grondslagen()
            .await?
            .into_iter()
            .find(|g| g.id == grondslag_id)
            .ok_or_else(|| ValidationError::new("grondslag", "Kies een bestaande grondslag."))?;
        let new = NewDoel {
            afnemer_id,
            grondslag_id,
            name: required_text("naam", name, 200)?,
            description: optional_text("omschrijving", description, 2000)?,
        };
        let audit = self.event(
            actor,
            AuditAction::DoelCreated,
            format!("doel {}", new.name),
            Some("doel"),
            None,
            Some(format!(
                "{} ({}; {})",
                new.name,
                afnemer.name.as_str(),
                grondslag.title()
            )),
        );
        Ok(self
            .store
            .insert_doel(&new, audit.occurred_at, &audit)
            .await?)
    }

    // ---- profiles -----------------------------------------------------------------------

    pub async fn list_profiles(&self, actor: &Actor) -> Result<Vec<Profile>, ServiceError> {
        actor.require(STAFF)?;
        Ok(self.store.list_profiles().await?)
    }

    pub async fn profile(&self, actor: &Actor, id: i64) -> Result<Profile, ServiceError> {
        actor.require(STAFF)?;
        self.store
            .profile(id)
            .await?
            .ok_or(ServiceError::NotFound("Het profiel"))
    }

    /// Checks that every field is a catalogue element and every doel belongs to the
    /// profile's afnemer.
    async fn check_content(
        &self,
        afnemer_id: i64,
        content: &ProfileContent,
    ) -> Result<(), ServiceError> {
        content.validate()?;
        let catalogue = Catalogue::persoon();
        if let Some(bad) = content.fields.iter().find(|f| {
            catalogue
                .get(f)
                .is_none_or(|e| e.kind != EntryKind::Element)
        }) {
            return Err(ValidationError::new("velden", format!("Onbekend gegeven: {bad}.")).into());
        }
        let doelen = self.store.list_doelen().await?;
        if content.doelen.iter().any(|id| {
            !doelen
                .iter()
                .any(|d| d.id == *id && d.afnemer_id == afnemer_id)
        }) {
            return Err(ValidationError::new(
                "doelen",
                "Kies alleen doelen van de afnemer van dit profiel.",
            )
            .into());
        }
        Ok(())
    }

    /// Proposes a new profile. It can be used only after a second beheerder approves it.
    pub async fn propose_profile(
        &self,
        actor: &Actor,
        input: ProfileInput,
    ) -> Result<i64, ServiceError> {
        actor.require(&[Role::Beheerder])?;
        let name = required_text("naam", &input.name, 200)?;
        let description = optional_text("omschrijving", &input.description, 2000)?;
        let note = optional_text("toelichting", &input.note, 2000)?;
        if self.store.afnemer_by_id(input.afnemer_id).await?.is_none() {
            return Err(ValidationError::new("afnemer", "Kies een bestaande afnemer.").into());
        }
        self.check_content(input.afnemer_id, &input.content).await?;
        let version = NewProfileVersion {
            version: 1,
            content: input.content,
            note,
            proposed_by_user_id: Some(actor.id()),
            proposed_by: actor.user().username.to_string(),
            proposed_at: self.clock.now(),
        };
        let audit = self.event(
            actor,
            AuditAction::ProfileProposed,
            format!("profiel {name}"),
            Some("versie 1"),
            None,
            Some(summarise(&version.content)),
        );
        Ok(self
            .store
            .insert_profile(&name, input.afnemer_id, &description, &version, &audit)
            .await?)
    }

    /// Proposes a change: a new version that waits for a second beheerder.
    pub async fn propose_profile_change(
        &self,
        actor: &Actor,
        profile_id: i64,
        content: ProfileContent,
        note: &str,
    ) -> Result<i32, ServiceError> {
        actor.require(&[Role::Beheerder])?;
        let profile = self.profile(actor, profile_id).await?;
        if profile.pending().is_some() {
            return Err(ServiceError::Conflict(
                "Er wacht al een wijziging van dit profiel op goedkeuring.".into(),
            ));
        }
        self.check_content(profile.afnemer.id, &content).await?;
        let diff = profile.current().map(|c| c.content.diff(&content));
        if diff.as_ref().is_some_and(|d| d.is_empty()) {
            return Err(ValidationError::new(
                "velden",
                "Deze versie is gelijk aan de huidige; er is niets te wijzigen.",
            )
            .into());
        }
        let number = profile.versions.last().map_or(1, |v| v.version + 1);
        let version = NewProfileVersion {
            version: number,
            content,
            note: optional_text("toelichting", note, 2000)?,
            proposed_by_user_id: Some(actor.id()),
            proposed_by: actor.user().username.to_string(),
            proposed_at: self.clock.now(),
        };
        let old = profile.current().map(|c| summarise(&c.content));
        let audit = self.event(
            actor,
            AuditAction::ProfileChangeProposed,
            format!("profiel {}", profile.name),
            Some(&format!("versie {number}")),
            old,
            Some(summarise(&version.content)),
        );
        self.store
            .insert_profile_version(profile_id, &version, &audit)
            .await?;
        Ok(number)
    }

    /// Approves or rejects a pending version. The beheerder who proposed it cannot.
    pub async fn decide_profile_version(
        &self,
        actor: &Actor,
        profile_id: i64,
        version: i32,
        approve: bool,
        reason: &str,
    ) -> Result<(), ServiceError> {
        actor.require(&[Role::Beheerder])?;
        let profile = self.profile(actor, profile_id).await?;
        let pending = profile
            .versions
            .iter()
            .find(|v| v.version == version && v.status == VersionStatus::Pending)
            .ok_or_else(|| {
                ServiceError::Conflict("Deze profielversie is al afgehandeld.".into())
            })?;
        if pending.proposed_by_id == Some(actor.id()) {
            return Err(ServiceError::Conflict(
                "Vier ogen: een wijziging die u zelf voorstelde, keurt een andere beheerder goed."
                    .into(),
            ));
        }
        let reason = if approve {
            optional_text("reden", reason, 2000)?
        } else {
            required_text("reden", reason, 2000)?
        };
        let audit = self.event(
            actor,
            if approve {
                AuditAction::ProfileVersionApproved
            } else {
                AuditAction::ProfileVersionRejected
            },
            format!("profiel {}", profile.name),
            Some(&format!("versie {version}")),
            Some(VersionStatus::Pending.label().to_owned()),
            Some(
                if approve {
                    VersionStatus::Approved
                } else {
                    VersionStatus::Rejected
                }
                .label()
                .to_owned(),
            ),
        );
        self.store
            .decide_profile_version(
                profile_id,
                version,
                approve,
                &self.decision(actor, reason),
                &audit,
            )
            .await?;
        Ok(())
    }

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
        let profile = self
            .store
            .profile(profile_id)
            .await?
            .ok_or_else(|| ValidationError::new("profiel", "Kies een bestaand profiel."))?;
        let current = profile.current().ok_or_else(|| {
            ValidationError::new("profiel", "Dit profiel is nog niet goedgekeurd.")
        })?;
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
            current.version,
            profile.afnemer.name,
            format_naive(period.start),
            format_naive(period.end),
        );
        let new = NewRequest {
            requester_id: actor.id(),
            profile_id,
            profile_version: current.version,
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

    fn letter_data(
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

    // ---- grants -------------------------------------------------------------------------

    async fn grant_view(&self, grant: Grant, profile: Option<&Profile>) -> GrantView {
        let now = self.clock.now();
        let effective = profile.and_then(|p| p.effective_for(grant.confirmed_version));
        let current = profile.and_then(|p| p.current()).map(|v| &v.content);
        let awaiting_reconfirmation = match (&effective, current) {
            (Some(e), Some(c)) => e.diff(c).widens(),
            _ => false,
        };
        GrantView {
            state: grant.state(self.today()),
            due_for_review: grant.due_for_review(now),
            effective,
            awaiting_reconfirmation,
            grant,
        }
    }

    async fn grant_views(&self, grants: Vec<Grant>) -> Result<Vec<GrantView>, ServiceError> {
        let profiles = self.store.list_profiles().await?;
        let mut views = Vec::with_capacity(grants.len());
        for g in grants {
            let profile = profiles.iter().find(|p| p.id == g.profile_id);
            views.push(self.grant_view(g, profile).await);
        }
        Ok(views)
    }

    pub async fn my_grants(&self, actor: &Actor) -> Result<Vec<GrantView>, ServiceError> {
        actor.require(STAFF)?;
        let grants = self
            .store
            .list_grants(GrantFilter {
                user_id: Some(actor.id()),
                ..GrantFilter::default()
            })
            .await?;
        self.grant_views(grants).await
    }

    pub async fn list_grants(
        &self,
        actor: &Actor,
        filter: GrantFilter,
    ) -> Result<Vec<GrantView>, ServiceError> {
        actor.require(READERS)?;
        let grants = self.store.list_grants(filter).await?;
        self.grant_views(grants).await
    }

    /// Grants that end within 30 days or were last confirmed over 12 months ago.
    pub async fn review_list(&self, actor: &Actor) -> Result<Vec<GrantView>, ServiceError> {
        Ok(self
            .list_grants(actor, GrantFilter::default())
            .await?
            .into_iter()
            .filter(|g| g.due_for_review)
            .collect())
    }

    async fn existing_grant(&self, id: i64) -> Result<Grant, ServiceError> {
        self.store
            .grant(id)
            .await?
            .ok_or(ServiceError::NotFound("De autorisatie"))
    }

    /// Ends a grant at once: from the holder's next request it gives no rights, also in a
    /// session that is already open.
    pub async fn revoke_grant(
        &self,
        actor: &Actor,
        id: i64,
        reason: &str,
    ) -> Result<(), ServiceError> {
        actor.require(&[Role::Beheerder])?;
        let reason = required_text("reden", reason, 2000)?;
        let grant = self.existing_grant(id).await?;
        let holder = self
            .store
            .user_by_id(grant.user.id)
            .await?
            .ok_or(ServiceError::NotFound("De gebruiker"))?;
        let profile = self
            .store
            .profile(grant.profile_id)
            .await?
            .ok_or(ServiceError::NotFound("Het profiel"))?;
        let decision = self.decision(actor, reason.clone());
        let doelen = self.store.list_doelen().await?;
        let mut data = self.letter_data(
            actor,
            &grant.user,
            &profile,
            grant.confirmed_version,
            &doelen,
        );
        data.subject = "Uw autorisatie is ingetrokken".into();
        data.reference = format!("BRP-AUT-G{id}");
        data.start = format_naive(grant.start_date);
        data.end = format_naive(grant.end_date);
        data.reason = reason.clone();
        let notice = letters::notification(
            LetterKind::RevocationNotice,
            &data,
            grant.user.id,
            holder.user.email.as_ref().map(|e| e.as_str()),
            decision.at,
        )?;
        let audit = self.event(
            actor,
            AuditAction::GrantRevoked,
            format!(
                "autorisatie {} van {} ({})",
                id, grant.user.username, grant.profile_name
            ),
            Some("status"),
            Some(grant.state(self.today()).label().to_owned()),
            Some(format!("{}: {reason}", GrantState::Revoked.label())),
        );
        Ok(self
            .store
            .revoke_grant(id, &decision, &notice, &audit)
            .await?)
    }

    fn require_not_holder(actor: &Actor, grant: &Grant) -> Result<(), ServiceError> {
        if grant.user.id == actor.id() {
            Err(ServiceError::Conflict(
                "Vier ogen: uw eigen autorisatie beoordeelt een andere beheerder.".into(),
            ))
        } else {
            Ok(())
        }
    }

    /// Brings a grant to the profile's current version, so a widening reaches it.
    pub async fn reconfirm_grant(&self, actor: &Actor, id: i64) -> Result<(), ServiceError> {
        actor.require(&[Role::Beheerder])?;
        let grant = self.existing_grant(id).await?;
        Self::require_not_holder(actor, &grant)?;
        if grant.current_version == 0 {
            return Err(ServiceError::Conflict(
                "Het profiel heeft geen goedgekeurde versie.".into(),
            ));
        }
        let audit = self.event(
            actor,
            AuditAction::GrantReconfirmed,
            format!(
                "autorisatie {} van {} ({})",
                id, grant.user.username, grant.profile_name
            ),
            Some("profielversie"),
            Some(grant.confirmed_version.to_string()),
            Some(grant.current_version.to_string()),
        );
        Ok(self
            .store
            .confirm_grant(
                id,
                grant.current_version,
                grant.end_date,
                actor.user().display_name.as_str(),
                audit.occurred_at,
                &audit,
            )
            .await?)
    }

    /// Sets a new end date (at most a year from today) after a herbeoordeling.
    pub async fn extend_grant(
        &self,
        actor: &Actor,
        id: i64,
        new_end: &str,
    ) -> Result<(), ServiceError> {
        actor.require(&[Role::Beheerder])?;
        let grant = self.existing_grant(id).await?;
        Self::require_not_holder(actor, &grant)?;
        let today = self.today();
        let end = NaiveDate::parse_from_str(new_end.trim(), "%Y-%m-%d").map_err(|_| {
            ValidationError::new("einddatum", "Vul een geldige datum in (jjjj-mm-dd).")
        })?;
        if end < today {
            return Err(
                ValidationError::new("einddatum", "De einddatum ligt in het verleden.").into(),
            );
        }
        if end > one_year_after(today) {
            return Err(ValidationError::new(
                "einddatum",
                "Verleng hoogstens tot een jaar na vandaag.",
            )
            .into());
        }
        if end < grant.start_date {
            return Err(ValidationError::new(
                "einddatum",
                "De einddatum ligt vóór de ingangsdatum van de autorisatie.",
            )
            .into());
        }
        // An ended grant stays ended: access again takes a new, signed request.
        if grant.state(today) == GrantState::Expired {
            return Err(ServiceError::Conflict(
                "Een verlopen autorisatie kan niet worden verlengd; de medewerker vraagt een \
                 nieuwe aan."
                    .into(),
            ));
        }
        let audit = self.event(
            actor,
            AuditAction::GrantExtended,
            format!(
                "autorisatie {} van {} ({})",
                id, grant.user.username, grant.profile_name
            ),
            Some("einddatum"),
            Some(format_naive(grant.end_date)),
            Some(format_naive(end)),
        );
        Ok(self
            .store
            .confirm_grant(
                id,
                grant.confirmed_version,
                end,
                actor.user().display_name.as_str(),
                audit.occurred_at,
                &audit,
            )
            .await?)
    }

    /// The profile as it is at `current_version` (its latest approved version). Approved
    /// versions never change and a profile has at most one pending version, numbered above
    /// the current one, so the approved versions up to `current_version` are fixed: the
    /// cache needs no invalidation, and a new approval (a higher current version, read fresh
    /// with the grant) simply misses it. This keeps every lookup from re-reading and
    /// re-parsing every version of the profile.
    async fn cached_profile(
        &self,
        profile_id: i64,
        current_version: i32,
    ) -> Result<std::sync::Arc<Profile>, ServiceError> {
        if let Some(p) = self.caches.profile(profile_id, current_version) {
            return Ok(p);
        }
        let profile = std::sync::Arc::new(
            self.store
                .profile(profile_id)
                .await?
                .ok_or(ServiceError::NotFound("Het profiel"))?,
        );
        if profile.current().map(|v| v.version).unwrap_or(0) == current_version {
            self.caches
                .put_profile(profile_id, current_version, profile.clone());
        }
        Ok(profile)
    }

    /// Doelen by id. A doel is never changed or deleted once made, so a doel once read
    /// stays right; an unknown id reloads the list.
    async fn cached_doelen(
        &self,
        ids: &std::collections::BTreeSet<i64>,
    ) -> Result<Vec<Doel>, ServiceError> {
        let mut found = match self.caches.doelen(ids) {
            Some(found) => found,
            None => {
                let all = self.store.list_doelen().await?;
                self.caches.put_doelen(&all);
                all.into_iter().filter(|d| ids.contains(&d.id)).collect()
            }
        };
        found.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(found)
    }

    /// What one of the actor's grants allows for this request, read fresh from storage:
    /// it must be the actor's, active today, not revoked, with an approved profile version.
    /// Every lookup goes through here, so a revocation or expiry takes effect at once.
    pub async fn effective_grant(
        &self,
        actor: &Actor,
        grant_id: i64,
    ) -> Result<EffectiveGrant, ServiceError> {
        let grant = self.existing_grant(grant_id).await?;
        if grant.user.id != actor.id() {
            return Err(ServiceError::Forbidden);
        }
        if grant.state(self.today()) != GrantState::Active {
            return Err(ServiceError::Forbidden);
        }
        let profile = self
            .cached_profile(grant.profile_id, grant.current_version)
            .await?;
        let content = profile
            .effective_for(grant.confirmed_version)
            .ok_or(ServiceError::Forbidden)?;
        let doelen = self.cached_doelen(&content.doelen).await?;
        Ok(EffectiveGrant {
            grant,
            profile,
            content,
            doelen,
        })
    }

    // ---- letters and outbox -------------------------------------------------------------

    pub async fn my_letters(&self, actor: &Actor) -> Result<Vec<Letter>, ServiceError> {
        actor.require(STAFF)?;
        Ok(self.store.letters_for_user(actor.id()).await?)
    }

    /// A letter, to its recipient, or to the beheerder and toezichthouder.
    pub async fn letter(&self, actor: &Actor, id: i64) -> Result<Letter, ServiceError> {
        actor.require(STAFF)?;
        let letter = self
            .store
            .letter(id)
            .await?
            .ok_or(ServiceError::NotFound("Het bericht"))?;
        if letter.user_id == actor.id() || READERS.contains(&actor.role()) {
            Ok(letter)
        } else {
            Err(ServiceError::NotFound("Het bericht"))
        }
    }

    pub async fn letters_of_user(
        &self,
        actor: &Actor,
        user_id: i64,
    ) -> Result<Vec<Letter>, ServiceError> {
        actor.require(READERS)?;
        Ok(self.store.letters_for_user(user_id).await?)
    }

    pub async fn outbox(&self, actor: &Actor) -> Result<Vec<OutboxMessage>, ServiceError> {
        actor.require(READERS)?;
        // A set-password link in a message is for its addressee only (four_eyes.rs).
        Ok(self
            .store
            .list_outbox(200)
            .await?
            .into_iter()
            .map(|mut m| {
                m.body_text = crate::four_eyes::redact_tokens(&m.body_text);
                m
            })
            .collect())
    }

    // ---- public ---------------------------------------------------------------------------

    /// Bijlagen 1 and 1a of the reglement, from the live configuration. Public: the
    /// reglement is a published document. Only approved profile versions appear.
    pub async fn reglement(&self) -> Result<Reglement, ServiceError> {
        let afnemers = self.store.list_afnemers().await?;
        let profiles = self.store.list_profiles().await?;
        let doelen = self.store.list_doelen().await?;
        let grondslagen = self.store.list_grondslagen().await?;
        let doel_text = |id: &i64| {
            doelen.iter().find(|d| d.id == *id).map(|d| {
                match grondslagen.iter().find(|g| g.id == d.grondslag_id) {
                    Some(g) => format!("{} ({})", d.name, g.title()),
                    None => d.name.clone(),
                }
            })
        };
        Ok(Reglement {
            generated_at: self.clock.now(),
            municipality: self.config.municipality.clone(),
            afnemers: afnemers
                .into_iter()
                .map(|a| ReglementAfnemer {
                    profiles: profiles
                        .iter()
                        .filter(|p| p.afnemer.id == a.id)
                        .filter_map(|p| {
                            p.current().map(|v| ReglementProfile {
                                name: p.name.clone(),
                                version: v.version,
                                description: p.description.clone(),
                                doelen: v.content.doelen.iter().filter_map(doel_text).collect(),
                                content: v.content.clone(),
                            })
                        })
                        .collect(),
                    name: a.name.as_str().to_owned(),
                    wettelijk_kader: a.wettelijk_kader,
                })
                .collect(),
        })
    }
}

/// A short description of a profile version for the audit trail.
fn summarise(c: &ProfileContent) -> String {
    format!(
        "{} gegevens: {}; zoekvormen: {}; doelen: {}; alleen eigen inwoners: {}",
        c.fields.len(),
        c.fields.iter().cloned().collect::<Vec<_>>().join(", "),
        c.search_types
            .iter()
            .map(|t| t.code())
            .collect::<Vec<_>>()
            .join(", "),
        c.doelen
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        if c.own_residents_only { "ja" } else { "nee" }
    )
}
