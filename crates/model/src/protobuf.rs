//! A small protobuf codec, enough to show what an old program reads from a new program's bytes:
//! varints, zigzag, fixed 32- and 64-bit fields, length-delimited fields (strings, bytes, packed
//! repeated numbers), unknown-field retention and proto3 JSON names. No reflection, no code
//! generation and no serde: a message is a `const` table of fields ([`MessageDef`]), a value is
//! a [`Value`], and the bytes are built and read here, byte for byte as protobuf.dev's
//! "Encoding" page describes them.
//!
//! # The wire format
//!
//! A message is a sequence of records. Each starts with a tag, the varint
//! `(field_number << 3) | wire_type`, where the wire type says how to find the record's end:
//!
//! | wire type | id | payload | used for |
//! |---|---|---|---|
//! | VARINT | 0 | base-128 varint, low 7 bits first, high bit = more | int32, int64, uint32, uint64, sint32, sint64, bool, enum |
//! | I64 | 1 | 8 bytes, little-endian | fixed64, sfixed64, double |
//! | LEN | 2 | varint length, then that many bytes | string, bytes, messages, packed repeated |
//! | SGROUP, EGROUP | 3, 4 | (deprecated groups; rejected here) | |
//! | I32 | 5 | 4 bytes, little-endian | fixed32, sfixed32, float |
//!
//! int32 and enum values are sign-extended to 64 bits before encoding, so a negative int32 takes
//! ten bytes; sint32 and sint64 are zigzag-encoded first (`(n << 1) ^ (n >> 31)`: 0, −1, 1, −2 →
//! 0, 1, 2, 3), so small negative numbers stay small. A reader decodes a varint into its own
//! declared type: int32/uint32/int64/uint64/bool are compatible with each other, with C++ cast
//! semantics (a 64-bit number read as int32 keeps its low 32 bits), sint32/sint64 only with each
//! other. A record whose number the reader does not know, or whose wire type does not match the
//! reader's declaration, is kept as an unknown field and written back out when the message is
//! re-encoded. A string field must hold valid UTF-8: proto3 parsers reject the whole message
//! otherwise.
//!
//! Proto3 writes fields with implicit presence only when they differ from the default (0, false,
//! the empty string, the first enum value), so a 0 costs no bytes at all.
//!
//! In the proto3 JSON mapping a field's key is its lowerCamelCase name (`display_name` →
//! `displayName`), 64-bit integers are strings (JavaScript's numbers cannot hold them), bytes are
//! base64 and enum values are their names. Sources: Google, "Encoding" and "ProtoJSON Format",
//! protobuf.dev (2024).

/// The largest field number: 2²⁹ − 1.
pub const MAX_FIELD_NUMBER: u32 = (1 << 29) - 1;
/// Field numbers protobuf reserves for its own implementation.
pub const IMPLEMENTATION_RESERVED: (u32, u32) = (19_000, 19_999);

/// How a record's payload is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WireType {
    Varint,
    I64,
    Len,
    SGroup,
    EGroup,
    I32,
}

impl WireType {
    /// The three bits in the tag.
    pub fn id(self) -> u8 {
        match self {
            WireType::Varint => 0,
            WireType::I64 => 1,
            WireType::Len => 2,
            WireType::SGroup => 3,
            WireType::EGroup => 4,
            WireType::I32 => 5,
        }
    }

    pub fn from_id(id: u8) -> Option<WireType> {
        [WireType::Varint, WireType::I64, WireType::Len, WireType::SGroup, WireType::EGroup, WireType::I32]
            .get(id as usize)
            .copied()
    }

    /// The name protobuf.dev uses.
    pub fn name(self) -> &'static str {
        ["VARINT", "I64", "LEN", "SGROUP", "EGROUP", "I32"][self.id() as usize]
    }
}

/// Why bytes could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// The bytes end inside a record.
    Truncated,
    /// A varint longer than ten bytes.
    VarintTooLong,
    /// Wire type 6 or 7.
    BadWireType(u8),
    /// Field number 0, or above [`MAX_FIELD_NUMBER`].
    BadFieldNumber,
    /// Deprecated groups (wire types 3 and 4).
    Group,
    /// A string field holding bytes that are not UTF-8: proto3 rejects the message.
    InvalidUtf8(u32),
}

