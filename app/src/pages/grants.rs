//! Grants (autorisaties): the holder's own overview with requests and letters, the
//! beheerder's overview per afnemer and user, the herbeoordeling, letters and the outbox.

use crate::api::authorisation::{
    get_letter, list_grants, my_grants, my_letters, my_requests, outbox, register_doelen,
    review_list, GrantAction,
};
use crate::api::list_afnemers;
use crate::api::list_users;
use crate::components::form::{action_error, use_notice, ErrorBox, FormAlert, Notice};
use crate::components::guard::RequireRole;
use crate::components::profile::ProfileContentView;
use crate::error::AppError;
use brp_domain::authorisation::{GrantState, GrantView};
use brp_domain::time::{format_datetime, format_day};
use brp_domain::{Role, User};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

const READ: &[Role] = &[Role::Beheerder, Role::Toezichthouder];

fn period(g: &GrantView) -> String {
    format!(
        "{} t/m {}",
        format_day(g.grant.start_date),
        format_day(g.grant.end_date)
    )
}

fn version_text(g: &GrantView) -> String {
    if g.awaiting_reconfirmation {
        format!(
            "{} (profiel is nu versie {}; verruiming wacht op herbevestiging)",
            g.grant.confirmed_version, g.grant.current_version
        )
    } else {
        g.grant.confirmed_version.to_string()
    }
}

#[component]
pub fn MyAuthorisationsPage() -> impl IntoView {
    view! {
        <Title text="Mijn autorisaties"/>
        <RequireRole roles=&[Role::Medewerker, Role::Beheerder] children=|_: User| view! { <MyAuthorisations/> }/>
    }
}

