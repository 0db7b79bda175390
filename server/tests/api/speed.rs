//! Issue 11: what makes pages cheap must not make them wrong.

use app::shared::session::Role;

use crate::helpers::TestApp;

fn nonce(res: &reqwest::Response) -> String {
    let csp = res.headers()["content-security-policy"].to_str().unwrap();
    let start = csp.find("'nonce-").unwrap() + 7;
    let len = csp[start..].find('\'').unwrap();
    csp[start..start + len].to_string()
}

#[tokio::test]
async fn cached_anonymous_pages_keep_fresh_nonces_languages_and_users_apart() {
    let app = TestApp::spawn().await;
    let get = |lang: &'static str| {
        let url = app.url("/");
        async move {
            let res = reqwest::Client::new()
                .get(url)
                .header("accept-language", lang)
                .send()
                .await
                .unwrap();
            let n = nonce(&res);
            (n, res.text().await.unwrap())
        }
    };
    let (n1, html1) = get("id").await;
    let (n2, html2) = get("id").await;
    assert_ne!(n1, n2, "every answer has its own nonce");
    assert!(html1.contains(&format!("nonce=\"{n1}\"")));
    assert!(html2.contains(&format!("nonce=\"{n2}\"")));
    assert!(!html2.contains(&n1));
    assert!(html2.contains("<html lang=\"id\""));
    let (_, en) = get("en-US,en;q=0.9").await;
    assert!(
        en.contains("<html lang=\"en\""),
        "languages are cached apart"
    );

    // A signed-in user's home page is rendered for them, never cached,
    // and never served to anyone else.
    app.user_with_role("sari@contoh.id", "kopi-tubruk-pagi", Role::Seller)
        .await;
    let c = app.browser();
    app.login(&c, "sari@contoh.id", "kopi-tubruk-pagi").await;
    let mine = c.get(app.url("/")).send().await.unwrap();
    assert_eq!(
        mine.headers()
            .get("cache-control")
            .map(|v| v.to_str().unwrap()),
        None
    );
    let mine = mine.text().await.unwrap();
    assert!(mine.contains("Test User"), "signed-in home page");
    let (_, anonymous) = get("id").await;
    assert!(!anonymous.contains("Test User"));
}

#[tokio::test]
async fn pkg_files_are_not_served_as_immutable_without_hashed_names() {
    let app = TestApp::spawn().await;
    // The test binary has no hash.txt beside it: names are not hashed, so
    // a browser must revalidate.
    let res = reqwest::get(app.url("/pkg/naik_kelas.css")).await.unwrap();
    if res.status() == 200 {
        assert_eq!(res.headers()["cache-control"], "no-cache");
    }
    let res = reqwest::get(app.url("/pkg/nothing-here.js")).await.unwrap();
    assert_eq!(res.status(), 404);
    assert!(res
        .headers()
        .get("cache-control")
        .is_none_or(|v| v != "public, max-age=31536000, immutable"));
}
