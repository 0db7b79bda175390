//! The holes found when the foundation was tried as an attacker would
//! (issue 10): limits under concurrency, lock-outs, proxies, private
//! pages, the last administrator, the database going away.

use app::shared::db::Engine;
use app::shared::session::Role;

use crate::helpers::{json, TestApp};

const PW: &str = "kopi-tubruk-pagi";

fn count(statuses: &[u16], status: u16) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn simultaneous_wrong_passwords_are_judged_at_most_the_limit() {
    let app = TestApp::spawn().await;
    let other = app.second_server().await;
    app.signup(&app.client(), "Sari", "sari@contoh.id", PW)
        .await;
    // Half of them through each of two app servers on one database.
    let statuses = TestApp::at_once(40, |i| {
        let server = if i % 2 == 0 { &app } else { &other };
        server
            .client()
            .post(server.url("/api/accounts/login"))
            .form(&[
                ("identifier", "sari@contoh.id"),
                ("password", "salah-sekali"),
            ])
            .send()
    })
    .await;
    assert_eq!(count(&statuses, 401), 5, "{statuses:?}");
    assert_eq!(count(&statuses, 429), 35, "{statuses:?}");
    // Strangers are still locked out, the right password included.
    let res = app.login(&app.client(), "sari@contoh.id", PW).await;
    assert_eq!(res.status(), 429);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_unknown_address_is_limited_exactly_like_a_real_one() {
    let app = TestApp::spawn().await;
    let statuses = TestApp::at_once(20, |_| {
        app.client()
            .post(app.url("/api/accounts/login"))
            .form(&[
                ("identifier", "0812 9999 0000"),
                ("password", "salah-sekali"),
            ])
            .send()
    })
    .await;
    assert_eq!(count(&statuses, 401), 5, "{statuses:?}");
    assert_eq!(count(&statuses, 429), 15, "{statuses:?}");
    // The same number in another spelling is the same key.
    let res = app
        .login(&app.client(), "+62 812-9999-0000", "salah-sekali")
        .await;
    assert_eq!(res.status(), 429);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn simultaneous_registrations_and_password_changes_hold_their_limits() {
    let app = TestApp::spawn_with(|c| c.limits.max_registrations_per_ip = 5).await;
    let second = app
        .second_server_with(|c| c.limits.max_registrations_per_ip = 5)
        .await;
    let statuses = TestApp::at_once(40, |i| {
        let identifier = format!("p{i}@contoh.id");
        let server = if i % 2 == 0 { &app } else { &second };
        server
            .client()
            .post(server.url("/api/accounts/register"))
            .form(&[
                ("display_name", "Penjual"),
                ("identifier", identifier.as_str()),
                ("password", PW),
                ("agree_privacy", "yes"),
            ])
            .send()
    })
    .await;
    assert_eq!(count(&statuses, 200), 5, "{statuses:?}");
    assert_eq!(count(&statuses, 429), 35, "{statuses:?}");
    // No account exists before its code is used: five sign-ups started.
    assert_eq!(app.count("select count(*) from verifications").await, 5);
    assert_eq!(app.count("select count(*) from users").await, 0);

    let other = app.second_server().await;
    let c = other.client();
    other
        .user_with_role("budi@contoh.id", PW, Role::Seller)
        .await;
    assert_eq!(other.login(&c, "budi@contoh.id", PW).await.status(), 200);
    let statuses = TestApp::at_once(40, |_| {
        c.post(other.url("/api/accounts/change-password"))
            .form(&[
                ("current_password", "bukan-sandinya"),
                ("new_password", "teh-manis-hangat"),
            ])
            .send()
    })
    .await;
    assert_eq!(count(&statuses, 422), 5, "{statuses:?}");
    assert_eq!(count(&statuses, 429), 35, "{statuses:?}");
}

#[tokio::test]
async fn successful_sign_ins_do_not_use_up_the_allowance() {
    let app = TestApp::spawn().await;
    app.user_with_role("sari@contoh.id", PW, Role::Seller).await;
    for _ in 0..4 {
        let res = app
            .login(&app.client(), "sari@contoh.id", "salah-sekali")
            .await;
        assert_eq!(res.status(), 401);
    }
    for _ in 0..8 {
        let res = app.login(&app.client(), "sari@contoh.id", PW).await;
        assert_eq!(res.status(), 200);
    }
    let res = app
        .login(&app.client(), "sari@contoh.id", "salah-sekali")
        .await;
    assert_eq!(res.status(), 401, "the fifth failure is still judged");
    let res = app.login(&app.client(), "sari@contoh.id", PW).await;
    assert_eq!(res.status(), 429);
}

fn device_cookie(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("nk_device="))
        .map(str::to_string)
}

#[tokio::test]
async fn the_owners_browser_signs_in_while_strangers_are_locked_out() {
    let app = TestApp::spawn().await;
    app.user_with_role("0812 3456 7890", PW, Role::Seller).await;
    let owner = app.client();
    let res = app.login(&owner, "081234567890", PW).await;
    assert_eq!(res.status(), 200);
    let cookie = device_cookie(&res).expect("device cookie set at sign-in");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("Max-Age="), "{cookie}");
    // Kept at logout.
    let res = app.post(&owner, "/api/accounts/logout", &[]).await;
    assert!(device_cookie(&res).is_none());

    for _ in 0..20 {
        let res = app
            .login(&app.client(), "+6281234567890", "tebak-tebak-saja")
            .await;
        assert!(matches!(res.status().as_u16(), 401 | 429));
    }
    let res = app.login(&app.client(), "081234567890", PW).await;
    assert_eq!(res.status(), 429, "a stranger with the right password");
    let body = json(res).await;
    assert!(body["minutes"].as_u64().unwrap() >= 1);

    let res = app.login(&owner, "0812-3456-7890", PW).await;
    assert_eq!(res.status(), 200, "the owner's browser");
    assert_eq!(app.me(&owner).await["phone"], "+6281234567890");
    // Another server on the same database knows the cookie too.
    let second = app.second_server().await;
    app.post(&owner, "/api/accounts/logout", &[]).await;
    let res = owner
        .post(second.url("/api/accounts/login"))
        .header("origin", &second.origin)
        .form(&[("identifier", "081234567890"), ("password", PW)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    // The owner's browser has an allowance of its own, not an unlimited one.
    let owner2 = app.client();
    assert_eq!(app.login(&owner2, "081234567890", PW).await.status(), 429);
    let mut statuses = Vec::new();
    for _ in 0..7 {
        statuses.push(
            app.login(&owner, "081234567890", "lupa-lagi-nih")
                .await
                .status()
                .as_u16(),
        );
    }
    assert_eq!(count(&statuses, 401), 5, "{statuses:?}");
    assert_eq!(count(&statuses, 429), 2, "{statuses:?}");
}

#[tokio::test]
async fn a_forged_or_foreign_device_cookie_gives_no_allowance() {
    let app = TestApp::spawn().await;
    app.user_with_role("sari@contoh.id", PW, Role::Seller).await;
    app.user_with_role("budi@contoh.id", PW, Role::Seller).await;
    // Budi's own browser cookie, presented for Sari's account.
    let budi = app.client();
    let res = app.login(&budi, "budi@contoh.id", PW).await;
    let cookie = device_cookie(&res).unwrap();
    let value = cookie.split(';').next().unwrap().to_string();
    for _ in 0..5 {
        app.login(&app.client(), "sari@contoh.id", "salah-sekali")
            .await;
    }
    let plain = reqwest::Client::new();
    let send = |cookie: String| {
        plain
            .post(app.url("/api/accounts/login"))
            .header("origin", &app.origin)
            .header("accept", "application/json")
            .header("cookie", cookie)
            .form(&[("identifier", "sari@contoh.id"), ("password", PW)])
            .send()
    };
    assert_eq!(send(value.clone()).await.unwrap().status(), 429);
    // Budi's id swapped for Sari's: the signature no longer matches.
    let sari_id: (i64,) = sqlx::query_as("select id from users where email = 'sari@contoh.id'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let mut parts: Vec<String> = value.splitn(2, '=').map(str::to_string).collect();
    let fields: Vec<&str> = parts[1].split('.').collect();
    let forged = format!("v1.{}.{}.{}", sari_id.0, fields[2], fields[3]);
    parts[1] = forged;
    assert_eq!(send(parts.join("=")).await.unwrap().status(), 429);
}

#[tokio::test]
async fn behind_trusted_proxies_the_first_untrusted_address_is_the_client() {
    let app = TestApp::spawn_with(|c| {
        c.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
        c.limits.max_failures_per_ip = 3;
    })
    .await;
    let from = |xff: &str, who: &str| {
        let c = app.client();
        let xff = xff.to_string();
        let who = who.to_string();
        let url = app.url("/api/accounts/login");
        async move {
            c.post(url)
                .header("x-forwarded-for", xff)
                .form(&[("identifier", who.as_str()), ("password", "salah-sekali")])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    // The client forges a left entry; the proxy appended the real one.
    for i in 0..3 {
        let who = format!("siapa{i}@contoh.id");
        assert_eq!(from("6.6.6.6, 198.51.100.7", &who).await, 401);
    }
    assert_eq!(from("7.7.7.7, 198.51.100.7", "lain@contoh.id").await, 429);
    // Another client is not affected by the first one's limit.
    assert_eq!(from("198.51.100.8", "lain@contoh.id").await, 401);
    let (ip,): (String,) = sqlx::query_as(
        "select ip from audit_log where action = 'accounts.login_failed' order by id limit 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(ip, "198.51.100.7");
    // IPv6 clients are limited by their /64: other addresses in it share
    // the allowance, the next /64 does not.
    for i in 1..=3 {
        let who = format!("enam{i}@contoh.id");
        assert_eq!(from(&format!("2001:db8:1:2::{i}"), &who).await, 401);
    }
    assert_eq!(from("2001:db8:1:2:ffff::9", "enam9@contoh.id").await, 429);
    assert_eq!(from("2001:db8:1:3::1", "enam9@contoh.id").await, 401);
    // IPv4 written as IPv4-mapped IPv6 is the same client.
    assert_eq!(from("::ffff:198.51.100.8", "lagi@contoh.id").await, 401);
    assert_eq!(from("198.51.100.8", "lagi2@contoh.id").await, 401);
    assert_eq!(from("::ffff:198.51.100.8", "lagi3@contoh.id").await, 429);

    // Without trusted proxies the header is ignored: the peer is the client.
    let direct = TestApp::spawn().await;
    let res = direct
        .client()
        .post(direct.url("/api/accounts/login"))
        .header("x-forwarded-for", "6.6.6.6")
        .form(&[
            ("identifier", "siapa@contoh.id"),
            ("password", "salah-sekali"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let (ip,): (String,) = sqlx::query_as(
        "select ip from audit_log where action = 'accounts.login_failed' order by id limit 1",
    )
    .fetch_one(&direct.db.pool)
    .await
    .unwrap();
    assert_eq!(ip, "127.0.0.1");
}

#[tokio::test]
async fn pages_that_need_a_user_send_visitors_to_sign_in_and_back() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    for path in ["/account", "/admin/users?q=sari&page=2"] {
        let res = browser.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 303, "{path}");
        let location = res.headers()["location"].to_str().unwrap().to_string();
        assert!(location.starts_with("/login?next=%2F"), "{location}");
        assert_eq!(res.headers()["cache-control"], "no-store", "{path}");
    }
    // An API client asking for JSON gets 401, as server functions do.
    let res = app.client().get(app.url("/account")).send().await.unwrap();
    assert_eq!(res.status(), 401);
    let res = app
        .post(
            &app.client(),
            "/api/accounts/change-password",
            &[
                ("current_password", PW),
                ("new_password", "teh-manis-hangat"),
            ],
        )
        .await;
    assert_eq!(res.status(), 401);
    assert_eq!(res.headers()["cache-control"], "no-store");

    // The login page carries the return path; signing in goes there.
    let html = browser
        .get(app.url("/login?next=%2Fadmin%2Fusers"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(r#"name="next" value="/admin/users""#),
        "{html}"
    );
    app.user_with_role("admin@contoh.id", PW, Role::Admin).await;
    let login = |next: &str| {
        let next = next.to_string();
        let c = app.browser();
        let url = app.url("/api/accounts/login");
        async move {
            let res = c
                .post(url)
                .form(&[
                    ("identifier", "admin@contoh.id"),
                    ("password", PW),
                    ("next", next.as_str()),
                ])
                .send()
                .await
                .unwrap();
            (c, res.headers()["location"].to_str().unwrap().to_string())
        }
    };
    let (admin, location) = login("/admin/users?q=x").await;
    assert_eq!(location, "/admin/users?q=x");
    let res = admin.get(app.url("/account")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    for bad in [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
    ] {
        let (_, location) = login(bad).await;
        assert_eq!(location, "/account", "{bad}");
    }
    // A page anyone may see is not marked private.
    let res = browser.get(app.url("/login")).send().await.unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn forbidden_pages_are_audited_once_a_minute_not_on_every_request() {
    let app = TestApp::spawn().await;
    let seller = app.browser();
    app.user_with_role("sari@contoh.id", PW, Role::Seller).await;
    app.login(&seller, "sari@contoh.id", PW).await;
    for _ in 0..10 {
        let res = seller.get(app.url("/admin/users")).send().await.unwrap();
        assert_eq!(res.status(), 403);
    }
    let n = app.audit_count("security.forbidden").await;
    assert!((1..=2).contains(&n), "{n} entries");
}

#[tokio::test]
async fn old_rate_counters_are_purged() {
    let app = TestApp::spawn().await;
    for i in 0..3 {
        app.login(
            &app.client(),
            &format!("sekali{i}@contoh.id"),
            "salah-sekali",
        )
        .await;
    }
    sqlx::query("update rate_counters set window_start = window_start - 7200")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let purged = app::shared::limits::purge(&app.db, 900).await.unwrap();
    assert!(purged >= 4, "{purged}");
    let (left,): (i64,) = sqlx::query_as("select count(*) from rate_counters")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(left, 0);
}

#[tokio::test]
async fn activity_moves_the_session_expiry_on() {
    // The once-a-minute refresh shortened to a second, to see it here.
    let app = TestApp::spawn_with(|c| c.limits.activity_refresh_secs = 1).await;
    app.user_with_role("sari@contoh.id", PW, Role::Seller).await;
    let c = app.browser();
    let res = app.login(&c, "sari@contoh.id", PW).await;
    assert!(matches!(res.status().as_u16(), 200 | 302));
    let expiry = || async {
        let sql = match app.db.engine {
            Engine::Sqlite => {
                "select cast(strftime('%s', expiry_date) as bigint) from tower_sessions"
            }
            Engine::Postgres => {
                "select cast(extract(epoch from expiry_date) as bigint) from tower_sessions.session"
            }
        };
        let (at,): (i64,) = sqlx::query_as(sql).fetch_one(&app.db.pool).await.unwrap();
        at
    };
    let first = expiry().await;
    tokio::time::sleep(std::time::Duration::from_millis(1600)).await;
    let res = c.get(app.url("/account")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let cookie = crate::helpers::session_cookie(&res);
    assert!(cookie.is_some(), "the cookie's lifetime is renewed too");
    assert!(expiry().await > first, "expiry moved on by activity");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_administrators_demoting_each_other_leave_one() {
    let app = TestApp::spawn().await;
    // Each administrator on an app server of their own.
    let other = app.second_server().await;
    let a = app.user_with_role("a@contoh.id", PW, Role::Admin).await;
    let b = app.user_with_role("b@contoh.id", PW, Role::Admin).await;
    let (ca, cb) = (app.client(), app.client());
    app.login(&ca, "a@contoh.id", PW).await;
    app.login(&cb, "b@contoh.id", PW).await;
    for round in 0..5 {
        let statuses = TestApp::at_once(2, |i| {
            let (client, target, server) = if i == 0 {
                (&ca, b, &app)
            } else {
                (&cb, a, &other)
            };
            client
                .post(server.url("/api/admin/set-role"))
                .header("origin", &server.origin)
                .form(&[("user_id", target.to_string()), ("role", "seller".into())])
                .send()
        })
        .await;
        assert_eq!(count(&statuses, 200), 1, "round {round}: {statuses:?}");
        assert!(
            statuses.iter().all(|s| matches!(s, 200 | 403 | 422)),
            "{statuses:?}"
        );
        let (admins,): (i64,) = sqlx::query_as("select count(*) from users where role = 'admin'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(admins, 1, "round {round}");
        sqlx::query("update users set role = 'admin'")
            .execute(&app.db.pool)
            .await
            .unwrap();
    }
    // With one administrator left, nobody can demote them.
    sqlx::query("update users set role = 'seller' where id = $1")
        .bind(b)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let res = app
        .post(
            &ca,
            "/api/admin/set-role",
            &[("user_id", &a.to_string()), ("role", "staff")],
        )
        .await;
    assert_eq!(res.status(), 422);
}

#[tokio::test]
async fn demo_accounts_get_random_passwords_and_are_never_exposed() {
    let url = TestApp::fresh_database_url().await;
    let secret = app::shared::secret::SecretKey::generate();
    let public = |allow: bool| {
        let mut c = server::Config::for_database(&url);
        c.base_url = Some("https://naikkelas.example.id".into());
        c.allow_demo_accounts = allow;
        c.secret_key = Some(secret.clone());
        c
    };
    // A real deployment without demo accounts starts.
    assert!(server::Application::build(public(false)).await.is_ok());
    let app = TestApp::spawn_on(&url, |c| c.secret_key = Some(secret.clone())).await;
    let first = server::seed::seed_demo(&app.db, None).await.unwrap();
    let second = server::seed::seed_demo(&app.db, None).await.unwrap();
    assert_eq!(first.len(), second.len());
    let admin = &second[0];
    assert_eq!(admin.role, Role::Admin);
    assert_ne!(first[0].password, admin.password, "new passwords each run");
    assert!(!admin.password.contains("demo"));
    let c = app.client();
    assert_eq!(
        app.login(&c, &first[0].sign_in, &first[0].password)
            .await
            .status(),
        401
    );
    assert_eq!(
        app.login(&c, &admin.sign_in, &admin.password)
            .await
            .status(),
        200
    );
    // Now the public deployment refuses to start, naming the fix.
    let err = match server::Application::build(public(false)).await {
        Ok(_) => panic!("must refuse demo accounts on a public address"),
        Err(err) => format!("{err:#}"),
    };
    assert!(err.contains("ALLOW_DEMO_ACCOUNTS"), "{err}");
    assert!(err.contains("create-admin"), "{err}");
    assert!(server::Application::build(public(true)).await.is_ok());
    assert!(server::startup::is_loopback_http("http://127.0.0.1:3000"));
    assert!(server::startup::is_loopback_http("http://localhost:8080"));
    assert!(server::startup::is_loopback_http("http://[::1]:3000"));
    assert!(!server::startup::is_loopback_http("https://127.0.0.1:3000"));
    assert!(!server::startup::is_loopback_http("http://0.0.0.0:3000"));
    assert!(!server::startup::is_loopback_http("http://naikkelas.id"));
    assert!(!server::startup::is_loopback_http(
        "http://127.0.0.1.evil.id"
    ));
}

/// A TCP proxy between the server and PostgreSQL that the test can cut
/// (every connection dropped, new ones closed at once) and restore.
struct CutProxy {
    addr: std::net::SocketAddr,
    cut: std::sync::Arc<std::sync::atomic::AtomicBool>,
    links: std::sync::Arc<std::sync::Mutex<Vec<tokio::task::AbortHandle>>>,
}

impl CutProxy {
    async fn start(upstream: String) -> CutProxy {
        use std::sync::atomic::Ordering;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let cut = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let links = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (cut2, links2) = (cut.clone(), links.clone());
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if cut2.load(Ordering::SeqCst) {
                    drop(inbound);
                    continue;
                }
                let upstream = upstream.clone();
                let task = tokio::spawn(async move {
                    if let Ok(mut outbound) = tokio::net::TcpStream::connect(upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                links2.lock().unwrap().push(task.abort_handle());
            }
        });
        CutProxy { addr, cut, links }
    }

    fn cut(&self) {
        self.cut.store(true, std::sync::atomic::Ordering::SeqCst);
        for link in self.links.lock().unwrap().drain(..) {
            link.abort();
        }
    }

    fn restore(&self) {
        self.cut.store(false, std::sync::atomic::Ordering::SeqCst);
    }
}

/// `postgres://user@host:port/db?x` → (`host:port`, the URL through `via`).
fn through(url: &str, via: std::net::SocketAddr) -> (String, String) {
    let after_scheme = url.find("://").unwrap() + 3;
    let host_start = url[after_scheme..]
        .find('@')
        .map(|i| after_scheme + i + 1)
        .unwrap_or(after_scheme);
    let host_end = url[host_start..]
        .find('/')
        .map(|i| host_start + i)
        .unwrap_or(url.len());
    let mut host = url[host_start..host_end].to_string();
    if !host.contains(':') {
        host.push_str(":5432");
    }
    let proxied = format!("{}{via}{}", &url[..host_start], &url[host_end..]);
    (host, proxied)
}

#[tokio::test]
async fn a_database_outage_answers_503_and_recovers_without_a_restart() {
    // The cut is made between the server and PostgreSQL; SQLite is a file
    // inside the process and has no such outage.
    let url = TestApp::fresh_database_url().await;
    if !url.starts_with("postgres") {
        return;
    }
    let (upstream, _) = through(&url, "127.0.0.1:1".parse().unwrap());
    let proxy = CutProxy::start(upstream).await;
    let (_, proxied) = through(&url, proxy.addr);
    let app = TestApp::spawn_on(&proxied, |c| c.db_acquire_timeout_secs = 2).await;
    app.user_with_role("sari@contoh.id", PW, Role::Seller).await;
    let signed_in = app.browser();
    assert_eq!(
        app.login(&signed_in, "sari@contoh.id", PW)
            .await
            .status()
            .as_u16()
            / 100,
        3
    );

    proxy.cut();
    let res = app.login(&app.client(), "sari@contoh.id", PW).await;
    assert_eq!(res.status(), 503);
    assert!(res.headers().contains_key("retry-after"));
    assert_eq!(json(res).await["code"], "unavailable");
    let res = signed_in.get(app.url("/account")).send().await.unwrap();
    assert_eq!(res.status(), 503);
    assert!(res.headers().contains_key("retry-after"));
    let html = res.text().await.unwrap();
    assert!(html.contains("coba lagi"), "translated message: {html}");
    let res = reqwest::get(app.url("/readyz")).await.unwrap();
    assert_eq!(res.status(), 503);

    proxy.restore();
    let mut status = 0;
    for _ in 0..20 {
        status = app
            .login(&app.client(), "sari@contoh.id", PW)
            .await
            .status()
            .as_u16();
        if status == 200 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert_eq!(status, 200, "recovered without a restart");
    let res = signed_in.get(app.url("/account")).send().await.unwrap();
    assert_eq!(res.status(), 200, "and the session survived the outage");
}
