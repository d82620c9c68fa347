//! Settings, from flags or environment variables (every flag has a `BRP_` variable).

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "brp-portaal",
    version,
    about = "BRP-portaal: toegang tot BRP-gegevens voor de eigen gemeente"
)]
pub struct Cli {
    #[command(flatten)]
    pub db: DbArgs,
    /// Log format: `text` for people, `json` for log collectors.
    #[arg(long, env = "BRP_LOG_FORMAT", default_value = "text", global = true)]
    pub log_format: String,
    /// The municipality's gemeentecode (four digits): a profile limited to own residents
    /// finds only persons registered here. The default is the demo municipality's.
    #[arg(long, env = "BRP_GEMEENTECODE", default_value = "1998", global = true)]
    pub gemeentecode: String,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the portal (the default when no command is given).
    Serve(Box<ServeArgs>),
    /// Apply database migrations and stop.
    Migrate,
    /// Create a beheerder account on a new installation. Reads the password from standard
    /// input (asked for without echo when standard input is a terminal).
    CreateBeheerder {
        #[arg(long)]
        gebruikersnaam: String,
        #[arg(long)]
        naam: String,
        #[arg(long)]
        email: Option<String>,
    },
    /// Generate a synthetic population into the embedded BRP source (for demos, tests and
    /// benchmarks; never next to real persons). The same seed gives the same persons.
    GenereerBevolking {
        #[arg(long, default_value_t = 10_000)]
        aantal: usize,
        #[arg(long, default_value_t = brp_service::persons::DEMO_SEED)]
        seed: u64,
    },
    /// Import persons in RvIG's Haal Centraal mock format (a JSON array). Each rejected
    /// record is reported with its reason; the rest is imported.
    ImporteerPersonen { bestand: PathBuf },
    /// Task applications (taakapplicaties), for automation: register one, rotate its
    /// secret, list them. Acts as the named beheerder, through the same rules as the portal.
    Applicatie {
        #[command(subcommand)]
        actie: ApplicatieCommand,
    },
}

/// `brp-portaal applicatie ...`
#[derive(Debug, Clone, Subcommand)]
pub enum ApplicatieCommand {
    /// Registers an application (inactive) and prints its client id and secret, once.
    /// A second beheerder activates it on /beheer/voorstellen.
    Registreer {
        /// The user name of the (active) beheerder who registers it.
        #[arg(long)]
        door: String,
        #[arg(long)]
        client_id: String,
        #[arg(long)]
        naam: String,
        /// The name of the afnemer the application works for.
        #[arg(long)]
        afnemer: String,
        #[arg(long)]
        contact: String,
    },
    /// Gives an application a new secret (printed once); the old one keeps working for
    /// the overlap.
    Roteer {
        #[arg(long)]
        door: String,
        #[arg(long)]
        client_id: String,
        #[arg(long, default_value_t = 60)]
        overlap_minuten: i64,
    },
    /// Lists the applications with their status and use.
    Lijst {
        #[arg(long)]
        door: String,
    },
}

#[derive(Debug, Clone, Args)]
pub struct DbArgs {
    /// Database: `sqlite://path` or `postgres://…`. Default: a SQLite file in the data
    /// directory.
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Where the portal keeps its files (the SQLite database by default).
    #[arg(long, env = "BRP_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,
}

impl DbArgs {
    pub fn url(&self) -> anyhow::Result<String> {
        if let Some(url) = &self.database_url {
            return Ok(url.clone());
        }
        std::fs::create_dir_all(&self.data_dir)?;
        Ok(format!(
            "sqlite://{}",
            self.data_dir.join("brp-portaal.sqlite").display()
        ))
    }
}

