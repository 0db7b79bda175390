//! Listings and the policy check (issue 16): a seller sees and edits only
//! their own listings; every save appends a decision that is never
//! rewritten; the public JSON API with good and bad bodies, without
//! `Origin` and with a foreign one; the OpenAPI document.

use app::shared::session::Role;
use serde_json::{json, Value};

use crate::helpers::{json, TestApp};

const PW: &str = "produk-lokal-unggul";

async fn seller(app: &TestApp, who: &str, country: &str, size: Option<&str>) -> reqwest::Client {
    let id = app.user_with_role(who, PW, Role::Seller).await;
    sqlx::query(
        r#"insert into businesses (owner_id, name, domicile_country, size_class, created_at, updated_at)
           values ($1, 'Usaha Uji', $2, $3, 0, 0)"#,
    )
    .bind(id)
    .bind(country)
    .bind(size)
    .execute(&app.db.pool)
    .await
    .unwrap();
    let c = app.client();
    assert_eq!(app.login(&c, who, PW).await.status(), 200);
    c
}

fn form<'a>(
    title: &'a str,
    category: &'a str,
    price: &'a str,
    currency: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("description", "Produk lokal."),
        ("category", category),
        ("price", price),
        ("currency", currency),
        ("unit", "pcs"),
        ("origin_country", "ID"),
        ("ships_from", "ID"),
    ]
}

