//! The one error type that crosses the server-function boundary.
//!
//! Every variant carries a stable snake_case code (its serde tag) that the
//! interface translates; nothing from the database or the framework ever
//! reaches the browser as text. Validation errors carry one code per field
//! and the values the user entered (never a password), so a page rendered
//! after a plain form post without JavaScript can show the messages next to
//! their fields and keep what was typed.

use serde::{Deserialize, Serialize};

/// Why one field was refused. Stable codes: the interface translates them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldCode {
    Required,
    InvalidCharacters,
    NameTooShort,
    NameTooLong,
    InvalidEmail,
    InvalidPhone,
    InvalidIdentifier,
    PasswordTooShort,
    PasswordTooLong,
    PasswordCommon,
    PasswordMismatch,
    PasswordSameAsOld,
    WrongPassword,
    EmailTaken,
    PhoneTaken,
    InvalidRole,
    OwnRole,
    /// The change would leave the portal without an administrator.
    LastAdmin,
    /// A mobile number outside the countries messages may be sent to.
    PhoneCountry,
    /// Not six digits.
    InvalidCode,
    /// Six digits, but not the code that was sent.
    WrongCode,
    /// The code or link is older than its lifetime: ask for a new one.
    CodeExpired,
    /// The code or link was already used (or replaced by a newer one).
    CodeUsed,
    /// Five wrong codes: ask for a new one.
    TooManyCodes,
    /// The privacy notice must be accepted to register.
    MustAgree,
    /// The verified address belongs to another account.
    ContactTaken,
    /// The new contact is the one the account already has.
    SameContact,
    /// Not 13 digits.
    InvalidNib,
    /// Another business holds this NIB.
    NibTaken,
    InvalidAmount,
    AmountTooLarge,
    InvalidUrl,
    InvalidYear,
    InvalidNumber,
    TooLong,
    InvalidCountry,
    /// Not a province or regency/city of the official list.
    InvalidRegion,
    /// The regency/city is not in the chosen province.
    RegionMismatch,
    /// Not a KBLI 2020 code of the list.
    InvalidKbli,
    InvalidChoice,
    /// A rejection needs a reason the seller can act on.
    ReasonRequired,
    /// A course or module to complete first.
    PrerequisiteMissing,
    /// Enrol in the course first.
    NotEnrolled,
    /// Every attempt the quiz allows has been used.
    NoAttemptsLeft,
    /// A quiz is submitted with an answer to every question.
    AnswerEveryQuestion,
    /// Not a course address: lowercase letters, digits and dashes.
    InvalidSlug,
    /// Another course has this address.
    SlugTaken,
    /// Already drawn in learners' attempts: kept, so their results stay.
    InUse,
    /// Not publishable yet: every module needs a lesson with text.
    NotReady,
    /// Not a PNG, JPEG or WebP image (whatever the file is called).
    InvalidImage,
    /// More pixels, or more bytes, than an upload may have.
    ImageTooLarge,
    /// Registration for this workshop has closed.
    RegistrationClosed,
    /// Not a date and time, or not one that fits (ends before it starts).
    InvalidDate,
    /// The business profile (domicile, size) is needed first.
    ProfileRequired,
    /// More decimals than the currency's minor unit.
    TooManyDecimals,
    /// Not 4 to 10 digits (dots and spaces between them allowed).
    InvalidHsCode,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub code: FieldCode,
}

/// The application error. The serde tag `code` is the stable wire code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum AppError {
    /// One or more fields were refused (422).
    #[error("invalid input")]
    Invalid {
        fields: Vec<FieldError>,
        /// What the user entered, by field name, passwords excluded.
        values: Vec<(String, String)>,
    },
    /// Unknown account or wrong password: one answer for both (401).
    #[error("invalid credentials")]
    InvalidCredentials { values: Vec<(String, String)> },
    /// Too many attempts (429).
    #[error("too many attempts")]
    RateLimited { minutes: u32 },
    /// Not signed in, or the session ended (401).
    #[error("not signed in")]
    Unauthenticated,
    /// Signed in, but this role may not do this (403).
    #[error("forbidden")]
    Forbidden,
    /// No such thing, or not visible to the caller (404).
    #[error("not found")]
    NotFound,
    /// The request itself was malformed: missing or undecodable arguments (400).
    #[error("bad request")]
    BadRequest,
    /// Someone else changed it first (two staff deciding one item): reload
    /// and look again (409).
    #[error("conflict")]
    Conflict,
    /// The database is briefly unreachable or overloaded: try again in a
    /// moment (503 with `Retry-After`).
    #[error("briefly unavailable")]
    Unavailable,
    /// Something failed on our side; details are in the server log only (500).
    #[error("internal error")]
    Internal,
}

