//! The policy engine: `check(listing, seller, rule_set, as_of) -> Decision`.
//! Pure Rust without I/O, so the very same code gives the seller instant
//! feedback in the browser while they type and decides on the server
//! (which alone stores decisions). Rules are data ([`RuleSet`], a
//! versioned document the migration loads and staff will edit); the
//! engine knows rule *kinds* and reads every number, date and word from
//! the rule's parameters.

use std::fmt;

use serde::{Deserialize, Serialize};

pub use crate::profile::domain::{Cluster, SizeClass};

/// A cluster's name in a message.
pub fn cluster_name(c: Cluster, english: bool) -> &'static str {
    match (c, english) {
        (Cluster::TextilesFashion, false) => "tekstil dan fesyen",
        (Cluster::TextilesFashion, true) => "textiles and fashion",
        (Cluster::FoodBeverages, false) => "makanan dan minuman",
        (Cluster::FoodBeverages, true) => "food and beverages",
        (Cluster::Handicrafts, false) => "kerajinan tangan",
        (Cluster::Handicrafts, true) => "handicrafts",
        (Cluster::Other, false) => "lainnya",
        (Cluster::Other, true) => "other",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Currency {
    Idr,
    Usd,
}

impl Currency {
    pub fn as_str(self) -> &'static str {
        match self {
            Currency::Idr => "IDR",
            Currency::Usd => "USD",
        }
    }

    pub fn parse(s: &str) -> Option<Currency> {
        match s.trim().to_ascii_uppercase().as_str() {
            "IDR" => Some(Currency::Idr),
            "USD" => Some(Currency::Usd),
            _ => None,
        }
    }

    /// Digits after the decimal point of the minor unit: whole rupiah,
    /// US cents.
    pub fn decimals(self) -> u32 {
        match self {
            Currency::Idr => 0,
            Currency::Usd => 2,
        }
    }
}

/// An amount in integer minor units (whole rupiah, US cents): never a
/// float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountError {
    Empty,
    /// Not a plain non-negative decimal number.
    NotANumber,
    Negative,
    /// More decimals than the currency's minor unit.
    TooPrecise,
    TooLarge,
}

/// Parses a decimal string exactly into minor units: `"100"`, `"99.99"`
/// (USD), `"1500000"` (IDR). A sign, exponent, thousands separator or more
/// decimals than the currency has is refused; nothing is rounded.
pub fn parse_amount(input: &str, currency: Currency) -> Result<i64, AmountError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(AmountError::Empty);
    }
    if s.starts_with('-') {
        return Err(AmountError::Negative);
    }
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, f),
        None => (s, ""),
    };
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(frac) || (s.contains('.') && frac.is_empty()) {
        return Err(AmountError::NotANumber);
    }
    let places = currency.decimals() as usize;
    let frac = frac.trim_end_matches('0');
    if frac.len() > places {
        return Err(AmountError::TooPrecise);
    }
    let scale = 10_i64.pow(places as u32);
    let w: i64 = whole
        .trim_start_matches('0')
        .parse::<i64>()
        .or_else(|e| {
            if whole.trim_start_matches('0').is_empty() {
                Ok(0)
            } else {
                Err(e)
            }
        })
        .map_err(|_| AmountError::TooLarge)?;
    let f: i64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<places$}")
            .parse()
            .map_err(|_| AmountError::NotANumber)?
    };
    // At most 10^15 minor units: far above any listing, far below overflow.
    w.checked_mul(scale)
        .and_then(|m| m.checked_add(f))
        .filter(|m| *m <= 1_000_000_000_000_000)
        .ok_or(AmountError::TooLarge)
}

/// Minor units as the decimal the seller would write (`"99.99"`,
/// `"1500000"`).
pub fn format_amount(m: Money) -> String {
    match m.currency.decimals() {
        0 => m.minor.to_string(),
        d => {
            let scale = 10_i64.pow(d);
            format!(
                "{}.{:0width$}",
                m.minor / scale,
                m.minor % scale,
                width = d as usize
            )
        }
    }
}

