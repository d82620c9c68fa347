//! Raadplegen: the medewerker's search under one of their grants, the result list, and a
//! person's page. Search forms are plain GET forms: they work before the wasm loads, and
//! every search is one page load, so one request and one protocol entry per search.

use crate::api::raadplegen::{lookup_grants, open_person, search_persons, SubmitTerugmelding};
use crate::components::form::{
    action_error, field_error, ErrorBox, FormAlert, SelectField, TextArea,
};
use crate::components::guard::RequireRole;
use crate::error::AppError;
use brp_domain::authorisation::SearchType;
use brp_domain::person::display::{sections, value_text};
use brp_domain::person::{LookupGrant, LookupResult, ProvidedPerson};
use brp_domain::{Role, User};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use leptos_router::params::ParamsMap;

const LOOKUP: &[Role] = &[Role::Medewerker, Role::Beheerder];

#[component]
pub fn RaadplegenPage() -> impl IntoView {
    view! {
        <Title text="Personen raadplegen"/>
        <RequireRole roles=LOOKUP children=|_: User| view! { <Raadplegen/> }/>
    }
}

fn get(q: &ParamsMap, key: &str) -> String {
    q.get(key).unwrap_or_default()
}

#[component]
fn Raadplegen() -> impl IntoView {
    let grants = Resource::new(|| (), |_| lookup_grants());
    // A memo: only a different query searches again (every search is protocolled).
    let raw_query = use_query_map();
    let query = Memo::new(move |_| raw_query.get());
    // The search is made here, at the top of the page, not in a component created once the
    // grants are known: the browser then finds the server's answer for it when the page
    // hydrates, instead of searching (and protocolling) a second time.
    let result = Resource::new(
        move || query.get(),
        |q| async move {
            if q.get("zoek").is_some() {
                Some(run_search(q).await)
            } else {
                None
            }
        },
    );
    view! {
        <h1>"Personen raadplegen"</h1>
        <p>"U ziet alleen de gegevens die uw autorisatie toestaat. Elke persoon die u te zien krijgt, wordt vastgelegd in het protocol, met het doel dat u kiest."</p>
        <Suspense fallback=|| view! { <p>"Bezig met laden…"</p> }>
            // Tracked: a search-type link or a new search changes the query, and the hydrated
            // page follows it without a reload. Only the query is tracked here: the grants are
            // awaited in a component of their own, so their arrival does not build the page
            // (and make the search) a second time.
            {move || {
                let q = query.get();
                view! { <RaadplegenFor grants result q/> }
            }}
        </Suspense>
    }
}

#[component]
fn RaadplegenFor(
    grants: Resource<Result<Vec<LookupGrant>, AppError>>,
    result: SearchResult,
    q: ParamsMap,
) -> impl IntoView {
    view! {
            {Suspend::new(async move {
                match grants.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(list) if list.is_empty() => view! {
                        <div class="alert alert--info"><p>
                            "U heeft op dit moment geen actieve autorisatie om personen te raadplegen. "
                            <a href="/autorisaties/aanvragen/nieuw">"Vraag een autorisatie aan"</a>"."
                        </p></div>
                    }.into_any(),
                    Ok(list) => {
                        let chosen = q.get("autorisatie").and_then(|v| v.parse::<i64>().ok());
                        let grant = list.iter().find(|g| Some(g.grant_id) == chosen).unwrap_or(&list[0]).clone();
                        let zoekvorm = q.get("zoekvorm")
                            .and_then(|v| v.parse::<SearchType>().ok())
                            .filter(|t| grant.search_types.contains(t))
                            .or_else(|| grant.search_types.first().copied());
                        let searching = q.get("zoek").is_some();
                        view! {
                            {(list.len() > 1).then(|| view! { <GrantChoice grants=list.clone() current=grant.grant_id/> })}
                            <GrantSummary grant=grant.clone()/>
                            {zoekvorm.map(|t| view! {
                                <SearchTypeNav grant=grant.clone() current=t/>
                                <SearchForm grant=grant.clone() search_type=t params=q.clone()/>
                            })}
                            {(searching && zoekvorm.is_some()).then(|| view! { <Results result/> })}
                        }.into_any()
                    }
                }
            })}
    }
}

