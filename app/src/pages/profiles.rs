//! Autorisatieprofielen: the list, a new profile, a profile with its versions, and a change.

use crate::api::authorisation::{
    get_profile, list_profiles, register_doelen, DecideProfileVersion, ProposeProfile,
    ProposeProfileChange,
};
use crate::api::list_afnemers;
use crate::components::form::{
    action_error, field_error, use_notice, ErrorBox, FormAlert, Notice, TextArea, TextField,
};
use crate::components::guard::RequireRole;
use crate::components::profile::{
    ProfileContentView, ProfileDiffView, ProfileFields, VrijeDerdeBasisFields, VrijeDerdeBasisView,
};
use crate::error::AppError;
use brp_domain::authorisation::{Profile, ProfileContent};
use brp_domain::time::format_datetime;
use brp_domain::vrije_derde::VrijeDerdeBasisInput;
use brp_domain::{AfnemerKind, Role, User};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

const READ: &[Role] = &[Role::Beheerder, Role::Toezichthouder];
const PROFILE_FIELDS: &[&str] = &[
    "naam",
    "afnemer",
    "velden",
    "zoekvormen",
    "doelen",
    "toelichting",
    "omschrijving",
    "zaak_verplicht",
    "vrije_derde_grond",
    "geen_winstoogmerk",
    "behoefte",
    "evenredigheid",
    "subsidiariteit",
    "belang",
    "bewaring",
];

#[component]
pub fn ProfilesPage() -> impl IntoView {
    view! {
        <Title text="Autorisatieprofielen"/>
        <RequireRole roles=READ children=|me: User| view! { <ProfileList me/> }/>
    }
}

