//! Authoring pages for trainers and administrators: their courses, a
//! course's fields and modules, a module's lessons and quiz, and the lesson
//! editor. Plain forms (they work without JavaScript); previews are the
//! learner's own pages, which editors may open before publishing.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::teach::{
    AddLesson, AddModule, AddQuestion, CourseDraft, CreateCourse, EditModule, LessonDraft,
    PublishCourse, ReassignCourse, RemoveQuestion, SaveCourse, SaveLesson, SaveModule, SaveQuiz,
    SetEditor,
};
use crate::checks::Check;
use crate::error::AppError;
use crate::i18n::*;
use crate::profile::pages::cluster_name;
use crate::shared::forms::{FormError, FormField, SelectField, TextAreaField};
use crate::shared::ui::load_error;
use crate::shared::{page_locale, require_signed_in_page};

fn param(name: &'static str) -> String {
    use_params_map()
        .read_untracked()
        .get(name)
        .unwrap_or_default()
}

fn saved_notice() -> impl IntoView {
    let locale = page_locale();
    let saved = use_query_map().read_untracked().get("saved").as_deref() == Some("1");
    saved.then(
        || view! { <p class="notice" role="status" id="saved">{td!(locale, teach.saved)}</p> },
    )
}

fn clusters(locale: Locale) -> Vec<(String, String)> {
    use crate::profile::domain::Cluster;
    std::iter::once((
        "all".to_string(),
        td_string!(locale, teach.cluster_all).to_string(),
    ))
    .chain(
        Cluster::ALL
            .into_iter()
            .map(|c| (c.as_str().to_string(), cluster_name(locale, c))),
    )
    .collect()
}

fn title(id: &str, en: &str) -> String {
    if id.is_empty() {
        en.to_string()
    } else {
        id.to_string()
    }
}

/// The course fields, for creating (no course yet) or saving.
#[component]
fn CourseFieldsForm<T: Clone + Send + Sync + 'static>(
    result: Signal<Option<Result<T, AppError>>>,
    course: Option<CourseDraft>,
) -> impl IntoView {
    let locale = page_locale();
    let c = course.clone();
    let get = move |f: fn(&CourseDraft) -> String| c.as_ref().map(f).unwrap_or_default();
    let text = |max: u16| Check::Text {
        max,
        required: false,
    };
    view! {
        <FormError result />
        {match &course {
            Some(c) => view! { <input type="hidden" name="slug" value=c.slug.clone() /> }.into_any(),
            None => view! {
                <FormField result name="slug" label=td_string!(locale, teach.slug).to_string()
                    hint=td_string!(locale, teach.slug_hint).to_string() check=Check::Text { max: 60, required: true } />
            }.into_any(),
        }}
        <FormField result name="title_id" label=td_string!(locale, teach.title_id).to_string()
            value=get(|c| c.title_id.clone()) check=text(160) />
        <FormField result name="title_en" label=td_string!(locale, teach.title_en).to_string()
            value=get(|c| c.title_en.clone()) check=text(160) />
        <TextAreaField result name="summary_id" label=td_string!(locale, teach.summary_id).to_string()
            value=get(|c| c.summary_id.clone()) max=600 />
        <TextAreaField result name="summary_en" label=td_string!(locale, teach.summary_en).to_string()
            value=get(|c| c.summary_en.clone()) max=600 />
        <SelectField result name="cluster" label=td_string!(locale, teach.cluster).to_string()
            value=get(|c| c.cluster.clone()) options=clusters(locale) />
        <FormField result name="minutes" label=td_string!(locale, teach.minutes).to_string()
            inputmode="numeric" value=get(|c| c.minutes.to_string()) check=Check::Count />
        {course.map(|c| view! {
            <SelectField result name="requires" label=td_string!(locale, teach.requires).to_string()
                hint=td_string!(locale, teach.requires_hint).to_string()
                value=c.requires.clone() empty=td_string!(locale, teach.requires_none).to_string()
                options=c.courses.clone() />
        })}
    }
}

