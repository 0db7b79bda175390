//! Workshops (issue 15, first part): capacity and the waiting list under
//! simultaneous registrations, promotion in order on cancellation (also
//! two at once), the registration deadline, who takes attendance, and
//! deletion freeing a seat.

use app::shared::session::Role;
use app::workshops::domain::{local_time, Zone};

use crate::helpers::{json, TestApp};

const PW: &str = "bimtek-di-kota-kami";

fn count(statuses: &[u16], status: u16) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}

/// `YYYY-MM-DDTHH:MM` in WIB, `days` from now.
fn local(days: i64) -> String {
    let t = app::shared::db::now() + days * 86_400;
    local_time(t, Zone::Wib)[..16].replacen(' ', "T", 1)
}

async fn signed_in(app: &TestApp, who: &str, role: Role) -> reqwest::Client {
    app.user_with_role(who, PW, role).await;
    let c = app.client();
    assert_eq!(app.login(&c, who, PW).await.status(), 200);
    c
}

async fn workshop(app: &TestApp, trainer: &reqwest::Client, capacity: &str) -> String {
    let (starts, ends, closes) = (local(3), local(4), local(2));
    let res = app
        .post(
            trainer,
            "/api/workshops/create",
            &[
                ("slug", "buka-toko-online"),
                ("title", "Bimtek Foto Produk Makassar"),
                ("link", ""),
                ("address", "Gedung UMKM, Jl. Pettarani 1"),
                ("province", "73"),
                ("regency", "73.71"),
                ("starts", &starts),
                ("ends", &ends),
                ("closes", &closes),
                ("capacity", capacity),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let (id,): (i64,) = sqlx::query_as("select max(id) from workshops")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    id.to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_registrations_for_ten_seats_and_promotion_in_order() {
    let app = TestApp::spawn().await;
    app::courses::curriculum::load(&app.db).await.unwrap();
    let admin = signed_in(&app, "admin2@contoh.id", Role::Admin).await;
    let id = workshop(&app, &admin, "10").await;
    // Makassar is WITA: the times are shown in the venue's zone.
    let view = json(
        app.post(&admin, "/api/workshops/view", &[("id", &id)])
            .await,
    )
    .await;
    assert!(
        view["item"]["starts"].as_str().unwrap().ends_with("WITA"),
        "{view}"
    );
    let mut sellers = Vec::new();
    for i in 0..50 {
        sellers.push(signed_in(&app, &format!("penjual{i}@contoh.id"), Role::Seller).await);
    }
    let statuses = TestApp::at_once(50, |i| {
        sellers[i]
            .post(app.url("/api/workshops/register"))
            .form(&[("id", id.as_str())])
            .send()
    })
    .await;
    assert_eq!(count(&statuses, 200), 50, "{statuses:?}");
    let q = |status: &str| {
        format!("select count(*) from workshop_registrations where status = '{status}'")
    };
    assert_eq!(app.count(&q("seated")).await, 10);
    assert_eq!(app.count(&q("waiting")).await, 40);
    // Queue numbers are 1..=50, each once: the arrival order.
    assert_eq!(
        app.count("select count(distinct queue_no) from workshop_registrations where queue_no between 1 and 50").await,
        50
    );
    // Registering again changes nothing.
    app.post(&sellers[0], "/api/workshops/register", &[("id", &id)])
        .await;
    assert_eq!(
        app.count("select count(*) from workshop_registrations")
            .await,
        50
    );
    // The first two waiting, in order.
    let waiting: Vec<(i64,)> = sqlx::query_as(
        "select user_id from workshop_registrations where status = 'waiting' order by queue_no limit 3",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let seated: Vec<(i64,)> = sqlx::query_as(
        "select user_id from workshop_registrations where status = 'seated' order by queue_no limit 2",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let (a,): (String,) = sqlx::query_as("select email from users where id = $1")
        .bind(seated[0].0)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let (b,): (String,) = sqlx::query_as("select email from users where id = $1")
        .bind(seated[1].0)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let pick = |email: &str| {
        let n: usize = email
            .trim_start_matches("penjual")
            .trim_end_matches("@contoh.id")
            .parse()
            .unwrap();
        sellers[n].clone()
    };
    let (ca, cb) = (pick(&a), pick(&b));
    // Two seated people cancel at the same moment: the first two waiting
    // get their seats, once each.
    let statuses = TestApp::at_once(2, |i| {
        let c = if i == 0 { &ca } else { &cb };
        c.post(app.url("/api/workshops/cancel"))
            .form(&[("id", id.as_str())])
            .send()
    })
    .await;
    assert_eq!(count(&statuses, 200), 2, "{statuses:?}");
    assert_eq!(app.count(&q("seated")).await, 10);
    assert_eq!(app.count(&q("waiting")).await, 38);
    for (uid,) in &waiting[..2] {
        let (status,): (String,) =
            sqlx::query_as("select status from workshop_registrations where user_id = $1")
                .bind(uid)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(status, "seated");
    }
    let (third,): (String,) =
        sqlx::query_as("select status from workshop_registrations where user_id = $1")
            .bind(waiting[2].0)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(third, "waiting");
    assert_eq!(
        app.count("select count(*) from messages where kind = 'workshops.promoted'")
            .await,
        2
    );
    // A waiting seller sees their place.
    let (uid,): (i64,) = sqlx::query_as(
        "select user_id from workshop_registrations where status = 'waiting' order by queue_no limit 1 offset 4",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let (email,): (String,) = sqlx::query_as("select email from users where id = $1")
        .bind(uid)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let view = json(
        app.post(&pick(&email), "/api/workshops/view", &[("id", &id)])
            .await,
    )
    .await;
    assert_eq!(view["mine"]["Waiting"], 5, "{view}");
    // Deleting a seated account frees its seat for the next in line.
    let (uid,): (i64,) = sqlx::query_as(
        "select user_id from workshop_registrations where status = 'seated' order by queue_no limit 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let (email,): (String,) = sqlx::query_as("select email from users where id = $1")
        .bind(uid)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let res = app
        .post(
            &pick(&email),
            "/api/accounts/delete",
            &[("delete_password", PW)],
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(app.count(&q("seated")).await, 10);
    assert_eq!(app.count(&q("waiting")).await, 37);
}

#[tokio::test]
async fn the_deadline_holds_and_only_the_courses_editors_take_attendance() {
    let app = TestApp::spawn().await;
    app::courses::curriculum::load(&app.db).await.unwrap();
    let admin = signed_in(&app, "admin2@contoh.id", Role::Admin).await;
    let trainer = signed_in(&app, "pelatih.lain@contoh.id", Role::Trainer).await;
    let seller = signed_in(&app, "rina@contoh.id", Role::Seller).await;
    let late = signed_in(&app, "budi@contoh.id", Role::Seller).await;
    // Bad input: a field error each, nothing created.
    let res = app
        .post(
            &admin,
            "/api/workshops/create",
            &[
                ("slug", "buka-toko-online"),
                ("title", ""),
                ("link", ""),
                ("address", ""),
                ("province", "31"),
                ("regency", "73.71"),
                ("starts", "2020-01-01T09:00"),
                ("ends", "besok"),
                ("closes", ""),
                ("capacity", "0"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let body = json(res).await.to_string();
    for field in ["title", "regency", "starts", "ends", "closes", "capacity"] {
        assert!(
            body.contains(&format!("\"field\":\"{field}\"")),
            "{field} in {body}"
        );
    }
    assert_eq!(app.count("select count(*) from workshops").await, 0);
    // A trainer who may not edit the course schedules nothing.
    let (starts, ends, closes) = (local(3), local(4), local(2));
    let res = app
        .post(
            &trainer,
            "/api/workshops/create",
            &[
                ("slug", "buka-toko-online"),
                ("title", "Bimtek"),
                ("link", ""),
                ("address", "Jl. Pettarani 1"),
                ("province", "73"),
                ("regency", "73.71"),
                ("starts", &starts),
                ("ends", &ends),
                ("closes", &closes),
                ("capacity", "5"),
            ],
        )
        .await;
    assert_eq!(res.status(), 403);
    assert_eq!(app.count("select count(*) from workshops").await, 0);
    let id = workshop(&app, &admin, "5").await;
    assert_eq!(
        app.post(&seller, "/api/workshops/register", &[("id", &id)])
            .await
            .status(),
        200
    );
    // Only the course's editors see and mark the attendance list.
    let (uid,): (i64,) = sqlx::query_as("select id from users where email = 'rina@contoh.id'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    for c in [&trainer, &seller] {
        assert_eq!(
            app.post(c, "/api/workshops/attendance", &[("id", &id)])
                .await
                .status(),
            403
        );
        assert_eq!(
            app.post(
                c,
                "/api/workshops/mark",
                &[("id", &id), ("user_id", &uid.to_string()), ("present", "1")]
            )
            .await
            .status(),
            403
        );
    }
    let res = app
        .post(
            &admin,
            "/api/workshops/mark",
            &[("id", &id), ("user_id", &uid.to_string()), ("present", "1")],
        )
        .await;
    assert_eq!(res.status(), 200);
    let list = json(
        app.post(&admin, "/api/workshops/attendance", &[("id", &id)])
            .await,
    )
    .await;
    assert_eq!(list["people"][0]["present"], true);
    // After the deadline, no registration.
    sqlx::query("update workshops set closes_at = 1")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let res = app
        .post(&late, "/api/workshops/register", &[("id", &id)])
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(json(res).await["fields"][0]["code"], "registration_closed");
    // The pages render (the attendance list for its editor only).
    let page = admin
        .get(app.url(&format!("/workshops/{id}/attendance")))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let page = seller
        .get(app.url(&format!("/workshops/{id}/attendance")))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 403);
    let page = app
        .client()
        .get(app.url("/workshops"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn seats_and_attendance_hold_across_two_app_servers() {
    let a = TestApp::spawn().await;
    let b = a.second_server().await;
    app::courses::curriculum::load(&a.db).await.unwrap();
    let admin = signed_in(&a, "admin2@contoh.id", Role::Admin).await;
    let module = a
        .count(
            "select m.id from course_modules m join courses c on c.id = m.course_id \
             where c.slug = 'buka-toko-online' order by m.position limit 1",
        )
        .await
        .to_string();
    let (starts, ends, closes) = (local(3), local(4), local(2));
    let res = a
        .post(
            &admin,
            "/api/workshops/create",
            &[
                ("slug", "buka-toko-online"),
                ("title", "Bimtek dua server"),
                ("link", ""),
                ("address", "Jl. Pettarani 1"),
                ("province", "73"),
                ("regency", "73.71"),
                ("starts", &starts),
                ("ends", &ends),
                ("closes", &closes),
                ("capacity", "10"),
                ("module", &module),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let id = a.count("select max(id) from workshops").await.to_string();
    // Forty sellers, half signed in on each server, register at once.
    let mut sellers = Vec::new();
    for i in 0..40 {
        let server = if i % 2 == 0 { &a } else { &b };
        sellers.push((
            signed_in(server, &format!("dua{i}@contoh.id"), Role::Seller).await,
            server.url("/api/workshops/register"),
            server.url("/api/workshops/cancel"),
        ));
    }
    let statuses = TestApp::at_once(40, |i| {
        sellers[i]
            .0
            .post(&sellers[i].1)
            .form(&[("id", id.as_str())])
            .send()
    })
    .await;
    assert_eq!(count(&statuses, 200), 40, "{statuses:?}");
    let q = |status: &str| {
        format!("select count(*) from workshop_registrations where status = '{status}'")
    };
    assert_eq!(a.count(&q("seated")).await, 10);
    assert_eq!(a.count(&q("waiting")).await, 30);
    assert_eq!(
        a.count("select count(distinct queue_no) from workshop_registrations where queue_no between 1 and 40")
            .await,
        40
    );
    // One seated seller on each server cancels at the same moment: the
    // first two waiting get the seats, once each.
    let seated: Vec<(String,)> = sqlx::query_as(
        "select u.email from workshop_registrations r join users u on u.id = r.user_id \
         where r.status = 'seated' order by r.queue_no",
    )
    .fetch_all(&a.db.pool)
    .await
    .unwrap();
    let index = |email: &str| -> usize {
        email
            .trim_start_matches("dua")
            .trim_end_matches("@contoh.id")
            .parse()
            .unwrap()
    };
    // The first two seated, one cancelling through each server (as a
    // browser behind a load balancer: same site, either server).
    let two = [index(&seated[0].0), index(&seated[1].0)];
    let first_waiting: Vec<(i64,)> = sqlx::query_as(
        "select user_id from workshop_registrations where status = 'waiting' order by queue_no limit 2",
    )
    .fetch_all(&a.db.pool)
    .await
    .unwrap();
    let statuses = TestApp::at_once(2, |i| {
        let url = if i == 0 { &a } else { &b }.url("/api/workshops/cancel");
        sellers[two[i]]
            .0
            .post(url)
            .header("sec-fetch-site", "same-origin")
            .form(&[("id", id.as_str())])
            .send()
    })
    .await;
    assert_eq!(count(&statuses, 200), 2, "{statuses:?}");
    assert_eq!(a.count(&q("seated")).await, 10);
    assert_eq!(a.count(&q("waiting")).await, 28);
    for (uid,) in first_waiting {
        let (status,): (String,) =
            sqlx::query_as("select status from workshop_registrations where user_id = $1")
                .bind(uid)
                .fetch_one(&a.db.pool)
                .await
                .unwrap();
        assert_eq!(status, "seated");
    }
    assert_eq!(
        a.count("select count(*) from messages where kind = 'workshops.promoted'")
            .await,
        2
    );
    // The same person marked present twenty times at once, through both
    // servers: one enrolment, one completion.
    let admin_b = b.client();
    assert_eq!(
        b.login(&admin_b, "admin2@contoh.id", PW).await.status(),
        200
    );
    let (person,): (i64,) = sqlx::query_as(
        "select user_id from workshop_registrations where status = 'seated' order by queue_no limit 1",
    )
    .fetch_one(&a.db.pool)
    .await
    .unwrap();
    let person = person.to_string();
    let statuses = TestApp::at_once(20, |i| {
        let (c, server) = if i % 2 == 0 {
            (&admin, &a)
        } else {
            (&admin_b, &b)
        };
        c.post(server.url("/api/workshops/mark"))
            .form(&[
                ("id", id.as_str()),
                ("user_id", person.as_str()),
                ("present", "1"),
            ])
            .send()
    })
    .await;
    assert_eq!(count(&statuses, 200), 20, "{statuses:?}");
    assert_eq!(
        a.count(&format!(
            "select count(*) from module_completions where user_id = {person}"
        ))
        .await,
        1
    );
    assert_eq!(
        a.count(&format!(
            "select modules_done from enrolments where user_id = {person}"
        ))
        .await,
        1
    );
}
