//! Form pieces every feature uses: a labelled field that shows its error
//! next to it, keeps what was entered, and (inside an island) validates as
//! the user types with the same Rust rules the server runs.

use leptos::prelude::*;

use crate::checks::Check;
use crate::error::{AppError, FieldCode};
use crate::shared::messages::{error_message, field_message};
use crate::shared::page_locale;

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

/// What a field fed by its form's last result shows: the value (what was
/// typed, after a failed post; else the stored `value`) and the server's
/// translated verdict on it.
fn fed<T: Clone + Send + Sync + 'static>(
    result: Signal<Option<Result<T, AppError>>>,
    name: &'static str,
    value: String,
) -> (String, Option<String>) {
    let locale = page_locale();
    let shown = if matches!(result.get_untracked(), Some(Err(_))) {
        server_value(result, name)
    } else {
        value
    };
    let error = server_field_error(result, name)
        .get_untracked()
        .map(|code| field_message(locale, code));
    (shown, error)
}

/// `aria-describedby` of a field: its hint (if any) and its error.
fn described_by(name: &str, has_hint: bool) -> (String, String, String) {
    let error_id = format!("{name}-error");
    let hint_id = format!("{name}-hint");
    let described = if has_hint {
        format!("{hint_id} {error_id}")
    } else {
        error_id.clone()
    };
    (hint_id, error_id, described)
}

/// A labelled input with its error next to it. Rendered on the server with
/// the server's verdict and the value the user entered; inside an island
/// (each feature wraps it in one, naming its rule) it also validates as the
/// user types with the same Rust rule the server runs. Texts arrive already
/// translated: the browser never loads the translations.
#[component]
pub fn Field(
    /// The form field's name, also its element id.
    name: String,
    label: String,
    hint: Option<String>,
    input_type: String,
    autocomplete: String,
    /// The on-screen keyboard to offer (`numeric` for codes).
    #[prop(default = None)]
    inputmode: Option<String>,
    /// What the user entered before the server answered.
    initial: String,
    /// The server's verdict on this field, translated.
    server_error: Option<String>,
    /// The same rule the server applies, run while typing.
    validate: Option<Check>,
    /// The translated message for each code `validate` can give.
    messages: Vec<(FieldCode, String)>,
    /// The `<datalist>` offering suggestions, if any.
    #[prop(default = None)]
    list: Option<String>,
) -> impl IntoView {
    let required = validate.is_some_and(Check::required);
    let local = RwSignal::new(None::<FieldCode>);
    let from_server = RwSignal::new(server_error);
    let messages = StoredValue::new(messages);
    let shown = move || match local.get() {
        Some(code) => messages.with_value(|m| {
            m.iter()
                .find(|(c, _)| *c == code)
                .map(|(_, text)| text.clone())
        }),
        None => from_server.get(),
    };
    let (hint_id, error_id, described) = described_by(&name, hint.is_some());
    let on_input = move |ev: leptos::ev::Event| {
        from_server.set(None);
        if let Some(check) = validate {
            local.set(check.run(&event_target_value(&ev)).err());
        }
    };
    view! {
        <div class="field" class:invalid=move || shown().is_some()>
            <label for=name.clone()>{label}</label>
            <input
                id=name.clone()
                name=name
                type=input_type
                autocomplete=autocomplete
                inputmode=inputmode
                value=initial
                list=list
                aria-required=required.then_some("true")
                aria-invalid=move || if shown().is_some() { "true" } else { "false" }
                aria-describedby=described
                on:input=on_input
            />
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            <p class="error" id=error_id aria-live="polite">{shown}</p>
        </div>
    }
}

/// A form field fed by its form's last result: the value entered (never a
/// password's) and the server's verdict on it come from `result` by the
/// field's `name`, so the name is written once. Texts are translated here
/// on the server; the [`FieldIsland`] around the input validates as the
/// person types with `check`, the rule the server applies too.
#[component]
pub fn FormField<T: Clone + Send + Sync + 'static>(
    result: Signal<Option<Result<T, AppError>>>,
    name: &'static str,
    label: String,
    #[prop(optional)] hint: Option<String>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] inputmode: Option<&'static str>,
    /// The id of a `<datalist>` with suggestions.
    #[prop(optional)]
    list: Option<&'static str>,
    /// The stored value, shown until a failed post brings back what was
    /// typed instead.
    #[prop(optional, into)]
    value: String,
    check: Check,
) -> impl IntoView {
    let locale = page_locale();
    let messages = check
        .codes()
        .iter()
        .map(|code| (*code, field_message(locale, *code)))
        .collect();
    let (initial, server_error) = fed(result, name, value);
    // A password is never sent back.
    let initial = if input_type == "password" {
        String::new()
    } else {
        initial
    };
    view! {
        <FieldIsland
            name=name.to_string()
            label
            hint
            input_type=input_type.to_string()
            autocomplete=autocomplete.to_string()
            inputmode=inputmode.map(str::to_string)
            list=list.map(str::to_string)
            initial
            server_error
            check
            messages
        />
    }
}

