//! Typed interface text (界面文字): every string the UI shows is a [`Msg`] key with a
//! Simplified Chinese text and an English one, checked by the compiler.

use serde::{Deserialize, Serialize};

#[macro_use]
mod texts;
mod notes;
mod reasons;
pub use notes::{AuthorisationScope, BookingNote, CaseNote, FeedbackNote, GeneralNote, Message, Note, ResidentName, StationNote};
pub use reasons::{
    AuthorisationState, BookingReason, CaseAction, CaseReason, Common, FeedbackField, FeedbackReason, FileKindName, GuideReason, QueueReason, Reason,
    StationReason, UploadReason, from_query, join as join_reasons, to_query,
};
pub use texts::Arg;

/// Interface language. Simplified Chinese is the default; English is the second language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// Value of the `lang` attribute of `<html>`.
    pub fn html_code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Value stored in the `bm_lang` cookie and the user's profile.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code {
            "zh" | "zh-CN" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

macro_rules! messages {
    ($($key:ident => $zh:literal, $en:literal;)*) => {
        /// A piece of interface text. Use [`Msg::text`] (or `Tr::t` in components).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum Msg { $($key),* }

        impl Msg {
            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Msg::$key, Lang::Zh) => $zh, (Msg::$key, Lang::En) => $en,)*
                }
            }

            /// The Chinese text, used in logs, emails and `Display`.
            pub fn zh(self) -> &'static str {
                self.text(Lang::Zh)
            }
        }
    };
}