impl DecodeError {
    pub fn message(self) -> String {
        match self {
            DecodeError::Truncated => "the bytes end in the middle of a field".into(),
            DecodeError::VarintTooLong => "a varint runs past ten bytes".into(),
            DecodeError::BadWireType(t) => format!("wire type {t} does not exist"),
            DecodeError::BadFieldNumber => "a field number outside 1 to 536,870,911".into(),
            DecodeError::Group => "a group (deprecated; not supported)".into(),
            DecodeError::InvalidUtf8(n) => {
                format!("field {n} is a string but its bytes are not UTF-8, so the parser rejects the whole message")
            }
        }
    }
}

/// Appends `v` as a base-128 varint.
pub fn encode_varint(mut v: u64, out: &mut Vec<u8>) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// The varint at the start of `buf` and how many bytes it took.
pub fn decode_varint(buf: &[u8]) -> Result<(u64, usize), DecodeError> {
    let mut v = 0u64;
    for (i, &b) in buf.iter().enumerate() {
        if i == 10 {
            return Err(DecodeError::VarintTooLong);
        }
        v |= ((b & 0x7f) as u64) << (7 * i);
        if b < 0x80 {
            return Ok((v, i + 1));
        }
    }
    Err(DecodeError::Truncated)
}

/// Bytes the varint of `v` takes (1 to 10).
pub fn varint_len(v: u64) -> usize {
    let mut n = 1;
    let mut v = v >> 7;
    while v != 0 {
        n += 1;
        v >>= 7;
    }
    n
}

/// sint32's zigzag mapping: 0, −1, 1, −2, … → 0, 1, 2, 3, …
pub fn zigzag32(n: i32) -> u32 {
    ((n << 1) ^ (n >> 31)) as u32
}

/// The inverse of [`zigzag32`].
pub fn unzigzag32(n: u32) -> i32 {
    (n >> 1) as i32 ^ -((n & 1) as i32)
}

/// sint64's zigzag mapping.
pub fn zigzag64(n: i64) -> u64 {
    ((n << 1) ^ (n >> 63)) as u64
}

/// The inverse of [`zigzag64`].
pub fn unzigzag64(n: u64) -> i64 {
    (n >> 1) as i64 ^ -((n & 1) as i64)
}

/// A record's tag: `(field << 3) | wire type`.
pub fn tag(field: u32, wire: WireType) -> u64 {
    ((field as u64) << 3) | wire.id() as u64
}

/// Bytes a tag of field `field` takes: 1 up to field 15, 2 up to 2,047, 3 up to 262,143, 4 up
/// to 33,554,431, 5 beyond.
pub fn tag_len(field: u32) -> usize {
    varint_len(tag(field, WireType::Varint))
}

/// A scalar field type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scalar {
    Int32,
    Int64,
    Uint32,
    Uint64,
    Sint32,
    Sint64,
    Bool,
    Enum,
    Fixed32,
    Fixed64,
    Sfixed32,
    Sfixed64,
    String,
    Bytes,
}

