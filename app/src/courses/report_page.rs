//! `/teach/:slug/report`: the trainer's report of a course. Plain links
//! and a GET form carry the filters, so it works without JavaScript; the
//! CSV link carries the same filters.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::report::{ReportView, IDLE_DAYS};
use crate::i18n::*;
use crate::shared::paths::encode;
use crate::shared::regions;
use crate::shared::ui::{load_error, Pager};
use crate::shared::{page_locale, require_signed_in_page};

#[component]
pub fn ReportPage() -> impl IntoView {
    let locale = page_locale();
    require_signed_in_page();
    let slug = use_params_map()
        .read_untracked()
        .get("slug")
        .unwrap_or_default();
    let (module, province, regency, page) = {
        let q = use_query_map().read_untracked();
        (
            q.get("module").unwrap_or_default(),
            q.get("province").unwrap_or_default(),
            q.get("regency").unwrap_or_default(),
            q.get("page")
                .and_then(|p| p.parse::<i64>().ok())
                .unwrap_or(1)
                .clamp(1, 1_000_000),
        )
    };
    let data = Resource::new(
        move || {
            (
                slug.clone(),
                module.clone(),
                province.clone(),
                regency.clone(),
            )
        },
        move |(s, m, p, r)| super::report::course_report(s, m, p, r, page),
    );
    view! {
        <Title text=td_string!(locale, report.title).to_string() />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(r) => view! { <Report r /> }.into_any(),
                    Err(err) => load_error(err),
                }
            })}
        </Suspense>
    }
}

fn percent(p: Option<i64>) -> String {
    p.map(|p| format!("{p}%")).unwrap_or_else(|| "–".into())
}

