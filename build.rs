//! Turns the language files in `lang/` into the tables of the section
//! splitter, the language guess and the title parser.
//!
//! In: `lang/*.json`, one file per language (format `pmpo-language`,
//! version 1), read in the order of their names. Out: three Rust files in
//! `OUT_DIR` (`sections_tables.rs`, `lang_tables.rs`, `title_tables.rs`)
//! that `src/sections.rs`, `src/lang.rs` and `src/title.rs` include.
//!
//! Guarantees: a file that is not valid JSON, has the wrong format tag or
//! version, an unknown key, or a heading phrase that another language gives
//! another section or mode, stops the build with a message naming the file.
//! A phrase that two languages share is kept once, at its first place.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::error::Error;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The sections a heading can start, in the order of the keyword table
/// (benefits first: "What we offer" must not be read as duties).
const KEYWORD_ORDER: [&str; 5] = ["benefits", "company", "requirements", "duties", "other"];

/// The heading tables: key in the files, table name, section.
const HEADING_TABLES: [(&str, &str); 6] = [
    ("duties", "DUTIES"),
    ("requirements", "REQUIREMENTS"),
    ("company", "COMPANY"),
    ("team", "TEAM"),
    ("benefits", "BENEFITS"),
    ("other", "OTHER"),
];

/// The keys a language file may have.
const KEYS: [&str; 17] = [
    "format",
    "version",
    "code",
    "name",
    "stemmer",
    "stop_words",
    "headings",
    "heading_keywords",
    "sentence_words",
    "about_prefixes",
    "role_intro_starts",
    "requirement_starts",
    "years_words",
    "duty_starts",
    "benefit_words",
    "title",
    "notes",
];

/// The keys of a file's `title` object, with the table each fills.
const TITLE_TABLES: [(&str, &str); 10] = [
    ("product_words", "PRODUCT_WORDS"),
    ("manager_nouns", "MANAGER_NOUNS"),
    ("leader_nouns", "LEADER_NOUNS"),
    ("owner_nouns", "OWNER_NOUNS"),
    ("pm_lead_nouns", "PM_LEAD_NOUNS"),
    ("po_lead_nouns", "PO_LEAD_NOUNS"),
    ("pm_compounds", "PM_COMPOUNDS"),
    ("po_compounds", "PO_COMPOUNDS"),
    ("pm_phrases", "PM_CJK"),
    ("po_phrases", "PO_CJK"),
];

/// One language file, read.
struct Language {
    path: PathBuf,
    json: Value,
}

impl Language {
    /// The strings of the array at `key` (an object path), or none.
    fn strings(&self, key: &[&str]) -> Result<Vec<String>, Box<dyn Error>> {
        let mut v = &self.json;
        for k in key {
            match v.get(k) {
                Some(next) => v = next,
                None => return Ok(Vec::new()),
            }
        }
        let items = v
            .as_array()
            .ok_or_else(|| format!("{}: {} is not a list", self.path.display(), key.join(".")))?;
        items
            .iter()
            .map(|s| {
                s.as_str().map(str::to_string).ok_or_else(|| {
                    format!(
                        "{}: {} holds a non-string",
                        self.path.display(),
                        key.join(".")
                    )
                    .into()
                })
            })
            .collect()
    }

    fn str(&self, key: &str) -> Result<String, Box<dyn Error>> {
        self.json
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| format!("{}: no string {key:?}", self.path.display()).into())
    }
}

/// Whether a phrase is written in a script without spaces between words
/// (CJK): such phrases are found as substrings, not words.
fn is_cjk(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c >= '\u{2e80}')
}

/// `items` without repeats, first places kept.
fn unique(items: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut seen = HashSet::new();
    items
        .into_iter()
        .filter(|s| seen.insert(s.clone()))
        .collect()
}

/// A `&[&str]` constant.
fn str_table(out: &mut String, doc: &str, name: &str, items: &[String]) {
    let _ = writeln!(out, "/// {doc}\nconst {name}: &[&str] = &[");
    for s in items {
        let _ = writeln!(out, "    {s:?},");
    }
    out.push_str("];\n\n");
}

