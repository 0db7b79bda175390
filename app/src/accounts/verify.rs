//! Codes and links that prove a person holds an email address or a mobile
//! number: for a sign-up, a password reset, or a new contact on an account.
//!
//! A mobile number gets a 6-digit code (10 minutes), an email address a
//! link (24 hours). Both are random and stored only as an HMAC-SHA256 with
//! `SECRET_KEY` under the verification's random handle: a plain hash of a
//! 6-digit code would be reversed in milliseconds. Using one is a single
//! atomic statement that counts the try and marks the row used when the
//! code matches, so of any number of simultaneous tries at most five are
//! judged and at most one succeeds. A re-send replaces the code (the old
//! one stops working) and is limited per handle, per account and, through
//! [`outbound::admit`], per destination.
//!
//! A decoy is a verification that answers exactly like a real one but for
//! which nothing was sent and nothing can succeed: registering an address
//! that already has an account, or asking to reset the password of an
//! address that has none, looks the same from outside as the real thing.

use super::api::Purpose;
use super::domain::Identifier;
use crate::error::{AppError, FieldCode};
use crate::i18n::*;
use crate::shared::db::{now, Db};
use crate::shared::limits::{self, Limit};
use crate::shared::outbound::{self, Channel, NewMessage};
use crate::shared::secret::{random_hex, SecretKey};
use crate::shared::state::AppState;

/// How long a code sent by SMS/WhatsApp is valid.
pub const CODE_SECS: i64 = 10 * 60;
/// How long a link sent by email is valid.
pub const LINK_SECS: i64 = 24 * 3600;
/// Tries (wrong codes included) before a code is spent.
pub const MAX_TRIES: i64 = 5;
/// Re-sends per verification per hour.
const RESENDS_PER_HANDLE: Limit = Limit {
    max: 3,
    window_secs: 3600,
};
/// Re-sends per account per hour (resets and contact changes).
const RESENDS_PER_ACCOUNT: Limit = Limit {
    max: 6,
    window_secs: 3600,
};

pub fn channel_of(identifier: &Identifier) -> Channel {
    match identifier {
        Identifier::Email(_) => Channel::Email,
        Identifier::Phone(_) => Channel::Sms,
    }
}

fn channel_from(text: &str) -> Channel {
    if text == Channel::Email.as_str() {
        Channel::Email
    } else {
        Channel::Sms
    }
}

fn lifetime(channel: Channel) -> i64 {
    match channel {
        Channel::Email => LINK_SECS,
        Channel::Sms => CODE_SECS,
    }
}

/// A new code (six digits, uniform) or link token (256 bits).
fn new_secret(channel: Channel) -> String {
    match channel {
        Channel::Sms => {
            use rand::Rng;
            format!("{:06}", rand::rngs::OsRng.gen_range(0..1_000_000u32))
        }
        Channel::Email => format!("{}{}", random_hex(), random_hex()),
    }
}

fn secret_hash(key: &SecretKey, handle: &str, secret: &str) -> String {
    key.sign("verification", &format!("{handle}:{secret}"))
}

