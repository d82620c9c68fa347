//! A service error as a plain-text HTTP answer, for the routes outside the server functions
//! (downloads, the protocol export, the caller extractors). The status is the service
//! layer's ([`ServiceError::status`]); this module only writes it down.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use brp_service::ServiceError;

/// The status of a service error as axum's type.
pub fn status_of(e: &ServiceError) -> StatusCode {
    StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// The error's status with its Dutch message. An internal error is logged with its cause;
/// the answer never carries the cause.
pub fn text_response(e: &ServiceError) -> Response {
    let status = status_of(e);
    if status.is_server_error() {
        tracing::error!(error = ?e, "request failed");
    }
    let text = match e {
        // Without the field name: the person reads only the message.
        ServiceError::Invalid(v) => v.message.clone(),
        other => other.to_string(),
    };
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use brp_app::ssr::from_service;
    use brp_domain::ValidationError;
    use brp_service::error::InternalError;
    use brp_service::store::StoreError;

    /// Server functions answer with the status of the service error they were made from:
    /// the conversion to `AppError` keeps the class, for every variant.
    #[test]
    fn server_functions_and_routes_answer_the_same_status() {
        let all = vec![
            ServiceError::Unauthenticated,
            ServiceError::SessionExpired,
            ServiceError::InvalidCredentials,
            ServiceError::Forbidden,
            ServiceError::Refused("veld".into()),
            ServiceError::NotFound("Persoon"),
            ValidationError::new("bsn", "Het BSN is onjuist.").into(),
            ServiceError::Conflict("Al afgehandeld.".into()),
            ServiceError::Throttled,
            ServiceError::Unavailable,
            ServiceError::ProtocolFailed,
            ServiceError::Internal(InternalError::Store(StoreError::UnsupportedUrl)),
        ];
        for e in all {
            let status = e.status();
            assert_eq!(status_of(&e).as_u16(), status, "{e:?}");
            assert_eq!(text_response(&e).status().as_u16(), status, "{e:?}");
            let debug = format!("{e:?}");
            assert_eq!(from_service(e).status(), status, "{debug}");
        }
    }

    #[tokio::test]
    async fn a_plain_answer_shows_the_message_without_the_field() {
        let res = text_response(&ValidationError::new("bsn", "Het BSN is onjuist.").into());
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        let body = axum::body::to_bytes(res.into_body(), 1024).await.unwrap();
        assert_eq!(&body[..], "Het BSN is onjuist.".as_bytes());
    }
}
