//! Training pages: the catalogue, a course with the reader's progress, a
//! lesson, a quiz, a certificate's public verification page, and the
//! learner's courses on the home page. Server-rendered; every action is a
//! plain form post, so lessons and quizzes work without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{
    CertificateView, CompleteLesson, CourseView, Enrol, LessonView, ModuleView, MyCourse, Next,
    QuizView, StartQuiz, SubmitQuiz, Text,
};
use super::domain::{Lang, QuestionKind};
use crate::error::AppError;
use crate::i18n::*;
use crate::profile::pages::cluster_name;
use crate::shared::forms::FormError;
use crate::shared::paths::encode;
use crate::shared::ui::{format_date, load_error, Pager};
use crate::shared::{
    page_locale, private_page, require_signed_in_page, set_page_status, signed_in,
};

fn lang_name(locale: Locale, l: Lang) -> String {
    match l {
        Lang::Id => td_string!(locale, courses.lang_id),
        Lang::En => td_string!(locale, courses.lang_en),
    }
    .to_string()
}

/// A text, with "only in …" when it is not in the reader's language (and
/// `lang` set on it, for screen readers).
#[component]
fn Shown(text: Text) -> impl IntoView {
    let locale = page_locale();
    match text.only_in {
        None => view! { <span>{text.text}</span> }.into_any(),
        Some(l) => view! {
            <span lang=l.as_str()>{text.text}</span>
            " "
            <span class="only-in">{td!(locale, courses.only_in, lang = lang_name(locale, l))}</span>
        }
        .into_any(),
    }
}

fn param(name: &'static str) -> String {
    use_params_map()
        .read_untracked()
        .get(name)
        .unwrap_or_default()
}

fn query_flag(name: &'static str) -> bool {
    use_query_map().read_untracked().get(name).as_deref() == Some("1")
}

