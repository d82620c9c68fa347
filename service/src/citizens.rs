//! Burgerverzoeken: citizens log in (DigiD through OpenID Connect, or the demo's simulation),
//! ask for inzage, correctie, geheimhouding or its end, and follow their requests; the
//! beheerder handles them within the legal terms. Every rule is here, for every caller:
//! a citizen reaches only requests with their own BSN; staff act by role.

use crate::accounts::Actor;
use crate::citizen_letters::{
    render, render_mail, CitizenLetterData, CitizenMail, CitizenTemplate, LetterCorrection,
    LetterOverviewRow,
};
use crate::error::ServiceError;
use crate::identity::IdentityProvider;
use crate::portal::Portal;
use crate::store::{
    CitizenRequestFilter, DecisionChange, LoginState, NewAttachment, NewAuditEvent,
    NewCitizenLetter, NewCitizenRequest, NewCorrection, NewCorrectionNotification,
    NewOutboxMessage, NewRequestEvent, PersonChange, PersonRecord, RequestChange, StoredAttachment,
};
use brp_domain::authorisation::{optional_text, required_text};
use brp_domain::citizen::attachment::CheckedAttachment;
use brp_domain::citizen::correction::{CorrectableField, CorrectionRecord, EarlierRecipient};
use brp_domain::citizen::overview::{self, OverviewRow};
use brp_domain::citizen::{
    canonical_request_id, Allowed, Assurance, CitizenInfo, CitizenLetter, CitizenLetterKind,
    CitizenRequest, EventKind, Outcome, RequestKind, RequestStatus, RequestSummary, RequestView,
    SubmissionChannel,
};
use brp_domain::person::{add_leeftijd, display, Bsn, Persoon};
use brp_domain::protocol::ProtocolFilter;
use brp_domain::time::format_day;
use brp_domain::{AuditAction, EmailAddress, Role, ValidationError};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use rand::Rng;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

mod deferral;
mod information;
mod staff_reads;

pub use staff_reads::CounterRegistration;

const HANDLERS: &[Role] = &[Role::Beheerder];
const READERS: &[Role] = &[Role::Beheerder, Role::Toezichthouder];
/// How long the return from DigiD may take.
const LOGIN_MINUTES: i64 = 10;
/// The most requests a queue page holds.
const QUEUE_LIMIT: i64 = 500;
/// Enough protocol records for any one person's twenty years.
const OVERVIEW_MAX: i64 = 100_000;
/// The open statuses, in which a request can still change.
const OPEN: [RequestStatus; 3] = [
    RequestStatus::Ontvangen,
    RequestStatus::InBehandeling,
    RequestStatus::WachtOpInformatie,
];
/// Who decides when the portal answers an inzage at once.
const SYSTEM_NAME: &str = "BRP-portaal (automatisch)";

/// How the citizen logged in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LoginMethod {
    DigiD,
    /// The demo's "DigiD-simulatie": only when the portal runs in demo mode.
    Simulatie,
}

/// What a citizen session holds. Checked again on every request by
/// [`Portal::resolve_citizen`]; it grants no staff right of any kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitizenClaims {
    pub bsn: String,
    pub assurance: Assurance,
    pub method: LoginMethod,
    pub authenticated_at: DateTime<Utc>,
}

/// A logged-in citizen, as checked by the service for this request. Only this crate makes
/// one, so holding one proves the check; it is a different type from a staff [`Actor`],
/// so no staff method can be called with it.
#[derive(Debug, Clone)]
pub struct Citizen {
    bsn: Bsn,
    assurance: Assurance,
    method: LoginMethod,
}

impl Citizen {
    pub fn bsn(&self) -> Bsn {
        self.bsn
    }
    pub fn assurance(&self) -> Assurance {
        self.assurance
    }
    pub fn method(&self) -> LoginMethod {
        self.method
    }
}

/// The municipality's settings for citizens.
#[derive(Debug, Clone)]
pub struct CitizenSettings {
    /// The demo's DigiD-simulatie; never on with real data.
    pub simulation: bool,
    /// Answer an inzage at once for a citizen logged in at Substantieel or higher.
    pub instant_inzage: bool,
    /// The ID-token claim that holds the BSN.
    pub bsn_claim: String,
    /// The ID-token claim that holds the assurance level.
    pub assurance_claim: String,
    /// The lowest assurance level accepted at login.
    pub min_assurance: Assurance,
    /// Where a bezwaarschrift goes, for letters.
    pub bezwaar_address: String,
    /// The portal's public address, for links in e-mail.
    pub portal_url: Option<String>,
}

impl Default for CitizenSettings {
    fn default() -> Self {
        Self {
            simulation: false,
            instant_inzage: false,
            bsn_claim: "bsn".into(),
            assurance_claim: "acr".into(),
            min_assurance: Assurance::Midden,
            bezwaar_address: "Het college van burgemeester en wethouders\nPostbus 1\n1000 AA \
                              Gemeente"
                .into(),
            portal_url: None,
        }
    }
}

/// Where to send the browser for DigiD, and the secret its cookie must carry back.
pub struct DigidStart {
    pub url: String,
    pub binding: String,
}

/// A new request as entered, parsed.
#[derive(Debug, Clone)]
pub struct NewSubmission {
    pub kind: RequestKind,
    pub email: Option<EmailAddress>,
    pub explanation: String,
    /// For a correctie: the element and the value as the citizen typed it.
    pub correction: Option<(CorrectableField, String)>,
    pub inform_recipients: bool,
    pub attachments: Vec<CheckedAttachment>,
}

impl NewSubmission {
    /// Reads a request form. A correctie needs the element and the value it should have;
    /// the value is checked against the element's type when the request is made.
    pub fn parse(
        kind: &str,
        email: &str,
        explanation: &str,
        field: &str,
        proposed: &str,
        inform_recipients: bool,
        attachments: Vec<CheckedAttachment>,
    ) -> Result<Self, ValidationError> {
        let kind = RequestKind::parse(kind)?;
        let email = match email.trim() {
            "" => None,
            e => Some(EmailAddress::parse(e)?),
        };
        let correction = match kind {
            RequestKind::Correctie => {
                let f = CorrectableField::from_path(field).ok_or_else(|| {
                    ValidationError::new("gegeven", "Kies het gegeven dat niet klopt.")
                })?;
                Some((f, proposed.to_owned()))
            }
            _ => None,
        };
        let explanation = match kind {
            RequestKind::Correctie => required_text("toelichting", explanation, 4000)?,
            _ => optional_text("toelichting", explanation, 4000)?,
        };
        if kind != RequestKind::Correctie && !attachments.is_empty() {
            return Err(ValidationError::new(
                "bijlagen",
                "Bijlagen horen alleen bij een verzoek om correctie.",
            ));
        }
        Ok(Self {
            kind,
            email,
            explanation,
            correction,
            inform_recipients: inform_recipients && kind == RequestKind::Correctie,
            attachments,
        })
    }
}