impl AppError {
    /// A validation error for a single field.
    pub fn field(field: &str, code: FieldCode) -> Self {
        AppError::Invalid {
            fields: vec![FieldError {
                field: field.to_string(),
                code,
            }],
            values: Vec::new(),
        }
    }

    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Invalid { .. } => 422,
            AppError::InvalidCredentials { .. } | AppError::Unauthenticated => 401,
            AppError::RateLimited { .. } => 429,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Conflict => 409,
            AppError::BadRequest => 400,
            AppError::Unavailable => 503,
            AppError::Internal => 500,
        }
    }

    /// The stable code, as sent on the wire.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Invalid { .. } => "invalid",
            AppError::InvalidCredentials { .. } => "invalid_credentials",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::Unauthenticated => "unauthenticated",
            AppError::Forbidden => "forbidden",
            AppError::NotFound => "not_found",
            AppError::Conflict => "conflict",
            AppError::BadRequest => "bad_request",
            AppError::Unavailable => "unavailable",
            AppError::Internal => "internal",
        }
    }

    /// The code for one field, if that field was refused.
    pub fn field_code(&self, field: &str) -> Option<FieldCode> {
        match self {
            AppError::Invalid { fields, .. } => {
                fields.iter().find(|f| f.field == field).map(|f| f.code)
            }
            _ => None,
        }
    }

    /// The value the user entered in a field, to show it again.
    pub fn value(&self, field: &str) -> Option<String> {
        match self {
            AppError::Invalid { values, .. } | AppError::InvalidCredentials { values } => values
                .iter()
                .find(|(k, _)| k == field)
                .map(|(_, v)| v.clone()),
            _ => None,
        }
    }

    /// Attaches the entered values (the caller leaves passwords out).
    pub fn with_values(mut self, entered: &[(&str, &str)]) -> Self {
        let kept: Vec<(String, String)> = entered
            .iter()
            .map(|(k, v)| (k.to_string(), v.chars().take(300).collect()))
            .collect();
        match &mut self {
            AppError::Invalid { values, .. } | AppError::InvalidCredentials { values } => {
                *values = kept
            }
            _ => {}
        }
        self
    }
}

/// Collects field errors while validating a form, then yields the parsed
/// values or one [`AppError::Invalid`] naming every bad field at once.
#[derive(Default)]
pub struct Validator {
    fields: Vec<FieldError>,
}

impl Validator {
    pub fn check<T>(&mut self, field: &str, result: Result<T, FieldCode>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(code) => {
                self.fields.push(FieldError {
                    field: field.to_string(),
                    code,
                });
                None
            }
        }
    }

    pub fn finish(self, entered: &[(&str, &str)]) -> Result<(), AppError> {
        if self.fields.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid {
                fields: self.fields,
                values: Vec::new(),
            }
            .with_values(entered))
        }
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr as E;
        match value {
            E::Args(_) | E::MissingArg(_) | E::Deserialization(_) => AppError::BadRequest,
            E::UnsupportedRequestMethod(_) => AppError::BadRequest,
            // Registration, request/response and server errors are ours.
            other => {
                #[cfg(feature = "ssr")]
                tracing::error!(error = %other, "server function failed");
                #[cfg(not(feature = "ssr"))]
                let _ = other;
                AppError::Internal
            }
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        if crate::shared::db::is_unavailable(&err) {
            tracing::warn!(error = %err, "database unavailable");
            return AppError::Unavailable;
        }
        tracing::error!(error = %err, "database error");
        AppError::Internal
    }
}

/// Seconds a client is asked to wait (`Retry-After`) when the database is
/// briefly unavailable.
pub const RETRY_AFTER_SECS: u32 = 5;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_format_has_stable_codes() {
        let err =
            AppError::field("email", FieldCode::EmailTaken).with_values(&[("email", "a@b.id")]);
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(json["code"], "invalid");
        assert_eq!(json["fields"][0]["code"], "email_taken");
        assert_eq!(err.value("email").as_deref(), Some("a@b.id"));
        let back: AppError = serde_json::from_value(json).unwrap();
        assert_eq!(back, err);
        assert_eq!(
            serde_json::to_value(AppError::RateLimited { minutes: 3 }).unwrap()["code"],
            "rate_limited"
        );
    }
}