/// `/courses`: the public catalogue.
#[component]
pub fn CataloguePage() -> impl IntoView {
    let locale = page_locale();
    if signed_in().is_some() {
        private_page();
    }
    let (q, cluster, lang, page) = {
        let m = use_query_map().read_untracked();
        (
            m.get("q").unwrap_or_default(),
            m.get("cluster").unwrap_or_default(),
            m.get("lang").unwrap_or_default(),
            m.get("page")
                .and_then(|p| p.parse::<i64>().ok())
                .unwrap_or(1)
                .clamp(1, 100_000),
        )
    };
    let data = Resource::new(
        move || (q.clone(), cluster.clone(), lang.clone(), page),
        |(q, c, l, p)| super::api::catalogue(q, c, l, p),
    );
    view! {
        <Title text=td_string!(locale, courses.catalogue_title).to_string() />
        <section class="card wide">
            <h1>{td!(locale, courses.catalogue_title)}</h1>
            <p>{td!(locale, courses.catalogue_lead)}</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(c) => view! { <CatalogueList c /> }.into_any(),
                        Err(err) => load_error(err),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn CatalogueList(c: super::api::CatalogueResult) -> impl IntoView {
    use crate::profile::domain::Cluster;
    let locale = page_locale();
    let clusters = Cluster::ALL
        .into_iter()
        .map(|k| {
            let v = k.as_str();
            view! { <option value=v selected=c.cluster == v>{cluster_name(locale, k)}</option> }
        })
        .collect_view();
    let href = format!(
        "/courses?q={}&cluster={}&lang={}&",
        encode(&c.q),
        encode(&c.cluster),
        encode(&c.lang)
    );
    let cards = c
        .items
        .into_iter()
        .map(|card| {
            let link = format!("/courses/{}", card.slug);
            let langs = card
                .languages
                .iter()
                .map(|l| lang_name(locale, *l))
                .collect::<Vec<_>>()
                .join(", ");
            let progress = card.done.map(|d| {
                let total = card.lessons.max(1);
                view! {
                    <p>
                        <label>
                            {td!(locale, courses.lessons_done, done = d, total = card.lessons)}
                            " "
                            <progress max=total.to_string() value=d.to_string()>{format!("{d}/{total}")}</progress>
                        </label>
                    </p>
                }
            });
            view! {
                <li class="course-card">
                    <h2><a href=link><Shown text=card.title /></a></h2>
                    {card.core.then(|| view! { <p class="badge">{td!(locale, courses.core_badge)}</p> })}
                    <p><Shown text=card.summary /></p>
                    <p class="hint">
                        {td!(locale, courses.meta, lessons = card.lessons, minutes = card.minutes, langs = langs)}
                    </p>
                    {progress}
                </li>
            }
        })
        .collect_view();
    let any = c.total > 0;
    view! {
        <form method="get" action="/courses" class="search" role="search">
            <label for="q">{td!(locale, courses.search_label)}</label>
            <div class="search-row">
                <input id="q" name="q" type="search" value=c.q.clone() />
            </div>
            <label for="cluster">{td!(locale, courses.filter_cluster)}</label>
            <select id="cluster" name="cluster">
                <option value="">{td!(locale, courses.all_clusters)}</option>
                {clusters}
            </select>
            <label for="lang">{td!(locale, courses.filter_lang)}</label>
            <select id="lang" name="lang">
                <option value="">{td!(locale, courses.all_langs)}</option>
                <option value="id" selected=c.lang == "id">{lang_name(locale, Lang::Id)}</option>
                <option value="en" selected=c.lang == "en">{lang_name(locale, Lang::En)}</option>
            </select>
            <p><button type="submit">{td!(locale, courses.search)}</button></p>
        </form>
        <p id="course-count">{td!(locale, courses.found, count = c.total)}</p>
        {(!any).then(|| view! { <p>{td!(locale, courses.none)}</p> })}
        <ul class="course-list" id="course-list">{cards}</ul>
        <Pager current=c.page total=c.total per_page=c.per_page href />
    }
}

/// `/courses/:slug`: a course, its modules and lessons, and the reader's
/// progress; enrol or resume.
#[component]
pub fn CoursePage() -> impl IntoView {
    let locale = page_locale();
    if signed_in().is_some() {
        private_page();
    }
    let slug = param("slug");
    let enrolled_now = query_flag("enrolled");
    let data = Resource::new(move || slug.clone(), super::api::course);
    let enrol = ServerAction::<Enrol>::new();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(c) => view! {
                        <Title text=c.title.text.clone() />
                        {enrolled_now.then(|| view! { <p class="notice" role="status" id="enrolled">{td!(locale, courses.enrolled_notice)}</p> })}
                        <CourseCard c enrol />
                    }
                    .into_any(),
                    Err(err) => load_error(err),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CourseCard(c: CourseView, enrol: ServerAction<Enrol>) -> impl IntoView {
    let locale = page_locale();
    let result = Signal::derive(move || enrol.value().get());
    let slug = c.slug.clone();
    let requires = c.requires.clone().map(|(s, t, met)| {
        let link = format!("/courses/{s}");
        view! {
            <p class="requires" id="requires">
                {td!(locale, courses.requires)} " " <a href=link><Shown text=t /></a>
                " " {if met { td_string!(locale, courses.requires_met) } else { td_string!(locale, courses.requires_not_met) }}
            </p>
        }
    });
    let can_enrol = c.requires.as_ref().is_none_or(|r| r.2);
    let action = if !c.signed_in {
        let login = format!("/login?next={}", encode(&format!("/courses/{slug}")));
        view! { <p class="actions"><a class="button primary" href=login>{td!(locale, courses.sign_in_to_enrol)}</a></p> }
            .into_any()
    } else if !c.enrolled {
        let slug = slug.clone();
        view! {
            <ActionForm action=enrol attr:id="enrol-form">
                <FormError result />
                <input type="hidden" name="slug" value=slug />
                <button type="submit" class="primary" disabled=!can_enrol>{td!(locale, courses.enrol)}</button>
            </ActionForm>
        }
        .into_any()
    } else {
        match c.resume {
            Some(l) if c.completed_at.is_none() => {
                let link = format!("/courses/{slug}/lessons/{l}");
                view! { <p class="actions"><a class="button primary" id="resume" href=link>{td!(locale, courses.resume)}</a></p> }
                    .into_any()
            }
            _ => ().into_any(),
        }
    };
    let done_total = (c.done, c.total.max(1));
    let certificate = c.certificate.clone().map(|code| {
        let link = format!("/certificates/{code}");
        view! {
            <p class="notice" role="status" id="course-complete">
                {td!(locale, courses.complete_notice)} " "
                <a href=link>{td!(locale, courses.view_certificate)}</a>
            </p>
        }
    });
    let modules = c
        .modules
        .into_iter()
        .map(|m| view! { <ModuleBlock m slug=slug.clone() enrolled=c.enrolled /> })
        .collect_view();
    view! {
        <section class="card">
            <h1><Shown text=c.title /></h1>
            {(!c.published).then(|| view! { <p class="badge">{td!(locale, courses.draft)}</p> })}
            <p><Shown text=c.summary /></p>
            <p class="hint">{td!(locale, courses.by, issuer = c.issuer.clone(), minutes = c.minutes)}</p>
            {requires}
            {certificate}
            {c.enrolled.then(|| view! {
                <label for="course-progress">{td!(locale, courses.lessons_done, done = done_total.0, total = c.total)}</label>
                <progress id="course-progress" max=done_total.1.to_string() value=done_total.0.to_string()>
                    {format!("{}/{}", done_total.0, c.total)}
                </progress>
            })}
            {action}
        </section>
        {modules}
        <p><a href="/courses">{td!(locale, courses.back_to_catalogue)}</a></p>
    }
}

#[component]
fn ModuleBlock(m: ModuleView, slug: String, enrolled: bool) -> impl IntoView {
    let locale = page_locale();
    let total = m.lessons.len();
    let done = m.lessons.iter().filter(|l| l.done).count();
    let id = format!("module-{}", m.position + 1);
    let progress_id = format!("module-progress-{}", m.position + 1);
    let lessons = m
        .lessons
        .into_iter()
        .map(|l| {
            let link = format!("/courses/{slug}/lessons/{}", l.id);
            let title = view! { <Shown text=l.title /> };
            view! {
                <li class:done=l.done>
                    {if m.unlocked {
                        view! { <a href=link>{title}</a> }.into_any()
                    } else {
                        view! { <span>{title}</span> }.into_any()
                    }}
                    {l.done.then(|| view! { " " <span class="step-state done">{td!(locale, courses.done)}</span> })}
                </li>
            }
        })
        .collect_view();
    let quiz = m.quiz.map(|q| {
        let link = format!("/courses/{slug}/quiz/{}", m.id);
        let left = (q.max_attempts - q.used).max(0);
        view! {
            <p class="quiz-line">
                {if m.unlocked {
                    view! { <a href=link>{td!(locale, courses.quiz_link)}</a> }.into_any()
                } else {
                    view! { <span>{td!(locale, courses.quiz_link)}</span> }.into_any()
                }}
                " "
                {if q.passed {
                    td_string!(locale, courses.quiz_passed).to_string()
                } else {
                    td_string!(locale, courses.attempts_left, left = left, max = q.max_attempts).to_string()
                }}
            </p>
        }
    });
    view! {
        <section class="card" id=id>
            <h2><Shown text=m.title /></h2>
            {(!m.unlocked && enrolled).then(|| view! { <p class="hint">{td!(locale, courses.locked)}</p> })}
            {m.complete.then(|| view! { <p class="step-state done">{td!(locale, courses.module_complete)}</p> })}
            {enrolled.then(|| view! {
                <label for=progress_id.clone()>{td!(locale, courses.lessons_done, done = done, total = total)}</label>
                <progress id=progress_id max=total.max(1).to_string() value=done.to_string()>{format!("{done}/{total}")}</progress>
            })}
            <ol class="lessons">{lessons}</ol>
            {quiz}
        </section>
    }
}

/// `/courses/:slug/lessons/:id`: one lesson.
#[component]
pub fn LessonPage() -> impl IntoView {
    require_signed_in_page();
    let slug = param("slug");
    let id = param("id").parse::<i64>().unwrap_or(0);
    let data = Resource::new(
        move || (slug.clone(), id),
        |(s, i)| super::api::lesson(s, i),
    );
    let done = ServerAction::<CompleteLesson>::new();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(l) => view! { <Title text=l.title.text.clone() /> <LessonBody l done /> }.into_any(),
                    Err(err) => locked_or(err),
                }
            })}
        </Suspense>
    }
}

