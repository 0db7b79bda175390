//! Every rule a form field runs in the browser as the person types, by
//! name: the one registry of them (like `data_rights` for personal data).
//! A feature adds a variant calling its pure `domain` function, the same
//! one its server code applies, and lists the codes the rule can give so
//! their translations travel with the field.

use crate::accounts::domain as accounts;
use crate::error::FieldCode;
use crate::profile::domain as profile;

/// The rules the browser runs as the user types (an island's prop names
/// one; a plain `fn` pointer cannot travel to the browser).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Check {
    DisplayName,
    Identifier,
    /// Anything but empty (the current password at sign-in).
    Present,
    /// A new password's length (the common-password list stays on the
    /// server).
    NewPassword,
    /// A six-digit verification code.
    Code,
    /// Any text (the server checks length and characters).
    Optional,
    /// A required short text.
    Name,
    /// An NIB: 13 digits, or empty.
    Nib,
    /// An Indonesian mobile number, or empty.
    Mobile,
    /// Rupiah as people write them, or empty.
    Rupiah,
    /// An http(s) address, or empty.
    Url,
    /// A year (1900 to this year, checked on the server), or empty.
    Year,
    /// A whole number of people, or empty.
    Count,
}

impl Check {
    pub fn run(self, input: &str) -> Result<(), FieldCode> {
        match self {
            Check::DisplayName => accounts::parse_display_name(input).map(|_| ()),
            Check::Identifier => accounts::Identifier::parse(input).map(|_| ()),
            Check::Present if input.is_empty() => Err(FieldCode::Required),
            Check::Present => Ok(()),
            Check::NewPassword => accounts::check_password_shape(input),
            Check::Code => accounts::parse_code(input).map(|_| ()),
            Check::Optional => Ok(()),
            Check::Name if input.trim().is_empty() => Err(FieldCode::Required),
            Check::Name => Ok(()),
            Check::Nib => profile::parse_nib(input).map(|_| ()),
            Check::Mobile if input.trim().is_empty() => Ok(()),
            Check::Mobile => accounts::parse_phone(input).map(|_| ()),
            Check::Rupiah => profile::parse_rupiah(input).map(|_| ()),
            Check::Url => profile::parse_url(input).map(|_| ()),
            Check::Year => profile::parse_year(input, 9999).map(|_| ()),
            Check::Count => profile::parse_count(input).map(|_| ()),
        }
    }

    /// The rule as a plain function, for [`crate::shared::forms::Field`].
    pub fn rule(self) -> crate::shared::forms::Rule {
        match self {
            Check::DisplayName => |s| Check::DisplayName.run(s),
            Check::Identifier => |s| Check::Identifier.run(s),
            Check::Present => |s| Check::Present.run(s),
            Check::NewPassword => |s| Check::NewPassword.run(s),
            Check::Code => |s| Check::Code.run(s),
            Check::Optional => |s| Check::Optional.run(s),
            Check::Name => |s| Check::Name.run(s),
            Check::Nib => |s| Check::Nib.run(s),
            Check::Mobile => |s| Check::Mobile.run(s),
            Check::Rupiah => |s| Check::Rupiah.run(s),
            Check::Url => |s| Check::Url.run(s),
            Check::Year => |s| Check::Year.run(s),
            Check::Count => |s| Check::Count.run(s),
        }
    }

    /// Every code the rule can give, so their translations travel with it.
    pub fn codes(self) -> &'static [FieldCode] {
        match self {
            Check::DisplayName => &[
                FieldCode::Required,
                FieldCode::InvalidCharacters,
                FieldCode::NameTooShort,
                FieldCode::NameTooLong,
            ],
            Check::Identifier => &[
                FieldCode::Required,
                FieldCode::InvalidCharacters,
                FieldCode::InvalidEmail,
                FieldCode::InvalidPhone,
                FieldCode::InvalidIdentifier,
            ],
            Check::Present => &[FieldCode::Required],
            Check::NewPassword => &[
                FieldCode::Required,
                FieldCode::PasswordTooShort,
                FieldCode::PasswordTooLong,
            ],
            Check::Code => &[FieldCode::Required, FieldCode::InvalidCode],
            Check::Optional => &[],
            Check::Name => &[FieldCode::Required],
            Check::Nib => &[FieldCode::InvalidNib],
            Check::Mobile => &[FieldCode::InvalidPhone],
            Check::Rupiah => &[FieldCode::InvalidAmount, FieldCode::AmountTooLarge],
            Check::Url => &[FieldCode::InvalidUrl],
            Check::Year => &[FieldCode::InvalidYear],
            Check::Count => &[FieldCode::InvalidNumber],
        }
    }
}
