//! Verified sign-up, password recovery, contact changes and a person's
//! data rights (issue 12), with the outbox transport: codes and links are
//! read from the messages table, as a `.ci/start` user reads them from the
//! log.

use app::shared::session::Role;

use crate::helpers::{handle_of, json, secret_in, session_cookie, TestApp};

const PW: &str = "kopi-tubruk-pagi";

fn count(statuses: &[u16], status: u16) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}

async fn field_code(res: reqwest::Response) -> String {
    let body = json(res).await;
    body["fields"][0]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no field error in {body}"))
        .to_string()
}

#[tokio::test]
async fn sign_up_by_code_signs_in_only_with_the_right_code_once() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let res = app.register(&c, "Ibu Sari", "0812-3456-7890", PW).await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let handle = handle_of(&res);
    // Nobody is signed in and no account exists before the code is used.
    assert_eq!(app.me(&c).await, serde_json::Value::Null);
    assert_eq!(app.count("select count(*) from users").await, 0);
    let code = app
        .sent_secret("081234567890", "accounts.signup_code")
        .await;
    assert_eq!(code.len(), 6);
    // The code is stored only as an HMAC.
    let stored = app
        .count(&format!(
            "select count(*) from verifications where secret_hash like '%{code}%'"
        ))
        .await;
    assert_eq!(stored, 0);

    let wrong = if code == "000000" { "111111" } else { "000000" };
    let res = app
        .use_secret(&c, "/api/accounts/verify", &handle, wrong, &[])
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(field_code(res).await, "wrong_code");
    assert_eq!(app.me(&c).await, serde_json::Value::Null);
    let res = app
        .post(
            &c,
            "/api/accounts/verify",
            &[("v", handle.as_str()), ("code", "12a")],
        )
        .await;
    assert_eq!(field_code(res).await, "invalid_code");

    let res = app
        .use_secret(&c, "/api/accounts/verify", &handle, &code, &[])
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["location"], "/account?welcome=1");
    assert!(session_cookie(&res).is_some());
    let me = app.me(&c).await;
    assert_eq!(me["phone"], "+6281234567890");
    assert_eq!(me["display_name"], "Ibu Sari");
    assert_eq!(me["role"], "seller");
    assert_eq!(app.audit_count("accounts.register").await, 1);
    // The notice version agreed to is recorded.
    assert_eq!(
        app.count("select count(*) from users where privacy_version is not null and privacy_agreed_at is not null")
            .await,
        1
    );

    // Single use.
    let res = app
        .use_secret(&app.client(), "/api/accounts/verify", &handle, &code, &[])
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(field_code(res).await, "code_used");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn five_wrong_codes_spend_the_code_even_all_at_once() {
    let app = TestApp::spawn().await;
    let other = app.second_server().await;
    let res = app
        .register(&app.client(), "Budi", "081298765432", PW)
        .await;
    let handle = handle_of(&res);
    let code = app
        .sent_secret("081298765432", "accounts.signup_code")
        .await;
    let wrong = if code == "999999" { "888888" } else { "999999" };
    // 40 wrong guesses at once, through two app servers: exactly five are
    // judged.
    let statuses = TestApp::at_once(40, |i| {
        let server = if i % 2 == 0 { &app } else { &other };
        server
            .client()
            .post(server.url("/api/accounts/verify"))
            .form(&[("v", handle.as_str()), ("code", wrong)])
            .send()
    })
    .await;
    assert_eq!(count(&statuses, 422), 40, "{statuses:?}");
    assert_eq!(
        app.count("select attempts from verifications").await,
        5,
        "only five tries were counted"
    );
    // Now even the right code is refused.
    let res = app
        .use_secret(&app.client(), "/api/accounts/verify", &handle, &code, &[])
        .await;
    assert_eq!(field_code(res).await, "too_many_codes");
    // A new code works.
    let res = app
        .post(&app.client(), "/api/accounts/resend", &[("v", &handle)])
        .await;
    assert_eq!(res.status(), 200);
    let fresh = app
        .sent_secret("081298765432", "accounts.signup_code")
        .await;
    let c = app.client();
    let res = app
        .use_secret(&c, "/api/accounts/verify", &handle, &fresh, &[])
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    assert_eq!(app.me(&c).await["phone"], "+6281298765432");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_right_code_sent_forty_times_at_once_makes_one_account() {
    let app = TestApp::spawn().await;
    let other = app.second_server().await;
    let res = app
        .register(&app.client(), "Rina", "rina@contoh.id", PW)
        .await;
    let handle = handle_of(&res);
    let token = app
        .sent_secret("rina@contoh.id", "accounts.signup_code")
        .await;
    let statuses = TestApp::at_once(40, |i| {
        let server = if i % 2 == 0 { &app } else { &other };
        server
            .client()
            .post(server.url("/api/accounts/verify"))
            .form(&[("v", handle.as_str()), ("t", token.as_str())])
            .send()
    })
    .await;
    assert_eq!(count(&statuses, 200), 1, "{statuses:?}");
    assert_eq!(count(&statuses, 422), 39, "{statuses:?}");
    assert_eq!(app.count("select count(*) from users").await, 1);
}

#[tokio::test]
async fn sign_up_by_email_link_expires_and_is_confirmed_by_a_post() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let res = app.register(&c, "Sari", "Sari@Contoh.id", PW).await;
    let handle = handle_of(&res);
    let body = app
        .last_message("sari@contoh.id", "accounts.signup_code")
        .await
        .unwrap();
    assert!(body.contains(&format!("/verify?v={handle}&t=")), "{body}");
    assert!(body.contains("Sari"), "{body}");
    let token = secret_in(&body);
    assert_eq!(token.len(), 64);
    // Opening the link only shows a confirmation form (mail scanners
    // prefetch links); nothing is used by a GET.
    let page = app
        .browser()
        .get(app.url(&format!("/verify?v={handle}&t={token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["cache-control"], "no-store");
    let html = page.text().await.unwrap();
    assert!(html.contains("s•••@contoh.id"), "{html}");
    assert!(!html.contains("sari@contoh.id"));
    assert_eq!(
        app.count("select count(*) from verifications where used_at is not null")
            .await,
        0
    );
    // A tampered token is refused.
    let mut bad = token.clone();
    bad.replace_range(0..1, if token.starts_with('a') { "b" } else { "a" });
    let res = app
        .use_secret(&c, "/api/accounts/verify", &handle, &bad, &[])
        .await;
    assert_eq!(field_code(res).await, "wrong_code");
    let res = app
        .use_secret(&c, "/api/accounts/verify", &handle, &token, &[])
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(app.me(&c).await["email"], "sari@contoh.id");

    // An expired link is refused.
    let res = app
        .register(&app.client(), "Dewi", "dewi@contoh.id", PW)
        .await;
    let handle = handle_of(&res);
    let token = app
        .sent_secret("dewi@contoh.id", "accounts.signup_code")
        .await;
    sqlx::query("update verifications set expires_at = 1 where id = $1")
        .bind(&handle)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let res = app
        .use_secret(&app.client(), "/api/accounts/verify", &handle, &token, &[])
        .await;
    assert_eq!(field_code(res).await, "code_expired");
    // Garbage handles are not found, not a 500.
    let res = app
        .post(
            &app.client(),
            "/api/accounts/verify",
            &[("v", "../../etc/passwd"), ("code", "123456")],
        )
        .await;
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn registering_a_taken_address_answers_like_a_new_one_and_tells_the_owner() {
    let app = TestApp::spawn().await;
    app.user_with_role("sari@contoh.id", PW, Role::Seller).await;
    let taken = app
        .register(&app.client(), "Penyusup", "  SARI@Contoh.ID ", PW)
        .await;
    let fresh = app
        .register(&app.client(), "Budi", "budi@contoh.id", PW)
        .await;
    assert_eq!(taken.status(), fresh.status());
    assert_eq!(taken.status(), 200);
    let (ht, hf) = (handle_of(&taken), handle_of(&fresh));
    let headers = |r: &reqwest::Response| {
        let mut names: Vec<String> = r.headers().keys().map(|k| k.to_string()).collect();
        names.sort();
        names
    };
    assert_eq!(headers(&taken), headers(&fresh));
    assert_eq!(taken.text().await.unwrap(), fresh.text().await.unwrap());
    // The pages look the same too (masked addresses aside).
    let page = |h: String| {
        let app = &app;
        async move {
            let res = app
                .browser()
                .get(app.url(&format!("/verify?v={h}")))
                .send()
                .await
                .unwrap();
            (res.status(), res.text().await.unwrap())
        }
    };
    let (st, pt) = page(ht.clone()).await;
    let (sf, pf) = page(hf).await;
    assert_eq!(st, sf);
    assert!(pt.contains("s•••@contoh.id") && pf.contains("b•••@contoh.id"));
    // The owner is told; no sign-up link went to the taken address.
    let notice = app
        .last_message("sari@contoh.id", "accounts.signup_taken")
        .await
        .expect("the owner is told");
    assert!(notice.contains("/forgot"), "{notice}");
    assert!(app
        .last_message("sari@contoh.id", "accounts.signup_code")
        .await
        .is_none());
    // Nothing the intruder can present opens the decoy.
    let res = app
        .use_secret(
            &app.client(),
            "/api/accounts/verify",
            &ht,
            &"0".repeat(64),
            &[],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(app.count("select count(*) from users").await, 1);
}

#[tokio::test]
async fn reset_looks_the_same_for_unknown_addresses_and_ends_other_sessions() {
    let app = TestApp::spawn().await;
    let old_device = app.client();
    assert_eq!(
        app.signup(&old_device, "Sari", "081234567890", PW)
            .await
            .status(),
        200
    );
    let known = app
        .post(
            &app.client(),
            "/api/accounts/forgot",
            &[("identifier", "0812 3456 7890")],
        )
        .await;
    let unknown = app
        .post(
            &app.client(),
            "/api/accounts/forgot",
            &[("identifier", "081299990000")],
        )
        .await;
    assert_eq!(known.status(), 200);
    assert_eq!(known.status(), unknown.status());
    let (hk, hu) = (handle_of(&known), handle_of(&unknown));
    assert!(known.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/reset?v="));
    assert_eq!(known.text().await.unwrap(), unknown.text().await.unwrap());
    assert!(app
        .last_message("081299990000", "accounts.reset_code")
        .await
        .is_none());
    for h in [&hk, &hu] {
        let res = app
            .browser()
            .get(app.url(&format!("/reset?v={h}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
    }

    let code = app.sent_secret("081234567890", "accounts.reset_code").await;
    let new_browser = app.client();
    // A weak new password is refused without spending the code.
    let res = app
        .use_secret(
            &new_browser,
            "/api/accounts/reset",
            &hk,
            &code,
            &[("new_password", "password")],
        )
        .await;
    assert_eq!(field_code(res).await, "password_common");
    let res = app
        .use_secret(
            &new_browser,
            "/api/accounts/reset",
            &hk,
            &code,
            &[("new_password", "rendang-padang-77")],
        )
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    assert_eq!(res.headers()["location"], "/account?reset=1");
    assert!(
        res.headers()
            .get_all("set-cookie")
            .iter()
            .any(|v| v.to_str().unwrap().starts_with("nk_device=")),
        "this browser becomes a known browser of the account"
    );
    assert_eq!(app.me(&new_browser).await["phone"], "+6281234567890");
    assert_eq!(app.me(&old_device).await, serde_json::Value::Null);
    assert_eq!(app.audit_count("accounts.password_reset").await, 1);
    assert!(app
        .last_message("081234567890", "accounts.password_reset")
        .await
        .is_some());
    assert_eq!(
        app.login(&app.client(), "081234567890", PW).await.status(),
        401
    );
    assert_eq!(
        app.login(&app.client(), "081234567890", "rendang-padang-77")
            .await
            .status(),
        200
    );
    // The code is spent; the unknown address's decoy never works.
    let res = app
        .use_secret(
            &app.client(),
            "/api/accounts/reset",
            &hk,
            &code,
            &[("new_password", "rendang-padang-78")],
        )
        .await;
    assert_eq!(field_code(res).await, "code_used");
}

#[tokio::test]
async fn messages_are_bounded_per_destination_and_to_allowed_countries() {
    let app = TestApp::spawn_with(|c| c.costs.per_destination.max = 2).await;
    for _ in 0..2 {
        let res = app
            .post(
                &app.client(),
                "/api/accounts/forgot",
                &[("identifier", "081234567890")],
            )
            .await;
        assert_eq!(res.status(), 200);
    }
    let res = app
        .post(
            &app.client(),
            "/api/accounts/forgot",
            &[("identifier", "081234567890")],
        )
        .await;
    assert_eq!(res.status(), 429);
    assert_eq!(json(res).await["code"], "rate_limited");

    let app = TestApp::spawn_with(|c| c.costs.sms_prefixes = vec!["+65".into()]).await;
    let res = app
        .register(&app.client(), "Budi", "081234567890", PW)
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(field_code(res).await, "phone_country");
    assert_eq!(app.count("select count(*) from messages").await, 0);

    let app = TestApp::spawn_with(|c| c.costs.per_client.max = 3).await;
    let statuses = TestApp::at_once(10, |i| {
        app.client()
            .post(app.url("/api/accounts/register"))
            .form(&[
                ("display_name", "Penjual"),
                ("identifier", format!("p{i}@contoh.id").as_str()),
                ("password", PW),
                ("agree_privacy", "yes"),
            ])
            .send()
    })
    .await;
    assert_eq!(count(&statuses, 200), 3, "{statuses:?}");
    assert_eq!(count(&statuses, 429), 7, "{statuses:?}");
}

#[tokio::test]
async fn a_new_contact_replaces_the_old_only_once_verified() {
    let app = TestApp::spawn().await;
    let c = app.client();
    app.signup(&c, "Sari", "sari@contoh.id", PW).await;
    let res = app
        .post(
            &c,
            "/api/accounts/change-contact",
            &[
                ("new_contact", "sari.baru@contoh.id"),
                ("contact_password", "salah-salah"),
            ],
        )
        .await;
    assert_eq!(field_code(res).await, "wrong_password");
    let res = app
        .post(
            &c,
            "/api/accounts/change-contact",
            &[
                ("new_contact", "sari.baru@contoh.id"),
                ("contact_password", PW),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let handle = handle_of(&res);
    assert_eq!(app.me(&c).await["email"], "sari@contoh.id");
    let token = app
        .sent_secret("sari.baru@contoh.id", "accounts.contact_code")
        .await;
    let res = app
        .use_secret(&c, "/api/accounts/verify", &handle, &token, &[])
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["location"], "/account?contact=1");
    assert_eq!(app.me(&c).await["email"], "sari.baru@contoh.id");
    let told = app
        .last_message("sari@contoh.id", "accounts.contact_changed")
        .await
        .expect("the old address is told");
    assert!(told.contains("s•••@contoh.id"), "{told}");
    assert_eq!(
        app.login(&app.client(), "sari.baru@contoh.id", PW)
            .await
            .status(),
        200
    );
    // The old address is free.
    assert_eq!(
        app.signup(&app.client(), "Orang Lain", "sari@contoh.id", PW)
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn the_download_holds_the_persons_rows_and_nobody_elses() {
    let app = TestApp::spawn().await;
    let sari = app.client();
    let budi = app.client();
    app.signup(&sari, "Sari", "sari@contoh.id", PW).await;
    app.signup(&budi, "Budi", "081234567890", PW).await;
    app.login(&app.client(), "sari@contoh.id", "salah-sandi-x")
        .await;
    let res = sari
        .get(app.url("/account/data.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    assert_eq!(res.headers()["cache-control"], "no-store");
    let text = res.text().await.unwrap();
    let data: serde_json::Value = serde_json::from_str(&text).expect("one JSON document");
    assert_eq!(data["format"], "naik-kelas-personal-data");
    assert_eq!(data["account"]["email"], "sari@contoh.id");
    assert_eq!(data["account"]["display_name"], "Sari");
    let actions: Vec<&str> = data["audit_log"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"accounts.register"), "{actions:?}");
    assert!(actions.contains(&"accounts.login_failed"), "{actions:?}");
    assert!(!data["messages"].as_array().unwrap().is_empty());
    assert!(!text.contains("Budi") && !text.contains("+6281234567890"));
    assert!(!text.contains("password_hash") && !text.contains("argon2"));
    assert!(!text.contains("secret_hash"));
    // Signed out: to the login page, no data.
    let res = app
        .browser()
        .get(app.url("/account/data.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
}

#[tokio::test]
async fn deletion_erases_personal_fields_keeps_counts_and_frees_the_address() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let other_device = app.client();
    app.signup(&c, "Sari", "sari@contoh.id", PW).await;
    app.login(&other_device, "sari@contoh.id", PW).await;
    let users_before = app.count("select count(*) from users").await;
    let audit_before = app.count("select count(*) from audit_log").await;

    let res = app
        .post(
            &c,
            "/api/accounts/delete",
            &[("delete_password", "salah-sandi")],
        )
        .await;
    assert_eq!(field_code(res).await, "wrong_password");
    let res = app
        .post(&c, "/api/accounts/delete", &[("delete_password", PW)])
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    assert_eq!(res.headers()["location"], "/?deleted=1");
    assert_eq!(app.me(&c).await, serde_json::Value::Null);
    assert_eq!(app.me(&other_device).await, serde_json::Value::Null);

    assert_eq!(app.count("select count(*) from users").await, users_before);
    assert_eq!(
        app.count(
            "select count(*) from users where deleted_at is not null and email is null \
             and phone is null and display_name = '' and password_hash = ''"
        )
        .await,
        1
    );
    // Audit events stay (one more: the deletion), without the address.
    assert_eq!(
        app.count("select count(*) from audit_log").await,
        audit_before + 1
    );
    assert_eq!(
        app.count("select count(*) from audit_log where detail like '%sari%'")
            .await,
        0
    );
    assert_eq!(
        app.count(
            "select count(*) from audit_log a join users u on u.id = a.actor_id \
             where u.deleted_at is not null and a.ip <> ''"
        )
        .await,
        0,
        "the addresses the person acted from are blanked"
    );
    assert_eq!(
        app.count("select count(*) from messages where destination = 'sari@contoh.id'")
            .await,
        0
    );
    assert_eq!(
        app.login(&app.client(), "sari@contoh.id", PW)
            .await
            .status(),
        401
    );
    // The address is free for a new registration.
    let again = app.client();
    assert_eq!(
        app.signup(&again, "Sari Baru", "sari@contoh.id", PW)
            .await
            .status(),
        200
    );
    assert_eq!(app.me(&again).await["display_name"], "Sari Baru");
}

#[tokio::test]
async fn the_last_administrator_cannot_delete_themselves() {
    let app = TestApp::spawn().await;
    app.user_with_role("admin@contoh.id", PW, Role::Admin).await;
    let c = app.client();
    app.login(&c, "admin@contoh.id", PW).await;
    let res = app
        .post(&c, "/api/accounts/delete", &[("delete_password", PW)])
        .await;
    assert_eq!(field_code(res).await, "last_admin");
    assert_eq!(
        app.count("select count(*) from users where deleted_at is null")
            .await,
        1
    );
    // With a second administrator, the first may go.
    app.user_with_role("admin2@contoh.id", PW, Role::Admin)
        .await;
    let res = app
        .post(&c, "/api/accounts/delete", &[("delete_password", PW)])
        .await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn login_limit_audit_entries_hold_a_pseudonym_not_the_address() {
    let app = TestApp::spawn_with(|c| c.limits.max_failures_per_account = 1).await;
    for _ in 0..3 {
        app.login(&app.client(), "rahasia@contoh.id", "salah-sandi-x")
            .await;
    }
    assert!(app.audit_count("accounts.login_limited").await >= 1);
    assert_eq!(
        app.count("select count(*) from audit_log where detail like '%rahasia%'")
            .await,
        0
    );
    assert!(
        app.count("select count(*) from audit_log where detail like 'acct:~%'")
            .await
            >= 1
    );
}

#[tokio::test]
async fn administrators_see_failed_messages_and_can_queue_them_again() {
    let app = TestApp::spawn_with(|c| c.message_workers = 0).await;
    app.user_with_role("admin@contoh.id", PW, Role::Admin).await;
    let id = app::shared::outbound::enqueue(
        &app.db.pool,
        app::shared::outbound::NewMessage {
            channel: app::shared::outbound::Channel::Sms,
            destination: "+6281234567890",
            locale: "id",
            kind: "test.failed",
            subject: "",
            body: "Kode 123456",
        },
    )
    .await
    .unwrap();
    sqlx::query("update messages set status = 'failed', attempts = 8, last_error = 'gateway answered 502' where id = $1")
        .bind(id)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let seller = app.client();
    app.signup(&seller, "Sari", "sari@contoh.id", PW).await;
    let res = app
        .post(&seller, "/api/admin/messages", &[("page", "1")])
        .await;
    assert_eq!(res.status(), 403);
    let admin = app.client();
    app.login(&admin, "admin@contoh.id", PW).await;
    let list = json(
        app.post(&admin, "/api/admin/messages", &[("page", "1")])
            .await,
    )
    .await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["messages"][0]["to"], "+62812•••••890");
    assert_eq!(list["messages"][0]["last_error"], "gateway answered 502");
    let page = admin
        .get(app.url("/admin/messages"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("gateway answered 502"));
    let res = app
        .post(
            &admin,
            "/api/admin/messages/retry",
            &[("id", id.to_string().as_str())],
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        app.count("select count(*) from messages where status = 'queued' and attempts = 0 and kind = 'test.failed'")
            .await,
        1
    );
}

#[tokio::test]
async fn migration_0004_keeps_existing_accounts_and_their_audit_references() {
    use server::db::Native;
    let url = TestApp::fresh_database_url().await;
    let dbs = server::db::connect(&server::Config::for_database(&url))
        .await
        .unwrap();
    let engine = match dbs.native {
        Native::Sqlite(_) => "sqlite",
        Native::Postgres(_) => "postgres",
    };
    // The migrations as they were before this one.
    let before = std::env::temp_dir().join(format!("nk-migrations-{}", std::process::id()));
    std::fs::create_dir_all(&before).unwrap();
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../migrations")
        .join(engine);
    for entry in std::fs::read_dir(&source).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.as_str() < "20261124" {
            std::fs::copy(&path, before.join(&name)).unwrap();
        }
    }
    let old = sqlx::migrate::Migrator::new(before.as_path())
        .await
        .unwrap();
    match &dbs.native {
        Native::Sqlite(pool) => old.run(pool).await.unwrap(),
        Native::Postgres(pool) => old.run(pool).await.unwrap(),
    }
    let (id,): (i64,) = sqlx::query_as(
        "insert into users (display_name, email, password_hash, role, session_epoch, created_at, updated_at)
         values ('Lama', 'lama@contoh.id', 'x', 'admin', 3, 1, 1) returning id",
    )
    .fetch_one(&dbs.db.pool)
    .await
    .unwrap();
    sqlx::query(
        "insert into audit_log (at, action, actor_id, subject_id, ip, detail)
         values (1, 'accounts.login', $1, $1, '10.0.0.1', '')",
    )
    .bind(id)
    .execute(&dbs.db.pool)
    .await
    .unwrap();
    server::db::migrate(&dbs.native).await.unwrap();
    let (actor, subject, role, locale): (Option<i64>, Option<i64>, String, String) = sqlx::query_as(
        "select a.actor_id, a.subject_id, u.role, u.locale from audit_log a join users u on u.id = $1",
    )
    .bind(id)
    .fetch_one(&dbs.db.pool)
    .await
    .unwrap();
    assert_eq!((actor, subject), (Some(id), Some(id)));
    assert_eq!((role.as_str(), locale.as_str()), ("admin", "id"));
    // The new check: a deleted row may have no contact, a live one may not.
    let live = sqlx::query("update users set email = null where id = $1")
        .bind(id)
        .execute(&dbs.db.pool)
        .await;
    assert!(live.is_err());
    sqlx::query("update users set email = null, deleted_at = 5 where id = $1")
        .bind(id)
        .execute(&dbs.db.pool)
        .await
        .unwrap();
}
