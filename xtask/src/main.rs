//! Project automation: `cargo xtask <serve|test|dist>`.
//!
//! Every command first installs what is missing (the wasm32 target, trunk, wasm-bindgen-cli at
//! exactly the Cargo.lock version, the npm tools in tests/e2e), so a fresh machine with Rust, Node
//! and apt needs nothing else.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{exit, Command};
use std::time::Instant;

const TRUNK_VERSION: &str = "0.21.14";
const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The strict policy `dist/` ships: no inline script, no eval; wasm compilation allowed.
const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'none'";

fn main() {
    let args: Vec<String> = env::args().skip(1).collect();
    let root = project_root();
    env::set_current_dir(&root).expect("cd to the project root");
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(&args[1..]),
        Some("dist") => dist(&args[1..]).map(|_| ()),
        Some("test") => test(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask <command>\n\n  serve               install what is missing, serve with live reload on http://127.0.0.1:8080\n  test                fmt, clippy, model tests, browser component tests, dist, end-to-end tests\n  dist [--public-url /sub/path/] [--dist DIR]\n                      release build into dist/, deployable to any static host"
            );
            exit(2);
        }
    };
    if let Err(e) = result {
        eprintln!("\nxtask: {e}");
        exit(1);
    }
}

type Result<T = ()> = std::result::Result<T, String>;

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn run(cmd: &mut Command) -> Result {
    eprintln!("$ {}", show(cmd));
    let status = cmd.status().map_err(|e| format!("{}: {e}", show(cmd)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", show(cmd)))
    }
}

/// Runs a command, echoing its output, and returns stdout + stderr.
fn run_capture(cmd: &mut Command) -> Result<(bool, String)> {
    eprintln!("$ {}", show(cmd));
    let out = cmd.output().map_err(|e| format!("{}: {e}", show(cmd)))?;
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    print!("{text}");
    Ok((out.status.success(), text))
}

fn show(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

fn output(cmd: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(cmd).args(args).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn cargo_bin(name: &str) -> PathBuf {
    let home = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env::var_os("HOME").unwrap_or_default()).join(".cargo"));
    home.join("bin").join(name)
}

/// The wasm-bindgen version pinned in Cargo.lock.
fn locked_wasm_bindgen() -> Result<String> {
    let lock = fs::read_to_string("Cargo.lock").map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(l) = lines.next() {
        if l == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|v| v.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    Err("wasm-bindgen not found in Cargo.lock".into())
}

/// PATH with tests/e2e/node_modules/.bin (binaryen's wasm-opt 132) and ~/.cargo/bin first.
fn tool_path() -> String {
    let npm_bin = project_root().join("tests/e2e/node_modules/.bin");
    let cargo = cargo_bin("");
    format!("{}:{}:{}", npm_bin.display(), cargo.display(), env::var("PATH").unwrap_or_default())
}

/// Installs the Rust-side tools and the npm packages when they are missing or the wrong version.
fn ensure_tools() -> Result {
    let targets = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if !targets.lines().any(|t| t == "wasm32-unknown-unknown") {
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    let want = locked_wasm_bindgen()?;
    let have = output(cargo_bin("wasm-bindgen").to_str().unwrap(), &["--version"]).unwrap_or_default();
    if !have.ends_with(&want) {
        eprintln!("wasm-bindgen-cli {want} needed (have: {have:?}); installing (about 6 minutes)");
        // Not --locked: its lockfile pins a crate version the registry lacks.
        run(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &want, "--force"]))?;
    }
    let have = output(cargo_bin("trunk").to_str().unwrap(), &["--version"]).unwrap_or_default();
    if !have.ends_with(TRUNK_VERSION) {
        eprintln!("trunk {TRUNK_VERSION} needed (have: {have:?}); installing (about 10 minutes)");
        run(Command::new("cargo")
            .args(["install", "--locked", "trunk", "--version", TRUNK_VERSION, "--force"])
            .env("CARGO_PROFILE_RELEASE_LTO", "false")
            .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16"))?;
    }
    let e2e = project_root().join("tests/e2e");
    let wasm_opt = e2e.join("node_modules/.bin/wasm-opt");
    let pw = e2e.join("node_modules/playwright-core/package.json");
    if !wasm_opt.exists() || !pw.exists() {
        run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&e2e))?;
    }
    Ok(())
}

