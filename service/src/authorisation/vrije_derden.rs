//! The vrije-derde rules applied to profile versions: at most the permitted data set, never
//! the BSN, and the consent or weighing recorded (seed 001 art. 8 and bijlage 4; seed 004
//! art. 5). The rules themselves are in [`brp_domain::vrije_derde`].

use crate::error::ServiceError;
use crate::portal::Portal;
use brp_domain::authorisation::ProfileContent;
use brp_domain::vrije_derde::{check_profile, VrijeDerdeBasis, VrijeDerdeBasisInput};
use brp_domain::{AfnemerKind, ValidationError};

impl Portal {
    /// The basis to store with a new version of a profile of `afnemer_id`: checked and
    /// required for a vrije derde, none for any other afnemer (a form may send empty
    /// fields; they mean nothing there).
    pub(super) async fn vrije_derde_basis_for(
        &self,
        afnemer_id: i64,
        content: &ProfileContent,
        input: &VrijeDerdeBasisInput,
    ) -> Result<Option<VrijeDerdeBasis>, ServiceError> {
        if self.afnemer_kind(afnemer_id).await? != AfnemerKind::VrijeDerde {
            return Ok(None);
        }
        let basis = if input.is_empty() {
            None
        } else {
            Some(input.parse()?)
        };
        check_profile(content, basis.as_ref())?;
        Ok(basis)
    }

    /// Checked again when a version is approved: the afnemer may have become a vrije derde
    /// since the version was proposed, and approval is what lets the data flow.
    pub(super) async fn check_vrije_derde_approval(
        &self,
        afnemer_id: i64,
        content: &ProfileContent,
        basis: Option<&VrijeDerdeBasis>,
    ) -> Result<(), ServiceError> {
        if self.afnemer_kind(afnemer_id).await? != AfnemerKind::VrijeDerde {
            return Ok(());
        }
        check_profile(content, basis).map_err(|e| {
            ServiceError::Conflict(format!(
                "Deze versie kan niet worden goedgekeurd: de afnemer is een vrije derde. {}",
                e.message
            ))
        })
    }

    /// The afnemer's kind; an afnemer that cannot be found is refused as a choice.
    async fn afnemer_kind(&self, afnemer_id: i64) -> Result<AfnemerKind, ServiceError> {
        Ok(self
            .store
            .afnemer_by_id(afnemer_id)
            .await?
            .ok_or_else(|| ValidationError::new("afnemer", "Kies een bestaande afnemer."))?
            .kind)
    }
}
