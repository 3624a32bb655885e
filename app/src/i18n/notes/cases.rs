//! Notes of cases (办件): the timeline and the applicant's messages.

use super::{Arg, Lang};
use serde::{Deserialize, Serialize};

texts! {
    /// Notes of cases (办件): the timeline and the applicant's messages.
    CaseNote {
        // ---- the timeline (办理进度) ----
        /// A helper files under a paper authorisation; `until` is its last day (2026-12-05).
        AuthorisedOnPaper { resident: String, until: String } => "委托：群众{resident}委托服务站代办（纸质委托书，有效期至{until}）", "Authorisation: {resident} asked the station to file for them (paper form, valid until {until})";
        /// A helper files under an authorisation the resident confirmed in the app.
        AuthorisedInApp { resident: String, until: String } => "委托：群众{resident}委托服务站代办（本人在应用中确认，有效期至{until}）", "Authorisation: {resident} asked the station to file for them (confirmed in the app, valid until {until})";
        Created { version: i64 } => "创建申请草稿，办事指南第{version}版", "Draft application created from version {version} of the guide";
        /// A draft a helper starts for a resident.
        CreatedByHelper { helper: String, version: i64 } => "创建申请草稿（帮办员{helper}代办），办事指南第{version}版", "Draft application created by helper {helper} from version {version} of the guide";
        Submitted => "提交申请，等待窗口受理", "Application submitted; waiting for a window to accept it";
        /// A helper submits: the station has collected the materials.
        SubmittedByStation => "代办受理：服务站已收齐材料，提交中心受理", "Filed by the station: all materials collected and sent to the center for acceptance";
        /// The A post is on leave: the case goes to their backup (B post).
        AbRoute { a: String, b: String } => "A岗{a}休假，转B岗{b}办理（AB岗）", "{a} (A post) is on leave; passed to the backup {b} (B post)";
        Withdrawn => "申请人撤回申请", "The applicant withdrew the application";
        /// Resubmitted with no deadline set yet.
        Resubmitted => "补正材料后重新提交", "Resubmitted with the supplemented materials";
        /// Resubmitted the day the supplement was asked for: the deadline stays (2026-12-05).
        ResubmittedDeadline { deadline: String } => "补正材料后重新提交，办结时限{deadline}", "Resubmitted with the supplemented materials; due by {deadline}";
        /// Resubmitted after `waited` working days: the deadline moves on (2026-12-05).
        ResubmittedExtended { waited: u32, deadline: String } => "补正材料后重新提交，办结时限顺延{waited}个工作日至{deadline}", "Resubmitted with the supplemented materials; the deadline moves on by {waited} working days to {deadline}";
        Uploaded { material: String } => "上传材料：{material}", "Material uploaded: {material}";
        Removed { material: String } => "删除材料文件：{material}", "Material file removed: {material}";
        /// Accepted at a window; `deadline` like 2026-12-05.
        Accepted { days: u32, deadline: String } => "受理，承诺{days}个工作日内办结，办结时限{deadline}", "Accepted; to be completed within {days} working days, by {deadline}";
        /// A case a station filed, accepted at the center.
        AcceptedAtCenter { days: u32, deadline: String } => "中心受理，承诺{days}个工作日内办结，办结时限{deadline}", "Accepted by the center; to be completed within {days} working days, by {deadline}";
        /// A notice naming materials the first one did not: it waits for the chief.
        ExtraNoticePending { materials: Vec<String> } => "申请追加告知（{materials}），超出首次告知范围，待首席事务代表审批", "Additional notice requested ({materials}): beyond the first notice, so it waits for the chief representative's approval";
        /// 一次性告知: the materials to supplement.
        Supplement { count: usize, materials: Vec<String> } => "一次性告知：请补正{count}项材料（{materials}），补正期间办结时限暂停计算", "Supplement notice: {count} material(s) to supplement ({materials}); the deadline is paused until then";
        NoticeDeclined => "首席事务代表未批准追加告知", "The chief representative declined the additional notice";
        NoticeApproved => "首席事务代表批准追加告知", "The chief representative approved the additional notice";
        Processing => "开始办理", "Processing started";
        /// Completed by the deadline (or with none); `result` as the clerk wrote it.
        Completed { result: String } => "办结：{result}", "Completed: {result}";
        /// Completed after the deadline.
        CompletedLate { result: String } => "办结：{result}（超期办结）", "Completed: {result} (after the deadline)";
        Rejected { reason: String } => "不予受理：{reason}", "Not accepted: {reason}";
        Handover { to: String } => "移交给窗口人员{to}负责", "Handed over to clerk {to}";
        Delivered => "送达服务站：办理结果已送达服务站，待群众签收", "Delivered to the station: the result is there, waiting for the resident to sign for it";
        /// The helper records the resident's signature; `day` like 2026-12-05.
        ReceivedByHelper { day: String } => "群众签收：{day}签收办理结果（帮办员登记）", "Signed for: the resident received the result on {day} (recorded by the helper)";
        /// The resident confirms their signature themselves.
        ReceivedConfirmed { day: String } => "群众签收：{day}签收办理结果（群众本人确认）", "Signed for: the resident received the result on {day} (confirmed by the resident)";
        FollowedUp => "回访：服务站电话回访", "Follow-up: the station called the resident";
        /// A follow-up with the helper's note.
        FollowedUpNote { note: String } => "回访：服务站电话回访：{note}", "Follow-up: the station called the resident: {note}";

        // ---- the public lookup: one text per kind of step, never its details ----
        PublicCreated => "创建申请", "Application created";
        PublicSubmitted => "提交申请", "Application submitted";
        PublicAbRoute => "转B岗办理", "Passed to the backup clerk";
        PublicAccepted => "受理", "Accepted";
        PublicSupplement => "一次性告知补正材料", "Asked for supplements (one notice)";
        PublicResubmitted => "补正后重新提交", "Resubmitted with supplements";
        PublicProcessing => "开始办理", "Processing started";
        PublicCompleted => "办结", "Completed";
        PublicRejected => "不予受理", "Not accepted";
        PublicWithdrawn => "撤回", "Withdrawn";
        PublicHandover => "移交", "Handed over";
        /// Any other step.
        PublicOther => "办理过程记录", "Step recorded";

        // ---- the applicant's messages (消息): titles and bodies ----
        SubmittedTitle => "申请已提交", "Application submitted";
        SubmittedBody { item: String, number: String } => "您申请的“{item}”（{number}）已提交，窗口受理后会通知您。", "Your application for “{item}” ({number}) has been submitted; we will let you know when a window accepts it.";
        AcceptedTitle => "申请已受理", "Application accepted";
        /// `deadline` like 2026-12-05.
        AcceptedBody { item: String, number: String, deadline: String } => "您申请的“{item}”（{number}）已受理，将在{deadline}前办结。", "Your application for “{item}” ({number}) has been accepted and will be completed by {deadline}.";
        SupplementTitle => "请补正材料（一次性告知）", "Please supplement materials (supplement notice)";
        /// The notice: one [`CaseNote::SupplementLine`] per material, a line each.
        SupplementBody { item: String, number: String, lines: Vec<CaseNote> } => "您申请的“{item}”（{number}）需要补正以下材料：\n{lines}\n请在“我的办件”中重新上传后提交。", "Your application for “{item}” ({number}) needs these materials supplemented:\n{lines}\nUpload them again under “My cases” and submit.";
        /// One line of [`CaseNote::SupplementBody`]: a material and the clerk's reason.
        SupplementLine { material: String, reason: String } => "· {material}：{reason}", "· {material}: {reason}";
        ProcessingTitle => "正在办理", "In progress";
        ProcessingBody { item: String, number: String } => "您申请的“{item}”（{number}）正在办理中。", "Your application for “{item}” ({number}) is being processed.";
        CompletedTitle => "已办结", "Completed";
        CompletedBody { item: String, number: String, result: String } => "您申请的“{item}”（{number}）已办结：{result}。", "Your application for “{item}” ({number}) is completed: {result}.";
        /// Completed, with how to collect the result as the clerk wrote it.
        CompletedBodyPickup { item: String, number: String, result: String, pickup: String } => "您申请的“{item}”（{number}）已办结：{result}。领取方式：{pickup}。", "Your application for “{item}” ({number}) is completed: {result}. How to collect it: {pickup}.";
        RejectedTitle => "不予受理", "Not accepted";
        RejectedBody { item: String, number: String, reason: String } => "您申请的“{item}”（{number}）不予受理，原因：{reason}", "Your application for “{item}” ({number}) was not accepted. Reason: {reason}";
    }
}