/// A calendar day in Asia/Jakarta (WIB), as days since 1970-01-01; written
/// `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub i64);

impl Day {
    /// The day in Jakarta of a UTC instant (unix seconds).
    pub fn of_unix(unix: i64) -> Day {
        Day(crate::shared::ui::wib_day(unix))
    }

    /// Strictly `YYYY-MM-DD`, a real date.
    pub fn parse(s: &str) -> Option<Day> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<i64> {
            let part = &s[r];
            part.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| part.parse().ok())
                .flatten()
        };
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
            return None;
        }
        // Howard Hinnant's days_from_civil.
        let y2 = if m <= 2 { y - 1 } else { y };
        let era = y2.div_euclid(400);
        let yoe = y2 - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(Day(era * 146_097 + doe - 719_468))
    }

    pub fn previous(self) -> Day {
        Day(self.0 - 1)
    }
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::shared::ui::format_day(self.0))
    }
}

impl Serialize for Day {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Day, D::Error> {
        let s = String::deserialize(d)?;
        Day::parse(&s).ok_or_else(|| serde::de::Error::custom("expected a date YYYY-MM-DD"))
    }
}

/// Every assigned ISO 3166-1 alpha-2 code (249).
const ASSIGNED: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ \
BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ \
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ \
EC EE EG EH ER ES ET FI FJ FK FM FO FR \
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU \
ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ \
LA LB LC LI LK LR LS LT LU LV LY \
MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ \
NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA \
RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ \
TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ \
VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// A country code as a person or a marketplace writes it (any case,
/// spaces around or inside), if it is an assigned alpha-2 code.
pub fn country(input: &str) -> Option<String> {
    let c: String = input
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    (c.len() == 2 && ASSIGNED.split(' ').any(|a| a == c)).then_some(c)
}

pub const INDONESIA: &str = "ID";

/// What the engine looks at in a listing. Countries are normalised
/// alpha-2 codes (see [`country`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listing {
    pub title: String,
    pub cluster: Cluster,
    pub price: Money,
    pub origin_country: String,
    /// Where the goods ship to the buyer from.
    pub ships_from: String,
    pub hs_code: Option<String>,
    pub halal_certificate: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seller {
    /// The seller's domicile.
    pub country: String,
    /// Unknown counts as micro.
    pub size_class: Option<SizeClass>,
}

/// Cross-border trade as Permendag 31/2023 treats it: the seller is
/// domiciled abroad, or the goods ship to the buyer from abroad. Where the
/// goods were made does not matter (imported goods stocked in Indonesia
/// and sold by a domestic seller are domestic trade).
pub fn is_cross_border(listing: &Listing, seller: &Seller) -> bool {
    seller.country != INDONESIA || listing.ships_from != INDONESIA
}

/// Keywords that name a product of one cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterWords {
    pub cluster: Cluster,
    pub words: Vec<String>,
}

/// A rule's kind and parameters. The engine knows these kinds; a rule set
/// may hold any number of rules of each, with their own parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Params {
    /// A cross-border listing in one of `clusters` is blocked.
    CrossBorderCluster { clusters: Vec<Cluster> },
    /// A cross-border listing under `min_usd` US dollars a unit is blocked
    /// unless its HS code begins with an entry of `positive_list`; rupiah
    /// prices are compared with `min_usd × idr_per_usd`.
    CrossBorderMinPrice {
        min_usd: i64,
        idr_per_usd: i64,
        positive_list: Vec<String>,
    },
    /// A listing in `cluster` without a halal certificate number needs one
    /// from these days: medium and large businesses, micro and small ones,
    /// and cross-border listings whatever the seller's size.
    HalalCertificate {
        cluster: Cluster,
        medium_large_from: Day,
        micro_small_from: Day,
        cross_border_from: Day,
    },
    /// A title naming a product of a cluster, in a category outside it,
    /// goes to review.
    CategoryMismatch { keywords: Vec<ClusterWords> },
}