#[tokio::test]
async fn sellers_keep_their_own_listings_and_decisions_are_appended() {
    let app = TestApp::spawn().await;
    app::courses::curriculum::load(&app.db).await.unwrap();
    let rina = seller(&app, "rina@contoh.id", "ID", Some("medium")).await;
    let budi = seller(&app, "budi@contoh.id", "ID", None).await;
    // Bad input: each field named, nothing stored.
    let res = app
        .post(
            &rina,
            "/api/listings/save",
            &[
                ("title", ""),
                ("category", "no-such"),
                ("price", "12.345"),
                ("currency", "USD"),
                ("unit", "pcs"),
                ("origin_country", "XX"),
                ("ships_from", "ID"),
                ("hs_code", "49x"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let body = json(res).await.to_string();
    for (field, code) in [
        ("title", "required"),
        ("category", "invalid_choice"),
        ("price", "too_many_decimals"),
        ("origin_country", "invalid_country"),
        ("hs_code", "invalid_hs_code"),
    ] {
        assert!(
            body.contains(&format!("{{\"code\":\"{code}\",\"field\":\"{field}\"}}")),
            "{field} {code} in {body}"
        );
    }
    assert!(body.contains("12.345"), "what was typed comes back: {body}");
    assert_eq!(app.count("select count(*) from listings").await, 0);
    // A medium business's food without a halal certificate: needs a
    // document, with the course that explains it.
    let res = app
        .post(
            &rina,
            "/api/listings/save",
            &form("Sambal Roa Manado", "sambal-bumbu", "45000", "IDR"),
        )
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let id = app.count("select max(id) from listings").await;
    let view = json(
        app.post(&rina, "/api/listings/view", &[("id", &id.to_string())])
            .await,
    )
    .await;
    assert_eq!(view["decisions"][0]["outcome"], "needs_document", "{view}");
    assert_eq!(
        view["decisions"][0]["reasons"][0]["rule"],
        "halal_certificate_required"
    );
    assert_eq!(
        view["decisions"][0]["reasons"][0]["course"][0],
        "halal-self-declare"
    );
    assert_eq!(view["decisions"][0]["rule_set_version"], 1);
    // With the certificate number: allowed, appended; the first decision
    // is untouched.
    let (first,): (String,) =
        sqlx::query_as("select reasons from listing_decisions order by id limit 1")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let id_s = id.to_string();
    let mut f = form("Sambal Roa Manado", "sambal-bumbu", "45000", "IDR");
    f.push(("id", &id_s));
    f.push(("halal_cert", "ID31110000123450124"));
    assert_eq!(
        app.post(&rina, "/api/listings/save", &f).await.status(),
        200
    );
    assert_eq!(app.count("select count(*) from listing_decisions").await, 2);
    let (again,): (String,) =
        sqlx::query_as("select reasons from listing_decisions order by id limit 1")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(first, again);
    let (decision,): (String,) = sqlx::query_as("select decision from listings where id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(decision, "allowed");
    // The first allowed listing advances the journey.
    assert_eq!(
        app.count(
            "select count(*) from business_milestones where milestone = 'first_listing_allowed'"
        )
        .await,
        1
    );
    // Another seller neither sees nor edits it.
    assert_eq!(
        app.post(&budi, "/api/listings/view", &[("id", &id_s)])
            .await
            .status(),
        404
    );
    let mut f = form("Diambil alih", "sambal-bumbu", "1", "IDR");
    f.push(("id", &id_s));
    assert_eq!(
        app.post(&budi, "/api/listings/save", &f).await.status(),
        404
    );
    assert_eq!(
        app.post(&budi, "/api/listings/withdraw", &[("id", &id_s)])
            .await
            .status(),
        404
    );
    let mine = json(app.post(&budi, "/api/listings/mine", &[]).await).await;
    assert_eq!(mine.as_array().unwrap().len(), 0);
    // Staff and anonymous callers list nothing.
    let staff = app.client();
    app.user_with_role("staf2@contoh.id", PW, Role::Staff).await;
    app.login(&staff, "staf2@contoh.id", PW).await;
    assert_eq!(
        app.post(&staff, "/api/listings/mine", &[]).await.status(),
        403
    );
    assert_eq!(
        app.post(&app.client(), "/api/listings/mine", &[])
            .await
            .status(),
        401
    );
    // Withdrawn: no more edits.
    assert_eq!(
        app.post(&rina, "/api/listings/withdraw", &[("id", &id_s)])
            .await
            .status(),
        200
    );
    let mut f = form("Sambal", "sambal-bumbu", "1", "IDR");
    f.push(("id", &id_s));
    assert_eq!(
        app.post(&rina, "/api/listings/save", &f).await.status(),
        404
    );
    // Deleting the account withdraws and unnames the listings; the
    // decisions stay.
    assert_eq!(
        app.post(&rina, "/api/accounts/delete", &[("delete_password", PW)])
            .await
            .status(),
        200
    );
    assert_eq!(
        app.count("select count(*) from listings where seller_id is not null")
            .await,
        0
    );
    assert_eq!(app.count("select count(*) from listing_decisions").await, 2);
}

async fn check(app: &TestApp, body: &str, origin: Option<&str>) -> (u16, Value) {
    let mut req = reqwest::Client::new()
        .post(app.url("/api/v1/listings/check"))
        .header("content-type", "application/json")
        .body(body.to_string());
    if let Some(o) = origin {
        req = req.header("origin", o);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json"),
        "{status}"
    );
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_public_api_checks_without_storing_and_names_bad_fields() {
    let app = TestApp::spawn().await;
    let good = json!({
        "title": "Kemeja batik tulis",
        "category": "batik",
        "price": {"amount": "99.99", "currency": "USD"},
        "seller": {"country": " cn "},
        "origin_country": "CN",
        "as_of": "2025-01-10"
    });
    // A server calls without Origin; a browser page elsewhere with one.
    for origin in [None, Some("https://pasar.example")] {
        let (status, body) = check(&app, &good.to_string(), origin).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["decision"], "blocked");
        assert_eq!(body["rule_set_version"], 1);
        let rules: Vec<&str> = body["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["rule"].as_str().unwrap())
            .collect();
        assert_eq!(
            rules,
            ["akar_cross_border_cluster", "cross_border_min_price"]
        );
        assert!(body["reasons"][0]["message_en"]
            .as_str()
            .unwrap()
            .contains("textiles and fashion"));
    }
    assert_eq!(app.count("select count(*) from listings").await, 0);
    assert_eq!(app.count("select count(*) from listing_decisions").await, 0);
    // A domestic seller of imported goods: not cross-border, allowed.
    let domestic = json!({
        "title": "Headphone Bluetooth", "category": "elektronik",
        "price": {"amount": "150000", "currency": "IDR"},
        "seller": {"country": "id", "size_class": "micro"}, "origin_country": "CN"
    });
    let (status, body) = check(&app, &domestic.to_string(), None).await;
    assert_eq!((status, body["decision"].as_str()), (200, Some("allowed")));
    assert_eq!(body["cross_border"], false);
    // Bad bodies: 400 for what is not JSON, 422 naming each bad field.
    let (status, body) = check(&app, "{not json", None).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("bad_json")));
    let (status, _) = check(&app, "[1,2]", None).await;
    assert_eq!(status, 400);
    let bad = json!({
        "title": "x".repeat(201),
        "category": "no-such",
        "price": {"amount": "-5", "currency": "EUR"},
        "seller": {"country": "XX", "size_class": "huge"},
        "origin_country": "Indonesia",
        "ships_from": 7,
        "as_of": "2025-02-30"
    });
    let (status, body) = check(&app, &bad.to_string(), None).await;
    assert_eq!(status, 422, "{body}");
    let fields: Vec<&str> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    for f in [
        "title",
        "category",
        "price.currency",
        "seller.country",
        "seller.size_class",
        "origin_country",
        "ships_from",
        "as_of",
    ] {
        assert!(fields.contains(&f), "{f} in {fields:?}");
    }
    for (amount, code) in [
        ("-5", "negative"),
        ("abc", "not_a_number"),
        ("1.234", "too_many_decimals"),
    ] {
        let mut b = good.clone();
        b["price"]["amount"] = json!(amount);
        let (status, body) = check(&app, &b.to_string(), None).await;
        assert_eq!(status, 422);
        assert_eq!(body["fields"][0]["code"], code, "{amount}");
    }
    let mut b = good.clone();
    b["price"]["amount"] = json!(100);
    assert_eq!(check(&app, &b.to_string(), None).await.0, 422);
    let (status, body) = check(&app, "{}", None).await;
    assert_eq!(status, 422);
    assert!(body["fields"].as_array().unwrap().len() >= 5, "{body}");
    // An oversized body: 413, as JSON.
    let big = json!({ "title": "x".repeat(40_000) }).to_string();
    let (status, body) = check(&app, &big, None).await;
    assert_eq!((status, body["error"].as_str()), (413, Some("too_large")));
    // CORS for a page on another site: allowed, without credentials.
    let res = reqwest::Client::new()
        .request(reqwest::Method::OPTIONS, app.url("/api/v1/listings/check"))
        .header("origin", "https://pasar.example")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success());
    assert_eq!(res.headers()["access-control-allow-origin"], "*");
    assert!(res
        .headers()
        .get("access-control-allow-credentials")
        .is_none());
    // The lists.
    let cats: Value = reqwest::get(app.url("/api/v1/categories"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let cats = cats.as_array().unwrap();
    assert!(cats.len() >= 40);
    for c in cats {
        assert!(
            ["textiles_fashion", "food_beverages", "handicrafts", "other"]
                .contains(&c["cluster"].as_str().unwrap())
        );
    }
    let rules: Value = reqwest::get(app.url("/api/v1/rules"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(rules["version"], 1);
    let floor = rules["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "cross_border_min_price")
        .unwrap();
    assert_eq!(floor["effective_from"], "2023-09-26");
    assert!(floor["parameters"]["idr_per_usd"].as_i64().unwrap() > 0);
    assert!(
        floor["parameters"]["positive_list"]
            .as_array()
            .unwrap()
            .len()
            >= 6
    );
    // The OpenAPI document parses and lists the endpoints.
    let doc: Value = reqwest::get(app.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for p in [
        "/api/v1/categories",
        "/api/v1/rules",
        "/api/v1/listings/check",
    ] {
        assert!(doc["paths"][p].is_object(), "{p}");
    }
    assert!(doc["paths"]["/api/v1/listings/check"]["post"]["requestBody"].is_object());
    // A new version takes effect at once on every check (the parsed
    // rule set is kept per version); one effective later does not yet.
    let (doc,): (String,) = sqlx::query_as("select document from rule_sets where version = 1")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let mut v2: Value = serde_json::from_str(&doc).unwrap();
    v2["version"] = json!(2);
    for r in v2["rules"].as_array_mut().unwrap() {
        if r["id"] == "cross_border_min_price" {
            r["parameters"]["min_usd"] = json!(50);
        }
    }
    let mut v3 = v2.clone();
    v3["version"] = json!(3);
    for (version, v, at) in [
        (2, &v2, app::shared::db::now() - 1),
        (3, &v3, app::shared::db::now() + 3600),
    ] {
        sqlx::query(
            "insert into rule_sets (version, status, document, effective_at, created_at, published_at) values ($1, 'published', $2, $3, 0, 0)",
        )
        .bind(version)
        .bind(v.to_string())
        .bind(at)
        .execute(&app.db.pool)
        .await
        .unwrap();
    }
    let (status, body) = check(&app, &good.to_string(), None).await;
    assert_eq!(status, 200);
    assert_eq!(body["rule_set_version"], 2, "{body}");
    let rules: Vec<&str> = body["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        ["akar_cross_border_cluster"],
        "USD 99.99 is over the new floor"
    );
    let rules: Value = reqwest::get(app.url("/api/v1/rules"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(rules["version"], 2);
    // An unknown path under /api/v1: JSON 404, never a page.
    let res = reqwest::get(app.url("/api/v1/nothing")).await.unwrap();
    assert_eq!(res.status(), 404);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
}

#[tokio::test]
async fn the_api_rate_limit_answers_json_with_retry_after() {
    let app = TestApp::spawn_with(|c| {
        c.api_rate_per_second = 1;
        c.api_burst = 3;
    })
    .await;
    let mut statuses = Vec::new();
    let mut last = None;
    for _ in 0..6 {
        let res = reqwest::get(app.url("/api/v1/categories")).await.unwrap();
        statuses.push(res.status().as_u16());
        last = Some(res);
    }
    assert_eq!(&statuses[..3], &[200, 200, 200], "{statuses:?}");
    assert_eq!(statuses[5], 429, "{statuses:?}");
    let res = last.unwrap();
    assert!(res.headers().get("retry-after").is_some());
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"], "rate_limited");
}
