//! Pure account rules: parsing and normalising what people type into the
//! register and login forms. No I/O, so the same code runs on the server
//! (which alone decides) and in the browser (instant feedback while typing).

use crate::error::FieldCode;

/// Longest display name, in characters.
pub const NAME_MAX: usize = 80;
/// Shortest display name, in characters.
pub const NAME_MIN: usize = 2;
/// Shortest accepted password, in characters (NIST SP 800-63B).
pub const PASSWORD_MIN: usize = 8;
/// Longest accepted password, in characters: long passphrases are welcome,
/// but an unbounded input would let anyone make argon2 hash megabytes.
pub const PASSWORD_MAX: usize = 128;
/// Longest email address (RFC 5321 path limit).
pub const EMAIL_MAX: usize = 254;
/// The version of the privacy notice (`/privacy`) shown at registration
/// and recorded with each account. Change it whenever the notice changes.
pub const PRIVACY_NOTICE_VERSION: &str = "2026-11-24";

/// A display name: trimmed, inner whitespace collapsed, no control characters.
pub fn parse_display_name(input: &str) -> Result<String, FieldCode> {
    let name = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(FieldCode::Required);
    }
    // Control characters, and bidirectional overrides that make a name
    // display as something else.
    if name
        .chars()
        .any(|c| c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
    {
        return Err(FieldCode::InvalidCharacters);
    }
    let len = name.chars().count();
    if len < NAME_MIN {
        return Err(FieldCode::NameTooShort);
    }
    if len > NAME_MAX {
        return Err(FieldCode::NameTooLong);
    }
    Ok(name)
}

/// An email address, lower-cased. Deliberately simple: one `@`, a local part
/// without spaces or quoting, an ASCII domain with a dot and a real TLD.
pub fn parse_email(input: &str) -> Result<String, FieldCode> {
    let email = input.trim().to_ascii_lowercase();
    if email.is_empty() {
        return Err(FieldCode::Required);
    }
    if email.len() > EMAIL_MAX {
        return Err(FieldCode::InvalidEmail);
    }
    let Some((local, domain)) = email.split_once('@') else {
        return Err(FieldCode::InvalidEmail);
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_graphic() && !"\"(),:;<>@[\\]".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
    if local_ok && domain_ok {
        Ok(email)
    } else {
        Err(FieldCode::InvalidEmail)
    }
}

/// An Indonesian mobile number written as `08…`, `628…` or `+628…`, with
/// optional spaces or dashes, normalised to `+628…`. Mobile numbers have
/// 9 to 12 digits after the country code, the first of which is 8.
pub fn parse_phone(input: &str) -> Result<String, FieldCode> {
    let compact: String = input
        .trim()
        .chars()
        .filter(|c| *c != ' ' && *c != '-')
        .collect();
    if compact.is_empty() {
        return Err(FieldCode::Required);
    }
    let national = if let Some(rest) = compact.strip_prefix("+62") {
        rest
    } else if let Some(rest) = compact.strip_prefix("62") {
        rest
    } else if let Some(rest) = compact.strip_prefix('0') {
        rest
    } else {
        return Err(FieldCode::InvalidPhone);
    };
    let valid = national.starts_with('8')
        && (9..=12).contains(&national.len())
        && national.chars().all(|c| c.is_ascii_digit());
    if valid {
        Ok(format!("+62{national}"))
    } else {
        Err(FieldCode::InvalidPhone)
    }
}

/// A verification code as typed: six digits, spaces and dashes ignored.
pub fn parse_code(input: &str) -> Result<String, FieldCode> {
    let digits: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if digits.is_empty() {
        return Err(FieldCode::Required);
    }
    if digits.len() != 6 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(FieldCode::InvalidCode);
    }
    Ok(digits)
}

/// What a person signs in with: an email address or a mobile number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identifier {
    Email(String),
    Phone(String),
}

impl Identifier {
    /// Anything with an `@` is read as an email address, anything else as a
    /// phone number; the error names the kind the input looked like.
    pub fn parse(input: &str) -> Result<Self, FieldCode> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(FieldCode::Required);
        }
        if trimmed.contains('@') {
            parse_email(trimmed).map(Identifier::Email)
        } else if trimmed.chars().any(|c| c.is_ascii_alphabetic()) {
            Err(FieldCode::InvalidIdentifier)
        } else {
            parse_phone(trimmed).map(Identifier::Phone)
        }
    }

    /// The normalised form, as stored.
    pub fn as_str(&self) -> &str {
        match self {
            Identifier::Email(s) | Identifier::Phone(s) => s,
        }
    }
}

/// Password rules without the common-password list: length only, no
/// composition rules. The server additionally refuses common passwords
/// (see [`password_is_common`]), a list too large to ship to every phone.
pub fn check_password_shape(password: &str) -> Result<(), FieldCode> {
    let len = password.chars().count();
    if len == 0 {
        return Err(FieldCode::Required);
    }
    if len < PASSWORD_MIN {
        return Err(FieldCode::PasswordTooShort);
    }
    if len > PASSWORD_MAX {
        return Err(FieldCode::PasswordTooLong);
    }
    Ok(())
}

/// Whether the password is on the shipped list of common passwords
/// (case-insensitive). Server only: the list stays off the wasm.
#[cfg(feature = "ssr")]
pub fn password_is_common(password: &str) -> bool {
    use std::collections::HashSet;
    use std::sync::LazyLock;
    static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
        include_str!("common_passwords.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect()
    });
    COMMON.contains(password.trim().to_lowercase().as_str())
}