#[component]
fn MyAuthorisations() -> impl IntoView {
    let data = Resource::new(
        || (),
        |_| async move {
            Ok::<_, AppError>((
                my_grants().await?,
                my_requests().await?,
                my_letters().await?,
                register_doelen().await?,
            ))
        },
    );
    view! {
        <h1>"Mijn autorisaties"</h1>
        <p><a class="button button--primary" href="/autorisaties/aanvragen/nieuw">"Autorisatie aanvragen"</a></p>
        <Suspense fallback=|| view! { <p>"Bezig met laden…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok((grants, requests, letters, doelen)) => view! {
                        <section class="section" aria-labelledby="toegekend-titel">
                            <h2 id="toegekend-titel">"Toegekende autorisaties"</h2>
                            {grants.is_empty().then(|| view! { <p>"U heeft nog geen autorisaties."</p> })}
                            {grants.into_iter().map(|g| view! {
                                <article class="card">
                                    <h3>{g.grant.profile_name.clone()}</h3>
                                    <dl class="data-list">
                                        <dt>"Status"</dt><dd>{g.state.label()}</dd>
                                        <dt>"Afnemer"</dt><dd>{g.grant.afnemer.name.clone()}</dd>
                                        <dt>"Periode"</dt><dd>{period(&g)}</dd>
                                        <dt>"Profielversie"</dt><dd>{version_text(&g)}</dd>
                                        {g.grant.revocation.clone().map(|r| view! {
                                            <dt>"Ingetrokken"</dt><dd>{format!("{} door {}: {}", format_datetime(r.at), r.by, r.reason)}</dd>
                                        })}
                                    </dl>
                                    {(g.state == GrantState::Active).then(|| g.effective.clone().map(|c| view! {
                                        <details><summary>"Wat u hiermee mag"</summary><ProfileContentView content=c doelen=doelen.clone()/></details>
                                    })).flatten()}
                                </article>
                            }).collect_view()}
                        </section>
                        <section class="section" aria-labelledby="aanvragen-titel">
                            <h2 id="aanvragen-titel">"Mijn aanvragen"</h2>
                            {requests.is_empty().then(|| view! { <p>"Geen aanvragen."</p> })}
                            <ul>
                                {requests.into_iter().map(|r| view! {
                                    <li>
                                        <a href=format!("/autorisaties/aanvragen/{}", r.id)>
                                            {format!("{}, ingediend {}", r.profile_name, format_datetime(r.signed_at))}
                                        </a>
                                        {format!(": {}", r.status.label())}
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                        <section class="section" aria-labelledby="berichten-titel">
                            <h2 id="berichten-titel">"Berichten"</h2>
                            {letters.is_empty().then(|| view! { <p>"Geen berichten."</p> })}
                            <ul>
                                {letters.into_iter().map(|l| view! {
                                    <li><a href=format!("/berichten/{}", l.id)>{format!("{} ({})", l.subject, format_datetime(l.created_at))}</a></li>
                                }).collect_view()}
                            </ul>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn LetterPage() -> impl IntoView {
    view! {
        <Title text="Bericht"/>
        <RequireRole roles=&[Role::Medewerker, Role::Beheerder, Role::Toezichthouder] children=|_: User| view! { <LetterView/> }/>
    }
}

#[component]
fn LetterView() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok());
    let letter = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_letter(id).await,
            None => Err(AppError::NotFound("Het bericht is niet gevonden.".into())),
        }
    });
    view! {
        <p class="no-print"><a href="/autorisaties">"Terug naar mijn autorisaties"</a></p>
        <Suspense fallback=|| view! { <p>"Bezig met laden…"</p> }>
            {move || Suspend::new(async move {
                match letter.await {
                    Err(e) => view! { <h1>"Bericht"</h1><ErrorBox error=e/> }.into_any(),
                    // The body was rendered by the service's askama template, which escapes
                    // every value; it is our own markup, not user input.
                    Ok(l) => view! {
                        <h1 class="visually-hidden">{l.subject.clone()}</h1>
                        <div inner_html=l.body_html></div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn GrantsPage() -> impl IntoView {
    view! {
        <Title text="Autorisaties"/>
        <RequireRole roles=READ children=|me: User| view! { <GrantsOverview me/> }/>
    }
}

#[component]
fn GrantsOverview(me: User) -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        (
            q.get("afnemer").and_then(|v| v.parse::<i64>().ok()),
            q.get("gebruiker").and_then(|v| v.parse::<i64>().ok()),
        )
    };
    let action = ServerAction::<GrantAction>::new();
    let data = Resource::new(
        move || (filter(), action.version().get()),
        |((afnemer, gebruiker), _)| async move {
            Ok::<_, AppError>((
                list_grants(afnemer, gebruiker).await?,
                list_afnemers().await?,
                list_users().await.unwrap_or_default(),
            ))
        },
    );
    let notice = use_notice(&[
        ("ingetrokken", "De autorisatie is ingetrokken. Ze geeft vanaf het volgende verzoek van de medewerker geen rechten meer."),
        ("herbevestigd", "De autorisatie is herbevestigd op de huidige profielversie."),
        ("verlengd", "De autorisatie is verlengd."),
    ]);
    let beheerder = me.role == Role::Beheerder;
    view! {
        <h1>"Autorisaties"</h1>
        <p>"Wie welk profiel heeft, per afnemer en per gebruiker."</p>
        <Notice text=notice/>
        <FormAlert error=action_error(action)/>
        <Suspense fallback=|| view! { <p>"Bezig met laden…"</p> }>
            {move || Suspend::new(async move {
                let (afnemer, gebruiker) = filter();
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok((grants, afnemers, users)) => view! {
                        <form method="get" action="/beheer/autorisaties" class="filter-form">
                            <div class="form-field">
                                <label class="form-label" for="filter-afnemer">"Afnemer"</label>
                                <select class="select" id="filter-afnemer" name="afnemer">
                                    <option value="">"Alle afnemers"</option>
                                    {afnemers.into_iter().map(|a| view! {
                                        <option value=a.id.to_string() selected=afnemer == Some(a.id)>{String::from(a.name)}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                            <div class="form-field">
                                <label class="form-label" for="filter-gebruiker">"Gebruiker"</label>
                                <select class="select" id="filter-gebruiker" name="gebruiker">
                                    <option value="">"Alle gebruikers"</option>
                                    {users.into_iter().map(|u| view! {
                                        <option value=u.id.to_string() selected=gebruiker == Some(u.id)>{format!("{} ({})", u.display_name, u.username)}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                            <div class="form-actions"><button type="submit" class="button button--secondary">"Toon"</button></div>
                        </form>
                        <GrantTable grants beheerder action back="autorisaties"/>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn GrantTable(
    grants: Vec<GrantView>,
    beheerder: bool,
    action: ServerAction<GrantAction>,
    back: &'static str,
) -> impl IntoView {
    if grants.is_empty() {
        return view! { <p>"Geen autorisaties."</p> }.into_any();
    }
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Tabel; schuif opzij voor meer kolommen"><table class="table">
            <caption class="visually-hidden">"Autorisaties"</caption>
            <thead><tr>
                <th scope="col">"Gebruiker"</th><th scope="col">"Profiel"</th><th scope="col">"Afnemer"</th>
                <th scope="col">"Periode"</th><th scope="col">"Status"</th><th scope="col">"Profielversie"</th>
                <th scope="col">"Laatst bevestigd"</th>
                {beheerder.then(|| view! { <th scope="col">"Acties"</th> })}
            </tr></thead>
            <tbody>
                {grants.into_iter().map(|g| {
                    let running = matches!(g.state, GrantState::Active | GrantState::NotYetStarted);
                    view! {
                        <tr>
                            <td>{format!("{} ({})", g.grant.user.display_name, g.grant.user.username)}</td>
                            <td>{g.grant.profile_name.clone()}</td>
                            <td>{g.grant.afnemer.name.clone()}</td>
                            <td>{period(&g)}</td>
                            <td>{g.state.label()}{g.due_for_review.then_some(" (herbeoordelen)")}</td>
                            <td>{version_text(&g)}</td>
                            <td>{format!("{} door {}", format_datetime(g.grant.last_confirmed_at), g.grant.last_confirmed_by)}</td>
                            {(beheerder).then(|| view! {
                                <td>{running.then(|| view! { <GrantActions grant=g.clone() action back/> }.into_any())}</td>
                            })}
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table></div>
    }
    .into_any()
}

/// Re-confirm, extend and revoke: each a small plain form.
#[component]
fn GrantActions(
    grant: GrantView,
    action: ServerAction<GrantAction>,
    back: &'static str,
) -> impl IntoView {
    let error = action_error(action);
    let id = grant.grant.id;
    let reason_name = format!("reden-{}", grant.grant.id);
    let end_name = format!("einddatum-{}", grant.grant.id);
    view! {
        <div class="grant-actions">
            {grant.awaiting_reconfirmation.then(|| view! {
                <ActionForm action attr:class="inline-form">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <input type="hidden" name="actie" value="herbevestigen"/>
                    <input type="hidden" name="terug" value=back/>
                    <button type="submit" class="button button--secondary">"Herbevestigen"</button>
                </ActionForm>
            })}
            <details>
                <summary>"Verlengen of intrekken"</summary>
                <ActionForm action attr:class="form">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <input type="hidden" name="actie" value="verlengen"/>
                    <input type="hidden" name="terug" value=back/>
                    <div class="form-field">
                        <label class="form-label" for=end_name.clone()>"Nieuwe einddatum"</label>
                        <input class="textbox" type="date" id=end_name name="einddatum" required=true/>
                    </div>
                    <button type="submit" class="button button--secondary">"Verlengen"</button>
                </ActionForm>
                <ActionForm action attr:class="form">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <input type="hidden" name="actie" value="intrekken"/>
                    <input type="hidden" name="terug" value=back/>
                    <div class="form-field">
                        <label class="form-label" for=reason_name.clone()>"Reden van intrekking"</label>
                        <textarea class="textarea" id=reason_name name="reden" rows="2" required=true></textarea>
                    </div>
                    <button type="submit" class="button button--warning">"Intrekken"</button>
                </ActionForm>
            </details>
            {move || error.get().and_then(|e| e.for_field("einddatum").or_else(|| e.for_field("reden"))).map(|m| view! {
                <p class="form-field__error">{m}</p>
            })}
        </div>
    }
}

#[component]
pub fn ReviewPage() -> impl IntoView {
    view! {
        <Title text="Herbeoordeling"/>
        <RequireRole roles=READ children=|me: User| view! { <Review me/> }/>
    }
}

#[component]
fn Review(me: User) -> impl IntoView {
    let action = ServerAction::<GrantAction>::new();
    let data = Resource::new(move || action.version().get(), |_| review_list());
    let notice = use_notice(&[
        ("ingetrokken", "De autorisatie is ingetrokken."),
        ("herbevestigd", "De autorisatie is herbevestigd."),
        ("verlengd", "De autorisatie is verlengd."),
    ]);
    let beheerder = me.role == Role::Beheerder;
    view! {
        <h1>"Herbeoordeling"</h1>
        <p>"Autorisaties die binnen 30 dagen eindigen of langer dan 12 maanden niet zijn bevestigd. Verleng of beëindig elke autorisatie."</p>
        <Notice text=notice/>
        <FormAlert error=action_error(action)/>
        <Suspense fallback=|| view! { <p>"Bezig met laden…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(grants) => view! { <GrantTable grants beheerder action back="herbeoordeling"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn OutboxPage() -> impl IntoView {
    view! {
        <Title text="Uitgaande post"/>
        <RequireRole roles=READ children=|_: User| view! { <Outbox/> }/>
    }
}

#[component]
fn Outbox() -> impl IntoView {
    let messages = Resource::new(|| (), |_| outbox());
    view! {
        <h1>"Uitgaande post"</h1>
        <p>"Alle e-mail die het portaal verstuurt of heeft verstuurd, nieuwste eerst."</p>
        <Suspense fallback=|| view! { <p>"Bezig met laden…"</p> }>
            {move || Suspend::new(async move {
                match messages.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(list) => view! {
                        {list.is_empty().then(|| view! { <p>"Nog geen berichten."</p> })}
                        {list.into_iter().map(|m| view! {
                            <article class="card outbox-message">
                                <h2>{m.subject.clone()}</h2>
                                <dl class="data-list">
                                    <dt>"Aan"</dt><dd>{format!("{} <{}>", m.to_name, m.to_address)}</dd>
                                    <dt>"Aangemaakt"</dt><dd>{format_datetime(m.created_at)}</dd>
                                    <dt>"Verzonden"</dt><dd>{match (m.sent_at, m.attempts) {
                                        (Some(at), _) => format_datetime(at),
                                        (None, 0) => "nog niet verzonden".to_owned(),
                                        (None, n) => format!("nog niet: {n} mislukte pogingen ({})", m.last_error.clone().unwrap_or_default()),
                                    }}</dd>
                                </dl>
                                <details><summary>"Tekst"</summary><pre class="mail-text">{m.body_text.clone()}</pre></details>
                            </article>
                        }).collect_view()}
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
