//! Server-only account logic and its queries: registration, login with
//! rate limits, password changes, sessions ended everywhere, the admin's
//! user list and role changes. Server functions in `api.rs` call these
//! after establishing who is calling.

use super::api::{FailedMessage, FailedMessagePage, Purpose, UserPage, UserSummary};
use super::domain::{check_password, parse_display_name, Identifier, PRIVACY_NOTICE_VERSION};
use super::verify;
use crate::error::{AppError, FieldCode, Validator};
use crate::i18n::*;
use crate::shared::audit::{self, Entry};
use crate::shared::db::{is_unique_violation, like_pattern, now, on_unique, Db};
use crate::shared::limits::{self, give_back, Ticket};
use crate::shared::outbound::{self, Channel, NewMessage};
use crate::shared::request_locale;
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

/// A stable pseudonym for an address in the audit log: the first 16
/// characters of its HMAC with `SECRET_KEY`.
pub fn pseudonym(key: &crate::shared::secret::SecretKey, identifier: &str) -> String {
    key.sign("audit-pseudonym", identifier)
        .chars()
        .take(16)
        .collect()
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

/// Starts a registration and returns the verification's handle. No
/// account exists until the code or link is used ([`verify`]), so nobody
/// can hold an address they cannot read. An address that already has an
/// account gets the same answer, after the same work (the password is
/// hashed, a verification row and a message are written), and its owner
/// is told someone tried.
pub async fn register(
    caller: &Caller,
    display_name: &str,
    identifier: &str,
    password: &str,
    agreed: bool,
) -> Result<String, AppError> {
    let entered = [("display_name", display_name), ("identifier", identifier)];
    let mut v = Validator::default();
    let name = v.check("display_name", parse_display_name(display_name));
    let ident = v.check("identifier", Identifier::parse(identifier));
    v.check("password", check_password(password));
    if !agreed {
        v.check::<()>("agree_privacy", Err(FieldCode::MustAgree));
    }
    v.finish(&entered)?;
    let (Some(name), Some(ident)) = (name, ident) else {
        return Err(AppError::Internal);
    };

    let state = caller.state();
    // Taken before the work, whatever its outcome: also a bound on how
    // fast one client can probe addresses.
    limits::take(
        &state.db,
        &format!("register:{}", caller.limit_key),
        state.auth.registrations(),
    )
    .await?
    .keep();
    let channel = verify::channel_of(&ident);
    outbound::admit(
        &state.db,
        &state.costs,
        channel,
        ident.as_str(),
        &caller.limit_key,
        "identifier",
    )
    .await
    .map_err(|e| e.with_values(&entered))?;
    let hash = state.hasher.hash(password.to_string()).await?;
    let locale = request_locale();
    let owner = find_owner(&state.db, &ident).await?;
    let mut tx = state.db.pool.begin().await?;
    let handle = verify::start(
        &mut tx,
        state,
        verify::Start {
            purpose: Purpose::Signup,
            identifier: &ident,
            user_id: None,
            display_name: Some(&name),
            password_hash: Some(&hash),
            locale,
            privacy_version: Some(PRIVACY_NOTICE_VERSION),
            decoy: owner.is_some(),
        },
    )
    .await?;
    if let Some((owner_id, owner_locale)) = owner {
        let to = ident.as_str();
        let link = format!("{}/forgot", state.base_url);
        outbound::enqueue(
            &mut *tx,
            NewMessage {
                channel,
                destination: to,
                locale: owner_locale.as_str(),
                kind: "accounts.signup_taken",
                subject: td_string!(owner_locale, msg.taken_subject),
                body: &td_string!(owner_locale, msg.taken, to = to, link = link).to_string(),
            },
        )
        .await?;
        audit::record(
            &mut *tx,
            audit(caller, "accounts.register_taken", None, Some(owner_id), ""),
        )
        .await?;
    } else {
        audit::record(
            &mut *tx,
            audit(caller, "accounts.register_started", None, None, ""),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(handle)
}

/// The live account holding an address, with its language.
async fn find_owner(db: &Db, identifier: &Identifier) -> Result<Option<(i64, Locale)>, AppError> {
    let column = match identifier {
        Identifier::Email(_) => "email",
        Identifier::Phone(_) => "phone",
    };
    let row: Option<(i64, String)> = sqlx::query_as(&format!(
        "select id, locale from users where {column} = $1 and deleted_at is null"
    ))
    .bind(identifier.as_str())
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|(id, locale)| (id, locale.parse().unwrap_or_default())))
}

fn proof(code: Option<&str>, token: Option<&str>) -> Result<verify::Proof, AppError> {
    match (token.filter(|t| !t.is_empty()), code) {
        (Some(t), _) => Ok(verify::Proof::Token(t.to_string())),
        (None, Some(c)) => verify::Proof::code(c),
        (None, None) => Err(AppError::field("code", FieldCode::Required)),
    }
}

/// Uses a sign-up or new-contact code or link; returns where to go next.
pub async fn verify(
    caller: &Caller,
    handle: &str,
    code: Option<&str>,
    token: Option<&str>,
) -> Result<&'static str, AppError> {
    let entered = [("code", code.unwrap_or(""))];
    let state = caller.state();
    let proof = proof(code, token).map_err(|e| e.with_values(&entered))?;
    match verify::purpose_of(&state.db, handle).await? {
        Some(Purpose::Signup) => {
            let v = verify::consume(&state.db, &state.secret, handle, Purpose::Signup, &proof)
                .await
                .map_err(|e| e.with_values(&entered))?;
            let id = create_verified_account(caller, v).await?;
            caller.sign_in(id, 0).await?;
            super::device::issue(id, &state.secret, state.cookie_secure);
            Ok("/account?welcome=1")
        }
        Some(Purpose::Contact) => {
            let v = verify::consume(&state.db, &state.secret, handle, Purpose::Contact, &proof)
                .await
                .map_err(|e| e.with_values(&entered))?;
            replace_contact(caller, v).await?;
            Ok("/account?contact=1")
        }
        Some(Purpose::Reset) | None => Err(AppError::NotFound),
    }
}

