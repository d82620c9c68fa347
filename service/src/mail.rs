//! Delivery of the e-mail outbox. Letters are written to the outbox in the same transaction
//! as the decision they announce; a separate loop delivers them, so a mail server that is
//! down never blocks or undoes a decision. Where no mail server is configured (demo, tests)
//! the outbox is simply read in the portal.

use crate::error::ServiceError;
use crate::portal::Portal;
use async_trait::async_trait;
use brp_domain::messages::OutboxMessage;

/// After this many failed attempts a message is left for the beheerder to look at.
pub const MAX_ATTEMPTS: i32 = 10;

/// Something that sends one e-mail (SMTP in production).
#[async_trait]
pub trait MailTransport: Send + Sync {
    async fn send(&self, message: &OutboxMessage) -> Result<(), String>;
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    pub sent: usize,
    pub failed: usize,
}

impl Portal {
    /// Sends up to `batch` pending messages and records the outcome of each.
    pub async fn deliver_outbox(
        &self,
        transport: &dyn MailTransport,
        batch: u32,
    ) -> Result<DeliveryReport, ServiceError> {
        let mut report = DeliveryReport::default();
        for message in self.store.pending_outbox(MAX_ATTEMPTS, batch).await? {
            match transport.send(&message).await {
                Ok(()) => {
                    self.store
                        .mark_outbox_sent(message.id, self.clock.now())
                        .await?;
                    report.sent += 1;
                }
                Err(e) => {
                    tracing::warn!(id = message.id, error = %e, "mail not delivered");
                    self.store.mark_outbox_failed(message.id, &e).await?;
                    report.failed += 1;
                }
            }
        }
        Ok(report)
    }
}
