//! The accounts pages: register, log in, my account, and the admin's user
//! list. They render on the server only (islands): every form is an
//! `ActionForm`, a plain POST answered with a redirect, and the only code
//! sent to the browser is the [`AccountField`] island that validates as
//! the user types.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::{ChangePassword, Login, Logout, LogoutEverywhere, Register, SetRole};
use super::domain::Check;
use crate::error::{AppError, FieldCode};
use crate::i18n::*;
use crate::shared::forms::{server_field_error, server_value, Field, FormError};
use crate::shared::messages::{error_message, field_message, role_name};
use crate::shared::page_locale;
use crate::shared::paths::{encode, login_then, safe_return_path};
use crate::shared::session::{CurrentUser, Role};
use crate::shared::{require_signed_in_page, set_page_status};

/// A field of an accounts form, rendered on the server with its texts
/// translated there; the [`AccountField`] island around it validates as
/// the user types.
#[component]
fn Input(
    name: &'static str,
    label: String,
    #[prop(optional)] hint: Option<String>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] initial: String,
    server_error: Option<FieldCode>,
    check: Check,
) -> impl IntoView {
    let locale = page_locale();
    let messages = check
        .codes()
        .iter()
        .map(|code| (*code, field_message(locale, *code)))
        .collect();
    view! {
        <AccountField
            name=name.to_string()
            label
            hint
            input_type=input_type.to_string()
            autocomplete=autocomplete.to_string()
            initial
            server_error=server_error.map(|code| field_message(locale, code))
            check
            messages
        />
    }
}