impl Scalar {
    /// The keyword in a `.proto` file (an enum field shows its enum's name instead).
    pub fn name(self) -> &'static str {
        match self {
            Scalar::Int32 => "int32",
            Scalar::Int64 => "int64",
            Scalar::Uint32 => "uint32",
            Scalar::Uint64 => "uint64",
            Scalar::Sint32 => "sint32",
            Scalar::Sint64 => "sint64",
            Scalar::Bool => "bool",
            Scalar::Enum => "enum",
            Scalar::Fixed32 => "fixed32",
            Scalar::Fixed64 => "fixed64",
            Scalar::Sfixed32 => "sfixed32",
            Scalar::Sfixed64 => "sfixed64",
            Scalar::String => "string",
            Scalar::Bytes => "bytes",
        }
    }

    pub fn wire_type(self) -> WireType {
        match self {
            Scalar::Fixed64 | Scalar::Sfixed64 => WireType::I64,
            Scalar::Fixed32 | Scalar::Sfixed32 => WireType::I32,
            Scalar::String | Scalar::Bytes => WireType::Len,
            _ => WireType::Varint,
        }
    }

    /// Whether proto3 JSON writes this type's values as strings of digits (the 64-bit types).
    pub fn json_quoted_number(self) -> bool {
        matches!(self, Scalar::Int64 | Scalar::Uint64 | Scalar::Sint64 | Scalar::Fixed64 | Scalar::Sfixed64)
    }

    /// The smallest and largest value a field of this integer type holds (bool 0 to 1).
    pub fn range(self) -> (i128, i128) {
        match self {
            Scalar::Int32 | Scalar::Sint32 | Scalar::Sfixed32 | Scalar::Enum => (i32::MIN as i128, i32::MAX as i128),
            Scalar::Uint32 | Scalar::Fixed32 => (0, u32::MAX as i128),
            Scalar::Int64 | Scalar::Sint64 | Scalar::Sfixed64 => (i64::MIN as i128, i64::MAX as i128),
            Scalar::Uint64 | Scalar::Fixed64 => (0, u64::MAX as i128),
            Scalar::Bool => (0, 1),
            Scalar::String | Scalar::Bytes => (0, 0),
        }
    }

    fn is_number(self) -> bool {
        !matches!(self, Scalar::String | Scalar::Bytes)
    }

    /// The 64 bits a writer of this type puts on the wire for `v` (a varint's value, or a fixed
    /// field's bits), after the cast the writer's own integer type makes.
    pub fn wire_bits(self, v: i64) -> u64 {
        match self {
            Scalar::Int32 | Scalar::Enum => v as i32 as i64 as u64,
            Scalar::Uint32 | Scalar::Fixed32 => v as u32 as u64,
            Scalar::Sfixed32 => v as i32 as u32 as u64,
            Scalar::Sint32 => zigzag32(v as i32) as u64,
            Scalar::Sint64 => zigzag64(v),
            Scalar::Bool => (v != 0) as u64,
            _ => v as u64,
        }
    }

    /// What a reader of this type makes of wire bits `bits` (C++ cast semantics).
    pub fn read_bits(self, bits: u64) -> Value {
        match self {
            Scalar::Int32 | Scalar::Sfixed32 => Value::Int(bits as u32 as i32 as i64),
            Scalar::Enum => Value::Enum(bits as u32 as i32),
            Scalar::Uint32 | Scalar::Fixed32 => Value::Int(bits as u32 as i64),
            Scalar::Sint32 => Value::Int(unzigzag32(bits as u32) as i64),
            Scalar::Sint64 => Value::Int(unzigzag64(bits)),
            Scalar::Uint64 | Scalar::Fixed64 => Value::Uint(bits),
            Scalar::Bool => Value::Bool(bits != 0),
            _ => Value::Int(bits as i64),
        }
    }
}

/// One field of a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldDef {
    pub name: &'static str,
    pub number: u32,
    pub ty: Scalar,
    /// `repeated` (numbers are packed, proto3's default).
    pub repeated: bool,
    /// The oneof it belongs to ("" for none).
    pub oneof: &'static str,
}

impl FieldDef {
    pub const fn new(name: &'static str, number: u32, ty: Scalar) -> FieldDef {
        FieldDef { name, number, ty, repeated: false, oneof: "" }
    }

    pub const fn repeated(self) -> FieldDef {
        FieldDef { repeated: true, ..self }
    }

    pub const fn in_oneof(self, oneof: &'static str) -> FieldDef {
        FieldDef { oneof, ..self }
    }

    /// Its proto3 JSON key.
    pub fn json_name(&self) -> String {
        json_name(self.name)
    }
}

/// An enum: names and numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EnumDef {
    pub name: &'static str,
    pub values: &'static [(&'static str, i32)],
    /// Numbers kept out of use after their values were removed.
    pub reserved: &'static [i32],
}

impl EnumDef {
    pub fn name_of(&self, n: i32) -> Option<&'static str> {
        self.values.iter().find(|v| v.1 == n).map(|v| v.0)
    }
}

/// A message: its fields and the one enum its enum fields use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MessageDef {
    pub name: &'static str,
    pub fields: &'static [FieldDef],
    pub enum_def: EnumDef,
    /// `reserved` numbers and names.
    pub reserved_numbers: &'static [u32],
    pub reserved_names: &'static [&'static str],
}

