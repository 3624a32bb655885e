//! The application root: the HTML shell and the router.

use crate::accounts::pages::{LoginPage, MePage, ProfilePage, RegisterPage, VerifyEmailPage};
use crate::accounts::{Login, Logout, LogoutEverywhere, Register, Session, UpdateProfile, get_me};
use crate::assist::pages::{DeskPage, PaperPage, RegisterResidentPage, ResidentDeskPage};
use crate::booking::pages::{BookingDetailPage, BookingPage};
use crate::booking::schedule_pages::SchedulesPage;
use crate::cases::pages::{CaseDetailPage, MessagesPage, MyCasesPage, NewCasePage, NoticePrintPage, TrackPage};
use crate::cases::staff_pages::{AbPage, StaffCasePage, StaffCasesPage};
use crate::feedback::pages::{FeedbackDetailPage, MyFeedbackPage, NewFeedbackPage, OpinionsPage};
use crate::feedback::staff_pages::{StaffFeedbackDetailPage, StaffFeedbackEntryPage, StaffFeedbackPage};
use crate::guides::pages::{GuideHistoryPage, GuidePage, GuidePrintPage, GuidesPage};
use crate::guides::staff_pages::{ImportPreviewPage, ItemEditPage, StaffItemsPage};
use crate::oversight::pages::{DashboardPage, FigureRecordsPage};
use crate::pages::{HomePage, NotFound, PublicPage};
use crate::prefs::provide_prefs;
use crate::queue::pages::{BoardPage, CheckInPage, MyTicketsPage, QueuePage};
use crate::ratings::pages::RatePage;
use crate::ratings::staff_pages::RectificationPage;
use crate::staff::pages::{StaffHomePage, StaffUsersPage};
use crate::stations::pages::{ClaimPage, MyAuthorisationsPage, StaffClaimsPage, StaffStationsPage, StationPage, StationsPage};
use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

/// The document around the app, rendered on the server only. Preferences come from
/// cookies so 长辈版 and the language are right in the first byte.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let prefs = provide_prefs();
    crate::security::page_nonce();
    view! {
        <!DOCTYPE html>
        <html lang=prefs.lang.html_code() class=prefs.html_class()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover"/>
                <meta name="theme-color" content="#ededed"/>
                <meta name="format-detection" content="telephone=no"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HydrationScripts options islands=true root=asset_root()/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Where this build's assets are linked from: `/v/<version>`, cached for good (see
/// `ssr::state::Shared::asset_version`).
fn asset_root() -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<crate::ssr::AppState>().map(|state| format!("/v/{}", state.asset_version)).unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    String::new()
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_prefs();
    let login = ServerAction::<Login>::new();
    let register = ServerAction::<Register>::new();
    let logout = ServerAction::<Logout>::new();
    let logout_everywhere = ServerAction::<LogoutEverywhere>::new();
    let profile = ServerAction::<UpdateProfile>::new();
    let me = Resource::new(
        move || (login.version().get(), register.version().get(), logout.version().get(), logout_everywhere.version().get(), profile.version().get()),
        |_| get_me(),
    );
    provide_context(Session { me, login, register, logout, logout_everywhere, profile });

    view! {
        <Stylesheet id="leptos" href=format!("{}/pkg/bianmin.css", asset_root())/>
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                <Route path=path!("/guides") view=GuidesPage ssr=SsrMode::Async/>
                <Route path=path!("/guides/:code") view=GuidePage ssr=SsrMode::Async/>
                <Route path=path!("/guides/:code/print") view=GuidePrintPage ssr=SsrMode::Async/>
                <Route path=path!("/guides/:code/history") view=GuideHistoryPage ssr=SsrMode::Async/>
                <Route path=path!("/public") view=PublicPage ssr=SsrMode::Async/>
                <Route path=path!("/booking") view=BookingPage ssr=SsrMode::Async/>
                <Route path=path!("/bookings/:code") view=BookingDetailPage ssr=SsrMode::Async/>
                <Route path=path!("/queue") view=MyTicketsPage ssr=SsrMode::Async/>
                <Route path=path!("/cases") view=MyCasesPage ssr=SsrMode::Async/>
                <Route path=path!("/cases/new") view=NewCasePage ssr=SsrMode::Async/>
                <Route path=path!("/cases/:number") view=CaseDetailPage ssr=SsrMode::Async/>
                <Route path=path!("/cases/:number/notice") view=NoticePrintPage ssr=SsrMode::Async/>
                <Route path=path!("/track") view=TrackPage ssr=SsrMode::Async/>
                <Route path=path!("/messages") view=MessagesPage ssr=SsrMode::Async/>
                <Route path=path!("/board") view=BoardPage ssr=SsrMode::Async/>
                <Route path=path!("/me") view=MePage ssr=SsrMode::Async/>
                <Route path=path!("/me/profile") view=ProfilePage ssr=SsrMode::Async/>
                <Route path=path!("/me/authorisations") view=MyAuthorisationsPage ssr=SsrMode::Async/>
                <Route path=path!("/me/claim") view=ClaimPage ssr=SsrMode::Async/>
                <Route path=path!("/stations") view=StationsPage ssr=SsrMode::Async/>
                <Route path=path!("/stations/:id") view=StationPage ssr=SsrMode::Async/>
                <Route path=path!("/station") view=DeskPage ssr=SsrMode::Async/>
                <Route path=path!("/station/residents/new") view=RegisterResidentPage ssr=SsrMode::Async/>
                <Route path=path!("/station/residents/:id") view=ResidentDeskPage ssr=SsrMode::Async/>
                <Route path=path!("/station/authorisations/:id") view=PaperPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/stations") view=StaffStationsPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/claims") view=StaffClaimsPage ssr=SsrMode::Async/>
                <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async/>
                <Route path=path!("/register") view=RegisterPage ssr=SsrMode::Async/>
                <Route path=path!("/verify-email") view=VerifyEmailPage ssr=SsrMode::Async/>
                <Route path=path!("/staff") view=StaffHomePage ssr=SsrMode::Async/>
                <Route path=path!("/staff/users") view=StaffUsersPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/cases") view=StaffCasesPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/cases/:number") view=StaffCasePage ssr=SsrMode::Async/>
                <Route path=path!("/staff/ab") view=AbPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/dashboard") view=DashboardPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/dashboard/records") view=FigureRecordsPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/checkin") view=CheckInPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/queue") view=QueuePage ssr=SsrMode::Async/>
                <Route path=path!("/staff/schedules") view=SchedulesPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/items") view=StaffItemsPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/items/new") view=ItemEditPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/items/:code/edit") view=ItemEditPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/items/import/:id") view=ImportPreviewPage ssr=SsrMode::Async/>
                <Route path=path!("/rate/:kind/:key") view=RatePage ssr=SsrMode::Async/>
                <Route path=path!("/feedback") view=MyFeedbackPage ssr=SsrMode::Async/>
                <Route path=path!("/feedback/new") view=NewFeedbackPage ssr=SsrMode::Async/>
                <Route path=path!("/feedback/:number") view=FeedbackDetailPage ssr=SsrMode::Async/>
                <Route path=path!("/opinions") view=OpinionsPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/feedback") view=StaffFeedbackPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/feedback/new") view=StaffFeedbackEntryPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/feedback/:number") view=StaffFeedbackDetailPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/rectifications/:id") view=RectificationPage ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}
