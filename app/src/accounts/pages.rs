//! The accounts pages: register, log in, my account, and the admin's user
//! list. Every form is an `ActionForm`: a plain POST without JavaScript,
//! an in-page call once hydrated.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::{ChangePassword, Login, Logout, LogoutEverywhere, Register, SetRole};
use super::domain::{check_password_shape, parse_display_name, Identifier};
use crate::error::{AppError, FieldCode};
use crate::i18n::*;
use crate::shared::forms::{server_field_error, server_value, Field, FormError};
use crate::shared::messages::{error_message, role_name};
use crate::shared::paths::{encode, login_then, safe_return_path};
use crate::shared::session::{CurrentUser, Role};
use crate::shared::{require_signed_in_page, set_page_status};

fn validate_name(s: &str) -> Result<(), FieldCode> {
    parse_display_name(s).map(|_| ())
}

fn validate_identifier(s: &str) -> Result<(), FieldCode> {
    Identifier::parse(s).map(|_| ())
}

fn validate_password_present(s: &str) -> Result<(), FieldCode> {
    if s.is_empty() {
        Err(FieldCode::Required)
    } else {
        Ok(())
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<Register>::new();
    let result = Signal::derive(move || action.value().get());
    view! {
        <section class="card narrow">
            <h1>{t!(i18n, register.title)}</h1>
            <Title text=td_string!(i18n.get_locale_untracked(), register.title).to_string() />
            <p>{t!(i18n, register.lead)}</p>
            <ActionForm action=action attr:novalidate="novalidate" attr:id="register-form">
                <FormError result />
                <Field
                    name="display_name"
                    label=move || t_string!(i18n, register.display_name)
                    hint=move || t_string!(i18n, register.display_name_hint)
                    autocomplete="name"
                    initial=server_value(result, "display_name")
                    server_error=server_field_error(result, "display_name")
                    validate=validate_name
                />
                <Field
                    name="identifier"
                    label=move || t_string!(i18n, register.identifier)
                    hint=move || t_string!(i18n, register.identifier_hint)
                    autocomplete="username"
                    initial=server_value(result, "identifier")
                    server_error=server_field_error(result, "identifier")
                    validate=validate_identifier
                />
                <Field
                    name="password"
                    input_type="password"
                    label=move || t_string!(i18n, register.password)
                    hint=move || t_string!(i18n, register.password_hint)
                    autocomplete="new-password"
                    server_error=server_field_error(result, "password")
                    validate=check_password_shape
                />
                <button type="submit" class="primary" disabled=move || action.pending().get()>
                    {t!(i18n, register.submit)}
                </button>
            </ActionForm>
            <p>{t!(i18n, register.have_account)} " " <a href="/login">{t!(i18n, nav.login)}</a></p>
        </section>
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<Login>::new();
    let result = Signal::derive(move || action.value().get());
    // Where to go after signing in: only a path on this site.
    let next = use_query_map()
        .read_untracked()
        .get("next")
        .filter(|n| safe_return_path(n).is_some());
    view! {
        <section class="card narrow">
            <h1>{t!(i18n, login.title)}</h1>
            <Title text=td_string!(i18n.get_locale_untracked(), login.title).to_string() />
            <ActionForm action=action attr:novalidate="novalidate" attr:id="login-form">
                <FormError result />
                {next.map(|n| view! { <input type="hidden" name="next" value=n /> })}
                <Field
                    name="identifier"
                    label=move || t_string!(i18n, login.identifier)
                    autocomplete="username"
                    initial=server_value(result, "identifier")
                    server_error=server_field_error(result, "identifier")
                    validate=validate_identifier
                />
                <Field
                    name="password"
                    input_type="password"
                    label=move || t_string!(i18n, login.password)
                    autocomplete="current-password"
                    server_error=server_field_error(result, "password")
                    validate=validate_password_present
                />
                <button type="submit" class="primary" disabled=move || action.pending().get()>
                    {t!(i18n, login.submit)}
                </button>
            </ActionForm>
            <p>{t!(i18n, login.no_account)} " " <a href="/register">{t!(i18n, nav.register)}</a></p>
        </section>
    }
}

/// Shown instead of a page that needs a signed-in user (the server has
/// already answered 303 to the login page; this is for the browser).
#[component]
pub fn SignInFirst() -> impl IntoView {
    let i18n = use_i18n();
    let location = leptos_router::hooks::use_location();
    let here = format!(
        "{}{}",
        location.pathname.get_untracked(),
        location.search.get_untracked()
    );
    view! {
        <section class="card narrow">
            <p role="alert">{t!(i18n, errors.unauthenticated)}</p>
            <p><a class="button primary" href=login_then(&here)>{t!(i18n, nav.login)}</a></p>
        </section>
    }
}

/// Shown instead of a page the caller's role may not open.
#[component]
pub fn NotAllowed() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card narrow">
            <p role="alert">{t!(i18n, errors.forbidden)}</p>
        </section>
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let page = match require_signed_in_page() {
        Some(user) => view! { <AccountDetails user /> }.into_any(),
        None => view! { <SignInFirst /> }.into_any(),
    };
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), account.title).to_string() />
        {page}
    }
}

