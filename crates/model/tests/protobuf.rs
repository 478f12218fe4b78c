//! The mini protobuf codec byte for byte against protobuf.dev's "Encoding" page (150 → `08 96
//! 01`, "testing" → `12 07 74 65 73 74 69 6e 67`, the zigzag table, the packed example), the
//! cross-type reads its compatibility rules describe (C++ cast semantics), unknown-field
//! retention, proto3 JSON, malformed input, and round trips for any value.

use model::protobuf::*;
use proptest::prelude::*;

const NO_ENUM: EnumDef = EnumDef { name: "E", values: &[("E_UNSPECIFIED", 0), ("ONE", 1)], reserved: &[] };

const fn message(fields: &'static [FieldDef]) -> MessageDef {
    MessageDef { name: "Test1", fields, enum_def: NO_ENUM, reserved_numbers: &[], reserved_names: &[] }
}

/// `message Test1 { <ty> a = 1; }` for each scalar type.
fn test1(ty: Scalar) -> MessageDef {
    message(Box::leak(Box::new([FieldDef::new("a", 1, ty)])))
}

fn unhex(s: &str) -> Vec<u8> {
    s.split_whitespace().map(|b| u8::from_str_radix(b, 16).unwrap()).collect()
}

fn enc(m: &MessageDef, v: Value) -> String {
    hex(&encode(m, &[Some(v)]))
}

fn read_a(ty: Scalar, bytes: &str) -> Option<Value> {
    decode(&test1(ty), &unhex(bytes)).values[0].clone()
}

// ---------------------------------------------------------------------------------------------
// protobuf.dev's examples
// ---------------------------------------------------------------------------------------------

#[test]
fn the_documentation_examples() {
    // "A simple message": Test1 { int32 a = 1 } with a = 150.
    assert_eq!(enc(&test1(Scalar::Int32), Value::Int(150)), "08 96 01");
    // Test2 { string b = 2 } with b = "testing".
    const TEST2: MessageDef = message(&[FieldDef::new("b", 2, Scalar::String)]);
    assert_eq!(enc(&TEST2, Value::Str("testing".into())), "12 07 74 65 73 74 69 6e 67");
    // Test5 { repeated int32 f = 6 [packed = true] } with 3, 270, 86942.
    const TEST5: MessageDef = message(&[FieldDef::new("f", 6, Scalar::Int32).repeated()]);
    assert_eq!(enc(&TEST5, Value::Ints(vec![3, 270, 86942])), "32 06 03 8e 02 9e a7 05");
    assert_eq!(decode(&TEST5, &unhex("32 06 03 8e 02 9e a7 05")).values[0], Some(Value::Ints(vec![3, 270, 86942])));
    // A packed field read from unpacked records too (parsers must accept both).
    assert_eq!(decode(&TEST5, &unhex("30 03 30 8e 02")).values[0], Some(Value::Ints(vec![3, 270])));
}

/// (value, varint bytes)
const VARINTS: &[(u64, &str)] = &[
    (0, "00"),
    (1, "01"),
    (127, "7f"),
    (128, "80 01"),
    (150, "96 01"),
    (300, "ac 02"),
    (16_383, "ff 7f"),
    (16_384, "80 80 01"),
    ((1 << 32) + 5, "85 80 80 80 10"),
    (u64::MAX, "ff ff ff ff ff ff ff ff ff 01"),
];

#[test]
fn varints() {
    for &(v, bytes) in VARINTS {
        let mut out = Vec::new();
        encode_varint(v, &mut out);
        assert_eq!(hex(&out), bytes, "{v}");
        assert_eq!(varint_len(v), out.len(), "{v}");
        assert_eq!(decode_varint(&out), Ok((v, out.len())), "{v}");
    }
}

/// protobuf.dev's zigzag table: (signed original, encoded as).
const ZIGZAG: &[(i64, u64)] =
    &[(0, 0), (-1, 1), (1, 2), (-2, 3), (0x7fff_ffff, 0xffff_fffe), (-0x8000_0000, 0xffff_ffff)];

