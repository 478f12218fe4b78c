//! Will old clients break? One message, `Account`, in its first version (v1) and after one change
//! from a catalogue (v2). A program holding one version writes a value; a program holding the
//! other reads the bytes with the codec in [`crate::protobuf`], and the proto3 JSON with the rules
//! of the JSON mapping. Beside what the reader actually gets, each change gets the verdicts of
//! buf's breaking-change categories (WIRE, WIRE_JSON, FILE), computed from the two schemas by
//! buf's rules, and of GitHub's list of breaking and additive REST changes, computed from the
//! two JSON shapes; and a deprecation timeline says how much traffic is still on the old version
//! when it is switched off.
//!
//! # Who writes, who reads
//!
//! Most changes are made by a server that old clients call: the new schema writes, an old client
//! reads. Two are about the other direction, where old clients keep sending what the new schema
//! no longer has or merges: removing an enum value (an old client still sends it) and moving
//! fields into a oneof. [`ChangeDef::old_writes`] says which.
//!
//! # buf's rules used here (buf.build, "Rules and categories")
//!
//! | rule | categories | fires when |
//! |---|---|---|
//! | FIELD_NO_DELETE | FILE | a field number disappears |
//! | FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED | WIRE, WIRE_JSON | … and its number is not reserved |
//! | FIELD_NO_DELETE_UNLESS_NAME_RESERVED | WIRE_JSON | … and its name is not reserved |
//! | FIELD_SAME_NAME | FILE | a number keeps its place under another name |
//! | FIELD_SAME_JSON_NAME | FILE, WIRE_JSON | … and so another JSON name |
//! | FIELD_SAME_TYPE | FILE | a field's type changes at all |
//! | FIELD_WIRE_COMPATIBLE_TYPE | WIRE | to a type whose bytes read differently |
//! | FIELD_WIRE_JSON_COMPATIBLE_TYPE | WIRE_JSON | … or whose JSON differs |
//! | FIELD_SAME_ONEOF | FILE, WIRE_JSON, WIRE | a field moves into, out of or between oneofs |
//! | ENUM_VALUE_NO_DELETE | FILE | an enum number disappears |
//! | ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED | WIRE, WIRE_JSON | … and is not reserved |
//! | ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED | WIRE_JSON | … and its name is not reserved |
//!
//! Wire-compatible scalar groups (protobuf.dev, "Updating a message type"): int32, uint32,
//! int64, uint64 and bool; sint32 and sint64; fixed32 and sfixed32; fixed64 and sfixed64; string
//! and bytes (while the bytes are UTF-8). JSON-compatible additionally needs the same JSON form:
//! 64-bit integers are strings, bytes base64.
//!
//! # The deprecation timeline (illustrative)
//!
//! The new version ships and the old one is deprecated on the same day, 2022-11-28 (GitHub's
//! REST version of that date); the old one is switched off `notice` months later (GitHub
//! promises at least 24). Clients move over along a logistic S-curve: the share of traffic still
//! on the old version `t` months after deprecation is `1 / (1 + e^{k (t − half)})` with
//! `k = 2 ln 9 / spread`, so half has moved at `half` months and it takes `spread` months to go
//! from 10% moved to 90%. The curve's shape is an assumption, not data.

use crate::note::{About, Facts, Readout};
use crate::protobuf::{self as pb, DecodeError, EnumDef, FieldDef, MessageDef, Scalar, Value};
use crate::spec::{choice, labelled, range, State, WidgetSpec};
use crate::value;

// ---------------------------------------------------------------------------------------------
// The message and the catalogue of changes
// ---------------------------------------------------------------------------------------------

const STATUS: EnumDef =
    EnumDef { name: "Status", values: &[("STATUS_UNSPECIFIED", 0), ("ACTIVE", 1), ("SUSPENDED", 2)], reserved: &[] };
const CREDITS: FieldDef = FieldDef::new("credits", 1, Scalar::Int32);
const NAME: FieldDef = FieldDef::new("display_name", 2, Scalar::String);
const STATE: FieldDef = FieldDef::new("status", 3, Scalar::Enum);

const fn account(fields: &'static [FieldDef]) -> MessageDef {
    MessageDef { name: "Account", fields, enum_def: STATUS, reserved_numbers: &[], reserved_names: &[] }
}

/// The first version every change starts from.
pub const V1: MessageDef = account(&[CREDITS, NAME, STATE]);

/// What the added field carries when the new version writes it.
pub const EMAIL: &str = "ann@example.com";

/// One change to `Account`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChangeDef {
    /// Its key in links and markdown blocks.
    pub key: &'static str,
    /// What the reader picks.
    pub label: &'static str,
    /// The message after the change.
    pub v2: MessageDef,
    /// The old schema writes and the new one reads (old clients sending to a new server).
    pub old_writes: bool,
    /// The status the writer sends.
    pub status: i32,
    /// What to take away, whatever the value.
    pub lesson: &'static str,
}