#[component]
fn AccountDetails(user: CurrentUser) -> impl IntoView {
    let i18n = use_i18n();
    let change = ServerAction::<ChangePassword>::new();
    let change_result = Signal::derive(move || change.value().get());
    let logout = ServerAction::<Logout>::new();
    let everywhere = ServerAction::<LogoutEverywhere>::new();
    let changed = move || matches!(change_result.get(), Some(Ok(())));
    let role = user.role;
    view! {
        <section class="card">
            <h1>{t!(i18n, account.title)}</h1>
            <dl class="facts">
                <dt>{t!(i18n, account.name)}</dt>
                <dd>{user.display_name.clone()}</dd>
                <dt>{t!(i18n, account.role)}</dt>
                <dd>{move || role_name(i18n.get_locale(), role)}</dd>
                {user.email.clone().map(|e| view! { <dt>{t!(i18n, account.email)}</dt><dd>{e}</dd> })}
                {user.phone.clone().map(|p| view! { <dt>{t!(i18n, account.phone)}</dt><dd>{p}</dd> })}
            </dl>
            <ActionForm action=logout attr:id="logout-form">
                <button type="submit">{t!(i18n, account.logout)}</button>
            </ActionForm>
        </section>
        <section class="card">
            <h2>{t!(i18n, account.change_password)}</h2>
            <p>{t!(i18n, account.change_password_lead)}</p>
            <Show when=changed>
                <p class="notice" role="status">{t!(i18n, account.password_changed)}</p>
            </Show>
            <ActionForm action=change attr:novalidate="novalidate" attr:id="password-form">
                <FormError result=change_result />
                <Field
                    name="current_password"
                    input_type="password"
                    label=move || t_string!(i18n, account.current_password)
                    autocomplete="current-password"
                    server_error=server_field_error(change_result, "current_password")
                    validate=validate_password_present
                />
                <Field
                    name="new_password"
                    input_type="password"
                    label=move || t_string!(i18n, account.new_password)
                    hint=move || t_string!(i18n, register.password_hint)
                    autocomplete="new-password"
                    server_error=server_field_error(change_result, "new_password")
                    validate=check_password_shape
                />
                <button type="submit" class="primary">{t!(i18n, account.change_submit)}</button>
            </ActionForm>
        </section>
        <section class="card">
            <h2>{t!(i18n, account.sessions)}</h2>
            <p>{t!(i18n, account.sessions_lead)}</p>
            <ActionForm action=everywhere attr:id="logout-everywhere-form">
                <button type="submit" class="danger">{t!(i18n, account.logout_everywhere)}</button>
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
    let i18n = use_i18n();
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
            <h1>{t!(i18n, admin.title)}</h1>
            <Title text=td_string!(i18n.get_locale_untracked(), admin.title).to_string() />
            <form method="get" action="/admin/users" class="search" role="search">
                <label for="q">{t!(i18n, admin.search)}</label>
                <div class="search-row">
                    <input id="q" name="q" type="search" value=q />
                    <button type="submit">{t!(i18n, admin.search_submit)}</button>
                </div>
            </form>
            <FormError result=set_result />
            <Show when=move || matches!(set_result.get(), Some(Ok(())))>
                <p class="notice" role="status">{t!(i18n, admin.role_saved)}</p>
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
                            <p class="form-error" role="alert">{error_message(i18n.get_locale_untracked(), &err)}</p>
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
    let i18n = use_i18n();
    let pages = ((page.total + page.per_page - 1) / page.per_page).max(1);
    let current = page.page;
    let total = page.total;
    let q = encode(&page.query);
    let link = move |n: i64| format!("/admin/users?q={q}&page={n}");
    let me_id = me.map(|u| u.id);
    let rows = page
        .users
        .into_iter()
        .map(|u| {
            let is_me = Some(u.id) == me_id;
            let select_id = format!("role-{}", u.id);
            let contact = u.email.clone().or(u.phone.clone()).unwrap_or_default();
            let name = u.display_name.clone();
            let current_role = u.role;
            view! {
                <tr>
                    <td>{u.display_name.clone()} {is_me.then(|| view! { " " {t!(i18n, admin.you)} })}</td>
                    <td class="contact">{contact}</td>
                    <td>
                        <ActionForm action=set_role attr:class="role-form">
                            <input type="hidden" name="user_id" value=u.id.to_string() />
                            <label for=select_id.clone() class="visually-hidden">
                                {move || t_string!(i18n, admin.role_for, name = name.clone())}
                            </label>
                            <select id=select_id name="role" disabled=is_me>
                                {Role::ALL
                                    .into_iter()
                                    .map(|r| view! {
                                        <option value=r.as_str() selected=r == current_role>
                                            {move || role_name(i18n.get_locale(), r)}
                                        </option>
                                    })
                                    .collect_view()}
                            </select>
                            <button type="submit" disabled=is_me>{t!(i18n, admin.save)}</button>
                        </ActionForm>
                    </td>
                    <td>{format_date(u.created_at)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p>{t!(i18n, admin.total, total = total)}</p>
        {(total == 0).then(|| view! { <p>{t!(i18n, admin.no_results)}</p> })}
        <div class="table-scroll">
            <table class="users">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, admin.col_name)}</th>
                        <th scope="col">{t!(i18n, admin.col_contact)}</th>
                        <th scope="col">{t!(i18n, admin.col_role)}</th>
                        <th scope="col">{t!(i18n, admin.col_joined)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <nav class="pager" aria-label=move || t_string!(i18n, admin.pages)>
            {(current > 1).then(|| view! { <a rel="prev" href=link(current - 1)>{t!(i18n, admin.prev)}</a> })}
            <span>{t!(i18n, admin.page_of, page = current, pages = pages)}</span>
            {(current < pages).then(|| view! { <a rel="next" href=link(current + 1)>{t!(i18n, admin.next)}</a> })}
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
