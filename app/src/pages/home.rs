use crate::api::{start_page, SessionInfo};
use crate::components::layout::SessionContext;
use leptos::prelude::*;
use leptos_router::components::Redirect;

/// `/`: straight on to the visitor's start page, or to the login.
#[component]
pub fn Home() -> impl IntoView {
    let SessionContext(session) = expect_context();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let target = match session.await {
                    Ok(SessionInfo { user: Some(u), .. }) => start_page(u.role),
                    Ok(SessionInfo { citizen: Some(_), .. }) => "/inwoner",
                    _ => "/inloggen",
                };
                view! { <Redirect path=target/> }
            })}
        </Suspense>
    }
}
