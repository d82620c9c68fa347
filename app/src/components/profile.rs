//! Showing and editing what an autorisatieprofiel allows, with the data element catalogue.

use brp_domain::authorisation::{Doel, ProfileContent, ProfileDiff, SearchType};
use brp_domain::catalogue::Catalogue;
use brp_domain::vrije_derde::{VrijeDerdeBasis, VrijeDerdeBasisInput, PERMITTED_SOURCE};
use leptos::prelude::*;

fn labels(paths: &[String]) -> String {
    let catalogue = Catalogue::persoon();
    paths
        .iter()
        .map(|p| {
            catalogue.get(p).map_or_else(
                || p.clone(),
                |e| {
                    let category = Catalogue::category(e.category.code)
                        .map(|c| c.label)
                        .unwrap_or_default();
                    format!("{} ({category})", e.label)
                },
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn doel_names(ids: &[i64], doelen: &[Doel]) -> String {
    ids.iter()
        .map(|id| {
            doelen
                .iter()
                .find(|d| d.id == *id)
                .map_or_else(|| format!("doel {id}"), |d| d.name.clone())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a profile allows: data elements per LO GBA category, search types, doelen.
#[component]
pub fn ProfileContentView(content: ProfileContent, doelen: Vec<Doel>) -> impl IntoView {
    let catalogue = Catalogue::persoon();
    let categories: Vec<(&'static str, String)> = Catalogue::categories()
        .iter()
        .filter_map(|c| {
            let names: Vec<String> = catalogue
                .elements_in(c.code)
                .into_iter()
                .filter(|e| content.fields.contains(&e.path))
                .map(|e| match &e.lo_gba {
                    Some(n) => format!("{} ({n})", e.label),
                    None => e.label.clone(),
                })
                .collect();
            (!names.is_empty()).then(|| (c.label, names.join(", ")))
        })
        .collect();
    let doel_list: Vec<String> = content
        .doelen
        .iter()
        .map(|id| {
            doelen
                .iter()
                .find(|d| d.id == *id)
                .map_or_else(|| format!("doel {id}"), |d| d.name.clone())
        })
        .collect();
    view! {
        <div class="profile-content">
            <h3>"Gegevens"</h3>
            <dl class="data-list data-list--wide">
                {categories.into_iter().map(|(c, names)| view! { <dt>{c}</dt><dd>{names}</dd> }).collect_view()}
            </dl>
            <h3>"Zoekvormen"</h3>
            <ul>{content.search_types.iter().map(|t| view! { <li>{t.label()}</li> }).collect_view()}</ul>
            <h3>"Doelen"</h3>
            <ul>{doel_list.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}</ul>
            <p>
                "Alleen inwoners van de eigen gemeente: "
                <strong>{if content.own_residents_only { "ja" } else { "nee" }}</strong>
            </p>
            <p>
                "Zaaknummer verplicht bij elke bevraging: "
                <strong>{if content.zaak_required { "ja" } else { "nee" }}</strong>
            </p>
        </div>
    }
}

/// What a version changes, in words, with whether it widens or narrows the profile.
#[component]
pub fn ProfileDiffView(diff: ProfileDiff, doelen: Vec<Doel>) -> impl IntoView {
    let kind = match (diff.widens(), diff.narrows()) {
        (true, true) => "Verruiming en beperking: de beperking geldt direct voor iedereen; de verruiming pas na herbevestiging per autorisatie.",
        (true, false) => "Verruiming: bestaande autorisaties krijgen dit pas na herbevestiging door een beheerder.",
        (false, true) => "Beperking: geldt direct voor iedereen met dit profiel.",
        (false, false) => "Geen inhoudelijke wijziging.",
    };
    let types = |t: &[SearchType]| t.iter().map(|t| t.label()).collect::<Vec<_>>().join(", ");
    let rows: Vec<(&'static str, String)> = [
        ("Gegevens erbij", labels(&diff.added_fields)),
        ("Gegevens eraf", labels(&diff.removed_fields)),
        ("Zoekvormen erbij", types(&diff.added_search_types)),
        ("Zoekvormen eraf", types(&diff.removed_search_types)),
        ("Doelen erbij", doel_names(&diff.added_doelen, &doelen)),
        ("Doelen eraf", doel_names(&diff.removed_doelen, &doelen)),
        (
            "Alleen eigen inwoners",
            diff.own_residents_only
                .map(|v| if v { "wordt ja" } else { "wordt nee" }.to_owned())
                .unwrap_or_default(),
        ),
        (
            "Zaaknummer verplicht",
            diff.zaak_required
                .map(|v| if v { "wordt ja" } else { "wordt nee" }.to_owned())
                .unwrap_or_default(),
        ),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .collect();
    view! {
        <p><strong>{kind}</strong></p>
        <dl class="data-list data-list--wide">
            {rows.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
        </dl>
    }
}

/// The inputs of a profile: elements per category (with a whole-category choice that also
/// works without JavaScript), search types, doelen of the afnemer, residents only.
#[component]
pub fn ProfileFields(initial: ProfileContent, doelen: Vec<Doel>) -> impl IntoView {
    let catalogue = Catalogue::persoon();
    let categories = Catalogue::categories()
        .iter()
        .map(|c| {
            let elements = catalogue.elements_in(c.code);
            let chosen = elements
                .iter()
                .filter(|e| initial.fields.contains(&e.path))
                .count();
            let total = elements.len();
            let boxes = elements
                .into_iter()
                .map(|e| {
                    let id = format!("veld-{}", e.path.replace('.', "-"));
                    let checked = initial.fields.contains(&e.path);
                    let label = match &e.lo_gba {
                        Some(n) => format!("{} ({n})", e.label),
                        None => e.label.clone(),
                    };
                    view! {
                        <div class="checkbox">
                            <input type="checkbox" id=id.clone() name="velden[]" value=e.path.clone() checked=checked/>
                            <label for=id>{label}</label>
                        </div>
                    }
                })
                .collect_view();
            let whole_id = format!("categorie-{}", c.code);
            view! {
                <details class="category-picker" open=chosen > 0>
                    <summary>{format!("{} ({chosen} van {total} gekozen)", c.label)}</summary>
                    <fieldset class="fieldset">
                        <legend class="visually-hidden">{c.label}</legend>
                        <div class="checkbox checkbox--whole">
                            <input type="checkbox" id=whole_id.clone() name="categorieen[]" value=c.code/>
                            <label for=whole_id>{format!("Hele categorie {}", c.label)}</label>
                        </div>
                        {boxes}
                    </fieldset>
                </details>
            }
        })
        .collect_view();
    view! {
        <fieldset class="fieldset">
            <legend class="fieldset__legend">"Gegevens die dit profiel mag zien"</legend>
            <p class="form-field__description">"Per categorie van de persoonslijst, met het LO GBA-elementnummer."</p>
            {categories}
        </fieldset>
        <fieldset class="fieldset">
            <legend class="fieldset__legend">"Zoekvormen"</legend>
            {SearchType::ALL.into_iter().map(|t| {
                let id = format!("zoekvorm-{}", t.code());
                view! {
                    <div class="checkbox">
                        <input type="checkbox" id=id.clone() name="zoekvormen[]" value=t.code()
                            checked=initial.search_types.contains(&t)/>
                        <label for=id>{t.label()}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
        <fieldset class="fieldset">
            <legend class="fieldset__legend">"Doelen"</legend>
            {doelen.is_empty().then(|| view! {
                <p>"Deze afnemer heeft nog geen doelen. Leg die eerst vast bij de afnemer."</p>
            })}
            {doelen.into_iter().map(|d| {
                let id = format!("doel-{}", d.id);
                view! {
                    <div class="checkbox">
                        <input type="checkbox" id=id.clone() name="doelen[]" value=d.id.to_string()
                            checked=initial.doelen.contains(&d.id)/>
                        <label for=id>{d.name}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
        <div class="checkbox">
            <input type="checkbox" id="alleen-eigen-inwoners" name="alleen_eigen_inwoners" value="ja"
                checked=initial.own_residents_only/>
            <label for="alleen-eigen-inwoners">"Alleen inwoners van de eigen gemeente vinden"</label>
        </div>
        <div class="checkbox">
            <input type="checkbox" id="veld-zaak_verplicht" name="zaak_verplicht" value="ja"
                checked=initial.zaak_required aria-describedby="veld-zaak_verplicht-toelichting"/>
            <label for="veld-zaak_verplicht">"Zaaknummer verplicht bij elke bevraging"</label>
            <p class="form-field__description" id="veld-zaak_verplicht-toelichting">"Zonder zaaknummer geeft de bevraging dan niets en komt zij in het beveiligingslog."</p>
        </div>
    }
}

/// The consent or weighing recorded for a vrije derde, shown where the version is decided.
#[component]
pub fn VrijeDerdeBasisView(basis: VrijeDerdeBasis) -> impl IntoView {
    view! {
        <div class="vrije-derde-basis">
            <h3>"Grond voor verstrekking aan deze vrije derde"</h3>
            <p><strong>{basis.label()}</strong></p>
            <dl class="data-list data-list--wide">
                {basis.lines().into_iter().map(|(q, a)| view! { <dt>{q}</dt><dd>{a}</dd> }).collect_view()}
            </dl>
        </div>
    }
}

/// The inputs a vrije derde's profile version needs (reglement art. 8 and bijlage 4;
/// privacyverordening art. 5): the ground, and the weighing or the consent.
#[component]
pub fn VrijeDerdeBasisFields(
    initial: VrijeDerdeBasisInput,
    error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let err = move |name: &'static str| {
        Signal::derive(move || error.get().and_then(|e| e.for_field(name)))
    };
    let area = move |name: &'static str, label: &'static str, value: String| {
        let id = format!("veld-{name}");
        let error_id = format!("{id}-fout");
        let message = err(name);
        let described = error_id.clone();
        view! {
            <div class="form-field" class:form-field--invalid=move || message.get().is_some()>
                <label class="form-label" for=id.clone()>{label}</label>
                {move || message.get().map(|m| view! { <p class="form-field__error" id=error_id.clone()>{m}</p> })}
                <textarea class="textarea" id=id name=name rows="3"
                    aria-describedby=move || message.get().map(|_| described.clone())>{value}</textarea>
            </div>
        }
    };
    let weighing = initial.grond != "toestemming";
    view! {
        <fieldset class="fieldset">
            <legend class="fieldset__legend">"Vrije derde: grond voor verstrekking"</legend>
            <p class="form-field__description">{format!(
                "Een vrije derde krijgt hoogstens de gegevens van {PERMITTED_SOURCE}, nooit het burgerservicenummer. Leg vast waarom verstrekking mag; de tweede beheerder keurt dit met de versie goed."
            )}</p>
            {move || err("vrije_derde_grond").get().map(|m| view! { <p class="form-field__error" id="veld-vrije_derde_grond-fout">{m}</p> })}
            <div class="radio">
                <input type="radio" id="grond-belangenafweging" name="vrije_derde_grond" value="belangenafweging" checked=weighing/>
                <label for="grond-belangenafweging">"Belangenafweging: rechtspersoon zonder winstoogmerk (bijlage 4 van het reglement)"</label>
            </div>
            <div class="radio">
                <input type="radio" id="grond-toestemming" name="vrije_derde_grond" value="toestemming" checked=!weighing/>
                <label for="grond-toestemming">"Toestemming: natuurlijk persoon, persoonlijk niet-commercieel belang, vooraf schriftelijke toestemming van de ingeschrevene (artikel 5 van de privacyverordening)"</label>
            </div>
            <div class="checkbox">
                <input type="checkbox" id="veld-geen_winstoogmerk" name="geen_winstoogmerk" value="ja" checked=initial.geen_winstoogmerk/>
                <label for="veld-geen_winstoogmerk">"De afnemer beoogt met de gegevens geen winst"</label>
                {move || err("geen_winstoogmerk").get().map(|m| view! { <p class="form-field__error">{m}</p> })}
            </div>
            <h3>"Bij belangenafweging"</h3>
            {area("behoefte", "Dringende maatschappelijke behoefte of gemeentelijk belang", initial.behoefte.clone())}
            {area("evenredigheid", "Waarom de verstrekking in verhouding staat tot het doel en de persoonlijke levenssfeer niet onevenredig schaadt", initial.evenredigheid.clone())}
            {area("subsidiariteit", "Waarom het doel niet op een minder ingrijpende wijze te bereiken is", initial.subsidiariteit.clone())}
            <h3>"Bij toestemming"</h3>
            {area("belang", "Het persoonlijke, niet-commerciële belang", initial.belang.clone())}
            {area("bewaring", "Waar de schriftelijke toestemmingen worden bewaard (minstens een jaar)", initial.bewaring.clone())}
            <p class="form-field__description">"Bij toestemming is het zaaknummer verplicht: het verwijst per bevraging naar de toestemming."</p>
        </fieldset>
    }
}
