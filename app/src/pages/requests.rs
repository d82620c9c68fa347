//! Autorisatieformulieren: the medewerker's request and its status, the beheerder's queue
//! and decision.

use crate::api::authorisation::{
    get_request, list_profiles, list_requests, register_doelen, DecideRequest, SubmitRequest,
    WithdrawRequest,
};
use crate::components::form::{
    action_error, field_error, use_notice, ErrorBox, FormAlert, Notice, SelectField, TextArea,
    TextField,
};
use crate::components::guard::RequireRole;
use crate::components::layout::SessionContext;
use crate::components::profile::ProfileContentView;
use crate::error::AppError;
use brp_domain::authorisation::{one_year_after, AuthorisationRequest, RequestStatus, DECLARATION};
use brp_domain::time::{format_datetime, format_day};
use brp_domain::{Role, User};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

const REQUESTERS: &[Role] = &[Role::Medewerker, Role::Beheerder];
const READ: &[Role] = &[Role::Beheerder, Role::Toezichthouder];

fn period(r: &AuthorisationRequest) -> String {
    format!(
        "{} t/m {}",
        format_day(r.start_date),
        format_day(r.end_date)
    )
}

fn use_request_id() -> impl Fn() -> Option<i64> + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get("id").and_then(|v| v.parse::<i64>().ok())
}

async fn load_request(id: Option<i64>) -> Result<AuthorisationRequest, AppError> {
    match id {
        Some(id) => get_request(id).await,
        None => Err(AppError::NotFound("De aanvraag is niet gevonden.".into())),
    }
}

/// The request itself: what was asked, why, for when, and what was signed.
#[component]
fn RequestSummary(request: AuthorisationRequest) -> impl IntoView {
    view! {
        <dl class="data-list">
            <dt>"Aanvrager"</dt>
            <dd>{format!("{} ({})", request.requester.display_name, request.requester.username)}
                {request.requester.afnemer.as_ref().map(|a| format!(", {}", a.name))}</dd>
            <dt>"Profiel"</dt><dd>{format!("{} (versie {})", request.profile_name, request.profile_version)}</dd>
            <dt>"Afnemer van het profiel"</dt><dd>{request.profile_afnemer.name.clone()}</dd>
            <dt>"Periode"</dt><dd>{period(&request)}</dd>
            <dt>"Ingediend"</dt><dd>{format_datetime(request.signed_at)}</dd>
            <dt>"Status"</dt><dd>{request.status.label()}</dd>
            {request.decision.clone().map(|d| view! {
                <dt>"Besluit"</dt>
                <dd>{format!("{}, {}{}", d.by, format_datetime(d.at), if d.reason.is_empty() { String::new() } else { format!(": {}", d.reason) })}</dd>
            })}
        </dl>
        <h2>"Motivering"</h2>
        <p class="pre-line">{request.motivation.clone()}</p>
        <h2>"Ondertekende verklaring"</h2>
        <blockquote class="signed-text pre-line">{request.signed_text.clone()}</blockquote>
    }
}

#[component]
pub fn NewRequestPage() -> impl IntoView {
    view! {
        <Title text="Autorisatie aanvragen"/>
        <RequireRole roles=REQUESTERS children=|me: User| view! { <NewRequest me/> }/>
    }
}

