//! The `server` binary's subcommands, run as a real process.

use crate::helpers::*;
use app::domain::Role;
use tokio::process::Command;

fn server(database_url: &str, data_dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_server"));
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", database_url)
        .env("BIANMIN_DATA_DIR", data_dir)
        .env("BIANMIN_MAIL", "memory")
        .env("RUST_LOG", "error");
    cmd
}

#[tokio::test]
async fn create_user_makes_the_first_chief_who_can_log_in() {
    crate::helpers::within_limit("create_user_makes_the_first_chief_who_can_log_in", async {
        let (url, cleanup) = fresh_database(Backend::Sqlite).await;
        let dir = std::env::temp_dir().join(format!("bianmin-cli-{}", std::process::id()));
        let out = server(&url, &dir).arg("migrate").output().await.expect("run");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

        let out = server(&url, &dir)
            .args(["create-user", "--role", "chief", "--phone", "13900000000", "--name", "刘志强"])
            .env("BIANMIN_NEW_PASSWORD", PASSWORD)
            .output()
            .await
            .expect("run");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).contains("created chief account 13900000000"));

        // A bad phone number is refused with the Chinese reason and a failing exit code.
        let out = server(&url, &dir)
            .args(["create-user", "--role", "chief", "--phone", "12345", "--name", "刘志强"])
            .env("BIANMIN_NEW_PASSWORD", PASSWORD)
            .output()
            .await
            .expect("run");
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("请输入正确的11位手机号"));

        // The same database through the app: the chief logs in and reaches the console.
        let config = test_config(&url, &dir, &[]);
        let options = server::leptos_options(&config);
        let state = server::build_state(config, options).await.expect("state");
        let app = TestApp { state: state.clone(), router: server::build_router(state), database_url: url, backend: Backend::Sqlite, _cleanup: cleanup };
        let cookie = app.login("13900000000", PASSWORD).await.session_cookie().expect("login");
        let me: Option<app::accounts::Me> = app.call("me", &[], Some(&cookie)).await.json();
        assert_eq!(me.expect("me").role, Role::Chief);
        let _ = std::fs::remove_dir_all(dir);
    })
    .await
}

#[tokio::test]
async fn production_without_a_secret_refuses_to_start() {
    let dir = std::env::temp_dir().join(format!("bianmin-cli-prod-{}", std::process::id()));
    let out = server("sqlite::memory:", &dir).env("BIANMIN_ENV", "production").arg("migrate").output().await.expect("run");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("BIANMIN_SECRET_KEY is required in production"), "{stderr}");
    let _ = std::fs::remove_dir_all(dir);
}
