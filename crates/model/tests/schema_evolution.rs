//! The schema-evolution model: for every change in the catalogue, the exact bytes, what the
//! other side reads field by field, whether JSON reads the same, and the four rule books'
//! verdicts; the golden values of the design (150's bytes read as sint32 and int64, −1 read by
//! four types, 2³² + 5 read as int32, a renumbered field read as its default); the deprecation
//! timeline's dates, headers and S-curve; the widget's declaration and share links.

mod common;

use common::close;
use model::protobuf::hex;
use model::schema_evolution::*;
use model::spec::Kind;
use proptest::prelude::*;
use Seen::*;

fn run(change: &str, value: i64, text: usize) -> SchemaReport {
    let i = CHANGES.iter().position(|c| c.key == change).unwrap_or_else(|| panic!("no change {change}"));
    analyse(&SchemaParams { change: i, value, text, ..SchemaParams::DEFAULT })
}

const TESTING: &str = "12 07 74 65 73 74 69 6e 67";

/// (change, bytes on the wire, what the reader sees per field, JSON reads the same, breaking in
/// [WIRE, WIRE_JSON, FILE, GitHub REST]) — all for credits = 150, name "testing", status ACTIVE
/// (CLOSED or SUSPENDED for the enum changes).
type Case = (&'static str, &'static str, [Seen; 3], bool, [bool; 4]);
const CATALOGUE: &[Case] = &[
    (
        "add",
        "08 96 01 12 07 74 65 73 74 69 6e 67 18 01 22 0f 61 6e 6e 40 65 78 61 6d 70 6c 65 2e 63 6f 6d",
        [AsSent, AsSent, AsSent],
        true,
        [false, false, false, false],
    ),
    ("delete", "08 96 01 18 01", [AsSent, Gone, AsSent], false, [true, true, true, true]),
    ("delete-reserve", "08 96 01 18 01", [AsSent, Gone, AsSent], false, [false, false, true, true]),
    // Field 4, VARINT: tag (4 << 3) | 0 = 0x20.
    (
        "renumber",
        "20 96 01 12 07 74 65 73 74 69 6e 67 18 01",
        [Default, AsSent, AsSent],
        true,
        [true, true, true, false],
    ),
    ("rename", "08 96 01 12 07 74 65 73 74 69 6e 67 18 01", [AsSent, AsSent, AsSent], false, [false, true, true, true]),
    ("int64", "08 96 01 12 07 74 65 73 74 69 6e 67 18 01", [AsSent, AsSent, AsSent], true, [false, true, true, true]),
    // zigzag(150) = 300 = ac 02: the old int32 reader gets 300.
    ("sint32", "08 ac 02 12 07 74 65 73 74 69 6e 67 18 01", [Misread, AsSent, AsSent], true, [true, true, true, false]),
    ("bytes", "08 96 01 12 07 74 65 73 74 69 6e 67 18 01", [AsSent, AsSent, AsSent], false, [false, true, true, true]),
    // The old client writes both; the new server's oneof keeps the last (display_name).
    ("oneof", "08 96 01 12 07 74 65 73 74 69 6e 67 18 01", [Default, AsSent, AsSent], true, [true, true, true, false]),
    (
        "enum-add",
        "08 96 01 12 07 74 65 73 74 69 6e 67 18 03",
        [AsSent, AsSent, Unnamed],
        false,
        [false, false, false, false],
    ),
    (
        "enum-remove",
        "08 96 01 12 07 74 65 73 74 69 6e 67 18 02",
        [AsSent, AsSent, Unnamed],
        false,
        [true, true, true, true],
    ),
];

