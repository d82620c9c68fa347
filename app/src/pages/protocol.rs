//! The protocol viewer (beheerder, toezichthouder): search verstrekkingen by BSN,
//! medewerker or application, afnemer, channel and period, export as CSV; the security log; terugmeldingen.

use crate::api::raadplegen::{
    list_terugmeldingen, protocol_choices, protocol_records, security_log, HandleTerugmelding,
};
use crate::components::form::{action_error, use_notice, ErrorBox, FormAlert, Notice};
use crate::components::guard::RequireRole;
use crate::components::layout::SessionContext;
use brp_domain::protocol::{Terugmelding, TerugmeldingStatus};
use brp_domain::time::format_datetime_short;
use brp_domain::{Role, User};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const READERS: &[Role] = &[Role::Beheerder, Role::Toezichthouder];
const FILTER: [&str; 6] = ["bsn", "medewerker", "afnemer", "kanaal", "van", "tot"];

#[component]
pub fn ProtocolPage() -> impl IntoView {
    view! {
        <Title text="Protocol van verstrekkingen"/>
        <RequireRole roles=READERS children=|_: User| view! { <Protocol/> }/>
    }
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[component]
fn Protocol() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        FILTER.map(|k| q.get(k).unwrap_or_default())
    };
    let choices = Resource::new(|| (), |_| protocol_choices());
    let records = Resource::new(filter, |[bsn, medewerker, afnemer, kanaal, van, tot]| {
        protocol_records(bsn, medewerker, afnemer, kanaal, van, tot)
    });
    let current = filter();
    let csv_href = format!(
        "/protocol.csv?{}",
        FILTER
            .iter()
            .zip(current.iter())
            .map(|(k, v)| format!("{k}={}", url_encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    );
    let [bsn, medewerker, afnemer, kanaal, van, tot] = current;
    view! {
        <h1>"Protocol van verstrekkingen"</h1>
        <p>"Elke persoon die het portaal heeft verstrekt, met wie, wanneer, waarvoor en welke gegevens. Het protocol wordt 20 jaar bewaard en kan door niemand worden gewijzigd."</p>
        <Suspense fallback=|| view! { <p>"Bezig met laden…"</p> }>
            {move || {
                let (bsn, medewerker, afnemer, kanaal, van, tot) = (bsn.clone(), medewerker.clone(), afnemer.clone(), kanaal.clone(), van.clone(), tot.clone());
                Suspend::new(async move {
                let c = match choices.await {
                    Ok(c) => c,
                    Err(e) => return view! { <ErrorBox error=e/> }.into_any(),
                };
                view! {
                    <form method="get" action="/protocol" class="form form--filters" role="search" aria-label="Protocol doorzoeken">
                        <div class="form-field">
                            <label class="form-label" for="p-bsn">"Burgerservicenummer"<span class="form-label__optional">" (niet verplicht)"</span></label>
                            <input class="textbox" id="p-bsn" name="bsn" type="text" inputmode="numeric" value=bsn/>
                        </div>
                        <div class="form-field">
                            <label class="form-label" for="p-medewerker">"Medewerker of taakapplicatie"</label>
                            <select class="select" id="p-medewerker" name="medewerker">
                                <option value="">"Alle medewerkers en applicaties"</option>
                                {c.users.into_iter().map(|(id, name)| {
                                    let selected = medewerker == id.to_string();
                                    view! { <option value=id.to_string() selected=selected>{name}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="form-field">
                            <label class="form-label" for="p-afnemer">"Afnemer"</label>
                            <select class="select" id="p-afnemer" name="afnemer">
                                <option value="">"Alle afnemers"</option>
                                {c.afnemers.into_iter().map(|(id, name)| {
                                    let selected = afnemer == id.to_string();
                                    view! { <option value=id.to_string() selected=selected>{name}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="form-field">
                            <label class="form-label" for="p-kanaal">"Kanaal"</label>
                            <select class="select" id="p-kanaal" name="kanaal">
                                {[("", "Alle kanalen"), ("portaal", "Portaal"), ("api", "API (taakapplicaties)")].into_iter().map(|(code, label)| {
                                    let selected = kanaal == code;
                                    view! { <option value=code selected=selected>{label}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="form-field">
                            <label class="form-label" for="p-van">"Van"<span class="form-label__optional">" (niet verplicht)"</span></label>
                            <input class="textbox" id="p-van" name="van" type="date" value=van/>
                        </div>
                        <div class="form-field">
                            <label class="form-label" for="p-tot">"Tot en met"<span class="form-label__optional">" (niet verplicht)"</span></label>
                            <input class="textbox" id="p-tot" name="tot" type="date" value=tot/>
                        </div>
                        <div class="form-actions"><button type="submit" class="button button--primary">"Zoeken"</button></div>
                    </form>
                }.into_any()
            })}}
        </Suspense>
        <p><a href=csv_href download="protocol.csv">"Exporteren als CSV"</a></p>
        <Suspense fallback=|| view! { <p>"Bezig met laden…"</p> }>
            {move || Suspend::new(async move {
                match records.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p role="status">"Geen verstrekkingen gevonden."</p> }.into_any(),
                    Ok(list) => view! {
                        <p role="status">{format!("{} verstrekkingen (ten hoogste 500, nieuwste eerst).", list.len())}</p>
                        <div class="table-scroll" tabindex="0" role="region" aria-label="Tabel; schuif opzij voor meer kolommen">
                        <table class="table">
                            <caption class="visually-hidden">"Verstrekkingen"</caption>
                            <thead><tr>
                                <th scope="col">"Tijdstip"</th>
                                <th scope="col">"Burgerservicenummer"</th>
                                <th scope="col">"Medewerker of applicatie"</th>
                                <th scope="col">"Eindgebruiker (x-gebruiker)"</th>
                                <th scope="col">"Verwerking (x-verwerking)"</th>
                                <th scope="col">"Afnemer"</th>
                                <th scope="col">"Doel"</th>
                                <th scope="col">"Zaak"</th>
                                <th scope="col">"Wijze"</th>
                                <th scope="col">"Profiel (versie)"</th>
                                <th scope="col">"Gegevens"</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|v| view! {
                                    <tr>
                                        <td>{format_datetime_short(v.at)}</td>
                                        <td>{v.bsn.to_string()}</td>
                                        <td>{v.username.clone()}</td>
                                        <td>{v.gebruiker.clone().unwrap_or_default()}</td>
                                        <td>{v.verwerking.clone().unwrap_or_default()}</td>
                                        <td>{v.afnemer.name.clone()}</td>
                                        <td>{v.doel_name.clone()}</td>
                                        <td>{v.zaak.clone()}</td>
                                        <td>{format!("{} ({})", v.search_type.label(), v.channel.label())}</td>
                                        <td>{format!("{} ({})", v.profile_id, v.profile_version)}</td>
                                        <td><details><summary>{format!("{} gegevens", v.fields.len())}</summary><p class="small">{v.fields.join(", ")}</p></details></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        </div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn SecurityLogPage() -> impl IntoView {
    view! {
        <Title text="Beveiligingslog"/>
        <RequireRole roles=READERS children=|_: User| view! { <SecurityLog/> }/>
    }
}

#[component]
fn SecurityLog() -> impl IntoView {
    let events = Resource::new(|| (), |_| security_log());
    view! {
        <h1>"Beveiligingslog"</h1>
        <p>"Bevragingen die buiten een autorisatie vielen en zijn geweigerd. Er zijn bij deze verzoeken geen gegevens verstrekt."</p>
        <Suspense fallback=|| view! { <p>"Bezig met laden…"</p> }>
            {move || Suspend::new(async move {
                match events.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p>"Er zijn geen geweigerde bevragingen."</p> }.into_any(),
                    Ok(list) => view! {
                        <div class="table-scroll" tabindex="0" role="region" aria-label="Tabel; schuif opzij voor meer kolommen">
                        <table class="table">
                            <caption class="visually-hidden">"Geweigerde bevragingen"</caption>
                            <thead><tr>
                                <th scope="col">"Tijdstip"</th>
                                <th scope="col">"Gebruiker"</th>
                                <th scope="col">"Autorisatie"</th>
                                <th scope="col">"Handeling"</th>
                                <th scope="col">"Reden"</th>
                                <th scope="col">"Details"</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|e| view! {
                                    <tr>
                                        <td>{format_datetime_short(e.at)}</td>
                                        <td>{e.username}</td>
                                        <td>{e.grant_id.map(|g| g.to_string()).unwrap_or_default()}</td>
                                        <td>{e.action}</td>
                                        <td>{e.reason}</td>
                                        <td>{e.detail}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        </div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn TerugmeldingenPage() -> impl IntoView {
    view! {
        <Title text="Terugmeldingen"/>
        <RequireRole roles=&[Role::Beheerder, Role::Toezichthouder, Role::Medewerker] children=|me: User| view! { <Terugmeldingen me/> }/>
    }
}

#[component]
fn Terugmeldingen(me: User) -> impl IntoView {
    let list = Resource::new(|| (), |_| list_terugmeldingen());
    let notice = use_notice(&[
        (
            "ingediend",
            "Uw terugmelding is verstuurd naar de BRP-beheerder.",
        ),
        ("bijgewerkt", "De terugmelding is bijgewerkt."),
    ]);
    let _ = use_context::<SessionContext>();
    let beheerder = me.role == Role::Beheerder;
    let intro = match me.role {
        Role::Medewerker => "Uw terugmeldingen: twijfel over een gegeven in de BRP die u heeft gemeld, met de status en de uitkomst.",
        _ => "Terugmeldingen van afnemers over gegevens waaraan zij twijfelen. Open meldingen staan bovenaan, de oudste eerst.",
    };
    view! {
        <h1>"Terugmeldingen"</h1>
        <Notice text=notice/>
        <p>{intro}</p>
        <Suspense fallback=|| view! { <p>"Bezig met laden…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(items) if items.is_empty() => view! { <p>"Er zijn geen terugmeldingen."</p> }.into_any(),
                    Ok(items) => items.into_iter().map(|t| view! { <TerugmeldingItem t beheerder/> }).collect_view().into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TerugmeldingItem(t: Terugmelding, beheerder: bool) -> impl IntoView {
    let handle = ServerAction::<HandleTerugmelding>::new();
    let error = action_error(handle);
    let open = t.status != TerugmeldingStatus::Afgehandeld;
    let id = t.id;
    view! {
        <article class="card">
            <h2 class="card__title">{format!("Terugmelding {}: {}", t.id, t.field_label)}</h2>
            <dl class="data-list">
                <dt>"Status"</dt><dd>{t.status.label()}</dd>
                <dt>"Burgerservicenummer"</dt><dd>{t.bsn.to_string()}</dd>
                <dt>"Gegeven"</dt><dd>{format!("{} ({})", t.field_label, t.field_path)}</dd>
                <dt>"Gemeld door"</dt><dd>{format!("{}, {}", t.reporter_name, t.afnemer_name)}</dd>
                <dt>"Gemeld op"</dt><dd>{format_datetime_short(t.reported_at)}</dd>
                <dt>"Toelichting"</dt><dd class="pre-line">{t.reason.clone()}</dd>
                {(!t.outcome.is_empty()).then(|| view! { <dt>"Uitkomst"</dt><dd class="pre-line">{t.outcome.clone()}</dd> })}
                {t.handled_by.clone().map(|b| view! { <dt>"Behandeld door"</dt><dd>{b}</dd> })}
            </dl>
            {(beheerder && open).then(|| view! {
                <FormAlert error fields=&[]/>
                <ActionForm action=handle attr:class="form">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <div class="form-field">
                        <label class="form-label" for=format!("status-{id}")>"Nieuwe status"</label>
                        <select class="select" id=format!("status-{id}") name="status">
                            <option value="in_behandeling">"In behandeling"</option>
                            <option value="afgehandeld">"Afgehandeld"</option>
                        </select>
                    </div>
                    <div class="form-field">
                        <label class="form-label" for=format!("uitkomst-{id}")>"Uitkomst"</label>
                        <p class="form-field__description" id=format!("uitkomst-{id}-hint")>"Verplicht bij afhandelen: wat is er onderzocht en wat is het resultaat?"</p>
                        <textarea class="textarea" id=format!("uitkomst-{id}") name="uitkomst" rows="3" aria-describedby=format!("uitkomst-{id}-hint")></textarea>
                    </div>
                    <div class="form-actions"><button type="submit" class="button button--secondary">"Opslaan"</button></div>
                </ActionForm>
            })}
        </article>
    }
}