/// Who made a step of a request.
enum By<'a> {
    Citizen,
    Staff(&'a Actor),
    System,
}

impl By<'_> {
    fn name(&self) -> String {
        match self {
            By::Citizen => "Inwoner".to_owned(),
            By::Staff(a) => a.user().display_name.to_string(),
            By::System => SYSTEM_NAME.to_owned(),
        }
    }
}

/// A person as the embedded source holds them: the stored JSON and its typed form.
struct HeldPerson {
    data: String,
    persoon: Persoon,
    /// A verstrekkingsbeperking holds: the portal's own record or the source's
    /// indication, the stricter of the two.
    restricted: bool,
}

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// "BV-2026-7K3MQ9": the year and six characters from Crockford's alphabet (no I, L, O,
/// U), easy to read out on the phone.
fn new_reference(year: i32) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut rng = rand::thread_rng();
    let code: String = (0..6)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect();
    format!("BV-{year}-{code}")
}

fn random_secret() -> String {
    let bytes: [u8; 32] = rand::thread_rng().gen();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn citizen_not_found() -> ServiceError {
    ServiceError::NotFound("Het verzoek")
}

impl Portal {
    /// Uses `provider` for DigiD logins.
    pub fn with_identity_provider(mut self, provider: Arc<dyn IdentityProvider>) -> Self {
        self.identity = Some(provider);
        self
    }

    /// The same portal with these citizen settings.
    pub fn with_citizen_settings(mut self, settings: CitizenSettings) -> Self {
        self.config.citizens = settings;
        self
    }

    pub fn citizen_settings(&self) -> &CitizenSettings {
        &self.config.citizens
    }

    /// Whether citizens can log in with DigiD here.
    pub fn digid_available(&self) -> bool {
        self.identity.is_some()
    }

    // ---- logging in ---------------------------------------------------------------------

    /// The demo's DigiD-simulatie: a citizen picks a BSN from the demo population. Refused
    /// unless the portal runs in demo mode.
    pub async fn simulated_citizen_login(
        &self,
        bsn: &str,
        assurance: &str,
        client_addr: &str,
    ) -> Result<CitizenClaims, ServiceError> {
        if !self.config.citizens.simulation {
            return Err(ServiceError::Forbidden);
        }
        self.throttle_login_start("simulatie", client_addr).await?;
        let bsn = Bsn::parse(bsn)?;
        let assurance = Assurance::from_code(assurance)
            .ok_or_else(|| ValidationError::new("niveau", "Kies een betrouwbaarheidsniveau."))?;
        if self.store.person_data(&bsn).await?.is_none() {
            return Err(ValidationError::new(
                "burgerservicenummer",
                "Er staat geen persoon met dit burgerservicenummer in de demobevolking.",
            )
            .into());
        }
        tracing::info!("citizen login (simulation)");
        Ok(CitizenClaims {
            bsn: bsn.to_string(),
            assurance,
            method: LoginMethod::Simulatie,
            authenticated_at: self.clock.now(),
        })
    }

    /// Persons to pick from on the DigiD-simulatie page: the demo's first household.
    pub async fn simulation_persons(&self) -> Result<Vec<(String, String)>, ServiceError> {
        if !self.config.citizens.simulation {
            return Err(ServiceError::Forbidden);
        }
        let query = brp_domain::person::PersonQuery::parse(
            brp_domain::authorisation::SearchType::ZoekMetPostcodeEnHuisnummer,
            &brp_domain::person::QueryInput {
                postcode: "1991AB".into(),
                huisnummer: "12".into(),
                ..Default::default()
            },
        )?;
        let rows = self.store.find_persons(&query, None, 20).await?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                let p: Persoon = serde_json::from_str(&row.data).ok()?;
                Some((row.bsn, p.naam.volledige_naam.unwrap_or_default()))
            })
            .collect())
    }

    /// Starts a DigiD login: a fresh state, nonce and PKCE verifier are kept server-side,
    /// bound to the browser by a secret that goes in a cookie (only its hash is stored).
    pub async fn begin_digid_login(&self, client_addr: &str) -> Result<DigidStart, ServiceError> {
        let provider = self.identity.as_ref().ok_or(ServiceError::Unavailable)?;
        self.throttle_login_start("digid", client_addr).await?;
        let start = provider.begin().await.map_err(|e| {
            tracing::error!(error = %e, "identity provider unavailable");
            ServiceError::Unavailable
        })?;
        let binding = random_secret();
        self.store
            .insert_login_state(&LoginState {
                state: start.state,
                nonce: start.nonce,
                pkce_verifier: start.pkce_verifier,
                binding_hash: sha256_hex(binding.as_bytes()),
                created_at: self.clock.now(),
            })
            .await?;
        Ok(DigidStart {
            url: start.authorization_url,
            binding,
        })
    }

    /// Completes a DigiD login on the return from the broker: the state must be one this
    /// portal issued, for this browser, within ten minutes, used once; the ID token must
    /// verify (issuer, audience, signature, nonce, time); the BSN claim must hold a valid
    /// BSN and the assurance claim a level at least the configured minimum.
    pub async fn complete_digid_login(
        &self,
        state: &str,
        code: &str,
        binding: &str,
    ) -> Result<CitizenClaims, ServiceError> {
        let provider = self.identity.as_ref().ok_or(ServiceError::Unavailable)?;
        let now = self.clock.now();
        let refused = |why: &str| {
            tracing::warn!(reason = why, "DigiD login refused");
            ServiceError::Refused(
                "Inloggen met DigiD is niet gelukt. Probeer het opnieuw.".to_owned(),
            )
        };
        let pending = self
            .store
            .take_login_state(state, now - Duration::minutes(LOGIN_MINUTES))
            .await?
            .ok_or_else(|| refused("unknown, used or expired state"))?;
        let binding_ok =
            brp_oidc::state_matches(&pending.binding_hash, &sha256_hex(binding.as_bytes()));
        if !binding_ok {
            return Err(refused("state belongs to another browser"));
        }
        let claims = provider
            .complete(code, &pending.nonce, &pending.pkce_verifier, now)
            .await
            .map_err(|e| {
                tracing::warn!(error = %e, "ID token refused");
                refused("token")
            })?;
        let s = &self.config.citizens;
        let bsn = claims
            .get(&s.bsn_claim)
            .and_then(Value::as_str)
            .and_then(|v| Bsn::parse(v).ok())
            .ok_or_else(|| refused("no valid BSN claim"))?;
        let assurance = claims
            .get(&s.assurance_claim)
            .and_then(Value::as_str)
            .and_then(Assurance::from_claim)
            .ok_or_else(|| refused("no known assurance level"))?;
        if assurance < s.min_assurance {
            return Err(ServiceError::Refused(format!(
                "U bent ingelogd met {}. Voor het BRP-portaal is minimaal {} nodig.",
                assurance.label(),
                s.min_assurance.label()
            )));
        }
        tracing::info!(assurance = assurance.code(), "citizen login (DigiD)");
        Ok(CitizenClaims {
            bsn: bsn.to_string(),
            assurance,
            method: LoginMethod::DigiD,
            authenticated_at: now,
        })
    }

    /// Turns a citizen session into a [`Citizen`], or refuses: the session must be within
    /// its absolute lifetime, and a simulated login only counts while the portal is in demo
    /// mode.
    pub async fn resolve_citizen(&self, claims: &CitizenClaims) -> Result<Citizen, ServiceError> {
        // A citizen session lasts two hours at most (the staff limit when that is shorter):
        // a citizen logs in for one errand, often on a shared computer.
        let mut policy = self.config.sessions;
        policy.absolute_timeout = policy.absolute_timeout.min(Duration::hours(2));
        let valid = policy.is_valid(claims.authenticated_at, None, self.clock.now())
            && (claims.method == LoginMethod::DigiD || self.config.citizens.simulation);
        if !valid {
            return Err(ServiceError::SessionExpired);
        }
        let bsn = Bsn::parse(&claims.bsn).map_err(|_| ServiceError::SessionExpired)?;
        Ok(Citizen {
            bsn,
            assurance: claims.assurance,
            method: claims.method,
        })
    }

    /// The citizen's name for the header.
    pub async fn citizen_info(&self, citizen: &Citizen) -> Result<CitizenInfo, ServiceError> {
        Ok(CitizenInfo {
            name: self.citizen_name(&citizen.bsn).await?,
            assurance: citizen.assurance,
        })
    }

    // ---- the citizen's side -------------------------------------------------------------

    pub async fn submit_citizen_request(
        &self,
        citizen: &Citizen,
        submission: NewSubmission,
    ) -> Result<String, ServiceError> {
        let note = format!("Ingelogd met {}", citizen.assurance.label());
        let id = self
            .create_request(
                citizen.bsn,
                SubmissionChannel::DigiD,
                note,
                Some(citizen.assurance),
                None,
                self.today(),
                submission,
            )
            .await?;
        let instant =
            self.config.citizens.instant_inzage && citizen.assurance >= Assurance::Substantieel;
        if instant {
            let request = self.existing_request(&id).await?;
            if request.kind == RequestKind::Inzage {
                self.decide(
                    &request,
                    Outcome::Toegekend,
                    "U was ingelogd met DigiD Substantieel of hoger. Daarom krijgt u direct \
                     antwoord."
                        .to_owned(),
                    None,
                    &By::System,
                )
                .await?;
            }
        }
        Ok(id)
    }

    /// The citizen's own requests, newest first.
    pub async fn my_citizen_requests(
        &self,
        citizen: &Citizen,
    ) -> Result<Vec<RequestSummary>, ServiceError> {
        let today = self.today();
        let requests = self
            .store
            .list_citizen_requests(&CitizenRequestFilter {
                bsn: Some(citizen.bsn),
                open_only: false,
                limit: QUEUE_LIMIT,
            })
            .await?;
        Ok(requests
            .into_iter()
            .map(|mut r| {
                r.settle(today);
                summary(&r, today, None)
            })
            .collect())
    }

    /// One of the citizen's own requests. Another citizen's request is "not found", exactly
    /// like one that does not exist: the answer tells nothing about other people.
    pub async fn my_citizen_request(
        &self,
        citizen: &Citizen,
        id: &str,
    ) -> Result<RequestView, ServiceError> {
        let request = self.owned_request(citizen, id).await?;
        self.view(request, None).await
    }

    /// The citizen asks that earlier recipients of a corrected datum are told (Wet BRP
    /// 3.23).
    pub async fn ask_to_inform_recipients(
        &self,
        citizen: &Citizen,
        id: &str,
    ) -> Result<(), ServiceError> {
        let request = self.owned_request(citizen, id).await?;
        if request.kind != RequestKind::Correctie {
            return Err(ServiceError::Conflict(
                "Dit kan alleen bij een verzoek om correctie.".into(),
            ));
        }
        if request.outcome == Some(Outcome::Afgewezen) {
            return Err(ServiceError::Conflict(
                "Het gegeven is niet gecorrigeerd; er is niemand te informeren.".into(),
            ));
        }
        if request.inform_recipients {
            return Err(ServiceError::Conflict(
                "U heeft dit al gevraagd. Wij informeren de ontvangers zodra het gegeven is \
                 gecorrigeerd."
                    .into(),
            ));
        }
        let mut change = RequestChange::new(
            &request.id,
            &[request.status],
            self.step(
                &By::Citizen,
                EventKind::OntvangersInformerenGevraagd,
                String::new(),
            ),
        );
        change.inform_recipients = Some(true);
        self.store.change_citizen_request(&change).await?;
        Ok(())
    }

    pub async fn citizen_letter_for_citizen(
        &self,
        citizen: &Citizen,
        letter_id: &str,
    ) -> Result<CitizenLetter, ServiceError> {
        let letter = self
            .store
            .citizen_letter(letter_id)
            .await?
            .ok_or(ServiceError::NotFound("De brief"))?;
        self.owned_request(citizen, &letter.request_id)
            .await
            .map_err(|_| ServiceError::NotFound("De brief"))?;
        Ok(letter)
    }

    pub async fn attachment_for_citizen(
        &self,
        citizen: &Citizen,
        attachment_id: &str,
    ) -> Result<StoredAttachment, ServiceError> {
        let a = self
            .store
            .citizen_attachment(attachment_id)
            .await?
            .ok_or(ServiceError::NotFound("De bijlage"))?;
        self.owned_request(citizen, &a.request_id)
            .await
            .map_err(|_| ServiceError::NotFound("De bijlage"))?;
        Ok(a)
    }

    // ---- the beheerder's side -----------------------------------------------------------

    /// The beheerder takes the request in behandeling (or over from a colleague).
    pub async fn take_citizen_request(&self, actor: &Actor, id: &str) -> Result<(), ServiceError> {
        actor.require(HANDLERS)?;
        let r = self.open_request(id).await?;
        let mut change = RequestChange::new(
            &r.id,
            &[r.status],
            self.step(
                &By::Staff(actor),
                EventKind::InBehandelingGenomen,
                String::new(),
            ),
        );
        change.assign = Some((actor.id(), actor.user().display_name.to_string()));
        if r.status == RequestStatus::Ontvangen {
            change.status = Some(RequestStatus::InBehandeling);
        }
        self.store.change_citizen_request(&change).await?;
        Ok(())
    }

    /// Decides on a request: granted, partly granted or refused, with a motivation (needed
    /// for any refusal). A granted correctie writes `value` (or the citizen's proposal) into
    /// the embedded source, keeping the old value; a granted geheimhouding sets the
    /// indication, its withdrawal ends it.
    pub async fn decide_citizen_request(
        &self,
        actor: &Actor,
        id: &str,
        outcome: &str,
        motivation: &str,
        value: Option<&str>,
    ) -> Result<(), ServiceError> {
        actor.require(HANDLERS)?;
        let r = self.open_request(id).await?;
        if registered_by_actor(&r, actor) {
            return Err(ServiceError::Conflict(
                "U heeft dit verzoek zelf geregistreerd. Een andere beheerder beslist erover \
                 (vier ogen)."
                    .into(),
            ));
        }
        let outcome = Outcome::parse(outcome)?;
        if outcome == Outcome::DeelsToegekend && r.kind != RequestKind::Correctie {
            // A partial inzage or geheimhouding has no defined content: the letter would
            // hand over everything, or promise what the register does not do.
            return Err(ValidationError::new(
                "besluit",
                "Dit verzoek kan alleen worden toegekend of afgewezen.",
            )
            .into());
        }
        let motivation = if outcome.refuses() {
            required_text("motivering", motivation, 4000).map_err(|_| {
                ValidationError::new(
                    "motivering",
                    "Leg uit waarom het verzoek (deels) wordt afgewezen; dat komt in de brief.",
                )
            })?
        } else {
            optional_text("motivering", motivation, 4000)?
        };
        self.decide(
            &r,
            outcome,
            motivation,
            value.map(str::to_owned),
            &By::Staff(actor),
        )
        .await
    }

    /// Tells the earlier recipients of a corrected datum (Wet BRP 3.23), as the citizen
    /// asked: a letter to each medewerker who received it, and a record per afnemer.
    pub async fn notify_earlier_recipients(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<usize, ServiceError> {
        actor.require(HANDLERS)?;
        let r = self.existing_request(id).await?;
        let granted = matches!(
            r.outcome,
            Some(Outcome::Toegekend | Outcome::DeelsToegekend)
        );
        if r.kind != RequestKind::Correctie || !granted || !r.inform_recipients {
            return Err(ServiceError::Conflict(
                "Ontvangers worden alleen geïnformeerd na een toegekende correctie waarom de \
                 inwoner dat vroeg."
                    .into(),
            ));
        }
        let corrections = self.store.corrections_of_request(&r.id).await?;
        let Some(correction) = corrections.first() else {
            return Err(ServiceError::Conflict("Er is niets gecorrigeerd.".into()));
        };
        let (recipients, provisions) = self.earlier_recipients(&r, correction, false).await?;
        let open: Vec<&EarlierRecipient> = recipients
            .iter()
            .filter(|x| x.notified_at.is_none())
            .collect();
        if open.is_empty() {
            return Err(ServiceError::Conflict(
                "Er zijn geen ontvangers meer om te informeren.".into(),
            ));
        }
        let now = self.clock.now();
        let by = actor.user().display_name.to_string();
        // The citizen may be told of an afnemer that received a verstrekking they can see;
        // one that only had verstrekkingen hidden under art. 46 is not named.
        let visible: BTreeSet<i64> = provisions
            .iter()
            .filter(|v| !v.hidden_from_citizen)
            .map(|v| v.afnemer.id)
            .collect();
        let named: Vec<String> = open
            .iter()
            .filter(|x| visible.contains(&x.afnemer_id))
            .map(|x| x.afnemer_name.clone())
            .collect();
        let text = if named.is_empty() {
            "De eerdere ontvangers zijn geïnformeerd.".to_owned()
        } else {
            format!("Geïnformeerd: {}.", named.join(", "))
        };
        let mut change = RequestChange::new(
            &r.id,
            &[RequestStatus::Afgehandeld],
            self.step(&By::Staff(actor), EventKind::OntvangersGeinformeerd, text),
        );
        // Telling only afnemers of Besluit BRP art. 46 is a step the citizen must not see.
        change.event.staff_only = named.is_empty();
        change.notifications = open
            .iter()
            .map(|x| NewCorrectionNotification {
                correction_id: correction.id,
                afnemer_id: x.afnemer_id,
                afnemer_name: x.afnemer_name.clone(),
                notified_at: now,
                notified_by: by.clone(),
            })
            .collect();
        // The staff letters point only at the recipients' own verstrekkingen and hold no
        // person data; they are written with the record of the notification.
        let afnemers: BTreeSet<i64> = open.iter().map(|x| x.afnemer_id).collect();
        let mut per_user: BTreeMap<i64, Vec<String>> = BTreeMap::new();
        for v in provisions
            .iter()
            .filter(|v| afnemers.contains(&v.afnemer.id))
        {
            let zaak = if v.zaak.is_empty() {
                String::new()
            } else {
                format!(", zaak {}", v.zaak)
            };
            per_user.entry(v.user_id).or_default().push(format!(
                "{} voor ‘{}’{zaak}",
                brp_domain::time::format_date(v.at),
                v.doel_name
            ));
        }
        for (user_id, lines) in per_user {
            let Some(user) = self.store.user_by_id(user_id).await? else {
                continue;
            };
            let data = crate::letters::LetterData {
                municipality: self.config.municipality.clone(),
                subject: "Een gegeven dat u ontving is gecorrigeerd".into(),
                reference: r.reference.clone(),
                date: brp_domain::time::format_date(now),
                recipient_name: user.user.display_name.to_string(),
                beheerder_name: by.clone(),
                correction_field: correction.field_label.clone(),
                provisions: lines.join("; "),
                corrected_on: brp_domain::time::format_date(correction.corrected_at),
                ..crate::letters::LetterData::default()
            };
            change.staff_notices.push(crate::letters::notification(
                brp_domain::messages::LetterKind::CorrectionNotice,
                &data,
                user_id,
                user.user.email.as_ref().map(EmailAddress::as_str),
                now,
            )?);
        }
        self.store.change_citizen_request(&change).await?;
        Ok(change.notifications.len())
    }

    /// The derden check (Wet BRP 3.21): every provision to an afnemer passes here. A person
    /// with a verstrekkingsbeperking is withheld from a derde; government bodies (the
    /// municipality's own departments) still receive them, with the indication shown.
    pub(crate) fn withheld_from(
        kind: brp_domain::AfnemerKind,
        indicaties: &brp_domain::person::Indicaties,
    ) -> bool {
        kind.is_derde() && indicaties.geheimhouding
    }

    // ---- the parts ----------------------------------------------------------------------

    #[allow(clippy::too_many_arguments)]
    async fn create_request(
        &self,
        bsn: Bsn,
        channel: SubmissionChannel,
        identity_note: String,
        assurance: Option<Assurance>,
        registered_by: Option<(&Actor, &str)>,
        received_on: NaiveDate,
        s: NewSubmission,
    ) -> Result<String, ServiceError> {
        let person = self.held_person(&bsn).await.map_err(|e| match e {
            ServiceError::NotFound(_) => ServiceError::Invalid(ValidationError::new(
                "burgerservicenummer",
                "Deze persoon staat niet in de basisregistratie personen van deze gemeente.",
            )),
            other => other,
        })?;
        let open = self
            .store
            .list_citizen_requests(&CitizenRequestFilter {
                bsn: Some(bsn),
                open_only: true,
                limit: 0,
            })
            .await?;
        let same = open.iter().find(|r| {
            r.kind == s.kind
                && (s.kind != RequestKind::Correctie
                    || r.correction.as_ref().map(|c| c.field) == s.correction.as_ref().map(|c| c.0))
        });
        if let Some(same) = same {
            return Err(ServiceError::Conflict(format!(
                "Er loopt al een verzoek van deze soort: {}. Wacht op het besluit daarover.",
                same.reference
            )));
        }
        let secret = person.restricted;
        match s.kind {
            RequestKind::Geheimhouding if secret => {
                return Err(ServiceError::Conflict(
                    "Voor deze persoon geldt al geheimhouding.".into(),
                ))
            }
            RequestKind::IntrekkingGeheimhouding if !secret => {
                return Err(ServiceError::Conflict(
                    "Voor deze persoon geldt geen geheimhouding om te stoppen.".into(),
                ))
            }
            _ => {}
        }
        let (field_path, current_value, proposed_value) = match &s.correction {
            Some((field, raw)) => {
                let value = field.parse_value("waarde", raw)?;
                let current = field.current_text(&person.persoon);
                if value.text() == current {
                    return Err(ValidationError::new(
                        "waarde",
                        "Dit is de waarde die nu al in de BRP staat.",
                    )
                    .into());
                }
                (
                    Some(field.path().to_owned()),
                    Some(current),
                    Some(value.text()),
                )
            }
            None => (None, None, None),
        };
        let now = self.clock.now();
        let by = match registered_by {
            Some((a, _)) => By::Staff(a),
            None => By::Citizen,
        };
        let event_text = match registered_by {
            Some((_, reason)) => format!(
                "Geregistreerd: {}. {identity_note}. Reden van registratie: {reason}",
                channel.label()
            ),
            None => channel.label().to_owned(),
        };
        let mut new = NewCitizenRequest {
            id: new_id(),
            reference: new_reference(brp_domain::time::dutch_local(now).year()),
            bsn,
            kind: s.kind,
            channel,
            identity_note,
            assurance,
            email: s.email.as_ref().map(|e| e.as_str().to_owned()),
            received_at: now,
            received_on,
            registered_by: registered_by.map(|(a, _)| a.user().username.to_string()),
            field_path,
            current_value,
            proposed_value,
            explanation: s.explanation,
            inform_recipients: s.inform_recipients,
        };
        let attachments = stored_attachments(s.attachments, now, registered_by.is_none());
        let event = self.step(&by, EventKind::Ontvangen, event_text);
        // A reference is drawn at random; on the rare clash, draw again.
        for _ in 0..5 {
            let view = self.request_from_new(&new);
            let mut l = self.citizen_letter_data(
                &view,
                &person,
                &by,
                "Ontvangstbevestiging van uw verzoek",
            );
            l.handled_by = "Team Burgerzaken".into();
            let letter = self.citizen_letter(
                CitizenLetterKind::Ontvangstbevestiging,
                CitizenTemplate::Receipt,
                &l,
            )?;
            let mail = self.mail(&view, "Wij hebben uw verzoek ontvangen.")?;
            match self
                .store
                .insert_citizen_request(&new, &event, &attachments, &letter, mail.first())
                .await
            {
                Ok(()) => return Ok(new.id),
                Err(crate::store::StoreError::Unique {
                    constraint: crate::store::UniqueKey::CitizenRequest,
                }) => {
                    // Either the reference was taken (draw another) or the same request
                    // arrived twice at once (the unique index refused the second).
                    let twice = self
                        .store
                        .list_citizen_requests(&CitizenRequestFilter {
                            bsn: Some(bsn),
                            open_only: true,
                            limit: 0,
                        })
                        .await?
                        .iter()
                        .any(|r| {
                            r.kind == new.kind
                                && r.correction.as_ref().map(|c| c.field.path().to_owned())
                                    == new.field_path
                        });
                    if twice {
                        return Err(ServiceError::Conflict(
                            "Er loopt al een verzoek van deze soort. Wacht op het besluit \
                             daarover."
                                .into(),
                        ));
                    }
                    new.reference = new_reference(brp_domain::time::dutch_local(now).year());
                }
                Err(e) => return Err(e.into()),
            }
        }
        Err(ServiceError::Conflict(
            "Er kon geen kenmerk worden gemaakt. Probeer het opnieuw.".into(),
        ))
    }

    /// The request as it will read once stored, for its receipt.
    fn request_from_new(&self, n: &NewCitizenRequest) -> CitizenRequest {
        CitizenRequest {
            id: n.id.clone(),
            reference: n.reference.clone(),
            bsn: n.bsn,
            kind: n.kind,
            channel: n.channel,
            identity_note: n.identity_note.clone(),
            registered_by: n.registered_by.clone(),
            assurance: n.assurance,
            email: n.email.clone(),
            received_at: n.received_at,
            received_on: n.received_on,
            status: RequestStatus::Ontvangen,
            assigned_to: None,
            correction: match (&n.field_path, &n.current_value, &n.proposed_value) {
                (Some(path), Some(current), Some(proposed)) => CorrectableField::from_path(path)
                    .map(|field| brp_domain::citizen::CorrectionAsk {
                        field,
                        current_value: current.clone(),
                        proposed_value: proposed.clone(),
                    }),
                _ => None,
            },
            explanation: n.explanation.clone(),
            outcome: None,
            motivation: String::new(),
            decided_by: None,
            decided_at: None,
            inform_recipients: n.inform_recipients,
            events: Vec::new(),
            attachments: Vec::new(),
            letters: Vec::new(),
        }
    }

    /// The decision itself, for the beheerder and for the instant online inzage.
    async fn decide(
        &self,
        r: &CitizenRequest,
        outcome: Outcome,
        motivation: String,
        value: Option<String>,
        by: &By<'_>,
    ) -> Result<(), ServiceError> {
        let held = self.held_person(&r.bsn).await?;
        let granted = !matches!(outcome, Outcome::Afgewezen);
        let now = self.clock.now();
        let today = self.today();
        let mut l = self.citizen_letter_data(
            r,
            &held,
            by,
            &format!("Besluit op uw verzoek: {}", r.kind.label().to_lowercase()),
        );
        l.granted = granted;
        l.refused = outcome.refuses();
        l.motivation = motivation.clone();
        let mut person_change = None;
        let mut audit = Vec::new();
        let actor_ids = match by {
            By::Staff(a) => (Some(a.id()), a.user().username.to_string()),
            By::Citizen => (None, "inwoner".to_owned()),
            By::System => (None, "systeem".to_owned()),
        };
        let mut audit_event = |action: AuditAction, field: &str, old: String, new: String| {
            audit.push(NewAuditEvent {
                occurred_at: now,
                actor_user_id: actor_ids.0,
                actor: actor_ids.1.clone(),
                action,
                subject: format!("persoon {} (verzoek {})", r.bsn, r.reference),
                field: Some(field.to_owned()),
                old_value: Some(old),
                new_value: Some(new),
            });
        };
        l.decision_sentence = decision_sentence(r.kind, outcome);
        match (r.kind, granted) {
            (RequestKind::Correctie, true) => {
                let ask = r.correction.as_ref().ok_or_else(|| {
                    ServiceError::Conflict("Dit verzoek noemt geen gegeven.".into())
                })?;
                let field = ask.field;
                let raw = value
                    .filter(|v| !v.trim().is_empty())
                    .unwrap_or_else(|| ask.proposed_value.clone());
                let new_value = field.parse_value("waarde", &raw)?;
                let mut persoon = held.persoon.clone();
                let old_text = field.current_text(&persoon);
                if old_text != ask.current_value {
                    return Err(ServiceError::Conflict(format!(
                        "Het gegeven is veranderd sinds het verzoek: nu ‘{old_text}’, toen \
                         ‘{}’. Beoordeel het verzoek opnieuw of wijs het af.",
                        ask.current_value
                    )));
                }
                field.apply(&mut persoon, &new_value)?;
                let new_text = field.current_text(&persoon);
                if old_text == new_text {
                    return Err(ValidationError::new(
                        "waarde",
                        "Deze waarde staat al in de BRP; er valt niets te corrigeren.",
                    )
                    .into());
                }
                address_letter(&mut l, &persoon);
                l.correction = Some(LetterCorrection {
                    label: field.label(),
                    lo_gba: field.lo_gba(),
                    old: old_text.clone(),
                    new: new_text.clone(),
                });
                audit_event(
                    AuditAction::PersonCorrected,
                    field.path(),
                    old_text.clone(),
                    new_text.clone(),
                );
                person_change = Some(PersonChange::Correction {
                    record: PersonRecord::from_persoon(&persoon)?,
                    old_data: held.data.clone(),
                    correction: NewCorrection {
                        field_path: field.path().to_owned(),
                        field_label: field.label(),
                        old_value: old_text,
                        new_value: new_text,
                        corrected_by: by.name(),
                        corrected_at: now,
                        reason: if motivation.is_empty() {
                            format!("Verzoek {} van de inwoner", r.reference)
                        } else {
                            format!("Verzoek {}: {motivation}", r.reference)
                        },
                    },
                });
            }
            (RequestKind::Geheimhouding, true) if held.restricted => {
                return Err(ServiceError::Conflict(
                    "Voor deze persoon geldt al geheimhouding.".into(),
                ));
            }
            (RequestKind::IntrekkingGeheimhouding, true) if !held.restricted => {
                return Err(ServiceError::Conflict(
                    "Voor deze persoon geldt geen geheimhouding meer.".into(),
                ));
            }
            (RequestKind::Geheimhouding, true) => {
                let mut persoon = held.persoon.clone();
                persoon.geheimhouding_persoonsgegevens = true;
                audit_event(
                    AuditAction::BeperkingStarted,
                    "geheimhoudingPersoonsgegevens",
                    "nee".into(),
                    "ja".into(),
                );
                person_change = Some(PersonChange::StartBeperking {
                    record: PersonRecord::from_persoon(&persoon)?,
                    old_data: held.data.clone(),
                    started_on: today,
                });
            }
            (RequestKind::IntrekkingGeheimhouding, true) => {
                let mut persoon = held.persoon.clone();
                persoon.geheimhouding_persoonsgegevens = false;
                audit_event(
                    AuditAction::BeperkingEnded,
                    "geheimhoudingPersoonsgegevens",
                    "ja".into(),
                    "nee".into(),
                );
                person_change = Some(PersonChange::EndBeperking {
                    record: PersonRecord::from_persoon(&persoon)?,
                    old_data: held.data.clone(),
                    ended_on: today,
                });
            }
            (RequestKind::Inzage, true) => {
                let mut full: Value = serde_json::from_str(&held.data)
                    .map_err(|e| crate::store::StoreError::Corrupt(e.to_string()))?;
                add_leeftijd(&mut full, today);
                l.sections = display::sections(&full);
                l.overview = self
                    .citizen_overview(r)
                    .await?
                    .iter()
                    .map(LetterOverviewRow::from)
                    .collect();
                // The overview can go back no further than the portal's protocol does.
                l.records_since = self
                    .store
                    .first_verstrekking_at()
                    .await?
                    .map(|at| format_day(brp_domain::time::dutch_local(at).date_naive()));
            }
            _ => {}
        }
        let event_text = if motivation.is_empty() {
            outcome.label().to_owned()
        } else {
            format!("{}: {motivation}", outcome.label())
        };
        let mut change =
            RequestChange::new(&r.id, &OPEN, self.step(by, EventKind::Besloten, event_text));
        change.status = Some(RequestStatus::Afgehandeld);
        change.decision = Some(DecisionChange {
            outcome,
            motivation,
            decided_by: by.name(),
            decided_at: now,
        });
        change.letter =
            Some(self.citizen_letter(CitizenLetterKind::Besluit, CitizenTemplate::Decision, &l)?);
        change.mails = self.mail(
            r,
            &format!(
                "Er is een besluit genomen: {}.",
                outcome.label().to_lowercase()
            ),
        )?;
        change.person = person_change;
        change.audit = audit;
        self.store.change_citizen_request(&change).await?;
        Ok(())
    }

    /// The overview of verstrekkingen for an inzage (Wet BRP 3.22).
    async fn citizen_overview(&self, r: &CitizenRequest) -> Result<Vec<OverviewRow>, ServiceError> {
        let (start, _) = overview::window(r.received_at);
        let filter = ProtocolFilter {
            bsn: Some(r.bsn),
            from: Some(brp_domain::time::dutch_local(start).date_naive()),
            ..ProtocolFilter::default()
        };
        let records = self
            .store
            .list_verstrekkingen(&filter, OVERVIEW_MAX)
            .await?;
        Ok(overview::overview(&records, r.received_at))
    }

    /// Who received the value before it was corrected: every verstrekking of the person
    /// before the correction that held the element or a value derived from it. For the
    /// citizen (`for_citizen`) without the verstrekkingen recorded as hidden under Besluit
    /// BRP art. 46 when they were made.
    async fn earlier_recipients(
        &self,
        r: &CitizenRequest,
        c: &CorrectionRecord,
        for_citizen: bool,
    ) -> Result<
        (
            Vec<EarlierRecipient>,
            Vec<brp_domain::protocol::Verstrekking>,
        ),
        ServiceError,
    > {
        let field = CorrectableField::from_path(&c.field_path);
        let mut paths = vec![c.field_path.clone()];
        if let Some(f) = field {
            paths.extend(f.derived_paths().iter().map(|p| (*p).to_owned()));
        }
        let held = |f: &String| {
            paths
                .iter()
                .any(|p| f == p || f.starts_with(&format!("{p}.")))
        };
        let records: Vec<_> = self
            .store
            .list_verstrekkingen(
                &ProtocolFilter {
                    bsn: Some(r.bsn),
                    ..ProtocolFilter::default()
                },
                OVERVIEW_MAX,
            )
            .await?
            .into_iter()
            .filter(|v| v.at < c.corrected_at && v.fields.iter().any(held))
            .filter(|v| !(for_citizen && v.hidden_from_citizen))
            .collect();
        let notified: BTreeMap<i64, (DateTime<Utc>, String)> = self
            .store
            .correction_notifications(c.id)
            .await?
            .into_iter()
            .map(|(afnemer, at, by)| (afnemer, (at, by)))
            .collect();
        let mut by_afnemer: BTreeMap<i64, EarlierRecipient> = BTreeMap::new();
        for v in &records {
            let entry = by_afnemer
                .entry(v.afnemer.id)
                .or_insert_with(|| EarlierRecipient {
                    afnemer_id: v.afnemer.id,
                    afnemer_name: v.afnemer.name.clone(),
                    verstrekkingen: 0,
                    last_provided_at: v.at,
                    notified_at: notified.get(&v.afnemer.id).map(|n| n.0),
                    notified_by: notified.get(&v.afnemer.id).map(|n| n.1.clone()),
                });
            entry.verstrekkingen += 1;
            entry.last_provided_at = entry.last_provided_at.max(v.at);
        }
        Ok((by_afnemer.into_values().collect(), records))
    }

    async fn view(
        &self,
        request: CitizenRequest,
        staff: Option<&Actor>,
    ) -> Result<RequestView, ServiceError> {
        let today = self.today();
        let citizen_name = self.citizen_name(&request.bsn).await?;
        let corrections = self.store.corrections_of_request(&request.id).await?;
        let recipients = match corrections.first() {
            Some(c) if request.inform_recipients || staff.is_some() => {
                self.earlier_recipients(&request, c, staff.is_none())
                    .await?
                    .0
            }
            _ => Vec::new(),
        };
        let geheimhouding_since = self
            .store
            .beperkingen(&request.bsn)
            .await?
            .into_iter()
            .find(|b| b.ended_on.is_none())
            .map(|b| b.started_on);
        let open = request.status.is_open();
        let deadline = request.deadline(today);
        let mut request = request;
        if staff.is_none() {
            request.events.retain(|e| !e.staff_only);
        }
        let allowed = match staff {
            Some(actor) if actor.role() == Role::Beheerder => Allowed {
                take: open,
                ask_information: open && request.status != RequestStatus::WachtOpInformatie,
                extend: request.deferral(today).is_ok(),
                decide: open && !registered_by_actor(&request, actor),
                notify_recipients: request.inform_recipients
                    && recipients.iter().any(|x| x.notified_at.is_none()),
                download_attachments: true,
                ..Allowed::default()
            },
            Some(_) => Allowed::default(),
            None => Allowed {
                give_information: request.status == RequestStatus::WachtOpInformatie,
                ask_inform_recipients: request.kind == RequestKind::Correctie
                    && !request.inform_recipients
                    && request.outcome != Some(Outcome::Afgewezen),
                download_attachments: true,
                ..Allowed::default()
            },
        };
        Ok(RequestView {
            deadline,
            citizen_name,
            corrections,
            recipients,
            geheimhouding_since,
            allowed,
            request,
        })
    }

    async fn existing_request(&self, id: &str) -> Result<CitizenRequest, ServiceError> {
        let id = canonical_request_id(id).ok_or_else(citizen_not_found)?;
        let r = self
            .store
            .citizen_request(&id)
            .await?
            .ok_or_else(citizen_not_found)?;
        self.settled(r).await
    }

    async fn open_request(&self, id: &str) -> Result<CitizenRequest, ServiceError> {
        let r = self.existing_request(id).await?;
        if r.status.is_open() {
            Ok(r)
        } else {
            Err(ServiceError::Conflict(
                "Over dit verzoek is al besloten.".into(),
            ))
        }
    }

    /// The request, if it is the citizen's own. The one ownership check every citizen
    /// endpoint goes through.
    async fn owned_request(
        &self,
        citizen: &Citizen,
        id: &str,
    ) -> Result<CitizenRequest, ServiceError> {
        let id = canonical_request_id(id).ok_or_else(citizen_not_found)?;
        match self.store.citizen_request(&id).await? {
            Some(r) if r.bsn == citizen.bsn => self.settled(r).await,
            Some(_) => {
                tracing::warn!("citizen asked for a request that is not theirs");
                Err(citizen_not_found())
            }
            None => Err(citizen_not_found()),
        }
    }

    async fn held_person(&self, bsn: &Bsn) -> Result<HeldPerson, ServiceError> {
        let data = self
            .store
            .person_data(bsn)
            .await?
            .ok_or(ServiceError::NotFound("De persoon"))?;
        let persoon: Persoon = serde_json::from_str(&data)
            .map_err(|e| crate::store::StoreError::Corrupt(format!("person {bsn}: {e}")))?;
        let restricted = persoon.geheimhouding_persoonsgegevens
            || !self.store.restricted_bsns(&[*bsn]).await?.is_empty();
        Ok(HeldPerson {
            data,
            persoon,
            restricted,
        })
    }

    async fn citizen_name(&self, bsn: &Bsn) -> Result<String, ServiceError> {
        match self.held_person(bsn).await {
            Ok(p) => Ok(p.persoon.naam.volledige_naam.unwrap_or_default()),
            Err(ServiceError::NotFound(_)) => Ok(String::new()),
            Err(e) => Err(e),
        }
    }

    fn step(&self, by: &By<'_>, kind: EventKind, text: String) -> NewRequestEvent {
        NewRequestEvent {
            at: self.clock.now(),
            kind,
            actor: by.name(),
            by_citizen: matches!(by, By::Citizen),
            text,
            staff_only: false,
            due_on: None,
        }
    }

    fn citizen_letter_data(
        &self,
        r: &CitizenRequest,
        person: &HeldPerson,
        by: &By<'_>,
        subject: &str,
    ) -> CitizenLetterData {
        let today = self.today();
        let mut l = CitizenLetterData {
            municipality: self.config.municipality.clone(),
            date: format_day(today),
            reference: r.reference.clone(),
            subject: subject.to_owned(),
            request_label: r.kind.label().to_lowercase(),
            request_date: format_day(r.received_on),
            kind: r.kind.code().to_owned(),
            article: r.kind.article().to_owned(),
            deadline: format_day(r.deadline(today).due),
            correction: r.correction.as_ref().map(|c| LetterCorrection {
                label: c.field.label(),
                lo_gba: c.field.lo_gba(),
                old: c.current_value.clone(),
                new: c.proposed_value.clone(),
            }),
            bezwaar_address: self.config.citizens.bezwaar_address.clone(),
            inform_recipients_asked: r.inform_recipients,
            handled_by: match by {
                By::Staff(a) => a.user().display_name.to_string(),
                _ => "Team Burgerzaken".to_owned(),
            },
            ..CitizenLetterData::default()
        };
        address_letter(&mut l, &person.persoon);
        l
    }

    fn citizen_letter(
        &self,
        kind: CitizenLetterKind,
        template: CitizenTemplate,
        data: &CitizenLetterData,
    ) -> Result<NewCitizenLetter, ServiceError> {
        Ok(NewCitizenLetter {
            id: new_id(),
            kind,
            subject: data.subject.clone(),
            body_html: render(template, data)?,
            created_at: self.clock.now(),
        })
    }

    /// The e-mail about a step, when the citizen gave an address.
    fn mail(&self, r: &CitizenRequest, what: &str) -> Result<Vec<NewOutboxMessage>, ServiceError> {
        let Some(address) = &r.email else {
            return Ok(Vec::new());
        };
        let m = CitizenMail {
            municipality: self.config.municipality.clone(),
            reference: r.reference.clone(),
            request_label: r.kind.label().to_lowercase(),
            what: what.to_owned(),
            url: self
                .config
                .citizens
                .portal_url
                .as_ref()
                .map(|u| format!("{}/inwoner/verzoeken/{}", u.trim_end_matches('/'), r.id)),
        };
        Ok(vec![NewOutboxMessage {
            to_address: address.clone(),
            to_name: String::new(),
            subject: format!("Uw verzoek {} ({})", r.reference, self.config.municipality),
            body_text: render_mail(&m)?,
            created_at: self.clock.now(),
        }])
    }
}

