//! Letters to citizens about their requests, rendered with askama in plain Dutch (B1): the
//! receipt, a request for information, a deferral, and the decision. A decision names its
//! legal article and, when (part of) the request is refused, how to object (bezwaar).

use crate::error::ServiceError;
use crate::letters::render_error;
use askama::Template;
use brp_domain::citizen::overview::OverviewRow;
use brp_domain::person::display::DisplaySection;

/// A corrected (or to be corrected) datum in a letter.
#[derive(Debug, Clone, Default)]
pub struct LetterCorrection {
    pub label: String,
    pub lo_gba: Option<String>,
    pub old: String,
    pub new: String,
}

/// One line of the overview of verstrekkingen, as text.
#[derive(Debug, Clone, Default)]
pub struct LetterOverviewRow {
    pub date: String,
    pub afnemer: String,
    pub doel: String,
    pub categories: String,
    pub count: u32,
}

impl From<&OverviewRow> for LetterOverviewRow {
    fn from(r: &OverviewRow) -> Self {
        Self {
            date: brp_domain::time::format_day(r.date),
            afnemer: r.afnemer.clone(),
            doel: r.doel.clone(),
            categories: r.categories.join(", "),
            count: r.count,
        }
    }
}

/// Everything a citizen letter may show. Values are plain text; askama escapes them.
#[derive(Debug, Clone, Default)]
pub struct CitizenLetterData {
    pub municipality: String,
    pub date: String,
    pub reference: String,
    pub subject: String,
    pub recipient_name: String,
    pub address_lines: Vec<String>,
    pub salutation: String,
    pub request_label: String,
    pub request_date: String,
    /// The kind's code, for the parts of the decision letter that differ per kind.
    pub kind: String,
    pub article: String,
    pub deadline: String,
    pub decision_sentence: String,
    pub granted: bool,
    pub refused: bool,
    pub motivation: String,
    pub question: String,
    /// The last day to answer a question (Awb 4:15), as a Dutch date.
    pub answer_by: String,
    pub extension_ground: String,
    pub correction: Option<LetterCorrection>,
    pub sections: Vec<DisplaySection>,
    pub overview: Vec<LetterOverviewRow>,
    /// The day the portal's protocol starts (its first verstrekking); the overview holds
    /// nothing from before. `None` while nothing was ever recorded.
    pub records_since: Option<String>,
    /// The citizen already asked that earlier recipients of a corrected datum are told
    /// (Wet BRP 3.23): the decision must not ask them to ask again.
    pub inform_recipients_asked: bool,
    pub bezwaar_address: String,
    pub handled_by: String,
}

#[derive(Template)]
#[template(path = "citizen/ontvangst.html")]
struct ReceiptHtml<'a> {
    l: &'a CitizenLetterData,
}

#[derive(Template)]
#[template(path = "citizen/informatie.html")]
struct QuestionHtml<'a> {
    l: &'a CitizenLetterData,
}

#[derive(Template)]
#[template(path = "citizen/verdaging.html")]
struct ExtensionHtml<'a> {
    l: &'a CitizenLetterData,
}

#[derive(Template)]
#[template(path = "citizen/besluit.html")]
struct DecisionHtml<'a> {
    l: &'a CitizenLetterData,
}

/// What the e-mail about a status change says. No personal data: only the reference.
pub struct CitizenMail {
    pub municipality: String,
    pub reference: String,
    pub request_label: String,
    pub what: String,
    pub url: Option<String>,
}

#[derive(Template)]
#[template(path = "citizen/mail.txt")]
struct MailText<'a> {
    m: &'a CitizenMail,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CitizenTemplate {
    Receipt,
    Question,
    Extension,
    Decision,
}

pub fn render(template: CitizenTemplate, l: &CitizenLetterData) -> Result<String, ServiceError> {
    match template {
        CitizenTemplate::Receipt => ReceiptHtml { l }.render(),
        CitizenTemplate::Question => QuestionHtml { l }.render(),
        CitizenTemplate::Extension => ExtensionHtml { l }.render(),
        CitizenTemplate::Decision => DecisionHtml { l }.render(),
    }
    .map_err(render_error)
}

