//! Throttling of citizen login starts per client address, in the style of the staff login
//! throttle (`accounts.rs`): counted in storage, decided by a domain policy with the
//! portal's clock. Over the limit, no start is made and none is recorded.

use crate::error::ServiceError;
use crate::portal::Portal;

impl Portal {
    /// Records a citizen login start (`kind`: `digid` or `simulatie`) from `client_addr`,
    /// or refuses it when that address made too many starts within the window.
    pub(crate) async fn throttle_login_start(
        &self,
        kind: &str,
        client_addr: &str,
    ) -> Result<(), ServiceError> {
        // The address is the server's own finding (peer or trusted proxy), but it is
        // stored: no control characters, as everywhere.
        brp_domain::text::check_text("adres", client_addr)?;
        let now = self.clock.now();
        let throttle = self.config.login_start_throttle;
        let starts = self
            .store
            .count_login_starts(client_addr, throttle.window_start(now))
            .await?;
        if !throttle.allows(starts) {
            tracing::warn!(client_addr, starts, kind, "citizen login start throttled");
            return Err(ServiceError::Throttled);
        }
        self.store
            .record_login_start(kind, client_addr, now)
            .await?;
        Ok(())
    }
}
