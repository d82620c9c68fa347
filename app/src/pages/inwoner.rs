//! The citizen's pages: logging in with DigiD (or the demo's simulation), making a request,
//! following it, and reading the letters.

use crate::api::citizens::{
    digid_available, my_letter, my_request, my_requests, simulation_persons, AskInformRecipients,
    GiveInformation, SimulatedLogin, SubmitCorrection, SubmitRequest,
};
use crate::components::citizen::{
    summary_status, AttachmentList, DeadlineText, History, LetterBody, LetterList, RecipientTable,
    RequestFacts,
};
use crate::components::form::{
    action_error, field_error, url_error, use_notice, ErrorBox, FormAlert, Notice, SelectField,
    TextArea, TextField,
};
use crate::components::layout::SessionContext;
use crate::error::AppError;
use brp_domain::citizen::attachment::MAX_ATTACHMENTS;
use brp_domain::citizen::correction::CorrectableField;
use brp_domain::citizen::{Assurance, CitizenInfo, EventKind, RequestKind, RequestSummary};
use brp_domain::time::format_day;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Shows `children` to a logged-in citizen, and the way to log in to anyone else.
#[component]
fn RequireCitizen<F, V>(children: F) -> impl IntoView
where
    F: Fn(CitizenInfo) -> V + Send + Sync + Clone + 'static,
    V: IntoView + 'static,
{
    let SessionContext(session) = expect_context();
    // Not in a reactive closure, so the page is made once (see `RequireRole`).
    view! {
        <Suspense fallback=|| view! { <p>"Bezig met laden…"</p> }>
            {Suspend::new(async move {
                match session.await {
                    Ok(info) => match info.citizen {
                        Some(c) => children(c).into_any(),
                        None => view! {
                            <div class="alert alert--info">
                                <p>"Log eerst in met DigiD. " <a href="/inwoner">"Naar inloggen"</a></p>
                            </div>
                        }.into_any(),
                    },
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/inwoner`: what a citizen can do here; logged in, their requests.
#[component]
pub fn InwonerStart() -> impl IntoView {
    let SessionContext(session) = expect_context();
    let query = use_query_map();
    let notice = Signal::derive(move || {
        let q = query.read();
        if q.get("uitgelogd").is_some() {
            Some("U bent uitgelogd.")
        } else {
            None
        }
    });
    let failed = Signal::derive(move || query.read().get("fout").is_some());
    view! {
        <Title text="Uw gegevens in de BRP"/>
        <Notice text=notice/>
        {move || failed.get().then(|| view! {
            <div class="alert alert--error" role="alert"><p>"Inloggen met DigiD is niet gelukt. Probeer het opnieuw."</p></div>
        })}
        <h1>"Uw gegevens in de basisregistratie personen"</h1>
        <Suspense fallback=|| view! { <p>"Bezig met laden…"</p> }>
            {Suspend::new(async move {
                match session.await {
                    Ok(info) => match info.citizen {
                        Some(c) => view! { <CitizenHome citizen=c/> }.into_any(),
                        None => view! { <CitizenLogin demo=info.demo/> }.into_any(),
                    },
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CitizenLogin(demo: bool) -> impl IntoView {
    let digid = Resource::new(|| (), |_| digid_available());
    view! {
        <div class="prose">
            <p>"De gemeente houdt uw gegevens bij in de basisregistratie personen (BRP). U heeft het recht om:"</p>
            <ul>
                <li>"te zien welke gegevens wij over u hebben en aan wie wij ze gaven (inzage);"</li>
                <li>"een gegeven te laten verbeteren als het niet klopt (correctie);"</li>
                <li>"te vragen uw gegevens niet aan derden te geven (geheimhouding), of daarmee te stoppen."</li>
            </ul>
            <p>"Dat is gratis. Wij beslissen binnen 4 weken."</p>
            <h2>"Inloggen"</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match digid.await {
                        Ok(true) => view! {
                            // A plain form: the portal sends the browser on to DigiD.
                            <form method="post" action="/inwoner/digid" class="form">
                                <button type="submit" class="button button--primary">"Inloggen met DigiD"</button>
                            </form>
                        }.into_any(),
                        _ => view! { <p>"Inloggen met DigiD is bij deze gemeente nog niet ingesteld."</p> }.into_any(),
                    }
                })}
            </Suspense>
            {demo.then(|| view! {
                <div class="alert alert--info">
                    <p>"Dit is een demo-omgeving. Log in met de "<a href="/inwoner/digid-simulatie">"DigiD-simulatie"</a>" als een persoon uit de demobevolking."</p>
                </div>
            })}
            <p>"Liever niet online? Doe uw verzoek aan de balie of per brief. Neem dan een geldig identiteitsbewijs mee, of stuur er een kopie van mee."</p>
        </div>
    }
}

#[component]
fn CitizenHome(citizen: CitizenInfo) -> impl IntoView {
    let requests = Resource::new(|| (), |_| my_requests());
    view! {
        <p>{format!("U bent ingelogd als {} met {}.", citizen.name, citizen.assurance.label())}</p>
        <h2>"Een verzoek doen"</h2>
        <ul class="card-list">
            {RequestKind::ALL.into_iter().map(|k| view! {
                <li class="card">
                    <h3><a href=format!("/inwoner/verzoeken/nieuw?soort={}", k.code())>{k.label()}</a></h3>
                    <p>{kind_explanation(k)}</p>
                </li>
            }).collect_view()}
        </ul>
        <h2>"Mijn verzoeken"</h2>
        <Suspense fallback=|| view! { <p>"Bezig met laden…"</p> }>
            {move || Suspend::new(async move {
                match requests.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p>"U heeft nog geen verzoeken gedaan."</p> }.into_any(),
                    Ok(list) => view! { <MyRequestTable requests=list/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn kind_explanation(k: RequestKind) -> &'static str {
    match k {
        RequestKind::Inzage => "U krijgt de gegevens die nu over u gelden in de BRP, en een overzicht van wie ze via het BRP-portaal kreeg.",
        RequestKind::Correctie => "Klopt een gegeven niet? Vraag ons het te verbeteren. Stuur als het kan een bewijs mee.",
        RequestKind::Geheimhouding => "Wij geven uw gegevens dan niet meer aan derden, zoals organisaties zonder overheidstaak.",
        RequestKind::IntrekkingGeheimhouding => "Heeft u geheimhouding en wilt u daarmee stoppen? Vraag het hier.",
    }
}

#[component]
fn MyRequestTable(requests: Vec<RequestSummary>) -> impl IntoView {
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Mijn verzoeken"><table class="table">
            <caption class="visually-hidden">"Mijn verzoeken"</caption>
            <thead><tr>
                <th scope="col">"Kenmerk"</th><th scope="col">"Verzoek"</th><th scope="col">"Ontvangen"</th>
                <th scope="col">"Status"</th><th scope="col">"Besluit uiterlijk"</th>
            </tr></thead>
            <tbody>
                {requests.into_iter().map(|r| {
                    let status = summary_status(&r);
                    let open = r.status.is_open();
                    view! {
                        <tr>
                            <td class="nowrap"><a href=format!("/inwoner/verzoeken/{}", r.id)>{r.reference.clone()}</a></td>
                            <td>{r.kind.label()}</td>
                            <td>{format_day(r.received_on)}</td>
                            <td>{status}</td>
                            <td><DeadlineText deadline=r.deadline open/></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table></div>
    }
}

/// `/inwoner/digid-simulatie`: the demo's stand-in for DigiD. The service refuses it
/// outside demo mode.
#[component]
pub fn SimulationPage() -> impl IntoView {
    let login = ServerAction::<SimulatedLogin>::new();
    let error = action_error(login);
    let persons = Resource::new(|| (), |_| simulation_persons());
    view! {
        <Title text="DigiD-simulatie"/>
        <div class="narrow">
            <h1>"DigiD-simulatie"</h1>
            <div class="alert alert--info">
                <p>"Dit is geen echte DigiD. In deze demo-omgeving kiest u zelf als welke persoon uit de demobevolking u inlogt."</p>
            </div>
            <FormAlert error fields=&["burgerservicenummer", "niveau"]/>
            <Suspense fallback=|| view! { <p>"Bezig met laden…"</p> }>
                {move || Suspend::new(async move {
                    match persons.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(list) => view! {
                            <ActionForm action=login attr:class="form">
                                <SelectField label="Persoon" name="burgerservicenummer" error=field_error(error, "burgerservicenummer")
                                    description="Een huishouden uit de demobevolking (Dorpsstraat 12).">
                                    {list.into_iter().map(|(bsn, name)| view! {
                                        <option value=bsn.clone()>{format!("{name} (BSN {bsn})")}</option>
                                    }).collect_view()}
                                </SelectField>
                                <TextField label="Of een ander burgerservicenummer" name="ander_burgerservicenummer"
                                    description="Laat leeg om de persoon hierboven te gebruiken."/>
                                <SelectField label="Betrouwbaarheidsniveau" name="niveau" error=field_error(error, "niveau")>
                                    {Assurance::ALL.into_iter().map(|a| view! {
                                        <option value=a.code() selected=a == Assurance::Substantieel>{a.label()}</option>
                                    }).collect_view()}
                                </SelectField>
                                <div class="form-actions">
                                    <button type="submit" class="button button--primary">"Inloggen (simulatie)"</button>
                                </div>
                            </ActionForm>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// `/inwoner/verzoeken/nieuw?soort=…`: the form for one kind of request.
#[component]
pub fn NewCitizenRequestPage() -> impl IntoView {
    let query = use_query_map();
    let kind = move || {
        query
            .read()
            .get("soort")
            .and_then(|s| RequestKind::from_code(&s))
    };
    view! {
        <Title text="Verzoek doen"/>
        <p><a href="/inwoner">"Terug naar mijn verzoeken"</a></p>
        <RequireCitizen children=move |_| {
            match kind() {
                Some(RequestKind::Correctie) => view! { <CorrectionForm/> }.into_any(),
                Some(k) => view! { <SimpleRequestForm kind=k/> }.into_any(),
                None => view! {
                    <h1>"Verzoek doen"</h1>
                    <p>"Kies eerst welk verzoek u wilt doen op de pagina "<a href="/inwoner">"Mijn verzoeken"</a>"."</p>
                }.into_any(),
            }
        }/>
    }
}

#[component]
fn SimpleRequestForm(kind: RequestKind) -> impl IntoView {
    let submit = ServerAction::<SubmitRequest>::new();
    let error = action_error(submit);
    let (title, intro) = match kind {
        RequestKind::Inzage => (
            "Inzage in uw gegevens",
            "U krijgt een overzicht van de gegevens die nu over u gelden in de BRP (zonder vroegere gegevens), en van wie uw gegevens via het BRP-portaal kreeg in de 20 jaar voor uw verzoek, voor zover het portaal ze in die tijd vastlegde. Ook medewerkers van de gemeente die uw gegevens in het portaal opvroegen voor hun werk, staan erin.",
        ),
        RequestKind::Geheimhouding => (
            "Geheimhouding van uw gegevens",
            "Met geheimhouding geven wij uw gegevens niet meer aan derden, zoals organisaties zonder overheidstaak. Overheidsorganisaties krijgen uw gegevens wel als zij die voor hun taak nodig hebben.",
        ),
        _ => (
            "Stoppen met geheimhouding",
            "Na uw verzoek geven wij uw gegevens weer aan derden als de wet dat toestaat.",
        ),
    };
    view! {
        <h1>{title}</h1>
        <div class="prose"><p>{intro}</p><p>"Wij beslissen binnen 4 weken. U krijgt daarover bericht."</p></div>
        <FormAlert error fields=&["email", "toelichting"]/>
        <ActionForm action=submit attr:class="form">
            <input type="hidden" name="soort" value=kind.code()/>
            <TextField label="E-mailadres voor berichten" name="email" kind="email" autocomplete="email"
                description="Wij sturen u een e-mail als er nieuws is. Uw gegevens staan niet in die e-mail."
                error=field_error(error, "email")/>
            <TextArea label="Toelichting" name="toelichting" error=field_error(error, "toelichting")/>
            <div class="form-actions">
                <button type="submit" class="button button--primary">"Verzoek indienen"</button>
            </div>
        </ActionForm>
    }
}

#[component]
fn CorrectionForm() -> impl IntoView {
    let error = url_error::<SubmitCorrection>();
    view! {
        <h1>"Correctie van een gegeven"</h1>
        <div class="prose">
            <p>"Klopt een gegeven over u in de BRP niet? Vertel ons welk gegeven, wat het moet zijn en waarom. Stuur als het kan een bewijs mee, zoals een akte."</p>
            <p>"Wij beslissen binnen 4 weken. Gaat het over uw burgerlijke staat of nationaliteit, dan kan dat 8 weken langer duren; dat laten wij u dan weten."</p>
        </div>
        <FormAlert error fields=&["gegeven", "waarde", "toelichting", "bijlagen", "email"]/>
        // A plain multipart form: files cannot go through an action, and this way it also
        // works without JavaScript.
        <form method="post" action=SubmitCorrection::url() enctype="multipart/form-data" class="form">
            <SelectField label="Welk gegeven klopt niet?" name="gegeven" error=field_error(error, "gegeven")>
                {CorrectableField::ALL.into_iter().map(|f| view! {
                    <option value=f.path()>{f.label()}</option>
                }).collect_view()}
            </SelectField>
            <TextField label="Wat moet het zijn?" name="waarde"
                description="Een datum schrijft u als 31-12-1980, een postcode als 1234 AB. Laat leeg als een voorvoegsel, huisletter of toevoeging moet vervallen."
                error=field_error(error, "waarde")/>
            <TextArea label="Waarom klopt het gegeven niet?" name="toelichting" required=true error=field_error(error, "toelichting")/>
            <FileField error=field_error(error, "bijlagen")/>
            <div class="checkbox">
                <input type="checkbox" id="ontvangers_informeren" name="ontvangers_informeren" value="ja"/>
                <label for="ontvangers_informeren">"Laat de organisaties die het oude gegeven kregen weten dat het is verbeterd"</label>
            </div>
            <TextField label="E-mailadres voor berichten" name="email" kind="email" autocomplete="email"
                description="Wij sturen u een e-mail als er nieuws is. Uw gegevens staan niet in die e-mail."
                error=field_error(error, "email")/>
            <div class="form-actions">
                <button type="submit" class="button button--primary">"Verzoek indienen"</button>
            </div>
        </form>
    }
}

/// The file input for attachments, after the form-field pattern.
#[component]
pub fn FileField(error: Signal<Option<String>>) -> impl IntoView {
    let described = move || {
        if error.get().is_some() {
            "veld-bijlagen-toelichting veld-bijlagen-fout"
        } else {
            "veld-bijlagen-toelichting"
        }
    };
    view! {
        <div class="form-field" class:form-field--invalid=move || error.get().is_some()>
            <label class="form-label" for="veld-bijlagen">"Bijlagen"<span class="form-label__optional">" (niet verplicht)"</span></label>
            <p class="form-field__description" id="veld-bijlagen-toelichting">
                {format!("PDF, JPEG of PNG, hoogstens 10 MB per bestand, hoogstens {MAX_ATTACHMENTS} bestanden.")}
            </p>
            {move || error.get().map(|m| view! { <p class="form-field__error" id="veld-bijlagen-fout">{m}</p> })}
            <input class="file-input" id="veld-bijlagen" name="bijlagen" type="file" multiple=true
                accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
                aria-describedby=described aria-invalid=move || error.get().is_some().then_some("true")/>
        </div>
    }
}

fn use_id() -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get("id")
}

/// `/inwoner/verzoeken/:id`: the status of one request, its deadline, history and letters.
#[component]
pub fn CitizenRequestPage() -> impl IntoView {
    view! {
        <Title text="Mijn verzoek"/>
        <p><a href="/inwoner">"Terug naar mijn verzoeken"</a></p>
        <RequireCitizen children=|_| view! { <CitizenRequestDetail/> }/>
    }
}

#[component]
fn CitizenRequestDetail() -> impl IntoView {
    let id = use_id();
    let ask = ServerAction::<AskInformRecipients>::new();
    let ask_error = action_error(ask);
    let info_error = url_error::<GiveInformation>();
    let data = Resource::new(
        move || (id(), ask.version().get()),
        |(id, _)| async move {
            match id {
                Some(id) => my_request(id).await,
                None => Err(AppError::NotFound("Het verzoek is niet gevonden.".into())),
            }
        },
    );
    let notice = use_notice(&[
        ("ingediend", "Uw verzoek is ontvangen. U krijgt een ontvangstbevestiging in het portaal en, als u een e-mailadres gaf, per e-mail."),
        ("informatie", "Dank u. Wij hebben uw informatie ontvangen."),
        ("ontvangers", "Wij informeren de eerdere ontvangers zodra het gegeven is verbeterd."),
    ]);
    view! {
        <Notice text=notice/>
        <Suspense fallback=|| view! { <p>"Bezig met laden…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <h1>"Verzoek"</h1><ErrorBox error=e/> }.into_any(),
                    Ok(v) => {
                        let r = v.request.clone();
                        let question = r.events.iter().rev().find(|e| e.kind == EventKind::InformatieGevraagd).map(|e| (e.text.clone(), e.due_on));
                        let show_recipients = r.inform_recipients && !v.corrections.is_empty();
                        let id = r.id.clone();
                        view! {
                            <h1>{format!("Verzoek {}", r.reference)}</h1>
                            <RequestFacts view=v.clone() staff=false/>
                            {v.allowed.give_information.then(|| view! {
                                <section class="section panel" aria-labelledby="vraag-titel">
                                    <h2 id="vraag-titel">"Wij vragen u om informatie"</h2>
                                    <p class="pre-line">{question.as_ref().map(|q| q.0.clone()).unwrap_or_default()}</p>
                                    {question.as_ref().and_then(|q| q.1).map(|due| view! {
                                        <p>{format!("Antwoord uiterlijk {}. Daarna loopt de termijn voor ons besluit weer en beslissen wij met wat wij weten.", brp_domain::time::format_day(due))}</p>
                                    })}
                                    <FormAlert error=info_error fields=&["informatie", "bijlagen"]/>
                                    <form method="post" action=GiveInformation::url() enctype="multipart/form-data" class="form">
                                        <input type="hidden" name="id" value=id.clone()/>
                                        <TextArea label="Uw antwoord" name="informatie" required=true error=field_error(info_error, "informatie")/>
                                        <FileField error=field_error(info_error, "bijlagen")/>
                                        <div class="form-actions"><button type="submit" class="button button--primary">"Informatie sturen"</button></div>
                                    </form>
                                </section>
                            })}
                            {v.allowed.ask_inform_recipients.then(|| view! {
                                <section class="section" aria-labelledby="ontvangers-titel">
                                    <h2 id="ontvangers-titel">"Eerdere ontvangers informeren"</h2>
                                    <p>"Wilt u dat wij de organisaties die het oude gegeven kregen, laten weten dat het is verbeterd? Dat doen wij zodra het gegeven is gecorrigeerd."</p>
                                    <FormAlert error=ask_error/>
                                    <ActionForm action=ask attr:class="form">
                                        <input type="hidden" name="id" value=id.clone()/>
                                        <button type="submit" class="button button--secondary">"Ja, informeer de eerdere ontvangers"</button>
                                    </ActionForm>
                                </section>
                            })}
                            {show_recipients.then(|| view! {
                                <h2>"Eerdere ontvangers van het oude gegeven"</h2>
                                <RecipientTable view=v.clone()/>
                            })}
                            <h2>"Brieven"</h2>
                            <LetterList request=r.clone() base="/inwoner/brieven"/>
                            <h2>"Bijlagen"</h2>
                            <AttachmentList request=r.clone() base="/inwoner/bijlagen" download=true/>
                            <h2>"Verloop"</h2>
                            <History request=r/>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// `/inwoner/brieven/:id`: one letter, printable, with a download.
#[component]
pub fn CitizenLetterPage() -> impl IntoView {
    view! {
        <Title text="Brief"/>
        <RequireCitizen children=|_| view! { <CitizenLetterView/> }/>
    }
}

#[component]
fn CitizenLetterView() -> impl IntoView {
    let id = use_id();
    let letter = Resource::new(id, |id| async move {
        match id {
            Some(id) => my_letter(id).await,
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
                            back=format!("/inwoner/verzoeken/{}", l.request_id)
                            download=format!("/inwoner/brieven/{}/download", l.id)
                            letter=l/>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