fn contact_columns(channel: Channel, destination: &str) -> (Option<&str>, Option<&str>) {
    match channel {
        Channel::Email => (Some(destination), None),
        Channel::Sms => (None, Some(destination)),
    }
}

async fn create_verified_account(caller: &Caller, v: verify::Verified) -> Result<i64, AppError> {
    let state = caller.state();
    let (Some(name), Some(hash)) = (v.display_name, v.password_hash) else {
        return Err(AppError::Internal);
    };
    let (email, phone) = contact_columns(v.channel, &v.destination);
    let at = now();
    let mut tx = state.db.pool.begin().await?;
    let inserted: Result<(i64,), sqlx::Error> = sqlx::query_as(
        r#"insert into users (display_name, email, phone, password_hash, role, session_epoch,
                              created_at, updated_at, locale, privacy_version, privacy_agreed_at)
           values ($1, $2, $3, $4, 'seller', 0, $5, $5, $6, $7, $5)
           returning id"#,
    )
    .bind(&name)
    .bind(email)
    .bind(phone)
    .bind(&hash)
    .bind(at)
    .bind(v.locale.as_str())
    .bind(v.privacy_version.as_deref())
    .fetch_one(&mut *tx)
    .await;
    // The address got an account since the code was sent.
    let (id,) = inserted.map_err(on_unique("code", FieldCode::ContactTaken))?;
    audit::record(
        &mut *tx,
        audit(caller, "accounts.register", Some(id), Some(id), ""),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Puts a verified new contact on the account and tells the old one.
async fn replace_contact(caller: &Caller, v: verify::Verified) -> Result<(), AppError> {
    let state = caller.state();
    let uid = v.user_id.ok_or(AppError::Internal)?;
    let mut tx = state.db.begin_locked().await?;
    let row: Option<(Option<String>, Option<String>, String)> = sqlx::query_as(&format!(
        "select email, phone, locale from users where id = $1 and deleted_at is null{}",
        state.db.for_update()
    ))
    .bind(uid)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((old_email, old_phone, locale)) = row else {
        return Err(AppError::NotFound);
    };
    let locale: Locale = locale.parse().unwrap_or_default();
    let column = match v.channel {
        Channel::Email => "email",
        Channel::Sms => "phone",
    };
    let updated = sqlx::query(&format!(
        "update users set {column} = $1, updated_at = $2 where id = $3"
    ))
    .bind(&v.destination)
    .bind(now())
    .bind(uid)
    .execute(&mut *tx)
    .await;
    updated.map_err(on_unique("code", FieldCode::ContactTaken))?;
    // The old contact of the same kind, else the other one, is told.
    let old = match v.channel {
        Channel::Email => old_email
            .map(|e| (Channel::Email, e))
            .or(old_phone.map(|p| (Channel::Sms, p))),
        Channel::Sms => old_phone
            .map(|p| (Channel::Sms, p))
            .or(old_email.map(|e| (Channel::Email, e))),
    };
    if let Some((channel, destination)) = old.filter(|(_, d)| *d != v.destination) {
        outbound::enqueue(
            &mut *tx,
            NewMessage {
                channel,
                destination: &destination,
                locale: locale.as_str(),
                kind: "accounts.contact_changed",
                subject: td_string!(locale, msg.contact_changed_subject),
                body: &td_string!(
                    locale,
                    msg.contact_changed,
                    to = verify::mask(&v.destination)
                )
                .to_string(),
            },
        )
        .await?;
    }
    audit::record(
        &mut *tx,
        audit(
            caller,
            "accounts.contact_changed",
            caller.user.as_ref().map(|u| u.id),
            Some(uid),
            column,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Starts a password reset; returns the handle. An address without an
/// account gets a decoy: the same answer after the same writes, and no
/// message.
pub async fn forgot(caller: &Caller, identifier: &str) -> Result<String, AppError> {
    let entered = [("identifier", identifier)];
    let mut v = Validator::default();
    let ident = v.check("identifier", Identifier::parse(identifier));
    v.finish(&entered)?;
    let Some(ident) = ident else {
        return Err(AppError::Internal);
    };
    let state = caller.state();
    limits::take(
        &state.db,
        &format!("forgot:{}", caller.limit_key),
        state.auth.registrations(),
    )
    .await?
    .keep();
    outbound::admit(
        &state.db,
        &state.costs,
        verify::channel_of(&ident),
        ident.as_str(),
        &caller.limit_key,
        "identifier",
    )
    .await
    .map_err(|e| e.with_values(&entered))?;
    let owner = find_owner(&state.db, &ident).await?;
    let mut tx = state.db.pool.begin().await?;
    let handle = verify::start(
        &mut tx,
        state,
        verify::Start {
            purpose: Purpose::Reset,
            identifier: &ident,
            user_id: owner.as_ref().map(|(id, _)| *id),
            display_name: None,
            password_hash: None,
            locale: owner
                .as_ref()
                .map(|(_, l)| *l)
                .unwrap_or_else(request_locale),
            privacy_version: None,
            decoy: owner.is_none(),
        },
    )
    .await?;
    audit::record(
        &mut *tx,
        audit(
            caller,
            "accounts.reset_requested",
            None,
            owner.as_ref().map(|(id, _)| *id),
            "",
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(handle)
}

/// Sets a new password with a reset code or link: every other session
/// ends (the epoch moves on), this browser is signed in and becomes a
/// known browser of the account, and the owner is told.
pub async fn reset(
    caller: &Caller,
    handle: &str,
    code: Option<&str>,
    token: Option<&str>,
    new_password: &str,
) -> Result<i64, AppError> {
    let entered = [("code", code.unwrap_or(""))];
    let mut v = Validator::default();
    v.check("new_password", check_password(new_password));
    v.finish(&entered)?;
    let state = caller.state();
    let proof = proof(code, token).map_err(|e| e.with_values(&entered))?;
    // Hashed before the code is used: a code is never spent on a request
    // that then fails for being busy.
    let hash = state.hasher.hash(new_password.to_string()).await?;
    let v = verify::consume(&state.db, &state.secret, handle, Purpose::Reset, &proof)
        .await
        .map_err(|e| e.with_values(&entered))?;
    let uid = v.user_id.ok_or(AppError::Internal)?;
    let mut tx = state.db.pool.begin().await?;
    let row: Option<(i64, String)> = sqlx::query_as(
        r#"update users
           set session_epoch = session_epoch + 1, password_hash = $1, updated_at = $2
           where id = $3 and deleted_at is null
           returning session_epoch, locale"#,
    )
    .bind(&hash)
    .bind(now())
    .bind(uid)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((epoch, locale)) = row else {
        return Err(AppError::NotFound);
    };
    let locale: Locale = locale.parse().unwrap_or_default();
    // Any other reset code for the account stops working.
    sqlx::query(
        r#"update verifications set used_at = $1
           where user_id = $2 and purpose = 'reset' and used_at is null"#,
    )
    .bind(now())
    .bind(uid)
    .execute(&mut *tx)
    .await?;
    let link = format!("{}/forgot", state.base_url);
    outbound::enqueue(
        &mut *tx,
        NewMessage {
            channel: v.channel,
            destination: &v.destination,
            locale: locale.as_str(),
            kind: "accounts.password_reset",
            subject: td_string!(locale, msg.reset_done_subject),
            body: &td_string!(locale, msg.reset_done, link = link).to_string(),
        },
    )
    .await?;
    audit::record(
        &mut *tx,
        audit(caller, "accounts.password_reset", Some(uid), Some(uid), ""),
    )
    .await?;
    tx.commit().await?;
    caller.sign_in(uid, epoch).await?;
    super::device::issue(uid, &state.secret, state.cookie_secure);
    Ok(uid)
}

/// Checks the signed-in user's password for a sensitive change, within the
/// per-account password limit. A wrong one is an error on `field`.
async fn confirm_password(
    caller: &Caller,
    user_id: i64,
    password: &str,
    field: &str,
) -> Result<(), AppError> {
    let state = caller.state();
    if password.is_empty() {
        return Err(AppError::field(field, FieldCode::Required));
    }
    let ticket = limits::take(
        &state.db,
        &format!("password:{user_id}"),
        state.auth.per_account(),
    )
    .await?;
    let (hash,): (String,) = sqlx::query_as(r#"select password_hash from users where id = $1"#)
        .bind(user_id)
        .fetch_one(&state.db.pool)
        .await?;
    let too_long = password.chars().count() > super::domain::PASSWORD_MAX;
    let attempt: String = password.chars().take(super::domain::PASSWORD_MAX).collect();
    if too_long || !state.hasher.verify(attempt, Some(hash)).await? {
        ticket.keep();
        return Err(AppError::field(field, FieldCode::WrongPassword));
    }
    give_back(&state.db, ticket).await
}

/// Sends a code or link to a new contact; returns the handle.
pub async fn change_contact(
    caller: &Caller,
    new_contact: &str,
    password: &str,
) -> Result<String, AppError> {
    let user = caller.require_user()?;
    let state = caller.state();
    let entered = [("new_contact", new_contact)];
    let mut v = Validator::default();
    let ident = v.check("new_contact", Identifier::parse(new_contact));
    if password.is_empty() {
        v.check::<()>("contact_password", Err(FieldCode::Required));
    }
    v.finish(&entered)?;
    let Some(ident) = ident else {
        return Err(AppError::Internal);
    };
    let current = match &ident {
        Identifier::Email(_) => user.email.as_deref(),
        Identifier::Phone(_) => user.phone.as_deref(),
    };
    if current == Some(ident.as_str()) {
        return Err(AppError::field("new_contact", FieldCode::SameContact).with_values(&entered));
    }
    confirm_password(caller, user.id, password, "contact_password")
        .await
        .map_err(|e| e.with_values(&entered))?;
    outbound::admit(
        &state.db,
        &state.costs,
        verify::channel_of(&ident),
        ident.as_str(),
        &caller.limit_key,
        "new_contact",
    )
    .await
    .map_err(|e| e.with_values(&entered))?;
    let (locale,): (String,) = sqlx::query_as("select locale from users where id = $1")
        .bind(user.id)
        .fetch_one(&state.db.pool)
        .await?;
    let mut tx = state.db.pool.begin().await?;
    let handle = verify::start(
        &mut tx,
        state,
        verify::Start {
            purpose: Purpose::Contact,
            identifier: &ident,
            user_id: Some(user.id),
            display_name: None,
            password_hash: None,
            locale: locale.parse().unwrap_or_default(),
            privacy_version: None,
            decoy: false,
        },
    )
    .await?;
    audit::record(
        &mut *tx,
        audit(
            caller,
            "accounts.contact_change_requested",
            Some(user.id),
            Some(user.id),
            "",
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(handle)
}

/// Deletes the signed-in account (see [`crate::data_rights`]): confirmed
/// with the password; the last administrator cannot.
pub async fn delete_account(caller: &Caller, password: &str) -> Result<(), AppError> {
    let user = caller.require_user()?;
    let state = caller.state();
    confirm_password(caller, user.id, password, "delete_password").await?;
    let db = &state.db;
    // A read-then-write decision, like a role change: the administrators'
    // rows are locked first, in id order.
    let mut tx = db.begin_locked().await?;
    let admins: Vec<(i64,)> = sqlx::query_as(&format!(
        "select id from users where role = 'admin' and deleted_at is null order by id{}",
        db.for_update()
    ))
    .fetch_all(&mut *tx)
    .await?;
    if admins.iter().any(|(id,)| *id == user.id) && admins.len() == 1 {
        return Err(AppError::field("delete_password", FieldCode::LastAdmin));
    }
    crate::data_rights::erase(&mut tx, db, user.id).await?;
    audit::record(
        &mut *tx,
        audit(caller, "accounts.deleted", None, Some(user.id), ""),
    )
    .await?;
    tx.commit().await?;
    caller.sign_out().await
}

/// Takes a login attempt from both of its limits, or gives the first back
/// and answers 429 (with an audit entry naming the limit).
async fn take_login_attempt(
    caller: &Caller,
    account_key: &str,
) -> Result<(Ticket, Ticket), AppError> {
    let state = caller.state();
    let s = &state.auth;
    let ip_key = format!("ip:{}", caller.limit_key);
    async fn limited(caller: &Caller, key: &str) {
        // The audit log never holds an address: the identifier becomes a
        // keyed pseudonym (the same address gives the same one, so
        // repeated attacks on one account still show as such).
        let detail = match key.strip_prefix("acct:") {
            Some(identifier) => format!("acct:~{}", pseudonym(&caller.state().secret, identifier)),
            None => key.to_string(),
        };
        audit::record_db(
            &caller.state().db,
            audit(caller, "accounts.login_limited", None, None, &detail),
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

    let state = caller.state();
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
            &caller.state().db,
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
    let state = caller.state();
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
    bump_epoch(&caller.state().db, user.id, None).await?;
    audit::record_db(
        &caller.state().db,
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
    let filter = r#"deleted_at is null
                    and ($1 = '' or lower(display_name) like $2 escape '\' or email like $2 escape '\'
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
        .map(|(id, display_name, email, phone, role, created_at)| {
            let Some(role) = Role::parse(&role) else {
                tracing::error!(user = id, role, "unknown role in the database");
                return Err(AppError::Internal);
            };
            Ok(UserSummary {
                id,
                display_name,
                email,
                phone,
                role,
                created_at,
            })
        })
        .collect::<Result<_, _>>()?;
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
    role: Role,
) -> Result<(), AppError> {
    if user_id == admin_id {
        return Err(AppError::field("role", FieldCode::OwnRole));
    }
    let db = &caller.state().db;
    // A read-then-write decision ("does an administrator remain?"): the
    // administrators' rows are locked first, in id order (so two changes
    // never wait on each other in a cycle), then the target's. Two
    // administrators demoting each other at the same moment: the second
    // sees the first's change and is refused.
    let mut tx = db.begin_locked().await?;
    let admins: Vec<(i64,)> = sqlx::query_as(&format!(
        "select id from users where role = 'admin' and deleted_at is null order by id{}",
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
    .await?;
    tx.commit().await?;
    Ok(())
}

/// id, channel, destination, kind, attempts, last error, created at.
type FailedRow = (i64, String, String, String, i64, Option<String>, i64);

/// Messages marked failed, newest first, destinations masked.
pub async fn failed_messages(db: &Db, page: i64) -> Result<FailedMessagePage, AppError> {
    let page = page.clamp(1, 1_000_000);
    let (total,): (i64,) = sqlx::query_as("select count(*) from messages where status = 'failed'")
        .fetch_one(&db.pool)
        .await?;
    let rows: Vec<FailedRow> = sqlx::query_as(
        r#"select id, channel, destination, kind, attempts, last_error, created_at
           from messages where status = 'failed' order by id desc limit $1 offset $2"#,
    )
    .bind(PER_PAGE)
    .bind((page - 1) * PER_PAGE)
    .fetch_all(&db.pool)
    .await?;
    Ok(FailedMessagePage {
        messages: rows
            .into_iter()
            .map(
                |(id, channel, destination, kind, attempts, last_error, created_at)| {
                    FailedMessage {
                        id,
                        channel,
                        to: verify::mask(&destination),
                        kind,
                        attempts,
                        last_error: last_error.unwrap_or_default(),
                        created_at,
                    }
                },
            )
            .collect(),
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// Queues a failed message again, with a fresh set of attempts.
pub async fn retry_message(caller: &Caller, admin_id: i64, id: i64) -> Result<(), AppError> {
    let db = &caller.state().db;
    let updated = sqlx::query(
        r#"update messages set status = 'queued', attempts = 0, next_attempt_at = $1,
                  lease_until = null
           where id = $2 and status = 'failed'"#,
    )
    .bind(now())
    .bind(id)
    .execute(&db.pool)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    audit::record_db(
        db,
        audit(
            caller,
            "messages.retried",
            Some(admin_id),
            None,
            &id.to_string(),
        ),
    )
    .await;
    Ok(())
}
