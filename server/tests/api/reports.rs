//! Trainers' reports (issue 15): attendance completing a module, the
//! report's counts against a recount from the completions themselves, its
//! filters and pages, the streamed CSV and who may read either.

use app::shared::session::Role;
use app::workshops::domain::{local_time, Zone};

use crate::helpers::{json, TestApp};

const PW: &str = "laporan-pelatih-2024";

async fn signed_in(app: &TestApp, who: &str, role: Role) -> reqwest::Client {
    app.user_with_role(who, PW, role).await;
    let c = app.client();
    assert_eq!(app.login(&c, who, PW).await.status(), 200);
    c
}

fn local(days: i64) -> String {
    let t = app::shared::db::now() + days * 86_400;
    local_time(t, Zone::Wib)[..16].replacen(' ', "T", 1)
}

async fn post_owned(
    app: &TestApp,
    c: &reqwest::Client,
    path: &str,
    form: &[(&'static str, String)],
) -> reqwest::Response {
    let f: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post(c, path, &f).await
}

async fn one(app: &TestApp, sql: &str, bind: i64) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql)
        .bind(bind)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    n
}

#[tokio::test]
async fn attendance_can_complete_a_module() {
    let app = TestApp::spawn().await;
    app::courses::curriculum::load(&app.db).await.unwrap();
    let admin = signed_in(&app, "admin2@contoh.id", Role::Admin).await;
    let seller = signed_in(&app, "rina@contoh.id", Role::Seller).await;
    let course = app
        .count("select id from courses where slug = 'buka-toko-online'")
        .await;
    let first = one(
        &app,
        "select id from course_modules where course_id = $1 order by position limit 1",
        course,
    )
    .await;
    let second = one(
        &app,
        "select id from course_modules where course_id = $1 order by position limit 1 offset 1",
        course,
    )
    .await;
    let (starts, ends, closes) = (local(3), local(4), local(2));
    let mut form = vec![
        ("slug", "buka-toko-online".to_string()),
        ("title", "Bimtek Toko Online Bandung".into()),
        ("link", String::new()),
        ("address", "Jl. Asia Afrika 1".into()),
        ("province", "32".into()),
        ("regency", "32.73".into()),
        ("starts", starts),
        ("ends", ends),
        ("closes", closes),
        ("capacity", "20".into()),
        // A module of another course is refused, next to the field.
        ("module", "999999".into()),
    ];
    let res = post_owned(&app, &admin, "/api/workshops/create", &form).await;
    assert_eq!(res.status(), 422);
    assert_eq!(json(res).await["fields"][0]["field"], "module");
    form.last_mut().unwrap().1 = first.to_string();
    assert_eq!(
        post_owned(&app, &admin, "/api/workshops/create", &form)
            .await
            .status(),
        200
    );
    let id = app.count("select max(id) from workshops").await;
    let view = json(
        app.post(&seller, "/api/workshops/view", &[("id", &id.to_string())])
            .await,
    )
    .await;
    assert_eq!(view["item"]["module"][0], 1, "{view}");
    assert_eq!(
        app.post(
            &seller,
            "/api/workshops/register",
            &[("id", &id.to_string())]
        )
        .await
        .status(),
        200
    );
    let uid = app
        .count("select id from users where email = 'rina@contoh.id'")
        .await;
    let mark = |present: bool| {
        let mut f = vec![("id", id.to_string()), ("user_id", uid.to_string())];
        if present {
            f.push(("present", "1".into()));
        }
        f
    };
    assert_eq!(
        post_owned(&app, &admin, "/api/workshops/mark", &mark(true))
            .await
            .status(),
        200
    );
    // Present: enrolled, the module complete (naming the workshop), and
    // the learner's place moved on to the next module.
    assert_eq!(
        one(
            &app,
            "select count(*) from module_completions where workshop_id = $1",
            id
        )
        .await,
        1
    );
    let (done, current): (i64, Option<i64>) = sqlx::query_as(
        "select modules_done, current_module_id from enrolments where user_id = $1 and course_id = $2",
    )
    .bind(uid)
    .bind(course)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!((done, current), (1, Some(second)));
    // The course page shows the module complete to the seller.
    let page = json(
        app.post(
            &seller,
            "/api/courses/course",
            &[("slug", "buka-toko-online")],
        )
        .await,
    )
    .await;
    assert_eq!(page["modules"][0]["complete"], true, "{page}");
    // Marked twice: still one completion. Undone: taken back.
    assert_eq!(
        post_owned(&app, &admin, "/api/workshops/mark", &mark(true))
            .await
            .status(),
        200
    );
    assert_eq!(
        one(
            &app,
            "select count(*) from module_completions where user_id = $1",
            uid
        )
        .await,
        1
    );
    assert_eq!(
        post_owned(&app, &admin, "/api/workshops/mark", &mark(false))
            .await
            .status(),
        200
    );
    let (done, current): (i64, Option<i64>) = sqlx::query_as(
        "select modules_done, current_module_id from enrolments where user_id = $1 and course_id = $2",
    )
    .bind(uid)
    .bind(course)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!((done, current), (0, Some(first)));
}

