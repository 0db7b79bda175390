//! Training (issue 14): the starter curriculum, the catalogue, enrolment,
//! lessons and sequential modules, quizzes graded on the server with
//! their attempt limit, completion with exactly one certificate, the
//! public verification page, and hostile lesson text.

use crate::helpers::{json, TestApp};

const PW: &str = "belajar-jualan-online";

fn count(statuses: &[u16], status: u16) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}

async fn with_curriculum() -> TestApp {
    let app = TestApp::spawn().await;
    let made = app::courses::curriculum::load(&app.db).await.unwrap();
    assert!(made.len() >= 6, "{made:?}");
    app
}

async fn seller(app: &TestApp, who: &str) -> reqwest::Client {
    let c = app.client();
    assert_eq!(app.signup(&c, "Rina Astuti", who, PW).await.status(), 200);
    c
}

async fn course(app: &TestApp, c: &reqwest::Client, slug: &str) -> serde_json::Value {
    let res = app.post(c, "/api/courses/course", &[("slug", slug)]).await;
    assert_eq!(res.status(), 200);
    json(res).await
}

/// The lessons of a course's module `m`, as ids.
fn lessons(course: &serde_json::Value, m: usize) -> Vec<String> {
    course["modules"][m]["lessons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].to_string())
        .collect()
}

async fn done(app: &TestApp, c: &reqwest::Client, slug: &str, lesson: &str) -> u16 {
    app.post(
        c,
        "/api/courses/lesson-done",
        &[("slug", slug), ("id", lesson)],
    )
    .await
    .status()
    .as_u16()
}

/// The open attempt's id and, per drawn question, its position and its
/// correct choice ids (read from the database, as only the server knows).
async fn open_attempt(
    app: &TestApp,
    c: &reqwest::Client,
    slug: &str,
    module: &str,
) -> (String, Vec<(i64, Vec<i64>)>) {
    let view = json(
        app.post(
            c,
            "/api/courses/quiz",
            &[("slug", slug), ("module", module)],
        )
        .await,
    )
    .await;
    let attempt = view["open"][0].as_i64().expect("an open attempt");
    let drawn: Vec<(i64, i64)> = sqlx::query_as(
        "select position, question_id from attempt_questions where attempt_id = $1 order by position",
    )
    .bind(attempt)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let mut out = Vec::new();
    for (position, q) in drawn {
        let correct: Vec<(i64,)> =
            sqlx::query_as("select id from quiz_choices where question_id = $1 and correct = 1")
                .bind(q)
                .fetch_all(&app.db.pool)
                .await
                .unwrap();
        out.push((position, correct.into_iter().map(|(c,)| c).collect()));
    }
    (attempt.to_string(), out)
}

async fn submit(
    app: &TestApp,
    c: &reqwest::Client,
    slug: &str,
    module: &str,
    attempt: &str,
    answers: &[String],
) -> reqwest::Response {
    let mut form: Vec<(&str, &str)> =
        vec![("slug", slug), ("module", module), ("attempt", attempt)];
    let names: Vec<String> = answers.iter().map(|a| answer_name(a)).collect();
    for (name, a) in names.iter().zip(answers) {
        form.push((name, a));
    }
    app.post(c, "/api/courses/quiz-submit", &form).await
}

/// The form field of an answer `position:choice`: one group per question,
/// as the quiz page names its inputs.
fn answer_name(answer: &str) -> String {
    let position = answer.split(':').next().unwrap_or("0");
    format!("answer[q{position}][]")
}

fn right_answers(drawn: &[(i64, Vec<i64>)]) -> Vec<String> {
    drawn
        .iter()
        .flat_map(|(p, cs)| cs.iter().map(move |c| format!("{p}:{c}")))
        .collect()
}

/// Every question answered with a choice that is not correct.
async fn wrong_answers(app: &TestApp, drawn: &[(i64, Vec<i64>)]) -> Vec<String> {
    let mut out = Vec::new();
    for (p, correct) in drawn {
        let (q,): (i64,) = sqlx::query_as("select question_id from quiz_choices where id = $1")
            .bind(correct[0])
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let (wrong,): (i64,) = sqlx::query_as(
            "select id from quiz_choices where question_id = $1 and correct = 0 limit 1",
        )
        .bind(q)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        out.push(format!("{p}:{wrong}"));
    }
    out
}

#[tokio::test]
async fn the_curriculum_loads_once_and_the_catalogue_searches_and_filters() {
    let app = with_curriculum().await;
    assert!(app::courses::curriculum::load(&app.db)
        .await
        .unwrap()
        .is_empty());
    let c = app.client();
    let all = json(
        app.post(
            &c,
            "/api/courses/catalogue",
            &[("q", ""), ("cluster", ""), ("lang", ""), ("page", "1")],
        )
        .await,
    )
    .await;
    assert_eq!(all["total"], 6);
    assert_eq!(all["items"][0]["core"], true, "the core course first");
    let halal = json(
        app.post(
            &c,
            "/api/courses/catalogue",
            &[("q", "halal"), ("cluster", ""), ("lang", ""), ("page", "1")],
        )
        .await,
    )
    .await;
    assert_eq!(halal["total"], 1);
    assert_eq!(halal["items"][0]["slug"], "halal-self-declare");
    let crafts = json(
        app.post(
            &c,
            "/api/courses/catalogue",
            &[
                ("q", ""),
                ("cluster", "handicrafts"),
                ("lang", "en"),
                ("page", "-3"),
            ],
        )
        .await,
    )
    .await;
    // Courses for every cluster stay; the food-only halal course goes.
    assert_eq!(crafts["total"], 5);
    assert_eq!(crafts["page"], 1);
    // The pages render for anyone, in both languages.
    let page = c
        .get(app.url("/courses?q=ekspor"))
        .header("accept-language", "id")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Ekspor"));
    let en = c
        .get(app.url("/courses/buka-toko-online"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(en.status(), 200);
    assert!(en
        .text()
        .await
        .unwrap()
        .contains("Opening a Shop on a Marketplace"));
    assert_eq!(
        c.get(app.url("/courses/no-such-course"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

#[tokio::test]
async fn lessons_need_enrolment_and_sequential_modules_and_prerequisites_hold_on_the_server() {
    let app = with_curriculum().await;
    let c = seller(&app, "rina@contoh.id").await;
    let core = course(&app, &c, "buka-toko-online").await;
    let first = lessons(&core, 0);
    let second = lessons(&core, 1);
    // Not enrolled: no lesson.
    let res = app
        .post(
            &c,
            "/api/courses/lesson",
            &[("slug", "buka-toko-online"), ("id", &first[0])],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(json(res).await["fields"][0]["code"], "not_enrolled");
    assert_eq!(
        app.post(&c, "/api/courses/enrol", &[("slug", "buka-toko-online")])
            .await
            .status(),
        200
    );
    // Enrolling again changes nothing.
    app.post(&c, "/api/courses/enrol", &[("slug", "buka-toko-online")])
        .await;
    assert_eq!(app.count("select count(*) from enrolments").await, 1);
    let res = app
        .post(
            &c,
            "/api/courses/lesson",
            &[("slug", "buka-toko-online"), ("id", &first[0])],
        )
        .await;
    assert_eq!(res.status(), 200);
    let lesson = json(res).await;
    assert!(lesson["html"].as_str().unwrap().contains("<p>"));
    // Module 2 is sequential: closed until module 1 (with its quiz) is done.
    let res = app
        .post(
            &c,
            "/api/courses/lesson",
            &[("slug", "buka-toko-online"), ("id", &second[0])],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(json(res).await["fields"][0]["code"], "prerequisite_missing");
    assert_eq!(done(&app, &c, "buka-toko-online", &second[0]).await, 422);
    // A lesson of another course is not found through this one.
    let legal = course(&app, &c, "legalitas-nib-oss").await;
    let other = lessons(&legal, 0);
    assert_eq!(done(&app, &c, "buka-toko-online", &other[0]).await, 404);
    // The export course requires the core course.
    let res = app
        .post(&c, "/api/courses/enrol", &[("slug", "ekspor-umkm")])
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(json(res).await["fields"][0]["code"], "prerequisite_missing");
    // Anonymous callers cannot enrol.
    assert_eq!(
        app.post(
            &app.client(),
            "/api/courses/enrol",
            &[("slug", "buka-toko-online")]
        )
        .await
        .status(),
        401
    );
    // Progress and resume.
    assert_eq!(done(&app, &c, "buka-toko-online", &first[0]).await, 200);
    let core = course(&app, &c, "buka-toko-online").await;
    assert_eq!(core["done"], 1);
    assert_eq!(core["modules"][0]["lessons"][0]["done"], true);
    assert_eq!(core["resume"].to_string(), first[0]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn quizzes_are_graded_on_the_server_and_the_attempt_limit_holds_under_load() {
    let app = with_curriculum().await;
    let c = seller(&app, "rina@contoh.id").await;
    app.post(&c, "/api/courses/enrol", &[("slug", "buka-toko-online")])
        .await;
    let core = course(&app, &c, "buka-toko-online").await;
    let module = core["modules"][0]["id"].to_string();
    let form = [("slug", "buka-toko-online"), ("module", module.as_str())];
    // Before submission the answers are nowhere in what the browser gets.
    let start = |_| {
        c.post(app.url("/api/courses/quiz-start"))
            .form(&form)
            .send()
    };
    let statuses = TestApp::at_once(20, start).await;
    assert_eq!(count(&statuses, 200), 20, "{statuses:?}");
    assert_eq!(
        app.count("select count(*) from quiz_attempts").await,
        1,
        "one attempt, resumed"
    );
    let view = app
        .post(&c, "/api/courses/quiz", &form)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !view.contains("correct") && !view.contains("explain"),
        "{view}"
    );
    let page = app
        .browser()
        .get(app.url(&format!("/courses/buka-toko-online/quiz/{module}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 303, "another browser is sent to sign in");
    let (attempt, drawn) = open_attempt(&app, &c, "buka-toko-online", &module).await;
    assert_eq!(drawn.len(), 5, "five drawn from the pool of eight");
    // A forged choice id (another question's) is refused.
    let (foreign,): (i64,) = sqlx::query_as("select max(id) from quiz_choices")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let mut forged = right_answers(&drawn);
    forged[0] = format!("{}:{foreign}", drawn[0].0);
    let res = submit(&app, &c, "buka-toko-online", &module, &attempt, &forged).await;
    assert_eq!(res.status(), 422);
    assert_eq!(json(res).await["fields"][0]["code"], "invalid_choice");
    // Unanswered questions are refused, nothing lost: the attempt stays open.
    let res = submit(
        &app,
        &c,
        "buka-toko-online",
        &module,
        &attempt,
        &right_answers(&drawn)[..1],
    )
    .await;
    assert_eq!(res.status(), 422);
    // Three wrong attempts use the limit; twenty more starts make none.
    for round in 1..=3 {
        if round > 1 {
            let statuses = TestApp::at_once(20, |_| {
                c.post(app.url("/api/courses/quiz-start"))
                    .form(&form)
                    .send()
            })
            .await;
            assert_eq!(count(&statuses, 200), 20, "{statuses:?}");
        }
        assert_eq!(app.count("select count(*) from quiz_attempts").await, round);
        let (attempt, drawn) = open_attempt(&app, &c, "buka-toko-online", &module).await;
        let wrong = wrong_answers(&app, &drawn).await;
        let res = submit(&app, &c, "buka-toko-online", &module, &attempt, &wrong).await;
        assert_eq!(res.status(), 200);
    }
    let statuses = TestApp::at_once(20, |_| {
        c.post(app.url("/api/courses/quiz-start"))
            .form(&form)
            .send()
    })
    .await;
    assert_eq!(count(&statuses, 422), 20, "{statuses:?}");
    assert_eq!(app.count("select count(*) from quiz_attempts").await, 3);
    // The result, after submission, has the feedback.
    let view = json(app.post(&c, "/api/courses/quiz", &form).await).await;
    assert_eq!(view["last"]["passed"], false);
    assert_eq!(view["info"]["used"], 3);
    assert!(!view["last"]["questions"][0]["explain"]
        .as_str()
        .unwrap()
        .is_empty());
}

/// Completes every lesson of a course and passes each quiz with the right
/// answers; the last lesson of the last module is left for the caller.
async fn all_but_last_lesson(app: &TestApp, c: &reqwest::Client, slug: &str) -> String {
    let view = course(app, c, slug).await;
    let modules = view["modules"].as_array().unwrap().len();
    let mut last = String::new();
    for m in 0..modules {
        let ids = lessons(&view, m);
        let module = view["modules"][m]["id"].to_string();
        for (i, l) in ids.iter().enumerate() {
            if m + 1 == modules && i + 1 == ids.len() {
                last = l.clone();
                continue;
            }
            assert_eq!(done(app, c, slug, l).await, 200, "{slug} lesson {l}");
        }
        if !view["modules"][m]["quiz"].is_null() {
            let form = [("slug", slug), ("module", module.as_str())];
            assert_eq!(
                app.post(c, "/api/courses/quiz-start", &form).await.status(),
                200
            );
            let (attempt, drawn) = open_attempt(app, c, slug, &module).await;
            let res = submit(app, c, slug, &module, &attempt, &right_answers(&drawn)).await;
            assert_eq!(res.status(), 200);
        }
    }
    last
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn completing_issues_one_certificate_and_advances_the_journey() {
    let app = with_curriculum().await;
    let c = seller(&app, "rina@contoh.id").await;
    app.post(&c, "/api/courses/enrol", &[("slug", "buka-toko-online")])
        .await;
    let last = all_but_last_lesson(&app, &c, "buka-toko-online").await;
    assert_eq!(app.count("select count(*) from certificates").await, 0);
    // The last lesson, sent ten times at once: one certificate, one message.
    let statuses = TestApp::at_once(10, |_| {
        c.post(app.url("/api/courses/lesson-done"))
            .form(&[("slug", "buka-toko-online"), ("id", last.as_str())])
            .send()
    })
    .await;
    assert_eq!(count(&statuses, 200), 10, "{statuses:?}");
    assert_eq!(app.count("select count(*) from certificates").await, 1);
    assert_eq!(
        app.count("select count(*) from messages where kind = 'courses.certificate'")
            .await,
        1
    );
    let message = app
        .last_message("rina@contoh.id", "courses.certificate")
        .await
        .unwrap();
    assert!(message.contains("/certificates/NK-"), "{message}");
    let view = course(&app, &c, "buka-toko-online").await;
    let code = view["certificate"].as_str().unwrap().to_string();
    assert!(view["completed_at"].is_i64());
    // The core course completes the onboarding step, in the same transaction.
    let mine = json(app.post(&c, "/api/profile/mine", &[]).await).await;
    let step = mine["journey"]["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m[0] == "course_completed")
        .unwrap()[1]
        .clone();
    assert!(step.is_i64(), "{mine}");

    // Anyone verifies it; an unknown code is a clear 404.
    let page = app
        .browser()
        .get(app.url(&format!("/certificates/{code}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Rina Astuti") && html.contains("Membuka Toko di Marketplace"));
    assert!(html.contains("<svg"), "a QR code");
    assert!(
        !html.contains("style="),
        "no inline style: the page CSP forbids it"
    );
    let lower = code.to_lowercase().replace('-', " ");
    let typed = app
        .browser()
        .get(app.url(&format!("/certificates/{}", lower.replace(' ', "%20"))))
        .send()
        .await
        .unwrap();
    assert_eq!(typed.status(), 200);
    for unknown in ["NK-2345-6789-ABCD-EFGH", "nope", "%3Cscript%3E"] {
        let page = app
            .browser()
            .get(app.url(&format!("/certificates/{unknown}")))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 404, "{unknown}");
    }
    // The export course opens now that the core course is complete.
    assert_eq!(
        app.post(&c, "/api/courses/enrol", &[("slug", "ekspor-umkm")])
            .await
            .status(),
        200
    );

    // The download holds the learning; deletion keeps the certificate
    // verifiable without the holder's name.
    let data: serde_json::Value = serde_json::from_str(
        &c.get(app.url("/account/data.json"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(data["certificates"][0]["code"], code.as_str());
    assert!(!data["lessons_done"].as_array().unwrap().is_empty());
    assert!(!data["quiz_attempts"].as_array().unwrap().is_empty());
    let res = app
        .post(&c, "/api/accounts/delete", &[("delete_password", PW)])
        .await;
    assert_eq!(res.status(), 200);
    let (removed, name): (i64, String) =
        sqlx::query_as("select holder_removed, holder_name from certificates")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!((removed, name.as_str()), (1, ""));
    // A path not asked before: anonymous pages are cached for 5 seconds.
    let page = app
        .browser()
        .get(app.url(&format!("/certificates/{}", code.to_lowercase())))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(!html.contains("Rina Astuti"));
    assert!(html.contains("menghapus akunnya"));
    assert_eq!(app.count("select count(*) from lesson_progress").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_attempt_submitted_twice_at_once_counts_once() {
    let app = with_curriculum().await;
    let c = seller(&app, "rina@contoh.id").await;
    app.post(&c, "/api/courses/enrol", &[("slug", "legalitas-nib-oss")])
        .await;
    let view = course(&app, &c, "legalitas-nib-oss").await;
    for l in lessons(&view, 0) {
        assert_eq!(done(&app, &c, "legalitas-nib-oss", &l).await, 200);
    }
    let module = view["modules"][0]["id"].to_string();
    let form = [("slug", "legalitas-nib-oss"), ("module", module.as_str())];
    app.post(&c, "/api/courses/quiz-start", &form).await;
    let (attempt, drawn) = open_attempt(&app, &c, "legalitas-nib-oss", &module).await;
    let answers = right_answers(&drawn);
    let statuses = TestApp::at_once(2, |_| {
        let mut f: Vec<(String, String)> = vec![
            ("slug".into(), "legalitas-nib-oss".into()),
            ("module".into(), module.clone()),
            ("attempt".into(), attempt.clone()),
        ];
        for a in &answers {
            f.push((answer_name(a), a.clone()));
        }
        c.post(app.url("/api/courses/quiz-submit")).form(&f).send()
    })
    .await;
    assert_eq!(count(&statuses, 200), 1, "{statuses:?}");
    assert_eq!(count(&statuses, 409), 1, "{statuses:?}");
    assert_eq!(app.count("select count(*) from certificates").await, 1);
    assert_eq!(
        app.count("select count(*) from audit_log where action = 'courses.certificate_issued'")
            .await,
        1
    );
}

#[tokio::test]
async fn hostile_lesson_text_is_rendered_inert() {
    let app = with_curriculum().await;
    let c = seller(&app, "rina@contoh.id").await;
    app.post(&c, "/api/courses/enrol", &[("slug", "pembukuan-sederhana")])
        .await;
    let view = course(&app, &c, "pembukuan-sederhana").await;
    let first = lessons(&view, 0)[0].clone();
    sqlx::query("update lessons set body_id = $1 where id = $2")
        .bind(
            "Halo <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[klik](javascript:alert(1)) [oss](https://oss.go.id)",
        )
        .bind(first.parse::<i64>().unwrap())
        .execute(&app.db.pool)
        .await
        .unwrap();
    let page = c
        .get(app.url(&format!("/courses/pembukuan-sederhana/lessons/{first}")))
        .header("accept", "text/html")
        .header("accept-language", "id")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap().to_lowercase();
    let body = &html[html.find("lesson-body").unwrap()..];
    let body = &body[..body.find("</div>").unwrap()];
    assert!(!body.contains("<script"), "{body}");
    assert!(!body.contains("<img"), "{body}");
    assert!(!body.contains("javascript:"), "{body}");
    assert!(body.contains("href=\"https://oss.go.id\""), "{body}");
}

async fn with_role(app: &TestApp, who: &str, role: app::shared::session::Role) -> reqwest::Client {
    app.user_with_role(who, PW, role).await;
    let c = app.client();
    assert_eq!(app.login(&c, who, PW).await.status(), 200);
    c
}

fn course_form<'a>(slug: &'a str, title: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("slug", slug),
        ("title_id", title),
        ("title_en", ""),
        ("summary_id", "Ringkasan kursus."),
        ("summary_en", ""),
        ("cluster", "handicrafts"),
        ("minutes", "30"),
    ]
}

#[tokio::test]
async fn only_a_courses_editors_may_change_it() {
    use app::shared::session::Role;
    let app = with_curriculum().await;
    let seller = seller(&app, "rina@contoh.id").await;
    let a = with_role(&app, "pelatih.a@contoh.id", Role::Trainer).await;
    let b = with_role(&app, "pelatih.b@contoh.id", Role::Trainer).await;
    let admin = with_role(&app, "admin2@contoh.id", Role::Admin).await;
    // A seller writes no course.
    let res = app
        .post(
            &seller,
            "/api/teach/create",
            &course_form("anyaman-dasar", "Anyaman Dasar"),
        )
        .await;
    assert_eq!(res.status(), 403);
    assert_eq!(
        app.post(&seller, "/api/teach/list", &[]).await.status(),
        403
    );
    // Trainer A writes one; a bad address and a taken one are field errors.
    let res = app
        .post(
            &a,
            "/api/teach/create",
            &course_form("Anyaman Dasar!", "Anyaman Dasar"),
        )
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(json(res).await["fields"][0]["code"], "invalid_slug");
    let res = app
        .post(
            &a,
            "/api/teach/create",
            &course_form("anyaman-dasar", "Anyaman Dasar"),
        )
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let res = app
        .post(
            &b,
            "/api/teach/create",
            &course_form("anyaman-dasar", "Lain"),
        )
        .await;
    assert_eq!(res.status(), 422);
    let body = json(res).await;
    assert_eq!(body["fields"][0]["code"], "slug_taken");
    assert!(body.to_string().contains("Lain"), "what was typed is kept");
    // Trainer B cannot see, edit or publish A's course; nor a seller.
    let list = json(app.post(&b, "/api/teach/list", &[]).await).await;
    assert!(list.as_array().unwrap().is_empty(), "{list}");
    for (who, status) in [(&b, 403), (&seller, 403)] {
        assert_eq!(
            app.post(who, "/api/teach/course", &[("slug", "anyaman-dasar")])
                .await
                .status(),
            status
        );
        let mut form = course_form("anyaman-dasar", "Diambil alih");
        form.retain(|(k, _)| *k != "slug");
        form.push(("slug", "anyaman-dasar"));
        assert_eq!(
            app.post(who, "/api/teach/save", &form).await.status(),
            status
        );
        assert_eq!(
            app.post(
                who,
                "/api/teach/publish",
                &[("slug", "anyaman-dasar"), ("publish", "1")]
            )
            .await
            .status(),
            status
        );
    }
    // Nor the portal's own courses, until an administrator assigns them.
    assert_eq!(
        app.post(&a, "/api/teach/course", &[("slug", "buka-toko-online")])
            .await
            .status(),
        403
    );
    let (a_id,): (i64,) =
        sqlx::query_as("select id from users where email = 'pelatih.a@contoh.id'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let (b_id,): (i64,) =
        sqlx::query_as("select id from users where email = 'pelatih.b@contoh.id'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    // Only administrators assign and reassign.
    assert_eq!(
        app.post(
            &a,
            "/api/teach/editor",
            &[("slug", "buka-toko-online"), ("trainer", &a_id.to_string())]
        )
        .await
        .status(),
        403
    );
    assert_eq!(
        app.post(
            &admin,
            "/api/teach/editor",
            &[("slug", "buka-toko-online"), ("trainer", &a_id.to_string())]
        )
        .await
        .status(),
        200
    );
    assert_eq!(
        app.post(&a, "/api/teach/course", &[("slug", "buka-toko-online")])
            .await
            .status(),
        200
    );
    assert_eq!(
        app.post(
            &admin,
            "/api/teach/reassign",
            &[("slug", "anyaman-dasar"), ("owner", &b_id.to_string())]
        )
        .await
        .status(),
        200
    );
    assert_eq!(
        app.post(&b, "/api/teach/course", &[("slug", "anyaman-dasar")])
            .await
            .status(),
        200
    );
    assert_eq!(
        app.post(&a, "/api/teach/course", &[("slug", "anyaman-dasar")])
            .await
            .status(),
        403
    );
    // A seller cannot be made an owner.
    let (seller_id,): (i64,) =
        sqlx::query_as("select id from users where email = 'rina@contoh.id'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(
        app.post(
            &admin,
            "/api/teach/reassign",
            &[("slug", "anyaman-dasar"), ("owner", &seller_id.to_string())]
        )
        .await
        .status(),
        422
    );
    assert!(app.audit_count("courses.reassigned").await == 1);
}

#[tokio::test]
async fn a_trainer_writes_a_course_with_a_quiz_previews_and_publishes_it() {
    use app::shared::session::Role;
    let app = with_curriculum().await;
    let t = with_role(&app, "pelatih@contoh.id", Role::Trainer).await;
    let learner = seller(&app, "rina@contoh.id").await;
    app.post(
        &t,
        "/api/teach/create",
        &course_form("anyaman-dasar", "Anyaman Dasar"),
    )
    .await;
    // Not publishable without a lesson.
    let res = app
        .post(
            &t,
            "/api/teach/publish",
            &[("slug", "anyaman-dasar"), ("publish", "1")],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(json(res).await["fields"][0]["code"], "not_ready");
    let res = app
        .post(
            &t,
            "/api/teach/module",
            &[
                ("slug", "anyaman-dasar"),
                ("module_title_id", "Bahan"),
                ("module_title_en", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let draft = json(
        app.post(&t, "/api/teach/course", &[("slug", "anyaman-dasar")])
            .await,
    )
    .await;
    let module = draft["modules"][0]["id"].to_string();
    // The module is renamed, in English too; no title at all is refused.
    let res = app
        .post(
            &t,
            "/api/teach/module-save",
            &[
                ("slug", "anyaman-dasar"),
                ("module", &module),
                ("module_title_id", "Bahan dan alat"),
                ("module_title_en", "Materials and tools"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = app
        .post(
            &t,
            "/api/teach/module-save",
            &[
                ("slug", "anyaman-dasar"),
                ("module", &module),
                ("module_title_id", ""),
                ("module_title_en", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let res = app
        .post(
            &t,
            "/api/teach/lesson-add",
            &[("slug", "anyaman-dasar"), ("module", &module)],
        )
        .await;
    assert_eq!(res.status(), 200);
    let lesson = res.headers()["location"]
        .to_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    // A title without its text is refused, and nothing typed is lost.
    let res = app
        .post(
            &t,
            "/api/teach/lesson-save",
            &[
                ("slug", "anyaman-dasar"),
                ("id", &lesson),
                ("title_id", "Memilih pandan"),
                ("title_en", ""),
                ("body_id", ""),
                ("body_en", ""),
                ("video_url", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("Memilih pandan"));
    let res = app
        .post(
            &t,
            "/api/teach/lesson-save",
            &[
                ("slug", "anyaman-dasar"),
                ("id", &lesson),
                ("title_id", "Memilih pandan"),
                ("title_en", ""),
                (
                    "body_id",
                    "Pilih daun **pandan** yang panjang. <script>x</script>",
                ),
                ("body_en", ""),
                ("video_url", "https://video.example.id/pandan"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    // A quiz: a single-answer question with two right choices is refused.
    let res = app
        .post(
            &t,
            "/api/teach/quiz",
            &[
                ("slug", "anyaman-dasar"),
                ("module", &module),
                ("pass_percent", "100"),
                ("draw", "1"),
                ("max_attempts", "2"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let question = |ok2: bool| {
        let mut q = vec![
            ("slug", "anyaman-dasar".to_string()),
            ("module", module.clone()),
            ("kind", "single".to_string()),
            ("text_id", "Daun apa yang dipakai?".to_string()),
            ("text_en", "".to_string()),
            ("explain_id", "Pandan.".to_string()),
            ("explain_en", "".to_string()),
            ("choice1_id", "Pandan".to_string()),
            ("choice1_en", "".to_string()),
            ("choice1_ok", "1".to_string()),
            ("choice2_id", "Pisang".to_string()),
            ("choice2_en", "".to_string()),
        ];
        if ok2 {
            q.push(("choice2_ok", "1".to_string()));
        }
        q
    };
    let bad = question(true);
    let pairs: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        app.post(&t, "/api/teach/question", &pairs).await.status(),
        422
    );
    let good = question(false);
    let pairs: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        app.post(&t, "/api/teach/question", &pairs).await.status(),
        200
    );
    // A draft is hidden from learners, but its editor previews it.
    assert_eq!(
        app.post(
            &learner,
            "/api/courses/course",
            &[("slug", "anyaman-dasar")]
        )
        .await
        .status(),
        404
    );
    let preview = json(
        app.post(
            &t,
            "/api/courses/lesson",
            &[("slug", "anyaman-dasar"), ("id", &lesson)],
        )
        .await,
    )
    .await;
    assert_eq!(preview["preview"], true);
    assert!(preview["html"]
        .as_str()
        .unwrap()
        .contains("<strong>pandan</strong>"));
    assert!(!preview["html"].as_str().unwrap().contains("<script>"));
    assert_eq!(preview["only_in"], serde_json::Value::Null);
    let res = app
        .post(
            &t,
            "/api/teach/publish",
            &[("slug", "anyaman-dasar"), ("publish", "1")],
        )
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    // A required course must be published and cannot require this one
    // back, however far round.
    let mut form = course_form("anyaman-dasar", "Anyaman Dasar");
    form.push(("requires", "buka-toko-online"));
    assert_eq!(app.post(&t, "/api/teach/save", &form).await.status(), 200);
    let mut form = course_form("anyaman-dasar", "Anyaman Dasar");
    form.push(("requires", "anyaman-dasar"));
    let res = app.post(&t, "/api/teach/save", &form).await;
    assert_eq!(res.status(), 422);
    assert_eq!(json(res).await["fields"][0]["field"], "requires");
    let mut form = course_form("anyaman-dasar", "Anyaman Dasar");
    form.push(("requires", ""));
    assert_eq!(app.post(&t, "/api/teach/save", &form).await.status(), 200);
    // Published: in the catalogue, and a learner completes it.
    let found = json(
        app.post(
            &learner,
            "/api/courses/catalogue",
            &[
                ("q", "anyaman"),
                ("cluster", ""),
                ("lang", ""),
                ("page", "1"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(found["total"], 1);
    app.post(&learner, "/api/courses/enrol", &[("slug", "anyaman-dasar")])
        .await;
    assert_eq!(done(&app, &learner, "anyaman-dasar", &lesson).await, 200);
    // An English reader sees the Indonesian text with its marker.
    let en = learner
        .post(app.url("/api/courses/lesson"))
        .header("accept-language", "en")
        .form(&[("slug", "anyaman-dasar"), ("id", lesson.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(json(en).await["only_in"], "id");
    let form = [("slug", "anyaman-dasar"), ("module", module.as_str())];
    app.post(&learner, "/api/courses/quiz-start", &form).await;
    let (attempt, drawn) = open_attempt(&app, &learner, "anyaman-dasar", &module).await;
    let res = submit(
        &app,
        &learner,
        "anyaman-dasar",
        &module,
        &attempt,
        &right_answers(&drawn),
    )
    .await;
    assert_eq!(res.status(), 200);
    let view = course(&app, &learner, "anyaman-dasar").await;
    assert!(view["certificate"].is_string());
    assert_eq!(view["issuer"], "Test User · Naik Kelas");
    // A question drawn in an attempt stays.
    let (qid,): (i64,) = sqlx::query_as("select question_id from attempt_questions limit 1")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let res = app
        .post(
            &t,
            "/api/teach/question-remove",
            &[("slug", "anyaman-dasar"), ("question", &qid.to_string())],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(json(res).await["fields"][0]["code"], "in_use");
    // The authoring pages render for the trainer and refuse a seller.
    for path in [
        "/teach",
        "/teach/anyaman-dasar",
        &format!("/teach/anyaman-dasar/modules/{module}"),
        &format!("/teach/anyaman-dasar/lessons/{lesson}"),
    ] {
        let page = t
            .get(app.url(path))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200, "{path}");
        let page = learner
            .get(app.url(path))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 403, "{path}");
    }
}

async fn upload(
    app: &TestApp,
    c: &reqwest::Client,
    slug: &str,
    lesson: &str,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let form = reqwest::multipart::Form::new()
        .text("slug", slug.to_string())
        .text("lesson", lesson.to_string())
        .part(
            "image",
            reqwest::multipart::Part::bytes(bytes)
                .file_name(name.to_string())
                .mime_str("image/png")
                .unwrap(),
        );
    c.post(app.url("/api/teach/image"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn lesson_images_are_checked_shrunk_stored_and_served() {
    use app::courses::images::{png_header_claiming, sample_png};
    use app::shared::session::Role;
    let app = with_curriculum().await;
    let t = with_role(&app, "pelatih@contoh.id", Role::Trainer).await;
    let learner = seller(&app, "rina@contoh.id").await;
    app.post(
        &t,
        "/api/teach/create",
        &course_form("anyaman-dasar", "Anyaman Dasar"),
    )
    .await;
    app.post(
        &t,
        "/api/teach/module",
        &[
            ("slug", "anyaman-dasar"),
            ("module_title_id", "Bahan"),
            ("module_title_en", ""),
        ],
    )
    .await;
    let draft = json(
        app.post(&t, "/api/teach/course", &[("slug", "anyaman-dasar")])
            .await,
    )
    .await;
    let module = draft["modules"][0]["id"].to_string();
    let res = app
        .post(
            &t,
            "/api/teach/lesson-add",
            &[("slug", "anyaman-dasar"), ("module", &module)],
        )
        .await;
    let lesson = res.headers()["location"]
        .to_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();

    // A wide PNG is accepted, scaled to 1600 px and re-encoded.
    let res = upload(
        &app,
        &t,
        "anyaman-dasar",
        &lesson,
        "foto.png",
        sample_png(2400, 300),
    )
    .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let (key, width, height): (String, i64, i64) =
        sqlx::query_as("select key, width, height from course_images")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!((width, height), (1600, 200));
    let served = app
        .client()
        .get(app.url(&format!("/media/{key}")))
        .send()
        .await
        .unwrap();
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "image/jpeg");
    assert_eq!(served.headers()["x-content-type-options"], "nosniff");
    assert!(served.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("immutable"));
    assert!(!served.bytes().await.unwrap().is_empty());
    // Refused: HTML named .png, an SVG, a 20,000 × 20,000 PNG (by its
    // header, before decoding), and a body over the upload's own limit.
    for (name, bytes, code) in [
        (
            "foto.png",
            b"<html><script>alert(1)</script></html>".to_vec(),
            "invalid_image",
        ),
        (
            "logo.svg",
            br#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>"#.to_vec(),
            "invalid_image",
        ),
        (
            "bom.png",
            png_header_claiming(20_000, 20_000),
            "image_too_large",
        ),
    ] {
        let res = upload(&app, &t, "anyaman-dasar", &lesson, name, bytes).await;
        assert_eq!(res.status(), 422, "{name}");
        assert_eq!(json(res).await["fields"][0]["code"], code, "{name}");
    }
    let res = upload(
        &app,
        &t,
        "anyaman-dasar",
        &lesson,
        "besar.png",
        vec![0u8; 9 * 1024 * 1024],
    )
    .await;
    assert_eq!(res.status(), 413);
    // The global limit still holds elsewhere.
    let big = "x".repeat(100 * 1024);
    let res = app
        .post(
            &t,
            "/api/teach/save",
            &[("slug", "anyaman-dasar"), ("title_id", big.as_str())],
        )
        .await;
    assert_eq!(res.status(), 413);
    assert_eq!(app.count("select count(*) from course_images").await, 1);
    // Only the course's editors upload.
    let res = upload(
        &app,
        &learner,
        "anyaman-dasar",
        &lesson,
        "foto.png",
        sample_png(10, 10),
    )
    .await;
    assert_eq!(res.status(), 403);
    // Unknown or crafted keys are 404.
    for path in [
        "/media/../../etc/passwd",
        "/media/abc.svg",
        &format!("/media/{}.png", "0".repeat(64)),
    ] {
        let res = app.client().get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 404, "{path}");
    }
}

/// Runs where an S3-compatible service answers at `TEST_S3_ENDPOINT`
/// (`.ci/test` starts one, moto's server, with a bucket `naik-media`):
/// two app servers share the images through it.
#[tokio::test]
async fn lesson_images_are_shared_through_an_s3_compatible_store() {
    use app::courses::images::sample_png;
    use app::shared::session::Role;
    let Ok(endpoint) = std::env::var("TEST_S3_ENDPOINT") else {
        eprintln!("TEST_S3_ENDPOINT is not set: the S3 store is tested by .ci/test");
        return;
    };
    for (k, v) in [
        ("AWS_ENDPOINT", endpoint.as_str()),
        ("AWS_ALLOW_HTTP", "true"),
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "test"),
        ("AWS_REGION", "us-east-1"),
    ] {
        std::env::set_var(k, v);
    }
    let prefix = format!("s3://naik-media/t{}", app::shared::secret::random_hex());
    let app = TestApp::spawn_with(|c| c.media_store = prefix.clone()).await;
    app::courses::curriculum::load(&app.db).await.unwrap();
    let other = app
        .second_server_with(|c| c.media_store = prefix.clone())
        .await;
    let admin = with_role(&app, "admin2@contoh.id", Role::Admin).await;
    let view = json(
        app.post(&admin, "/api/teach/course", &[("slug", "buka-toko-online")])
            .await,
    )
    .await;
    let lesson = view["modules"][0]["lessons"][0][0].to_string();
    let res = upload(
        &app,
        &admin,
        "buka-toko-online",
        &lesson,
        "foto.png",
        sample_png(800, 600),
    )
    .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let (key,): (String,) = sqlx::query_as("select key from course_images")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    // The other app server serves it from the shared store.
    let served = other
        .client()
        .get(other.url(&format!("/media/{key}")))
        .send()
        .await
        .unwrap();
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "image/jpeg");
}
