//! Verdaging of a correctie (Wet BRP 2.58 lid 2): once, by eight weeks, only for an element
//! of burgerlijke staat or nationaliteit, announced before the first term ends. The rule
//! itself is `CitizenRequest::deferral` in the domain; here it is applied and the letter
//! written.

use super::{By, HANDLERS};
use crate::accounts::Actor;
use crate::citizen_letters::CitizenTemplate;
use crate::error::ServiceError;
use crate::portal::Portal;
use crate::store::RequestChange;
use brp_domain::authorisation::optional_text;
use brp_domain::citizen::{CitizenLetterKind, EventKind, ExtensionGround};
use brp_domain::time::format_day;
use brp_domain::ValidationError;

impl Portal {
    /// Defers the decision on a correctie by eight weeks. The ground must be the one the
    /// request's element falls under; a second deferral, a deferral after the first term
    /// and one for any other element are refused.
    pub async fn extend_citizen_request(
        &self,
        actor: &Actor,
        id: &str,
        ground: &str,
        explanation: &str,
    ) -> Result<(), ServiceError> {
        actor.require(HANDLERS)?;
        let r = self.open_request(id).await?;
        let today = self.today();
        let allowed = r
            .deferral(today)
            .map_err(|why| ServiceError::Conflict(why.message().into()))?;
        let ground = ExtensionGround::parse(ground)?;
        if ground != allowed {
            return Err(ValidationError::new(
                "grond",
                format!(
                    "Dit verzoek gaat over {}; dat valt onder ‘{}’, niet onder de gekozen reden.",
                    r.correction
                        .as_ref()
                        .map(|c| c.field.label().to_lowercase())
                        .unwrap_or_default(),
                    allowed.code().replace('_', " ")
                ),
            )
            .into());
        }
        let explanation = optional_text("toelichting_verlenging", explanation, 2000)?;
        let text = if explanation.is_empty() {
            format!("Verlengd met 8 weken, omdat {}.", ground.label())
        } else {
            format!(
                "Verlengd met 8 weken, omdat {}. {explanation}",
                ground.label()
            )
        };
        let event = self.step(&By::Staff(actor), EventKind::Verdaagd, text);
        // The new deadline, as it will be with this deferral.
        let mut after = r.clone();
        after.events.push(brp_domain::citizen::RequestEvent {
            id: 0,
            at: event.at,
            kind: EventKind::Verdaagd,
            actor: String::new(),
            by_citizen: false,
            text: String::new(),
            staff_only: false,
            due_on: None,
        });
        let new_due = after.deadline(today).due;
        let person = self.held_person(&r.bsn).await?;
        let mut l = self.citizen_letter_data(
            &r,
            &person,
            &By::Staff(actor),
            "Wij hebben meer tijd nodig voor uw verzoek",
        );
        l.deadline = format_day(new_due);
        l.extension_ground = ground.label().to_owned();
        l.motivation = explanation;
        // The status check keeps a request decided in the meantime from being deferred.
        let mut change = RequestChange::new(&r.id, &[r.status], event);
        change.letter = Some(self.citizen_letter(
            CitizenLetterKind::Verdaging,
            CitizenTemplate::Extension,
            &l,
        )?);
        change.mails = self.mail(
            &r,
            &format!(
                "De beslistermijn is verlengd. U krijgt ons besluit uiterlijk {}.",
                format_day(new_due)
            ),
        )?;
        self.store.change_citizen_request(&change).await?;
        Ok(())
    }
}