impl MessageDef {
    pub fn field(&self, number: u32) -> Option<(usize, &FieldDef)> {
        self.fields.iter().enumerate().find(|(_, f)| f.number == number)
    }

    /// The `.proto` text, a line each (the enum after the message).
    pub fn proto_lines(&self) -> Vec<String> {
        let mut out = vec![format!("message {} {{", self.name)];
        let mut open = "";
        for f in self.fields {
            if f.oneof != open {
                if !open.is_empty() {
                    out.push("  }".into());
                }
                if !f.oneof.is_empty() {
                    out.push(format!("  oneof {} {{", f.oneof));
                }
                open = f.oneof;
            }
            let indent = if open.is_empty() { "  " } else { "    " };
            let ty = if f.ty == Scalar::Enum { self.enum_def.name } else { f.ty.name() };
            let rep = if f.repeated { "repeated " } else { "" };
            out.push(format!("{indent}{rep}{ty} {} = {};", f.name, f.number));
        }
        if !open.is_empty() {
            out.push("  }".into());
        }
        if !self.reserved_numbers.is_empty() {
            let n: Vec<String> = self.reserved_numbers.iter().map(|n| n.to_string()).collect();
            out.push(format!("  reserved {};", n.join(", ")));
        }
        if !self.reserved_names.is_empty() {
            let n: Vec<String> = self.reserved_names.iter().map(|n| format!("\"{n}\"")).collect();
            out.push(format!("  reserved {};", n.join(", ")));
        }
        out.push("}".into());
        if self.fields.iter().any(|f| f.ty == Scalar::Enum) {
            let e = &self.enum_def;
            out.push(format!("enum {} {{", e.name));
            for (name, n) in e.values {
                out.push(format!("  {name} = {n};"));
            }
            if !e.reserved.is_empty() {
                let n: Vec<String> = e.reserved.iter().map(|n| n.to_string()).collect();
                out.push(format!("  reserved {};", n.join(", ")));
            }
            out.push("}".into());
        }
        out
    }
}

/// A field's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// Any integer type but uint64 and fixed64 (which use [`Value::Uint`]).
    Int(i64),
    Uint(u64),
    Bool(bool),
    Enum(i32),
    Str(String),
    Bytes(Vec<u8>),
    /// A repeated number field.
    Ints(Vec<i64>),
}

impl Value {
    /// Whether proto3 leaves it off the wire (0, false, "", empty).
    pub fn is_default(&self) -> bool {
        match self {
            Value::Int(0) | Value::Uint(0) | Value::Bool(false) | Value::Enum(0) => true,
            Value::Str(s) => s.is_empty(),
            Value::Bytes(b) => b.is_empty(),
            Value::Ints(v) => v.is_empty(),
            _ => false,
        }
    }

    /// The integer it holds, for any integer kind.
    pub fn integer(&self) -> Option<i128> {
        match self {
            Value::Int(v) => Some(*v as i128),
            Value::Uint(v) => Some(*v as i128),
            Value::Bool(b) => Some(*b as i128),
            Value::Enum(v) => Some(*v as i128),
            _ => None,
        }
    }

    /// The bytes it holds, for strings and bytes.
    pub fn octets(&self) -> Option<&[u8]> {
        match self {
            Value::Str(s) => Some(s.as_bytes()),
            Value::Bytes(b) => Some(b),
            _ => None,
        }
    }

    /// Whether two values mean the same thing whatever their types (an int32 150 and an int64
    /// 150; a string and bytes with the same octets).
    pub fn same_as(&self, other: &Value) -> bool {
        match (self.integer(), other.integer()) {
            (Some(a), Some(b)) => a == b,
            _ => match (self.octets(), other.octets()) {
                (Some(a), Some(b)) => a == b,
                _ => self == other,
            },
        }
    }

    /// How a `.proto` reader would print it (`enum_def` names enum values).
    pub fn show(&self, enum_def: &EnumDef) -> String {
        match self {
            Value::Int(v) => v.to_string(),
            Value::Uint(v) => v.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Enum(v) => match enum_def.name_of(*v) {
                Some(n) => n.to_string(),
                None => v.to_string(),
            },
            Value::Str(s) => format!("\"{s}\""),
            Value::Bytes(b) => format!("bytes [{}]", hex(b)),
            Value::Ints(v) => {
                let v: Vec<String> = v.iter().map(|x| x.to_string()).collect();
                format!("[{}]", v.join(", "))
            }
        }
    }
}

