//! Pure rules of the business profile: NIB format, money in rupiah, size
//! classes (PP 7/2021 art. 35), URLs, years, clusters, the onboarding
//! milestones and the digitalisation stage derived from them. No I/O, so
//! the same code runs on the server (which alone decides) and in the
//! browser (instant feedback while typing).

use serde::{Deserialize, Serialize};

use crate::error::FieldCode;

/// NIB (Nomor Induk Berusaha): exactly 13 digits, no check digit (it is a
/// random number with an electronic signature, so only the format can be
/// checked here; staff verify the rest). Spaces are ignored. Empty is
/// `None`: many micro businesses have no NIB yet.
pub fn parse_nib(input: &str) -> Result<Option<String>, FieldCode> {
    let nib: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if nib.is_empty() {
        return Ok(None);
    }
    if nib.len() == 13 && nib.bytes().all(|b| b.is_ascii_digit()) {
        Ok(Some(nib))
    } else {
        Err(FieldCode::InvalidNib)
    }
}

/// The largest amount accepted, in rupiah (a thousand trillion).
pub const MONEY_MAX: i64 = 1_000_000_000_000_000;

/// An amount in whole rupiah as people write it: `1500000`,
/// `1.500.000`, `Rp 1.500.000`, `1,500,000` or `1 500 000`. No decimals
/// (rupiah has no minor unit in use), never negative. Empty is `None`.
pub fn parse_rupiah(input: &str) -> Result<Option<i64>, FieldCode> {
    let trimmed = input.trim();
    let trimmed = trimmed
        .strip_prefix("Rp")
        .or_else(|| trimmed.strip_prefix("rp"))
        .or_else(|| trimmed.strip_prefix("RP"))
        .unwrap_or(trimmed)
        .trim_start_matches('.')
        .trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    let digits: String = trimmed
        .chars()
        .filter(|c| !matches!(c, '.' | ',' | ' '))
        .collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(FieldCode::InvalidAmount);
    }
    // Separators must group thousands: `1.5` or `1,50` is a decimal, refused.
    let groups: Vec<&str> = trimmed.split(['.', ',', ' ']).collect();
    if groups.len() > 1 && groups[1..].iter().any(|g| g.len() != 3) {
        return Err(FieldCode::InvalidAmount);
    }
    match digits.parse::<i64>() {
        Ok(n) if n <= MONEY_MAX => Ok(Some(n)),
        _ => Err(FieldCode::AmountTooLarge),
    }
}

/// What the size class is measured by (PP 7/2021 art. 35): business
/// capital (excluding land and premises) when founded or registered, or
/// annual sales for an existing business.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SizeBasis {
    Capital,
    Sales,
}

