//! The business profile, NIB verification, claims of registry businesses
//! and the onboarding journey (issue 13).

use app::profile::domain::Milestone;
use app::shared::session::Role;

use crate::helpers::{json, TestApp};

const PW: &str = "kopi-tubruk-pagi";

fn count(statuses: &[u16], status: u16) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}

/// A KBLI code of the shipped list starting with `prefix`.
fn kbli(prefix: &str) -> String {
    app::profile::kbli::list()
        .iter()
        .find(|k| k.code.starts_with(prefix))
        .map(|k| k.code.clone())
        .expect("a code in the list")
}

/// A complete profile form; `extra` replaces fields.
fn form(extra: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    let mut f: Vec<(&'static str, String)> = vec![
        ("name", "Batik Tulis Sari".into()),
        ("owner_name", "Sari Wulandari".into()),
        ("whatsapp", "0812-3456-7890".into()),
        ("nib", "".into()),
        ("kbli", kbli("13")),
        ("cluster", "textiles_fashion".into()),
        ("province", "33".into()),
        ("regency", "33.72".into()),
        ("address", "Jl. Slamet Riyadi 10, Surakarta".into()),
        ("country", "ID".into()),
        ("year_founded", "2015".into()),
        ("employees", "4".into()),
        ("size_basis", "capital".into()),
        ("capital", "Rp 1.000.000.000".into()),
        ("annual_sales", "".into()),
        ("channel_kind", "marketplace".into()),
        ("channel_name", "".into()),
        ("channel_url", "".into()),
        ("halal_cert", "".into()),
        ("sni_cert", "".into()),
    ];
    for (k, v) in extra {
        match f.iter_mut().find(|(name, _)| name == k) {
            Some(slot) => slot.1 = v.to_string(),
            None => f.push((k, v.to_string())),
        }
    }
    f
}

