//! Letters to staff, rendered with askama: the "schriftelijk bericht van de toegekende
//! autorisatie", the rejection, and the revocation, each with the e-mail announcing it.

use crate::error::{InternalError, ServiceError};
use crate::store::{NewLetter, NewOutboxMessage, Notification};
use askama::Template;
use brp_domain::messages::LetterKind;
use chrono::{DateTime, Utc};

/// Everything a letter may show. Values are plain text; askama escapes them in HTML.
#[derive(Debug, Clone, Default)]
pub struct LetterData {
    pub municipality: String,
    pub subject: String,
    pub reference: String,
    pub date: String,
    pub recipient_name: String,
    pub recipient_afnemer: Option<String>,
    pub request_date: String,
    pub profile_name: String,
    pub profile_version: i32,
    pub profile_afnemer: String,
    pub start: String,
    pub end: String,
    pub beheerder_name: String,
    pub reason: String,
    pub signed_text: String,
    pub doelen: Vec<String>,
    pub search_types: Vec<String>,
    /// Category label with its element labels, comma-separated.
    pub categories: Vec<(String, String)>,
    /// For a correction notice (Wet BRP 3.23): the corrected element, the recipient's
    /// verstrekkingen it concerns, and the day of the correction.
    pub correction_field: String,
    pub provisions: String,
    pub corrected_on: String,
}

#[derive(Template)]
#[template(path = "letters/toekenning.html")]
struct GrantHtml<'a> {
    l: &'a LetterData,
}

#[derive(Template)]
#[template(path = "letters/afwijzing.html")]
struct RejectionHtml<'a> {
    l: &'a LetterData,
}

#[derive(Template)]
#[template(path = "letters/intrekking.html")]
struct RevocationHtml<'a> {
    l: &'a LetterData,
}

#[derive(Template)]
#[template(path = "letters/correctie.html")]
struct CorrectionHtml<'a> {
    l: &'a LetterData,
}

#[derive(Template)]
#[template(path = "letters/mail.txt")]
struct MailText<'a> {
    l: &'a LetterData,
}

#[derive(Template)]
#[template(path = "letters/correctie-mail.txt")]
struct CorrectionMailText<'a> {
    l: &'a LetterData,
}

pub(crate) fn render_error(e: askama::Error) -> ServiceError {
    ServiceError::Internal(InternalError::Hashing(format!("letter template: {e}")))
}

/// Renders the letter of `kind` for a user and the e-mail that announces it (when the user
/// has an address).
pub fn notification(
    kind: LetterKind,
    data: &LetterData,
    user_id: i64,
    email: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Notification, ServiceError> {
    let body_html = match kind {
        LetterKind::GrantNotice => GrantHtml { l: data }.render(),
        LetterKind::RejectionNotice => RejectionHtml { l: data }.render(),
        LetterKind::RevocationNotice => RevocationHtml { l: data }.render(),
        LetterKind::CorrectionNotice => CorrectionHtml { l: data }.render(),
    }
    .map_err(render_error)?;
    let mail = match email {
        Some(address) => Some(NewOutboxMessage {
            to_address: address.to_owned(),
            to_name: data.recipient_name.clone(),
            subject: format!("{} ({})", data.subject, data.municipality),
            body_text: match kind {
                LetterKind::CorrectionNotice => CorrectionMailText { l: data }.render(),
                _ => MailText { l: data }.render(),
            }
            .map_err(render_error)?,
            created_at: now,
        }),
        None => None,
    };
    Ok(Notification {
        letter: NewLetter {
            user_id,
            kind,
            subject: data.subject.clone(),
            body_html,
            created_at: now,
        },
        mail,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped_in_html_and_not_in_the_mail() {
        let data = LetterData {
            municipality: "Gemeente <Test>".into(),
            subject: "Onderwerp".into(),
            recipient_name: "Jan & Piet".into(),
            profile_name: "Profiel".into(),
            reason: "omdat <script>".into(),
            ..LetterData::default()
        };
        let n = notification(
            LetterKind::RejectionNotice,
            &data,
            1,
            Some("a@b.nl"),
            Utc::now(),
        )
        .unwrap();
        assert!(
            n.letter.body_html.contains("Jan &#38; Piet")
                || n.letter.body_html.contains("Jan &amp; Piet")
        );
        assert!(!n.letter.body_html.contains("<script>"));
        let mail = n.mail.unwrap();
        assert!(mail.body_text.contains("Reden: omdat <script>"));
        assert!(mail.body_text.contains("Beste Jan & Piet"));
    }
}
