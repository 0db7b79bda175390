//! Demo content: accounts for every role, and enough sellers to page
//! through the admin's user list.
//!
//! No password is ever published: every run gives each demo account a new
//! random password (or, for tests, the one in `DEMO_PASSWORD`) and prints
//! the accounts with their passwords, as GitLab does with its initial root
//! password. Demo accounts are marked, and `serve` refuses to expose them
//! beyond this machine (see `startup::refuse_exposed_demo_accounts`).
//! Running it again keeps the accounts and gives them new passwords.

use app::accounts::domain::Identifier;
use app::accounts::server::create_user;
use app::error::AppError;
use app::shared::db::{now, Db};
use app::shared::password::Hasher;
use app::shared::session::Role;

/// (display name, sign-in, role).
pub const DEMO_ACCOUNTS: &[(&str, &str, Role)] = &[
    ("Admin Naik Kelas", "admin@naikkelas.id", Role::Admin),
    ("Staf Kementerian", "staf@naikkelas.id", Role::Staff),
    ("Pelatih Bimtek", "pelatih@naikkelas.id", Role::Trainer),
    ("Toko Batik Sari", "0812 0000 0001", Role::Seller),
];

const DEMO_SELLERS: &[&str] = &[
    "Keripik Tempe Bu Rini",
    "Kopi Gayo Pak Amir",
    "Tenun Ikat Sumba Lestari",
    "Gerabah Kasongan Jaya",
    "Sambal Roa Manado Ibu Nona",
    "Anyaman Pandan Tasik",
    "Batik Tulis Lasem Nyonya",
    "Rendang Uni Emi",
    "Songket Palembang Cahaya",
    "Kerajinan Perak Kotagede",
    "Madu Hutan Sumbawa",
    "Dodol Garut Mang Ujang",
    "Ulos Toba Boru",
    "Kain Sasirangan Banjar",
    "Bakpia Pathok Sinar",
    "Tas Rotan Lombok",
    "Kopi Toraja Kalosi",
    "Keramik Plered Mandiri",
    "Kue Lapis Legit Oma",
    "Sepatu Kulit Cibaduyut",
    "Noken Papua Mama Yosephina",
    "Abon Ikan Tuna Ambon",
    "Tenun Gringsing Bali",
    "Bandeng Presto Juwana",
    "Percetakan Sablon Kaos Bandung",
];

/// The owners of the demo businesses, in the same order as the sellers
/// (the main demo seller first).
const DEMO_OWNERS: &[&str] = &[
    "Sari Wulandari",
    "Rini Astuti",
    "Amir Hasibuan",
    "Yohana Lende",
    "Slamet Riyadi",
    "Nona Pangemanan",
    "Euis Komalasari",
    "Lie Swan Nio",
    "Emi Yusnidar",
    "Cahaya Fitriani",
    "Bambang Suryanto",
    "Muhammad Taufik",
    "Ujang Suherman",
    "Rosmawati Boru Sitorus",
    "Siti Rahmah",
    "Heru Prasetyo",
    "Baiq Nurhayati",
    "Yusuf Pasulu",
    "Dedi Kurniawan",
    "Oma Hendrika Wowor",
    "Asep Saepudin",
    "Yosephina Wenda",
    "Abdullah Latuconsina",
    "I Wayan Sudarma",
    "Sri Lestari",
    "Rizky Ramadhan",
];

/// A demo account as created: its sign-in and its password.
pub struct DemoAccount {
    pub name: String,
    pub sign_in: String,
    pub role: Role,
    pub password: String,
}

