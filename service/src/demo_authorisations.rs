//! Demo mode, part two: the authorisation register of "Gemeente Voorbeeld", with the
//! profiles of the Maasgouw reglement (seed 001, bijlage 1a) and an approved grant of
//! "raadplegen algemeen" for the demo medewerker.
//!
//! This is seed data made by the system ("demo"), not by a beheerder: it is written straight
//! to the store as approved, which no beheerder can do through the service.

use crate::demo::DEMO_AFNEMERS;
use crate::error::ServiceError;
use crate::portal::Portal;
use crate::store::{
    DecisionRecord, NewAfnemer, NewAuditEvent, NewDoel, NewGrant, NewGrondslag, NewProfileVersion,
};
use brp_domain::authorisation::{one_year_after, ProfileContent, SearchType};
use brp_domain::catalogue::Catalogue;
use brp_domain::{AuditAction, Username};
use std::collections::BTreeSet;

struct DemoGrondslag {
    law: &'static str,
    article: &'static str,
    description: &'static str,
}

const GRONDSLAGEN: [DemoGrondslag; 5] = [
    DemoGrondslag {
        law: "Participatiewet",
        article: "artikel 53a",
        description: "Onderzoek naar de juistheid en volledigheid van verstrekte inlichtingen",
    },
    DemoGrondslag {
        law: "Wet maatschappelijke ondersteuning 2015",
        article: "artikel 2.3.2",
        description: "Onderzoek na een melding van een behoefte aan ondersteuning",
    },
    DemoGrondslag {
        law: "Leerplichtwet 1969",
        article: "artikel 16",
        description: "Administratie van leerplichtige jongeren",
    },
    DemoGrondslag {
        law: "Gemeentewet",
        article: "artikel 231",
        description: "Heffing en invordering van gemeentelijke belastingen",
    },
    DemoGrondslag {
        law: "Wet basisregistratie personen",
        article: "artikel 3.3",
        description: "Verstrekking aan organen van de gemeente voor hun taak",
    },
];

/// (afnemer, grondslag law, doel name)
const DOELEN: [(&str, &str, &str); 6] = [
    (
        "Team werk, inkomen en zorg",
        "Participatiewet",
        "Beoordelen aanvraag bijstand",
    ),
    (
        "Team werk, inkomen en zorg",
        "Wet maatschappelijke ondersteuning 2015",
        "Onderzoek maatwerkvoorziening Wmo",
    ),
    (
        "Team werk, inkomen en zorg",
        "Participatiewet",
        "Controle adres en samenstelling huishouden",
    ),
    (
        "Team financiën",
        "Gemeentewet",
        "Heffing en invordering gemeentelijke belastingen",
    ),
    (
        "Leerplicht",
        "Leerplichtwet 1969",
        "Toezicht op naleving van de leerplicht",
    ),
    (
        "Team Burgerzaken",
        "Wet basisregistratie personen",
        "Dienstverlening aan de balie",
    ),
];

struct DemoProfile {
    name: &'static str,
    afnemer: &'static str,
    description: &'static str,
    /// Catalogue paths (groups or elements); each stands for every element below it.
    fields: &'static [&'static str],
    search_types: &'static [SearchType],
    doelen: &'static [&'static str],
    own_residents_only: bool,
}

