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
use crate::portal::Portal;
use crate::store::{
    DecisionRecord, NewAfnemer, NewAuditEvent, NewDoel, NewGrondslag, NewProfileVersion,
};
use brp_domain::art46::Art46Ground;
use brp_domain::authorisation::{
    optional_text, required_text, Doel, Grant, Grondslag, Profile, ProfileContent, VersionStatus,
};
use brp_domain::catalogue::{Catalogue, EntryKind};
use brp_domain::messages::{Letter, OutboxMessage};
use brp_domain::vrije_derde::VrijeDerdeBasisInput;
use brp_domain::{Afnemer, AfnemerKind, AfnemerName, AuditAction, Role, ValidationError};
use chrono::NaiveDate;

mod grants;
mod reglement;
mod requests;
mod vrije_derden;

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
    /// The kind of the profile's afnemer, read with the grant: what a derde or vrije derde
    /// may receive is checked when data leave, not only when the profile was approved.
    pub afnemer_kind: AfnemerKind,
    /// Besluit BRP art. 46 as the afnemer is flagged now; recorded with each verstrekking so
    /// a later change of the flag never rewrites what the citizen is shown.
    pub hidden_from_citizen: bool,
}

impl Portal {
    pub(crate) fn today(&self) -> NaiveDate {
        // The municipality works in Dutch local time: a grant ending "on 31 December" ends
        // at midnight in the Netherlands, not in UTC.
        brp_domain::time::dutch_local(self.clock.now()).date_naive()
    }

    pub(super) fn event(
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

    pub(super) fn decision(&self, actor: &Actor, reason: String) -> DecisionRecord {
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
        self.propose_profile_with(actor, input, &VrijeDerdeBasisInput::default())
            .await
    }

    /// Like [`Portal::propose_profile`], with the consent or weighing a vrije derde's
    /// profile must record (ignored for any other afnemer).
    pub async fn propose_profile_with(
        &self,
        actor: &Actor,
        input: ProfileInput,
        basis: &VrijeDerdeBasisInput,
    ) -> Result<i64, ServiceError> {
        actor.require(&[Role::Beheerder])?;
        let name = required_text("naam", &input.name, 200)?;
        let description = optional_text("omschrijving", &input.description, 2000)?;
        let note = optional_text("toelichting", &input.note, 2000)?;
        if self.store.afnemer_by_id(input.afnemer_id).await?.is_none() {
            return Err(ValidationError::new("afnemer", "Kies een bestaande afnemer.").into());
        }
        self.check_content(input.afnemer_id, &input.content).await?;
        let vrije_derde_basis = self
            .vrije_derde_basis_for(input.afnemer_id, &input.content, basis)
            .await?;
        let version = NewProfileVersion {
            version: 1,
            content: input.content,
            note,
            proposed_by_user_id: Some(actor.id()),
            proposed_by: actor.user().username.to_string(),
            proposed_at: self.clock.now(),
            vrije_derde_basis,
        };
        let audit = self.event(
            actor,
            AuditAction::ProfileProposed,
            format!("profiel {name}"),
            Some("versie 1"),
            None,
            Some(summarise_version(&version)),
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
        self.propose_profile_change_with(
            actor,
            profile_id,
            content,
            note,
            &VrijeDerdeBasisInput::default(),
        )
        .await
    }

    /// Like [`Portal::propose_profile_change`], with the consent or weighing a vrije
    /// derde's version must record: every version is a decision of its own.
    pub async fn propose_profile_change_with(
        &self,
        actor: &Actor,
        profile_id: i64,
        content: ProfileContent,
        note: &str,
        basis: &VrijeDerdeBasisInput,
    ) -> Result<i32, ServiceError> {
        actor.require(&[Role::Beheerder])?;
        let profile = self.profile(actor, profile_id).await?;
        if profile.pending().is_some() {
            return Err(ServiceError::Conflict(
                "Er wacht al een wijziging van dit profiel op goedkeuring.".into(),
            ));
        }
        self.check_content(profile.afnemer.id, &content).await?;
        let vrije_derde_basis = self
            .vrije_derde_basis_for(profile.afnemer.id, &content, basis)
            .await?;
        let diff = profile.current().map(|c| c.content.diff(&content));
        let same_basis = profile
            .current()
            .is_some_and(|c| c.vrije_derde_basis == vrije_derde_basis);
        if diff.as_ref().is_some_and(|d| d.is_empty()) && same_basis {
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
            vrije_derde_basis,
        };
        let old = profile.current().map(|c| {
            let mut s = summarise(&c.content);
            if let Some(b) = &c.vrije_derde_basis {
                s.push_str(&format!("; grond vrije derde: {}", b.summary()));
            }
            s
        });
        let audit = self.event(
            actor,
            AuditAction::ProfileChangeProposed,
            format!("profiel {}", profile.name),
            Some(&format!("versie {number}")),
            old,
            Some(summarise_version(&version)),
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
        if approve {
            self.check_vrije_derde_approval(
                profile.afnemer.id,
                &pending.content,
                pending.vrije_derde_basis.as_ref(),
            )
            .await?;
        }
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
}

/// A short description of a new profile version for the audit trail, with the vrije-derde
/// basis when it has one.
fn summarise_version(v: &NewProfileVersion) -> String {
    let mut s = summarise(&v.content);
    if let Some(b) = &v.vrije_derde_basis {
        s.push_str(&format!("; grond vrije derde: {}", b.summary()));
    }
    s
}

/// A short description of a profile version for the audit trail.
fn summarise(c: &ProfileContent) -> String {
    format!(
        "{} gegevens: {}; zoekvormen: {}; doelen: {}; alleen eigen inwoners: {}; zaak \
         verplicht: {}",
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
        if c.own_residents_only { "ja" } else { "nee" },
        if c.zaak_required { "ja" } else { "nee" }
    )
}
