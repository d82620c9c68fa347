//! In-process caches of data that never changes once written (approved profile versions,
//! doelen), so that the per-lookup checks read only what can change: the grant itself.

use brp_domain::authorisation::{Doel, Profile};
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, RwLock};

#[derive(Default)]
pub(crate) struct Caches {
    profiles: RwLock<HashMap<(i64, i32), Arc<Profile>>>,
    doelen: RwLock<HashMap<i64, Doel>>,
}

impl Caches {
    pub(crate) fn profile(&self, id: i64, current_version: i32) -> Option<Arc<Profile>> {
        self.profiles
            .read()
            .ok()?
            .get(&(id, current_version))
            .cloned()
    }

    pub(crate) fn put_profile(&self, id: i64, current_version: i32, profile: Arc<Profile>) {
        if let Ok(mut m) = self.profiles.write() {
            m.insert((id, current_version), profile);
        }
    }

    /// All the asked doelen, or `None` when one is not cached.
    pub(crate) fn doelen(&self, ids: &BTreeSet<i64>) -> Option<Vec<Doel>> {
        let m = self.doelen.read().ok()?;
        ids.iter().map(|id| m.get(id).cloned()).collect()
    }

    pub(crate) fn put_doelen(&self, all: &[Doel]) {
        if let Ok(mut m) = self.doelen.write() {
            for d in all {
                m.insert(d.id, d.clone());
            }
        }
    }
}
