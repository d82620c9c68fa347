//! The register: afnemers with their wettelijk kader and doelen, and grondslagen.

use crate::api::authorisation::{
    list_profiles, register_doelen, register_grondslagen, CreateDoel, CreateGrondslag, SaveAfnemer,
};
use crate::api::list_afnemers;
use crate::components::form::{
    action_error, field_error, use_notice, ErrorBox, FormAlert, Notice, SelectField, TextArea,
    TextField,
};
use crate::components::guard::RequireRole;
use brp_domain::art46::Art46Ground;
use brp_domain::{Afnemer, AfnemerKind, Role, User};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

const READ: &[Role] = &[Role::Beheerder, Role::Toezichthouder];

#[component]
pub fn AfnemersPage() -> impl IntoView {
    view! {
        <Title text="Afnemers"/>
        <RequireRole roles=READ children=|me: User| view! { <AfnemerList me/> }/>
    }
}

#[component]
fn AfnemerList(me: User) -> impl IntoView {
    let afnemers = Resource::new(|| (), |_| list_afnemers());
    view! {
        <h1>"Afnemers"</h1>
        <p>"De organisatieonderdelen die BRP-gegevens ontvangen, met hun wettelijk kader (reglement, bijlage 1)."</p>
        <Suspense fallback=|| view! { <p>"Bezig met laden…"</p> }>
            {move || Suspend::new(async move {
                match afnemers.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(list) => view! {
                        <div class="table-scroll" tabindex="0" role="region" aria-label="Tabel; schuif opzij voor meer kolommen"><table class="table">
                            <caption class="visually-hidden">"Afnemers"</caption>
                            <thead><tr>
                                <th scope="col">"Afnemer"</th>
                                <th scope="col">"Soort"</th>
                                <th scope="col">"Wettelijk kader"</th>
                                <th scope="col">"In overzicht voor inwoner"</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|a| view! {
                                    <tr>
                                        <td><a href=format!("/beheer/afnemers/{}", a.id)>{String::from(a.name)}</a></td>
                                        <td>{a.kind.label()}</td>
                                        <td>{a.wettelijk_kader}</td>
                                        <td>{match a.hidden_from_citizen_ground {
                                            Some(g) => format!("Nee: {g}"),
                                            None => "Ja".to_owned(),
                                        }}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table></div>
                    }.into_any(),
                }
            })}
        </Suspense>
        {(me.role == Role::Beheerder).then(|| view! {
            <section class="section" aria-labelledby="nieuwe-afnemer">
                <h2 id="nieuwe-afnemer">"Nieuwe afnemer"</h2>
                <AfnemerForm afnemer=None/>
            </section>
        })}
    }
}

#[component]
fn AfnemerForm(afnemer: Option<Afnemer>) -> impl IntoView {
    let save = ServerAction::<SaveAfnemer>::new();
    let error = action_error(save);
    let (name, kader, ground) = afnemer
        .as_ref()
        .map(|a| {
            (
                String::from(a.name.clone()),
                a.wettelijk_kader.clone(),
                a.hidden_from_citizen_ground.clone(),
            )
        })
        .unwrap_or_default();
    let kind = afnemer
        .as_ref()
        .map_or(AfnemerKind::Binnengemeentelijk, |a| a.kind);
    let hidden = ground.is_some();
    view! {
        <FormAlert error fields=&["naam", "wettelijk_kader", "soort", "grondslag_verborgen"]/>
        <ActionForm action=save attr:class="form">
            {afnemer.map(|a| view! { <input type="hidden" name="id" value=a.id.to_string()/> })}
            <TextField label="Naam" name="naam" required=true value=name error=field_error(error, "naam")/>
            <TextField label="Wettelijk kader" name="wettelijk_kader" value=kader
                description="De wetten waaronder deze afnemer gegevens ontvangt."
                error=field_error(error, "wettelijk_kader")/>
            <SelectField label="Soort afnemer" name="soort" error=field_error(error, "soort")
                description="Een verstrekkingsbeperking (geheimhouding) houdt verstrekking aan derden tegen, niet aan de eigen gemeente.">
                {AfnemerKind::ALL.into_iter().map(|k| view! {
                    <option value=k.code() selected=k == kind>{k.label()}</option>
                }).collect_view()}
            </SelectField>
            <div class="checkbox">
                <input type="checkbox" id="verborgen" name="verborgen" value="ja" checked=hidden/>
                <label for="verborgen">"Verstrekkingen aan deze afnemer niet tonen in het overzicht voor de inwoner (Besluit BRP art. 46)"</label>
            </div>
            <SelectField label="Wettelijke grond om niet te tonen" name="grondslag_verborgen"
                description="Alleen voor een derde die artikel 46 Besluit BRP noemt; nooit voor een eigen afdeling van de gemeente."
                error=field_error(error, "grondslag_verborgen")>
                <option value="">"geen"</option>
                {Art46Ground::ALL.into_iter().map(|g| view! {
                    <option value=g.code() selected=ground.as_deref().and_then(Art46Ground::from_stored) == Some(g)>{g.label()}</option>
                }).collect_view()}
            </SelectField>
            <p>"Een andere soort dan binnengemeentelijk, en artikel 46, gaan pas in als een tweede beheerder het voorstel goedkeurt (Beheer › Voorstellen)."</p>
            <div class="form-actions">
                <button type="submit" class="button button--primary">"Afnemer opslaan"</button>
            </div>
        </ActionForm>
    }
}

