//! The output record: what pmpo says about one posting, in one type.
//!
//! In: a [`Labelled`] posting and the row's note. Out: a [`Record`], whose
//! serde fields are pmpo's output columns, in order. Every format is
//! derived from it: the CSV header and cells, the Arrow/Parquet schema and
//! arrays ([`flat`] walks the fields), the JSON Lines keys (serde itself)
//! and its published JSON Schema ([`json_schema`], checked in as
//! `schema/record.v1.json`). [`Detailed`] adds the four probabilities: it
//! is a JSON Lines line without its `row`, and what `pmpo explain --format
//! json` and the Python `pmpo.explain` return.
//!
//! Guarantees: a column is named in one place, the struct below; adding a
//! column there adds it to every format. Numbers are rounded to three
//! decimals once, here, so every format carries the same values.

use serde::Serialize;

use crate::engine::{Labelled, Mismatch};
use crate::score::Label;
use crate::title::TitleRole;

/// The version of the record's shape, in the schema's file name and `$id`.
pub const RECORD_VERSION: u32 = 1;

/// What pmpo says about one posting: the columns it appends to every row.
#[derive(Debug, Clone, Serialize)]
pub struct Record<'a> {
    /// `pm`, `po`, `hybrid` or `none`.
    pub pmpo_label: Label,
    /// Probability of that label, in [0, 1].
    pub pmpo_confidence: f64,
    /// Posterior mean of the PM share of the duty evidence.
    pub pmpo_pm_share: f64,
    /// Summed PM evidence.
    pub pmpo_pm_evidence: f64,
    /// Summed PO evidence.
    pub pmpo_po_evidence: f64,
    /// What the title claims: `pm`, `po`, `both`, `other`.
    pub pmpo_title_role: TitleRole,
    /// How the title and the duties disagree, if they do.
    pub pmpo_mismatch: Option<Mismatch>,
    /// The mismatch in one line (empty when there is none).
    pub pmpo_reason: &'a str,
    /// The heaviest phrases, as one cell; every piece of evidence with its
    /// span in JSON Lines.
    pub pmpo_evidence: Evidence<'a>,
    /// What a user should know before trusting the label, or empty.
    pub pmpo_note: &'a str,
    /// The text's language (ISO 639-1, or `und`).
    pub pmpo_lang: &'a str,
    /// The model's version hash.
    pub pmpo_model: &'a str,
}

/// The evidence column: one cell in flat formats, every piece with its
/// span in JSON Lines.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Evidence<'a> {
    /// `roadmap (pm 1.94, duties); product backlog (po 1.66, requirements)`.
    Cell(&'a str),
    /// Every piece of evidence, in text order.
    Spans(Vec<Span<'a>>),
}

/// One piece of evidence with its place in the posting's (cleaned) text.
#[derive(Debug, Clone, Serialize)]
pub struct Span<'a> {
    /// The phrase as the lexicon writes it.
    pub phrase: &'a str,
    /// `pm`, `po` or `other`.
    pub role: &'static str,
    /// What it added, rounded to three decimals.
    pub weight: f64,
    /// The section it was found in.
    pub section: &'static str,
    /// Start of its byte span.
    pub start: u32,
    /// End of its byte span.
    pub end: u32,
    /// The words as the posting writes them.
    pub text: &'a str,
}

/// Rounds to three decimals: the precision of every number pmpo writes.
pub fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

