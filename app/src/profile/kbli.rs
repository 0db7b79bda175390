//! KBLI 2020 (BPS regulation 2/2020), the business classification, as far
//! as the portal lists it: `app/data/kbli/kbli2020.csv` (`code,title_id,
//! title_en`; its source is named in `app/data/kbli/SOURCE.md`). Stored
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
    pub title_en: String,
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

/// KBLI codes as typed: separated by commas, spaces or semicolons; each
/// may be followed by its title (`47911 Perdagangan …`, as the list's
/// suggestions fill it in). Every code must be on the list.
pub fn parse_list(input: &str) -> Result<Vec<String>, FieldCode> {
    let mut codes: Vec<String> = Vec::new();
    for token in input.split([',', ';', '\n']) {
        let token = token.trim();
        if token.is_empty() {
            continue;
        }
        let code: String = token.chars().take_while(|c| c.is_ascii_digit()).collect();
        if code.len() != 5 || find(&code).is_none() {
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
    }
}
