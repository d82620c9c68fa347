use leptos::prelude::*;
use leptos_meta::Title;

/// The toegankelijkheidsverklaring that Dutch government sites must publish (Besluit
/// digitale toegankelijkheid overheid).
#[component]
pub fn AccessibilityStatement() -> impl IntoView {
    view! {
        <Title text="Toegankelijkheidsverklaring"/>
        <article class="prose">
            <h1>"Toegankelijkheidsverklaring"</h1>
            <p>
                "De gemeente wil dat iedereen het BRP-portaal kan gebruiken. Het portaal is gebouwd "
                "volgens de Web Content Accessibility Guidelines (WCAG) 2.1 op niveau A en AA, zoals "
                "het Besluit digitale toegankelijkheid overheid voorschrijft."
            </p>
            <h2>"Hoe wij dit controleren"</h2>
            <ul>
                <li>"Elke wijziging wordt automatisch getest met axe-core op alle regels voor WCAG 2.1 A en AA."</li>
                <li>"Alle formulieren werken ook zonder JavaScript."</li>
                <li>"Het portaal is met alleen het toetsenbord te bedienen en heeft een link om direct naar de inhoud te gaan."</li>
            </ul>
            <h2>"Problemen melden"</h2>
            <p>
                "Loopt u tegen een probleem aan? Meld het bij de BRP-beheerder van uw gemeente. "
                "Wij reageren binnen vijf werkdagen."
            </p>
        </article>
    }
}
