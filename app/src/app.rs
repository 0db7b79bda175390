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
use crate::shared::session::CurrentUser;
use crate::shared::SignedIn;

static STYLESHEET: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// The stylesheet's URL with its content hash, decided once at start-up
/// by the server (from `hash.txt`), not read on every render.
pub fn set_stylesheet_href(href: String) {
    let _ = STYLESHEET.set(href);
}

fn stylesheet_href() -> &'static str {
    STYLESHEET
        .get()
        .map(String::as_str)
        .unwrap_or("/pkg/naik_kelas.css")
}

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
                <link rel="stylesheet" href=stylesheet_href() />
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
    provide_context(UserResource(user));
    view! {
        // Head tags are rendered after the body, outside its reactive
        // owner: they take plain strings, never closures over signals.
        <Title formatter=|page: String| {
            if page.is_empty() { "Naik Kelas".to_string() } else { format!("{page} · Naik Kelas") }
        } />
        <Meta
            name="description"
            content=td_string!(i18n.get_locale_untracked(), app.tagline).to_string()
        />
        <a class="skip" href="#main">{t!(i18n, nav.skip)}</a>
        // Async: every resource resolves before the page is sent, so the
        // whole page, navigation included, works without JavaScript.
        <Routes fallback=|| view! { <Frame><NotFound /></Frame> }>
            <Route path=path!("/") view=|| view! { <Frame><HomePage /></Frame> } ssr=SsrMode::Async />
            <Route path=path!("/register") view=|| view! { <Frame><RegisterPage /></Frame> } ssr=SsrMode::Async />
            <Route path=path!("/login") view=|| view! { <Frame><LoginPage /></Frame> } ssr=SsrMode::Async />
            <Route path=path!("/account") view=|| view! { <Frame><AccountPage /></Frame> } ssr=SsrMode::Async />
            <Route path=path!("/admin/users") view=|| view! { <Frame><AdminUsersPage /></Frame> } ssr=SsrMode::Async />
        </Routes>
        <footer class="site-footer">
            <p>{t!(i18n, app.footer)}</p>
        </footer>
    }
}

#[derive(Clone, Copy)]
struct UserResource(Resource<Result<Option<CurrentUser>, AppError>>);

/// The header and the page, under the one suspense boundary that resolves
/// who is signed in; everything below reads [`SignedIn`] synchronously
/// (several boundaries sharing a resource can deadlock leptos 0.8's SSR,
/// leptos issues 4578 and 4673).
#[component]
fn Frame(children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    let user = expect_context::<UserResource>().0;
    // Browser tests wait for this before interacting: effects run only
    // once the page has hydrated.
    let hydrated = RwSignal::new(false);
    // Effects only ever run in the browser; not creating them on the
    // server keeps the reactive graph of a server render smaller.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| hydrated.set(true));
    let children = StoredValue::new(children);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let (me, unavailable) = match user.await {
                    Ok(me) => (me, false),
                    Err(AppError::Unavailable) => (None, true),
                    Err(_) => (None, false),
                };
                provide_context(SignedIn(me.clone()));
                if unavailable {
                    crate::shared::set_unavailable();
                }
                view! {
                    <header class="site-header">
                        <a class="brand" href="/">
                            <span class="logo" aria-hidden="true">"NK"</span>
                            <span>{t!(i18n, app.name)}</span>
                        </a>
                        <Nav me />
                        <LanguageSwitch />
                    </header>
                    <main id="main" data-hydrated=move || hydrated.get().then_some("true")>
                        {if unavailable {
                            view! { <Unavailable /> }.into_any()
                        } else {
                            children.read_value()().into_any()
                        }}
                    </main>
                }
            })}
        </Transition>
    }
}

/// What the signed-in role can do; anonymous visitors see register/login.
#[component]
fn Nav(me: Option<CurrentUser>) -> impl IntoView {
    let i18n = use_i18n();
    let logout = ServerAction::<Logout>::new();
    let links = match me {
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
        }
        .into_any(),
        None => view! {
            <li><a href="/login">{t!(i18n, nav.login)}</a></li>
            <li><a href="/register">{t!(i18n, nav.register)}</a></li>
        }
        .into_any(),
    };
    view! {
        <nav class="site-nav" aria-label=move || t_string!(i18n, nav.main)>
            <ul>
                <li><a href="/">{t!(i18n, nav.home)}</a></li>
                {links}
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

/// Shown instead of the page while the database is briefly unavailable.
#[component]
fn Unavailable() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card narrow">
            <h1>{t!(i18n, errors.unavailable_title)}</h1>
            <p role="alert">{t!(i18n, errors.unavailable)}</p>
        </section>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    crate::shared::set_page_status(404);
    let i18n = use_i18n();
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), not_found.title).to_string() />
        <section class="card narrow">
            <h1>{t!(i18n, not_found.title)}</h1>
            <p>{t!(i18n, not_found.body)}</p>
            <p><a href="/">{t!(i18n, not_found.home)}</a></p>
        </section>
    }
}
