//! Dates as a reader says them ("1er déc. à 19 h 58", "Dec 1 at 7:58 PM", "il y a
//! 5 min"): the numbers are computed here, the words and their order come from the
//! Fluent messages `date-*` and `ago-*`. Server-rendered dates are in UTC; the pages'
//! scripts rewrite them in the reader's time zone.

use super::{Arg, Lang};
use chrono::{DateTime, Datelike, Timelike, Utc};

/// A day and time: "1er déc. à 19 h 58"; with the year when it is not this year's.
pub fn when(lang: Lang, at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let minute = format!("{:02}", at.minute());
    let month = lang.t(&format!("month-{}", at.month()));
    let (pm, hour12) = at.hour12();
    let args = [
        ("day", Arg::from(i64::from(at.day()))),
        ("monthname", Arg::Str(&month)),
        ("year", Arg::from(i64::from(at.year()))),
        ("hour", Arg::from(i64::from(at.hour()))),
        ("hour12", Arg::from(i64::from(hour12))),
        ("pm", Arg::Str(if pm { "pm" } else { "am" })),
        ("minute", Arg::Str(&minute)),
    ];
    let id = if at.year() == now.year() {
        "date-this-year"
    } else {
        "date-other-year"
    };
    lang.t_args(id, &args)
}

/// How long ago: "à l'instant", "il y a 5 min", "il y a 3 h", "hier", then the date.
pub fn ago(lang: Lang, at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let seconds = (now - at).num_seconds();
    match seconds {
        s if s < 60 => lang.t("ago-now"),
        s if s < 3600 => lang.t_args("ago-minutes", &[("n", (s / 60).into())]),
        s if s < 86_400 => lang.t_args("ago-hours", &[("n", (s / 3600).into())]),
        s if s < 7 * 86_400 => lang.t_args("ago-days", &[("n", (s / 86_400).into())]),
        _ => when(lang, at, now),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    #[test]
    fn says_the_date_as_each_language_does() {
        let now = at(2026, 12, 2, 9, 0);
        let fr = Lang::french();
        let en = Lang::english();
        assert_eq!(when(fr, at(2026, 12, 1, 19, 58), now), "1er déc. à 19 h 58");
        assert_eq!(when(fr, at(2026, 3, 12, 8, 5), now), "12 mars à 8 h 05");
        assert_eq!(when(fr, at(2025, 5, 2, 8, 5), now), "2 mai 2025 à 8 h 05");
        assert_eq!(when(en, at(2026, 12, 1, 19, 58), now), "Dec 1 at 7:58 PM");
        assert_eq!(
            when(en, at(2025, 12, 1, 0, 3), now),
            "Dec 1, 2025 at 12:03 AM"
        );
    }

    #[test]
    fn says_how_long_ago() {
        let now = at(2026, 12, 2, 9, 0);
        let fr = Lang::french();
        let en = Lang::english();
        assert_eq!(ago(fr, now, now), "à l'instant");
        assert_eq!(ago(fr, at(2026, 12, 2, 8, 55), now), "il y a 5 min");
        assert_eq!(ago(fr, at(2026, 12, 2, 6, 0), now), "il y a 3 h");
        assert_eq!(ago(fr, at(2026, 12, 1, 8, 0), now), "hier");
        assert_eq!(ago(fr, at(2026, 11, 28, 8, 0), now), "il y a 4 jours");
        assert_eq!(ago(en, at(2026, 12, 2, 8, 59), now), "1 min ago");
        assert_eq!(ago(en, at(2026, 12, 1, 8, 0), now), "yesterday");
        assert_eq!(ago(fr, at(2026, 10, 1, 8, 0), now), "1er oct. à 8 h 00");
    }
}
