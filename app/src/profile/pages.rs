//! The seller's business profile with the onboarding checklist, and the
//! staff's NIB verification queue. Server-rendered; forms are plain posts
//! (the shared field island validates as the seller types).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{
    Actor, DecideNib, HistoryEntry, Journey, NibStatus, OwnBusiness, Profile, SaveProfile,
};
use super::domain::{country_name, Cluster, Milestone, SizeBasis, SizeClass, Stage, COUNTRIES};
use crate::checks::Check;
use crate::i18n::*;
use crate::shared::forms::{FormError, FormField, SelectField, TextAreaField};
use crate::shared::paths::encode;
use crate::shared::regions;
use crate::shared::ui::{format_date, load_error, Pager};
use crate::shared::{page_locale, require_signed_in_page};

pub fn cluster_name(locale: Locale, c: Cluster) -> String {
    match c {
        Cluster::TextilesFashion => td_string!(locale, profile.cluster_textiles),
        Cluster::FoodBeverages => td_string!(locale, profile.cluster_food),
        Cluster::Handicrafts => td_string!(locale, profile.cluster_crafts),
        Cluster::Other => td_string!(locale, profile.cluster_other),
    }
    .to_string()
}

fn size_name(locale: Locale, c: SizeClass) -> String {
    match c {
        SizeClass::Micro => td_string!(locale, profile.size_micro),
        SizeClass::Small => td_string!(locale, profile.size_small),
        SizeClass::Medium => td_string!(locale, profile.size_medium),
        SizeClass::Large => td_string!(locale, profile.size_large),
    }
    .to_string()
}

fn stage_name(locale: Locale, s: Stage) -> String {
    match s {
        Stage::Registered => td_string!(locale, journey.stage_registered),
        Stage::Profiled => td_string!(locale, journey.stage_profiled),
        Stage::Verified => td_string!(locale, journey.stage_verified),
        Stage::Trained => td_string!(locale, journey.stage_trained),
        Stage::Listed => td_string!(locale, journey.stage_listed),
        Stage::Online => td_string!(locale, journey.stage_online),
    }
    .to_string()
}

fn nib_status_text(locale: Locale, s: NibStatus) -> String {
    match s {
        NibStatus::None => td_string!(locale, profile.nib_none),
        NibStatus::Pending => td_string!(locale, profile.nib_pending),
        NibStatus::Verified => td_string!(locale, profile.nib_verified),
        NibStatus::Rejected => td_string!(locale, profile.nib_rejected),
    }
    .to_string()
}

/// The onboarding checklist: a progress bar, each step with its state and
/// date, and the next thing to do.
#[component]
pub fn Checklist(journey: Journey) -> impl IntoView {
    let locale = page_locale();
    let done = journey
        .milestones
        .iter()
        .filter(|(_, at)| at.is_some())
        .count();
    let total = journey.milestones.len();
    let next = journey
        .milestones
        .iter()
        .find(|(_, at)| at.is_none())
        .map(|(m, _)| *m);
    let nib_status = journey.nib_status;
    let steps = journey
        .milestones
        .iter()
        .map(|(m, at)| {
            let (title, href, todo) = match m {
                Milestone::ProfileComplete => (
                    td_string!(locale, journey.step_profile),
                    Some("/profile#profile-form"),
                    td_string!(locale, journey.todo_profile),
                ),
                Milestone::NibVerified => (
                    td_string!(locale, journey.step_nib),
                    Some("/profile#nib-section"),
                    if nib_status == NibStatus::Pending {
                        td_string!(locale, journey.todo_nib_pending)
                    } else {
                        td_string!(locale, journey.todo_nib)
                    },
                ),
                Milestone::CourseCompleted => (
                    td_string!(locale, journey.step_course),
                    Some("/courses"),
                    td_string!(locale, journey.todo_course),
                ),
                Milestone::FirstListingAllowed => (
                    td_string!(locale, journey.step_listing),
                    None,
                    td_string!(locale, journey.todo_listing),
                ),
                Milestone::ShopOnline => (
                    td_string!(locale, journey.step_online),
                    Some("/profile#channels"),
                    td_string!(locale, journey.todo_online),
                ),
            };
            let state = match at {
                Some(at) => view! {
                    <span class="step-state done">{td!(locale, journey.done_on, date = format_date(*at))}</span>
                }
                .into_any(),
                None => match href {
                    Some(h) => view! { <a class="step-state" href=h>{todo}</a> }.into_any(),
                    None => view! { <span class="step-state">{todo}</span> }.into_any(),
                },
            };
            let id = format!("step-{}", m.as_str());
            view! {
                <li id=id class:done=at.is_some()>
                    <span class="step-title">{title}</span>
                    {state}
                </li>
            }
        })
        .collect_view();
    let next_text = next.map(|m| match m {
        Milestone::ProfileComplete => td_string!(locale, journey.next_profile),
        Milestone::NibVerified => td_string!(locale, journey.next_nib),
        Milestone::CourseCompleted => td_string!(locale, journey.next_course),
        Milestone::FirstListingAllowed => td_string!(locale, journey.next_listing),
        Milestone::ShopOnline => td_string!(locale, journey.next_online),
    });
    view! {
        <section class="card journey" aria-labelledby="journey-title">
            <h2 id="journey-title">{td!(locale, journey.title)}</h2>
            <p>
                {td!(locale, journey.stage, stage = stage_name(locale, journey.stage))}
            </p>
            <label for="journey-progress">{td!(locale, journey.progress, done = done, total = total)}</label>
            <progress id="journey-progress" max=total.to_string() value=done.to_string()>
                {format!("{done}/{total}")}
            </progress>
            <ol class="steps">{steps}</ol>
            {next_text.map(|t| view! { <p class="next-step"><strong>{td!(locale, journey.next)}</strong> " " {t}</p> })}
        </section>
    }
}