/// The catalogue, in the order the widget offers it.
pub const CHANGES: [ChangeDef; 11] = [
    ChangeDef {
        key: "add",
        label: "Add a field",
        v2: account(&[CREDITS, NAME, STATE, FieldDef::new("email", 4, Scalar::String)]),
        old_writes: false,
        status: 1,
        lesson: "Adding a field with a new number is the change protobuf was designed for: old readers skip it, keep its bytes and pass them on.",
    },
    ChangeDef {
        key: "delete",
        label: "Delete a field",
        v2: account(&[CREDITS, STATE]),
        old_writes: false,
        status: 1,
        lesson: "Old clients silently get an empty value, and nothing stops a later version from reusing number 2 for something else, which old clients would then misread.",
    },
    ChangeDef {
        key: "delete-reserve",
        label: "Delete a field and reserve its number and name",
        v2: MessageDef { reserved_numbers: &[2], reserved_names: &["display_name"], ..account(&[CREDITS, STATE]) },
        old_writes: false,
        status: 1,
        lesson: "Reserving makes the deletion safe for the bytes (number 2 can never come back meaning something else), but old clients still get an empty value: safe for the wire is not the same as safe for the feature.",
    },
    ChangeDef {
        key: "renumber",
        label: "Renumber a field (1 → 4)",
        v2: account(&[FieldDef::new("credits", 4, Scalar::Int32), NAME, STATE]),
        old_writes: false,
        status: 1,
        lesson: "On the wire a field is its number, not its name: an old reader sees an unknown field 4 and a credits of 0. JSON clients notice nothing, which is why nobody catches it in a JSON-only test.",
    },
    ChangeDef {
        key: "rename",
        label: "Rename a field",
        v2: account(&[CREDITS, FieldDef::new("full_name", 2, Scalar::String), STATE]),
        old_writes: false,
        status: 1,
        lesson: "Binary clients never see a rename, JSON clients see a field vanish and an unknown one appear, and generated code stops compiling.",
    },
    ChangeDef {
        key: "int64",
        label: "Widen int32 to int64",
        v2: account(&[FieldDef::new("credits", 1, Scalar::Int64), NAME, STATE]),
        old_writes: false,
        status: 1,
        lesson: "Compatible on the wire only while values fit in 32 bits: beyond that an old reader keeps the low 32 bits, a different number with no error. In JSON the value becomes a string.",
    },
    ChangeDef {
        key: "sint32",
        label: "Change int32 to sint32",
        v2: account(&[FieldDef::new("credits", 1, Scalar::Sint32), NAME, STATE]),
        old_writes: false,
        status: 1,
        lesson: "Not a widening at all: sint32 zigzag-encodes, so every value an old int32 reader sees is wrong (150 arrives as 300, −1 as 1), silently. JSON looks the same.",
    },
    ChangeDef {
        key: "bytes",
        label: "Change string to bytes",
        v2: account(&[CREDITS, FieldDef::new("display_name", 2, Scalar::Bytes), STATE]),
        old_writes: false,
        status: 1,
        lesson: "The wire format is the same, so it works until the first value that is not UTF-8: then an old reader rejects the whole message. In JSON bytes are base64, so JSON clients see gibberish from the first value.",
    },
    ChangeDef {
        key: "oneof",
        label: "Move fields into a oneof",
        v2: account(&[CREDITS.in_oneof("summary"), NAME.in_oneof("summary"), STATE]),
        old_writes: true,
        status: 1,
        lesson: "The bytes do not change, but a oneof keeps one member: an old client that sends both fields loses all but the last. Protobuf allows moving a single field into a new oneof; buf flags every move because generated code changes.",
    },
    ChangeDef {
        key: "enum-add",
        label: "Add an enum value",
        v2: MessageDef {
            enum_def: EnumDef {
                name: "Status",
                values: &[("STATUS_UNSPECIFIED", 0), ("ACTIVE", 1), ("SUSPENDED", 2), ("CLOSED", 3)],
                reserved: &[],
            },
            ..V1
        },
        old_writes: false,
        status: 3,
        lesson: "Safe by every rule book, yet an old binary client holds a number it has no name for, and a strict JSON parser rejects the unknown name. Clients must be written to expect new values.",
    },
    ChangeDef {
        key: "enum-remove",
        label: "Remove an enum value",
        v2: MessageDef {
            enum_def: EnumDef { name: "Status", values: &[("STATUS_UNSPECIFIED", 0), ("ACTIVE", 1)], reserved: &[] },
            ..V1
        },
        old_writes: true,
        status: 2,
        lesson: "Old clients keep sending the value for as long as they run: the new server gets a number it cannot name, and in JSON a name it rejects. Reserve the number and keep accepting it until the old clients are gone.",
    },
];

/// The typed name's options: (key, label, bytes).
pub const TEXTS: [(&str, &str, &[u8]); 3] = [
    ("testing", "testing (protobuf.dev's example)", b"testing"),
    ("zoe", "Zo\u{eb} (\u{eb} is two bytes in UTF-8)", "Zo\u{eb}".as_bytes()),
    ("ff-fe", "the bytes ff fe (not UTF-8)", &[0xff, 0xfe]),
];

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

/// Declared ranges; [`SchemaParams::clamped`] forces values into them.
pub mod ranges {
    /// The typed value: every int32, and int64 values up to a little past 2³² (the share link
    /// stores it as an exact decimal).
    pub const VALUE: (f64, f64) = (-2_147_483_648.0, 4_300_000_000.0);
    pub const NOTICE: (u32, u32) = (1, 36);
    pub const HALF: (f64, f64) = (1.0, 36.0);
    pub const SPREAD: (f64, f64) = (2.0, 36.0);
}

/// The deprecation timeline: months of notice, and how clients move (illustrative).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimelineParams {
    /// Months from deprecation to sunset.
    pub notice_months: u32,
    /// Months until half the traffic has moved to the new version.
    pub half_months: f64,
    /// Months from 10% of the traffic moved to 90%.
    pub spread_months: f64,
}

impl TimelineParams {
    /// A year's notice; half the clients move within 9 months, 10% to 90% takes 18 (illustrative).
    pub const ILLUSTRATIVE: TimelineParams =
        TimelineParams { notice_months: 12, half_months: 9.0, spread_months: 18.0 };
    /// GitHub's REST policy: at least 24 months of support after a successor ships.
    pub const GITHUB: TimelineParams = TimelineParams { notice_months: 24, ..TimelineParams::ILLUSTRATIVE };
    /// Six months' notice.
    pub const HURRIED: TimelineParams = TimelineParams { notice_months: 6, ..TimelineParams::ILLUSTRATIVE };
}

