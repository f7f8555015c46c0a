//! A model: the tokenizer, the lexicon and the label parameters, loaded
//! from a folder or from the copy built into the binary.
//!
//! In: `models/<name>/{tokenizer.json, lexicon.json, calibration.json}`.
//! Out: a [`Model`] ready to label with, and its version hash.
//! Guarantees: every file is checked for its format and version, and an
//! error names the file and what is wrong; saving then loading gives back
//! the same model and the same hash.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::lexicon::{check_header, Compiled, Lexicon};
use crate::score::LabelParams;
use crate::tokenize::{build_hf_tokenizer, hf_words};
use crate::{Error, Result};

/// The `format` tag of a calibration file.
pub const CALIBRATION_FORMAT: &str = "pmpo-calibration";
/// The calibration file version this build reads and writes.
pub const CALIBRATION_VERSION: u32 = 1;

/// The label model's parameters as saved, with how they were obtained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// Always [`CALIBRATION_FORMAT`].
    pub format: String,
    /// [`CALIBRATION_VERSION`].
    pub version: u32,
    /// How the parameters were set, one line per step.
    pub provenance: Vec<String>,
    /// The parameters.
    pub params: LabelParams,
}

impl Calibration {
    /// Wraps parameters with their provenance.
    pub fn new(params: LabelParams, provenance: Vec<String>) -> Calibration {
        Calibration {
            format: CALIBRATION_FORMAT.to_string(),
            version: CALIBRATION_VERSION,
            provenance,
            params,
        }
    }

    /// Parses and checks a calibration file's text.
    pub fn from_json(json: &str, path: &Path) -> Result<Calibration> {
        let v: serde_json::Value = serde_json::from_str(json)
            .map_err(|e| Error::model(path, format!("not valid JSON: {e}")))?;
        check_header(&v, path, CALIBRATION_FORMAT, CALIBRATION_VERSION)?;
        serde_json::from_value(v)
            .map_err(|e| Error::model(path, format!("not a valid calibration: {e}")))
    }

    /// Pretty JSON, ending with a newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// A loaded model.
#[derive(Debug, Clone)]
pub struct Model {
    lexicon: Lexicon,
    compiled: Compiled,
    calibration: Calibration,
    tokenizer_json: String,
    hash: String,
}

const EMBEDDED_TOKENIZER: &str = include_str!("../models/default/tokenizer.json");
const EMBEDDED_LEXICON: &str = include_str!("../models/default/lexicon.json");
const EMBEDDED_CALIBRATION: &str = include_str!("../models/default/calibration.json");

impl Model {
    /// Builds a model from a lexicon and calibration; the tokenizer is made
    /// from the lexicon's words.
    pub fn new(lexicon: Lexicon, calibration: Calibration) -> Result<Model> {
        let mut words: Vec<String> = lexicon
            .phrases
            .iter()
            .flat_map(|p| p.example.split(' ').map(str::to_string).collect::<Vec<_>>())
            .collect();
        words.sort();
        words.dedup();
        let tok = build_hf_tokenizer(words.iter().map(String::as_str))?;
        let tokenizer_json = tok
            .to_string(true)
            .map_err(|e| Error::config(format!("cannot save the tokenizer: {e}")))?
            + "\n";
        Model::assemble(lexicon, calibration, tokenizer_json)
    }

    fn assemble(
        lexicon: Lexicon,
        calibration: Calibration,
        tokenizer_json: String,
    ) -> Result<Model> {
        let compiled = Compiled::new(&lexicon)?;
        let mut h = Sha256::new();
        h.update(tokenizer_json.as_bytes());
        h.update(lexicon.to_json().as_bytes());
        h.update(calibration.to_json().as_bytes());
        let digest = h.finalize();
        let hash = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
        Ok(Model {
            lexicon,
            compiled,
            calibration,
            tokenizer_json,
            hash,
        })
    }

    /// The default model, built into the binary.
    pub fn embedded() -> Result<Model> {
        Model::from_texts(
            EMBEDDED_TOKENIZER,
            EMBEDDED_LEXICON,
            EMBEDDED_CALIBRATION,
            Path::new("<built-in model>"),
        )
    }

