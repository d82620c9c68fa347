use crate::api::{audit_trail, AUDIT_PAGE_SIZE};
use crate::components::guard::RequireRole;
use brp_domain::{time::format_datetime_short, Role, User};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AuditLog() -> impl IntoView {
    view! {
        <Title text="Auditlog"/>
        <RequireRole roles=&[Role::Beheerder, Role::Toezichthouder] children=|_: User| view! { <AuditTable/> }/>
    }
}

#[component]
fn AuditTable() -> impl IntoView {
    let query = use_query_map();
    let before = move || query.read().get("voor").and_then(|v| v.parse::<i64>().ok());
    let events = Resource::new(before, audit_trail);
    view! {
        <h1>"Auditlog"</h1>
        <p>"Elke wijziging aan accounts en autorisaties, nieuwste eerst. Niemand kan dit logboek wijzigen."</p>
        <Suspense fallback=|| view! { <p>"Bezig met laden…"</p> }>
            {move || Suspend::new(async move {
                match events.await {
                    Err(e) => view! { <div class="alert alert--error" role="alert"><p>{e.to_string()}</p></div> }.into_any(),
                    Ok(list) => {
                        let older = (list.len() == AUDIT_PAGE_SIZE as usize)
                            .then(|| list.last().map(|e| e.id))
                            .flatten();
                        view! {
                            <div class="table-scroll" tabindex="0" role="region" aria-label="Tabel; schuif opzij voor meer kolommen">
                            <table class="table">
                                <caption class="visually-hidden">"Gebeurtenissen in het auditlog"</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">"Tijdstip"</th>
                                        <th scope="col">"Door"</th>
                                        <th scope="col">"Actie"</th>
                                        <th scope="col">"Betreft"</th>
                                        <th scope="col">"Gegeven"</th>
                                        <th scope="col">"Oude waarde"</th>
                                        <th scope="col">"Nieuwe waarde"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {list.into_iter().map(|e| view! {
                                        <tr>
                                            <td>{format_datetime_short(e.occurred_at)}</td>
                                            <td>{e.actor}</td>
                                            <td>{e.action.label()}</td>
                                            <td>{e.subject}</td>
                                            <td>{e.field.unwrap_or_default()}</td>
                                            <td>{e.old_value.unwrap_or_default()}</td>
                                            <td>{e.new_value.unwrap_or_default()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            </div>
                            {older.map(|id| view! {
                                <p><a href=format!("/auditlog?voor={id}")>"Oudere gebeurtenissen"</a></p>
                            })}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
