//! The public JSON API for marketplaces' servers, `/api/v1`: the category
//! taxonomy, the rule set in force, and a check that stores nothing. It
//! reads no cookie and changes nothing, so it is mounted outside the
//! session layer and the browser cross-site guard; it answers JSON only
//! (errors, 413 and 429 included), allows cross-origin calls without
//! credentials, and is rate-limited per client address on each app server.
//! The OpenAPI document at `/api/v1/openapi.json` is generated from these
//! very types and handlers (utoipa).

use std::sync::Arc;

use app::listings::policy::{self, Currency, Day, Money, SizeClass};
use app::shared::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tower_http::cors::{Any, CorsLayer};
use utoipa::{OpenApi, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct Category {
    pub slug: String,
    pub name_id: String,
    pub name_en: String,
    /// `textiles_fashion`, `food_beverages`, `handicrafts` or `other`.
    pub cluster: String,
}

/// One rule of the rule set in force, as stored.
#[derive(Serialize, ToSchema)]
pub struct RuleOut {
    pub id: String,
    /// The rule's kind, one the engine knows.
    pub kind: String,
    /// Its legal or platform basis.
    pub basis: String,
    /// `YYYY-MM-DD`, a day in Asia/Jakarta.
    pub effective_from: String,
    /// The last day it applies, if it ends.
    pub effective_until: Option<String>,
    pub enabled: bool,
    /// The kind's parameters (the exchange rate and positive list of
    /// `cross_border_min_price`, the dates of `halal_certificate`, …).
    #[schema(value_type = Object)]
    pub parameters: Value,
    pub message_id: String,
    pub message_en: String,
    /// The slug of the course that explains it.
    pub course: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RulesOut {
    pub version: i64,
    pub rules: Vec<RuleOut>,
}

#[derive(Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct PriceIn {
    /// A decimal string, parsed exactly: at most 2 decimals for USD, none
    /// for IDR.
    #[schema(example = "120.50")]
    pub amount: String,
    /// `IDR` or `USD`.
    pub currency: String,
}

#[derive(Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct SellerIn {
    /// ISO 3166-1 alpha-2, any case.
    #[schema(example = "ID")]
    pub country: String,
    /// `micro`, `small`, `medium` or `large`; unknown counts as micro.
    pub size_class: Option<String>,
}

/// A listing to check. Nothing is stored.
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct CheckIn {
    /// 1 to 200 characters.
    pub title: String,
    /// A category slug of `/api/v1/categories`.
    pub category: String,
    pub price: PriceIn,
    pub seller: SellerIn,
    /// Where the goods were made, alpha-2.
    pub origin_country: String,
    /// Where the goods ship to the buyer from, alpha-2; defaults to the
    /// seller's country.
    pub ships_from: Option<String>,
    pub hs_code: Option<String>,
    pub halal_certificate: Option<String>,
    /// `YYYY-MM-DD` (Asia/Jakarta); defaults to today there.
    pub as_of: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ReasonOut {
    pub rule: String,
    /// What this rule decided.
    pub outcome: String,
    pub message_id: String,
    pub message_en: String,
}

#[derive(Serialize, ToSchema)]
pub struct CheckOut {
    /// `allowed`, `review`, `needs_document` or `blocked`.
    pub decision: String,
    pub rule_set_version: i64,
    pub as_of: String,
    pub cross_border: bool,
    pub reasons: Vec<ReasonOut>,
}

#[derive(Serialize, ToSchema)]
pub struct FieldProblem {
    /// The field, dotted for nested ones (`price.amount`).
    pub field: String,
    pub code: String,
    pub message: String,
}

#[derive(Serialize, ToSchema)]
pub struct ApiError {
    /// `bad_json`, `invalid`, `too_large`, `rate_limited`, `not_found`,
    /// `unavailable` or `internal`.
    pub error: String,
    pub message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldProblem>,
}

fn error(status: StatusCode, code: &str, message: &str, fields: Vec<FieldProblem>) -> Response {
    (
        status,
        Json(ApiError {
            error: code.into(),
            message: message.into(),
            fields,
        }),
    )
        .into_response()
}

fn server_error(err: app::error::AppError) -> Response {
    match err {
        app::error::AppError::Unavailable => {
            let mut res = error(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "briefly unavailable; try again",
                vec![],
            );
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
            res
        }
        _ => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error",
            vec![],
        ),
    }
}

