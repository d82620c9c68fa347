//! The pages and server functions of BRP-portaal, rendered on the server and hydrated in the
//! browser. Every form also works before (or without) the WebAssembly: it posts to its
//! server function and the server answers with a redirect to the re-rendered page.

// Large nested views make deep types; the release wasm build needs the room.
#![recursion_limit = "256"]

pub mod api;
pub mod codec;
pub mod components;
pub mod error;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use components::layout::Layout;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};
use pages::{
    accessibility::AccessibilityStatement,
    applications::{ApplicationPage, ApplicationsPage},
    audit::AuditLog,
    burgerzaken::{QueuePage, RegisterPage, StaffLetterPage, StaffRequestPage},
    grants::{GrantsPage, LetterPage, MyAuthorisationsPage, OutboxPage, ReviewPage},
    home::Home,
    inwoner::{
        CitizenLetterPage, CitizenRequestPage, InwonerStart, NewCitizenRequestPage, SimulationPage,
    },
    login::LoginPage,
    not_found::NotFound,
    profiles::{ChangeProfilePage, NewProfilePage, ProfilePage, ProfilesPage},
    proposals::{ProposalsPage, SetPasswordPage},
    protocol::{ProtocolPage, SecurityLogPage, TerugmeldingenPage},
    raadplegen::{PersonPage, RaadplegenPage},
    register::{AfnemerPage, AfnemersPage, GrondslagenPage},
    reglement::ReglementPage,
    requests::{MyRequestPage, NewRequestPage, RequestDecisionPage, RequestQueuePage},
    start::{BeheerStart, ToezichtStart, WerkplekStart},
    users::{UserDetail, Users},
};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="nl">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                // No favicon request: the browser would otherwise ask for /favicon.ico.
                <link rel="icon" href="data:,"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The Content-Security-Policy of a page: scripts only from this origin or with this
/// response's nonce (the inline hydration script carries it), WebAssembly allowed,
/// nothing framed, forms only posted here.
#[cfg(feature = "ssr")]
fn set_security_policy() {
    use leptos::nonce::use_nonce;
    let nonce = use_nonce()
        .map(|n| format!(" 'nonce-{n}'"))
        .unwrap_or_default();
    let policy = format!(
        "default-src 'self'; script-src 'self'{nonce} 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    );
    if let (Some(res), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(&policy),
    ) {
        res.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Effects run only in the browser: this marks the page as hydrated, which tells the
    // end-to-end tests (and nothing else) that client-side behaviour is live.
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Stylesheet id="leptos" href="/pkg/brp-portaal.css"/>
        <Title formatter=|text: String| {
            if text.is_empty() { "BRP-portaal".to_owned() } else { format!("{text} - BRP-portaal") }
        }/>
        <Router>
            <Layout>
                // Async: a page is rendered whole before it is sent, so its status code
                // (403, 404) and redirects are real HTTP, also without JavaScript.
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home ssr=SsrMode::Async/>
                    <Route path=path!("/inloggen") view=LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/beheer") view=BeheerStart ssr=SsrMode::Async/>
                    <Route path=path!("/beheer/gebruikers") view=Users ssr=SsrMode::Async/>
                    <Route path=path!("/beheer/gebruikers/:id") view=UserDetail ssr=SsrMode::Async/>
                    <Route path=path!("/beheer/applicaties") view=ApplicationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/beheer/applicaties/:id") view=ApplicationPage ssr=SsrMode::Async/>
                    <Route path=path!("/beheer/voorstellen") view=ProposalsPage ssr=SsrMode::Async/>
                    <Route path=path!("/wachtwoord-instellen/:token") view=SetPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/werkplek") view=WerkplekStart ssr=SsrMode::Async/>
                    <Route path=path!("/toezicht") view=ToezichtStart ssr=SsrMode::Async/>
                    <Route path=path!("/auditlog") view=AuditLog ssr=SsrMode::Async/>
                    <Route path=path!("/toegankelijkheid") view=AccessibilityStatement ssr=SsrMode::Async/>
                    <Route path=path!("/reglement") view=ReglementPage ssr=SsrMode::Async/>
                    <Route path=path!("/beheer/afnemers") view=AfnemersPage ssr=SsrMode::Async/>
                    <Route path=path!("/beheer/afnemers/:id") view=AfnemerPage ssr=SsrMode::Async/>
                    <Route path=path!("/beheer/grondslagen") view=GrondslagenPage ssr=SsrMode::Async/>
                    <Route path=path!("/beheer/profielen") view=ProfilesPage ssr=SsrMode::Async/>
                    <Route path=path!("/beheer/profielen/nieuw") view=NewProfilePage ssr=SsrMode::Async/>
                    <Route path=path!("/beheer/profielen/:id") view=ProfilePage ssr=SsrMode::Async/>
                    <Route path=path!("/beheer/profielen/:id/wijzigen") view=ChangeProfilePage ssr=SsrMode::Async/>
                    <Route path=path!("/beheer/aanvragen") view=RequestQueuePage ssr=SsrMode::Async/>
                    <Route path=path!("/beheer/aanvragen/:id") view=RequestDecisionPage ssr=SsrMode::Async/>
                    <Route path=path!("/beheer/autorisaties") view=GrantsPage ssr=SsrMode::Async/>
                    <Route path=path!("/beheer/herbeoordeling") view=ReviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/beheer/uitgaande-post") view=OutboxPage ssr=SsrMode::Async/>
                    <Route path=path!("/autorisaties") view=MyAuthorisationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/autorisaties/aanvragen/nieuw") view=NewRequestPage ssr=SsrMode::Async/>
                    <Route path=path!("/autorisaties/aanvragen/:id") view=MyRequestPage ssr=SsrMode::Async/>
                    <Route path=path!("/berichten/:id") view=LetterPage ssr=SsrMode::Async/>
                    <Route path=path!("/raadplegen") view=RaadplegenPage ssr=SsrMode::Async/>
                    <Route path=path!("/raadplegen/persoon/:id") view=PersonPage ssr=SsrMode::Async/>
                    <Route path=path!("/protocol") view=ProtocolPage ssr=SsrMode::Async/>
                    <Route path=path!("/beveiligingslog") view=SecurityLogPage ssr=SsrMode::Async/>
                    <Route path=path!("/terugmeldingen") view=TerugmeldingenPage ssr=SsrMode::Async/>
                    <Route path=path!("/inwoner") view=InwonerStart ssr=SsrMode::Async/>
                    <Route path=path!("/inwoner/digid-simulatie") view=SimulationPage ssr=SsrMode::Async/>
                    <Route path=path!("/inwoner/verzoeken/nieuw") view=NewCitizenRequestPage ssr=SsrMode::Async/>
                    <Route path=path!("/inwoner/verzoeken/:id") view=CitizenRequestPage ssr=SsrMode::Async/>
                    <Route path=path!("/inwoner/brieven/:id") view=CitizenLetterPage ssr=SsrMode::Async/>
                    <Route path=path!("/beheer/burgerverzoeken") view=QueuePage ssr=SsrMode::Async/>
                    <Route path=path!("/beheer/burgerverzoeken/registreren") view=RegisterPage ssr=SsrMode::Async/>
                    <Route path=path!("/beheer/burgerverzoeken/:id") view=StaffRequestPage ssr=SsrMode::Async/>
                    <Route path=path!("/beheer/burgerverzoeken/brieven/:id") view=StaffLetterPage ssr=SsrMode::Async/>
                </Routes>
            </Layout>
        </Router>
    }
}
