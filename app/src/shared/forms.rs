//! Form pieces every feature uses: a labelled field that shows its error
//! next to it, keeps what was entered, and (once hydrated) validates as the
//! user types with the same Rust rules the server runs.

use leptos::prelude::*;

use crate::error::{AppError, FieldCode};
use crate::i18n::*;
use crate::shared::messages::{error_message, field_message};

/// The server's error for one field of an action's last result.
pub fn server_field_error<T: Clone + Send + Sync + 'static>(
    result: Signal<Option<Result<T, AppError>>>,
    field: &'static str,
) -> Signal<Option<FieldCode>> {
    Signal::derive(move || match result.get() {
        Some(Err(err)) => err.field_code(field),
        _ => None,
    })
}

/// The value the user entered in a field, as the server sent it back.
pub fn server_value<T: Clone + Send + Sync + 'static>(
    result: Signal<Option<Result<T, AppError>>>,
    field: &'static str,
) -> String {
    match result.get_untracked() {
        Some(Err(err)) => err.value(field).unwrap_or_default(),
        _ => String::new(),
    }
}

/// A validation rule shared by the server and the browser.
pub type Rule = fn(&str) -> Result<(), FieldCode>;

#[component]
pub fn Field(
    /// The form field's name, also its element id.
    name: &'static str,
    #[prop(into)] label: TextProp,
    #[prop(optional, into)] hint: Option<TextProp>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] inputmode: Option<&'static str>,
    /// What the user entered before the server answered.
    #[prop(optional)]
    initial: String,
    /// The server's verdict on this field.
    #[prop(into)]
    server_error: Signal<Option<FieldCode>>,
    /// The same rule the server applies, run while typing.
    #[prop(optional)]
    validate: Option<Rule>,
) -> impl IntoView {
    let i18n = use_i18n();
    let local = RwSignal::new(None::<FieldCode>);
    let from_server = RwSignal::new(server_error.get_untracked());
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| from_server.set(server_error.get()));
    let shown = move || local.get().or(from_server.get());
    let error_id = format!("{name}-error");
    let hint_id = format!("{name}-hint");
    let described = if hint.is_some() {
        format!("{hint_id} {error_id}")
    } else {
        error_id.clone()
    };
    let on_input = move |ev: leptos::ev::Event| {
        from_server.set(None);
        if let Some(rule) = validate {
            local.set(rule(&event_target_value(&ev)).err());
        }
    };
    view! {
        <div class="field" class:invalid=move || shown().is_some()>
            <label for=name>{move || label.get()}</label>
            <input
                id=name
                name=name
                type=input_type
                autocomplete=autocomplete
                inputmode=inputmode
                value=initial
                aria-required="true"
                aria-invalid=move || if shown().is_some() { "true" } else { "false" }
                aria-describedby=described
                on:input=on_input
            />
            {hint.map(|h| view! { <p class="hint" id=hint_id>{move || h.get()}</p> })}
            <p class="error" id=error_id aria-live="polite">
                {move || shown().map(|code| field_message(i18n.get_locale(), code))}
            </p>
        </div>
    }
}

/// The form-level message for an action's last error (field errors are
/// shown at their fields; this says what happened overall).
#[component]
pub fn FormError<T: Clone + Send + Sync + 'static>(
    result: Signal<Option<Result<T, AppError>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || match result.get() {
        Some(Err(err)) => Some(view! {
            <p class="form-error" role="alert">{error_message(i18n.get_locale(), &err)}</p>
        }),
        _ => None,
    }
}