impl Params {
    pub fn kind(&self) -> &'static str {
        match self {
            Params::CrossBorderCluster { .. } => "cross_border_cluster",
            Params::CrossBorderMinPrice { .. } => "cross_border_min_price",
            Params::HalalCertificate { .. } => "halal_certificate",
            Params::CategoryMismatch { .. } => "category_mismatch",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub id: String,
    /// The legal or platform basis.
    pub basis: String,
    pub effective_from: Day,
    /// The last day it applies, if it ends.
    #[serde(default)]
    pub effective_until: Option<Day>,
    #[serde(default = "enabled")]
    pub enabled: bool,
    /// The explanation; `{name}` is replaced by the parameter `name` of
    /// the reason (see [`Reason::parameters`]).
    pub message_id: String,
    pub message_en: String,
    /// The course that explains the rule (its slug), if there is one.
    #[serde(default)]
    pub course: Option<String>,
    pub parameters: Params,
}

fn enabled() -> bool {
    true
}

impl Rule {
    pub fn in_force(&self, day: Day) -> bool {
        self.enabled
            && self.effective_from <= day
            && self.effective_until.is_none_or(|until| day <= until)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSet {
    pub version: i64,
    pub rules: Vec<Rule>,
}

/// Outcomes in order of precedence: the decision is the highest that any
/// rule gave (`blocked` > `needs_document` > `review` > `allowed`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Allowed,
    Review,
    NeedsDocument,
    Blocked,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Allowed => "allowed",
            Outcome::Review => "review",
            Outcome::NeedsDocument => "needs_document",
            Outcome::Blocked => "blocked",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        [
            Outcome::Allowed,
            Outcome::Review,
            Outcome::NeedsDocument,
            Outcome::Blocked,
        ]
        .into_iter()
        .find(|o| o.as_str() == s)
    }
}

/// A rule that fired: what it decided, with the figures it used and its
/// explanation in both languages, those figures filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub rule: String,
    pub outcome: Outcome,
    pub parameters: Vec<(String, String)>,
    pub message_id: String,
    pub message_en: String,
    pub course: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub outcome: Outcome,
    pub rule_set_version: i64,
    pub as_of: Day,
    pub cross_border: bool,
    pub reasons: Vec<Reason>,
}

/// Digits of an HS code, dots and spaces ignored.
pub fn hs_digits(code: &str) -> String {
    code.chars().filter(|c| !matches!(c, '.' | ' ')).collect()
}

/// Lower case, every run of non-alphanumerics one space, padded with
/// spaces, so a keyword matches whole words only.
fn words(text: &str) -> String {
    let mut out = String::from(" ");
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    if !out.ends_with(' ') {
        out.push(' ');
    }
    out
}

/// The template with each `{name}` replaced by that parameter; a cluster
/// by its name in the message's language.
fn fill(template: &str, params: &[(String, String)], english: bool) -> String {
    let mut out = template.to_string();
    for (k, v) in params {
        let shown = match Cluster::parse(v) {
            Some(c) if k.ends_with("cluster") => cluster_name(c, english).to_string(),
            _ => v.clone(),
        };
        out = out.replace(&format!("{{{k}}}"), &shown);
    }
    out
}

