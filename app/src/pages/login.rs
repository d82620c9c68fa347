use crate::api::{start_page, Login, SessionInfo};
use crate::components::form::{action_error, FormAlert, Notice, TextField};
use crate::components::layout::SessionContext;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let error = action_error(login);
    let query = use_query_map();
    let notice = Signal::derive(move || {
        let query = query.read();
        if query.get("uitgelogd").is_some() {
            Some("U bent uitgelogd.")
        } else {
            query
                .get("wachtwoord")
                .map(|_| "Uw wachtwoord is ingesteld. U kunt nu inloggen.")
        }
    });
    let SessionContext(session) = expect_context();

    view! {
        <Title text="Inloggen"/>
        <div class="narrow">
            <h1>"Inloggen"</h1>
            <p>"Log in met de gebruikersnaam en het wachtwoord die u van de BRP-beheerder heeft gekregen."</p>
            <Notice text=notice/>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    session.await.ok().and_then(|i| i.user).map(|u| view! {
                        <div class="alert alert--info">
                            <p>
                                "U bent al ingelogd als " {u.display_name.to_string()} ". "
                                <a href=start_page(u.role)>"Naar uw startpagina"</a>
                            </p>
                        </div>
                    })
                })}
            </Suspense>
            <FormAlert error/>
            <ActionForm action=login attr:class="form">
                <TextField label="Gebruikersnaam" name="gebruikersnaam" autocomplete="username" required=true/>
                <TextField label="Wachtwoord" name="wachtwoord" kind="password" autocomplete="current-password" required=true/>
                <div class="form-actions">
                    <button type="submit" class="button button--primary">"Inloggen"</button>
                </div>
            </ActionForm>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    session.await.ok().filter(|i: &SessionInfo| i.demo).map(|_| view! { <DemoAccounts/> })
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn DemoAccounts() -> impl IntoView {
    view! {
        <section class="demo-accounts" aria-labelledby="demo-accounts-titel">
            <h2 id="demo-accounts-titel">"Demo-accounts"</h2>
            <p>"Alle demo-accounts hebben het wachtwoord " <code>"demo-demo-demo"</code> "."</p>
            <table class="table">
                <caption class="visually-hidden">"Demo-accounts en hun rol"</caption>
                <thead><tr><th scope="col">"Gebruikersnaam"</th><th scope="col">"Rol"</th></tr></thead>
                <tbody>
                    <tr><td><code>"beheerder"</code></td><td>"BRP-beheerder"</td></tr>
                    <tr><td><code>"beheerder2"</code></td><td>"Tweede BRP-beheerder (vier ogen)"</td></tr>
                    <tr><td><code>"medewerker"</code></td><td>"Medewerker, Team werk, inkomen en zorg"</td></tr>
                    <tr><td><code>"toezichthouder"</code></td><td>"Toezichthouder (FG)"</td></tr>
                </tbody>
            </table>
        </section>
    }
}