#[utoipa::path(get, path = "/api/v1/categories", tag = "listings",
    responses((status = 200, description = "The category taxonomy", body = [Category])))]
async fn categories(State(state): State<AppState>) -> Response {
    match app::listings::server::cached_categories(&state).await {
        Ok(list) => Json(
            list.iter()
                .map(|c| Category {
                    slug: c.slug.clone(),
                    name_id: c.name_id.clone(),
                    name_en: c.name_en.clone(),
                    cluster: c.cluster.as_str().into(),
                })
                .collect::<Vec<_>>(),
        )
        .into_response(),
        Err(err) => server_error(err),
    }
}

#[utoipa::path(get, path = "/api/v1/rules", tag = "listings",
    responses((status = 200, description = "The rule set in force", body = RulesOut)))]
async fn rules(State(state): State<AppState>) -> Response {
    match app::listings::server::rules_in_force(&state.db, app::shared::db::now()).await {
        Ok(set) => Json(RulesOut {
            version: set.version,
            rules: set
                .rules
                .into_iter()
                .map(|r| {
                    let mut parameters = serde_json::to_value(&r.parameters).unwrap_or_default();
                    let kind = r.parameters.kind().to_string();
                    if let Value::Object(map) = &mut parameters {
                        map.remove("kind");
                    }
                    RuleOut {
                        id: r.id,
                        kind,
                        basis: r.basis,
                        effective_from: r.effective_from.to_string(),
                        effective_until: r.effective_until.map(|d| d.to_string()),
                        enabled: r.enabled,
                        parameters,
                        message_id: r.message_id,
                        message_en: r.message_en,
                        course: r.course,
                    }
                })
                .collect(),
        })
        .into_response(),
        Err(err) => server_error(err),
    }
}

/// Field problems found while reading a check body.
#[derive(Default)]
struct Problems(Vec<FieldProblem>);

impl Problems {
    fn add(&mut self, field: &str, code: &str, message: &str) {
        self.0.push(FieldProblem {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        });
    }

    /// A string field: `None` when absent or null (an error if required),
    /// an error when of another type.
    fn text(
        &mut self,
        obj: &Map<String, Value>,
        path: &str,
        key: &str,
        required: bool,
    ) -> Option<String> {
        match obj.get(key) {
            Some(Value::String(s)) => Some(s.clone()),
            None | Some(Value::Null) => {
                if required {
                    self.add(path, "required", "this field is required");
                }
                None
            }
            Some(_) => {
                self.add(path, "not_a_string", "must be a string");
                None
            }
        }
    }

    fn country(&mut self, value: Option<String>, path: &str) -> Option<String> {
        let v = value?;
        let c = policy::country(&v);
        if c.is_none() {
            self.add(
                path,
                "invalid_country",
                "not an assigned ISO 3166-1 alpha-2 code",
            );
        }
        c
    }
}

#[utoipa::path(post, path = "/api/v1/listings/check", tag = "listings",
    request_body = CheckIn,
    responses(
        (status = 200, description = "The decision, with every rule that fired", body = CheckOut),
        (status = 400, description = "The body is not JSON", body = ApiError),
        (status = 413, description = "The body is too large", body = ApiError),
        (status = 422, description = "Bad field values, each named", body = ApiError),
        (status = 429, description = "Too many requests from this address", body = ApiError)
    ))]
