//! Workshop pages: the list (near the seller first), one workshop with
//! register or cancel and the seller's place, the trainer's scheduling
//! form and the attendance list (plain forms, one button per person, so
//! it works on a phone without JavaScript).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::api::{
    AttendanceList, Cancel, CreateWorkshop, MarkPresent, MyPlace, Register, WorkshopItem,
    WorkshopView,
};
use crate::checks::Check;
use crate::i18n::*;
use crate::shared::forms::{FormError, FormField, SelectField};
use crate::shared::regions;
use crate::shared::ui::load_error;
use crate::shared::{page_locale, private_page, require_signed_in_page, signed_in};

fn param(name: &'static str) -> String {
    use_params_map()
        .read_untracked()
        .get(name)
        .unwrap_or_default()
}

#[component]
fn Facts(w: WorkshopItem) -> impl IntoView {
    let locale = page_locale();
    let seats_left = (w.capacity - w.seated).max(0);
    view! {
        <dl class="facts">
            <dt>{td!(locale, workshops.when)}</dt><dd>{w.starts.clone()} " – " {w.ends.clone()}</dd>
            <dt>{td!(locale, workshops.where_)}</dt>
            <dd>{if w.online { td_string!(locale, workshops.online).to_string() } else { w.place.clone() }}</dd>
            <dt>{td!(locale, workshops.seats)}</dt>
            <dd>{td!(locale, workshops.seats_left, left = seats_left, capacity = w.capacity, waiting = w.waiting)}</dd>
            <dt>{td!(locale, workshops.closes)}</dt><dd>{w.closes.clone()}</dd>
            {w.module.clone().map(|(n, title)| view! {
                <dt>{td!(locale, workshops.counts_as)}</dt>
                <dd>{td!(locale, workshops.module_n, n = n)} ": " {title}</dd>
            })}
        </dl>
    }
}

/// `/workshops`: upcoming workshops, near the seller first.
#[component]
pub fn WorkshopsPage() -> impl IntoView {
    let locale = page_locale();
    if signed_in().is_some() {
        private_page();
    }
    let list = Resource::new(|| (), |_| super::api::workshops());
    view! {
        <Title text=td_string!(locale, workshops.title).to_string() />
        <section class="card wide">
            <h1>{td!(locale, workshops.title)}</h1>
            <p>{td!(locale, workshops.lead)}</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(items) if items.is_empty() => view! { <p>{td!(locale, workshops.none)}</p> }.into_any(),
                        Ok(items) => {
                            let rows = items
                                .into_iter()
                                .map(|w| {
                                    let link = format!("/workshops/{}", w.id);
                                    view! {
                                        <li class="course-card">
                                            <h2><a href=link>{w.title.clone()}</a></h2>
                                            <p class="hint">{w.course_title.clone()}</p>
                                            <Facts w />
                                        </li>
                                    }
                                })
                                .collect_view();
                            view! { <ul class="course-list" id="workshop-list">{rows}</ul> }.into_any()
                        }
                        Err(err) => load_error(err),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// `/workshops/:id`: one workshop; register, cancel, see one's place.
#[component]
pub fn WorkshopPage() -> impl IntoView {
    let locale = page_locale();
    if signed_in().is_some() {
        private_page();
    }
    let id = param("id").parse::<i64>().unwrap_or(0);
    let data = Resource::new(move || id, super::api::workshop);
    let register = ServerAction::<Register>::new();
    let cancel = ServerAction::<Cancel>::new();
    view! {
        <Title text=td_string!(locale, workshops.title).to_string() />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <WorkshopCard v register cancel /> }.into_any(),
                    Err(err) => load_error(err),
                }
            })}
        </Suspense>
    }
}

#[component]
fn WorkshopCard(
    v: WorkshopView,
    register: ServerAction<Register>,
    cancel: ServerAction<Cancel>,
) -> impl IntoView {
    let locale = page_locale();
    let register_result = Signal::derive(move || register.value().get());
    let cancel_result = Signal::derive(move || cancel.value().get());
    let id = v.item.id.to_string();
    let course = format!("/courses/{}", v.item.course_slug);
    let open = v.item.open;
    let status = v.mine.map(|m| match m {
        MyPlace::Seated => td_string!(locale, workshops.you_seated).to_string(),
        MyPlace::Waiting(n) => td_string!(locale, workshops.you_waiting, place = n).to_string(),
    });
    let signed = signed_in().is_some();
    let action = match (v.mine, signed) {
        (_, false) => {
            let login = crate::shared::paths::login_then(&format!("/workshops/{id}"));
            view! { <p><a class="button primary" href=login>{td!(locale, workshops.sign_in)}</a></p> }.into_any()
        }
        (Some(_), true) => view! {
            <ActionForm action=cancel attr:id="cancel-form">
                <FormError result=cancel_result />
                <input type="hidden" name="id" value=id.clone() />
                <button type="submit" class="danger">{td!(locale, workshops.cancel)}</button>
            </ActionForm>
        }
        .into_any(),
        (None, true) if open => view! {
            <ActionForm action=register attr:id="register-form">
                <FormError result=register_result />
                <input type="hidden" name="id" value=id.clone() />
                <button type="submit" class="primary">{td!(locale, workshops.register)}</button>
            </ActionForm>
        }
        .into_any(),
        (None, true) => {
            view! { <p class="form-error" role="alert">{td!(locale, workshops.closed)}</p> }
                .into_any()
        }
    };
    view! {
        <section class="card">
            <h1>{v.item.title.clone()}</h1>
            <p><a href=course>{v.item.course_title.clone()}</a></p>
            <Facts w=v.item.clone() />
            {v.link.clone().map(|l| view! { <p><a href=l rel="noopener noreferrer">{td!(locale, workshops.join)}</a></p> })}
            {status.map(|s| view! { <p class="notice" role="status" id="my-place">{s}</p> })}
            {action}
        </section>
        <p><a href="/workshops">{td!(locale, workshops.back)}</a></p>
    }
}

