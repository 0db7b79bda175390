//! Listing pages: the seller's listings, a new listing, and one listing
//! with its current decision, the reasons and courses, its history, the
//! edit form and withdrawal. Plain forms (they work without JavaScript);
//! with JavaScript, the instant check ([`super::instant`]) runs the same
//! engine in the browser while the seller types.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{
    DecisionView, FormContext, ListingFields, ListingView, SaveListing, WithdrawListing,
};
use super::instant::InstantCheck;
use super::policy::Outcome;
use crate::checks::Check;
use crate::i18n::*;
use crate::profile::domain::COUNTRIES;
use crate::shared::forms::{FormError, FormField, SelectField, TextAreaField};
use crate::shared::ui::load_error;
use crate::shared::{page_locale, require_signed_in_page};

pub fn outcome_label(locale: Locale, o: Outcome) -> String {
    match o {
        Outcome::Allowed => td_string!(locale, listings.outcome_allowed),
        Outcome::Review => td_string!(locale, listings.outcome_review),
        Outcome::NeedsDocument => td_string!(locale, listings.outcome_needs_document),
        Outcome::Blocked => td_string!(locale, listings.outcome_blocked),
    }
    .to_string()
}

/// `/listings`: the seller's listings with their current decisions.
#[component]
pub fn ListingsPage() -> impl IntoView {
    let locale = page_locale();
    require_signed_in_page();
    let data = Resource::new(|| (), |_| super::api::my_listings());
    view! {
        <Title text=td_string!(locale, listings.title).to_string() />
        <section class="card">
            <h1>{td!(locale, listings.title)}</h1>
            <p>{td!(locale, listings.lead)}</p>
            <p><a class="button primary" href="/listings/new" id="new-listing">{td!(locale, listings.new_listing)}</a></p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) if list.is_empty() => view! { <p>{td!(locale, listings.none)}</p> }.into_any(),
                        Ok(list) => {
                            let rows = list
                                .into_iter()
                                .map(|l| {
                                    let href = format!("/listings/{}", l.id);
                                    let state = if l.withdrawn {
                                        td_string!(locale, listings.withdrawn).to_string()
                                    } else {
                                        outcome_label(locale, l.decision)
                                    };
                                    view! {
                                        <li>
                                            <h2><a href=href>{l.title}</a></h2>
                                            <p>{l.category} " · " {l.price}</p>
                                            <p class=format!("decision {}", l.decision.as_str())>{state}</p>
                                        </li>
                                    }
                                })
                                .collect_view();
                            view! { <ul class="course-list" id="listing-list">{rows}</ul> }.into_any()
                        }
                        Err(err) => load_error(err),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// `/listings/new`.
#[component]
pub fn NewListingPage() -> impl IntoView {
    let locale = page_locale();
    require_signed_in_page();
    let context = Resource::new(|| (), |_| super::api::listing_context());
    view! {
        <Title text=td_string!(locale, listings.new_listing).to_string() />
        <section class="card">
            <h1>{td!(locale, listings.new_listing)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match context.await {
                        Ok(ctx) => view! { <ListingForm ctx id=0 fields=ListingFields::default() /> }.into_any(),
                        Err(err) => load_error(err),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// `/listings/:id`: one of the seller's listings.
#[component]
pub fn ListingPage() -> impl IntoView {
    let locale = page_locale();
    require_signed_in_page();
    let id = use_params_map()
        .read_untracked()
        .get("id")
        .and_then(|i| i.parse::<i64>().ok())
        .unwrap_or(0);
    let saved = use_query_map().read_untracked().get("saved").as_deref() == Some("1");
    let data = Resource::new(move || id, super::api::listing);
    let context = Resource::new(|| (), |_| super::api::listing_context());
    view! {
        <Title text=td_string!(locale, listings.one).to_string() />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match (data.await, context.await) {
                    (Ok(l), Ok(ctx)) => view! { <Listing l ctx saved /> }.into_any(),
                    (Err(err), _) | (_, Err(err)) => load_error(err),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Listing(l: ListingView, ctx: FormContext, saved: bool) -> impl IntoView {
    let locale = page_locale();
    let withdraw = ServerAction::<WithdrawListing>::new();
    let withdraw_result = Signal::derive(move || withdraw.value().get());
    let current = l.decisions.first().cloned();
    let history = l
        .decisions
        .iter()
        .skip(1)
        .cloned()
        .map(|d| view! { <li><Decision d /></li> })
        .collect_view();
    let any_history = l.decisions.len() > 1;
    let id = l.id;
    view! {
        <section class="card">
            <h1>{l.fields.title.clone()}</h1>
            {saved.then(|| view! { <p class="notice" role="status">{td!(locale, listings.saved)}</p> })}
            {l.withdrawn.then(|| view! { <p class="notice">{td!(locale, listings.withdrawn)}</p> })}
            <div id="decision">{current.map(|d| view! { <Decision d /> })}</div>
        </section>
        {(!l.withdrawn).then(|| view! {
            <section class="card">
                <h2>{td!(locale, listings.edit)}</h2>
                <ListingForm ctx id fields=l.fields.clone() />
            </section>
            <section class="card">
                <ActionForm action=withdraw attr:id="withdraw-form">
                    <FormError result=withdraw_result />
                    <input type="hidden" name="id" value=id.to_string() />
                    <button type="submit">{td!(locale, listings.withdraw)}</button>
                </ActionForm>
            </section>
        })}
        {any_history.then(|| view! {
            <section class="card">
                <h2>{td!(locale, listings.history)}</h2>
                <ol class="steps" id="decision-history">{history}</ol>
            </section>
        })}
        <p><a href="/listings">{td!(locale, listings.back)}</a></p>
    }
}

#[component]
fn Decision(d: DecisionView) -> impl IntoView {
    let locale = page_locale();
    let reasons = d
        .reasons
        .into_iter()
        .map(|r| {
            let course = r.course.map(|(slug, title)| {
                let href = format!("/courses/{slug}");
                view! { <p><a href=href>{td!(locale, listings.learn, course = title)}</a></p> }
            });
            view! {
                <li>
                    <strong>{outcome_label(locale, r.outcome)}</strong> " · " <code>{r.rule}</code>
                    <p>{r.message}</p>
                    {course}
                </li>
            }
        })
        .collect_view();
    view! {
        <p class=format!("decision {}", d.outcome.as_str())>
            <strong>{outcome_label(locale, d.outcome)}</strong>
        </p>
        <p class="hint">{td!(locale, listings.decided, version = d.rule_set_version, at = d.at)}</p>
        <ul class="reasons">{reasons}</ul>
    }
}

/// The listing form, wrapped in the instant check.
#[component]
fn ListingForm(ctx: FormContext, id: i64, fields: ListingFields) -> impl IntoView {
    let locale = page_locale();
    let save = ServerAction::<SaveListing>::new();
    let result = Signal::derive(move || save.value().get());
    let english = locale == Locale::en;
    let categories: Vec<(String, String)> = ctx
        .categories
        .iter()
        .map(|c| {
            (
                c.slug.clone(),
                if english {
                    c.name_en.clone()
                } else {
                    c.name_id.clone()
                },
            )
        })
        .collect();
    let countries: Vec<(String, String)> = COUNTRIES
        .iter()
        .filter(|(code, _, _)| *code != "ZZ")
        .map(|(code, id, en)| (code.to_string(), if english { en } else { id }.to_string()))
        .collect();
    let currencies = vec![
        ("IDR".to_string(), "IDR (rupiah)".to_string()),
        ("USD".to_string(), "USD (US dollar)".to_string()),
    ];
    let or = |v: &str, d: &str| {
        if v.is_empty() {
            d.to_string()
        } else {
            v.to_string()
        }
    };
    let labels = vec![
        td_string!(locale, listings.outcome_allowed).to_string(),
        td_string!(locale, listings.outcome_review).to_string(),
        td_string!(locale, listings.outcome_needs_document).to_string(),
        td_string!(locale, listings.outcome_blocked).to_string(),
    ];
    let text = |max: u16, required: bool| Check::Text { max, required };
    view! {
        <InstantCheck ctx english labels
            title=td_string!(locale, listings.instant_title).to_string()
            hint=td_string!(locale, listings.instant_hint).to_string()>
            <ActionForm action=save attr:id="listing-form" attr:novalidate="novalidate">
                <FormError result />
                <input type="hidden" name="id" value=id.to_string() />
                <FormField result name="title" label=td_string!(locale, listings.field_title).to_string() value=fields.title.clone() check=text(200, true) />
                <TextAreaField result name="description" label=td_string!(locale, listings.field_description).to_string() value=fields.description.clone() max=5000 rows=4 />
                <SelectField result name="category" label=td_string!(locale, listings.field_category).to_string()
                    value=fields.category.clone() empty=td_string!(locale, profile.choose).to_string() options=categories />
                <FormField result name="price" label=td_string!(locale, listings.field_price).to_string()
                    hint=td_string!(locale, listings.price_hint).to_string() inputmode="decimal" value=fields.price.clone() check=Check::Optional />
                <SelectField result name="currency" label=td_string!(locale, listings.field_currency).to_string()
                    value=or(&fields.currency, "IDR") options=currencies />
                <FormField result name="unit" label=td_string!(locale, listings.field_unit).to_string()
                    hint=td_string!(locale, listings.unit_hint).to_string() value=fields.unit.clone() check=text(40, true) />
                <SelectField result name="origin_country" label=td_string!(locale, listings.field_origin).to_string()
                    value=or(&fields.origin_country, "ID") options=countries.clone() />
                <SelectField result name="ships_from" label=td_string!(locale, listings.field_ships_from).to_string()
                    hint=td_string!(locale, listings.ships_from_hint).to_string()
                    value=or(&fields.ships_from, "ID") options=countries />
                <FormField result name="hs_code" label=td_string!(locale, listings.field_hs).to_string()
                    hint=td_string!(locale, listings.hs_hint).to_string() value=fields.hs_code.clone() check=Check::Optional />
                <FormField result name="halal_cert" label=td_string!(locale, listings.field_halal).to_string()
                    value=fields.halal_cert.clone() check=text(64, false) />
                <FormField result name="sni" label=td_string!(locale, listings.field_sni).to_string()
                    value=fields.sni.clone() check=text(64, false) />
                <button type="submit" class="primary">{td!(locale, listings.save)}</button>
            </ActionForm>
        </InstantCheck>
    }
}
