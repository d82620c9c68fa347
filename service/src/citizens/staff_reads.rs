//! Staff reading citizens' BRP data while handling their requests: the queue (names), the
//! request page, letters (an inzage letter holds the persoonslijst), attachments, and
//! registering a request from the counter or a letter.
//!
//! Each such view is *logged access* in the audit trail, not a verstrekking in the protocol.
//! The seeds separate the two: a verstrekking is data provided to an afnemer for its task,
//! recorded so the citizen can be told who received their data (Wet BRP 3.11, 3.22; seed
//! 001 art. 10, seed 004 art. 6: "welke persoonsgegevens over welke personen zijn
//! verstrekt aan afnemers en/of derden"). The beheerder and the Burgerzaken staff they
//! designate are not afnemers: they have direct access to keep the register and to answer
//! the citizen on behalf of the college (seed 001 art. 4 lid 1 sub a and art. 11, 12; seed
//! 004 art. 4 sub a, b). Reading a request is that work, done for the citizen who asked;
//! protocolling it would list "Burgerzaken" in the citizen's own overview for handling their
//! own inzage. What guards against misuse here is logging: seed 000 ("alle bevragingen
//! ... worden gelogd om ongeautoriseerd gebruik op te sporen"). So every view is written to
//! the audit trail (who, when, which person and request) before the data is returned, under
//! the subject `persoon <BSN>` so that the toezichthouder finds every staff view of one
//! person at once; the queue, which shows only names, is one entry listing them.

use super::NewSubmission;
use super::{summary, HANDLERS, QUEUE_LIMIT, READERS};
use crate::accounts::Actor;
use crate::error::ServiceError;
use crate::portal::Portal;
use crate::store::{CitizenRequestFilter, NewAuditEvent, StoredAttachment};
use brp_domain::authorisation::required_text;
use brp_domain::citizen::{
    CitizenLetter, IdentityCheck, RequestSummary, RequestView, SubmissionChannel,
};
use brp_domain::person::Bsn;
use brp_domain::{AuditAction, ValidationError};
use chrono::{Duration, NaiveDate};

/// A request received at the counter or by letter, as the beheerder registers it.
#[derive(Debug, Clone)]
pub struct CounterRegistration {
    pub bsn: Bsn,
    pub channel: SubmissionChannel,
    pub identity: IdentityCheck,
    pub identity_note: String,
    pub received_on: NaiveDate,
    /// Why the beheerder registers it: registering shows the person's BRP data to staff,
    /// so the reason is kept in the history and the audit trail.
    pub reason: String,
    pub submission: NewSubmission,
}

impl CounterRegistration {
    #[allow(clippy::too_many_arguments)]
    pub fn parse(
        bsn: &str,
        channel: &str,
        identity: &str,
        identity_note: &str,
        received_on: &str,
        reason: &str,
        today: NaiveDate,
        submission: NewSubmission,
    ) -> Result<Self, ValidationError> {
        let channel = match SubmissionChannel::from_code(channel) {
            Some(c @ (SubmissionChannel::Balie | SubmissionChannel::Post)) => c,
            _ => {
                return Err(ValidationError::new(
                    "kanaal",
                    "Kies of het verzoek aan de balie of per brief binnenkwam.",
                ))
            }
        };
        let received_on = NaiveDate::parse_from_str(received_on.trim(), "%Y-%m-%d")
            .or_else(|_| NaiveDate::parse_from_str(received_on.trim(), "%d-%m-%Y"))
            .map_err(|_| ValidationError::new("ontvangen", "Vul een datum in, zoals 1-12-2026."))?;
        if received_on > today {
            return Err(ValidationError::new(
                "ontvangen",
                "De datum van ontvangst ligt in de toekomst.",
            ));
        }
        if received_on < today - Duration::days(365) {
            return Err(ValidationError::new(
                "ontvangen",
                "De datum van ontvangst ligt meer dan een jaar terug.",
            ));
        }
        Ok(Self {
            bsn: Bsn::parse(bsn)?,
            channel,
            identity: IdentityCheck::parse(identity)?,
            identity_note: required_text("identiteit_toelichting", identity_note, 500)?,
            received_on,
            reason: required_text("reden", reason, 500)?,
            submission,
        })
    }
}

impl Portal {
    /// A request received at the counter or by letter.
    pub async fn register_counter_request(
        &self,
        actor: &Actor,
        r: CounterRegistration,
    ) -> Result<String, ServiceError> {
        actor.require(HANDLERS)?;
        // Registering shows the person's name and address (receipt letter, request page):
        // logged before anything is read, with the reason given.
        self.record_citizen_data_view(
            actor,
            format!("persoon {}", r.bsn),
            "registratie",
            format!("{}: {}", r.channel.label(), r.reason),
        )
        .await?;
        let note = format!("{}: {}", r.identity.label(), r.identity_note);
        self.create_request(
            r.bsn,
            r.channel,
            note,
            None,
            Some((actor, &r.reason)),
            r.received_on,
            r.submission,
        )
        .await
    }