/// `/teach`: the courses the trainer may edit, and a new one.
#[component]
pub fn TeachListPage() -> impl IntoView {
    let locale = page_locale();
    require_signed_in_page();
    let list = Resource::new(|| (), |_| super::teach::teach_list());
    let create = ServerAction::<CreateCourse>::new();
    let result = Signal::derive(move || create.value().get());
    view! {
        <Title text=td_string!(locale, teach.title).to_string() />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(courses) => {
                        let rows = courses
                            .into_iter()
                            .map(|c| {
                                let link = format!("/teach/{}", c.slug);
                                let state = if c.published {
                                    td_string!(locale, teach.published)
                                } else {
                                    td_string!(locale, teach.draft)
                                };
                                let owner = if c.owner.is_empty() {
                                    td_string!(locale, teach.portal).to_string()
                                } else {
                                    c.owner.clone()
                                };
                                view! {
                                    <tr>
                                        <td><a href=link>{title(&c.title_id, &c.title_en)}</a></td>
                                        <td>{state}</td>
                                        <td>{owner}</td>
                                    </tr>
                                }
                            })
                            .collect_view();
                        view! {
                            <section class="card wide">
                                <h1>{td!(locale, teach.title)}</h1>
                                <p>{td!(locale, teach.lead)}</p>
                                <div class="table-scroll">
                                    <table class="users" id="teach-courses">
                                        <thead><tr>
                                            <th scope="col">{td!(locale, teach.col_course)}</th>
                                            <th scope="col">{td!(locale, teach.col_state)}</th>
                                            <th scope="col">{td!(locale, teach.col_owner)}</th>
                                        </tr></thead>
                                        <tbody>{rows}</tbody>
                                    </table>
                                </div>
                            </section>
                            <section class="card">
                                <h2>{td!(locale, teach.new_course)}</h2>
                                <ActionForm action=create attr:id="create-course-form" attr:novalidate="novalidate">
                                    <CourseFieldsForm result course=None />
                                    <button type="submit" class="primary">{td!(locale, teach.create)}</button>
                                </ActionForm>
                            </section>
                        }
                        .into_any()
                    }
                    Err(err) => load_error(err),
                }
            })}
        </Suspense>
    }
}

