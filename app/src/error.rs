//! The one error type of the application. It crosses the wire between server
//! functions and the browser as JSON, so forms can show field messages.

use crate::i18n::{Lang, Msg, Reason, join_reasons};
use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

/// A message attached to one form field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub msg: Msg,
}

/// Errors a user can see. Internal failures are logged on the server and reach the
/// user only as [`AppError::Internal`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("未找到相关记录")]
    NotFound,
    #[error("{}", .0.zh())]
    Unauthorized(Msg),
    #[error("当前账号无权进行此操作")]
    Forbidden,
    #[error("请检查填写的内容: {0:?}")]
    Validation(Vec<FieldError>),
    #[error("{}", .0.zh())]
    Conflict(Msg),
    /// A request refused for reasons the user can act on, each a typed [`Reason`].
    #[error("{}", join_reasons(.0, Lang::Zh))]
    Rejected(Vec<Reason>),
    #[error("{}", .0.zh())]
    TooManyRequests(Msg),
    #[error("系统繁忙，请稍后再试")]
    Internal,
    /// Transport failure (network down, a response that could not be read).
    #[error("请求失败: {0}")]
    Request(String),
    /// A request the server could not decode: missing fields, invalid UTF-8.
    #[error("{}", Msg::ErrBadRequest.zh())]
    BadRequest,
    /// A body over the size limit.
    #[error("{}", Msg::ErrTooLarge.zh())]
    TooLarge,
}

impl AppError {
    /// A validation error on one field.
    pub fn field(field: &str, msg: Msg) -> Self {
        AppError::Validation(vec![FieldError { field: field.to_owned(), msg }])
    }

    /// A request refused for one reason.
    pub fn refused(reason: impl Into<Reason>) -> Self {
        AppError::Rejected(vec![reason.into()])
    }

    /// The text a user reads: the refusal's own reasons, or the summary.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            AppError::Rejected(reasons) => join_reasons(reasons, lang),
            other => other.summary_text(lang).to_owned(),
        }
    }

    pub fn unauthorized() -> Self {
        AppError::Unauthorized(Msg::ErrUnauthorized)
    }

    /// The message for `field`, if this is a validation error that names it.
    pub fn field_msg(&self, field: &str) -> Option<Msg> {
        match self {
            AppError::Validation(errors) => errors.iter().find(|e| e.field == field).map(|e| e.msg),
            _ => None,
        }
    }

    /// The summary message shown above a form or in a toast.
    pub fn summary(&self) -> Msg {
        match self {
            AppError::NotFound => Msg::ErrNotFound,
            AppError::Unauthorized(msg) => *msg,
            AppError::Forbidden => Msg::ErrForbidden,
            AppError::Validation(errors) if errors.len() == 1 => errors[0].msg,
            AppError::Validation(_) | AppError::Rejected(_) => Msg::ErrCheckInput,
            AppError::Conflict(msg) | AppError::TooManyRequests(msg) => *msg,
            AppError::Internal => Msg::ErrInternal,
            AppError::Request(_) => Msg::ErrNetwork,
            AppError::BadRequest => Msg::ErrBadRequest,
            AppError::TooLarge => Msg::ErrTooLarge,
        }
    }

    pub fn summary_text(&self, lang: Lang) -> &'static str {
        self.summary().text(lang)
    }
}

/// On the wire an error is `{"error": <AppError>, "message": "<中文>"}`: the typed
/// error for the app, and its Chinese text for anyone else reading the response (the
/// same shape plain handlers answer with).
#[derive(Serialize, Deserialize)]
struct WireError {
    error: AppError,
    #[serde(default)]
    message: String,
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(detail) | ServerFnErrorErr::MissingArg(detail) | ServerFnErrorErr::Deserialization(detail) => {
                if detail.contains("length limit exceeded") { AppError::TooLarge } else { AppError::BadRequest }
            }
            other => AppError::Request(other.to_string()),
        }
    }

    fn ser(&self) -> server_fn::Bytes {
        let wire = WireError { error: self.clone(), message: self.text(Lang::Zh) };
        serde_json::to_vec(&wire).map(Into::into).unwrap_or_else(|_| server_fn::Bytes::from_static(br#"{"error":"Internal"}"#))
    }

    fn de(data: server_fn::Bytes) -> Self {
        serde_json::from_slice::<WireError>(&data).map(|wire| wire.error).unwrap_or_else(|_| AppError::Request("unreadable error response".to_owned()))
    }
}

/// Collects field errors while parsing a form, so every problem is reported at once.
#[derive(Default, Debug)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    pub fn add(&mut self, field: &str, msg: Msg) {
        self.0.push(FieldError { field: field.to_owned(), msg });
    }

    /// Records the error of a parse, returning the value when it succeeded.
    pub fn check<T>(&mut self, field: &str, parsed: Result<T, Msg>) -> Option<T> {
        parsed.map_err(|msg| self.add(field, msg)).ok()
    }

    pub fn into_result(self) -> Result<(), AppError> {
        if self.0.is_empty() { Ok(()) } else { Err(AppError::Validation(self.0)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_messages_are_found_by_name() {
        let err = AppError::field("phone", Msg::ErrPhoneInvalid);
        assert_eq!(err.field_msg("phone"), Some(Msg::ErrPhoneInvalid));
        assert_eq!(err.field_msg("password"), None);
        assert_eq!(err.summary(), Msg::ErrPhoneInvalid);
    }

    #[test]
    fn errors_survive_the_wire() {
        let err = AppError::Validation(vec![
            FieldError { field: "phone".into(), msg: Msg::ErrPhoneInvalid },
            FieldError { field: "password".into(), msg: Msg::ErrPasswordShort },
        ]);
        let bytes = err.ser();
        assert!(String::from_utf8_lossy(&bytes).contains(Msg::ErrCheckInput.zh()), "the message travels along");
        assert_eq!(AppError::de(bytes), err);
        assert!(matches!(AppError::de(server_fn::Bytes::from_static(b"not json")), AppError::Request(_)));
        assert_eq!(AppError::from_server_fn_error(ServerFnErrorErr::Args("missing field `phone`".into())), AppError::BadRequest);
        assert_eq!(AppError::from_server_fn_error(ServerFnErrorErr::Args("length limit exceeded".into())), AppError::TooLarge);
    }
}
