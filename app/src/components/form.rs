//! Form parts after the NL Design System form-field pattern: label, description, error
//! message tied to the input with aria-describedby, aria-invalid when in error.

use crate::error::AppError;
use leptos::prelude::*;

/// The ids of a form field's input, description and error message, and the
/// `aria-describedby` value that links the input to whichever of them is shown.
struct FieldIds {
    input: String,
    description: String,
    error: String,
}

impl FieldIds {
    fn new(name: &str) -> Self {
        let input = format!("veld-{name}");
        Self {
            description: format!("{input}-toelichting"),
            error: format!("{input}-fout"),
            input,
        }
    }

    fn described_by(
        &self,
        has_description: bool,
        error: Signal<Option<String>>,
    ) -> impl Fn() -> Option<String> + Send + Sync + 'static {
        let (d, e) = (self.description.clone(), self.error.clone());
        move || {
            let mut ids = Vec::new();
            if has_description {
                ids.push(d.clone());
            }
            if error.get().is_some() {
                ids.push(e.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    }
}

/// The error of the last submission of an action, if any.
pub fn action_error<I, O>(action: ServerAction<I>) -> Signal<Option<AppError>>
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(Result::err))
}

/// The error a plain form post to server function `S` came back with (in the URL). For forms
/// that cannot use an action: file uploads post multipart data, which an action does not.
pub fn url_error<S>() -> Signal<Option<AppError>>
where
    S: leptos::server_fn::ServerFn<Error = AppError>,
{
    let err = use_context::<leptos::server::ServerActionError>()
        .filter(|e| e.path() == S::PATH)
        .map(|e| leptos::server_fn::error::ServerFnUrlError::<AppError>::decode_err(e.err()));
    Signal::derive(move || err.clone())
}

/// The message for one field out of an action's error.
pub fn field_error(error: Signal<Option<AppError>>, field: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || error.get().and_then(|e| e.for_field(field)))
}

/// The control inside a form field.
enum Control {
    Input {
        kind: &'static str,
        autocomplete: Option<&'static str>,
        value: Option<String>,
    },
    TextArea,
    Select(Children),
}

/// One form field after the NL Design System pattern: label (with "niet verplicht" when
/// optional), description, error message, and the control tied to both with
/// `aria-describedby` and `aria-invalid`.
fn form_field(
    label: &'static str,
    name: &'static str,
    description: Option<&'static str>,
    required: bool,
    error: Option<Signal<Option<String>>>,
    control: Control,
) -> impl IntoView {
    let error = error.unwrap_or_else(|| Signal::derive(|| None));
    let ids = FieldIds::new(name);
    let described_by = ids.described_by(description.is_some(), error);
    let FieldIds {
        input: id,
        description: description_id,
        error: error_id,
    } = ids;
    let invalid = move || error.get().is_some().then_some("true");
    let control = match control {
        Control::Input {
            kind,
            autocomplete,
            value,
        } => view! {
            <input class="textbox" id=id.clone() name=name type=kind autocomplete=autocomplete
                required=required value=value aria-describedby=described_by aria-invalid=invalid/>
        }
        .into_any(),
        Control::TextArea => view! {
            <textarea class="textarea" id=id.clone() name=name rows="4" required=required
                aria-describedby=described_by aria-invalid=invalid></textarea>
        }
        .into_any(),
        Control::Select(children) => view! {
            <select class="select" id=id.clone() name=name aria-describedby=described_by aria-invalid=invalid>
                {children()}
            </select>
        }
        .into_any(),
    };
    view! {
        <div class="form-field" class:form-field--invalid=move || error.get().is_some()>
            <label class="form-label" for=id>
                {label}
                {(!required).then(|| view! { <span class="form-label__optional">" (niet verplicht)"</span> })}
            </label>
            {description.map(|d| view! { <p class="form-field__description" id=description_id>{d}</p> })}
            {move || error.get().map(|m| view! { <p class="form-field__error" id=error_id.clone()>{m}</p> })}
            {control}
        </div>
    }
}

#[component]
pub fn TextField(
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] description: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] value: Option<String>,
    #[prop(optional, into)] error: Option<Signal<Option<String>>>,
) -> impl IntoView {
    let control = Control::Input {
        kind,
        autocomplete,
        value,
    };
    form_field(label, name, description, required, error, control)
}

/// The errors of a submission that belong to no single field, announced to screen readers.
#[component]
pub fn FormAlert(
    error: Signal<Option<AppError>>,
    /// Fields that show their own message; errors for these are not repeated here.
    #[prop(default = &[])]
    fields: &'static [&'static str],
) -> impl IntoView {
    let message = move || {
        error.get().map(|e| match &e {
            AppError::Invalid { field, .. } if fields.contains(&field.as_str()) => {
                "Niet alle velden zijn goed ingevuld. Zie de meldingen bij de velden.".to_owned()
            }
            other => other.to_string(),
        })
    };
    view! {
        <div role="alert" class="alert-region">
            {move || message().map(|m| view! { <div class="alert alert--error"><p>{m}</p></div> })}
        </div>
    }
}

/// A confirmation after a successful action, read from the `melding` query parameter that
/// the server function's redirect sets (so it also shows without JavaScript).
#[component]
pub fn Notice(text: Signal<Option<&'static str>>) -> impl IntoView {
    view! {
        <div role="status" class="alert-region">
            {move || text.get().map(|t| view! { <div class="alert alert--ok"><p>{t}</p></div> })}
        </div>
    }
}

/// The confirmation for the `melding` query parameter, looked up in `messages`.
pub fn use_notice(
    messages: &'static [(&'static str, &'static str)],
) -> Signal<Option<&'static str>> {
    let query = leptos_router::hooks::use_query_map();
    Signal::derive(move || {
        let key = query.read().get("melding")?;
        messages
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, text)| *text)
    })
}

/// An error in place of a page part that could not be loaded.
#[component]
pub fn ErrorBox(error: AppError) -> impl IntoView {
    view! {
        <div class="alert alert--error" role="alert"><p>{error.to_string()}</p></div>
    }
}

/// A textarea in the form-field pattern.
#[component]
pub fn TextArea(
    label: &'static str,
    name: &'static str,
    #[prop(optional)] description: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] error: Option<Signal<Option<String>>>,
) -> impl IntoView {
    form_field(label, name, description, required, error, Control::TextArea)
}

/// A select in the form-field pattern; the options are its children. A select always has
/// a value, so it is never marked optional.
#[component]
pub fn SelectField(
    label: &'static str,
    name: &'static str,
    #[prop(optional)] description: Option<&'static str>,
    error: Signal<Option<String>>,
    children: Children,
) -> impl IntoView {
    form_field(
        label,
        name,
        description,
        true,
        Some(error),
        Control::Select(children),
    )
}
