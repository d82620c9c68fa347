//! The four-eyes check of a proposed change against the present state: what approval
//! would change, its audit event and whom to tell. Run when a change is proposed and again
//! when it is approved.

use super::user_subject;
use crate::error::ServiceError;
use crate::portal::Portal;
use crate::store::{NewAfnemer, NewUserRecord, ProposalEffect};
use brp_domain::art46::{check_kind_and_ground, Art46Ground};
use brp_domain::four_eyes::{is_privileged, ProposedChange};
use brp_domain::{AuditAction, Role, User, ValidationError};

/// A proposal checked against the present state: what approval would change, and whom to
/// tell.
pub(crate) struct Prepared {
    pub(crate) subject: String,
    pub(crate) subject_user_id: Option<i64>,
    pub(crate) summary: String,
    pub(crate) effect: ProposalEffect,
    /// The specific audit event of the change itself, written on approval.
    pub(crate) audit: (AuditAction, &'static str, Option<String>, Option<String>),
    /// The owner who gets a set-password link on approval: address and name.
    pub(crate) link_to: Option<(String, String)>,
    /// The toezichthouder concerned, told of the proposal and the decision.
    pub(crate) fg: Option<(String, String)>,
}

impl Prepared {
    /// Making an inactive account (a person's or an application's) active.
    pub(crate) fn activation(
        subject: String,
        user_id: i64,
        summary: String,
        fg: Option<(String, String)>,
    ) -> Self {
        Self {
            subject,
            subject_user_id: Some(user_id),
            summary,
            effect: ProposalEffect::SetActive {
                user_id,
                active: true,
            },
            audit: (
                AuditAction::UserReactivated,
                "status",
                Some("niet actief".into()),
                Some("actief".into()),
            ),
            link_to: None,
            fg,
        }
    }
}

fn role_text(role: Role) -> String {
    role.label().to_owned()
}

impl Portal {
    async fn afnemer_name(&self, id: Option<i64>) -> Result<Option<String>, ServiceError> {
        match id {
            None => Ok(None),
            Some(id) => Ok(Some(
                self.store
                    .afnemer_by_id(id)
                    .await?
                    .map(|a| String::from(a.name))
                    .ok_or_else(|| {
                        ValidationError::new("afnemer", "Kies een bestaand organisatieonderdeel.")
                    })?,
            )),
        }
    }

    pub(super) fn fg_of(user: &User, also: Option<Role>) -> Option<(String, String)> {
        let concerned = user.role == Role::Toezichthouder || also == Some(Role::Toezichthouder);
        match (&user.email, concerned) {
            (Some(email), true) => Some((email.as_str().to_owned(), user.display_name.to_string())),
            _ => None,
        }
    }

