//! What the model tests share. Each test file that needs it declares `mod common;`.

#![allow(dead_code)] // each test binary uses its own part

/// Whether `got` is within `rel` of `want`, relative to the larger of the two (at least 1e-12,
/// so two zeros are close).
pub fn close(got: f64, want: f64, rel: f64) -> bool {
    (got - want).abs() <= rel * got.abs().max(want.abs()).max(1e-12)
}

/// Asserts `got` is within `tol` of `want` (absolute), naming `what` if not.
pub fn assert_close(got: f64, want: f64, tol: f64, what: &str) {
    assert!((got - want).abs() <= tol, "{what}: got {got}, want {want} ± {tol}");
}

/// Checks a widget's decision note for `state` (opened with `repairs`) against what it must say:
/// the question, every setting that applies with its value, the verdict, every readout, the run,
/// the assumptions with their dates, the sources and the link, in both Markdown and plain text.
/// Returns the Markdown for further checks.
pub fn check_note(
    spec: &model::spec::WidgetSpec,
    state: &model::spec::State,
    repairs: &[model::spec::Note],
    facts: &model::note::Facts,
) -> String {
    use model::note::DecisionNote;
    let link = format!("https://example.org/articles/x/?slot=0&{}#w0", spec.to_query(state));
    let note = DecisionNote { spec, state, repairs, link: &link, facts };
    let (md, plain) = (note.markdown(), note.plain());
    let name = spec.name;
    let about = &spec.about;
    assert!(about.question.ends_with('?'), "{name}: the question is a question");
    assert!(!about.sources.is_empty(), "{name}: a note names its sources");
    for s in about.sources {
        assert!(s.contains(" (") || s.contains(", "), "{name}: a source names author, title and year: {s}");
        assert!(s.chars().filter(char::is_ascii_digit).count() >= 4, "{name}: a source has its year: {s}");
    }
    assert!(!facts.verdict.is_empty(), "{name}: a verdict");
    assert!(facts.readouts.len() >= 2, "{name}: key numbers");
    for text in [&md, &plain] {
        assert!(text.contains(&link), "{name}: the exact-state link");
        for r in &facts.readouts {
            assert!(!r.value.is_empty() && !r.value.contains("NaN") && !r.value.contains("inf"), "{name}: {r:?}");
            assert!(text.contains(&r.label), "{name}: readout {}", r.label);
        }
        for line in &facts.run {
            assert!(line.starts_with("at "), "{name}: a run line starts with its time: {line}");
        }
        for (label, value) in note.settings() {
            assert!(!value.is_empty() && !value.contains("NaN"), "{name}: setting {label} = {value:?}");
        }
        for r in repairs {
            // (The Markdown escapes a key's underscores: `preset\_b`.)
            let escaped = r.key.replace('_', "\\_");
            assert!(text.contains(&r.key) || text.contains(&escaped), "{name}: the repair of {}", r.key);
        }
        for (_, date) in about.assumptions {
            assert!(text.contains(date), "{name}: assumption date {date}");
        }
    }
    // The Markdown escapes what would break its table or turn into formatting.
    assert!(md.contains("| Setting | Value |"), "{name}");
    assert!(
        plain.contains(about.question) && plain.contains(facts.verdict.as_str()),
        "{name}: plain text says it as is"
    );
    md
}

/// The states a widget's note is checked in: the defaults, each preset, and a link with values
/// far out of range (repaired by clamping, with notes).
pub fn note_states(spec: &model::spec::WidgetSpec) -> Vec<(String, model::spec::State, Vec<model::spec::Note>)> {
    let mut out = vec![("defaults".to_owned(), spec.defaults(), Vec::new())];
    for (name, _) in spec.presets {
        let (st, notes) = spec.parse_query(&format!("preset={name}"));
        out.push((format!("preset {name}"), st, notes));
    }
    let hostile: Vec<String> = spec.params.iter().map(|p| format!("{}=1e300", p.key)).collect();
    let (st, notes) = spec.parse_query(&hostile.join("&"));
    assert!(!notes.is_empty(), "{}: a hostile link is repaired with notes", spec.name);
    out.push(("clamped link".to_owned(), st, notes));
    out
}

/// Asserts every state gives the same readout keys in the same order (the page lays them out once).
pub fn assert_same_keys(name: &str, all: &[model::note::Facts]) {
    let keys = |f: &model::note::Facts| f.readouts.iter().map(|r| r.key).collect::<Vec<_>>();
    for f in all {
        assert_eq!(keys(f), keys(&all[0]), "{name}: readout keys differ between states");
    }
}
