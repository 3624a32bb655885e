//! Refusals of feedback (投诉建议) and ratings (好差评).

use super::{Arg, Lang, Msg};
use serde::{Deserialize, Serialize};

texts! {
    /// Refusals of feedback (投诉建议) and ratings (好差评).
    FeedbackReason {
        TooLong { what: FeedbackField, limit: usize } => "{what}不能超过{limit}字", "{what} may not be longer than {limit} characters";
        ChooseKind => "请选择投诉、建议或表扬", "Choose complaint, suggestion or praise";
        BodyTooShort => "请把情况写清楚（至少5个字）", "Please describe the matter clearly (at least 5 characters)";
        AnonymousOnlySuggestions => "只有建议可以匿名提交；投诉需要留下联系方式以便回访", "Only suggestions can be sent anonymously; a complaint needs your contact details so that we can call you back";
        ChooseSource => "请选择意见来源：意见簿、意见箱或监督电话", "Choose where it came from: the comment book, the comment box or the supervision hotline";
        ContactFromAccount => "联系方式取自您的账号，无需填写", "Your contact details are taken from your account; you do not need to enter them";
        WrongStatus { status: Msg } => "该件当前状态为“{status}”，不能进行此操作，请刷新后查看", "This feedback is “{status}”, so this cannot be done; reload the page to see it";
        NotYours => "该件由其他处理员负责（首问负责），如需接手请由负责人或首席事务代表转交", "Another handler is responsible for this feedback (first-contact rule); ask them or the chief representative to hand it over";
        AlreadyTaken => "该件已有处理员负责，请刷新后查看", "A handler has already taken this feedback; reload the page to see it";
        ContactNoteMissing => "请填写联系情况", "Write down how the contact went";
        AlreadyContacted => "已记录过首次联系", "The first contact has already been recorded";
        NoSuchTemplate => "没有这个答复模板", "No such reply template";
        ReplyMissing => "请填写答复内容", "Write the reply";
        NoteMissing => "请填写备注内容", "Write the note";
        TooLateForComplex => "已答复或办结的件不能再标为复杂件", "Feedback that has been replied to or closed can no longer be marked complex";
        AlreadyComplex => "该件已是复杂件", "This feedback is already marked complex";
        ChooseHandler => "请选择转交给哪位处理员", "Choose the handler to hand it over to";
        HandlerNotActive => "只能转交给在岗的投诉处理员", "It can only be handed over to a feedback handler who is on duty";
        CannotReassignTo => "该件不能转交给这位处理员", "This feedback cannot be handed over to this handler";
        ChooseStaff => "请选择工作人员", "Choose a staff member";
        ReplyBeforeClose => "答复后才能办结", "It can only be closed after a reply";
        ChooseOutcome => "请选择对处理结果的满意程度", "Choose how satisfied you are with the outcome";
        ReopenReasonMissing => "请说明对答复不满意的理由", "Say why you are not satisfied with the reply";
        ReopenedOnce => "每件意见只能重新办理一次，如仍有意见请拨打监督电话", "Feedback can be reopened only once; if you still disagree, please call the supervision hotline";
        TemplateIncomplete => "请填写模板标题和内容", "Enter the template's title and text";
        CaseNotCompleted => "办件办结后才能评价", "A case can be rated once it is completed";
        VisitNotServed => "到窗口办理完成后才能评价本次服务", "This visit can be rated once you have been served at the window";
        ChooseLevel => "请选择满意程度", "Choose how satisfied you are";
        NoSuchTag { tag: String } => "没有“{tag}”这个评价标签", "There is no rating tag “{tag}”";
        NoFixToRate => "没有需要评价的整改", "There is no fix to rate";
        FixNotDone => "整改完成后才能评价整改结果", "The fix can be rated once it is done";
        RatingClosed { days: u32 } => "评价期已过（办结后{days}天内可评价）", "The rating period is over (ratings are taken within {days} days of completion)";
        FixAlreadyRated => "您已评价过整改结果", "You have already rated the fix";
        AlreadyRated => "您已评价过，每件只能评价一次", "You have already rated this; each can be rated only once";
        RectificationChanged => "整改状态已变化，请刷新后查看", "This rectification has changed meanwhile; reload the page to see it";
        FixNoteMissing => "请填写整改情况", "Write down what was put right";
        CallbackNoteMissing => "请填写回访记录", "Write down what the resident said on the call-back";
        RectificationNotYours => "该整改任务由其他处理员负责（首问负责）", "Another handler is responsible for this rectification (first-contact rule)";
        CallBackFirst => "请先回访群众，再记录整改情况", "Call the resident back first, then record what was put right";
        AlreadyCalledBack => "该任务已回访过，请刷新后查看", "The resident has already been called back; reload the page to see it";
    }
}

texts! {
    /// The texts of feedback and ratings a length limit names (in [`FeedbackReason::TooLong`]).
    FeedbackField {
        Body => "内容", "The text";
        ReopenReason => "理由", "The reason";
        TemplateTitle => "模板标题", "The template title";
        TemplateBody => "模板内容", "The template text";
        Comment => "评价内容", "The comment";
        Record => "记录", "The record";
    }
}

impl Arg for FeedbackField {
    fn render(&self, lang: Lang) -> String {
        self.text(lang)
    }
}