/// The change, the value typed and the timeline.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SchemaParams {
    /// Index into [`CHANGES`].
    pub change: usize,
    /// What the writer puts in `credits`.
    pub value: i64,
    /// Index into [`TEXTS`]: what it puts in the name.
    pub text: usize,
    pub timeline: TimelineParams,
}

impl SchemaParams {
    /// int32 → sint32 with 150, protobuf.dev's number.
    pub const DEFAULT: SchemaParams =
        SchemaParams { change: 6, value: 150, text: 0, timeline: TimelineParams::ILLUSTRATIVE };

    pub fn clamped(mut self) -> SchemaParams {
        self.change = self.change.min(CHANGES.len() - 1);
        self.text = self.text.min(TEXTS.len() - 1);
        self.value = self.value.clamp(ranges::VALUE.0 as i64, ranges::VALUE.1 as i64);
        let t = &mut self.timeline;
        t.notice_months = t.notice_months.clamp(ranges::NOTICE.0, ranges::NOTICE.1);
        t.half_months = crate::num::clamp_or_low(t.half_months, ranges::HALF.0, ranges::HALF.1);
        t.spread_months = crate::num::clamp_or_low(t.spread_months, ranges::SPREAD.0, ranges::SPREAD.1);
        self
    }
}

// ---------------------------------------------------------------------------------------------
// What the reader gets
// ---------------------------------------------------------------------------------------------

/// How one field reached the reader.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seen {
    /// What the writer meant (or both at the default).
    AsSent,
    /// The writer sent a value; the reader sees its default.
    Default,
    /// The writer no longer has the field; the reader sees its default.
    Gone,
    /// A different value (garbage or truncation).
    Misread,
    /// An enum number the reader's schema has no name for.
    Unnamed,
    /// The parser rejected the whole message.
    Rejected,
}

impl Seen {
    /// The text marker beside the value (colour is never the only signal).
    pub fn marker(self) -> &'static str {
        match self {
            Seen::AsSent => "✓ as sent",
            Seen::Default => "✗ default",
            Seen::Gone => "✗ default, field gone",
            Seen::Misread => "✗ misread",
            Seen::Unnamed => "⚠ no name",
            Seen::Rejected => "✗ rejected",
        }
    }

    pub fn is_bad(self) -> bool {
        self != Seen::AsSent
    }
}

/// One field of the reader's schema and what it holds after reading.
#[derive(Clone, Debug, PartialEq)]
pub struct ReaderField {
    /// "credits".
    pub name: &'static str,
    /// "int32 credits = 1".
    pub decl: String,
    /// The value as the reader's program sees it.
    pub shown: String,
    pub seen: Seen,
    /// Why, when it is not as sent.
    pub why: String,
}

/// One record of the bytes on the wire, split for display.
#[derive(Clone, Debug, PartialEq)]
pub struct ByteGroup {
    pub tag: String,
    /// The length prefix of a LEN record ("" for the others).
    pub len: String,
    pub payload: String,
    /// "field 1 · VARINT · credits = 150".
    pub label: String,
    /// The reader has no field for it (or expects another wire type): kept as unknown.
    pub unknown_to_reader: bool,
}

/// A verdict in one rule book.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    /// "WIRE", "WIRE_JSON", "FILE", "GitHub REST".
    pub book: &'static str,
    pub breaking: bool,
    /// The rules that fire, or why none does.
    pub why: String,
}

impl Verdict {
    pub fn word(&self) -> &'static str {
        if self.breaking {
            "✗ breaking"
        } else {
            "✓ compatible"
        }
    }
}

/// The timeline's numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct TimelineReport {
    pub deprecated_on: String,
    pub sunset_on: String,
    /// Share of traffic still on the old version at sunset, 0..1.
    pub old_share_at_sunset: f64,
    /// (months after deprecation, share on the old version).
    pub curve: Vec<(f64, f64)>,
    /// The two response headers an old-version response carries after deprecation.
    pub headers: String,
}

/// Everything the widget shows.
#[derive(Clone, Debug, PartialEq)]
pub struct SchemaReport {
    pub params: SchemaParams,
    pub change: ChangeDef,
    /// "The new server (v2)" / "An old client (v1)".
    pub writer_title: &'static str,
    pub reader_title: &'static str,
    /// `.proto` lines, each with whether the change touched it.
    pub writer_proto: Vec<(String, bool)>,
    pub reader_proto: Vec<(String, bool)>,
    /// Repairs to the typed input (a value an int32 writer cannot hold, bytes a string cannot).
    pub input_notes: Vec<String>,
    pub bytes: Vec<u8>,
    pub groups: Vec<ByteGroup>,
    pub fields: Vec<ReaderField>,
    /// Unknown records the reader keeps, described.
    pub unknown: Vec<String>,
    pub error: Option<String>,
    pub writer_json: String,
    /// What the reader's JSON parser makes of it.
    pub reader_json: String,
    pub json_ok: bool,
    /// WIRE, WIRE_JSON, FILE, GitHub REST.
    pub verdicts: [Verdict; 4],
    pub timeline: TimelineReport,
    pub verdict: String,
}

fn lines_marked(mine: &MessageDef, other: &MessageDef) -> Vec<(String, bool)> {
    let theirs = other.proto_lines();
    mine.proto_lines()
        .into_iter()
        .map(|l| {
            let changed = !theirs.contains(&l);
            (l, changed)
        })
        .collect()
}

fn decl(m: &MessageDef, f: &FieldDef) -> String {
    let ty = if f.ty == Scalar::Enum { m.enum_def.name } else { f.ty.name() };
    format!("{ty} {} = {}", f.name, f.number)
}