async fn save(
    app: &TestApp,
    c: &reqwest::Client,
    f: &[(&'static str, String)],
) -> reqwest::Response {
    let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post(c, "/api/profile/save", &pairs).await
}

async fn mine(app: &TestApp, c: &reqwest::Client) -> serde_json::Value {
    let res = app.post(c, "/api/profile/mine", &[]).await;
    assert_eq!(res.status(), 200);
    json(res).await
}

async fn seller(app: &TestApp, who: &str) -> reqwest::Client {
    let c = app.client();
    assert_eq!(app.signup(&c, "Penjual", who, PW).await.status(), 200);
    c
}

async fn staff(app: &TestApp, who: &str) -> reqwest::Client {
    app.user_with_role(who, PW, Role::Staff).await;
    let c = app.client();
    assert_eq!(app.login(&c, who, PW).await.status(), 200);
    c
}

fn milestone<'a>(data: &'a serde_json::Value, m: &str) -> &'a serde_json::Value {
    data["journey"]["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x[0] == m)
        .map(|x| &x[1])
        .unwrap()
}

#[tokio::test]
async fn a_profile_saves_derives_its_size_class_and_reaches_its_milestones() {
    let app = TestApp::spawn().await;
    let c = seller(&app, "sari@contoh.id").await;
    let data = mine(&app, &c).await;
    assert_eq!(data["profile"], serde_json::Value::Null);
    assert_eq!(data["journey"]["stage"], "registered");

    let res = save(&app, &c, &form(&[])).await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    assert_eq!(res.headers()["location"], "/profile?saved=1");
    let data = mine(&app, &c).await;
    let p = &data["profile"];
    assert_eq!(p["whatsapp"], "+6281234567890");
    assert_eq!(p["capital_idr"], 1_000_000_000_i64);
    assert_eq!(p["size_class"], "micro", "exactly Rp 1 bn is micro");
    assert_eq!(p["regency"], "33.72");
    assert_eq!(data["journey"]["stage"], "profiled");
    assert!(milestone(&data, "profile_complete").is_i64());
    assert!(milestone(&data, "shop_online").is_null());

    // One rupiah more is small; a shop URL reaches "online" on its own
    // date, while the stage waits for the NIB.
    let res = save(
        &app,
        &c,
        &form(&[
            ("capital", "1000000001"),
            ("channel_url", "https://shopee.co.id/batiktulissari"),
        ]),
    )
    .await;
    assert_eq!(res.status(), 200);
    let data = mine(&app, &c).await;
    assert_eq!(data["profile"]["size_class"], "small");
    assert!(milestone(&data, "shop_online").is_i64());
    assert_eq!(data["journey"]["stage"], "profiled");
    let first = milestone(&data, "profile_complete").clone();

    // Emptying a field does not take back a milestone's first date.
    let res = save(&app, &c, &form(&[("address", "")])).await;
    assert_eq!(res.status(), 200);
    let data = mine(&app, &c).await;
    assert_eq!(milestone(&data, "profile_complete"), &first);
}

#[tokio::test]
async fn bad_input_gets_a_message_per_field_and_keeps_what_was_typed() {
    let app = TestApp::spawn().await;
    let c = seller(&app, "sari@contoh.id").await;
    let res = save(
        &app,
        &c,
        &form(&[
            ("name", ""),
            ("whatsapp", "021-555"),
            ("nib", "12345"),
            ("kbli", "99999"),
            ("regency", "32.73"),
            ("year_founded", "2999"),
            ("employees", "-3"),
            ("capital", "1,5"),
            ("channel_url", "javascript:alert(1)"),
            ("country", "XX"),
            ("cluster", "weapons"),
        ]),
    )
    .await;
    assert_eq!(res.status(), 422);
    let body = json(res).await;
    let codes: Vec<(String, String)> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_string(),
                f["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for expected in [
        ("name", "required"),
        ("whatsapp", "invalid_phone"),
        ("nib", "invalid_nib"),
        ("kbli", "invalid_kbli"),
        ("regency", "region_mismatch"),
        ("year_founded", "invalid_year"),
        ("employees", "invalid_number"),
        ("capital", "invalid_amount"),
        ("channel_url", "invalid_url"),
        ("country", "invalid_country"),
        ("cluster", "invalid_choice"),
    ] {
        assert!(
            codes.contains(&(expected.0.to_string(), expected.1.to_string())),
            "{expected:?} in {codes:?}"
        );
    }
    let text = body.to_string();
    assert!(text.contains("021-555") && text.contains("javascript:alert(1)"));
    assert_eq!(app.count("select count(*) from businesses").await, 0);
}

#[tokio::test]
async fn a_duplicate_nib_is_a_field_error_and_only_the_owner_sees_a_profile() {
    let app = TestApp::spawn().await;
    let sari = seller(&app, "sari@contoh.id").await;
    let budi = seller(&app, "budi@contoh.id").await;
    let res = save(&app, &sari, &form(&[("nib", "1234567890123")])).await;
    assert_eq!(res.status(), 200);
    let res = save(
        &app,
        &budi,
        &form(&[("name", "Kopi Budi"), ("nib", "1234 5678 90123")]),
    )
    .await;
    assert_eq!(res.status(), 422);
    let body = json(res).await;
    assert_eq!(body["fields"][0]["field"], "nib");
    assert_eq!(body["fields"][0]["code"], "nib_taken");
    // Each sees only their own business.
    assert_eq!(mine(&app, &budi).await["profile"], serde_json::Value::Null);
    assert_eq!(mine(&app, &sari).await["profile"]["nib"], "1234567890123");
    // Not a seller: no business functions.
    let staff = staff(&app, "staf@contoh.id").await;
    assert_eq!(
        app.post(&staff, "/api/profile/mine", &[]).await.status(),
        403
    );
    assert_eq!(
        app.post(&app.client(), "/api/profile/save", &[("name", "x")])
            .await
            .status(),
        401
    );
}

#[tokio::test]
async fn staff_verify_or_reject_an_nib_and_sellers_cannot() {
    let app = TestApp::spawn().await;
    let c = seller(&app, "sari@contoh.id").await;
    save(&app, &c, &form(&[("nib", "1234567890123")])).await;
    let data = mine(&app, &c).await;
    assert_eq!(data["profile"]["nib_status"], "pending");
    let id = data["profile"]["id"].as_i64().unwrap().to_string();
    let (at,): (i64,) = sqlx::query_as("select nib_submitted_at from businesses")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let at = at.to_string();
    // The seller cannot decide, not even their own.
    let res = app
        .post(
            &c,
            "/api/staff/nib-decide",
            &[("id", &id), ("submitted_at", &at), ("decision", "verify")],
        )
        .await;
    assert_eq!(res.status(), 403);
    assert_eq!(
        app.post(
            &c,
            "/api/staff/nib-queue",
            &[("province", ""), ("page", "1")]
        )
        .await
        .status(),
        403
    );

    let s = staff(&app, "staf@contoh.id").await;
    let queue = json(
        app.post(
            &s,
            "/api/staff/nib-queue",
            &[("province", "33"), ("page", "1")],
        )
        .await,
    )
    .await;
    assert_eq!(queue["total"], 1);
    assert_eq!(queue["items"][0]["nib"], "1234567890123");
    let other = json(
        app.post(
            &s,
            "/api/staff/nib-queue",
            &[("province", "11"), ("page", "1")],
        )
        .await,
    )
    .await;
    assert_eq!(other["total"], 0);
    // A rejection needs a reason.
    let res = app
        .post(
            &s,
            "/api/staff/nib-decide",
            &[("id", &id), ("submitted_at", &at), ("decision", "reject")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let res = app
        .post(
            &s,
            "/api/staff/nib-decide",
            &[
                ("id", &id),
                ("submitted_at", &at),
                ("decision", "reject"),
                ("reason", "NIB tidak cocok dengan nama usaha di OSS"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let data = mine(&app, &c).await;
    assert_eq!(data["profile"]["nib_status"], "rejected");
    assert_eq!(
        data["profile"]["nib_reason"],
        "NIB tidak cocok dengan nama usaha di OSS"
    );
    assert!(app
        .last_message("sari@contoh.id", "profile.nib_rejected")
        .await
        .unwrap()
        .contains("NIB tidak cocok"));
    assert_eq!(app.audit_count("profile.nib_rejected").await, 1);

    // Corrected and resubmitted, then verified.
    save(&app, &c, &form(&[("nib", "1234567890124")])).await;
    let (at,): (i64,) = sqlx::query_as("select nib_submitted_at from businesses")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let res = app
        .post(
            &s,
            "/api/staff/nib-decide",
            &[
                ("id", &id),
                ("submitted_at", &at.to_string()),
                ("decision", "verify"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let data = mine(&app, &c).await;
    assert_eq!(data["profile"]["nib_status"], "verified");
    assert!(milestone(&data, "nib_verified").is_i64());
    assert_eq!(data["journey"]["stage"], "verified");
    assert_eq!(app.audit_count("profile.nib_verified").await, 1);
    assert!(app
        .last_message("sari@contoh.id", "profile.nib_verified")
        .await
        .is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_staff_deciding_one_item_at_once_cannot_both_win() {
    let app = TestApp::spawn().await;
    let other = app.second_server().await;
    let c = seller(&app, "sari@contoh.id").await;
    save(&app, &c, &form(&[("nib", "1234567890123")])).await;
    let (id, at): (i64, i64) = sqlx::query_as("select id, nib_submitted_at from businesses")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let a = staff(&app, "staf1@contoh.id").await;
    app.user_with_role("staf2@contoh.id", PW, Role::Staff).await;
    let b = other.client();
    assert_eq!(other.login(&b, "staf2@contoh.id", PW).await.status(), 200);
    let (id, at) = (id.to_string(), at.to_string());
    let statuses = TestApp::at_once(2, |i| {
        let (server, client, decision) = if i == 0 {
            (&app, &a, "verify")
        } else {
            (&other, &b, "reject")
        };
        client
            .post(server.url("/api/staff/nib-decide"))
            .form(&[
                ("id", id.as_str()),
                ("submitted_at", at.as_str()),
                ("decision", decision),
                ("reason", "Nama tidak cocok"),
            ])
            .send()
    })
    .await;
    assert_eq!(count(&statuses, 200), 1, "{statuses:?}");
    assert_eq!(count(&statuses, 409), 1, "{statuses:?}");
    let decisions = app.audit_count("profile.nib_verified").await
        + app.audit_count("profile.nib_rejected").await;
    assert_eq!(decisions, 1);
}

#[tokio::test]
async fn a_seller_claims_a_registry_business_by_its_nib_and_the_records_join() {
    let app = TestApp::spawn().await;
    let (registry,): (i64,) = sqlx::query_as(
        r#"insert into businesses (source, name, nib, nib_status, province_code, domicile_country,
                                   created_at, updated_at)
           values ('import', 'UD Kopi Lereng Merapi', '8120000000102', 'verified', '33', 'ID', 5, 5)
           returning id"#,
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let c = seller(&app, "amir@contoh.id").await;
    let food = kbli("10");
    let res = save(
        &app,
        &c,
        &form(&[
            ("name", "Kopi Merapi Pak Amir"),
            ("nib", "8120000000102"),
            ("cluster", "food_beverages"),
            ("kbli", food.as_str()),
        ]),
    )
    .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let data = mine(&app, &c).await;
    assert_eq!(data["profile"]["nib_status"], "pending");
    assert_eq!(data["profile"]["claimed_nib"], "8120000000102");
    let draft = data["profile"]["id"].as_i64().unwrap();
    assert_ne!(draft, registry);

    let s = staff(&app, "staf@contoh.id").await;
    let queue = json(
        app.post(
            &s,
            "/api/staff/nib-queue",
            &[("province", ""), ("page", "1")],
        )
        .await,
    )
    .await;
    assert_eq!(queue["items"][0]["claim"], true);
    assert_eq!(queue["items"][0]["nib"], "8120000000102");
    let item = json(
        app.post(&s, "/api/staff/nib-item", &[("id", &draft.to_string())])
            .await,
    )
    .await;
    assert_eq!(item["claimed"]["id"], registry);
    let res = app
        .post(
            &s,
            "/api/staff/nib-decide",
            &[
                ("id", &draft.to_string()),
                ("submitted_at", &item["submitted_at"].to_string()),
                ("decision", "verify"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let data = mine(&app, &c).await;
    assert_eq!(data["profile"]["id"], registry, "the records joined");
    assert_eq!(data["profile"]["nib"], "8120000000102");
    assert_eq!(data["profile"]["nib_status"], "verified");
    assert_eq!(data["profile"]["owner_name"], "Sari Wulandari");
    assert!(milestone(&data, "profile_complete").is_i64());
    assert!(milestone(&data, "nib_verified").is_i64());
    assert_eq!(app.count("select count(*) from businesses").await, 1);
    assert_eq!(app.audit_count("profile.claim_confirmed").await, 1);
}

#[tokio::test]
async fn later_features_reach_milestones_once_inside_their_transaction() {
    let app = TestApp::spawn().await;
    let c = seller(&app, "sari@contoh.id").await;
    let (uid,): (i64,) = sqlx::query_as("select id from users")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    // A rolled-back transaction reaches nothing.
    let mut tx = app.db.pool.begin().await.unwrap();
    assert!(
        app::profile::journey::reach_for_owner(&mut tx, uid, Milestone::CourseCompleted, 100)
            .await
            .unwrap()
    );
    tx.rollback().await.unwrap();
    assert_eq!(
        app.count("select count(*) from business_milestones").await,
        0
    );
    let mut tx = app.db.pool.begin().await.unwrap();
    assert!(
        app::profile::journey::reach_for_owner(&mut tx, uid, Milestone::CourseCompleted, 100)
            .await
            .unwrap()
    );
    assert!(
        !app::profile::journey::reach_for_owner(&mut tx, uid, Milestone::CourseCompleted, 200)
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();
    let data = mine(&app, &c).await;
    assert_eq!(milestone(&data, "course_completed"), 100);
}

#[tokio::test]
async fn the_profile_is_in_the_download_and_the_business_outlives_its_owner() {
    let app = TestApp::spawn().await;
    let c = seller(&app, "sari@contoh.id").await;
    save(&app, &c, &form(&[])).await;
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
    assert_eq!(data["business"]["name"], "Batik Tulis Sari");
    assert_eq!(data["business"]["owner_name"], "Sari Wulandari");
    assert!(!data["business_milestones"].as_array().unwrap().is_empty());
    let res = app
        .post(&c, "/api/accounts/delete", &[("delete_password", PW)])
        .await;
    assert_eq!(res.status(), 200);
    let (owner, owner_name, whatsapp, name): (Option<i64>, String, Option<String>, String) =
        sqlx::query_as("select owner_id, owner_name, whatsapp, name from businesses")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!((owner, owner_name.as_str(), whatsapp), (None, "", None));
    assert_eq!(name, "Batik Tulis Sari");
    assert_eq!(
        app.count("select count(*) from business_milestones").await,
        1
    );
}

/// The queue's pending items as (business id, submitted at).
async fn pending(app: &TestApp, owner_email: &str) -> (String, String) {
    let (id, at): (i64, i64) = sqlx::query_as(
        r#"select b.id, b.nib_submitted_at from businesses b join users u on u.id = b.owner_id
           where u.email = $1"#,
    )
    .bind(owner_email)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    (id.to_string(), at.to_string())
}

async fn decide(
    app: &TestApp,
    s: &reqwest::Client,
    (id, at): &(String, String),
    decision: &str,
    reason: &str,
) -> reqwest::Response {
    app.post(
        s,
        "/api/staff/nib-decide",
        &[
            ("id", id),
            ("submitted_at", at),
            ("decision", decision),
            ("reason", reason),
        ],
    )
    .await
}

#[tokio::test]
async fn a_duplicate_nib_keeps_every_value_typed_and_a_rejected_nib_is_resubmitted_as_it_is() {
    let app = TestApp::spawn().await;
    let sari = seller(&app, "sari@contoh.id").await;
    let budi = seller(&app, "budi@contoh.id").await;
    assert_eq!(
        save(&app, &sari, &form(&[("nib", "1234567890123")]))
            .await
            .status(),
        200
    );
    let res = save(
        &app,
        &budi,
        &form(&[
            ("name", "Kopi Budi Lereng"),
            ("address", "Jl. Kaliurang Km 7"),
            ("nib", "1234567890123"),
            ("channel_url", "https://tokopedia.com/kopibudi"),
        ]),
    )
    .await;
    assert_eq!(res.status(), 422);
    let text = res.text().await.unwrap();
    for typed in [
        "Kopi Budi Lereng",
        "Jl. Kaliurang Km 7",
        "https://tokopedia.com/kopibudi",
        "Sari Wulandari",
    ] {
        assert!(text.contains(typed), "{typed} kept in {text}");
    }

    // Rejected for a wrong business name: the seller corrects the name and
    // saves with the same NIB, which goes back to the queue.
    let s = staff(&app, "staf@contoh.id").await;
    let item = pending(&app, "sari@contoh.id").await;
    let res = decide(&app, &s, &item, "reject", "Nama usaha berbeda dengan OSS").await;
    assert_eq!(res.status(), 200);
    let res = save(
        &app,
        &sari,
        &form(&[("name", "CV Batik Tulis Sari"), ("nib", "1234567890123")]),
    )
    .await;
    assert_eq!(res.status(), 200);
    let data = mine(&app, &sari).await;
    assert_eq!(data["profile"]["nib_status"], "pending");
    assert_eq!(data["profile"]["nib_reason"], serde_json::Value::Null);
    let queue = json(
        app.post(
            &s,
            "/api/staff/nib-queue",
            &[("province", ""), ("page", "1")],
        )
        .await,
    )
    .await;
    assert_eq!(queue["total"], 1);
    // The earlier reason stays in the history, with the change.
    let history = data["history"].as_array().unwrap();
    let kinds: Vec<&str> = history
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds[..4],
        [
            "nib_submitted",
            "profile_saved",
            "nib_rejected",
            "milestone"
        ],
        "{history:?}"
    );
    assert_eq!(history[1]["detail"], "name");
    assert_eq!(history[2]["detail"], "Nama usaha berbeda dengan OSS");
    assert_eq!(history[2]["by"], "staff");
    assert_eq!(history[1]["by"], "owner");
    // Saving the same profile again changes nothing and records nothing.
    let before = app.count("select count(*) from business_events").await;
    save(
        &app,
        &sari,
        &form(&[("name", "CV Batik Tulis Sari"), ("nib", "1234567890123")]),
    )
    .await;
    assert_eq!(
        app.count("select count(*) from business_events").await,
        before
    );
}

#[tokio::test]
async fn the_queue_is_oldest_first_paged_and_closed_to_sellers() {
    let app = TestApp::spawn().await;
    let c = seller(&app, "sari@contoh.id").await;
    save(&app, &c, &form(&[("nib", "1234567890123")])).await;
    // 24 more pending businesses, submitted earlier.
    for i in 0..24_i64 {
        sqlx::query(
            r#"insert into businesses (source, name, nib, nib_status, nib_submitted_at,
                   province_code, created_at, updated_at)
               values ('portal', $1, $2, 'pending', $3, '33', 1, 1)"#,
        )
        .bind(format!("Usaha {i:02}"))
        .bind(format!("55500000000{i:02}"))
        .bind(1_000 + i)
        .execute(&app.db.pool)
        .await
        .unwrap();
    }
    let s = staff(&app, "staf@contoh.id").await;
    let page = |n: &'static str| {
        let s = s.clone();
        let app = &app;
        async move {
            json(
                app.post(
                    &s,
                    "/api/staff/nib-queue",
                    &[("province", "33"), ("page", n)],
                )
                .await,
            )
            .await
        }
    };
    let first = page("1").await;
    assert_eq!(first["total"], 25);
    assert_eq!(first["items"].as_array().unwrap().len(), 20);
    assert_eq!(first["items"][0]["name"], "Usaha 00", "oldest first");
    let second = page("2").await;
    let items = second["items"].as_array().unwrap();
    assert_eq!(items.len(), 5);
    assert_eq!(items[4]["name"], "Batik Tulis Sari", "the newest last");
    // Hostile paging is clamped, not an error.
    let far = page("-7").await;
    assert_eq!(far["page"], 1);
    // A seller opens no item, not even their own.
    let own = json(app.post(&c, "/api/profile/mine", &[]).await).await["profile"]["id"].to_string();
    assert_eq!(
        app.post(&c, "/api/staff/nib-item", &[("id", &own)])
            .await
            .status(),
        403
    );
    // The pages answer too: staff see the queue, a seller is refused.
    let html = s
        .get(app.url("/staff/verifications?province=33&page=2"))
        .send()
        .await
        .unwrap();
    assert_eq!(html.status(), 200);
    assert!(html.text().await.unwrap().contains("Batik Tulis Sari"));
    let refused = c.get(app.url("/staff/verifications")).send().await.unwrap();
    assert_eq!(refused.status(), 403);
}

#[tokio::test]
async fn stages_follow_the_milestones_with_their_dates() {
    let app = TestApp::spawn().await;
    let c = seller(&app, "sari@contoh.id").await;
    save(
        &app,
        &c,
        &form(&[
            ("nib", "1234567890123"),
            ("channel_url", "https://shopee.co.id/sari"),
        ]),
    )
    .await;
    let data = mine(&app, &c).await;
    assert_eq!(data["journey"]["stage"], "profiled");
    let profiled_at = milestone(&data, "profile_complete").as_i64().unwrap();
    assert_eq!(data["journey"]["stage_at"], profiled_at);
    let s = staff(&app, "staf@contoh.id").await;
    let item = pending(&app, "sari@contoh.id").await;
    assert_eq!(decide(&app, &s, &item, "verify", "").await.status(), 200);
    let data = mine(&app, &c).await;
    assert_eq!(data["journey"]["stage"], "verified");
    let (uid,): (i64,) = sqlx::query_as("select id from users where email = 'sari@contoh.id'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    // Training and listings reach their steps; the shop URL, reached
    // first, counts once the steps before it are reached.
    let later = profiled_at + 86_400 * 10;
    let mut tx = app.db.pool.begin().await.unwrap();
    app::profile::journey::reach_for_owner(&mut tx, uid, Milestone::CourseCompleted, later)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let data = mine(&app, &c).await;
    assert_eq!(data["journey"]["stage"], "trained");
    assert_eq!(data["journey"]["stage_at"], later);
    let mut tx = app.db.pool.begin().await.unwrap();
    app::profile::journey::reach_for_owner(&mut tx, uid, Milestone::FirstListingAllowed, later + 5)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let data = mine(&app, &c).await;
    assert_eq!(data["journey"]["stage"], "online");
    assert_eq!(data["journey"]["stage_at"], later + 5);
    // Removing the shop URL keeps the milestone and its date.
    save(&app, &c, &form(&[("nib", "1234567890123")])).await;
    let data = mine(&app, &c).await;
    assert_eq!(data["journey"]["stage"], "online");
    assert!(milestone(&data, "shop_online").is_i64());
}

#[tokio::test]
async fn a_regency_alone_gives_its_province_and_the_history_survives_the_owner() {
    let app = TestApp::spawn().await;
    let c = seller(&app, "sari@contoh.id").await;
    let res = save(
        &app,
        &c,
        &form(&[
            ("province", ""),
            ("regency", "32.73"),
            ("nib", "1234567890123"),
        ]),
    )
    .await;
    assert_eq!(res.status(), 200);
    let data = mine(&app, &c).await;
    assert_eq!(data["profile"]["province"], "32");
    assert!(!data["history"].as_array().unwrap().is_empty());
    // The download has the history; deleting the account withdraws the
    // pending NIB from the queue (nobody is left to hear the decision).
    let download: serde_json::Value = serde_json::from_str(
        &c.get(app.url("/account/data.json"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    )
    .unwrap();
    assert!(!download["business_history"].as_array().unwrap().is_empty());
    let res = app
        .post(&c, "/api/accounts/delete", &[("delete_password", PW)])
        .await;
    assert_eq!(res.status(), 200);
    let s = staff(&app, "staf@contoh.id").await;
    let queue = json(
        app.post(
            &s,
            "/api/staff/nib-queue",
            &[("province", ""), ("page", "1")],
        )
        .await,
    )
    .await;
    assert_eq!(queue["total"], 0);
    assert!(app.count("select count(*) from business_events").await > 0);
}

#[tokio::test]
async fn the_kbli_list_is_searchable_in_both_languages() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let id = c
        .get(app.url("/kbli?q=batik"))
        .header("accept-language", "id")
        .send()
        .await
        .unwrap();
    assert_eq!(id.status(), 200);
    let html = id.text().await.unwrap();
    assert!(html.contains("13134") && html.contains("Industri Batik"));
    assert!(!html.contains("<td>47911</td>"));
    let en = c
        .get(app.url("/kbli?q=furniture"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(en.contains("31001") && en.contains("ISIC 3100: Manufacture of furniture"));
    // Hostile queries are just text.
    let odd = c
        .get(app.url("/kbli?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E&page=99999999"))
        .send()
        .await
        .unwrap();
    assert_eq!(odd.status(), 200);
    assert!(!odd.text().await.unwrap().contains("<script>alert(1)"));
}
