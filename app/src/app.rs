//! The application root: the HTML shell, the router and the session.

use crate::accounts::pages::{LoginPage, MePage, ProfilePage, RegisterPage, VerifyEmailPage};
use crate::accounts::{Login, Logout, LogoutEverywhere, Me, Register, UpdateProfile, get_me};
use crate::error::AppError;
use crate::guides::pages::{GuideHistoryPage, GuidePage, GuidePrintPage, GuidesPage, PublicPage};
use crate::guides::staff_pages::{ImportPreviewPage, ItemEditPage, StaffItemsPage};
use crate::booking::pages::{BookingDetailPage, BookingPage};
use crate::cases::pages::{CaseDetailPage, MessagesPage, MyCasesPage, NewCasePage, NoticePrintPage, TrackPage};
use crate::cases::staff_pages::{AbPage, StaffCasePage, StaffCasesPage};
use crate::feedback::pages::{FeedbackDetailPage, MyFeedbackPage, NewFeedbackPage, OpinionsPage, RatePage};
use crate::feedback::staff_pages::{RectificationPage, StaffFeedbackDetailPage, StaffFeedbackEntryPage, StaffFeedbackPage};
use crate::pages::{HomePage, NotFound};
use crate::queue::pages::{BoardPage, CheckInPage, MyTicketsPage, QueuePage};
use crate::booking::schedule_pages::SchedulesPage;
use crate::prefs::provide_prefs;
use crate::staff::pages::{StaffHomePage, StaffUsersPage};
use crate::stations::pages::{ClaimPage, MyAuthorisationsPage, StaffClaimsPage, StaffStationsPage, StationPage, StationsPage};
use crate::assist::pages::{DeskPage, PaperPage, RegisterResidentPage, ResidentDeskPage};
use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

/// The document around the app, rendered on the server only. Preferences come from
/// cookies so 长辈版 and the language are right in the first byte.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let prefs = provide_prefs();
    security::page_nonce();
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

/// The signed-in user and the actions that change who that is.
#[derive(Clone, Copy)]
pub struct Session {
    pub me: Resource<Result<Option<Me>, AppError>>,
    pub login: ServerAction<Login>,
    pub register: ServerAction<Register>,
    pub logout: ServerAction<Logout>,
    pub logout_everywhere: ServerAction<LogoutEverywhere>,
    pub profile: ServerAction<UpdateProfile>,
}

pub fn use_session() -> Session {
    expect_context::<Session>()
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
        move || {
            (login.version().get(), register.version().get(), logout.version().get(), logout_everywhere.version().get(), profile.version().get())
        },
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

/// Content-Security-Policy with a per-response nonce for the inline hydration script.
pub mod security {
    /// `target` if following it as a redirect stays on this site, else `None`.
    ///
    /// A browser resolves a redirect against the current origin after dropping tabs
    /// and newlines and reading `\\` as `/`: `/\t/evil.example` becomes
    /// `//evil.example`, another site. So a target must be a path that starts with one
    /// `/`, followed by neither `/` nor `\\`, and contain no whitespace, control
    /// character or backslash anywhere; every other form (schemes, `//host`, relative
    /// paths) is refused rather than repaired.
    pub fn same_site_path(target: &str) -> Option<&str> {
        let mut chars = target.chars();
        let starts_right = chars.next() == Some('/') && !matches!(chars.next(), Some('/' | '\\'));
        let clean = !target.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\' || c == '\u{feff}');
        (starts_right && clean && target.len() <= 2048).then_some(target)
    }

    /// Whether a request is for a guide page as every visitor sees it: a GET of
    /// `/guides` or below without a session cookie. Those pages are cached whole (see
    /// `server/src/page_cache.rs`) without their nonce: their CSP lists the hashes of
    /// their inline scripts instead.
    #[cfg(feature = "ssr")]
    pub fn is_shared_page(method: &axum::http::Method, path: &str, headers: &axum::http::HeaderMap) -> bool {
        let guides = path == "/guides" || path.starts_with("/guides/");
        let signed_in = headers
            .get_all(axum::http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .any(|pair| pair.trim().starts_with(crate::ssr::auth::SESSION_COOKIE));
        method == axum::http::Method::GET && guides && !signed_in
    }

    /// Creates the nonce for this page and sends the matching CSP header.
    #[cfg(feature = "ssr")]
    pub fn page_nonce() -> Option<String> {
        use leptos::nonce::{provide_nonce, use_nonce};
        use leptos::prelude::use_context;
        provide_nonce();
        let nonce = use_nonce().map(|n| n.to_string())?;
        if let (Some(options), Ok(value)) = (
            use_context::<leptos_axum::ResponseOptions>(),
            axum::http::HeaderValue::from_str(&csp(Some(&nonce))),
        ) {
            options.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, value);
        }
        Some(nonce)
    }

    #[cfg(not(feature = "ssr"))]
    pub fn page_nonce() -> Option<String> {
        None
    }

    /// The policy: only this origin, scripts only with the page's nonce (and WASM).
    pub fn csp(nonce: Option<&str>) -> String {
        csp_allowing(&nonce.map(|n| format!("'nonce-{n}'")).unwrap_or_default())
    }

    /// The policy with the inline scripts allowed by `sources` (a nonce or hashes).
    pub fn csp_allowing(sources: &str) -> String {
        let script = if sources.is_empty() { "'self' 'wasm-unsafe-eval'".to_owned() } else { format!("'self' {sources} 'wasm-unsafe-eval'") };
        format!(
            "default-src 'self'; script-src {script}; style-src 'self' 'unsafe-inline'; \
             img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; \
             base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::security::same_site_path;

    #[test]
    fn redirect_targets_stay_on_this_site() {
        for good in ["/", "/me", "/staff/cases?filter=overdue", "/feedback/new?restore=1#form", "/guides/SB-004", "/a/%2F%2Fevil.example"] {
            assert_eq!(same_site_path(good), Some(good), "{good:?}");
        }
        let tricks = [
            "", "me", "//evil.example", "///evil.example", "/\\evil.example", "\\\\evil.example", "/\t/evil.example", "/\n/evil.example",
            "/\r/evil.example", "\t//evil.example", " /evil", "/ /evil", "/%09/evil.example\t", "https://evil.example", "http:/evil.example",
            "javascript:alert(1)", "data:text/html,x", "/\u{0}/evil", "/\u{7f}", "/\u{3000}/evil", "/\u{a0}evil", "/\u{feff}/evil", "/a\\b",
            "//", "/\\", "mailto:a@b.c", "//evil.example/%2F..",
        ];
        for trick in tricks {
            assert_eq!(same_site_path(trick), None, "{trick:?}");
        }
        assert_eq!(same_site_path(&format!("/{}", "a".repeat(4096))), None, "absurdly long");
    }
}
