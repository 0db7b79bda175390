//! The shell, the root component, the routes and the page layout.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

use crate::accounts::api::Logout;
use crate::accounts::pages::{
    AccountPage, AdminMessagesPage, AdminUsersPage, ForgotPage, LoginPage, PrivacyPage,
    RegisterPage, ResetPage, VerifyPage,
};
use crate::courses::pages::{CataloguePage, CertificatePage, CoursePage, LessonPage, QuizPage};
use crate::courses::report_page::ReportPage;
use crate::courses::teach_pages::{
    TeachCoursePage, TeachLessonPage, TeachListPage, TeachModulePage,
};
use crate::error::AppError;
use crate::home::HomePage;
use crate::i18n::*;
use crate::listings::pages::{ListingPage, ListingsPage, NewListingPage};
use crate::profile::pages::{KbliPage, ProfilePage, StaffItemPage, StaffQueuePage};
use crate::shared::forms::HydrationMarker;
use crate::shared::page_locale;
use crate::shared::session::CurrentUser;
use crate::shared::SignedIn;
use crate::workshops::pages::{AttendancePage, NewWorkshopPage, WorkshopPage, WorkshopsPage};

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
    let locale = crate::shared::request_locale();
    provide_context(locale);
    view! {
        <!DOCTYPE html>
        <html lang=locale.as_str()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="stylesheet" href=stylesheet_href() />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <HydrationScripts options islands=true />
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

/// The app. The language is decided once per request on the server
/// (`shared::request_locale`) and every text is translated there: no i18n
/// context, signal or effect is created per render, and no translation is
/// sent to the browser.
#[component]
pub fn App() -> impl IntoView {
    if use_context::<Locale>().is_none() {
        provide_context(crate::shared::request_locale());
    }
    view! {
        <Router>
            <Layout />
        </Router>
    }
}

#[component]
fn Layout() -> impl IntoView {
    let locale = page_locale();
    view! {
        // Head tags are rendered after the body, outside its reactive
        // owner: they take plain strings, never closures over signals.
        <Title formatter=|page: String| {
            if page.is_empty() { "Naik Kelas".to_string() } else { format!("{page} · Naik Kelas") }
        } />
        <Meta
            name="description"
            content=td_string!(locale, app.tagline).to_string()
        />
        <a class="skip" href="#main">{td!(locale, nav.skip)}</a>
        // Async: every resource resolves before the page is sent, so the
        // whole page, navigation included, works without JavaScript.
        <Routes fallback=|| view! { <Frame><NotFound /></Frame> }>
            <Route path=path!("/") view=|| view! { <Frame><HomePage /></Frame> } ssr=SsrMode::Async />
            <Route path=path!("/register") view=|| view! { <Frame><RegisterPage /></Frame> } ssr=SsrMode::Async />
            <Route path=path!("/login") view=|| view! { <Frame><LoginPage /></Frame> } ssr=SsrMode::Async />
            <Route path=path!("/account") view=|| view! { <Frame><AccountPage /></Frame> } ssr=SsrMode::Async />
            <Route path=path!("/admin/users") view=|| view! { <Frame><AdminUsersPage /></Frame> } ssr=SsrMode::Async />
            <Route path=path!("/admin/messages") view=|| view! { <Frame><AdminMessagesPage /></Frame> } ssr=SsrMode::Async />
            <Route path=path!("/verify") view=|| view! { <Frame><VerifyPage /></Frame> } ssr=SsrMode::Async />
            <Route path=path!("/forgot") view=|| view! { <Frame><ForgotPage /></Frame> } ssr=SsrMode::Async />
            <Route path=path!("/reset") view=|| view! { <Frame><ResetPage /></Frame> } ssr=SsrMode::Async />
            <Route path=path!("/privacy") view=|| view! { <Frame><PrivacyPage /></Frame> } ssr=SsrMode::Async />
            <Route path=path!("/profile") view=|| view! { <Frame><ProfilePage /></Frame> } ssr=SsrMode::Async />
            <Route path=path!("/staff/verifications") view=|| view! { <Frame><StaffQueuePage /></Frame> } ssr=SsrMode::Async />
            <Route path=path!("/staff/verifications/:id") view=|| view! { <Frame><StaffItemPage /></Frame> } ssr=SsrMode::Async />
            <Route path=path!("/kbli") view=|| view! { <Frame><KbliPage /></Frame> } ssr=SsrMode::Async />
            <Route path=path!("/courses") view=|| view! { <Frame><CataloguePage /></Frame> } ssr=SsrMode::Async />
            <Route path=path!("/courses/:slug") view=|| view! { <Frame><CoursePage /></Frame> } ssr=SsrMode::Async />
            <Route path=path!("/courses/:slug/lessons/:id") view=|| view! { <Frame><LessonPage /></Frame> } ssr=SsrMode::Async />
            <Route path=path!("/courses/:slug/quiz/:module") view=|| view! { <Frame><QuizPage /></Frame> } ssr=SsrMode::Async />
            <Route path=path!("/teach") view=|| view! { <Frame><TeachListPage /></Frame> } ssr=SsrMode::Async />
            <Route path=path!("/teach/:slug") view=|| view! { <Frame><TeachCoursePage /></Frame> } ssr=SsrMode::Async />
            <Route path=path!("/teach/:slug/modules/:id") view=|| view! { <Frame><TeachModulePage /></Frame> } ssr=SsrMode::Async />
            <Route path=path!("/teach/:slug/lessons/:id") view=|| view! { <Frame><TeachLessonPage /></Frame> } ssr=SsrMode::Async />
            <Route path=path!("/listings") view=|| view! { <Frame><ListingsPage /></Frame> } ssr=SsrMode::Async />
            <Route path=path!("/listings/new") view=|| view! { <Frame><NewListingPage /></Frame> } ssr=SsrMode::Async />
            <Route path=path!("/listings/:id") view=|| view! { <Frame><ListingPage /></Frame> } ssr=SsrMode::Async />
            <Route path=path!("/workshops") view=|| view! { <Frame><WorkshopsPage /></Frame> } ssr=SsrMode::Async />
            <Route path=path!("/workshops/:id") view=|| view! { <Frame><WorkshopPage /></Frame> } ssr=SsrMode::Async />
            <Route path=path!("/workshops/:id/attendance") view=|| view! { <Frame><AttendancePage /></Frame> } ssr=SsrMode::Async />
            <Route path=path!("/teach/:slug/report") view=|| view! { <Frame><ReportPage /></Frame> } ssr=SsrMode::Async />
            <Route path=path!("/teach/:slug/workshop") view=|| view! { <Frame><NewWorkshopPage /></Frame> } ssr=SsrMode::Async />
            <Route path=path!("/certificates/:code") view=|| view! { <Frame><CertificatePage /></Frame> } ssr=SsrMode::Async />
        </Routes>
        <footer class="site-footer">
            <p>{td!(locale, app.footer)}</p>
            <p><a href="/privacy">{td!(locale, privacy.title)}</a></p>
        </footer>
    }
}

/// Who is signed in, as the server resolved it for this page request
/// before rendering (`shared::session::server::PageUser`, set by a
/// middleware): no resource, no suspense boundary, no await while
/// rendering. `Err(Unavailable)` when the database is briefly away.
fn page_user() -> Result<Option<CurrentUser>, AppError> {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .and_then(|p| {
                p.extensions
                    .get::<crate::shared::session::server::PageUser>()
                    .cloned()
            })
            .map(|u| u.0)
            .unwrap_or(Ok(None))
    }
    #[cfg(not(feature = "ssr"))]
    Ok(None)
}

