use app::shared::session::Role;

use crate::helpers::{json, session_cookie, TestApp};

const PW: &str = "kopi-tubruk-pagi";

#[tokio::test]
async fn sign_up_signs_in_as_seller_and_normalises_phone() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let res = app.signup(&c, "  Ibu   Sari ", "0812-3456-7890", PW).await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let me = app.me(&c).await;
    assert_eq!(me["display_name"], "Ibu Sari");
    assert_eq!(me["phone"], "+6281234567890");
    assert_eq!(me["role"], "seller");
    assert!(me.get("password_hash").is_none());
    assert_eq!(app.audit_count("accounts.register").await, 1);
}

#[tokio::test]
async fn bad_registration_names_every_field_and_keeps_values_but_not_the_password() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let res = app.signup(&c, "A", "budi", "password").await;
    assert_eq!(res.status(), 422);
    let body = json(res).await;
    assert_eq!(body["code"], "invalid");
    let codes: Vec<(String, String)> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().into(),
                f["code"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(codes.contains(&("display_name".into(), "name_too_short".into())));
    assert!(codes.contains(&("identifier".into(), "invalid_identifier".into())));
    assert!(codes.contains(&("password".into(), "password_common".into())));
    let text = body.to_string();
    assert!(text.contains("budi"));
    assert!(
        !text.contains("\"password\"]"),
        "password value must not be echoed: {text}"
    );
    let (users,): (i64,) = sqlx::query_as("select count(*) from users")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(users, 0);
}

#[tokio::test]
async fn login_by_email_and_by_phone_in_any_form() {
    let app = TestApp::spawn().await;
    app.signup(&app.client(), "Sari", "sari@contoh.id", PW)
        .await;
    app.signup(&app.client(), "Budi", "+6281234567890", PW)
        .await;
    for (who, name) in [
        ("Sari@Contoh.id", "Sari"),
        ("0812 3456 7890", "Budi"),
        ("6281234567890", "Budi"),
    ] {
        let c = app.client();
        let res = app.login(&c, who, PW).await;
        assert_eq!(res.status(), 200, "{who}");
        assert_eq!(app.me(&c).await["display_name"], name);
    }
    assert_eq!(app.audit_count("accounts.login").await, 3);
}

#[tokio::test]
async fn wrong_password_and_unknown_account_get_the_same_answer() {
    let app = TestApp::spawn().await;
    app.signup(&app.client(), "Sari", "sari@contoh.id", PW)
        .await;
    let wrong = app
        .login(&app.client(), "sari@contoh.id", "not-the-password")
        .await;
    let unknown = app
        .login(&app.client(), "nobody@contoh.id", "not-the-password")
        .await;
    assert_eq!(wrong.status(), 401);
    assert_eq!(unknown.status(), 401);
    let (a, b) = (json(wrong).await, json(unknown).await);
    assert_eq!(a["code"], "invalid_credentials");
    assert_eq!(a["code"], b["code"]);
    assert_eq!(
        a.as_object().unwrap().keys().collect::<Vec<_>>(),
        b.as_object().unwrap().keys().collect::<Vec<_>>()
    );
    assert_eq!(app.audit_count("accounts.login_failed").await, 2);
}

#[tokio::test]
async fn session_id_changes_at_login_and_the_old_one_is_worthless() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let first = app.signup(&c, "Sari", "sari@contoh.id", PW).await;
    let before = session_cookie(&first).expect("session cookie set at registration");
    assert!(first.headers().get_all("set-cookie").iter().any(|v| {
        let v = v.to_str().unwrap().to_ascii_lowercase();
        v.contains("httponly") && v.contains("samesite=lax")
    }));
    let again = app.login(&c, "sari@contoh.id", PW).await;
    let after = session_cookie(&again).expect("new session cookie at login");
    assert_ne!(before, after);
    // A client presenting the old id is not signed in.
    let stale = reqwest::Client::new()
        .post(app.url("/api/session/me"))
        .header("origin", &app.base)
        .header("accept", "application/json")
        .header("cookie", &before)
        .send()
        .await
        .unwrap();
    assert_eq!(json(stale).await, serde_json::Value::Null);
}

#[tokio::test]
async fn logout_ends_the_session_on_the_server() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let res = app.signup(&c, "Sari", "sari@contoh.id", PW).await;
    let cookie = session_cookie(&res).unwrap();
    assert_eq!(
        app.post(&c, "/api/accounts/logout", &[]).await.status(),
        200
    );
    assert_eq!(app.me(&c).await, serde_json::Value::Null);
    let replay = reqwest::Client::new()
        .post(app.url("/api/session/me"))
        .header("origin", &app.base)
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(json(replay).await, serde_json::Value::Null);
    assert_eq!(app.audit_count("accounts.logout").await, 1);
}

