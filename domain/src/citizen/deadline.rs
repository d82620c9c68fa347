//! The legal deadlines of a citizen's request, as pure functions of dates.
//!
//! Wet BRP 2.55 (inzage), 2.58 (correctie), 2.59 (verstrekkingsbeperking) and 3.22
//! (overzicht van verstrekkingen) give the municipality four weeks from receipt. A decision
//! on a correctie that concerns burgerlijke staat or nationaliteit may be deferred by eight
//! weeks (2.58 lid 2), each time announced before the running term ends. While the
//! municipality waits for information it asked the citizen for, the term stands still
//! (Awb 4:15). A term that ends on a Saturday, Sunday or public holiday runs on to the next
//! working day (Algemene termijnenwet, art. 1 and 3).

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// Weeks the municipality has for any request.
pub const DECISION_WEEKS: i64 = 4;
/// Weeks one deferral (verdaging) of a correctie adds.
pub const EXTENSION_WEEKS: i64 = 8;
/// A request with this many days left or fewer is marked in the queue.
pub const DUE_SOON_DAYS: i64 = 5;

/// What the running term of a request is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TermInput {
    /// The Dutch calendar day the request was received.
    pub received_on: NaiveDate,
    /// How many deferrals of eight weeks were announced.
    pub extensions: u32,
    /// Calendar days the term stood still while waiting for the citizen.
    pub suspended_days: i64,
}

/// How close a deadline is, for marking the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Urgency {
    Overdue,
    DueSoon,
    OnTime,
}

/// The deadline of a request on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// The last day on which the decision is in time.
    pub due: NaiveDate,
    /// Days from today to `due`: 0 on the day itself, negative when overdue.
    pub days_left: i64,
}

impl Deadline {
    pub fn urgency(&self) -> Urgency {
        if self.days_left < 0 {
            Urgency::Overdue
        } else if self.days_left <= DUE_SOON_DAYS {
            Urgency::DueSoon
        } else {
            Urgency::OnTime
        }
    }

    /// "nog 12 dagen", "vandaag", "3 dagen te laat".
    pub fn days_left_text(&self) -> String {
        match self.days_left {
            0 => "vandaag is de laatste dag".to_owned(),
            1 => "nog 1 dag".to_owned(),
            n if n > 1 => format!("nog {n} dagen"),
            -1 => "1 dag te laat".to_owned(),
            n => format!("{} dagen te laat", -n),
        }
    }
}

/// The last day of the term before the Algemene termijnenwet moves it off a weekend or
/// holiday: receipt + 4 weeks + 8 weeks per deferral + days suspended.
pub fn nominal_end(term: TermInput) -> NaiveDate {
    let weeks = DECISION_WEEKS + EXTENSION_WEEKS * i64::from(term.extensions);
    term.received_on + Duration::weeks(weeks) + Duration::days(term.suspended_days.max(0))
}

/// The deadline of a request on `today`.
pub fn deadline(term: TermInput, today: NaiveDate) -> Deadline {
    let due = next_working_day(nominal_end(term));
    Deadline {
        due,
        days_left: (due - today).num_days(),
    }
}

/// `day` itself when it is a working day, otherwise the first working day after it.
pub fn next_working_day(day: NaiveDate) -> NaiveDate {
    let mut d = day;
    while !is_working_day(d) {
        d += Duration::days(1);
    }
    d
}

pub fn is_working_day(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !is_public_holiday(d)
}

/// The algemeen erkende feestdagen of Algemene termijnenwet art. 3: Nieuwjaarsdag, tweede
/// Paasdag, Koningsdag, 5 mei, Hemelvaartsdag, tweede Pinksterdag, both Christmas days.
/// (Easter Sunday and Whit Sunday are Sundays anyway.)
pub fn is_public_holiday(d: NaiveDate) -> bool {
    let (m, day) = (d.month(), d.day());
    if matches!((m, day), (1, 1) | (5, 5) | (12, 25) | (12, 26)) {
        return true;
    }
    if m == 4 && d == kings_day(d.year()) {
        return true;
    }
    let Some(easter) = easter_sunday(d.year()) else {
        return false;
    };
    d == easter + Duration::days(1)
        || d == easter + Duration::days(39)
        || d == easter + Duration::days(50)
}

/// 27 April, or 26 April when the 27th is a Sunday.
fn kings_day(year: i32) -> NaiveDate {
    let Some(d) = NaiveDate::from_ymd_opt(year, 4, 27) else {
        return NaiveDate::MIN;
    };
    if d.weekday() == Weekday::Sun {
        d - Duration::days(1)
    } else {
        d
    }
}

