//! The beheerder's user management.

use crate::api::four_eyes::ProposeAccountChange;
use crate::api::{get_user, list_afnemers, list_users, CreateUser, ResetPassword, SetUserActive};
use crate::components::form::{
    action_error, field_error, FormAlert, Notice, SelectField, TextField,
};
use crate::components::guard::RequireRole;
use brp_domain::four_eyes::is_privileged;
use brp_domain::{time::format_datetime, Role, User};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn status_label(active: bool) -> &'static str {
    if active {
        "Actief"
    } else {
        "Gedeactiveerd"
    }
}

#[component]
pub fn Users() -> impl IntoView {
    view! {
        <Title text="Gebruikers"/>
        <RequireRole roles=&[Role::Beheerder] children=|_: User| view! { <UserList/> <NewUserForm/> }/>
    }
}

#[component]
fn UserList() -> impl IntoView {
    let users = Resource::new(|| (), |_| list_users());
    view! {
        <h1>"Gebruikers"</h1>
        <Suspense fallback=|| view! { <p>"Bezig met laden…"</p> }>
            {move || Suspend::new(async move {
                match users.await {
                    Err(e) => view! { <div class="alert alert--error" role="alert"><p>{e.to_string()}</p></div> }.into_any(),
                    Ok(list) => view! {
                        <div class="table-scroll" tabindex="0" role="region" aria-label="Tabel; schuif opzij voor meer kolommen">
                        <table class="table">
                            <caption class="visually-hidden">"Alle gebruikers van het portaal"</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Gebruikersnaam"</th>
                                    <th scope="col">"Naam"</th>
                                    <th scope="col">"Rol"</th>
                                    <th scope="col">"Organisatieonderdeel"</th>
                                    <th scope="col">"Status"</th>
                                    <th scope="col">"Laatst ingelogd"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list.into_iter().map(|u| view! {
                                    <tr>
                                        <td><a href=format!("/beheer/gebruikers/{}", u.id)>{u.username.to_string()}</a></td>
                                        <td>{u.display_name.to_string()}</td>
                                        <td>{u.role.label()}</td>
                                        <td>{u.afnemer.map(|a| a.name).unwrap_or_default()}</td>
                                        <td>{status_label(u.active)}</td>
                                        <td>{u.last_login_at.map(format_datetime).unwrap_or_else(|| "nooit".into())}</td>
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

const NEW_USER_FIELDS: &[&str] = &[
    "gebruikersnaam",
    "naam",
    "email",
    "rol",
    "afnemer",
    "wachtwoord",
];

#[component]
fn NewUserForm() -> impl IntoView {
    let create = ServerAction::<CreateUser>::new();
    let error = action_error(create);
    let afnemers = Resource::new(|| (), |_| list_afnemers());
    let select_error = move |field: &'static str| field_error(error, field);
    view! {
        <section aria-labelledby="nieuwe-gebruiker-titel" class="section">
            <h2 id="nieuwe-gebruiker-titel">"Nieuwe gebruiker"</h2>
            <FormAlert error fields=NEW_USER_FIELDS/>
            <ActionForm action=create attr:class="form">
                <TextField label="Gebruikersnaam" name="gebruikersnaam" required=true autocomplete="off"
                    description="3 tot 64 tekens: kleine letters, cijfers, punt, streepje of liggend streepje."
                    error=field_error(error, "gebruikersnaam")/>
                <TextField label="Volledige naam" name="naam" required=true autocomplete="off"
                    error=field_error(error, "naam")/>
                <TextField label="E-mailadres" name="email" kind="email" autocomplete="off"
                    description="Voor berichten over autorisaties."
                    error=field_error(error, "email")/>
                <SelectField label="Rol" name="rol" error=select_error("rol")>
                    {Role::ALL.into_iter().map(|r| view! { <option value=r.code()>{r.label()}</option> }).collect_view()}
                </SelectField>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let options = afnemers.await.unwrap_or_default();
                        view! {
                            <SelectField label="Organisatieonderdeel" name="afnemer" error=select_error("afnemer")
                                description="Verplicht voor een medewerker.">
                                <option value="">"geen"</option>
                                {options.into_iter().map(|a| view! {
                                    <option value=a.id.to_string()>{String::from(a.name)}</option>
                                }).collect_view()}
                            </SelectField>
                        }
                    })}
                </Suspense>
                <TextField label="Eerste wachtwoord (alleen medewerker)" name="wachtwoord" kind="password" autocomplete="new-password"
                    description="Minstens 12 tekens; geef het de medewerker persoonlijk. Een beheerder of toezichthouder wordt een voorstel voor een tweede beheerder; na goedkeuring stelt de eigenaar het wachtwoord zelf in via een link per e-mail (e-mailadres verplicht)."
                    error=field_error(error, "wachtwoord")/>
                <div class="form-actions">
                    <button type="submit" class="button button--primary">"Gebruiker aanmaken of voorstellen"</button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn UserDetail() -> impl IntoView {
    view! {
        <Title text="Gebruiker"/>
        <RequireRole roles=&[Role::Beheerder] children=|me: User| view! { <UserDetailBody me/> }/>
    }
}

#[component]
fn UserDetailBody(me: User) -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok());
    // The actions live here so that the user is read again after each of them: with
    // JavaScript the redirect is a client-side navigation to the same page.
    let set_active = ServerAction::<SetUserActive>::new();
    let reset = ServerAction::<ResetPassword>::new();
    let propose = ServerAction::<ProposeAccountChange>::new();
    let source = move || (id(), set_active.version().get(), reset.version().get());
    let user = Resource::new(source, |(id, _, _)| async move {
        match id {
            Some(id) => get_user(id).await,
            None => Err(crate::error::AppError::NotFound(
                "De gebruiker is niet gevonden.".into(),
            )),
        }
    });
    let notice = Signal::derive(move || {
        query.read().get("melding").and_then(|m| match m.as_str() {
            "aangemaakt" => Some("De gebruiker is aangemaakt."),
            "gedeactiveerd" => Some("Het account is gedeactiveerd. Open sessies zijn beëindigd."),
            "geactiveerd" => Some("Het account is weer actief."),
            "wachtwoord" => {
                Some("Het nieuwe wachtwoord is ingesteld. Open sessies zijn beëindigd.")
            }
            _ => None,
        })
    });
    let me_id = me.id;
    view! {
        <p><a href="/beheer/gebruikers">"Terug naar alle gebruikers"</a></p>
        <Notice text=notice/>
        <Suspense fallback=|| view! { <p>"Bezig met laden…"</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    Err(e) => view! {
                        <h1>"Gebruiker"</h1>
                        <div class="alert alert--error" role="alert"><p>{e.to_string()}</p></div>
                    }.into_any(),
                    Ok(u) => view! { <UserCard user=u me_id set_active reset propose/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn UserCard(
    user: User,
    me_id: i64,
    set_active: ServerAction<SetUserActive>,
    reset: ServerAction<ResetPassword>,
    propose: ServerAction<ProposeAccountChange>,
) -> impl IntoView {
    let status_error = action_error(set_active);
    let reset_error = action_error(reset);
    let propose_error = action_error(propose);
    let id = user.id;
    let active = user.active;
    let role = user.role;
    let privileged = is_privileged(role);
    // What one beheerder may not do alone is proposed to a second one (four eyes).
    let status_needs_four_eyes = if active {
        role == Role::Toezichthouder
    } else {
        privileged
    };
    view! {
        <h1>{user.display_name.to_string()}</h1>
        <dl class="data-list">
            <dt>"Gebruikersnaam"</dt><dd>{user.username.to_string()}</dd>
            <dt>"Rol"</dt><dd>{user.role.label()}</dd>
            <dt>"Organisatieonderdeel"</dt><dd>{user.afnemer.map_or_else(|| "geen".to_owned(), |a| a.name)}</dd>
            <dt>"E-mailadres"</dt><dd>{user.email.map(String::from).unwrap_or_else(|| "geen".into())}</dd>
            <dt>"Status"</dt><dd>{status_label(active)}</dd>
            <dt>"Aangemaakt"</dt><dd>{format_datetime(user.created_at)}</dd>
            <dt>"Laatst ingelogd"</dt><dd>{user.last_login_at.map(format_datetime).unwrap_or_else(|| "nooit".into())}</dd>
        </dl>

        <section class="section" aria-labelledby="status-titel">
            <h2 id="status-titel">"Account"</h2>
            <FormAlert error=status_error/>
            <FormAlert error=propose_error fields=&["rol", "afnemer"]/>
            {(status_needs_four_eyes && id != me_id).then(|| view! {
                <ActionForm action=propose attr:class="form">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <input type="hidden" name="soort" value=if active { "deactiveren" } else { "heractiveren" }/>
                    <p>"Dit gaat pas in als een tweede beheerder het voorstel goedkeurt."</p>
                    <button type="submit" class="button button--secondary">
                        {if active { "Deactiveren voorstellen" } else { "Heractiveren voorstellen" }}
                    </button>
                </ActionForm>
            })}
            {(!status_needs_four_eyes && (id != me_id || !active)).then(|| view! {
                <ActionForm action=set_active attr:class="form">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <input type="hidden" name="actief" value=(!active).to_string()/>
                    <p>{if active {
                        "Een gedeactiveerd account kan niet meer inloggen; open sessies stoppen direct."
                    } else {
                        "Na heractivering kan de gebruiker weer inloggen."
                    }}</p>
                    <button type="submit" class=if active { "button button--warning" } else { "button button--primary" }>
                        {if active { "Account deactiveren" } else { "Account heractiveren" }}
                    </button>
                </ActionForm>
            })}
        </section>

        {(id != me_id).then(|| view! { <RoleChangeForm id role propose/> })}

        <section class="section" aria-labelledby="wachtwoord-titel">
            <h2 id="wachtwoord-titel">"Wachtwoord opnieuw instellen"</h2>
            {if privileged {
                view! {
                    <ActionForm action=propose attr:class="form">
                        <input type="hidden" name="id" value=id.to_string()/>
                        <input type="hidden" name="soort" value="wachtwoord"/>
                        <p>
                            "Het wachtwoord van een beheerder of toezichthouder kent geen beheerder. Na goedkeuring door een "
                            "tweede beheerder vervalt het huidige wachtwoord en krijgt de eigenaar per e-mail een link om zelf een nieuw in te stellen."
                        </p>
                        <button type="submit" class="button button--secondary">"Nieuw wachtwoord voorstellen"</button>
                    </ActionForm>
                }.into_any()
            } else {
                view! {
                    <FormAlert error=reset_error fields=&["wachtwoord"]/>
                    <ActionForm action=reset attr:class="form">
                        <input type="hidden" name="id" value=id.to_string()/>
                        <TextField label="Nieuw wachtwoord" name="wachtwoord" kind="password" required=true autocomplete="new-password"
                            description="Minstens 12 tekens. Open sessies van deze gebruiker stoppen."
                            error=field_error(reset_error, "wachtwoord")/>
                        <div class="form-actions">
                            <button type="submit" class="button button--secondary">"Wachtwoord instellen"</button>
                        </div>
                    </ActionForm>
                }.into_any()
            }}
        </section>
    }
}

/// A role change is always a proposal for a second beheerder.
#[component]
fn RoleChangeForm(
    id: i64,
    role: Role,
    propose: ServerAction<ProposeAccountChange>,
) -> impl IntoView {
    let error = action_error(propose);
    let afnemers = Resource::new(|| (), |_| list_afnemers());
    view! {
        <section class="section" aria-labelledby="rol-titel">
            <h2 id="rol-titel">"Rol wijzigen"</h2>
            <p>"Een rolwijziging gaat pas in als een tweede beheerder het voorstel goedkeurt. Wordt iemand beheerder of toezichthouder, dan vervalt het wachtwoord en stelt de eigenaar zelf een nieuw in."</p>
            <ActionForm action=propose attr:class="form">
                <input type="hidden" name="id" value=id.to_string()/>
                <input type="hidden" name="soort" value="rol"/>
                <SelectField label="Nieuwe rol" name="rol" error=field_error(error, "rol")>
                    {Role::ALL.into_iter().filter(|r| *r != role).map(|r| view! { <option value=r.code()>{r.label()}</option> }).collect_view()}
                </SelectField>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let options = afnemers.await.unwrap_or_default();
                        view! {
                            <SelectField label="Organisatieonderdeel" name="afnemer" error=field_error(error, "afnemer")
                                description="Verplicht voor een medewerker; leeg laat het huidige.">
                                <option value="">"ongewijzigd"</option>
                                {options.into_iter().map(|a| view! {
                                    <option value=a.id.to_string()>{String::from(a.name)}</option>
                                }).collect_view()}
                            </SelectField>
                        }
                    })}
                </Suspense>
                <div class="form-actions">
                    <button type="submit" class="button button--secondary">"Rolwijziging voorstellen"</button>
                </div>
            </ActionForm>
        </section>
    }
}