#[component]
pub fn AfnemerPage() -> impl IntoView {
    view! {
        <Title text="Afnemer"/>
        <RequireRole roles=READ children=|me: User| view! { <AfnemerDetail me/> }/>
    }
}

#[component]
fn AfnemerDetail(me: User) -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok());
    let data = Resource::new(id, |id| async move {
        let afnemers = list_afnemers().await?;
        let doelen = register_doelen().await?;
        let grondslagen = register_grondslagen().await?;
        let profiles = list_profiles().await?;
        Ok::<_, crate::error::AppError>((
            afnemers.into_iter().find(|a| Some(a.id) == id),
            doelen,
            grondslagen,
            profiles,
        ))
    });
    let notice = use_notice(&[
        ("opgeslagen", "De afnemer is opgeslagen."),
        (
            "voorgesteld",
            "Naam en wettelijk kader zijn opgeslagen. De soort of artikel 46 is voorgesteld; een tweede beheerder keurt dat goed.",
        ),
        ("doel", "Het doel is vastgelegd."),
    ]);
    let beheerder = me.role == Role::Beheerder;
    view! {
        <p><a href="/beheer/afnemers">"Terug naar alle afnemers"</a></p>
        <Notice text=notice/>
        <Suspense fallback=|| view! { <p>"Bezig met laden…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok((None, ..)) => view! { <h1>"Afnemer niet gevonden"</h1> }.into_any(),
                    Ok((Some(a), doelen, grondslagen, profiles)) => {
                        let mine: Vec<_> = doelen.into_iter().filter(|d| d.afnemer_id == a.id).collect();
                        let profiles: Vec<_> = profiles.into_iter().filter(|p| p.afnemer.id == a.id).collect();
                        let afnemer_id = a.id;
                        view! {
                            <h1>{String::from(a.name.clone())}</h1>
                            <section class="section" aria-labelledby="doelen-titel">
                                <h2 id="doelen-titel">"Doelen"</h2>
                                <div class="table-scroll" tabindex="0" role="region" aria-label="Tabel; schuif opzij voor meer kolommen"><table class="table">
                                    <caption class="visually-hidden">"Doelen van deze afnemer"</caption>
                                    <thead><tr><th scope="col">"Doel"</th><th scope="col">"Grondslag"</th><th scope="col">"Omschrijving"</th></tr></thead>
                                    <tbody>
                                        {mine.into_iter().map(|d| {
                                            let g = grondslagen.iter().find(|g| g.id == d.grondslag_id).map(|g| g.title()).unwrap_or_default();
                                            view! { <tr><td>{d.name}</td><td>{g}</td><td>{d.description}</td></tr> }
                                        }).collect_view()}
                                    </tbody>
                                </table></div>
                                {beheerder.then(|| view! { <NewDoelForm afnemer_id grondslagen=grondslagen.clone()/> })}
                            </section>
                            <section class="section" aria-labelledby="profielen-titel">
                                <h2 id="profielen-titel">"Autorisatieprofielen"</h2>
                                <ul>
                                    {profiles.into_iter().map(|p| view! {
                                        <li><a href=format!("/beheer/profielen/{}", p.id)>{p.name}</a></li>
                                    }).collect_view()}
                                </ul>
                                <p><a href=format!("/beheer/autorisaties?afnemer={afnemer_id}")>"Wie heeft welk profiel bij deze afnemer"</a></p>
                            </section>
                            {beheerder.then(|| view! {
                                <section class="section" aria-labelledby="wijzigen-titel">
                                    <h2 id="wijzigen-titel">"Afnemer wijzigen"</h2>
                                    <AfnemerForm afnemer=Some(a)/>
                                </section>
                            })}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn NewDoelForm(
    afnemer_id: i64,
    grondslagen: Vec<brp_domain::authorisation::Grondslag>,
) -> impl IntoView {
    let create = ServerAction::<CreateDoel>::new();
    let error = action_error(create);
    view! {
        <h3>"Nieuw doel"</h3>
        <FormAlert error fields=&["naam", "grondslag", "omschrijving"]/>
        <ActionForm action=create attr:class="form">
            <input type="hidden" name="afnemer" value=afnemer_id.to_string()/>
            <TextField label="Doel" name="naam" required=true error=field_error(error, "naam")
                description="Bijvoorbeeld: Beoordelen aanvraag bijstand."/>
            <SelectField label="Grondslag" name="grondslag" error=field_error(error, "grondslag")>
                {grondslagen.into_iter().map(|g| view! { <option value=g.id.to_string()>{g.title()}</option> }).collect_view()}
            </SelectField>
            <TextArea label="Omschrijving" name="omschrijving" error=field_error(error, "omschrijving")/>
            <div class="form-actions"><button type="submit" class="button button--primary">"Doel vastleggen"</button></div>
        </ActionForm>
    }
}

#[component]
pub fn GrondslagenPage() -> impl IntoView {
    view! {
        <Title text="Grondslagen"/>
        <RequireRole roles=READ children=|me: User| view! { <GrondslagList me/> }/>
    }
}

#[component]
fn GrondslagList(me: User) -> impl IntoView {
    let grondslagen = Resource::new(|| (), |_| register_grondslagen());
    let create = ServerAction::<CreateGrondslag>::new();
    let error = action_error(create);
    let notice = use_notice(&[("aangemaakt", "De grondslag is vastgelegd.")]);
    view! {
        <h1>"Grondslagen"</h1>
        <p>"De wetten en artikelen waarop een verstrekking berust."</p>
        <Notice text=notice/>
        <Suspense fallback=|| view! { <p>"Bezig met laden…"</p> }>
            {move || Suspend::new(async move {
                match grondslagen.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(list) => view! {
                        <div class="table-scroll" tabindex="0" role="region" aria-label="Tabel; schuif opzij voor meer kolommen"><table class="table">
                            <caption class="visually-hidden">"Grondslagen"</caption>
                            <thead><tr><th scope="col">"Wet"</th><th scope="col">"Artikel"</th><th scope="col">"Omschrijving"</th></tr></thead>
                            <tbody>
                                {list.into_iter().map(|g| view! {
                                    <tr><td>{g.law}</td><td>{g.article}</td><td>{g.description}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table></div>
                    }.into_any(),
                }
            })}
        </Suspense>
        {(me.role == Role::Beheerder).then(|| view! {
            <section class="section" aria-labelledby="nieuwe-grondslag">
                <h2 id="nieuwe-grondslag">"Nieuwe grondslag"</h2>
                <FormAlert error fields=&["wet", "artikel", "omschrijving"]/>
                <ActionForm action=create attr:class="form">
                    <TextField label="Wet" name="wet" required=true error=field_error(error, "wet")/>
                    <TextField label="Artikel" name="artikel" required=true error=field_error(error, "artikel")/>
                    <TextArea label="Omschrijving" name="omschrijving" error=field_error(error, "omschrijving")/>
                    <div class="form-actions"><button type="submit" class="button button--primary">"Grondslag vastleggen"</button></div>
                </ActionForm>
            </section>
        })}
    }
}