/// Bytes as lowercase hex pairs separated by spaces ("08 96 01").
pub fn hex(b: &[u8]) -> String {
    const D: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(b.len() * 3);
    for (i, &x) in b.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        s.push(D[(x >> 4) as usize] as char);
        s.push(D[(x & 15) as usize] as char);
    }
    s
}

fn push_scalar(ty: Scalar, v: i64, out: &mut Vec<u8>) {
    let bits = ty.wire_bits(v);
    match ty.wire_type() {
        WireType::I32 => out.extend_from_slice(&(bits as u32).to_le_bytes()),
        WireType::I64 => out.extend_from_slice(&bits.to_le_bytes()),
        _ => encode_varint(bits, out),
    }
}

/// Appends field `f` holding `v` (nothing when `v` is proto3's default). Values of the wrong kind
/// for the field write nothing.
pub fn encode_field(f: &FieldDef, v: &Value, out: &mut Vec<u8>) {
    if v.is_default() && f.oneof.is_empty() {
        return;
    }
    let len_field = |payload: &[u8], out: &mut Vec<u8>| {
        encode_varint(tag(f.number, WireType::Len), out);
        encode_varint(payload.len() as u64, out);
        out.extend_from_slice(payload);
    };
    match v {
        Value::Ints(xs) if f.repeated && f.ty.is_number() => {
            let mut payload = Vec::with_capacity(xs.len() * 2);
            for &x in xs {
                push_scalar(f.ty, x, &mut payload);
            }
            len_field(&payload, out);
        }
        Value::Str(_) | Value::Bytes(_) if !f.ty.is_number() => len_field(v.octets().unwrap_or(&[]), out),
        Value::Uint(x) if f.ty.is_number() => {
            encode_varint(tag(f.number, f.ty.wire_type()), out);
            push_scalar(f.ty, *x as i64, out);
        }
        _ if f.ty.is_number() => {
            if let Some(x) = v.integer() {
                encode_varint(tag(f.number, f.ty.wire_type()), out);
                push_scalar(f.ty, x as i64, out);
            }
        }
        _ => {}
    }
}

/// A message's bytes: `values` (one per field of `m`, `None` for unset) in field order.
pub fn encode(m: &MessageDef, values: &[Option<Value>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(32);
    for (f, v) in m.fields.iter().zip(values) {
        if let Some(v) = v {
            encode_field(f, v, &mut out);
        }
    }
    out
}

/// A record's payload as found on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Raw {
    Varint(u64),
    I64(u64),
    I32(u32),
    /// The payload's byte range.
    Len(usize, usize),
}

/// One record: where its tag, length and payload sit in the buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Record {
    pub number: u32,
    pub wire: WireType,
    /// Where the tag starts.
    pub start: usize,
    /// Where the tag ends (a LEN record's length follows it).
    pub tag_end: usize,
    /// Where the payload starts.
    pub payload: usize,
    pub end: usize,
    pub raw: Raw,
}

/// Records in order, and the error that stopped the scan, if any (the records before it are
/// kept, so a truncated message shows how far it got).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Scan {
    pub records: Vec<Record>,
    pub error: Option<(usize, DecodeError)>,
}