/// `/teach/:slug`: a course's fields, publishing, its modules, and for
/// administrators its owner and editors.
#[component]
pub fn TeachCoursePage() -> impl IntoView {
    let locale = page_locale();
    require_signed_in_page();
    let slug = param("slug");
    let data = Resource::new(move || slug.clone(), super::teach::edit_course);
    let save = ServerAction::<SaveCourse>::new();
    let publish = ServerAction::<PublishCourse>::new();
    let module = ServerAction::<AddModule>::new();
    let reassign = ServerAction::<ReassignCourse>::new();
    let editor = ServerAction::<SetEditor>::new();
    view! {
        <Title text=td_string!(locale, teach.edit_title).to_string() />
        {saved_notice()}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(c) => view! { <CourseEditor c save publish module reassign editor /> }.into_any(),
                    Err(err) => load_error(err),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CourseEditor(
    c: CourseDraft,
    save: ServerAction<SaveCourse>,
    publish: ServerAction<PublishCourse>,
    module: ServerAction<AddModule>,
    reassign: ServerAction<ReassignCourse>,
    editor: ServerAction<SetEditor>,
) -> impl IntoView {
    let locale = page_locale();
    let save_result = Signal::derive(move || save.value().get());
    let publish_result = Signal::derive(move || publish.value().get());
    let module_result = Signal::derive(move || module.value().get());
    let reassign_result = Signal::derive(move || reassign.value().get());
    let editor_result = Signal::derive(move || editor.value().get());
    let slug = c.slug.clone();
    let preview = format!("/courses/{slug}");
    let workshop_link = format!("/teach/{slug}/workshop");
    let report_link = format!("/teach/{slug}/report");
    let modules = c
        .modules
        .iter()
        .map(|m| {
            let link = format!("/teach/{slug}/modules/{}", m.id);
            let quiz = match &m.quiz {
                Some(q) => td_string!(locale, teach.quiz_questions, count = q.questions.len()).to_string(),
                None => td_string!(locale, teach.no_quiz).to_string(),
            };
            view! {
                <li>
                    <a href=link>{format!("{}. ", m.position + 1)} {title(&m.title_id, &m.title_en)}</a>
                    " · " {td!(locale, teach.lesson_count, count = m.lessons.len())} " · " {quiz}
                </li>
            }
        })
        .collect_view();
    let admin_slug = slug.clone();
    let (trainer_list, editor_list) = (c.trainers.clone(), c.editors.clone());
    let owner_id = c.owner_id;
    let admin = c.admin.then(move || {
        let slug = admin_slug;
        let owners = std::iter::once((String::new(), td_string!(locale, teach.portal).to_string()))
            .chain(trainer_list.iter().map(|(id, n)| (id.to_string(), n.clone())))
            .collect::<Vec<_>>();
        let trainers = trainer_list
            .iter()
            .map(|(id, n)| (id.to_string(), n.clone()))
            .collect::<Vec<_>>();
        let editors = editor_list
            .into_iter()
            .map(|(id, n)| {
                let slug = slug.clone();
                view! {
                    <li>
                        {n} " "
                        <ActionForm action=editor attr:class="inline">
                            <input type="hidden" name="slug" value=slug />
                            <input type="hidden" name="trainer" value=id.to_string() />
                            <input type="hidden" name="remove" value="1" />
                            <button type="submit" class="link">{td!(locale, teach.remove_editor)}</button>
                        </ActionForm>
                    </li>
                }
            })
            .collect_view();
        let owner_value = owner_id.map(|o| o.to_string()).unwrap_or_default();
        let (a1, a2) = (slug.clone(), slug.clone());
        view! {
            <section class="card">
                <h2>{td!(locale, teach.admin_title)}</h2>
                <ActionForm action=reassign attr:id="reassign-form">
                    <input type="hidden" name="slug" value=a1 />
                    <SelectField result=reassign_result name="owner" label=td_string!(locale, teach.owner).to_string()
                        value=owner_value options=owners />
                    <button type="submit">{td!(locale, teach.reassign)}</button>
                </ActionForm>
                <h3>{td!(locale, teach.editors)}</h3>
                <ul id="editors">{editors}</ul>
                <ActionForm action=editor attr:id="editor-form">
                    <FormError result=editor_result />
                    <input type="hidden" name="slug" value=a2 />
                    <SelectField result=editor_result name="trainer" label=td_string!(locale, teach.add_editor).to_string()
                        options=trainers />
                    <button type="submit">{td!(locale, teach.add_editor_button)}</button>
                </ActionForm>
            </section>
        }
    });
    let published = c.published;
    let (s1, s2) = (slug.clone(), slug.clone());
    view! {
        <section class="card">
            <h1>{title(&c.title_id, &c.title_en)}</h1>
            <p>
                <strong>{if published { td_string!(locale, teach.published) } else { td_string!(locale, teach.draft) }}</strong>
                " · " <a href=preview>{td!(locale, teach.preview)}</a>
                " · " <a href=workshop_link id="new-workshop">{td!(locale, teach.new_workshop)}</a>
                " · " <a href=report_link id="course-report">{td!(locale, report.link)}</a>
            </p>
            <ActionForm action=publish attr:id="publish-form">
                <FormError result=publish_result />
                <input type="hidden" name="slug" value=s1 />
                <input type="hidden" name="publish" value=if published { "0" } else { "1" } />
                <button type="submit" class=if published { "" } else { "primary" }>
                    {if published { td_string!(locale, teach.withdraw) } else { td_string!(locale, teach.publish) }}
                </button>
            </ActionForm>
        </section>
        <section class="card">
            <h2>{td!(locale, teach.course_fields)}</h2>
            <ActionForm action=save attr:id="course-form" attr:novalidate="novalidate">
                <CourseFieldsForm result=save_result course=Some(c.clone()) />
                <button type="submit" class="primary">{td!(locale, teach.save)}</button>
            </ActionForm>
        </section>
        <section class="card">
            <h2>{td!(locale, teach.modules)}</h2>
            <ol class="lessons" id="teach-modules">{modules}</ol>
            <h3>{td!(locale, teach.add_module)}</h3>
            <ActionForm action=module attr:id="module-form" attr:novalidate="novalidate">
                <FormError result=module_result />
                <input type="hidden" name="slug" value=s2 />
                <FormField result=module_result name="module_title_id" label=td_string!(locale, teach.title_id).to_string()
                    check=Check::Text { max: 160, required: false } />
                <FormField result=module_result name="module_title_en" label=td_string!(locale, teach.title_en).to_string()
                    check=Check::Text { max: 160, required: false } />
                <div class="field check-row">
                    <input type="checkbox" id="sequential" name="sequential" value="1" checked=true />
                    <label for="sequential">{td!(locale, teach.sequential)}</label>
                </div>
                <button type="submit">{td!(locale, teach.add_module_button)}</button>
            </ActionForm>
        </section>
        {admin}
        <p><a href="/teach">{td!(locale, teach.back)}</a></p>
    }
}

/// `/teach/:slug/modules/:id`: a module's lessons and its quiz.
#[component]
pub fn TeachModulePage() -> impl IntoView {
    let locale = page_locale();
    require_signed_in_page();
    let slug = param("slug");
    let id = param("id").parse::<i64>().unwrap_or(0);
    let data = Resource::new(move || slug.clone(), super::teach::edit_course);
    let lesson = ServerAction::<AddLesson>::new();
    let quiz = ServerAction::<SaveQuiz>::new();
    let question = ServerAction::<AddQuestion>::new();
    let remove = ServerAction::<RemoveQuestion>::new();
    let rename = ServerAction::<SaveModule>::new();
    view! {
        <Title text=td_string!(locale, teach.module_title).to_string() />
        {saved_notice()}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(c) => match c.modules.iter().find(|m| m.id == id).cloned() {
                        Some(m) => view! { <ModuleEditor slug=c.slug.clone() m lesson quiz question remove rename /> }.into_any(),
                        None => load_error(AppError::NotFound),
                    },
                    Err(err) => load_error(err),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ModuleEditor(
    slug: String,
    m: EditModule,
    lesson: ServerAction<AddLesson>,
    quiz: ServerAction<SaveQuiz>,
    question: ServerAction<AddQuestion>,
    remove: ServerAction<RemoveQuestion>,
    rename: ServerAction<SaveModule>,
) -> impl IntoView {
    let locale = page_locale();
    let rename_result = Signal::derive(move || rename.value().get());
    let lesson_result = Signal::derive(move || lesson.value().get());
    let quiz_result = Signal::derive(move || quiz.value().get());
    let question_result = Signal::derive(move || question.value().get());
    let remove_result = Signal::derive(move || remove.value().get());
    let lessons = m
        .lessons
        .iter()
        .map(|(id, tid, ten)| {
            let edit = format!("/teach/{slug}/lessons/{id}");
            let shown = title(tid, ten);
            let shown = if shown.is_empty() {
                td_string!(locale, teach.untitled).to_string()
            } else {
                shown
            };
            view! { <li><a href=edit>{shown}</a></li> }
        })
        .collect_view();
    let q = m.quiz.clone();
    let (pass, draw, max) = q
        .as_ref()
        .map(|q| (q.pass_percent, q.draw, q.max_attempts))
        .unwrap_or((70, 5, 3));
    let question_slug = slug.clone();
    let questions = q.clone().map(move |q| {
            q.questions
                .into_iter()
                .map(|x| {
                    let choices = x
                        .choices
                        .into_iter()
                        .map(|(a, b, ok)| {
                            let mark = ok.then(|| view! { " " <strong>{td!(locale, teach.correct)}</strong> });
                            view! { <li class:correct=ok>{title(&a, &b)} {mark}</li> }
                        })
                        .collect_view();
                    let slug = question_slug.clone();
                    view! {
                        <li>
                            <p>{title(&x.text_id, &x.text_en)} " (" {x.kind} ")"</p>
                            <ul>{choices}</ul>
                            <ActionForm action=remove attr:class="inline">
                                <input type="hidden" name="slug" value=slug />
                                <input type="hidden" name="question" value=x.id.to_string() />
                                <button type="submit" class="link">{td!(locale, teach.remove_question)}</button>
                            </ActionForm>
                        </li>
                    }
                })
                .collect_view()
        });
    let has_quiz = q.is_some();
    let kinds = vec![
        (
            "single".to_string(),
            td_string!(locale, teach.kind_single).to_string(),
        ),
        (
            "multiple".to_string(),
            td_string!(locale, teach.kind_multiple).to_string(),
        ),
    ];
    let text = |max: u16| Check::Text {
        max,
        required: false,
    };
    let choice_rows = (1..=4)
        .map(|i| {
            let (nid, nen, nok) = match i {
                1 => ("choice1_id", "choice1_en", "choice1_ok"),
                2 => ("choice2_id", "choice2_en", "choice2_ok"),
                3 => ("choice3_id", "choice3_en", "choice3_ok"),
                _ => ("choice4_id", "choice4_en", "choice4_ok"),
            };
            view! {
                <fieldset>
                    <legend>{td!(locale, teach.choice, n = i)}</legend>
                    <FormField result=question_result name=nid label=td_string!(locale, teach.in_id).to_string() check=text(300) />
                    <FormField result=question_result name=nen label=td_string!(locale, teach.in_en).to_string() check=text(300) />
                    <div class="field check-row">
                        <input type="checkbox" id=nok name=nok value="1" />
                        <label for=nok>{td!(locale, teach.is_correct)}</label>
                    </div>
                </fieldset>
            }
        })
        .collect_view();
    let back = format!("/teach/{slug}");
    let (s0, s1, s2, s3) = (slug.clone(), slug.clone(), slug.clone(), slug.clone());
    view! {
        <section class="card">
            <h1>{format!("{}. ", m.position + 1)} {title(&m.title_id, &m.title_en)}</h1>
            <ActionForm action=rename attr:id="module-save-form" attr:novalidate="novalidate">
                <FormError result=rename_result />
                <input type="hidden" name="slug" value=s0 />
                <input type="hidden" name="module" value=m.id.to_string() />
                <FormField result=rename_result name="module_title_id" label=td_string!(locale, teach.title_id).to_string()
                    value=m.title_id.clone() check=Check::Text { max: 160, required: false } />
                <FormField result=rename_result name="module_title_en" label=td_string!(locale, teach.title_en).to_string()
                    value=m.title_en.clone() check=Check::Text { max: 160, required: false } />
                {(m.position > 0).then(|| view! {
                    <div class="field check-row">
                        <input type="checkbox" id="sequential" name="sequential" value="1" checked=m.sequential />
                        <label for="sequential">{td!(locale, teach.sequential)}</label>
                    </div>
                })}
                <button type="submit">{td!(locale, teach.save)}</button>
            </ActionForm>
            <h2>{td!(locale, teach.lessons)}</h2>
            <ol class="lessons" id="teach-lessons">{lessons}</ol>
            <ActionForm action=lesson attr:id="lesson-add-form">
                <FormError result=lesson_result />
                <input type="hidden" name="slug" value=s1 />
                <input type="hidden" name="module" value=m.id.to_string() />
                <button type="submit">{td!(locale, teach.add_lesson)}</button>
            </ActionForm>
        </section>
        <section class="card">
            <h2>{td!(locale, teach.quiz)}</h2>
            <ActionForm action=quiz attr:id="quiz-settings-form" attr:novalidate="novalidate">
                <FormError result=quiz_result />
                <input type="hidden" name="slug" value=s2 />
                <input type="hidden" name="module" value=m.id.to_string() />
                <FormField result=quiz_result name="pass_percent" label=td_string!(locale, teach.pass_percent).to_string()
                    inputmode="numeric" value=pass.to_string() check=Check::Count />
                <FormField result=quiz_result name="draw" label=td_string!(locale, teach.draw).to_string()
                    inputmode="numeric" value=draw.to_string() check=Check::Count />
                <FormField result=quiz_result name="max_attempts" label=td_string!(locale, teach.max_attempts).to_string()
                    inputmode="numeric" value=max.to_string() check=Check::Count />
                <button type="submit">{if has_quiz { td_string!(locale, teach.save_quiz) } else { td_string!(locale, teach.create_quiz) }}</button>
            </ActionForm>
            <FormError result=remove_result />
            {questions.map(|qs| view! { <h3>{td!(locale, teach.questions)}</h3> <ol class="graded" id="teach-questions">{qs}</ol> })}
        </section>
        {has_quiz.then(|| view! {
            <section class="card">
                <h2>{td!(locale, teach.add_question)}</h2>
                <ActionForm action=question attr:id="question-form" attr:novalidate="novalidate">
                    <FormError result=question_result />
                    <input type="hidden" name="slug" value=s3 />
                    <input type="hidden" name="module" value=m.id.to_string() />
                    <SelectField result=question_result name="kind" label=td_string!(locale, teach.kind).to_string()
                        value="single" options=kinds />
                    <TextAreaField result=question_result name="text_id" label=td_string!(locale, teach.question_id).to_string() max=500 />
                    <TextAreaField result=question_result name="text_en" label=td_string!(locale, teach.question_en).to_string() max=500 />
                    <TextAreaField result=question_result name="explain_id" label=td_string!(locale, teach.explain_id).to_string() max=1000 />
                    <TextAreaField result=question_result name="explain_en" label=td_string!(locale, teach.explain_en).to_string() max=1000 />
                    {choice_rows}
                    <button type="submit" class="primary">{td!(locale, teach.add_question_button)}</button>
                </ActionForm>
            </section>
        })}
        <p><a href=back>{td!(locale, teach.back_to_course)}</a></p>
    }
}

/// `/teach/:slug/lessons/:id`: the lesson editor, both languages.
#[component]
pub fn TeachLessonPage() -> impl IntoView {
    let locale = page_locale();
    require_signed_in_page();
    let slug = param("slug");
    let id = param("id").parse::<i64>().unwrap_or(0);
    let data = Resource::new(
        move || (slug.clone(), id),
        |(s, i)| super::teach::edit_lesson(s, i),
    );
    let save = ServerAction::<SaveLesson>::new();
    view! {
        <Title text=td_string!(locale, teach.lesson_title).to_string() />
        {saved_notice()}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(l) => view! { <LessonEditor l save /> }.into_any(),
                    Err(err) => load_error(err),
                }
            })}
        </Suspense>
    }
}

