//! Parts shared by the citizen's and the beheerder's pages about a request: the deadline
//! with its urgency, the facts, the history, letters and attachments.

use brp_domain::citizen::deadline::{Deadline, Urgency};
use brp_domain::citizen::{
    CitizenLetter, CitizenRequest, RequestStatus, RequestSummary, RequestView,
};
use brp_domain::time::{format_datetime, format_day};
use leptos::prelude::*;

/// "21 december 2026 (nog 29 dagen)", marked when overdue or due within five days. A
/// decided request shows its deadline without counting.
#[component]
pub fn DeadlineText(deadline: Deadline, open: bool) -> impl IntoView {
    let urgency = deadline.urgency();
    let badge = match (open, urgency) {
        (true, Urgency::Overdue) => Some(("badge badge--error", "Te laat")),
        (true, Urgency::DueSoon) => Some(("badge badge--warning", "Binnen 5 dagen")),
        _ => None,
    };
    view! {
        <span>
            {format_day(deadline.due)}
            {open.then(|| format!(" ({})", deadline.days_left_text()))}
        </span>
        {badge.map(|(class, text)| view! { " " <span class=class>{text}</span> })}
    }
}

pub fn status_text(r: &CitizenRequest) -> String {
    match (r.status, r.outcome) {
        (RequestStatus::Afgehandeld, Some(o)) => {
            format!("Afgehandeld: {}", o.label().to_lowercase())
        }
        (s, _) => s.label().to_owned(),
    }
}

pub fn summary_status(r: &RequestSummary) -> String {
    match (r.status, r.outcome) {
        (RequestStatus::Afgehandeld, Some(o)) => {
            format!("Afgehandeld: {}", o.label().to_lowercase())
        }
        (s, _) => s.label().to_owned(),
    }
}

/// The facts of a request both sides see.
#[component]
pub fn RequestFacts(view: RequestView, staff: bool) -> impl IntoView {
    let r = view.request.clone();
    let open = r.status.is_open();
    let status = status_text(&r);
    view! {
        <dl class="data-list">
            <dt>"Kenmerk"</dt><dd>{r.reference.clone()}</dd>
            <dt>"Soort verzoek"</dt><dd>{r.kind.label()}</dd>
            {staff.then(|| view! { <dt>"Inwoner"</dt><dd>{format!("{} (BSN {})", view.citizen_name, r.bsn)}</dd> })}
            <dt>"Ontvangen"</dt><dd>{format!("{} ({})", format_day(r.received_on), r.channel.label())}</dd>
            {staff.then(|| view! { <dt>"Identiteit vastgesteld"</dt><dd>{r.identity_note.clone()}</dd> })}
            <dt>"Status"</dt><dd>{status}</dd>
            <dt>{if open { "Besluit uiterlijk" } else { "Termijn was" }}</dt>
            <dd><DeadlineText deadline=view.deadline open/></dd>
            {r.assigned_to.clone().map(|a| view! { <dt>"Behandelaar"</dt><dd>{a}</dd> })}
            {r.decided_at.map(|at| view! {
                <dt>"Besluit"</dt>
                <dd>{format!("{} op {} door {}", r.outcome.map(|o| o.label()).unwrap_or(""), format_datetime(at), r.decided_by.clone().unwrap_or_default())}</dd>
            })}
            {view.geheimhouding_since.map(|d| view! {
                <dt>"Geheimhouding"</dt><dd>{format!("Geldt sinds {}", format_day(d))}</dd>
            })}
            {staff.then(|| r.email.clone().map(|e| view! { <dt>"E-mail voor berichten"</dt><dd>{e}</dd> }))}
        </dl>
        {r.correction.clone().map(|c| view! {
            <h2>"Wat moet er veranderen?"</h2>
            <dl class="data-list">
                <dt>"Gegeven"</dt><dd>{c.field.label()}</dd>
                <dt>"Stond in de BRP"</dt><dd>{c.current_value}</dd>
                <dt>"Zou moeten zijn"</dt><dd>{c.proposed_value}</dd>
                <dt>"Eerdere ontvangers informeren"</dt><dd>{if r.inform_recipients { "Ja, gevraagd" } else { "Nee" }}</dd>
            </dl>
        })}
        {(!r.explanation.is_empty()).then(|| view! {
            <h2>"Toelichting van de inwoner"</h2>
            <p class="pre-line">{r.explanation.clone()}</p>
        })}
    }
}

