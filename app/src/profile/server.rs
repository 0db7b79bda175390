//! Server-only profile logic: saving a profile (with its NIB submission or
//! claim), the staff's NIB queue and decisions, and reading the journey.
//! Every multi-statement write is one transaction with its audit row and
//! any message inside it.

use super::api::{
    Actor, ClaimedBusiness, HistoryEntry, Journey, NibStatus, OnlineChannel, OwnBusiness, Profile,
    QueueItem, QueuePage, ReviewItem,
};
use super::domain::{
    parse_count, parse_country, parse_nib, parse_rupiah, parse_text, parse_url, parse_year,
    size_class, stage, Cluster, Milestone, SizeBasis, SizeClass,
};
use super::journey;
use super::kbli;
use crate::accounts::domain::parse_phone;
use crate::error::{AppError, FieldCode, Validator};
use crate::i18n::*;
use crate::shared::audit::{self, Entry};
use crate::shared::db::{now, on_unique, Db};
use crate::shared::outbound::{self, Channel, NewMessage};
use crate::shared::regions;
use crate::shared::session::server::Caller;
use crate::shared::ui::wib_day;

/// The profile form as posted (every field as typed).
pub struct ProfileForm {
    pub name: String,
    pub owner_name: String,
    pub whatsapp: String,
    pub nib: String,
    pub kbli: String,
    pub cluster: String,
    pub province: String,
    pub regency: String,
    pub address: String,
    pub country: String,
    pub year_founded: String,
    pub employees: String,
    pub size_basis: String,
    pub capital: String,
    pub annual_sales: String,
    pub channels: [(String, String, String); 2],
    pub halal_cert: String,
    pub sni_cert: String,
}

/// A profile that passed validation.
struct Valid {
    name: String,
    owner_name: Option<String>,
    whatsapp: Option<String>,
    nib: Option<String>,
    kbli: Vec<String>,
    cluster: Option<Cluster>,
    province: Option<String>,
    regency: Option<String>,
    address: Option<String>,
    country: String,
    year_founded: Option<i64>,
    employees: Option<i64>,
    size_basis: Option<SizeBasis>,
    capital: Option<i64>,
    annual_sales: Option<i64>,
    size_class: Option<SizeClass>,
    channels: Vec<(String, String, String)>,
    halal_cert: Option<String>,
    sni_cert: Option<String>,
}

impl Valid {
    /// Every field the journey's first step asks for (the NIB is a step
    /// of its own; certificates and channels are optional).
    fn complete(&self) -> bool {
        self.owner_name.is_some()
            && self.whatsapp.is_some()
            && !self.kbli.is_empty()
            && self.cluster.is_some()
            && self.regency.is_some()
            && self.address.is_some()
            && self.year_founded.is_some()
            && self.employees.is_some()
            && self.size_class.is_some()
    }
}

