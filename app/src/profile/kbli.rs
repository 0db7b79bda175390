//! KBLI 2020 (BPS regulation 2/2020), the business classification, as far
//! as the portal lists it: `app/data/kbli/kbli2020.csv` (`code,title_id,
//! title_en,isic_rev4`; its sources are named in `app/data/kbli/SOURCE.md`).
//! BPS publishes the titles in Indonesian only: the English title is that
//! of the ISIC Rev.4 class, group or division containing the code, and is
//! always shown as such ("ISIC 1079: …"), never as a translation. Stored
//! with the business as `(kbli_version, code)`, so KBLI 2025 can follow.

use std::sync::LazyLock;

use crate::error::FieldCode;

pub const VERSION: &str = "2020";

/// At most this many codes per business.
pub const MAX_CODES: usize = 10;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kbli {
    pub code: String,
    pub title_id: String,
    /// The English title of the ISIC Rev.4 item containing the code.
    pub title_en: String,
    /// That ISIC item's code (4 digits a class, 3 a group, 2 a division).
    pub isic: String,
}

impl Kbli {
    /// The code with its title as a reader of `english` sees it: the
    /// official Indonesian title, and in English the ISIC title beside it.
    pub fn label(&self, english: bool) -> String {
        if english && !self.title_en.is_empty() {
            format!(
                "{} ISIC {}: {} ({})",
                self.code, self.isic, self.title_en, self.title_id
            )
        } else {
            format!("{} {}", self.code, self.title_id)
        }
    }
}

/// The fields of one CSV line (RFC 4180 quoting).
fn fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                current.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    out.push(current);
    out
}

static LIST: LazyLock<Vec<Kbli>> = LazyLock::new(|| {
    include_str!("../../data/kbli/kbli2020.csv")
        .lines()
        .skip(1)
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.is_empty())
        .filter_map(|l| {
            let mut f = fields(l).into_iter();
            Some(Kbli {
                code: f.next()?,
                title_id: f.next()?,
                title_en: f.next().unwrap_or_default(),
                isic: f.next().unwrap_or_default(),
            })
        })
        .collect()
});

pub fn list() -> &'static [Kbli] {
    &LIST
}

pub fn find(code: &str) -> Option<&'static Kbli> {
    LIST.iter().find(|k| k.code == code)
}

/// The codes whose number starts with, or whose title (in either
/// language) contains, every word of `query`, case-insensitively.
pub fn search(query: &str) -> Vec<&'static Kbli> {
    let words: Vec<String> = query
        .split_whitespace()
        .map(|w| w.to_lowercase())
        .take(8)
        .collect();
    LIST.iter()
        .filter(|k| {
            let hay = format!("{} {}", k.title_id, k.title_en).to_lowercase();
            words
                .iter()
                .all(|w| k.code.starts_with(w.as_str()) || hay.contains(w.as_str()))
        })
        .collect()
}

/// The shape of a KBLI list, without the list itself (so the browser can
/// check as the seller types without loading every title): each entry
/// starts with five digits, at most [`MAX_CODES`] of them. The server then
/// also requires every code to be on the list ([`parse_list`]).
pub fn check_shape(input: &str) -> Result<Vec<String>, FieldCode> {
    let mut codes: Vec<String> = Vec::new();
    for token in input.split([',', ';', '\n']) {
        let token = token.trim();
        if token.is_empty() {
            continue;
        }
        let code: String = token.chars().take_while(|c| c.is_ascii_digit()).collect();
        if code.len() != 5 {
            return Err(FieldCode::InvalidKbli);
        }
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    if codes.len() > MAX_CODES {
        return Err(FieldCode::TooLong);
    }
    Ok(codes)
}

/// KBLI codes as typed: separated by commas, spaces or semicolons; each
/// may be followed by its title (`47911 Perdagangan …`, as the list's
/// suggestions fill it in). Every code must be on the list.
pub fn parse_list(input: &str) -> Result<Vec<String>, FieldCode> {
    let codes = check_shape(input)?;
    if codes.iter().any(|c| find(c).is_none()) {
        return Err(FieldCode::InvalidKbli);
    }
    Ok(codes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_has_the_priority_clusters_and_parses_as_typed() {
        assert!(list().len() >= 100, "{}", list().len());
        for prefix in ["10", "13", "14", "32", "4791", "56"] {
            assert!(
                list().iter().any(|k| k.code.starts_with(prefix)),
                "no {prefix}…"
            );
        }
        assert!(list()
            .iter()
            .all(|k| k.code.len() == 5 && !k.title_id.is_empty()));
        let first = list()[0].code.as_str();
        assert_eq!(
            parse_list(&format!("{first}, {first} Judul")),
            Ok(vec![first.to_string()])
        );
        assert_eq!(parse_list(""), Ok(vec![]));
        assert_eq!(parse_list("99999"), Err(FieldCode::InvalidKbli));
        assert_eq!(parse_list("4791"), Err(FieldCode::InvalidKbli));
        assert_eq!(check_shape("99999"), Ok(vec!["99999".to_string()]));
        let eleven = (0..11)
            .map(|i| (10_000 + i).to_string())
            .collect::<Vec<_>>()
            .join(",");
        assert_eq!(check_shape(&eleven), Err(FieldCode::TooLong));
    }

    #[test]
    fn every_code_has_an_english_isic_title_and_search_reads_both_languages() {
        for k in list() {
            assert!(!k.title_en.is_empty(), "{}", k.code);
            assert!(
                (2..=4).contains(&k.isic.len()) && k.code.starts_with(&k.isic[..2]),
                "{} {}",
                k.code,
                k.isic
            );
        }
        let batik = search("batik");
        assert!(batik.iter().any(|k| k.code == "13134"));
        assert!(search("furniture").iter().any(|k| k.code == "31001"));
        assert!(search("4791").iter().all(|k| k.code.starts_with("4791")));
        assert!(find("13134").unwrap().label(true).contains("ISIC"));
        assert!(!find("13134").unwrap().label(false).contains("ISIC"));
    }
}
