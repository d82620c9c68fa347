//! Task applications (taakapplicaties): the list with their use, registering one
//! (beheerder), and the page of one application with its secrets and grants. The
//! toezichthouder reads along. Activation and grants take four eyes: they become
//! proposals on /beheer/voorstellen.

use crate::api::applications::{
    get_application, list_applications, take_issued_secret, ApplicationPageData, ApplicationRow,
    ApplicationStatus, ProposeApplicationGrant, RegisterApplication, RotateSecret, ShownSecret,
};
use crate::api::authorisation::{list_profiles, GrantAction};
use crate::api::list_afnemers;
use crate::components::form::{
    action_error, field_error, use_notice, ErrorBox, FormAlert, Notice, SelectField, TextField,
};
use crate::components::guard::RequireRole;
use brp_domain::time::{format_datetime, format_day};
use brp_domain::{Role, User};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

const READERS: &[Role] = &[Role::Beheerder, Role::Toezichthouder];

fn last_used(row: &ApplicationRow) -> String {
    row.application
        .usage
        .last_used_at
        .map_or_else(|| "nooit".to_owned(), format_datetime)
}

#[component]
pub fn ApplicationsPage() -> impl IntoView {
    view! {
        <Title text="Taakapplicaties"/>
        <RequireRole roles=READERS children=|me: User| view! { <Applications me/> }/>
    }
}

#[component]
fn Applications(me: User) -> impl IntoView {
    let list = Resource::new(|| (), |_| list_applications());
    view! {
        <h1>"Taakapplicaties"</h1>
        <p>
            "Applicaties van de gemeente (belastingen, sociaal domein, zaaksystemen) die personen "
            "opvragen via de Haal Centraal BRP Personen API. Zij vallen onder dezelfde autorisaties "
            "en hetzelfde protocol als medewerkers. Activeren en autoriseren gebeurt met vier ogen."
        </p>
        <Suspense fallback=|| view! { <p>"Bezig met laden…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(rows) if rows.is_empty() => view! { <p>"Er zijn nog geen taakapplicaties geregistreerd."</p> }.into_any(),
                    Ok(rows) => view! { <ApplicationTable rows/> }.into_any(),
                }
            })}
        </Suspense>
        {(me.role == Role::Beheerder).then(|| view! { <RegisterForm/> })}
    }
}

#[component]
fn ApplicationTable(rows: Vec<ApplicationRow>) -> impl IntoView {
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Tabel; schuif opzij voor meer kolommen">
        <table class="table">
            <caption class="visually-hidden">"Alle taakapplicaties, met hun gebruik"</caption>
            <thead>
                <tr>
                    <th scope="col">"Naam"</th>
                    <th scope="col">"Client id"</th>
                    <th scope="col">"Afnemer"</th>
                    <th scope="col">"Contact"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Laatst gebruikt"</th>
                    <th scope="col">"Verzoeken met gegevens"</th>
                    <th scope="col">"Personen verstrekt"</th>
                    <th scope="col">"Geweigerde verzoeken"</th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|r| {
                    let a = &r.application;
                    view! {
                        <tr>
                            <td><a href=format!("/beheer/applicaties/{}", a.id)>{a.name.to_string()}</a></td>
                            <td><code>{a.client_id.to_string()}</code></td>
                            <td>{a.afnemer.name.clone()}</td>
                            <td>{a.contact.clone()}</td>
                            <td>{r.status_label()}</td>
                            <td>{last_used(&r)}</td>
                            <td>{a.usage.requests}</td>
                            <td>{a.usage.persons}</td>
                            <td>{a.usage.refused}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        </div>
    }
}

const REGISTER_FIELDS: &[&str] = &["client_id", "naam", "afnemer", "contact"];

#[component]
fn RegisterForm() -> impl IntoView {
    let register = ServerAction::<RegisterApplication>::new();
    let error = action_error(register);
    let afnemers = Resource::new(|| (), |_| list_afnemers());
    view! {
        <section aria-labelledby="registreren-titel" class="section">
            <h2 id="registreren-titel">"Taakapplicatie registreren"</h2>
            <p>
                "De applicatie krijgt een client id en een geheim (client secret). Het geheim ziet u "
                "één keer, direct na het registreren. De applicatie werkt pas als een tweede beheerder "
                "de activering goedkeurt, en ziet pas gegevens met een goedgekeurd autorisatiebesluit."
            </p>
            <FormAlert error fields=REGISTER_FIELDS/>
            <ActionForm action=register attr:class="form">
                <TextField label="Client id" name="client_id" required=true autocomplete="off"
                    description="3 tot 64 tekens: kleine letters, cijfers, punt, streepje of liggend streepje. De applicatie meldt zich hiermee aan."
                    error=field_error(error, "client_id")/>
                <TextField label="Naam" name="naam" required=true autocomplete="off"
                    description="Zoals de organisatie de applicatie kent, bijvoorbeeld ‘Belastingapplicatie’."
                    error=field_error(error, "naam")/>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let options = afnemers.await.unwrap_or_default();
                        view! {
                            <SelectField label="Afnemer" name="afnemer" error=field_error(error, "afnemer")
                                description="Het organisatieonderdeel of de derde voor wie de applicatie werkt. Autorisaties komen uit de profielen van deze afnemer.">
                                {options.into_iter().map(|a| view! {
                                    <option value=a.id.to_string()>{String::from(a.name)}</option>
                                }).collect_view()}
                            </SelectField>
                        }
                    })}
                </Suspense>
                <TextField label="Contact" name="contact" required=true autocomplete="off"
                    description="Wie u belt over de applicatie: naam, team, e-mailadres of telefoonnummer."
                    error=field_error(error, "contact")/>
                <div class="form-actions">
                    <button type="submit" class="button button--primary">"Registreren en activering voorstellen"</button>
                </div>
            </ActionForm>
        </section>
    }
}