/// `serve` with its defaults and environment variables, for a start without a command
/// (which is how cargo-leptos starts the binary).
#[derive(Debug, Parser)]
pub struct ServeOnly {
    #[command(flatten)]
    pub args: ServeArgs,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Demo mode: a made-up municipality with demo accounts (password shown on the login
    /// page). Never use it with real data.
    #[arg(long, env = "BRP_DEMO", default_value_t = false)]
    pub demo: bool,
    /// The municipality's name in the header and in letters.
    #[arg(long, env = "BRP_GEMEENTE")]
    pub municipality: Option<String>,
    /// The portal is served over HTTPS (by this process or a proxy in front): Secure
    /// cookies with the `__Host-` prefix, and HSTS.
    #[arg(long, env = "BRP_HTTPS", default_value_t = false)]
    pub https: bool,
    /// Take the client address from the last X-Forwarded-For entry (only behind a proxy
    /// that sets it).
    #[arg(long, env = "BRP_TRUST_PROXY", default_value_t = false)]
    pub trust_proxy: bool,
    /// The portal's own origin, e.g. `https://brp.gemeente.nl`; a state-changing request
    /// must come from it. Default: the Host header of the request.
    #[arg(long, env = "BRP_PUBLIC_ORIGIN")]
    pub public_origin: Option<String>,
    /// Minutes without a request after which a session ends.
    #[arg(long, env = "BRP_SESSION_IDLE_MINUTES", default_value_t = 30)]
    pub session_idle_minutes: i64,
    /// The mail server for the outbox, e.g. `smtps://user:password@smtp.gemeente.nl:465`
    /// or `smtp://relay:25`. Without it, mail stays in the outbox (read it in the portal).
    #[arg(long, env = "BRP_SMTP_URL")]
    pub smtp_url: Option<String>,
    /// The sender of the portal's e-mail.
    #[arg(
        long,
        env = "BRP_MAIL_FROM",
        default_value = "BRP-portaal <brp-portaal@localhost>"
    )]
    pub mail_from: String,
    /// Hours after the login after which a session ends, however active.
    #[arg(long, env = "BRP_SESSION_MAX_HOURS", default_value_t = 12)]
    pub session_max_hours: i64,
    /// Haal Centraal API: requests per second a task application may make on average.
    #[arg(long, env = "BRP_API_REQUESTS_PER_SECOND", default_value_t = 50.0)]
    pub api_requests_per_second: f64,
    /// Haal Centraal API: how many requests above that average an application may burst.
    #[arg(long, env = "BRP_API_BURST", default_value_t = 100.0)]
    pub api_burst: f64,
    /// The municipality's identity provider whose JWT access tokens task applications may
    /// present instead of ours (its issuer; JWKS through its discovery document).
    #[arg(long, env = "BRP_API_IDP_ISSUER")]
    pub api_idp_issuer: Option<String>,
    /// The audience those tokens carry for this portal.
    #[arg(long, env = "BRP_API_IDP_AUDIENCE", default_value = "brp-portaal")]
    pub api_idp_audience: String,
    /// The claim that holds the application's client id.
    #[arg(long, env = "BRP_API_IDP_CLAIM", default_value = "client_id")]
    pub api_idp_claim: String,
    #[command(flatten)]
    pub citizens: CitizenArgs,
}

/// Settings for citizens: DigiD through an OpenID Connect broker, and the handling of their
/// requests.
#[derive(Debug, Clone, Args)]
pub struct CitizenArgs {
    /// The issuer of the DigiD OIDC broker, e.g. `https://broker.example.nl/oidc`. Without
    /// it, citizens cannot log in with DigiD (the demo has its simulation).
    #[arg(long, env = "BRP_OIDC_ISSUER")]
    pub oidc_issuer: Option<String>,
    #[arg(long, env = "BRP_OIDC_CLIENT_ID")]
    pub oidc_client_id: Option<String>,
    #[arg(long, env = "BRP_OIDC_CLIENT_SECRET", hide_env_values = true)]
    pub oidc_client_secret: Option<String>,
    /// Where the broker sends the browser back; default `BRP_PUBLIC_ORIGIN` +
    /// `/inwoner/digid/terug`.
    #[arg(long, env = "BRP_OIDC_REDIRECT_URI")]
    pub oidc_redirect_uri: Option<String>,
    /// Extra scopes besides `openid`, space-separated.
    #[arg(long, env = "BRP_OIDC_SCOPES", default_value = "")]
    pub oidc_scopes: String,
    /// The ID-token claim that holds the BSN.
    #[arg(long, env = "BRP_OIDC_BSN_CLAIM", default_value = "bsn")]
    pub oidc_bsn_claim: String,
    /// The ID-token claim that holds the assurance level (DigiD betrouwbaarheidsniveau).
    #[arg(long, env = "BRP_OIDC_LOA_CLAIM", default_value = "acr")]
    pub oidc_loa_claim: String,
    /// The lowest DigiD level accepted: basis, midden, substantieel or hoog.
    #[arg(long, env = "BRP_DIGID_MIN_NIVEAU", default_value = "midden")]
    pub digid_min_niveau: String,
    /// Answer an inzage at once online for a citizen logged in at Substantieel or higher
    /// (default: on in demo mode, off otherwise).
    #[arg(long, env = "BRP_INZAGE_DIRECT")]
    pub inzage_direct: Option<bool>,
    /// Where a bezwaarschrift goes, as printed in refusal letters (lines separated by `\n`
    /// or `|`).
    #[arg(long, env = "BRP_BEZWAAR_ADRES")]
    pub bezwaar_adres: Option<String>,
}
