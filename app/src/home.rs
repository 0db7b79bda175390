//! The public home page: what the programme is and who it serves.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::*;
use crate::shared::signed_in;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let cta = match signed_in() {
        Some(u) => view! {
            <p>{t!(i18n, home.welcome, name = u.display_name.clone())}</p>
            <p class="actions"><a class="button primary" href="/account">{t!(i18n, home.cta_account)}</a></p>
        }
        .into_any(),
        None => view! {
            <p class="actions">
                <a class="button primary" href="/register">{t!(i18n, home.cta_register)}</a>
                <a class="button" href="/login">{t!(i18n, home.cta_login)}</a>
            </p>
        }
        .into_any(),
    };
    view! {
        <Title text="" />
        <section class="hero">
            <h1>{t!(i18n, home.title)}</h1>
            <p class="lead">{t!(i18n, home.lead)}</p>
            {cta}
        </section>
        <section class="stats" aria-labelledby="target-title">
            <h2 id="target-title">{t!(i18n, home.target_title)}</h2>
            <div class="stat-grid">
                <div class="stat">
                    <p class="stat-value">{t!(i18n, home.target_value)}</p>
                    <p>{t!(i18n, home.target_body)}</p>
                </div>
                <div class="stat">
                    <p class="stat-value">{t!(i18n, home.online_value)}</p>
                    <p>{t!(i18n, home.online_body)}</p>
                </div>
            </div>
        </section>
        <section class="card">
            <h2>{t!(i18n, home.story_title)}</h2>
            <p>{t!(i18n, home.story_body)}</p>
            <h3>{t!(i18n, home.clusters_title)}</h3>
            <ul class="clusters">
                <li>{t!(i18n, home.cluster_textiles)}</li>
                <li>{t!(i18n, home.cluster_food)}</li>
                <li>{t!(i18n, home.cluster_crafts)}</li>
            </ul>
        </section>
        <section class="card">
            <h2>{t!(i18n, home.roles_title)}</h2>
            <ul class="roles">
                <li>{t!(i18n, home.role_seller)}</li>
                <li>{t!(i18n, home.role_trainer)}</li>
                <li>{t!(i18n, home.role_staff)}</li>
                <li>{t!(i18n, home.role_admin)}</li>
            </ul>
        </section>
    }
}
