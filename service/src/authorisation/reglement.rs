//! The published reglement's bijlagen, from the live configuration. Split from
//! `authorisation.rs` by job.

use crate::error::ServiceError;
use crate::portal::Portal;
use brp_domain::authorisation::{Reglement, ReglementAfnemer, ReglementProfile};

impl Portal {
    // ---- public ---------------------------------------------------------------------------

    /// Bijlagen 1 and 1a of the reglement, from the live configuration. Public: the
    /// reglement is a published document. Only approved profile versions appear.
    pub async fn reglement(&self) -> Result<Reglement, ServiceError> {
        let afnemers = self.store.list_afnemers().await?;
        let profiles = self.store.list_profiles().await?;
        let doelen = self.store.list_doelen().await?;
        let grondslagen = self.store.list_grondslagen().await?;
        let doel_text = |id: &i64| {
            doelen.iter().find(|d| d.id == *id).map(|d| {
                match grondslagen.iter().find(|g| g.id == d.grondslag_id) {
                    Some(g) => format!("{} ({})", d.name, g.title()),
                    None => d.name.clone(),
                }
            })
        };
        Ok(Reglement {
            generated_at: self.clock.now(),
            municipality: self.config.municipality.clone(),
            afnemers: afnemers
                .into_iter()
                .map(|a| ReglementAfnemer {
                    profiles: profiles
                        .iter()
                        .filter(|p| p.afnemer.id == a.id)
                        .filter_map(|p| {
                            p.current().map(|v| ReglementProfile {
                                name: p.name.clone(),
                                version: v.version,
                                description: p.description.clone(),
                                doelen: v.content.doelen.iter().filter_map(doel_text).collect(),
                                content: v.content.clone(),
                                vrije_derde_basis: v.vrije_derde_basis.clone(),
                            })
                        })
                        .collect(),
                    name: a.name.as_str().to_owned(),
                    kind: a.kind,
                    wettelijk_kader: a.wettelijk_kader,
                })
                .collect(),
        })
    }
}
