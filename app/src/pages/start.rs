//! The start page of each role.

use crate::components::guard::RequireRole;
use crate::components::layout::SessionContext;
use crate::pages::proposals::MyAccountChanges;
use brp_domain::{time::format_datetime, Role, User};
use leptos::prelude::*;
use leptos_meta::Title;

/// The time of the previous login, so a user notices a login that was not theirs.
#[component]
fn PreviousLogin() -> impl IntoView {
    let SessionContext(session) = expect_context();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let previous = session.await.ok().and_then(|i| i.previous_login_at);
                view! {
                    <p class="previous-login">
                        {match previous {
                            Some(at) => format!("Uw vorige login was op {}. Was u dat niet? Meld het direct bij de BRP-beheerder.", format_datetime(at)),
                            None => "Dit is uw eerste login.".to_owned(),
                        }}
                    </p>
                }
            })}
        </Suspense>
    }
}

#[component]
fn AccountSummary(user: User) -> impl IntoView {
    view! {
        <section aria-labelledby="account-titel">
            <h2 id="account-titel">"Uw account"</h2>
            <dl class="data-list">
                <dt>"Naam"</dt><dd>{user.display_name.to_string()}</dd>
                <dt>"Gebruikersnaam"</dt><dd>{user.username.to_string()}</dd>
                <dt>"Rol"</dt><dd>{user.role.label()}</dd>
                <dt>"Organisatieonderdeel"</dt>
                <dd>{user.afnemer.map_or_else(|| "geen".to_owned(), |a| a.name)}</dd>
            </dl>
        </section>
    }
}

#[component]
pub fn BeheerStart() -> impl IntoView {
    view! {
        <Title text="Start beheer"/>
        <RequireRole roles=&[Role::Beheerder] children=|user: User| view! {
            <h1>"Welkom, " {user.display_name.to_string()}</h1>
            <PreviousLogin/>
            <ul class="card-list">
                <li class="card">
                    <h2><a href="/beheer/burgerverzoeken">"Verzoeken van inwoners"</a></h2>
                    <p>"Inzage, correctie en geheimhouding, op volgorde van termijn; ook verzoeken van de balie of per brief registreren."</p>
                </li>
                <li class="card">
                    <h2><a href="/beheer/gebruikers">"Gebruikers"</a></h2>
                    <p>"Accounts aanmaken, deactiveren en heractiveren, en wachtwoorden opnieuw instellen."</p>
                </li>
                <li class="card">
                    <h2><a href="/beheer/voorstellen">"Voorstellen (vier ogen)"</a></h2>
                    <p>"Beheerders en toezichthouders, rollen, hun wachtwoorden en de soort en artikel 46 van afnemers: goedkeuren of afwijzen wat een andere beheerder voorstelde."</p>
                </li>
                <li class="card">
                    <h2><a href="/beheer/aanvragen">"Aanvragen"</a></h2>
                    <p>"Autorisatieformulieren van medewerkers toekennen of afwijzen."</p>
                </li>
                <li class="card">
                    <h2><a href="/beheer/profielen">"Autorisatieprofielen"</a></h2>
                    <p>"Profielen voorstellen en wijzigingen van een andere beheerder goedkeuren."</p>
                </li>
                <li class="card">
                    <h2><a href="/beheer/autorisaties">"Autorisaties"</a></h2>
                    <p>"Wie welk profiel heeft; herbevestigen, verlengen en intrekken."</p>
                </li>
                <li class="card">
                    <h2><a href="/beheer/herbeoordeling">"Herbeoordeling"</a></h2>
                    <p>"Autorisaties die binnenkort eindigen of een jaar niet zijn bevestigd."</p>
                </li>
                <li class="card">
                    <h2><a href="/beheer/afnemers">"Afnemers en doelen"</a></h2>
                    <p>"Organisatieonderdelen, hun wettelijk kader en doelen; ook de "<a href="/beheer/grondslagen">"grondslagen"</a>"."</p>
                </li>
                <li class="card">
                    <h2><a href="/auditlog">"Auditlog"</a></h2>
                    <p>"Elke wijziging aan accounts en autorisaties: wie, wanneer, wat, oude en nieuwe waarde."</p>
                </li>
                <li class="card">
                    <h2><a href="/beheer/uitgaande-post">"Uitgaande post"</a></h2>
                    <p>"De e-mail die het portaal verstuurt."</p>
                </li>
                <li class="card">
                    <h2><a href="/protocol">"Protocol"</a></h2>
                    <p>"Elke verstrekking van persoonsgegevens, te doorzoeken en te exporteren."</p>
                </li>
                <li class="card">
                    <h2><a href="/terugmeldingen">"Terugmeldingen"</a></h2>
                    <p>"Twijfel van afnemers over gegevens: in behandeling nemen en afhandelen."</p>
                </li>
                <li class="card">
                    <h2><a href="/beveiligingslog">"Beveiligingslog"</a></h2>
                    <p>"Geweigerde bevragingen buiten een autorisatie."</p>
                </li>
                <li class="card">
                    <h2><a href="/autorisaties">"Mijn autorisaties"</a></h2>
                    <p>"Zelf een profiel aanvragen, bijvoorbeeld om persoonsgegevens te raadplegen."</p>
                </li>
            </ul>
            <AccountSummary user/>
        }/>
    }
}