#[component]
fn GrantChoice(grants: Vec<LookupGrant>, current: i64) -> impl IntoView {
    view! {
        <form method="get" action="/raadplegen" class="form form--inline">
            <div class="form-field">
                <label class="form-label" for="autorisatie-keuze">"Autorisatie waaronder u zoekt"</label>
                <select class="select" id="autorisatie-keuze" name="autorisatie">
                    {grants.into_iter().map(|g| {
                        let selected = g.grant_id == current;
                        view! { <option value=g.grant_id.to_string() selected=selected>{format!("{} ({})", g.profile_name, g.afnemer_name)}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="form-actions"><button type="submit" class="button button--secondary">"Kiezen"</button></div>
        </form>
    }
}

#[component]
fn GrantSummary(grant: LookupGrant) -> impl IntoView {
    view! {
        <p class="grant-summary">
            {format!("U zoekt onder ‘{}’ ({}), geldig tot en met {}.", grant.profile_name, grant.afnemer_name, brp_domain::time::format_day(grant.end_date))}
            {grant.own_residents_only.then_some(" U vindt alleen inwoners van de eigen gemeente.")}
            {grant.zaak_required.then_some(" Elke bevraging vraagt een zaaknummer.")}
        </p>
    }
}

#[component]
fn SearchTypeNav(grant: LookupGrant, current: SearchType) -> impl IntoView {
    view! {
        <nav aria-label="Zoekvormen" class="tabs">
            <ul class="tabs__list">
                {grant.search_types.iter().copied().map(|t| {
                    let href = format!("/raadplegen?autorisatie={}&zoekvorm={}", grant.grant_id, t.code());
                    let here = (t == current).then_some("page");
                    view! { <li><a class="tabs__link" href=href aria-current=here>{t.label()}</a></li> }
                }).collect_view()}
            </ul>
        </nav>
    }
}

fn input(
    name: &'static str,
    label: &'static str,
    value: String,
    required: bool,
    hint: Option<&'static str>,
    autocomplete: Option<&'static str>,
) -> impl IntoView {
    text_input(name, label, value, required, hint, autocomplete, None)
}

/// A text input; `digits` asks for a numeric keyboard and lets the browser check the number
/// of digits before sending (the service checks again: the form works without it). No
/// maxlength: a pasted id one digit too long would be cut to another, valid id.
fn text_input(
    name: &'static str,
    label: &'static str,
    value: String,
    required: bool,
    hint: Option<&'static str>,
    autocomplete: Option<&'static str>,
    digits: Option<usize>,
) -> impl IntoView {
    let id = format!("zoek-{name}");
    let hint_id = format!("{id}-hint");
    let described = hint.map(|_| hint_id.clone());
    view! {
        <div class="form-field">
            <label class="form-label" for=id.clone()>
                {label}
                {(!required).then(|| view! { <span class="form-label__optional">" (niet verplicht)"</span> })}
            </label>
            {hint.map(|h| view! { <p class="form-field__description" id=hint_id>{h}</p> })}
            <input class="textbox" id=id name=name type="text" value=value required=required
                aria-describedby=described autocomplete=autocomplete.unwrap_or("off")
                inputmode=digits.map(|_| "numeric")
                pattern=digits.map(|n| format!("[0-9]{{{n}}}"))/>
        </div>
    }
}

#[component]
fn SearchForm(grant: LookupGrant, search_type: SearchType, params: ParamsMap) -> impl IntoView {
    let v = |k: &str| get(&params, k);
    let chosen_doel = v("doel");
    let name_hint = Some("Hoofdletters en accenten maken niet uit. Een * aan het eind zoekt op het begin van de naam (na minstens 3 letters).");
    let fields = match search_type {
        SearchType::RaadpleegMetBurgerservicenummer => view! {
            {input("burgerservicenummer", "Burgerservicenummer", v("burgerservicenummer"), true, Some("Eén of meer (ten hoogste 20) burgerservicenummers, gescheiden door spaties of komma's."), None)}
        }.into_any(),
        SearchType::ZoekMetGeslachtsnaamEnGeboortedatum => view! {
            {input("geslachtsnaam", "Geslachtsnaam", v("geslachtsnaam"), true, name_hint, None)}
            {input("geboortedatum", "Geboortedatum", v("geboortedatum"), true, Some("Bijvoorbeeld 07-07-1975 of 1975-07-07."), None)}
            {input("voorvoegsel", "Voorvoegsel", v("voorvoegsel"), false, Some("Bijvoorbeeld ‘van der’."), None)}
            {input("voornamen", "Voornamen", v("voornamen"), false, None, None)}
            {input("geslacht", "Geslacht", v("geslacht"), false, Some("M, V of O."), None)}
        }.into_any(),
        SearchType::ZoekMetNaamEnGemeenteVanInschrijving => view! {
            {input("geslachtsnaam", "Geslachtsnaam", v("geslachtsnaam"), true, name_hint, None)}
            {input("voornamen", "Voornamen", v("voornamen"), true, None, None)}
            {input("gemeente", "Gemeentecode van inschrijving", v("gemeente"), true, Some("Vier cijfers, bijvoorbeeld 0518."), None)}
            {input("voorvoegsel", "Voorvoegsel", v("voorvoegsel"), false, None, None)}
            {input("geslacht", "Geslacht", v("geslacht"), false, Some("M, V of O."), None)}
        }.into_any(),
        SearchType::ZoekMetPostcodeEnHuisnummer => view! {
            {input("postcode", "Postcode", v("postcode"), true, Some("Bijvoorbeeld 1991 AB."), Some("postal-code"))}
            {input("huisnummer", "Huisnummer", v("huisnummer"), true, None, None)}
            {input("huisletter", "Huisletter", v("huisletter"), false, None, None)}
            {input("toevoeging", "Huisnummertoevoeging", v("toevoeging"), false, None, None)}
        }.into_any(),
        SearchType::ZoekMetNummeraanduidingIdentificatie => view! {
            {text_input("nummeraanduiding", "Identificatie nummeraanduiding", v("nummeraanduiding"), true, Some("De 16 cijfers van de nummeraanduiding (het adres) in de BAG, bijvoorbeeld 0599200000219679."), None, Some(16))}
            {input("gemeente", "Gemeentecode van inschrijving", v("gemeente"), false, Some("Alleen personen die in deze gemeente staan ingeschreven. Vier cijfers, bijvoorbeeld 0518."), None)}
        }.into_any(),
        SearchType::ZoekMetAdresseerbaarObjectIdentificatie => view! {
            {text_input("adresseerbaarobject", "Identificatie adresseerbaar object", v("adresseerbaarobject"), true, Some("De 16 cijfers van het adresseerbaar object (de woning of het verblijfsobject) in de BAG, bijvoorbeeld 0599010000219679. U vindt iedereen die in dat object staat ingeschreven, op welke nummeraanduiding ook."), None, Some(16))}
            {input("gemeente", "Gemeentecode van inschrijving", v("gemeente"), false, Some("Alleen personen die in deze gemeente staan ingeschreven. Vier cijfers, bijvoorbeeld 0518."), None)}
        }.into_any(),
        SearchType::ZoekMetStraatHuisnummerEnGemeenteVanInschrijving => view! {
            {input("straat", "Straat", v("straat"), true, Some("De officiële straatnaam. Een * aan het begin of eind na minstens 7 tekens."), None)}
            {input("huisnummer", "Huisnummer", v("huisnummer"), true, None, None)}
            {input("huisletter", "Huisletter", v("huisletter"), false, None, None)}
            {input("toevoeging", "Huisnummertoevoeging", v("toevoeging"), false, None, None)}
            {input("gemeente", "Gemeentecode van inschrijving", v("gemeente"), true, Some("Vier cijfers, bijvoorbeeld 0518."), None)}
        }.into_any(),
    };
    let with_dead = params.get("overleden").is_some();
    view! {
        <form method="get" action="/raadplegen" class="form" role="search" aria-label="Zoekvraag">
            <input type="hidden" name="autorisatie" value=grant.grant_id.to_string()/>
            <input type="hidden" name="zoekvorm" value=search_type.code()/>
            <input type="hidden" name="zoek" value="1"/>
            <div class="form-field">
                <label class="form-label" for="zoek-doel">"Doel van deze bevraging"</label>
                <p class="form-field__description" id="zoek-doel-hint">"U mag de gegevens alleen voor dit doel gebruiken."</p>
                <select class="select" id="zoek-doel" name="doel" required=true aria-describedby="zoek-doel-hint">
                    {(grant.doelen.len() > 1).then(|| view! { <option value="">"Kies een doel"</option> })}
                    {grant.doelen.iter().map(|d| {
                        let selected = chosen_doel == d.id.to_string();
                        view! { <option value=d.id.to_string() selected=selected>{d.name.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
            {if grant.zaak_required {
                input("zaak", "Zaaknummer of kenmerk", v("zaak"), true, Some("Verplicht bij deze autorisatie: elke bevraging hoort bij een zaak. Wordt bij het protocol bewaard."), None)
            } else {
                input("zaak", "Zaaknummer of kenmerk", v("zaak"), false, Some("Wordt bij het protocol bewaard."), None)
            }}
            <fieldset class="fieldset">
                <legend class="fieldset__legend">{search_type.label()}</legend>
                {fields}
                {(search_type != SearchType::RaadpleegMetBurgerservicenummer).then(|| view! {
                    <div class="checkbox">
                        <input type="checkbox" id="zoek-overleden" name="overleden" value="ja" checked=with_dead/>
                        <label for="zoek-overleden">"Ook overleden personen"</label>
                    </div>
                })}
            </fieldset>
            <div class="form-actions"><button type="submit" class="button button--primary">"Zoeken"</button></div>
        </form>
    }
}

async fn run_search(q: ParamsMap) -> Result<LookupResult, AppError> {
    let p = |k: &str| get(&q, k);
    search_persons(
        p("autorisatie"),
        p("doel"),
        p("zaak"),
        p("zoekvorm"),
        Vec::new(),
        p("burgerservicenummer"),
        p("geslachtsnaam"),
        p("voornamen"),
        p("voorvoegsel"),
        p("geslacht"),
        p("geboortedatum"),
        p("gemeente"),
        p("postcode"),
        p("huisnummer"),
        p("huisletter"),
        p("toevoeging"),
        p("straat"),
        p("nummeraanduiding"),
        p("adresseerbaarobject"),
        q.get("overleden"),
    )
    .await
}

/// The search of the page's query, if it asks for one.
type SearchResult = Resource<Option<Result<LookupResult, AppError>>>;

#[component]
fn Results(result: SearchResult) -> impl IntoView {
    view! {
        <section class="section" aria-labelledby="resultaat-titel">
            <h2 id="resultaat-titel">"Resultaat"</h2>
            <Suspense fallback=|| view! { <p>"Bezig met zoeken…"</p> }>
                {move || Suspend::new(async move {
                    match result.await {
                        None => ().into_any(),
                        Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
                        Some(Ok(r)) if r.persons.is_empty() => view! {
                            <p role="status">"Er is niemand gevonden die aan de zoekvraag voldoet."</p>
                        }.into_any(),
                        Some(Ok(r)) if r.search_type == SearchType::RaadpleegMetBurgerservicenummer => view! {
                            <p role="status">{format!("{} gevonden.", count(r.persons.len()))}</p>
                            {r.persons.into_iter().map(|p| view! { <PersonCard person=p level=3/> }).collect_view()}
                        }.into_any(),
                        Some(Ok(r)) => view! { <ResultList persons=r.persons/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn count(n: usize) -> String {
    if n == 1 {
        "1 persoon".into()
    } else {
        format!("{n} personen")
    }
}

fn text_at(p: &serde_json::Value, pointer: &str) -> Option<String> {
    p.pointer(pointer).and_then(value_text)
}

fn display_name(p: &serde_json::Value) -> Option<String> {
    text_at(p, "/naam/volledigeNaam").or_else(|| {
        let parts: Vec<String> = [
            "/naam/voornamen",
            "/naam/voorvoegsel",
            "/naam/geslachtsnaam",
        ]
        .iter()
        .filter_map(|k| text_at(p, k))
        .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    })
}

fn address(p: &serde_json::Value) -> Option<String> {
    let parts: Vec<String> = ["/adressering/adresregel1", "/adressering/adresregel2"]
        .iter()
        .filter_map(|k| text_at(p, k))
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

#[component]
fn Badges(person: ProvidedPerson) -> impl IntoView {
    let i = person.indicaties;
    view! {
        <ul class="badges">
            {i.geheimhouding.then(|| view! { <li class="badge badge--warning">"Geheimhouding"</li> })}
            {i.overleden.map(|d| view! { <li class="badge">{format!("Overleden ({d})")}</li> })}
            {(!i.in_onderzoek.is_empty()).then(|| view! { <li class="badge badge--warning">"Gegevens in onderzoek"</li> })}
        </ul>
    }
}

#[component]
fn ResultList(persons: Vec<ProvidedPerson>) -> impl IntoView {
    let n = persons.len();
    view! {
        <p role="status">{format!("{} gevonden. Open een persoon voor alle gegevens die uw autorisatie toestaat.", count(n))}</p>
        <div class="table-scroll" tabindex="0" role="region" aria-label="Tabel; schuif opzij voor meer kolommen">
        <table class="table">
            <caption class="visually-hidden">"Gevonden personen"</caption>
            <thead><tr>
                <th scope="col">"Naam"</th>
                <th scope="col">"Geboortedatum"</th>
                <th scope="col">"Adres"</th>
                <th scope="col">"Bijzonderheden"</th>
                <th scope="col"><span class="visually-hidden">"Actie"</span></th>
            </tr></thead>
            <tbody>
                {persons.into_iter().enumerate().map(|(i, p)| {
                    let name = display_name(&p.persoon).unwrap_or_else(|| format!("Persoon {}", i + 1));
                    let born = text_at(&p.persoon, "/geboorte/datum").unwrap_or_else(|| "–".into());
                    let addr = address(&p.persoon).unwrap_or_else(|| "–".into());
                    let href = format!("/raadplegen/persoon/{}", p.verstrekking_id);
                    let hidden_name = format!(" {name}");
                    view! {
                        <tr>
                            <th scope="row">{name}</th>
                            <td>{born}</td>
                            <td>{addr}</td>
                            <td><Badges person=p.clone()/></td>
                            <td><a href=href>"Bekijken"<span class="visually-hidden">{hidden_name}</span></a></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        </div>
    }
}

/// A person with every provided datum, the indications, and the terugmelding form.
#[component]
pub fn PersonCard(person: ProvidedPerson, level: u8) -> impl IntoView {
    let name = display_name(&person.persoon).unwrap_or_else(|| "Persoon".into());
    let i = person.indicaties.clone();
    let parts = sections(&person.persoon);
    let options: Vec<(String, String)> = parts
        .iter()
        .flat_map(|s| {
            s.rows
                .iter()
                .map(|r| (r.path.clone(), format!("{} – {}", s.title, r.label)))
        })
        .fold(Vec::new(), |mut acc, (path, label)| {
            if !acc.iter().any(|(p, _)| *p == path) {
                acc.push((path, label));
            }
            acc
        });
    let onderzoek = i.clone();
    // The card sits under an h1 (its own page) or an h2 (a result list).
    let heading = if level <= 1 {
        view! { <h1>{name.clone()}</h1> }.into_any()
    } else {
        view! { <h3>{name.clone()}</h3> }.into_any()
    };
    view! {
        <article class="person">
            {heading}
            <div class="person__notices">
                {i.geheimhouding.then(|| view! {
                    <div class="alert alert--warning"><p>
                        <strong>"Geheimhouding persoonsgegevens. "</strong>
                        "Deze persoon heeft gevraagd zijn gegevens niet aan derden te verstrekken. Gebruik binnen de gemeente voor uw taak is toegestaan; geef de gegevens niet door aan anderen buiten de gemeente."
                    </p></div>
                })}
                {i.overleden.clone().map(|d| view! {
                    <div class="alert alert--info"><p><strong>"Overleden. "</strong>{format!("Deze persoon is overleden ({d}).")}</p></div>
                })}
                {i.opschorting.clone().filter(|_| i.overleden.is_none()).map(|o| view! {
                    <div class="alert alert--info"><p><strong>"Bijhouding opgeschort: "</strong>{o}</p></div>
                })}
                {(!i.in_onderzoek.is_empty()).then(|| view! {
                    <div class="alert alert--warning"><p>
                        <strong>"Gegevens in onderzoek. "</strong>
                        "Van deze persoon wordt onderzocht of gegevens kloppen. Gemarkeerde gegevens kunnen onjuist zijn."
                    </p></div>
                })}
            </div>
            {parts.into_iter().map(|s| {
                let o = onderzoek.clone();
                view! {
                    <section class="person__section">
                        {if level <= 1 {
                            view! { <h2>{s.title.clone()}</h2> }.into_any()
                        } else {
                            view! { <h4>{s.title.clone()}</h4> }.into_any()
                        }}
                        <dl class="data-list">
                            {s.rows.into_iter().map(|r| {
                                let flagged = o.is_in_onderzoek(&r.path);
                                view! {
                                    <dt>{r.label}</dt>
                                    <dd>{r.value}{flagged.then(|| view! { <span class="badge badge--warning">" In onderzoek"</span> })}</dd>
                                }
                            }).collect_view()}
                        </dl>
                    </section>
                }
            }).collect_view()}
            <TerugmeldingForm verstrekking=person.verstrekking_id options/>
        </article>
    }
}

#[component]
fn TerugmeldingForm(verstrekking: i64, options: Vec<(String, String)>) -> impl IntoView {
    let submit = ServerAction::<SubmitTerugmelding>::new();
    let error = action_error(submit);
    if options.is_empty() {
        return ().into_any();
    }
    view! {
        <details class="terugmelding">
            <summary>"Twijfelt u aan een gegeven? Meld het terug"</summary>
            <FormAlert error fields=&["gegeven", "toelichting"]/>
            <ActionForm action=submit attr:class="form">
                <input type="hidden" name="verstrekking" value=verstrekking.to_string()/>
                <SelectField label="Gegeven" name="gegeven" error=field_error(error, "gegeven")>
                    {options.into_iter().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view()}
                </SelectField>
                <TextArea label="Waarom twijfelt u?" name="toelichting" required=true
                    description="Bijvoorbeeld: de persoon woont volgens ons onderzoek op een ander adres."
                    error=field_error(error, "toelichting")/>
                <div class="form-actions"><button type="submit" class="button button--secondary">"Terugmelding versturen"</button></div>
            </ActionForm>
        </details>
    }.into_any()
}

#[component]
pub fn PersonPage() -> impl IntoView {
    view! {
        <Title text="Persoon"/>
        <RequireRole roles=LOOKUP children=|_: User| view! { <Person/> }/>
    }
}

#[component]
fn Person() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok());
    let person = Resource::new(id, |id| async move {
        match id {
            Some(id) => open_person(id).await,
            None => Err(AppError::NotFound("Deze persoon is niet gevonden.".into())),
        }
    });
    view! {
        <p><a href="/raadplegen">"Terug naar zoeken"</a></p>
        <Suspense fallback=|| view! { <p>"Bezig met laden…"</p> }>
            {move || Suspend::new(async move {
                match person.await {
                    Err(e) => view! { <h1>"Persoon"</h1><ErrorBox error=e/> }.into_any(),
                    Ok(r) => match r.persons.into_iter().next() {
                        Some(p) => view! { <PersonCard person=p level=1/> }.into_any(),
                        None => view! {
                            <h1>"Persoon"</h1>
                            <p>"Deze persoon is niet (meer) te vinden onder uw autorisatie."</p>
                        }.into_any(),
                    },
                }
            })}
        </Suspense>
    }
}
