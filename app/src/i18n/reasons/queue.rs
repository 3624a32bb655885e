//! Refusals of check-in and the queue (签到取号, 叫号).

use super::{Arg, Lang, Msg};
use serde::{Deserialize, Serialize};

texts! {
    /// Refusals of check-in and the queue (签到取号, 叫号).
    QueueReason {
        AlreadyCheckedIn => "该预约已签到，请勿重复签到", "This booking is already checked in";
        IssueBusy => "取号繁忙，请稍后重试", "Too many tickets are being issued right now; please try again";
        CodeMissing => "请输入或扫描预约码", "Enter or scan the booking code";
        NoSuchBooking { code: String } => "没有预约码为 {code} 的预约，请核对", "No booking has the code {code}; please check it";
        BookingCancelled => "该预约已取消，可为居民现场取号", "This booking was cancelled; you can issue the resident a walk-in ticket";
        BookingLapsed => "该预约已过期（未到），可为居民现场取号", "This booking has lapsed (no-show); you can issue the resident a walk-in ticket";
        BookingServed => "该预约已办理完毕", "This booking has already been served";
        NotToday { day: chrono::NaiveDate } => "该预约的日期是{day}，不是今天；可为居民现场取号", "This booking is for {day}, not today; you can issue the resident a walk-in ticket";
        VideoBooking => "这是视频办理的预约，无需到窗口取号；请在预约上填写会议链接", "This is a video booking and needs no ticket; add the meeting link to the booking instead";
        StationBooking => "这是到服务站办理的预约，请在服务站签到", "This booking is at a service station; check in there";
        LabelTooLong => "事项说明请不超过40个字", "Keep the item description to 40 characters or fewer";
        StillServing { number: String } => "{number} 号还在办理中，请先标记“办结”或“过号”", "Number {number} is still being served; mark it “Served” or “No-show” first";
        CallBusy => "叫号繁忙，请稍后重试", "Too many calls at once right now; please try again";
        NothingCalled => "本窗口当前没有正在呼叫的号码", "No number is being called at this window";
        NothingServing => "本窗口当前没有正在办理的号码", "No number is being served at this window";
        TicketDone => "该号码已处理，请刷新", "This number has already been dealt with; reload the page";
        VideoLinkFormat => "会议链接应以 https:// 开头，且不超过500个字符", "The meeting link must start with https:// and be at most 500 characters";
        VideoTimeMissing => "请填写会议时间（如 2026-11-26 10:00）", "Enter the meeting time (for example 2026-11-26 10:00)";
        NotVideoBooking => "只有视频办理的预约可以填写会议链接", "Only video bookings can have a meeting link";
        VideoLinkClosed { status: Msg } => "该预约{status}，不能再填写会议链接", "This booking is “{status}”, so its meeting link can no longer be set";
    }
}
