use app::shared::session::Role;

use crate::helpers::{json, TestApp};

#[tokio::test]
async fn cross_origin_posts_are_refused() {
    let app = TestApp::spawn().await;
    let plain = reqwest::Client::new();
    let form = [
        ("display_name", "Eve"),
        ("identifier", "eve@contoh.id"),
        ("password", "kopi-tubruk-pagi"),
        ("agree_privacy", "yes"),
    ];
    let forged = plain
        .post(app.url("/api/accounts/register"))
        .header("origin", "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    let bare = plain
        .post(app.url("/api/accounts/register"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(
        bare.status(),
        403,
        "no Origin and no Sec-Fetch-Site is refused"
    );
    let same_site_other_origin = plain
        .post(app.url("/api/accounts/register"))
        .header("sec-fetch-site", "same-site")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(same_site_other_origin.status(), 403);
    let (users,): (i64,) = sqlx::query_as("select count(*) from users")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(users, 0);
    let fine = plain
        .post(app.url("/api/accounts/register"))
        .header("sec-fetch-site", "same-origin")
        .header("accept", "application/json")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(fine.status(), 200);
}

#[tokio::test]
async fn security_headers_on_pages_and_other_responses() {
    let app = TestApp::spawn().await;
    let res = reqwest::get(app.url("/")).await.unwrap();
    assert_eq!(res.status(), 200);
    let h = res.headers().clone();
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("'wasm-unsafe-eval'"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"));
    assert!(csp.contains("'nonce-"));
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "strict-origin-when-cross-origin");
    let html = res.text().await.unwrap();
    assert!(html.contains("<html lang=\"id\""), "Indonesian by default");
    for path in ["/healthz", "/api/session/me", "/no-such-page"] {
        let res = reqwest::get(app.url(path)).await.unwrap();
        assert!(
            res.headers().contains_key("content-security-policy"),
            "{path}"
        );
        assert_eq!(res.headers()["x-content-type-options"], "nosniff", "{path}");
    }
}

#[tokio::test]
async fn english_for_english_browsers_and_a_404_page() {
    let app = TestApp::spawn().await;
    let res = reqwest::Client::new()
        .get(app.url("/login"))
        .header("accept-language", "en-US,en;q=0.9")
        .send()
        .await
        .unwrap();
    let html = res.text().await.unwrap();
    assert!(html.contains("<html lang=\"en\""));
    assert!(html.contains("Email or mobile number"));
    let res = reqwest::get(app.url("/no-such-page")).await.unwrap();
    assert_eq!(res.status(), 404);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Halaman tidak ditemukan"));
}

#[tokio::test]
async fn oversized_bodies_get_413() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let huge = "x".repeat(200 * 1024);
    let res = app
        .post(
            &c,
            "/api/accounts/login",
            &[("identifier", huge.as_str()), ("password", "x")],
        )
        .await;
    assert_eq!(res.status(), 413);
}

#[tokio::test]
async fn malformed_calls_get_4xx_never_500() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let res = app
        .post(&c, "/api/accounts/login", &[("nonsense", "1")])
        .await;
    assert_eq!(res.status(), 400);
    assert_eq!(json(res).await["code"], "bad_request");
    let res = app
        .post(
            &c,
            "/api/admin/set-role",
            &[("user_id", "not-a-number"), ("role", "x")],
        )
        .await;
    assert_eq!(res.status(), 400);
    let long = "é".repeat(5000);
    let res = app.login(&c, &long, &long).await;
    assert!(res.status().is_client_error(), "{}", res.status());
    let res = app.signup(&c, "\u{0}\u{0}", "\u{202e}08123", "").await;
    assert_eq!(res.status(), 422);
    let res = app.post(&c, "/api/locale", &[("locale", "xx")]).await;
    assert_eq!(res.status(), 400);
}

#[tokio::test]
async fn health_and_readiness() {
    let app = TestApp::spawn().await;
    assert_eq!(
        reqwest::get(app.url("/healthz")).await.unwrap().status(),
        200
    );
    assert_eq!(
        reqwest::get(app.url("/readyz")).await.unwrap().status(),
        200
    );
}

#[tokio::test]
async fn a_flood_of_posts_from_one_address_is_slowed_down() {
    let app = TestApp::spawn_with(|c| c.post_burst = 5).await;
    let c = app.client();
    let mut statuses = Vec::new();
    for _ in 0..12 {
        statuses.push(app.post(&c, "/api/session/me", &[]).await.status().as_u16());
    }
    assert_eq!(statuses[0], 200);
    assert!(statuses.contains(&429), "{statuses:?}");
    // Pages (GET) are not limited.
    assert_eq!(
        reqwest::get(app.url("/healthz")).await.unwrap().status(),
        200
    );
}

#[tokio::test]
async fn the_admin_page_answers_403_to_sellers_and_sends_visitors_to_sign_in() {
    let app = TestApp::spawn().await;
    let res = app
        .browser()
        .get(app.url("/admin/users"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/login?next=%2Fadmin%2Fusers");
    let c = app.client();
    app.signup(&c, "Sari", "sari@contoh.id", "kopi-tubruk-pagi")
        .await;
    let res = c
        .get(app.url("/admin/users?page=99999999999999999"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let html = res.text().await.unwrap();
    assert!(html.contains("Anda tidak memiliki izin"), "{html}");
    assert!(!html.contains("sari@contoh.id</td>"));
}

#[tokio::test]
async fn every_page_answers_200() {
    let app = TestApp::spawn().await;
    for path in ["/", "/register", "/login"] {
        let res = reqwest::get(app.url(path)).await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
    }
}

/// Many pages rendered at once on a multi-threaded runtime, as in
/// production: none may hang (leptos 0.8 SSR has known deadlocks when
/// several suspense boundaries share resources; the layout avoids them).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_page_renders_all_finish() {
    let app = TestApp::spawn().await;
    let c = app.client();
    app.signup(&c, "Sari", "sari@contoh.id", "kopi-tubruk-pagi")
        .await;
    let mut tasks = Vec::new();
    for i in 0..80 {
        let client = if i % 2 == 0 {
            c.clone()
        } else {
            reqwest::Client::new()
        };
        let url = app.url(["/", "/account", "/login", "/register"][i % 4]);
        tasks.push(tokio::spawn(async move {
            tokio::time::timeout(std::time::Duration::from_secs(30), client.get(url).send())
                .await
                .expect("page rendered within 30 s")
                .expect("response")
                .status()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 200);
    }
}

#[tokio::test]
async fn behind_https_cookies_are_secure_and_hsts_is_sent() {
    let app =
        TestApp::spawn_with(|c| c.base_url = Some("https://naikkelas.example.id".into())).await;
    let res = reqwest::get(app.url("/")).await.unwrap();
    assert!(res.headers()["strict-transport-security"]
        .to_str()
        .unwrap()
        .contains("max-age="));
    // Origin must now be the public https origin, not the local address.
    app.user_with_role("sari@contoh.id", "kopi-tubruk-pagi", Role::Seller)
        .await;
    let form = [
        ("identifier", "sari@contoh.id"),
        ("password", "kopi-tubruk-pagi"),
    ];
    let local = reqwest::Client::new()
        .post(app.url("/api/accounts/login"))
        .header("origin", &app.base)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(local.status(), 403);
    let public = reqwest::Client::new()
        .post(app.url("/api/accounts/login"))
        .header("origin", "https://naikkelas.example.id")
        .header("accept", "application/json")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(public.status(), 200);
    let cookie = public
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_ascii_lowercase())
        .find(|v| v.starts_with("nk_session="))
        .unwrap();
    assert!(cookie.contains("secure"), "{cookie}");
}
