//! Refusals (拒绝原因): why the server said no, as a typed key with typed arguments.
//!
//! A [`Reason`] crosses the wire as its key and arguments (never as text), so the page
//! that shows it renders it in the reader's language and a form can attach it to a
//! field. Arguments are rendered in that language too: a [`Msg`] (a status, a kind) by
//! its text, a date in the language's format, a list with the language's separator.

use super::texts::Arg;
use super::{Lang, Msg};
use serde::{Deserialize, Serialize};

impl Arg for Box<Reason> {
    fn render(&self, lang: Lang) -> String {
        self.text(lang)
    }
}

mod booking;
mod cases;
mod feedback;
mod guides;
mod queue;
mod stations;
mod uploads;

pub use booking::BookingReason;
pub use cases::{CaseAction, CaseReason};
pub use feedback::{FeedbackField, FeedbackReason};
pub use guides::GuideReason;
pub use queue::QueueReason;
pub use stations::{AuthorisationState, StationReason};
pub use uploads::{FileKindName, UploadReason};

groups!(
    /// Why a request was refused: a shared reason or one of a feature's. See the module
    /// documentation. Every group converts into it, so `AppError::refused(CaseReason::X)`.
    Reason;
    Common(Common),
    Upload(UploadReason),
    Guide(GuideReason),
    Station(StationReason),
    Booking(BookingReason),
    Queue(QueueReason),
    Case(CaseReason),
    Feedback(FeedbackReason),
);

impl Reason {
    /// The Chinese text, for logs and for `Display`.
    pub fn zh(&self) -> String {
        self.text(Lang::Zh)
    }

    /// A field message of the domain parsers (a phone number, a name) as a refusal.
    pub fn of(msg: Msg) -> Reason {
        Common::Field { msg }.into()
    }

    /// The same refusal, about line `line` of an uploaded file.
    pub fn at_line(self, line: usize) -> Reason {
        Common::Line { line, reason: Box::new(self) }.into()
    }
}

/// Several refusals in `lang`, one sentence after another.
pub fn join(reasons: &[Reason], lang: Lang) -> String {
    let texts: Vec<String> = reasons.iter().map(|r| r.text(lang)).collect();
    texts.join(if lang == Lang::Zh { "；" } else { "; " })
}

/// Refusals as a URL query value (JSON, to be percent-encoded by the caller): plain
/// form posts redirect back with them, and the page renders them in its language.
pub fn to_query(reasons: &[Reason]) -> String {
    serde_json::to_string(reasons).unwrap_or_default()
}

/// The refusals a redirect carried in its query (see [`to_query`]); `None` when the
/// value is not a list of refusals.
pub fn from_query(value: &str) -> Option<Vec<Reason>> {
    serde_json::from_str(value).ok()
}

texts! {
    /// Refusals every feature uses.
    Common {
        Field { msg: Msg } => "{msg}", "{msg}";
        Line { line: usize, reason: Box<Reason> } => "第{line}行：{reason}", "Line {line}: {reason}";
        UnknownAction => "未知的操作", "Unknown action";
        TooFrequent => "提交过于频繁，请稍后再试", "Submitted too often; please try again in a moment";
        DateFormat => "日期应为 2026-01-01 这样的格式", "Dates are written like 2026-01-01";
        EndBeforeStart => "结束日期不能早于开始日期", "The end date cannot be before the start date";
        FormExpired => "表单已过期，请刷新页面后重新提交", "This form has expired; reload the page and submit again";
        StatusChanged => "状态已变化，请刷新后查看", "This has changed meanwhile; reload the page to see it";
        NoSuchStaff => "没有这位工作人员", "No such staff member";
        NoSuchStation => "没有这个便民服务站", "No such service station";
        NoSuchWindow => "没有这个窗口", "No such window";
        NotAWholeNumber { what: Msg } => "{what}应为整数", "{what} must be a whole number";
        NoSuchCaseNumber => "没有找到这个办件编号", "No case has this number";
        RangeTooLong => "统计区间最长两年", "A period may be at most two years";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_rendered_in_the_reader_language() {
        let reason = Reason::of(Msg::ErrPhoneInvalid);
        assert_eq!(reason.text(Lang::En), Msg::ErrPhoneInvalid.text(Lang::En));
        let nested = Reason::from(Common::DateFormat).at_line(3);
        assert_eq!(nested.text(Lang::En), "Line 3: Dates are written like 2026-01-01");
        assert_eq!(nested.zh(), "第3行：日期应为 2026-01-01 这样的格式");
    }

    #[test]
    fn a_reason_crosses_the_wire_as_its_key() {
        let reason = Reason::of(Msg::ErrPhoneInvalid);
        let json = serde_json::to_string(&reason).expect("serialises");
        assert!(!json.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "no text on the wire: {json}");
        assert_eq!(serde_json::from_str::<Reason>(&json).expect("reads back"), reason);
        let query = to_query(&[reason.clone(), Common::UnknownAction.into()]);
        assert_eq!(from_query(&query), Some(vec![reason, Common::UnknownAction.into()]));
        assert_eq!(from_query("请上传"), None);
    }
}
