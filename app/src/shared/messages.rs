//! Error codes to translated text. The only place codes become words.

use crate::error::{AppError, FieldCode};
use crate::i18n::*;
use crate::shared::session::Role;

pub fn field_message(locale: Locale, code: FieldCode) -> String {
    let s = match code {
        FieldCode::Required => td_string!(locale, errors.required),
        FieldCode::InvalidCharacters => td_string!(locale, errors.invalid_characters),
        FieldCode::NameTooShort => td_string!(locale, errors.name_too_short),
        FieldCode::NameTooLong => td_string!(locale, errors.name_too_long),
        FieldCode::InvalidEmail => td_string!(locale, errors.invalid_email),
        FieldCode::InvalidPhone => td_string!(locale, errors.invalid_phone),
        FieldCode::InvalidIdentifier => td_string!(locale, errors.invalid_identifier),
        FieldCode::PasswordTooShort => td_string!(locale, errors.password_too_short),
        FieldCode::PasswordTooLong => td_string!(locale, errors.password_too_long),
        FieldCode::PasswordCommon => td_string!(locale, errors.password_common),
        FieldCode::PasswordMismatch => td_string!(locale, errors.password_mismatch),
        FieldCode::PasswordSameAsOld => td_string!(locale, errors.password_same_as_old),
        FieldCode::WrongPassword => td_string!(locale, errors.wrong_password),
        FieldCode::EmailTaken => td_string!(locale, errors.email_taken),
        FieldCode::PhoneTaken => td_string!(locale, errors.phone_taken),
        FieldCode::InvalidRole => td_string!(locale, errors.invalid_role),
        FieldCode::OwnRole => td_string!(locale, errors.own_role),
        FieldCode::LastAdmin => td_string!(locale, errors.last_admin),
        FieldCode::PhoneCountry => td_string!(locale, errors.phone_country),
        FieldCode::InvalidCode => td_string!(locale, errors.invalid_code),
        FieldCode::WrongCode => td_string!(locale, errors.wrong_code),
        FieldCode::CodeExpired => td_string!(locale, errors.code_expired),
        FieldCode::CodeUsed => td_string!(locale, errors.code_used),
        FieldCode::TooManyCodes => td_string!(locale, errors.too_many_codes),
        FieldCode::MustAgree => td_string!(locale, errors.must_agree),
        FieldCode::ContactTaken => td_string!(locale, errors.contact_taken),
        FieldCode::SameContact => td_string!(locale, errors.same_contact),
        FieldCode::InvalidNib => td_string!(locale, errors.invalid_nib),
        FieldCode::NibTaken => td_string!(locale, errors.nib_taken),
        FieldCode::InvalidAmount => td_string!(locale, errors.invalid_amount),
        FieldCode::AmountTooLarge => td_string!(locale, errors.amount_too_large),
        FieldCode::InvalidUrl => td_string!(locale, errors.invalid_url),
        FieldCode::InvalidYear => td_string!(locale, errors.invalid_year),
        FieldCode::InvalidNumber => td_string!(locale, errors.invalid_number),
        FieldCode::TooLong => td_string!(locale, errors.too_long),
        FieldCode::InvalidCountry => td_string!(locale, errors.invalid_country),
        FieldCode::InvalidRegion => td_string!(locale, errors.invalid_region),
        FieldCode::RegionMismatch => td_string!(locale, errors.region_mismatch),
        FieldCode::InvalidKbli => td_string!(locale, errors.invalid_kbli),
        FieldCode::InvalidChoice => td_string!(locale, errors.invalid_choice),
        FieldCode::ReasonRequired => td_string!(locale, errors.reason_required),
        FieldCode::PrerequisiteMissing => td_string!(locale, errors.prerequisite_missing),
        FieldCode::NotEnrolled => td_string!(locale, errors.not_enrolled),
        FieldCode::NoAttemptsLeft => td_string!(locale, errors.no_attempts_left),
        FieldCode::AnswerEveryQuestion => td_string!(locale, errors.answer_every_question),
        FieldCode::InvalidSlug => td_string!(locale, errors.invalid_slug),
        FieldCode::SlugTaken => td_string!(locale, errors.slug_taken),
        FieldCode::InUse => td_string!(locale, errors.in_use),
        FieldCode::NotReady => td_string!(locale, errors.not_ready),
        FieldCode::InvalidImage => td_string!(locale, errors.invalid_image),
        FieldCode::ImageTooLarge => td_string!(locale, errors.image_too_large),
        FieldCode::RegistrationClosed => td_string!(locale, errors.registration_closed),
        FieldCode::InvalidDate => td_string!(locale, errors.invalid_date),
        FieldCode::ProfileRequired => td_string!(locale, errors.profile_required),
        FieldCode::TooManyDecimals => td_string!(locale, errors.too_many_decimals),
        FieldCode::InvalidHsCode => td_string!(locale, errors.invalid_hs_code),
    };
    s.to_string()
}

/// The message for the form as a whole (field errors are shown at their
/// fields; this summarises).
pub fn error_message(locale: Locale, err: &AppError) -> String {
    match err {
        AppError::Invalid { .. } => td_string!(locale, errors.invalid).to_string(),
        AppError::InvalidCredentials { .. } => {
            td_string!(locale, errors.invalid_credentials).to_string()
        }
        AppError::RateLimited { minutes } => {
            td_string!(locale, errors.rate_limited, minutes = *minutes).to_string()
        }
        AppError::Unauthenticated => td_string!(locale, errors.unauthenticated).to_string(),
        AppError::Forbidden => td_string!(locale, errors.forbidden).to_string(),
        AppError::NotFound => td_string!(locale, errors.not_found).to_string(),
        AppError::Conflict => td_string!(locale, errors.conflict).to_string(),
        AppError::BadRequest => td_string!(locale, errors.bad_request).to_string(),
        AppError::Unavailable => td_string!(locale, errors.unavailable).to_string(),
        AppError::Internal => td_string!(locale, errors.internal).to_string(),
    }
}

pub fn role_name(locale: Locale, role: Role) -> String {
    let s = match role {
        Role::Seller => td_string!(locale, roles.seller),
        Role::Trainer => td_string!(locale, roles.trainer),
        Role::Staff => td_string!(locale, roles.staff),
        Role::Admin => td_string!(locale, roles.admin),
    };
    s.to_string()
}