/// One business's profile fields as text, by name, to tell which a save
/// changed (the NIB has events of its own).
type Snapshot = Vec<(&'static str, String)>;

fn text(v: Option<impl ToString>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

impl Valid {
    fn snapshot(&self) -> Snapshot {
        vec![
            ("name", self.name.clone()),
            ("owner_name", text(self.owner_name.as_ref())),
            ("whatsapp", text(self.whatsapp.as_ref())),
            ("kbli", self.kbli.join(",")),
            ("cluster", text(self.cluster.map(Cluster::as_str))),
            ("province", text(self.province.as_ref())),
            ("regency", text(self.regency.as_ref())),
            ("address", text(self.address.as_ref())),
            ("country", self.country.clone()),
            ("year_founded", text(self.year_founded)),
            ("employees", text(self.employees)),
            ("size_basis", text(self.size_basis.map(SizeBasis::as_str))),
            ("capital", text(self.capital)),
            ("annual_sales", text(self.annual_sales)),
            (
                "channels",
                self.channels
                    .iter()
                    .map(|(k, n, u)| format!("{k}|{n}|{u}"))
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            ("halal_cert", text(self.halal_cert.as_ref())),
            ("sni_cert", text(self.sni_cert.as_ref())),
        ]
    }
}

/// The stored profile of business `id` as a [`Snapshot`], read inside the
/// saving transaction.
async fn stored_snapshot(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
) -> Result<Snapshot, AppError> {
    let r: ProfileRow = sqlx::query_as(&format!(
        "select {PROFILE_COLUMNS} from businesses where id = $1"
    ))
    .bind(id)
    .fetch_one(&mut **tx)
    .await?;
    let kbli: Vec<(String,)> =
        sqlx::query_as("select code from business_kbli where business_id = $1 order by code")
            .bind(id)
            .fetch_all(&mut **tx)
            .await?;
    let channels: Vec<(String, String, String)> = sqlx::query_as(
        "select kind, name, url from business_channels where business_id = $1 order by position",
    )
    .bind(id)
    .fetch_all(&mut **tx)
    .await?;
    Ok(Valid {
        name: r.name,
        owner_name: Some(r.owner_name).filter(|o| !o.is_empty()),
        whatsapp: r.whatsapp,
        nib: r.nib,
        kbli: kbli.into_iter().map(|(c,)| c).collect(),
        cluster: r.cluster.as_deref().and_then(Cluster::parse),
        province: r.province_code,
        regency: r.regency_code,
        address: r.address,
        country: r.domicile_country,
        year_founded: r.year_founded,
        employees: r.employees,
        size_basis: r.size_basis.as_deref().and_then(SizeBasis::parse),
        capital: r.capital_idr,
        annual_sales: r.annual_sales_idr,
        size_class: r.size_class.as_deref().and_then(SizeClass::parse),
        channels,
        halal_cert: r.halal_cert,
        sni_cert: r.sni_cert,
    }
    .snapshot())
}

/// The names of the fields that differ between two snapshots.
fn changed(before: &Snapshot, after: &Snapshot) -> String {
    before
        .iter()
        .zip(after)
        .filter(|((_, a), (_, b))| a != b)
        .map(|((name, _), _)| *name)
        .collect::<Vec<_>>()
        .join(",")
}

fn this_year() -> i64 {
    // Days since 1970 in WIB → the year, through the civil calendar.
    let day = wib_day(now());
    crate::shared::ui::format_day(day)[..4]
        .parse()
        .unwrap_or(2026)
}

impl ProfileForm {
    /// Every field as typed, by name: sent back with any error so nothing
    /// entered is lost.
    fn entered(&self) -> Vec<(&str, &str)> {
        vec![
            ("name", &self.name),
            ("owner_name", &self.owner_name),
            ("whatsapp", &self.whatsapp),
            ("nib", &self.nib),
            ("kbli", &self.kbli),
            ("cluster", &self.cluster),
            ("province", &self.province),
            ("regency", &self.regency),
            ("address", &self.address),
            ("country", &self.country),
            ("year_founded", &self.year_founded),
            ("employees", &self.employees),
            ("size_basis", &self.size_basis),
            ("capital", &self.capital),
            ("annual_sales", &self.annual_sales),
            ("channel_kind", &self.channels[0].0),
            ("channel_name", &self.channels[0].1),
            ("channel_url", &self.channels[0].2),
            ("channel2_kind", &self.channels[1].0),
            ("channel2_name", &self.channels[1].1),
            ("channel2_url", &self.channels[1].2),
            ("halal_cert", &self.halal_cert),
            ("sni_cert", &self.sni_cert),
        ]
    }
}

fn validate(form: &ProfileForm) -> Result<Valid, AppError> {
    let entered = form.entered();
    let mut v = Validator::default();
    let name = v.check(
        "name",
        parse_text(&form.name, 120).and_then(|n| n.ok_or(FieldCode::Required)),
    );
    let owner_name = v.check("owner_name", parse_text(&form.owner_name, 80));
    let whatsapp = v.check(
        "whatsapp",
        if form.whatsapp.trim().is_empty() {
            Ok(None)
        } else {
            parse_phone(&form.whatsapp).map(Some)
        },
    );
    let nib = v.check("nib", parse_nib(&form.nib));
    let kbli = v.check("kbli", kbli::parse_list(&form.kbli));
    let cluster = v.check(
        "cluster",
        match form.cluster.trim() {
            "" => Ok(None),
            c => Cluster::parse(c).map(Some).ok_or(FieldCode::InvalidChoice),
        },
    );
    let (province, regency) = match regions::check_place(&form.province, &form.regency) {
        Ok((p, r)) => (p.map(|p| p.code.to_string()), r.map(|r| r.code.to_string())),
        Err((field, code)) => {
            v.check::<()>(field, Err(code));
            (None, None)
        }
    };
    let address = v.check("address", parse_text(&form.address, 300));
    let country = v.check(
        "country",
        if form.country.trim().is_empty() {
            Ok("ID".to_string())
        } else {
            parse_country(&form.country)
        },
    );
    let year_founded = v.check("year_founded", parse_year(&form.year_founded, this_year()));
    let employees = v.check("employees", parse_count(&form.employees));
    let size_basis = v.check(
        "size_basis",
        match form.size_basis.trim() {
            "" => Ok(None),
            b => SizeBasis::parse(b)
                .map(Some)
                .ok_or(FieldCode::InvalidChoice),
        },
    );
    let capital = v.check("capital", parse_rupiah(&form.capital));
    let annual_sales = v.check("annual_sales", parse_rupiah(&form.annual_sales));
    // The basis chosen needs its figure.
    match size_basis.flatten() {
        Some(SizeBasis::Capital) if capital == Some(None) => {
            v.check::<()>("capital", Err(FieldCode::Required));
        }
        Some(SizeBasis::Sales) if annual_sales == Some(None) => {
            v.check::<()>("annual_sales", Err(FieldCode::Required));
        }
        _ => {}
    }
    let mut channels = Vec::new();
    for (i, (kind, cname, url)) in form.channels.iter().enumerate() {
        let prefix = if i == 0 { "channel" } else { "channel2" };
        let kind_ok = match kind.trim() {
            "" => None,
            k if ["marketplace", "social", "website"].contains(&k) => Some(k.to_string()),
            _ => {
                v.check::<()>(&format!("{prefix}_kind"), Err(FieldCode::InvalidChoice));
                None
            }
        };
        let cname = v.check(&format!("{prefix}_name"), parse_text(cname, 80));
        let url = v.check(&format!("{prefix}_url"), parse_url(url));
        if let Some(Some(url)) = url {
            channels.push((
                kind_ok.unwrap_or_else(|| "marketplace".into()),
                cname.flatten().unwrap_or_default(),
                url,
            ));
        }
    }
    let halal_cert = v.check("halal_cert", parse_text(&form.halal_cert, 60));
    let sni_cert = v.check("sni_cert", parse_text(&form.sni_cert, 60));
    v.finish(&entered)?;
    let (Some(name), Some(country)) = (name, country) else {
        return Err(AppError::Internal);
    };
    let size_basis = size_basis.flatten();
    let capital = capital.flatten();
    let annual_sales = annual_sales.flatten();
    let size = match size_basis {
        Some(SizeBasis::Capital) => capital.map(|c| size_class(SizeBasis::Capital, c)),
        Some(SizeBasis::Sales) => annual_sales.map(|s| size_class(SizeBasis::Sales, s)),
        None => None,
    };
    Ok(Valid {
        name,
        owner_name: owner_name.flatten(),
        whatsapp: whatsapp.flatten(),
        nib: nib.flatten(),
        kbli: kbli.unwrap_or_default(),
        cluster: cluster.flatten(),
        province,
        regency,
        address: address.flatten(),
        country,
        year_founded: year_founded.flatten(),
        employees: employees.flatten(),
        size_basis,
        capital,
        annual_sales,
        size_class: size,
        channels,
        halal_cert: halal_cert.flatten(),
        sni_cert: sni_cert.flatten(),
    })
}

fn entry<'a>(caller: &'a Caller, action: &'a str, actor: i64, detail: &'a str) -> Entry<'a> {
    Entry {
        action,
        actor: Some(actor),
        subject: None,
        ip: &caller.ip,
        detail,
    }
}

/// id, nib, nib status.
type OwnRow = (i64, Option<String>, String);

/// Saves the owner's profile in one transaction: the business row, its
/// KBLI codes and channels, the NIB submission or claim, the milestones
/// reached, and the audit entry.
pub async fn save_profile(caller: &Caller, owner: i64, form: ProfileForm) -> Result<(), AppError> {
    let valid = validate(&form)?;
    let db = &caller.state().db;
    let at = now();
    let mut tx = db.begin_locked().await?;
    let own: Option<OwnRow> = sqlx::query_as(&format!(
        "select id, nib, nib_status from businesses where owner_id = $1{}",
        db.for_update()
    ))
    .bind(owner)
    .fetch_optional(&mut *tx)
    .await?;
    let before = match &own {
        Some((id, _, _)) => Some(stored_snapshot(&mut tx, *id).await?),
        None => None,
    };
    let id = match &own {
        Some((id, _, _)) => *id,
        None => {
            let (id,): (i64,) = sqlx::query_as(
                r#"insert into businesses (owner_id, source, name, created_at, updated_at)
                   values ($1, 'portal', $2, $3, $3) returning id"#,
            )
            .bind(owner)
            .bind(&valid.name)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            id
        }
    };
    let current_nib = own.as_ref().and_then(|(_, n, _)| n.clone());
    let rejected = own
        .as_ref()
        .is_some_and(|(_, _, status)| status == "rejected");
    // The NIB: unchanged, submitted, a claim of a registry business, or
    // removed. The unique key on `nib` decides between two sellers.
    let mut nib_action = "";
    let mut nib_event = "";
    match (&valid.nib, &current_nib) {
        // The same NIB again: nothing to do, unless it was rejected, when
        // saving submits it anew (the seller corrected what staff named).
        (Some(new), Some(old)) if new == old && !rejected => {}
        (Some(new), _) => {
            let holder: Option<(i64, Option<i64>)> = sqlx::query_as(&format!(
                "select id, owner_id from businesses where nib = $1{}",
                db.for_update()
            ))
            .bind(new)
            .fetch_optional(&mut *tx)
            .await?;
            match holder {
                Some((other, None)) if other != id => {
                    sqlx::query(
                        r#"update businesses set nib = null, nib_status = 'pending',
                                  nib_submitted_at = $1, nib_reason = null,
                                  claim_business_id = $2
                           where id = $3"#,
                    )
                    .bind(at)
                    .bind(other)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                    nib_action = "profile.claim_submitted";
                    nib_event = "claim_submitted";
                }
                Some((other, Some(_))) if other != id => {
                    return Err(
                        AppError::field("nib", FieldCode::NibTaken).with_values(&form.entered())
                    );
                }
                _ => {
                    sqlx::query(
                        r#"update businesses set nib = $1, nib_status = 'pending',
                                  nib_submitted_at = $2, nib_reason = null,
                                  claim_business_id = null
                           where id = $3"#,
                    )
                    .bind(new)
                    .bind(at)
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| {
                        on_unique("nib", FieldCode::NibTaken)(e).with_values(&form.entered())
                    })?;
                    nib_action = "profile.nib_submitted";
                    nib_event = "nib_submitted";
                }
            }
        }
        (None, _) => {
            let removed = sqlx::query(
                r#"update businesses set nib = null, nib_status = 'none', nib_submitted_at = null,
                          claim_business_id = null
                   where id = $1 and (nib is not null or claim_business_id is not null)"#,
            )
            .bind(id)
            .execute(&mut *tx)
            .await?;
            if removed.rows_affected() > 0 {
                nib_event = "nib_removed";
            }
        }
    }
    sqlx::query(
        r#"update businesses set
               name = $1, owner_name = $2, whatsapp = $3, cluster = $4, province_code = $5,
               regency_code = $6, address = $7, domicile_country = $8, year_founded = $9,
               employees = $10, capital_idr = $11, annual_sales_idr = $12, size_basis = $13,
               size_class = $14, halal_cert = $15, sni_cert = $16, updated_at = $17
           where id = $18"#,
    )
    .bind(&valid.name)
    .bind(valid.owner_name.as_deref().unwrap_or(""))
    .bind(valid.whatsapp.as_deref())
    .bind(valid.cluster.map(Cluster::as_str))
    .bind(valid.province.as_deref())
    .bind(valid.regency.as_deref())
    .bind(valid.address.as_deref())
    .bind(&valid.country)
    .bind(valid.year_founded)
    .bind(valid.employees)
    .bind(valid.capital)
    .bind(valid.annual_sales)
    .bind(valid.size_basis.map(SizeBasis::as_str))
    .bind(valid.size_class.map(SizeClass::as_str))
    .bind(valid.halal_cert.as_deref())
    .bind(valid.sni_cert.as_deref())
    .bind(at)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("delete from business_kbli where business_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    for code in &valid.kbli {
        sqlx::query(
            "insert into business_kbli (business_id, kbli_version, code) values ($1, $2, $3)",
        )
        .bind(id)
        .bind(kbli::VERSION)
        .bind(code)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("delete from business_channels where business_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    for (i, (kind, cname, url)) in valid.channels.iter().enumerate() {
        sqlx::query(
            r#"insert into business_channels (business_id, position, kind, name, url)
               values ($1, $2, $3, $4, $5)"#,
        )
        .bind(id)
        .bind(i as i64)
        .bind(kind)
        .bind(cname)
        .bind(url)
        .execute(&mut *tx)
        .await?;
    }
    let after = valid.snapshot();
    let what = match &before {
        None => Some("created".to_string()),
        Some(before) => Some(changed(before, &after)).filter(|c| !c.is_empty()),
    };
    if let Some(what) = what {
        journey::record_event(&mut tx, id, Some(owner), "profile_saved", &what, at).await?;
    }
    if !nib_event.is_empty() {
        let nib = valid.nib.as_deref().unwrap_or("");
        journey::record_event(&mut tx, id, Some(owner), nib_event, nib, at).await?;
    }
    // Milestones are reached once and kept: an edit that empties a field
    // does not take back the date a step was first reached.
    if valid.complete() {
        journey::reach(&mut tx, id, Milestone::ProfileComplete, at).await?;
    }
    if !valid.channels.is_empty() {
        journey::reach(&mut tx, id, Milestone::ShopOnline, at).await?;
    }
    audit::record(&mut *tx, entry(caller, "profile.saved", owner, "")).await?;
    if !nib_action.is_empty() {
        audit::record(&mut *tx, entry(caller, nib_action, owner, "")).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Every column of a business a profile shows, in `select` order.
const PROFILE_COLUMNS: &str = "id, name, owner_name, whatsapp, nib, nib_status, nib_reason, \
     nib_decided_at, claim_business_id, cluster, province_code, regency_code, address, \
     domicile_country, year_founded, employees, capital_idr, annual_sales_idr, size_basis, \
     size_class, halal_cert, sni_cert, created_at";

#[derive(sqlx::FromRow)]
struct ProfileRow {
    id: i64,
    name: String,
    owner_name: String,
    whatsapp: Option<String>,
    nib: Option<String>,
    nib_status: String,
    nib_reason: Option<String>,
    nib_decided_at: Option<i64>,
    claim_business_id: Option<i64>,
    cluster: Option<String>,
    province_code: Option<String>,
    regency_code: Option<String>,
    address: Option<String>,
    domicile_country: String,
    year_founded: Option<i64>,
    employees: Option<i64>,
    capital_idr: Option<i64>,
    annual_sales_idr: Option<i64>,
    size_basis: Option<String>,
    size_class: Option<String>,
    halal_cert: Option<String>,
    sni_cert: Option<String>,
    created_at: i64,
}

async fn load_profile(db: &Db, where_sql: &str, bind: i64) -> Result<Option<Profile>, AppError> {
    let row: Option<ProfileRow> = sqlx::query_as(&format!(
        "select {PROFILE_COLUMNS} from businesses where {where_sql}"
    ))
    .bind(bind)
    .fetch_optional(&db.pool)
    .await?;
    let Some(r) = row else {
        return Ok(None);
    };
    let kbli: Vec<(String,)> =
        sqlx::query_as("select code from business_kbli where business_id = $1 order by code")
            .bind(r.id)
            .fetch_all(&db.pool)
            .await?;
    let channels: Vec<(String, String, String)> = sqlx::query_as(
        "select kind, name, url from business_channels where business_id = $1 order by position",
    )
    .bind(r.id)
    .fetch_all(&db.pool)
    .await?;
    let claimed_nib = match r.claim_business_id {
        Some(b) => {
            sqlx::query_as::<_, (Option<String>,)>("select nib from businesses where id = $1")
                .bind(b)
                .fetch_optional(&db.pool)
                .await?
                .and_then(|(n,)| n)
        }
        None => None,
    };
    Ok(Some(Profile {
        id: r.id,
        name: r.name,
        owner_name: r.owner_name,
        whatsapp: r.whatsapp.unwrap_or_default(),
        nib: r.nib.unwrap_or_default(),
        nib_status: NibStatus::parse(&r.nib_status).unwrap_or(NibStatus::None),
        nib_reason: r.nib_reason,
        nib_decided_at: r.nib_decided_at,
        claimed_nib,
        kbli: kbli.into_iter().map(|(c,)| c).collect(),
        cluster: r.cluster.as_deref().and_then(Cluster::parse),
        province: r.province_code.unwrap_or_default(),
        regency: r.regency_code.unwrap_or_default(),
        address: r.address.unwrap_or_default(),
        country: r.domicile_country,
        year_founded: r.year_founded,
        employees: r.employees,
        capital_idr: r.capital_idr,
        annual_sales_idr: r.annual_sales_idr,
        size_basis: r.size_basis.as_deref().and_then(SizeBasis::parse),
        size_class: r.size_class.as_deref().and_then(SizeClass::parse),
        channels: channels
            .into_iter()
            .map(|(kind, name, url)| OnlineChannel { kind, name, url })
            .collect(),
        halal_cert: r.halal_cert.unwrap_or_default(),
        sni_cert: r.sni_cert.unwrap_or_default(),
        created_at: r.created_at,
    }))
}

/// The owner's business (if any) and journey.
pub async fn my_business(db: &Db, owner: i64) -> Result<OwnBusiness, AppError> {
    let profile = load_profile(db, "owner_id = $1", owner).await?;
    let (registered_at,): (i64,) = sqlx::query_as("select created_at from users where id = $1")
        .bind(owner)
        .fetch_one(&db.pool)
        .await?;
    let reached = match &profile {
        Some(p) => journey::milestones(db, p.id).await?,
        None => Vec::new(),
    };
    let (stage, stage_at) = stage(registered_at, &reached);
    let history = match &profile {
        Some(p) => history(db, p.id).await?,
        None => Vec::new(),
    };
    Ok(OwnBusiness {
        history,
        this_year: this_year(),
        journey: Journey {
            milestones: Milestone::ALL
                .into_iter()
                .map(|m| (m, reached.iter().find(|(r, _)| *r == m).map(|(_, at)| *at)))
                .collect(),
            nib_status: profile
                .as_ref()
                .map(|p| p.nib_status)
                .unwrap_or(NibStatus::None),
            stage,
            stage_at,
        },
        profile,
    })
}

/// The latest entries of a business's history, newest first. Who acted
/// follows from what happened: staff decide, the portal records the
/// journey's milestones, the seller does the rest (the person's id is in
/// `actor_id` for the record, not shown).
pub async fn history(db: &Db, business_id: i64) -> Result<Vec<HistoryEntry>, AppError> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        r#"select at, kind, detail from business_events
           where business_id = $1 order by id desc limit 100"#,
    )
    .bind(business_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(at, kind, detail)| HistoryEntry {
            at,
            by: match kind.as_str() {
                "nib_verified" | "nib_rejected" | "claim_confirmed" | "claim_rejected" => {
                    Actor::Staff
                }
                "milestone" => Actor::Portal,
                _ => Actor::Owner,
            },
            kind,
            detail,
        })
        .collect())
}