#[component]
pub fn WerkplekStart() -> impl IntoView {
    view! {
        <Title text="Start"/>
        <RequireRole roles=&[Role::Medewerker] children=|user: User| view! {
            <h1>"Welkom, " {user.display_name.to_string()}</h1>
            <PreviousLogin/>
            <p>
                "U gebruikt persoonsgegevens uit de BRP alleen voor uw eigen taak en alleen met het doel "
                "dat u opgeeft. Elke raadpleging wordt vastgelegd."
            </p>
            <ul class="card-list">
                <li class="card">
                    <h2><a href="/raadplegen">"Personen raadplegen"</a></h2>
                    <p>"Zoek een persoon op met de zoekvormen van uw autorisatie."</p>
                </li>
                <li class="card">
                    <h2><a href="/terugmeldingen">"Mijn terugmeldingen"</a></h2>
                    <p>"Twijfel over een gegeven die u heeft gemeld, met de uitkomst."</p>
                </li>
                <li class="card">
                    <h2><a href="/autorisaties">"Mijn autorisaties"</a></h2>
                    <p>"Uw profielen, uw aanvragen en de berichten van de BRP-beheerder."</p>
                </li>
                <li class="card">
                    <h2><a href="/autorisaties/aanvragen/nieuw">"Autorisatie aanvragen"</a></h2>
                    <p>"Vraag met het autorisatieformulier toegang aan met een profiel."</p>
                </li>
            </ul>
            <AccountSummary user/>
        }/>
    }
}

#[component]
pub fn ToezichtStart() -> impl IntoView {
    view! {
        <Title text="Start toezicht"/>
        <RequireRole roles=&[Role::Toezichthouder] children=|user: User| view! {
            <h1>"Welkom, " {user.display_name.to_string()}</h1>
            <PreviousLogin/>
            <p>"Als toezichthouder leest u mee; u wijzigt niets."</p>
            <ul class="card-list">
                <li class="card">
                    <h2><a href="/beheer/burgerverzoeken">"Verzoeken van inwoners"</a></h2>
                    <p>"Hoe inzage, correctie en geheimhouding worden afgehandeld, en of dat binnen de termijn gebeurt."</p>
                </li>
                <li class="card">
                    <h2><a href="/beheer/autorisaties">"Autorisaties"</a></h2>
                    <p>"Wie welk profiel heeft, per afnemer en per gebruiker."</p>
                </li>
                <li class="card">
                    <h2><a href="/beheer/aanvragen">"Aanvragen"</a></h2>
                    <p>"Alle autorisatieformulieren en de besluiten erop."</p>
                </li>
                <li class="card">
                    <h2><a href="/auditlog">"Auditlog"</a></h2>
                    <p>"Elke wijziging aan accounts: wie, wanneer, wat, oude en nieuwe waarde."</p>
                </li>
                <li class="card">
                    <h2><a href="/protocol">"Protocol"</a></h2>
                    <p>"Elke verstrekking van persoonsgegevens: wie, wanneer, waarvoor en welke gegevens."</p>
                </li>
                <li class="card">
                    <h2><a href="/beveiligingslog">"Beveiligingslog"</a></h2>
                    <p>"Geweigerde bevragingen buiten een autorisatie."</p>
                </li>
                <li class="card">
                    <h2><a href="/terugmeldingen">"Terugmeldingen"</a></h2>
                    <p>"Twijfel van afnemers over gegevens, en de afhandeling."</p>
                </li>
                <li class="card">
                    <h2><a href="/beheer/voorstellen">"Voorstellen (vier ogen)"</a></h2>
                    <p>"Wat beheerders voorstelden aan accounts, rollen en afnemers, en wie het goedkeurde."</p>
                </li>
            </ul>
            <MyAccountChanges/>
            <AccountSummary user/>
        }/>
    }
}
