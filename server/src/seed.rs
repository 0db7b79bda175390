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