/// A lesson or quiz the caller may not open yet says why, with a way on.
fn locked_or(err: AppError) -> AnyView {
    let locale = page_locale();
    match err.field_code("course") {
        Some(code) => {
            set_page_status(403);
            view! {
                <section class="card">
                    <h1>{td!(locale, courses.locked_title)}</h1>
                    <p class="form-error" role="alert">{crate::shared::messages::field_message(locale, code)}</p>
                    <p><a href="/courses">{td!(locale, courses.back_to_catalogue)}</a></p>
                </section>
            }
            .into_any()
        }
        None => load_error(err),
    }
}

#[component]
fn LessonBody(l: LessonView, done: ServerAction<CompleteLesson>) -> impl IntoView {
    let locale = page_locale();
    let result = Signal::derive(move || done.value().get());
    let course_link = format!("/courses/{}", l.course_slug);
    let continue_text = match l.next {
        Next::Lesson(_) => td_string!(locale, courses.done_next_lesson),
        Next::Quiz(_) => td_string!(locale, courses.done_next_quiz),
        Next::Course => td_string!(locale, courses.done_back),
    };
    let video = l.video_url.clone().map(|u| {
        view! { <p><a href=u rel="noopener noreferrer nofollow">{td!(locale, courses.video)}</a></p> }
    });
    let lang = l.only_in.map(|x| x.as_str());
    view! {
        <article class="card lesson">
            <p class="hint"><a href=course_link><Shown text=l.course_title /></a> " · " <Shown text=l.module_title /></p>
            {l.preview.then(|| view! { <p class="badge">{td!(locale, courses.preview)}</p> })}
            <h1><Shown text=l.title /></h1>
            {l.only_in.map(|x| view! {
                <p class="only-in" id="only-in">{td!(locale, courses.lesson_only_in, lang = lang_name(locale, x))}</p>
            })}
            <div class="lesson-body" lang=lang inner_html=l.html></div>
            {video}
            <ActionForm action=done attr:id="lesson-done-form">
                <FormError result />
                <input type="hidden" name="slug" value=l.course_slug.clone() />
                <input type="hidden" name="id" value=l.id.to_string() />
                {l.done.then(|| view! { <p class="step-state done">{td!(locale, courses.done)}</p> })}
                <button type="submit" class="primary">{continue_text}</button>
            </ActionForm>
        </article>
    }
}