    /// Checks a change against the present state. Run when it is proposed and again when
    /// it is approved: the state may have changed in between.
    pub(super) async fn prepare(&self, change: &ProposedChange) -> Result<Prepared, ServiceError> {
        let now = self.clock.now();
        match change {
            ProposedChange::CreateAccount {
                username,
                display_name,
                email,
                role,
                afnemer_id,
            } => {
                if !is_privileged(*role) {
                    return Err(ServiceError::Conflict(
                        "Een medewerker maakt een beheerder zelf aan; daarvoor is geen voorstel nodig."
                            .into(),
                    ));
                }
                if self.store.user_by_username(username).await?.is_some() {
                    return Err(ServiceError::Conflict(
                        "Er bestaat al een gebruiker met deze gebruikersnaam.".into(),
                    ));
                }
                let afnemer = self.afnemer_name(*afnemer_id).await?;
                let summary = format!(
                    "{display_name} ({}), e-mail {}{}",
                    role.label(),
                    email.as_str(),
                    afnemer.map(|n| format!(", {n}")).unwrap_or_default()
                );
                Ok(Prepared {
                    subject: user_subject(username),
                    subject_user_id: None,
                    summary: summary.clone(),
                    effect: ProposalEffect::InsertUser(NewUserRecord {
                        username: username.clone(),
                        display_name: display_name.clone(),
                        email: Some(email.clone()),
                        role: *role,
                        afnemer_id: *afnemer_id,
                        password_hash: String::new(),
                        created_at: now,
                    }),
                    audit: (AuditAction::UserCreated, "account", None, Some(summary)),
                    link_to: Some((email.as_str().to_owned(), display_name.to_string())),
                    fg: (*role == Role::Toezichthouder)
                        .then(|| (email.as_str().to_owned(), display_name.to_string())),
                })
            }
            ProposedChange::Reactivate { user_id } => {
                let user = self.subject_user(*user_id).await?;
                if !is_privileged(user.role) {
                    return Err(ServiceError::Conflict(
                        "Een medewerker heractiveert een beheerder zelf.".into(),
                    ));
                }
                if user.active {
                    return Err(ServiceError::Conflict("Het account is al actief.".into()));
                }
                Ok(Prepared::activation(
                    user_subject(&user.username),
                    user.id,
                    format!("{} ({}) weer actief", user.display_name, user.role.label()),
                    Self::fg_of(&user, None),
                ))
            }
            ProposedChange::Deactivate { user_id } => {
                let user = self.subject_user(*user_id).await?;
                if user.role != Role::Toezichthouder {
                    return Err(ServiceError::Conflict(
                        "Alleen het account van de toezichthouder wordt met vier ogen \
                         gedeactiveerd; andere accounts deactiveert een beheerder zelf."
                            .into(),
                    ));
                }
                if !user.active {
                    return Err(ServiceError::Conflict(
                        "Het account is al niet actief.".into(),
                    ));
                }
                Ok(Prepared {
                    subject: user_subject(&user.username),
                    subject_user_id: Some(user.id),
                    summary: format!("{} ({}) deactiveren", user.display_name, user.role.label()),
                    effect: ProposalEffect::SetActive {
                        user_id: user.id,
                        active: false,
                    },
                    audit: (
                        AuditAction::UserDeactivated,
                        "status",
                        Some("actief".into()),
                        Some("niet actief".into()),
                    ),
                    link_to: None,
                    fg: Self::fg_of(&user, None),
                })
            }
            ProposedChange::ChangeRole {
                user_id,
                role,
                afnemer_id,
            } => {
                let user = self.subject_user(*user_id).await?;
                if user.role == Role::Applicatie || *role == Role::Applicatie {
                    return Err(ServiceError::Conflict(
                        "Een taakapplicatie is geen account van een persoon; haar rol                          verandert niet."
                            .into(),
                    ));
                }
                if user.role == *role {
                    return Err(ServiceError::Conflict(format!(
                        "{} heeft deze rol al.",
                        user.display_name
                    )));
                }
                let afnemer_id = afnemer_id.or(user.afnemer.as_ref().map(|a| a.id));
                if role.requires_afnemer() && afnemer_id.is_none() {
                    return Err(ValidationError::new(
                        "afnemer",
                        "Een medewerker hoort bij een organisatieonderdeel: kies er een.",
                    )
                    .into());
                }
                let afnemer = self.afnemer_name(afnemer_id).await?;
                let promotion = is_privileged(*role);
                if promotion && user.email.is_none() {
                    return Err(ServiceError::Conflict(
                        "Dit account heeft geen e-mailadres; een beheerder of toezichthouder \
                         stelt het wachtwoord zelf in via een link per e-mail."
                            .into(),
                    ));
                }
                if user.role == Role::Beheerder
                    && user.active
                    && self
                        .store
                        .count_active_users_with_role(Role::Beheerder)
                        .await?
                        <= 1
                {
                    return Err(ServiceError::Conflict(
                        "Dit is de laatste actieve beheerder; die behoudt de rol.".into(),
                    ));
                }
                let new_role = format!(
                    "{}{}",
                    role.label(),
                    afnemer.map(|n| format!(", {n}")).unwrap_or_default()
                );
                Ok(Prepared {
                    subject: user_subject(&user.username),
                    subject_user_id: Some(user.id),
                    summary: format!(
                        "{}: {} wordt {new_role}{}",
                        user.display_name,
                        user.role.label(),
                        match (&user.email, promotion) {
                            (Some(e), true) => format!(
                                "; het wachtwoord vervalt en de eigenaar stelt een nieuw in via \
                                 een link aan {}",
                                e.as_str()
                            ),
                            _ => String::new(),
                        }
                    ),
                    effect: ProposalEffect::SetRole {
                        user_id: user.id,
                        role: *role,
                        afnemer_id,
                        end_password: promotion,
                    },
                    audit: (
                        AuditAction::UserRoleChanged,
                        "rol",
                        Some(role_text(user.role)),
                        Some(new_role),
                    ),
                    // A promoted account must not keep a password a beheerder once chose.
                    link_to: match (&user.email, promotion) {
                        (Some(e), true) => {
                            Some((e.as_str().to_owned(), user.display_name.to_string()))
                        }
                        _ => None,
                    },
                    fg: Self::fg_of(&user, Some(*role)),
                })
            }
            ProposedChange::ResetPassword { user_id } => {
                let user = self.subject_user(*user_id).await?;
                if !is_privileged(user.role) {
                    return Err(ServiceError::Conflict(
                        "Het wachtwoord van een medewerker stelt een beheerder zelf opnieuw in."
                            .into(),
                    ));
                }
                let Some(email) = &user.email else {
                    return Err(ServiceError::Conflict(
                        "Dit account heeft geen e-mailadres, dus kan de eigenaar geen link \
                         ontvangen. Neem contact op met de applicatiebeheerder van de server."
                            .into(),
                    ));
                };
                Ok(Prepared {
                    subject: user_subject(&user.username),
                    subject_user_id: Some(user.id),
                    summary: format!(
                        "Wachtwoord van {} ({}) vervalt; de eigenaar stelt een nieuw in via een \
                         link aan {}",
                        user.display_name,
                        user.role.label(),
                        email.as_str()
                    ),
                    effect: ProposalEffect::EndPassword { user_id: user.id },
                    audit: (
                        AuditAction::PasswordReset,
                        "wachtwoord",
                        Some("(verborgen)".into()),
                        Some("(vervallen; eigenaar stelt nieuw in via link)".into()),
                    ),
                    link_to: Some((email.as_str().to_owned(), user.display_name.to_string())),
                    fg: Self::fg_of(&user, None),
                })
            }
            ProposedChange::CreateAfnemer {
                name,
                wettelijk_kader,
                kind,
                ground,
            } => {
                check_kind_and_ground(*kind, *ground)?;
                if self.store.afnemer_by_name(name).await?.is_some() {
                    return Err(ServiceError::Conflict(
                        "Er bestaat al een afnemer met deze naam.".into(),
                    ));
                }
                let summary = afnemer_summary(name.as_str(), *kind, *ground);
                Ok(Prepared {
                    subject: format!("afnemer {}", name.as_str()),
                    subject_user_id: None,
                    summary: format!("{summary}; wettelijk kader: {wettelijk_kader}"),
                    effect: ProposalEffect::InsertAfnemer(NewAfnemer {
                        name: name.clone(),
                        wettelijk_kader: wettelijk_kader.clone(),
                        kind: *kind,
                        hidden_from_citizen_ground: ground.map(|g| g.label().to_owned()),
                    }),
                    audit: (AuditAction::AfnemerCreated, "afnemer", None, Some(summary)),
                    link_to: None,
                    fg: None,
                })
            }
            ProposedChange::ClassifyAfnemer {
                afnemer_id,
                kind,
                ground,
            } => {
                check_kind_and_ground(*kind, *ground)?;
                let old = self
                    .store
                    .afnemer_by_id(*afnemer_id)
                    .await?
                    .ok_or(ServiceError::NotFound("De afnemer"))?;
                let new_ground = ground.map(|g| g.label().to_owned());
                if old.kind == *kind && old.hidden_from_citizen_ground == new_ground {
                    return Err(ServiceError::Conflict(
                        "Soort en artikel 46 van deze afnemer zijn al zo.".into(),
                    ));
                }
                let before = format!(
                    "{}; verborgen voor inwoner: {}",
                    old.kind.label(),
                    old.hidden_from_citizen_ground.as_deref().unwrap_or("nee")
                );
                let after = format!(
                    "{}; verborgen voor inwoner: {}",
                    kind.label(),
                    new_ground.as_deref().unwrap_or("nee")
                );
                Ok(Prepared {
                    subject: format!("afnemer {}", old.name.as_str()),
                    subject_user_id: None,
                    summary: format!("{}: {before} wordt {after}", old.name.as_str()),
                    effect: ProposalEffect::ClassifyAfnemer {
                        afnemer_id: old.id,
                        afnemer: NewAfnemer {
                            name: old.name.clone(),
                            wettelijk_kader: old.wettelijk_kader.clone(),
                            kind: *kind,
                            hidden_from_citizen_ground: new_ground,
                        },
                    },
                    audit: (
                        AuditAction::AfnemerChanged,
                        "soort en artikel 46",
                        Some(before),
                        Some(after),
                    ),
                    link_to: None,
                    fg: None,
                })
            }
            ProposedChange::ActivateApplication { user_id } => {
                self.prepare_application_activation(*user_id).await
            }
            ProposedChange::GrantApplication {
                user_id,
                profile_id,
                start_date,
                end_date,
            } => {
                self.prepare_application_grant(*user_id, *profile_id, *start_date, *end_date)
                    .await
            }
        }
    }
}

fn afnemer_summary(
    name: &str,
    kind: brp_domain::AfnemerKind,
    ground: Option<Art46Ground>,
) -> String {
    format!(
        "{name}; soort: {}; verborgen voor inwoner: {}",
        kind.label(),
        ground.map_or("nee", Art46Ground::label)
    )
}