#[component]
fn NewRequest(me: User) -> impl IntoView {
    let data = Resource::new(
        || (),
        |_| async move { Ok::<_, AppError>((list_profiles().await?, register_doelen().await?)) },
    );
    let submit = ServerAction::<SubmitRequest>::new();
    let error = action_error(submit);
    let SessionContext(session) = expect_context();
    let name = me.display_name.to_string();
    // Only the profiles of the own afnemer can be asked for (the service refuses others).
    let own_afnemer = me.afnemer.as_ref().map(|a| a.id);
    view! {
        <p><a href="/autorisaties">"Terug naar mijn autorisaties"</a></p>
        <h1>"Autorisatie aanvragen"</h1>
        <p>"Met dit autorisatieformulier vraagt u toegang tot persoonsgegevens met een autorisatieprofiel. De toegang begint pas nadat de BRP-beheerder uw aanvraag schriftelijk heeft toegekend."</p>
        <Suspense fallback=|| view! { <p>"Bezig met laden…"</p> }>
            {move || {
                let name = name.clone();
                Suspend::new(async move {
                // Default period: from today (by the server's clock) for a year.
                let today = session.await.map(|s| s.today).ok();
                let start = today.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
                let end = today.map(|d| one_year_after(d).format("%Y-%m-%d").to_string()).unwrap_or_default();
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok((profiles, doelen)) => {
                        let usable: Vec<_> = profiles.into_iter()
                            .filter(|p| p.current().is_some() && Some(p.afnemer.id) == own_afnemer)
                            .collect();
                        let options: Vec<(String, String)> = usable
                            .iter()
                            .map(|p| (p.id.to_string(), format!("{} ({})", p.name, p.afnemer.name)))
                            .collect();
                        view! {
                            <FormAlert error fields=&["profiel", "motivering", "begindatum", "einddatum", "ondertekening"]/>
                            <ActionForm action=submit attr:class="form">
                                <SelectField label="Autorisatieprofiel" name="profiel" error=field_error(error, "profiel")
                                    description="Wat elk profiel toestaat, staat onder het formulier.">
                                    {options.into_iter().map(|(value, label)| view! {
                                        <option value=value>{label}</option>
                                    }).collect_view()}
                                </SelectField>
                                <TextArea label="Motivering" name="motivering" required=true
                                    description="Voor welke taak heeft u deze gegevens nodig?"
                                    error=field_error(error, "motivering")/>
                                <TextField label="Gewenste begindatum" name="begindatum" kind="date" required=true value=start
                                    error=field_error(error, "begindatum")/>
                                <TextField label="Gewenste einddatum" name="einddatum" kind="date" required=true value=end
                                    description="Hoogstens een jaar na de begindatum."
                                    error=field_error(error, "einddatum")/>
                                <fieldset class="fieldset">
                                    <legend class="fieldset__legend">"Verklaring"</legend>
                                    <p class="signed-text">{DECLARATION}</p>
                                    <TextField label="Onderteken door uw volledige naam te typen" name="ondertekening" required=true
                                        autocomplete="name"
                                        description="Typ uw naam precies zoals die bij uw account staat."
                                        error=field_error(error, "ondertekening")/>
                                    <p class="form-field__description">{format!("Uw naam bij uw account: {name}")}</p>
                                </fieldset>
                                <div class="form-actions"><button type="submit" class="button button--primary">"Aanvraag ondertekenen en indienen"</button></div>
                            </ActionForm>
                            <section class="section" aria-labelledby="profielen-titel">
                                <h2 id="profielen-titel">"Wat de profielen toestaan"</h2>
                                {usable.into_iter().map(|p| {
                                    let content = p.current().map(|c| c.content.clone()).unwrap_or_default();
                                    view! {
                                        <details class="profile-details">
                                            <summary>{format!("{} ({})", p.name, p.afnemer.name)}</summary>
                                            <ProfileContentView content doelen=doelen.clone()/>
                                        </details>
                                    }
                                }).collect_view()}
                            </section>
                        }.into_any()
                    }
                }
            })}}
        </Suspense>
    }
}

#[component]
pub fn MyRequestPage() -> impl IntoView {
    view! {
        <Title text="Mijn aanvraag"/>
        <RequireRole roles=&[Role::Medewerker, Role::Beheerder, Role::Toezichthouder] children=|_: User| view! { <MyRequest/> }/>
    }
}

