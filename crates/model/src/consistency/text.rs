//! What the reader reads: node names, operations, the verdict line, and the decision note's
//! facts (the widget draws its cluster; the note says the same in words).

use super::history::{client_name, Op, OpKind, Outcome};
use super::linearizability::Verdict;
use super::params::{tour_steps, Action, Mode, PARTITION_TOGGLES};
use super::sim::ClusterSnapshot;
use crate::des::{Micros, SEC};
use crate::fmt::{fixed, grouped, plural};
use crate::note::{Facts, Readout};

/// A simulated time as the widget writes it: "1.25 s".
pub fn time_text(t: Micros) -> String {
    format!("{} s", fixed(t as f64 / SEC as f64, 2))
}

/// Node `node`'s name: "R0" for a replica, "client A" for a client (`replicas` replicas).
pub fn node_label(replicas: usize, node: u32) -> String {
    if (node as usize) < replicas {
        format!("R{node}")
    } else {
        format!("client {}", client_name(node - replicas as u32))
    }
}

/// A register's values: "3", siblings "2 | 3", "0" when never written.
pub fn values_text(values: &[u32]) -> String {
    if values.is_empty() {
        return "0".into();
    }
    values.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(" | ")
}

/// An operation as the history labels it: "w1", "w2 ✕", "r→3", "r ✕", "r…".
pub fn op_label(op: &Op) -> String {
    match (&op.kind, &op.outcome) {
        (OpKind::Write(v), Outcome::Err(_)) => format!("w{v} ✕"),
        (OpKind::Write(v), _) => format!("w{v}"),
        (OpKind::Read, Outcome::Ok(vals)) => format!("r→{}", values_text(vals)),
        (OpKind::Read, Outcome::Err(_)) => "r ✕".into(),
        (OpKind::Read, Outcome::Pending) => "r…".into(),
    }
}

/// The verdict line, from the checker and the anomaly reports, with its tone ("ok", "warn",
/// "bad").
pub fn verdict_text(s: &ClusterSnapshot) -> (String, &'static str) {
    if let Verdict::Violation { explanation, .. } = &s.verdict {
        // The checker's explanation says "Not linearizable: …" itself.
        let text = if explanation.starts_with("Not linearizable") {
            explanation.clone()
        } else {
            format!("Not linearizable: {explanation}")
        };
        return (text, "bad");
    }
    if let Some(&id) = s.stale_reads.first() {
        let op = &s.history[id as usize];
        return (format!("Stale read by client {} at t = {}", client_name(op.client), time_text(op.invoke)), "bad");
    }
    if let Some(&id) = s.lost_writes.first() {
        let op = &s.history[id as usize];
        return (format!("Acknowledged write lost: client {}'s {}", client_name(op.client), op_label(op)), "bad");
    }
    if let Some(op) = s.history.iter().rev().find(|o| matches!(o.outcome, Outcome::Err(_))) {
        if let Outcome::Err(why) = &op.outcome {
            let what = if matches!(op.kind, OpKind::Write(_)) { "write" } else { "read" };
            return (
                format!("Linearizable so far. Last refusal: {what} by client {}: {why}", client_name(op.client)),
                "warn",
            );
        }
    }
    match s.verdict {
        Verdict::Unknown { ref reason } => (format!("Could not decide: {reason}"), "warn"),
        _ if s.history.is_empty() => ("No operations yet: make a client write or read.".into(), "ok"),
        _ => ("Linearizable so far: every read saw the latest acknowledged write.".into(), "ok"),
    }
}

/// A reader's action (a run-log code) in words: "client A writes 1", "link R0–R1 cut".
fn action_text(replicas: usize, code: &str) -> String {
    let name = |n: u32| node_label(replicas, n);
    match Action::parse(code) {
        Some(Action::Write { client, value }) => format!("client {} writes {value}", client_name(client)),
        Some(Action::Read { client }) => format!("client {} reads", client_name(client)),
        Some(Action::Partition(side)) => {
            let side: Vec<String> = side.iter().map(|&n| name(n)).collect();
            format!("partition: {{{}}} cut off from the rest", side.join(", "))
        }
        Some(Action::HealAll) => "all links healed".into(),
        Some(Action::Failover) => "failover requested".into(),
        Some(Action::Cut(a, b)) => format!("link {}–{} cut", name(a), name(b)),
        Some(Action::Heal(a, b)) => format!("link {}–{} healed", name(a), name(b)),
        None if code == "tour" => "the tour started (this mode's scripted scenario)".into(),
        None => code.into(),
    }
}