#[tokio::test]
async fn password_change_ends_other_sessions_and_keeps_this_one() {
    let app = TestApp::spawn().await;
    let (phone, laptop) = (app.client(), app.client());
    app.signup(&phone, "Sari", "sari@contoh.id", PW).await;
    app.login(&laptop, "sari@contoh.id", PW).await;
    let res = app
        .post(
            &phone,
            "/api/accounts/change-password",
            &[
                ("current_password", "wrong-one-here"),
                ("new_password", "teh-manis-sore"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(json(res).await["fields"][0]["code"], "wrong_password");
    let res = app
        .post(
            &phone,
            "/api/accounts/change-password",
            &[("current_password", PW), ("new_password", "teh-manis-sore")],
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(app.me(&phone).await["display_name"], "Sari");
    assert_eq!(app.me(&laptop).await, serde_json::Value::Null);
    assert_eq!(
        app.login(&app.client(), "sari@contoh.id", PW)
            .await
            .status(),
        401
    );
    assert_eq!(
        app.login(&app.client(), "sari@contoh.id", "teh-manis-sore")
            .await
            .status(),
        200
    );
    assert_eq!(app.audit_count("accounts.password_changed").await, 1);
}

#[tokio::test]
async fn logout_everywhere_ends_every_session() {
    let app = TestApp::spawn().await;
    let (phone, laptop) = (app.client(), app.client());
    app.signup(&phone, "Sari", "sari@contoh.id", PW).await;
    app.login(&laptop, "sari@contoh.id", PW).await;
    assert_eq!(
        app.post(&laptop, "/api/accounts/logout-everywhere", &[])
            .await
            .status(),
        200
    );
    assert_eq!(app.me(&phone).await, serde_json::Value::Null);
    assert_eq!(app.me(&laptop).await, serde_json::Value::Null);
    assert_eq!(app.login(&phone, "sari@contoh.id", PW).await.status(), 200);
}

#[tokio::test]
async fn seller_calling_an_admin_function_gets_403_and_an_audit_entry() {
    let app = TestApp::spawn().await;
    let c = app.client();
    app.signup(&c, "Sari", "sari@contoh.id", PW).await;
    let res = app
        .post(&c, "/api/admin/users", &[("query", ""), ("page", "1")])
        .await;
    assert_eq!(res.status(), 403);
    assert_eq!(json(res).await["code"], "forbidden");
    let res = app
        .post(
            &c,
            "/api/admin/set-role",
            &[("user_id", "1"), ("role", "admin")],
        )
        .await;
    assert_eq!(res.status(), 403);
    assert_eq!(app.audit_count("security.forbidden").await, 2);
    assert_eq!(app.me(&c).await["role"], "seller");
    // Anonymous callers are told to sign in.
    let res = app
        .post(
            &app.client(),
            "/api/admin/users",
            &[("query", ""), ("page", "1")],
        )
        .await;
    assert_eq!(res.status(), 401);
}

/// One page of the admin's user list, as JSON.
async fn search(
    app: &TestApp,
    admin: &reqwest::Client,
    query: &str,
    page: &str,
) -> serde_json::Value {
    json(
        app.post(
            admin,
            "/api/admin/users",
            &[("query", query), ("page", page)],
        )
        .await,
    )
    .await
}

#[tokio::test]
async fn admin_lists_searches_pages_and_assigns_roles() {
    let app = TestApp::spawn().await;
    app.user_with_role("admin@naikkelas.id", PW, Role::Admin)
        .await;
    for i in 0..25 {
        app.user_with_role(&format!("p{i}@contoh.id"), PW, Role::Seller)
            .await;
    }
    app.signup(&app.client(), "Kopi Gayo", "0812 9999 0000", PW)
        .await;
    let admin = app.client();
    assert_eq!(
        app.login(&admin, "admin@naikkelas.id", PW).await.status(),
        200
    );
    let page = search(&app, &admin, "", "2").await;
    assert_eq!(page["total"], 27);
    assert_eq!(page["users"].as_array().unwrap().len(), 7);
    let found = search(&app, &admin, "kopi", "1").await;
    assert_eq!(found["total"], 1);
    let by_phone = search(&app, &admin, "0812 9999", "1").await;
    assert_eq!(by_phone["total"], 0, "spaces are not normalised in search");
    let by_phone = search(&app, &admin, "08129999", "1").await;
    assert_eq!(by_phone["total"], 1);
    let huge = search(&app, &admin, "", "9223372036854775807").await;
    assert_eq!(huge["users"].as_array().unwrap().len(), 0);
    let wild = search(&app, &admin, "%", "1").await;
    assert_eq!(wild["total"], 0, "like wildcards are escaped");
    let id = found["users"][0]["id"].as_i64().unwrap().to_string();
    let res = app
        .post(
            &admin,
            "/api/admin/set-role",
            &[("user_id", &id), ("role", "trainer")],
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = app
        .post(
            &admin,
            "/api/admin/set-role",
            &[("user_id", &id), ("role", "emperor")],
        )
        .await;
    // Roles are typed at the boundary: an unknown one is a bad request.
    assert_eq!(res.status(), 400);
    let res = app
        .post(
            &admin,
            "/api/admin/set-role",
            &[("user_id", "999999"), ("role", "staff")],
        )
        .await;
    assert_eq!(res.status(), 404);
    let kopi = app.client();
    app.login(&kopi, "081299990000", PW).await;
    assert_eq!(app.me(&kopi).await["role"], "trainer");
    assert_eq!(app.audit_count("accounts.role_changed").await, 1);
}

#[tokio::test]
async fn login_rate_limit_engages_per_account_even_with_the_right_password() {
    let app = TestApp::spawn().await;
    app.signup(&app.client(), "Sari", "sari@contoh.id", PW)
        .await;
    for _ in 0..5 {
        assert_eq!(
            app.login(&app.client(), "sari@contoh.id", "wrong-password!")
                .await
                .status(),
            401
        );
    }
    let res = app.login(&app.client(), "sari@contoh.id", PW).await;
    assert_eq!(res.status(), 429);
    let body = json(res).await;
    assert_eq!(body["code"], "rate_limited");
    assert!(body["minutes"].as_u64().unwrap() >= 1);
    assert!(app.audit_count("accounts.login_limited").await >= 1);
}

#[tokio::test]
async fn registrations_are_limited_per_client_address() {
    let app = TestApp::spawn_with(|c| c.limits.max_registrations_per_ip = 3).await;
    for i in 0..3 {
        let res = app
            .register(&app.client(), "Penjual", &format!("p{i}@contoh.id"), PW)
            .await;
        assert_eq!(res.status(), 200);
    }
    let res = app
        .register(&app.client(), "Penjual", "p10@contoh.id", PW)
        .await;
    assert_eq!(res.status(), 429);
}

#[tokio::test]
async fn login_rate_limit_engages_per_client_address() {
    let app = TestApp::spawn_with(|c| c.limits.max_failures_per_ip = 8).await;
    for i in 0..8 {
        let res = app
            .login(
                &app.client(),
                &format!("nobody{i}@contoh.id"),
                "wrong-password!",
            )
            .await;
        assert_eq!(res.status(), 401);
    }
    let res = app
        .login(&app.client(), "someone-else@contoh.id", "wrong-password!")
        .await;
    assert_eq!(res.status(), 429);
}

#[tokio::test]
async fn plain_form_post_without_javascript_shows_errors_and_keeps_values() {
    let app = TestApp::spawn().await;
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();
    let res = browser
        .post(app.url("/api/accounts/register"))
        .header("accept", "text/html")
        .header("sec-fetch-site", "same-origin")
        .header("referer", app.url("/register"))
        .header("cookie", "i18n_pref_locale=en")
        .form(&[
            ("display_name", "Warung Bu Tini"),
            ("identifier", "tini@contoh"),
            ("password", "secret-pw"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 302);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(location.contains("__err="), "{location}");
    assert!(!location.contains("secret-pw"));
    let page = browser
        .get(&location)
        .header("cookie", "i18n_pref_locale=en")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("This email address is not valid"), "{html}");
    assert!(html.contains("value=\"Warung Bu Tini\""));
    assert!(html.contains("value=\"tini@contoh\""));

    assert!(html.contains("Tick this to register"), "{html}");

    // A good registration goes to the page that takes the code or link.
    let res = browser
        .post(app.url("/api/accounts/register"))
        .header("accept", "text/html")
        .header("sec-fetch-site", "same-origin")
        .header("referer", app.url("/register"))
        .form(&[
            ("display_name", "Warung Bu Tini"),
            ("identifier", "tini@contoh.id"),
            ("password", PW),
            ("agree_privacy", "yes"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 302);
    let location = res.headers()["location"].to_str().unwrap();
    assert!(location.starts_with("/verify?v="), "{location}");
}

#[tokio::test]
async fn app_servers_sharing_a_database_share_sessions_and_their_end() {
    let a = TestApp::spawn().await;
    let b = a.second_server().await;
    let c = a.client();
    let res = a.signup(&c, "Sari", "sari@contoh.id", PW).await;
    let cookie = session_cookie(&res).unwrap();
    let on_b = |path: &str| {
        reqwest::Client::new()
            .post(b.url(path))
            .header("origin", &b.base)
            .header("accept", "application/json")
            .header("cookie", &cookie)
    };
    let me = json(on_b("/api/session/me").send().await.unwrap()).await;
    assert_eq!(
        me["display_name"], "Sari",
        "a session made on A is valid on B"
    );
    // Ending every session on B ends the one on A too.
    assert_eq!(
        on_b("/api/accounts/logout-everywhere")
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(a.me(&c).await, serde_json::Value::Null);
}

#[tokio::test]
async fn long_passphrases_work_and_longer_attempts_never_match() {
    let app = TestApp::spawn().await;
    let long = "sambal ".repeat(18) + "terasi"; // 132 characters
    let res = app
        .register(&app.client(), "Sari", "sari@contoh.id", &long)
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(json(res).await["fields"][0]["code"], "password_too_long");
    let cap: String = long.chars().take(128).collect();
    assert_eq!(
        app.signup(&app.client(), "Sari", "sari@contoh.id", &cap)
            .await
            .status(),
        200
    );
    assert_eq!(
        app.login(&app.client(), "sari@contoh.id", &cap)
            .await
            .status(),
        200
    );
    let longer = format!("{cap}x");
    assert_eq!(
        app.login(&app.client(), "sari@contoh.id", &longer)
            .await
            .status(),
        401
    );
}