fn default_value(f: &FieldDef) -> Value {
    match f.ty {
        Scalar::String => Value::Str(String::new()),
        Scalar::Bytes => Value::Bytes(Vec::new()),
        Scalar::Enum => Value::Enum(0),
        Scalar::Bool => Value::Bool(false),
        Scalar::Uint64 | Scalar::Fixed64 => Value::Uint(0),
        _ => Value::Int(0),
    }
}

/// The writer's values, one per field of `w`, and notes on what its types did to the input.
pub fn writer_values(w: &MessageDef, p: &SchemaParams) -> (Vec<Option<Value>>, Vec<String>) {
    let mut notes = Vec::new();
    let text = TEXTS[p.text.min(TEXTS.len() - 1)].2;
    let values = w
        .fields
        .iter()
        .map(|f| match f.name {
            "credits" => {
                let held = f.ty.read_bits(f.ty.wire_bits(p.value));
                if held.integer() != Some(p.value as i128) {
                    notes.push(format!(
                        "{} does not fit the writer's {}: its program holds {} (a C++-style cast).",
                        crate::fmt::grouped(p.value as f64),
                        f.ty.name(),
                        held.show(&w.enum_def)
                    ));
                }
                Some(held)
            }
            "display_name" | "full_name" => Some(match (f.ty, std::str::from_utf8(text)) {
                (Scalar::Bytes, _) => Value::Bytes(text.to_vec()),
                (_, Ok(s)) => Value::Str(s.to_string()),
                (_, Err(_)) => {
                    notes.push(
                        "A string cannot hold the bytes ff fe (not UTF-8): the writer's language replaces each with U+FFFD."
                            .to_string(),
                    );
                    Value::Str(String::from_utf8_lossy(text).into_owned())
                }
            }),
            "status" => Some(Value::Enum(p.change_def().status)),
            "email" => Some(Value::Str(EMAIL.to_string())),
            _ => None,
        })
        .collect();
    (values, notes)
}

impl SchemaParams {
    pub fn change_def(&self) -> &'static ChangeDef {
        &CHANGES[self.change.min(CHANGES.len() - 1)]
    }
}

/// The writer's field that the reader's field `r` stands for: the same number, or else the
/// same name.
fn counterpart<'a>(w: &'a MessageDef, r: &FieldDef) -> Option<(usize, &'a FieldDef)> {
    w.field(r.number).or_else(|| w.fields.iter().enumerate().find(|(_, f)| f.name == r.name))
}

fn reader_fields(w: &MessageDef, r: &MessageDef, sent: &[Option<Value>], d: &pb::Decoded) -> Vec<ReaderField> {
    r.fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let got = d.values[i].clone();
            let shown_value = got.clone().unwrap_or_else(|| default_value(f));
            let shown = shown_value.show(&r.enum_def);
            let meant = counterpart(w, f).and_then(|(j, wf)| sent[j].clone().map(|v| (wf, v)));
            let (seen, why) = if let Some(e) = d.error {
                (Seen::Rejected, format!("The parser stopped: {}.", e.message()))
            } else {
                match (meant, got) {
                    (None, _) if counterpart(w, f).is_none() => {
                        (Seen::Gone, "The writer's schema no longer has this field, so it never sends it.".to_string())
                    }
                    (None, _) => (Seen::AsSent, String::new()),
                    (Some((_, m)), _) if m.is_default() && shown_value.same_as(&m) => (Seen::AsSent, String::new()),
                    (Some((wf, m)), None) => {
                        let sent_as = m.show(&w.enum_def);
                        let why = if d.cleared.contains(&i) {
                            format!("The writer sent {sent_as}, but a later member of the same oneof cleared it.")
                        } else if wf.number != f.number {
                            format!("The writer sent {sent_as} as field {}; this reader looks for field {}.", wf.number, f.number)
                        } else {
                            format!("The writer sent {sent_as} as {}; this reader expects {} and keeps it as unknown.", wf.ty.wire_type().name(), f.ty.wire_type().name())
                        };
                        (Seen::Default, why)
                    }
                    (Some((_, m)), Some(v)) => {
                        if let Value::Enum(n) = v {
                            if r.enum_def.name_of(n).is_none() {
                                return ReaderField {
                                    name: f.name,
                                    decl: decl(r, f),
                                    shown,
                                    seen: Seen::Unnamed,
                                    why: format!("The writer sent {}; this reader's Status has no value {n}, so the program holds a bare number.", m.show(&w.enum_def)),
                                };
                            }
                        }
                        if v.same_as(&m) {
                            (Seen::AsSent, String::new())
                        } else {
                            (Seen::Misread, format!("The writer meant {}.", m.show(&w.enum_def)))
                        }
                    }
                }
            };
            ReaderField { name: f.name, decl: decl(r, f), shown, seen, why }
        })
        .collect()
}

fn byte_groups(w: &MessageDef, r: &MessageDef, sent: &[Option<Value>], bytes: &[u8]) -> Vec<ByteGroup> {
    pb::scan(bytes)
        .records
        .iter()
        .map(|rec| {
            let name = w.field(rec.number).map(|(j, f)| {
                let v = sent[j].as_ref().map(|v| v.show(&w.enum_def)).unwrap_or_default();
                format!("{} = {v}", f.name)
            });
            let unknown_to_reader = !matches!(r.field(rec.number), Some((_, f)) if f.ty.wire_type() == rec.wire);
            ByteGroup {
                tag: pb::hex(&bytes[rec.start..rec.tag_end]),
                len: pb::hex(&bytes[rec.tag_end..rec.payload]),
                payload: pb::hex(&bytes[rec.payload..rec.end]),
                label: format!("field {} · {} · {}", rec.number, rec.wire.name(), name.unwrap_or_default()),
                unknown_to_reader,
            }
        })
        .collect()
}

