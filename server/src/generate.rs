//! `server generate-course`: a published course of many modules with many
//! learners at every stage, for the trainers' report benchmark
//! (`.ci/bench`). Learners are real rows (accounts that cannot sign in:
//! one random password nobody knows, addresses under `.invalid`), each
//! with a business in a regency from the official list, an enrolment,
//! lessons done and modules completed up to where they stopped, and the
//! enrolment's place kept as the portal keeps it. Rows go in many at a
//! time, in a transaction per batch of learners.

use anyhow::{bail, Context};
use app::shared::db::{now, Db};
use app::shared::password::Hasher;
use app::shared::regions;

pub struct Options {
    pub slug: String,
    pub learners: i64,
    pub modules: i64,
    /// The account (email) that owns the course, if any.
    pub owner: Option<String>,
}

pub fn parse(args: &[String]) -> anyhow::Result<Options> {
    let mut o = Options {
        slug: "generated-course".into(),
        learners: 100_000,
        modules: 20,
        owner: None,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().with_context(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--slug" => o.slug = value.clone(),
            "--learners" => o.learners = value.parse().context("--learners: a number")?,
            "--modules" => o.modules = value.parse().context("--modules: a number")?,
            "--owner" => o.owner = Some(value.clone()),
            other => bail!("unknown option {other:?}"),
        }
    }
    if !(1..=1_000_000).contains(&o.learners) || !(1..=200).contains(&o.modules) {
        bail!("--learners must be 1 to 1,000,000 and --modules 1 to 200");
    }
    if !app::courses::domain::valid_slug(&o.slug) {
        bail!("--slug: lowercase letters, digits and dashes");
    }
    Ok(o)
}

/// A small deterministic generator (xorshift64*), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const BATCH: i64 = 1000;
const ROWS_PER_INSERT: usize = 500;

/// Runs `insert into {head} values` with the rows, `ROWS_PER_INSERT` a
/// statement. Every value is a number or text this module made.
async fn insert(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    head: &str,
    rows: &[String],
) -> anyhow::Result<()> {
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let sql = format!("insert into {head} values {}", chunk.join(","));
        sqlx::query(&sql).execute(&mut **tx).await?;
    }
    Ok(())
}

pub async fn run(db: &Db, o: &Options) -> anyhow::Result<()> {
    let taken: Option<(i64,)> = sqlx::query_as("select id from courses where slug = $1")
        .bind(&o.slug)
        .fetch_optional(&db.pool)
        .await?;
    if taken.is_some() {
        bail!(
            "a course {:?} exists already; choose another --slug",
            o.slug
        );
    }
    let owner = match &o.owner {
        Some(email) => {
            let row: Option<(i64, String)> =
                sqlx::query_as("select id, role from users where email = $1")
                    .bind(email.trim().to_lowercase())
                    .fetch_optional(&db.pool)
                    .await?;
            match row {
                Some((id, role)) if role == "trainer" || role == "admin" => Some(id),
                Some(_) => bail!("--owner {email:?} is neither a trainer nor an administrator"),
                None => bail!("--owner {email:?}: no such account"),
            }
        }
        None => None,
    };
    let at = now();
    let mut tx = db.pool.begin().await?;
    let (course,): (i64,) = sqlx::query_as(
        r#"insert into courses (slug, owner_id, cluster, minutes, title_id, title_en, summary_id,
               summary_en, status, published_at, created_at, updated_at)
           values ($1, $2, 'all', $3, $4, $5, $6, $7, 'published', $8, $8, $8) returning id"#,
    )
    .bind(&o.slug)
    .bind(owner)
    .bind(o.modules * 15)
    .bind(format!("Kursus uji skala ({} modul)", o.modules))
    .bind(format!("Scale test course ({} modules)", o.modules))
    .bind("Dibuat oleh `server generate-course` untuk mengukur laporan pelatih.")
    .bind("Made by `server generate-course` to measure the trainers' report.")
    .bind(at)
    .fetch_one(&mut *tx)
    .await?;
    // (module id, lesson id) in order.
    let mut parts = Vec::with_capacity(o.modules as usize);
    for position in 0..o.modules {
        let (module,): (i64,) = sqlx::query_as(
            r#"insert into course_modules (course_id, position, title_id, title_en, sequential)
               values ($1, $2, $3, $4, 1) returning id"#,
        )
        .bind(course)
        .bind(position)
        .bind(format!("Modul {}", position + 1))
        .bind(format!("Module {}", position + 1))
        .fetch_one(&mut *tx)
        .await?;
        let (lesson,): (i64,) = sqlx::query_as(
            r#"insert into lessons (module_id, position, title_id, title_en, body_id, body_en)
               values ($1, 0, $2, $3, $4, $5) returning id"#,
        )
        .bind(module)
        .bind(format!("Pelajaran {}", position + 1))
        .bind(format!("Lesson {}", position + 1))
        .bind("Isi pelajaran.")
        .bind("The lesson's text.")
        .fetch_one(&mut *tx)
        .await?;
        parts.push((module, lesson));
    }
    tx.commit().await?;

    // One hash for every generated learner, of a password nobody keeps.
    let secret = app::shared::secret::random_hex();
    let hash = Hasher::new(1)
        .hash(secret)
        .await
        .map_err(|e| anyhow::anyhow!("hashing: {}", e.code()))?;
    let regencies = regions::regencies();
    let m = o.modules as u64;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ course as u64);
    let mut done = 0_i64;
    while done < o.learners {
        let n = BATCH.min(o.learners - done);
        let mut tx = db.pool.begin().await?;
        let users: Vec<String> = (done..done + n)
            .map(|i| {
                format!(
                    "('Peserta {} {:06}', '{}-{i}@generated.naikkelas.invalid', '{hash}', 'seller', 0, {at}, {at})",
                    o.slug,
                    i + 1,
                    o.slug
                )
            })
            .collect();
        let mut ids: Vec<(i64, String)> = Vec::with_capacity(n as usize);
        for chunk in users.chunks(ROWS_PER_INSERT) {
            let sql = format!(
                "insert into users (display_name, email, password_hash, role, session_epoch, \
                 created_at, updated_at) values {} returning id, email",
                chunk.join(",")
            );
            ids.extend(
                sqlx::query_as::<_, (i64, String)>(&sql)
                    .fetch_all(&mut *tx)
                    .await?,
            );
        }
        let mut ids: Vec<(i64, i64)> = ids
            .into_iter()
            .filter_map(|(id, email)| {
                let i = email.split('@').next()?.rsplit('-').next()?.parse().ok()?;
                (done..done + n).contains(&i).then_some((i, id))
            })
            .collect();
        ids.sort_unstable();
        let (mut businesses, mut enrolments, mut completions, mut lessons) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (i, user) in ids {
            let r = &regencies[rng.below(regencies.len() as u64) as usize];
            businesses.push(format!(
                "({user}, 'Usaha {:06}', 'Peserta {:06}', '{}', '{}', 'other', {at}, {at})",
                i + 1,
                i + 1,
                r.province,
                r.code
            ));
            // Where they stopped: most early, some at the end.
            let k = (rng.below(m + 1) * rng.below(m + 1) / m.max(1)) as usize;
            let enrolled = at - 86_400 * (30 + rng.below(120) as i64);
            let active = enrolled + 86_400 * k as i64 + rng.below(86_400) as i64;
            let current = parts.get(k).map_or("null".to_string(), |p| p.0.to_string());
            let completed = if k == parts.len() {
                active.to_string()
            } else {
                "null".into()
            };
            let last = if k > 0 {
                parts[k - 1].1.to_string()
            } else {
                "null".into()
            };
            enrolments.push(format!(
                "({course}, {user}, {enrolled}, {last}, {completed}, {current}, {k}, {active}, 0, 0)"
            ));
            for (j, (module, lesson)) in parts.iter().take(k).enumerate() {
                let on = enrolled + 86_400 * (j as i64 + 1);
                lessons.push(format!("({user}, {lesson}, {on})"));
                completions.push(format!("({user}, {module}, {on})"));
            }
        }
        insert(
            &mut tx,
            "businesses (owner_id, name, owner_name, province_code, regency_code, cluster, created_at, updated_at)",
            &businesses,
        )
        .await?;
        insert(
            &mut tx,
            "enrolments (course_id, user_id, enrolled_at, last_lesson_id, completed_at, current_module_id, modules_done, active_at, quiz_points, quiz_taken)",
            &enrolments,
        )
        .await?;
        insert(
            &mut tx,
            "lesson_progress (user_id, lesson_id, done_at)",
            &lessons,
        )
        .await?;
        insert(
            &mut tx,
            "module_completions (user_id, module_id, completed_at)",
            &completions,
        )
        .await?;
        tx.commit().await?;
        done += n;
        if done % 10_000 == 0 || done == o.learners {
            eprintln!("{done} of {} learners", o.learners);
        }
    }
    println!(
        "course {:?} (id {course}): {} modules, {} learners",
        o.slug, o.modules, o.learners
    );
    Ok(())
}

