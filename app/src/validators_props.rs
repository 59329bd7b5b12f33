//! Property tests of the validators and parsers every input passes through (issue 9): for any
//! input they answer (never panic), and what they accept keeps its promise — a phone number is
//! eleven digits, text has no control, reordering or invisible characters and fits its bounds,
//! a time parses back to what was formatted, an amount is what was typed.
use crate::accounts::{DisplayName, Phone};
use crate::hall::{is_bidi_control, is_invisible, parse_text};
use crate::error::Invalid;
use proptest::prelude::*;

/// Any text, weighted towards the characters validators must think about.
fn nasty() -> impl Strategy<Value = String> {
    let interesting = prop_oneof![
        Just('\u{0}'), Just('\n'), Just('\r'), Just('\t'), Just('\u{85}'), Just('\u{202E}'), Just('\u{2066}'),
        Just('\u{200B}'), Just('\u{200D}'), Just('\u{FEFF}'), Just('\u{3000}'), Just(' '), Just('-'), Just('+'),
        Just('１'), Just('字'), Just('<'), Just('%'), Just('.'), Just(':'), Just('T'),
        any::<char>(), proptest::char::range('0', '9'),
    ];
    proptest::collection::vec(interesting, 0..64).prop_map(|v| v.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn a_phone_is_eleven_digits_of_a_mobile_number(input in nasty()) {
        if let Ok(p) = Phone::parse(&input) {
            let s = p.as_str();
            prop_assert_eq!(s.len(), 11);
            prop_assert!(s.bytes().all(|b| b.is_ascii_digit()));
            prop_assert!(s.starts_with('1') && (b'3'..=b'9').contains(&s.as_bytes()[1]));
        }
    }

    #[test]
    fn a_phone_is_found_however_it_is_written(n in 13_000_000_000u64..20_000_000_000u64, style in 0..4usize) {
        let digits = n.to_string();
        let written = match style {
            0 => digits.clone(),
            1 => format!("+86 {}", &digits),
            2 => format!("{}-{}-{}", &digits[..3], &digits[3..7], &digits[7..]),
            _ => format!("86{digits}"),
        };
        let parsed = Phone::parse(&written).unwrap();
        prop_assert_eq!(parsed.as_str(), digits.as_str());
    }

    #[test]
    fn text_is_clean_and_within_bounds(input in nasty(), min in 0usize..5, extra in 0usize..40, multiline: bool) {
        let max = min + extra;
        if let Ok(text) = parse_text(&input, min, max, multiline, Invalid::Text) {
            let n = text.chars().count();
            prop_assert!(n >= min && n <= max);
            prop_assert_eq!(text.trim(), text.as_str());
            for c in text.chars() {
                prop_assert!(!is_bidi_control(c), "{:?}", c);
                prop_assert!(!c.is_control() || (multiline && (c == '\n' || c == '\t')), "{:?}", c);
                prop_assert!(!is_invisible(c) || (multiline && (c == '\u{200C}' || c == '\u{200D}')), "{:?}", c);
            }
        }
        if input.contains('\u{0}') {
            prop_assert!(parse_text(&input, min, max, multiline, Invalid::Text).is_err());
        }
    }

    #[test]
    fn a_display_name_is_short_and_shows_what_it_is(input in nasty()) {
        if let Ok(name) = DisplayName::parse(&input) {
            let n = name.as_str().chars().count();
            prop_assert!((1..=DisplayName::MAX_CHARS).contains(&n));
            let clean = name.as_str().chars().all(|c| !c.is_control() && !is_bidi_control(c) && c != '\u{200B}');
            prop_assert!(clean, "{:?}", name);
        }
    }

    #[test]
    fn local_times_parse_back_to_what_was_formatted(minutes in 15_778_080i64..34_187_040i64) {
        // 2000-01-01 to 2035: a time on the minute, as a datetime-local input gives it.
        let at = minutes * 60_000;
        prop_assert_eq!(crate::time::parse_local(&crate::time::format_input(at)), Some(at));
        let local = crate::time::format_local(at);
        prop_assert_eq!(crate::time::parse_local(&local), Some(at));
    }

    #[test]
    fn iso_times_parse_back_to_what_was_formatted(secs in 946_684_800i64..2_000_000_000i64) {
        let at = secs * 1000;
        prop_assert_eq!(crate::time::parse_iso(&crate::time::format_iso(at)), Some(at));
    }

    #[test]
    fn time_parsers_answer_anything(input in nasty()) {
        let _ = crate::time::parse_local(&input);
        let _ = crate::time::parse_iso(&input);
        let _ = crate::time::parse_date(&input);
        if let Some(m) = crate::appeals::parse_month(&input) {
            prop_assert_eq!(m.len(), 7);
        }
    }

    #[test]
    fn an_amount_is_what_was_typed(fen in 0i64..=10_000_000) {
        let typed = crate::menu::yuan(fen);
        prop_assert_eq!(crate::menu::parse_yuan(&typed), Ok(fen));
    }

    #[test]
    fn amounts_hours_and_codes_answer_anything(input in nasty()) {
        if let Ok(fen) = crate::menu::parse_yuan(&input) {
            prop_assert!((0..=10_000_000).contains(&fen));
        }
        if let Ok(m) = crate::market::parse_hours(&input, 12 * 60) {
            prop_assert!(m > 0 && m <= 12 * 60);
        }
        if let Ok(code) = crate::market::parse_checkin_code(&input) {
            prop_assert!(code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()));
        }
        let _ = crate::hall::like_pattern(&input);
    }

    #[test]
    fn hours_as_typed_are_those_minutes(h in 0i64..100, quarter in 0usize..4) {
        let (frac, minutes) = [("", 0), (".25", 15), (".5", 30), (".75", 45)][quarter];
        let total = h * 60 + minutes;
        let parsed = crate::market::parse_hours(&format!("{h}{frac}"), 12 * 60);
        if total > 0 && total <= 12 * 60 {
            prop_assert_eq!(parsed, Ok(total));
        } else {
            prop_assert!(parsed.is_err());
        }
    }
}