/// What a tolerant proto3 JSON reader makes of the writer's JSON.
#[derive(Clone, Debug, PartialEq)]
pub struct JsonRead {
    /// One per field of the reader's message.
    pub values: Vec<Option<Value>>,
    /// Keys and enum names the reader does not know, skipped.
    pub dropped: Vec<String>,
    /// Why the reader rejects the message (a number out of its type's range, a value of the wrong
    /// kind), when it does.
    pub error: Option<String>,
}

/// Reads the writer's JSON as a tolerant reader: unknown keys and enum names are skipped (a
/// protobuf JSON parser does this only when told to ignore unknown fields; on its defaults it
/// rejects the message), numbers must fit the reader's type, bytes arrive as base64 text.
pub fn json_read(w: &MessageDef, r: &MessageDef, sent: &[Option<Value>]) -> JsonRead {
    let mut out = JsonRead { values: vec![None; r.fields.len()], dropped: Vec::new(), error: None };
    for (wf, v) in w.fields.iter().zip(sent) {
        let Some(v) = v.as_ref().filter(|v| !v.is_default()) else { continue };
        let key = wf.json_name();
        let Some((i, rf)) = r.fields.iter().enumerate().find(|(_, f)| f.json_name() == key || f.name == key) else {
            out.dropped.push(format!("\"{key}\""));
            continue;
        };
        let read = match (rf.ty, v) {
            (Scalar::Enum, Value::Enum(n)) => match w.enum_def.name_of(*n) {
                Some(name) => match r.enum_def.values.iter().find(|x| x.0 == name) {
                    Some(x) => Value::Enum(x.1),
                    None => {
                        out.dropped.push(format!("\"{key}\": \"{name}\""));
                        continue;
                    }
                },
                None => Value::Enum(*n),
            },
            (Scalar::String, Value::Bytes(b)) => Value::Str(pb::base64(b)),
            (Scalar::String, Value::Str(s)) => Value::Str(s.clone()),
            (Scalar::Bytes, Value::Bytes(b)) => Value::Bytes(b.clone()),
            (ty, v) if ty != Scalar::String && ty != Scalar::Bytes && v.integer().is_some() => {
                let n = v.integer().unwrap_or(0);
                let (lo, hi) = ty.range();
                if n < lo || n > hi {
                    out.error = Some(format!(
                        "{} is out of range for the reader's {} {}",
                        pb::json_value(wf, &w.enum_def, v),
                        ty.name(),
                        rf.name
                    ));
                    break;
                }
                ty.read_bits(n as i64 as u64)
            }
            _ => {
                out.error = Some(format!("\"{key}\" holds a value the reader's {} cannot parse", rf.ty.name()));
                break;
            }
        };
        out.values[i] = Some(read);
    }
    if out.error.is_some() {
        out.values = vec![None; r.fields.len()];
    }
    out
}

fn wire_compatible(a: Scalar, b: Scalar) -> bool {
    use Scalar::*;
    let group = |t: Scalar| match t {
        Int32 | Uint32 | Int64 | Uint64 | Bool => 0,
        Sint32 | Sint64 => 1,
        Fixed32 | Sfixed32 => 2,
        Fixed64 | Sfixed64 => 3,
        String | Bytes => 4,
        Enum => 5,
    };
    group(a) == group(b)
}

fn wire_json_compatible(a: Scalar, b: Scalar) -> bool {
    let bytes = |t: Scalar| t == Scalar::Bytes;
    let boolean = |t: Scalar| t == Scalar::Bool;
    wire_compatible(a, b)
        && a.json_quoted_number() == b.json_quoted_number()
        && bytes(a) == bytes(b)
        && boolean(a) == boolean(b)
}

/// One rule that fires: its name, its categories and what it found.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub rule: &'static str,
    pub wire: bool,
    pub wire_json: bool,
    pub file: bool,
    pub what: String,
}

/// buf's breaking-change rules, v1 → v2 (see the module docs' table).
pub fn buf_findings(old: &MessageDef, new: &MessageDef) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut push =
        |rule, (wire, wire_json, file), what: String| out.push(Finding { rule, wire, wire_json, file, what });
    for o in old.fields {
        match new.field(o.number) {
            None => {
                let what = format!("field {} \"{}\" deleted", o.number, o.name);
                push("FIELD_NO_DELETE", (false, false, true), what.clone());
                if !new.reserved_numbers.contains(&o.number) {
                    push("FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED", (true, true, false), what.clone());
                }
                if !new.reserved_names.contains(&o.name) {
                    push("FIELD_NO_DELETE_UNLESS_NAME_RESERVED", (false, true, false), what);
                }
            }
            Some((_, n)) => {
                if n.name != o.name {
                    push(
                        "FIELD_SAME_NAME",
                        (false, false, true),
                        format!("field {} renamed {} → {}", o.number, o.name, n.name),
                    );
                }
                if n.json_name() != o.json_name() {
                    push(
                        "FIELD_SAME_JSON_NAME",
                        (false, true, true),
                        format!("JSON name {} → {}", o.json_name(), n.json_name()),
                    );
                }
                if n.ty != o.ty {
                    let what = format!("field {} type {} → {}", o.number, o.ty.name(), n.ty.name());
                    push("FIELD_SAME_TYPE", (false, false, true), what.clone());
                    if !wire_compatible(o.ty, n.ty) {
                        push("FIELD_WIRE_COMPATIBLE_TYPE", (true, false, false), what.clone());
                    }
                    if !wire_json_compatible(o.ty, n.ty) {
                        push("FIELD_WIRE_JSON_COMPATIBLE_TYPE", (false, true, false), what);
                    }
                }
                if n.oneof != o.oneof {
                    push(
                        "FIELD_SAME_ONEOF",
                        (true, true, true),
                        format!("field {} \"{}\" moved into a oneof", o.number, o.name),
                    );
                }
            }
        }
    }
    for &(name, n) in old.enum_def.values {
        match new.enum_def.name_of(n) {
            None => {
                let what = format!("enum value {name} = {n} deleted");
                push("ENUM_VALUE_NO_DELETE", (false, false, true), what.clone());
                if !new.enum_def.reserved.contains(&n) {
                    push("ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED", (true, true, false), what.clone());
                }
                push("ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED", (false, true, false), what);
            }
            Some(other) if other != name => {
                push("ENUM_VALUE_SAME_NAME", (false, true, true), format!("enum value {n} renamed {name} → {other}"))
            }
            Some(_) => {}
        }
    }
    out
}