/// Chromium and chromedriver from Debian's packages (never a downloaded browser).
fn ensure_chromium() -> Result {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return Ok(());
    }
    let cmd = "apt-get update && apt-get install -y --no-install-recommends chromium chromium-driver";
    let root = output("id", &["-u"]).as_deref() == Some("0");
    if !root {
        return Err(format!("Chromium and chromedriver are missing. Install them with:\n  sudo sh -c '{cmd}'"));
    }
    run(Command::new("sh").args(["-c", cmd]).env("DEBIAN_FRONTEND", "noninteractive"))
}

fn serve(args: &[String]) -> Result {
    ensure_tools()?;
    let mut cmd = Command::new(cargo_bin("trunk"));
    cmd.args(["serve", "--address", "127.0.0.1", "--port", "8080"]).args(args).env("PATH", tool_path());
    run(&mut cmd)
}

/// Release build into dist/, then the post-processing that makes it deployable anywhere.
fn dist(args: &[String]) -> Result<PathBuf> {
    ensure_tools()?;
    let mut public_url = "/".to_string();
    let mut out = "dist".to_string();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--public-url" => public_url = it.next().ok_or("--public-url needs a value")?.clone(),
            "--dist" => out = it.next().ok_or("--dist needs a directory")?.clone(),
            other => return Err(format!("unknown dist argument {other}")),
        }
    }
    if !public_url.starts_with('/') {
        public_url.insert(0, '/');
    }
    if !public_url.ends_with('/') {
        public_url.push('/');
    }
    run(Command::new(cargo_bin("trunk"))
        .args(["build", "--release", "--public-url", &public_url, "--dist", &out])
        .env("PATH", tool_path()))?;
    postprocess(Path::new(&out), &public_url)?;
    Ok(PathBuf::from(out))
}

/// Moves Trunk's inline loader into `boot.js` (so the page needs no inline script), adds the
/// Content-Security-Policy, and writes `404.html` for hosts that serve it for unknown paths.
fn postprocess(dist: &Path, public_url: &str) -> Result {
    let index_path = dist.join("index.html");
    let html = fs::read_to_string(&index_path).map_err(|e| format!("{}: {e}", index_path.display()))?;
    let start = html.find("<script type=\"module\">").ok_or("no inline module script in dist/index.html")?;
    let end = html[start..].find("</script>").ok_or("unclosed script")? + start;
    let inline = &html[start + "<script type=\"module\">".len()..end];
    let boot = format!(
        "// Generated by `cargo xtask dist` from Trunk's loader: kept out of index.html so the page\n// runs under a Content-Security-Policy without 'unsafe-inline'.\n{}\n",
        inline.trim()
    );
    fs::write(dist.join("boot.js"), boot).map_err(|e| e.to_string())?;
    let mut out = String::new();
    out.push_str(&html[..start]);
    out.push_str(&format!("<script type=\"module\" src=\"{public_url}boot.js\"></script>"));
    out.push_str(&html[end + "</script>".len()..]);
    let meta = format!("<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\" />\n    ");
    let at = out.find("<meta name=\"viewport\"").ok_or("no viewport meta in index.html")?;
    out.insert_str(at, &meta);
    fs::write(&index_path, &out).map_err(|e| e.to_string())?;
    fs::write(dist.join("404.html"), &out).map_err(|e| e.to_string())?;
    Ok(())
}

/// Totals parsed from test runner output.
#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
}

