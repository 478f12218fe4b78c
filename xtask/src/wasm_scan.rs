//! The size rules of ARCHITECTURE.md (Invariants), checked on each bundle's wasm.
//!
//! Some of what costs kilobytes in every bundle has no name clippy can ban: `{}` on an `f64`
//! (in a `format!`, a panic message or a `view!`), `&s[i..]` on a `str`, `"…".parse::<f64>()`.
//! What they pull in does have a name, though: core's float formatting, float parsing, the
//! char-boundary report. The wasm rustc writes (`target/wasm32-unknown-unknown/<profile>/`,
//! before wasm-bindgen and wasm-opt) still has its `name` section, so [`scan`] looks for those
//! functions there and, for each one found, walks the direct calls back up to the nearest
//! functions outside `core`, `alloc` and `std`: the code that pulled it in. Calls through the
//! function table (`call_indirect`: trait objects, `fmt` arguments) cannot be followed as calls;
//! for a library function nobody calls directly, the functions that store its table slot
//! (`i32.const <slot>`, `i32.store`, as `format!("{x}")` does for `<f64 as Display>::fmt`) stand
//! in as its callers, marked as taking its address; those of them that also call the formatter
//! (`core::fmt::write`, `format`, `write_fmt`, `panic_fmt`) when there are any. A constant that
//! merely equals the slot looks the same, so such a chain is a lead, not proof.

use std::collections::VecDeque;

/// One rule: the functions it bans (a name containing one of `needles`), and what to use instead.
pub struct Rule {
    pub name: &'static str,
    pub needles: &'static [&'static str],
    pub instead: &'static str,
    /// Whether breaking it fails the build; if not, its chains are only listed.
    pub enforced: bool,
}

/// The rules, in the order they are reported.
pub const RULES: &[Rule] = &[
    Rule {
        name: "float formatting",
        needles: &["core::fmt::float::", "core::num::flt2dec::", "float_to_decimal", "float_to_exponential"],
        instead:
            "model::fmt (fixed, number, num, …; no `{}` or `{:.N}` on an f64, no f64 in a `view!` or a panic message)",
        enforced: true,
    },
    Rule {
        name: "float parsing",
        needles: &["core::num::dec2flt::"],
        instead: "model::num::parse_decimal, not str::parse::<f64>",
        enforced: true,
    },
    Rule {
        name: "byte-index str slicing",
        needles: &["core::str::slice_error_fail"],
        instead: "strip_prefix, split_once or get, not &s[i..]",
        enforced: true,
    },
    Rule {
        name: "slice range errors",
        needles: &[
            "core::slice::index::slice_index_fail",
            "core::slice::index::slice_index_order_fail",
            "core::slice::index::slice_end_index_len_fail",
            "core::slice::index::slice_start_index_len_fail",
        ],
        instead: "get(a..b) or iterators, not &v[a..b]",
        // Listed, not enforced: core's own string searchers (`split`, `replace`), hashbrown,
        // indexmap and tachys link it in every bundle, and its report prints only integers.
        enforced: false,
    },
    Rule {
        name: "std::thread::current",
        needles: &["std::thread::current"],
        instead: "nothing: wasm here has one thread (the send_wrapper patch must be in effect)",
        enforced: true,
    },
    Rule { name: "std sort", needles: &["core::slice::sort::"], instead: "model::num::sort", enforced: true },
];

/// A rule some function of the module breaks.
pub struct Violation {
    pub rule: &'static Rule,
    /// Call chains, each from a function outside the standard library (or, when none calls it
    /// directly, from the outermost library function) down to a banned one.
    pub chains: Vec<Vec<String>>,
    /// How many more chains there were than [`MAX_CHAINS`].
    pub more: usize,
    /// No function outside the standard library calls into the banned code directly or takes
    /// its address: it is reached only through a table (a trait object's vtable, an export).
    pub indirect_only: bool,
}

/// Path prefixes of this workspace's crates that reach a bundle.
const OURS: &[&str] = &["tradeoffs::", "model::"];

/// At most this many chains are listed per rule.
pub const MAX_CHAINS: usize = 6;

/// The module's functions: names (by function index, imports first), direct callers, and the
/// functions that load each one's table slot as a constant.
struct Graph {
    names: Vec<String>,
    callers: Vec<Vec<u32>>,
    takers: Vec<Vec<u32>>,
    /// Calls the formatter directly (see the module docs).
    formats: Vec<bool>,
}

