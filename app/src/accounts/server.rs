//! Server-only account logic and its queries: registration, login with
//! rate limits, password changes, sessions ended everywhere, the admin's
//! user list and role changes. Server functions in `api.rs` call these
//! after establishing who is calling.

use super::api::{UserPage, UserSummary};
use super::domain::{check_password, parse_display_name, Identifier};
use crate::error::{AppError, FieldCode, Validator};
use crate::shared::audit::{self, Entry};
use crate::shared::db::{like_pattern, now, Db};
use crate::shared::limits::{self, give_back, Ticket};
use crate::shared::session::server::Caller;
use crate::shared::session::Role;

fn audit<'a>(
    caller: &'a Caller,
    action: &'a str,
    actor: Option<i64>,
    subject: Option<i64>,
    detail: &'a str,
) -> Entry<'a> {
    Entry {
        action,
        actor,
        subject,
        ip: &caller.ip,
        detail,
    }
}

fn is_unique_violation(err: &sqlx::Error) -> bool {
    err.as_database_error()
        .is_some_and(|e| e.kind() == sqlx::error::ErrorKind::UniqueViolation)
}

fn taken(identifier: &Identifier) -> AppError {
    let code = match identifier {
        Identifier::Email(_) => FieldCode::EmailTaken,
        Identifier::Phone(_) => FieldCode::PhoneTaken,
    };
    AppError::field("identifier", code)
}

async fn find_by_identifier(
    db: &Db,
    identifier: &Identifier,
) -> Result<Option<(i64, String, i64)>, AppError> {
    let sql = match identifier {
        Identifier::Email(_) => {
            r#"select id, password_hash, session_epoch from users where email = $1"#
        }
        Identifier::Phone(_) => {
            r#"select id, password_hash, session_epoch from users where phone = $1"#
        }
    };
    Ok(sqlx::query_as(sql)
        .bind(identifier.as_str())
        .fetch_optional(&db.pool)
        .await?)
}

/// Creates an account with the given role. Used by registration (always
/// `seller`) and by the `create-admin` and `seed-demo` commands.
pub async fn create_user(
    db: &Db,
    hasher: &crate::shared::password::Hasher,
    display_name: &str,
    identifier: &Identifier,
    password: &str,
    role: Role,
) -> Result<i64, AppError> {
    if find_by_identifier(db, identifier).await?.is_some() {
        return Err(taken(identifier));
    }
    let hash = hasher.hash(password.to_string()).await?;
    let (email, phone) = match identifier {
        Identifier::Email(e) => (Some(e.as_str()), None),
        Identifier::Phone(p) => (None, Some(p.as_str())),
    };
    let now = now();
    let inserted: Result<(i64,), sqlx::Error> = sqlx::query_as(
        r#"insert into users (display_name, email, phone, password_hash, role, session_epoch, created_at, updated_at)
           values ($1, $2, $3, $4, $5, 0, $6, $6)
           returning id"#,
    )
    .bind(display_name)
    .bind(email)
    .bind(phone)
    .bind(hash)
    .bind(role.as_str())
    .bind(now)
    .fetch_one(&db.pool)
    .await;
    match inserted {
        Ok((id,)) => Ok(id),
        // Two registrations racing for the same address: the loser gets
        // the same field error as a plain duplicate.
        Err(err) if is_unique_violation(&err) => Err(taken(identifier)),
        Err(err) => Err(err.into()),
    }
}

pub async fn register(
    caller: &Caller,
    display_name: &str,
    identifier: &str,
    password: &str,
) -> Result<i64, AppError> {
    let entered = [("display_name", display_name), ("identifier", identifier)];
    let mut v = Validator::default();
    let name = v.check("display_name", parse_display_name(display_name));
    let ident = v.check("identifier", Identifier::parse(identifier));
    v.check("password", check_password(password));
    v.finish(&entered)?;
    let (Some(name), Some(ident)) = (name, ident) else {
        return Err(AppError::Internal);
    };

    let state = &caller.state;
    // Taken before the work, whatever its outcome: also a bound on how
    // fast one client can probe which addresses have accounts.
    limits::take(
        &state.db,
        &format!("register:{}", caller.limit_key),
        state.auth.registrations(),
    )
    .await?
    .keep();
    let id = create_user(
        &state.db,
        &state.hasher,
        &name,
        &ident,
        password,
        Role::Seller,
    )
    .await
    .map_err(|e| e.with_values(&entered))?;
    caller.sign_in(id, 0).await?;
    super::device::issue(id, &state.secret, state.cookie_secure);
    audit::record_db(
        &state.db,
        audit(caller, "accounts.register", Some(id), Some(id), ""),
    )
    .await;
    Ok(id)
}