/// The verdict of one buf category from the findings.
fn category(book: &'static str, findings: &[Finding], pick: fn(&Finding) -> bool) -> Verdict {
    let rules: Vec<String> = findings.iter().filter(|f| pick(f)).map(|f| format!("{} ({})", f.rule, f.what)).collect();
    Verdict {
        book,
        breaking: !rules.is_empty(),
        why: if rules.is_empty() { "No rule in this category fires.".to_string() } else { rules.join("; ") },
    }
}

/// How a type's values look in JSON, for GitHub's "changing the type of a response field".
fn json_kind(t: Scalar) -> &'static str {
    match t {
        Scalar::String => "string",
        Scalar::Bytes => "base64 string",
        Scalar::Enum => "enum name",
        Scalar::Bool => "boolean",
        t if t.json_quoted_number() => "string of digits",
        _ => "number",
    }
}

/// GitHub's REST rules applied to the two JSON shapes (docs.github.com, "Breaking changes").
pub fn github_verdict(old: &MessageDef, new: &MessageDef) -> Verdict {
    let mut breaking = Vec::new();
    let mut additive = Vec::new();
    for o in old.fields {
        match new.fields.iter().find(|n| n.json_name() == o.json_name()) {
            None => breaking.push(format!("removing or renaming a response field ({})", o.json_name())),
            Some(n) if json_kind(n.ty) != json_kind(o.ty) => breaking.push(format!(
                "changing the type of a response field ({}: {} → {})",
                o.json_name(),
                json_kind(o.ty),
                json_kind(n.ty)
            )),
            Some(_) => {}
        }
    }
    for n in new.fields {
        if !old.fields.iter().any(|o| o.json_name() == n.json_name()) {
            additive.push(format!("adding a response field ({})", n.json_name()));
        }
    }
    for (name, _) in old.enum_def.values {
        if !new.enum_def.values.iter().any(|v| v.0 == *name) {
            breaking.push(format!("removing enum values ({name})"));
        }
    }
    for (name, _) in new.enum_def.values {
        if !old.enum_def.values.iter().any(|v| v.0 == *name) {
            additive.push(format!("adding enum values ({name})"));
        }
    }
    let why = if !breaking.is_empty() {
        format!("Breaking: {}.", breaking.join("; "))
    } else if !additive.is_empty() {
        format!("Additive: {}.", additive.join("; "))
    } else {
        "Nothing a JSON client can see changes: JSON carries names, not field numbers or wire types.".to_string()
    };
    Verdict { book: "GitHub REST", breaking: !breaking.is_empty(), why }
}

// ---------------------------------------------------------------------------------------------
// The deprecation timeline
// ---------------------------------------------------------------------------------------------

/// The day the old version is deprecated and its successor ships: GitHub's REST version
/// 2022-11-28.
pub const DEPRECATED_ON: (i32, u32, u32) = (2022, 11, 28);

/// Share of traffic still on the old version `t` months after deprecation.
pub fn old_share(p: &TimelineParams, t: f64) -> f64 {
    let k = 2.0 * libm::log(9.0) / p.spread_months;
    let s = 1.0 / (1.0 + libm::exp(k * (t - p.half_months)));
    if s.is_finite() {
        s
    } else {
        0.0
    }
}

/// `date` plus `months`, the day clamped to the month's length.
pub fn add_months((y, m, d): (i32, u32, u32), months: u32) -> (i32, u32, u32) {
    let total = (m - 1 + months) as i32;
    let (y, m) = (y + total / 12, (total % 12) as u32 + 1);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let len = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][(m - 1) as usize];
    (y, m, d.min(len))
}

/// Days since 1970-01-01 (H. Hinnant's `days_from_civil`).
pub fn days_from_civil((y, m, d): (i32, u32, u32)) -> i64 {
    let y = if m <= 2 { y - 1 } else { y } as i64;
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// "2024-11-28".
pub fn iso((y, m, d): (i32, u32, u32)) -> String {
    format!("{y}-{m:02}-{d:02}")
}

/// An HTTP-date at midnight UTC, as the Sunset header writes it: "Thu, 28 Nov 2024 00:00:00 GMT".
pub fn http_date(date: (i32, u32, u32)) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let wd = DAYS[days_from_civil(date).rem_euclid(7) as usize];
    format!("{wd}, {:02} {} {} 00:00:00 GMT", date.2, MONTHS[(date.1 - 1) as usize], date.0)
}