/// A handle as we make them: 32 lowercase hex digits.
pub fn is_handle(handle: &str) -> bool {
    handle.len() == 32
        && handle
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn locale_of(text: &str) -> Locale {
    text.parse().unwrap_or_default()
}

/// The message carrying a code or link, in the recipient's language.
fn message_text(
    state: &AppState,
    purpose: Purpose,
    channel: Channel,
    locale: Locale,
    handle: &str,
    secret: &str,
    name: &str,
) -> (String, String) {
    let page = match purpose {
        Purpose::Reset => "reset",
        Purpose::Signup | Purpose::Contact => "verify",
    };
    let link = format!("{}/{page}?v={handle}&t={secret}", state.base_url);
    let code = secret;
    let (subject, body) = match (purpose, channel) {
        (Purpose::Signup, Channel::Sms) => (
            td_string!(locale, msg.code_subject).to_string(),
            td_string!(locale, msg.signup_code, code = code).to_string(),
        ),
        (Purpose::Signup, Channel::Email) => (
            td_string!(locale, msg.signup_link_subject).to_string(),
            td_string!(locale, msg.signup_link, name = name, link = link).to_string(),
        ),
        (Purpose::Reset, Channel::Sms) => (
            td_string!(locale, msg.code_subject).to_string(),
            td_string!(locale, msg.reset_code, code = code).to_string(),
        ),
        (Purpose::Reset, Channel::Email) => (
            td_string!(locale, msg.reset_link_subject).to_string(),
            td_string!(locale, msg.reset_link, link = link).to_string(),
        ),
        (Purpose::Contact, Channel::Sms) => (
            td_string!(locale, msg.code_subject).to_string(),
            td_string!(locale, msg.contact_code, code = code).to_string(),
        ),
        (Purpose::Contact, Channel::Email) => (
            td_string!(locale, msg.contact_link_subject).to_string(),
            td_string!(locale, msg.contact_link, link = link).to_string(),
        ),
    };
    (subject, body)
}

/// What a new verification is for and about.
pub struct Start<'a> {
    pub purpose: Purpose,
    pub identifier: &'a Identifier,
    pub user_id: Option<i64>,
    pub display_name: Option<&'a str>,
    pub password_hash: Option<&'a str>,
    pub locale: Locale,
    pub privacy_version: Option<&'a str>,
    /// Answer like a real one, send nothing, never succeed.
    pub decoy: bool,
}

/// Creates a verification and queues its message, in the caller's
/// transaction. Returns the handle.
pub async fn start(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    state: &AppState,
    s: Start<'_>,
) -> Result<String, AppError> {
    let handle = random_hex();
    let channel = channel_of(s.identifier);
    let secret = new_secret(channel);
    let at = now();
    sqlx::query(
        r#"insert into verifications (id, purpose, channel, destination, user_id, display_name,
                                      password_hash, locale, privacy_version, secret_hash,
                                      attempts, decoy, expires_at, created_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11, $12, $13)"#,
    )
    .bind(&handle)
    .bind(s.purpose.as_str())
    .bind(channel.as_str())
    .bind(s.identifier.as_str())
    .bind(s.user_id)
    .bind(s.display_name)
    .bind(s.password_hash)
    .bind(s.locale.as_str())
    .bind(s.privacy_version)
    .bind(secret_hash(&state.secret, &handle, &secret))
    .bind(i64::from(s.decoy))
    .bind(at + lifetime(channel))
    .bind(at)
    .execute(&mut **tx)
    .await?;
    if !s.decoy {
        let (subject, body) = message_text(
            state,
            s.purpose,
            channel,
            s.locale,
            &handle,
            &secret,
            s.display_name.unwrap_or(""),
        );
        outbound::enqueue(
            &mut **tx,
            NewMessage {
                channel,
                destination: s.identifier.as_str(),
                locale: s.locale.as_str(),
                kind: s.purpose.message_kind(),
                subject: &subject,
                body: &body,
            },
        )
        .await?;
    }
    Ok(handle)
}

/// What the person presents: the code they typed, or the link's token.
pub enum Proof {
    Code(String),
    Token(String),
}

impl Proof {
    /// The code with spaces and dashes removed, or an error on `code`.
    pub fn code(input: &str) -> Result<Proof, AppError> {
        super::domain::parse_code(input)
            .map(Proof::Code)
            .map_err(|code| AppError::field("code", code))
    }

    fn secret(&self) -> &str {
        match self {
            Proof::Code(s) | Proof::Token(s) => s,
        }
    }
}

/// A verification that succeeded.
#[derive(Debug)]
pub struct Verified {
    pub channel: Channel,
    pub destination: String,
    pub user_id: Option<i64>,
    pub display_name: Option<String>,
    pub password_hash: Option<String>,
    pub locale: Locale,
    pub privacy_version: Option<String>,
}

/// used_at, attempts, channel, destination, user_id, display_name,
/// password_hash, locale, privacy_version.
type ConsumedRow = (
    Option<i64>,
    i64,
    String,
    String,
    Option<i64>,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
);