/// `/courses/:slug/quiz/:module`: a module's quiz: start an attempt,
/// answer it, see the result with feedback.
#[component]
pub fn QuizPage() -> impl IntoView {
    require_signed_in_page();
    let slug = param("slug");
    let module = param("module").parse::<i64>().unwrap_or(0);
    let data = Resource::new(
        move || (slug.clone(), module),
        |(s, m)| super::api::quiz(s, m),
    );
    let start = ServerAction::<StartQuiz>::new();
    let submit = ServerAction::<SubmitQuiz>::new();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(q) => view! { <Title text=q.module_title.text.clone() /> <QuizBody q start submit /> }.into_any(),
                    Err(err) => locked_or(err),
                }
            })}
        </Suspense>
    }
}

#[component]
fn QuizBody(
    q: QuizView,
    start: ServerAction<StartQuiz>,
    submit: ServerAction<SubmitQuiz>,
) -> impl IntoView {
    let locale = page_locale();
    let start_result = Signal::derive(move || start.value().get());
    let submit_result = Signal::derive(move || submit.value().get());
    let course_link = format!("/courses/{}", q.course_slug);
    let info = q.info.clone();
    let left = (info.max_attempts - info.used).max(0);
    let rules = td_string!(
        locale,
        courses.quiz_rules,
        draw = info.draw,
        pass = info.pass_percent,
        max = info.max_attempts
    )
    .to_string();
    let last = q.last.clone().map(|r| {
        let items = r
            .questions
            .into_iter()
            .map(|g| {
                let choices = g
                    .choices
                    .into_iter()
                    .map(|(t, picked, correct)| {
                        let mark = match (picked, correct) {
                            (true, true) => td_string!(locale, courses.mark_picked_right),
                            (true, false) => td_string!(locale, courses.mark_picked_wrong),
                            (false, true) => td_string!(locale, courses.mark_missed),
                            (false, false) => "",
                        };
                        view! { <li class:correct=correct>{t} " " <strong>{mark}</strong></li> }
                    })
                    .collect_view();
                view! {
                    <li class:right=g.right>
                        <p><strong>{if g.right { td_string!(locale, courses.right) } else { td_string!(locale, courses.wrong) }}</strong> " " {g.text}</p>
                        <ul>{choices}</ul>
                        <p class="hint">{g.explain}</p>
                    </li>
                }
            })
            .collect_view();
        view! {
            <section class="card" id="quiz-result" aria-labelledby="result-title">
                <h2 id="result-title">{td!(locale, courses.result_title, number = r.number)}</h2>
                <p role="status" id="quiz-score">
                    {td!(locale, courses.score, correct = r.correct, total = r.total)} " "
                    <strong>{if r.passed { td_string!(locale, courses.passed) } else { td_string!(locale, courses.not_passed) }}</strong>
                </p>
                <ol class="graded">{items}</ol>
            </section>
        }
    });
    let body = match q.open {
        Some((attempt, questions)) => {
            let qs = questions
                .into_iter()
                .map(|question| {
                    let input_type = match question.kind {
                        QuestionKind::Single => "radio",
                        QuestionKind::Multiple => "checkbox",
                    };
                    let hint = match question.kind {
                        QuestionKind::Single => td_string!(locale, courses.pick_one),
                        QuestionKind::Multiple => td_string!(locale, courses.pick_all),
                    };
                    let pos = question.position;
                    let choices = question
                        .choices
                        .into_iter()
                        .map(|(id, t)| {
                            let input_id = format!("q{pos}-c{id}");
                            view! {
                                <li>
                                    <input type=input_type id=input_id.clone() name=format!("answer[q{pos}][]") value=format!("{pos}:{id}") />
                                    <label for=input_id>{t}</label>
                                </li>
                            }
                        })
                        .collect_view();
                    view! {
                        <fieldset class="question">
                            <legend>{format!("{}. ", pos + 1)} <Shown text=question.text /></legend>
                            <p class="hint">{hint}</p>
                            <ul class="choices">{choices}</ul>
                        </fieldset>
                    }
                })
                .collect_view();
            view! {
                <ActionForm action=submit attr:id="quiz-form">
                    <FormError result=submit_result />
                    <input type="hidden" name="slug" value=q.course_slug.clone() />
                    <input type="hidden" name="module" value=q.module_id.to_string() />
                    <input type="hidden" name="attempt" value=attempt.to_string() />
                    {qs}
                    <button type="submit" class="primary">{td!(locale, courses.submit_quiz)}</button>
                </ActionForm>
            }
            .into_any()
        }
        None if info.passed => {
            view! { <p class="notice" role="status" id="quiz-passed">{td!(locale, courses.quiz_passed_notice)}</p> }.into_any()
        }
        None if left == 0 => {
            view! { <p class="form-error" role="alert" id="no-attempts">{td!(locale, courses.no_attempts)}</p> }.into_any()
        }
        None => view! {
            <ActionForm action=start attr:id="quiz-start-form">
                <FormError result=start_result />
                <input type="hidden" name="slug" value=q.course_slug.clone() />
                <input type="hidden" name="module" value=q.module_id.to_string() />
                <button type="submit" class="primary">{td!(locale, courses.start_quiz)}</button>
            </ActionForm>
        }
        .into_any(),
    };
    view! {
        <section class="card">
            <p class="hint"><a href=course_link.clone()><Shown text=q.course_title /></a></p>
            <h1>{td!(locale, courses.quiz_title)} ": " <Shown text=q.module_title /></h1>
            <p>{rules}</p>
            <p id="attempts-left">{td!(locale, courses.attempts_left, left = left, max = info.max_attempts)}</p>
            {body}
        </section>
        {last}
        <p><a href=course_link>{td!(locale, courses.back_to_course)}</a></p>
    }
}