/// Takes a login attempt from both of its limits, or gives the first back
/// and answers 429 (with an audit entry naming the limit).
async fn take_login_attempt(
    caller: &Caller,
    account_key: &str,
) -> Result<(Ticket, Ticket), AppError> {
    let state = &caller.state;
    let s = &state.auth;
    let ip_key = format!("ip:{}", caller.limit_key);
    async fn limited(caller: &Caller, key: &str) {
        audit::record_db(
            &caller.state.db,
            audit(caller, "accounts.login_limited", None, None, key),
        )
        .await
    }
    let ip_ticket = match limits::take(&state.db, &ip_key, s.per_ip()).await {
        Ok(t) => t,
        Err(err) => {
            limited(caller, &ip_key).await;
            return Err(err);
        }
    };
    match limits::take(&state.db, account_key, s.per_account()).await {
        Ok(t) => Ok((ip_ticket, t)),
        Err(err) => {
            give_back(&state.db, ip_ticket).await?;
            limited(caller, account_key).await;
            Err(err)
        }
    }
}

pub async fn login(caller: &Caller, identifier: &str, password: &str) -> Result<i64, AppError> {
    let entered = [("identifier", identifier)];
    let mut v = Validator::default();
    let ident = v.check("identifier", Identifier::parse(identifier));
    if password.is_empty() {
        v.check::<()>("password", Err(FieldCode::Required));
    }
    v.finish(&entered)?;
    let Some(ident) = ident else {
        return Err(AppError::Internal);
    };

    let state = &caller.state;
    let found = find_by_identifier(&state.db, &ident).await?;
    // A browser that signed in to this very account before has its own
    // allowance; everyone else shares the account's, keyed by the
    // identifier as typed (normalised), so an unknown address is limited
    // exactly like a real one.
    let device = super::device::from_request(&state.secret)
        .filter(|d| found.as_ref().is_some_and(|(id, _, _)| *id == d.user_id));
    let account_key = match &device {
        Some(d) => d.limit_key(),
        None => format!("acct:{}", ident.as_str()),
    };
    // Taken atomically before the password is judged: of many attempts in
    // flight, only the allowance is judged; the rest get 429.
    let (ip_ticket, account_ticket) = take_login_attempt(caller, &account_key).await?;

    // No stored password is longer than the cap: an over-long attempt is
    // wrong, but is still hashed (against the dummy) so it costs the same.
    let too_long = password.chars().count() > super::domain::PASSWORD_MAX;
    let attempt: String = password.chars().take(super::domain::PASSWORD_MAX).collect();
    let stored = found
        .as_ref()
        .filter(|_| !too_long)
        .map(|(_, hash, _)| hash.clone());
    let password_ok = state.hasher.verify(attempt, stored).await?;
    match found {
        Some((id, _, epoch)) if password_ok => {
            // A successful sign-in does not use up the allowance.
            give_back(&state.db, account_ticket).await?;
            give_back(&state.db, ip_ticket).await?;
            caller.sign_in(id, epoch).await?;
            super::device::issue(id, &state.secret, state.cookie_secure);
            audit::record_db(
                &state.db,
                audit(caller, "accounts.login", Some(id), Some(id), ""),
            )
            .await;
            Ok(id)
        }
        found => {
            account_ticket.keep();
            ip_ticket.keep();
            let subject = found.map(|(id, _, _)| id);
            let detail = if device.is_some() { "device" } else { "" };
            audit::record_db(
                &state.db,
                audit(caller, "accounts.login_failed", None, subject, detail),
            )
            .await;
            Err(AppError::InvalidCredentials { values: Vec::new() }.with_values(&entered))
        }
    }
}

pub async fn logout(caller: &Caller) -> Result<(), AppError> {
    if let Some(user) = &caller.user {
        audit::record_db(
            &caller.state.db,
            audit(caller, "accounts.logout", Some(user.id), Some(user.id), ""),
        )
        .await;
    }
    caller.sign_out().await
}

/// Moves the account's session epoch on, which ends every session signed
/// in before now, on every app server. Returns the new epoch.
async fn bump_epoch(db: &Db, user_id: i64, new_hash: Option<String>) -> Result<i64, AppError> {
    let (epoch,): (i64,) = sqlx::query_as(
        r#"update users
           set session_epoch = session_epoch + 1,
               password_hash = coalesce($2, password_hash),
               updated_at = $3
           where id = $1
           returning session_epoch"#,
    )
    .bind(user_id)
    .bind(new_hash)
    .bind(now())
    .fetch_one(&db.pool)
    .await?;
    Ok(epoch)
}