/// The purpose of a verification, if the handle is one.
pub async fn purpose_of(db: &Db, handle: &str) -> Result<Option<Purpose>, AppError> {
    if !is_handle(handle) {
        return Ok(None);
    }
    let row: Option<(String,)> = sqlx::query_as("select purpose from verifications where id = $1")
        .bind(handle)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.and_then(|(p,)| Purpose::parse(&p)))
}

/// Uses a verification: one statement counts the try and, when the proof
/// matches, marks it used. Errors are on the `code` field.
pub async fn consume(
    db: &Db,
    key: &SecretKey,
    handle: &str,
    purpose: Purpose,
    proof: &Proof,
) -> Result<Verified, AppError> {
    if !is_handle(handle) {
        return Err(AppError::NotFound);
    }
    if proof.secret().len() > 128 {
        return Err(AppError::field("code", FieldCode::WrongCode));
    }
    let at = now();
    let row: Option<ConsumedRow> = sqlx::query_as(
        r#"update verifications
           set attempts = attempts + 1,
               used_at = case when secret_hash = $2 and decoy = 0 then $3 else used_at end
           where id = $1 and purpose = $4 and used_at is null and attempts < $5
             and expires_at > $3
           returning used_at, attempts, channel, destination, user_id, display_name,
                     password_hash, locale, privacy_version"#,
    )
    .bind(handle)
    .bind(secret_hash(key, handle, proof.secret()))
    .bind(at)
    .bind(purpose.as_str())
    .bind(MAX_TRIES)
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else {
        return Err(why_not(db, handle, purpose, at).await?);
    };
    let (used_at, _, channel, destination, user_id, display_name, password_hash, locale, pv) = row;
    if used_at.is_none() {
        return Err(AppError::field("code", FieldCode::WrongCode));
    }
    Ok(Verified {
        channel: channel_from(&channel),
        destination,
        user_id,
        display_name,
        password_hash,
        locale: locale_of(&locale),
        privacy_version: pv,
    })
}

/// Why a verification could not be tried (read after the atomic statement
/// refused it, only to choose the message).
async fn why_not(db: &Db, handle: &str, purpose: Purpose, at: i64) -> Result<AppError, AppError> {
    let row: Option<(Option<i64>, i64, i64)> = sqlx::query_as(
        "select used_at, attempts, expires_at from verifications where id = $1 and purpose = $2",
    )
    .bind(handle)
    .bind(purpose.as_str())
    .fetch_optional(&db.pool)
    .await?;
    let code = match row {
        None => return Ok(AppError::NotFound),
        Some((Some(_), _, _)) => FieldCode::CodeUsed,
        Some((None, attempts, _)) if attempts >= MAX_TRIES => FieldCode::TooManyCodes,
        Some((None, _, expires_at)) if expires_at <= at => FieldCode::CodeExpired,
        Some(_) => FieldCode::CodeUsed,
    };
    Ok(AppError::field("code", code))
}

/// channel, destination, user_id, display_name, locale, decoy, used_at.
type ResendRow = (
    String,
    String,
    Option<i64>,
    Option<String>,
    String,
    i64,
    Option<i64>,
);