/// The interactive part of a form field: the only code of most pages that
/// runs in the browser.
#[island]
fn FieldIsland(
    name: String,
    label: String,
    hint: Option<String>,
    input_type: String,
    autocomplete: String,
    inputmode: Option<String>,
    list: Option<String>,
    initial: String,
    server_error: Option<String>,
    check: Check,
    messages: Vec<(FieldCode, String)>,
) -> impl IntoView {
    view! {
        <Field
            name
            label
            hint
            input_type
            autocomplete
            inputmode
            initial
            server_error
            validate=Some(check)
            messages
            list
        />
    }
}

/// A labelled `<select>` fed by its form's last result like [`FormField`]
/// (no script: the choice is checked on the server). `options` are
/// `(value, label)`; `groups` put options under `<optgroup>` labels.
#[component]
pub fn SelectField<T: Clone + Send + Sync + 'static>(
    result: Signal<Option<Result<T, AppError>>>,
    name: &'static str,
    label: String,
    #[prop(optional)] hint: Option<String>,
    /// The stored value, until a failed post brings back the choice made.
    #[prop(optional, into)]
    value: String,
    /// The empty choice's label, if an empty choice is offered.
    #[prop(optional)]
    empty: Option<String>,
    #[prop(optional)] options: Vec<(String, String)>,
    #[prop(optional)] groups: Vec<(String, Vec<(String, String)>)>,
) -> impl IntoView {
    let (chosen, error) = fed(result, name, value);
    let invalid = error.is_some();
    let (hint_id, error_id, described) = described_by(name, hint.is_some());
    let option = |(v, l): (String, String), chosen: &str| {
        let selected = v == chosen;
        view! { <option value=v selected=selected>{l}</option> }
    };
    let plain = options
        .into_iter()
        .map(|o| option(o, &chosen))
        .collect_view();
    let grouped = groups
        .into_iter()
        .map(|(glabel, opts)| {
            let opts = opts.into_iter().map(|o| option(o, &chosen)).collect_view();
            view! { <optgroup label=glabel>{opts}</optgroup> }
        })
        .collect_view();
    view! {
        <div class="field" class:invalid=invalid>
            <label for=name>{label}</label>
            <select id=name name=name aria-invalid=if invalid { "true" } else { "false" } aria-describedby=described>
                {empty.map(|e| view! { <option value="">{e}</option> })}
                {plain}
                {grouped}
            </select>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            <p class="error" id=error_id aria-live="polite">{error}</p>
        </div>
    }
}

/// A labelled `<textarea>` fed by its form's last result like
/// [`FormField`] (checked on the server; `max` characters at most, which
/// the browser also enforces as `maxlength`).
#[component]
pub fn TextAreaField<T: Clone + Send + Sync + 'static>(
    result: Signal<Option<Result<T, AppError>>>,
    name: &'static str,
    label: String,
    #[prop(optional)] hint: Option<String>,
    #[prop(optional, into)] value: String,
    #[prop(default = 3)] rows: u8,
    max: u32,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let (text, error) = fed(result, name, value);
    let invalid = error.is_some();
    let (hint_id, error_id, described) = described_by(name, hint.is_some());
    view! {
        <div class="field" class:invalid=invalid>
            <label for=name>{label}</label>
            <textarea id=name name=name rows=rows maxlength=max
                aria-required=required.then_some("true")
                aria-invalid=if invalid { "true" } else { "false" }
                aria-describedby=described>{text}</textarea>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            <p class="error" id=error_id aria-live="polite">{error}</p>
        </div>
    }
}

/// Marks `<main>` with `data-hydrated="true"` once the page's islands have
/// hydrated (browser tests wait for it before typing). An island of its
/// own, so every page has one.
#[island]
pub fn HydrationMarker() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Ok(Some(main)) = document().query_selector("main") {
            let _ = main.set_attribute("data-hydrated", "true");
        }
    });
}

/// The form-level message for an action's last error (field errors are
/// shown at their fields; this says what happened overall).
#[component]
pub fn FormError<T: Clone + Send + Sync + 'static>(
    result: Signal<Option<Result<T, AppError>>>,
) -> impl IntoView {
    let locale = page_locale();
    move || match result.get() {
        Some(Err(err)) => Some(view! {
            <p class="form-error" role="alert">{error_message(locale, &err)}</p>
        }),
        _ => None,
    }
}