#[test]
fn zigzag_table() {
    for &(n, z) in ZIGZAG {
        assert_eq!(zigzag32(n as i32) as u64, z, "{n}");
        assert_eq!(unzigzag32(z as u32) as i64, n, "{z}");
        assert_eq!(zigzag64(n), z, "{n}");
        assert_eq!(unzigzag64(z), n, "{z}");
    }
    // The table's last rows for sint64.
    assert_eq!(zigzag64(i64::MAX), u64::MAX - 1);
    assert_eq!(zigzag64(i64::MIN), u64::MAX);
    // −2 as sint32 on the wire: tag 08 then zigzag 3.
    assert_eq!(enc(&test1(Scalar::Sint32), Value::Int(-2)), "08 03");
}

/// (field number, tag bytes)
const TAG_SIZES: &[(u32, usize)] = &[
    (1, 1),
    (15, 1),
    (16, 2),
    (2_047, 2),
    (2_048, 3),
    (262_143, 3),
    (262_144, 4),
    (33_554_431, 4),
    (33_554_432, 5),
    (MAX_FIELD_NUMBER, 5),
];

#[test]
fn tag_sizes() {
    for &(n, len) in TAG_SIZES {
        assert_eq!(tag_len(n), len, "field {n}");
    }
    assert_eq!(MAX_FIELD_NUMBER, 536_870_911);
    assert_eq!(tag(1, WireType::Varint), 0x08);
    assert_eq!(tag(2, WireType::Len), 0x12);
    assert_eq!(tag(6, WireType::Len), 0x32);
}

// ---------------------------------------------------------------------------------------------
// One value, other readers
// ---------------------------------------------------------------------------------------------

/// (writer type, value, bytes, [(reader type, what it reads)])
type CrossRead = (Scalar, i64, &'static str, &'static [(Scalar, Value)]);
const CROSS_READS: &[CrossRead] = &[
    // 150's bytes read as sint32 are zigzag 150 → 75; as int64 simply 150.
    (
        Scalar::Int32,
        150,
        "08 96 01",
        &[
            (Scalar::Sint32, Value::Int(75)),
            (Scalar::Int64, Value::Int(150)),
            (Scalar::Uint64, Value::Uint(150)),
            (Scalar::Bool, Value::Bool(true)),
        ],
    ),
    // −1 as int32 is sign-extended to 64 bits: ten bytes of varint.
    (
        Scalar::Int32,
        -1,
        "08 ff ff ff ff ff ff ff ff ff 01",
        &[
            (Scalar::Int32, Value::Int(-1)),
            (Scalar::Uint32, Value::Int(4_294_967_295)),
            (Scalar::Int64, Value::Int(-1)),
            (Scalar::Uint64, Value::Uint(u64::MAX)),
            // sint32 keeps the low 32 bits (0xffffffff) and un-zigzags them.
            (Scalar::Sint32, Value::Int(-2_147_483_648)),
            (Scalar::Sint64, Value::Int(i64::MIN)),
        ],
    ),
    // 2³² + 5 as int64; an int32 reader keeps the low 32 bits: 5.
    (
        Scalar::Int64,
        (1 << 32) + 5,
        "08 85 80 80 80 10",
        &[(Scalar::Int32, Value::Int(5)), (Scalar::Uint32, Value::Int(5)), (Scalar::Int64, Value::Int(4_294_967_301))],
    ),
    // 2³¹ as int64: an int32 reader gets the most negative int32.
    (
        Scalar::Int64,
        1 << 31,
        "08 80 80 80 80 08",
        &[(Scalar::Int32, Value::Int(-2_147_483_648)), (Scalar::Uint32, Value::Int(2_147_483_648))],
    ),
    // sint32 150 is zigzag 300: an int32 reader gets 300, −1 becomes 1.
    (Scalar::Sint32, 150, "08 ac 02", &[(Scalar::Int32, Value::Int(300)), (Scalar::Sint64, Value::Int(150))]),
    (Scalar::Sint32, -1, "08 01", &[(Scalar::Int32, Value::Int(1)), (Scalar::Sint32, Value::Int(-1))]),
    // Fixed widths: little-endian, and fixed32 ↔ sfixed32 share bits.
    (Scalar::Fixed32, 150, "0d 96 00 00 00", &[(Scalar::Sfixed32, Value::Int(150)), (Scalar::Int32, Value::Int(0))]),
    (Scalar::Sfixed32, -2, "0d fe ff ff ff", &[(Scalar::Fixed32, Value::Int(4_294_967_294))]),
    (
        Scalar::Sfixed64,
        -2,
        "09 fe ff ff ff ff ff ff ff",
        &[(Scalar::Fixed64, Value::Uint(u64::MAX - 1)), (Scalar::Sfixed64, Value::Int(-2))],
    ),
];