impl SizeBasis {
    pub fn as_str(self) -> &'static str {
        match self {
            SizeBasis::Capital => "capital",
            SizeBasis::Sales => "sales",
        }
    }

    pub fn parse(s: &str) -> Option<SizeBasis> {
        match s {
            "capital" => Some(SizeBasis::Capital),
            "sales" => Some(SizeBasis::Sales),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SizeClass {
    Micro,
    Small,
    Medium,
    /// Above the medium bounds: not an MSME.
    Large,
}

impl SizeClass {
    pub fn as_str(self) -> &'static str {
        match self {
            SizeClass::Micro => "micro",
            SizeClass::Small => "small",
            SizeClass::Medium => "medium",
            SizeClass::Large => "large",
        }
    }

    pub fn parse(s: &str) -> Option<SizeClass> {
        [
            SizeClass::Micro,
            SizeClass::Small,
            SizeClass::Medium,
            SizeClass::Large,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }
}

const BILLION: i64 = 1_000_000_000;

/// The size class of an amount in rupiah on a basis (PP 7/2021 art. 35):
/// capital up to Rp 1 bn micro, up to 5 bn small, up to 10 bn medium;
/// annual sales up to Rp 2 bn micro, up to 15 bn small, up to 50 bn medium;
/// above, large. Bounds are inclusive ("paling banyak").
pub fn size_class(basis: SizeBasis, amount: i64) -> SizeClass {
    let (micro, small, medium) = match basis {
        SizeBasis::Capital => (BILLION, 5 * BILLION, 10 * BILLION),
        SizeBasis::Sales => (2 * BILLION, 15 * BILLION, 50 * BILLION),
    };
    if amount <= micro {
        SizeClass::Micro
    } else if amount <= small {
        SizeClass::Small
    } else if amount <= medium {
        SizeClass::Medium
    } else {
        SizeClass::Large
    }
}

/// A shop or website address: `http(s)://` and a host with a dot, no
/// spaces, at most 500 characters. Empty is `None`.
pub fn parse_url(input: &str) -> Result<Option<String>, FieldCode> {
    let url = input.trim();
    if url.is_empty() {
        return Ok(None);
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    let Some(rest) = rest else {
        return Err(FieldCode::InvalidUrl);
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit_once('@').map(|(_, h)| h).unwrap_or(host);
    let host = host.split(':').next().unwrap_or("");
    let host_ok = host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
    let ok =
        url.len() <= 500 && host_ok && !url.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(Some(url.to_string()))
    } else {
        Err(FieldCode::InvalidUrl)
    }
}

/// A year a business was founded: 1900 to `this_year`. Empty is `None`.
pub fn parse_year(input: &str, this_year: i64) -> Result<Option<i64>, FieldCode> {
    let t = input.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<i64>() {
        Ok(y) if (1900..=this_year).contains(&y) => Ok(Some(y)),
        _ => Err(FieldCode::InvalidYear),
    }
}

/// A number of employees (0 for the owner alone). Empty is `None`.
pub fn parse_count(input: &str) -> Result<Option<i64>, FieldCode> {
    let t = input.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<i64>() {
        Ok(n) if (0..=10_000_000).contains(&n) => Ok(Some(n)),
        _ => Err(FieldCode::InvalidNumber),
    }
}

/// A short free text (names, addresses): trimmed, no control characters,
/// at most `max` characters. Empty is `None`.
pub fn parse_text(input: &str, max: usize) -> Result<Option<String>, FieldCode> {
    // Browsers send a textarea's line breaks as CR LF.
    let normalized = input.replace("\r\n", "\n");
    let t = normalized.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if t.chars()
        .any(|c| (c.is_control() && c != '\n' && c != '\t') || matches!(c, '\u{202A}'..='\u{202E}'))
    {
        return Err(FieldCode::InvalidCharacters);
    }
    if t.chars().count() > max {
        return Err(FieldCode::TooLong);
    }
    Ok(Some(t.to_string()))
}

/// The product clusters of the programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cluster {
    TextilesFashion,
    FoodBeverages,
    Handicrafts,
    Other,
}

impl Cluster {
    pub const ALL: [Cluster; 4] = [
        Cluster::TextilesFashion,
        Cluster::FoodBeverages,
        Cluster::Handicrafts,
        Cluster::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Cluster::TextilesFashion => "textiles_fashion",
            Cluster::FoodBeverages => "food_beverages",
            Cluster::Handicrafts => "handicrafts",
            Cluster::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Cluster> {
        Cluster::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// Countries a business may be domiciled in (ISO 3166-1 alpha-2): Indonesia
/// first, then the usual origins of cross-border sellers.
/// The domicile countries offered, as ISO 3166-1 alpha-2 codes with their
/// names in Bahasa Indonesia and English: Indonesia first, then the
/// countries cross-border sellers on Indonesian marketplaces mostly come
/// from, and `ZZ` for any other (a cross-border seller all the same).
pub const COUNTRIES: &[(&str, &str, &str)] = &[
    ("ID", "Indonesia", "Indonesia"),
    ("MY", "Malaysia", "Malaysia"),
    ("SG", "Singapura", "Singapore"),
    ("TH", "Thailand", "Thailand"),
    ("VN", "Vietnam", "Viet Nam"),
    ("PH", "Filipina", "Philippines"),
    ("BN", "Brunei Darussalam", "Brunei Darussalam"),
    ("KH", "Kamboja", "Cambodia"),
    ("LA", "Laos", "Lao PDR"),
    ("MM", "Myanmar", "Myanmar"),
    ("TL", "Timor-Leste", "Timor-Leste"),
    ("CN", "Tiongkok", "China"),
    ("HK", "Hong Kong", "Hong Kong"),
    ("TW", "Taiwan", "Taiwan"),
    ("KR", "Korea Selatan", "South Korea"),
    ("JP", "Jepang", "Japan"),
    ("IN", "India", "India"),
    ("BD", "Bangladesh", "Bangladesh"),
    ("PK", "Pakistan", "Pakistan"),
    ("AU", "Australia", "Australia"),
    ("NZ", "Selandia Baru", "New Zealand"),
    ("AE", "Uni Emirat Arab", "United Arab Emirates"),
    ("SA", "Arab Saudi", "Saudi Arabia"),
    ("TR", "Turki", "Türkiye"),
    ("US", "Amerika Serikat", "United States"),
    ("GB", "Britania Raya", "United Kingdom"),
    ("NL", "Belanda", "Netherlands"),
    ("DE", "Jerman", "Germany"),
    ("FR", "Prancis", "France"),
    ("IT", "Italia", "Italy"),
    ("ZZ", "Negara lain", "Another country"),
];

pub fn parse_country(input: &str) -> Result<String, FieldCode> {
    let c = input.trim().to_ascii_uppercase();
    if COUNTRIES.iter().any(|(code, _, _)| *code == c) {
        Ok(c)
    } else {
        Err(FieldCode::InvalidCountry)
    }
}

/// A country's name in Indonesian or English (the code if unknown).
pub fn country_name(code: &str, english: bool) -> &str {
    COUNTRIES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, id, en)| if english { *en } else { *id })
        .unwrap_or(code)
}

/// The steps of going digital, in the order of the journey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Milestone {
    /// Every required profile field filled.
    ProfileComplete,
    /// Staff verified the NIB.
    NibVerified,
    /// The core onboarding course completed (the training feature).
    CourseCompleted,
    /// A first listing whose decision is `allowed` (the listings feature).
    FirstListingAllowed,
    /// A shop live on at least one online channel (a URL given).
    ShopOnline,
}

impl Milestone {
    pub const ALL: [Milestone; 5] = [
        Milestone::ProfileComplete,
        Milestone::NibVerified,
        Milestone::CourseCompleted,
        Milestone::FirstListingAllowed,
        Milestone::ShopOnline,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Milestone::ProfileComplete => "profile_complete",
            Milestone::NibVerified => "nib_verified",
            Milestone::CourseCompleted => "course_completed",
            Milestone::FirstListingAllowed => "first_listing_allowed",
            Milestone::ShopOnline => "shop_online",
        }
    }

    pub fn parse(s: &str) -> Option<Milestone> {
        Milestone::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// The digitalisation stage of an MSME, the unit the national dashboards
/// count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Registered,
    Profiled,
    Verified,
    Trained,
    Listed,
    Online,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Stage::Registered,
        Stage::Profiled,
        Stage::Verified,
        Stage::Trained,
        Stage::Listed,
        Stage::Online,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Registered => "registered",
            Stage::Profiled => "profiled",
            Stage::Verified => "verified",
            Stage::Trained => "trained",
            Stage::Listed => "listed",
            Stage::Online => "online",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// The stage from the milestones reached, and the day it was reached.
///
/// The rule: the journey is a ladder. Stage *k* (profiled, verified,
/// trained, listed, online) is reached when milestones 1..=*k* all are,
/// on the latest of their dates; a milestone reached out of order (a shop
/// URL before an NIB) keeps its own date and counts once the steps before
/// it are reached. Every business is at least `registered`, from
/// `registered_at`.
pub fn stage(registered_at: i64, reached: &[(Milestone, i64)]) -> (Stage, i64) {
    let mut stage = (Stage::Registered, registered_at);
    for (i, milestone) in Milestone::ALL.into_iter().enumerate() {
        match reached.iter().find(|(m, _)| *m == milestone) {
            Some((_, at)) => stage = (Stage::ALL[i + 1], stage.1.max(*at)),
            None => break,
        }
    }
    stage
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nib_is_exactly_thirteen_digits() {
        assert_eq!(parse_nib("1234567890123"), Ok(Some("1234567890123".into())));
        assert_eq!(
            parse_nib(" 1234 5678 90123 "),
            Ok(Some("1234567890123".into()))
        );
        assert_eq!(parse_nib(""), Ok(None));
        for bad in [
            "123456789012",
            "12345678901234",
            "12345678901a3",
            "１２３４５６７８９０１２３",
            "-123456789012",
        ] {
            assert_eq!(parse_nib(bad), Err(FieldCode::InvalidNib), "{bad}");
        }
    }

    #[test]
    fn size_classes_at_their_boundaries_on_both_bases() {
        use SizeBasis::*;
        use SizeClass::*;
        assert_eq!(size_class(Capital, 0), Micro);
        assert_eq!(size_class(Capital, BILLION), Micro);
        assert_eq!(size_class(Capital, BILLION + 1), Small);
        assert_eq!(size_class(Capital, 5 * BILLION), Small);
        assert_eq!(size_class(Capital, 5 * BILLION + 1), Medium);
        assert_eq!(size_class(Capital, 10 * BILLION), Medium);
        assert_eq!(size_class(Capital, 10 * BILLION + 1), Large);
        assert_eq!(size_class(Sales, 2 * BILLION), Micro);
        assert_eq!(size_class(Sales, 2 * BILLION + 1), Small);
        assert_eq!(size_class(Sales, 15 * BILLION), Small);
        assert_eq!(size_class(Sales, 15 * BILLION + 1), Medium);
        assert_eq!(size_class(Sales, 50 * BILLION), Medium);
        assert_eq!(size_class(Sales, 50 * BILLION + 1), Large);
    }

    #[test]
    fn rupiah_as_people_write_it() {
        assert_eq!(parse_rupiah("1500000"), Ok(Some(1_500_000)));
        assert_eq!(parse_rupiah("Rp 1.500.000"), Ok(Some(1_500_000)));
        assert_eq!(parse_rupiah("Rp1.000.000.000"), Ok(Some(BILLION)));
        assert_eq!(parse_rupiah("1,500,000"), Ok(Some(1_500_000)));
        assert_eq!(parse_rupiah("1 500 000"), Ok(Some(1_500_000)));
        assert_eq!(parse_rupiah(""), Ok(None));
        assert_eq!(parse_rupiah("1.5"), Err(FieldCode::InvalidAmount));
        assert_eq!(parse_rupiah("-5"), Err(FieldCode::InvalidAmount));
        assert_eq!(parse_rupiah("satu juta"), Err(FieldCode::InvalidAmount));
        assert_eq!(
            parse_rupiah("99999999999999999999"),
            Err(FieldCode::AmountTooLarge)
        );
    }

    #[test]
    fn urls_need_a_scheme_and_a_real_host() {
        assert_eq!(
            parse_url(" https://shopee.co.id/batiksari "),
            Ok(Some("https://shopee.co.id/batiksari".into()))
        );
        assert!(parse_url("http://toko.id").is_ok());
        assert_eq!(parse_url(""), Ok(None));
        for bad in [
            "javascript:alert(1)",
            "shopee.co.id/x",
            "https://",
            "https://localhost/x",
            "https://a b.id",
            "ftp://x.id",
            "https://.id",
        ] {
            assert_eq!(parse_url(bad), Err(FieldCode::InvalidUrl), "{bad}");
        }
    }

    #[test]
    fn years_counts_and_countries() {
        assert_eq!(parse_year("2015", 2026), Ok(Some(2015)));
        assert_eq!(parse_year("2027", 2026), Err(FieldCode::InvalidYear));
        assert_eq!(parse_year("1899", 2026), Err(FieldCode::InvalidYear));
        assert_eq!(parse_count("0"), Ok(Some(0)));
        assert_eq!(parse_count("-1"), Err(FieldCode::InvalidNumber));
        assert_eq!(parse_country("id"), Ok("ID".into()));
        assert_eq!(parse_country("XX"), Err(FieldCode::InvalidCountry));
    }

    #[test]
    fn the_stage_is_the_top_of_the_ladder_reached() {
        use Milestone::*;
        assert_eq!(stage(10, &[]), (Stage::Registered, 10));
        assert_eq!(stage(10, &[(ProfileComplete, 20)]), (Stage::Profiled, 20));
        // A shop URL before the NIB: still profiled, until the NIB.
        let reached = [(ProfileComplete, 20), (ShopOnline, 25)];
        assert_eq!(stage(10, &reached), (Stage::Profiled, 20));
        let all = [
            (ProfileComplete, 20),
            (ShopOnline, 25),
            (NibVerified, 30),
            (CourseCompleted, 40),
            (FirstListingAllowed, 35),
        ];
        assert_eq!(stage(10, &all), (Stage::Online, 40));
    }

    #[test]
    fn text_keeps_line_breaks_as_browsers_send_them_and_refuses_control_characters() {
        assert_eq!(
            parse_text("## Judul\r\n\r\n- satu\r\n\tdua", 100),
            Ok(Some("## Judul\n\n- satu\n\tdua".to_string()))
        );
        assert_eq!(
            parse_text("a\u{7}b", 100),
            Err(FieldCode::InvalidCharacters)
        );
        assert_eq!(parse_text("a\rb", 100), Err(FieldCode::InvalidCharacters));
        assert_eq!(
            parse_text("a\u{202E}b", 100),
            Err(FieldCode::InvalidCharacters)
        );
        assert_eq!(parse_text("   ", 100), Ok(None));
        assert_eq!(parse_text("abc", 2), Err(FieldCode::TooLong));
    }
}
