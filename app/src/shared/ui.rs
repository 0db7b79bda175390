//! Page pieces every feature uses: the "sign in first" and "not allowed"
//! pages, the view of a failed page load, the pager, and dates shown in
//! Indonesia's western time (WIB), where the programme counts its days.

use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::*;
use crate::shared::messages::error_message;
use crate::shared::paths::login_then;
use crate::shared::{page_locale, set_page_status};

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

/// What a page shows when loading its data failed: sign in first (the 303
/// or 401 was decided already), not allowed (403), or the error's message.
pub fn load_error(err: AppError) -> AnyView {
    match err {
        AppError::Unauthenticated => view! { <SignInFirst /> }.into_any(),
        AppError::Forbidden => {
            set_page_status(403);
            view! { <NotAllowed /> }.into_any()
        }
        err => {
            set_page_status(err.status());
            let locale = page_locale();
            view! { <p class="form-error" role="alert">{error_message(locale, &err)}</p> }
                .into_any()
        }
    }
}

/// "Previous · page N of M · next" for a paged list. `href` is the list's
/// URL with its filters, ending in `?` or `&`; the page number is appended.
#[component]
pub fn Pager(current: i64, total: i64, per_page: i64, href: String) -> impl IntoView {
    let locale = page_locale();
    let pages = ((total + per_page.max(1) - 1) / per_page.max(1)).max(1);
    let link = move |n: i64| format!("{href}page={n}");
    view! {
        <nav class="pager" aria-label=move || td_string!(locale, admin.pages)>
            {(current > 1).then(|| view! { <a rel="prev" href=link(current - 1)>{td!(locale, admin.prev)}</a> })}
            <span>{td!(locale, admin.page_of, page = current, pages = pages)}</span>
            {(current < pages).then(|| view! { <a rel="next" href=link(current + 1)>{td!(locale, admin.next)}</a> })}
        </nav>
    }
}

/// Western Indonesian Time: UTC+7 all year (no daylight saving).
pub const WIB_OFFSET_SECS: i64 = 7 * 3600;

/// The calendar day in Asia/Jakarta of a UTC instant, as days since
/// 1970-01-01 (the unit every "per day" count uses).
pub fn wib_day(unix: i64) -> i64 {
    (unix + WIB_OFFSET_SECS).div_euclid(86_400)
}

/// `YYYY-MM-DD` of a days-since-epoch number.
pub fn format_day(days: i64) -> String {
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

/// `YYYY-MM-DD` in Asia/Jakarta (WIB) of unix seconds, without a date
/// library in the wasm.
pub fn format_date(unix: i64) -> String {
    format_day(wib_day(unix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_shown_in_wib() {
        assert_eq!(format_date(0), "1970-01-01");
        assert_eq!(format_date(1_627_948_800), "2021-08-03");
        assert_eq!(format_date(1_709_164_800), "2024-02-29");
        // 2024-10-17 17:00 UTC is already 2024-10-18 00:00 in Jakarta.
        assert_eq!(format_date(1_729_184_400), "2024-10-18");
        assert_eq!(format_date(1_729_184_399), "2024-10-17");
    }
}