/// The lines of a notice ([`CaseNote::SupplementLine`]), one a line.
impl Arg for Vec<CaseNote> {
    fn render(&self, lang: Lang) -> String {
        self.iter().map(|n| n.text(lang)).collect::<Vec<_>>().join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_supplement_notice_lists_its_materials_a_line_each() {
        let lines = vec![
            CaseNote::SupplementLine { material: "身份证".into(), reason: "照片模糊".into() },
            CaseNote::SupplementLine { material: "户口簿".into(), reason: "缺首页".into() },
        ];
        let body = CaseNote::SupplementBody { item: "居住证办理".into(), number: "20261203-0001".into(), lines };
        assert_eq!(
            body.text(Lang::Zh),
            "您申请的“居住证办理”（20261203-0001）需要补正以下材料：\n· 身份证：照片模糊\n· 户口簿：缺首页\n请在“我的办件”中重新上传后提交。"
        );
        assert!(body.text(Lang::En).contains("\n· 身份证: 照片模糊\n· 户口簿: 缺首页\n"));
        let pending = CaseNote::ExtraNoticePending { materials: vec!["身份证".into(), "户口簿".into()] };
        assert_eq!(pending.text(Lang::Zh), "申请追加告知（身份证、户口簿），超出首次告知范围，待首席事务代表审批");
    }
}
