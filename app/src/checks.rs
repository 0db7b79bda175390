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
    /// Any text (the server checks it).
    Optional,
    /// A text of at most `max` characters without control or bidi
    /// characters; `required` refuses it empty.
    Text {
        max: u16,
        required: bool,
    },
    /// An NIB: 13 digits, or empty.
    Nib,
    /// An Indonesian mobile number, or empty.
    Mobile,
    /// Rupiah as people write them, or empty.
    Rupiah,
    /// An http(s) address, or empty.
    Url,
    /// A year from 1900 to `max` (this year, as the server renders the
    /// form), or empty.
    Year {
        max: i64,
    },
    /// A whole number of people, or empty.
    Count,
    /// KBLI codes: five digits each, at most ten (the server also checks
    /// each is on the list, which stays out of the browser).
    Kbli,
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
            Check::Text { max, required } => match profile::parse_text(input, max.into())? {
                None if required => Err(FieldCode::Required),
                _ => Ok(()),
            },
            Check::Nib => profile::parse_nib(input).map(|_| ()),
            Check::Mobile if input.trim().is_empty() => Ok(()),
            Check::Mobile => accounts::parse_phone(input).map(|_| ()),
            Check::Rupiah => profile::parse_rupiah(input).map(|_| ()),
            Check::Url => profile::parse_url(input).map(|_| ()),
            Check::Year { max } => profile::parse_year(input, max).map(|_| ()),
            Check::Count => profile::parse_count(input).map(|_| ()),
            Check::Kbli => crate::profile::kbli::check_shape(input).map(|_| ()),
        }
    }

    /// Whether the rule refuses an empty field (the field says so to
    /// assistive technology).
    pub fn required(self) -> bool {
        self.run("").is_err()
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
            Check::Text { .. } => &[
                FieldCode::Required,
                FieldCode::InvalidCharacters,
                FieldCode::TooLong,
            ],
            Check::Nib => &[FieldCode::InvalidNib],
            Check::Mobile => &[FieldCode::InvalidPhone],
            Check::Rupiah => &[FieldCode::InvalidAmount, FieldCode::AmountTooLarge],
            Check::Url => &[FieldCode::InvalidUrl],
            Check::Year { .. } => &[FieldCode::InvalidYear],
            Check::Count => &[FieldCode::InvalidNumber],
            Check::Kbli => &[FieldCode::InvalidKbli, FieldCode::TooLong],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code a rule gives has its translation travel with the field:
    /// a code missing from `codes()` would show nothing in the browser.
    #[test]
    fn codes_cover_what_each_rule_gives() {
        let inputs = [
            "",
            " ",
            "a",
            "ab",
            "Siti",
            "x\u{202E}y",
            "\u{7}",
            "0812 3456 7890",
            "+6281234567890",
            "siti@example.id",
            "siti@",
            "1234567890123",
            "123",
            "Rp 1.500.000",
            "1,5",
            "99999999999999999999",
            "https://shop.example.id",
            "javascript:alert(1)",
            "1999",
            "2999",
            "12",
            "-1",
            "13134",
            "13134, 4791",
            "1,2,3,4,5,6,7,8,9,10,11",
            "123456",
            &"x".repeat(300),
            "correct horse battery",
            "short",
        ];
        let checks = [
            Check::DisplayName,
            Check::Identifier,
            Check::Present,
            Check::NewPassword,
            Check::Code,
            Check::Optional,
            Check::Text {
                max: 80,
                required: true,
            },
            Check::Text {
                max: 80,
                required: false,
            },
            Check::Nib,
            Check::Mobile,
            Check::Rupiah,
            Check::Url,
            Check::Year { max: 2026 },
            Check::Count,
            Check::Kbli,
        ];
        for check in checks {
            for input in inputs {
                if let Err(code) = check.run(input) {
                    assert!(
                        check.codes().contains(&code),
                        "{check:?} on {input:?} gave {code:?}"
                    );
                }
            }
        }
        assert!(Check::Text {
            max: 5,
            required: true
        }
        .required());
        assert!(!Check::Text {
            max: 5,
            required: false
        }
        .required());
        assert_eq!(
            Check::Year { max: 2026 }.run("2027"),
            Err(FieldCode::InvalidYear)
        );
        assert_eq!(Check::Year { max: 2026 }.run("2026"), Ok(()));
    }
}
