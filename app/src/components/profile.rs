//! Showing and editing what an autorisatieprofiel allows, with the data element catalogue.

use brp_domain::authorisation::{Doel, ProfileContent, ProfileDiff, SearchType};
use brp_domain::catalogue::Catalogue;
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
    }
}
