//! Demo mode: a made-up municipality, "Gemeente Voorbeeld", to try the portal with.
//!
//! Only ever run when demo mode is switched on explicitly. A real installation has no
//! default accounts; its first beheerder is made with the command line.

use crate::accounts::NewUser;
use crate::error::ServiceError;
use crate::portal::Portal;
use brp_domain::{AfnemerName, DisplayName, EmailAddress, NewPassword, Role, Username};

/// The password of every demo account; shown on the login page in demo mode.
pub const DEMO_PASSWORD: &str = "demo-demo-demo";
pub use crate::demo_authorisations::{DEMO_APPLICATION_CLIENT_ID, DEMO_APPLICATION_SECRET};

/// The demo municipality: "Gemeente Voorbeeld". 1998 is not a code of the LO GBA table of
/// gemeenten, so the demo can never be mistaken for a real municipality.
pub const DEMO_GEMEENTE_CODE: &str = "1998";
pub const DEMO_GEMEENTE_NAAM: &str = "Voorbeeld";

/// The departments of the demo municipality with their wettelijk kader, after bijlage 1
/// of the Maasgouw reglement (seed 001).
pub const DEMO_AFNEMERS: [(&str, &str); 5] = [
    (
        "Team Burgerzaken",
        "Wet BRP, Kieswet, Burgerlijk Wetboek, Paspoortwet, Wegenverkeerswet en regelgeving rijbewijzen",
    ),
    (
        "Team werk, inkomen en zorg",
        "Participatiewet, Wet maatschappelijke ondersteuning 2015, Wet inburgering, Wet schuldsanering natuurlijke personen",
    ),
    (
        "Team financiën",
        "Gemeentewet, Algemene wet bestuursrecht, Invorderingswet 1990",
    ),
    ("Leerplicht", "Leerplichtwet 1969"),
    (
        "Handhaving",
        "Gemeentewet, Algemene wet bestuursrecht (handhaving)",
    ),
];

struct DemoUser {
    username: &'static str,
    name: &'static str,
    role: Role,
    afnemer: Option<&'static str>,
}

const DEMO_USERS: [DemoUser; 4] = [
    DemoUser {
        username: "beheerder",
        name: "Bea Beheer",
        role: Role::Beheerder,
        afnemer: Some("Team Burgerzaken"),
    },
    DemoUser {
        username: "beheerder2",
        name: "Bart van den Beheer",
        role: Role::Beheerder,
        afnemer: Some("Team Burgerzaken"),
    },
    DemoUser {
        username: "medewerker",
        name: "Mila de Medewerker",
        role: Role::Medewerker,
        afnemer: Some("Team werk, inkomen en zorg"),
    },
    DemoUser {
        username: "toezichthouder",
        name: "Tom Toezicht",
        role: Role::Toezichthouder,
        afnemer: None,
    },
];

fn invalid_demo_data(e: brp_domain::ValidationError) -> ServiceError {
    ServiceError::Invalid(e)
}

impl Portal {
    /// Creates the demo afnemers and accounts that do not exist yet. Safe to run at every
    /// start: what exists is left as it is (a changed demo password stays changed).
    pub async fn seed_demo(&self) -> Result<(), ServiceError> {
        for (name, _) in DEMO_AFNEMERS {
            let name = AfnemerName::parse(name).map_err(invalid_demo_data)?;
            self.ensure_afnemer("demo", &name).await?;
        }
        for u in DEMO_USERS {
            let username = Username::parse(u.username).map_err(invalid_demo_data)?;
            if self.user_exists(&username).await? {
                continue;
            }
            let afnemer_id = match u.afnemer {
                Some(name) => {
                    let name = AfnemerName::parse(name).map_err(invalid_demo_data)?;
                    Some(self.ensure_afnemer("demo", &name).await?.id)
                }
                None => None,
            };
            let email = EmailAddress::parse(&format!("{}@voorbeeld.example", u.username))
                .map_err(invalid_demo_data)?;
            self.insert_user_as_system(
                "demo",
                NewUser {
                    username,
                    display_name: DisplayName::parse(u.name).map_err(invalid_demo_data)?,
                    email: Some(email),
                    role: u.role,
                    afnemer_id,
                    password: NewPassword::parse(DEMO_PASSWORD).map_err(invalid_demo_data)?,
                },
            )
            .await?;
        }
        self.seed_demo_authorisations().await
    }
}
