//! Server-only glue between server functions and the service layer. Compiled only with the
//! `ssr` feature, so the browser build never contains the service layer or its crates.

use crate::error::AppError;
use brp_service::error::InternalError;
use brp_service::{Actor, Citizen, CitizenClaims, Portal, ServiceError, SessionClaims};
use http::request::Parts;
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use tower_sessions::Session;

/// The session key under which a staff login is kept.
pub const STAFF_SESSION_KEY: &str = "staff";
/// The session key under which a citizen's login is kept. A session holds either this or
/// a staff login, never both: starting one clears the session first.
pub const CITIZEN_SESSION_KEY: &str = "inwoner";
/// The session key for the time of the login before this one, shown on the start page.
pub const PREVIOUS_LOGIN_KEY: &str = "previous_login_at";

/// Settings of this installation that pages show.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub municipality: String,
    pub demo: bool,
}

/// The client's address as the server determined it (peer address, or the proxy header
/// when a trusted proxy is configured). Put in the request extensions by the server.
#[derive(Debug, Clone)]
pub struct ClientAddr(pub String);

pub fn portal() -> Result<Portal, AppError> {
    use_context::<Portal>().ok_or_else(|| {
        tracing::error!("no Portal in the server function context");
        AppError::Internal
    })
}

pub fn site() -> SiteConfig {
    use_context::<SiteConfig>().unwrap_or(SiteConfig {
        municipality: "Gemeente".into(),
        demo: false,
    })
}

fn accepts_html() -> bool {
    use_context::<Parts>()
        .and_then(|p| {
            p.headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.contains("text/html"))
        })
        .unwrap_or(false)
}

/// Maps a service error to the server function's error, once, for every server function:
/// the HTTP status for direct callers, and the Dutch message for pages.
pub fn fail(e: ServiceError) -> AppError {
    let app = from_service(e);
    // A plain HTML form post is redirected back to its page with the error in the URL;
    // only direct callers (the hydrated app, scripts) get the status itself.
    if !accepts_html() {
        if let (Some(res), Ok(code)) = (
            use_context::<ResponseOptions>(),
            http::StatusCode::from_u16(app.status()),
        ) {
            res.set_status(code);
        }
    }
    app
}

/// The server function's error for a service error: the variant of the same class (so the
/// same status, [`ServiceError::class`]) with the Dutch message. Logs an internal error.
pub fn from_service(e: ServiceError) -> AppError {
    match e {
        ServiceError::Unauthenticated => AppError::Unauthenticated,
        ServiceError::SessionExpired => AppError::SessionExpired,
        ServiceError::Forbidden => AppError::Forbidden,
        ServiceError::Refused(m) => AppError::Refused(m),
        e @ (ServiceError::Unavailable | ServiceError::ProtocolFailed) => {
            AppError::Unavailable(e.to_string())
        }
        ServiceError::NotFound(what) => AppError::NotFound(format!("{what} is niet gevonden.")),
        ServiceError::Invalid(v) => AppError::Invalid {
            field: v.field,
            message: v.message,
        },
        ServiceError::Conflict(m) => AppError::Conflict(m),
        e @ ServiceError::InvalidCredentials => AppError::Login(e.to_string()),
        e @ (ServiceError::Throttled | ServiceError::RateLimited { .. }) => {
            AppError::Throttled(e.to_string())
        }
        ServiceError::Internal(inner) => {
            tracing::error!(error = %inner, "internal error");
            AppError::Internal
        }
    }
}

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|e| {
        tracing::error!(error = %e, "no session layer");
        AppError::Internal
    })
}

fn session_error(e: tower_sessions::session::Error) -> AppError {
    tracing::error!(error = %e, "session store");
    AppError::Internal
}

/// The staff member behind this request, checked by the service layer, or an error. Every
/// server function that acts for someone starts here. An expired session is ended.
pub async fn actor() -> Result<Actor, AppError> {
    let session = session().await?;
    match current_actor(&session).await? {
        Some(actor) => Ok(actor),
        None => Err(fail(ServiceError::Unauthenticated)),
    }
}

/// Like [`actor`], but "nobody" is an answer rather than an error.
pub async fn current_actor(session: &Session) -> Result<Option<Actor>, AppError> {
    staff_of_session(&portal()?, session).await.map_err(fail)
}

/// The staff member of a session, checked by the service layer: `None` when the session
/// holds no staff login; an expired one is ended and answers `SessionExpired`.
///
/// With [`citizen_of_session`] the one reading of a session's caller: server functions
/// reach it through [`actor`] and [`citizen`], the server's routes through the extractors
/// of `server/src/caller.rs`. (It lives here because server functions cannot reach the
/// server crate.)
pub async fn staff_of_session(
    portal: &Portal,
    session: &Session,
) -> Result<Option<Actor>, ServiceError> {
    let claims: Option<SessionClaims> = session
        .get(STAFF_SESSION_KEY)
        .await
        .map_err(session_failed)?;
    let Some(claims) = claims else {
        return Ok(None);
    };
    ended_if_expired(session, portal.resolve_session(&claims).await)
        .await
        .map(Some)
}

