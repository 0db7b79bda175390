//! Pure rules of workshops (bimtek): Indonesia's three time zones by
//! province, local times shown as such, and where a registration lands
//! (a seat while any is free, else the end of the waiting list). No I/O,
//! tested here.

use serde::{Deserialize, Serialize};

/// Indonesia's time zones (no daylight saving).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Zone {
    /// Waktu Indonesia Barat, UTC+7.
    Wib,
    /// Waktu Indonesia Tengah, UTC+8.
    Wita,
    /// Waktu Indonesia Timur, UTC+9.
    Wit,
}

impl Zone {
    pub fn offset_secs(self) -> i64 {
        match self {
            Zone::Wib => 7 * 3600,
            Zone::Wita => 8 * 3600,
            Zone::Wit => 9 * 3600,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Zone::Wib => "WIB",
            Zone::Wita => "WITA",
            Zone::Wit => "WIT",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Zone::Wib => "wib",
            Zone::Wita => "wita",
            Zone::Wit => "wit",
        }
    }

    pub fn parse(s: &str) -> Option<Zone> {
        match s {
            "wib" => Some(Zone::Wib),
            "wita" => Some(Zone::Wita),
            "wit" => Some(Zone::Wit),
            _ => None,
        }
    }

    /// The zone of a province (Kemendagri code): Sumatra, Java and West
    /// and Central Kalimantan are WIB; Bali, Nusa Tenggara, South, East
    /// and North Kalimantan and Sulawesi WITA; Maluku and Papua WIT.
    pub fn of_province(code: &str) -> Zone {
        match code {
            "51" | "52" | "53" | "63" | "64" | "65" | "71" | "72" | "73" | "74" | "75" | "76" => {
                Zone::Wita
            }
            c if c.starts_with('8') || c.starts_with('9') => Zone::Wit,
            _ => Zone::Wib,
        }
    }
}

/// `YYYY-MM-DD HH:MM` of a UTC instant in `zone`, with the zone's name.
pub fn local_time(unix: i64, zone: Zone) -> String {
    let t = unix + zone.offset_secs();
    let day = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    format!(
        "{} {:02}:{:02} {}",
        crate::shared::ui::format_day(day),
        secs / 3600,
        secs % 3600 / 60,
        zone.label()
    )
}

/// A local `YYYY-MM-DDTHH:MM` (what a `datetime-local` input sends) in
/// `zone`, as a UTC instant.
pub fn parse_local(input: &str, zone: Zone) -> Option<i64> {
    let (date, time) = input.trim().split_once('T')?;
    let mut d = date.split('-');
    let (y, m, day): (i64, i64, i64) = (
        d.next()?.parse().ok()?,
        d.next()?.parse().ok()?,
        d.next()?.parse().ok()?,
    );
    if d.next().is_some() || !(2000..=2100).contains(&y) || !(1..=12).contains(&m) {
        return None;
    }
    let mut t = time.split(':');
    let (h, min): (i64, i64) = (t.next()?.parse().ok()?, t.next()?.parse().ok()?);
    if !(0..24).contains(&h) || !(0..60).contains(&min) {
        return None;
    }
    let days = days_from_civil(y, m, day)?;
    Some(days * 86_400 + h * 3600 + min * 60 - zone.offset_secs())
}

/// Howard Hinnant's days_from_civil, refusing days a month does not have.
fn days_from_civil(y: i64, m: i64, d: i64) -> Option<i64> {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let len = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ][(m - 1) as usize];
    if !(1..=len).contains(&d) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provinces_have_their_zones() {
        assert_eq!(Zone::of_province("31"), Zone::Wib);
        assert_eq!(Zone::of_province("62"), Zone::Wib);
        assert_eq!(Zone::of_province("51"), Zone::Wita);
        assert_eq!(Zone::of_province("64"), Zone::Wita);
        assert_eq!(Zone::of_province("73"), Zone::Wita);
        assert_eq!(Zone::of_province("81"), Zone::Wit);
        assert_eq!(Zone::of_province("96"), Zone::Wit);
    }

    #[test]
    fn local_times_read_back_in_their_zone() {
        // 2026-12-10 09:00 in Makassar (WITA) is 01:00 UTC.
        let t = parse_local("2026-12-10T09:00", Zone::Wita).unwrap();
        assert_eq!(local_time(t, Zone::Wita), "2026-12-10 09:00 WITA");
        assert_eq!(local_time(t, Zone::Wib), "2026-12-10 08:00 WIB");
        assert_eq!(local_time(t, Zone::Wit), "2026-12-10 10:00 WIT");
        assert_eq!(parse_local("2026-02-30T09:00", Zone::Wib), None);
        assert_eq!(parse_local("2026-12-10 09:00", Zone::Wib), None);
        assert_eq!(parse_local("2026-12-10T24:00", Zone::Wib), None);
        assert!(parse_local("2028-02-29T00:00", Zone::Wib).is_some());
    }
}
