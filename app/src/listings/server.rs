//! Server-only listing logic: the categories and the rule set in force
//! (read from the database: rules are data), the seller's facts from
//! their profile, validation of a listing, and every save checked and its
//! decision appended in the same transaction as the listing's row.

use super::api::{
    CategoryItem, DecisionView, FormContext, ListingFields, ListingSummary, ListingView, ReasonView,
};
use super::policy::{self, Cluster, Currency, Day, Decision, Money, Outcome, RuleSet, Seller};
use crate::error::{AppError, FieldCode, Validator};
use crate::i18n::*;
use crate::profile::domain::{parse_text, Milestone, SizeClass};
use crate::shared::audit::{self, Entry};
use crate::shared::db::{now, Db};
use crate::shared::session::server::Caller;
use crate::shared::state::AppState;
use crate::shared::ui::format_date;
use std::sync::Arc;

pub async fn categories(db: &Db) -> Result<Vec<CategoryItem>, AppError> {
    let rows: Vec<(String, String, String, String)> =
        sqlx::query_as("select slug, name_id, name_en, cluster from categories order by position")
            .fetch_all(&db.pool)
            .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(slug, name_id, name_en, cluster)| {
            Some(CategoryItem {
                slug,
                name_id,
                name_en,
                cluster: Cluster::parse(&cluster)?,
            })
        })
        .collect())
}

/// The version of the published rule set in force at `at` (unix seconds):
/// the latest whose effective time has come.
async fn version_in_force(db: &Db, at: i64) -> Result<i64, AppError> {
    let row: Option<(i64,)> = sqlx::query_as(
        r#"select version from rule_sets where status = 'published' and effective_at <= $1
           order by effective_at desc, version desc limit 1"#,
    )
    .bind(at)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|(v,)| v).ok_or_else(|| {
        tracing::error!("no published rule set is in force");
        AppError::Internal
    })
}

async fn load_version(db: &Db, version: i64) -> Result<RuleSet, AppError> {
    let (doc,): (String,) = sqlx::query_as("select document from rule_sets where version = $1")
        .bind(version)
        .fetch_one(&db.pool)
        .await?;
    serde_json::from_str(&doc).map_err(|err| {
        tracing::error!(version, error = %err, "a published rule set does not parse");
        AppError::Internal
    })
}

/// The rule set in force at `at`, read afresh from the database.
pub async fn rules_in_force(db: &Db, at: i64) -> Result<RuleSet, AppError> {
    load_version(db, version_in_force(db, at).await?).await
}

/// What each app server keeps of the policy data: the categories (they
/// change only with a migration) and the last rule set in force, parsed.
/// A published version's document never changes (a change is a new
/// version), so each check asks the database only which version is in
/// force, and every app server follows a newly effective version at once.
#[derive(Default)]
pub struct PolicyCache {
    categories: std::sync::RwLock<Option<Arc<Vec<CategoryItem>>>>,
    rules: std::sync::RwLock<Option<Arc<RuleSet>>>,
}

pub async fn cached_categories(state: &AppState) -> Result<Arc<Vec<CategoryItem>>, AppError> {
    if let Some(c) = state.policy.categories.read().ok().and_then(|g| g.clone()) {
        return Ok(c);
    }
    let c = Arc::new(categories(&state.db).await?);
    if let Ok(mut g) = state.policy.categories.write() {
        *g = Some(c.clone());
    }
    Ok(c)
}

pub async fn cached_rules(state: &AppState, at: i64) -> Result<Arc<RuleSet>, AppError> {
    let version = version_in_force(&state.db, at).await?;
    if let Some(r) = state
        .policy
        .rules
        .read()
        .ok()
        .and_then(|g| g.clone())
        .filter(|r| r.version == version)
    {
        return Ok(r);
    }
    let r = Arc::new(load_version(&state.db, version).await?);
    if let Ok(mut g) = state.policy.rules.write() {
        *g = Some(r.clone());
    }
    Ok(r)
}

/// The seller's facts from their business profile; a seller without one
/// is asked to fill it in first (the domicile decides what applies).
pub async fn seller_facts(db: &Db, user: i64) -> Result<Seller, AppError> {
    let row: Option<(String, Option<String>)> =
        sqlx::query_as("select domicile_country, size_class from businesses where owner_id = $1")
            .bind(user)
            .fetch_optional(&db.pool)
            .await?;
    let (country, size) =
        row.ok_or_else(|| AppError::field("profile", FieldCode::ProfileRequired))?;
    Ok(Seller {
        country: policy::country(&country).unwrap_or(country),
        size_class: size.as_deref().and_then(SizeClass::parse),
    })
}

