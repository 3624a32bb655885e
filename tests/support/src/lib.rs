//! Test support shared by the integration tests (`tests/integration`) and the HTTP
//! benchmark (`server/benches/http`): a fresh database per test (a SQLite file or a new
//! PostgreSQL database on the machine's server), the real router driven in-process, and
//! the fixtures several test modules build on, in modules named after where they are used.

pub mod booking;
pub mod cases;
pub mod catalogue;
pub mod queue;
pub mod stations;

use app::ssr::AppState;
use app::ssr::config::Config;
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use sea_orm::{ConnectionTrait, Database};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use tower::ServiceExt;

pub const ORIGIN: &str = "http://127.0.0.1:3000";
pub const PASSWORD: &str = "青山绿水2025";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Declares `mod $name { sqlite, postgres }`: the same test body on both databases.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                $crate::within_limit(concat!(stringify!($name), "::sqlite"), super::$name($crate::Backend::Sqlite)).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                $crate::within_limit(concat!(stringify!($name), "::postgres"), super::$name($crate::Backend::Postgres)).await
            }
        }
    )*};
}

/// Fails a test that runs longer than two minutes, naming it, instead of hanging CI.
pub async fn within_limit(name: &str, test: impl std::future::Future<Output = ()>) {
    if tokio::time::timeout(std::time::Duration::from_secs(120), test).await.is_err() {
        panic!("{name} did not finish within 120 s");
    }
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn pg_admin_url() -> String {
    std::env::var("BIANMIN_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// Drops the per-test PostgreSQL database and the temporary folder.
pub struct Cleanup {
    pub dir: PathBuf,
    pg_database: Option<String>,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        if let Some(name) = self.pg_database.take() {
            // Drop runs outside async context: use a private runtime on its own thread.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
                rt.block_on(async {
                    let admin = Database::connect(pg_admin_url()).await.ok()?;
                    admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await.ok()
                })
            })
            .join();
        }
    }
}

pub struct TestApp {
    pub state: AppState,
    pub router: Router,
    pub database_url: String,
    pub backend: Backend,
    pub _cleanup: Cleanup,
}

/// Where a test's database lives.
pub async fn fresh_database(backend: Backend) -> (String, Cleanup) {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("bianmin-it-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    match backend {
        Backend::Sqlite => {
            let url = format!("sqlite://{}?mode=rwc", dir.join("test.db").display());
            (url, Cleanup { dir, pg_database: None })
        }
        Backend::Postgres => {
            let admin_url = pg_admin_url();
            let admin = Database::connect(&admin_url).await.unwrap_or_else(|e| {
                panic!(
                    "PostgreSQL is not reachable at {admin_url} ({e}). The tests need the real server: \
                     start it, or point BIANMIN_TEST_PG_URL at one. Tests never skip PostgreSQL."
                )
            });
            let name = format!("bm_it_{}_{n}", std::process::id());
            admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await.expect("drop old db");
            admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await.expect("create db");
            let base = admin_url.rsplit_once('/').map(|(b, _)| b.to_owned()).unwrap_or(admin_url.clone());
            (format!("{base}/{name}"), Cleanup { dir, pg_database: Some(name) })
        }
    }
}

pub fn test_config(database_url: &str, data_dir: &std::path::Path, extra: &[(&str, &str)]) -> Config {
    let mut vars: HashMap<String, String> = HashMap::from([
        ("DATABASE_URL".into(), database_url.to_owned()),
        ("BIANMIN_DATA_DIR".into(), data_dir.display().to_string()),
        ("BIANMIN_MAIL".into(), "memory".into()),
        ("BIANMIN_SECRET_KEY".into(), "42".repeat(32)),
        ("BIANMIN_BIND".into(), "127.0.0.1:3000".into()),
        // Every in-process request comes from one address ("local"): tests register
        // many residents. The limit itself is tested with its default.
        ("BIANMIN_REGISTER_PER_HOUR".into(), "100000".into()),
    ]);
    for (k, v) in extra {
        vars.insert((*k).to_owned(), (*v).to_owned());
    }
    Config::from_lookup(|name| vars.get(name).cloned()).expect("test config")
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, &[]).await
}

/// A fresh app with extra configuration variables.
pub async fn spawn_app_with(backend: Backend, extra: &[(&str, &str)]) -> TestApp {
    let (database_url, cleanup) = fresh_database(backend).await;
    let config = test_config(&database_url, &cleanup.dir, extra);
    let options = server::leptos_options(&config);
    let state = server::build_state(config, options).await.expect("state");
    let router = server::build_router(state.clone());
    TestApp { state, router, database_url, backend, _cleanup: cleanup }
}

