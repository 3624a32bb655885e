//! Refusals of cases (办件): applying, materials, the clerk's desk, AB岗.

use super::{Arg, Lang, Msg};
use serde::{Deserialize, Serialize};

texts! {
    /// Refusals of cases (办件): applying, materials, the clerk's desk, AB岗.
    CaseReason {
        ChooseHandoverClerk => "请选择接手的工作人员", "Choose the clerk who takes over";
        NotYours => "该件由其他窗口人员负责（首问负责），如需接手请由负责人或首席事务代表移交", "Another clerk is responsible for this case (first-contact rule); ask them or the chief representative to hand it over";
        WrongStatus { status: Msg } => "该件当前状态为“{status}”，不能进行此操作，请刷新后查看", "This case is “{status}”, so this cannot be done; reload the page to see it";
        CannotInStatus { status: Msg, action: CaseAction } => "该件当前状态为“{status}”，不能{action}", "This case is “{status}”, so you cannot {action}";
        NotForHelpers => "该事项不在帮办代办范围内，请引导群众到中心窗口办理", "Stations may not file this item for residents; please direct the resident to a window at the center";
        NotAtThisStation => "本服务站不办理该事项，请引导群众到中心窗口或其他服务站办理", "Your station does not handle this item; please direct the resident to the center or another station";
        NotOnline => "该事项暂不支持网上申请，请预约后到窗口办理", "This item cannot be applied for online yet; please book an appointment and come to a window";
        RegisterGrantFirst => "请先在帮办工作台找到群众并登记委托，再为其代办", "First find the resident on the helper desk and record their authorisation, then file for them";
        UploadMaterial { name: String } => "请上传“{name}”", "Please upload “{name}”";
        ReuploadMaterial { name: String } => "请重新上传“{name}”", "Please upload “{name}” again";
        NoSuchMaterial => "该事项没有这项材料", "This item has no such material";
        SupplementListedOnly => "补正时只需上传告知书中列出的材料", "When supplementing, upload only the materials listed in the notice";
        TooLarge { limit_mb: i64 } => "本件材料合计不能超过{limit_mb}MB，请删除不需要的文件或压缩后再上传", "All materials together may not exceed {limit_mb} MB; remove files you do not need or compress them";
        UploadStatusChanged => "该件状态已变化，不能再上传材料，请刷新后查看", "This case has changed meanwhile and takes no more materials; reload the page to see it";
        SubmittedFilesStay => "已提交的材料不能删除", "Materials already submitted cannot be removed";
        TickMaterials => "请勾选需要补正的材料，一次告知全部问题", "Tick the materials to supplement, so that one notice names every problem";
        InvalidMaterialIndex => "材料序号无效", "Invalid material number";
        GiveReason { name: String } => "请写明“{name}”需要补正的原因", "Write why “{name}” needs to be supplemented";
        ReasonTooLong { name: String } => "“{name}”的原因请不超过200字", "The reason for “{name}” may have at most 200 characters";
        DuplicateMaterial { name: String } => "“{name}”重复了", "“{name}” is listed twice";
        ExtraNoticePending => "上一份追加告知还在等待首席事务代表审批", "The previous additional notice is still waiting for the chief representative's approval";
        NoPendingNotice => "没有待审批的追加告知", "There is no additional notice waiting for approval";
        NoticeDecided => "该追加告知已处理", "This additional notice has already been decided";
        ResultRequired => "请填写办理结果（500字以内），领取方式不超过200字", "Enter the result (at most 500 characters); the pickup note may have at most 200 characters";
        RejectReasonRequired => "请填写不予受理的原因（500字以内）", "Enter why the case is not accepted (at most 500 characters)";
        HandoverOpenOnly => "只能移交办理中的件", "Only open cases can be handed over";
        HandoverToActiveClerk => "只能移交给在岗的窗口人员", "Cases can only be handed over to an active window clerk";
        AlreadyResponsible => "该件已由此人负责", "This clerk is already responsible for the case";
        FollowUpNoteTooLong => "回访记录不超过200字", "The follow-up note may have at most 200 characters";
        NotAssisted => "该件不是服务站代办件", "This case was not filed by a service station";
        SignatureDate => "签收日期应在办结之后、不晚于今天", "The date of receipt must be after completion and no later than today";
        FollowUpAfterSignature => "群众签收后才能登记回访", "A follow-up can be recorded only after the resident has signed for the result";
        LookupNotFound => "未查到该办件，请核对办件编号和手机号后四位", "No case found; check the case number and the last four digits of the phone number";
        ChooseActiveClerk => "请选择在岗的窗口人员", "Choose an active window clerk";
        BackupNotSelf => "B岗不能是本人", "A clerk cannot be their own backup (B post)";
        BackupFirst => "请先为该窗口人员设置B岗，再登记休假", "Set a backup (B post) for this clerk before recording leave";
    }
}

texts! {
    /// What a case's status does not allow ([`CaseReason::CannotInStatus`]): a verb
    /// phrase that follows 不能 / "you cannot".
    CaseAction {
        Submit => "提交", "submit it";
        Withdraw => "撤回", "withdraw it";
        Resubmit => "补正提交", "resubmit it with supplements";
        Upload => "再上传材料", "upload more materials";
        Accept => "受理", "accept it";
        RequestSupplement => "要求补正", "ask for supplements";
        StartProcessing => "开始办理", "start processing it";
        Complete => "办结", "complete it";
        Reject => "不予受理", "reject it";
        RecordHandoff => "登记送达或签收", "record its delivery or receipt";
    }
}

impl Arg for CaseAction {
    fn render(&self, lang: Lang) -> String {
        self.text(lang)
    }
}