/// Thousands separated with dots, as rupiah are written in Indonesia.
pub fn group_thousands(n: i64) -> String {
    let s = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// What one rule says about the listing, if it fires.
fn evaluate(
    rule: &Rule,
    listing: &Listing,
    seller: &Seller,
    cross_border: bool,
    as_of: Day,
) -> Option<(Outcome, Vec<(String, String)>)> {
    let p = |k: &str, v: String| (k.to_string(), v);
    match &rule.parameters {
        Params::CrossBorderCluster { clusters } => {
            (cross_border && clusters.contains(&listing.cluster)).then(|| {
                (
                    Outcome::Blocked,
                    vec![
                        p("cluster", listing.cluster.as_str().to_string()),
                        p("seller_country", seller.country.clone()),
                        p("ships_from", listing.ships_from.clone()),
                    ],
                )
            })
        }
        Params::CrossBorderMinPrice {
            min_usd,
            idr_per_usd,
            positive_list,
        } => {
            if !cross_border {
                return None;
            }
            let floor = match listing.price.currency {
                Currency::Usd => min_usd.checked_mul(100)?,
                Currency::Idr => min_usd.checked_mul(*idr_per_usd)?,
            };
            if listing.price.minor >= floor {
                return None;
            }
            let hs = listing
                .hs_code
                .as_deref()
                .map(hs_digits)
                .unwrap_or_default();
            if !hs.is_empty()
                && positive_list
                    .iter()
                    .map(|e| hs_digits(e))
                    .any(|e| !e.is_empty() && hs.starts_with(&e))
            {
                return None;
            }
            Some((
                Outcome::Blocked,
                vec![
                    p("min_usd", min_usd.to_string()),
                    p("idr_per_usd", group_thousands(*idr_per_usd)),
                    p(
                        "floor_idr",
                        group_thousands(min_usd.saturating_mul(*idr_per_usd)),
                    ),
                    p(
                        "price",
                        format!(
                            "{} {}",
                            listing.price.currency.as_str(),
                            format_amount(listing.price)
                        ),
                    ),
                ],
            ))
        }
        Params::HalalCertificate {
            cluster,
            medium_large_from,
            micro_small_from,
            cross_border_from,
        } => {
            let has = listing
                .halal_certificate
                .as_deref()
                .is_some_and(|c| !c.trim().is_empty());
            if listing.cluster != *cluster || has {
                return None;
            }
            let (from, applies_to) = if cross_border {
                (*cross_border_from, "cross_border")
            } else {
                match seller.size_class.unwrap_or(SizeClass::Micro) {
                    SizeClass::Medium | SizeClass::Large => (*medium_large_from, "medium_large"),
                    SizeClass::Micro | SizeClass::Small => (*micro_small_from, "micro_small"),
                }
            };
            (as_of >= from).then(|| {
                (
                    Outcome::NeedsDocument,
                    vec![
                        p("from", from.to_string()),
                        p("applies_to", applies_to.into()),
                    ],
                )
            })
        }
        Params::CategoryMismatch { keywords } => {
            let title = words(&listing.title);
            keywords
                .iter()
                .filter(|k| k.cluster != listing.cluster)
                .find_map(|k| {
                    k.words
                        .iter()
                        .find(|w| {
                            let w = words(w);
                            w.trim() != "" && title.contains(&w)
                        })
                        .map(|w| (k.cluster, w))
                })
                .map(|(named, w)| {
                    (
                        Outcome::Review,
                        vec![
                            p("keyword", w.clone()),
                            p("named_cluster", named.as_str().to_string()),
                            p("cluster", listing.cluster.as_str().to_string()),
                        ],
                    )
                })
        }
    }
}

/// Checks a listing against the rules of `rules` in force on `as_of` (a
/// day in Jakarta). Every rule that fires is listed, in the rule set's
/// order; the outcome is the highest of theirs.
pub fn check(listing: &Listing, seller: &Seller, rules: &RuleSet, as_of: Day) -> Decision {
    let cross_border = is_cross_border(listing, seller);
    let reasons: Vec<Reason> = rules
        .rules
        .iter()
        .filter(|r| r.in_force(as_of))
        .filter_map(|r| {
            let (outcome, parameters) = evaluate(r, listing, seller, cross_border, as_of)?;
            Some(Reason {
                rule: r.id.clone(),
                outcome,
                message_id: fill(&r.message_id, &parameters, false),
                message_en: fill(&r.message_en, &parameters, true),
                parameters,
                course: r.course.clone(),
            })
        })
        .collect();
    Decision {
        outcome: reasons
            .iter()
            .map(|r| r.outcome)
            .max()
            .unwrap_or(Outcome::Allowed),
        rule_set_version: rules.version,
        as_of,
        cross_border,
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIGRATION: &str = include_str!("../../../migrations/sqlite/20261204000011_listings.sql");
    const MIGRATION_PG: &str =
        include_str!("../../../migrations/postgres/20261204000011_listings.sql");

    /// Rule set v1 as the migration loads it.
    fn document(sql: &str) -> &str {
        let start = sql.find("(1, 'published', '").unwrap() + "(1, 'published', '".len();
        let end = start + sql[start..].find("', 0, 0, 0);").unwrap();
        &sql[start..end]
    }

    fn v1() -> RuleSet {
        serde_json::from_str(document(MIGRATION)).unwrap()
    }

    #[test]
    fn both_engines_load_the_same_rule_set() {
        assert_eq!(document(MIGRATION), document(MIGRATION_PG));
    }

    fn day(s: &str) -> Day {
        Day::parse(s).unwrap()
    }

    fn listing(cluster: Cluster, minor: i64, currency: Currency) -> Listing {
        Listing {
            title: "Produk".into(),
            cluster,
            price: Money { minor, currency },
            origin_country: "ID".into(),
            ships_from: "ID".into(),
            hs_code: None,
            halal_certificate: None,
        }
    }

    fn seller(country: &str, size: Option<SizeClass>) -> Seller {
        Seller {
            country: country.into(),
            size_class: size,
        }
    }

    fn rules_fired(d: &Decision) -> Vec<&str> {
        d.reasons.iter().map(|r| r.rule.as_str()).collect()
    }

    const TODAY: &str = "2025-06-01";

    #[test]
    fn every_assigned_code_and_only_those() {
        assert_eq!(ASSIGNED.split(' ').count(), 249);
        assert_eq!(country(" id "), Some("ID".into()));
        assert_eq!(country("s g"), Some("SG".into()));
        assert_eq!(country("Cn"), Some("CN".into()));
        for bad in ["", "X", "XX", "ZZ", "IDN", "1D", "uk"] {
            assert_eq!(country(bad), None, "{bad}");
        }
    }

    #[test]
    fn amounts_parse_exactly_into_minor_units() {
        use AmountError::*;
        let cases: &[(&str, Currency, Result<i64, AmountError>)] = &[
            ("100", Currency::Usd, Ok(10_000)),
            ("99.99", Currency::Usd, Ok(9_999)),
            ("0.5", Currency::Usd, Ok(50)),
            ("100.00", Currency::Usd, Ok(10_000)),
            (" 12.30 ", Currency::Usd, Ok(1_230)),
            ("1600000", Currency::Idr, Ok(1_600_000)),
            ("1600000.00", Currency::Idr, Ok(1_600_000)),
            ("007", Currency::Idr, Ok(7)),
            ("0", Currency::Idr, Ok(0)),
            ("99.999", Currency::Usd, Err(TooPrecise)),
            ("1500.5", Currency::Idr, Err(TooPrecise)),
            ("-1", Currency::Usd, Err(Negative)),
            ("+1", Currency::Usd, Err(NotANumber)),
            ("1e3", Currency::Usd, Err(NotANumber)),
            ("1,000", Currency::Idr, Err(NotANumber)),
            ("1.", Currency::Usd, Err(NotANumber)),
            (".5", Currency::Usd, Err(NotANumber)),
            ("abc", Currency::Usd, Err(NotANumber)),
            ("", Currency::Usd, Err(Empty)),
            ("99999999999999999999", Currency::Idr, Err(TooLarge)),
        ];
        for (input, currency, want) in cases {
            assert_eq!(parse_amount(input, *currency), *want, "{input:?}");
        }
        assert_eq!(
            format_amount(Money {
                minor: 9_905,
                currency: Currency::Usd
            }),
            "99.05"
        );
    }

    #[test]
    fn days_are_calendar_days_in_jakarta() {
        assert_eq!(day("2024-10-18").to_string(), "2024-10-18");
        assert_eq!(day("1970-01-01"), Day(0));
        assert!(Day::parse("2023-02-29").is_none());
        assert!(Day::parse("2024-02-29").is_some());
        assert!(Day::parse("2024-13-01").is_none());
        assert!(Day::parse("2024-1-01").is_none());
        // 2024-10-17 17:00 UTC is already 2024-10-18 in Jakarta.
        assert_eq!(Day::of_unix(1_729_184_400), day("2024-10-18"));
        assert_eq!(Day::of_unix(1_729_184_399), day("2024-10-17"));
    }

    #[test]
    fn cross_border_is_the_sellers_domicile_or_where_goods_ship_from() {
        let mut l = listing(Cluster::Other, 1, Currency::Idr);
        assert!(!is_cross_border(&l, &seller("ID", None)));
        assert!(is_cross_border(&l, &seller("CN", None)));
        l.ships_from = "CN".into();
        assert!(is_cross_border(&l, &seller("ID", None)));
        // Imported goods already stocked in Indonesia, a domestic seller.
        l.ships_from = "ID".into();
        l.origin_country = "CN".into();
        assert!(!is_cross_border(&l, &seller("ID", None)));
    }

    #[test]
    fn each_rule_alone() {
        let rules = v1();
        let today = day(TODAY);
        // AKAR: a cross-border listing in a restricted cluster.
        for cluster in [Cluster::TextilesFashion, Cluster::Handicrafts] {
            let d = check(
                &listing(cluster, 50_000, Currency::Usd),
                &seller("CN", None),
                &rules,
                today,
            );
            assert_eq!(d.outcome, Outcome::Blocked);
            assert_eq!(rules_fired(&d), ["akar_cross_border_cluster"]);
        }
        // The same listing by a domestic seller is allowed.
        let d = check(
            &listing(Cluster::TextilesFashion, 50_000, Currency::Usd),
            &seller("ID", None),
            &rules,
            today,
        );
        assert_eq!((d.outcome, d.reasons.len()), (Outcome::Allowed, 0));
        // The floor: a cross-border listing in `other` under USD 100.
        let d = check(
            &listing(Cluster::Other, 9_999, Currency::Usd),
            &seller("SG", None),
            &rules,
            today,
        );
        assert_eq!(rules_fired(&d), ["cross_border_min_price"]);
        assert_eq!(d.outcome, Outcome::Blocked);
        assert!(
            d.reasons[0].message_en.contains("USD 100"),
            "{:?}",
            d.reasons[0]
        );
        assert!(d.reasons[0].message_en.contains("USD 99.99"));
        // Halal: a domestic medium business's food listing without one.
        let d = check(
            &listing(Cluster::FoodBeverages, 25_000, Currency::Idr),
            &seller("ID", Some(SizeClass::Medium)),
            &rules,
            today,
        );
        assert_eq!(rules_fired(&d), ["halal_certificate_required"]);
        assert_eq!(d.outcome, Outcome::NeedsDocument);
        assert_eq!(d.reasons[0].course.as_deref(), Some("halal-self-declare"));
        // With the number: allowed.
        let mut l = listing(Cluster::FoodBeverages, 25_000, Currency::Idr);
        l.halal_certificate = Some("ID00410000123450124".into());
        let d = check(&l, &seller("ID", Some(SizeClass::Large)), &rules, today);
        assert_eq!(d.outcome, Outcome::Allowed);
        // Mismatch: a batik shirt listed under `other`.
        let mut l = listing(Cluster::Other, 150_000, Currency::Idr);
        l.title = "Kemeja Batik Pria Lengan Panjang".into();
        let d = check(&l, &seller("ID", None), &rules, today);
        assert_eq!(rules_fired(&d), ["category_mismatch_review"]);
        assert_eq!(d.outcome, Outcome::Review);
        assert!(d.reasons[0].message_id.contains("tekstil dan fesyen"));
        // In its own cluster it is fine; words match whole words only.
        l.cluster = Cluster::TextilesFashion;
        assert_eq!(
            check(&l, &seller("ID", None), &rules, today).outcome,
            Outcome::Allowed
        );
        let mut l = listing(Cluster::Other, 150_000, Currency::Idr);
        l.title = "Tas laptop kopian".into();
        assert_eq!(
            check(&l, &seller("ID", None), &rules, today).outcome,
            Outcome::Allowed
        );
        l.title = "KOPI BUBUK Gayo 250 g".into();
        l.cluster = Cluster::Handicrafts;
        let d = check(&l, &seller("ID", None), &rules, today);
        assert_eq!(d.outcome, Outcome::Review);
    }

    #[test]
    fn price_floor_boundaries() {
        let rules = v1();
        let today = day(TODAY);
        let sg = seller("SG", None);
        let floor_idr = 100 * 16_000;
        let cases: &[(i64, Currency, Outcome)] = &[
            (10_000, Currency::Usd, Outcome::Allowed),
            (9_999, Currency::Usd, Outcome::Blocked),
            (10_001, Currency::Usd, Outcome::Allowed),
            (floor_idr, Currency::Idr, Outcome::Allowed),
            (floor_idr - 1, Currency::Idr, Outcome::Blocked),
            (floor_idr + 1, Currency::Idr, Outcome::Allowed),
        ];
        for (minor, currency, want) in cases {
            let d = check(
                &listing(Cluster::Other, *minor, *currency),
                &sg,
                &rules,
                today,
            );
            assert_eq!(d.outcome, *want, "{minor} {currency:?}");
        }
        // The positive list, with and without dots and spaces.
        for (hs, want) in [
            ("4901.10.00", Outcome::Allowed),
            ("490110", Outcome::Allowed),
            ("4901 99", Outcome::Allowed),
            ("8523.49", Outcome::Allowed),
            ("3706", Outcome::Allowed),
            ("4905.90", Outcome::Blocked),
            ("49", Outcome::Blocked),
            ("", Outcome::Blocked),
        ] {
            let mut l = listing(Cluster::Other, 500, Currency::Usd);
            l.hs_code = Some(hs.into());
            assert_eq!(check(&l, &sg, &rules, today).outcome, want, "{hs:?}");
        }
        // The rate is the rule set's: another rate, another floor.
        let mut other = v1();
        for r in &mut other.rules {
            if let Params::CrossBorderMinPrice { idr_per_usd, .. } = &mut r.parameters {
                *idr_per_usd = 15_000;
            }
        }
        let l = listing(Cluster::Other, 1_500_000, Currency::Idr);
        assert_eq!(check(&l, &sg, &other, today).outcome, Outcome::Allowed);
        assert_eq!(check(&l, &sg, &rules, today).outcome, Outcome::Blocked);
    }

    #[test]
    fn halal_dates_per_size_class_and_cross_border() {
        let rules = v1();
        let food = listing(Cluster::FoodBeverages, 2_000_000, Currency::Idr);
        let cases: &[(Option<SizeClass>, &str, &str)] = &[
            (Some(SizeClass::Medium), "ID", "2024-10-18"),
            (Some(SizeClass::Large), "ID", "2024-10-18"),
            (Some(SizeClass::Micro), "ID", "2026-10-18"),
            (Some(SizeClass::Small), "ID", "2026-10-18"),
            // Unknown counts as micro.
            (None, "ID", "2026-10-18"),
        ];
        for (size, country, from) in cases {
            let s = seller(country, *size);
            let on = day(from);
            let before = check(&food, &s, &rules, on.previous());
            let at = check(&food, &s, &rules, on);
            assert_eq!(before.outcome, Outcome::Allowed, "{size:?} before {from}");
            assert_eq!(at.outcome, Outcome::NeedsDocument, "{size:?} on {from}");
        }
        // A cross-border food listing (shipped from abroad by a large
        // Indonesian business): from 2026-10-18 whatever the size, beside
        // the AKAR block.
        let mut l = food.clone();
        l.ships_from = "MY".into();
        let s = seller("ID", Some(SizeClass::Large));
        let before = check(&l, &s, &rules, day("2026-10-17"));
        assert_eq!(rules_fired(&before), ["akar_cross_border_cluster"]);
        let at = check(&l, &s, &rules, day("2026-10-18"));
        assert_eq!(
            rules_fired(&at),
            ["akar_cross_border_cluster", "halal_certificate_required"]
        );
    }

    #[test]
    fn precedence_lists_every_rule_that_fired() {
        let rules = v1();
        // Cross-border, food, cheap, no halal certificate, and a title of
        // another cluster: four rules, the outcome the highest.
        let mut l = listing(Cluster::FoodBeverages, 1_000, Currency::Usd);
        l.title = "Keripik dalam anyaman rotan".into();
        let d = check(
            &l,
            &seller("cn".to_uppercase().as_str(), None),
            &rules,
            day("2026-10-18"),
        );
        assert_eq!(d.outcome, Outcome::Blocked);
        assert_eq!(
            rules_fired(&d),
            [
                "akar_cross_border_cluster",
                "cross_border_min_price",
                "halal_certificate_required",
                "category_mismatch_review"
            ]
        );
        assert_eq!(d.rule_set_version, 1);
        // Needs a document beats review.
        let mut l = listing(Cluster::FoodBeverages, 30_000, Currency::Idr);
        l.title = "Sambal dengan kemasan anyaman".into();
        let d = check(
            &l,
            &seller("ID", Some(SizeClass::Medium)),
            &rules,
            day(TODAY),
        );
        assert_eq!(d.outcome, Outcome::NeedsDocument);
        assert_eq!(d.reasons.len(), 2);
        assert_eq!(
            Outcome::Blocked.max(Outcome::NeedsDocument),
            Outcome::Blocked
        );
        assert!(Outcome::NeedsDocument > Outcome::Review && Outcome::Review > Outcome::Allowed);
    }

    #[test]
    fn rules_apply_only_inside_their_window() {
        let rules = v1();
        let l = listing(Cluster::Other, 5_000, Currency::Usd);
        let s = seller("SG", None);
        assert_eq!(
            check(&l, &s, &rules, day("2023-09-25")).outcome,
            Outcome::Allowed
        );
        assert_eq!(
            check(&l, &s, &rules, day("2023-09-26")).outcome,
            Outcome::Blocked
        );
        // AKAR before it was announced.
        let l = listing(Cluster::Handicrafts, 50_000, Currency::Usd);
        assert_eq!(
            check(&l, &s, &rules, day("2021-08-02")).outcome,
            Outcome::Allowed
        );
        assert_eq!(
            check(&l, &s, &rules, day("2021-08-03")).outcome,
            Outcome::Blocked
        );
        // An end date (the last day it applies), and a rule switched off.
        let mut ended = v1();
        ended.rules[0].effective_until = Some(day("2022-12-31"));
        assert_eq!(
            check(&l, &s, &ended, day("2022-12-31")).outcome,
            Outcome::Blocked
        );
        assert_eq!(
            check(&l, &s, &ended, day("2023-01-01")).outcome,
            Outcome::Allowed
        );
        let mut off = v1();
        off.rules[0].enabled = false;
        assert_eq!(check(&l, &s, &off, day(TODAY)).outcome, Outcome::Allowed);
    }

    #[test]
    fn the_rule_set_document_round_trips() {
        let rules = v1();
        let text = serde_json::to_string(&rules).unwrap();
        let back: RuleSet = serde_json::from_str(&text).unwrap();
        assert_eq!(back, rules);
        assert_eq!(rules.rules.len(), 4);
        // An unknown kind is refused.
        let bad = text.replace("\"category_mismatch\"", "\"astrology\"");
        assert!(serde_json::from_str::<RuleSet>(&bad).is_err());
    }
}
