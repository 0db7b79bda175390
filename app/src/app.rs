//! The shell, the root component, the routes and the page layout.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    hooks::use_location,
    path, SsrMode,
};

use crate::accounts::api::Logout;
use crate::accounts::pages::{AccountPage, AdminUsersPage, LoginPage, RegisterPage};
use crate::error::AppError;
use crate::home::HomePage;
use crate::i18n::*;
use crate::shared::session::get_current_user;
use crate::shared::CurrentUserResource;

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    send_csp_header();
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="stylesheet" href="/pkg/naik_kelas.css" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <HydrationScripts options />
                <leptos_meta::MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The page's Content-Security-Policy, with this render's nonce: only our
/// own scripts (the nonce'd hydration loader and what it imports) and our
/// own wasm run; nothing may frame the page.
#[cfg(feature = "ssr")]
fn send_csp_header() {
    use axum::http::{header, HeaderValue};
    let nonce = leptos::nonce::use_nonce()
        .map(|n| format!("'nonce-{n}' "))
        .unwrap_or_default();
    let policy = format!(
        "default-src 'self'; script-src {nonce}'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    if let (Some(res), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&policy),
    ) {
        res.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

#[component]
pub fn App() -> impl IntoView {
    view! {
        <I18nContextProvider cookie_options=leptos_i18n::context::CookieOptions::default()
            .path("/")
            .max_age(365_i64 * 24 * 3600 * 1000)>
            <Router>
                <Layout />
            </Router>
        </I18nContextProvider>
    }
}

#[component]
fn Layout() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let user = Resource::new(
        move || location.pathname.get(),
        |_| async move { get_current_user().await },
    );
    provide_context(CurrentUserResource(user));
    // Browser tests wait for this before interacting: effects run only
    // once the page has hydrated.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    view! {
        <Title formatter=move |page: String| {
            let name = t_string!(i18n, app.name);
            if page.is_empty() { name.to_string() } else { format!("{page} · {name}") }
        } />
        <Meta name="description" content=move || t_string!(i18n, app.tagline) />
        <a class="skip" href="#main">{t!(i18n, nav.skip)}</a>
        <header class="site-header">
            <a class="brand" href="/">
                <span class="logo" aria-hidden="true">"NK"</span>
                <span>{t!(i18n, app.name)}</span>
            </a>
            <Nav user />
            <LanguageSwitch />
        </header>
        <main id="main" data-hydrated=move || hydrated.get().then_some("true")>
            // Async: every resource resolves before the page is sent, so the
            // whole page (navigation included) works without JavaScript.
            <Routes fallback=NotFound>
                <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                <Route path=path!("/register") view=RegisterPage ssr=SsrMode::Async />
                <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async />
                <Route path=path!("/admin/users") view=AdminUsersPage ssr=SsrMode::Async />
            </Routes>
        </main>
        <footer class="site-footer">
            <p>{t!(i18n, app.footer)}</p>
        </footer>
    }
}

/// What the signed-in role can do; anonymous visitors see register/login.
#[component]
fn Nav(
    user: Resource<Result<Option<crate::shared::session::CurrentUser>, AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let logout = ServerAction::<Logout>::new();
    view! {
        <nav class="site-nav" aria-label=move || t_string!(i18n, nav.main)>
            <ul>
                <li><a href="/">{t!(i18n, nav.home)}</a></li>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        match user.await.ok().flatten() {
                            Some(u) => view! {
                                <li><a href="/account">{t!(i18n, nav.account)}</a></li>
                                {u.role.can_manage_users().then(|| view! {
                                    <li><a href="/admin/users">{t!(i18n, nav.users)}</a></li>
                                })}
                                <li>
                                    <ActionForm action=logout attr:class="inline">
                                        <button type="submit" class="link">{t!(i18n, nav.logout)}</button>
                                    </ActionForm>
                                </li>
                            }.into_any(),
                            None => view! {
                                <li><a href="/login">{t!(i18n, nav.login)}</a></li>
                                <li><a href="/register">{t!(i18n, nav.register)}</a></li>
                            }.into_any(),
                        }
                    })}
                </Transition>
            </ul>
        </nav>
    }
}

/// Sets the language cookie on the server, so switching works without
/// JavaScript (a plain form post); open to everyone, it touches nothing
/// but the caller's own preference cookie.
#[server(endpoint = "locale")]
pub async fn set_locale(locale: String) -> Result<(), AppError> {
    use axum::http::{header, HeaderValue};
    let Ok(locale) = locale.parse::<Locale>() else {
        return Err(AppError::BadRequest);
    };
    let cookie = format!("i18n_pref_locale={locale}; Path=/; Max-Age=31536000; SameSite=Lax");
    let res = expect_context::<leptos_axum::ResponseOptions>();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        res.append_header(header::SET_COOKIE, value);
    }
    Ok(())
}

#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let other = move || match i18n.get_locale() {
        Locale::id => Locale::en,
        Locale::en => Locale::id,
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        // Hydrated: switch in place (the i18n context writes the cookie).
        ev.prevent_default();
        i18n.set_locale(other());
    };
    let locale_url = <SetLocale as leptos::server_fn::ServerFn>::PATH;
    view! {
        <form class="lang" method="post" action=locale_url on:submit=on_submit>
            <input type="hidden" name="locale" value=move || other().to_string() />
            <button type="submit" id="lang-switch" lang=move || other().to_string()
                title=move || t_string!(i18n, nav.switch_title)>
                {t!(i18n, nav.switch_label)}
            </button>
        </form>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    crate::shared::set_page_status(404);
    let i18n = use_i18n();
    view! {
        <Title text=move || t_string!(i18n, not_found.title) />
        <section class="card narrow">
            <h1>{t!(i18n, not_found.title)}</h1>
            <p>{t!(i18n, not_found.body)}</p>
            <p><a href="/">{t!(i18n, not_found.home)}</a></p>
        </section>
    }
}