impl TestApp {
    /// A second app server on the same database (as behind a load balancer).
    pub async fn second_server(&self) -> Router {
        server::build_router(self.second_state().await)
    }

    /// The state of a second app server on the same database.
    pub async fn second_state(&self) -> AppState {
        let config = test_config(&self.database_url, &self._cleanup.dir, &[]);
        let options = server::leptos_options(&config);
        server::build_state(config, options).await.expect("state")
    }

    /// The state of a second app server whose database statements are counted.
    pub async fn counted_state(&self) -> (AppState, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
        let config = test_config(&self.database_url, &self._cleanup.dir, &[]);
        let options = server::leptos_options(&config);
        let mut db = app::ssr::db::connect(&config.database_url).await.expect("connect");
        let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let seen = count.clone();
        db.set_metric_callback(move |_| {
            seen.fetch_add(1, Ordering::SeqCst);
        });
        (server::state_on(db, config, options).expect("state"), count)
    }

    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        send(&self.router, request).await
    }

    /// Runs `work` (a service call) as a request to this server would: the change
    /// counters it bumps are re-read before it returns, so this server's in-memory
    /// copies follow at once (see `app::ssr::freshness`).
    pub async fn as_request<T>(&self, work: impl std::future::Future<Output = T>) -> T {
        let (output, bumped) = app::ssr::freshness::recording(work).await;
        self.state.watches.changed_here(&self.state.db, &bumped).await;
        output
    }

    /// Calls a server function the way the hydrated app does (JSON answer).
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)], cookie: Option<&str>) -> TestResponse {
        self.send(server_fn_request(endpoint, form, cookie)).await
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> TestResponse {
        let mut builder = Request::get(path);
        if let Some(cookie) = cookie {
            builder = builder.header(header::COOKIE, cookie);
        }
        self.send(builder.body(Body::empty()).expect("request")).await
    }

    /// Registers a resident and returns the session cookie.
    pub async fn register(&self, phone: &str) -> String {
        let res = self.call("register", &[("phone", phone), ("password", PASSWORD), ("email", ""), ("name", "王秀兰")], None).await;
        assert_eq!(res.status, StatusCode::OK, "register {phone}: {}", res.body);
        res.session_cookie().expect("session cookie")
    }

    /// Creates an account of any role directly and logs it in.
    pub async fn user_with_role(&self, phone: &str, role: app::domain::Role) -> String {
        use app::domain::{Password, PersonName, PhoneNumber};
        let station_id = if role == app::domain::Role::Helper { Some(self.station().await) } else { None };
        let new = app::accounts::service::NewUser {
            phone: PhoneNumber::parse(phone).expect("phone"),
            password: Password::parse(PASSWORD, None).expect("password"),
            name: Some(PersonName::parse("测试人员").expect("name")),
            email: None,
            role,
            station_id,
        };
        app::accounts::service::create_user(&self.state.db, new, None).await.expect("create user");
        self.login(phone, PASSWORD).await.session_cookie().expect("logged in")
    }

    pub async fn login(&self, phone: &str, password: &str) -> TestResponse {
        self.call("login", &[("phone", phone), ("password", password), ("next", "/me")], None).await
    }

    /// Logs in from client address `addr` (needs `BIANMIN_TRUST_PROXY=true`).
    pub async fn login_from(&self, phone: &str, password: &str, addr: &str) -> TestResponse {
        let mut request = server_fn_request("login", &[("phone", phone), ("password", password), ("next", "/me")], None);
        request.headers_mut().insert("x-forwarded-for", addr.parse().expect("address header"));
        self.send(request).await
    }

    /// A station to attach helpers to.
    pub async fn station(&self) -> i32 {
        use app::ssr::entities::station;
        use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
        if let Some(s) = station::Entity::find().one(&self.state.db).await.expect("query") {
            return s.id;
        }
        station::ActiveModel {
            name: Set("东山村便民服务站".into()), address: Set("东山村".into()), created_at: Set(chrono::Utc::now()), ..Default::default()
        }
        .insert(&self.state.db)
        .await
        .expect("station")
        .id
    }

    pub async fn count(&self, table: &str) -> i64 {
        use sea_orm::{FromQueryResult, Statement};
        #[derive(FromQueryResult)]
        struct Count {
            n: i64,
        }
        let backend = self.state.db.get_database_backend();
        Count::find_by_statement(Statement::from_string(backend, format!("SELECT COUNT(*) AS n FROM {table}")))
            .one(&self.state.db)
            .await
            .expect("count")
            .map(|c| c.n)
            .unwrap_or(0)
    }
}