pub fn render_mail(m: &CitizenMail) -> Result<String, ServiceError> {
    MailText { m }.render().map_err(render_error)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn data() -> CitizenLetterData {
        CitizenLetterData {
            municipality: "Gemeente Voorbeeld".into(),
            reference: "BV-2026-ABC123".into(),
            subject: "Besluit op uw verzoek".into(),
            recipient_name: "J. <Jansen>".into(),
            salutation: "Geachte heer Jansen".into(),
            kind: "correctie".into(),
            article: "artikel 2.58 van de Wet basisregistratie personen".into(),
            bezwaar_address: "Het college\nPostbus 1".into(),
            ..CitizenLetterData::default()
        }
    }

    #[test]
    fn a_refusal_names_the_article_and_the_bezwaar_possibility() {
        let mut l = data();
        l.refused = true;
        l.decision_sentence = "Wij passen het gegeven niet aan.".into();
        l.motivation = "De akte bevestigt de huidige spelling.".into();
        let html = render(CitizenTemplate::Decision, &l).unwrap();
        assert!(html.contains("artikel 2.58 van de Wet basisregistratie personen"));
        assert!(html.contains("Wij passen het gegeven niet aan."));
        assert!(html.contains("binnen 6 weken"));
        assert!(html.contains("bezwaar"));
        assert!(html.contains("Postbus 1"));
        assert!(html.contains("J. &#60;Jansen&#62;") || html.contains("J. &lt;Jansen&gt;"));
    }

    #[test]
    fn a_grant_has_no_bezwaar_clause() {
        let mut l = data();
        l.granted = true;
        l.decision_sentence = "Wij passen het gegeven aan.".into();
        l.correction = Some(LetterCorrection {
            label: "Geslachtsnaam".into(),
            lo_gba: Some("01.02.40".into()),
            old: "Jansen".into(),
            new: "Janssen".into(),
        });
        let html = render(CitizenTemplate::Decision, &l).unwrap();
        assert!(!html.contains("binnen 6 weken"));
        assert!(html.contains("Oude waarde"));
        assert!(html.contains("Janssen"));
        assert!(html.contains("artikel 3.23"));
    }

    #[test]
    fn an_inzage_says_what_it_leaves_out_and_where_the_records_start() {
        let mut l = data();
        l.kind = "inzage".into();
        l.granted = true;
        l.date = "2 december 2026".into();
        l.records_since = Some("1 maart 2026".into());
        let html = render(CitizenTemplate::Decision, &l).unwrap();
        assert!(!html.contains("alle gegevens die wij"), "{html}");
        assert!(html.contains("niet alle gegevens die de BRP over u bevat"));
        assert!(html.contains("historie"));
        assert!(html.contains("reisdocumenten (categorie 12)"));
        assert!(html.contains("legt verstrekkingen vast sinds 1 maart 2026"));
        assert!(html.contains("artikel 3.22"));
        l.records_since = None;
        let html = render(CitizenTemplate::Decision, &l).unwrap();
        assert!(html.contains("nog geen enkele verstrekking vastgelegd"));
    }

    #[test]
    fn a_correction_does_not_ask_for_what_the_citizen_already_asked() {
        let mut l = data();
        l.granted = true;
        l.correction = Some(LetterCorrection {
            label: "Geslachtsnaam".into(),
            lo_gba: None,
            old: "Jansen".into(),
            new: "Janssen".into(),
        });
        let html = render(CitizenTemplate::Decision, &l).unwrap();
        assert!(html.contains("Wilt u dat? Vraag het"));
        l.inform_recipients_asked = true;
        let html = render(CitizenTemplate::Decision, &l).unwrap();
        assert!(!html.contains("Vraag het"), "{html}");
        assert!(html.contains("U hebt ons gevraagd"));
        assert!(html.contains("artikel 3.23"));
    }
}
