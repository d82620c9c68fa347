//! Asking the citizen for information (Awb 4:5 and 4:15). The question carries an answer
//! term; the decision term stands still from the question until the answer, or until the
//! answer term has run out unused. Then the request continues and is decided on what is
//! known. That happens by time passing alone: [`CitizenRequest::settle`] works it out from
//! the clock whenever a request is read, so no job has to run.

use super::{CitizenRequest, EventKind, RequestEvent, RequestStatus};
use crate::ValidationError;
use chrono::{Duration, NaiveDate};

/// The answer term the beheerder is offered: two weeks.
pub const ANSWER_DAYS_DEFAULT: i64 = 14;
/// At least a week: a letter by post must arrive and an answer return.
pub const ANSWER_DAYS_MIN: i64 = 7;
/// At most eight weeks: the decision term stands still all that time.
pub const ANSWER_DAYS_MAX: i64 = 56;
/// Who ends a suspension when the answer term runs out.
pub const SYSTEM_ACTOR: &str = "BRP-portaal (automatisch)";

/// Reads the last day to answer as the beheerder chose it (empty: two weeks from `today`),
/// within a week and eight weeks.
pub fn parse_answer_term(raw: &str, today: NaiveDate) -> Result<NaiveDate, ValidationError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(today + Duration::days(ANSWER_DAYS_DEFAULT));
    }
    let due = NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(raw, "%d-%m-%Y"))
        .map_err(|_| {
            ValidationError::new("antwoord_uiterlijk", "Vul een datum in, zoals 15-12-2026.")
        })?;
    let days = (due - today).num_days();
    if !(ANSWER_DAYS_MIN..=ANSWER_DAYS_MAX).contains(&days) {
        return Err(ValidationError::new(
            "antwoord_uiterlijk",
            format!(
                "Geef de inwoner minstens {} dagen en hoogstens {} weken om te antwoorden.",
                ANSWER_DAYS_MIN,
                ANSWER_DAYS_MAX / 7
            ),
        ));
    }
    Ok(due)
}

/// The day the suspension ends when no answer came: the day after the last day to answer.
pub fn term_ends(due_on: NaiveDate) -> NaiveDate {
    due_on + Duration::days(1)
}

impl CitizenRequest {
    /// The question the citizen has not answered yet, if the request waits for one.
    pub fn open_question(&self) -> Option<&RequestEvent> {
        if self.status != RequestStatus::WachtOpInformatie {
            return None;
        }
        self.events
            .iter()
            .rev()
            .take_while(|e| {
                !matches!(
                    e.kind,
                    EventKind::InformatieGegeven | EventKind::InformatieTermijnVerstreken
                )
            })
            .find(|e| e.kind == EventKind::InformatieGevraagd)
    }

    /// When the answer term of the open question has run out on `today`: the step that
    /// ends the suspension (dated at the start of the day after the last day to answer).
    pub fn expired_question(&self, today: NaiveDate) -> Option<RequestEvent> {
        let due = self.open_question()?.due_on?;
        let ends = term_ends(due);
        if today < ends {
            return None;
        }
        Some(RequestEvent {
            id: 0,
            at: crate::time::dutch_day_start(ends),
            kind: EventKind::InformatieTermijnVerstreken,
            actor: SYSTEM_ACTOR.to_owned(),
            by_citizen: false,
            text: format!(
                "Er kwam geen antwoord vóór het einde van de termijn ({}). De beslistermijn \
                 loopt weer; wij beslissen op wat bekend is.",
                crate::time::format_day(due)
            ),
            staff_only: false,
            due_on: None,
        })
    }

    /// The request as it stands on `today`: a question whose answer term ran out no longer
    /// holds it; it is back in behandeling, with that step in its history.
    pub fn settle(&mut self, today: NaiveDate) -> bool {
        match self.expired_question(today) {
            Some(step) => {
                self.events.push(step);
                self.status = RequestStatus::InBehandeling;
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::super::tests::{event, request};
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    #[test]
    fn the_answer_term_is_two_weeks_unless_chosen_within_bounds() {
        assert_eq!(parse_answer_term("", day(12, 1)).unwrap(), day(12, 15));
        assert_eq!(
            parse_answer_term("8-12-2026", day(12, 1)).unwrap(),
            day(12, 8)
        );
        assert!(parse_answer_term("2026-12-07", day(12, 1)).is_err());
        assert_eq!(
            parse_answer_term("2027-01-26", day(12, 1)).unwrap(),
            day(12, 1) + Duration::days(56)
        );
        assert!(parse_answer_term("2027-01-27", day(12, 1)).is_err());
        assert!(parse_answer_term("morgen", day(12, 1)).is_err());
    }

    #[test]
    fn an_unanswered_question_ends_the_suspension_when_its_term_runs_out() {
        let mut r = request(day(12, 1));
        r.status = RequestStatus::WachtOpInformatie;
        let mut asked = event(EventKind::InformatieGevraagd, 2026, 12, 3);
        asked.due_on = Some(day(12, 17));
        r.events.push(asked);
        assert!(r.expired_question(day(12, 17)).is_none());
        assert_eq!(r.suspended_days(day(12, 17)), 14);
        // From 18 December on, the term runs again: 15 days stood still, no more.
        assert_eq!(r.suspended_days(day(12, 30)), 15);
        let mut settled = r.clone();
        assert!(settled.settle(day(12, 30)));
        assert_eq!(settled.status, RequestStatus::InBehandeling);
        assert_eq!(settled.suspended_days(day(12, 30)), 15);
        assert!(settled.open_question().is_none());
        assert!(!settled.settle(day(12, 31)), "once");
        // An answer before the end stops the suspension that day.
        r.events
            .push(event(EventKind::InformatieGegeven, 2026, 12, 10));
        r.status = RequestStatus::InBehandeling;
        assert_eq!(r.suspended_days(day(12, 30)), 7);
    }
}
