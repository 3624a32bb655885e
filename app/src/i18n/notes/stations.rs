//! Notes of stations (便民服务站): authorisations (委托) and their messages.

use super::{Arg, Lang};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

texts! {
    /// Notes of stations (便民服务站): authorisations (委托) and their messages.
    StationNote {
        /// Title of the message asking the resident to confirm a helper's request.
        RequestTitle => "帮办委托待确认", "A helper asks for your authorisation";
        /// A helper asks to act for the resident until the last valid day `until`.
        Request { station: String, helper: String, scope: AuthorisationScope, until: NaiveDate } => "「{station}」帮办员{helper}请求代您办理（{scope}），有效期至{until}。请在“委托记录”中同意或拒绝。", "{helper}, a helper at “{station}”, asks to act for you ({scope}) until {until}. Accept or refuse it under “Authorisations”.";
        PaperRecordedTitle => "帮办委托已登记", "Authorisation recorded";
        /// The station attached the photo of the paper form the resident signed.
        PaperRecorded { scope: AuthorisationScope } => "服务站已登记您签字的纸质委托书（{scope}），可在“委托记录”中查看或撤销。", "The station has recorded the paper form you signed ({scope}); you can see or revoke it under “Authorisations”.";
        AcceptedTitle => "委托已同意", "Authorisation accepted";
        Accepted { resident: ResidentName, scope: AuthorisationScope } => "{resident}已同意帮办委托（{scope}）。", "{resident} accepted the authorisation ({scope}).";
        RefusedTitle => "委托已拒绝", "Authorisation refused";
        Refused { resident: ResidentName, scope: AuthorisationScope } => "{resident}已拒绝帮办委托（{scope}）。", "{resident} refused the authorisation ({scope}).";
        RevokedTitle => "委托已撤销", "Authorisation revoked";
        Revoked { resident: ResidentName, scope: AuthorisationScope } => "{resident}已撤销帮办委托（{scope}）。", "{resident} revoked the authorisation ({scope}).";
        ClaimedTitle => "代办记录已转入", "Assisted records moved to your account";
        /// Staff confirmed the claim: what a station filed for the resident is now in their account.
        Claimed => "工作人员已核验您的身份，服务站为您代办的办件、预约和委托已转入本账号。", "Staff have verified your identity; the cases, bookings and authorisations a station filed for you are now in this account.";
    }
}

texts! {
    /// What an authorisation covers (委托范围), as its messages name it.
    AuthorisationScope {
        /// One case: its number and item.
        Case { number: String, item: String } => "办件 {number}（{item}）", "case {number}, {item}";
        /// One case that is no longer found.
        UnknownCase => "办件 ", "a case";
        /// Items, by name.
        Items { names: Vec<String> } => "事项：{names}", "items: {names}";
    }
}

impl Arg for AuthorisationScope {
    fn render(&self, lang: Lang) -> String {
        self.text(lang)
    }
}

texts! {
    /// The resident who answered an authorisation: by name, or 群众 when none is on file.
    ResidentName {
        Named { name: String } => "{name}", "{name}";
        Unnamed => "群众", "The resident";
    }
}

impl Arg for ResidentName {
    fn render(&self, lang: Lang) -> String {
        self.text(lang)
    }
}