#[component]
fn MyRequest() -> impl IntoView {
    let id = use_request_id();
    let withdraw = ServerAction::<WithdrawRequest>::new();
    let error = action_error(withdraw);
    let data = Resource::new(
        move || (id(), withdraw.version().get()),
        |(id, _)| load_request(id),
    );
    let notice = use_notice(&[
        (
            "ingediend",
            "Uw aanvraag is ingediend. U krijgt bericht zodra de BRP-beheerder heeft beslist.",
        ),
        ("ingetrokken", "Uw aanvraag is ingetrokken."),
    ]);
    view! {
        <p><a href="/autorisaties">"Terug naar mijn autorisaties"</a></p>
        <Notice text=notice/>
        <h1>"Aanvraag om autorisatie"</h1>
        <FormAlert error/>
        <Suspense fallback=|| view! { <p>"Bezig met laden…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(r) => {
                        let open = r.status == RequestStatus::Submitted;
                        let id = r.id;
                        view! {
                            <RequestSummary request=r/>
                            {open.then(|| view! {
                                <ActionForm action=withdraw attr:class="form">
                                    <input type="hidden" name="id" value=id.to_string()/>
                                    <button type="submit" class="button button--warning">"Aanvraag intrekken"</button>
                                </ActionForm>
                            })}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn RequestQueuePage() -> impl IntoView {
    view! {
        <Title text="Aanvragen"/>
        <RequireRole roles=READ children=|_: User| view! { <RequestQueue/> }/>
    }
}

#[component]
fn RequestQueue() -> impl IntoView {
    let requests = Resource::new(|| (), |_| list_requests(false));
    view! {
        <h1>"Aanvragen om autorisatie"</h1>
        <Suspense fallback=|| view! { <p>"Bezig met laden…"</p> }>
            {move || Suspend::new(async move {
                match requests.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(list) => {
                        let (open, done): (Vec<_>, Vec<_>) = list.into_iter().partition(|r| r.status == RequestStatus::Submitted);
                        view! {
                            <h2>{format!("Wachten op besluit ({})", open.len())}</h2>
                            <RequestTable requests=open caption="Aanvragen die op een besluit wachten"/>
                            <h2>"Afgehandeld"</h2>
                            <RequestTable requests=done caption="Afgehandelde aanvragen"/>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn RequestTable(requests: Vec<AuthorisationRequest>, caption: &'static str) -> impl IntoView {
    if requests.is_empty() {
        return view! { <p>"Geen."</p> }.into_any();
    }
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Tabel; schuif opzij voor meer kolommen"><table class="table">
            <caption class="visually-hidden">{caption}</caption>
            <thead><tr>
                <th scope="col">"Aanvraag"</th><th scope="col">"Aanvrager"</th><th scope="col">"Profiel"</th>
                <th scope="col">"Periode"</th><th scope="col">"Ingediend"</th><th scope="col">"Status"</th>
            </tr></thead>
            <tbody>
                {requests.into_iter().map(|r| view! {
                    <tr>
                        <td><a href=format!("/beheer/aanvragen/{}", r.id)>{format!("Aanvraag {}", r.id)}</a></td>
                        <td>{r.requester.display_name.clone()}</td>
                        <td>{r.profile_name.clone()}</td>
                        <td>{period(&r)}</td>
                        <td>{format_datetime(r.signed_at)}</td>
                        <td>{r.status.label()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table></div>
    }
    .into_any()
}

#[component]
pub fn RequestDecisionPage() -> impl IntoView {
    view! {
        <Title text="Aanvraag beoordelen"/>
        <RequireRole roles=READ children=|me: User| view! { <RequestDecision me/> }/>
    }
}

#[component]
fn RequestDecision(me: User) -> impl IntoView {
    let id = use_request_id();
    let decide = ServerAction::<DecideRequest>::new();
    let error = action_error(decide);
    let data = Resource::new(
        move || (id(), decide.version().get()),
        |(id, _)| load_request(id),
    );
    let notice = use_notice(&[
        ("toegekend", "De autorisatie is toegekend. De medewerker krijgt het schriftelijk bericht in het portaal en per e-mail."),
        ("afgewezen", "De aanvraag is afgewezen. De medewerker krijgt een brief met de reden."),
    ]);
    view! {
        <p><a href="/beheer/aanvragen">"Terug naar alle aanvragen"</a></p>
        <Notice text=notice/>
        <Suspense fallback=|| view! { <p>"Bezig met laden…"</p> }>
            {move || {
                let me = me.clone();
                Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <h1>"Aanvraag"</h1><ErrorBox error=e/> }.into_any(),
                    Ok(r) => {
                        let open = r.status == RequestStatus::Submitted;
                        let own = r.requester.id == me.id;
                        let other_department = r.requester.afnemer.as_ref().is_some_and(|a| a.id != r.profile_afnemer.id);
                        let id = r.id;
                        view! {
                            <h1>{format!("Aanvraag {}: {}", r.id, r.profile_name)}</h1>
                            {other_department.then(|| view! {
                                <div class="alert alert--info"><p>"Let op: de aanvrager werkt bij een ander organisatieonderdeel dan de afnemer van dit profiel."</p></div>
                            })}
                            <RequestSummary request=r/>
                            {(open && me.role == Role::Beheerder && own).then(|| view! {
                                <p class="alert alert--info">"Dit is uw eigen aanvraag. Een andere beheerder beslist erover (vier ogen)."</p>
                            })}
                            {(open && me.role == Role::Beheerder && !own).then(|| view! {
                                <section class="section" aria-labelledby="besluit-titel">
                                    <h2 id="besluit-titel">"Besluit"</h2>
                                    <FormAlert error fields=&["reden"]/>
                                    <ActionForm action=decide attr:class="form">
                                        <input type="hidden" name="id" value=id.to_string()/>
                                        <TextArea label="Reden" name="reden" description="Verplicht bij afwijzen; komt in de brief aan de medewerker."
                                            error=field_error(error, "reden")/>
                                        <div class="form-actions button-group">
                                            <button type="submit" name="besluit" value="toekennen" class="button button--primary">"Toekennen"</button>
                                            <button type="submit" name="besluit" value="afwijzen" class="button button--warning">"Afwijzen"</button>
                                        </div>
                                    </ActionForm>
                                </section>
                            })}
                        }.into_any()
                    }
                }
            })}}
        </Suspense>
    }
}
