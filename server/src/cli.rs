//! The command line: serve, migrate, and creating the first beheerder.

use crate::config::{ApplicatieCommand, Cli, Command, DbArgs, ServeArgs, ServeOnly};
use crate::sessions::PortalSessionStore;
use crate::web::{self, AppState, WebConfig};
use anyhow::Context;
use brp_app::ssr::SiteConfig;
use brp_domain::{DisplayName, EmailAddress, NewPassword, SessionPolicy, Username};
use brp_service::store::{connect, Connected};
use brp_service::{Portal, PortalConfig, SystemClock};
use clap::Parser;
use std::io::{BufRead, IsTerminal};
use std::sync::Arc;

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let command = match cli.command {
        Some(c) => c,
        None => Command::Serve(Box::new(ServeOnly::parse_from(["brp-portaal"]).args)),
    };
    match command {
        Command::Serve(args) => serve(&cli.db, *args, &cli.gemeentecode).await,
        Command::Migrate => {
            let connected = open(&cli.db).await?;
            PortalSessionStore::new(&connected.pool).migrate().await?;
            println!("Database bijgewerkt.");
            Ok(())
        }
        Command::CreateBeheerder {
            gebruikersnaam,
            naam,
            email,
        } => {
            create_beheerder(
                &cli.db,
                &cli.gemeentecode,
                &gebruikersnaam,
                &naam,
                email.as_deref(),
            )
            .await
        }
        Command::GenereerBevolking { aantal, seed } => {
            let portal = command_portal(&cli.db, &cli.gemeentecode).await?;
            let started = std::time::Instant::now();
            let stored = portal
                .generate_population(aantal, seed)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "{stored} personen gegenereerd en opgeslagen in {:.1} s.",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::ImporteerPersonen { bestand } => {
            let text = std::fs::read_to_string(&bestand)
                .with_context(|| format!("{} lezen", bestand.display()))?;
            let portal = command_portal(&cli.db, &cli.gemeentecode).await?;
            let report = portal
                .import_mock(&text, &bestand.display().to_string())
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            for r in &report.rejected {
                // The reason starts with "record N"; the BSN as found follows it.
                println!(
                    "afgewezen: {} (burgerservicenummer: {})",
                    r.reason,
                    r.bsn.as_deref().unwrap_or("geen")
                );
            }
            println!(
                "{} personen ingelezen, {} afgewezen.",
                report.imported,
                report.rejected.len()
            );
            Ok(())
        }
        Command::Applicatie { actie } => {
            let portal = command_portal(&cli.db, &cli.gemeentecode).await?;
            print!("{}", applicatie(&portal, actie).await?);
            Ok(())
        }
    }
}

/// Runs `brp-portaal applicatie ...` and returns what it prints. Acts as the beheerder
/// named by `--door` ([`Portal::cli_beheerder`]): the service decides every rule, as for
/// the pages. A secret appears here once and nowhere else.
pub async fn applicatie(portal: &Portal, command: ApplicatieCommand) -> anyhow::Result<String> {
    let fail = |e: brp_service::ServiceError| anyhow::anyhow!("{e}");
    match command {
        ApplicatieCommand::Registreer {
            door,
            client_id,
            naam,
            afnemer,
            contact,
        } => {
            let actor = portal.cli_beheerder(&door).await.map_err(fail)?;
            let afnemer_id = portal
                .list_afnemers(&actor)
                .await
                .map_err(fail)?
                .into_iter()
                .find(|a| a.name.as_str().eq_ignore_ascii_case(afnemer.trim()))
                .map(|a| a.id)
                .ok_or_else(|| anyhow::anyhow!("Geen afnemer met de naam ‘{afnemer}’."))?;
            let (app, secret) = portal
                .register_application(
                    &actor,
                    brp_service::applications::ApplicationForm {
                        client_id,
                        name: naam,
                        afnemer_id,
                        contact,
                    },
                )
                .await
                .map_err(fail)?;
            Ok(format!(
                "client_id: {}\nclient_secret: {}\n\
                 Bewaar het geheim nu: het wordt niet nog eens getoond.\n\
                 Taakapplicatie {} is geregistreerd maar nog niet actief: een tweede \
                 beheerder keurt de activering goed op /beheer/voorstellen.\n",
                secret.client_id, secret.secret, app.name
            ))
        }
        ApplicatieCommand::Roteer {
            door,
            client_id,
            overlap_minuten,
        } => {
            let actor = portal.cli_beheerder(&door).await.map_err(fail)?;
            let id = portal
                .list_applications(&actor)
                .await
                .map_err(fail)?
                .into_iter()
                .find(|a| a.client_id.as_str() == client_id.trim())
                .map(|a| a.id)
                .ok_or_else(|| {
                    anyhow::anyhow!("Geen taakapplicatie met client id ‘{client_id}’.")
                })?;
            let secret = portal
                .rotate_application_secret(&actor, id, overlap_minuten)
                .await
                .map_err(fail)?;
            Ok(format!(
                "client_id: {}\nclient_secret: {}\n\
                 Bewaar het geheim nu: het wordt niet nog eens getoond. Het oude geheim werkt \
                 nog {overlap_minuten} minuten.\n",
                secret.client_id, secret.secret
            ))
        }
        ApplicatieCommand::Lijst { door } => {
            let actor = portal.cli_beheerder(&door).await.map_err(fail)?;
            let mut out = String::new();
            for a in portal.list_applications(&actor).await.map_err(fail)? {
                let status = if a.active { "actief" } else { "niet actief" };
                let last = a
                    .usage
                    .last_used_at
                    .map_or_else(|| "nooit".to_owned(), brp_domain::time::format_datetime);
                out.push_str(&format!(
                    "{}\t{}\t{}\t{status}\tlaatst gebruikt: {last}\tverzoeken: {}\t\
                     personen: {}\tgeweigerd: {}\n",
                    a.client_id,
                    a.name,
                    a.afnemer.name,
                    a.usage.requests,
                    a.usage.persons,
                    a.usage.refused
                ));
            }
            if out.is_empty() {
                out.push_str("Er zijn geen taakapplicaties.\n");
            }
            Ok(out)
        }
    }
}