pub fn server_fn_request(endpoint: &str, form: &[(&str, &str)], cookie: Option<&str>) -> Request<Body> {
    let body = form_urlencode(form);
    let mut builder = Request::post(format!("/api/{endpoint}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header(header::ORIGIN, ORIGIN);
    if let Some(cookie) = cookie {
        builder = builder.header(header::COOKIE, cookie);
    }
    builder.body(Body::from(body)).expect("request")
}

/// A browser's multipart form post of one file in field `file`.
pub fn multipart_upload(path: &str, file_name: &str, bytes: &[u8], cookie: &str) -> Request<Body> {
    let boundary = "----bianmin-test-boundary";
    let mut body =
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    Request::post(path)
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .header(header::CONTENT_LENGTH, body.len())
        .header(header::ORIGIN, ORIGIN)
        .header(header::COOKIE, cookie)
        .body(Body::from(body))
        .expect("request")
}

pub fn form_urlencode(form: &[(&str, &str)]) -> String {
    form.iter().map(|(k, v)| format!("{}={}", server::routes::encode(k), server::routes::encode(v))).collect::<Vec<_>>().join("&")
}

pub async fn send(router: &Router, request: Request<Body>) -> TestResponse {
    let path = request.uri().to_string();
    let limit = std::time::Duration::from_secs(60);
    let response =
        tokio::time::timeout(limit, router.clone().oneshot(request)).await.unwrap_or_else(|_| panic!("{path}: no response within 60 s")).expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = tokio::time::timeout(limit, response.into_body().collect())
        .await
        .unwrap_or_else(|_| panic!("{path}: body not finished within 60 s"))
        .expect("body")
        .to_bytes();
    TestResponse { status, headers, body: String::from_utf8_lossy(&bytes).into_owned(), raw: bytes.to_vec() }
}

#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    pub raw: Vec<u8>,
}

impl TestResponse {
    pub fn set_cookies(&self) -> Vec<String> {
        self.headers.get_all(header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok().map(str::to_owned)).collect()
    }

    /// `bm_session=...` as a `Cookie` header value, if the response set one.
    pub fn session_cookie(&self) -> Option<String> {
        self.set_cookies()
            .into_iter()
            .filter_map(|c| c.split(';').next().map(str::to_owned))
            .find(|c| c.starts_with("bm_session=") && c.len() > "bm_session=".len())
    }

    /// The typed error of a failed server function (`{"error": …, "message": …}`).
    pub fn app_error(&self) -> app::error::AppError {
        #[derive(serde::Deserialize)]
        struct Wire {
            error: app::error::AppError,
        }
        serde_json::from_str::<Wire>(&self.body).map(|w| w.error).unwrap_or_else(|e| panic!("not an AppError ({e}): {} {}", self.status, self.body))
    }

    /// The Chinese message an error response carries for anyone reading it.
    pub fn message(&self) -> String {
        serde_json::from_str::<serde_json::Value>(&self.body).ok().and_then(|v| v.get("message")?.as_str().map(str::to_owned)).unwrap_or_default()
    }

    pub fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("bad JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// The refusals a form redirect carried in its `param` value (see `app::i18n::to_query`),
/// in Chinese; empty when there are none.
pub fn refusal_in(location: &str, param: &str) -> String {
    let value = location.split_once(&format!("{param}=")).map_or("", |(_, v)| v.split(['&', '#']).next().unwrap_or_default()).as_bytes();
    let mut decoded = Vec::with_capacity(value.len());
    let mut i = 0;
    while i < value.len() {
        let escaped = value.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u8::from_str_radix(h, 16).ok());
        match (value[i], escaped) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                i += 3;
            }
            (byte, _) => {
                decoded.push(byte);
                i += 1;
            }
        }
    }
    let query = String::from_utf8(decoded).unwrap_or_default();
    app::i18n::from_query(&query).map(|reasons| app::i18n::join_reasons(&reasons, app::i18n::Lang::Zh)).unwrap_or_default()
}

/// A user row put straight into the database (no password that can log in): for
/// fixtures that need many people fast.
pub async fn insert_user(db: &impl ConnectionTrait, phone: &str, name: Option<&str>, role: app::domain::Role) -> i32 {
    use app::ssr::entities::user;
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let now = chrono::Utc::now();
    user::ActiveModel {
        phone: Set(phone.into()),
        password_hash: Set("unusable".into()),
        name: Set(name.map(str::to_owned)),
        role: Set(role),
        lang: Set("zh".into()),
        elder_mode: Set(false),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("user")
    .id
}
