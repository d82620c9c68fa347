//! Policies for logging in and staying logged in. Pure functions of counts and times, so the
//! service decides with figures from storage and a time it is given.

use chrono::{DateTime, Duration, Utc};

/// Throttling of failed logins, per account name and per client address.
///
/// Per account it stops password guessing against one person; per address it stops one
/// client from trying many accounts. The counts are of failures inside `window`, so the lock
/// lifts by itself once the oldest failures fall out of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginThrottle {
    pub max_failures_per_account: u32,
    pub max_failures_per_address: u32,
    pub window: Duration,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        Self {
            max_failures_per_account: 5,
            max_failures_per_address: 20,
            window: Duration::minutes(15),
        }
    }
}

impl LoginThrottle {
    /// The start of the window in which failures count.
    pub fn window_start(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now - self.window
    }

    /// Whether another attempt may be checked at all, given the failures inside the window.
    pub fn allows(&self, failures_for_account: u32, failures_from_address: u32) -> bool {
        failures_for_account < self.max_failures_per_account
            && failures_from_address < self.max_failures_per_address
    }
}

/// Throttling of citizen login starts (DigiD, and its demo simulation) per client address.
/// A start costs a round trip to the DigiD broker and a stored login state, and the
/// simulation answers whether a BSN is in the population: neither may be run in bulk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginStartThrottle {
    pub max_starts_per_address: u32,
    pub window: Duration,
}

impl Default for LoginStartThrottle {
    fn default() -> Self {
        Self {
            max_starts_per_address: 30,
            window: Duration::minutes(15),
        }
    }
}

impl LoginStartThrottle {
    pub fn window_start(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now - self.window
    }

    /// Whether another start may be made, given the starts inside the window.
    pub fn allows(&self, starts_from_address: u32) -> bool {
        starts_from_address < self.max_starts_per_address
    }
}

/// How long a staff session lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    /// Without a request for this long, the session ends (enforced by the session store).
    pub idle_timeout: Duration,
    /// However active, a session ends this long after the login.
    pub absolute_timeout: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle_timeout: Duration::minutes(30),
            absolute_timeout: Duration::hours(12),
        }
    }
}

impl SessionPolicy {
    /// A session authenticated at `authenticated_at` is still valid at `now` when it is
    /// inside the absolute timeout and was not invalidated afterwards (by a password reset
    /// or deactivation at `sessions_valid_after`).
    pub fn is_valid(
        &self,
        authenticated_at: DateTime<Utc>,
        sessions_valid_after: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> bool {
        let within_absolute = now < authenticated_at + self.absolute_timeout;
        // A login from the future is a forged or corrupted claim.
        let not_future = authenticated_at <= now + Duration::minutes(1);
        let not_revoked = sessions_valid_after.is_none_or(|cut| authenticated_at >= cut);
        within_absolute && not_future && not_revoked
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, h, m, 0).unwrap()
    }

    #[test]
    fn throttle_counts_account_and_address_separately() {
        let t = LoginThrottle::default();
        assert!(t.allows(4, 19));
        assert!(!t.allows(5, 0));
        assert!(!t.allows(0, 20));
        assert_eq!(t.window_start(at(10, 15)), at(10, 0));
    }

    #[test]
    fn session_ends_after_the_absolute_timeout() {
        let p = SessionPolicy::default();
        assert!(p.is_valid(at(8, 0), None, at(19, 59)));
        assert!(!p.is_valid(at(8, 0), None, at(20, 0)));
    }

    #[test]
    fn session_ends_when_revoked_after_login() {
        let p = SessionPolicy::default();
        assert!(p.is_valid(at(8, 0), Some(at(7, 0)), at(9, 0)));
        assert!(!p.is_valid(at(8, 0), Some(at(8, 30)), at(9, 0)));
    }

    #[test]
    fn session_from_the_future_is_invalid() {
        let p = SessionPolicy::default();
        assert!(!p.is_valid(at(10, 0), None, at(9, 0)));
    }
}