const PROFILES: [DemoProfile; 5] = [
    DemoProfile {
        name: "Profiel raadplegen algemeen",
        afnemer: "Team werk, inkomen en zorg",
        description: "Adres, naam, geboortedatum, geboorteplaats en overlijden.",
        fields: &[
            "verblijfplaats",
            "adressering",
            "naam",
            "geboorte.datum",
            "geboorte.plaats",
            "overlijden",
        ],
        search_types: &[
            SearchType::RaadpleegMetBurgerservicenummer,
            SearchType::ZoekMetGeslachtsnaamEnGeboortedatum,
            SearchType::ZoekMetPostcodeEnHuisnummer,
            SearchType::ZoekMetStraatHuisnummerEnGemeenteVanInschrijving,
        ],
        doelen: &["Controle adres en samenstelling huishouden"],
        own_residents_only: false,
    },
    DemoProfile {
        name: "Profiel raadplegen financiën",
        afnemer: "Team financiën",
        description: "Voor de financiële en belastingadministraties.",
        fields: &[
            "verblijfplaats",
            "adressering",
            "gemeenteVanInschrijving",
            "datumInschrijvingInGemeente",
            "naam",
            "geboorte",
            "geslacht",
            "partners",
            "overlijden",
            "burgerservicenummer",
        ],
        search_types: &[
            SearchType::RaadpleegMetBurgerservicenummer,
            SearchType::ZoekMetGeslachtsnaamEnGeboortedatum,
            SearchType::ZoekMetPostcodeEnHuisnummer,
        ],
        doelen: &["Heffing en invordering gemeentelijke belastingen"],
        own_residents_only: false,
    },
    DemoProfile {
        name: "Profiel raadplegen t.b.v. administraties Soza",
        afnemer: "Team werk, inkomen en zorg",
        description: "Voor de uitvoering van de Participatiewet en de Wmo.",
        fields: &[
            "verblijfplaats",
            "adressering",
            "gemeenteVanInschrijving",
            "datumInschrijvingInGemeente",
            "naam",
            "geboorte",
            "geslacht",
            "partners",
            "kinderen",
            "overlijden",
            "burgerservicenummer",
        ],
        search_types: &[
            SearchType::RaadpleegMetBurgerservicenummer,
            SearchType::ZoekMetGeslachtsnaamEnGeboortedatum,
            SearchType::ZoekMetPostcodeEnHuisnummer,
            SearchType::ZoekMetStraatHuisnummerEnGemeenteVanInschrijving,
        ],
        doelen: &[
            "Beoordelen aanvraag bijstand",
            "Onderzoek maatwerkvoorziening Wmo",
        ],
        own_residents_only: false,
    },
    DemoProfile {
        name: "Profiel raadplegen t.b.v. leerplichtadministratie",
        afnemer: "Leerplicht",
        description: "Jongeren en hun ouders, alleen inwoners van de eigen gemeente.",
        fields: &[
            "verblijfplaats",
            "adressering",
            "gemeenteVanInschrijving",
            "naam",
            "geboorte",
            "geslacht",
            "ouders",
            "overlijden",
            "burgerservicenummer",
        ],
        search_types: &[
            SearchType::RaadpleegMetBurgerservicenummer,
            SearchType::ZoekMetGeslachtsnaamEnGeboortedatum,
            SearchType::ZoekMetPostcodeEnHuisnummer,
        ],
        doelen: &["Toezicht op naleving van de leerplicht"],
        own_residents_only: true,
    },
    DemoProfile {
        name: "Profiel baliemedewerker Burgerzaken",
        afnemer: "Team Burgerzaken",
        description: "Alle raadpleegfuncties.",
        fields: &[""],
        search_types: &SearchType::ALL,
        doelen: &["Dienstverlening aan de balie"],
        own_residents_only: false,
    },
];

/// Every catalogue element at or below the given paths; `""` means every element.
fn elements(paths: &[&str]) -> BTreeSet<String> {
    let catalogue = Catalogue::persoon();
    catalogue
        .elements()
        .filter(|e| {
            paths
                .iter()
                .any(|p| p.is_empty() || e.path == *p || e.path.starts_with(&format!("{p}.")))
        })
        .map(|e| e.path.clone())
        .collect()
}

fn system_event(
    at: chrono::DateTime<chrono::Utc>,
    action: AuditAction,
    subject: String,
) -> NewAuditEvent {
    NewAuditEvent {
        occurred_at: at,
        actor_user_id: None,
        actor: "demo".to_owned(),
        action,
        subject,
        field: None,
        old_value: None,
        new_value: None,
    }
}

