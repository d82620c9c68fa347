//! Staff accounts: logging in, sessions, and the beheerder's user management.

use crate::error::ServiceError;
use crate::portal::Portal;
use crate::store::{AuditFilter, LoginAttempt, NewAuditEvent, NewUserRecord, UserRecord};
use brp_domain::four_eyes::is_privileged;
use brp_domain::{
    Afnemer, AuditAction, AuditEvent, DisplayName, EmailAddress, NewPassword, Role, User, Username,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What a staff session holds: who logged in, and when. The user's role and status are not
/// kept in the session but read again on every request, so a deactivation or a role change
/// takes effect at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionClaims {
    pub user_id: i64,
    pub authenticated_at: DateTime<Utc>,
}

/// An authenticated staff member, as checked by the service layer for this request.
///
/// It can only be made inside this crate (by a login or by resolving a session), so holding
/// one proves the check was done. Every service method that acts for someone takes one.
#[derive(Debug, Clone)]
pub struct Actor {
    user: User,
}

impl Actor {
    /// An actor for an account the service has just authenticated (a task application).
    pub(crate) fn from_user(user: User) -> Self {
        Self { user }
    }

    pub fn user(&self) -> &User {
        &self.user
    }

    pub fn id(&self) -> i64 {
        self.user.id
    }

    pub fn role(&self) -> Role {
        self.user.role
    }

    /// The one place where a role is checked.
    pub(crate) fn require(&self, allowed: &[Role]) -> Result<(), ServiceError> {
        if allowed.contains(&self.user.role) {
            Ok(())
        } else {
            tracing::warn!(
                user = %self.user.username,
                role = %self.user.role,
                ?allowed,
                "refused: role not allowed"
            );
            Err(ServiceError::Forbidden)
        }
    }
}

#[derive(Debug, Clone)]
pub struct LoginOutcome {
    pub actor: Actor,
    pub claims: SessionClaims,
    /// The login before this one, shown to the user so they notice logins that were not
    /// theirs.
    pub previous_login_at: Option<DateTime<Utc>>,
}

/// A new account as the beheerder entered it, already parsed.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: Username,
    pub display_name: DisplayName,
    pub email: Option<EmailAddress>,
    pub role: Role,
    pub afnemer_id: Option<i64>,
    pub password: NewPassword,
}

/// How many beheerders the command line may make: the first two, so that four eyes can
/// start. Every further one is a proposal in the portal.
pub const BOOTSTRAP_BEHEERDERS: i64 = 2;

fn four_eyes_needed(what: &str) -> ServiceError {
    ServiceError::Conflict(format!(
        "{what} vraagt vier ogen: stel het voor op de pagina van de gebruiker; een tweede \
         beheerder keurt het goed (Beheer › Voorstellen)."
    ))
}