/// `/certificates/:code`: anyone may verify a certificate; printable on
/// one A4 page.
#[component]
pub fn CertificatePage() -> impl IntoView {
    let locale = page_locale();
    let code = param("code");
    let data = Resource::new(move || code.clone(), super::api::certificate);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(c) => view! { <Title text=td_string!(locale, courses.certificate_title).to_string() /> <Certificate c /> }.into_any(),
                    Err(AppError::NotFound) => {
                        set_page_status(404);
                        view! {
                            <Title text=td_string!(locale, courses.certificate_unknown_title).to_string() />
                            <section class="card" id="certificate-unknown">
                                <h1>{td!(locale, courses.certificate_unknown_title)}</h1>
                                <p>{td!(locale, courses.certificate_unknown)}</p>
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

#[component]
fn Certificate(c: CertificateView) -> impl IntoView {
    let locale = page_locale();
    // The XML prolog is not markup an HTML page needs.
    let svg = c
        .qr_svg
        .split_once("<svg")
        .map(|(_, rest)| format!("<svg{rest}"))
        .unwrap_or_default();
    let holder = if c.holder_removed {
        view! { <p class="holder removed" id="holder">{td!(locale, courses.holder_removed)}</p> }
            .into_any()
    } else {
        view! { <p class="holder" id="holder">{c.holder_name.clone()}</p> }.into_any()
    };
    let course_link = format!("/courses/{}", c.course_slug);
    view! {
        <article class="card certificate" id="certificate">
            <p class="cert-brand">"Naik Kelas"</p>
            <h1>{td!(locale, courses.certificate_title)}</h1>
            <p>{td!(locale, courses.certifies)}</p>
            {holder}
            <p>{td!(locale, courses.completed_course)}</p>
            <p class="cert-course"><a href=course_link><Shown text=c.course_title /></a></p>
            <dl class="facts">
                <dt>{td!(locale, courses.issued_on)}</dt><dd id="issued-on">{format_date(c.issued_at)}</dd>
                <dt>{td!(locale, courses.issued_by)}</dt><dd id="issued-by">{c.issuer.clone()}</dd>
                <dt>{td!(locale, courses.code)}</dt><dd id="cert-code">{c.code.clone()}</dd>
            </dl>
            <div class="qr" role="img" aria-label=td_string!(locale, courses.qr_label).to_string() inner_html=svg></div>
            <p class="hint">{td!(locale, courses.verify_at)} " " <span class="cert-url">{c.url.clone()}</span></p>
            <p class="valid" role="status">{td!(locale, courses.certificate_valid)}</p>
        </article>
    }
}

/// The signed-in learner's courses, for the home page.
#[component]
pub fn MyCourses(courses: Vec<MyCourse>) -> impl IntoView {
    let locale = page_locale();
    let items = courses
        .into_iter()
        .map(|c| {
            let link = format!("/courses/{}", c.slug);
            let total = c.total.max(1);
            let cert = c.certificate.map(|code| {
                let href = format!("/certificates/{code}");
                view! { " " <a href=href>{td!(locale, courses.view_certificate)}</a> }
            });
            view! {
                <li>
                    <a href=link><Shown text=c.title /></a>
                    <br />
                    <label>
                        {td!(locale, courses.lessons_done, done = c.done, total = c.total)} " "
                        <progress max=total.to_string() value=c.done.to_string()>{format!("{}/{}", c.done, c.total)}</progress>
                    </label>
                    {cert}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="my-courses-title">
            <h2 id="my-courses-title">{td!(locale, courses.mine_title)}</h2>
            <ul class="my-courses" id="my-courses">{items}</ul>
            <p><a href="/courses">{td!(locale, courses.browse)}</a></p>
        </section>
    }
}