fn record_at(buf: &[u8], start: usize) -> Result<Record, DecodeError> {
    let (t, n) = decode_varint(&buf[start..])?;
    let tag_end = start + n;
    let number = t >> 3;
    if number == 0 || number > MAX_FIELD_NUMBER as u64 {
        return Err(DecodeError::BadFieldNumber);
    }
    let wire = WireType::from_id((t & 7) as u8).ok_or(DecodeError::BadWireType((t & 7) as u8))?;
    let rest = &buf[tag_end..];
    let fixed = |k: usize| if rest.len() >= k { Ok(tag_end + k) } else { Err(DecodeError::Truncated) };
    let (payload, end, raw) = match wire {
        WireType::Varint => {
            let (v, n) = decode_varint(rest)?;
            (tag_end, tag_end + n, Raw::Varint(v))
        }
        WireType::I64 => {
            let end = fixed(8)?;
            let mut b = [0u8; 8];
            b.copy_from_slice(&buf[tag_end..end]);
            (tag_end, end, Raw::I64(u64::from_le_bytes(b)))
        }
        WireType::I32 => {
            let end = fixed(4)?;
            let mut b = [0u8; 4];
            b.copy_from_slice(&buf[tag_end..end]);
            (tag_end, end, Raw::I32(u32::from_le_bytes(b)))
        }
        WireType::Len => {
            let (len, n) = decode_varint(rest)?;
            let payload = tag_end + n;
            if len > (buf.len() - payload) as u64 {
                return Err(DecodeError::Truncated);
            }
            let end = payload + len as usize;
            (payload, end, Raw::Len(payload, end))
        }
        WireType::SGroup | WireType::EGroup => return Err(DecodeError::Group),
    };
    Ok(Record { number: number as u32, wire, start, tag_end, payload, end, raw })
}

/// Splits `buf` into records without any schema.
pub fn scan(buf: &[u8]) -> Scan {
    let mut s = Scan::default();
    let mut at = 0;
    while at < buf.len() {
        match record_at(buf, at) {
            Ok(r) => {
                at = r.end;
                s.records.push(r);
            }
            Err(e) => {
                s.error = Some((at, e));
                break;
            }
        }
    }
    s
}

/// A record the reader's schema has no place for, kept byte for byte.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unknown {
    pub number: u32,
    pub wire: WireType,
    /// The whole record, tag included.
    pub bytes: Vec<u8>,
    /// The reader knows the number but declares another wire type.
    pub mismatched: bool,
}

/// What a reader made of some bytes.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Decoded {
    /// One per field of the reader's message; `None` when absent (the reader sees the default).
    pub values: Vec<Option<Value>>,
    pub unknown: Vec<Unknown>,
    /// Reader fields that were set and then cleared because a later member of the same oneof
    /// arrived.
    pub cleared: Vec<usize>,
    /// Set when the parser rejects the message: then the reader gets nothing at all.
    pub error: Option<DecodeError>,
}

fn unpack(ty: Scalar, payload: &[u8]) -> Result<Vec<i64>, DecodeError> {
    let mut out = Vec::with_capacity(payload.len());
    let mut at = 0;
    while at < payload.len() {
        let bits = match ty.wire_type() {
            WireType::I32 => {
                let b = payload.get(at..at + 4).ok_or(DecodeError::Truncated)?;
                at += 4;
                u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as u64
            }
            WireType::I64 => {
                let b = payload.get(at..at + 8).ok_or(DecodeError::Truncated)?;
                at += 8;
                let mut a = [0u8; 8];
                a.copy_from_slice(b);
                u64::from_le_bytes(a)
            }
            _ => {
                let (v, n) = decode_varint(&payload[at..])?;
                at += n;
                v
            }
        };
        out.push(ty.read_bits(bits).integer().unwrap_or(0) as i64);
    }
    Ok(out)
}

