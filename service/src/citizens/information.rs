//! Asking the citizen for information (Awb 4:5, 4:15): the question sets an answer term;
//! the decision term stands still until the answer, or until the answer term has run out.
//! Then the request is back in behandeling and is decided on what is known. Time alone ends
//! the suspension: every read of a request settles it from the clock (the domain's
//! `CitizenRequest::settle`), and the first read after the term writes the step into the
//! history, so no job has to run.

use super::{stored_attachments, By, Citizen, HANDLERS};
use crate::accounts::Actor;
use crate::citizen_letters::CitizenTemplate;
use crate::error::ServiceError;
use crate::portal::Portal;
use crate::store::{NewRequestEvent, RequestChange, StoreError};
use brp_domain::authorisation::required_text;
use brp_domain::citizen::attachment::CheckedAttachment;
use brp_domain::citizen::information::parse_answer_term;
use brp_domain::citizen::{CitizenLetterKind, CitizenRequest, EventKind, RequestStatus};
use brp_domain::time::format_day;

impl Portal {
    /// Asks the citizen for information, with the last day to answer (`answer_by`, empty
    /// for two weeks); the decision term stands still until then at most.
    pub async fn ask_citizen_information(
        &self,
        actor: &Actor,
        id: &str,
        question: &str,
        answer_by: &str,
    ) -> Result<(), ServiceError> {
        actor.require(HANDLERS)?;
        let r = self.open_request(id).await?;
        if r.status == RequestStatus::WachtOpInformatie {
            return Err(ServiceError::Conflict(
                "Er staat al een vraag open bij de inwoner.".into(),
            ));
        }
        let question = required_text("vraag", question, 4000)?;
        let due = parse_answer_term(answer_by, self.today())?;
        let person = self.held_person(&r.bsn).await?;
        let mut l = self.citizen_letter_data(
            &r,
            &person,
            &By::Staff(actor),
            "Wij hebben meer informatie van u nodig",
        );
        l.question = question.clone();
        l.answer_by = format_day(due);
        let mut event = self.step(&By::Staff(actor), EventKind::InformatieGevraagd, question);
        event.due_on = Some(due);
        let mut change = RequestChange::new(&r.id, &[r.status], event);
        change.status = Some(RequestStatus::WachtOpInformatie);
        if r.assigned_to.is_none() {
            change.assign = Some((actor.id(), actor.user().display_name.to_string()));
        }
        change.letter = Some(self.citizen_letter(
            CitizenLetterKind::Informatieverzoek,
            CitizenTemplate::Question,
            &l,
        )?);
        change.mails = self.mail(
            &r,
            &format!(
                "Wij hebben meer informatie van u nodig. Antwoord uiterlijk {}.",
                format_day(due)
            ),
        )?;
        self.store.change_citizen_request(&change).await?;
        Ok(())
    }

    /// The citizen answers a request for information, with text and optional attachments;
    /// the term runs again. After the answer term an answer is no longer taken here.
    pub async fn give_citizen_information(
        &self,
        citizen: &Citizen,
        id: &str,
        text: &str,
        attachments: Vec<CheckedAttachment>,
    ) -> Result<(), ServiceError> {
        let request = self.owned_request(citizen, id).await?;
        if request.status != RequestStatus::WachtOpInformatie {
            let expired = request
                .events
                .last()
                .is_some_and(|e| e.kind == EventKind::InformatieTermijnVerstreken);
            return Err(ServiceError::Conflict(if expired {
                "De termijn om informatie te geven is verstreken. Wij beslissen op wat bekend is; \
                 neem contact op met de gemeente als u nog iets wilt laten weten."
                    .into()
            } else {
                "Wij wachten bij dit verzoek niet op informatie van u.".into()
            }));
        }
        let text = required_text("informatie", text, 4000)?;
        let now = self.clock.now();
        let mut change = RequestChange::new(
            &request.id,
            &[RequestStatus::WachtOpInformatie],
            self.step(&By::Citizen, EventKind::InformatieGegeven, text),
        );
        change.status = Some(RequestStatus::InBehandeling);
        change.attachments = stored_attachments(attachments, now, true);
        self.store.change_citizen_request(&change).await?;
        Ok(())
    }

    /// The request as it stands today. When the answer term of an open question has run
    /// out, the step that ends the suspension is written (dated when the term ran out) and
    /// the request is back in behandeling; a concurrent read that wrote it first is fine.
    pub(super) async fn settled(&self, r: CitizenRequest) -> Result<CitizenRequest, ServiceError> {
        let Some(step) = r.expired_question(self.today()) else {
            return Ok(r);
        };
        let event = NewRequestEvent {
            at: step.at,
            kind: step.kind,
            actor: step.actor,
            by_citizen: false,
            text: step.text,
            staff_only: false,
            due_on: None,
        };
        let mut change = RequestChange::new(&r.id, &[RequestStatus::WachtOpInformatie], event);
        change.status = Some(RequestStatus::InBehandeling);
        match self.store.change_citizen_request(&change).await {
            Ok(()) | Err(StoreError::Conflict(_)) => {}
            Err(e) => return Err(e.into()),
        }
        self.store
            .citizen_request(&r.id)
            .await?
            .ok_or(ServiceError::NotFound("Het verzoek"))
    }
}