/// The interactive part of an accounts field: the only code of these
/// pages that runs in the browser.
#[island]
fn AccountField(
    name: String,
    label: String,
    hint: Option<String>,
    input_type: String,
    autocomplete: String,
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
            initial
            server_error
            validate=Some(check.rule())
            messages
        />
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let locale = page_locale();
    let action = ServerAction::<Register>::new();
    let result = Signal::derive(move || action.value().get());
    view! {
        <section class="card narrow">
            <h1>{td!(locale, register.title)}</h1>
            <Title text=td_string!(locale, register.title).to_string() />
            <p>{td!(locale, register.lead)}</p>
            <ActionForm action=action attr:novalidate="novalidate" attr:id="register-form">
                <FormError result />
                <Input
                    name="display_name"
                    label=td_string!(locale, register.display_name).to_string()
                    hint=td_string!(locale, register.display_name_hint).to_string()
                    autocomplete="name"
                    initial=server_value(result, "display_name")
                    server_error=server_field_error(result, "display_name").get_untracked()
                    check=Check::DisplayName
                />
                <Input
                    name="identifier"
                    label=td_string!(locale, register.identifier).to_string()
                    hint=td_string!(locale, register.identifier_hint).to_string()
                    autocomplete="username"
                    initial=server_value(result, "identifier")
                    server_error=server_field_error(result, "identifier").get_untracked()
                    check=Check::Identifier
                />
                <Input
                    name="password"
                    input_type="password"
                    label=td_string!(locale, register.password).to_string()
                    hint=td_string!(locale, register.password_hint).to_string()
                    autocomplete="new-password"
                    server_error=server_field_error(result, "password").get_untracked()
                    check=Check::NewPassword
                />
                <button type="submit" class="primary" disabled=move || action.pending().get()>
                    {td!(locale, register.submit)}
                </button>
            </ActionForm>
            <p>{td!(locale, register.have_account)} " " <a href="/login">{td!(locale, nav.login)}</a></p>
        </section>
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let locale = page_locale();
    let action = ServerAction::<Login>::new();
    let result = Signal::derive(move || action.value().get());
    // Where to go after signing in: only a path on this site.
    let next = use_query_map()
        .read_untracked()
        .get("next")
        .filter(|n| safe_return_path(n).is_some());
    view! {
        <section class="card narrow">
            <h1>{td!(locale, login.title)}</h1>
            <Title text=td_string!(locale, login.title).to_string() />
            <ActionForm action=action attr:novalidate="novalidate" attr:id="login-form">
                <FormError result />
                {next.map(|n| view! { <input type="hidden" name="next" value=n /> })}
                <Input
                    name="identifier"
                    label=td_string!(locale, login.identifier).to_string()
                    autocomplete="username"
                    initial=server_value(result, "identifier")
                    server_error=server_field_error(result, "identifier").get_untracked()
                    check=Check::Identifier
                />
                <Input
                    name="password"
                    input_type="password"
                    label=td_string!(locale, login.password).to_string()
                    autocomplete="current-password"
                    server_error=server_field_error(result, "password").get_untracked()
                    check=Check::Present
                />
                <button type="submit" class="primary" disabled=move || action.pending().get()>
                    {td!(locale, login.submit)}
                </button>
            </ActionForm>
            <p>{td!(locale, login.no_account)} " " <a href="/register">{td!(locale, nav.register)}</a></p>
        </section>
    }
}

/// Shown instead of a page that needs a signed-in user (the server has
/// already answered 303 to the login page; this is for the browser).
#[component]
pub fn SignInFirst() -> impl IntoView {
    let locale = page_locale();
    let location = leptos_router::hooks::use_location();
    let here = format!(
        "{}{}",
        location.pathname.get_untracked(),
        location.search.get_untracked()
    );
    view! {
        <section class="card narrow">
            <p role="alert">{td!(locale, errors.unauthenticated)}</p>
            <p><a class="button primary" href=login_then(&here)>{td!(locale, nav.login)}</a></p>
        </section>
    }
}

/// Shown instead of a page the caller's role may not open.
#[component]
pub fn NotAllowed() -> impl IntoView {
    let locale = page_locale();
    view! {
        <section class="card narrow">
            <p role="alert">{td!(locale, errors.forbidden)}</p>
        </section>
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let locale = page_locale();
    let page = match require_signed_in_page() {
        Some(user) => view! { <AccountDetails user /> }.into_any(),
        None => view! { <SignInFirst /> }.into_any(),
    };
    view! {
        <Title text=td_string!(locale, account.title).to_string() />
        {page}
    }
}

#[component]
fn AccountDetails(user: CurrentUser) -> impl IntoView {
    let locale = page_locale();
    let change = ServerAction::<ChangePassword>::new();
    let change_result = Signal::derive(move || change.value().get());
    let logout = ServerAction::<Logout>::new();
    let everywhere = ServerAction::<LogoutEverywhere>::new();
    // After a plain form post the server redirects here with `changed=1`.
    let query = use_query_map();
    let changed = move || {
        matches!(change_result.get(), Some(Ok(())))
            || query.read().get("changed").as_deref() == Some("1")
    };
    let role = user.role;
    view! {
        <section class="card">
            <h1>{td!(locale, account.title)}</h1>
            <dl class="facts">
                <dt>{td!(locale, account.name)}</dt>
                <dd>{user.display_name.clone()}</dd>
                <dt>{td!(locale, account.role)}</dt>
                <dd>{move || role_name(locale, role)}</dd>
                {user.email.clone().map(|e| view! { <dt>{td!(locale, account.email)}</dt><dd>{e}</dd> })}
                {user.phone.clone().map(|p| view! { <dt>{td!(locale, account.phone)}</dt><dd>{p}</dd> })}
            </dl>
            <ActionForm action=logout attr:id="logout-form">
                <button type="submit">{td!(locale, account.logout)}</button>
            </ActionForm>
        </section>
        <section class="card">
            <h2>{td!(locale, account.change_password)}</h2>
            <p>{td!(locale, account.change_password_lead)}</p>
            <Show when=changed>
                <p class="notice" role="status">{td!(locale, account.password_changed)}</p>
            </Show>
            <ActionForm action=change attr:novalidate="novalidate" attr:id="password-form">
                <FormError result=change_result />
                <Input
                    name="current_password"
                    input_type="password"
                    label=td_string!(locale, account.current_password).to_string()
                    autocomplete="current-password"
                    server_error=server_field_error(change_result, "current_password").get_untracked()
                    check=Check::Present
                />
                <Input
                    name="new_password"
                    input_type="password"
                    label=td_string!(locale, account.new_password).to_string()
                    hint=td_string!(locale, register.password_hint).to_string()
                    autocomplete="new-password"
                    server_error=server_field_error(change_result, "new_password").get_untracked()
                    check=Check::NewPassword
                />
                <button type="submit" class="primary">{td!(locale, account.change_submit)}</button>
            </ActionForm>
        </section>
        <section class="card">
            <h2>{td!(locale, account.sessions)}</h2>
            <p>{td!(locale, account.sessions_lead)}</p>
            <ActionForm action=everywhere attr:id="logout-everywhere-form">
                <button type="submit" class="danger">{td!(locale, account.logout_everywhere)}</button>
            </ActionForm>
        </section>
    }
}

/// `YYYY-MM-DD` (UTC) from unix seconds, without a date library in the wasm.
pub fn format_date(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let locale = page_locale();
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<i64>().ok())
            .unwrap_or(1)
            .clamp(1, 1_000_000)
    };
    let me = require_signed_in_page();
    let set_role = ServerAction::<SetRole>::new();
    let set_result = Signal::derive(move || set_role.value().get());
    let users = Resource::new(
        move || (q(), page(), set_role.version().get()),
        |(q, page, _)| super::api::list_users(q, page),
    );
    view! {
        <section class="card wide">
            <h1>{td!(locale, admin.title)}</h1>
            <Title text=td_string!(locale, admin.title).to_string() />
            <form method="get" action="/admin/users" class="search" role="search">
                <label for="q">{td!(locale, admin.search)}</label>
                <div class="search-row">
                    <input id="q" name="q" type="search" value=q />
                    <button type="submit">{td!(locale, admin.search_submit)}</button>
                </div>
            </form>
            <FormError result=set_result />
            <Show when=move || {
                matches!(set_result.get(), Some(Ok(())))
                    || query.read().get("saved").as_deref() == Some("1")
            }>
                <p class="notice" role="status">{td!(locale, admin.role_saved)}</p>
            </Show>
            <Suspense fallback=|| ()>
                {move || {
                    let me = me.clone();
                    Suspend::new(async move {
                    match users.await {
                        Ok(page) => view! { <UserTable page me set_role /> }.into_any(),
                        // The 303 (or 401) was decided above.
                        Err(AppError::Unauthenticated) => view! { <SignInFirst /> }.into_any(),
                        Err(AppError::Forbidden) => {
                            set_page_status(403);
                            view! { <NotAllowed /> }.into_any()
                        }
                        Err(err) => view! {
                            <p class="form-error" role="alert">{error_message(locale, &err)}</p>
                        }.into_any(),
                    }
                })
                }}
            </Suspense>
        </section>
    }
}

