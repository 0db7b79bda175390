//! Indonesia's 38 provinces and 514 regencies/cities (Kemendagri codes:
//! `PP` and `PP.RR`), from `app/data/regions` (npm `idn-area-data` 3.1.2,
//! Open Database License: see the LICENSE.md and README.md beside the
//! data). Read once, on first use.

use std::sync::LazyLock;

use crate::error::FieldCode;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Province {
    pub code: &'static str,
    pub name: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Regency {
    pub code: &'static str,
    pub province: &'static str,
    pub name: &'static str,
}

fn rows(csv: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    csv.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.trim_end_matches('\r').splitn(3, ',').collect())
}

static PROVINCES: LazyLock<Vec<Province>> = LazyLock::new(|| {
    rows(include_str!("../../data/regions/provinces.csv"))
        .filter_map(|r| {
            Some(Province {
                code: r.first()?,
                name: r.get(1)?,
            })
        })
        .collect()
});

static REGENCIES: LazyLock<Vec<Regency>> = LazyLock::new(|| {
    rows(include_str!("../../data/regions/regencies.csv"))
        .filter_map(|r| {
            Some(Regency {
                code: r.first()?,
                province: r.get(1)?,
                name: r.get(2)?,
            })
        })
        .collect()
});

pub fn provinces() -> &'static [Province] {
    &PROVINCES
}

pub fn regencies() -> &'static [Regency] {
    &REGENCIES
}

pub fn province(code: &str) -> Option<&'static Province> {
    PROVINCES.iter().find(|p| p.code == code)
}

pub fn regency(code: &str) -> Option<&'static Regency> {
    REGENCIES.iter().find(|r| r.code == code)
}

/// The official name in title case (`KABUPATEN ACEH SELATAN` → `Kabupaten
/// Aceh Selatan`; `DKI` and `DI` stay as they are).
/// A place: its province and regency/city, either possibly unknown.
pub type Place = (Option<&'static Province>, Option<&'static Regency>);

/// A place as a form gives it: a province code and a regency/city code,
/// either may be empty. The regency must belong to the province; a regency
/// chosen without a province gives its own province. Errors name the field.
pub fn check_place(
    province_code: &str,
    regency_code: &str,
) -> Result<Place, (&'static str, FieldCode)> {
    let chosen = match province_code.trim() {
        "" => None,
        p => Some(province(p).ok_or(("province", FieldCode::InvalidRegion))?),
    };
    let reg = match regency_code.trim() {
        "" => None,
        r => Some(regency(r).ok_or(("regency", FieldCode::InvalidRegion))?),
    };
    match (chosen, reg) {
        (Some(p), Some(r)) if r.province != p.code => Err(("regency", FieldCode::RegionMismatch)),
        (None, Some(r)) => Ok((province(r.province), Some(r))),
        other => Ok(other),
    }
}

pub fn display_name(name: &str) -> String {
    name.split(' ')
        .map(|w| {
            if matches!(w, "DKI" | "DI") {
                return w.to_string();
            }
            let mut chars = w.chars();
            match chars.next() {
                Some(first) => first.to_string() + &chars.as_str().to_lowercase(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_official_list_is_complete_and_consistent() {
        assert_eq!(provinces().len(), 38);
        assert_eq!(regencies().len(), 514);
        for r in regencies() {
            assert!(province(r.province).is_some(), "{r:?}");
            assert!(r.code.starts_with(&format!("{}.", r.province)), "{r:?}");
        }
        assert_eq!(regency("32.73").map(|r| r.province), Some("32"));
        assert_eq!(display_name("KOTA BANDUNG"), "Kota Bandung");
        assert_eq!(display_name("DKI JAKARTA"), "DKI Jakarta");
    }

    #[test]
    fn a_regency_must_belong_to_the_chosen_province() {
        // 32.73 Kota Bandung is in 32 Jawa Barat, not in 31 DKI Jakarta.
        let (p, r) = check_place("32", "32.73").unwrap();
        assert_eq!((p.unwrap().code, r.unwrap().code), ("32", "32.73"));
        assert_eq!(
            check_place("31", "32.73"),
            Err(("regency", FieldCode::RegionMismatch))
        );
        let (p, _) = check_place("", "32.73").unwrap();
        assert_eq!(p.unwrap().code, "32");
        assert_eq!(
            check_place("99", ""),
            Err(("province", FieldCode::InvalidRegion))
        );
        assert_eq!(
            check_place("32", "32.99"),
            Err(("regency", FieldCode::InvalidRegion))
        );
        assert_eq!(check_place("", ""), Ok((None, None)));
        assert_eq!(check_place("32", "").unwrap().0.unwrap().code, "32");
    }
}

/// The provinces as a select's options: (code, name).
pub fn province_options() -> Vec<(String, String)> {
    provinces()
        .iter()
        .map(|p| (p.code.to_string(), display_name(p.name)))
        .collect()
}

/// The regencies/cities as a select's option groups, one per province.
pub fn regency_groups() -> Vec<(String, Vec<(String, String)>)> {
    provinces()
        .iter()
        .map(|p| {
            (
                display_name(p.name),
                regencies()
                    .iter()
                    .filter(|r| r.province == p.code)
                    .map(|r| (r.code.to_string(), display_name(r.name)))
                    .collect(),
            )
        })
        .collect()
}

/// "Regency, Province" of stored codes, either possibly missing.
pub fn place_name(province: Option<&str>, regency: Option<&str>) -> String {
    let r = regency
        .and_then(self::regency)
        .map(|r| display_name(r.name));
    let p = province
        .and_then(self::province)
        .map(|p| display_name(p.name));
    [r, p].into_iter().flatten().collect::<Vec<_>>().join(", ")
}
