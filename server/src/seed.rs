//! Demo content: accounts for every role, and enough sellers to page
//! through the admin's user list. Idempotent: existing accounts are kept.

use app::accounts::domain::Identifier;
use app::accounts::server::create_user;
use app::error::AppError;
use app::shared::db::Db;
use app::shared::password::Hasher;
use app::shared::session::Role;

/// (display name, sign-in, password, role): printed at start-up.
pub const DEMO_ACCOUNTS: &[(&str, &str, &str, Role)] = &[
    (
        "Admin Naik Kelas",
        "admin@naikkelas.id",
        "demo-admin-naik-kelas",
        Role::Admin,
    ),
    (
        "Staf Kementerian",
        "staf@naikkelas.id",
        "demo-staf-naik-kelas",
        Role::Staff,
    ),
    (
        "Pelatih Bimtek",
        "pelatih@naikkelas.id",
        "demo-pelatih-naik-kelas",
        Role::Trainer,
    ),
    (
        "Toko Batik Sari",
        "0812 0000 0001",
        "demo-penjual-naik-kelas",
        Role::Seller,
    ),
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

pub async fn seed_demo(db: &Db) -> anyhow::Result<()> {
    let hasher = Hasher::new(2);
    for (name, sign_in, password, role) in DEMO_ACCOUNTS {
        add(db, &hasher, name, sign_in, password, *role).await?;
    }
    for (i, name) in DEMO_SELLERS.iter().enumerate() {
        let sign_in = if i % 2 == 0 {
            format!("0813 {:04} {:04}", 1000 + i, 2000 + i)
        } else {
            format!("penjual{}@contoh.id", i + 1)
        };
        add(
            db,
            &hasher,
            name,
            &sign_in,
            "demo-penjual-naik-kelas",
            Role::Seller,
        )
        .await?;
    }
    Ok(())
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
    match create_user(db, hasher, name, &identifier, password, role).await {
        Ok(_) | Err(AppError::Invalid { .. }) => Ok(()), // already there
        Err(err) => anyhow::bail!("could not create demo account {sign_in}: {}", err.code()),
    }
}

pub fn print_demo_accounts() {
    println!("Demo accounts (sign in with the email or phone number):");
    for (name, sign_in, password, role) in DEMO_ACCOUNTS {
        println!(
            "  {:<8} {:<22} password: {:<26} ({name})",
            role.as_str(),
            sign_in,
            password
        );
    }
}
