//! The accounts pages: register, log in, verify a code or link, forgotten
//! password, my account, the privacy notice, and the administrators' user
//! list and failed messages. They render on the server only (islands):
//! every form is an `ActionForm`, a plain POST answered with a redirect,
//! and the only code sent to the browser is the shared form-field island
//! that validates as the user types.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::{
    ChangeContact, ChangePassword, DeleteAccount, Forgot, Login, Logout, LogoutEverywhere, Purpose,
    Register, Resend, Reset, RetryMessage, SetRole, Verify,
};
use super::domain::PRIVACY_NOTICE_VERSION;
use crate::checks::Check;
use crate::error::{AppError, FieldCode};
use crate::i18n::*;
use crate::shared::forms::{server_field_error, FormError, FormField};
use crate::shared::messages::{error_message, field_message, role_name};
use crate::shared::page_locale;
use crate::shared::paths::{encode, safe_return_path};
use crate::shared::session::{CurrentUser, Role};
use crate::shared::ui::{format_date, load_error, Pager, SignInFirst};
use crate::shared::{require_signed_in_page, set_page_status};

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
                <FormField
                    result=result
                    name="display_name"
                    label=td_string!(locale, register.display_name).to_string()
                    hint=td_string!(locale, register.display_name_hint).to_string()
                    autocomplete="name"
                    check=Check::DisplayName
                />
                <FormField
                    result=result
                    name="identifier"
                    label=td_string!(locale, register.identifier).to_string()
                    hint=td_string!(locale, register.identifier_hint).to_string()
                    autocomplete="username"
                    check=Check::Identifier
                />
                <FormField
                    result=result
                    name="password"
                    input_type="password"
                    label=td_string!(locale, register.password).to_string()
                    hint=td_string!(locale, register.password_hint).to_string()
                    autocomplete="new-password"
                    check=Check::NewPassword
                />
                <AgreePrivacy error=server_field_error(result, "agree_privacy").get_untracked() />
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
                <FormField
                    result=result
                    name="identifier"
                    label=td_string!(locale, login.identifier).to_string()
                    autocomplete="username"
                    check=Check::Identifier
                />
                <FormField
                    result=result
                    name="password"
                    input_type="password"
                    label=td_string!(locale, login.password).to_string()
                    autocomplete="current-password"
                    check=Check::Present
                />
                <button type="submit" class="primary" disabled=move || action.pending().get()>
                    {td!(locale, login.submit)}
                </button>
            </ActionForm>
            <p><a href="/forgot" id="forgot-link">{td!(locale, login.forgot)}</a></p>
            <p>{td!(locale, login.no_account)} " " <a href="/register">{td!(locale, nav.register)}</a></p>
        </section>
    }
}

/// The privacy-notice checkbox of the register form: the notice's version
/// is recorded with the account.
#[component]
fn AgreePrivacy(error: Option<FieldCode>) -> impl IntoView {
    let locale = page_locale();
    let invalid = error.is_some();
    view! {
        <div class="field check" class:invalid=invalid>
            <div class="check-row">
                <input
                    type="checkbox"
                    id="agree_privacy"
                    name="agree_privacy"
                    value="yes"
                    aria-required="true"
                    aria-invalid=if invalid { "true" } else { "false" }
                    aria-describedby="agree_privacy-error"
                />
                <label for="agree_privacy">{td!(locale, register.agree)}</label>
            </div>
            <p class="hint">
                <a href="/privacy" target="_blank">{td!(locale, register.read_notice)}</a>
                " (" {PRIVACY_NOTICE_VERSION} ")"
            </p>
            <p class="error" id="agree_privacy-error" aria-live="polite">
                {error.map(|code| field_message(locale, code))}
            </p>
        </div>
    }
}

/// Which page shows a verification's forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CodePage {
    /// `/verify`: a sign-up or a new contact.
    Verify,
    /// `/reset`: a forgotten password.
    Reset,
}