#[test]
fn one_value_many_readers() {
    for (writer, v, bytes, reads) in CROSS_READS {
        assert_eq!(enc(&test1(*writer), Value::Int(*v)), *bytes, "{writer:?} {v}");
        for (reader, want) in *reads {
            // A reader whose wire type differs (int32 reading a fixed32) keeps the record as
            // unknown and sees its default.
            let want = if reader.wire_type() == writer.wire_type() { Some(want.clone()) } else { None };
            assert_eq!(read_a(*reader, bytes), want, "{bytes} as {reader:?}");
        }
    }
}

#[test]
fn renumbering_leaves_the_old_reader_with_the_default() {
    // v2 moves `a` from 1 to 2: the old reader finds no field 1 and an unknown field 2.
    const V2: MessageDef = message(&[FieldDef::new("a", 2, Scalar::Int32)]);
    let bytes = encode(&V2, &[Some(Value::Int(150))]);
    assert_eq!(hex(&bytes), "10 96 01");
    let old = decode(&test1(Scalar::Int32), &bytes);
    assert_eq!(old.values, vec![None], "a = 0, the default");
    assert_eq!(
        old.unknown,
        vec![Unknown { number: 2, wire: WireType::Varint, bytes: bytes.clone(), mismatched: false }]
    );
}