    /// The queue: open requests by deadline (the most urgent first), or every request.
    pub async fn citizen_request_queue(
        &self,
        actor: &Actor,
        open_only: bool,
    ) -> Result<Vec<RequestSummary>, ServiceError> {
        actor.require(READERS)?;
        let today = self.today();
        let requests = self
            .store
            .list_citizen_requests(&CitizenRequestFilter {
                bsn: None,
                open_only,
                limit: QUEUE_LIMIT,
            })
            .await?;
        // The queue shows each citizen's name from the BRP: one logged view naming them all.
        if !requests.is_empty() {
            let shown: Vec<String> = requests
                .iter()
                .map(|r| format!("{} ({})", r.reference, r.bsn))
                .collect();
            self.record_citizen_data_view(
                actor,
                "wachtrij burgerverzoeken".to_owned(),
                "namen",
                shown.join(", "),
            )
            .await?;
        }
        let mut out = Vec::with_capacity(requests.len());
        for mut r in requests {
            // An answer term that ran out ends the wait, also before anyone opens it.
            r.settle(today);
            let name = self.citizen_name(&r.bsn).await?;
            out.push(summary(&r, today, Some(name)));
        }
        out.sort_by(|a, b| {
            b.status
                .is_open()
                .cmp(&a.status.is_open())
                .then(a.deadline.due.cmp(&b.deadline.due))
                .then(a.received_on.cmp(&b.received_on))
        });
        Ok(out)
    }

    pub async fn citizen_request_for_staff(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<RequestView, ServiceError> {
        actor.require(READERS)?;
        let request = self.existing_request(id).await?;
        // The page shows the citizen's name, the values of a correctie and to whom the data
        // went: logged before it is returned.
        self.record_citizen_data_view(
            actor,
            format!("persoon {}", request.bsn),
            "verzoek",
            format!("{}: {}", request.reference, request.kind.label()),
        )
        .await?;
        self.view(request, Some(actor)).await
    }

    pub async fn attachment_for_staff(
        &self,
        actor: &Actor,
        attachment_id: &str,
    ) -> Result<StoredAttachment, ServiceError> {
        // The toezichthouder reads the requests, but attachments (copies of identity
        // documents, deeds) are for the one who handles them.
        actor.require(HANDLERS)?;
        let a = self
            .store
            .citizen_attachment(attachment_id)
            .await?
            .ok_or(ServiceError::NotFound("De bijlage"))?;
        self.record_document_read(actor, "bijlage", &a.info.file_name, &a.request_id)
            .await?;
        Ok(a)
    }

    /// Staff reading a citizen's document is recorded before the content is returned:
    /// letters hold a persoonslijst, attachments copies of deeds and identity papers.
    async fn record_document_read(
        &self,
        actor: &Actor,
        what: &str,
        name: &str,
        request_id: &str,
    ) -> Result<(), ServiceError> {
        let (subject, detail) = match self.store.citizen_request(request_id).await? {
            Some(r) => (
                format!("persoon {}", r.bsn),
                format!("{}: {name}", r.reference),
            ),
            None => ("verzoek (onbekend)".to_owned(), name.to_owned()),
        };
        self.record_access(
            actor,
            AuditAction::CitizenDocumentRead,
            subject,
            what,
            &detail,
        )
        .await
    }

    pub async fn citizen_letter_for_staff(
        &self,
        actor: &Actor,
        letter_id: &str,
    ) -> Result<CitizenLetter, ServiceError> {
        actor.require(READERS)?;
        let letter = self
            .store
            .citizen_letter(letter_id)
            .await?
            .ok_or(ServiceError::NotFound("De brief"))?;
        self.record_document_read(actor, "brief", &letter.subject, &letter.request_id)
            .await?;
        Ok(letter)
    }

    /// Logs that staff were shown a citizen's BRP data (see the module note).
    async fn record_citizen_data_view(
        &self,
        actor: &Actor,
        subject: String,
        what: &str,
        detail: String,
    ) -> Result<(), ServiceError> {
        self.record_access(
            actor,
            AuditAction::CitizenDataViewed,
            subject,
            what,
            &detail,
        )
        .await
    }

    async fn record_access(
        &self,
        actor: &Actor,
        action: AuditAction,
        subject: String,
        what: &str,
        detail: &str,
    ) -> Result<(), ServiceError> {
        self.store
            .record_audit(&NewAuditEvent {
                occurred_at: self.clock.now(),
                actor_user_id: Some(actor.id()),
                actor: actor.user().username.to_string(),
                action,
                subject,
                field: Some(what.to_owned()),
                old_value: None,
                new_value: Some(detail.to_owned()),
            })
            .await?;
        Ok(())
    }
}