/// Easter Sunday of the Gregorian calendar (the anonymous algorithm of Meeus/Jones/Butcher).
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn term(received_on: NaiveDate) -> TermInput {
        TermInput {
            received_on,
            ..TermInput::default()
        }
    }

    #[test]
    fn easter_is_computed_for_known_years() {
        assert_eq!(easter_sunday(2024), Some(day(2024, 3, 31)));
        assert_eq!(easter_sunday(2026), Some(day(2026, 4, 5)));
        assert_eq!(easter_sunday(2027), Some(day(2027, 3, 28)));
        assert_eq!(easter_sunday(2038), Some(day(2038, 4, 25)));
    }

    #[test]
    fn the_holidays_of_the_algemene_termijnenwet() {
        for d in [
            day(2027, 1, 1),
            day(2027, 3, 29),  // tweede Paasdag
            day(2027, 4, 27),  // Koningsdag (a Tuesday)
            day(2027, 5, 5),   // 5 mei, every year
            day(2027, 5, 6),   // Hemelvaartsdag
            day(2027, 5, 17),  // tweede Pinksterdag
            day(2027, 12, 27), // a Monday, no holiday: checked below
        ] {
            if d != day(2027, 12, 27) {
                assert!(is_public_holiday(d), "{d}");
            }
        }
        assert!(!is_public_holiday(day(2027, 12, 27)));
        // Koningsdag on a Sunday moves to Saturday the 26th (2025).
        assert!(is_public_holiday(day(2025, 4, 26)));
        assert!(!is_public_holiday(day(2025, 4, 27)));
        // Goede Vrijdag is no holiday under the Atw.
        assert!(!is_public_holiday(day(2027, 3, 26)));
    }

    #[test]
    fn four_weeks_from_receipt() {
        // Received Tuesday 1 December 2026: four weeks is Tuesday 29 December.
        let d = deadline(term(day(2026, 12, 1)), day(2026, 12, 1));
        assert_eq!(d.due, day(2026, 12, 29));
        assert_eq!(d.days_left, 28);
        assert_eq!(d.urgency(), Urgency::OnTime);
    }

    #[test]
    fn a_term_ending_on_a_weekend_or_holiday_runs_to_the_next_working_day() {
        // Received Saturday 28 November 2026: 26 December is a holiday and a Saturday;
        // 27 December a Sunday: the term runs to Monday 28 December.
        let d = deadline(term(day(2026, 11, 28)), day(2026, 11, 28));
        assert_eq!(nominal_end(term(day(2026, 11, 28))), day(2026, 12, 26));
        assert_eq!(d.due, day(2026, 12, 28));
        // Received 4 December 2026 (Friday): 1 January 2027 is Nieuwjaarsdag, a Friday:
        // the term runs to Monday 4 January.
        assert_eq!(
            deadline(term(day(2026, 12, 4)), day(2026, 12, 4)).due,
            day(2027, 1, 4)
        );
    }

    #[test]
    fn each_deferral_adds_eight_weeks_to_the_unshifted_term() {
        let mut t = term(day(2026, 11, 28));
        t.extensions = 1;
        // 26 December + 8 weeks = Saturday 20 February 2027 → Monday 22 February.
        assert_eq!(nominal_end(t), day(2027, 2, 20));
        assert_eq!(deadline(t, day(2026, 12, 1)).due, day(2027, 2, 22));
        t.extensions = 2;
        assert_eq!(nominal_end(t), day(2027, 4, 17));
        assert_eq!(deadline(t, day(2026, 12, 1)).due, day(2027, 4, 19));
    }

    #[test]
    fn waiting_for_the_citizen_suspends_the_term() {
        let mut t = term(day(2026, 12, 1));
        t.suspended_days = 10;
        // 29 December + 10 days = Friday 8 January 2027.
        assert_eq!(deadline(t, day(2026, 12, 1)).due, day(2027, 1, 8));
        t.suspended_days = -3;
        assert_eq!(nominal_end(t), day(2026, 12, 29), "never shortened");
    }

    #[test]
    fn urgency_marks_overdue_and_due_within_five_days() {
        let t = term(day(2026, 12, 1));
        assert_eq!(deadline(t, day(2026, 12, 23)).urgency(), Urgency::OnTime);
        assert_eq!(deadline(t, day(2026, 12, 24)).urgency(), Urgency::DueSoon);
        assert_eq!(deadline(t, day(2026, 12, 29)).urgency(), Urgency::DueSoon);
        let late = deadline(t, day(2026, 12, 31));
        assert_eq!(late.urgency(), Urgency::Overdue);
        assert_eq!(late.days_left_text(), "2 dagen te laat");
        assert_eq!(
            deadline(t, day(2026, 12, 29)).days_left_text(),
            "vandaag is de laatste dag"
        );
        assert_eq!(
            deadline(t, day(2026, 12, 1)).days_left_text(),
            "nog 28 dagen"
        );
    }
}