impl Tally {
    fn add_cargo(&mut self, text: &str) {
        for l in text.lines() {
            // "test result: ok. 22 passed; 0 failed; ..."
            if let Some(rest) = l.trim().strip_prefix("test result: ") {
                for part in rest.split(';') {
                    let words: Vec<_> = part.split_whitespace().collect();
                    if let [.., n, kind] = words.as_slice() {
                        match (*kind, n.parse::<u64>()) {
                            ("passed", Ok(n)) => self.passed += n,
                            ("failed", Ok(n)) => self.failed += n,
                            _ => {}
                        }
                    }
                }
            }
        }
    }
}

fn test(args: &[String]) -> Result {
    let t0 = Instant::now();
    let mut tally = Tally::default();
    let mut failures: Vec<String> = Vec::new();
    let quick = args.iter().any(|a| a == "--no-e2e");
    ensure_tools()?;
    ensure_chromium()?;
    let path = tool_path();

    let mut step = |name: &str, cmd: &mut Command, tally: &mut Tally| -> Result {
        eprintln!("\n== {name}");
        cmd.env("PATH", &path);
        let (ok, text) = run_capture(cmd)?;
        tally.add_cargo(&text);
        if !ok {
            failures.push(name.to_string());
        }
        Ok(())
    };
    step("format", Command::new("cargo").args(["fmt", "--all", "--check"]), &mut tally)?;
    step(
        "clippy (native)",
        Command::new("cargo").args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]),
        &mut tally,
    )?;
    step(
        "clippy (wasm)",
        Command::new("cargo").args([
            "clippy",
            "-p",
            "tradeoffs",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
        &mut tally,
    )?;
    step("invariant: the model crate has no web dependencies", &mut model_is_pure(), &mut tally)?;
    step("model and native unit tests", Command::new("cargo").args(["test", "--workspace"]), &mut tally)?;
    step(
        "component tests (wasm-bindgen-test, headless Chromium)",
        Command::new("cargo")
            .args(["test", "-p", "tradeoffs", "--target", "wasm32-unknown-unknown"])
            .env("CHROMEDRIVER", CHROMEDRIVER)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
        &mut tally,
    )?;
    if !quick {
        eprintln!("\n== release build (dist/, and target/dist-subpath/ for hosting under /tradeoffs/)");
        dist(&[])?;
        dist(&["--public-url".into(), "/tradeoffs/".into(), "--dist".into(), "target/dist-subpath".into()])?;
        eprintln!("\n== end-to-end tests (tests/e2e, headless Chromium)");
        let (ok, text) = run_capture(
            Command::new("node")
                .args(["--test", "--test-reporter=spec", "--test-concurrency=1"])
                .arg("tests/e2e/")
                .env("PATH", &path),
        )?;
        for l in text.lines() {
            let l = l.trim().trim_start_matches('ℹ').trim();
            if let Some(n) = l.strip_prefix("pass ").and_then(|n| n.parse::<u64>().ok()) {
                tally.passed += n;
            }
            if let Some(n) = l.strip_prefix("fail ").and_then(|n| n.parse::<u64>().ok()) {
                tally.failed += n;
            }
        }
        if !ok {
            failures.push("end-to-end tests".into());
        }
    }
    println!("\nTook {:.0} s.", t0.elapsed().as_secs_f64());
    if !failures.is_empty() {
        println!("Failed steps: {}", failures.join(", "));
    }
    println!("{} passed, {} failed", tally.passed, tally.failed);
    if failures.is_empty() && tally.failed == 0 {
        Ok(())
    } else {
        Err("tests failed".into())
    }
}

/// A check that `crates/model` depends on no web crate (the architecture invariant).
fn model_is_pure() -> Command {
    let mut c = Command::new("sh");
    c.args([
        "-c",
        "if cargo tree -p model -e normal --prefix none | grep -E '^(leptos|web-sys|js-sys|wasm-bindgen|plotters|gloo)' ; \
         then echo 'crates/model must not depend on web crates' >&2; exit 1; \
         else echo 'test result: ok. 1 passed; 0 failed'; fi",
    ]);
    c
}