/// Connects and migrates: every command works on an up-to-date schema.
async fn open(db: &DbArgs) -> anyhow::Result<Connected> {
    let url = db.url()?;
    let connected = connect(&url).await.context("database openen")?;
    connected
        .store
        .migrate()
        .await
        .context("migraties uitvoeren")?;
    Ok(connected)
}

fn portal(
    connected: &Connected,
    sessions: SessionPolicy,
    municipality: String,
    municipality_code: &str,
) -> anyhow::Result<Portal> {
    let config = PortalConfig {
        municipality,
        municipality_code: municipality_code.to_owned(),
        sessions,
        ..PortalConfig::default()
    };
    Portal::new(connected.store.clone(), Arc::new(SystemClock), config)
        .map_err(|e| anyhow::anyhow!("{e}"))
}

/// The portal for a one-off command (not `serve`): default sessions and settings.
async fn command_portal(db: &DbArgs, municipality_code: &str) -> anyhow::Result<Portal> {
    let connected = open(db).await?;
    portal(
        &connected,
        SessionPolicy::default(),
        "Gemeente".to_owned(),
        municipality_code,
    )
}

/// Persons in the demo municipality's generated population.
const DEMO_POPULATION: usize = 10_000;

async fn serve(db: &DbArgs, args: ServeArgs, gemeentecode: &str) -> anyhow::Result<()> {
    let connected = open(db).await?;
    let session_store = PortalSessionStore::new(&connected.pool);
    session_store.migrate().await.context("sessietabel")?;
    session_store.spawn_cleanup(std::time::Duration::from_secs(600));

    let sessions = SessionPolicy {
        idle_timeout: chrono::Duration::minutes(args.session_idle_minutes.max(1)),
        absolute_timeout: chrono::Duration::hours(args.session_max_hours.max(1)),
    };
    let municipality = args.municipality.clone().unwrap_or_else(|| {
        if args.demo {
            "Gemeente Voorbeeld".to_owned()
        } else {
            "Gemeente".to_owned()
        }
    });
    let citizens = citizen_settings(&args, &municipality)?;
    let mut portal = portal(&connected, sessions, municipality.clone(), gemeentecode)?
        .with_api_settings(brp_service::applications::ApiSettings {
            requests_per_second: args.api_requests_per_second,
            burst: args.api_burst,
        })
        .with_citizen_settings(citizens);
    if let Some(issuer) = &args.api_idp_issuer {
        let idp = brp_service::applications::OidcApplicationIdp::new(
            issuer,
            &args.api_idp_audience,
            &args.api_idp_claim,
        )
        .map_err(|e| anyhow::anyhow!("BRP_API_IDP_ISSUER: {e}"))?;
        portal = portal.with_application_idp(Arc::new(idp));
        tracing::info!(
            issuer,
            "JWT access tokens of the identity provider accepted on the API"
        );
    }
    if let Some(client) = oidc_client(&args)? {
        portal = portal.with_identity_provider(std::sync::Arc::new(client));
        tracing::info!("DigiD login through OpenID Connect enabled");
    }
    if args.demo {
        portal
            .seed_demo()
            .await
            .map_err(|e| anyhow::anyhow!("demo-gegevens: {e}"))?;
        portal
            .seed_demo_application()
            .await
            .map_err(|e| anyhow::anyhow!("demo-taakapplicatie: {e}"))?;
        let generated = portal
            .seed_demo_population(DEMO_POPULATION)
            .await
            .map_err(|e| anyhow::anyhow!("demobevolking: {e}"))?;
        if generated > 0 {
            tracing::info!(generated, "demo population generated");
        }
        tracing::warn!("demo mode: demo accounts with a published password exist");
    }

    match &args.smtp_url {
        Some(url) => {
            let smtp = crate::mail::Smtp::new(url, &args.mail_from).context("BRP_SMTP_URL")?;
            crate::mail::spawn_delivery(portal.clone(), smtp, std::time::Duration::from_secs(30));
        }
        None => tracing::info!("no BRP_SMTP_URL: e-mail stays in the outbox"),
    }

    let conf = leptos::config::get_configuration(None).context("Leptos-configuratie")?;
    let leptos = conf.leptos_options;
    let addr = leptos.site_addr;
    let state = AppState {
        leptos,
        portal,
        site: SiteConfig {
            municipality,
            demo: args.demo,
        },
        web: Arc::new(WebConfig {
            https: args.https,
            trust_proxy: args.trust_proxy,
            public_origin: args.public_origin.clone(),
            session_idle: sessions.idle_timeout,
        }),
    };
    let app = web::router(state, session_store);
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(%addr, demo = args.demo, "BRP-portaal listening");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    Ok(())
}