pub async fn context(state: &AppState, user: i64) -> Result<FormContext, AppError> {
    Ok(FormContext {
        categories: cached_categories(state).await?.as_ref().clone(),
        rules: cached_rules(state, now()).await?.as_ref().clone(),
        seller: seller_facts(&state.db, user).await?,
    })
}

/// A listing as stored, checked field by field.
pub struct Valid {
    pub title: String,
    pub description: String,
    pub category: String,
    pub cluster: Cluster,
    pub price: Money,
    pub unit: String,
    pub origin_country: String,
    pub ships_from: String,
    pub hs_code: Option<String>,
    pub halal_cert: Option<String>,
    pub sni: Option<String>,
}

impl Valid {
    pub fn facts(&self) -> policy::Listing {
        policy::Listing {
            title: self.title.clone(),
            cluster: self.cluster,
            price: self.price,
            origin_country: self.origin_country.clone(),
            ships_from: self.ships_from.clone(),
            hs_code: self.hs_code.clone(),
            halal_certificate: self.halal_cert.clone(),
        }
    }
}

pub fn amount_code(err: policy::AmountError) -> FieldCode {
    match err {
        policy::AmountError::Empty => FieldCode::Required,
        policy::AmountError::TooPrecise => FieldCode::TooManyDecimals,
        policy::AmountError::TooLarge => FieldCode::AmountTooLarge,
        policy::AmountError::NotANumber | policy::AmountError::Negative => FieldCode::InvalidAmount,
    }
}

/// An HS code: 4 to 10 digits, dots and spaces allowed between them.
pub fn parse_hs(input: &str) -> Result<Option<String>, FieldCode> {
    let t = input.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let digits = policy::hs_digits(t);
    if t.len() > 20
        || !digits.bytes().all(|b| b.is_ascii_digit())
        || !(4..=10).contains(&digits.len())
    {
        return Err(FieldCode::InvalidHsCode);
    }
    Ok(Some(t.to_string()))
}

pub fn validate(f: &ListingFields, categories: &[CategoryItem]) -> Result<Valid, AppError> {
    let mut v = Validator::default();
    let required =
        |r: Result<Option<String>, FieldCode>| r.and_then(|t| t.ok_or(FieldCode::Required));
    let title = v.check("title", required(parse_text(&f.title, 200)));
    let description = v.check("description", parse_text(&f.description, 5000));
    let category = v.check(
        "category",
        categories
            .iter()
            .find(|c| c.slug == f.category.trim())
            .ok_or(if f.category.trim().is_empty() {
                FieldCode::Required
            } else {
                FieldCode::InvalidChoice
            }),
    );
    let currency = v.check(
        "currency",
        Currency::parse(&f.currency).ok_or(FieldCode::InvalidChoice),
    );
    let price = currency.and_then(|c| {
        v.check(
            "price",
            policy::parse_amount(&f.price, c)
                .map(|minor| Money { minor, currency: c })
                .map_err(amount_code),
        )
    });
    let unit = v.check("unit", required(parse_text(&f.unit, 40)));
    let country = |input: &str| {
        if input.trim().is_empty() {
            Err(FieldCode::Required)
        } else {
            policy::country(input).ok_or(FieldCode::InvalidCountry)
        }
    };
    let origin = v.check("origin_country", country(&f.origin_country));
    let ships = v.check("ships_from", country(&f.ships_from));
    let hs = v.check("hs_code", parse_hs(&f.hs_code));
    let halal = v.check("halal_cert", parse_text(&f.halal_cert, 64));
    let sni = v.check("sni", parse_text(&f.sni, 64));
    v.finish(&[
        ("title", &f.title),
        ("description", &f.description),
        ("category", &f.category),
        ("price", &f.price),
        ("currency", &f.currency),
        ("unit", &f.unit),
        ("origin_country", &f.origin_country),
        ("ships_from", &f.ships_from),
        ("hs_code", &f.hs_code),
        ("halal_cert", &f.halal_cert),
        ("sni", &f.sni),
    ])?;
    match (
        title,
        description,
        category,
        price,
        unit,
        origin,
        ships,
        hs,
        halal,
        sni,
    ) {
        (
            Some(title),
            Some(description),
            Some(category),
            Some(price),
            Some(unit),
            Some(origin_country),
            Some(ships_from),
            Some(hs_code),
            Some(halal_cert),
            Some(sni),
        ) => Ok(Valid {
            title,
            description: description.unwrap_or_default(),
            category: category.slug.clone(),
            cluster: category.cluster,
            price,
            unit,
            origin_country,
            ships_from,
            hs_code,
            halal_cert,
            sni,
        }),
        _ => Err(AppError::Internal),
    }
}

