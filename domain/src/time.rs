//! Dutch local time for display. The Netherlands keep Central European Time with the EU
//! summer-time rule (since 1996): summer time from the last Sunday of March 01:00 UTC to the
//! last Sunday of October 01:00 UTC. Written out here so the browser build needs no time zone
//! database, and server and browser render the same text.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, Utc};

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

fn last_sunday(year: i32, month: u32) -> Option<NaiveDate> {
    let first_of_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    let last = first_of_next.pred_opt()?;
    let back = last.weekday().num_days_from_sunday();
    Some(last - Duration::days(i64::from(back)))
}

fn is_summer_time(t: DateTime<Utc>) -> bool {
    let year = t.year();
    let start = last_sunday(year, 3).and_then(|d| d.and_hms_opt(1, 0, 0));
    let end = last_sunday(year, 10).and_then(|d| d.and_hms_opt(1, 0, 0));
    match (start, end) {
        (Some(s), Some(e)) => {
            let n = t.naive_utc();
            n >= s && n < e
        }
        _ => false,
    }
}

/// The time in the Netherlands at instant `t`.
pub fn dutch_local(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    const CET: Option<FixedOffset> = FixedOffset::east_opt(3600);
    const CEST: Option<FixedOffset> = FixedOffset::east_opt(2 * 3600);
    let offset = if is_summer_time(t) { CEST } else { CET };
    // Both offsets are in range, so the fallback to UTC is never taken.
    match offset {
        Some(o) => t.with_timezone(&o),
        None => t.fixed_offset(),
    }
}

/// The instant a Dutch calendar day starts (00:00 local time), in UTC.
pub fn dutch_day_start(d: NaiveDate) -> DateTime<Utc> {
    let midnight = d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    // Midnight is never inside the 01:00 UTC switch, so the offset of the instant one hour
    // before UTC-midnight (CET) or two hours before (CEST) tells which one applies.
    let summer = midnight - Duration::hours(2);
    if is_summer_time(summer) {
        summer
    } else {
        midnight - Duration::hours(1)
    }
}

/// "22 november 2026"
pub fn format_date(t: DateTime<Utc>) -> String {
    format_day(dutch_local(t).date_naive())
}

/// A calendar date: "3 maart 2027".
pub fn format_day(d: NaiveDate) -> String {
    format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

/// "22 november 2026, 09:05"
pub fn format_datetime(t: DateTime<Utc>) -> String {
    let l = dutch_local(t);
    format!("{}, {}", format_date(t), l.format("%H:%M"))
}

/// "22-11-2026 09:05:03", compact for tables and exports.
pub fn format_datetime_short(t: DateTime<Utc>) -> String {
    dutch_local(t).format("%d-%m-%Y %H:%M:%S").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[test]
    fn winter_is_utc_plus_one() {
        assert_eq!(
            format_datetime(utc(2026, 11, 22, 8, 5)),
            "22 november 2026, 09:05"
        );
        assert_eq!(
            format_datetime_short(utc(2026, 1, 1, 0, 0)),
            "01-01-2026 01:00:00"
        );
    }

    #[test]
    fn summer_time_switches_on_the_last_sundays_at_one_utc() {
        // 2026: 29 March and 25 October.
        assert_eq!(
            format_datetime(utc(2026, 3, 29, 0, 59)),
            "29 maart 2026, 01:59"
        );
        assert_eq!(
            format_datetime(utc(2026, 3, 29, 1, 0)),
            "29 maart 2026, 03:00"
        );
        assert_eq!(
            format_datetime(utc(2026, 10, 25, 0, 59)),
            "25 oktober 2026, 02:59"
        );
        assert_eq!(
            format_datetime(utc(2026, 10, 25, 1, 0)),
            "25 oktober 2026, 02:00"
        );
    }

    #[test]
    fn dates_near_midnight_use_the_local_day() {
        assert_eq!(format_date(utc(2026, 12, 31, 23, 30)), "1 januari 2027");
    }
}
