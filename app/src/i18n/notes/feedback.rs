//! Notes of feedback (投诉建议) and ratings (好差评): the timeline and messages.

use super::{Arg, Lang, Msg};
use serde::{Deserialize, Serialize};

texts! {
    /// Notes of feedback (投诉建议) and ratings (好差评): the timeline and messages.
    FeedbackNote {
        /// A resident or helper filed feedback online.
        Submitted { kind: Msg } => "提交{kind}", "{kind} submitted";
        /// A handler entered paper, box or phone feedback.
        Entered { kind: Msg, source: Msg } => "录入{kind}（来源：{source}）", "{kind} entered (source: {source})";
        Taken => "受理并负责办理", "Taken on; now responsible for handling it";
        Contacted { text: String } => "首次联系：{text}", "First contact: {text}";
        Replied { text: String } => "答复：{text}", "Reply: {text}";
        /// The reply deadline of a complex item, as `2026-12-05`.
        MadeComplex { due: String } => "标为复杂件，答复期限延至{due}", "Marked as complex; reply due by {due}";
        Reassigned { to: String } => "转交投诉处理员{to}负责", "Handed over to the feedback handler {to}";
        LinkedCase { number: String } => "关联办件 {number}", "Linked to case {number}";
        LinkedStaff { name: String } => "关联工作人员 {name}", "Linked to staff member {name}";
        Closed => "办结", "Closed";
        ClosedWith { text: String } => "办结：{text}", "Closed: {text}";
        Confirmed { level: Msg } => "确认处理结果，评价：{level}", "Confirmed the outcome, rated: {level}";
        Reopened { reason: String } => "对答复不满意，申请重新办理：{reason}", "Not satisfied with the reply, asked to reopen: {reason}";
        /// Title of the message that feedback was answered.
        RepliedTitle => "意见已答复", "Your feedback has a reply";
        RepliedBody { kind: Msg, number: String } => "您的{kind}（{number}）已答复，请查看并确认处理结果。", "Your feedback {number} ({kind}) has been answered; please read the reply and confirm the outcome.";
        /// Title of the message that a bad rating was rectified.
        FixedTitle => "整改结果", "Rectification result";
        FixedBody { item: String, text: String } => "您对“{item}”的评价已整改：{text}。请对整改结果再次评价。", "Your rating of “{item}” has been acted on: {text}. Please rate the result.";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feedback_notes_keep_the_chinese_record_and_read_in_english() {
        let entered = FeedbackNote::Entered { kind: Msg::KindComplaint, source: Msg::SourcePhone };
        assert_eq!(entered.text(Lang::Zh), "录入投诉（来源：监督电话）");
        assert_eq!(entered.text(Lang::En), "Complaint entered (source: Supervision hotline)");
        assert_eq!(FeedbackNote::Confirmed { level: Msg::LevelBasic }.text(Lang::Zh), "确认处理结果，评价：基本满意");
    }
}