/// The listing and the seller as checked, for the decision's record (no
/// name: the record outlives the account).
fn snapshot(l: &Valid, seller: &Seller) -> String {
    serde_json::json!({
        "title": l.title,
        "category": l.category,
        "cluster": l.cluster,
        "price": { "minor": l.price.minor, "currency": l.price.currency },
        "unit": l.unit,
        "origin_country": l.origin_country,
        "ships_from": l.ships_from,
        "hs_code": l.hs_code,
        "halal_certificate": l.halal_cert,
        "sni": l.sni,
        "seller": seller,
    })
    .to_string()
}

type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// Appends the decision for listing `id`, and sets the listing's current
/// outcome, in the caller's transaction.
pub async fn append_decision(
    tx: &mut Tx,
    id: i64,
    l: &Valid,
    seller: &Seller,
    d: &Decision,
    at: i64,
) -> Result<(), AppError> {
    let reasons = serde_json::to_string(&d.reasons).map_err(|_| AppError::Internal)?;
    sqlx::query(
        r#"insert into listing_decisions (listing_id, rule_set_version, outcome, reasons, snapshot,
               cluster, cross_border, as_of, decided_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9)"#,
    )
    .bind(id)
    .bind(d.rule_set_version)
    .bind(d.outcome.as_str())
    .bind(reasons)
    .bind(snapshot(l, seller))
    .bind(l.cluster.as_str())
    .bind(i64::from(d.cross_border))
    .bind(d.as_of.to_string())
    .bind(at)
    .execute(&mut **tx)
    .await?;
    sqlx::query("update listings set decision = $1 where id = $2")
        .bind(d.outcome.as_str())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Creates or edits a listing of `user`'s; the check runs on the server