impl<'a> Record<'a> {
    /// The record of a labelled posting. `reason`, `evidence` and `note`
    /// are the caller's buffers (reused between rows); `spans` asks for
    /// every piece of evidence instead of the one-cell summary.
    pub fn new(
        l: &'a Labelled<'a>,
        min_confidence: f64,
        reason: &'a str,
        evidence: &'a str,
        note: &'a str,
        spans: bool,
    ) -> Record<'a> {
        let v = &l.verdict;
        let evidence = if spans {
            Evidence::Spans(spans_of(l))
        } else {
            Evidence::Cell(evidence)
        };
        Record {
            pmpo_label: v.label,
            pmpo_confidence: round3(v.confidence),
            pmpo_pm_share: round3(v.pm_share),
            pmpo_pm_evidence: round3(v.pm_evidence),
            pmpo_po_evidence: round3(v.po_evidence),
            pmpo_title_role: l.title_role,
            pmpo_mismatch: l.mismatch(min_confidence),
            pmpo_reason: reason,
            pmpo_evidence: evidence,
            pmpo_note: note,
            pmpo_lang: l.lang,
            pmpo_model: l.model.hash(),
        }
    }

    /// A record with every optional field present, for deriving schemas.
    pub fn sample() -> Record<'static> {
        Record {
            pmpo_label: Label::Pm,
            pmpo_confidence: 0.0,
            pmpo_pm_share: 0.0,
            pmpo_pm_evidence: 0.0,
            pmpo_po_evidence: 0.0,
            pmpo_title_role: TitleRole::Pm,
            pmpo_mismatch: Some(Mismatch::Opposite),
            pmpo_reason: "",
            pmpo_evidence: Evidence::Cell(""),
            pmpo_note: "",
            pmpo_lang: "",
            pmpo_model: "",
        }
    }
}

/// The four label probabilities, by name, rounded like the record.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Probs {
    /// Probability of `pm`.
    pub pm: f64,
    /// Probability of `po`.
    pub po: f64,
    /// Probability of `hybrid`.
    pub hybrid: f64,
    /// Probability of `none`.
    pub none: f64,
}

impl Probs {
    /// The probabilities of a verdict, in label order (pm, po, hybrid, none).
    pub fn of(p: &[f64; 4]) -> Probs {
        Probs {
            pm: round3(p[0]),
            po: round3(p[1]),
            hybrid: round3(p[2]),
            none: round3(p[3]),
        }
    }
}

/// A record with every piece of evidence and the four probabilities: the
/// keys of a JSON Lines line after its `row`.
#[derive(Debug, Clone, Serialize)]
pub struct Detailed<'a> {
    /// The record (its evidence as spans).
    #[serde(flatten)]
    pub record: &'a Record<'a>,
    /// All four label probabilities.
    pub pmpo_probs: Probs,
}

/// Calls `f` with one posting's [`Detailed`] record. Its reason and note
/// are made as in a labelling run, so the values are those of the
/// posting's line in `pmpo label --format jsonl`.
pub fn with_detailed<T>(
    l: &Labelled<'_>,
    min_confidence: f64,
    f: impl FnOnce(&Detailed<'_>) -> T,
) -> T {
    let mut reason = String::new();
    let mut note = String::new();
    crate::io::postings::note(l, false, &mut note);
    l.reason(min_confidence, &mut reason);
    let record = Record::new(l, min_confidence, &reason, "", &note, true);
    f(&Detailed {
        record: &record,
        pmpo_probs: Probs::of(&l.verdict.probs),
    })
}

/// One posting's [`Detailed`] record as JSON, its keys in the record's
/// order (indented when `pretty`): what `pmpo explain --format json`
/// writes and `pmpo.explain` returns.
pub fn detailed_json(l: &Labelled<'_>, min_confidence: f64, pretty: bool) -> String {
    with_detailed(l, min_confidence, |d| {
        let json = if pretty {
            serde_json::to_string_pretty(d)
        } else {
            serde_json::to_string(d)
        };
        // Serialising plain strings and numbers into memory cannot fail.
        json.unwrap_or_default()
    })
}

/// Every piece of evidence of `l`, with its phrase and words.
pub fn spans_of<'a>(l: &'a Labelled<'a>) -> Vec<Span<'a>> {
    let phrases = &l.model.lexicon().phrases;
    l.evidence
        .iter()
        .map(|e| Span {
            phrase: phrases
                .get(e.phrase as usize)
                .map_or("", |p| p.example.as_str()),
            role: e.role.as_str(),
            weight: round3(f64::from(e.weight)),
            section: e.section.as_str(),
            start: e.start,
            end: e.end,
            text: l.text.get(e.start as usize..e.end as usize).unwrap_or(""),
        })
        .collect()
}

/// The kind of value a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text.
    Str,
    /// A number.
    Float,
    /// One of a few names: the values of an enum (a dictionary string in
    /// Arrow), named by the enum's type name.
    Name(&'static str),
}

/// One output column: its name, kind and whether it may be empty (null).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The column's name, as in the CSV header.
    pub name: &'static str,
    /// What it holds.
    pub kind: Kind,
    /// Whether the value may be absent (empty in CSV, null elsewhere).
    pub nullable: bool,
}