/// The letters of a request, linked to their page.
#[component]
pub fn LetterList(request: CitizenRequest, base: &'static str) -> impl IntoView {
    if request.letters.is_empty() {
        return view! { <p>"Nog geen brieven."</p> }.into_any();
    }
    view! {
        <ul>
            {request.letters.into_iter().map(|l| view! {
                <li><a href=format!("{base}/{}", l.id)>{l.subject}</a>" ("{format_datetime(l.created_at)}")"</li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// The attachments of a request; linked only where the viewer may download them.
#[component]
pub fn AttachmentList(
    request: CitizenRequest,
    base: &'static str,
    download: bool,
) -> impl IntoView {
    if request.attachments.is_empty() {
        return view! { <p>"Geen bijlagen."</p> }.into_any();
    }
    view! {
        <ul>
            {request.attachments.into_iter().map(|a| {
                let text = format!("{} ({}, {})", a.file_name, a.kind.label(),
                    brp_domain::citizen::attachment::size_text(a.size));
                let who = if a.by_citizen { "van de inwoner" } else { "geregistreerd door de gemeente" };
                view! {
                    <li>
                        {if download {
                            view! { <a href=format!("{base}/{}", a.id) download="">{text}</a> }.into_any()
                        } else {
                            view! { <span>{text}</span> }.into_any()
                        }}
                        {format!(", {who}, {}", format_datetime(a.uploaded_at))}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// The history of a request, oldest first.
#[component]
pub fn History(request: CitizenRequest) -> impl IntoView {
    view! {
        <ol class="history">
            {request.events.into_iter().map(|e| view! {
                <li>
                    <strong>{e.kind.label()}</strong>
                    {format!(" — {}, {}", format_datetime(e.at), e.actor)}
                    {(!e.text.is_empty()).then(|| view! { <p class="pre-line">{e.text}</p> })}
                    {e.due_on.map(|d| view! { <p>{format!("Antwoord uiterlijk {}", format_day(d))}</p> })}
                </li>
            }).collect_view()}
        </ol>
    }
}

/// Who received the old value of a corrected datum, and whether they were told.
#[component]
pub fn RecipientTable(view: RequestView) -> impl IntoView {
    if view.recipients.is_empty() {
        return view! { <p>"Niemand kreeg het oude gegeven van ons."</p> }.into_any();
    }
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Eerdere ontvangers"><table class="table">
            <caption class="visually-hidden">"Eerdere ontvangers van het oude gegeven"</caption>
            <thead><tr>
                <th scope="col">"Ontvanger"</th><th scope="col">"Aantal keer"</th>
                <th scope="col">"Laatst ontvangen"</th><th scope="col">"Geïnformeerd"</th>
            </tr></thead>
            <tbody>
                {view.recipients.into_iter().map(|x| view! {
                    <tr>
                        <td>{x.afnemer_name}</td>
                        <td>{x.verstrekkingen}</td>
                        <td>{format_datetime(x.last_provided_at)}</td>
                        <td>{match x.notified_at {
                            Some(at) => format!("Ja, {} door {}", format_datetime(at), x.notified_by.unwrap_or_default()),
                            None => "Nog niet".to_owned(),
                        }}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table></div>
    }
    .into_any()
}

/// A letter to a citizen as sent, with the way back, a download and printing.
#[component]
pub fn LetterBody(letter: CitizenLetter, back: String, download: String) -> impl IntoView {
    view! {
        <p class="no-print">
            <a href=back>"Terug naar het verzoek"</a>
            " · "
            <a href=download>"Brief downloaden"</a>
            <PrintButton/>
        </p>
        <h1 class="visually-hidden">{letter.subject.clone()}</h1>
        // Rendered by the service's askama template, which escapes every value.
        <div inner_html=letter.body_html></div>
    }
}

/// A print button, shown only once the page runs in the browser (it needs JavaScript);
/// without it, the browser's own print works the same.
#[component]
pub fn PrintButton() -> impl IntoView {
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    view! {
        {move || ready.get().then(|| view! {
            " · "
            <button type="button" class="button button--secondary"
                on:click=|_| { let _ = window().print(); }>"Afdrukken"</button>
        })}
    }
}
