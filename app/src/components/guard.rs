//! Shows a page only to the roles it is for. This is for the visitor's sake (a clear
//! message, a real 403, a redirect to the login); the data behind every page is guarded
//! again, and decisively, by the service layer.

use super::layout::SessionContext;
use crate::api::SessionInfo;
use brp_domain::{Role, User};
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

#[component]
pub fn RequireRole<F, V>(roles: &'static [Role], children: F) -> impl IntoView
where
    F: Fn(User) -> V + Send + Sync + Clone + 'static,
    V: IntoView + 'static,
{
    let SessionContext(session) = expect_context();
    view! {
        <Suspense fallback=|| view! { <p>"Bezig met laden…"</p> }>
            // Not inside a closure: the page is made once, when the session is known. In a
            // reactive closure the `Suspend` ran again when the session resolved during
            // server-side rendering and built the page twice, which shifted the ids of the
            // page's resources and broke hydration now and then.
            {Suspend::new(async move {
                match session.await {
                    Ok(SessionInfo { user: Some(user), .. }) if roles.contains(&user.role) => {
                        EitherOf3::A(children(user))
                    }
                    Ok(SessionInfo { user: Some(_), .. }) => EitherOf3::B(view! { <Forbidden/> }),
                    _ => EitherOf3::C(view! { <Redirect path="/inloggen"/> }),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn Forbidden() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::FORBIDDEN);
    }
    view! {
        <Title text="Geen toegang"/>
        <h1>"Geen toegang"</h1>
        <p>"Deze pagina is niet beschikbaar voor uw rol. Ga terug naar uw "<a href="/">"startpagina"</a>"."</p>
    }
}