/// `/profile`: the seller's checklist and business profile form.
#[component]
pub fn ProfilePage() -> impl IntoView {
    let locale = page_locale();
    require_signed_in_page();
    let save = ServerAction::<SaveProfile>::new();
    let data = Resource::new(|| (), |_| super::api::my_business());
    let saved = use_query_map().read_untracked().get("saved").as_deref() == Some("1");
    view! {
        <Title text=td_string!(locale, profile.title).to_string() />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(OwnBusiness { profile, journey, history, this_year }) => view! {
                        {saved.then(|| view! { <p class="notice" role="status" id="profile-saved">{td!(locale, profile.saved)}</p> })}
                        <Checklist journey />
                        <ProfileForm profile save this_year />
                        <History entries=history />
                    }
                    .into_any(),
                    Err(err) => load_error(err),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProfileForm(
    profile: Option<Profile>,
    save: ServerAction<SaveProfile>,
    this_year: i64,
) -> impl IntoView {
    let locale = page_locale();
    let result = Signal::derive(move || save.value().get());
    let p = profile.clone();
    let get = move |f: fn(&Profile) -> String| p.as_ref().map(f).unwrap_or_default();
    let num = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
    let channel = |i: usize, f: fn(&super::api::OnlineChannel) -> String| {
        profile
            .as_ref()
            .and_then(|p| p.channels.get(i))
            .map(f)
            .unwrap_or_default()
    };
    let (c1_kind, c1_name, c1_url) = (
        channel(0, |c| c.kind.clone()),
        channel(0, |c| c.name.clone()),
        channel(0, |c| c.url.clone()),
    );
    let (c2_kind, c2_name, c2_url) = (
        channel(1, |c| c.kind.clone()),
        channel(1, |c| c.name.clone()),
        channel(1, |c| c.url.clone()),
    );
    let nib_box = profile.as_ref().map(|p| {
        let status = nib_status_text(locale, p.nib_status);
        let reason = p.nib_reason.clone();
        let claimed = p.claimed_nib.clone();
        view! {
            <p class="nib-status" id="nib-status" role="status">
                <strong>{td!(locale, profile.nib_state)}</strong> " " {status}
                {claimed.map(|n| view! { " " {td!(locale, profile.claim_pending, nib = n)} })}
            </p>
            {reason.map(|r| view! { <p class="nib-reason" id="nib-reason">{td!(locale, profile.reason)} " " {r}</p> })}
        }
    });
    let clusters: Vec<(String, String)> = Cluster::ALL
        .into_iter()
        .map(|c| (c.as_str().to_string(), cluster_name(locale, c)))
        .collect();
    let provinces = regions::province_options();
    let regency_groups = regions::regency_groups();
    let english = locale == Locale::en;
    let countries: Vec<(String, String)> = COUNTRIES
        .iter()
        .map(|(c, _, _)| (c.to_string(), country_name(c, english).to_string()))
        .collect();
    let bases = vec![
        (
            SizeBasis::Capital.as_str().to_string(),
            td_string!(locale, profile.basis_capital).to_string(),
        ),
        (
            SizeBasis::Sales.as_str().to_string(),
            td_string!(locale, profile.basis_sales).to_string(),
        ),
    ];
    let kinds = move || {
        vec![
            (
                "marketplace".to_string(),
                td_string!(locale, profile.kind_marketplace).to_string(),
            ),
            (
                "social".to_string(),
                td_string!(locale, profile.kind_social).to_string(),
            ),
            (
                "website".to_string(),
                td_string!(locale, profile.kind_website).to_string(),
            ),
        ]
    };
    let size = profile
        .as_ref()
        .and_then(|p| p.size_class)
        .map(|c| size_name(locale, c));
    let kbli_value = profile
        .as_ref()
        .map(|p| p.kbli.join(", "))
        .unwrap_or_default();
    let kbli_options = super::kbli::list()
        .iter()
        .map(|k| view! { <option value=k.label(english)></option> })
        .collect_view();
    view! {
        <section class="card" id="profile-form">
            <h1>{td!(locale, profile.title)}</h1>
            <p>{td!(locale, profile.lead)}</p>
            <ActionForm action=save attr:novalidate="novalidate" attr:id="business-form">
                <FormError result />
                <fieldset>
                    <legend>{td!(locale, profile.section_business)}</legend>
                    <FormField result name="name" label=td_string!(locale, profile.name).to_string()
                        autocomplete="organization" value=get(|p| p.name.clone()) check=Check::Text { max: 120, required: true } />
                    <FormField result name="owner_name" label=td_string!(locale, profile.owner_name).to_string()
                        autocomplete="name" value=get(|p| p.owner_name.clone()) check=Check::Text { max: 80, required: false } />
                    <FormField result name="whatsapp" label=td_string!(locale, profile.whatsapp).to_string()
                        hint=td_string!(locale, profile.whatsapp_hint).to_string()
                        input_type="tel" autocomplete="tel" value=get(|p| p.whatsapp.clone()) check=Check::Mobile />
                    <SelectField result name="cluster" label=td_string!(locale, profile.cluster).to_string()
                        value=get(|p| p.cluster.map(|c| c.as_str().to_string()).unwrap_or_default())
                        empty=td_string!(locale, profile.choose).to_string() options=clusters />
                    <FormField result name="kbli" label=td_string!(locale, profile.kbli).to_string()
                        hint=td_string!(locale, profile.kbli_hint).to_string()
                        list="kbli-options" value=kbli_value check=Check::Kbli />
                    <datalist id="kbli-options">{kbli_options}</datalist>
                    <p class="hint"><a href="/kbli" target="_blank" rel="noopener">{td!(locale, profile.kbli_search_link)}</a></p>
                    <FormField result name="year_founded" label=td_string!(locale, profile.year_founded).to_string()
                        inputmode="numeric" value=num(profile.as_ref().and_then(|p| p.year_founded)) check=Check::Year { max: this_year } />
                    <FormField result name="employees" label=td_string!(locale, profile.employees).to_string()
                        inputmode="numeric" value=num(profile.as_ref().and_then(|p| p.employees)) check=Check::Count />
                </fieldset>
                <fieldset id="nib-section">
                    <legend>{td!(locale, profile.section_nib)}</legend>
                    {nib_box}
                    <FormField result name="nib" label=td_string!(locale, profile.nib).to_string()
                        hint=td_string!(locale, profile.nib_hint).to_string()
                        inputmode="numeric" value=get(|p| if p.nib.is_empty() { p.claimed_nib.clone().unwrap_or_default() } else { p.nib.clone() })
                        check=Check::Nib />
                </fieldset>
                <fieldset>
                    <legend>{td!(locale, profile.section_place)}</legend>
                    <SelectField result name="country" label=td_string!(locale, profile.country).to_string()
                        hint=td_string!(locale, profile.country_hint).to_string()
                        value=get(|p| p.country.clone()) options=countries />
                    <SelectField result name="province" label=td_string!(locale, profile.province).to_string()
                        value=get(|p| p.province.clone())
                        empty=td_string!(locale, profile.choose).to_string() options=provinces />
                    <SelectField result name="regency" label=td_string!(locale, profile.regency).to_string()
                        hint=td_string!(locale, profile.regency_hint).to_string()
                        value=get(|p| p.regency.clone())
                        empty=td_string!(locale, profile.choose).to_string() groups=regency_groups />
                    <FormField result name="address" label=td_string!(locale, profile.address).to_string()
                        autocomplete="street-address" value=get(|p| p.address.clone()) check=Check::Text { max: 300, required: false } />
                </fieldset>
                <fieldset>
                    <legend>{td!(locale, profile.section_size)}</legend>
                    {size.map(|s| view! { <p id="size-class"><strong>{td!(locale, profile.size_class)}</strong> " " {s}</p> })}
                    <SelectField result name="size_basis" label=td_string!(locale, profile.size_basis).to_string()
                        hint=td_string!(locale, profile.size_basis_hint).to_string()
                        value=get(|p| p.size_basis.map(|b| b.as_str().to_string()).unwrap_or_default())
                        empty=td_string!(locale, profile.choose).to_string() options=bases />
                    <FormField result name="capital" label=td_string!(locale, profile.capital).to_string()
                        hint=td_string!(locale, profile.money_hint).to_string()
                        inputmode="numeric" value=num(profile.as_ref().and_then(|p| p.capital_idr)) check=Check::Rupiah />
                    <FormField result name="annual_sales" label=td_string!(locale, profile.annual_sales).to_string()
                        hint=td_string!(locale, profile.money_hint).to_string()
                        inputmode="numeric" value=num(profile.as_ref().and_then(|p| p.annual_sales_idr)) check=Check::Rupiah />
                </fieldset>
                <fieldset id="channels">
                    <legend>{td!(locale, profile.section_channels)}</legend>
                    <p class="hint">{td!(locale, profile.channels_hint)}</p>
                    <SelectField result name="channel_kind" label=td_string!(locale, profile.channel_kind).to_string()
                        value=c1_kind empty=td_string!(locale, profile.choose).to_string() options=kinds() />
                    <FormField result name="channel_name" label=td_string!(locale, profile.channel_name).to_string()
                        value=c1_name check=Check::Text { max: 80, required: false } />
                    <FormField result name="channel_url" label=td_string!(locale, profile.channel_url).to_string()
                        input_type="url" value=c1_url check=Check::Url />
                    <SelectField result name="channel2_kind" label=td_string!(locale, profile.channel2_kind).to_string()
                        value=c2_kind empty=td_string!(locale, profile.choose).to_string() options=kinds() />
                    <FormField result name="channel2_name" label=td_string!(locale, profile.channel2_name).to_string()
                        value=c2_name check=Check::Text { max: 80, required: false } />
                    <FormField result name="channel2_url" label=td_string!(locale, profile.channel2_url).to_string()
                        input_type="url" value=c2_url check=Check::Url />
                </fieldset>
                <fieldset>
                    <legend>{td!(locale, profile.section_certs)}</legend>
                    <FormField result name="halal_cert" label=td_string!(locale, profile.halal_cert).to_string()
                        value=get(|p| p.halal_cert.clone()) check=Check::Text { max: 60, required: false } />
                    <FormField result name="sni_cert" label=td_string!(locale, profile.sni_cert).to_string()
                        value=get(|p| p.sni_cert.clone()) check=Check::Text { max: 60, required: false } />
                </fieldset>
                <button type="submit" class="primary">{td!(locale, profile.submit)}</button>
            </ActionForm>
        </section>
    }
}

/// `/staff/verifications`: pending NIBs and claims, oldest first.
#[component]
pub fn StaffQueuePage() -> impl IntoView {
    let locale = page_locale();
    require_signed_in_page();
    let query = use_query_map();
    let (province, page, decided) = {
        let q = query.read_untracked();
        (
            q.get("province").unwrap_or_default(),
            q.get("page")
                .and_then(|p| p.parse::<i64>().ok())
                .unwrap_or(1)
                .clamp(1, 1_000_000),
            q.get("decided").as_deref() == Some("1"),
        )
    };
    let queue = Resource::new(
        move || (province.clone(), page),
        |(province, page)| super::api::nib_queue(province, page),
    );
    view! {
        <Title text=td_string!(locale, staff.title).to_string() />
        <section class="card wide">
            <h1>{td!(locale, staff.title)}</h1>
            <p>{td!(locale, staff.lead)}</p>
            {decided.then(|| view! { <p class="notice" role="status">{td!(locale, staff.decided)}</p> })}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match queue.await {
                        Ok(q) => view! { <QueueTable q /> }.into_any(),
                        Err(err) => load_error(err),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn QueueTable(q: super::api::QueuePage) -> impl IntoView {
    let locale = page_locale();
    let href = format!("/staff/verifications?province={}&", encode(&q.province));
    let province_options = regions::provinces()
        .iter()
        .map(|p| {
            let selected = p.code == q.province;
            view! { <option value=p.code selected=selected>{regions::display_name(p.name)}</option> }
        })
        .collect_view();
    let rows = q
        .items
        .iter()
        .map(|i| {
            let link = format!("/staff/verifications/{}", i.business_id);
            let province = regions::province(&i.province)
                .map(|p| regions::display_name(p.name))
                .unwrap_or_default();
            let kind = if i.claim {
                td_string!(locale, staff.kind_claim)
            } else {
                td_string!(locale, staff.kind_nib)
            };
            view! {
                <tr>
                    <td><a href=link>{i.name.clone()}</a></td>
                    <td>{i.nib.clone()}</td>
                    <td>{kind}</td>
                    <td>{province}</td>
                    <td>{format_date(i.submitted_at)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <form method="get" action="/staff/verifications" class="search">
            <label for="province">{td!(locale, staff.filter_province)}</label>
            <div class="search-row">
                <select id="province" name="province">
                    <option value="">{td!(locale, staff.all_provinces)}</option>
                    {province_options}
                </select>
                <button type="submit">{td!(locale, staff.filter)}</button>
            </div>
        </form>
        <p>{td!(locale, staff.total, total = q.total)}</p>
        <div class="table-scroll">
            <table class="users" id="nib-queue">
                <thead>
                    <tr>
                        <th scope="col">{td!(locale, staff.col_business)}</th>
                        <th scope="col">"NIB"</th>
                        <th scope="col">{td!(locale, staff.col_kind)}</th>
                        <th scope="col">{td!(locale, staff.col_province)}</th>
                        <th scope="col">{td!(locale, staff.col_submitted)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <Pager current=q.page total=q.total per_page=q.per_page href />
    }
}

/// `/staff/verifications/:id`: one profile to verify or reject.
#[component]
pub fn StaffItemPage() -> impl IntoView {
    let locale = page_locale();
    require_signed_in_page();
    let id = use_params_map()
        .read_untracked()
        .get("id")
        .and_then(|i| i.parse::<i64>().ok())
        .unwrap_or(0);
    let item = Resource::new(move || id, super::api::nib_item);
    let decide = ServerAction::<DecideNib>::new();
    view! {
        <Title text=td_string!(locale, staff.item_title).to_string() />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match item.await {
                    Ok(item) => view! { <ReviewCard item decide /> }.into_any(),
                    Err(err) => load_error(err),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ReviewCard(item: super::api::ReviewItem, decide: ServerAction<DecideNib>) -> impl IntoView {
    let locale = page_locale();
    let result = Signal::derive(move || decide.value().get());
    let p = item.profile;
    let region = |code: &str| {
        regions::regency(code)
            .map(|r| regions::display_name(r.name))
            .or_else(|| regions::province(code).map(|p| regions::display_name(p.name)))
            .unwrap_or_default()
    };
    let pending = p.nib_status == NibStatus::Pending;
    let claimed = item.claimed.clone();
    let version = item.submitted_at.unwrap_or(0).to_string();
    let history = item.history;
    view! {
        <section class="card">
            <h1>{p.name.clone()}</h1>
            <dl class="facts">
                <dt>"NIB"</dt><dd id="review-nib">{if p.nib.is_empty() { p.claimed_nib.clone().unwrap_or_default() } else { p.nib.clone() }}</dd>
                <dt>{td!(locale, profile.nib_state)}</dt><dd>{nib_status_text(locale, p.nib_status)}</dd>
                <dt>{td!(locale, profile.owner_name)}</dt><dd>{p.owner_name.clone()}</dd>
                <dt>{td!(locale, profile.whatsapp)}</dt><dd>{p.whatsapp.clone()}</dd>
                <dt>{td!(locale, profile.cluster)}</dt><dd>{p.cluster.map(|c| cluster_name(locale, c))}</dd>
                <dt>{td!(locale, profile.kbli)}</dt><dd>{p.kbli.join(", ")}</dd>
                <dt>{td!(locale, profile.regency)}</dt><dd>{region(&p.regency)} ", " {region(&p.province)}</dd>
                <dt>{td!(locale, profile.address)}</dt><dd>{p.address.clone()}</dd>
                <dt>{td!(locale, profile.size_class)}</dt><dd>{p.size_class.map(|c| size_name(locale, c))}</dd>
            </dl>
            {claimed.map(|c| view! {
                <h2>{td!(locale, staff.claimed_title)}</h2>
                <p id="claimed-business">{td!(locale, staff.claimed_lead, name = c.name.clone(), nib = c.nib.clone())}</p>
            })}
        </section>
        {pending.then(|| view! {
            <section class="card">
                <h2>{td!(locale, staff.decide_title)}</h2>
                <ActionForm action=decide attr:id="decide-form" attr:novalidate="novalidate">
                    <FormError result />
                    <input type="hidden" name="id" value=p.id.to_string() />
                    <input type="hidden" name="submitted_at" value=version />
                    <TextAreaField result name="reason" label=td_string!(locale, staff.reason).to_string()
                        hint=td_string!(locale, staff.reason_hint).to_string() max=500 />
                    <div class="actions">
                        <button type="submit" name="decision" value="verify" class="primary">{td!(locale, staff.verify)}</button>
                        <button type="submit" name="decision" value="reject" class="danger">{td!(locale, staff.reject)}</button>
                    </div>
                </ActionForm>
            </section>
        })}
        <History entries=history />
        <p><a href="/staff/verifications">{td!(locale, staff.back)}</a></p>
    }
}

/// The label of a profile field named in the history.
fn field_label(locale: Locale, name: &str) -> String {
    match name {
        "name" => td_string!(locale, profile.name),
        "owner_name" => td_string!(locale, profile.owner_name),
        "whatsapp" => td_string!(locale, profile.whatsapp),
        "kbli" => td_string!(locale, profile.kbli),
        "cluster" => td_string!(locale, profile.cluster),
        "province" => td_string!(locale, profile.province),
        "regency" => td_string!(locale, profile.regency),
        "address" => td_string!(locale, profile.address),
        "country" => td_string!(locale, profile.country),
        "year_founded" => td_string!(locale, profile.year_founded),
        "employees" => td_string!(locale, profile.employees),
        "size_basis" => td_string!(locale, profile.size_basis),
        "capital" => td_string!(locale, profile.capital),
        "annual_sales" => td_string!(locale, profile.annual_sales),
        "channels" => td_string!(locale, profile.section_channels),
        "halal_cert" => td_string!(locale, profile.halal_cert),
        "sni_cert" => td_string!(locale, profile.sni_cert),
        other => return other.to_string(),
    }
    .to_string()
}

fn step_title(locale: Locale, m: Milestone) -> String {
    match m {
        Milestone::ProfileComplete => td_string!(locale, journey.step_profile),
        Milestone::NibVerified => td_string!(locale, journey.step_nib),
        Milestone::CourseCompleted => td_string!(locale, journey.step_course),
        Milestone::FirstListingAllowed => td_string!(locale, journey.step_listing),
        Milestone::ShopOnline => td_string!(locale, journey.step_online),
    }
    .to_string()
}

/// What happened to a business record, newest first: profile changes (by
/// field, never the values), NIB submissions and staff decisions with
/// their reasons, and the milestones reached.
#[component]
fn History(entries: Vec<HistoryEntry>) -> impl IntoView {
    let locale = page_locale();
    if entries.is_empty() {
        return ().into_any();
    }
    let rows = entries
        .into_iter()
        .map(|e| {
            let d = e.detail.clone();
            let what = match e.kind.as_str() {
                "profile_saved" if d == "created" => {
                    td_string!(locale, history.created).to_string()
                }
                "profile_saved" => {
                    let fields = d
                        .split(',')
                        .map(|f| field_label(locale, f))
                        .collect::<Vec<_>>()
                        .join(", ");
                    td_string!(locale, history.changed, fields = fields).to_string()
                }
                "nib_submitted" => td_string!(locale, history.nib_submitted, nib = d).to_string(),
                "claim_submitted" => {
                    td_string!(locale, history.claim_submitted, nib = d).to_string()
                }
                "nib_removed" => td_string!(locale, history.nib_removed).to_string(),
                "nib_verified" => td_string!(locale, history.nib_verified).to_string(),
                "claim_confirmed" => td_string!(locale, history.claim_confirmed).to_string(),
                "nib_rejected" => td_string!(locale, history.nib_rejected, reason = d).to_string(),
                "claim_rejected" => {
                    td_string!(locale, history.claim_rejected, reason = d).to_string()
                }
                "milestone" => {
                    let step = Milestone::parse(&d)
                        .map(|m| step_title(locale, m))
                        .unwrap_or(d);
                    td_string!(locale, history.milestone, step = step).to_string()
                }
                other => other.to_string(),
            };
            let by = match e.by {
                Actor::Owner => td_string!(locale, history.by_owner),
                Actor::Staff => td_string!(locale, history.by_staff),
                Actor::Portal => td_string!(locale, history.by_portal),
            };
            view! {
                <li>
                    <time>{format_date(e.at)}</time> " " {what} " "
                    <span class="history-by">"(" {by} ")"</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="history-title">
            <h2 id="history-title">{td!(locale, history.title)}</h2>
            <ol class="history" id="history">{rows}</ol>
        </section>
    }
    .into_any()
}

/// `/kbli`: the KBLI 2020 codes the portal lists, searchable by code or
/// word in either language, for sellers choosing theirs.
#[component]
pub fn KbliPage() -> impl IntoView {
    let locale = page_locale();
    let query = use_query_map();
    let (q, page) = {
        let m = query.read_untracked();
        (
            m.get("q")
                .unwrap_or_default()
                .chars()
                .take(100)
                .collect::<String>(),
            m.get("page")
                .and_then(|p| p.parse::<i64>().ok())
                .unwrap_or(1)
                .clamp(1, 1_000),
        )
    };
    const PER_PAGE: i64 = 50;
    let found = super::kbli::search(&q);
    let total = found.len() as i64;
    let rows = found
        .into_iter()
        .skip(((page - 1) * PER_PAGE) as usize)
        .take(PER_PAGE as usize)
        .map(|k| {
            let isic = format!("ISIC {}: {}", k.isic, k.title_en);
            view! {
                <tr>
                    <td>{k.code.clone()}</td>
                    <td lang="id">{k.title_id.clone()}</td>
                    <td lang="en">{isic}</td>
                </tr>
            }
        })
        .collect_view();
    let href = format!("/kbli?q={}&", encode(&q));
    view! {
        <Title text=td_string!(locale, kbli.title).to_string() />
        <section class="card wide">
            <h1>{td!(locale, kbli.title)}</h1>
            <p>{td!(locale, kbli.lead)}</p>
            <form method="get" action="/kbli" class="search" role="search">
                <label for="kbli-q">{td!(locale, kbli.search_label)}</label>
                <div class="search-row">
                    <input id="kbli-q" name="q" type="search" value=q.clone() />
                    <button type="submit">{td!(locale, kbli.search)}</button>
                </div>
            </form>
            <p id="kbli-count">{td!(locale, kbli.found, count = total)}</p>
            <div class="table-scroll">
                <table class="users" id="kbli-table">
                    <thead>
                        <tr>
                            <th scope="col">{td!(locale, kbli.col_code)}</th>
                            <th scope="col">{td!(locale, kbli.col_title_id)}</th>
                            <th scope="col">{td!(locale, kbli.col_isic)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <Pager current=page total=total per_page=PER_PAGE href />
            <p class="hint">{td!(locale, kbli.isic_note)}</p>
        </section>
    }
}
