//! Short import names for a release bundle (and no toolchain custom sections).
//!
//! wasm-bindgen names every import after its Rust binding plus a 16-digit hash
//! (`__wbg_addEventListener_847fd86b8c33ec43`), and each name is spelled twice: in the wasm's import
//! section and as a key of the JS glue's import object. Hex hashes do not compress, so a bundle's
//! ~110 imports cost about 4 KB gzip. [`minify_imports`] renames them to `a`, `b`, … in both files.
//! wasm-opt's `--minify-imports-and-exports-and-modules` would rename the exports too, which the
//! glue reads in many places; renaming only what appears exactly once in the glue keeps the JS
//! rewrite a checked, one-token replacement.

use wasm_encoder::reencode::{Reencode, RoundtripReencoder};
use wasm_encoder::Section;

/// The module name the renamed imports get (the glue's import-object key).
const MODULE: &str = "w";

/// What [`minify_imports`] did: the rewritten files and how many imports it renamed.
pub struct Minified {
    pub wasm: Vec<u8>,
    pub js: String,
    pub renamed: usize,
    pub kept: usize,
}

/// The `i`th short name: `a`…`z`, `A`…`Z`, `aa`, `ab`, … (bijective base 52).
fn short(i: usize) -> String {
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let n = LETTERS.len();
    let (mut i, mut s) = (i + 1, Vec::new());
    while i > 0 {
        i -= 1;
        s.push(LETTERS[i % n]);
        i /= n;
    }
    s.iter().rev().map(|&b| b as char).collect()
}

/// Custom sections browsers never read: toolchain versions, target features and wasm-bindgen's
/// split marker (about 0.3 KB).
const DROPPED_SECTIONS: &[&str] = &["producers", "target_features", "__wasm_split_unstable"];

/// Renames the imports of `wasm` that come from the glue's module to short names, rewrites the
/// keys of `js`'s import object to match, and drops the [`DROPPED_SECTIONS`]. An import whose name
/// appears anywhere else in the glue keeps its name, and so does every import when the module key
/// is not found exactly once, so the rewrite never breaks a binding it cannot see. Every other
/// section is copied byte for byte. Errors on a malformed module.
pub fn minify_imports(wasm: &[u8], js: &str) -> Result<Minified, String> {
    let err = |e: wasmparser::BinaryReaderError| format!("wasm: {e}");
    let mut out = wasm.get(..8).ok_or("wasm: too short")?.to_vec();
    let mut section_start = 8; // after the magic number and version
    let mut m = Minified { wasm: Vec::new(), js: js.to_string(), renamed: 0, kept: 0 };
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(err)?;
        let Some((_, range)) = payload.as_section() else { continue };
        let whole = section_start..range.end;
        section_start = range.end;
        match payload {
            wasmparser::Payload::ImportSection(reader) => rename(reader, &mut m)?.append_to(&mut out),
            wasmparser::Payload::CustomSection(c) if DROPPED_SECTIONS.contains(&c.name()) => {}
            _ => out.extend_from_slice(&wasm[whole]),
        }
    }
    m.wasm = out;
    Ok(m)
}