/// Reads `buf` as message `m`: known fields into their types, unknown and mismatched records
/// kept, oneof members clearing each other, the last of a repeated singular field winning.
pub fn decode(m: &MessageDef, buf: &[u8]) -> Decoded {
    let mut d = Decoded { values: vec![None; m.fields.len()], ..Decoded::default() };
    let s = scan(buf);
    for r in &s.records {
        let known = m
            .field(r.number)
            .filter(|(_, f)| f.ty.wire_type() == r.wire || (f.repeated && f.ty.is_number() && r.wire == WireType::Len));
        let Some((i, f)) = known else {
            d.unknown.push(Unknown {
                number: r.number,
                wire: r.wire,
                bytes: buf[r.start..r.end].to_vec(),
                mismatched: m.field(r.number).is_some(),
            });
            continue;
        };
        let v = match r.raw {
            Raw::Len(a, b) if f.ty == Scalar::String => match std::str::from_utf8(&buf[a..b]) {
                Ok(s) => Value::Str(s.to_string()),
                Err(_) => {
                    d.error = Some(DecodeError::InvalidUtf8(r.number));
                    break;
                }
            },
            Raw::Len(a, b) if f.ty == Scalar::Bytes => Value::Bytes(buf[a..b].to_vec()),
            Raw::Len(a, b) => match unpack(f.ty, &buf[a..b]) {
                Ok(mut xs) => {
                    if let Some(Value::Ints(prev)) = d.values[i].take() {
                        let mut all = prev;
                        all.append(&mut xs);
                        xs = all;
                    }
                    Value::Ints(xs)
                }
                Err(e) => {
                    d.error = Some(e);
                    break;
                }
            },
            Raw::Varint(bits) | Raw::I64(bits) => f.ty.read_bits(bits),
            Raw::I32(bits) => f.ty.read_bits(bits as u64),
        };
        let v = match (f.repeated, v) {
            (true, Value::Ints(xs)) => Value::Ints(xs),
            (true, one) => {
                let mut xs = match d.values[i].take() {
                    Some(Value::Ints(xs)) => xs,
                    _ => Vec::new(),
                };
                xs.push(one.integer().unwrap_or(0) as i64);
                Value::Ints(xs)
            }
            (false, one) => one,
        };
        if !f.oneof.is_empty() {
            for (j, g) in m.fields.iter().enumerate() {
                if j != i && g.oneof == f.oneof && d.values[j].take().is_some() {
                    d.cleared.push(j);
                }
            }
        }
        d.values[i] = Some(v);
    }
    if d.error.is_none() {
        d.error = s.error.map(|e| e.1);
    }
    if d.error.is_some() {
        // A parser that fails hands the program no message at all.
        d.values = vec![None; m.fields.len()];
        d.unknown.clear();
        d.cleared.clear();
    }
    d
}

/// Writes a decoded message back out: its known fields, then its unknown records byte for
/// byte, so a program that passes a message on does not lose fields it never knew about.
pub fn reencode(m: &MessageDef, d: &Decoded) -> Vec<u8> {
    let mut out = encode(m, &d.values);
    for u in &d.unknown {
        out.extend_from_slice(&u.bytes);
    }
    out
}

/// The proto3 JSON name of field `name`: underscores dropped, the letter after each one in
/// upper case (`display_name` → `displayName`).
pub fn json_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Standard base64 with padding, as proto3 JSON writes bytes.
pub fn base64(b: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(b.len().div_ceil(3) * 4);
    for c in b.chunks(3) {
        let n = ((c[0] as u32) << 16) | ((*c.get(1).unwrap_or(&0) as u32) << 8) | (*c.get(2).unwrap_or(&0) as u32);
        for k in 0..4 {
            if k <= c.len() {
                s.push(A[((n >> (18 - 6 * k)) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

/// A JSON string literal.
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A field's value as proto3 JSON writes it.
pub fn json_value(f: &FieldDef, e: &EnumDef, v: &Value) -> String {
    match v {
        Value::Enum(n) => match e.name_of(*n) {
            Some(name) => json_string(name),
            None => n.to_string(),
        },
        Value::Str(s) => json_string(s),
        Value::Bytes(b) => json_string(&base64(b)),
        Value::Ints(xs) => {
            let v: Vec<String> = xs.iter().map(|&x| json_value(f, e, &Value::Int(x))).collect();
            format!("[{}]", v.join(","))
        }
        Value::Bool(b) => b.to_string(),
        _ => {
            // (i64 and u64 printing: i128's would pull 128-bit division into the bundle)
            let n = match v {
                Value::Uint(u) => u.to_string(),
                Value::Int(i) => i.to_string(),
                _ => String::new(),
            };
            if f.ty.json_quoted_number() {
                json_string(&n)
            } else {
                n
            }
        }
    }
}

/// A message as proto3 JSON: set, non-default fields in field order, under their JSON names.
/// Unknown fields have no names, so JSON cannot carry them.
pub fn to_json(m: &MessageDef, values: &[Option<Value>]) -> String {
    let mut parts = Vec::with_capacity(m.fields.len());
    for (f, v) in m.fields.iter().zip(values) {
        if let Some(v) = v {
            if !v.is_default() {
                parts.push(format!("{}:{}", json_string(&f.json_name()), json_value(f, &m.enum_def, v)));
            }
        }
    }
    format!("{{{}}}", parts.join(","))
}