/// Names of the formatter's entry points: a function calling one passes it `fmt::Arguments`.
const FORMATTER: &[&str] = &["core::fmt::write", "alloc::fmt::format", "write_fmt", "core::panicking::panic_fmt"];

fn graph(wasm: &[u8]) -> Result<Graph, String> {
    let err = |e: wasmparser::BinaryReaderError| format!("wasm: {e}");
    let mut imported = 0u32;
    let mut defined = 0u32;
    let mut bodies = Vec::new();
    let mut names: Vec<(u32, String)> = Vec::new();
    let mut named = false;
    let mut slots: std::collections::HashMap<i32, u32> = std::collections::HashMap::new(); // table slot → function
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        match payload.map_err(err)? {
            wasmparser::Payload::ElementSection(reader) => {
                for element in reader {
                    let element = element.map_err(err)?;
                    let wasmparser::ElementKind::Active { table_index: None | Some(0), offset_expr } = element.kind
                    else {
                        continue;
                    };
                    let Ok(wasmparser::Operator::I32Const { value: offset }) =
                        offset_expr.get_operators_reader().read()
                    else {
                        continue;
                    };
                    if let wasmparser::ElementItems::Functions(funcs) = element.items {
                        for (i, f) in funcs.into_iter().enumerate() {
                            slots.insert(offset + i as i32, f.map_err(err)?);
                        }
                    }
                }
            }
            wasmparser::Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    let ty = import.map_err(err)?.ty;
                    if matches!(ty, wasmparser::TypeRef::Func(_) | wasmparser::TypeRef::FuncExact(_)) {
                        imported += 1;
                    }
                }
            }
            wasmparser::Payload::FunctionSection(reader) => defined = reader.count(),
            wasmparser::Payload::CodeSectionEntry(body) => bodies.push(body),
            wasmparser::Payload::CustomSection(c) => {
                if let wasmparser::KnownCustom::Name(reader) = c.as_known() {
                    for name in reader {
                        if let wasmparser::Name::Function(map) = name.map_err(err)? {
                            named = true;
                            for n in map {
                                let n = n.map_err(err)?;
                                names.push((n.index, demangle(n.name)));
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    if !named {
        return Err("wasm: no function names (a `name` section): was it stripped?".into());
    }
    // A mangling this file cannot read would make every rule pass unseen.
    if let Some((_, n)) = names.iter().find(|(_, n)| n.starts_with("_ZN") || n.starts_with("_R")) {
        return Err(format!("wasm: a function name wasm_scan.rs cannot demangle: {n}"));
    }
    if !names.iter().any(|(_, n)| n.starts_with("core::") || n.starts_with("alloc::")) {
        return Err(
            "wasm: no function of core or alloc among the names: a symbol mangling wasm_scan.rs cannot read?".into()
        );
    }
    let count = (imported + defined) as usize;
    let mut g = Graph {
        names: (0..count).map(|i| format!("function #{i}")).collect(),
        callers: vec![Vec::new(); count],
        takers: vec![Vec::new(); count],
        formats: vec![false; count],
    };
    for (i, name) in names {
        if let Some(slot) = g.names.get_mut(i as usize) {
            *slot = name;
        }
    }
    for (k, body) in bodies.iter().enumerate() {
        let caller = imported + k as u32;
        let mut ops = body.get_operators_reader().map_err(err)?;
        let mut constant: Option<u32> = None; // the function whose slot the last instruction loaded
        while !ops.eof() {
            let op = ops.read().map_err(err)?;
            let loaded = constant.take();
            let (edges, callee) = match op {
                wasmparser::Operator::Call { function_index } | wasmparser::Operator::ReturnCall { function_index } => {
                    (&mut g.callers, function_index)
                }
                wasmparser::Operator::I32Const { value } => {
                    constant = slots.get(&value).copied();
                    continue;
                }
                // A function pointer is stored (a `fmt::Argument`, a closure's vtable slot): a slot
                // constant used as a plain number rarely goes straight to memory.
                wasmparser::Operator::I32Store { .. } => match loaded {
                    Some(f) => (&mut g.takers, f),
                    None => continue,
                },
                _ => continue,
            };
            if let Some(c) = edges.get_mut(callee as usize) {
                if !c.contains(&caller) {
                    c.push(caller);
                }
            }
        }
    }
    for callee in 0..count {
        if FORMATTER.iter().any(|n| g.names[callee].contains(n)) {
            for &c in &g.callers[callee] {
                g.formats[c as usize] = true;
            }
        }
    }
    Ok(g)
}

/// Checks `wasm` (with its `name` section) against [`RULES`]. Errors on a malformed module or
/// one without function names.
pub fn scan(wasm: &[u8]) -> Result<Vec<Violation>, String> {
    let g = graph(wasm)?;
    let mut found = Vec::new();
    for rule in RULES {
        let banned: Vec<u32> = (0..g.names.len() as u32)
            .filter(|&i| rule.needles.iter().any(|n| g.names[i as usize].contains(n)))
            .collect();
        if !banned.is_empty() {
            found.push(chains(&g, rule, &banned));
        }
    }
    Ok(found)
}

/// Breadth-first from the banned functions up their callers, through library functions only:
/// each caller outside the library ends a (shortest) chain.
fn chains(g: &Graph, rule: &'static Rule, banned: &[u32]) -> Violation {
    const NONE: u32 = u32::MAX;
    let mut next = vec![NONE; g.names.len()]; // towards the banned function
    let mut seen = vec![false; g.names.len()];
    let mut by_address = vec![false; g.names.len()]; // reaches `next` through its table slot
    let mut queue: VecDeque<u32> = banned.iter().copied().collect();
    for &b in banned {
        seen[b as usize] = true;
    }
    let (mut culprits, mut tops) = (Vec::new(), Vec::new());
    while let Some(f) = queue.pop_front() {
        if !is_library(&g.names[f as usize]) {
            culprits.push(f);
            continue;
        }
        let indirect = g.callers[f as usize].is_empty();
        let formatting: Vec<u32> = g.takers[f as usize].iter().copied().filter(|&t| g.formats[t as usize]).collect();
        let up = match (indirect, formatting.is_empty()) {
            (false, _) => &g.callers[f as usize],
            (true, false) => &formatting,
            (true, true) => &g.takers[f as usize],
        };
        if up.is_empty() {
            tops.push(f);
        }
        for &c in up {
            if !seen[c as usize] {
                seen[c as usize] = true;
                next[c as usize] = f;
                by_address[c as usize] = indirect;
                queue.push_back(c);
            }
        }
    }
    let indirect_only = culprits.is_empty();
    // This workspace's own functions first: the likeliest to fix, and the ones a coincidental
    // slot constant would otherwise bury among dependencies.
    let (mut starts, theirs): (Vec<u32>, Vec<u32>) = (if indirect_only { tops } else { culprits })
        .into_iter()
        .partition(|&f| OURS.iter().any(|c| g.names[f as usize].contains(c)));
    starts.extend(theirs);
    let mut chains: Vec<Vec<String>> = starts
        .iter()
        .map(|&s| {
            let mut chain = vec![short_name(&g.names[s as usize])];
            let (mut f, mut address) = (next[s as usize], by_address[s as usize]);
            while f != NONE {
                let name = short_name(&g.names[f as usize]);
                chain.push(if address { format!("{name} (its address, for a call through the table)") } else { name });
                (f, address) = (next[f as usize], by_address[f as usize]);
            }
            chain
        })
        .collect();
    chains.dedup();
    let more = chains.len().saturating_sub(MAX_CHAINS);
    chains.truncate(MAX_CHAINS);
    Violation { rule, chains, more, indirect_only }
}

/// A Rust symbol as a path without hashes or crate disambiguators (`core::fmt::write`); any other
/// name as it is. Our crates' symbols are in the legacy mangling (`_ZN4core3fmt5write17h…E`), the
/// precompiled standard library's in v0 (`_RNvNtCs…_4core3fmt5write`).
fn demangle(name: &str) -> String {
    match rustc_demangle::try_demangle(name) {
        Ok(d) => format!("{d:#}"),
        Err(_) => name.to_string(),
    }
}

/// Whether a (demangled) function name belongs to the standard library: a path in `core`,
/// `alloc`, `std` or `compiler_builtins`, or `<T as Trait>::f` with both a library (or generic
/// or primitive) type and a library trait.
fn is_library(name: &str) -> bool {
    const CRATES: &[&str] = &["core::", "alloc::", "std::", "compiler_builtins::"];
    let lib_path = |s: &str| CRATES.iter().any(|c| s.starts_with(c));
    let Some(rest) = name.strip_prefix('<') else { return lib_path(name) };
    // The qualified type ends at the `>` that closes the opening `<`.
    let mut depth = 1;
    let close = rest.char_indices().find_map(|(i, c)| {
        match c {
            '<' => depth += 1,
            '>' => depth -= 1,
            _ => {}
        }
        (depth == 0).then_some(i)
    });
    let Some(inner) = close.and_then(|i| rest.get(..i)) else { return false };
    let (ty, tr) = match inner.rsplit_once(" as ") {
        Some((ty, tr)) => (ty, Some(tr)),
        None => (inner, None),
    };
    let ty = ty.trim_start_matches(['&', '*']).trim_start_matches("mut ").trim_start_matches("const ");
    let ty_lib = lib_path(ty) || !ty.contains("::");
    ty_lib && tr.is_none_or(lib_path)
}

/// A name without its `::h<16 hex digits>` hash or LLVM's `.<digits>` suffix.
fn short_name(name: &str) -> String {
    let name = match name.rsplit_once('.') {
        Some((head, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => head,
        _ => name,
    };
    match name.rsplit_once("::h") {
        Some((head, hash)) if hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()) => head.to_string(),
        _ => name.to_string(),
    }
}

/// Scans the wasm file at `path` (bundle `bundle`): `Ok` when it breaks no rule, else the report.
/// A rule that is not enforced gets a one-line note: the functions that pull it in.
pub fn check_file(bundle: &str, path: &std::path::Path) -> Result<(), String> {
    let wasm = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let found = scan(&wasm).map_err(|e| format!("{bundle} ({}): {e}", path.display()))?;
    let (broken, noted): (Vec<Violation>, Vec<Violation>) = found.into_iter().partition(|v| v.rule.enforced);
    for v in &noted {
        let from: Vec<&str> = v.chains.iter().filter_map(|c| c.first().map(String::as_str)).collect();
        let more = if v.more > 0 { format!(" and {} more", v.more) } else { String::new() };
        eprintln!("{bundle}: note: {} linked in (not enforced) from {}{more}", v.rule.name, from.join(", "));
    }
    if broken.is_empty() {
        eprintln!("{bundle}: no banned code in {} (size rules, xtask/src/wasm_scan.rs)", path.display());
        Ok(())
    } else {
        Err(report(bundle, &broken))
    }
}

/// The violations as text, one rule per paragraph.
pub fn report(bundle: &str, found: &[Violation]) -> String {
    let mut out = String::new();
    for v in found {
        out.push_str(&format!("{bundle}: {} is linked in (use {} instead)", v.rule.name, v.rule.instead));
        if v.indirect_only {
            out.push_str(";\n  no function outside core/alloc/std calls it directly or takes its address (it is reached through a vtable or an export), from");
        } else {
            out.push_str(", pulled in by");
        }
        out.push('\n');
        for chain in &v.chains {
            out.push_str(&format!("  {}\n", chain.join("\n    → ")));
        }
        if v.more > 0 {
            out.push_str(&format!("  … and {} more\n", v.more));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_encoder::{
        CodeSection, EntityType, Function, FunctionSection, ImportSection, Instruction, Module, NameMap, NameSection,
        TypeSection,
    };

    /// A module with one imported function (`env.log`, index 0) and one defined function per
    /// `(name, callees)`, indices from 1; `names` false leaves out the name section.
    fn module(funcs: &[(&str, &[u32])], names: bool) -> Vec<u8> {
        module_with_table(funcs, names, &[])
    }

    /// A callee `TAKE | f` stores `f`'s slot in the table (`i32.const`, `i32.store`: a function
    /// pointer) instead of calling it; `NUMBER | f` loads the slot and drops it (a plain number).
    const TAKE: u32 = 1 << 20;
    const NUMBER: u32 = 1 << 21;

    /// [`module`] with `table` in the function table from slot 1.
    fn module_with_table(funcs: &[(&str, &[u32])], names: bool, table: &[u32]) -> Vec<u8> {
        let mut m = Module::new();
        let mut types = TypeSection::new();
        types.ty().function([], []);
        m.section(&types);
        let mut imports = ImportSection::new();
        imports.import("env", "log", EntityType::Function(0));
        m.section(&imports);
        let mut fs = FunctionSection::new();
        for _ in funcs {
            fs.function(0);
        }
        m.section(&fs);
        if !table.is_empty() {
            let mut elements = wasm_encoder::ElementSection::new();
            let offset = wasm_encoder::ConstExpr::i32_const(1);
            elements.active(None, &offset, wasm_encoder::Elements::Functions(table.into()));
            m.section(&elements);
        }
        let mut code = CodeSection::new();
        for (_, callees) in funcs {
            let mut f = Function::new([]);
            for &c in *callees {
                if c & (TAKE | NUMBER) != 0 {
                    let slot = table.iter().position(|&t| t == c & !(TAKE | NUMBER)).unwrap() as i32 + 1;
                    if c & TAKE != 0 {
                        let at = wasm_encoder::MemArg { offset: 0, align: 2, memory_index: 0 };
                        f.instruction(&Instruction::I32Const(0));
                        f.instruction(&Instruction::I32Const(slot)).instruction(&Instruction::I32Store(at));
                    } else {
                        f.instruction(&Instruction::I32Const(slot)).instruction(&Instruction::Drop);
                    }
                } else {
                    f.instruction(&Instruction::Call(c));
                }
            }
            f.instruction(&Instruction::End);
            code.function(&f);
        }
        m.section(&code);
        if names {
            let mut map = NameMap::new();
            map.append(0, "env::log");
            for (i, (name, _)) in funcs.iter().enumerate() {
                map.append(i as u32 + 1, name);
            }
            let mut n = NameSection::new();
            n.functions(&map);
            m.section(&n);
        }
        m.finish()
    }

    const FLOAT: &str = "core::fmt::float::float_to_decimal_common_exact::h0123456789abcdef";
    const DISPLAY: &str = "core::fmt::float::<impl core::fmt::Display for f64>::fmt::hfedcba9876543210";

    #[test]
    fn names_the_nearest_caller_outside_the_standard_library() {
        let wasm = module(
            &[
                (FLOAT, &[0]),                                                // 1
                (DISPLAY, &[1]),                                              // 2
                ("<&T as core::fmt::Display>::fmt::h1111111111111111", &[2]), // 3
                ("model::spec::show::h2222222222222222", &[3]),               // 4
                ("tradeoffs::start::h3333333333333333", &[4, 0]),             // 5
                ("alloc::fmt::format::h4444444444444444", &[]),               // 6
            ],
            true,
        );
        let found = scan(&wasm).unwrap();
        assert_eq!(found.len(), 1);
        let v = &found[0];
        assert_eq!(v.rule.name, "float formatting");
        assert!(!v.indirect_only);
        assert_eq!(
            v.chains,
            [[
                "model::spec::show",
                "<&T as core::fmt::Display>::fmt",
                "core::fmt::float::<impl core::fmt::Display for f64>::fmt",
            ]],
            "a chain ends at the first banned function"
        );
        let text = report("a-x", &found);
        assert!(text.starts_with("a-x: float formatting is linked in"), "{text}");
        assert!(text.contains("model::spec::show\n    → <&T"), "{text}");
    }

    #[test]
    fn every_rule_and_each_culprit_once() {
        let wasm = module(
            &[
                ("core::str::slice_error_fail::h0000000000000001", &[]),     // 1
                ("core::str::slice_error_fail_rt::h0000000000000002", &[1]), // 2
                ("model::a::h0000000000000003", &[2]),                       // 3
                ("model::b::h0000000000000004", &[1, 2]),                    // 4
                ("core::num::dec2flt::dec2flt::h0000000000000005", &[]),     // 5
                ("<f64 as core::str::traits::FromStr>::from_str::h0000000000000006", &[5]), // 6
                ("xtask::parse::h0000000000000007", &[6]),                   // 7
                ("std::thread::current::init_current::h0000000000000008", &[]), // 8
                ("send_wrapper::SendWrapper<T>::valid::h0000000000000009", &[8]), // 9
                ("core::slice::sort::stable::driftsort_main::h000000000000000a", &[]), // 10
                ("alloc::slice::<impl [T]>::sort_by::h000000000000000b", &[10]), // 11
                ("model::c::h000000000000000c", &[11]),                      // 12
                ("core::slice::index::slice_end_index_len_fail::h000000000000000d", &[]), // 13
                ("<usize as core::slice::index::SliceIndex<[T]>>::index::h000000000000000e", &[13]), // 14
                ("model::d::h000000000000000f", &[14]),                      // 15
            ],
            true,
        );
        let found = scan(&wasm).unwrap();
        let rules: Vec<&str> = found.iter().map(|v| v.rule.name).collect();
        assert_eq!(
            rules,
            ["float parsing", "byte-index str slicing", "slice range errors", "std::thread::current", "std sort"]
        );
        let chains: Vec<_> = found.iter().map(|v| v.chains.clone()).collect();
        assert_eq!(
            chains,
            [
                vec![vec![
                    "xtask::parse",
                    "<f64 as core::str::traits::FromStr>::from_str",
                    "core::num::dec2flt::dec2flt"
                ]],
                vec![
                    vec!["model::b", "core::str::slice_error_fail"],
                    vec!["model::a", "core::str::slice_error_fail_rt"]
                ],
                vec![vec![
                    "model::d",
                    "<usize as core::slice::index::SliceIndex<[T]>>::index",
                    "core::slice::index::slice_end_index_len_fail"
                ]],
                vec![vec!["send_wrapper::SendWrapper<T>::valid", "std::thread::current::init_current"]],
                vec![vec![
                    "model::c",
                    "alloc::slice::<impl [T]>::sort_by",
                    "core::slice::sort::stable::driftsort_main"
                ]],
            ]
        );
    }

    #[test]
    fn follows_a_function_whose_address_is_taken() {
        let funcs: &[(&str, &[u32])] = &[
            (FLOAT, &[]),                                // 1
            (DISPLAY, &[1]),                             // 2
            ("core::fmt::write", &[]),                   // 3
            ("model::spec::show", &[TAKE | 2, 3]),       // 4
            ("core::option::Option<T>::unwrap_or", &[]), // 5
            ("model::spec::other", &[TAKE | 5]),         // 6
            ("model::spec::count", &[NUMBER | 2]),       // 7: a plain number, not a pointer
        ];
        let found = scan(&module_with_table(funcs, true, &[5, 2])).unwrap();
        assert!(!found[0].indirect_only);
        assert_eq!(
            found[0].chains,
            [[
                "model::spec::show",
                "core::fmt::float::<impl core::fmt::Display for f64>::fmt (its address, for a call through the table)"
            ]]
        );
        // Of the functions storing the slot, those that also call the formatter.
        let funcs: &[(&str, &[u32])] = &[
            (FLOAT, &[]),                              // 1
            (DISPLAY, &[1]),                           // 2
            ("alloc::fmt::format::format_inner", &[]), // 3
            ("model::spec::store_one", &[TAKE | 2]),   // 4: stores the number 1, say
            ("model::spec::show", &[TAKE | 2, 3]),     // 5
        ];
        let found = scan(&module_with_table(funcs, true, &[2])).unwrap();
        let firsts: Vec<&str> = found[0].chains.iter().map(|c| c[0].as_str()).collect();
        assert_eq!(firsts, ["model::spec::show"]);
    }

    #[test]
    fn lists_this_workspaces_functions_first() {
        let funcs: &[(&str, &[u32])] = &[(FLOAT, &[]), ("leptos::x", &[1]), ("tradeoffs::y", &[1]), ("model::z", &[1])];
        let found = scan(&module(funcs, true)).unwrap();
        let firsts: Vec<&str> = found[0].chains.iter().map(|c| c[0].as_str()).collect();
        assert_eq!(firsts, ["tradeoffs::y", "model::z", "leptos::x"]);
    }

    #[test]
    fn reports_code_reached_only_through_a_table() {
        let wasm = module(&[(FLOAT, &[]), (DISPLAY, &[1]), ("core::fmt::write::h5555555555555555", &[])], true);
        let found = scan(&wasm).unwrap();
        assert!(found[0].indirect_only);
        assert_eq!(found[0].chains, [["core::fmt::float::<impl core::fmt::Display for f64>::fmt"]]);
        assert!(report("w-x", &found).contains("no function outside core/alloc/std calls it directly"));
    }

    #[test]
    fn lists_a_few_chains_and_counts_the_rest() {
        let mut funcs: Vec<(String, Vec<u32>)> = vec![(FLOAT.into(), vec![])];
        for i in 0..MAX_CHAINS + 3 {
            funcs.push((format!("model::f{i}"), vec![1]));
        }
        let funcs: Vec<(&str, &[u32])> = funcs.iter().map(|(n, c)| (n.as_str(), c.as_slice())).collect();
        let found = scan(&module(&funcs, true)).unwrap();
        assert_eq!((found[0].chains.len(), found[0].more), (MAX_CHAINS, 3));
        assert!(report("a-x", &found).contains("… and 3 more"));
    }

    #[test]
    fn only_enforced_rules_fail_a_file() {
        let path = std::env::temp_dir().join(format!("wasm-scan-{}.wasm", std::process::id()));
        let slice = ("core::slice::index::slice_index_fail", &[][..]);
        std::fs::write(&path, module(&[slice, ("model::a", &[1])], true)).unwrap();
        assert!(check_file("a-x", &path).is_ok(), "slice range errors are listed, not enforced");
        std::fs::write(&path, module(&[slice, (FLOAT, &[]), ("model::a", &[1, 2])], true)).unwrap();
        let err = check_file("a-x", &path).unwrap_err();
        assert!(err.contains("float formatting") && !err.contains("slice range"), "{err}");
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn a_clean_module_passes() {
        let wasm = module(
            &[
                ("core::fmt::write::h1", &[]),
                ("model::spec::fixed::h2", &[1]),
                ("alloc::slice::stable_sort_helper", &[]),
            ],
            true,
        );
        assert!(scan(&wasm).unwrap().is_empty());
    }

    #[test]
    fn refuses_a_module_without_names_or_a_malformed_one() {
        assert!(scan(&module(&[(FLOAT, &[])], false)).err().unwrap().contains("no function names"));
        assert!(scan(b"\0asm\x01\0\0\0\x0a\x05\x01").is_err());
        let unreadable = module(&[("core::fmt::write", &[]), ("_RNvCs1234_4core3fmt5write", &[])], true);
        assert!(scan(&unreadable).err().unwrap().contains("cannot demangle"));
        let foreign = module(&[("main", &[])], true);
        assert!(scan(&foreign).err().unwrap().contains("no function of core or alloc"));
    }

    #[test]
    fn demangles_both_manglings() {
        for (mangled, want) in [
            ("_ZN4core3fmt5write17h0123456789abcdefE", "core::fmt::write"),
            (
                "_ZN4core3fmt5float52_$LT$impl$u20$core..fmt..Display$u20$for$u20$f64$GT$3fmt17h0123456789abcdefE",
                "core::fmt::float::<impl core::fmt::Display for f64>::fmt",
            ),
            ("_RNvNtNtCsgXGp5Oqx2Ny_4core5slice5index16slice_index_fail", "core::slice::index::slice_index_fail"),
            ("_RNvNtCsebHcaeoSrxy_3std9panicking15panic_with_hook", "std::panicking::panic_with_hook"),
            ("memcpy", "memcpy"),
        ] {
            assert_eq!(demangle(mangled), want, "{mangled}");
        }
    }

    #[test]
    fn tells_library_functions_from_the_rest() {
        for name in [
            "core::fmt::write",
            "alloc::raw_vec::finish_grow",
            "<alloc::vec::Vec<T,A> as core::clone::Clone>::clone",
            "<&T as core::fmt::Debug>::fmt",
            "<[T] as core::fmt::Debug>::fmt",
            "<f64 as core::fmt::Display>::fmt",
            "<core::iter::adapters::map::Map<I,F> as core::iter::traits::iterator::Iterator>::fold",
        ] {
            assert!(is_library(name), "{name}");
        }
        for name in [
            "model::spec::fixed",
            "<model::spec::Note as core::fmt::Display>::fmt",
            "<&model::X as core::fmt::Display>::fmt",
            "<T as leptos::IntoView>::into_view",
            "tradeoffs::start::{{closure}}",
            "memcpy",
            "<",
        ] {
            assert!(!is_library(name), "{name}");
        }
        assert_eq!(short_name("a::b::h0123456789abcdef"), "a::b");
        assert_eq!(short_name("a::b::h0123"), "a::b::h0123");
        assert_eq!(short_name("a::hello"), "a::hello");
        assert_eq!(short_name("a::b.2670"), "a::b");
    }
}