/// The timeline: dates, the share left at sunset, the curve, the headers.
pub fn timeline(p: &TimelineParams) -> TimelineReport {
    let sunset = add_months(DEPRECATED_ON, p.notice_months);
    let horizon = (p.notice_months as f64).max(p.half_months + p.spread_months) + 6.0;
    let steps = (horizon * 2.0) as usize;
    let curve = (0..=steps).map(|i| (i as f64 / 2.0, old_share(p, i as f64 / 2.0))).collect();
    let epoch = days_from_civil(DEPRECATED_ON) * 86_400;
    TimelineReport {
        deprecated_on: iso(DEPRECATED_ON),
        sunset_on: iso(sunset),
        old_share_at_sunset: old_share(p, p.notice_months as f64),
        curve,
        headers: format!("Deprecation: @{epoch} · Sunset: {}", http_date(sunset)),
    }
}

// ---------------------------------------------------------------------------------------------
// The report
// ---------------------------------------------------------------------------------------------

/// Writes, reads and judges the change.
pub fn analyse(p: &SchemaParams) -> SchemaReport {
    let p = p.clamped();
    let change = *p.change_def();
    let (w, r) = if change.old_writes { (V1, change.v2) } else { (change.v2, V1) };
    let (writer_title, reader_title) = if change.old_writes {
        ("Writer: an old client (v1)", "Reader: the new server (v2)")
    } else {
        ("Writer: the new server (v2)", "Reader: an old client (v1)")
    };
    let (sent, input_notes) = writer_values(&w, &p);
    // The oneof change: the old client sends both members, the new server keeps the last.
    let bytes = pb::encode(&w, &sent);
    let d = pb::decode(&r, &bytes);
    let fields = reader_fields(&w, &r, &sent, &d);
    let unknown = d
        .unknown
        .iter()
        .map(|u| {
            let how = if u.mismatched {
                format!("arrived as {}, which this reader does not expect for it", u.wire.name())
            } else {
                "is not in this reader's schema".to_string()
            };
            format!(
                "Field {} ({} bytes) {how}: kept as an unknown field and written back out if the message is passed on.",
                u.number,
                u.bytes.len()
            )
        })
        .collect();
    let writer_json = pb::to_json(&w, &sent);
    let j = json_read(&w, &r, &sent);
    let (reader_json, json_ok) = match &j.error {
        None => {
            let ok = r.fields.iter().zip(&j.values).all(|(f, v)| {
                let meant = counterpart(&w, f).and_then(|(k, _)| sent[k].clone()).filter(|v| !v.is_default());
                match (meant, v) {
                    (None, None) => counterpart(&w, f).is_some(),
                    (Some(m), Some(v)) => {
                        m.same_as(v) && !matches!(v, Value::Enum(n) if r.enum_def.name_of(*n).is_none())
                    }
                    _ => false,
                }
            });
            let mut text = pb::to_json(&r, &j.values);
            if !j.dropped.is_empty() {
                text.push_str(&format!(
                    ", skipping {} (unknown to this reader; a protobuf JSON parser on its defaults would reject the whole message)",
                    j.dropped.join(", ")
                ));
            }
            (text, ok)
        }
        Some(why) => (format!("Rejected: {why}."), false),
    };
    let findings = buf_findings(&V1, &change.v2);
    let verdicts = [
        category("WIRE", &findings, |f| f.wire),
        category("WIRE_JSON", &findings, |f| f.wire_json),
        category("FILE", &findings, |f| f.file),
        github_verdict(&V1, &change.v2),
    ];
    let timeline = timeline(&p.timeline);
    let who = if change.old_writes { "the new server" } else { "an old client" };
    let bad: Vec<&ReaderField> = fields.iter().filter(|f| f.seen.is_bad()).collect();
    let mut verdict = match (d.error, bad.first()) {
        (Some(e), _) => format!("Breaks on the wire: {who} rejects the whole message ({}).", e.message()),
        (None, Some(f)) if f.seen == Seen::Unnamed => {
            format!("Risky on the wire: {who} gets {} = {}, a number its schema has no name for.", f.name, f.shown)
        }
        (None, Some(f)) => format!("Breaks on the wire: {who} reads {} as {} ({}).", f.name, f.shown, f.seen.marker()),
        (None, None) => format!("On the wire {who} reads every field as sent."),
    };
    verdict.push_str(match (json_ok, bad.is_empty() && d.error.is_none()) {
        (true, _) => " Over JSON it reads the same.",
        (false, true) => " Over JSON it does not.",
        (false, false) => " Over JSON it does not either.",
    });
    let books: Vec<&str> = verdicts[..3].iter().filter(|v| v.breaking).map(|v| v.book).collect();
    if books.is_empty() {
        verdict.push_str(" buf passes it in every category");
    } else {
        verdict.push_str(&format!(" buf flags it in {}", books.join(", ")));
    }
    verdict.push_str(if verdicts[3].breaking {
        "; GitHub's REST policy counts it as breaking."
    } else {
        "; GitHub's REST policy does not count it as breaking."
    });
    SchemaReport {
        params: p,
        change,
        writer_title,
        reader_title,
        writer_proto: lines_marked(&w, &r),
        reader_proto: lines_marked(&r, &w),
        input_notes,
        groups: byte_groups(&w, &r, &sent, &bytes),
        bytes,
        fields,
        unknown,
        error: d.error.map(DecodeError::message),
        writer_json,
        reader_json,
        json_ok,
        verdicts,
        timeline,
        verdict,
    }
}

// ---------------------------------------------------------------------------------------------
// The widget
// ---------------------------------------------------------------------------------------------

const CHANGE_KEYS: [&str; 11] = {
    let mut k = [""; 11];
    let mut i = 0;
    while i < 11 {
        k[i] = CHANGES[i].key;
        i += 1;
    }
    k
};
const CHANGE_LABELS: [&str; 11] = {
    let mut k = [""; 11];
    let mut i = 0;
    while i < 11 {
        k[i] = CHANGES[i].label;
        i += 1;
    }
    k
};
const TEXT_KEYS: [&str; 3] = [TEXTS[0].0, TEXTS[1].0, TEXTS[2].0];
const TEXT_LABELS: [&str; 3] = [TEXTS[0].1, TEXTS[1].1, TEXTS[2].1];

