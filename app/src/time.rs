//! Showing stored times (epoch milliseconds) as local time in the district (UTC+8, no DST).
const UTC_OFFSET_MS: i64 = 8 * 3600 * 1000;

/// `YYYY-MM-DD HH:MM` in China Standard Time.
pub fn format_local(epoch_ms: i64) -> String {
    let ms = epoch_ms + UTC_OFFSET_MS;
    let days = ms.div_euclid(86_400_000);
    let mins = ms.rem_euclid(86_400_000) / 60_000;
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}", mins / 60, mins % 60)
}

/// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian calendar).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_in_china_standard_time() {
        assert_eq!(format_local(0), "1970-01-01 08:00");
        // 2026-11-27 16:46 UTC
        assert_eq!(format_local(1_795_797_960_000), "2026-11-28 00:46");
        assert_eq!(format_local(951_782_400_000), "2000-02-29 08:00");
    }
}