#[test]
fn the_catalogue() {
    assert_eq!(CATALOGUE.len(), CHANGES.len());
    for &(key, bytes, seen, json_ok, breaking) in CATALOGUE {
        let r = run(key, 150, 0);
        assert_eq!(hex(&r.bytes), bytes, "{key}");
        assert_eq!(r.fields.iter().map(|f| f.seen).collect::<Vec<_>>(), seen, "{key}: {:?}", r.fields);
        assert_eq!(r.json_ok, json_ok, "{key}: {} → {}", r.writer_json, r.reader_json);
        assert_eq!(r.verdicts.each_ref().map(|v| v.breaking), breaking, "{key}: {:?}", r.verdicts);
        assert!(r.input_notes.is_empty(), "{key}");
        // Every problem has its reason and its text marker.
        for f in &r.fields {
            assert_eq!(f.seen.is_bad(), !f.why.is_empty(), "{key}: {f:?}");
            assert!(f.seen.marker().starts_with(if f.seen.is_bad() { ['✗', '⚠'] } else { ['✓', '✓'] }));
        }
        // The groups cover the bytes exactly, in order.
        let joined: Vec<String> = r
            .groups
            .iter()
            .map(|g| {
                [g.tag.as_str(), g.len.as_str(), g.payload.as_str()]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        assert_eq!(joined.join(" "), bytes, "{key}");
        // buf's categories nest: whatever breaks WIRE breaks WIRE_JSON, whatever breaks
        // WIRE_JSON breaks FILE.
        assert!(!breaking[0] || breaking[1], "{key}");
        assert!(!breaking[1] || breaking[2], "{key}");
    }
}

#[test]
fn what_each_change_shows() {
    // Add: the old client keeps field 4 as an unknown field.
    let r = run("add", 150, 0);
    assert_eq!(r.unknown.len(), 1);
    assert!(r.unknown[0].starts_with("Field 4 (17 bytes)"), "{:?}", r.unknown);
    assert!(r.groups[3].unknown_to_reader && !r.groups[0].unknown_to_reader);
    assert!(r.reader_json.contains("skipping \"email\""), "{}", r.reader_json);
    assert!(
        r.verdict.starts_with("On the wire an old client reads every field as sent. Over JSON it reads the same."),
        "{}",
        r.verdict
    );
    // Renumber: the old reader's credits is the default, field 4 unknown; JSON cannot tell.
    let r = run("renumber", 150, 0);
    assert_eq!(r.fields[0].shown, "0");
    assert!(r.fields[0].why.contains("as field 4"), "{}", r.fields[0].why);
    assert!(r.verdicts[3].why.contains("JSON carries names, not field numbers"));
    // Rename: identical bytes, the JSON key changes.
    let r = run("rename", 150, 0);
    assert_eq!(r.writer_json, r#"{"credits":150,"fullName":"testing","status":"ACTIVE"}"#);
    assert!(
        r.reader_json.starts_with(r#"{"credits":150,"status":"ACTIVE"}, skipping "fullName""#),
        "{}",
        r.reader_json
    );
    assert!(r.verdicts[1].why.contains("FIELD_SAME_JSON_NAME"));
    assert_eq!(r.verdicts[0].why, "No rule in this category fires.");
    // int32 → sint32: 150 arrives as 300.
    let r = run("sint32", 150, 0);
    assert_eq!(r.fields[0].shown, "300");
    assert_eq!(r.fields[0].why, "The writer meant 150.");
    assert!(
        r.verdict.starts_with("Breaks on the wire: an old client reads credits as 300 (✗ misread)."),
        "{}",
        r.verdict
    );
    assert!(r.verdicts[0].why.contains("FIELD_WIRE_COMPATIBLE_TYPE"));
    // string → bytes: JSON carries base64.
    let r = run("bytes", 150, 0);
    assert_eq!(r.writer_json, r#"{"credits":150,"displayName":"dGVzdGluZw==","status":"ACTIVE"}"#);
    // Moving into a oneof: the later member clears the earlier.
    let r = run("oneof", 150, 0);
    assert!(r.fields[0].why.contains("same oneof cleared it"), "{}", r.fields[0].why);
    assert!(r.reader_title.contains("new server"));
    assert!(r.verdicts[0].why.contains("FIELD_SAME_ONEOF"));
    // Enum values: numbers without names.
    let r = run("enum-add", 150, 0);
    assert_eq!(r.fields[2].shown, "3");
    assert!(r.verdict.starts_with("Risky on the wire: an old client gets status = 3"), "{}", r.verdict);
    assert!(r.verdicts[3].why.contains("adding enum values (CLOSED)"));
    let r = run("enum-remove", 150, 0);
    assert!(r.verdicts[3].why.contains("removing enum values (SUSPENDED)"));
    assert!(r.writer_title.contains("old client"));
    // The panes mark the lines the change touched.
    let r = run("sint32", 150, 0);
    assert_eq!(
        r.writer_proto.iter().filter(|l| l.1).map(|l| l.0.as_str()).collect::<Vec<_>>(),
        ["  sint32 credits = 1;"]
    );
    assert_eq!(
        r.reader_proto.iter().filter(|l| l.1).map(|l| l.0.as_str()).collect::<Vec<_>>(),
        ["  int32 credits = 1;"]
    );
    let r = run("delete-reserve", 150, 0);
    assert!(r.writer_proto.iter().any(|l| l.0 == "  reserved \"display_name\";" && l.1));
}

/// The design's golden values, through the widget: (change, value, text, the credits bytes or
/// name bytes expected in the message, what the reader shows for credits).
const GOLDEN: &[(&str, i64, usize, &str, &str)] = &[
    // 150 as int32 (protobuf.dev's example).
    ("add", 150, 0, "08 96 01", "150"),
    // −1 as int32: ten bytes of varint; every int32 reader gets −1 back.
    ("add", -1, 0, "08 ff ff ff ff ff ff ff ff ff 01", "-1"),
    // sint32 −1 is zigzag 1; the old int32 reader gets 1.
    ("sint32", -1, 0, "08 01", "1"),
    // 2³² + 5 as int64: 08 85 80 80 80 10; the old int32 reader keeps the low 32 bits: 5.
    ("int64", 4_294_967_301, 0, "08 85 80 80 80 10", "5"),
    // 2³¹ as int64: the old int32 reader gets the most negative int32.
    ("int64", 2_147_483_648, 0, "08 80 80 80 80 08", "-2147483648"),
    // "testing" (protobuf.dev's example) and a two-byte UTF-8 letter.
    ("add", 150, 0, TESTING, "150"),
    ("add", 150, 1, "12 04 5a 6f c3 ab", "150"),
];

#[test]
fn golden_values() {
    for &(change, value, text, bytes, shown) in GOLDEN {
        let r = run(change, value, text);
        assert!(hex(&r.bytes).contains(bytes), "{change} {value}: {}", hex(&r.bytes));
        assert_eq!(r.fields[0].shown, shown, "{change} {value}");
    }
    // The int64 case also fails JSON: "4294967301" does not fit the old int32.
    let r = run("int64", 4_294_967_301, 0);
    assert_eq!(r.reader_json, "Rejected: \"4294967301\" is out of range for the reader's int32 credits.");
    assert_eq!(r.fields[0].seen, Misread);
    // A 0 is proto3's default: no bytes at all for credits, and the reader still sees 0.
    let r = run("add", 0, 0);
    assert!(hex(&r.bytes).starts_with("12 07"), "{}", hex(&r.bytes));
    assert_eq!(r.fields[0].seen, AsSent);
}

#[test]
fn bad_input_is_repaired_with_a_note() {
    // An int32 writer cannot hold 2³² + 5: its program holds 5, and the widget says so.
    let r = run("sint32", 4_294_967_301, 0);
    assert_eq!(
        r.input_notes,
        ["4,294,967,301 does not fit the writer's sint32: its program holds 5 (a C++-style cast)."]
    );
    assert_eq!(hex(&r.bytes[..2]), "08 0a");
    // A string cannot hold ff fe: replacement characters (ef bf bd) are sent instead.
    let r = run("add", 150, 2);
    assert_eq!(r.input_notes.len(), 1);
    assert!(hex(&r.bytes).contains("12 06 ef bf bd ef bf bd"));
    // Bytes can, and the old string reader rejects the whole message.
    let r = run("bytes", 150, 2);
    assert!(r.error.as_deref().unwrap_or("").contains("not UTF-8"));
    assert!(r.fields.iter().all(|f| f.seen == Rejected));
    assert!(r.verdict.starts_with("Breaks on the wire: an old client rejects the whole message"), "{}", r.verdict);
    // Out-of-range parameters clamp.
    let p = SchemaParams {
        change: 99,
        value: i64::MAX,
        text: 7,
        timeline: TimelineParams { notice_months: 0, half_months: f64::NAN, spread_months: 1e9 },
    }
    .clamped();
    assert_eq!((p.change, p.value, p.text), (CHANGES.len() - 1, 4_300_000_000, TEXTS.len() - 1));
    assert_eq!((p.timeline.notice_months, p.timeline.half_months, p.timeline.spread_months), (1, 1.0, 36.0));
}

// ---------------------------------------------------------------------------------------------
// The timeline
// ---------------------------------------------------------------------------------------------

#[test]
fn dates_and_headers() {
    assert_eq!(days_from_civil((1970, 1, 1)), 0);
    assert_eq!(days_from_civil((2000, 3, 1)), 11_017);
    assert_eq!(days_from_civil(DEPRECATED_ON), 19_324);
    assert_eq!(add_months((2022, 11, 28), 24), (2024, 11, 28));
    assert_eq!(add_months((2023, 1, 31), 1), (2023, 2, 28));
    assert_eq!(add_months((2023, 12, 31), 2), (2024, 2, 29));
    assert_eq!(http_date((1970, 1, 1)), "Thu, 01 Jan 1970 00:00:00 GMT");
    assert_eq!(http_date((2022, 11, 28)), "Mon, 28 Nov 2022 00:00:00 GMT");
    // GitHub's policy: a successor released on 2022-11-28 retires it no earlier than 2024-11-28.
    let t = timeline(&TimelineParams::GITHUB);
    assert_eq!((t.deprecated_on.as_str(), t.sunset_on.as_str()), ("2022-11-28", "2024-11-28"));
    assert_eq!(t.headers, "Deprecation: @1669593600 · Sunset: Thu, 28 Nov 2024 00:00:00 GMT");
    assert!(GITHUB_POLICY.contains("24 months") && TimelineParams::GITHUB.notice_months == 24);
}

/// (notice months, half, spread, share still on the old version at sunset):
/// 1 / (1 + e^{(2 ln 9 / spread)(notice − half)}).
const SUNSET_SHARES: &[(u32, f64, f64, f64)] = &[
    (12, 9.0, 18.0, 0.324_666_488_787_032),
    (24, 9.0, 18.0, 0.025_037_093_456_503_6),
    (6, 9.0, 18.0, 0.675_333_511_212_968),
    (9, 9.0, 18.0, 0.5),
    // Half a spread after the midpoint: 10% left; half a spread before: 90%.
    (18, 9.0, 18.0, 0.1),
    (4, 9.0, 10.0, 0.9),
];

#[test]
fn the_s_curve() {
    for &(notice, half, spread, want) in SUNSET_SHARES {
        let p = TimelineParams { notice_months: notice, half_months: half, spread_months: spread };
        let got = timeline(&p).old_share_at_sunset;
        assert!(close(got, want, 1e-12), "{notice} {half} {spread}: {got}");
    }
    let t = timeline(&TimelineParams::ILLUSTRATIVE);
    assert_eq!(t.curve.first().map(|p| p.0), Some(0.0));
    // The curve runs past the later of the sunset and the end of the move, in half months.
    assert_eq!(t.curve.last().map(|p| p.0), Some(33.0));
    assert!(t.curve.windows(2).all(|w| w[1].1 < w[0].1));
}

// ---------------------------------------------------------------------------------------------
// The widget's declaration
// ---------------------------------------------------------------------------------------------

#[test]
fn spec_defaults_presets_and_links() {
    let spec = &SCHEMA_EVOLUTION;
    assert_eq!(schema_params(&spec.defaults()), SchemaParams::DEFAULT);
    for (name, want) in [("github", TimelineParams::GITHUB), ("hurried", TimelineParams::HURRIED)] {
        let (st, notes) = spec.parse_query(&format!("preset={name}"));
        assert!(notes.is_empty());
        assert_eq!(schema_params(&st).timeline, want, "{name}");
    }
    // Choices by key; the typed value survives the link exactly, at both ends of its range.
    for (q, change, value) in [
        ("change=rename&value=42", 4, 42),
        ("change=int64&value=4294967301", 5, 4_294_967_301),
        ("change=add&value=-2147483648", 0, -2_147_483_648),
        ("value=4300000000", 6, 4_300_000_000),
    ] {
        let (st, notes) = spec.parse_query(q);
        assert!(notes.is_empty(), "{q}: {notes:?}");
        let p = schema_params(&st);
        assert_eq!((p.change, p.value), (change, value), "{q}");
        assert_eq!(spec.parse_query(&spec.to_query(&st)).0, st, "{q}: {}", spec.to_query(&st));
    }
    // Bad links clamp with notes.
    let (st, notes) = spec.parse_query("change=nope&value=1e30&text=9&notice=-4");
    assert!(notes.len() >= 3, "{notes:?}");
    let p = schema_params(&st);
    assert_eq!(p.value, 4_300_000_000);
    assert!(p.timeline.notice_months >= 1);
    // The choices are the catalogue, in order.
    let Kind::Choice(keys) = spec.params[0].kind else { panic!("change is a choice") };
    assert_eq!(keys, CHANGES.map(|c| c.key));
}

#[test]
fn facts_name_the_key_numbers() {
    let f = schema_facts(&analyse(&SchemaParams::DEFAULT));
    let value = |k: &str| f.readouts.iter().find(|r| r.key == k).map(|r| r.value.clone()).unwrap_or_default();
    assert_eq!(value("bytes"), format!("08 ac 02 {TESTING} 18 01"));
    assert!(value("reader").starts_with("int32 credits = 1 → 300 (✗ misread)"), "{}", value("reader"));
    assert_eq!(value("wire"), "✗ breaking");
    assert_eq!(value("github"), "✓ compatible");
    assert_eq!(value("sunset"), "2023-11-28 (deprecated 2022-11-28)");
    assert_eq!(value("left"), "32%");
    assert!(f.verdict.starts_with("Breaks on the wire"), "{}", f.verdict);
}

fn wild() -> impl Strategy<Value = f64> {
    prop_oneof![Just(f64::NAN), Just(f64::INFINITY), Just(-1e300), -1e12f64..1e12]
}

proptest! {
    #[test]
    fn any_input_gives_an_answer(change in any::<usize>(), value in any::<i64>(), text in any::<usize>(), notice in any::<u32>(), half in wild(), spread in wild()) {
        let p = SchemaParams { change, value, text, timeline: TimelineParams { notice_months: notice, half_months: half, spread_months: spread } };
        let r = analyse(&p);
        prop_assert_eq!(r.fields.len(), 3);
        prop_assert!(!r.verdict.is_empty() && !r.verdict.contains("NaN"));
        let s = r.timeline.old_share_at_sunset;
        prop_assert!((0.0..=1.0).contains(&s));
        prop_assert!(r.timeline.curve.len() <= 200);
        prop_assert_eq!(r.clone(), analyse(&p.clamped()));
    }

    #[test]
    fn more_notice_leaves_fewer_behind(a in 1u32..36, b in 1u32..36, half in 1.0f64..36.0, spread in 2.0f64..36.0) {
        let t = |n| timeline(&TimelineParams { notice_months: n, half_months: half, spread_months: spread }).old_share_at_sunset;
        let (lo, hi) = (a.min(b), a.max(b));
        prop_assert!(t(hi) <= t(lo));
    }

    #[test]
    fn wire_compatible_int_changes_read_back_values_that_fit(change in prop_oneof![Just(5usize), Just(0usize)], value in -2_147_483_648i64..2_147_483_648) {
        // int32 → int64 (and no change to credits): any value an int32 holds reads back as sent.
        let r = analyse(&SchemaParams { change, value, ..SchemaParams::DEFAULT });
        prop_assert_eq!(r.fields[0].seen, Seen::AsSent);
        prop_assert_eq!(r.fields[0].shown.clone(), value.to_string());
    }

    #[test]
    fn sint32_is_misread_for_every_value_but_zero(value in -1_073_741_824i64..1_073_741_824) {
        let r = analyse(&SchemaParams { change: 6, value, ..SchemaParams::DEFAULT });
        // The old int32 reader gets the zigzag number: 2n for n ≥ 0, −2n − 1 for n < 0.
        let want = if value >= 0 { 2 * value } else { -2 * value - 1 };
        prop_assert_eq!(r.fields[0].shown.clone(), want.to_string());
        prop_assert_eq!(r.fields[0].seen == Seen::AsSent, value == 0);
    }
}