/// The header and the page. Everything below reads [`SignedIn`]
/// synchronously.
#[component]
fn Frame(children: Children) -> impl IntoView {
    let locale = page_locale();
    let (me, unavailable) = match page_user() {
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
                <span>{td!(locale, app.name)}</span>
            </a>
            <Nav me />
            <LanguageSwitch />
        </header>
        <main id="main">
            <HydrationMarker />
            {if unavailable {
                view! { <Unavailable /> }.into_any()
            } else {
                children().into_any()
            }}
        </main>
    }
}

/// What the signed-in role can do; anonymous visitors see register/login.
#[component]
fn Nav(me: Option<CurrentUser>) -> impl IntoView {
    let locale = page_locale();
    let logout = ServerAction::<Logout>::new();
    let links = match me {
        Some(u) => view! {
            {u.role.has_business().then(|| view! {
                <li><a href="/profile">{td!(locale, nav.profile)}</a></li>
                <li><a href="/listings">{td!(locale, listings.nav)}</a></li>
            })}
            {u.role.can_teach().then(|| view! {
                <li><a href="/teach">{td!(locale, nav.teach)}</a></li>
            })}
            {u.role.can_verify_businesses().then(|| view! {
                <li><a href="/staff/verifications">{td!(locale, nav.verifications)}</a></li>
            })}
            <li><a href="/account">{td!(locale, nav.account)}</a></li>
            {u.role.can_manage_users().then(|| view! {
                <li><a href="/admin/users">{td!(locale, nav.users)}</a></li>
                <li><a href="/admin/messages">{td!(locale, nav.messages)}</a></li>
            })}
            <li>
                <ActionForm action=logout attr:class="inline">
                    <button type="submit" class="link">{td!(locale, nav.logout)}</button>
                </ActionForm>
            </li>
        }
        .into_any(),
        None => view! {
            <li><a href="/login">{td!(locale, nav.login)}</a></li>
            <li><a href="/register">{td!(locale, nav.register)}</a></li>
        }
        .into_any(),
    };
    view! {
        <nav class="site-nav" aria-label=move || td_string!(locale, nav.main)>
            <ul>
                <li><a href="/">{td!(locale, nav.home)}</a></li>
                <li><a href="/courses">{td!(locale, nav.courses)}</a></li>
                <li><a href="/workshops">{td!(locale, nav.workshops)}</a></li>
                {links}
            </ul>
        </nav>
    }
}

