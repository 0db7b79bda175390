//! The instant check: an island around the listing form that runs the
//! policy engine ([`super::policy::check`], the very code the server runs)
//! on the form's values as the seller types, and says the likely decision
//! with every reason in a polite live region. The server checks again on
//! saving and alone decides; without JavaScript the form simply posts.

use leptos::prelude::*;

use super::api::FormContext;
#[cfg(feature = "hydrate")]
use super::policy;
use super::policy::Decision;

/// The decision the form's current values would get, if they are
/// complete enough to check.
#[cfg(feature = "hydrate")]
fn decide(ctx: &FormContext, form: &web_sys::HtmlFormElement) -> Option<Decision> {
    let data = web_sys::FormData::new_with_form(form).ok()?;
    let get = |name: &str| data.get(name).as_string().unwrap_or_default();
    let cluster = ctx
        .categories
        .iter()
        .find(|c| c.slug == get("category"))?
        .cluster;
    let currency = policy::Currency::parse(&get("currency"))?;
    let minor = policy::parse_amount(&get("price"), currency).ok()?;
    let text = |name: &str| {
        let v = get(name);
        (!v.trim().is_empty()).then(|| v.trim().to_string())
    };
    let listing = policy::Listing {
        title: get("title"),
        cluster,
        price: policy::Money { minor, currency },
        origin_country: policy::country(&get("origin_country"))?,
        ships_from: policy::country(&get("ships_from"))?,
        hs_code: text("hs_code"),
        halal_certificate: text("halal_cert"),
    };
    let today = policy::Day::of_unix((js_sys::Date::now() / 1000.0) as i64);
    Some(policy::check(&listing, &ctx.seller, &ctx.rules, today))
}

#[island]
pub fn InstantCheck(
    ctx: FormContext,
    english: bool,
    /// Outcome names: allowed, review, needs a document, blocked.
    labels: Vec<String>,
    title: String,
    hint: String,
    children: Children,
) -> impl IntoView {
    let (decision, set_decision) = signal(None::<Decision>);
    let on_input = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let form = ev
                .current_target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|e| e.query_selector("form").ok().flatten())
                .and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok());
            if let Some(form) = form {
                set_decision.set(decide(&ctx, &form));
            }
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = (&ev, &ctx, set_decision);
        }
    };
    let label = move |i: usize| labels.get(i).cloned().unwrap_or_default();
    let shown = move || {
        decision.get().map(|d| {
            let reasons = d
                .reasons
                .into_iter()
                .map(|r| {
                    let m = if english { r.message_en } else { r.message_id };
                    view! { <li>{m}</li> }
                })
                .collect_view();
            view! {
                <p class=format!("decision {}", d.outcome.as_str())>
                    <strong>{label(d.outcome as usize)}</strong>
                </p>
                <ul class="reasons">{reasons}</ul>
            }
        })
    };
    view! {
        <div on:input=on_input.clone() on:change=on_input>
            {children()}
        </div>
        <aside class="instant" id="instant-check" aria-live="polite">
            <h2>{title}</h2>
            <p class="hint">{hint}</p>
            {shown}
        </aside>
    }
}