/// Who made a change, for the audit trail.
enum Author<'a> {
    User(&'a Actor),
    /// The command line on the server itself, or the demo set-up.
    System(&'static str),
}

impl Portal {
    fn audit(
        &self,
        author: &Author<'_>,
        action: AuditAction,
        subject: String,
        change: Option<(&str, Option<String>, Option<String>)>,
    ) -> NewAuditEvent {
        let (actor_user_id, actor) = match author {
            Author::User(a) => (Some(a.id()), a.user.username.to_string()),
            Author::System(name) => (None, (*name).to_owned()),
        };
        let (field, old_value, new_value) = match change {
            Some((field, old, new)) => (Some(field.to_owned()), old, new),
            None => (None, None, None),
        };
        NewAuditEvent {
            occurred_at: self.clock.now(),
            actor_user_id,
            actor,
            action,
            subject,
            field,
            old_value,
            new_value,
        }
    }

    /// Checks a user name and password. Every failure looks the same to the caller; the
    /// attempt is recorded for throttling and for misuse detection.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        client_addr: &str,
    ) -> Result<LoginOutcome, ServiceError> {
        // No account name holds a control character, and PostgreSQL cannot even store a
        // NUL in the attempts log: refused before anything is looked up or recorded.
        brp_domain::text::check_text("gebruikersnaam", username)?;
        let now = self.clock.now();
        // The throttle key is what was typed (normalised), so that names that do not exist
        // are throttled exactly like names that do.
        let key: String = username.trim().to_lowercase().chars().take(64).collect();
        let throttle = self.config.login_throttle;
        let (by_user, by_addr) = self
            .store
            .count_login_failures(&key, client_addr, throttle.window_start(now))
            .await?;
        if !throttle.allows(by_user, by_addr) {
            tracing::warn!(username = %key, client_addr, by_user, by_addr, "login throttled");
            return Err(ServiceError::Throttled);
        }

        // A task application never logs in to the pages: it is treated as an unknown name.
        let record = match Username::parse(&key) {
            Ok(name) => self
                .store
                .user_by_username(&name)
                .await?
                .filter(|r| r.user.role != Role::Applicatie),
            Err(_) => None,
        };
        let hash = record
            .as_ref()
            .map_or_else(|| self.dummy_hash.to_string(), |r| r.password_hash.clone());
        let password_ok = self.verify_password(password.to_owned(), hash).await?;

        let succeeded = password_ok && record.as_ref().is_some_and(|r| r.user.active);
        self.store
            .record_login_attempt(&LoginAttempt {
                attempted_at: now,
                username: key.clone(),
                client_addr: client_addr.to_owned(),
                succeeded,
            })
            .await?;

        match record {
            Some(r) if succeeded => {
                tracing::info!(user = %r.user.username, client_addr, "login");
                let previous_login_at = r.user.last_login_at;
                Ok(LoginOutcome {
                    claims: SessionClaims {
                        user_id: r.user.id,
                        authenticated_at: now,
                    },
                    actor: Actor { user: r.user },
                    previous_login_at,
                })
            }
            _ => {
                tracing::info!(username = %key, client_addr, "login failed");
                Err(ServiceError::InvalidCredentials)
            }
        }
    }

    /// Turns the claims of a session into an actor, or refuses: the account must still
    /// exist and be active, and the session must be within its absolute lifetime and not
    /// be older than the last password reset or deactivation.
    pub async fn resolve_session(&self, claims: &SessionClaims) -> Result<Actor, ServiceError> {
        let Some(record) = self.store.user_by_id(claims.user_id).await? else {
            return Err(ServiceError::SessionExpired);
        };
        let valid = record.user.active
            && record.user.role != Role::Applicatie
            && self.config.sessions.is_valid(
                claims.authenticated_at,
                record.sessions_valid_after,
                self.clock.now(),
            );
        if valid {
            Ok(Actor { user: record.user })
        } else {
            Err(ServiceError::SessionExpired)
        }
    }

    pub async fn list_users(&self, actor: &Actor) -> Result<Vec<User>, ServiceError> {
        actor.require(&[Role::Beheerder])?;
        Ok(self
            .store
            .list_users()
            .await?
            .into_iter()
            .map(|r| r.user)
            .filter(|u| u.role != Role::Applicatie)
            .collect())
    }

    pub async fn user(&self, actor: &Actor, id: i64) -> Result<User, ServiceError> {
        actor.require(&[Role::Beheerder])?;
        Ok(self.existing_user(id).await?.user)
    }

    async fn existing_user(&self, id: i64) -> Result<UserRecord, ServiceError> {
        // A task application is no person's account: it is activated, deactivated and
        // given a secret on its own page, with its own rules (see crate::applications).
        self.store
            .user_by_id(id)
            .await?
            .filter(|r| r.user.role != Role::Applicatie)
            .ok_or(ServiceError::NotFound("De gebruiker"))
    }

    /// The afnemers (organisatieonderdelen); the register is no secret to staff, and the
    /// reglement publishes it anyway.
    pub async fn list_afnemers(&self, actor: &Actor) -> Result<Vec<Afnemer>, ServiceError> {
        actor.require(&[Role::Beheerder, Role::Toezichthouder, Role::Medewerker])?;
        Ok(self.store.list_afnemers().await?)
    }

    /// Creates a medewerker account with a first password the beheerder hands over. A
    /// beheerder or toezichthouder account is a proposal instead
    /// ([`Portal::propose_change`]): one beheerder alone must not be able to make a second
    /// beheerder and approve their own work with it.
    pub async fn create_user(&self, actor: &Actor, new: NewUser) -> Result<User, ServiceError> {
        actor.require(&[Role::Beheerder])?;
        if is_privileged(new.role) {
            return Err(four_eyes_needed(
                "Een account van een beheerder of toezichthouder",
            ));
        }
        self.insert_user(&Author::User(actor), new).await
    }

    /// Creates a beheerder from the server's command line, for a new installation. Only the
    /// first two beheerders come about this way: once two are active, every further one
    /// takes a proposal and a second beheerder's approval in the portal. There is no default
    /// password anywhere outside demo mode.
    pub async fn create_beheerder_from_cli(
        &self,
        username: Username,
        display_name: DisplayName,
        email: Option<EmailAddress>,
        password: NewPassword,
    ) -> Result<User, ServiceError> {
        let active = self
            .store
            .count_active_users_with_role(Role::Beheerder)
            .await?;
        if active >= BOOTSTRAP_BEHEERDERS {
            return Err(ServiceError::Conflict(format!(
                "Er zijn al {active} actieve beheerders. Een nieuwe beheerder stelt een \
                 beheerder voor in het portaal (Beheer › Gebruikers) en een tweede beheerder \
                 keurt dat goed; de nieuwe beheerder stelt het wachtwoord zelf in via een \
                 link per e-mail."
            )));
        }
        let new = NewUser {
            username,
            display_name,
            email,
            role: Role::Beheerder,
            afnemer_id: None,
            password,
        };
        self.insert_user(&Author::System("cli"), new).await
    }

    pub(crate) async fn insert_user_as_system(
        &self,
        system: &'static str,
        new: NewUser,
    ) -> Result<User, ServiceError> {
        self.insert_user(&Author::System(system), new).await
    }

    async fn insert_user(&self, author: &Author<'_>, new: NewUser) -> Result<User, ServiceError> {
        let afnemer_name = match new.afnemer_id {
            Some(id) => Some(
                self.store
                    .afnemer_by_id(id)
                    .await?
                    .map(|a| String::from(a.name))
                    .ok_or_else(|| {
                        brp_domain::ValidationError::new(
                            "afnemer",
                            "Kies een bestaand organisatieonderdeel.",
                        )
                    })?,
            ),
            None => None,
        };
        if new.role.requires_afnemer() && new.afnemer_id.is_none() {
            return Err(brp_domain::ValidationError::new(
                "afnemer",
                "Een medewerker hoort bij een organisatieonderdeel: kies er een.",
            )
            .into());
        }
        let password_hash = self.hash_password(new.password.expose().to_owned()).await?;
        let subject = format!("gebruiker {}", new.username);
        let summary = format!(
            "{} ({}){}",
            new.display_name,
            new.role.label(),
            afnemer_name.map(|n| format!(", {n}")).unwrap_or_default()
        );
        let audit = self.audit(
            author,
            AuditAction::UserCreated,
            subject,
            Some(("account", None, Some(summary))),
        );
        let id = self
            .store
            .insert_user(
                &NewUserRecord {
                    username: new.username,
                    display_name: new.display_name,
                    email: new.email,
                    role: new.role,
                    afnemer_id: new.afnemer_id,
                    password_hash,
                    created_at: audit.occurred_at,
                },
                std::slice::from_ref(&audit),
            )
            .await?;
        Ok(self.existing_user(id).await?.user)
    }

    /// Deactivates or re-activates an account. A deactivated account cannot log in and its
    /// open sessions end at their next request.
    pub async fn set_user_active(
        &self,
        actor: &Actor,
        id: i64,
        active: bool,
    ) -> Result<User, ServiceError> {
        actor.require(&[Role::Beheerder])?;
        let record = self.existing_user(id).await?;
        if record.user.active == active {
            return Ok(record.user);
        }
        if active && is_privileged(record.user.role) {
            return Err(four_eyes_needed(
                "Het heractiveren van een beheerder of toezichthouder",
            ));
        }
        // The toezichthouder must stay independent of any single beheerder.
        if !active && record.user.role == Role::Toezichthouder {
            return Err(four_eyes_needed("Het deactiveren van de toezichthouder"));
        }
        if !active {
            if id == actor.id() {
                return Err(ServiceError::Conflict(
                    "U kunt uw eigen account niet deactiveren.".into(),
                ));
            }
            if record.user.role == Role::Beheerder
                && self
                    .store
                    .count_active_users_with_role(Role::Beheerder)
                    .await?
                    <= 1
            {
                return Err(ServiceError::Conflict(
                    "Dit is de laatste actieve beheerder; die kan niet worden gedeactiveerd."
                        .into(),
                ));
            }
        }
        let yes_no = |b: bool| Some(if b { "actief" } else { "niet actief" }.to_owned());
        let audit = self.audit(
            &Author::User(actor),
            if active {
                AuditAction::UserReactivated
            } else {
                AuditAction::UserDeactivated
            },
            format!("gebruiker {}", record.user.username),
            Some(("status", yes_no(record.user.active), yes_no(active))),
        );
        self.store
            .set_user_active(id, active, audit.occurred_at, &audit)
            .await?;
        Ok(self.existing_user(id).await?.user)
    }

    /// Sets a new password chosen by the beheerder (to hand over in person), for a
    /// medewerker only: a beheerder or toezichthouder gets a one-time link after a second
    /// beheerder approves, so no beheerder ever knows their password. Ends every open
    /// session of that user. The audit trail records that it changed, never the value.
    pub async fn reset_password(
        &self,
        actor: &Actor,
        id: i64,
        password: NewPassword,
    ) -> Result<(), ServiceError> {
        actor.require(&[Role::Beheerder])?;
        let record = self.existing_user(id).await?;
        if is_privileged(record.user.role) {
            return Err(four_eyes_needed(
                "Het wachtwoord van een beheerder of toezichthouder",
            ));
        }
        let hash = self.hash_password(password.expose().to_owned()).await?;
        let audit = self.audit(
            &Author::User(actor),
            AuditAction::PasswordReset,
            format!("gebruiker {}", record.user.username),
            Some((
                "wachtwoord",
                Some("(verborgen)".into()),
                Some("(nieuw, verborgen)".into()),
            )),
        );
        self.store
            .set_password_hash(id, &hash, audit.occurred_at, &audit)
            .await?;
        Ok(())
    }

    /// The audit trail, newest first. Beheerder and toezichthouder read it; nobody edits it.
    pub async fn audit_trail(
        &self,
        actor: &Actor,
        subject: Option<String>,
        before_id: Option<i64>,
        limit: u32,
    ) -> Result<Vec<AuditEvent>, ServiceError> {
        actor.require(&[Role::Beheerder, Role::Toezichthouder])?;
        Ok(self
            .store
            .list_audit_events(&AuditFilter {
                subject,
                before_id,
                limit: limit.clamp(1, 500),
            })
            .await?)
    }

    pub(crate) async fn ensure_afnemer(
        &self,
        system: &'static str,
        name: &brp_domain::AfnemerName,
    ) -> Result<Afnemer, ServiceError> {
        if let Some(a) = self.store.afnemer_by_name(name).await? {
            return Ok(a);
        }
        let audit = self.audit(
            &Author::System(system),
            AuditAction::AfnemerCreated,
            format!("afnemer {}", name.as_str()),
            Some(("naam", None, Some(name.as_str().to_owned()))),
        );
        let new = crate::store::NewAfnemer {
            name: name.clone(),
            wettelijk_kader: String::new(),
            kind: brp_domain::AfnemerKind::Binnengemeentelijk,
            hidden_from_citizen_ground: None,
        };
        Ok(self
            .store
            .insert_afnemer(&new, audit.occurred_at, &audit)
            .await?)
    }

    pub(crate) async fn user_exists(&self, username: &Username) -> Result<bool, ServiceError> {
        Ok(self.store.user_by_username(username).await?.is_some())
    }
}
