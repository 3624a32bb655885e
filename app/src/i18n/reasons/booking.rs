//! Refusals of booking (预约), schedules and the working-day calendar.

use super::{Arg, Lang, Msg};
use serde::{Deserialize, Serialize};

texts! {
    /// Refusals of booking (预约), schedules and the working-day calendar.
    BookingReason {
        PeriodFormat { period: String } => "时段“{period}”应写成 09:00-12:00", "Write the period “{period}” like 09:00-12:00";
        TimeFormat { time: String } => "时间“{time}”应写成 09:00", "Write the time “{time}” like 09:00";
        PeriodEndsBeforeStart { period: String } => "时段“{period}”的结束时间应晚于开始时间", "The period “{period}” must end after it starts";
        PeriodsOverlap => "时段应按时间先后填写，且不能重叠", "List the periods in time order, without overlaps";
        NoPeriods => "请填写至少一个办理时段", "Enter at least one opening period";
        Suspended { window_days: u32, count: u32, until: chrono::NaiveDate } => "您近{window_days}天内有{count}次预约未到，在线预约已暂停至{until}。如需办理，请直接到窗口取号。", "You missed {count} bookings in the last {window_days} days, so online booking is suspended until {until}. To be served, take a number at a window.";
        NoShowWarning { window_days: u32, count: u32, limit: u32, suspend_days: u32 } => "您近{window_days}天内有{count}次预约未到。累计{limit}次将暂停在线预约{suspend_days}天，不能前来请提前取消。", "You missed {count} bookings in the last {window_days} days. After {limit}, online booking is suspended for {suspend_days} days; please cancel ahead if you cannot come.";
        OutsideWindow { min_days: u32, max_days: u32 } => "只能预约{min_days}至{max_days}天内的时段，请重新选择", "Only slots {min_days} to {max_days} days ahead can be booked; please choose another";
        TooLateToCancel { hours: u32 } => "距预约时间已不足{hours}小时，不能在线取消；如不能前来，请致电中心说明", "Less than {hours} hours are left before your booking, so it cannot be cancelled online; if you cannot come, please call the center";
        ScheduleNameMissing => "请填写名称", "Enter a name";
        WeekdaysFormat => "开放日应写成 12345（周一至周五）这样的数字", "Write the opening days as digits, like 12345 (Monday to Friday)";
        SlotLength => "每个时段的长度应在5至240分钟之间", "Each slot must last between 5 and 240 minutes";
        SlotCapacity => "每个时段可约人数应在1至500之间", "Each slot must take between 1 and 500 people";
        ItemNotBookable { code: String } => "事项 {code} 未设为可预约", "Item {code} is not set as bookable";
        NoSuchItem { code: String } => "没有编码为 {code} 的事项", "No item has the code {code}";
        ItemInOtherSchedule { code: String } => "事项 {code} 已在其他排班中", "Item {code} is already in another schedule";
        WindowNameLength => "窗口名称应为1至40个字", "A window name has 1 to 40 characters";
        WindowClerkNotActive => "只能把窗口分配给在岗的窗口人员", "A window can only be assigned to an active window clerk";
        WindowBusy { number: String } => "该窗口正在办理 {number} 号，办结后才能停用", "This window is serving number {number}; it can be closed once that is done";
        HolidayNameTooLong => "名称请不超过20个字", "Keep the name to 20 characters or fewer";
        CalendarNotUtf8 => "文件应为 UTF-8 编码的 CSV 文本", "The file must be CSV text in UTF-8";
        CalendarEmpty => "文件中没有日期", "The file contains no dates";
        CalendarLineLayout => "应为“日期,类型,名称”", "Expected “date,kind,name”";
        CalendarDayKind => "类型应为 holiday（放假）或 workday（调休上班）", "The kind must be holiday (day off) or workday (adjusted working day)";
        WrongStatus { status: Msg } => "该预约当前为“{status}”，不能进行此操作", "This booking is “{status}”, so this cannot be done";
    }
}
