//! Four-eyes proposals: the list a second beheerder approves or rejects, the toezichthouder's
//! view of changes to their own account, and the page where an owner sets their password
//! with a one-time link.

use crate::api::four_eyes::{list_proposals, my_account_changes, DecideProposal, SetPassword};
use crate::components::form::{action_error, use_notice, ErrorBox, FormAlert, Notice, TextField};
use crate::components::guard::RequireRole;
use brp_domain::four_eyes::{ChangeProposal, ProposalStatus};
use brp_domain::{time::format_datetime, Role, User};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ProposalsPage() -> impl IntoView {
    view! {
        <Title text="Voorstellen (vier ogen)"/>
        <RequireRole roles=&[Role::Beheerder, Role::Toezichthouder] children=|me: User| view! { <ProposalList me/> }/>
    }
}

fn decision_text(p: &ChangeProposal) -> String {
    match (p.status, &p.decided_by, p.decided_at) {
        (ProposalStatus::Pending, ..) => p.status.label().to_owned(),
        (status, Some(by), Some(at)) => format!(
            "{} door {by} op {}{}",
            status.label(),
            format_datetime(at),
            p.reason
                .as_deref()
                .filter(|r| !r.is_empty())
                .map(|r| format!(": {r}"))
                .unwrap_or_default()
        ),
        (status, ..) => status.label().to_owned(),
    }
}

#[component]
fn ProposalList(me: User) -> impl IntoView {
    let decide = ServerAction::<DecideProposal>::new();
    let error = action_error(decide);
    let proposals = Resource::new(move || decide.version().get(), |_| list_proposals());
    let notice = use_notice(&[
        (
            "voorgesteld",
            "Het voorstel is vastgelegd. Een tweede beheerder keurt het goed of wijst het af.",
        ),
        ("goedgekeurd", "Het voorstel is goedgekeurd en uitgevoerd."),
        ("afgewezen", "Het voorstel is afgewezen."),
    ]);
    let beheerder = me.role == Role::Beheerder;
    let me_id = me.id;
    view! {
        <h1>"Voorstellen (vier ogen)"</h1>
        <p>
            "Accounts van beheerders en toezichthouders, rollen, wachtwoorden van beheerders en "
            "toezichthouders, de soort en artikel 46 van een afnemer, en de activering en "
            "autorisatiebesluiten van taakapplicaties veranderen pas als een "
            "tweede beheerder het voorstel goedkeurt: niet wie het voorstelde en niet wie het betreft."
        </p>
        <Notice text=notice/>
        <FormAlert error fields=&["reden"]/>
        <Suspense fallback=|| view! { <p>"Bezig met laden…"</p> }>
            {move || Suspend::new(async move {
                match proposals.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p>"Er zijn geen voorstellen."</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="card-list">
                            {list.into_iter().map(|p| {
                                let may_decide = beheerder
                                    && p.status == ProposalStatus::Pending
                                    && p.proposed_by_id != Some(me_id)
                                    && p.subject_user_id != Some(me_id)
                                    && p.change.subject_user_id() != Some(me_id);
                                let id = p.id;
                                let reason_id = format!("reden-{id}");
                                view! {
                                    <li class="card">
                                        <h2>{format!("{}: {}", p.change.label(), p.subject)}</h2>
                                        <p>{p.summary.clone()}</p>
                                        <dl class="data-list">
                                            <dt>"Voorgesteld door"</dt>
                                            <dd>{format!("{} op {}", p.proposed_by, format_datetime(p.proposed_at))}</dd>
                                            <dt>"Status"</dt><dd>{decision_text(&p)}</dd>
                                        </dl>
                                        {may_decide.then(|| view! {
                                            <ActionForm action=decide attr:class="form">
                                                <input type="hidden" name="id" value=id.to_string()/>
                                                <input type="hidden" name="besluit" value="goedkeuren"/>
                                                <button type="submit" class="button button--primary">"Goedkeuren"</button>
                                            </ActionForm>
                                            <ActionForm action=decide attr:class="form">
                                                <input type="hidden" name="id" value=id.to_string()/>
                                                <input type="hidden" name="besluit" value="afwijzen"/>
                                                <div class="form-field">
                                                    <label class="form-label" for=reason_id.clone()>"Reden van afwijzing"</label>
                                                    <textarea class="textarea" id=reason_id name="reden" rows="2" required=true></textarea>
                                                </div>
                                                <button type="submit" class="button button--warning">"Afwijzen"</button>
                                            </ActionForm>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The changes proposed and decided about the visitor's own account; on the
/// toezichthouder's start page, so the FG sees every change to their account.
#[component]
pub fn MyAccountChanges() -> impl IntoView {
    let changes = Resource::new(|| (), |_| my_account_changes());
    view! {
        <section class="section" aria-labelledby="accountwijzigingen-titel">
            <h2 id="accountwijzigingen-titel">"Voorstellen en besluiten over uw account"</h2>
            <Suspense fallback=|| view! { <p>"Bezig met laden…"</p> }>
                {move || Suspend::new(async move {
                    match changes.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(list) if list.is_empty() => view! {
                            <p>"Er is nooit een wijziging van uw account voorgesteld."</p>
                        }.into_any(),
                        Ok(list) => view! {
                            <ul>
                                {list.into_iter().map(|p| view! {
                                    <li>
                                        {format!(
                                            "{}: {} (voorgesteld door {} op {}). {}",
                                            p.change.label(),
                                            p.summary,
                                            p.proposed_by,
                                            format_datetime(p.proposed_at),
                                            decision_text(&p)
                                        )}
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Sets the password with a one-time link; no login needed.
#[component]
pub fn SetPasswordPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let set = ServerAction::<SetPassword>::new();
    let error = action_error(set);
    view! {
        <Title text="Wachtwoord instellen"/>
        <div class="narrow">
            <h1>"Wachtwoord instellen"</h1>
            <p>
                "Kies zelf het wachtwoord voor uw account in het BRP-portaal. Geen beheerder kent het. "
                "Deze link werkt één keer."
            </p>
            <FormAlert error fields=&["wachtwoord"]/>
            <ActionForm action=set attr:class="form">
                <input type="hidden" name="token" value=token/>
                <TextField label="Nieuw wachtwoord" name="wachtwoord" kind="password" required=true autocomplete="new-password"
                    description="Minstens 12 tekens."
                    error=crate::components::form::field_error(error, "wachtwoord")/>
                <div class="form-actions">
                    <button type="submit" class="button button--primary">"Wachtwoord instellen"</button>
                </div>
            </ActionForm>
        </div>
    }
}