fn read_languages(dir: &Path) -> Result<Vec<Language>, Box<dyn Error>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    let mut langs = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path)?;
        let json: Value = serde_json::from_str(&text)
            .map_err(|e| format!("{}: not valid JSON: {e}", path.display()))?;
        let lang = Language { path, json };
        if lang.str("format")? != "pmpo-language" {
            return Err(format!("{}: format is not pmpo-language", lang.path.display()).into());
        }
        if lang.json.get("version").and_then(Value::as_u64) != Some(1) {
            return Err(format!("{}: version is not 1", lang.path.display()).into());
        }
        let stem = lang.path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        if lang.str("code")? != stem {
            return Err(format!("{}: code is not the file name", lang.path.display()).into());
        }
        for key in lang
            .json
            .as_object()
            .map(|o| o.keys())
            .into_iter()
            .flatten()
        {
            if !KEYS.contains(&key.as_str()) {
                return Err(format!("{}: unknown key {key:?}", lang.path.display()).into());
            }
        }
        langs.push(lang);
    }
    Ok(langs)
}

fn sections_tables(langs: &[Language]) -> Result<String, Box<dyn Error>> {
    let mut out = String::from("// Made by build.rs from lang/*.json: edit those files.\n\n");
    // Heading phrases: one table per section, every language's in turn.
    let mut seen: HashMap<String, (String, bool, PathBuf)> = HashMap::new();
    for (key, name) in HEADING_TABLES {
        let _ = writeln!(
            out,
            "/// Heading phrases of the {key} section, normalised (from `lang/*.json`).\nconst {name}: &[(&str, Mode)] = &["
        );
        for lang in langs {
            for (mode, whole) in [("starts", false), ("whole", true)] {
                for phrase in lang.strings(&["headings", key, mode])? {
                    if let Some((k, w, p)) = seen.get(&phrase) {
                        if k != key || *w != whole {
                            return Err(format!(
                                "{}: heading {phrase:?} is {key}/{mode} here and {k}/{} in {}",
                                lang.path.display(),
                                if *w { "whole" } else { "starts" },
                                p.display()
                            )
                            .into());
                        }
                        continue;
                    }
                    seen.insert(phrase.clone(), (key.to_string(), whole, lang.path.clone()));
                    let _ = writeln!(out, "    ({phrase:?}, {}),", if whole { "E" } else { "P" });
                }
            }
            if let Some(h) = lang.json.get("headings").and_then(Value::as_object) {
                for k in h.keys() {
                    if !HEADING_TABLES.iter().any(|(t, _)| t == k) {
                        return Err(
                            format!("{}: unknown heading kind {k:?}", lang.path.display()).into(),
                        );
                    }
                }
            }
        }
        out.push_str("];\n\n");
    }
    out.push_str(
        "/// Keywords that make a short line ending with `:` a heading, in the order\n\
         /// they are tried (benefits, company, requirements, duties, other), normalised.\n\
         const KEYWORDS: &[(&str, Section)] = &[\n",
    );
    let mut keywords_seen = HashSet::new();
    for section in KEYWORD_ORDER {
        for lang in langs {
            for k in lang.strings(&["heading_keywords", section])? {
                if keywords_seen.insert(k.clone()) {
                    let variant = match section {
                        "benefits" => "Benefits",
                        "company" => "Company",
                        "requirements" => "Requirements",
                        "duties" => "Duties",
                        _ => "Other",
                    };
                    let _ = writeln!(out, "    ({k:?}, Section::{variant}),");
                }
            }
        }
    }
    out.push_str("];\n\n");
    let all = |key: &str| -> Result<Vec<String>, Box<dyn Error>> {
        let mut v = Vec::new();
        for lang in langs {
            v.extend(lang.strings(&[key])?);
        }
        Ok(unique(v))
    };
    str_table(
        &mut out,
        "Words that, following a heading phrase, show that the line is a sentence.",
        "SENTENCE_WORDS",
        &all("sentence_words")?,
    );
    str_table(
        &mut out,
        "Starts of a paragraph that introduces the role being filled.",
        "ROLE_INTRO_STARTS",
        &all("role_intro_starts")?,
    );
    str_table(
        &mut out,
        "Starts of a generic \"About Acme\" company heading.",
        "ABOUT_PREFIXES",
        &all("about_prefixes")?,
    );
    str_table(
        &mut out,
        "Starts of a line, normalised, that state what the candidate must bring.",
        "REQUIREMENT_STARTS",
        &all("requirement_starts")?,
    );
    str_table(
        &mut out,
        "Words after a number that make a line a requirement (\"5+ years\").",
        "YEARS",
        &all("years_words")?,
    );
    let (cjk, words): (Vec<String>, Vec<String>) =
        all("duty_starts")?.into_iter().partition(|s| is_cjk(s));
    str_table(
        &mut out,
        "Starts of a line, normalised, that say what the job holder will do.",
        "DUTY_STARTS",
        &words,
    );
    str_table(
        &mut out,
        "Starts of a line in a script without spaces that say what the job holder will do.",
        "CJK_DUTY_STARTS",
        &cjk,
    );
    let (cjk, words): (Vec<String>, Vec<String>) =
        all("benefit_words")?.into_iter().partition(|s| is_cjk(s));
    str_table(
        &mut out,
        "Words, normalised, that name what an employer offers.",
        "BENEFIT_WORDS",
        &words,
    );
    str_table(
        &mut out,
        "Words in a script without spaces that name a benefit.",
        "CJK_BENEFIT_WORDS",
        &cjk,
    );
    Ok(out)
}