/// The citizen of a session, checked by the service layer; as [`staff_of_session`]. A
/// staff session is no citizen.
pub async fn citizen_of_session(
    portal: &Portal,
    session: &Session,
) -> Result<Option<Citizen>, ServiceError> {
    let claims: Option<CitizenClaims> = session
        .get(CITIZEN_SESSION_KEY)
        .await
        .map_err(session_failed)?;
    let Some(claims) = claims else {
        return Ok(None);
    };
    ended_if_expired(session, portal.resolve_citizen(&claims).await)
        .await
        .map(Some)
}

/// An expired login ends the session on the server, so its cookie is worthless from now.
async fn ended_if_expired<T>(
    session: &Session,
    resolved: Result<T, ServiceError>,
) -> Result<T, ServiceError> {
    if let Err(ServiceError::SessionExpired) = resolved {
        session.flush().await.map_err(session_failed)?;
    }
    resolved
}

fn session_failed(e: tower_sessions::session::Error) -> ServiceError {
    ServiceError::Internal(InternalError::Session(e.to_string()))
}

/// Starts a staff session: a new session id (against session fixation) holding the claims.
pub async fn start_session(
    session: &Session,
    claims: &SessionClaims,
    previous_login: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<(), AppError> {
    session.cycle_id().await.map_err(session_error)?;
    session.clear().await;
    session
        .insert(STAFF_SESSION_KEY, claims)
        .await
        .map_err(session_error)?;
    session
        .insert(PREVIOUS_LOGIN_KEY, previous_login)
        .await
        .map_err(session_error)?;
    Ok(())
}

/// Ends the session on the server: the record is deleted, so the old cookie is worthless.
pub async fn end_session(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(session_error)
}

pub async fn previous_login(session: &Session) -> Option<chrono::DateTime<chrono::Utc>> {
    session
        .get::<Option<chrono::DateTime<chrono::Utc>>>(PREVIOUS_LOGIN_KEY)
        .await
        .ok()
        .flatten()
        .flatten()
}

/// The citizen behind this request, checked by the service layer, or an error. Every
/// server function for citizens starts here; a staff session is no citizen.
pub async fn citizen() -> Result<Citizen, AppError> {
    let session = session().await?;
    match current_citizen(&session).await? {
        Some(c) => Ok(c),
        None => Err(fail(ServiceError::Unauthenticated)),
    }
}

/// Like [`citizen`], but "nobody" is an answer rather than an error.
pub async fn current_citizen(session: &Session) -> Result<Option<Citizen>, AppError> {
    citizen_of_session(&portal()?, session).await.map_err(fail)
}

/// Starts a citizen session: a new session id, nothing of any earlier login kept.
pub async fn start_citizen_session(
    session: &Session,
    claims: &CitizenClaims,
) -> Result<(), AppError> {
    session.cycle_id().await.map_err(session_error)?;
    session.clear().await;
    session
        .insert(CITIZEN_SESSION_KEY, claims)
        .await
        .map_err(session_error)
}

/// A multipart form as the server function received it: its text fields, and the files of
/// one file input (empty inputs left out).
pub struct MultipartForm {
    fields: std::collections::HashMap<String, String>,
    pub files: Vec<(String, Vec<u8>)>,
}

impl MultipartForm {
    pub fn text(&self, name: &str) -> String {
        self.fields.get(name).cloned().unwrap_or_default()
    }

    pub fn has(&self, name: &str) -> bool {
        self.fields.contains_key(name)
    }
}

/// Reads a multipart form. Files come from the input named `file_field`; a file above the
/// attachment limit stops the reading at once with a Dutch message, so an oversized upload
/// is never held in memory whole. (The route's body limit caps the request as a whole.)
pub async fn read_multipart(
    data: leptos::server_fn::codec::MultipartData,
    file_field: &str,
) -> Result<MultipartForm, AppError> {
    use brp_domain::citizen::attachment::{MAX_ATTACHMENTS, MAX_ATTACHMENT_BYTES};
    use brp_domain::ValidationError;
    const MAX_TEXT: usize = 16 * 1024;
    let invalid = |field: &str, message: &str| fail(ValidationError::new(field, message).into());
    let mut multipart = data
        .into_inner()
        .ok_or_else(|| AppError::Request("geen formulier".into()))?;
    let mut form = MultipartForm {
        fields: std::collections::HashMap::new(),
        files: Vec::new(),
    };
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(stream_error(e)),
        };
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        // The same door as for every other form (server/src/server_fns.rs): no control
        // characters in names, file names or text.
        for text in [Some(name.as_str()), file_name.as_deref()]
            .into_iter()
            .flatten()
        {
            brp_domain::text::check_text(file_field, text).map_err(|e| fail(e.into()))?;
        }
        let is_file = name == file_field;
        let limit = if is_file {
            MAX_ATTACHMENT_BYTES
        } else {
            MAX_TEXT
        };
        let mut bytes = Vec::new();
        let mut field = field;
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    if bytes.len() + chunk.len() > limit {
                        return Err(if is_file {
                            invalid(
                                file_field,
                                &format!(
                                    "Het bestand ‘{}’ is groter dan 10 MB.",
                                    file_name.as_deref().unwrap_or("zonder naam")
                                ),
                            )
                        } else {
                            invalid(&name, "Deze tekst is te lang.")
                        });
                    }
                    bytes.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => return Err(stream_error(e)),
            }
        }
        if is_file {
            let chosen = file_name.as_deref().is_some_and(|n| !n.is_empty()) || !bytes.is_empty();
            if chosen {
                if form.files.len() == MAX_ATTACHMENTS {
                    return Err(invalid(
                        file_field,
                        &format!("U kunt hoogstens {MAX_ATTACHMENTS} bijlagen meesturen."),
                    ));
                }
                form.files.push((file_name.unwrap_or_default(), bytes));
            }
        } else {
            let text = String::from_utf8(bytes)
                .map_err(|_| invalid(&name, "Deze tekst kan niet worden gelezen."))?;
            brp_domain::text::check_text(&name, &text).map_err(|e| fail(e.into()))?;
            form.fields.insert(name, text);
        }
    }
    Ok(form)
}