// ---- one application -------------------------------------------------------------------

#[component]
pub fn ApplicationPage() -> impl IntoView {
    view! {
        <Title text="Taakapplicatie"/>
        <RequireRole roles=READERS children=|me: User| view! { <ApplicationBody me/> }/>
    }
}

#[component]
fn ApplicationBody(me: User) -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok());
    // The actions live here, so the application is read again after each of them.
    let status = ServerAction::<ApplicationStatus>::new();
    let rotate = ServerAction::<RotateSecret>::new();
    let grant = ServerAction::<ProposeApplicationGrant>::new();
    let revoke = ServerAction::<GrantAction>::new();
    let source = move || {
        (
            id(),
            status.version().get(),
            rotate.version().get(),
            grant.version().get(),
            revoke.version().get(),
        )
    };
    let data = Resource::new(source, |(id, ..)| async move {
        match id {
            Some(id) => get_application(id).await,
            None => Err(crate::error::AppError::NotFound(
                "De taakapplicatie is niet gevonden.".into(),
            )),
        }
    });
    // Taken once: a reload or a later visit shows no secret.
    let secret = Resource::new(
        move || (id(), rotate.version().get()),
        |(id, _)| async move {
            match id {
                Some(id) => take_issued_secret(id).await.ok().flatten(),
                None => None,
            }
        },
    );
    let notice = use_notice(&[
        (
            "geregistreerd",
            "De taakapplicatie is geregistreerd. De activering wacht op een tweede beheerder.",
        ),
        ("vernieuwd", "Er is een nieuw geheim gemaakt."),
        (
            "gedeactiveerd",
            "De taakapplicatie is niet meer actief. Haar tokens werken vanaf nu niet meer.",
        ),
        (
            "activering",
            "De activering is voorgesteld. Een tweede beheerder beslist op de pagina Voorstellen.",
        ),
        (
            "voorgesteld",
            "Het autorisatiebesluit is voorgesteld. Een tweede beheerder beslist op de pagina Voorstellen.",
        ),
        ("ingetrokken", "De autorisatie is ingetrokken."),
    ]);
    let beheerder = me.role == Role::Beheerder;
    view! {
        <p><a href="/beheer/applicaties">"Terug naar alle taakapplicaties"</a></p>
        <Notice text=notice/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                secret.await.map(|s| view! { <SecretOnce secret=s/> })
            })}
        </Suspense>
        <Suspense fallback=|| view! { <p>"Bezig met laden…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! {
                        <h1>"Taakapplicatie"</h1>
                        <ErrorBox error=e/>
                    }.into_any(),
                    Ok(d) => view! { <ApplicationCard d beheerder status rotate grant revoke/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The secret, shown this one time, with what to do with it.
#[component]
fn SecretOnce(secret: ShownSecret) -> impl IntoView {
    view! {
        <section class="alert alert--warning" aria-labelledby="geheim-titel">
            <h2 id="geheim-titel">"Het geheim van deze applicatie: alleen nu zichtbaar"</h2>
            <p>
                <strong>"Kopieer het geheim nu en geef het veilig aan de leverancier of beheerder van de applicatie. "</strong>
                "Het portaal bewaart alleen een onherleidbare afdruk en toont het geheim nooit meer. "
                "Kwijt? Maak dan een nieuw geheim."
            </p>
            <dl class="data-list">
                <dt>"Client id"</dt><dd><code>{secret.client_id}</code></dd>
                <dt>"Client secret"</dt><dd><code class="secret" data-testid="client-secret">{secret.secret}</code></dd>
            </dl>
            <p>
                "Een nieuwe of gedeactiveerde applicatie werkt pas als een tweede beheerder de activering goedkeurt op "
                <a href="/beheer/voorstellen">"Voorstellen"</a>"."
            </p>
        </section>
    }
}

#[component]
fn ApplicationCard(
    d: ApplicationPageData,
    beheerder: bool,
    status: ServerAction<ApplicationStatus>,
    rotate: ServerAction<RotateSecret>,
    grant: ServerAction<ProposeApplicationGrant>,
    revoke: ServerAction<GrantAction>,
) -> impl IntoView {
    let row = d.row.clone();
    let a = row.application.clone();
    let id = a.id;
    let afnemer_id = a.afnemer.id;
    view! {
        <h1>{format!("Taakapplicatie {}", a.name)}</h1>
        <dl class="data-list">
            <dt>"Client id"</dt><dd><code>{a.client_id.to_string()}</code></dd>
            <dt>"Afnemer"</dt><dd>{a.afnemer.name.clone()}</dd>
            <dt>"Contact"</dt><dd>{a.contact.clone()}</dd>
            <dt>"Status"</dt><dd>{row.status_label()}</dd>
            <dt>"Geregistreerd"</dt><dd>{format_datetime(a.created_at)}</dd>
            <dt>"Laatst gebruikt"</dt><dd>{last_used(&row)}</dd>
            <dt>"Verzoeken met gegevens"</dt><dd>{a.usage.requests}</dd>
            <dt>"Personen verstrekt"</dt><dd>{a.usage.persons}</dd>
            <dt>"Geweigerde verzoeken"</dt><dd>{a.usage.refused}</dd>
        </dl>
        {beheerder.then(|| view! { <StatusForms row=row.clone() status/> })}
        <Secrets d=d.clone() beheerder rotate/>
        <Grants d=d.clone() beheerder revoke/>
        {beheerder.then(|| view! { <GrantForm id afnemer_id grant/> })}
    }
}

#[component]
fn StatusForms(row: ApplicationRow, status: ServerAction<ApplicationStatus>) -> impl IntoView {
    let error = action_error(status);
    let id = row.application.id;
    view! {
        <section class="section" aria-labelledby="status-titel">
            <h2 id="status-titel">"Status"</h2>
            <FormAlert error/>
            {if row.application.active {
                view! {
                    <ActionForm action=status attr:class="form">
                        <input type="hidden" name="id" value=id.to_string()/>
                        <input type="hidden" name="actie" value="deactiveren"/>
                        <p>"Deactiveren gaat direct in: de tokens van de applicatie werken vanaf de volgende aanroep niet meer."</p>
                        <button type="submit" class="button button--warning">"Deactiveren"</button>
                    </ActionForm>
                }.into_any()
            } else if row.awaiting_activation {
                view! {
                    <p>"De activering wacht op een tweede beheerder op "<a href="/beheer/voorstellen">"Voorstellen"</a>"."</p>
                }.into_any()
            } else {
                view! {
                    <ActionForm action=status attr:class="form">
                        <input type="hidden" name="id" value=id.to_string()/>
                        <input type="hidden" name="actie" value="activeren"/>
                        <p>"Activeren gaat pas in als een tweede beheerder het voorstel goedkeurt."</p>
                        <button type="submit" class="button button--secondary">"Activering voorstellen"</button>
                    </ActionForm>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Secrets(
    d: ApplicationPageData,
    beheerder: bool,
    rotate: ServerAction<RotateSecret>,
) -> impl IntoView {
    let error = action_error(rotate);
    let id = d.row.application.id;
    view! {
        <section class="section" aria-labelledby="geheimen-titel">
            <h2 id="geheimen-titel">"Geheimen"</h2>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Geheimen; schuif opzij voor meer kolommen">
            <table class="table">
                <caption class="visually-hidden">"De geheimen van deze applicatie (alleen wanneer gemaakt en tot wanneer geldig)"</caption>
                <thead><tr>
                    <th scope="col">"Gemaakt"</th>
                    <th scope="col">"Geldig tot"</th>
                </tr></thead>
                <tbody>
                    {d.secrets.iter().map(|s| view! {
                        <tr>
                            <td>{format_datetime(s.created_at)}</td>
                            <td>{s.valid_until.map_or_else(|| "tot het volgende nieuwe geheim".to_owned(), format_datetime)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            </div>
            {beheerder.then(|| view! {
                <FormAlert error fields=&["overlap"]/>
                <ActionForm action=rotate attr:class="form">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <TextField label="Overlap in minuten" name="overlap" kind="number" required=true value="60"
                        description="Zo lang werkt het huidige geheim nog naast het nieuwe, zodat de applicatie kan overstappen. 0 beëindigt het direct."
                        error=field_error(error, "overlap")/>
                    <div class="form-actions">
                        <button type="submit" class="button button--secondary">"Nieuw geheim maken"</button>
                    </div>
                </ActionForm>
            })}
        </section>
    }
}

#[component]
fn Grants(
    d: ApplicationPageData,
    beheerder: bool,
    revoke: ServerAction<GrantAction>,
) -> impl IntoView {
    let error = action_error(revoke);
    let app_id = d.row.application.id;
    let back = format!("applicatie-{app_id}");
    view! {
        <section class="section" aria-labelledby="autorisaties-titel">
            <h2 id="autorisaties-titel">"Autorisaties"</h2>
            {d.pending_grants.iter().map(|s| view! {
                <p>{format!("Voorgesteld, wacht op een tweede beheerder: {s}")}</p>
            }).collect_view()}
            {if d.grants.is_empty() {
                view! { <p>"Deze applicatie heeft nog geen autorisatie."</p> }.into_any()
            } else {
                view! {
                    <FormAlert error fields=&[]/>
                    <div class="table-scroll" tabindex="0" role="region" aria-label="Autorisaties; schuif opzij voor meer kolommen">
                    <table class="table">
                        <caption class="visually-hidden">"Autorisaties van deze applicatie"</caption>
                        <thead><tr>
                            <th scope="col">"Profiel"</th>
                            <th scope="col">"Periode"</th>
                            <th scope="col">"Stand"</th>
                            {beheerder.then(|| view! { <th scope="col">"Intrekken"</th> })}
                        </tr></thead>
                        <tbody>
                            {d.grants.iter().map(|g| {
                                let running = g.grant.revocation.is_none()
                                    && g.state != brp_domain::authorisation::GrantState::Expired;
                                let gid = g.grant.id;
                                let reason = format!("reden-{gid}");
                                let back = back.clone();
                                view! {
                                    <tr>
                                        <td>{g.grant.profile_name.clone()}</td>
                                        <td>{format!("{} t/m {}", format_day(g.grant.start_date), format_day(g.grant.end_date))}</td>
                                        <td>{g.state.label()}</td>
                                        {beheerder.then(|| view! {
                                            <td>{running.then(|| view! {
                                                <ActionForm action=revoke attr:class="form">
                                                    <input type="hidden" name="id" value=gid.to_string()/>
                                                    <input type="hidden" name="actie" value="intrekken"/>
                                                    <input type="hidden" name="terug" value=back/>
                                                    <div class="form-field">
                                                        <label class="form-label" for=reason.clone()>"Reden van intrekking"</label>
                                                        <textarea class="textarea" id=reason name="reden" rows="2" required=true></textarea>
                                                    </div>
                                                    <button type="submit" class="button button--warning">"Intrekken"</button>
                                                </ActionForm>
                                            })}</td>
                                        })}
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

const GRANT_FIELDS: &[&str] = &["profiel", "begindatum", "einddatum"];

/// An autorisatiebesluit for the application: a profile of its afnemer and a period.
#[component]
fn GrantForm(
    id: i64,
    afnemer_id: i64,
    grant: ServerAction<ProposeApplicationGrant>,
) -> impl IntoView {
    let error = action_error(grant);
    let profiles = Resource::new(|| (), |_| list_profiles());
    view! {
        <section class="section" aria-labelledby="besluit-titel">
            <h2 id="besluit-titel">"Autorisatiebesluit voorstellen"</h2>
            <p>"Een autorisatie gaat pas in als een tweede beheerder het voorstel goedkeurt."</p>
            <FormAlert error fields=GRANT_FIELDS/>
            <ActionForm action=grant attr:class="form">
                <input type="hidden" name="id" value=id.to_string()/>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let options: Vec<_> = profiles
                            .await
                            .unwrap_or_default()
                            .into_iter()
                            .filter(|p| p.afnemer.id == afnemer_id && p.current().is_some())
                            .collect();
                        view! {
                            <SelectField label="Profiel" name="profiel" error=field_error(error, "profiel")
                                description="Alleen goedgekeurde profielen van de afnemer van deze applicatie.">
                                {options.into_iter().map(|p| view! {
                                    <option value=p.id.to_string()>{p.name}</option>
                                }).collect_view()}
                            </SelectField>
                        }
                    })}
                </Suspense>
                <fieldset class="fieldset">
                    <legend class="fieldset__legend">"Periode"</legend>
                    <TextField label="Begindatum" name="begindatum" kind="date" required=true
                        description="Vandaag of later." error=field_error(error, "begindatum")/>
                    <TextField label="Einddatum" name="einddatum" kind="date" required=true
                        error=field_error(error, "einddatum")/>
                </fieldset>
                <div class="form-actions">
                    <button type="submit" class="button button--secondary">"Autorisatiebesluit voorstellen"</button>
                </div>
            </ActionForm>
        </section>
    }
}
