//! SMTP delivery of the outbox, with lettre.

use async_trait::async_trait;
use brp_domain::messages::OutboxMessage;
use brp_service::mail::MailTransport;
use brp_service::Portal;
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Smtp {
    /// `url`: `smtp://host:port` (plain, for a relay on the same network),
    /// `smtp://host:587?tls=required` (STARTTLS) or `smtps://user:password@host:465`.
    pub fn new(url: &str, from: &str) -> anyhow::Result<Self> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        Ok(Self {
            transport,
            from: from.parse()?,
        })
    }
}

#[async_trait]
impl MailTransport for Smtp {
    async fn send(&self, m: &OutboxMessage) -> Result<(), String> {
        let to = Mailbox::new(
            Some(m.to_name.clone()),
            m.to_address.parse().map_err(|e| format!("adres: {e}"))?,
        );
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&m.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(m.body_text.clone())
            .map_err(|e| e.to_string())?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

/// Delivers pending mail every `period` until the process ends.
pub fn spawn_delivery(portal: Portal, smtp: Smtp, period: Duration) {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(period);
        loop {
            interval.tick().await;
            match portal.deliver_outbox(&smtp, 50).await {
                Ok(r) if r.sent + r.failed > 0 => {
                    tracing::info!(sent = r.sent, failed = r.failed, "outbox delivered");
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "outbox delivery"),
            }
        }
    });
}