async fn check(State(state): State<AppState>, body: Bytes) -> Response {
    let value: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(_) => {
            return error(
                StatusCode::BAD_REQUEST,
                "bad_json",
                "the body is not JSON",
                vec![],
            )
        }
    };
    let Value::Object(obj) = value else {
        return error(
            StatusCode::BAD_REQUEST,
            "bad_json",
            "the body must be a JSON object",
            vec![],
        );
    };
    let cats = match app::listings::server::cached_categories(&state).await {
        Ok(c) => c,
        Err(err) => return server_error(err),
    };
    let mut p = Problems::default();
    let title = p.text(&obj, "title", "title", true).and_then(|t| {
        let n = t.trim().chars().count();
        if n == 0 {
            p.add("title", "required", "the title is empty");
            None
        } else if n > 200 {
            p.add("title", "too_long", "at most 200 characters");
            None
        } else {
            Some(t.trim().to_string())
        }
    });
    let cluster = p.text(&obj, "category", "category", true).and_then(|c| {
        let found = cats.iter().find(|x| x.slug == c).map(|x| x.cluster);
        if found.is_none() {
            p.add(
                "category",
                "unknown_category",
                "not a category of /api/v1/categories",
            );
        }
        found
    });
    let price = match obj.get("price") {
        Some(Value::Object(price)) => {
            let currency = p
                .text(price, "price.currency", "currency", true)
                .and_then(|c| {
                    let cur = Currency::parse(&c);
                    if cur.is_none() {
                        p.add("price.currency", "unknown_currency", "IDR or USD");
                    }
                    cur
                });
            let amount = p.text(price, "price.amount", "amount", true);
            match (amount, currency) {
                (Some(a), Some(c)) => match policy::parse_amount(&a, c) {
                    Ok(minor) => Some(Money { minor, currency: c }),
                    Err(e) => {
                        let (code, message) = match e {
                            policy::AmountError::Empty => ("required", "the amount is empty"),
                            policy::AmountError::Negative => ("negative", "must not be negative"),
                            policy::AmountError::TooPrecise => (
                                "too_many_decimals",
                                "more decimals than the currency has (USD 2, IDR 0)",
                            ),
                            policy::AmountError::TooLarge => {
                                ("too_large", "the amount is too large")
                            }
                            policy::AmountError::NotANumber => {
                                ("not_a_number", "a plain decimal number, e.g. \"120.50\"")
                            }
                        };
                        p.add("price.amount", code, message);
                        None
                    }
                },
                _ => None,
            }
        }
        None | Some(Value::Null) => {
            p.add("price", "required", "this field is required");
            None
        }
        Some(_) => {
            p.add(
                "price",
                "not_an_object",
                "must be an object with amount and currency",
            );
            None
        }
    };
    let seller = match obj.get("seller") {
        Some(Value::Object(s)) => {
            let country = p.text(s, "seller.country", "country", true);
            let country = p.country(country, "seller.country");
            let size = p.text(s, "seller.size_class", "size_class", false);
            let size = match size {
                None => Some(None),
                Some(v) => match SizeClass::parse(&v) {
                    Some(c) => Some(Some(c)),
                    None => {
                        p.add(
                            "seller.size_class",
                            "unknown_size_class",
                            "micro, small, medium or large",
                        );
                        None
                    }
                },
            };
            match (country, size) {
                (Some(country), Some(size_class)) => Some(policy::Seller {
                    country,
                    size_class,
                }),
                _ => None,
            }
        }
        None | Some(Value::Null) => {
            p.add("seller", "required", "this field is required");
            None
        }
        Some(_) => {
            p.add("seller", "not_an_object", "must be an object with country");
            None
        }
    };
    let origin = p.text(&obj, "origin_country", "origin_country", true);
    let origin = p.country(origin, "origin_country");
    let ships = p.text(&obj, "ships_from", "ships_from", false);
    let ships = match ships {
        Some(s) => p.country(Some(s), "ships_from"),
        None => seller.as_ref().map(|s| s.country.clone()),
    };
    let hs =
        p.text(&obj, "hs_code", "hs_code", false).and_then(
            |h| match app::listings::server::parse_hs(&h) {
                Ok(h) => h,
                Err(_) => {
                    p.add(
                        "hs_code",
                        "invalid_hs_code",
                        "4 to 10 digits, dots and spaces allowed",
                    );
                    None
                }
            },
        );
    let halal = p
        .text(&obj, "halal_certificate", "halal_certificate", false)
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty());
    let as_of = match p.text(&obj, "as_of", "as_of", false) {
        None => Some(Day::of_unix(app::shared::db::now())),
        Some(d) => {
            let day = Day::parse(d.trim());
            if day.is_none() {
                p.add("as_of", "invalid_date", "a date YYYY-MM-DD");
            }
            day
        }
    };
    let (
        Some(title),
        Some(cluster),
        Some(price),
        Some(seller),
        Some(origin),
        Some(ships),
        Some(as_of),
    ) = (title, cluster, price, seller, origin, ships, as_of)
    else {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            "some fields are missing or not valid",
            p.0,
        );
    };
    if !p.0.is_empty() {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            "some fields are missing or not valid",
            p.0,
        );
    }
    let rules = match app::listings::server::cached_rules(&state, app::shared::db::now()).await {
        Ok(r) => r,
        Err(err) => return server_error(err),
    };
    let listing = policy::Listing {
        title,
        cluster,
        price,
        origin_country: origin,
        ships_from: ships,
        hs_code: hs,
        halal_certificate: halal,
    };
    let d = policy::check(&listing, &seller, &rules, as_of);
    Json(CheckOut {
        decision: d.outcome.as_str().into(),
        rule_set_version: d.rule_set_version,
        as_of: d.as_of.to_string(),
        cross_border: d.cross_border,
        reasons: d
            .reasons
            .into_iter()
            .map(|r| ReasonOut {
                rule: r.rule,
                outcome: r.outcome.as_str().into(),
                message_id: r.message_id,
                message_en: r.message_en,
            })
            .collect(),
    })
    .into_response()
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Naik Kelas listing policy API",
        version = "1",
        description = "The category taxonomy, the listing rules in force and a check that stores nothing, for marketplaces' servers."
    ),
    paths(categories, rules, check, openapi),
    components(schemas(
        Category,
        RulesOut,
        RuleOut,
        CheckIn,
        PriceIn,
        SellerIn,
        CheckOut,
        ReasonOut,
        ApiError,
        FieldProblem
    ))
)]
pub struct ApiDoc;

