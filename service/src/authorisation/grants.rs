//! Grants (autorisaties): views, herbeoordeling, revocation, re-confirmation, extension,
//! and the fresh check every lookup goes through. Split from `authorisation.rs` by job.

use super::{EffectiveGrant, READERS, STAFF};
use crate::accounts::Actor;
use crate::error::ServiceError;
use crate::letters;
use crate::portal::Portal;
use crate::store::GrantFilter;
use brp_domain::authorisation::SearchType;
use brp_domain::authorisation::{
    one_year_after, required_text, Doel, Grant, GrantState, GrantView, Profile,
};
use brp_domain::messages::LetterKind;
use brp_domain::time::format_day as format_naive;
use brp_domain::{AfnemerKind, AuditAction, Role, ValidationError};
use chrono::NaiveDate;

impl Portal {
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

    /// A profile with an approved version, and that version's number: what a grant or a
    /// request for one is given on.
    pub(crate) async fn approved_profile(&self, id: i64) -> Result<(Profile, i32), ServiceError> {
        let profile = self
            .store
            .profile(id)
            .await?
            .ok_or_else(|| ValidationError::new("profiel", "Kies een bestaand profiel."))?;
        let version = profile
            .current()
            .ok_or_else(|| ValidationError::new("profiel", "Dit profiel is nog niet goedgekeurd."))?
            .version;
        Ok((profile, version))
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
        self.effective_from(actor, grant).await
    }

    /// [`Portal::effective_grant`] for a grant just read from storage (the API lists an
    /// application's grants and uses them as read, saving a second read per request).
    pub(crate) async fn effective_from(
        &self,
        actor: &Actor,
        grant: Grant,
    ) -> Result<EffectiveGrant, ServiceError> {
        if grant.user.id != actor.id() {
            return Err(ServiceError::Forbidden);
        }
        if grant.state(self.today()) != GrantState::Active {
            return Err(ServiceError::Forbidden);
        }
        let profile = self
            .cached_profile(grant.profile_id, grant.current_version)
            .await?;
        let mut content = profile
            .effective_for(grant.confirmed_version)
            .ok_or(ServiceError::Forbidden)?;
        let afnemer = self.store.afnemer_by_id(profile.afnemer.id).await?;
        // An afnemer that cannot be found counts as a derde: the checks fail closed.
        let afnemer_kind = afnemer.as_ref().map_or(AfnemerKind::Derde, |a| a.kind);
        let hidden_from_citizen = afnemer
            .as_ref()
            .is_some_and(|a| a.hidden_from_citizen_ground.is_some());
        if afnemer_kind == AfnemerKind::VrijeDerde {
            // An afnemer recorded as vrije derde after its profile was approved still gets
            // no more than the permitted set, and never the BSN (seed 004 art. 5).
            content
                .fields
                .retain(|f| brp_domain::vrije_derde::permitted(f));
            content
                .search_types
                .remove(&SearchType::RaadpleegMetBurgerservicenummer);
        }
        let doelen = self.cached_doelen(&content.doelen).await?;
        Ok(EffectiveGrant {
            grant,
            profile,
            content,
            doelen,
            afnemer_kind,
            hidden_from_citizen,
        })
    }
}
