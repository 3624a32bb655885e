//! Refusals of stations (便民服务站) and 帮办代办.

use super::{Arg, Lang};
use serde::{Deserialize, Serialize};

texts! {
    /// Refusals of stations (便民服务站) and 帮办代办.
    StationReason {
        TargetStationClosed => "只能调往开放中的服务站", "A helper can only be moved to an open station";
        NotAtOpenStation => "您所在的服务站已关闭或您已不在服务站，不能代办", "Your station is closed or you no longer belong to a station, so you cannot act for residents";
        LookupNeedsFullNumber => "请输入完整的11位手机号或18位身份证号", "Enter a full 11-digit phone number or 18-character ID number";
        IdNumberHasAccount => "这个身份证号已有账号，请用“查找群众”按身份证号查找", "This ID number already has an account; use “Find a resident” to look it up by ID number";
        PaperAlreadyHandled => "这份委托已处理，无需再上传委托书", "This authorisation has been dealt with already; no signed form needs uploading";
        AuthorisationExpired => "这项委托已过期，请让帮办员重新发起", "This authorisation has expired; ask the helper to request it again";
        CannotAccept { status: AuthorisationState } => "这项委托当前为“{status}”，不能同意", "This authorisation is “{status}”, so it cannot be accepted";
        CannotRefuse { status: AuthorisationState } => "这项委托当前为“{status}”，不能拒绝", "This authorisation is “{status}”, so it cannot be refused";
        CannotRevoke { status: AuthorisationState } => "这项委托当前为“{status}”，不能撤销", "This authorisation is “{status}”, so it cannot be revoked";
    }
}

texts! {
    /// Where an authorisation (委托) stands, as a refusal names it.
    AuthorisationState {
        Pending => "待本人确认", "awaiting the resident's confirmation";
        AwaitingPaper => "待上传委托书", "awaiting the signed form";
        Refused => "已拒绝", "refused";
        Revoked => "已撤销", "revoked";
        Expired => "已到期", "expired";
        NotYetValid => "未生效", "not yet in force";
        Active => "有效", "in force";
        Unknown => "—", "—";
    }
}

impl Arg for AuthorisationState {
    fn render(&self, lang: Lang) -> String {
        self.text(lang)
    }
}
