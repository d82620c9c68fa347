//! The beheerder's handling of citizens' requests: the queue by deadline, registering a
//! request from the counter or a letter, and one request with its steps. The toezichthouder
//! reads along.

use crate::api::burgerzaken::{
    request_queue, staff_letter, staff_request, HandleRequest, RegisterRequest,
};
use crate::components::citizen::{
    summary_status, AttachmentList, DeadlineText, History, LetterBody, LetterList, RecipientTable,
    RequestFacts,
};
use crate::components::form::{
    action_error, field_error, url_error, use_notice, ErrorBox, FormAlert, Notice, SelectField,
    TextArea, TextField,
};
use crate::components::guard::RequireRole;
use crate::components::layout::SessionContext;
use crate::error::AppError;
use crate::pages::inwoner::FileField;
use brp_domain::citizen::correction::CorrectableField;
use brp_domain::citizen::deadline::Urgency;
use brp_domain::citizen::{IdentityCheck, RequestKind, RequestSummary, RequestView};
use brp_domain::time::format_day;
use brp_domain::{Role, User};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

const READ: &[Role] = &[Role::Beheerder, Role::Toezichthouder];

#[component]
pub fn QueuePage() -> impl IntoView {
    view! {
        <Title text="Verzoeken van inwoners"/>
        <RequireRole roles=READ children=|me: User| view! { <Queue me/> }/>
    }
}