/// The full password rule the server applies.
#[cfg(feature = "ssr")]
pub fn check_password(password: &str) -> Result<(), FieldCode> {
    check_password_shape(password)?;
    if password_is_common(password) {
        return Err(FieldCode::PasswordCommon);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_forms_normalise_to_plus_62() {
        for input in [
            "081234567890",
            "0812-3456-7890",
            "0812 3456 7890",
            "6281234567890",
            "+6281234567890",
            "+62 812-3456-7890",
            "  0812 3456 7890  ",
        ] {
            assert_eq!(parse_phone(input), Ok("+6281234567890".into()), "{input}");
        }
    }

    #[test]
    fn phone_length_bounds() {
        assert_eq!(parse_phone("0812345678"), Ok("+62812345678".into())); // 9 after 0
        assert_eq!(parse_phone("0812345678901"), Ok("+62812345678901".into())); // 12
        assert_eq!(parse_phone("081234567"), Err(FieldCode::InvalidPhone)); // 8
        assert_eq!(parse_phone("08123456789012"), Err(FieldCode::InvalidPhone));
        // 13
    }

    #[test]
    fn phone_rejects_non_mobile_and_garbage() {
        for input in [
            "0212345678",   // Jakarta landline
            "+6521234567",  // Singapore
            "812345678901", // no prefix
            "0812.3456.7890",
            "08123456789a",
            "+",
            "٠٨١٢٣٤٥٦٧٨٩٠", // Arabic-Indic digits
        ] {
            assert_eq!(parse_phone(input), Err(FieldCode::InvalidPhone), "{input}");
        }
        assert_eq!(parse_phone("   "), Err(FieldCode::Required));
    }

    #[test]
    fn email_is_trimmed_and_lowercased() {
        assert_eq!(
            parse_email("  Siti.Rahma@Contoh.CO.id "),
            Ok("siti.rahma@contoh.co.id".into())
        );
        assert_eq!(parse_email("a+tag@x.id"), Ok("a+tag@x.id".into()));
    }

    #[test]
    fn email_rejects_malformed() {
        for input in [
            "plain",
            "@x.id",
            "a@",
            "a@x",
            "a@@x.id",
            "a b@x.id",
            "a@x..id",
            "a@-x.id",
            "a@x.i",
            "a@x.12",
            ".a@x.id",
            "a..b@x.id",
            "a@exämple.id",
            "<script>@x.id",
        ] {
            assert_eq!(parse_email(input), Err(FieldCode::InvalidEmail), "{input}");
        }
        let long = format!("{}@x.id", "a".repeat(65));
        assert_eq!(parse_email(&long), Err(FieldCode::InvalidEmail));
        assert_eq!(parse_email(""), Err(FieldCode::Required));
    }

    #[test]
    fn identifier_picks_email_or_phone() {
        assert_eq!(
            Identifier::parse("Budi@Toko.id"),
            Ok(Identifier::Email("budi@toko.id".into()))
        );
        assert_eq!(
            Identifier::parse("0812 3456 7890"),
            Ok(Identifier::Phone("+6281234567890".into()))
        );
        assert_eq!(Identifier::parse("budi"), Err(FieldCode::InvalidIdentifier));
        assert_eq!(Identifier::parse(" "), Err(FieldCode::Required));
    }

    #[test]
    fn display_name_rules() {
        assert_eq!(parse_display_name("  Ibu   Sari  "), Ok("Ibu Sari".into()));
        assert_eq!(parse_display_name("A"), Err(FieldCode::NameTooShort));
        assert_eq!(parse_display_name(""), Err(FieldCode::Required));
        assert_eq!(
            parse_display_name(&"x".repeat(81)),
            Err(FieldCode::NameTooLong)
        );
        assert_eq!(
            parse_display_name("ab\u{0}c"),
            Err(FieldCode::InvalidCharacters)
        );
        assert_eq!(parse_display_name("Dewi Ayu ✨"), Ok("Dewi Ayu ✨".into()));
        assert_eq!(
            parse_display_name("admin\u{202E}nimda"),
            Err(FieldCode::InvalidCharacters)
        );
    }

    #[test]
    fn password_length_rules_count_characters() {
        assert_eq!(check_password_shape(""), Err(FieldCode::Required));
        assert_eq!(
            check_password_shape("1234567"),
            Err(FieldCode::PasswordTooShort)
        );
        assert_eq!(check_password_shape("kopi susu"), Ok(()));
        // 64 characters must be accepted, 128 is the cap.
        assert_eq!(check_password_shape(&"a".repeat(64)), Ok(()));
        assert_eq!(check_password_shape(&"é".repeat(128)), Ok(()));
        assert_eq!(
            check_password_shape(&"a".repeat(129)),
            Err(FieldCode::PasswordTooLong)
        );
        // No composition rules: a lowercase passphrase is fine.
        assert_eq!(check_password_shape("batik tulis solo"), Ok(()));
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn common_passwords_are_refused() {
        assert_eq!(check_password("password"), Err(FieldCode::PasswordCommon));
        assert_eq!(check_password("PassWord"), Err(FieldCode::PasswordCommon));
        assert_eq!(check_password("12345678"), Err(FieldCode::PasswordCommon));
        assert_eq!(check_password("bismillah"), Err(FieldCode::PasswordCommon));
        assert_eq!(check_password("rendang-padang-77"), Ok(()));
        let list = include_str!("common_passwords.txt");
        assert!(list.lines().count() >= 1000);
    }
}