#[component]
fn ProfileList(me: User) -> impl IntoView {
    let profiles = Resource::new(|| (), |_| list_profiles());
    view! {
        <h1>"Autorisatieprofielen"</h1>
        <p>"Elk profiel hoort bij een afnemer en bepaalt welke gegevens, zoekvormen en doelen zijn toegestaan. Elke wijziging is een nieuwe versie die pas geldt na goedkeuring door een tweede beheerder."</p>
        {(me.role == Role::Beheerder).then(|| view! {
            <p><a class="button button--primary" href="/beheer/profielen/nieuw">"Nieuw profiel voorstellen"</a></p>
        })}
        <Suspense fallback=|| view! { <p>"Bezig met laden…"</p> }>
            {move || Suspend::new(async move {
                match profiles.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(list) => view! {
                        <div class="table-scroll" tabindex="0" role="region" aria-label="Tabel; schuif opzij voor meer kolommen"><table class="table">
                            <caption class="visually-hidden">"Autorisatieprofielen"</caption>
                            <thead><tr>
                                <th scope="col">"Profiel"</th><th scope="col">"Afnemer"</th>
                                <th scope="col">"Geldende versie"</th><th scope="col">"Wacht op goedkeuring"</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|p| {
                                    let current = p.current().map_or_else(|| "nog geen".to_owned(), |v| v.version.to_string());
                                    let pending = p.pending().map_or_else(|| "nee".to_owned(), |v| format!("ja, versie {}", v.version));
                                    view! {
                                        <tr>
                                            <td><a href=format!("/beheer/profielen/{}", p.id)>{p.name.clone()}</a></td>
                                            <td>{p.afnemer.name.clone()}</td>
                                            <td>{current}</td>
                                            <td>{pending}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table></div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn NewProfilePage() -> impl IntoView {
    view! {
        <Title text="Nieuw profiel"/>
        <RequireRole roles=&[Role::Beheerder] children=|_: User| view! { <NewProfile/> }/>
    }
}

/// Two steps, both plain forms: first the afnemer (a GET form), then the profile with the
/// doelen of that afnemer.
#[component]
fn NewProfile() -> impl IntoView {
    let query = use_query_map();
    let afnemer = move || {
        query
            .read()
            .get("afnemer")
            .and_then(|v| v.parse::<i64>().ok())
    };
    let data = Resource::new(afnemer, |_| async move {
        Ok::<_, AppError>((list_afnemers().await?, register_doelen().await?))
    });
    let propose = ServerAction::<ProposeProfile>::new();
    let error = action_error(propose);
    view! {
        <p><a href="/beheer/profielen">"Terug naar alle profielen"</a></p>
        <h1>"Nieuw profiel voorstellen"</h1>
        <Suspense fallback=|| view! { <p>"Bezig met laden…"</p> }>
            {move || Suspend::new(async move {
                let chosen = afnemer();
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok((afnemers, doelen)) => match chosen.and_then(|id| afnemers.iter().find(|a| a.id == id).cloned()) {
                        None => view! {
                            <form method="get" action="/beheer/profielen/nieuw" class="form">
                                <div class="form-field">
                                    <label class="form-label" for="veld-afnemer">"Afnemer"</label>
                                    <p class="form-field__description" id="veld-afnemer-toelichting">"Het organisatieonderdeel waarvoor dit profiel is."</p>
                                    <select class="select" id="veld-afnemer" name="afnemer" aria-describedby="veld-afnemer-toelichting">
                                        {afnemers.into_iter().map(|a| view! { <option value=a.id.to_string()>{String::from(a.name)}</option> }).collect_view()}
                                    </select>
                                </div>
                                <div class="form-actions"><button type="submit" class="button button--primary">"Verder"</button></div>
                            </form>
                        }.into_any(),
                        Some(a) => {
                            let mine: Vec<_> = doelen.into_iter().filter(|d| d.afnemer_id == a.id).collect();
                            let vrije_derde = a.kind == AfnemerKind::VrijeDerde;
                            view! {
                                <p>"Afnemer: " <strong>{String::from(a.name.clone())}</strong> " " <a href="/beheer/profielen/nieuw">"(andere kiezen)"</a></p>
                                <FormAlert error fields=PROFILE_FIELDS/>
                                <ActionForm action=propose attr:class="form form--wide">
                                    <input type="hidden" name="afnemer" value=a.id.to_string()/>
                                    <TextField label="Naam van het profiel" name="naam" required=true error=field_error(error, "naam")/>
                                    <TextArea label="Omschrijving" name="omschrijving" error=field_error(error, "omschrijving")/>
                                    <ProfileFields initial=ProfileContent::default() doelen=mine/>
                                    {vrije_derde.then(|| view! { <VrijeDerdeBasisFields initial=VrijeDerdeBasisInput::default() error/> })}
                                    <TextArea label="Toelichting voor de tweede beheerder" name="toelichting" error=field_error(error, "toelichting")/>
                                    <div class="form-actions"><button type="submit" class="button button--primary">"Profiel voorstellen"</button></div>
                                </ActionForm>
                            }.into_any()
                        }
                    },
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn ProfilePage() -> impl IntoView {
    view! {
        <Title text="Autorisatieprofiel"/>
        <RequireRole roles=READ children=|me: User| view! { <ProfileDetail me/> }/>
    }
}

fn use_profile_id() -> impl Fn() -> Option<i64> + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get("id").and_then(|v| v.parse::<i64>().ok())
}

async fn load_profile(
    id: Option<i64>,
) -> Result<(Profile, Vec<brp_domain::authorisation::Doel>), AppError> {
    let id = id.ok_or_else(|| AppError::NotFound("Het profiel is niet gevonden.".into()))?;
    Ok((get_profile(id).await?, register_doelen().await?))
}

#[component]
fn ProfileDetail(me: User) -> impl IntoView {
    let id = use_profile_id();
    let decide = ServerAction::<DecideProfileVersion>::new();
    let data = Resource::new(
        move || (id(), decide.version().get()),
        |(id, _)| load_profile(id),
    );
    let notice = use_notice(&[
        (
            "voorgesteld",
            "Het voorstel is opgeslagen. Het geldt pas na goedkeuring door een tweede beheerder.",
        ),
        ("goedgekeurd", "De versie is goedgekeurd en geldt nu."),
        ("afgewezen", "De versie is afgewezen."),
    ]);
    view! {
        <p><a href="/beheer/profielen">"Terug naar alle profielen"</a></p>
        <Notice text=notice/>
        <Suspense fallback=|| view! { <p>"Bezig met laden…"</p> }>
            {move || {
                let me = me.clone();
                Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <h1>"Autorisatieprofiel"</h1><ErrorBox error=e/> }.into_any(),
                    Ok((profile, doelen)) => {
                        let current = profile.current().cloned();
                        let pending = profile.pending().cloned();
                        let beheerder = me.role == Role::Beheerder;
                        view! {
                            <h1>{profile.name.clone()}</h1>
                            <p>"Afnemer: " <a href=format!("/beheer/afnemers/{}", profile.afnemer.id)>{profile.afnemer.name.clone()}</a></p>
                            {(!profile.description.is_empty()).then(|| view! { <p>{profile.description.clone()}</p> })}
                            {pending.map(|p| {
                                let diff = current.as_ref().map(|c| c.content.diff(&p.content));
                                let own = p.proposed_by_id == Some(me.id);
                                view! {
                                    <section class="section panel" aria-labelledby="voorstel-titel">
                                        <h2 id="voorstel-titel">{format!("Versie {} wacht op goedkeuring", p.version)}</h2>
                                        <p>{format!("Voorgesteld door {} op {}.", p.proposed_by, format_datetime(p.proposed_at))}</p>
                                        {(!p.note.is_empty()).then(|| view! { <p>"Toelichting: " {p.note.clone()}</p> })}
                                        {p.vrije_derde_basis.clone().map(|b| view! { <VrijeDerdeBasisView basis=b/> })}
                                        {match diff {
                                            Some(d) => view! { <ProfileDiffView diff=d doelen=doelen.clone()/> }.into_any(),
                                            None => view! { <ProfileContentView content=p.content.clone() doelen=doelen.clone()/> }.into_any(),
                                        }}
                                        {(beheerder && own).then(|| view! {
                                            <p class="alert alert--info">"U stelde deze versie zelf voor. Een andere beheerder keurt haar goed of af (vier ogen)."</p>
                                        })}
                                        {(beheerder && !own).then(|| view! { <DecideVersion profile_id=profile.id version=p.version action=decide/> })}
                                    </section>
                                }
                            })}
                            <section class="section" aria-labelledby="geldend-titel">
                                <h2 id="geldend-titel">{match &current { Some(c) => format!("Geldende versie: {}", c.version), None => "Nog geen goedgekeurde versie".to_owned() }}</h2>
                                {current.clone().map(|c| view! {
                                    <ProfileContentView content=c.content doelen=doelen.clone()/>
                                    {c.vrije_derde_basis.map(|b| view! { <VrijeDerdeBasisView basis=b/> })}
                                })}
                                {(beheerder && profile.pending().is_none() && current.is_some()).then(|| view! {
                                    <p><a class="button button--secondary" href=format!("/beheer/profielen/{}/wijzigen", profile.id)>"Wijziging voorstellen"</a></p>
                                })}
                            </section>
                            <section class="section" aria-labelledby="historie-titel">
                                <h2 id="historie-titel">"Versies"</h2>
                                <div class="table-scroll" tabindex="0" role="region" aria-label="Tabel; schuif opzij voor meer kolommen"><table class="table">
                                    <caption class="visually-hidden">"Alle versies van dit profiel"</caption>
                                    <thead><tr>
                                        <th scope="col">"Versie"</th><th scope="col">"Status"</th><th scope="col">"Voorgesteld"</th>
                                        <th scope="col">"Besluit"</th><th scope="col">"Wat veranderde"</th>
                                    </tr></thead>
                                    <tbody>
                                        {profile.versions.iter().rev().map(|v| {
                                            let before = profile.approved_before(v.version).map(|b| b.content.diff(&v.content));
                                            let change = match before {
                                                None => format!("eerste versie: {} gegevens, {} zoekvormen", v.content.fields.len(), v.content.search_types.len()),
                                                Some(d) => format!(
                                                    "+{} / -{} gegevens, +{} / -{} zoekvormen, +{} / -{} doelen{}",
                                                    d.added_fields.len(), d.removed_fields.len(),
                                                    d.added_search_types.len(), d.removed_search_types.len(),
                                                    d.added_doelen.len(), d.removed_doelen.len(),
                                                    if d.widens() { " (verruiming)" } else if d.narrows() { " (beperking)" } else { "" },
                                                ),
                                            };
                                            view! {
                                                <tr>
                                                    <td>{v.version}</td>
                                                    <td>{v.status.label()}</td>
                                                    <td>{format!("{}, {}", v.proposed_by, format_datetime(v.proposed_at))}</td>
                                                    <td>{v.decision.as_ref().map(|d| format!("{}, {}{}", d.by, format_datetime(d.at), if d.reason.is_empty() { String::new() } else { format!(": {}", d.reason) })).unwrap_or_default()}</td>
                                                    <td>{change}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table></div>
                            </section>
                        }.into_any()
                    }
                }
            })}}
        </Suspense>
    }
}

#[component]
fn DecideVersion(
    profile_id: i64,
    version: i32,
    action: ServerAction<DecideProfileVersion>,
) -> impl IntoView {
    let error = action_error(action);
    view! {
        <FormAlert error fields=&["reden"]/>
        <ActionForm action=action attr:class="form">
            <input type="hidden" name="id" value=profile_id.to_string()/>
            <input type="hidden" name="versie" value=version.to_string()/>
            <TextArea label="Reden" name="reden" description="Verplicht bij afwijzen." error=field_error(error, "reden")/>
            <div class="form-actions button-group">
                <button type="submit" name="besluit" value="goedkeuren" class="button button--primary">"Goedkeuren"</button>
                <button type="submit" name="besluit" value="afwijzen" class="button button--warning">"Afwijzen"</button>
            </div>
        </ActionForm>
    }
}

#[component]
pub fn ChangeProfilePage() -> impl IntoView {
    view! {
        <Title text="Profiel wijzigen"/>
        <RequireRole roles=&[Role::Beheerder] children=|_: User| view! { <ChangeProfile/> }/>
    }
}

#[component]
fn ChangeProfile() -> impl IntoView {
    let id = use_profile_id();
    let data = Resource::new(id, |id| async move {
        let (profile, doelen) = load_profile(id).await?;
        let kind = list_afnemers()
            .await?
            .into_iter()
            .find(|a| a.id == profile.afnemer.id)
            .map(|a| a.kind);
        Ok::<_, AppError>((profile, doelen, kind))
    });
    let change = ServerAction::<ProposeProfileChange>::new();
    let error = action_error(change);
    view! {
        <Suspense fallback=|| view! { <p>"Bezig met laden…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok((profile, doelen, kind)) => {
                        let mine: Vec<_> = doelen.into_iter().filter(|d| d.afnemer_id == profile.afnemer.id).collect();
                        let initial = profile.current().map(|c| c.content.clone()).unwrap_or_default();
                        // A vrije derde's every version records its ground again, filled in
                        // from the current one.
                        let basis = (kind == Some(AfnemerKind::VrijeDerde)).then(|| {
                            profile.current().and_then(|c| c.vrije_derde_basis.as_ref())
                                .map(VrijeDerdeBasisInput::from_basis).unwrap_or_default()
                        });
                        view! {
                            <p><a href=format!("/beheer/profielen/{}", profile.id)>"Terug naar het profiel"</a></p>
                            <h1>{format!("Wijziging voorstellen: {}", profile.name)}</h1>
                            <p>"De wijziging wordt een nieuwe versie. Die geldt pas als een andere beheerder haar goedkeurt. Een verruiming bereikt bestaande autorisaties pas na herbevestiging; een beperking geldt direct voor iedereen."</p>
                            <FormAlert error fields=PROFILE_FIELDS/>
                            <ActionForm action=change attr:class="form form--wide">
                                <input type="hidden" name="id" value=profile.id.to_string()/>
                                <ProfileFields initial doelen=mine/>
                                {basis.map(|b| view! { <VrijeDerdeBasisFields initial=b error/> })}
                                <TextArea label="Toelichting voor de tweede beheerder" name="toelichting" error=field_error(error, "toelichting")/>
                                <div class="form-actions"><button type="submit" class="button button--primary">"Wijziging voorstellen"</button></div>
                            </ActionForm>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