#[component]
fn Queue(me: User) -> impl IntoView {
    let query = use_query_map();
    let all = move || query.read().get("alle").is_some();
    let list = Resource::new(all, request_queue);
    view! {
        <h1>"Verzoeken van inwoners"</h1>
        <p>"Inzage, correctie en geheimhouding (Wet BRP 2.55, 2.58, 2.59, 3.22). De termijn is 4 weken na ontvangst; verzoeken die te laat zijn of binnen 5 dagen moeten, zijn gemarkeerd."</p>
        <nav class="tabs" aria-label="Welke verzoeken">
            <ul class="tabs__list">
                <li><a class="tabs__link" href="/beheer/burgerverzoeken" aria-current=move || (!all()).then_some("page")>"Open verzoeken"</a></li>
                <li><a class="tabs__link" href="/beheer/burgerverzoeken?alle=1" aria-current=move || all().then_some("page")>"Alle verzoeken"</a></li>
            </ul>
        </nav>
        {(me.role == Role::Beheerder).then(|| view! {
            <p><a href="/beheer/burgerverzoeken/registreren">"Verzoek registreren dat aan de balie of per brief binnenkwam"</a></p>
        })}
        <Suspense fallback=|| view! { <p>"Bezig met laden…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(l) if l.is_empty() => view! { <p>"Geen verzoeken."</p> }.into_any(),
                    Ok(l) => view! { <QueueTable requests=l/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn QueueTable(requests: Vec<RequestSummary>) -> impl IntoView {
    let overdue = requests
        .iter()
        .filter(|r| r.status.is_open() && r.deadline.urgency() == Urgency::Overdue)
        .count();
    let soon = requests
        .iter()
        .filter(|r| r.status.is_open() && r.deadline.urgency() == Urgency::DueSoon)
        .count();
    view! {
        {(overdue + soon > 0).then(|| view! {
            <div class="alert alert--warning"><p>{format!("{overdue} te laat, {soon} binnen 5 dagen.")}</p></div>
        })}
        <div class="table-scroll" tabindex="0" role="region" aria-label="Verzoeken van inwoners"><table class="table">
            <caption class="visually-hidden">"Verzoeken van inwoners, de kortste termijn eerst"</caption>
            <thead><tr>
                <th scope="col">"Kenmerk"</th><th scope="col">"Inwoner"</th><th scope="col">"Verzoek"</th>
                <th scope="col">"Ontvangen"</th><th scope="col">"Status"</th><th scope="col">"Behandelaar"</th>
                <th scope="col">"Besluit uiterlijk"</th>
            </tr></thead>
            <tbody>
                {requests.into_iter().map(|r| {
                    let status = summary_status(&r);
                    let open = r.status.is_open();
                    view! {
                        <tr>
                            <td class="nowrap"><a href=format!("/beheer/burgerverzoeken/{}", r.id)>{r.reference.clone()}</a></td>
                            <td>{r.citizen_name.clone().unwrap_or_default()}</td>
                            <td>{r.kind.label()}</td>
                            <td>{format!("{} ({})", format_day(r.received_on), r.channel.label())}</td>
                            <td>{status}</td>
                            <td>{r.assigned_to.clone().unwrap_or_else(|| "—".into())}</td>
                            <td><DeadlineText deadline=r.deadline open/></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table></div>
    }
}

/// `/beheer/burgerverzoeken/registreren`: a request from the counter or a letter.
#[component]
pub fn RegisterPage() -> impl IntoView {
    view! {
        <Title text="Verzoek registreren"/>
        <p><a href="/beheer/burgerverzoeken">"Terug naar de verzoeken"</a></p>
        <RequireRole roles=&[Role::Beheerder] children=|_: User| view! { <RegisterForm/> }/>
    }
}

#[component]
fn RegisterForm() -> impl IntoView {
    let error = url_error::<RegisterRequest>();
    let SessionContext(session) = expect_context();
    view! {
        <h1>"Verzoek registreren"</h1>
        <p class="prose">"Voor een verzoek dat aan de balie of per brief binnenkwam. Leg vast hoe u de identiteit van de inwoner heeft vastgesteld en waarom u het verzoek registreert."</p>
        <FormAlert error fields=&["burgerservicenummer", "kanaal", "ontvangen", "identiteit", "identiteit_toelichting", "reden", "soort", "email", "toelichting", "gegeven", "waarde", "bijlagen"]/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let today = session.await.map(|s| s.today.format("%Y-%m-%d").to_string()).unwrap_or_default();
                view! {
                    <form method="post" action=RegisterRequest::url() enctype="multipart/form-data" class="form">
                        <TextField label="Burgerservicenummer" name="burgerservicenummer" required=true error=field_error(error, "burgerservicenummer")/>
                        <SelectField label="Binnengekomen" name="kanaal" error=field_error(error, "kanaal")>
                            <option value="balie">"Aan de balie"</option>
                            <option value="post">"Per brief"</option>
                        </SelectField>
                        <TextField label="Datum van ontvangst" name="ontvangen" kind="date" required=true value=today
                            description="De termijn loopt vanaf deze dag." error=field_error(error, "ontvangen")/>
                        <SelectField label="Identiteit vastgesteld met" name="identiteit" error=field_error(error, "identiteit")>
                            {IdentityCheck::ALL.into_iter().map(|c| view! { <option value=c.code()>{c.label()}</option> }).collect_view()}
                        </SelectField>
                        <TextField label="Toelichting op de identificatie" name="identiteit_toelichting" required=true
                            description="Bijvoorbeeld: soort document en de laatste cijfers van het nummer. Geen kopie van het document hier."
                            error=field_error(error, "identiteit_toelichting")/>
                        <TextField label="Reden van registratie" name="reden" required=true
                            description="Waarom u dit verzoek registreert, bijvoorbeeld ‘inwoner aan de balie, wil inzage’. Registreren toont u de BRP-gegevens van de inwoner; de reden komt in het verloop en in het auditlog."
                            error=field_error(error, "reden")/>
                        <SelectField label="Soort verzoek" name="soort" error=field_error(error, "soort")>
                            {RequestKind::ALL.into_iter().map(|k| view! { <option value=k.code()>{k.label()}</option> }).collect_view()}
                        </SelectField>
                        <fieldset class="fieldset">
                            <legend class="fieldset__legend">"Alleen bij correctie"</legend>
                            <SelectField label="Gegeven" name="gegeven" error=field_error(error, "gegeven")>
                                {CorrectableField::ALL.into_iter().map(|f| view! { <option value=f.path()>{f.label()}</option> }).collect_view()}
                            </SelectField>
                            <TextField label="Wat het moet zijn" name="waarde" error=field_error(error, "waarde")/>
                            <FileField error=field_error(error, "bijlagen")/>
                            <div class="checkbox">
                                <input type="checkbox" id="ontvangers_informeren" name="ontvangers_informeren" value="ja"/>
                                <label for="ontvangers_informeren">"De inwoner wil dat eerdere ontvangers worden geïnformeerd"</label>
                            </div>
                        </fieldset>
                        <TextArea label="Toelichting van de inwoner" name="toelichting" error=field_error(error, "toelichting")
                            description="Verplicht bij correctie: waarom klopt het gegeven niet?"/>
                        <TextField label="E-mailadres van de inwoner" name="email" kind="email" error=field_error(error, "email")/>
                        <div class="form-actions"><button type="submit" class="button button--primary">"Verzoek registreren"</button></div>
                    </form>
                }
            })}
        </Suspense>
    }
}

/// `/beheer/burgerverzoeken/:id`: one request with its handling.
#[component]
pub fn StaffRequestPage() -> impl IntoView {
    view! {
        <Title text="Verzoek van een inwoner"/>
        <p><a href="/beheer/burgerverzoeken">"Terug naar de verzoeken"</a></p>
        <RequireRole roles=READ children=|_: User| view! { <StaffRequestDetail/> }/>
    }
}

#[component]
fn StaffRequestDetail() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id");
    let step = ServerAction::<HandleRequest>::new();
    let error = action_error(step);
    let data = Resource::new(
        move || (id(), step.version().get()),
        |(id, _)| async move {
            match id {
                Some(id) => staff_request(id).await,
                None => Err(AppError::NotFound("Het verzoek is niet gevonden.".into())),
            }
        },
    );
    let notice = use_notice(&[
        ("opgepakt", "U behandelt dit verzoek."),
        ("gevraagd", "De vraag is naar de inwoner gestuurd. De termijn staat stil tot het antwoord er is, of tot de antwoordtermijn voorbij is."),
        ("verlengd", "De termijn is met 8 weken verlengd. De inwoner krijgt een brief met de reden."),
        ("besloten", "Het besluit is genomen. De inwoner krijgt de brief in het portaal en, als er een e-mailadres is, een e-mail."),
        ("geinformeerd", "De eerdere ontvangers zijn geïnformeerd."),
        ("geregistreerd", "Het verzoek is geregistreerd."),
    ]);
    view! {
        <Notice text=notice/>
        <FormAlert error fields=&["vraag", "antwoord_uiterlijk", "grond", "toelichting_verlenging", "besluit", "motivering", "waarde"]/>
        <Suspense fallback=|| view! { <p>"Bezig met laden…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <h1>"Verzoek"</h1><ErrorBox error=e/> }.into_any(),
                    Ok(v) => view! { <StaffRequestBody view=v step error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StaffRequestBody(
    view: RequestView,
    step: ServerAction<HandleRequest>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let r = view.request.clone();
    let a = view.allowed;
    let id = r.id.clone();
    let proposed = r.correction.as_ref().map(|c| c.proposed_value.clone());
    let is_correctie = r.kind == RequestKind::Correctie;
    let granted_correction = !view.corrections.is_empty();
    let ground = r.deferral_ground();
    // Today, as the service counted it, plus the default answer term of Awb 4:15.
    let answer_by = (view.deadline.due - chrono::Duration::days(view.deadline.days_left)
        + chrono::Duration::days(brp_domain::citizen::information::ANSWER_DAYS_DEFAULT))
    .format("%Y-%m-%d")
    .to_string();
    view! {
        <h1>{format!("Verzoek {} van {}", r.reference, view.citizen_name)}</h1>
        <RequestFacts view=view.clone() staff=true/>
        {a.take.then(|| { let id = id.clone(); view! {
            <ActionForm action=step attr:class="form">
                {step_fields(id, "oppakken")}
                <button type="submit" class="button button--secondary">"Dit verzoek zelf behandelen"</button>
            </ActionForm>
        }})}
        {(!view.corrections.is_empty()).then(|| view! {
            <h2>"Gecorrigeerd"</h2>
            <ul>
                {view.corrections.iter().map(|c| view! {
                    <li>{format!("{}: ‘{}’ werd ‘{}’, door {} op {}. {}", c.field_label, c.old_value, c.new_value,
                        c.corrected_by, brp_domain::time::format_datetime(c.corrected_at), c.reason)}</li>
                }).collect_view()}
            </ul>
        })}
        {(granted_correction || r.inform_recipients).then(|| view! {
            <h2>"Eerdere ontvangers (Wet BRP 3.23)"</h2>
            {if granted_correction {
                view! { <RecipientTable view=view.clone()/> }.into_any()
            } else {
                view! { <p>"De inwoner vroeg eerdere ontvangers te informeren. Dat kan na de correctie."</p> }.into_any()
            }}
        })}
        {a.notify_recipients.then(|| { let id = id.clone(); view! {
            <ActionForm action=step attr:class="form">
                {step_fields(id, "informeren")}
                <button type="submit" class="button button--primary">"Eerdere ontvangers informeren"</button>
            </ActionForm>
        }})}
        {a.ask_information.then(|| { let id = id.clone(); view! {
            <section class="section" aria-labelledby="vraag-titel">
                <h2 id="vraag-titel">"Informatie vragen aan de inwoner"</h2>
                <ActionForm action=step attr:class="form">
                    {step_fields(id, "vragen")}
                    <TextArea label="Vraag" name="vraag" required=true
                        description="Komt in een brief aan de inwoner. De termijn staat stil tot het antwoord er is, of tot de antwoordtermijn voorbij is."
                        error=field_error(error, "vraag")/>
                    <TextField label="Antwoord uiterlijk" name="antwoord_uiterlijk" kind="date" required=true
                        value=answer_by.clone()
                        description="Standaard twee weken; minstens 7 dagen en hoogstens 8 weken. Staat in de brief."
                        error=field_error(error, "antwoord_uiterlijk")/>
                    <div class="form-actions"><button type="submit" class="button button--secondary">"Vraag versturen"</button></div>
                </ActionForm>
            </section>
        }})}
        {a.extend.then(|| { let id = id.clone(); view! {
            <section class="section" aria-labelledby="verlengen-titel">
                <h2 id="verlengen-titel">"Beslissing verdagen met 8 weken"</h2>
                <p>"Eén keer, alleen bij een correctie van burgerlijke staat of nationaliteit (Wet BRP 2.58, tweede lid), en vóór het einde van de eerste termijn van 4 weken."</p>
                <ActionForm action=step attr:class="form">
                    {step_fields(id, "verlengen")}
                    // The ground follows from the element asked about: only that one is offered.
                    <SelectField label="Reden" name="grond" error=field_error(error, "grond")>
                        {ground.map(|g| view! {
                            <option value=g.code()>{format!("Het verzoek gaat over {}", g.code().replace('_', " "))}</option>
                        })}
                    </SelectField>
                    <TextArea label="Toelichting voor de inwoner" name="toelichting" error=field_error(error, "toelichting_verlenging")/>
                    <div class="form-actions"><button type="submit" class="button button--secondary">"Termijn verlengen"</button></div>
                </ActionForm>
            </section>
        }})}
        {a.decide.then(|| { let id = id.clone(); view! {
            <section class="section" aria-labelledby="besluit-titel">
                <h2 id="besluit-titel">"Besluit"</h2>
                <ActionForm action=step attr:class="form">
                    {step_fields(id, "besluiten")}
                    <SelectField label="Beslissing" name="besluit" error=field_error(error, "besluit")>
                        <option value="toegekend">"Toekennen"</option>
                        <option value="deels_toegekend">"Deels toekennen"</option>
                        <option value="afgewezen">"Afwijzen"</option>
                    </SelectField>
                    {is_correctie.then(|| view! {
                        <TextField label="Nieuwe waarde" name="waarde" value=proposed.clone().unwrap_or_default()
                            description="Zoals de inwoner vroeg; pas aan als het deels wordt toegekend."
                            error=field_error(error, "waarde")/>
                    })}
                    <TextArea label="Motivering" name="motivering"
                        description="Verplicht bij (deels) afwijzen. Komt in de brief, in gewone taal."
                        error=field_error(error, "motivering")/>
                    <div class="form-actions"><button type="submit" class="button button--primary">"Besluit nemen en brief versturen"</button></div>
                </ActionForm>
            </section>
        }})}
        <h2>"Brieven"</h2>
        <LetterList request=r.clone() base="/beheer/burgerverzoeken/brieven"/>
        <h2>"Bijlagen"</h2>
        <AttachmentList request=r.clone() base="/beheer/burgerverzoeken/bijlagen" download=a.download_attachments/>
        <h2>"Verloop"</h2>
        <History request=r/>
    }
}

/// The hidden fields that name the request and the step of a handling form.
fn step_fields(id: String, step: &'static str) -> impl IntoView {
    view! {
        <input type="hidden" name="id" value=id/>
        <input type="hidden" name="stap" value=step/>
    }
}

/// `/beheer/burgerverzoeken/brieven/:id`: a letter to a citizen, as sent.
#[component]
pub fn StaffLetterPage() -> impl IntoView {
    view! {
        <Title text="Brief aan inwoner"/>
        <RequireRole roles=READ children=|_: User| view! { <StaffLetterView/> }/>
    }
}

#[component]
fn StaffLetterView() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id");
    let letter = Resource::new(id, |id| async move {
        match id {
            Some(id) => staff_letter(id).await,
            None => Err(AppError::NotFound("De brief is niet gevonden.".into())),
        }
    });
    view! {
        <Suspense fallback=|| view! { <p>"Bezig met laden…"</p> }>
            {move || Suspend::new(async move {
                match letter.await {
                    Err(e) => view! { <h1>"Brief"</h1><ErrorBox error=e/> }.into_any(),
                    Ok(l) => view! {
                        <LetterBody
                            back=format!("/beheer/burgerverzoeken/{}", l.request_id)
                            download=format!("/beheer/burgerverzoeken/brieven/{}/download", l.id)
                            letter=l/>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