/// with the rule set in force today in Jakarta, and its decision is
/// appended in the same transaction.
pub async fn save(
    caller: &Caller,
    user: i64,
    id: Option<i64>,
    f: &ListingFields,
) -> Result<i64, AppError> {
    let db = &caller.state().db;
    let cats = cached_categories(caller.state()).await?;
    let valid = validate(f, &cats)?;
    let seller = seller_facts(db, user).await?;
    let at = now();
    let rules = cached_rules(caller.state(), at).await?;
    let decision = policy::check(&valid.facts(), &seller, &rules, Day::of_unix(at));
    let mut tx = db.begin_locked().await?;
    let id = match id {
        None => {
            let (id,): (i64,) = sqlx::query_as(
                r#"insert into listings (seller_id, title, description, category, price_minor,
                       currency, unit, origin_country, ships_from, hs_code, halal_cert, sni,
                       decision, created_at, updated_at)
                   values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)
                   returning id"#,
            )
            .bind(user)
            .bind(&valid.title)
            .bind(&valid.description)
            .bind(&valid.category)
            .bind(valid.price.minor)
            .bind(valid.price.currency.as_str())
            .bind(&valid.unit)
            .bind(&valid.origin_country)
            .bind(&valid.ships_from)
            .bind(&valid.hs_code)
            .bind(&valid.halal_cert)
            .bind(&valid.sni)
            .bind(decision.outcome.as_str())
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            id
        }
        Some(id) => {
            // Only the seller's own, still active listing.
            let done = sqlx::query(
                r#"update listings set title = $1, description = $2, category = $3,
                       price_minor = $4, currency = $5, unit = $6, origin_country = $7,
                       ships_from = $8, hs_code = $9, halal_cert = $10, sni = $11, updated_at = $12
                   where id = $13 and seller_id = $14 and status = 'active'"#,
            )
            .bind(&valid.title)
            .bind(&valid.description)
            .bind(&valid.category)
            .bind(valid.price.minor)
            .bind(valid.price.currency.as_str())
            .bind(&valid.unit)
            .bind(&valid.origin_country)
            .bind(&valid.ships_from)
            .bind(&valid.hs_code)
            .bind(&valid.halal_cert)
            .bind(&valid.sni)
            .bind(at)
            .bind(id)
            .bind(user)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                return Err(AppError::NotFound);
            }
            id
        }
    };
    append_decision(&mut tx, id, &valid, &seller, &decision, at).await?;
    if decision.outcome == Outcome::Allowed {
        crate::profile::journey::reach_for_owner(&mut tx, user, Milestone::FirstListingAllowed, at)
            .await?;
    }
    audit::record(
        &mut *tx,
        Entry {
            action: "listings.saved",
            actor: Some(user),
            subject: None,
            ip: &caller.ip,
            detail: &format!("listing:{id}:{}", decision.outcome.as_str()),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn withdraw(caller: &Caller, user: i64, id: i64) -> Result<(), AppError> {
    let db = &caller.state().db;
    let mut tx = db.pool.begin().await?;
    let done = sqlx::query(
        "update listings set status = 'withdrawn', updated_at = $1 where id = $2 and seller_id = $3",
    )
    .bind(now())
    .bind(id)
    .bind(user)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut *tx,
        Entry {
            action: "listings.withdrawn",
            actor: Some(user),
            subject: None,
            ip: &caller.ip,
            detail: &format!("listing:{id}"),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn english() -> bool {
    crate::shared::request_locale() == Locale::en
}

pub async fn mine(db: &Db, user: i64) -> Result<Vec<ListingSummary>, AppError> {
    let en = english();
    /// id, title, category id/en, price, currency, decision, status.
    type Row = (i64, String, String, String, i64, String, String, String);
    let rows: Vec<Row> = sqlx::query_as(
        r#"select l.id, l.title, c.name_id, c.name_en, l.price_minor, l.currency, l.decision, l.status
           from listings l join categories c on c.slug = l.category
           where l.seller_id = $1 order by l.id desc limit 500"#,
    )
    .bind(user)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, title, cid, cen, minor, currency, decision, status)| ListingSummary {
                id,
                title,
                category: if en { cen } else { cid },
                price: price_text(minor, &currency),
                decision: Outcome::parse(&decision).unwrap_or(Outcome::Review),
                withdrawn: status == "withdrawn",
            },
        )
        .collect())
}

pub fn price_text(minor: i64, currency: &str) -> String {
    match Currency::parse(currency) {
        Some(Currency::Idr) => format!("Rp {}", policy::group_thousands(minor)),
        Some(c) => format!(
            "{} {}",
            c.as_str(),
            policy::format_amount(Money { minor, currency: c })
        ),
        None => minor.to_string(),
    }
}

/// A stored decision as the seller reads it, in their language, with the
/// course that explains each rule (where one is published).
async fn decision_view(
    db: &Db,
    outcome: &str,
    version: i64,
    reasons: &str,
    at: i64,
) -> Result<DecisionView, AppError> {
    let en = english();
    let reasons: Vec<policy::Reason> = serde_json::from_str(reasons).unwrap_or_default();
    let mut out = Vec::with_capacity(reasons.len());
    for r in reasons {
        let course = match &r.course {
            Some(slug) if matches!(r.outcome, Outcome::Blocked | Outcome::NeedsDocument) => {
                let row: Option<(String, String)> = sqlx::query_as(
                    "select title_id, title_en from courses where slug = $1 and status = 'published'",
                )
                .bind(slug)
                .fetch_optional(&db.pool)
                .await?;
                row.map(|(tid, ten)| {
                    (
                        slug.clone(),
                        crate::courses::domain::pick(&tid, &ten, en).0.to_string(),
                    )
                })
            }
            _ => None,
        };
        out.push(ReasonView {
            rule: r.rule,
            outcome: r.outcome,
            message: if en { r.message_en } else { r.message_id },
            course,
        });
    }
    Ok(DecisionView {
        outcome: Outcome::parse(outcome).unwrap_or(Outcome::Review),
        rule_set_version: version,
        at: format!(
            "{} {}",
            format_date(at),
            crate::workshops::domain::local_time(at, crate::workshops::domain::Zone::Wib)
                .get(11..)
                .unwrap_or_default()
        ),
        reasons: out,
    })
}

pub async fn view(db: &Db, user: i64, id: i64) -> Result<ListingView, AppError> {
    type Row = (
        String,
        String,
        String,
        i64,
        String,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        String,
    );
    let row: Option<Row> = sqlx::query_as(
        r#"select title, description, category, price_minor, currency, unit, origin_country,
                  ships_from, hs_code, halal_cert, sni, status
           from listings where id = $1 and seller_id = $2"#,
    )
    .bind(id)
    .bind(user)
    .fetch_optional(&db.pool)
    .await?;
    // Another seller's listing is not revealed.
    let (
        title,
        description,
        category,
        minor,
        currency,
        unit,
        origin,
        ships,
        hs,
        halal,
        sni,
        status,
    ) = row.ok_or(AppError::NotFound)?;
    let price = match Currency::parse(&currency) {
        Some(c) => policy::format_amount(Money { minor, currency: c }),
        None => minor.to_string(),
    };
    let decisions: Vec<(String, i64, String, i64)> = sqlx::query_as(
        r#"select outcome, rule_set_version, reasons, decided_at from listing_decisions
           where listing_id = $1 order by id desc limit 50"#,
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    let mut views = Vec::with_capacity(decisions.len());
    for (outcome, version, reasons, at) in decisions {
        views.push(decision_view(db, &outcome, version, &reasons, at).await?);
    }
    Ok(ListingView {
        id,
        fields: ListingFields {
            title,
            description,
            category,
            price,
            currency,
            unit,
            origin_country: origin,
            ships_from: ships,
            hs_code: hs.unwrap_or_default(),
            halal_cert: halal.unwrap_or_default(),
            sni: sni.unwrap_or_default(),
        },
        withdrawn: status == "withdrawn",
        decisions: views,
    })
}