pub const PER_PAGE: i64 = 20;

/// id, name, nib, claimed nib, province, submitted at.
type QueueRow = (
    i64,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
);

pub async fn nib_queue(db: &Db, province: &str, page: i64) -> Result<QueuePage, AppError> {
    let page = page.clamp(1, 1_000_000);
    let province = regions::province(province.trim())
        .map(|p| p.code.to_string())
        .unwrap_or_default();
    let filter = "b.nib_status = 'pending' and ($1 = '' or b.province_code = $1)";
    let (total,): (i64,) =
        sqlx::query_as(&format!("select count(*) from businesses b where {filter}"))
            .bind(&province)
            .fetch_one(&db.pool)
            .await?;
    let rows: Vec<QueueRow> = sqlx::query_as(&format!(
        r#"select b.id, b.name, b.nib, c.nib, b.province_code, b.nib_submitted_at
           from businesses b left join businesses c on c.id = b.claim_business_id
           where {filter}
           order by b.nib_submitted_at, b.id limit $2 offset $3"#
    ))
    .bind(&province)
    .bind(PER_PAGE)
    .bind((page - 1) * PER_PAGE)
    .fetch_all(&db.pool)
    .await?;
    Ok(QueuePage {
        items: rows
            .into_iter()
            .map(|(id, name, nib, claimed, prov, at)| QueueItem {
                business_id: id,
                name,
                claim: claimed.is_some() && nib.is_none(),
                nib: nib.or(claimed).unwrap_or_default(),
                province: prov.unwrap_or_default(),
                submitted_at: at,
            })
            .collect(),
        total,
        page,
        per_page: PER_PAGE,
        province,
    })
}

