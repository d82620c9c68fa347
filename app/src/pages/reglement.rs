//! Bijlagen 1 and 1a of the reglement, generated from the live configuration; public and
//! printable, so the published reglement and the system cannot diverge.

use crate::api::authorisation::get_reglement;
use crate::components::form::ErrorBox;
use brp_domain::authorisation::ReglementAfnemer;
use brp_domain::catalogue::Catalogue;
use brp_domain::time::format_datetime;
use brp_domain::AfnemerKind;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ReglementPage() -> impl IntoView {
    let reglement = Resource::new(|| (), |_| get_reglement());
    view! {
        <Title text="Reglement BRP: bijlagen 1 en 1a"/>
        <Suspense fallback=|| view! { <p>"Bezig met laden…"</p> }>
            {move || Suspend::new(async move {
                match reglement.await {
                    Err(e) => view! { <h1>"Reglement BRP"</h1><ErrorBox error=e/> }.into_any(),
                    Ok(r) => {
                        let catalogue = Catalogue::persoon();
                        view! {
                            <article class="prose prose--wide reglement">
                                <h1>{format!("Reglement BRP {}: bijlagen 1 en 1a", r.municipality)}</h1>
                                <p>{format!("Opgesteld uit de geldende configuratie van het BRP-portaal op {}. Alleen goedgekeurde profielversies staan hierin.", format_datetime(r.generated_at))}</p>
                                {AfnemerKind::ALL.into_iter().map(|kind| {
                                    let of_kind: Vec<ReglementAfnemer> = r.afnemers.iter().filter(|a| a.kind == kind).cloned().collect();
                                    view! { <AfnemerTable kind afnemers=of_kind/> }
                                }).collect_view()}
                                <h2>"Bijlage 1a: autorisatieprofielen"</h2>
                                {r.afnemers.into_iter().flat_map(|a| {
                                    let afnemer = a.name.clone();
                                    a.profiles.into_iter().map(move |p| {
                                        let categories = Catalogue::categories().iter().filter_map(|c| {
                                            let names: Vec<String> = catalogue.elements_in(c.code).into_iter()
                                                .filter(|e| p.content.fields.contains(&e.path))
                                                .map(|e| e.label.clone()).collect();
                                            (!names.is_empty()).then(|| (c.label, names.join(", ")))
                                        }).collect::<Vec<_>>();
                                        view! {
                                            <section class="reglement-profile">
                                                <h3>{format!("{} (versie {})", p.name, p.version)}</h3>
                                                <p>{format!("Afnemer: {afnemer}. {}", p.description)}</p>
                                                <h4>"Gegevens"</h4>
                                                <dl class="data-list data-list--wide">
                                                    {categories.into_iter().map(|(c, n)| view! { <dt>{c}</dt><dd>{n}</dd> }).collect_view()}
                                                </dl>
                                                <h4>"Zoekfuncties"</h4>
                                                <ul>{p.content.search_types.iter().map(|t| view! { <li>{t.label()}</li> }).collect_view()}</ul>
                                                <h4>"Doelen"</h4>
                                                <ul>{p.doelen.iter().map(|d| view! { <li>{d.clone()}</li> }).collect_view()}</ul>
                                                {p.content.own_residents_only.then(|| view! { <p>"Alleen inwoners van de eigen gemeente."</p> })}
                                                {p.content.zaak_required.then(|| view! { <p>"Zaaknummer verplicht bij elke bevraging."</p> })}
                                                {p.vrije_derde_basis.clone().map(|b| view! {
                                                    <h4>"Grond voor verstrekking (vrije derde)"</h4>
                                                    <p>{b.label()}</p>
                                                    <dl class="data-list data-list--wide">
                                                        {b.lines().into_iter().map(|(q, a)| view! { <dt>{q}</dt><dd>{a}</dd> }).collect_view()}
                                                    </dl>
                                                })}
                                            </section>
                                        }
                                    }).collect::<Vec<_>>()
                                }).collect_view()}
                            </article>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// One list of afnemers of one kind: the reglement lists the municipality's own
/// departments (bijlage 1), derden and vrije derden (bijlage 4) apart.
#[component]
fn AfnemerTable(kind: AfnemerKind, afnemers: Vec<ReglementAfnemer>) -> impl IntoView {
    let (title, first_column) = match kind {
        AfnemerKind::Binnengemeentelijk => (
            "Bijlage 1: binnengemeentelijke afnemers met een raadpleegmogelijkheid",
            "Organisatieonderdeel",
        ),
        AfnemerKind::Derde => (
            "Derden met een wettelijke grondslag (artikel 3.6 en verder Wet BRP)",
            "Derde",
        ),
        AfnemerKind::VrijeDerde => (
            "Bijlage 4: vrije derden waaraan gegevens worden verstrekt (artikel 3.9 Wet BRP)",
            "Vrije derde",
        ),
    };
    view! {
        <h2>{title}</h2>
        {if afnemers.is_empty() {
            view! { <p>"Geen."</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll" tabindex="0" role="region" aria-label="Tabel; schuif opzij voor meer kolommen"><table class="table">
                    <caption class="visually-hidden">{format!("{title}: wettelijk kader en profielen")}</caption>
                    <thead><tr><th scope="col">{first_column}</th><th scope="col">"Wettelijk kader"</th><th scope="col">"Gegevensset"</th></tr></thead>
                    <tbody>
                        {afnemers.into_iter().map(|a| view! {
                            <tr>
                                <td>{a.name.clone()}</td>
                                <td>{a.wettelijk_kader.clone()}</td>
                                <td>{if a.profiles.is_empty() { "geen".to_owned() } else {
                                    a.profiles.iter().map(|p| format!("Bijlage 1a, {}", p.name)).collect::<Vec<_>>().join("; ")
                                }}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table></div>
            }.into_any()
        }}
    }
}