#[test]
fn unknown_fields_survive_an_old_reader() {
    // v2 adds field 4; an old program reads the message and passes it on.
    const V1: MessageDef = message(&[FieldDef::new("id", 1, Scalar::Int32), FieldDef::new("name", 2, Scalar::String)]);
    const V2: MessageDef = message(&[
        FieldDef::new("id", 1, Scalar::Int32),
        FieldDef::new("name", 2, Scalar::String),
        FieldDef::new("email", 4, Scalar::String),
    ]);
    let values = vec![Some(Value::Int(7)), Some(Value::Str("Ann".into())), Some(Value::Str("a@example.com".into()))];
    let bytes = encode(&V2, &values);
    let old = decode(&V1, &bytes);
    assert_eq!(old.values, vec![Some(Value::Int(7)), Some(Value::Str("Ann".into()))]);
    assert_eq!(old.unknown.len(), 1);
    assert_eq!(old.unknown[0].number, 4);
    assert_eq!(old.unknown[0].bytes.len(), 2 + 13);
    let passed_on = reencode(&V1, &old);
    assert_eq!(passed_on, bytes);
    assert_eq!(decode(&V2, &passed_on).values, values);
    // JSON has no name for an unknown field: it is lost there.
    assert_eq!(to_json(&V1, &old.values), r#"{"id":7,"name":"Ann"}"#);
}

#[test]
fn wire_type_mismatch_is_an_unknown_field() {
    let d = decode(&test1(Scalar::String), &unhex("08 96 01"));
    assert_eq!(d.values, vec![None]);
    assert!(d.unknown[0].mismatched);
    assert_eq!(d.error, None);
}

#[test]
fn strings_must_be_utf8_bytes_need_not() {
    let bytes = "0a 02 ff fe";
    assert_eq!(read_a(Scalar::Bytes, bytes), Some(Value::Bytes(vec![0xff, 0xfe])));
    let d = decode(&test1(Scalar::String), &unhex(bytes));
    assert_eq!(d.error, Some(DecodeError::InvalidUtf8(1)));
    assert_eq!(d.values, vec![None]);
    // Valid UTF-8 crosses either way: "Zoë" is 5a 6f c3 ab.
    assert_eq!(enc(&test1(Scalar::String), Value::Str("Zoë".into())), "0a 04 5a 6f c3 ab");
    assert_eq!(read_a(Scalar::String, "0a 04 5a 6f c3 ab"), Some(Value::Str("Zoë".into())));
    assert_eq!(read_a(Scalar::Bytes, "0a 04 5a 6f c3 ab"), Some(Value::Bytes("Zoë".as_bytes().to_vec())));
}

#[test]
fn oneof_members_clear_each_other() {
    const M: MessageDef = message(&[
        FieldDef::new("id", 1, Scalar::Int32).in_oneof("key"),
        FieldDef::new("name", 2, Scalar::String).in_oneof("key"),
    ]);
    let d = decode(&M, &unhex("08 96 01 12 01 61"));
    assert_eq!(d.values, vec![None, Some(Value::Str("a".into()))]);
    assert_eq!(d.cleared, vec![0]);
    // A set oneof member is written even at its default.
    assert_eq!(hex(&encode(&M, &[Some(Value::Int(0)), None])), "08 00");
}

/// (bytes, the error)
const MALFORMED: &[(&str, DecodeError)] = &[
    ("08", DecodeError::Truncated),
    ("08 96", DecodeError::Truncated),
    ("08 ff ff ff ff ff ff ff ff ff ff 01", DecodeError::VarintTooLong),
    ("0e 01", DecodeError::BadWireType(6)),
    ("00 01", DecodeError::BadFieldNumber),
    ("0b", DecodeError::Group),
    ("12 07 74 65", DecodeError::Truncated),
    ("0d 01 02", DecodeError::Truncated),
];

#[test]
fn malformed_bytes_are_rejected_not_panicked_on() {
    for (bytes, err) in MALFORMED {
        let d = decode(&test1(Scalar::Int32), &unhex(bytes));
        assert_eq!(d.error, Some(*err), "{bytes}");
        assert_eq!(d.values, vec![None], "a rejected message gives the program nothing");
        assert!(!err.message().is_empty());
    }
    // The scan keeps what it read before the error.
    let s = scan(&unhex("08 96 01 12 07 74"));
    assert_eq!(s.records.len(), 1);
    assert_eq!(s.error, Some((3, DecodeError::Truncated)));
}

#[test]
fn proto3_json() {
    const M: MessageDef = MessageDef {
        name: "Account",
        fields: &[
            FieldDef::new("item_count", 1, Scalar::Int64),
            FieldDef::new("display_name", 2, Scalar::Bytes),
            FieldDef::new("status", 3, Scalar::Enum),
            FieldDef::new("score", 4, Scalar::Int32),
        ],
        enum_def: NO_ENUM,
        reserved_numbers: &[],
        reserved_names: &[],
    };
    assert_eq!(json_name("display_name"), "displayName");
    assert_eq!(json_name("a_b_c"), "aBC");
    assert_eq!(json_name("id"), "id");
    assert_eq!(base64(b"testing"), "dGVzdGluZw==");
    assert_eq!(base64(b""), "");
    assert_eq!(base64(b"ab"), "YWI=");
    assert_eq!(base64(&[0xff, 0xfe]), "//4=");
    assert_eq!(json_string("a\"b\\c\n"), r#""a\"b\\c\u000a""#);
    let values = [
        Some(Value::Int(4_294_967_301)),
        Some(Value::Bytes(b"testing".to_vec())),
        Some(Value::Enum(1)),
        Some(Value::Int(0)),
    ];
    // 64-bit numbers are strings, bytes base64, enums names, defaults left out.
    assert_eq!(to_json(&M, &values), r#"{"itemCount":"4294967301","displayName":"dGVzdGluZw==","status":"ONE"}"#);
    assert_eq!(to_json(&M, &[None, None, Some(Value::Enum(7)), None]), r#"{"status":7}"#);
}

#[test]
fn proto_text() {
    const M: MessageDef = MessageDef {
        name: "Account",
        fields: &[
            FieldDef::new("credits", 1, Scalar::Int32),
            FieldDef::new("display_name", 2, Scalar::String).in_oneof("name"),
            FieldDef::new("status", 3, Scalar::Enum),
        ],
        enum_def: EnumDef { name: "Status", values: &[("STATUS_UNSPECIFIED", 0), ("ACTIVE", 1)], reserved: &[2] },
        reserved_numbers: &[4],
        reserved_names: &["email"],
    };
    assert_eq!(
        M.proto_lines().join("\n"),
        "message Account {\n  int32 credits = 1;\n  oneof name {\n    string display_name = 2;\n  }\n  Status status = 3;\n  \
         reserved 4;\n  reserved \"email\";\n}\nenum Status {\n  STATUS_UNSPECIFIED = 0;\n  ACTIVE = 1;\n  reserved 2;\n}"
    );
}

// ---------------------------------------------------------------------------------------------
// Any value
// ---------------------------------------------------------------------------------------------

const NUMERIC: [Scalar; 12] = [
    Scalar::Int32,
    Scalar::Int64,
    Scalar::Uint32,
    Scalar::Uint64,
    Scalar::Sint32,
    Scalar::Sint64,
    Scalar::Bool,
    Scalar::Enum,
    Scalar::Fixed32,
    Scalar::Fixed64,
    Scalar::Sfixed32,
    Scalar::Sfixed64,
];

proptest! {
    #[test]
    fn varints_round_trip(v in any::<u64>()) {
        let mut out = Vec::new();
        encode_varint(v, &mut out);
        prop_assert_eq!(decode_varint(&out), Ok((v, out.len())));
        prop_assert_eq!(out.len(), varint_len(v));
    }

    #[test]
    fn zigzag_round_trips(a in any::<i32>(), b in any::<i64>()) {
        prop_assert_eq!(unzigzag32(zigzag32(a)), a);
        prop_assert_eq!(unzigzag64(zigzag64(b)), b);
        // Small magnitudes stay small.
        prop_assert!(zigzag32(a) as u64 <= 2 * (a as i64).unsigned_abs());
    }

    #[test]
    fn every_type_reads_back_what_it_wrote(t in 0usize..12, v in any::<i64>()) {
        let ty = NUMERIC[t];
        let m = test1(ty);
        // What the writer's own type holds after its cast, read back by the same type.
        let held = ty.read_bits(ty.wire_bits(v));
        let bytes = encode(&m, &[Some(held.clone())]);
        let got = decode(&m, &bytes).values[0].clone();
        if held.is_default() {
            prop_assert!(bytes.is_empty());
            prop_assert_eq!(got, None);
        } else {
            prop_assert_eq!(got, Some(held));
        }
    }

    #[test]
    fn int_family_reads_are_casts(v in any::<i64>()) {
        let bytes = encode(&test1(Scalar::Int64), &[Some(Value::Int(v))]);
        if v != 0 {
            prop_assert_eq!(decode(&test1(Scalar::Int32), &bytes).values[0].clone(), Some(Value::Int(v as i32 as i64)));
            prop_assert_eq!(decode(&test1(Scalar::Uint32), &bytes).values[0].clone(), Some(Value::Int(v as u32 as i64)));
            prop_assert_eq!(decode(&test1(Scalar::Uint64), &bytes).values[0].clone(), Some(Value::Uint(v as u64)));
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64), t in 0usize..12) {
        let m = test1(NUMERIC[t]);
        let d = decode(&m, &bytes);
        if d.error.is_none() {
            // Whatever was read, known and unknown, writes back to bytes that read the same.
            let again = reencode(&m, &d);
            prop_assert_eq!(decode(&m, &again), d);
        }
    }

    #[test]
    fn strings_and_packed_round_trip(s in ".{0,20}", xs in proptest::collection::vec(any::<i32>(), 0..10)) {
        const M: MessageDef = message(&[FieldDef::new("s", 1, Scalar::String), FieldDef::new("xs", 2, Scalar::Sint32).repeated()]);
        let xs: Vec<i64> = xs.into_iter().map(i64::from).collect();
        let values = vec![Some(Value::Str(s.clone())), Some(Value::Ints(xs.clone()))];
        let d = decode(&M, &encode(&M, &values));
        let want = |v: Value| if v.is_default() { None } else { Some(v) };
        prop_assert_eq!(d.values, vec![want(Value::Str(s)), want(Value::Ints(xs))]);
    }
}
