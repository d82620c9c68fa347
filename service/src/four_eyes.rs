//! Four eyes on what would let one beheerder defeat every other four-eyes rule: privileged
//! accounts (beheerder, toezichthouder), roles, and an afnemer's kind and art. 46 flag.
//!
//! The rules, each enforced here:
//! - creating or reactivating a beheerder or toezichthouder, changing anyone's role,
//!   resetting a beheerder's or toezichthouder's password and deactivating the
//!   toezichthouder are proposals; a second beheerder approves, never the proposer and never
//!   the account's subject (see also [`Portal::create_user`] and friends, which refuse them);
//! - the password of such an account is never known to a beheerder: on approval its owner
//!   gets a one-time link (random, only its SHA-256 kept, valid [`TOKEN_HOURS`] hours, single
//!   use) by e-mail; until then the account cannot log in. The beheerder's outbox view hides
//!   the link ([`redact_tokens`]);
//! - the toezichthouder hears of every proposal and decision about their own account, by
//!   e-mail and in the portal ([`Portal::my_account_changes`]);
//! - an afnemer's kind and art. 46 flag change only with four eyes; only a derde can hold
//!   the flag, on a ground from the list of art. 46 Besluit BRP.
//!
//! Every step is in the audit trail, written in the same transaction as the step itself.

mod prepare;

pub(crate) use prepare::Prepared;

use crate::accounts::Actor;
use crate::error::ServiceError;
use crate::portal::Portal;
use crate::store::{
    DecisionRecord, NewAuditEvent, NewOutboxMessage, NewPasswordToken, NewProposal, ProposalEffect,
};
use brp_domain::authorisation::{optional_text, required_text};
use brp_domain::four_eyes::{ChangeProposal, ProposalStatus, ProposedChange};
use brp_domain::time::format_datetime;
use brp_domain::{AuditAction, NewPassword, Role, User, Username, ValidationError};
use rand::Rng;
use sha2::{Digest, Sha256};

/// How long a set-password link works.
pub const TOKEN_HOURS: i64 = 72;
/// The path of the set-password page; the token follows it.
pub const SET_PASSWORD_PATH: &str = "/wachtwoord-instellen/";