pub async fn change_password(caller: &Caller, current: &str, new: &str) -> Result<(), AppError> {
    let user = caller.require_user()?;
    let state = &caller.state;
    let mut v = Validator::default();
    if current.is_empty() {
        v.check::<()>("current_password", Err(FieldCode::Required));
    }
    v.check("new_password", check_password(new));
    if !current.is_empty() && current == new {
        v.check::<()>("new_password", Err(FieldCode::PasswordSameAsOld));
    }
    v.finish(&[])?;

    let ticket = limits::take(
        &state.db,
        &format!("password:{}", user.id),
        state.auth.per_account(),
    )
    .await?;
    let (hash,): (String,) = sqlx::query_as(r#"select password_hash from users where id = $1"#)
        .bind(user.id)
        .fetch_one(&state.db.pool)
        .await?;
    let too_long = current.chars().count() > super::domain::PASSWORD_MAX;
    let attempt: String = current.chars().take(super::domain::PASSWORD_MAX).collect();
    let ok = !too_long && state.hasher.verify(attempt, Some(hash)).await?;
    if !ok {
        ticket.keep();
        audit::record_db(
            &state.db,
            audit(
                caller,
                "accounts.password_change_failed",
                Some(user.id),
                Some(user.id),
                "",
            ),
        )
        .await;
        return Err(AppError::field(
            "current_password",
            FieldCode::WrongPassword,
        ));
    }
    give_back(&state.db, ticket).await?;
    let new_hash = state.hasher.hash(new.to_string()).await?;
    let epoch = bump_epoch(&state.db, user.id, Some(new_hash)).await?;
    caller.refresh_epoch(epoch).await?;
    audit::record_db(
        &state.db,
        audit(
            caller,
            "accounts.password_changed",
            Some(user.id),
            Some(user.id),
            "",
        ),
    )
    .await;
    Ok(())
}

pub async fn logout_everywhere(caller: &Caller) -> Result<(), AppError> {
    let user = caller.require_user()?;
    bump_epoch(&caller.state.db, user.id, None).await?;
    audit::record_db(
        &caller.state.db,
        audit(
            caller,
            "accounts.logout_everywhere",
            Some(user.id),
            Some(user.id),
            "",
        ),
    )
    .await;
    caller.sign_out().await
}

pub const PER_PAGE: i64 = 20;

/// id, display name, email, phone, role, created at.
type UserRow = (i64, String, Option<String>, Option<String>, String, i64);

pub async fn list_users(db: &Db, query: &str, page: i64) -> Result<UserPage, AppError> {
    let query: String = query.trim().chars().take(100).collect();
    let page = page.clamp(1, 1_000_000);
    let pattern = like_pattern(&query.to_lowercase());
    // A phone number searched as 08… matches the stored +628….
    let phone_pattern = match query.strip_prefix('0') {
        Some(rest) if !rest.is_empty() => like_pattern(&format!("+62{rest}")),
        _ => pattern.clone(),
    };
    let filter = r#"($1 = '' or lower(display_name) like $2 escape '\' or email like $2 escape '\'
                     or phone like $2 escape '\' or phone like $3 escape '\')"#;
    let (total,): (i64,) = sqlx::query_as(&format!("select count(*) from users where {filter}"))
        .bind(&query)
        .bind(&pattern)
        .bind(&phone_pattern)
        .fetch_one(&db.pool)
        .await?;
    let rows: Vec<UserRow> = sqlx::query_as(&format!(
        "select id, display_name, email, phone, role, created_at from users where {filter}
         order by id limit $4 offset $5"
    ))
    .bind(&query)
    .bind(&pattern)
    .bind(&phone_pattern)
    .bind(PER_PAGE)
    .bind((page - 1) * PER_PAGE)
    .fetch_all(&db.pool)
    .await?;
    let users = rows
        .into_iter()
        .map(
            |(id, display_name, email, phone, role, created_at)| UserSummary {
                id,
                display_name,
                email,
                phone,
                role: Role::parse(&role).unwrap_or(Role::Seller),
                created_at,
            },
        )
        .collect();
    Ok(UserPage {
        users,
        total,
        page,
        per_page: PER_PAGE,
        query,
    })
}

pub async fn set_role(
    caller: &Caller,
    admin_id: i64,
    user_id: i64,
    role: &str,
) -> Result<(), AppError> {
    let Some(role) = Role::parse(role) else {
        return Err(AppError::field("role", FieldCode::InvalidRole));
    };
    if user_id == admin_id {
        return Err(AppError::field("role", FieldCode::OwnRole));
    }
    let db = &caller.state.db;
    // A read-then-write decision ("does an administrator remain?"): the
    // administrators' rows are locked first, in id order (so two changes
    // never wait on each other in a cycle), then the target's. Two
    // administrators demoting each other at the same moment: the second
    // sees the first's change and is refused.
    let mut tx = db.begin_locked().await?;
    let admins: Vec<(i64,)> = sqlx::query_as(&format!(
        "select id from users where role = 'admin' order by id{}",
        db.for_update()
    ))
    .fetch_all(&mut *tx)
    .await?;
    if !admins.iter().any(|(id,)| *id == admin_id) {
        // Demoted by another administrator since this request began.
        return Err(AppError::Forbidden);
    }
    let old: Option<(String,)> = sqlx::query_as(&format!(
        "select role from users where id = $1{}",
        db.for_update()
    ))
    .bind(user_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((old,)) = old else {
        return Err(AppError::NotFound);
    };
    let others = admins.iter().filter(|(id,)| *id != user_id).count();
    if old == Role::Admin.as_str() && role != Role::Admin && others == 0 {
        return Err(AppError::field("role", FieldCode::LastAdmin));
    }
    sqlx::query(r#"update users set role = $1, updated_at = $2 where id = $3"#)
        .bind(role.as_str())
        .bind(now())
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    let detail = format!("{old}->{}", role.as_str());
    audit::record(
        &mut *tx,
        audit(
            caller,
            "accounts.role_changed",
            Some(admin_id),
            Some(user_id),
            &detail,
        ),
    )
    .await;
    tx.commit().await?;
    Ok(())
}