/// `/verify?v=…[&t=…]`: the code (mobile) or link (email) of a sign-up or
/// a new contact.
#[component]
pub fn VerifyPage() -> impl IntoView {
    view! { <CodePageView page=CodePage::Verify /> }
}

/// `/reset?v=…[&t=…]`: a new password with the code or link sent.
#[component]
pub fn ResetPage() -> impl IntoView {
    view! { <CodePageView page=CodePage::Reset /> }
}

#[component]
fn CodePageView(page: CodePage) -> impl IntoView {
    let locale = page_locale();
    crate::shared::private_page();
    let query = use_query_map();
    let (handle, token, resent) = {
        let q = query.read_untracked();
        (
            q.get("v").unwrap_or_default(),
            q.get("t").filter(|t| !t.is_empty()),
            q.get("resent").as_deref() == Some("1"),
        )
    };
    let title = match page {
        CodePage::Verify => td_string!(locale, verify.title),
        CodePage::Reset => td_string!(locale, reset.title),
    };
    let info = Resource::new(move || handle.clone(), super::api::verification);
    view! {
        <Title text=title.to_string() />
        <section class="card narrow">
            <Suspense fallback=|| ()>
                {move || {
                    let token = token.clone();
                    Suspend::new(async move {
                        let wanted = |p: Purpose| match page {
                            CodePage::Verify => p != Purpose::Reset,
                            CodePage::Reset => p == Purpose::Reset,
                        };
                        match info.await {
                            Ok(Some(view)) if wanted(view.purpose) => {
                                view! { <CodeForms page view token resent /> }.into_any()
                            }
                            Ok(_) => {
                                set_page_status(404);
                                view! { <VerificationGone page /> }.into_any()
                            }
                            Err(err) => view! {
                                <p class="form-error" role="alert">{error_message(locale, &err)}</p>
                            }
                            .into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

#[component]
fn VerificationGone(page: CodePage) -> impl IntoView {
    let locale = page_locale();
    let (href, text) = match page {
        CodePage::Verify => ("/register", td_string!(locale, verify.start_again)),
        CodePage::Reset => ("/forgot", td_string!(locale, reset.start_again)),
    };
    view! {
        <h1>{td!(locale, verify.title)}</h1>
        <p role="alert">{td!(locale, errors.verification_gone)}</p>
        <p><a class="button primary" href=href>{text}</a></p>
    }
}

#[component]
fn CodeForms(
    page: CodePage,
    view: super::api::VerificationView,
    token: Option<String>,
    resent: bool,
) -> impl IntoView {
    let locale = page_locale();
    let verify = ServerAction::<Verify>::new();
    let verify_result = Signal::derive(move || verify.value().get());
    let reset = ServerAction::<Reset>::new();
    let reset_result = Signal::derive(move || reset.value().get());
    let resend = ServerAction::<Resend>::new();
    let resend_result = Signal::derive(move || resend.value().get());
    let to = view.to.clone();
    let heading = match (page, view.purpose) {
        (CodePage::Reset, _) => td_string!(locale, reset.title),
        (_, Purpose::Contact) => td_string!(locale, verify.contact_title),
        _ => td_string!(locale, verify.title),
    };
    let lead = match (page, &token, view.by_code) {
        (CodePage::Verify, Some(_), _) => {
            td_string!(locale, verify.confirm_lead, to = to.clone()).to_string()
        }
        (CodePage::Reset, Some(_), _) => {
            td_string!(locale, reset.link_lead, to = to.clone()).to_string()
        }
        (CodePage::Verify, None, true) => {
            td_string!(locale, verify.sent_sms, to = to.clone()).to_string()
        }
        (CodePage::Verify, None, false) => {
            td_string!(locale, verify.sent_email, to = to.clone()).to_string()
        }
        (CodePage::Reset, None, true) => {
            td_string!(locale, reset.sent_sms, to = to.clone()).to_string()
        }
        (CodePage::Reset, None, false) => {
            td_string!(locale, reset.sent_email, to = to.clone()).to_string()
        }
    };
    let handle = use_query_map()
        .read_untracked()
        .get("v")
        .unwrap_or_default();
    // A code is typed on this page; a link's token arrives in the URL.
    let takes_code = token.is_none() && view.by_code;
    let shows_form = token.is_some() || view.by_code;
    let result = match page {
        CodePage::Verify => verify_result,
        CodePage::Reset => reset_result,
    };
    // With a link there is no code field: its errors are shown here.
    let token_error = move || token_error_text(locale, result.get());
    let proof_fields = {
        let handle = handle.clone();
        let token = token.clone();
        move || {
            view! {
                <input type="hidden" name="v" value=handle.clone() />
                {token.clone().map(|t| view! { <input type="hidden" name="t" value=t /> })}
                {takes_code.then(|| view! {
                    <FormField
                        result=result
                        name="code"
                        label=td_string!(locale, verify.code).to_string()
                        hint=td_string!(locale, verify.code_hint).to_string()
                        autocomplete="one-time-code"
                        inputmode="numeric"
                        check=Check::Code
                    />
                })}
                {(!takes_code).then_some(move || {
                    token_error().map(|text| view! { <p class="form-error" role="alert">{text}</p> })
                })}
            }
        }
    };
    let form = match page {
        CodePage::Verify => view! {
            <ActionForm action=verify attr:novalidate="novalidate" attr:id="verify-form">
                <FormError result=verify_result />
                {proof_fields()}
                <button type="submit" class="primary">
                    {if token.is_some() { td_string!(locale, verify.confirm_submit) } else { td_string!(locale, verify.submit) }}
                </button>
            </ActionForm>
        }
        .into_any(),
        CodePage::Reset => view! {
            <ActionForm action=reset attr:novalidate="novalidate" attr:id="reset-form">
                <FormError result=reset_result />
                {proof_fields()}
                <FormField
                    result=reset_result
                    name="new_password"
                    input_type="password"
                    label=td_string!(locale, reset.new_password).to_string()
                    hint=td_string!(locale, register.password_hint).to_string()
                    autocomplete="new-password"
                    check=Check::NewPassword
                />
                <button type="submit" class="primary">{td!(locale, reset.submit)}</button>
            </ActionForm>
        }
        .into_any(),
    };
    view! {
        <h1>{heading}</h1>
        <p id="sent-to">{lead}</p>
        {resent.then(|| view! { <p class="notice" role="status">{td!(locale, verify.resent)}</p> })}
        {shows_form.then_some(form)}
        <ActionForm action=resend attr:id="resend-form" attr:class="resend">
            <FormError result=resend_result />
            <input type="hidden" name="v" value=handle />
            <p>{td!(locale, verify.resend_lead)}</p>
            <button type="submit">{td!(locale, verify.resend)}</button>
        </ActionForm>
    }
}

/// The `code` field's error, for a form that has no code field (a link).
fn token_error_text(
    locale: crate::i18n::Locale,
    result: Option<Result<(), AppError>>,
) -> Option<String> {
    match result {
        Some(Err(err)) => err.field_code("code").map(|c| field_message(locale, c)),
        _ => None,
    }
}

/// `/forgot`: ask for a reset code or link.
#[component]
pub fn ForgotPage() -> impl IntoView {
    let locale = page_locale();
    let action = ServerAction::<Forgot>::new();
    let result = Signal::derive(move || action.value().get());
    view! {
        <section class="card narrow">
            <h1>{td!(locale, forgot.title)}</h1>
            <Title text=td_string!(locale, forgot.title).to_string() />
            <p>{td!(locale, forgot.lead)}</p>
            <ActionForm action=action attr:novalidate="novalidate" attr:id="forgot-form">
                <FormError result />
                <FormField
                    result=result
                    name="identifier"
                    label=td_string!(locale, login.identifier).to_string()
                    autocomplete="username"
                    check=Check::Identifier
                />
                <button type="submit" class="primary">{td!(locale, forgot.submit)}</button>
            </ActionForm>
        </section>
    }
}

/// `/privacy`: the privacy notice, whose version registration records.
#[component]
pub fn PrivacyPage() -> impl IntoView {
    let locale = page_locale();
    view! {
        <Title text=td_string!(locale, privacy.title).to_string() />
        <article class="card prose">
            <h1>{td!(locale, privacy.title)}</h1>
            <p class="hint">{td!(locale, privacy.version, version = PRIVACY_NOTICE_VERSION)}</p>
            <h2>{td!(locale, privacy.who_title)}</h2>
            <p>{td!(locale, privacy.who)}</p>
            <h2>{td!(locale, privacy.what_title)}</h2>
            <p>{td!(locale, privacy.what)}</p>
            <h2>{td!(locale, privacy.why_title)}</h2>
            <p>{td!(locale, privacy.why)}</p>
            <h2>{td!(locale, privacy.rights_title)}</h2>
            <p>{td!(locale, privacy.rights)}</p>
            <h2>{td!(locale, privacy.keep_title)}</h2>
            <p>{td!(locale, privacy.keep)}</p>
        </article>
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
    let contact = ServerAction::<ChangeContact>::new();
    let contact_result = Signal::derive(move || contact.value().get());
    let delete = ServerAction::<DeleteAccount>::new();
    let delete_result = Signal::derive(move || delete.value().get());
    // After a plain form post the server redirects here with `changed=1`.
    let query = use_query_map();
    let changed = move || {
        matches!(change_result.get(), Some(Ok(())))
            || query.read().get("changed").as_deref() == Some("1")
    };
    let flag = move |name: &str| query.read_untracked().get(name).as_deref() == Some("1");
    let notice = if flag("welcome") {
        Some(td_string!(locale, account.welcome))
    } else if flag("reset") {
        Some(td_string!(locale, account.password_reset_done))
    } else if flag("contact") {
        Some(td_string!(locale, account.contact_changed))
    } else {
        None
    };
    let role = user.role;
    view! {
        {notice.map(|text| view! { <p class="notice" role="status" id="account-notice">{text}</p> })}
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
                <FormField
                    result=change_result
                    name="current_password"
                    input_type="password"
                    label=td_string!(locale, account.current_password).to_string()
                    autocomplete="current-password"
                    check=Check::Present
                />
                <FormField
                    result=change_result
                    name="new_password"
                    input_type="password"
                    label=td_string!(locale, account.new_password).to_string()
                    hint=td_string!(locale, register.password_hint).to_string()
                    autocomplete="new-password"
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
        <section class="card">
            <h2>{td!(locale, account.contact_title)}</h2>
            <p>{td!(locale, account.contact_lead)}</p>
            <ActionForm action=contact attr:novalidate="novalidate" attr:id="contact-form">
                <FormError result=contact_result />
                <FormField
                    result=contact_result
                    name="new_contact"
                    label=td_string!(locale, account.new_contact).to_string()
                    hint=td_string!(locale, register.identifier_hint).to_string()
                    autocomplete="off"
                    check=Check::Identifier
                />
                <FormField
                    result=contact_result
                    name="contact_password"
                    input_type="password"
                    label=td_string!(locale, account.contact_password).to_string()
                    autocomplete="current-password"
                    check=Check::Present
                />
                <button type="submit">{td!(locale, account.contact_submit)}</button>
            </ActionForm>
        </section>
        <section class="card">
            <h2>{td!(locale, account.data_title)}</h2>
            <p>{td!(locale, account.data_lead)}</p>
            <p><a class="button" id="data-download" href="/account/data.json" download="">{td!(locale, account.data_download)}</a></p>
        </section>
        <section class="card">
            <h2>{td!(locale, account.delete_title)}</h2>
            <p>{td!(locale, account.delete_lead)}</p>
            <ActionForm action=delete attr:novalidate="novalidate" attr:id="delete-form">
                <FormError result=delete_result />
                <FormField
                    result=delete_result
                    name="delete_password"
                    input_type="password"
                    label=td_string!(locale, account.delete_password).to_string()
                    autocomplete="current-password"
                    check=Check::Present
                />
                <button type="submit" class="danger">{td!(locale, account.delete_submit)}</button>
            </ActionForm>
        </section>
    }
}

/// `/admin/messages`: messages that failed after every attempt, with a
/// button to queue each again.
#[component]
pub fn AdminMessagesPage() -> impl IntoView {
    let locale = page_locale();
    let query = use_query_map();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<i64>().ok())
            .unwrap_or(1)
            .clamp(1, 1_000_000)
    };
    require_signed_in_page();
    let retry = ServerAction::<RetryMessage>::new();
    let retry_result = Signal::derive(move || retry.value().get());
    let list = Resource::new(
        move || (page(), retry.version().get()),
        |(page, _)| super::api::failed_messages(page),
    );
    view! {
        <section class="card wide">
            <h1>{td!(locale, admin_messages.title)}</h1>
            <Title text=td_string!(locale, admin_messages.title).to_string() />
            <p>{td!(locale, admin_messages.lead)}</p>
            <FormError result=retry_result />
            <Show when=move || query.read().get("retried").as_deref() == Some("1")>
                <p class="notice" role="status">{td!(locale, admin_messages.retried)}</p>
            </Show>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(list) => view! { <FailedTable list retry /> }.into_any(),
                        Err(err) => load_error(err),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn FailedTable(
    list: super::api::FailedMessagePage,
    retry: ServerAction<RetryMessage>,
) -> impl IntoView {
    let locale = page_locale();
    let per_page = list.per_page;
    let current = list.page;
    let total = list.total;
    let href = "/admin/messages?".to_string();
    let rows = list
        .messages
        .into_iter()
        .map(|m| {
            view! {
                <tr>
                    <td>{m.id}</td>
                    <td class="contact">{m.channel.clone()} " " {m.to.clone()}</td>
                    <td>{m.kind.clone()}</td>
                    <td>{m.attempts}</td>
                    <td class="contact">{m.last_error.clone()}</td>
                    <td>{format_date(m.created_at)}</td>
                    <td>
                        <ActionForm action=retry attr:class="role-form">
                            <input type="hidden" name="id" value=m.id.to_string() />
                            <input type="hidden" name="page" value=current.to_string() />
                            <button type="submit">{td!(locale, admin_messages.retry)}</button>
                        </ActionForm>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p>{td!(locale, admin_messages.total, total = total)}</p>
        {(total == 0).then(|| view! { <p>{td!(locale, admin_messages.none)}</p> })}
        <div class="table-scroll">
            <table class="users">
                <thead>
                    <tr>
                        <th scope="col">"#"</th>
                        <th scope="col">{td!(locale, admin_messages.col_to)}</th>
                        <th scope="col">{td!(locale, admin_messages.col_kind)}</th>
                        <th scope="col">{td!(locale, admin_messages.col_attempts)}</th>
                        <th scope="col">{td!(locale, admin_messages.col_error)}</th>
                        <th scope="col">{td!(locale, admin_messages.col_created)}</th>
                        <th scope="col"><span class="visually-hidden">{td!(locale, admin_messages.retry)}</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <Pager current total per_page href />
    }
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
                        // A 303 (or 401) for visitors was decided above.
                        Err(err) => load_error(err),
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
    let per_page = page.per_page;
    let current = page.page;
    let total = page.total;
    let list_query = page.query.clone();
    let q = encode(&page.query);
    let href = format!("/admin/users?q={q}&");
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
        <Pager current total per_page href />
    }
}