/// Sets the language cookie on the server, so switching works without
/// JavaScript (a plain form post); open to everyone, it touches nothing
/// but the caller's own preference (the cookie and, when signed in, the
/// language the portal's messages are sent in).
#[server(endpoint = "locale")]
pub async fn set_locale(locale: String) -> Result<(), AppError> {
    use axum::http::{header, HeaderValue};
    let caller = crate::shared::session::server::caller().await?;
    let Ok(locale) = locale.parse::<Locale>() else {
        return Err(AppError::BadRequest);
    };
    if let Some(user) = &caller.user {
        sqlx::query("update users set locale = $1 where id = $2")
            .bind(locale.as_str())
            .bind(user.id)
            .execute(&caller.state().db.pool)
            .await?;
    }
    let cookie = format!("i18n_pref_locale={locale}; Path=/; Max-Age=31536000; SameSite=Lax");
    let res = expect_context::<leptos_axum::ResponseOptions>();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        res.append_header(header::SET_COOKIE, value);
    }
    Ok(())
}

#[component]
fn LanguageSwitch() -> impl IntoView {
    let locale = page_locale();
    let other = move || match locale {
        Locale::id => Locale::en,
        Locale::en => Locale::id,
    };
    let locale_url = <SetLocale as leptos::server_fn::ServerFn>::PATH;
    view! {
        <form class="lang" method="post" action=locale_url>
            <input type="hidden" name="locale" value=move || other().to_string() />
            <button type="submit" id="lang-switch" lang=move || other().to_string()
                title=move || td_string!(locale, nav.switch_title)>
                {td!(locale, nav.switch_label)}
            </button>
        </form>
    }
}

/// Shown instead of the page while the database is briefly unavailable.
#[component]
fn Unavailable() -> impl IntoView {
    let locale = page_locale();
    view! {
        <section class="card narrow">
            <h1>{td!(locale, errors.unavailable_title)}</h1>
            <p role="alert">{td!(locale, errors.unavailable)}</p>
        </section>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    crate::shared::set_page_status(404);
    let locale = page_locale();
    view! {
        <Title text=td_string!(locale, not_found.title).to_string() />
        <section class="card narrow">
            <h1>{td!(locale, not_found.title)}</h1>
            <p>{td!(locale, not_found.body)}</p>
            <p><a href="/">{td!(locale, not_found.home)}</a></p>
        </section>
    }
}
