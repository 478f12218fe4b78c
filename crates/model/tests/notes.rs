//! Decision notes, per widget: built from the defaults, every preset and a clamped link; each says
//! the question, the settings, the verdict and key numbers (the readouts the widget shows), the
//! run so far for simulations, the dated assumptions, the sources and the link.

mod common;
use common::{assert_same_keys, check_note, note_states};
use model::note::{display, run_lines};
use model::spec::State;

#[test]
fn scaling_cost() {
    let spec = &model::scaling::SCALING_COST;
    let mut all = Vec::new();
    for (what, st, repairs) in note_states(spec) {
        let f = model::scaling::cost_facts(&model::scaling::analyse(&model::scaling::scaling_params(&st)));
        let md = check_note(spec, &st, &repairs, &f);
        assert!(md.contains("| Target load | "), "{what}");
        all.push(f);
    }
    assert_same_keys(spec.name, &all);
    let f = &all[0];
    let md = check_note(spec, &spec.defaults(), &[], f);
    assert!(md.contains("| Target load | 8,000 req/s |\n"), "{md}");
    assert!(md.contains("| Price per vCPU-hour | $0.045 |"), "{md}");
    assert!(md.contains("(as of November 2026)"), "{md}");
}

#[test]
fn a_clamped_link_says_what_was_repaired() {
    let spec = &model::scaling::SCALING_COST;
    let (st, repairs) = spec.parse_query("load=9999999&alpha=abc");
    assert_eq!(repairs.len(), 2, "{repairs:?}");
    let f = model::scaling::cost_facts(&model::scaling::analyse(&model::scaling::scaling_params(&st)));
    let md = check_note(spec, &st, &repairs, &f);
    assert!(md.contains("Settings repaired when the link was opened: “load”"), "{md}");
    assert!(md.contains("| Target load | 200,000 req/s |"), "{md}");
}

#[test]
fn settings_show_units_options_and_toggles() {
    let spec = &model::retry::RETRY_STORM;
    for (i, p) in spec.params.iter().enumerate() {
        let v = display(p, spec.defaults().at(i));
        assert!(!v.is_empty(), "{}", p.key);
        if !p.unit.is_empty() {
            assert!(v.contains(p.unit.trim_start_matches('%')) || v.contains('%'), "{} {v}", p.key);
        }
    }
}

#[test]
fn run_lines_word_settings_from_the_spec() {
    let spec = &model::retry::RETRY_STORM;
    let st = State { log: vec![(2_000_000, "outage".into()), (12_500_000, "set.budget.10".into())], ..spec.defaults() };
    let lines = run_lines(spec, &st, &|a| format!("pressed {a}"));
    assert_eq!(lines[0], "at 2 s: pressed outage");
    assert!(lines[1].starts_with("at 13 s: ") && lines[1].ends_with(" set to 10% of requests"), "{lines:?}");
}

#[test]
fn markdown_escapes_what_would_break_it() {
    let spec = &model::scaling::SCALING_COST;
    let f = model::note::Facts {
        verdict: "a | b *c* [d]".into(),
        readouts: vec![model::note::Readout::new("x", "A_b", "1 | 2")],
        run: vec![],
    };
    let st = spec.defaults();
    let n = model::note::DecisionNote { spec, state: &st, repairs: &[], link: "https://e.org/?a=1", facts: &f };
    let md = n.markdown();
    assert!(md.contains("a \\| b \\*c\\* \\[d\\]"), "{md}");
    assert!(md.contains("- A\\_b: 1 \\| 2"), "{md}");
    assert!(n.plain().contains("a | b *c* [d]"));
}

#[test]
fn the_settings_table_shows_a_run_s_settings_now() {
    let spec = &model::retry::RETRY_STORM;
    let st = State { log: vec![(2_000_000, "set.budget.10".into())], at_us: 5_000_000, ..spec.defaults() };
    let f = model::note::Facts { verdict: "v".into(), readouts: vec![], run: vec![] };
    let n = model::note::DecisionNote { spec, state: &st, repairs: &[], link: "x", facts: &f };
    let budget = n.settings().into_iter().find(|(l, _)| l.contains("budget")).expect("a budget setting").1;
    assert_eq!(budget, "10% of requests");
}