/// A multipart stream that broke off: over the body limit (413), or not a well-formed form
/// (400).
fn stream_error(e: impl std::fmt::Display) -> AppError {
    use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
    let e = AppError::from_server_fn_error(ServerFnErrorErr::Args(e.to_string()));
    if let (Some(res), Ok(code)) = (
        use_context::<ResponseOptions>(),
        http::StatusCode::from_u16(e.status()),
    ) {
        res.set_status(code);
    }
    e
}

pub fn client_addr() -> String {
    use_context::<Parts>()
        .and_then(|p| p.extensions.get::<ClientAddr>().cloned())
        .map_or_else(|| "onbekend".to_owned(), |c| c.0)
}

/// How long a just-issued client secret waits for its one showing.
const SECRET_SHOWN_WITHIN: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// Client secrets waiting to be shown once, keyed by session id and application id. Only
/// in this process's memory: never in a URL, the session store or the database (only a
/// hash of a secret is kept). Should the page be served by another process, it says the
/// secret cannot be shown and a new one can be made.
type PendingSecrets =
    std::collections::HashMap<(String, i64), (String, String, std::time::Instant)>;

fn pending_secrets() -> &'static std::sync::Mutex<PendingSecrets> {
    static SECRETS: std::sync::OnceLock<std::sync::Mutex<PendingSecrets>> =
        std::sync::OnceLock::new();
    SECRETS.get_or_init(Default::default)
}

fn lock_secrets() -> std::sync::MutexGuard<'static, PendingSecrets> {
    match pending_secrets().lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    }
}

async fn session_key() -> Result<String, AppError> {
    let session = session().await?;
    // A logged-in session is saved and so has an id; without one, there is nobody to
    // show a secret to.
    session
        .id()
        .map(|id| id.to_string())
        .ok_or_else(|| fail(ServiceError::Unauthenticated))
}

/// Keeps a just-issued secret for its one showing on the application's page, to this
/// browser's session only.
pub async fn keep_secret(app_id: i64, client_id: String, secret: String) -> Result<(), AppError> {
    let key = session_key().await?;
    let now = std::time::Instant::now();
    let mut secrets = lock_secrets();
    secrets.retain(|_, (_, _, at)| now.duration_since(*at) < SECRET_SHOWN_WITHIN);
    secrets.insert((key, app_id), (client_id, secret, now));
    Ok(())
}

/// Takes the secret kept for this session and application, if it is still fresh: it is
/// gone afterwards, so a reload does not show it again.
pub async fn take_secret(app_id: i64) -> Result<Option<(String, String)>, AppError> {
    let key = session_key().await?;
    let taken = lock_secrets().remove(&(key, app_id));
    Ok(taken
        .filter(|(_, _, at)| at.elapsed() < SECRET_SHOWN_WITHIN)
        .map(|(client_id, secret, _)| (client_id, secret)))
}