/// What the cluster looks like now, in words (the picture's key numbers; the same list in every
/// state).
pub fn partition_readouts(s: &ClusterSnapshot) -> Vec<Readout> {
    let n = s.replicas.len();
    let leader = match (s.mode, s.leader) {
        (Mode::Ap, _) => "none: leaderless".to_string(),
        (_, None) => "none".to_string(),
        (mode, Some(l)) => {
            let term = s.replicas.get(l as usize).map_or(0, |r| r.term);
            format!("R{l} ({} {term})", if mode == Mode::Cp { "term" } else { "epoch" })
        }
    };
    let replicas: Vec<String> = s
        .replicas
        .iter()
        .map(|r| {
            let vals: Vec<u32> = r.values.iter().map(|v| v.value).collect();
            let side = if r.in_majority { "" } else { ", minority side" };
            format!("R{} {} = {}{side}", r.id, r.role.name(), values_text(&vals))
        })
        .collect();
    let cut: Vec<String> =
        s.cut_links.iter().map(|&(a, b)| format!("{}–{}", node_label(n, a), node_label(n, b))).collect();
    let count = |f: &dyn Fn(&Op) -> bool| s.history.iter().filter(|o| f(o)).count() as f64;
    let writes = count(&|o| matches!(o.kind, OpKind::Write(_)));
    let refused = count(&|o| matches!(o.outcome, Outcome::Err(_)));
    let pending = count(&|o| o.outcome == Outcome::Pending);
    let ops = format!(
        "{} ({}, {}); {} refused or timed out, {} pending",
        grouped(s.history.len() as f64),
        plural(writes, "write", "writes"),
        plural(s.history.len() as f64 - writes, "read", "reads"),
        grouped(refused),
        grouped(pending)
    );
    vec![
        Readout::new("time", "Simulated time", time_text(s.now)),
        Readout::new("leader", "Leader or primary", leader),
        Readout::new("replicas", "Replicas", replicas.join("; ")).wide(),
        Readout::new("cut", "Cut links", if cut.is_empty() { "none".into() } else { cut.join(", ") }).wide(),
        Readout::new("ops", "Operations", ops).wide(),
        Readout::new("final", "The register once the cluster settles", values_text(&s.final_values)),
        Readout::new("dropped", "Messages dropped on cut links", grouped(s.dropped as f64)),
    ]
}

/// The decision note's facts for a partition-toggles run from `seed`, with the reader's actions
/// `log` (run-log codes; "tour" at 0 plays this mode's tour): the verdict line, the cluster in
/// words, and the run: its start, every action (the tour's steps too) and every answer a client
/// got, at their times.
pub fn partition_toggles_facts(s: &ClusterSnapshot, seed: u64, log: &[(u64, String)]) -> Facts {
    let n = s.replicas.len();
    let mut actions: Vec<(u64, String)> = Vec::with_capacity(log.len());
    for (t, code) in log {
        actions.push((*t, code.clone()));
        if code == "tour" {
            let steps = tour_steps(s.mode).into_iter().filter(|st| st.at <= s.now);
            actions.extend(steps.map(|st| (st.at, st.action.code())));
        }
    }
    crate::num::sort::short_stable_by_key(&mut actions, |a| a.0);
    let answers = s.history.iter().filter_map(|op| {
        let done = op.complete?;
        let who = format!(
            "client {}'s {}",
            client_name(op.client),
            match op.kind {
                OpKind::Write(v) => format!("write {v}"),
                OpKind::Read => "read".into(),
            }
        );
        let what = match &op.outcome {
            Outcome::Ok(_) if matches!(op.kind, OpKind::Write(_)) => format!("{who} acknowledged"),
            Outcome::Ok(vals) if vals.len() > 1 => format!("{who} returned siblings {}", values_text(vals)),
            Outcome::Ok(vals) => format!("{who} returned {}", values_text(vals)),
            Outcome::Err(why) => format!("{who} refused: {why}"),
            Outcome::Pending => return None,
        };
        Some((done, what))
    });
    let describe = |code: &str| action_text(n, code);
    let started = format!("started with the settings above, seed {seed}");
    let (verdict, _) = verdict_text(s);
    let pending = s.history.iter().filter(|o| o.outcome == Outcome::Pending).count();
    let waiting = match pending {
        0 => "no client is waiting for an answer".to_string(),
        n => format!("{} waiting for an answer", plural(n as f64, "operation", "operations")),
    };
    let now = match (s.mode, s.leader) {
        (Mode::Cp, Some(l)) => format!("R{l} leads; {waiting}"),
        (Mode::Async, Some(l)) => format!("R{l} is the primary; {waiting}"),
        _ => waiting,
    };
    let run = crate::note::run_so_far(
        &PARTITION_TOGGLES,
        &actions,
        &time_text,
        &describe,
        &started,
        answers.collect(),
        (s.now, &now),
    );
    Facts { verdict, readouts: partition_readouts(s), run }
}
