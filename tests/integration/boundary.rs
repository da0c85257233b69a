/// Server-only crates never reach the WASM: the dependency tree of the hydrate build holds none.
#[test]
fn the_hydrate_build_holds_no_server_crate() {
    let output = std::process::Command::new(env!("CARGO"))
        .args([
            "tree",
            "-p",
            "app",
            "--target",
            "wasm32-unknown-unknown",
            "--no-default-features",
            "--features",
            "hydrate",
            "-e",
            "normal",
            "--prefix",
            "none",
        ])
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .expect("cargo tree runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let tree = String::from_utf8_lossy(&output.stdout);
    assert!(tree.contains("leptos v"), "the tree was read: {tree}");
    for forbidden in [
        "sqlx",
        "tokio ",
        "typst",
        "backend",
        "server ",
        "axum",
        "argon2",
        "leptos_axum",
        "chrono-tz",
    ] {
        let found: Vec<&str> = tree.lines().filter(|l| l.starts_with(forbidden)).collect();
        assert!(found.is_empty(), "{forbidden} reaches the WASM: {found:?}");
    }
}