#[component]
fn UserTable(
    page: super::api::UserPage,
    me: Option<CurrentUser>,
    set_role: ServerAction<SetRole>,
) -> impl IntoView {
    let locale = page_locale();
    let pages = ((page.total + page.per_page - 1) / page.per_page).max(1);
    let current = page.page;
    let total = page.total;
    let list_query = page.query.clone();
    let q = encode(&page.query);
    let link = move |n: i64| format!("/admin/users?q={q}&page={n}");
    let me_id = me.map(|u| u.id);
    let rows = page
        .users
        .into_iter()
        .map(|u| {
            let list_query = list_query.clone();
            let is_me = Some(u.id) == me_id;
            let select_id = format!("role-{}", u.id);
            let contact = u.email.clone().or(u.phone.clone()).unwrap_or_default();
            let name = u.display_name.clone();
            let current_role = u.role;
            view! {
                <tr>
                    <td>{u.display_name.clone()} {is_me.then(|| view! { " " {td!(locale, admin.you)} })}</td>
                    <td class="contact">{contact}</td>
                    <td>
                        <ActionForm action=set_role attr:class="role-form">
                            <input type="hidden" name="user_id" value=u.id.to_string() />
                            <input type="hidden" name="q" value=list_query.clone() />
                            <input type="hidden" name="page" value=current.to_string() />
                            <label for=select_id.clone() class="visually-hidden">
                                {move || td_string!(locale, admin.role_for, name = name.clone())}
                            </label>
                            <select id=select_id name="role" disabled=is_me>
                                {Role::ALL
                                    .into_iter()
                                    .map(|r| view! {
                                        <option value=r.as_str() selected=r == current_role>
                                            {move || role_name(locale, r)}
                                        </option>
                                    })
                                    .collect_view()}
                            </select>
                            <button type="submit" disabled=is_me>{td!(locale, admin.save)}</button>
                        </ActionForm>
                    </td>
                    <td>{format_date(u.created_at)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p>{td!(locale, admin.total, total = total)}</p>
        {(total == 0).then(|| view! { <p>{td!(locale, admin.no_results)}</p> })}
        <div class="table-scroll">
            <table class="users">
                <thead>
                    <tr>
                        <th scope="col">{td!(locale, admin.col_name)}</th>
                        <th scope="col">{td!(locale, admin.col_contact)}</th>
                        <th scope="col">{td!(locale, admin.col_role)}</th>
                        <th scope="col">{td!(locale, admin.col_joined)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <nav class="pager" aria-label=move || td_string!(locale, admin.pages)>
            {(current > 1).then(|| view! { <a rel="prev" href=link(current - 1)>{td!(locale, admin.prev)}</a> })}
            <span>{td!(locale, admin.page_of, page = current, pages = pages)}</span>
            {(current < pages).then(|| view! { <a rel="next" href=link(current + 1)>{td!(locale, admin.next)}</a> })}
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_format_in_utc() {
        assert_eq!(format_date(0), "1970-01-01");
        assert_eq!(format_date(1_627_948_800), "2021-08-03");
        assert_eq!(format_date(1_709_164_800), "2024-02-29");
    }
}