/// Who is where, counted from `module_completions` itself (not from the
/// columns the report reads): per module number, learners whose first
/// module not complete is it.
async fn recount(app: &TestApp, course: i64) -> Vec<i64> {
    let modules: Vec<(i64,)> =
        sqlx::query_as("select id from course_modules where course_id = $1 order by position")
            .bind(course)
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    let learners: Vec<(i64,)> =
        sqlx::query_as("select user_id from enrolments where course_id = $1")
            .bind(course)
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    let done: Vec<(i64, i64)> = sqlx::query_as(
        "select c.user_id, c.module_id from module_completions c join course_modules m on m.id = c.module_id where m.course_id = $1",
    )
    .bind(course)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let done: std::collections::HashSet<(i64, i64)> = done.into_iter().collect();
    let mut at = vec![0; modules.len() + 1];
    for (u,) in learners {
        let first = modules
            .iter()
            .position(|(m,)| !done.contains(&(u, *m)))
            .unwrap_or(modules.len());
        at[first] += 1;
    }
    at
}

#[tokio::test]
async fn the_report_counts_filters_pages_and_streams_csv_to_editors_only() {
    let app = TestApp::spawn().await;
    let trainer = signed_in(&app, "pelatih2@contoh.id", Role::Trainer).await;
    let other = signed_in(&app, "pelatih3@contoh.id", Role::Trainer).await;
    let seller = signed_in(&app, "rina@contoh.id", Role::Seller).await;
    server::generate::run(
        &app.db,
        &server::generate::Options {
            slug: "kursus-uji".into(),
            learners: 130,
            modules: 5,
            owner: Some("pelatih2@contoh.id".into()),
        },
    )
    .await
    .unwrap();
    let course = app
        .count("select id from courses where slug = 'kursus-uji'")
        .await;
    // A learner whose name a spreadsheet would run as a formula.
    sqlx::query(
        "update users set display_name = '=HYPERLINK(\"http://x\")' where email = 'kursus-uji-0@generated.naikkelas.invalid'",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    let expected = recount(&app, course).await;
    let report = |form: Vec<(&'static str, String)>| {
        let c = trainer.clone();
        let app = &app;
        async move {
            let mut f: Vec<(&str, &str)> = vec![("slug", "kursus-uji")];
            f.extend(form.iter().map(|(k, v)| (*k, v.as_str())));
            app.post(&c, "/api/teach/report", &f).await
        }
    };
    let res = report(vec![]).await;
    assert_eq!(res.status(), 200);
    let r = json(res).await;
    assert_eq!(r["summary"]["enrolled"], 130, "{}", r["summary"]);
    assert_eq!(r["summary"]["completed"], expected[5]);
    assert_eq!(
        r["summary"]["not_started"].as_i64().unwrap(),
        expected[0],
        "{}",
        r["summary"]
    );
    for (i, row) in r["stuck"].as_array().unwrap().iter().enumerate() {
        assert_eq!(row["number"], i as i64 + 1);
        assert_eq!(
            row["here"].as_i64().unwrap(),
            expected[i],
            "module {}",
            i + 1
        );
    }
    assert_eq!(r["learners"].as_array().unwrap().len(), 50);
    assert_eq!(r["pages"], 3);
    let last = json(report(vec![("page", "3".into())]).await).await;
    assert_eq!(last["learners"].as_array().unwrap().len(), 30);
    // Stuck on module 2: exactly those, every one on module 2.
    let m2 = r["stuck"][1]["module_id"].to_string();
    let stuck = json(report(vec![("module", m2.clone())]).await).await;
    assert_eq!(stuck["matching"].as_i64().unwrap(), expected[1]);
    for l in stuck["learners"].as_array().unwrap() {
        assert_eq!(l["current"], 2, "{l}");
    }
    // By region: the count of learners whose business is in the province.
    let (province,): (String,) = sqlx::query_as(
        "select b.province_code from businesses b join enrolments e on e.user_id = b.owner_id where e.course_id = $1 limit 1",
    )
    .bind(course)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let (in_province,): (i64,) = sqlx::query_as(
        "select count(*) from businesses b join enrolments e on e.user_id = b.owner_id where e.course_id = $1 and b.province_code = $2",
    )
    .bind(course)
    .bind(&province)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let by_region = json(report(vec![("province", province.clone())]).await).await;
    assert_eq!(by_region["matching"].as_i64().unwrap(), in_province);
    assert_eq!(
        by_region["summary"]["enrolled"].as_i64().unwrap(),
        in_province
    );
    // Bad filters: a field error, not a 500.
    for (field, value) in [("module", "abc"), ("module", "999999"), ("province", "99")] {
        let res = report(vec![(field, value.into())]).await;
        assert_eq!(res.status(), 422, "{field}={value}");
        assert_eq!(json(res).await["fields"][0]["field"], field);
    }
    // Only the course's editors: another trainer and a seller are refused,
    // the report and the CSV alike; without a session the CSV asks to sign in.
    for c in [&other, &seller] {
        assert_eq!(
            app.post(c, "/api/teach/report", &[("slug", "kursus-uji")])
                .await
                .status(),
            403
        );
        let res = c
            .get(app.url("/teach/kursus-uji/report.csv"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
    }
    let res = app
        .client()
        .get(app.url("/teach/kursus-uji/report.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert!(app.audit_count("courses.report_exported").await == 0);

    // The CSV: a header and one row per learner, module dates matching
    // the modules done; in English when asked.
    let res = trainer
        .get(app.url("/teach/kursus-uji/report.csv"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let body = res.text().await.unwrap();
    let mut rows = csv::Reader::from_reader(body.as_bytes());
    let header = rows.headers().unwrap().clone();
    assert_eq!(&header[0], "Name");
    assert_eq!(header.len(), 10 + 5);
    let records: Vec<csv::StringRecord> = rows.records().map(|r| r.unwrap()).collect();
    assert_eq!(records.len(), 130);
    let mut at = [0_i64; 6];
    for r in &records {
        let done: usize = r[5].parse().unwrap();
        assert_eq!(&r[6], "5");
        let dated = (10..15).filter(|i| !r[*i].is_empty()).count();
        assert_eq!(dated, done, "{r:?}");
        at[done] += 1;
        assert!(!r[1].is_empty() && !r[2].is_empty(), "{r:?}");
    }
    assert_eq!(at.to_vec(), expected);
    assert!(records.iter().any(|r| r[0].starts_with("'=HYPERLINK")));
    assert!(!records.iter().any(|r| r[0].starts_with('=')));
    assert_eq!(app.audit_count("courses.report_exported").await, 1);
    // With the page's filter, in Indonesian by default.
    let res = trainer
        .get(app.url(&format!("/teach/kursus-uji/report.csv?module={m2}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body = res.text().await.unwrap();
    let mut rows = csv::Reader::from_reader(body.as_bytes());
    assert_eq!(&rows.headers().unwrap()[0], "Nama");
    assert_eq!(rows.records().count() as i64, expected[1]);
    // Compressed, as browsers ask for it: the stream ends cleanly (an
    // empty report too).
    for query in ["", "?province=11"] {
        let res = trainer
            .get(app.url(&format!("/teach/kursus-uji/report.csv{query}")))
            .header("accept-encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-encoding"], "gzip");
        assert!(!res.bytes().await.expect("the whole body").is_empty());
    }
    let res = trainer
        .get(app.url("/teach/kursus-uji/report.csv?province=99"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    // The page renders for its editor.
    let page = trainer
        .get(app.url(&format!("/teach/kursus-uji/report?module={m2}")))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("id=\"stuck\""), "{html}");
}
