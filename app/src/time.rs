//! Showing stored times (epoch milliseconds) as local time in the district (UTC+8, no DST).
const UTC_OFFSET_MS: i64 = 8 * 3600 * 1000;

/// `YYYY-MM-DD HH:MM` in China Standard Time.
pub fn format_local(epoch_ms: i64) -> String {
    let ms = epoch_ms + UTC_OFFSET_MS;
    let days = ms.div_euclid(86_400_000);
    let mins = ms.rem_euclid(86_400_000) / 60_000;
    let (y, m, d) = civil_from_days(days);
    let mut out = date_prefix(y, m, d, ' ');
    push_padded(&mut out, mins / 60, 2);
    out.push(':');
    push_padded(&mut out, mins % 60, 2);
    out
}

/// `YYYY-MM-DD` and the separator, in a buffer long enough for the time after it.
fn date_prefix(y: i64, m: i64, d: i64, separator: char) -> String {
    let mut out = String::with_capacity(25);
    push_padded(&mut out, y, 4);
    out.push('-');
    push_padded(&mut out, m, 2);
    out.push('-');
    push_padded(&mut out, d, 2);
    out.push(separator);
    out
}

/// `n` in decimal, zero-padded to `width` characters as `format!("{n:0width$}")` writes it.
/// Written by hand because pages show many times: `format!`'s padding cost about 2,800
/// instructions per time, 8% of an Open311 list's (callgrind, issue 8); this takes a third
/// of its time.
fn push_padded(out: &mut String, n: i64, width: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n.unsigned_abs();
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    let len = digits.len() - at + usize::from(n < 0);
    if n < 0 {
        out.push('-');
    }
    out.extend(std::iter::repeat_n('0', width.saturating_sub(len)));
    out.extend(digits[at..].iter().map(|&b| char::from(b)));
}

/// Parses `YYYY-MM-DDTHH:MM` (a `datetime-local` input, also with a space) in China Standard
/// Time into epoch milliseconds.
pub fn parse_local(input: &str) -> Option<i64> {
    let input = input.trim();
    let (date, time) = input.split_once(['T', ' '])?;
    let days = parse_days(date)?;
    let (h, m) = time.get(..5)?.split_once(':')?;
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    if !(0..24).contains(&h) || !(0..60).contains(&m) {
        return None;
    }
    Some(days * 86_400_000 + (h * 60 + m) * 60_000 - UTC_OFFSET_MS)
}

/// Checks a `YYYY-MM-DD` date and returns it as written.
pub fn parse_date(input: &str) -> Option<String> {
    parse_days(input.trim()).map(|_| input.trim().to_string())
}

fn parse_days(date: &str) -> Option<i64> {
    let mut parts = date.splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let d: i64 = parts.next()?.parse().ok()?;
    if !(2000..=2100).contains(&y) || !(1..=12).contains(&m) || d < 1 {
        return None;
    }
    let days = days_from_civil(y, m, d);
    // Rejects 2026-02-30 and the like: the date must come back unchanged.
    (civil_from_days(days) == (y, m, d)).then_some(days)
}

/// ISO 8601 with the district's offset, to the second: `2026-11-27T22:15:05+08:00` (Open311).
pub fn format_iso(epoch_ms: i64) -> String {
    let secs = (epoch_ms + UTC_OFFSET_MS).div_euclid(1000);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    let mut out = date_prefix(y, m, d, 'T');
    push_padded(&mut out, s / 3600, 2);
    out.push(':');
    push_padded(&mut out, s / 60 % 60, 2);
    out.push(':');
    push_padded(&mut out, s % 60, 2);
    out.push_str("+08:00");
    out
}

/// Parses ISO 8601 as Open311 clients send it: a date, or a date and time with optional
/// seconds and fraction, and `Z`, `±hh:mm` or `±hhmm` (no offset: the district's local time).
pub fn parse_iso(input: &str) -> Option<i64> {
    let input = input.trim();
    let (date, rest) = match input.split_once(['T', ' ']) {
        Some((d, r)) => (d, r),
        None => (input, "00:00:00"),
    };
    let days = parse_days(date)?;
    // Split the offset off the time.
    let (time, offset_ms) = if let Some(t) = rest.strip_suffix('Z') {
        (t, 0)
    } else if let Some(i) = rest.rfind(['+', '-']) {
        let (t, off) = rest.split_at(i);
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let digits: String = off[1..].chars().filter(|c| *c != ':').collect();
        if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let (h, m): (i64, i64) = (digits[..2].parse().ok()?, digits[2..].parse().ok()?);
        if h > 14 || m > 59 {
            return None;
        }
        (t, sign * (h * 60 + m) * 60_000)
    } else {
        (rest, UTC_OFFSET_MS)
    };
    let time = time.split('.').next()?;
    let mut parts = time.split(':');
    let h: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let s: i64 = match parts.next() {
        Some(s) => s.parse().ok()?,
        None => 0,
    };
    if parts.next().is_some() || !(0..24).contains(&h) || !(0..60).contains(&m) || !(0..60).contains(&s) {
        return None;
    }
    Some(days * 86_400_000 + ((h * 60 + m) * 60 + s) * 1000 - offset_ms)
}

/// The value a `datetime-local` input shows for an instant.
pub fn format_input(epoch_ms: i64) -> String {
    format_local(epoch_ms).replace(' ', "T")
}

/// Howard Hinnant's civil-to-days algorithm.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
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

    #[test]
    fn pads_as_format_does() {
        for n in [0, 7, 42, 999, 2026, 12345, -3, -42, -2026, i64::MAX, i64::MIN] {
            for width in [0, 2, 4] {
                let mut out = String::new();
                push_padded(&mut out, n, width);
                assert_eq!(out, format!("{n:0width$}"), "{n} to {width}");
            }
        }
    }

    #[test]
    fn parses_what_it_formats() {
        for ms in [951_782_400_000, 1_795_797_960_000, 1_800_000_000_000 - 1_800_000_000_000 % 60_000] {
            assert_eq!(parse_local(&format_input(ms)), Some(ms));
        }
        assert_eq!(parse_local("2026-02-30T10:00"), None);
        assert_eq!(parse_local("2026-12-01T24:00"), None);
        assert_eq!(parse_local("tomorrow"), None);
        assert_eq!(parse_date("2026-11-27").as_deref(), Some("2026-11-27"));
        assert_eq!(parse_date("2026-13-01"), None);
    }

    #[test]
    fn iso_8601_round_trips_and_reads_offsets() {
        let t = 1_795_797_965_000; // 2026-11-27 16:46:05 UTC
        assert_eq!(format_iso(t), "2026-11-28T00:46:05+08:00");
        assert_eq!(parse_iso(&format_iso(t)), Some(t));
        assert_eq!(parse_iso("2026-11-27T16:46:05Z"), Some(t));
        assert_eq!(parse_iso("2026-11-27T16:46:05.123Z"), Some(t));
        assert_eq!(parse_iso("2026-11-27T11:46:05-0500"), Some(t));
        assert_eq!(parse_iso("2026-11-28T00:46:05"), Some(t));
        assert_eq!(parse_iso("2026-11-28"), parse_local("2026-11-28T00:00"));
        for bad in ["", "yesterday", "2026-11-27T25:00:00Z", "2026-11-27T10:00:00+99:00", "2026-02-30", "2026-11-27T10"] {
            assert_eq!(parse_iso(bad), None, "{bad}");
        }
    }
}