    fn from_texts(tokenizer: &str, lexicon: &str, calibration: &str, dir: &Path) -> Result<Model> {
        let tpath = dir.join("tokenizer.json");
        let tok: tokenizers::Tokenizer = tokenizer
            .parse()
            .map_err(|e| Error::model(&tpath, format!("not a valid tokenizer: {e}")))?;
        // The tokenizer must be the one the fast path reproduces.
        let probe = "Own the Roadmap, écrire des User-Stories; 产品";
        let reference = build_hf_tokenizer(std::iter::empty())?;
        if hf_words(&tok, probe)? != hf_words(&reference, probe)? {
            return Err(Error::model(
                &tpath,
                "the tokenizer's normaliser or pre-tokeniser is not pmpo's (BERT normaliser and pre-tokeniser)",
            ));
        }
        let lex = Lexicon::from_json(lexicon, &dir.join("lexicon.json"))?;
        let cal = Calibration::from_json(calibration, &dir.join("calibration.json"))?;
        Model::assemble(lex, cal, tokenizer.to_string())
    }

    /// Loads a model from a folder.
    pub fn load(dir: &Path) -> Result<Model> {
        let read = |name: &str| -> Result<String> {
            let p: PathBuf = dir.join(name);
            std::fs::read_to_string(&p).map_err(|e| Error::model(&p, format!("cannot read: {e}")))
        };
        Model::from_texts(
            &read("tokenizer.json")?,
            &read("lexicon.json")?,
            &read("calibration.json")?,
            dir,
        )
    }

    /// Saves the model's three files into `dir`, creating it.
    pub fn save(&self, dir: &Path) -> Result<()> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        for (name, text) in [
            ("tokenizer.json", self.tokenizer_json.clone()),
            ("lexicon.json", self.lexicon.to_json()),
            ("calibration.json", self.calibration.to_json()),
        ] {
            let p = dir.join(name);
            std::fs::write(&p, text).map_err(|e| Error::io(&p, e))?;
        }
        Ok(())
    }

    /// The saved Hugging Face tokenizer, as JSON.
    pub fn tokenizer_json(&self) -> &str {
        &self.tokenizer_json
    }

    /// The lexicon.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// The compiled lookup tables.
    pub fn compiled(&self) -> &Compiled {
        &self.compiled
    }

    /// The label parameters.
    pub fn params(&self) -> &LabelParams {
        &self.calibration.params
    }

    /// The calibration, with its provenance.
    pub fn calibration(&self) -> &Calibration {
        &self.calibration
    }

    /// A short hash of the model's files: which model made a result.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// A copy with other label parameters.
    pub fn with_calibration(&self, calibration: Calibration) -> Result<Model> {
        Model::assemble(
            self.lexicon.clone(),
            calibration,
            self.tokenizer_json.clone(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_model_loads() {
        let m = Model::embedded().unwrap();
        assert_eq!(m.hash().len(), 12);
    }

    #[test]
    fn save_then_load_round_trips() {
        let m = Model::embedded().unwrap();
        let dir = tempfile::tempdir().unwrap();
        m.save(dir.path()).unwrap();
        let back = Model::load(dir.path()).unwrap();
        assert_eq!(back.hash(), m.hash());
        assert_eq!(back.lexicon(), m.lexicon());
    }

    #[test]
    fn broken_model_files_are_named() {
        let m = Model::embedded().unwrap();
        let dir = tempfile::tempdir().unwrap();
        m.save(dir.path()).unwrap();
        std::fs::write(
            dir.path().join("calibration.json"),
            "{\"format\": \"pmpo-calibration\", \"version\": 7}",
        )
        .unwrap();
        let err = Model::load(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("calibration.json: version 7 is not supported"),
            "{err}"
        );
        std::fs::remove_file(dir.path().join("lexicon.json")).unwrap();
        let err = Model::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("lexicon.json: cannot read"), "{err}");
    }
}
