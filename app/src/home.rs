//! The public home page: what the programme is and who it serves.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::*;
use crate::profile::pages::Checklist;
use crate::shared::page_locale;
use crate::shared::signed_in;

#[component]
pub fn HomePage() -> impl IntoView {
    let locale = page_locale();
    let cta = match signed_in() {
        Some(u) => view! {
            <p>{td!(locale, home.welcome, name = u.display_name.clone())}</p>
            <p class="actions"><a class="button primary" href="/account">{td!(locale, home.cta_account)}</a></p>
        }
        .into_any(),
        None => view! {
            <p class="actions">
                <a class="button primary" href="/register">{td!(locale, home.cta_register)}</a>
                <a class="button" href="/login">{td!(locale, home.cta_login)}</a>
            </p>
        }
        .into_any(),
    };
    let deleted = leptos_router::hooks::use_query_map()
        .read_untracked()
        .get("deleted")
        .as_deref()
        == Some("1");
    // A seller sees their onboarding checklist first.
    let journey = signed_in()
        .filter(|u| u.role.has_business())
        .map(|_| Resource::new(|| (), |_| crate::profile::api::my_business()));
    let courses = signed_in().map(|_| Resource::new(|| (), |_| crate::courses::api::my_courses()));
    view! {
        <Title text="" />
        {deleted.then(|| view! { <p class="notice" role="status" id="deleted-notice">{td!(locale, home.deleted)}</p> })}
        <section class="hero">
            <h1>{td!(locale, home.title)}</h1>
            <p class="lead">{td!(locale, home.lead)}</p>
            {cta}
        </section>
        {journey.map(|business| view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    business.await.ok().map(|b| view! { <Checklist journey=b.journey /> })
                })}
            </Suspense>
        })}
        {courses.map(|mine| view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    mine.await
                        .ok()
                        .filter(|c| !c.is_empty())
                        .map(|courses| view! { <crate::courses::pages::MyCourses courses /> })
                })}
            </Suspense>
        })}
        <section class="stats" aria-labelledby="target-title">
            <h2 id="target-title">{td!(locale, home.target_title)}</h2>
            <div class="stat-grid">
                <div class="stat">
                    <p class="stat-value">{td!(locale, home.target_value)}</p>
                    <p>{td!(locale, home.target_body)}</p>
                </div>
                <div class="stat">
                    <p class="stat-value">{td!(locale, home.online_value)}</p>
                    <p>{td!(locale, home.online_body)}</p>
                </div>
            </div>
        </section>
        <section class="card">
            <h2>{td!(locale, home.story_title)}</h2>
            <p>{td!(locale, home.story_body)}</p>
            <h3>{td!(locale, home.clusters_title)}</h3>
            <ul class="clusters">
                <li>{td!(locale, home.cluster_textiles)}</li>
                <li>{td!(locale, home.cluster_food)}</li>
                <li>{td!(locale, home.cluster_crafts)}</li>
            </ul>
        </section>
        <section class="card">
            <h2>{td!(locale, home.roles_title)}</h2>
            <ul class="roles">
                <li>{td!(locale, home.role_seller)}</li>
                <li>{td!(locale, home.role_trainer)}</li>
                <li>{td!(locale, home.role_staff)}</li>
                <li>{td!(locale, home.role_admin)}</li>
            </ul>
        </section>
    }
}
