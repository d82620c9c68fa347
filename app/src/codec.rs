//! The input encoding of the server functions that take file uploads.
//!
//! `server_fn`'s own `MultipartFormData` decodes with `expect("couldn't parse boundary")`,
//! so a request sent urlencoded, without a boundary or without a content type made the
//! server panic before any login check. This encoding is the same on the wire, but
//! refuses such a request with an error (a 400 with a Dutch message) instead.
//!
//! Implemented per server function (the orphan rule allows no blanket impl here): a new
//! upload function with `input = Upload` fails to compile until it is listed in
//! [`upload_functions!`], so none can be forgotten.

use leptos::server_fn::codec::{Encoding, MultipartData};
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr, ServerFnErrorWrapper};
use leptos::server_fn::request::Req;
use leptos::server_fn::ContentType;

/// `multipart/form-data`, decoded defensively.
pub struct Upload;

impl ContentType for Upload {
    const CONTENT_TYPE: &'static str = "multipart/form-data";
}

impl Encoding for Upload {
    const METHOD: http::Method = http::Method::POST;
}

/// The Dutch message for a request that is no multipart form.
pub const NOT_MULTIPART: &str =
    "Dit formulier moet als multipart/form-data (met boundary) worden verstuurd.";

/// Reads the multipart stream of a request, or refuses it when its content type is not
/// `multipart/form-data` with a usable boundary.
pub async fn decode<R, E>(req: R) -> Result<MultipartData, E>
where
    R: Req<E> + Send + 'static,
    E: FromServerFnError + Send + Sync,
{
    use futures::StreamExt;
    let boundary = req.to_content_type().and_then(|ct| {
        let is_form = ct
            .trim_start()
            .to_ascii_lowercase()
            .starts_with("multipart/form-data");
        is_form
            .then(|| multer::parse_boundary(ct.as_ref()).ok())
            .flatten()
    });
    let Some(boundary) = boundary else {
        return Err(E::from_server_fn_error(ServerFnErrorErr::Args(
            NOT_MULTIPART.to_owned(),
        )));
    };
    let stream = req.try_into_stream()?;
    let data = multer::Multipart::new(
        stream.map(|data| data.map_err(|e| ServerFnErrorWrapper(E::de(e)))),
        boundary,
    );
    Ok(MultipartData::Server(data))
}

/// Implements [`Upload`] for the given server functions (each takes one `MultipartData`).
macro_rules! upload_functions {
    ($($f:ty),* $(,)?) => {$(
        impl<E, R> leptos::server_fn::codec::IntoReq<$crate::codec::Upload, R, E> for $f
        where
            R: leptos::server_fn::request::ClientReq<
                E,
                FormData = leptos::server_fn::request::browser::BrowserFormData,
            >,
            E: leptos::server_fn::error::FromServerFnError,
        {
            fn into_req(self, path: &str, accepts: &str) -> Result<R, E> {
                let data: leptos::server_fn::codec::MultipartData = self.into();
                let form = data.into_client_data().ok_or_else(|| {
                    E::from_server_fn_error(
                        leptos::server_fn::error::ServerFnErrorErr::Serialization(
                            "geen formulier in de browser".to_owned(),
                        ),
                    )
                })?;
                R::try_new_post_multipart(path, accepts, form)
            }
        }

        impl<E, R> leptos::server_fn::codec::FromReq<$crate::codec::Upload, R, E> for $f
        where
            R: leptos::server_fn::request::Req<E> + Send + 'static,
            E: leptos::server_fn::error::FromServerFnError + Send + Sync,
        {
            async fn from_req(req: R) -> Result<Self, E> {
                $crate::codec::decode(req).await.map(Self::from)
            }
        }
    )*};
}

upload_functions!(
    crate::api::citizens::SubmitCorrection,
    crate::api::citizens::GiveInformation,
    crate::api::burgerzaken::RegisterRequest,
);

/// The paths of the upload functions: the server's door reads every other server
/// function's body as a form, whatever content type it claims.
pub fn upload_paths() -> [&'static str; 3] {
    use leptos::server_fn::ServerFn;
    [
        crate::api::citizens::SubmitCorrection::PATH,
        crate::api::citizens::GiveInformation::PATH,
        crate::api::burgerzaken::RegisterRequest::PATH,
    ]
}