impl Portal {
    pub(crate) async fn seed_demo_authorisations(&self) -> Result<(), ServiceError> {
        let now = self.clock.now();
        // Afnemers get their wettelijk kader (they were created with the accounts).
        let afnemers = self.store.list_afnemers().await?;
        for (name, kader) in DEMO_AFNEMERS {
            if let Some(a) = afnemers.iter().find(|a| a.name.as_str() == name) {
                if a.wettelijk_kader.is_empty() {
                    let new = NewAfnemer {
                        name: a.name.clone(),
                        wettelijk_kader: kader.to_owned(),
                        kind: a.kind,
                        hidden_from_citizen_ground: a.hidden_from_citizen_ground.clone(),
                    };
                    let mut event =
                        system_event(now, AuditAction::AfnemerChanged, format!("afnemer {name}"));
                    event.field = Some("wettelijk kader".into());
                    event.new_value = Some(kader.to_owned());
                    self.store.update_afnemer(a.id, &new, &[event]).await?;
                }
            }
        }
        let afnemer_id = |name: &str| {
            afnemers
                .iter()
                .find(|a| a.name.as_str() == name)
                .map(|a| a.id)
                .ok_or_else(|| ServiceError::Conflict(format!("demo-afnemer {name} ontbreekt")))
        };

        let mut grondslagen = self.store.list_grondslagen().await?;
        for g in GRONDSLAGEN {
            if !grondslagen
                .iter()
                .any(|x| x.law == g.law && x.article == g.article)
            {
                let new = NewGrondslag {
                    law: g.law.into(),
                    article: g.article.into(),
                    description: g.description.into(),
                };
                let event = system_event(
                    now,
                    AuditAction::GrondslagCreated,
                    format!("grondslag {}, {}", g.law, g.article),
                );
                grondslagen.push(self.store.insert_grondslag(&new, now, &event).await?);
            }
        }

        let mut doelen = self.store.list_doelen().await?;
        for (afnemer, law, name) in DOELEN {
            let afnemer_id = afnemer_id(afnemer)?;
            if doelen
                .iter()
                .any(|d| d.afnemer_id == afnemer_id && d.name == name)
            {
                continue;
            }
            let grondslag_id = grondslagen
                .iter()
                .find(|g| g.law == law)
                .map(|g| g.id)
                .ok_or_else(|| ServiceError::Conflict(format!("demo-grondslag {law} ontbreekt")))?;
            let new = NewDoel {
                afnemer_id,
                grondslag_id,
                name: name.into(),
                description: String::new(),
            };
            let event = system_event(now, AuditAction::DoelCreated, format!("doel {name}"));
            doelen.push(self.store.insert_doel(&new, now, &event).await?);
        }

        let existing = self.store.list_profiles().await?;
        for p in PROFILES {
            if existing.iter().any(|x| x.name == p.name) {
                continue;
            }
            let afnemer_id = afnemer_id(p.afnemer)?;
            let content = ProfileContent {
                fields: elements(p.fields),
                search_types: p.search_types.iter().copied().collect(),
                doelen: doelen
                    .iter()
                    .filter(|d| d.afnemer_id == afnemer_id && p.doelen.contains(&d.name.as_str()))
                    .map(|d| d.id)
                    .collect(),
                own_residents_only: p.own_residents_only,
                zaak_required: false,
            };
            let version = NewProfileVersion {
                version: 1,
                content,
                note: "Overgenomen uit het reglement (bijlage 1a).".into(),
                proposed_by_user_id: None,
                proposed_by: "demo".into(),
                proposed_at: now,
                vrije_derde_basis: None,
            };
            let event = system_event(
                now,
                AuditAction::ProfileProposed,
                format!("profiel {}", p.name),
            );
            let id = self
                .store
                .insert_profile(p.name, afnemer_id, p.description, &version, &event)
                .await?;
            let decision = DecisionRecord {
                by_user_id: None,
                by: "demo".into(),
                at: now,
                reason: "Demo-gegevens".into(),
            };
            let event = system_event(
                now,
                AuditAction::ProfileVersionApproved,
                format!("profiel {}", p.name),
            );
            self.store
                .decide_profile_version(id, 1, true, &decision, &event)
                .await?;
        }

        // The demo medewerker holds "raadplegen algemeen" for a year.
        let medewerker = Username::parse("medewerker").map_err(ServiceError::Invalid)?;
        if let Some(user) = self.store.user_by_username(&medewerker).await? {
            let profiles = self.store.list_profiles().await?;
            let has_grant = !self
                .store
                .list_grants(crate::store::GrantFilter {
                    user_id: Some(user.user.id),
                    ..Default::default()
                })
                .await?
                .is_empty();
            if let (false, Some(profile)) = (
                has_grant,
                profiles
                    .iter()
                    .find(|p| p.name == "Profiel raadplegen algemeen"),
            ) {
                let today = brp_domain::time::dutch_local(now).date_naive();
                let grant = NewGrant {
                    user_id: user.user.id,
                    profile_id: profile.id,
                    request_id: None,
                    confirmed_version: 1,
                    start_date: today,
                    end_date: one_year_after(today),
                    confirmed_by: "demo".into(),
                    created_at: now,
                };
                let event = system_event(
                    now,
                    AuditAction::GrantCreated,
                    format!("autorisatie van medewerker ({})", profile.name),
                );
                self.store.insert_grant(&grant, &event).await?;
            }
        }
        Ok(())
    }
}