messages! {
    AppName => "便民服务", "Bianmin Services";
    CenterName => "便民服务中心", "Community Service Center";
    TabHome => "首页", "Home";
    TabGuides => "办事", "Services";
    TabBooking => "预约", "Booking";
    TabMe => "我的", "Me";
    HomeWelcome => "群众少跑腿，数据多跑路", "Less running around for residents";
    HomeSearchPlaceholder => "搜索办事事项，如：社保、低保", "Search services, e.g. social insurance";
    EntryGuides => "办事指南", "Service guides";
    EntryBooking => "预约办事", "Book a visit";
    EntryMyCases => "我的办件", "My cases";
    EntryFeedback => "投诉建议", "Feedback";
    EntrySoon => "该功能即将开放", "Coming soon";
    BookingEmpty => "您还没有预约。在办事指南中找到要办的事项，点“预约办理”即可选择时段。", "No bookings yet. Open a guide and tap “Book a visit” to choose a time.";
    DayClosed => "不开放", "Closed";
    PlacesLeft => "余", "Left";
    DayFull => "已约满", "Full";
    ChooseDay => "选择日期", "Choose a day";
    ChooseSlot => "选择时段", "Choose a time";
    ChooseChannel => "办理方式", "How";
    StationIfAny => "服务站（选择“到服务站办理”时填写）", "Station (when served at a station)";
    ConfirmBooking => "确认预约", "Confirm booking";
    MyBookings => "我的预约", "My bookings";
    UpcomingBookings => "待办理", "Upcoming";
    PastBookings => "历史预约", "Past";
    FindItemToBook => "查找可预约事项", "Find an item to book";
    BookingDetail => "预约详情", "Booking";
    CheckInCode => "预约码", "Booking code";
    CheckInHint => "到达后向工作人员出示二维码或预约码，签到取号。", "On arrival, show the QR code or booking code to check in.";
    VideoMeeting => "视频会议", "Video meeting";
    StaffCheckIn => "签到取号", "Check-in & tickets";
    StaffQueue => "窗口叫号", "Window calling";
    StaffSchedules => "排班与日历", "Schedules & calendar";
    HallBoard => "大厅叫号屏", "Hall board";
    MyTickets => "我的排号", "My queue ticket";
    LookUpBooking => "查询预约", "Look up";
    ScanQr => "扫码签到", "Scan QR code";
    ScanHint => "将预约二维码对准摄像头", "Point the camera at the booking QR code";
    CheckInNow => "签到并取号", "Check in and issue a ticket";
    PriorityLane => "绿色通道（老年人、残疾人等优先）", "Priority lane (elderly, disabled)";
    WalkInTitle => "现场取号（无预约）", "Walk-in ticket (no booking)";
    WalkInLabel => "办理事项（可不填）", "Item (optional)";
    IssueTicket => "取号", "Issue ticket";
    TicketIssued => "已取号", "Ticket issued";
    CallNext => "叫号", "Call next";
    Recall => "重呼", "Call again";
    MarkServed => "办结", "Served";
    MarkNoShow => "过号", "No-show";
    NowServing => "正在办理", "Now serving";
    WaitingLine => "排队等候", "Waiting line";
    NoOneWaiting => "暂无排队", "No one is waiting";
    NoWindows => "您还没有分配窗口，请联系首席事务代表。", "No window is assigned to you; ask the chief representative.";
    ServedToday => "今日已办结", "Served today";
    PleaseGoTo => "请到", "Please go to";
    AheadOfYou => "前面还有", "Ahead of you";
    PeopleUnit => "人", "people";
    EstimatedWait => "预计等候", "Estimated wait";
    MinutesUnit => "分钟", "min";
    NoTicketToday => "今天还没有排号。到中心后向工作人员出示预约码签到，即可取号。", "No ticket today. Show your booking code at the center to check in.";
    MeetingLink => "会议链接", "Meeting link";
    MeetingTime => "会议时间", "Meeting time";
    SaveVideo => "保存会议信息", "Save meeting";
    SavedOk => "已保存", "Saved";
    Reconnecting => "连接中断，正在重连…", "Reconnecting…";
    BoardWaiting => "等候人数", "Waiting";
    RecentCalls => "最近叫号", "Recent calls";
    ViewMyTicket => "查看排号进度", "See my place in the queue";
    BookingKindBooked => "预约", "Booked";
    BookingKindWalkIn => "现场", "Walk-in";
    BookingKindPriority => "优先", "Priority";
    JoinVideo => "进入会议", "Join";
    BringMaterials => "请携带以下材料", "Please bring";
    AddToCalendar => "添加到日历", "Add to calendar";
    CancelBooking => "取消预约", "Cancel booking";
    Login => "登录", "Log in";
    Register => "注册", "Register";
    Logout => "退出登录", "Log out";
    LogoutEverywhere => "退出所有设备", "Log out on all devices";
    // Statuses, channels, kinds and levels (each enum's `msg`).
    ChannelCenter => "到中心窗口办理", "Center window";
    ChannelStation => "到服务站办理", "At a service station";
    ChannelVideo => "视频办理", "Video call";
    BookingBooked => "已预约", "Booked";
    BookingCheckedIn => "已签到", "Checked in";
    BookingCalled => "已叫号", "Called";
    BookingServed => "已办理", "Served";
    BookingCancelled => "已取消", "Cancelled";
    BookingNoShow => "未到（爽约）", "Did not come";
    LevelVerySatisfied => "非常满意", "Very satisfied";
    LevelSatisfied => "满意", "Satisfied";
    LevelBasic => "基本满意", "Fairly satisfied";
    LevelUnsatisfied => "不满意", "Unsatisfied";
    LevelVeryUnsatisfied => "非常不满意", "Very unsatisfied";
    KindComplaint => "投诉", "Complaint";
    KindSuggestion => "建议", "Suggestion";
    KindPraise => "表扬", "Praise";
    SourceOnline => "网上提交", "Online";
    SourcePaper => "意见簿", "Opinion book";
    SourceBox => "意见箱", "Opinion box";
    SourcePhone => "监督电话", "Supervision hotline";
    FeedbackSubmitted => "待受理", "Awaiting a handler";
    FeedbackAssigned => "处理中", "Being handled";
    FeedbackReplied => "已答复", "Replied";
    FeedbackReopened => "重新办理", "Reopened";
    FeedbackClosed => "已办结", "Closed";
    LevelAtCenter => "中心", "Center";
    LevelAtStation => "服务站", "Station";
    LevelAtBoth => "中心和服务站", "Center and stations";
    TicketWaiting => "排队中", "Waiting";
    TicketCalled => "请到窗口办理", "Please go to the window";
    TicketServed => "已办结", "Served";
    TicketNoShow => "已过号", "Missed";
    CaseDraft => "草稿", "Draft";
    CaseSubmitted => "已提交，待受理", "Submitted, awaiting acceptance";
    CaseAccepted => "已受理", "Accepted";
    CaseProcessing => "办理中", "Being processed";
    CaseSupplementRequested => "待补正材料", "Materials to supplement";
    CaseCompleted => "已办结", "Completed";
    CaseRejected => "不予受理", "Not accepted";
    CaseWithdrawn => "已撤回", "Withdrawn";
    // The chief's schedules and calendar page.
    SchedSlotLength => "时段长度", "Slot length";
    SchedPeoplePerSlot => "每时段人数", "People per slot";
    SchedImported => "已导入 {} 个日期", "{} dates imported";
    SchedTitle => "预约排班", "Booking schedules";
    SchedHint => "开放日填数字（1=周一 … 7=周日），法定节假日自动不开放，调休上班日照常开放。修改后，已有预约的时段保持不变。", "Open days as numbers (1 = Monday … 7 = Sunday). Public holidays close by themselves; adjusted working days open as usual. Slots already booked stay as they are after a change.";
    SchedNew => "新建排班", "New schedule";
    SchedWindows => "服务窗口", "Service windows";
    SchedHolidays => "节假日与调休", "Holidays and adjusted working days";
    SchedHolidaysHint => "已预置国务院办公厅公布的2025、2026年安排。可逐日修改，或导入“日期,类型,名称”格式的 CSV 文件（类型：holiday 放假 / workday 调休上班）。", "The State Council’s 2025 and 2026 calendar is preloaded. Change single days, or import a CSV file of “date,kind,name” lines (kind: holiday / workday).";
    SchedImport => "导入日历", "Import calendar";
    SchedItemCodes => "可预约事项编码（空格分隔）", "Item codes that may be booked (space-separated)";
    SchedSaveSchedule => "保存排班", "Save schedule";
    SchedAffectedHint => "这些预约在当天改为放假之前已经约好，不会被记为爽约。通知后，群众可比平时提前预约，新预约成功后原预约自动取消；无手机的群众请联系其服务站。", "These were booked before the day became a holiday and are never counted as no-shows. Once told, residents may book further ahead than usual, and the old booking is cancelled when the new one succeeds; call the station of residents without a phone.";
    SchedWasNoShow => "曾被记爽约", "Was counted a no-show";
    SchedWindow => "窗口", "Window";
    SchedClerk => "窗口人员", "Clerk";
    SchedActive => "启用", "In use";
    SchedDate => "日期", "Date";
    SchedKind => "类型", "Kind";
    SchedDayOff => "放假", "Day off";
    SchedWorkday => "调休上班", "Adjusted working day";
    SchedNamePlaceholder => "名称，如 春节", "Name, e.g. Spring Festival";
    SchedName => "名称", "Name";
    SchedSave => "保存", "Save";
    SchedCalendarFile => "日历文件", "Calendar file";
    SchedWeekdays => "开放日", "Open days";
    SchedPeriods => "办理时段", "Service hours";
    SchedSlotMinutes => "每个时段（分钟）", "Each slot (minutes)";
    SchedCapacity => "每时段可约人数", "Bookings per slot";
    SchedNewWindow => "新窗口名称", "New window name";
    SchedWindowName => "窗口名称", "Window name";
    SchedAdd => "添加", "Add";
    SchedAffected => "放假日已有的预约", "Bookings on days made holidays";
    SchedResident => "群众", "Resident";
    SchedPhone => "电话", "Phone";
    SchedItem => "事项", "Item";
    SchedSlot => "时段", "Time";
    SchedNotified => "已通知", "Told";
    SchedDelete => "删除", "Delete";
    // Pages that wrote their own text before.
    AuthHelper => "帮办员", "Helper";
    AuthWholeStation => "本站全体帮办员", "Every helper of the station";
    AuthResident => "委托人", "Resident";
    AuthScope => "范围", "Scope";
    AuthPeriod => "起止", "Valid";
    AuthMethod => "方式", "By";
    ClaimNewAccount => "新账号", "New account";
    DeskFindNone => "没有找到。可以登记这位群众。", "Not found. You can register this resident.";
    DeskMarkedAbsent => "已登记未到", "Marked absent";
    PaperPhoto => "查看委托书照片", "See the photo of the signed form";
    DaysCount => "{}天", "{} days";
    NoticeExtra => "追加", "additional";
    NoticeReasonPlaceholder => "原因，如：复印件不清晰", "Reason, e.g. the copy is not legible";
    BookingCodeNotFound => "没有找到该预约码，请核对后重试", "No booking has this code; check it and try again";
    Back => "返回", "Back";
    Photo => "照片", "Photo";
    LocksTitle => "登录锁定", "Login locks";
    LocksHint => "同一账号在同一网络地址连续输错密码5次后，该地址对该账号锁定15分钟；其他账号和其他地址不受影响。核实身份后可提前解除。", "After 5 wrong passwords for one account from one network address, that address is locked out of that account for 15 minutes; other accounts and addresses are not affected. Lift the lock early once you have checked who it is.";
    LocksNone => "当前没有被锁定的账号。", "No account is locked.";
    LocksAccount => "账号", "Account";
    LocksAddress => "网络地址", "Network address";
    LocksUntil => "锁定至", "Locked until";
    LocksLift => "解除锁定", "Lift the lock";
    EmailYou => "您", "there";
    Colon => "：", ": ";
    VideoAddress => "视频办理（工作人员会在“我的预约”中发送会议链接）", "By video (staff send the meeting link in “My bookings”)";
    Unknown => "—", "—";
    HandoffAwaitingSignature => "已送达，待签收", "Delivered; awaiting signature";
    HandoffAwaitingDelivery => "已办结，待送达服务站", "Completed; to be delivered to the station";
    TagEfficiency => "办事效率", "Speed";
    TagAttitude => "服务态度", "Courtesy";
    TagGuideAccuracy => "指南准确", "Accurate guide";
    TagConvenience => "便捷程度", "Convenience";
    RectOpen => "待回访", "Awaiting a call-back";
    RectCalledBack => "已回访，整改中", "Called back; being put right";
    RectFixed => "已整改，待评价", "Put right; awaiting your rating";
    RectDone => "已完成", "Done";
    ActorApplicant => "申请人", "Applicant";
    ActorSystem => "系统", "System";
    ActorAnonymous => "匿名群众", "Anonymous resident";
    ActorResident => "群众", "Resident";
    ActorInternalNote => "内部备注", "internal note";
    EmailResident => "居民", "resident";
    LoginOrRegister => "登录 / 注册", "Log in / Register";
    LoginHint => "登录后可预约、办件、查看进度", "Log in to book, file cases and track them";
    NoAccountYet => "还没有账号？立即注册", "No account yet? Register";
    HaveAccount => "已有账号？去登录", "Have an account? Log in";
    Phone => "手机号", "Mobile number";
    PhonePlaceholder => "请输入11位手机号", "11-digit mobile number";
    Password => "密码", "Password";
    PasswordPlaceholder => "至少8位", "At least 8 characters";
    Email => "邮箱", "Email";
    EmailOptional => "邮箱（选填）", "Email (optional)";
    Name => "姓名", "Name";
    NameOptional => "姓名（选填）", "Name (optional)";
    Submit => "提交", "Submit";
    Save => "保存", "Save";
    Saved => "已保存", "Saved";
    Profile => "个人资料", "Profile";
    Language => "语言 / Language", "Language / 语言";
    LangZh => "简体中文", "简体中文";
    LangEn => "English", "English";
    ElderMode => "长辈版", "Elder mode";
    ElderModeHint => "大字体、大按钮，看得清、点得准", "Larger text and buttons";
    On => "已开启", "On";
    Off => "已关闭", "Off";
    TurnOn => "开启", "Turn on";
    TurnOff => "关闭", "Turn off";
    StaffConsole => "工作台", "Staff console";
    NotSet => "未填写", "Not set";
    EmailUnverified => "未验证", "Unverified";
    EmailVerified => "已验证", "Verified";
    VerifyEmail => "验证邮箱", "Verify email";
    VerifyEmailConfirm => "点击下方按钮，完成邮箱验证。", "Press the button to verify your email address.";
    VerifyEmailDone => "邮箱验证成功", "Your email address is verified";
    RoleResident => "居民", "Resident";
    RoleHelper => "帮办员", "Helper";
    RoleClerk => "窗口人员", "Window clerk";
    RoleHandler => "投诉处理员", "Complaint handler";
    RoleChief => "首席事务代表", "Chief representative";
    Role => "角色", "Role";
    Station => "所属服务站", "Station";
    NoStation => "不属于服务站", "No station";
    StaffUsers => "人员管理", "Staff";
    StaffCreate => "新增工作人员", "Add staff member";
    StaffCreated => "已创建工作人员账号", "Staff account created";
    InitialPassword => "初始密码", "Initial password";
    StaffMenuHint => "按角色显示可用功能", "Functions available to your role";
    StaffWelcome => "欢迎，", "Welcome, ";
    BackToResidentApp => "返回居民端", "Back to resident app";
    NotFoundTitle => "页面不存在", "Page not found";
    NotFoundBody => "您访问的页面不存在或已被移除。", "The page does not exist or was removed.";
    ForbiddenTitle => "无权访问", "No access";
    ForbiddenBody => "当前账号无权访问此页面。", "Your account cannot open this page.";
    LoginRequired => "请先登录", "Please log in first";
    BackHome => "返回首页", "Back to home";
    Loading => "加载中…", "Loading…";
    DemoNotice => "演示数据，仅供体验", "Demo data, for trying out only";
    // guides (办事指南)
    GuideName => "事项名称", "Name";
    GuideCategory => "类别", "Category";
    GuideLevel => "办理层级", "Handled at";
    GuideServiceModes => "办理方式", "Ways to apply";
    GuideTimeLimits => "办理时限", "Time limits";
    GuideFee => "收费标准", "Fees";
    GuidePlaceHours => "办理地点和时间", "Place and hours";
    GuideMaterials => "申请材料", "Required materials";
    GuideSteps => "办理流程", "Procedure";
    GuideLegalBasis => "设定依据", "Legal basis";
    GuideContact => "咨询电话", "Enquiries";
    GuidePlace => "办理地点", "Place";
    GuideHours => "办理时间", "Opening hours";
    PromisedLimit => "承诺时限", "Promised";
    LegalLimit => "法定时限", "Legal limit";
    WorkingDays => "个工作日", " working days";
    LevelCenter => "便民服务中心", "Service center";
    LevelStation => "便民服务站", "Service station";
    LevelBoth => "中心和服务站均可", "Center or station";
    Bookable => "可预约", "Bookable";
    HelperEligible => "可帮办代办", "Helper can file";
    OnlineAvailable => "可网上办", "Online";
    Original => "原件", "original";
    CopyDoc => "复印件", "copy";
    CopiesUnit => "份", " copies";
    HighFrequencyItems => "高频事项", "Frequent services";
    AllCategories => "全部事项", "All services";
    SearchResults => "搜索结果", "Results";
    SearchButton => "搜索", "Search";
    NoResults => "没有找到相关事项，换个关键词试试，如“社保”或“sb”", "Nothing found; try another word";
    BookThis => "预约办理", "Book a visit";
    StartCase => "在线申办", "Apply online";
    StartCaseSoon => "在线申办即将开放，可先预约或到窗口办理", "Online applications open soon; book or visit a window";
    PrintMaterials => "打印材料清单", "Print the checklist";
    ChecklistTitle => "一次性告知：办理所需材料", "What to bring (told once)";
    ChecklistHint => "请按清单准备材料，带齐后前往办理。", "Prepare everything on this list before you come.";
    VersionHistory => "历史版本", "Version history";
    VersionLabel => "版本", "Version";
    CurrentVersion => "当前版本", "Current";
    OldVersionBanner => "您正在查看历史版本，内容可能已更新。", "This is an older version of the guide.";
    SeeCurrentVersion => "查看当前版本", "See the current version";
    FirstVersion => "首次发布", "First published";
    ChangedFields => "修改了：", "Changed: ";
    SourceSeed => "初始录入", "Initial entry";
    SourceImport => "批量导入", "Imported";
    SourceConsole => "后台编辑", "Edited";
    UpdatedAt => "更新于", "Updated";
    PublicTitle => "四个公开", "Public information";
    PublicIntro => "公开服务事项、公开办事流程、公开办理时限、公开监督电话。", "Services, procedures, time limits and the supervision phone, in public.";
    SupervisionPhone => "监督电话", "Supervision phone";
    CenterAddress => "中心地址", "Address";
    Commitments => "服务承诺", "Our commitments";
    CommitmentOnce => "一次性告知：所需材料一次讲清，不让群众多跑。", "Told once: every material you need, in one notice.";
    CommitmentFirst => "首问负责：第一位接待您的工作人员负责到底。", "The first person you ask sees it through.";
    CommitmentTime => "限时办结：按承诺时限办结，超时可投诉。", "Done within the promised time, or you may complain.";
    CommitmentAB => "AB岗：工作人员请假时由B岗接替，窗口不断档。", "Backup posts: a window is never left unstaffed.";
    DemoCatalogue => "演示目录：事项内容仅供体验，不作为办事依据。", "Demo catalogue: for trying out only.";
    ItemsCount => "项", " items";
    StaffItems => "事项管理", "Catalogue";
    ItemCode => "事项编码", "Code";
    ItemStatus => "状态", "Status";
    Published => "已发布", "Published";
    Withdrawn => "已撤回", "Withdrawn";
    Withdraw => "撤回", "Withdraw";
    Publish => "发布", "Publish";
    Edit => "编辑", "Edit";
    NewItem => "新增事项", "New item";
    ImportTitle => "批量导入", "Import";
    ImportHint => "上传 .xlsx 或 .csv 文件（列格式见导出文件或示例文件），先预览，确认后才写入。", "Upload .xlsx or .csv in the documented layout; you confirm after a preview.";
    ImportFile => "选择文件", "File";
    ImportPreviewButton => "预览", "Preview";
    ImportPreviewTitle => "导入预览", "Import preview";
    ImportAdded => "新增", "New";
    ImportChanged => "修改", "Changed";
    ImportUnchanged => "无变化", "Unchanged";
    ImportBadRows => "有问题的行", "Rows with problems";
    ImportRowN => "第{}行", "Row {}";
    ImportConfirm => "确认导入", "Confirm import";
    ImportFixFirst => "文件中有问题的行，请修改后重新上传；本次不会写入任何内容。", "Fix the rows with problems and upload again; nothing was written.";
    ImportDone => "导入完成", "Imported";
    ExportXlsx => "导出Excel", "Export .xlsx";
    SampleFile => "下载示例文件", "Sample file";
    SamplesTitle => "样表与空白表格", "Samples and blank forms";
    SamplesHint => "为每项材料上传填写样例或空白表格：JPG、PNG、PDF、Word 或 Excel，最大5MB。图片会去除拍摄位置等信息。", "Upload a filled-in sample or blank form per material: JPG, PNG, PDF, Word or Excel, up to 5 MB. Photos lose their location data.";
    SamplesNone => "这个事项还没有材料", "This item lists no materials yet";
    SampleSaved => "已保存，生成了新版本", "Saved as a new version";
    SampleView => "查看样表", "View sample";
    SampleMissing => "未上传", "None yet";
    Upload => "上传", "Upload";
    Remove => "删除", "Remove";
    FormHintMaterials => "每行一项：名称|份数|原件或复印件|备注", "One per line: name|copies|原件 or 复印件|note";
    FormHintSteps => "每行一步", "One step per line";
    Yes => "是", "Yes";
    No => "否", "No";
    Keywords => "关键词（空格分隔）", "Keywords (space-separated)";
    ErrImportHasErrors => "文件中有问题的行，不能导入", "The file has rows with problems";
    ErrImportApplied => "该文件已经导入，不会重复导入", "This file was imported already";
    ErrNotBookable => "该事项暂不支持在线预约，请直接到窗口办理", "This item cannot be booked online; please come to a window";
    ErrBookingDay => "请选择预约日期", "Choose a day";
    ErrBookingKey => "页面已过期，请刷新后重新提交", "The page expired; reload it and submit again";
    ErrBookingChannel => "请选择办理方式", "Choose how you will be served";
    ErrBookingSlot => "所选时段不可预约，请重新选择", "That slot cannot be booked; choose another";
    ErrBookingStation => "请选择要前往的服务站", "Choose the station you will go to";
    ErrBookingSameDay => "您当天已预约过该事项，同一事项每天只能预约一次", "You already booked this item that day; one booking per item per day";
    ErrSlotFull => "该时段已约满，请选择其他时段", "That slot is full; choose another";
    ErrBookingNotCancellable => "该预约当前状态不能取消", "This booking can no longer be cancelled";
    // errors and field messages
    ErrIdNumberInvalid => "请输入18位居民身份证号码", "Enter the 18-character resident ID number";
    ErrIdNumberChecksum => "身份证号码校验位不正确，请核对后重新输入", "The ID number's check character is wrong; please check it";
    ErrCaseNumberInvalid => "办件编号格式不正确，应为 BM20260101-0001 这样的编号", "A case number looks like BM20260101-0001";
    ErrFeedbackNumberInvalid => "投诉建议编号格式不正确，应为 YJ20260101-0001 这样的编号", "A feedback number looks like YJ20260101-0001";
    ErrNotesTooLong => "补充说明不能超过500字", "Notes may have at most 500 characters";
    ErrLookupLimited => "查询过于频繁，请10分钟后再试", "Too many look-ups; try again in 10 minutes";
    StartCaseTitle => "在线申请", "Apply online";
    ApplicantDetails => "申请人信息", "Applicant";
    ApplicantName => "姓名", "Name";
    ApplicantPhone => "手机号", "Mobile number";
    IdNumber => "身份证号", "ID number";
    CaseNotes => "补充说明（选填）", "Notes (optional)";
    SmartFillHint => "已按您上次填写的信息自动填好，请核对。", "Filled in from last time; please check.";
    HelperFillHint => "请填写所代办群众的信息。", "Enter the details of the resident you are helping.";
    MaterialsToUpload => "需上传的材料", "Materials to upload";
    CreateDraft => "下一步：上传材料", "Next: upload materials";
    MyCases => "我的办件", "My cases";
    CasesOpen => "办理中", "In progress";
    CasesClosed => "已结束", "Finished";
    NoCases => "您还没有办件。在办事指南中找到事项，点“在线申请”即可开始。", "No cases yet. Open a guide and tap “Apply online”.";
    CaseDetail => "办件详情", "Case";
    CaseNumberLabel => "办件编号", "Case number";
    CaseStatusLabel => "状态", "Status";
    CaseDeadline => "办结时限", "Due";
    WorkingDaysLeft => "剩余工作日", "Working days left";
    Overdue => "已超期", "Overdue";
    DueSoon => "即将到期", "Due soon";
    ClockPaused => "补正中，时限暂停", "Paused for supplements";
    CaseMaterials => "申请材料", "Materials";
    TakePhotoOrFile => "拍照或选择文件", "Take a photo or choose a file";
    UploadNow => "上传", "Upload";
    UploadRetry => "重试", "Retry";
    RemoveFile => "删除", "Remove";
    ViewSample => "查看样表", "See the sample";
    SubmitCase => "提交申请", "Submit";
    WithdrawCase => "撤回申请", "Withdraw";
    ResubmitCase => "补正完成，重新提交", "Resubmit";
    NoticeTitle => "一次性告知书", "Supplement notice";
    NoticeIntro => "经审查，您的申请需要补正以下材料（一次性告知全部问题）：", "Please supply the following (all of it, in one notice):";
    PrintNotice => "打印告知书", "Print the notice";
    Timeline => "办理进度", "Timeline";
    CaseResult => "办理结果", "Result";
    CasePickup => "领取方式", "Collection";
    CaseReason => "不予受理原因", "Reason";
    FiledByHelper => "帮办员", "Helper";
    TrackCase => "办件查询", "Track a case";
    TrackHint => "输入办件编号和申请人手机号后四位，查询办理进度。", "Enter the case number and the last four digits of the applicant's phone.";
    PhoneLast4 => "手机号后四位", "Last 4 digits of phone";
    Search => "查询", "Search";
    Messages => "消息通知", "Messages";
    NoMessages => "暂无消息", "No messages";
    StaffCases => "办件受理", "Cases";
    StaffAb => "AB岗与休假", "Backup posts & leave";
    FilterAll => "全部", "All";
    FilterDueSoon => "即将到期", "Due soon";
    FilterOverdue => "已超期", "Overdue";
    FilterApproval => "待审批", "Awaiting approval";
    InboxEmpty => "暂无需要处理的办件", "Nothing to do";
    BackupFor => "代A岗", "Backing up";
    ActAccept => "受理", "Accept";
    ActProcess => "开始办理", "Start processing";
    ActComplete => "办结", "Complete";
    ActReject => "不予受理", "Reject";
    ActHandover => "移交", "Hand over";
    ActApprove => "批准追加告知", "Approve extra notice";
    ActDecline => "不批准", "Decline";
    ActSupplement => "发出一次性告知", "Send the supplement notice";
    SupplementHint => "勾选需要补正的材料并写明原因，一次告知全部问题。", "Tick every material that needs supplying, with a reason: all in one notice.";
    ResultNote => "办理结果", "Result";
    PickupNote => "领取方式（如：窗口领取、邮寄）", "Collection (window, post…)";
    RejectReason => "不予受理原因", "Reason for rejection";
    RevealId => "查看完整身份证号（将记录）", "Show the full ID number (logged)";
    Owner => "首问负责人", "Owner";
    Window => "窗口", "Window";
    PendingNotice => "待审批的追加告知", "Extra notice awaiting approval";
    AbPairs => "AB岗设置", "Backup posts";
    BackupLabel => "B岗", "Backup";
    LeaveDays => "休假登记", "Leave";
    LeaveFrom => "开始日期", "From";
    LeaveTo => "结束日期", "To";
    AddLeave => "登记休假", "Record leave";
    EndLeave => "结束休假", "End leave";
    NoLeave => "目前无人休假", "No one is on leave";
    ErrNotFound => "未找到相关记录", "Not found";
    ErrUnauthorized => "请先登录", "Please log in first";
    ErrSessionExpired => "登录已过期，请重新登录", "Your session expired, please log in again";
    ErrForbidden => "当前账号无权进行此操作", "Your account may not do this";
    ErrCheckInput => "请检查填写的内容", "Please check what you entered";
    ErrInternal => "系统繁忙，请稍后再试", "Something went wrong, please try again later";
    ErrNetwork => "网络异常，请检查网络后重试", "Network problem, please try again";
    ErrCrossSite => "请求来源异常，已拒绝", "Cross-site request refused";
    ErrTooLarge => "提交的内容过大，请删减后重试", "What you sent is too large";
    ErrTimeout => "处理超时，请稍后再试", "The request took too long; please try again";
    ErrPhoneInvalid => "请输入正确的11位手机号", "Enter a valid 11-digit mobile number";
    ErrPhoneTaken => "该手机号已注册，请直接登录", "This number is already registered; please log in";
    ErrPasswordShort => "密码至少需要8位", "The password needs at least 8 characters";
    ErrPasswordLong => "密码不能超过128位", "The password may have at most 128 characters";
    ErrPasswordCommon => "密码过于简单，容易被猜到，请换一个", "This password is too common; choose another";
    ErrPasswordIsPhone => "密码不能与手机号相同", "The password must differ from the phone number";
    ErrEmailInvalid => "邮箱格式不正确", "The email address is not valid";
    ErrNameTooLong => "姓名不能超过30个字", "The name may have at most 30 characters";
    ErrNameRequired => "请填写姓名", "Please enter a name";
    ErrLoginFailed => "手机号或密码错误", "Wrong mobile number or password";
    ErrRegisterLimited => "该网络注册账号过于频繁，请1小时后再试", "Too many registrations from this network; try again in an hour";
    ErrBadRequest => "提交的内容不完整或格式有误，请刷新页面后重试", "The request was incomplete or malformed; reload the page and try again";
    ErrLoginLocked => "登录失败次数过多，请15分钟后再试", "Too many failed logins; try again in 15 minutes";
    ErrTokenInvalid => "链接无效或已过期", "The link is invalid or has expired";
    ErrRoleInvalid => "请选择有效的角色", "Choose a valid role";
    ErrStationRequired => "帮办员必须选择所属服务站", "A helper must belong to a station";
    ErrStationInvalid => "服务站不存在", "No such station";
    PagePrevious => "上一页", "Previous";
    PageNext => "下一页", "Next";
    // ratings and feedback
    FeedbackInboxEmpty => "暂无符合条件的投诉建议", "No feedback matches";
    ErrFeedbackLimited => "提交过于频繁，请1小时后再试", "Too many submissions; try again in an hour";
    RateTitle => "服务评价", "Rate the service";
    RateService => "评价本次服务", "Rate this service";
    RateHint => "请对本次服务作出评价，您的评价将帮助我们改进工作。", "Please rate this service; it helps us improve.";
    RateOpenUntil => "可评价至", "Open until";
    RateLevel => "满意程度", "How satisfied are you";
    RateTags => "评价标签（可多选）", "Tags (any)";
    RateComment => "评价内容（选填）", "Comment (optional)";
    RateSubmit => "提交评价", "Submit rating";
    RateDone => "您的评价", "Your rating";
    RateClosed => "评价期已过", "Rating is closed";
    RatePaperNote => "帮办员代录纸质评价", "Paper rating entered by a helper";
    RectificationTitle => "差评整改", "Rectification";
    RectifyDeadline => "整改期限", "Fix by";
    CallBack => "回访记录", "Call-back";
    FixNote => "整改情况", "What was fixed";
    RateFixTitle => "对整改结果的评价", "Rating of the fix";
    RateFixSubmit => "提交整改评价", "Rate the fix";
    MyFeedback => "我的投诉建议", "My feedback";
    NewFeedback => "我要投诉建议", "Give feedback";
    FeedbackNone => "您还没有提交过投诉建议。", "No feedback yet.";
    FeedbackDetail => "投诉建议详情", "Feedback";
    FeedbackKindLabel => "类型", "Kind";
    FeedbackSource => "来源", "Source";
    ContactName => "联系人姓名", "Contact name";
    ContactPhone => "联系电话", "Contact phone";
    FeedbackBody => "请描述您的问题或建议", "Describe the problem or suggestion";
    FeedbackAboutCase => "相关办件（选填）", "Related case (optional)";
    FeedbackAboutStation => "相关服务站（选填）", "Related station (optional)";
    FeedbackAboutWindow => "相关窗口（选填）", "Related window (optional)";
    FeedbackAboutStaff => "相关工作人员（选填）", "Related staff member (optional)";
    FeedbackAnonymous => "匿名提交（仅限建议）", "Anonymous (suggestions only)";
    FeedbackPublish => "同意在意见簿公开此建议及答复", "Publish this suggestion and its reply in the opinion book";
    FeedbackPhotos => "照片（选填，最多6张）", "Photos (optional, up to 6)";
    DraftRestored => "已恢复您上次填写的内容，照片请重新选择。", "What you typed last time is back; please choose the photos again.";
    FeedbackReply => "答复", "Reply";
    FeedbackReplyDue => "答复期限", "Reply due";
    FeedbackContactDue => "首次联系期限", "First contact due";
    FeedbackConfirm => "确认处理结果", "Confirm the outcome";
    FeedbackOutcome => "对处理结果的评价", "Rating of the handling";
    FeedbackReopen => "不满意，申请重新办理", "Not satisfied: reopen";
    FeedbackReopenReason => "不满意的理由", "Why not satisfied";
    Anonymous => "匿名", "Anonymous";
    AboutLabel => "涉及", "About";
    Author => "提出人", "From";
    ResponsibleStaff => "责任人员", "Staff responsible";
    Opinions => "意见簿", "Opinion book";
    OpinionsHint => "以下建议及答复经提出人同意公开。", "Published with the consent of those who made them.";
    OpinionsNone => "暂无公开的建议。", "Nothing published yet.";
    StaffFeedback => "投诉建议与差评整改", "Feedback & rectification";
    StaffFeedbackEntry => "录入纸质/电话意见", "Enter paper or phone feedback";
    Filter => "筛选", "Filter";
    FiguresEvaluationRate => "本月主动评价率", "Active evaluation rate this month";
    FiguresSatisfaction => "本月满意率", "Satisfaction this month";
    ClerksSeeFeedback => "允许窗口人员查看与其办件有关的意见", "Clerks may read feedback about their own cases";
    Enable => "开启", "Turn on";
    Disable => "关闭", "Turn off";
    Rectifications => "差评整改任务", "Rectification tasks";
    ReplyTemplates => "答复模板", "Reply templates";
    AddTemplate => "新增模板", "Add a template";
    TemplateTitle => "模板标题", "Title";
    TemplateBody => "模板内容", "Text";
    UseTemplate => "或选用答复模板（未填写答复时使用）", "Or use a template (when the reply is empty)";
    ActTake => "受理", "Take it";
    ActContact => "记录首次联系", "Record first contact";
    ActReply => "答复", "Reply";
    ActNote => "内部备注", "Internal note";
    ActComplex => "复杂件", "Complex";
    ActReassign => "转交", "Hand over";
    ActLinkCase => "关联办件", "Link a case";
    ActLinkStaff => "关联工作人员", "Link a staff member";
    ActClose => "办结", "Close";
    // stations and 帮办代办
    ErrRequired => "此项必填", "This field is required";
    ErrTooLong => "内容过长", "Too long";
    ErrStationPhone => "电话只能包含数字和“-”", "A phone number has digits and '-' only";
    ErrStationItems => "请选择帮办代办范围内的事项", "Choose items that helpers may file";
    ErrStationNameTaken => "已有同名的服务站", "A station with this name exists";
    ErrTooManyLookups => "查询过于频繁，请稍后再试", "Too many look-ups; try again later";
    ErrAuthorisationCase => "没有找到该群众的这个办件编号", "No case of this resident has this number";
    ErrAuthorisationItems => "请至少选择一项本服务站可代办的事项", "Choose at least one item this station handles";
    ErrAuthorisationUntil => "有效期须在今天至一年内", "Valid until must be between today and one year from now";
    ErrAuthorisationMethod => "该群众没有账号，不能在应用中确认，请使用纸质委托书", "This resident has no account; use a paper authorisation";
    StationsTitle => "便民服务站", "Service stations";
    StationsIntro => "在家门口办：以下服务站的帮办员可以代您办理所列事项。", "Close to home: helpers at these stations can file these items for you.";
    StationVillage => "村/社区", "Village / community";
    StationAddress => "地址", "Address";
    StationPhone => "电话", "Phone";
    StationHours => "开放时间", "Opening hours";
    StationItems => "可代办事项", "Items handled";
    StationItemsAll => "全部帮办代办事项", "Every helper-eligible item";
    StationBookHere => "预约到服务站办理", "Book at this station";
    StationClosed => "已关闭", "Closed";
    StationAdmin => "服务站管理", "Stations";
    StationNew => "新建服务站", "New station";
    StationSave => "保存", "Save";
    StationClose => "关闭服务站", "Close station";
    StationReopen => "重新开放", "Reopen";
    StationName => "服务站名称", "Station name";
    StationItemsHint => "不选即为全部帮办代办事项（之后新增的也包括在内）", "Choose none for every helper-eligible item (new ones included)";
    StationHelpers => "帮办员", "Helpers";
    StationMoveHelper => "调整所属服务站", "Move to station";
    FigureOpenCases => "代办在办", "Assisted open";
    FigureOverdue => "已超期", "Overdue";
    FigureCompletedMonth => "本月办结", "Completed this month";
    FigureBookingsToday => "今日预约", "Bookings today";
    FigureAuthorisations => "有效委托", "Authorisations in force";
    FigureAwaitingDelivery => "待送达/签收", "Awaiting delivery";
    DeskTitle => "帮办工作台", "Helper desk";
    DeskFind => "查找群众", "Find a resident";
    DeskFindHint => "输入完整的手机号或身份证号（不支持模糊查找）", "Enter a full phone or ID number (exact match only)";
    DeskRegister => "登记群众（无手机或无账号）", "Register a resident (no phone or account)";
    DeskResidentAddress => "住址", "Address";
    DeskPhoneOptional => "手机号（选填）", "Phone (optional)";
    DeskNoAccount => "无账号", "No account";
    DeskHasAccount => "已注册", "Has an account";
    DeskAuthorisations => "委托", "Authorisations";
    DeskNewAuthorisation => "登记委托", "Record an authorisation";
    DeskScopeItems => "按事项", "By items";
    DeskScopeCase => "某一办件", "One case";
    DeskCaseNumber => "办件编号", "Case number";
    DeskValidUntil => "有效期至", "Valid until";
    DeskWholeStation => "委托本服务站（站内帮办员均可代办）", "Authorise the whole station (any of its helpers)";
    DeskMethodApp => "本人在应用中确认", "Resident confirms in the app";
    DeskMethodPaper => "纸质委托书（拍照上传）", "Signed paper form (photo)";
    DeskAllowed => "可代办", "You may act for them on";
    DeskFileCase => "代办申请", "File a case";
    DeskBook => "代为预约", "Book";
    DeskCases => "办件", "Cases";
    DeskBookings => "预约", "Bookings";
    DeskSummaryOnly => "委托已结束，仅显示摘要", "Authorisation ended: summary only";
    DeskNothingAllowed => "暂无有效委托，请先登记委托并待群众确认。", "No authorisation in force: record one and wait for the resident.";
    DeskToday => "今日到站预约", "Station bookings today";
    DeskDelivery => "待送达/签收", "Results to hand over";
    DeskClaims => "待核验认领", "Claims to confirm";
    DeskCheckIn => "签到", "Check in";
    DeskAbsent => "未到", "Absent";
    DeskServed => "办理完成", "Served";
    DeskCodeLabel => "预约码", "Booking code";
    PaperTitle => "帮办代办委托书", "Authorisation form";
    PaperPrint => "打印空白委托书", "Print the form";
    PaperUpload => "上传签字的委托书照片", "Upload the signed form";
    MyAuthorisations => "委托记录", "Authorisations";
    MyAuthorisationsEmpty => "您还没有委托过服务站帮办员。", "You have not authorised any helper.";
    AuthAccept => "同意", "Accept";
    AuthRefuse => "拒绝", "Refuse";
    AuthRevoke => "撤销委托", "Revoke";
    ClaimTitle => "认领服务站代办记录", "Claim records a station made for you";
    ClaimIntro => "如果服务站曾为您（无账号时）登记并代办，输入您的身份证号提交认领，然后携带身份证到中心窗口或服务站，由工作人员核验后，记录会转入本账号。", "If a station registered you before you had an account, enter your ID number, then bring your ID card to a window or station; once staff confirm, the records move to this account.";
    ClaimSent => "已提交。请携带身份证到中心窗口或服务站核验。", "Sent. Bring your ID card to a window or station.";
    ClaimSubmit => "提交认领", "Submit";
    ClaimsTitle => "认领核验", "Claims";
    ClaimConfirm => "已核验身份证，确认转入", "ID checked: confirm";
    ClaimsEmpty => "暂无待核验的认领。", "No claims waiting.";
    RebookAhead => "您原预约的日期已调整为节假日：现在可提前预约更晚的日期，预约成功后原预约自动取消。", "Your booked day became a holiday: you may book further ahead; the old booking is cancelled when you do.";
    BookingForResident => "帮办代办：为委托您的群众预约，预约记录属于群众本人。", "Assisted: you book for the resident who authorised you; the booking is theirs.";
    AffectedNotify => "一键通知以上群众（站内消息和邮件）", "Notify them all (message and email)";
    AssistedTag => "代办", "Assisted";
    HandoffTitle => "送达与签收", "Delivery and signature";
    HandoffDelivered => "送达服务站", "Delivered to the station";
    HandoffReceived => "群众签收", "Received by the resident";
    HandoffFollowUp => "回访", "Follow-up call";
    HandoffDeliver => "登记已送达服务站", "Record delivery to the station";
    HandoffReceive => "确认签收", "Confirm receipt";
    HandoffReceivedOn => "签收日期", "Received on";
    HandoffRecordFollowUp => "登记回访", "Record the follow-up";
    HandoffNote => "回访记录（选填）", "Note (optional)";
    StaffDashboard => "数据看板", "Dashboard";
    PresetThisMonth => "本月", "This month";
    PresetLastMonth => "上月", "Last month";
    PresetThisQuarter => "本季度", "This quarter";
    PresetThisYear => "本年", "This year";
    DashFrom => "开始日期", "From";
    DashTo => "结束日期", "To";
    DashCenter => "全中心", "Whole center";
    DashOwn => "我的数据", "My figures";
    DashRecords => "查看明细", "Records";
    DashTrend => "每日趋势", "Daily trend";
    DashCompleted => "办结", "Completed";
    DashVisits => "现场办件", "Window visits";
    DashRated => "已评价", "Rated";
    DashRatings => "评价数", "Ratings";
    DashByItem => "按事项", "By item";
    DashByCategory => "按类别", "By category";
    DashByStation => "按服务站", "By station";
    DashByWindow => "按窗口", "By window";
    DashByStaff => "按工作人员", "By staff member";
    DashLevels => "评价分布", "Ratings by level";
    DashDue => "临期办件", "Cases near their deadline";
    DashDaysLeft => "剩余", "left:";
    DashWorkingDays => "个工作日", "working days";
    DashMinutes => "分钟", "min";
    DashCalls => "次叫号", "calls";
    DashDay => "日期", "Day";
    DashName => "名称", "Name";
    DashNothing => "本期暂无数据", "Nothing in this period";
    DashCounts => "是否计入", "Counts";
    DashWhy => "依据", "Why";
    DashYes => "计入", "Yes";
    DashNo => "不计入", "No";
    DashExportXlsx => "导出 Excel", "Export Excel";
    DashExportCsv => "导出 CSV", "Export CSV";
    FigOnTime => "按时办结率", "On-time completion";
    FigEvaluation => "主动评价率", "Active evaluation";
    FigSatisfaction => "满意率", "Satisfaction";
    FigVisitsPerDay => "日均现场办件", "Window visits per working day";
    FigCasesAccepted => "网上办件受理", "Online cases accepted";
    FigBookings => "预约", "Bookings";
    FigCheckIns => "签到", "Checked in";
    FigNoShows => "爽约", "No-shows";
    FigWait => "平均等候", "Average wait";
    FigFeedbackOnTime => "投诉建议按时答复率", "Feedback replied on time";
    FigFeedbackReceived => "收到", "received";
    FigFeedbackOverdue => "逾期未答复", "overdue";
    FigRectifications => "差评整改按期率", "Rectifications on time";
    FigSecondNotices => "二次告知", "Second notices";
    FigAssisted => "帮办代办件", "Assisted cases";
    WhyDeadline => "时限", "due";
    WhyCompleted => "办结", "completed";
    WhyLate => "超期", "late by";
    WhyRated => "群众已评价", "Rated by the resident";
    WhyRatedOnPaper => "纸质评价（帮办员录入）", "Rated on paper (entered by a helper)";
    WhyNotRated => "未评价", "Not rated";
    WhyReplyDue => "答复时限", "reply due";
    WhyReplied => "答复", "replied";
    WhyNotReplied => "尚未答复", "not replied yet";
    WhyNoShow => "预约日", "booked for";
    PublicFiguresTitle => "服务成效", "How we did";
    PublicThisYear => "本年", "This year";
    PublicThisMonth => "本月", "This month";
    PublicCompleted => "办结件数", "Cases completed";
}

/// Translator bound to the current interface language; `Copy` so closures can take it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tr(pub Lang);

impl Tr {
    pub fn t(self, msg: Msg) -> &'static str {
        msg.text(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lang_codes_round_trip() {
        for lang in [Lang::Zh, Lang::En] {
            assert_eq!(Lang::parse(lang.code()), Some(lang));
        }
        assert_eq!(Lang::parse("fr"), None);
    }

    #[test]
    fn both_languages_have_text() {
        assert_eq!(Msg::TabHome.text(Lang::Zh), "首页");
        assert_eq!(Msg::TabHome.text(Lang::En), "Home");
    }
}