/// pmpo's output columns, in order, derived from [`Record`]'s fields.
pub fn columns() -> Vec<Column> {
    struct Collect(Vec<Column>);
    impl flat::Visit for Collect {
        fn cell(
            &mut self,
            _index: usize,
            name: &'static str,
            cell: flat::Cell<'_>,
            nullable: bool,
        ) {
            let kind = match cell {
                flat::Cell::Str(_) | flat::Cell::Null => Kind::Str,
                flat::Cell::Float(_) => Kind::Float,
                flat::Cell::Name(ty, _) => Kind::Name(ty),
            };
            self.0.push(Column {
                name,
                kind,
                nullable,
            });
        }
    }
    let mut c = Collect(Vec::new());
    // The sample record is flat by construction.
    let _ = flat::walk(&Record::sample(), &mut c);
    c.0
}

/// pmpo's output column names, in order.
pub fn column_names() -> Vec<&'static str> {
    columns().iter().map(|c| c.name).collect()
}

/// The names a [`Kind::Name`] column can hold, by the enum's type name.
pub fn names_of(ty: &str) -> Vec<&'static str> {
    match ty {
        "Label" => Label::ALL.iter().map(|l| l.as_str()).collect(),
        "TitleRole" => crate::report::TITLE_ROLES
            .iter()
            .map(|t| t.as_str())
            .collect(),
        "Mismatch" => [Mismatch::Opposite, Mismatch::Hybrid, Mismatch::NotProduct]
            .iter()
            .map(|m| m.as_str())
            .collect(),
        _ => Vec::new(),
    }
}

/// The JSON Schema (draft 2020-12) of one JSON Lines output line: the
/// input row as an object of strings, the record's fields, and the four
/// label probabilities. Written to `schema/record.v1.json`.
pub fn json_schema() -> serde_json::Value {
    use serde_json::json;
    let mut props = serde_json::Map::new();
    let mut required = vec![json!("row")];
    props.insert(
        "row".into(),
        json!({
            "description": "the input row (the kept columns), keyed by column name; a repeated name is numbered",
            "type": "object",
            "additionalProperties": {"type": "string"}
        }),
    );
    for c in columns() {
        let mut s = match c.kind {
            Kind::Str => json!({"type": "string"}),
            Kind::Float => json!({"type": "number"}),
            Kind::Name(ty) => json!({"enum": names_of(ty)}),
        };
        if c.name == "pmpo_evidence" {
            s = json!({
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["phrase", "role", "weight", "section", "start", "end", "text"],
                    "additionalProperties": false,
                    "properties": {
                        "phrase": {"type": "string"},
                        "role": {"enum": ["pm", "po", "other"]},
                        "weight": {"type": "number"},
                        "section": {"type": "string"},
                        "start": {"type": "integer", "minimum": 0},
                        "end": {"type": "integer", "minimum": 0},
                        "text": {"type": "string"}
                    }
                }
            });
        }
        if matches!(c.name, "pmpo_confidence" | "pmpo_pm_share") {
            if let Some(o) = s.as_object_mut() {
                o.insert("minimum".into(), json!(0));
                o.insert("maximum".into(), json!(1));
            }
        }
        if c.nullable {
            s = json!({"anyOf": [s, {"type": "null"}]});
        }
        required.push(json!(c.name));
        props.insert(c.name.into(), s);
    }
    let p = json!({"type": "number", "minimum": 0, "maximum": 1});
    props.insert(
        "pmpo_probs".into(),
        json!({
            "type": "object",
            "required": ["pm", "po", "hybrid", "none"],
            "additionalProperties": false,
            "properties": {"pm": p, "po": p, "hybrid": p, "none": p}
        }),
    );
    required.push(json!("pmpo_probs"));
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": format!("pmpo/record.v{RECORD_VERSION}.json"),
        "title": "pmpo output record (one JSON Lines line)",
        "description": "What pmpo says about one job posting. CSV, Parquet and Arrow carry the same pmpo_* fields as columns, after the input's columns; there pmpo_evidence is the heaviest phrases as one string and pmpo_probs is absent.",
        "type": "object",
        "required": required,
        "additionalProperties": false,
        "properties": props
    })
}

