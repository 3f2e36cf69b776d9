//! The examples in docs/examples/*.md are tests: each `$ followup …` line runs the real binary
//! on the demo folder (examples/demo) with today pinned to 2026-11-26, and its output must match
//! the text under it. Regenerate with `TRYCMD=overwrite cargo test --test examples`, then read
//! every changed line before committing.

#[test]
fn docs_examples() {
    let demo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo");
    trycmd::TestCases::new()
        .register_bin(
            "followup",
            std::path::PathBuf::from(env!("CARGO_BIN_EXE_followup")),
        )
        .env("FOLLOWUP_DIR", demo.display().to_string())
        .env("FOLLOWUP_TODAY", "2026-11-26")
        .env("NO_COLOR", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        // The demo as a team's folder outside git: in this repository's own clone `check`
        // would rightly warn that no merge driver is registered (merge-driver-missing).
        // The same for the fixture with problems (tests/fixtures/check).
        .env(
            "GIT_CEILING_DIRECTORIES",
            format!(
                "{}:{}",
                demo.parent().unwrap().display(),
                demo.parent()
                    .unwrap()
                    .with_file_name("tests")
                    .join("fixtures")
                    .display()
            ),
        )
        .case("docs/examples/*.md");
}