#[component]
fn Report(r: ReportView) -> impl IntoView {
    let locale = page_locale();
    let base = format!("/teach/{}/report", r.slug);
    let query = |module: &str| {
        let mut q = Vec::new();
        if !module.is_empty() {
            q.push(format!("module={}", encode(module)));
        }
        if !r.filter.province.is_empty() {
            q.push(format!("province={}", encode(&r.filter.province)));
        }
        if !r.filter.regency.is_empty() {
            q.push(format!("regency={}", encode(&r.filter.regency)));
        }
        q.join("&")
    };
    let own = query(&r.filter.module);
    let csv = format!("/teach/{}/report.csv?{own}", r.slug);
    let pager_href = if own.is_empty() {
        format!("{base}?")
    } else {
        format!("{base}?{own}&")
    };
    let s = r.summary.clone();
    let stuck = r
        .stuck
        .iter()
        .map(|row| {
            let href = format!("{base}?{}", query(&row.module_id.to_string()));
            let chosen = r.filter.module == row.module_id.to_string();
            view! {
                <tr class:chosen=chosen>
                    <td>{row.number}</td>
                    <td><a href=href>{row.title.clone()}</a></td>
                    <td class="num">{row.here}</td>
                    <td class="num">{row.idle}</td>
                </tr>
            }
        })
        .collect_view();
    let module_options = r
        .stuck
        .iter()
        .map(|row| {
            let v = row.module_id.to_string();
            let selected = v == r.filter.module;
            view! {
                <option value=v selected=selected>
                    {td!(locale, workshops.module_n, n = row.number)} ": " {row.title.clone()}
                </option>
            }
        })
        .collect_view();
    let province_options = regions::provinces()
        .iter()
        .map(|p| {
            let selected = p.code == r.filter.province;
            view! { <option value=p.code selected=selected>{regions::display_name(p.name)}</option> }
        })
        .collect_view();
    let regency_groups = regions::provinces()
        .iter()
        .map(|p| {
            let options = regions::regencies()
                .iter()
                .filter(|g| g.province == p.code)
                .map(|g| {
                    let selected = g.code == r.filter.regency;
                    view! { <option value=g.code selected=selected>{regions::display_name(g.name)}</option> }
                })
                .collect_view();
            view! { <optgroup label=regions::display_name(p.name)>{options}</optgroup> }
        })
        .collect_view();
    let learners = r
        .learners
        .iter()
        .map(|l| {
            let current = match (l.completed.clone(), l.current) {
                (Some(on), _) => td_string!(locale, report.done_on, date = on).to_string(),
                (None, Some(n)) => td_string!(locale, workshops.module_n, n = n).to_string(),
                (None, None) => "–".to_string(),
            };
            view! {
                <tr>
                    <td>{l.name.clone()}</td>
                    <td>{l.region.clone()}</td>
                    <td>{l.enrolled.clone()}</td>
                    <td class="num">{l.modules_done} " / " {r.modules_total}</td>
                    <td>{current}</td>
                    <td class="num">{percent(l.quiz_average)}</td>
                    <td>{l.active.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    let none = r.learners.is_empty();
    view! {
        <section class="card">
            <h1>{td!(locale, report.title)} ": " {r.title.clone()}</h1>
            <dl class="facts" id="report-summary">
                <dt>{td!(locale, report.enrolled)}</dt><dd>{s.enrolled}</dd>
                <dt>{td!(locale, report.not_started)}</dt><dd>{s.not_started}</dd>
                <dt>{td!(locale, report.in_progress)}</dt><dd>{s.in_progress}</dd>
                <dt>{td!(locale, report.completed)}</dt><dd>{s.completed}</dd>
                <dt>{td!(locale, report.quiz_average)}</dt>
                <dd>{percent(s.quiz_average)} " " {td!(locale, report.attempts, count = s.quiz_attempts)}</dd>
            </dl>
            <p><a href=format!("/teach/{}", r.slug)>{td!(locale, teach.back_to_course)}</a></p>
        </section>
        <section class="card">
            <h2 id="stuck-heading">{td!(locale, report.stuck_title)}</h2>
            <p class="hint">{td!(locale, report.stuck_lead, days = IDLE_DAYS)}</p>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="stuck-heading">
                <table class="users" id="stuck">
                    <thead><tr>
                        <th scope="col">{td!(locale, report.col_module)}</th>
                        <th scope="col">{td!(locale, report.col_title)}</th>
                        <th scope="col">{td!(locale, report.col_here)}</th>
                        <th scope="col">{td!(locale, report.col_idle, days = IDLE_DAYS)}</th>
                    </tr></thead>
                    <tbody>{stuck}</tbody>
                </table>
            </div>
        </section>
        <section class="card">
            <h2 id="learners-heading">{td!(locale, report.learners)}</h2>
            <form method="get" action=base.clone() class="search" id="report-filter">
                <label for="module">{td!(locale, report.filter_module)}</label>
                <select id="module" name="module">
                    <option value="">{td!(locale, report.everyone)}</option>
                    {module_options}
                </select>
                <label for="province">{td!(locale, report.province)}</label>
                <select id="province" name="province">
                    <option value="">{td!(locale, report.all_regions)}</option>
                    {province_options}
                </select>
                <label for="regency">{td!(locale, report.regency)}</label>
                <select id="regency" name="regency">
                    <option value="">{td!(locale, report.all_regions)}</option>
                    {regency_groups}
                </select>
                <p><button type="submit">{td!(locale, report.apply)}</button></p>
            </form>
            <p id="learner-count">{td!(locale, report.matching, count = r.matching)}
                " · " <a href=csv id="report-csv" download>{td!(locale, report.csv)}</a></p>
            {none.then(|| view! { <p>{td!(locale, report.no_learners)}</p> })}
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="learners-heading">
                <table class="users" id="learners">
                    <thead><tr>
                        <th scope="col">{td!(locale, report.name)}</th>
                        <th scope="col">{td!(locale, report.region)}</th>
                        <th scope="col">{td!(locale, report.enrolled_on)}</th>
                        <th scope="col">{td!(locale, report.modules_done)}</th>
                        <th scope="col">{td!(locale, report.current_module)}</th>
                        <th scope="col">{td!(locale, report.quiz_average)}</th>
                        <th scope="col">{td!(locale, report.active_on)}</th>
                    </tr></thead>
                    <tbody>{learners}</tbody>
                </table>
            </div>
            <Pager current=r.page total=r.matching per_page=super::report::PER_PAGE href=pager_href />
        </section>
    }
}