/// The import section with the glue module's imports renamed; renames the keys in `m.js`.
fn rename(
    reader: wasmparser::ImportSectionReader<'_>,
    m: &mut Minified,
) -> Result<wasm_encoder::ImportSection, String> {
    let js = m.js.clone();
    let count = |needle: &str| js.matches(needle).count();
    let mut section = wasm_encoder::ImportSection::new();
    let mut module_key: Option<(String, bool)> = None;
    for group in reader {
        let wasmparser::Imports::Single(_, import) = group.map_err(|e| format!("wasm: {e}"))? else {
            return Err("wasm: compact import groups are not expected from wasm-bindgen".into());
        };
        let ty = RoundtripReencoder.entity_type(import.ty).map_err(|e| format!("wasm: {e}"))?;
        // The glue's own module: its key appears once, as `"./tradeoffs_bg.js":`.
        let module_ok = match &module_key {
            Some((name, ok)) if name == import.module => *ok,
            Some(_) => false,
            None => {
                let ok = import.module.starts_with("./") && count(&format!("\"{}\":", import.module)) == 1;
                module_key = Some((import.module.to_string(), ok));
                ok
            }
        };
        let key = format!("{}:", import.name);
        if module_ok && count(import.name) == 1 && count(&key) == 1 {
            let name = short(m.renamed);
            m.js = m.js.replacen(&key, &format!("{name}:"), 1);
            section.import(MODULE, &name, ty);
            m.renamed += 1;
        } else {
            section.import(if module_ok { MODULE } else { import.module }, import.name, ty);
            m.kept += 1;
        }
    }
    if let Some((name, true)) = &module_key {
        m.js = m.js.replacen(&format!("\"{name}\":"), &format!("\"{MODULE}\":"), 1);
    }
    Ok(section)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_encoder::{
        CodeSection, ExportKind, ExportSection, Function, FunctionSection, Instruction, Module, TypeSection,
    };

    /// A module importing `names` from `./m_bg.js` (all `() -> ()`), with one exported function
    /// that calls every import.
    fn module(names: &[&str]) -> Vec<u8> {
        let mut m = Module::new();
        let mut types = TypeSection::new();
        types.ty().function([], []);
        m.section(&types);
        let mut imports = wasm_encoder::ImportSection::new();
        for n in names {
            imports.import("./m_bg.js", n, wasm_encoder::EntityType::Function(0));
        }
        m.section(&imports);
        let mut funcs = FunctionSection::new();
        funcs.function(0);
        m.section(&funcs);
        let mut exports = ExportSection::new();
        exports.export("run", ExportKind::Func, names.len() as u32);
        m.section(&exports);
        let mut code = CodeSection::new();
        let mut f = Function::new([]);
        for i in 0..names.len() {
            f.instruction(&Instruction::Call(i as u32));
        }
        f.instruction(&Instruction::End);
        code.function(&f);
        m.section(&code);
        m.finish()
    }

    fn imports_of(wasm: &[u8]) -> Vec<(String, String)> {
        let mut v = Vec::new();
        for p in wasmparser::Parser::new(0).parse_all(wasm) {
            if let wasmparser::Payload::ImportSection(r) = p.unwrap() {
                for g in r {
                    if let wasmparser::Imports::Single(_, i) = g.unwrap() {
                        v.push((i.module.to_string(), i.name.to_string()));
                    }
                }
            }
        }
        v
    }

    #[test]
    fn renames_imports_in_both_files_and_keeps_the_module_valid() {
        let wasm = module(&["__wbg_log_0123456789abcdef", "__wbg_now_fedcba9876543210"]);
        let js = r#"function e(){const e={__proto__:null,__wbg_log_0123456789abcdef:function(e){console.log(e)},__wbg_now_fedcba9876543210:function(){return Date.now()}};return{__proto__:null,"./m_bg.js":e}}"#;
        let m = minify_imports(&wasm, js).unwrap();
        assert_eq!((m.renamed, m.kept), (2, 0));
        assert_eq!(imports_of(&m.wasm), [("w".into(), "a".into()), ("w".into(), "b".into())]);
        assert_eq!(
            m.js,
            r#"function e(){const e={__proto__:null,a:function(e){console.log(e)},b:function(){return Date.now()}};return{__proto__:null,"w":e}}"#
        );
        wasmparser::Validator::new().validate_all(&m.wasm).unwrap();
        assert!(m.wasm.len() < wasm.len());
    }

    #[test]
    fn keeps_a_name_the_glue_uses_elsewhere() {
        let wasm = module(&["__wbg_log_0123456789abcdef", "__wbg_now_fedcba9876543210"]);
        let js = r#"const e={__wbg_log_0123456789abcdef:function(){},__wbg_now_fedcba9876543210:function(){}};e.__wbg_now_fedcba9876543210();x={"./m_bg.js":e}"#;
        let m = minify_imports(&wasm, js).unwrap();
        assert_eq!((m.renamed, m.kept), (1, 1));
        assert_eq!(imports_of(&m.wasm)[1], ("w".into(), "__wbg_now_fedcba9876543210".into()));
        assert!(m.js.contains("e.__wbg_now_fedcba9876543210()") && m.js.contains("{a:function"));
    }

    #[test]
    fn leaves_everything_when_the_module_key_is_not_found() {
        let wasm = module(&["__wbg_log_0123456789abcdef"]);
        let js = "const e={__wbg_log_0123456789abcdef:function(){}};x={wbg:e}";
        let m = minify_imports(&wasm, js).unwrap();
        assert_eq!((m.renamed, m.kept), (0, 1));
        assert_eq!(m.js, js);
        assert_eq!(m.wasm, wasm);
    }

    #[test]
    fn short_names_are_distinct() {
        let names: std::collections::HashSet<String> = (0..52 * 53 + 10).map(short).collect();
        assert_eq!(names.len(), 52 * 53 + 10);
        assert_eq!(short(52 * 53), "aaa");
        assert_eq!(
            (short(0), short(51), short(52), short(52 * 53 - 1)),
            ("a".into(), "Z".into(), "aa".into(), "ZZ".into())
        );
    }

    #[test]
    fn drops_only_the_toolchain_sections() {
        let mut wasm = module(&["__wbg_log_0123456789abcdef"]);
        for (name, data) in [("producers", &b"rustc"[..]), ("keep-me", b"data"), ("target_features", b"+simd")] {
            wasm_encoder::CustomSection { name: name.into(), data: data.into() }.append_to(&mut wasm);
        }
        let js = r#"x={__wbg_log_0123456789abcdef:function(){}};y={"./m_bg.js":x}"#;
        let m = minify_imports(&wasm, js).unwrap();
        let names: Vec<String> = wasmparser::Parser::new(0)
            .parse_all(&m.wasm)
            .filter_map(|p| match p.unwrap() {
                wasmparser::Payload::CustomSection(c) => Some(c.name().to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(names, ["keep-me"]);
        wasmparser::Validator::new().validate_all(&m.wasm).unwrap();
    }

    #[test]
    fn rejects_a_malformed_module() {
        assert!(minify_imports(b"\0asm\x01\0\0\0\x02\x05\x01", "").is_err());
    }
}