#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta",
    responses((status = 200, description = "This document (OpenAPI 3)")))]
async fn openapi() -> Response {
    Json(ApiDoc::openapi()).into_response()
}

/// JSON for what the layers answer on their own: a body over the limit,
/// an unknown path or method under `/api/v1`.
async fn json_errors(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if json || res.status().is_success() {
        return res;
    }
    match res.status() {
        StatusCode::PAYLOAD_TOO_LARGE => error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            "the body is too large",
            vec![],
        ),
        StatusCode::METHOD_NOT_ALLOWED => error(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "method not allowed",
            vec![],
        ),
        s if s.is_client_error() => error(s, "not_found", "no such endpoint", vec![]),
        _ => res,
    }
}

/// Bodies of the check are small: 16 KiB is plenty.
pub const MAX_BODY: usize = 16 * 1024;

/// The `/api/v1` router (nested there), with its own layers (CORS, body limit, rate limit
/// per client address, JSON errors).
pub fn router(state: AppState, per_second: u64, burst: u32) -> anyhow::Result<Router> {
    let governor = Arc::new(
        tower_governor::governor::GovernorConfigBuilder::default()
            .key_extractor(crate::middleware::ClientIpKey)
            .per_millisecond((1000 / per_second.max(1)).max(1))
            .burst_size(burst)
            .finish()
            .ok_or_else(|| anyhow::anyhow!("invalid API rate limit"))?,
    );
    let limiter = governor.limiter().clone();
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(std::time::Duration::from_secs(60)).await;
            limiter.retain_recent();
        }
    });
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        .allow_headers([header::CONTENT_TYPE]);
    Ok(Router::new()
        .route("/categories", get(categories))
        .route("/rules", get(rules))
        .route("/listings/check", post(check))
        .route("/openapi.json", get(openapi))
        .fallback(|| async {
            error(
                StatusCode::NOT_FOUND,
                "not_found",
                "no such endpoint",
                vec![],
            )
        })
        .with_state(state)
        .layer(
            tower_governor::GovernorLayer::new(governor).error_handler(|e| {
                let wait = match &e {
                    tower_governor::GovernorError::TooManyRequests { wait_time, .. } => *wait_time,
                    _ => 1,
                };
                let mut res = error(
                    StatusCode::TOO_MANY_REQUESTS,
                    "rate_limited",
                    "too many requests from this address; try again later",
                    vec![],
                );
                if let Ok(v) = HeaderValue::from_str(&wait.max(1).to_string()) {
                    res.headers_mut().insert(header::RETRY_AFTER, v);
                }
                res.map(Body::new)
            }),
        )
        .layer(tower_http::limit::RequestBodyLimitLayer::new(MAX_BODY))
        .layer(axum::middleware::from_fn(json_errors))
        .layer(cors))
}