#[component]
fn LessonEditor(l: LessonDraft, save: ServerAction<SaveLesson>) -> impl IntoView {
    let locale = page_locale();
    let result = Signal::derive(move || save.value().get());
    let preview = format!("/courses/{}/lessons/{}", l.course_slug, l.id);
    let back = format!("/teach/{}", l.course_slug);
    let max = super::domain::LESSON_MAX as u32;
    let (uploaded, upload_error) = {
        let q = use_query_map().read_untracked();
        (q.get("image"), q.get("image_error"))
    };
    let upload_error = upload_error
        .and_then(|c| serde_json::from_str::<crate::error::FieldCode>(&format!("\"{c}\"")).ok())
        .map(|c| crate::shared::messages::field_message(locale, c));
    let invalid = upload_error.is_some();
    let (image_slug, image_lesson) = (l.course_slug.clone(), l.id.to_string());
    let uploaded = uploaded.filter(|k| k.len() < 80).map(|k| {
        let md = format!("![](/media/{k})");
        view! {
            <p class="notice" role="status" id="image-uploaded">
                {td!(locale, teach.image_uploaded)} " " <code>{md}</code>
            </p>
        }
    });
    let images = l
        .images
        .iter()
        .map(|(k, w, h)| {
            let src = format!("/media/{k}");
            let md = format!("![](/media/{k})");
            view! {
                <li>
                    <img src=src alt="" width=w.to_string() height=h.to_string() loading="lazy" />
                    <code>{md}</code>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card">
            <h1>{td!(locale, teach.lesson_title)}</h1>
            <p><a href=preview>{td!(locale, teach.preview)}</a></p>
            <ActionForm action=save attr:id="lesson-form" attr:novalidate="novalidate">
                <FormError result />
                <input type="hidden" name="slug" value=l.course_slug.clone() />
                <input type="hidden" name="id" value=l.id.to_string() />
                <FormField result name="title_id" label=td_string!(locale, teach.title_id).to_string()
                    value=l.title_id.clone() check=Check::Text { max: 160, required: false } />
                <TextAreaField result name="body_id" label=td_string!(locale, teach.body_id).to_string()
                    hint=td_string!(locale, teach.body_hint).to_string() value=l.body_id.clone() rows=12 max=max />
                <FormField result name="title_en" label=td_string!(locale, teach.title_en).to_string()
                    value=l.title_en.clone() check=Check::Text { max: 160, required: false } />
                <TextAreaField result name="body_en" label=td_string!(locale, teach.body_en).to_string()
                    hint=td_string!(locale, teach.body_hint).to_string() value=l.body_en.clone() rows=12 max=max />
                <FormField result name="video_url" label=td_string!(locale, teach.video_url).to_string()
                    input_type="url" value=l.video_url.clone() check=Check::Url />
                <button type="submit" class="primary">{td!(locale, teach.save)}</button>
            </ActionForm>
        </section>
        <section class="card" aria-labelledby="images-title">
            <h2 id="images-title">{td!(locale, teach.images)}</h2>
            {uploaded}
            <form method="post" action="/api/teach/image" enctype="multipart/form-data" id="image-form">
                <input type="hidden" name="slug" value=image_slug />
                <input type="hidden" name="lesson" value=image_lesson />
                <div class="field" class:invalid=invalid>
                    <label for="image">{td!(locale, teach.image_file)}</label>
                    <input type="file" id="image" name="image" accept="image/png,image/jpeg,image/webp"
                        aria-describedby="image-hint image-error" aria-invalid=if invalid { "true" } else { "false" } />
                    <p class="hint" id="image-hint">{td!(locale, teach.image_hint)}</p>
                    <p class="error" id="image-error" aria-live="polite">{upload_error}</p>
                </div>
                <button type="submit">{td!(locale, teach.upload)}</button>
            </form>
            <ul class="images" id="course-images">{images}</ul>
        </section>
        <p><a href=back>{td!(locale, teach.back_to_course)}</a></p>
    }
}