const fn timeline_preset(t: &TimelineParams) -> [(&'static str, f64); 3] {
    [("notice", t.notice_months as f64), ("half", t.half_months), ("spread", t.spread_months)]
}

/// The assumptions a decision note states.
pub const ASSUMPTIONS: &str = "Proto3 with implicit presence; parsers on their defaults (unknown binary fields kept, \
unknown JSON keys rejected, strings checked for UTF-8). Client migration follows an illustrative logistic S-curve, \
not measured adoption.";
/// The dated policy the timeline starts from.
pub const GITHUB_POLICY: &str = "GitHub supports the previous REST API version for at least 24 months after a new \
one is released; version 2022-11-28 is the example.";

/// Will old clients break? A change to a protobuf message, the bytes, what the other side reads,
/// the verdicts, and the deprecation timeline.
pub const SCHEMA_EVOLUTION: WidgetSpec = WidgetSpec {
    name: "schema-evolution",
    about: About {
        question: "Will this change to our API's schema break the clients already deployed, and how long must the old \
                   version keep running before we switch it off?",
        assumptions: &[(ASSUMPTIONS, ""), (GITHUB_POLICY, "December 2026")],
        sources: &[
            "Google, Protocol Buffers: Encoding (protobuf.dev, 2024)",
            "Google, Language Guide (proto3): Updating a message type (protobuf.dev, 2024)",
            "Buf, Breaking change rules and categories (buf.build, 2025)",
            "GitHub, REST API breaking changes and API versions (docs.github.com, 2024)",
            "E. Wilde, The Sunset HTTP Header Field, RFC 8594 (2019)",
            "S. Dalal, E. Wilde, The Deprecation HTTP Response Header Field, RFC 9745 (2025)",
        ],
    },
    reserve_rem: 88.0,
    hot: false,
    title: "Will old clients break?",
    params: &[
        labelled(choice("change", "The change", &CHANGE_KEYS, 6), &CHANGE_LABELS),
        range("value", "The number the writer puts in credits", ranges::VALUE.0, ranges::VALUE.1, 1.0, 150.0, "")
            .in_group("value"),
        labelled(choice("text", "The name it puts in display_name", &TEXT_KEYS, 0), &TEXT_LABELS),
        range("notice", "Notice from deprecation to sunset", 1.0, 36.0, 1.0, 12.0, "months").in_group("timeline"),
        range("half", "Months until half the traffic has moved", 1.0, 36.0, 1.0, 9.0, "months").in_group("timeline"),
        range("spread", "Months from 10% to 90% moved", 2.0, 36.0, 1.0, 18.0, "months").in_group("timeline"),
    ],
    presets: &[
        ("github", &timeline_preset(&TimelineParams::GITHUB)),
        ("hurried", &timeline_preset(&TimelineParams::HURRIED)),
    ],
};

/// Schema-evolution parameters for a state.
pub fn schema_params(state: &State) -> SchemaParams {
    SchemaParams {
        change: value!(SCHEMA_EVOLUTION, state, "change") as usize,
        value: value!(SCHEMA_EVOLUTION, state, "value") as i64,
        text: value!(SCHEMA_EVOLUTION, state, "text") as usize,
        timeline: TimelineParams {
            notice_months: value!(SCHEMA_EVOLUTION, state, "notice") as u32,
            half_months: value!(SCHEMA_EVOLUTION, state, "half"),
            spread_months: value!(SCHEMA_EVOLUTION, state, "spread"),
        },
    }
    .clamped()
}

/// What the widget shows: the verdict; the bytes; what the reader sees, field by field; the JSON
/// both ways; the four rule books' verdicts; the sunset and the traffic left on the old version.
pub fn schema_facts(r: &SchemaReport) -> Facts {
    let mut readouts = Vec::with_capacity(12);
    readouts.push(
        Readout::new(
            "bytes",
            format!("On the wire ({})", crate::fmt::plural(r.bytes.len() as f64, "byte", "bytes")),
            pb::hex(&r.bytes),
        )
        .wide(),
    );
    let seen: Vec<String> =
        r.fields.iter().map(|f| format!("{} → {} ({})", f.decl, f.shown, f.seen.marker())).collect();
    readouts.push(
        Readout::new("reader", r.reader_title.trim_start_matches("Reader: ").to_string() + " sees", seen.join("; "))
            .wide(),
    );
    readouts.push(Readout::new("json", "JSON as written", r.writer_json.clone()).wide());
    readouts.push(Readout::new("json-read", "JSON as read", r.reader_json.clone()).wide());
    // (Labels without underscores: the note's Markdown would escape them.)
    let books = [
        ("wire", "buf, wire category"),
        ("wire-json", "buf, wire-and-JSON category"),
        ("file", "buf, file category (the default)"),
        ("github", "GitHub's REST list"),
    ];
    for ((key, label), v) in books.into_iter().zip(&r.verdicts) {
        readouts.push(Readout::new(key, label, v.word()));
    }
    let t = &r.timeline;
    readouts.push(Readout::new("sunset", "Sunset", format!("{} (deprecated {})", t.sunset_on, t.deprecated_on)));
    readouts.push(Readout::new(
        "left",
        "Traffic still on the old version at sunset",
        crate::fmt::percent_fine(t.old_share_at_sunset),
    ));
    readouts.push(Readout::new("headers", "Old-version responses carry", t.headers.clone()).wide());
    Facts { verdict: r.verdict.clone(), readouts, run: Vec::new() }
}