/// Addresses a letter as the BRP holds the person: name, address lines and salutation.
fn address_letter(l: &mut CitizenLetterData, p: &Persoon) {
    let a = p.adressering.clone().unwrap_or_default();
    l.recipient_name = a.aanschrijfwijze.naam;
    l.address_lines = [a.adresregel1, a.adresregel2, a.adresregel3]
        .into_iter()
        .flatten()
        .collect();
    l.salutation = if a.aanhef.is_empty() {
        "Geachte heer, mevrouw".to_owned()
    } else {
        a.aanhef
    };
}

/// Whether `actor` registered this request themselves (from the counter or a letter).
fn registered_by_actor(r: &CitizenRequest, actor: &Actor) -> bool {
    r.registered_by.as_deref() == Some(actor.user().username.as_str())
}

fn stored_attachments(
    files: Vec<CheckedAttachment>,
    at: DateTime<Utc>,
    by_citizen: bool,
) -> Vec<NewAttachment> {
    files
        .into_iter()
        .map(|a| NewAttachment {
            id: new_id(),
            sha256: sha256_hex(&a.bytes),
            file_name: a.file_name,
            kind: a.kind,
            data: a.bytes,
            uploaded_at: at,
            by_citizen,
        })
        .collect()
}

fn summary(r: &CitizenRequest, today: NaiveDate, citizen_name: Option<String>) -> RequestSummary {
    RequestSummary {
        id: r.id.clone(),
        reference: r.reference.clone(),
        kind: r.kind,
        channel: r.channel,
        received_on: r.received_on,
        status: r.status,
        outcome: r.outcome,
        assigned_to: r.assigned_to.clone(),
        deadline: r.deadline(today),
        citizen_name,
    }
}