/// The citizen settings from the flags; demo mode switches the simulation on and, unless
/// told otherwise, the instant online inzage.
fn citizen_settings(
    args: &ServeArgs,
    municipality: &str,
) -> anyhow::Result<brp_service::CitizenSettings> {
    use brp_domain::citizen::Assurance;
    let c = &args.citizens;
    let min_assurance = Assurance::from_code(&c.digid_min_niveau).ok_or_else(|| {
        anyhow::anyhow!("BRP_DIGID_MIN_NIVEAU: kies basis, midden, substantieel of hoog")
    })?;
    let bezwaar_address = match &c.bezwaar_adres {
        Some(a) => a.replace("\\n", "\n").replace('|', "\n"),
        None if !args.demo => {
            tracing::warn!("BRP_BEZWAAR_ADRES is not set: refusal letters name a placeholder");
            format!(
                "Het college van burgemeester en wethouders van {municipality}\nPostbus (stel \
                 BRP_BEZWAAR_ADRES in)"
            )
        }
        None => format!(
            "Het college van burgemeester en wethouders van {municipality}\nTeam Juridische Zaken\n\
             Postbus 1\n1000 AA {municipality}"
        ),
    };
    Ok(brp_service::CitizenSettings {
        simulation: args.demo,
        instant_inzage: c.inzage_direct.unwrap_or(args.demo),
        bsn_claim: c.oidc_bsn_claim.clone(),
        assurance_claim: c.oidc_loa_claim.clone(),
        min_assurance,
        bezwaar_address,
        portal_url: args.public_origin.clone(),
    })
}

/// The OIDC client for DigiD, when an issuer is configured.
fn oidc_client(args: &ServeArgs) -> anyhow::Result<Option<brp_oidc::OidcClient>> {
    let c = &args.citizens;
    let Some(issuer) = &c.oidc_issuer else {
        return Ok(None);
    };
    let client_id = c
        .oidc_client_id
        .clone()
        .context("BRP_OIDC_CLIENT_ID is nodig naast BRP_OIDC_ISSUER")?;
    let redirect_uri = match (&c.oidc_redirect_uri, &args.public_origin) {
        (Some(uri), _) => uri.clone(),
        (None, Some(origin)) => format!("{}/inwoner/digid/terug", origin.trim_end_matches('/')),
        (None, None) => {
            anyhow::bail!("BRP_OIDC_REDIRECT_URI of BRP_PUBLIC_ORIGIN is nodig voor DigiD")
        }
    };
    let config = brp_oidc::OidcConfig {
        issuer: issuer.clone(),
        client_id,
        client_secret: c.oidc_client_secret.clone(),
        redirect_uri,
        scopes: c
            .oidc_scopes
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
        extra_auth_params: Vec::new(),
    };
    Ok(Some(
        brp_oidc::OidcClient::new(config).map_err(|e| anyhow::anyhow!("OIDC: {e}"))?,
    ))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Wachtwoord (minstens 12 tekens): ")?;
        let again = rpassword::prompt_password("Nogmaals: ")?;
        anyhow::ensure!(first == again, "De wachtwoorden zijn niet gelijk.");
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}

async fn create_beheerder(
    db: &DbArgs,
    municipality_code: &str,
    username: &str,
    name: &str,
    email: Option<&str>,
) -> anyhow::Result<()> {
    // Parse everything before asking for the password, so a typo is reported at once.
    let username = Username::parse(username)?;
    let name = DisplayName::parse(name)?;
    let email = email.map(EmailAddress::parse).transpose()?;
    let password = NewPassword::parse(&read_password()?)?;
    let portal = command_portal(db, municipality_code).await?;
    let user = portal
        .create_beheerder_from_cli(username, name, email, password)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("Beheerder {} aangemaakt.", user.username);
    Ok(())
}