/// `/teach/:slug/workshop`: schedule a workshop of this course.
#[component]
pub fn NewWorkshopPage() -> impl IntoView {
    let locale = page_locale();
    require_signed_in_page();
    let slug = param("slug");
    let create = ServerAction::<CreateWorkshop>::new();
    let result = Signal::derive(move || create.value().get());
    let provinces = regions::province_options();
    let regencies = regions::regency_groups();
    let text = |max: u16, required: bool| Check::Text { max, required };
    // The course's modules, one of which attendance may complete.
    let course = Resource::new(move || slug.clone(), crate::courses::teach::edit_course);
    let slug = param("slug");
    let modules = move || {
        Suspend::new(async move {
            let options: Vec<(String, String)> = match course.await {
                Ok(c) => c
                    .modules
                    .iter()
                    .map(|m| {
                        let title = crate::courses::domain::pick(
                            &m.title_id,
                            &m.title_en,
                            locale == Locale::en,
                        )
                        .0
                        .to_string();
                        (
                            m.id.to_string(),
                            format!(
                                "{} {}: {title}",
                                td_string!(locale, workshops.module),
                                m.position + 1
                            ),
                        )
                    })
                    .collect(),
                Err(_) => Vec::new(),
            };
            view! {
                <SelectField result name="module" label=td_string!(locale, workshops.field_module).to_string()
                    hint=td_string!(locale, workshops.field_module_hint).to_string()
                    empty=td_string!(locale, workshops.no_module).to_string() options />
            }
        })
    };
    view! {
        <Title text=td_string!(locale, workshops.new_title).to_string() />
        <section class="card">
            <h1>{td!(locale, workshops.new_title)}</h1>
            <ActionForm action=create attr:id="workshop-form" attr:novalidate="novalidate">
                <FormError result />
                <input type="hidden" name="slug" value=slug />
                <FormField result name="title" label=td_string!(locale, workshops.field_title).to_string() check=text(160, true) />
                <div class="field check-row">
                    <input type="checkbox" id="online" name="online" value="1" />
                    <label for="online">{td!(locale, workshops.field_online)}</label>
                </div>
                <FormField result name="link" label=td_string!(locale, workshops.field_link).to_string() input_type="url" check=Check::Url />
                <FormField result name="address" label=td_string!(locale, workshops.field_address).to_string() check=text(300, false) />
                <SelectField result name="province" label=td_string!(locale, workshops.field_province).to_string()
                    empty=td_string!(locale, profile.choose).to_string() options=provinces />
                <SelectField result name="regency" label=td_string!(locale, workshops.field_regency).to_string()
                    empty=td_string!(locale, profile.choose).to_string() groups=regencies />
                <p class="hint">{td!(locale, workshops.zone_hint)}</p>
                <FormField result name="starts" label=td_string!(locale, workshops.field_starts).to_string() input_type="datetime-local" check=Check::Optional />
                <FormField result name="ends" label=td_string!(locale, workshops.field_ends).to_string() input_type="datetime-local" check=Check::Optional />
                <FormField result name="closes" label=td_string!(locale, workshops.field_closes).to_string() input_type="datetime-local" check=Check::Optional />
                <FormField result name="capacity" label=td_string!(locale, workshops.field_capacity).to_string() inputmode="numeric" check=Check::Count />
                <Suspense fallback=|| ()>{modules}</Suspense>
                <button type="submit" class="primary">{td!(locale, workshops.create)}</button>
            </ActionForm>
        </section>
    }
}

/// `/workshops/:id/attendance`: the trainer marks who came.
#[component]
pub fn AttendancePage() -> impl IntoView {
    let locale = page_locale();
    require_signed_in_page();
    let id = param("id").parse::<i64>().unwrap_or(0);
    let data = Resource::new(move || id, super::api::attendance);
    let mark = ServerAction::<MarkPresent>::new();
    view! {
        <Title text=td_string!(locale, workshops.attendance).to_string() />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) => view! { <Attendance list mark /> }.into_any(),
                    Err(err) => load_error(err),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Attendance(list: AttendanceList, mark: ServerAction<MarkPresent>) -> impl IntoView {
    let locale = page_locale();
    let result = Signal::derive(move || mark.value().get());
    let id = list.item.id;
    let rows = list
        .people
        .into_iter()
        .map(|p| {
            let state = if !p.seated {
                td_string!(locale, workshops.waiting).to_string()
            } else if p.present {
                td_string!(locale, workshops.present).to_string()
            } else {
                String::new()
            };
            let hidden_name = format!(": {}", p.name);
            let button = p.seated.then(move || {
                let label = if p.present {
                    td_string!(locale, workshops.unmark)
                } else {
                    td_string!(locale, workshops.mark)
                };
                view! {
                    <ActionForm action=mark attr:class="inline">
                        <input type="hidden" name="id" value=id.to_string() />
                        <input type="hidden" name="user_id" value=p.user_id.to_string() />
                        {(!p.present).then(|| view! { <input type="hidden" name="present" value="1" /> })}
                        <button type="submit">{label} <span class="visually-hidden">{hidden_name}</span></button>
                    </ActionForm>
                }
            });
            view! {
                <li class:done=p.present>
                    <span>{p.name.clone()}</span> " " <span class="step-state">{state}</span> " " {button}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card">
            <h1>{td!(locale, workshops.attendance)} ": " {list.item.title.clone()}</h1>
            <Facts w=list.item.clone() />
            <FormError result />
            <ul class="steps" id="attendance">{rows}</ul>
        </section>
    }
}