/// The decision in one plain sentence.
fn decision_sentence(kind: RequestKind, outcome: Outcome) -> String {
    let s = match (kind, outcome) {
        (RequestKind::Inzage, Outcome::Toegekend) => {
            "U krijgt inzage in uw gegevens en het overzicht van wie ze kreeg. U vindt ze in \
             deze brief."
        }
        (RequestKind::Inzage, Outcome::DeelsToegekend) => {
            "U krijgt een deel van wat u vroeg. Hieronder leest u welk deel en waarom."
        }
        (RequestKind::Inzage, Outcome::Afgewezen) => "U krijgt geen inzage.",
        (RequestKind::Correctie, Outcome::Toegekend) => {
            "Wij hebben het gegeven aangepast zoals u vroeg."
        }
        (RequestKind::Correctie, Outcome::DeelsToegekend) => {
            "Wij hebben het gegeven aangepast, maar niet helemaal zoals u vroeg."
        }
        (RequestKind::Correctie, Outcome::Afgewezen) => "Wij passen het gegeven niet aan.",
        (RequestKind::Geheimhouding, Outcome::Afgewezen) => {
            "Wij stellen geen geheimhouding van uw gegevens in."
        }
        (RequestKind::Geheimhouding, _) => "Uw gegevens worden geheimgehouden voor derden.",
        (RequestKind::IntrekkingGeheimhouding, Outcome::Afgewezen) => {
            "De geheimhouding van uw gegevens blijft gelden."
        }
        (RequestKind::IntrekkingGeheimhouding, _) => "De geheimhouding van uw gegevens is gestopt.",
    };
    s.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_readable_and_vary() {
        let a = new_reference(2026);
        assert!(a.starts_with("BV-2026-"));
        assert_eq!(a.len(), "BV-2026-".len() + 6);
        assert!(!a.contains(['I', 'L', 'O', 'U']));
        let many: BTreeSet<String> = (0..50).map(|_| new_reference(2026)).collect();
        assert!(many.len() > 45);
    }
}