/// `server bench-policy`: the policy engine's checks per second on one
/// core, in process, over a mix of listings under the rule set in force.
pub async fn bench_policy(db: &Db) -> anyhow::Result<()> {
    use app::listings::policy::{check, Cluster, Currency, Day, Listing, Money, Seller, SizeClass};
    let rules = app::listings::server::rules_in_force(db, now())
        .await
        .map_err(|e| anyhow::anyhow!("no rule set in force: {}", e.code()))?;
    let listing = |title: &str, cluster, minor, currency, ships: &str| Listing {
        title: title.into(),
        cluster,
        price: Money { minor, currency },
        origin_country: "CN".into(),
        ships_from: ships.into(),
        hs_code: None,
        halal_certificate: None,
    };
    let cases = [
        (
            listing(
                "Keripik pisang dalam anyaman",
                Cluster::FoodBeverages,
                1_250,
                Currency::Usd,
                "MY",
            ),
            Seller {
                country: "MY".into(),
                size_class: Some(SizeClass::Small),
            },
        ),
        (
            listing(
                "Headphone Bluetooth",
                Cluster::Other,
                150_000,
                Currency::Idr,
                "ID",
            ),
            Seller {
                country: "ID".into(),
                size_class: Some(SizeClass::Micro),
            },
        ),
        (
            listing(
                "Kemeja batik tulis Pekalongan",
                Cluster::Other,
                350_000,
                Currency::Idr,
                "ID",
            ),
            Seller {
                country: "ID".into(),
                size_class: None,
            },
        ),
        (
            listing(
                "Buku resep masakan Nusantara",
                Cluster::Other,
                2_500,
                Currency::Usd,
                "SG",
            ),
            Seller {
                country: "SG".into(),
                size_class: None,
            },
        ),
    ];
    let day = Day::of_unix(now());
    let start = std::time::Instant::now();
    let mut n: u64 = 0;
    let mut fired = 0_usize;
    while start.elapsed() < std::time::Duration::from_secs(2) {
        for (l, s) in &cases {
            fired += std::hint::black_box(check(l, s, &rules, day)).reasons.len();
            n += 1;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{:.0} checks/s ({n} checks in {secs:.2} s, {fired} reasons)",
        n as f64 / secs
    );
    Ok(())
}