/// Four words' worth of randomness in an easy-to-type form
/// (`xxxx-xxxx-xxxx-xxxx`, about 82 bits, no look-alike characters).
fn random_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let mut rng = rand::rngs::OsRng;
    (0..4)
        .map(|_| {
            (0..4)
                .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// Creates (or refreshes) the demo accounts; returns them with their new
/// passwords. `fixed_password` (tests) replaces the random ones.
pub async fn seed_demo(db: &Db, fixed_password: Option<&str>) -> anyhow::Result<Vec<DemoAccount>> {
    let hasher = Hasher::new(2);
    let mut wanted: Vec<(String, String, Role)> = DEMO_ACCOUNTS
        .iter()
        .map(|(name, sign_in, role)| (name.to_string(), sign_in.to_string(), *role))
        .collect();
    for (i, name) in DEMO_SELLERS.iter().enumerate() {
        let sign_in = if i % 2 == 0 {
            format!("0813 {:04} {:04}", 1000 + i, 2000 + i)
        } else {
            format!("penjual{}@contoh.id", i + 1)
        };
        wanted.push((name.to_string(), sign_in, Role::Seller));
    }
    let mut made = Vec::with_capacity(wanted.len());
    for (name, sign_in, role) in wanted {
        let password = fixed_password
            .map(str::to_string)
            .unwrap_or_else(random_password);
        add(db, &hasher, &name, &sign_in, &password, role).await?;
        made.push(DemoAccount {
            name,
            sign_in,
            role,
            password,
        });
    }
    seed_businesses(db).await?;
    seed_workshop(db).await?;
    Ok(made)
}

async fn add(
    db: &Db,
    hasher: &Hasher,
    name: &str,
    sign_in: &str,
    password: &str,
    role: Role,
) -> anyhow::Result<()> {
    let identifier = Identifier::parse(sign_in)
        .map_err(|code| anyhow::anyhow!("demo identifier {sign_in:?} is invalid: {code:?}"))?;
    let column = match identifier {
        Identifier::Email(_) => "email",
        Identifier::Phone(_) => "phone",
    };
    match create_user(db, hasher, name, &identifier, password, role).await {
        Ok(_) => {}
        Err(AppError::Invalid { .. }) => {
            // Already there: a new password, and its old sessions end.
            let hash = hasher
                .hash(password.to_string())
                .await
                .map_err(|e| anyhow::anyhow!("could not hash: {}", e.code()))?;
            sqlx::query(&format!(
                "update users set password_hash = $1, session_epoch = session_epoch + 1,
                 updated_at = $2 where {column} = $3"
            ))
            .bind(hash)
            .bind(now())
            .bind(identifier.as_str())
            .execute(&db.pool)
            .await?;
        }
        Err(err) => anyhow::bail!("could not create demo account {sign_in}: {}", err.code()),
    }
    sqlx::query(&format!("update users set demo = 1 where {column} = $1"))
        .bind(identifier.as_str())
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Provinces the demo businesses are spread over (Kemendagri codes).
const DEMO_PROVINCES: &[&str] = &[
    "31", "32", "33", "34", "35", "36", "51", "52", "53", "12", "13", "16", "61", "64", "73", "71",
    "81", "91", "94", "18",
];

/// Registry businesses without an owner account (as the national progress
/// issue will import them): a seller can claim one by its NIB.
const DEMO_REGISTRY: &[(&str, &str, &str)] = &[
    ("CV Anyaman Bambu Sejahtera", "8120000000101", "34"),
    ("UD Kopi Lereng Merapi", "8120000000102", "33"),
    ("Tenun Songket Pandai Sikek", "8120000000103", "13"),
];

/// Gives the demo sellers believable businesses, spread over provinces,
/// clusters, size classes and journey stages (a few NIBs waiting in the
/// staff queue), and adds the registry businesses. Runs once per seller:
/// a seller who already has a business keeps it.
pub async fn seed_businesses(db: &Db) -> anyhow::Result<()> {
    use app::profile::domain::{size_class, Cluster, SizeBasis};
    let day = 86_400;
    let at = now();
    let mut sellers: Vec<(String, String)> =
        vec![("Toko Batik Sari".into(), "0812 0000 0001".into())];
    for (i, name) in DEMO_SELLERS.iter().enumerate() {
        let sign_in = if i % 2 == 0 {
            format!("0813 {:04} {:04}", 1000 + i, 2000 + i)
        } else {
            format!("penjual{}@contoh.id", i + 1)
        };
        sellers.push((name.to_string(), sign_in));
    }
    for (i, (name, sign_in)) in sellers.iter().enumerate() {
        let Ok(identifier) = Identifier::parse(sign_in) else {
            continue;
        };
        let column = match identifier {
            Identifier::Email(_) => "email",
            Identifier::Phone(_) => "phone",
        };
        let owner: Option<(i64,)> =
            sqlx::query_as(&format!("select id from users where {column} = $1"))
                .bind(identifier.as_str())
                .fetch_optional(&db.pool)
                .await?;
        let Some((owner,)) = owner else { continue };
        let has: Option<(i64,)> = sqlx::query_as("select id from businesses where owner_id = $1")
            .bind(owner)
            .fetch_optional(&db.pool)
            .await?;
        if has.is_some() {
            continue;
        }
        // The main demo seller's journey is half done: profile, shop, and
        // an NIB waiting for staff. The others spread over every stage:
        // 0 registered, 1 profiled, 2 NIB waiting, 3 NIB waiting with a
        // shop, 4 verified, 5 verified and online, 6 trained, 7 listed and
        // online, 8 NIB rejected.
        let step = if i == 0 { 3 } else { i % 9 };
        let province = DEMO_PROVINCES[i % DEMO_PROVINCES.len()];
        let regency = app::shared::regions::regencies()
            .iter()
            .filter(|r| r.province == province)
            .nth(i % 3)
            .map(|r| r.code)
            .unwrap_or("");
        let lower = name.to_lowercase();
        let cluster = if ["sablon", "percetakan"].iter().any(|w| lower.contains(w)) {
            Cluster::Other
        } else if ["batik", "tenun", "songket", "ulos", "kain", "sepatu", "tas"]
            .iter()
            .any(|w| lower.contains(w))
        {
            Cluster::TextilesFashion
        } else if [
            "gerabah",
            "anyaman",
            "kerajinan",
            "keramik",
            "noken",
            "perak",
        ]
        .iter()
        .any(|w| lower.contains(w))
        {
            Cluster::Handicrafts
        } else {
            Cluster::FoodBeverages
        };
        let kbli_prefix = match cluster {
            Cluster::TextilesFashion => "13",
            Cluster::Handicrafts => "32",
            // Printing (KBLI 18) is not on the portal's list: the print
            // shop gives the online-retail code of its goods.
            Cluster::Other => "4791",
            Cluster::FoodBeverages => "10",
        };
        let kbli = app::profile::kbli::list()
            .iter()
            .filter(|k| k.code.starts_with(kbli_prefix))
            .nth(i % 4)
            .map(|k| k.code.clone());
        // Capital for new businesses, annual sales for older ones, across
        // every class (one large business, above the medium bounds).
        let (basis, amount) = [
            (SizeBasis::Capital, 45_000_000_i64),
            (SizeBasis::Sales, 850_000_000),
            (SizeBasis::Capital, 900_000_000),
            (SizeBasis::Sales, 6_000_000_000),
            (SizeBasis::Capital, 2_500_000_000),
            (SizeBasis::Sales, 1_900_000_000),
            (SizeBasis::Capital, 7_500_000_000),
            (SizeBasis::Sales, 24_000_000_000),
            (SizeBasis::Capital, 150_000_000),
            (SizeBasis::Sales, 62_000_000_000),
        ][i % 10];
        let size = size_class(basis, amount);
        let (capital, sales) = match basis {
            SizeBasis::Capital => (Some(amount), None),
            SizeBasis::Sales => (None, Some(amount)),
        };
        let since = at - (120 - i as i64) * day;
        let complete = step >= 1;
        let nib = (step >= 2).then(|| format!("91200{:08}", 10_000 + i));
        let nib_status = match step {
            0 | 1 => "none",
            2 | 3 => "pending",
            8 => "rejected",
            _ => "verified",
        };
        let decided = matches!(nib_status, "verified" | "rejected");
        let reason = (nib_status == "rejected")
            .then_some("Nama usaha pada OSS berbeda dengan profil: samakan lalu ajukan lagi.");
        let food = cluster == Cluster::FoodBeverages;
        let halal = (complete && food && step >= 4).then(|| format!("ID{:014}", 31_110_000 + i));
        let sni = (complete && cluster == Cluster::TextilesFashion && step >= 5)
            .then(|| format!("SNI 08-{:04}-2020", 7000 + i));
        let (id,): (i64,) = sqlx::query_as(
            r#"insert into businesses (owner_id, source, name, owner_name, whatsapp, nib, nib_status,
                   nib_submitted_at, nib_decided_at, nib_reason, cluster, province_code,
                   regency_code, address, domicile_country, year_founded, employees, capital_idr,
                   annual_sales_idr, size_basis, size_class, halal_cert, sni_cert, created_at,
                   updated_at)
               values ($1, 'portal', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'ID',
                       $14, $15, $16, $17, $18, $19, $20, $21, $22, $22)
               returning id"#,
        )
        .bind(owner)
        .bind(name)
        .bind(if complete { DEMO_OWNERS.get(i).copied().unwrap_or("") } else { "" })
        .bind(complete.then(|| format!("+62812{:07}", 5_000_000 + i)))
        .bind(nib.as_deref())
        .bind(nib_status)
        .bind(nib.as_ref().map(|_| since + 20 * day + i as i64))
        .bind(decided.then_some(since + 25 * day))
        .bind(reason)
        .bind(cluster.as_str())
        .bind(complete.then_some(province))
        .bind(complete.then_some(regency))
        .bind(complete.then(|| format!("Jl. Pasar Baru No. {}", i + 1)))
        .bind(complete.then_some(2008 + (i as i64 % 16)))
        .bind(complete.then_some(1 + (i as i64 * 7 % 40)))
        .bind(complete.then_some(capital).flatten())
        .bind(complete.then_some(sales).flatten())
        .bind(complete.then_some(basis.as_str()))
        .bind(complete.then_some(size.as_str()))
        .bind(halal.as_deref())
        .bind(sni.as_deref())
        .bind(since)
        .fetch_one(&db.pool)
        .await?;
        if complete {
            if let Some(code) = &kbli {
                sqlx::query(
                    "insert into business_kbli (business_id, kbli_version, code) values ($1, $2, $3)",
                )
                .bind(id)
                .bind(app::profile::kbli::VERSION)
                .bind(code)
                .execute(&db.pool)
                .await?;
            }
        }
        // The history, as the portal would have written it.
        let mut events: Vec<(i64, &str, String)> = vec![(since, "profile_saved", "created".into())];
        let mut milestones = Vec::new();
        if complete {
            milestones.push(("profile_complete", since + 10 * day));
            events.push((
                since + 10 * day,
                "profile_saved",
                "owner_name,whatsapp,kbli,regency,address".into(),
            ));
        }
        if let Some(nib) = &nib {
            events.push((since + 20 * day, "nib_submitted", nib.clone()));
        }
        if nib_status == "verified" {
            milestones.push(("nib_verified", since + 25 * day));
            events.push((since + 25 * day, "nib_verified", String::new()));
        }
        if let Some(reason) = reason {
            events.push((since + 25 * day, "nib_rejected", reason.to_string()));
        }
        if matches!(step, 3 | 5 | 7) {
            let (channel, url) = if i % 2 == 0 {
                (
                    "Shopee",
                    format!("https://shopee.co.id/demo-umkm-{}", i + 1),
                )
            } else {
                (
                    "Lazada",
                    format!("https://www.lazada.co.id/shop/demo-umkm-{}", i + 1),
                )
            };
            sqlx::query(
                r#"insert into business_channels (business_id, position, kind, name, url)
                   values ($1, 0, 'marketplace', $2, $3)"#,
            )
            .bind(id)
            .bind(channel)
            .bind(url)
            .execute(&db.pool)
            .await?;
            milestones.push(("shop_online", since + 15 * day));
            events.push((since + 15 * day, "profile_saved", "channels".into()));
        }
        if matches!(step, 6 | 7) {
            milestones.push(("course_completed", since + 40 * day));
        }
        if step == 7 {
            milestones.push(("first_listing_allowed", since + 50 * day));
        }
        for (m, when) in &milestones {
            events.push((*when, "milestone", m.to_string()));
        }
        events.sort_by_key(|e| e.0);
        for (m, when) in milestones {
            sqlx::query(
                r#"insert into business_milestones (business_id, milestone, reached_at)
                   values ($1, $2, $3) on conflict (business_id, milestone) do nothing"#,
            )
            .bind(id)
            .bind(m)
            .bind(when)
            .execute(&db.pool)
            .await?;
        }
        for (when, kind, detail) in events {
            let actor = match kind {
                "milestone" => None,
                "nib_verified" | "nib_rejected" => None,
                _ => Some(owner),
            };
            sqlx::query(
                r#"insert into business_events (business_id, at, actor_id, kind, detail)
                   values ($1, $2, $3, $4, $5)"#,
            )
            .bind(id)
            .bind(when)
            .bind(actor)
            .bind(kind)
            .bind(detail)
            .execute(&db.pool)
            .await?;
        }
    }
    for (name, nib, province) in DEMO_REGISTRY {
        sqlx::query(
            r#"insert into businesses (source, name, nib, nib_status, province_code,
                   domicile_country, created_at, updated_at)
               values ('import', $1, $2, 'verified', $3, 'ID', $4, $4)
               on conflict (nib) do nothing"#,
        )
        .bind(name)
        .bind(nib)
        .bind(province)
        .bind(at)
        .execute(&db.pool)
        .await?;
    }
    Ok(())
}

/// The upcoming demo workshop (only seed-demo makes one): a week from now
/// in Jakarta, for the core course, run by the demo trainer, with a few
/// demo sellers registered. Needs the curriculum (`seed-curriculum`).
pub async fn seed_workshop(db: &Db) -> anyhow::Result<()> {
    let day = 86_400;
    let at = now();
    let course: Option<(i64,)> = sqlx::query_as("select id from courses where core = 1")
        .fetch_optional(&db.pool)
        .await?;
    let trainer: Option<(i64,)> =
        sqlx::query_as("select id from users where email = 'pelatih@naikkelas.id'")
            .fetch_optional(&db.pool)
            .await?;
    let (Some((course,)), Some((trainer,))) = (course, trainer) else {
        return Ok(());
    };
    let upcoming: Option<(i64,)> = sqlx::query_as(
        "select id from workshops where course_id = $1 and trainer_id = $2 and starts_at > $3",
    )
    .bind(course)
    .bind(trainer)
    .bind(at)
    .fetch_optional(&db.pool)
    .await?;
    if upcoming.is_some() {
        return Ok(());
    }
    // The demo trainer edits the portal's core course (an administrator's
    // assignment), so they may take the workshop's attendance.
    sqlx::query(
        "insert into course_editors (course_id, user_id) values ($1, $2) on conflict (course_id, user_id) do nothing",
    )
    .bind(course)
    .bind(trainer)
    .execute(&db.pool)
    .await?;
    let (id,): (i64,) = sqlx::query_as(
        r#"insert into workshops (course_id, trainer_id, title, online, address, province_code,
               regency_code, zone, starts_at, ends_at, closes_at, capacity, created_at)
           values ($1, $2, 'Bimtek Membuka Toko Online: Foto dan Harga', 0,
                   'Gedung SMESCO, Jl. Gatot Subroto Kav. 94', '31', '31.74', 'wib',
                   $3, $4, $5, 20, $6) returning id"#,
    )
    .bind(course)
    .bind(trainer)
    .bind(at + 7 * day)
    .bind(at + 7 * day + 3 * 3600)
    .bind(at + 6 * day)
    .bind(at)
    .fetch_one(&db.pool)
    .await?;
    let sellers: Vec<(i64,)> = sqlx::query_as(
        "select id from users where role = 'seller' and demo = 1 order by id limit 6",
    )
    .fetch_all(&db.pool)
    .await?;
    for (n, (uid,)) in sellers.iter().enumerate() {
        sqlx::query(
            r#"insert into workshop_registrations (workshop_id, user_id, status, queue_no, registered_at)
               values ($1, $2, 'seated', $3, $4) on conflict (workshop_id, user_id) do nothing"#,
        )
        .bind(id)
        .bind(uid)
        .bind(n as i64 + 1)
        .bind(at)
        .execute(&db.pool)
        .await?;
    }
    Ok(())
}

pub fn print_demo_accounts(accounts: &[DemoAccount]) {
    println!("Demo accounts (sign in with the email or phone number). The passwords are");
    println!("new each time seed-demo runs, and the server refuses to serve them beyond");
    println!("this machine (see README, \"Deploying\"):");
    for a in accounts {
        println!(
            "  {:<8} {:<22} password: {:<20} ({})",
            a.role.as_str(),
            a.sign_in,
            a.password,
            a.name
        );
    }
}