/// The client id of the demo task application (demo mode only).
pub const DEMO_APPLICATION_CLIENT_ID: &str = "demo-taakapplicatie";
/// Its client secret: as public as the demo password, and like it never in a real
/// installation (the demo seeding runs only with `BRP_DEMO=true`).
pub const DEMO_APPLICATION_SECRET: &str = "demo-geheim-demo-geheim";

impl Portal {
    /// A task application for the demo and the API conformance run: active, with a grant
    /// on the Burgerzaken balie profile (every search type) for a year. Made directly, as
    /// the rest of the demo data, not through four eyes: there is no second person here.
    pub async fn seed_demo_application(&self) -> Result<(), ServiceError> {
        let client_id =
            Username::parse(DEMO_APPLICATION_CLIENT_ID).map_err(ServiceError::Invalid)?;
        if self.store.user_by_username(&client_id).await?.is_some() {
            return Ok(());
        }
        let now = self.clock.now();
        let Some(profile) = self
            .store
            .list_profiles()
            .await?
            .into_iter()
            .find(|p| p.name == "Profiel baliemedewerker Burgerzaken")
        else {
            return Ok(());
        };
        let secret_hash = self
            .hash_password(DEMO_APPLICATION_SECRET.to_owned())
            .await?;
        let id = self
            .store
            .insert_application(
                &crate::store::NewApplication {
                    client_id,
                    name: brp_domain::DisplayName::parse("Demo-taakapplicatie Burgerzaken")
                        .map_err(ServiceError::Invalid)?,
                    afnemer_id: profile.afnemer.id,
                    contact: "demo".into(),
                    registered_by: "demo".into(),
                    secret_hash,
                    created_at: now,
                },
                &system_event(now, AuditAction::UserCreated, "taakapplicatie demo".into()),
            )
            .await?;
        self.store
            .set_user_active(
                id,
                true,
                now,
                &system_event(
                    now,
                    AuditAction::UserReactivated,
                    "taakapplicatie demo".into(),
                ),
            )
            .await?;
        let today = brp_domain::time::dutch_local(now).date_naive();
        let confirmed_version = profile.current().map_or(1, |v| v.version);
        self.store
            .insert_grant(
                &NewGrant {
                    user_id: id,
                    profile_id: profile.id,
                    request_id: None,
                    confirmed_version,
                    start_date: today,
                    end_date: one_year_after(today),
                    confirmed_by: "demo".into(),
                    created_at: now,
                },
                &system_event(
                    now,
                    AuditAction::GrantCreated,
                    format!("autorisatie van taakapplicatie demo ({})", profile.name),
                ),
            )
            .await?;
        Ok(())
    }
}