/// Sends a new code or link for a verification not yet used; the old one
/// stops working. Limited per handle, per account and per destination.
pub async fn resend(state: &AppState, client_key: &str, handle: &str) -> Result<Purpose, AppError> {
    let Some(purpose) = purpose_of(&state.db, handle).await? else {
        return Err(AppError::NotFound);
    };
    let row: Option<ResendRow> = sqlx::query_as(
        r#"select channel, destination, user_id, display_name, locale, decoy, used_at
           from verifications where id = $1"#,
    )
    .bind(handle)
    .fetch_optional(&state.db.pool)
    .await?;
    let Some((channel, destination, user_id, name, locale, decoy, used_at)) = row else {
        return Err(AppError::NotFound);
    };
    if used_at.is_some() {
        return Err(AppError::field("code", FieldCode::CodeUsed));
    }
    let channel = channel_from(&channel);
    limits::take(&state.db, &format!("resend:{handle}"), RESENDS_PER_HANDLE)
        .await?
        .keep();
    if let Some(uid) = user_id {
        limits::take(
            &state.db,
            &format!("resend-user:{uid}"),
            RESENDS_PER_ACCOUNT,
        )
        .await?
        .keep();
    }
    outbound::admit(
        &state.db,
        &state.costs,
        channel,
        &destination,
        client_key,
        "code",
    )
    .await?;
    let secret = new_secret(channel);
    let at = now();
    let mut tx = state.db.pool.begin().await?;
    let updated = sqlx::query(
        r#"update verifications set secret_hash = $1, attempts = 0, expires_at = $2
           where id = $3 and used_at is null"#,
    )
    .bind(secret_hash(&state.secret, handle, &secret))
    .bind(at + lifetime(channel))
    .bind(handle)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(AppError::field("code", FieldCode::CodeUsed));
    }
    if decoy == 0 {
        let locale = locale_of(&locale);
        let (subject, body) = message_text(
            state,
            purpose,
            channel,
            locale,
            handle,
            &secret,
            name.as_deref().unwrap_or(""),
        );
        outbound::enqueue(
            &mut *tx,
            NewMessage {
                channel,
                destination: &destination,
                locale: locale.as_str(),
                kind: purpose.message_kind(),
                subject: &subject,
                body: &body,
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(purpose)
}

/// What the verification page shows: never the code, and the destination
/// only masked.
pub async fn view(db: &Db, handle: &str) -> Result<Option<super::api::VerificationView>, AppError> {
    if !is_handle(handle) {
        return Ok(None);
    }
    let row: Option<(String, String, String)> =
        sqlx::query_as("select purpose, channel, destination from verifications where id = $1")
            .bind(handle)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.and_then(|(purpose, channel, destination)| {
        Some(super::api::VerificationView {
            purpose: Purpose::parse(&purpose)?,
            by_code: channel_from(&channel) == Channel::Sms,
            to: mask(&destination),
        })
    }))
}

/// `sari@contoh.id` → `s•••@contoh.id`; `+6281234567890` → `+62812•••••890`.
pub fn mask(destination: &str) -> String {
    if let Some((local, domain)) = destination.split_once('@') {
        let first: String = local.chars().take(1).collect();
        return format!("{first}•••@{domain}");
    }
    let chars: Vec<char> = destination.chars().collect();
    if chars.len() <= 8 {
        return "•••".to_string();
    }
    let head: String = chars[..6].iter().collect();
    let tail: String = chars[chars.len() - 3..].iter().collect();
    format!("{head}•••••{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_and_tokens_long() {
        for _ in 0..200 {
            let code = new_secret(Channel::Sms);
            assert_eq!(code.len(), 6);
            assert!(code.bytes().all(|b| b.is_ascii_digit()));
        }
        assert_eq!(new_secret(Channel::Email).len(), 64);
        assert!(is_handle(&random_hex()));
        assert!(!is_handle("../etc"));
    }

    #[test]
    fn codes_are_normalised_or_refused() {
        assert!(matches!(Proof::code(" 123 456 "), Ok(Proof::Code(c)) if c == "123456"));
        assert!(matches!(Proof::code("123-456"), Ok(Proof::Code(c)) if c == "123456"));
        for bad in ["12345", "1234567", "12a456", "１２３４５６"] {
            assert_eq!(
                Proof::code(bad).err().and_then(|e| e.field_code("code")),
                Some(FieldCode::InvalidCode),
                "{bad}"
            );
        }
    }

    #[test]
    fn stored_hashes_depend_on_key_handle_and_code() {
        let key = SecretKey::generate();
        let a = secret_hash(&key, "h1", "123456");
        assert_eq!(a, secret_hash(&key, "h1", "123456"));
        assert_ne!(a, secret_hash(&key, "h2", "123456"));
        assert_ne!(a, secret_hash(&key, "h1", "123457"));
        assert_ne!(a, secret_hash(&SecretKey::generate(), "h1", "123456"));
        assert!(!a.contains("123456"));
    }

    #[test]
    fn destinations_are_masked() {
        assert_eq!(mask("sari@contoh.id"), "s•••@contoh.id");
        assert_eq!(mask("+6281234567890"), "+62812•••••890");
    }
}