/// Replaces every set-password token in a text (an e-mail as the outbox shows it) so that a
/// beheerder reading the outbox cannot use another person's link.
pub fn redact_tokens(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(SET_PASSWORD_PATH) {
        let (before, after) = rest.split_at(at + SET_PASSWORD_PATH.len());
        out.push_str(before);
        let end = after
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(after.len());
        if end > 0 {
            out.push_str("[verborgen]");
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn new_token() -> String {
    let bytes: [u8; 32] = rand::thread_rng().gen();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn user_subject(username: &Username) -> String {
    format!("gebruiker {username}")
}

impl Portal {
    fn four_eyes_event(
        &self,
        actor: &Actor,
        action: AuditAction,
        subject: &str,
        field: Option<&str>,
        old_value: Option<String>,
        new_value: Option<String>,
    ) -> NewAuditEvent {
        NewAuditEvent {
            occurred_at: self.clock.now(),
            actor_user_id: Some(actor.id()),
            actor: actor.user().username.to_string(),
            action,
            subject: subject.to_owned(),
            field: field.map(str::to_owned),
            old_value,
            new_value,
        }
    }

    async fn subject_user(&self, id: i64) -> Result<User, ServiceError> {
        Ok(self
            .store
            .user_by_id(id)
            .await?
            .ok_or(ServiceError::NotFound("De gebruiker"))?
            .user)
    }

    fn four_eyes_mail(
        &self,
        to: &(String, String),
        subject: &str,
        body: String,
    ) -> NewOutboxMessage {
        NewOutboxMessage {
            to_address: to.0.clone(),
            to_name: to.1.clone(),
            subject: subject.to_owned(),
            body_text: body,
            created_at: self.clock.now(),
        }
    }

    /// Proposes a change that a second beheerder must approve. Returns the proposal's id.
    pub async fn propose_change(
        &self,
        actor: &Actor,
        change: ProposedChange,
    ) -> Result<i64, ServiceError> {
        actor.require(&[Role::Beheerder])?;
        let prepared = self.prepare(&change).await?;
        let audit = self.four_eyes_event(
            actor,
            AuditAction::ChangeProposed,
            &prepared.subject,
            Some(change.label()),
            None,
            Some(prepared.summary.clone()),
        );
        let mails: Vec<_> = prepared
            .fg
            .iter()
            .map(|fg| {
                self.four_eyes_mail(
                    fg,
                    "Voorstel over uw account in het BRP-portaal",
                    format!(
                        "Beste {},\n\nBeheerder {} stelde op {} een wijziging van uw account \
                         voor: {}.\n\nDe wijziging gaat pas in als een tweede beheerder haar \
                         goedkeurt; u krijgt dan weer bericht. U ziet de voorstellen over uw \
                         account ook in het portaal, op de pagina Toezicht.\n",
                        fg.1,
                        actor.user().display_name,
                        format_datetime(self.clock.now()),
                        prepared.summary
                    ),
                )
            })
            .collect();
        let id = self
            .store
            .insert_proposal(
                &NewProposal {
                    change,
                    subject: prepared.subject.clone(),
                    subject_user_id: prepared.subject_user_id,
                    summary: prepared.summary.clone(),
                    proposed_by_id: Some(actor.id()),
                    proposed_by: actor.user().display_name.to_string(),
                    proposed_at: audit.occurred_at,
                },
                &audit,
                &mails,
            )
            .await?;
        tracing::info!(id, user = %actor.user().username, "four-eyes change proposed");
        Ok(id)
    }

    /// Proposes a new beheerder or toezichthouder account. The e-mail address is required:
    /// the owner gets the link to set their password there.
    pub async fn propose_new_account(
        &self,
        actor: &Actor,
        username: Username,
        display_name: brp_domain::DisplayName,
        email: Option<brp_domain::EmailAddress>,
        role: Role,
        afnemer_id: Option<i64>,
    ) -> Result<i64, ServiceError> {
        actor.require(&[Role::Beheerder])?;
        let email = email.ok_or_else(|| {
            ValidationError::new(
                "email",
                "Een beheerder of toezichthouder heeft een e-mailadres nodig: daar komt de \
                 link om het wachtwoord zelf in te stellen.",
            )
        })?;
        self.propose_change(
            actor,
            ProposedChange::CreateAccount {
                username,
                display_name,
                email,
                role,
                afnemer_id,
            },
        )
        .await
    }

    /// Approves or rejects a pending proposal. Neither its proposer nor the account it is
    /// about may decide; a rejection needs a reason.
    pub async fn decide_change(
        &self,
        actor: &Actor,
        id: i64,
        approve: bool,
        reason: &str,
    ) -> Result<(), ServiceError> {
        actor.require(&[Role::Beheerder])?;
        let proposal = self
            .store
            .proposal(id)
            .await?
            .ok_or(ServiceError::NotFound("Het voorstel"))?;
        if proposal.status != ProposalStatus::Pending {
            return Err(ServiceError::Conflict(
                "Dit voorstel is al afgehandeld.".into(),
            ));
        }
        if proposal.proposed_by_id == Some(actor.id()) {
            return Err(ServiceError::Conflict(
                "Vier ogen: een voorstel dat u zelf deed, keurt een andere beheerder goed.".into(),
            ));
        }
        if proposal.subject_user_id == Some(actor.id())
            || proposal.change.subject_user_id() == Some(actor.id())
        {
            return Err(ServiceError::Conflict(
                "Over een voorstel voor uw eigen account beslist een andere beheerder.".into(),
            ));
        }
        let reason = if approve {
            optional_text("reden", reason, 2000)?
        } else {
            required_text("reden", reason, 2000)?
        };
        // Checked again: the account or afnemer may have changed since the proposal. A
        // proposal that no longer fits can still be rejected.
        let mut prepared = match self.prepare(&proposal.change).await {
            Ok(p) => Some(p),
            Err(e) if approve => return Err(e),
            Err(_) => None,
        };
        if let Some(Prepared {
            effect: ProposalEffect::InsertGrant(grant),
            ..
        }) = prepared.as_mut()
        {
            // The autorisatiebesluit is confirmed by the second beheerder, who approves it.
            grant.confirmed_by = actor.user().display_name.to_string();
        }
        let subject = prepared
            .as_ref()
            .map_or(proposal.subject.clone(), |p| p.subject.clone());
        let fg = match &prepared {
            Some(p) => p.fg.clone(),
            None => match proposal.subject_user_id {
                Some(id) => self
                    .store
                    .user_by_id(id)
                    .await?
                    .and_then(|r| Self::fg_of(&r.user, None)),
                None => None,
            },
        };
        let now = self.clock.now();
        let mut audit = vec![self.four_eyes_event(
            actor,
            if approve {
                AuditAction::ChangeApproved
            } else {
                AuditAction::ChangeRejected
            },
            &subject,
            Some(&format!("voorstel {id}")),
            Some(ProposalStatus::Pending.label().to_owned()),
            Some(if approve {
                ProposalStatus::Approved.label().to_owned()
            } else {
                format!("{}: {reason}", ProposalStatus::Rejected.label())
            }),
        )];
        let mut mails = Vec::new();
        let mut token = None;
        if let (true, Some(prepared)) = (approve, &prepared) {
            let (action, field, old, new) = prepared.audit.clone();
            audit.push(self.four_eyes_event(actor, action, &subject, Some(field), old, new));
            if let Some(owner) = &prepared.link_to {
                let secret = new_token();
                let expires_at = now + chrono::Duration::hours(TOKEN_HOURS);
                token = Some(NewPasswordToken {
                    token_hash: token_hash(&secret),
                    created_at: now,
                    expires_at,
                });
                mails.push(self.four_eyes_mail(
                    owner,
                    "Stel uw wachtwoord in voor het BRP-portaal",
                    self.link_mail(&owner.1, &secret, expires_at),
                ));
            }
        }
        if let Some(fg) = &fg {
            mails.push(self.four_eyes_mail(
                fg,
                "Besluit over een voorstel voor uw account in het BRP-portaal",
                format!(
                    "Beste {},\n\nBeheerder {} heeft op {} het voorstel \"{}\" over uw account \
                     {}.{}\n\nU ziet dit ook in het portaal, op de pagina Toezicht.\n",
                    fg.1,
                    actor.user().display_name,
                    format_datetime(now),
                    proposal.summary,
                    if approve { "goedgekeurd" } else { "afgewezen" },
                    if reason.is_empty() {
                        String::new()
                    } else {
                        format!(" Reden: {reason}")
                    }
                ),
            ));
        }
        self.store
            .decide_proposal(
                id,
                approve,
                &DecisionRecord {
                    by_user_id: Some(actor.id()),
                    by: actor.user().display_name.to_string(),
                    at: now,
                    reason,
                },
                prepared.as_ref().map(|p| &p.effect),
                token.as_ref(),
                &audit,
                &mails,
            )
            .await?;
        tracing::info!(id, approve, user = %actor.user().username, "four-eyes change decided");
        Ok(())
    }

    fn link_mail(
        &self,
        name: &str,
        secret: &str,
        expires_at: chrono::DateTime<chrono::Utc>,
    ) -> String {
        let link = match &self.config.citizens.portal_url {
            Some(base) => format!("{}{SET_PASSWORD_PATH}{secret}", base.trim_end_matches('/')),
            None => format!("(adres van het BRP-portaal){SET_PASSWORD_PATH}{secret}"),
        };
        format!(
            "Beste {name},\n\nU stelt uw wachtwoord voor het BRP-portaal zelf in; geen beheerder \
             kent het. Open deze link:\n\n{link}\n\nDe link werkt één keer en verloopt op {}. \
             Tot u een wachtwoord heeft ingesteld, kunt u niet inloggen. Heeft u dit niet \
             verwacht? Meld het dan bij de functionaris gegevensbescherming.\n",
            format_datetime(expires_at)
        )
    }

    /// Pending and decided proposals, newest first; for beheerders and the toezichthouder.
    pub async fn list_change_proposals(
        &self,
        actor: &Actor,
        pending_only: bool,
    ) -> Result<Vec<ChangeProposal>, ServiceError> {
        actor.require(&[Role::Beheerder, Role::Toezichthouder])?;
        Ok(self.store.list_proposals(None, pending_only, 200).await?)
    }

    /// The proposals and decisions about the actor's own account, newest first: the
    /// toezichthouder sees every change to their account.
    pub async fn my_account_changes(
        &self,
        actor: &Actor,
    ) -> Result<Vec<ChangeProposal>, ServiceError> {
        actor.require(&[Role::Beheerder, Role::Toezichthouder, Role::Medewerker])?;
        Ok(self
            .store
            .list_proposals(Some(actor.id()), false, 200)
            .await?)
    }

    /// Sets a password with a one-time link. No login: the link is the proof. Every failure
    /// gives the same message.
    pub async fn set_password_with_token(
        &self,
        token: &str,
        password: NewPassword,
    ) -> Result<Username, ServiceError> {
        let invalid = || {
            ServiceError::Conflict(
                "Deze link is ongeldig, al gebruikt of verlopen. Vraag een beheerder om een \
                 nieuwe."
                    .into(),
            )
        };
        let token = token.trim();
        if token.is_empty() || token.len() > 128 || !token.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(invalid());
        }
        let now = self.clock.now();
        let Some(record) = self.store.password_token(&token_hash(token)).await? else {
            return Err(invalid());
        };
        if record.used_at.is_some() || record.expires_at <= now {
            return Err(invalid());
        }
        let user = self.subject_user(record.user_id).await?;
        let hash = self.hash_password(password.expose().to_owned()).await?;
        let audit = NewAuditEvent {
            occurred_at: now,
            actor_user_id: Some(user.id),
            actor: user.username.to_string(),
            action: AuditAction::PasswordSetByOwner,
            subject: user_subject(&user.username),
            field: Some("wachtwoord".into()),
            old_value: None,
            new_value: Some("(ingesteld door de eigenaar, verborgen)".into()),
        };
        self.store
            .use_password_token(record.id, user.id, &hash, now, &audit)
            .await
            .map_err(|e| match e {
                crate::store::StoreError::Conflict(_) => invalid(),
                other => other.into(),
            })?;
        Ok(user.username)
    }
}
