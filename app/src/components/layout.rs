//! The page shell, after NL Design System conventions: skip link, header with the
//! municipality's name, navigation for the role, main landmark, footer.

use crate::api::{get_session_info, start_page, Logout, SessionInfo};
use crate::error::AppError;
use brp_domain::{Role, User};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// The visitor's session, loaded once per navigation and shared by every page.
#[derive(Clone, Copy)]
pub struct SessionContext(pub Resource<Result<SessionInfo, AppError>>);

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let location = use_location();
    // Keyed on the path: every navigation (also the redirect after logging in or out)
    // reads the session again, so the header never shows a stale user.
    let session = Resource::new(move || location.pathname.get(), |_| get_session_info());
    provide_context(SessionContext(session));

    view! {
        <a class="skip-link" href="#inhoud">"Direct naar de inhoud"</a>
        <Transition fallback=|| view! { <header class="page-header"></header> }>
            {move || Suspend::new(async move {
                let info = session.await.ok();
                view! { <Header info/> }
            })}
        </Transition>
        <main id="inhoud" class="page-main" tabindex="-1">
            <div class="container">{children()}</div>
        </main>
        <footer class="page-footer">
            <div class="container">
                <p>"BRP-portaal: toegang tot persoonsgegevens uit de Basisregistratie Personen."</p>
                <ul class="page-footer__links">
                    <li><a href="/toegankelijkheid">"Toegankelijkheidsverklaring"</a></li>
                    <li><a href="/reglement">"Reglement BRP: afnemers en profielen"</a></li>
                    <li><a href="/inwoner">"Voor inwoners: uw gegevens, inzage, correctie en geheimhouding"</a></li>
                </ul>
            </div>
        </footer>
    }
}

#[component]
fn Header(info: Option<SessionInfo>) -> impl IntoView {
    let municipality = info
        .as_ref()
        .map_or_else(|| "Gemeente".to_owned(), |i| i.municipality.clone());
    let demo = info.as_ref().is_some_and(|i| i.demo);
    let citizen = info.as_ref().and_then(|i| i.citizen.clone());
    let user = info.and_then(|i| i.user);
    view! {
        {demo.then(|| view! {
            <div class="demo-banner" role="note">
                <strong>"Demo-omgeving. "</strong>
                "Alle personen en gegevens hier zijn verzonnen. Gebruik deze omgeving niet voor echt werk."
            </div>
        })}
        <header class="page-header">
            <div class="container page-header__bar">
                <a class="page-header__logo" href="/">
                    <span class="page-header__municipality">{municipality}</span>
                    <span class="page-header__product">"BRP-portaal"</span>
                </a>
                {user.map(|u| view! { <UserMenu user=u/> })}
                {citizen.map(|c| view! { <CitizenMenu citizen=c/> })}
            </div>
        </header>
    }
}

#[component]
fn UserMenu(user: User) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    let links: Vec<(&'static str, &'static str)> = match user.role {
        Role::Beheerder => vec![
            (start_page(Role::Beheerder), "Start"),
            ("/beheer/gebruikers", "Gebruikers"),
            ("/beheer/afnemers", "Afnemers"),
            ("/beheer/profielen", "Profielen"),
            ("/beheer/aanvragen", "Aanvragen"),
            ("/beheer/autorisaties", "Autorisaties"),
            ("/beheer/applicaties", "Taakapplicaties"),
            ("/protocol", "Protocol"),
            ("/terugmeldingen", "Terugmeldingen"),
            ("/beheer/burgerverzoeken", "Burgerverzoeken"),
            ("/auditlog", "Auditlog"),
        ],
        Role::Medewerker => vec![
            (start_page(Role::Medewerker), "Start"),
            ("/raadplegen", "Raadplegen"),
            ("/autorisaties", "Mijn autorisaties"),
        ],
        Role::Toezichthouder => vec![
            (start_page(Role::Toezichthouder), "Start"),
            ("/beheer/profielen", "Profielen"),
            ("/beheer/aanvragen", "Aanvragen"),
            ("/beheer/autorisaties", "Autorisaties"),
            ("/beheer/applicaties", "Taakapplicaties"),
            ("/protocol", "Protocol"),
            ("/beheer/burgerverzoeken", "Burgerverzoeken"),
            ("/auditlog", "Auditlog"),
        ],
        Role::Applicatie => Vec::new(),
    };
    let location = use_location();
    view! {
        <nav class="page-nav" aria-label="Hoofdmenu">
            <ul class="page-nav__list">
                {links
                    .into_iter()
                    .map(|(href, label)| {
                        let current = move || {
                            (location.pathname.get() == href).then_some("page")
                        };
                        view! {
                            <li>
                                <a class="page-nav__link" href=href aria-current=current>
                                    {label}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
        <div class="page-header__user">
            <span>
                <span class="visually-hidden">"Ingelogd als "</span>
                {user.display_name.to_string()}
                " (" {user.role.label()} ")"
            </span>
            <ActionForm action=logout attr:class="inline-form">
                <button type="submit" class="button button--secondary">"Uitloggen"</button>
            </ActionForm>
        </div>
    }
}

#[component]
fn CitizenMenu(citizen: brp_domain::citizen::CitizenInfo) -> impl IntoView {
    let logout = ServerAction::<crate::api::citizens::CitizenLogout>::new();
    view! {
        <nav class="page-nav" aria-label="Hoofdmenu">
            <ul class="page-nav__list">
                <li><a class="page-nav__link" href="/inwoner">"Mijn verzoeken"</a></li>
            </ul>
        </nav>
        <div class="page-header__user">
            <span>
                <span class="visually-hidden">"Ingelogd als "</span>
                {citizen.name} " (" {citizen.assurance.label()} ")"
            </span>
            <ActionForm action=logout attr:class="inline-form">
                <button type="submit" class="button button--secondary">"Uitloggen"</button>
            </ActionForm>
        </div>
    }
}