/// A walk over a record's fields as flat cells: the one place that reads
/// a [`Record`] for CSV and Arrow, through serde.
pub mod flat {
    use serde::ser::{self, Impossible, Serialize};

    /// One field's value.
    #[derive(Debug, Clone, Copy, PartialEq)]
    pub enum Cell<'a> {
        /// Text.
        Str(&'a str),
        /// A number.
        Float(f64),
        /// A unit variant of the enum named first: the variant's name.
        Name(&'static str, &'static str),
        /// An absent optional value.
        Null,
    }

    /// Receives a record's cells, in column order.
    pub trait Visit {
        /// Cell `index` of the record, in the column called `name`;
        /// `nullable` when the field is optional.
        fn cell(&mut self, index: usize, name: &'static str, cell: Cell<'_>, nullable: bool);
    }

    /// A field whose value is not flat (a list or an object).
    #[derive(Debug)]
    pub struct NotFlat(String);

    impl std::fmt::Display for NotFlat {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "not a flat value: {}", self.0)
        }
    }
    impl std::error::Error for NotFlat {}
    impl ser::Error for NotFlat {
        fn custom<T: std::fmt::Display>(msg: T) -> Self {
            NotFlat(msg.to_string())
        }
    }

    /// Walks the fields of `value` (a struct of flat fields), calling `v`
    /// for each.
    pub fn walk<T: Serialize + ?Sized, V: Visit>(value: &T, v: &mut V) -> Result<(), NotFlat> {
        value.serialize(Top { v })
    }

    struct Top<'v, V> {
        v: &'v mut V,
    }

    /// The fields of the struct being walked.
    pub struct Fields<'v, V> {
        v: &'v mut V,
        index: usize,
    }

    struct One<'v, V> {
        v: &'v mut V,
        index: usize,
        name: &'static str,
        nullable: bool,
    }

    impl<V: Visit> One<'_, V> {
        fn emit(self, c: Cell<'_>) -> Result<(), NotFlat> {
            self.v.cell(self.index, self.name, c, self.nullable);
            Ok(())
        }
    }

    fn not_flat<T>(what: &str) -> Result<T, NotFlat> {
        Err(NotFlat(what.to_string()))
    }

    impl<V: Visit> ser::SerializeStruct for Fields<'_, V> {
        type Ok = ();
        type Error = NotFlat;
        fn serialize_field<T: Serialize + ?Sized>(
            &mut self,
            key: &'static str,
            value: &T,
        ) -> Result<(), NotFlat> {
            value.serialize(One {
                v: &mut *self.v,
                index: self.index,
                name: key,
                nullable: false,
            })?;
            self.index += 1;
            Ok(())
        }
        fn end(self) -> Result<(), NotFlat> {
            Ok(())
        }
    }

    macro_rules! refuse {
        ($($f:ident: $t:ty),*) => {
            $(fn $f(self, _v: $t) -> Result<Self::Ok, NotFlat> { not_flat(stringify!($t)) })*
        };
    }

    /// Numbers of every width are one kind of cell.
    macro_rules! floats {
        ($($f:ident: $t:ty),*) => {
            $(fn $f(self, v: $t) -> Result<(), NotFlat> { self.emit(Cell::Float(v as f64)) })*
        };
    }

    impl<'v, V: Visit> ser::Serializer for Top<'v, V> {
        type Ok = ();
        type Error = NotFlat;
        type SerializeSeq = Impossible<(), NotFlat>;
        type SerializeTuple = Impossible<(), NotFlat>;
        type SerializeTupleStruct = Impossible<(), NotFlat>;
        type SerializeTupleVariant = Impossible<(), NotFlat>;
        type SerializeMap = Impossible<(), NotFlat>;
        type SerializeStruct = Fields<'v, V>;
        type SerializeStructVariant = Impossible<(), NotFlat>;
        refuse!(serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
            serialize_i64: i64, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
            serialize_u64: u64, serialize_f32: f32, serialize_f64: f64, serialize_char: char,
            serialize_str: &str, serialize_bytes: &[u8]);
        fn serialize_none(self) -> Result<(), NotFlat> {
            not_flat("none")
        }
        fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<(), NotFlat> {
            not_flat("some")
        }
        fn serialize_unit(self) -> Result<(), NotFlat> {
            not_flat("unit")
        }
        fn serialize_unit_struct(self, _: &'static str) -> Result<(), NotFlat> {
            not_flat("unit struct")
        }
        fn serialize_unit_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
        ) -> Result<(), NotFlat> {
            not_flat("variant")
        }
        fn serialize_newtype_struct<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: &T,
        ) -> Result<(), NotFlat> {
            not_flat("newtype")
        }
        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<(), NotFlat> {
            not_flat("newtype variant")
        }
        fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, NotFlat> {
            not_flat("list")
        }
        fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, NotFlat> {
            not_flat("tuple")
        }
        fn serialize_tuple_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleStruct, NotFlat> {
            not_flat("tuple")
        }
        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleVariant, NotFlat> {
            not_flat("tuple")
        }
        fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, NotFlat> {
            not_flat("map")
        }
        fn serialize_struct(self, _: &'static str, _: usize) -> Result<Fields<'v, V>, NotFlat> {
            Ok(Fields {
                v: self.v,
                index: 0,
            })
        }
        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStructVariant, NotFlat> {
            not_flat("struct variant")
        }
    }

    impl<V: Visit> ser::Serializer for One<'_, V> {
        type Ok = ();
        type Error = NotFlat;
        type SerializeSeq = Impossible<(), NotFlat>;
        type SerializeTuple = Impossible<(), NotFlat>;
        type SerializeTupleStruct = Impossible<(), NotFlat>;
        type SerializeTupleVariant = Impossible<(), NotFlat>;
        type SerializeMap = Impossible<(), NotFlat>;
        type SerializeStruct = Impossible<(), NotFlat>;
        type SerializeStructVariant = Impossible<(), NotFlat>;
        refuse!(serialize_bool: bool, serialize_char: char, serialize_bytes: &[u8]);
        floats!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
            serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64,
            serialize_f32: f32, serialize_f64: f64);
        fn serialize_str(self, v: &str) -> Result<(), NotFlat> {
            self.emit(Cell::Str(v))
        }
        fn serialize_none(self) -> Result<(), NotFlat> {
            let mut s = self;
            s.nullable = true;
            s.emit(Cell::Null)
        }
        fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), NotFlat> {
            let mut s = self;
            s.nullable = true;
            value.serialize(s)
        }
        fn serialize_unit(self) -> Result<(), NotFlat> {
            self.emit(Cell::Null)
        }
        fn serialize_unit_struct(self, _: &'static str) -> Result<(), NotFlat> {
            self.emit(Cell::Null)
        }
        fn serialize_unit_variant(
            self,
            ty: &'static str,
            _: u32,
            variant: &'static str,
        ) -> Result<(), NotFlat> {
            self.emit(Cell::Name(ty, variant))
        }
        fn serialize_newtype_struct<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            value: &T,
        ) -> Result<(), NotFlat> {
            value.serialize(self)
        }
        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            value: &T,
        ) -> Result<(), NotFlat> {
            value.serialize(self)
        }
        fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, NotFlat> {
            not_flat(self.name)
        }
        fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, NotFlat> {
            not_flat(self.name)
        }
        fn serialize_tuple_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleStruct, NotFlat> {
            not_flat(self.name)
        }
        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleVariant, NotFlat> {
            not_flat(self.name)
        }
        fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, NotFlat> {
            not_flat(self.name)
        }
        fn serialize_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStruct, NotFlat> {
            not_flat(self.name)
        }
        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStructVariant, NotFlat> {
            not_flat(self.name)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_detailed_record_says_what_the_text_explanation_says() {
        let model = crate::Model::embedded().unwrap();
        let mut lab = crate::engine::Labeller::new();
        let text = "Responsibilities\n- Own the product backlog and write user stories.\n- Set the product roadmap.\n";
        let l = lab.label(&model, "Product Owner", [text]);
        let json = detailed_json(&l, 0.6, false);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        let ex = crate::explain::explanation(&l, 0.6);
        let mut want: Vec<&str> = columns().iter().map(|c| c.name).collect();
        want.push("pmpo_probs");
        let at: Vec<usize> = want
            .iter()
            .map(|k| json.find(&format!("\"{k}\":")).unwrap())
            .collect();
        assert!(
            at.windows(2).all(|w| w[0] < w[1]),
            "keys out of the record's order: {json}"
        );
        assert_eq!(v.as_object().unwrap().len(), want.len());
        assert_eq!(v["pmpo_label"], ex.label.as_str());
        assert_eq!(v["pmpo_confidence"], round3(ex.confidence));
        assert_eq!(v["pmpo_title_role"], "po");
        assert_eq!(v["pmpo_model"], model.hash());
        let ev = v["pmpo_evidence"].as_array().unwrap();
        assert_eq!(ev.len(), ex.evidence.len());
        for (e, x) in ev.iter().zip(&ex.evidence) {
            assert_eq!(e["phrase"], x.phrase.as_str());
            assert_eq!(e["text"], x.text.as_str());
            assert_eq!(e["start"], x.start);
        }
        let p = &v["pmpo_probs"];
        assert_eq!(p["hybrid"], round3(ex.probs.hybrid));
        let sum: f64 = ["pm", "po", "hybrid", "none"]
            .iter()
            .map(|k| p[k].as_f64().unwrap())
            .sum();
        assert!((sum - 1.0).abs() <= 0.002, "{sum}");
    }

    #[test]
    fn the_columns_are_the_record_fields_in_order() {
        let names: Vec<&str> = columns().iter().map(|c| c.name).collect();
        assert_eq!(
            names,
            [
                "pmpo_label",
                "pmpo_confidence",
                "pmpo_pm_share",
                "pmpo_pm_evidence",
                "pmpo_po_evidence",
                "pmpo_title_role",
                "pmpo_mismatch",
                "pmpo_reason",
                "pmpo_evidence",
                "pmpo_note",
                "pmpo_lang",
                "pmpo_model",
            ]
        );
        let c = columns();
        assert_eq!(c[0].kind, Kind::Name("Label"));
        assert_eq!(c[1].kind, Kind::Float);
        assert!(c[6].nullable && !c[7].nullable);
        assert_eq!(c[8].kind, Kind::Str);
    }

    #[test]
    fn the_json_lines_keys_are_the_columns() {
        let v = serde_json::to_value(Record::sample()).unwrap();
        let keys: std::collections::BTreeSet<&str> =
            v.as_object().unwrap().keys().map(String::as_str).collect();
        let cols: std::collections::BTreeSet<&str> = columns().iter().map(|c| c.name).collect();
        assert_eq!(keys, cols);
    }

    #[test]
    fn a_list_is_not_flat() {
        struct Nothing;
        impl flat::Visit for Nothing {
            fn cell(&mut self, _: usize, _: &'static str, _: flat::Cell<'_>, _: bool) {}
        }
        let mut r = Record::sample();
        r.pmpo_evidence = Evidence::Spans(Vec::new());
        assert!(flat::walk(&r, &mut Nothing).is_err());
    }
}