pub async fn nib_item(db: &Db, id: i64) -> Result<ReviewItem, AppError> {
    let profile = load_profile(db, "id = $1", id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (submitted_at, claim): (Option<i64>, Option<i64>) =
        sqlx::query_as("select nib_submitted_at, claim_business_id from businesses where id = $1")
            .bind(id)
            .fetch_one(&db.pool)
            .await?;
    let claimed = match claim {
        Some(c) => {
            sqlx::query_as::<_, (i64, String, Option<String>, Option<String>, Option<String>)>(
                "select id, name, nib, province_code, regency_code from businesses where id = $1",
            )
            .bind(c)
            .fetch_optional(&db.pool)
            .await?
            .map(|(id, name, nib, p, r)| ClaimedBusiness {
                id,
                name,
                nib: nib.unwrap_or_default(),
                province: p.unwrap_or_default(),
                regency: r.unwrap_or_default(),
            })
        }
        None => None,
    };
    Ok(ReviewItem {
        history: history(db, profile.id).await?,
        profile,
        submitted_at,
        claimed,
    })
}

/// nib status, submitted at, claim, owner.
type DecideRow = (String, Option<i64>, Option<i64>, Option<i64>);

/// Decides a pending NIB or claim. One transaction: the decision (only if
/// the item is still pending at the version the staff member saw, so two
/// staff deciding at once cannot both win), the claim's merge, the
/// milestone, the audit entry and the message to the seller.
pub async fn decide_nib(
    caller: &Caller,
    staff: i64,
    id: i64,
    submitted_at: i64,
    verify: bool,
    reason: &str,
) -> Result<(), AppError> {
    let reason = parse_text(reason, 500).map_err(|c| AppError::field("reason", c))?;
    if !verify && reason.is_none() {
        return Err(AppError::field("reason", FieldCode::ReasonRequired));
    }
    let db = &caller.state().db;
    let at = now();
    let mut tx = db.begin_locked().await?;
    let row: Option<DecideRow> = sqlx::query_as(&format!(
        "select nib_status, nib_submitted_at, claim_business_id, owner_id from businesses where id = $1{}",
        db.for_update()
    ))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((status, version, claim, owner)) = row else {
        return Err(AppError::NotFound);
    };
    if status != "pending" || version != Some(submitted_at) {
        return Err(AppError::Conflict);
    }
    let Some(owner) = owner else {
        return Err(AppError::Conflict);
    };
    let decided_id = match (verify, claim) {
        (true, Some(registry)) => {
            journey::merge_claim(&mut tx, db, id, registry, owner, staff, at).await?
        }
        (true, None) => {
            sqlx::query(
                r#"update businesses set nib_status = 'verified', nib_decided_at = $1,
                          nib_decided_by = $2, nib_reason = $3
                   where id = $4"#,
            )
            .bind(at)
            .bind(staff)
            .bind(reason.as_deref())
            .bind(id)
            .execute(&mut *tx)
            .await?;
            journey::reach(&mut tx, id, Milestone::NibVerified, at).await?;
            id
        }
        (false, _) => {
            sqlx::query(
                r#"update businesses set nib_status = 'rejected', nib_decided_at = $1,
                          nib_decided_by = $2, nib_reason = $3, claim_business_id = null
                   where id = $4"#,
            )
            .bind(at)
            .bind(staff)
            .bind(reason.as_deref())
            .bind(id)
            .execute(&mut *tx)
            .await?;
            id
        }
    };
    let action = match (verify, claim.is_some()) {
        (true, true) => "profile.claim_confirmed",
        (true, false) => "profile.nib_verified",
        (false, true) => "profile.claim_rejected",
        (false, false) => "profile.nib_rejected",
    };
    let event = action.trim_start_matches("profile.");
    journey::record_event(
        &mut tx,
        decided_id,
        Some(staff),
        event,
        reason.as_deref().unwrap_or(""),
        at,
    )
    .await?;
    let detail = format!("business:{decided_id}");
    audit::record(
        &mut *tx,
        Entry {
            action,
            actor: Some(staff),
            subject: Some(owner),
            ip: &caller.ip,
            detail: &detail,
        },
    )
    .await?;
    tell_owner(&mut tx, owner, verify, reason.as_deref()).await?;
    tx.commit().await?;
    Ok(())
}

/// Queues the decision's message to the seller, in their language, to
/// their email address (else their number).
async fn tell_owner(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    owner: i64,
    verified: bool,
    reason: Option<&str>,
) -> Result<(), AppError> {
    let row: Option<(Option<String>, Option<String>, String)> =
        sqlx::query_as("select email, phone, locale from users where id = $1")
            .bind(owner)
            .fetch_optional(&mut **tx)
            .await?;
    let Some((email, phone, locale)) = row else {
        return Ok(());
    };
    let locale: Locale = locale.parse().unwrap_or_default();
    let (channel, to) = match (email, phone) {
        (Some(e), _) => (Channel::Email, e),
        (None, Some(p)) => (Channel::Sms, p),
        (None, None) => return Ok(()),
    };
    let (kind, subject, body) = if verified {
        (
            "profile.nib_verified",
            td_string!(locale, msg.nib_verified_subject).to_string(),
            td_string!(locale, msg.nib_verified).to_string(),
        )
    } else {
        (
            "profile.nib_rejected",
            td_string!(locale, msg.nib_rejected_subject).to_string(),
            td_string!(locale, msg.nib_rejected, reason = reason.unwrap_or("")).to_string(),
        )
    };
    outbound::enqueue(
        &mut **tx,
        NewMessage {
            channel,
            destination: &to,
            locale: locale.as_str(),
            kind,
            subject: &subject,
            body: &body,
        },
    )
    .await?;
    Ok(())
}