fn lang_tables(langs: &[Language]) -> Result<String, Box<dyn Error>> {
    let mut out = String::from("// Made by build.rs from lang/*.json: edit those files.\n\n");
    let mut tables: Vec<(String, Vec<String>)> = Vec::new();
    for lang in langs {
        let mut words: Vec<String> = unique(lang.strings(&["stop_words"])?);
        if words.is_empty() {
            continue;
        }
        words.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
        tables.push((lang.str("code")?, words));
    }
    let _ = writeln!(
        out,
        "/// Each language's stop words, lower-case and sorted by their UTF-8 bytes.\n\
         const STOP_WORDS: [(&str, &[&str]); {}] = [",
        tables.len()
    );
    for (code, words) in &tables {
        let _ = writeln!(out, "    ({code:?}, &{words:?}),");
    }
    out.push_str("];\n\n");
    out.push_str(
        "/// Every language file: code, name, stemmer, and the file's text (for\n\
         /// the tests that check these tables against the files).\n\
         #[cfg(test)]\n\
         pub(crate) const LANGUAGES: &[(&str, &str, &str, &str)] = &[\n",
    );
    for lang in langs {
        let _ = writeln!(
            out,
            "    ({:?}, {:?}, {:?}, include_str!({:?})),",
            lang.str("code")?,
            lang.str("name")?,
            lang.str("stemmer")?,
            lang.path.display().to_string()
        );
    }
    out.push_str("];\n");
    Ok(out)
}

fn title_tables(langs: &[Language]) -> Result<String, Box<dyn Error>> {
    let mut out = String::from("// Made by build.rs from lang/*.json: edit those files.\n\n");
    let mut by_table: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for lang in langs {
        if let Some(t) = lang.json.get("title").and_then(Value::as_object) {
            for k in t.keys() {
                if !TITLE_TABLES.iter().any(|(key, _)| key == k) {
                    return Err(format!("{}: unknown title key {k:?}", lang.path.display()).into());
                }
            }
        }
        for (key, name) in TITLE_TABLES {
            by_table
                .entry(name)
                .or_default()
                .extend(lang.strings(&["title", key])?);
        }
    }
    for (key, name) in TITLE_TABLES {
        let items = unique(by_table.remove(name).unwrap_or_default());
        str_table(
            &mut out,
            &format!("Title words of every language file's `title.{key}`."),
            name,
            &items,
        );
    }
    Ok(out)
}

fn main() -> Result<(), Box<dyn Error>> {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let dir = manifest.join("lang");
    println!("cargo::rerun-if-changed=lang");
    println!("cargo::rerun-if-changed=build.rs");
    let langs = read_languages(&dir)?;
    let out = PathBuf::from(std::env::var("OUT_DIR")?);
    std::fs::write(out.join("sections_tables.rs"), sections_tables(&langs)?)?;
    std::fs::write(out.join("lang_tables.rs"), lang_tables(&langs)?)?;
    std::fs::write(out.join("title_tables.rs"), title_tables(&langs)?)?;
    Ok(())
}
