//! Where claims and their verdicts live: a directory beside the releases holding two append-only
//! JSON Lines files, `claims.jsonl` (claims added by users; the starter set ships with Passage) and
//! `verdicts.jsonl` (one record per claim, definition and release). Lines are written whole and
//! synced; a line torn by a crash is cut off before the next append, never read as data.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use passage_indicators::Engine;
use passage_store::Release;
use serde::{de::DeserializeOwned, Deserialize, Serialize};

use crate::claim::{starter, Claim};
use crate::evaluate::{evaluate, Evaluation, Outcome};
use crate::ClaimError;

const CLAIMS: &str = "claims.jsonl";
const VERDICTS: &str = "verdicts.jsonl";

/// One line of the verdict history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// When the evaluation was made, in RFC 3339 (UTC).
    pub evaluated_at: String,
    /// The evaluation.
    #[serde(flatten)]
    pub evaluation: Evaluation,
}

/// What recording a release's verdicts changed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Recorded {
    /// Verdict records written: one per claim not yet evaluated on the release in its current definition.
    pub added: usize,
    /// Claims whose outcome differs from their previous record: (id, before, now).
    pub changed: Vec<(String, Outcome, Outcome)>,
}

/// The claims store: the claims users added and the history of verdicts, in a directory of JSON Lines files.
#[derive(Debug, Clone)]
pub struct ClaimStore {
    dir: PathBuf,
    /// The starter set, parsed once: every page that lists claims asks for them, and parsing
    /// its TOML was a twentieth of a country page's time.
    starter: Arc<OnceLock<Vec<Claim>>>,
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> ClaimError + '_ {
    move |source| ClaimError::Io {
        path: path.display().to_string(),
        source,
    }
}

impl ClaimStore {
    /// Opens (creating) the claims directory.
    pub fn open(dir: &Path) -> Result<ClaimStore, ClaimError> {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        Ok(ClaimStore {
            dir: dir.into(),
            starter: Arc::default(),
        })
    }

    /// The starter set, then the claims users added, in the order they were added.
    pub fn claims(&self, engine: &Engine) -> Result<Vec<Claim>, ClaimError> {
        let mut all = match self.starter.get() {
            Some(parsed) => parsed.clone(),
            None => {
                let parsed = starter(engine)?;
                let _ = self.starter.set(parsed.clone());
                parsed
            }
        };
        all.extend(self.read_lines::<Claim>(CLAIMS)?);
        Ok(all)
    }

    /// The claim with this id, starter or added, or `Unknown`.
    pub fn get(&self, engine: &Engine, id: &str) -> Result<Claim, ClaimError> {
        self.claims(engine)?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or_else(|| ClaimError::Unknown(id.into()))
    }

    /// Adds a claim after checking it against the catalogue and the existing ids.
    pub fn add(&self, engine: &Engine, claim: &Claim, source: &str) -> Result<(), ClaimError> {
        claim.check(engine, source)?;
        if self.claims(engine)?.iter().any(|c| c.id == claim.id) {
            return Err(ClaimError::Duplicate(claim.id.clone()));
        }
        self.append(CLAIMS, &[claim])
    }

    /// The verdict history, oldest first.
    pub fn history(&self) -> Result<Vec<Record>, ClaimError> {
        self.read_lines(VERDICTS)
    }

    /// Evaluates every claim on a release and records the verdicts not yet recorded for that
    /// release and definition. Re-running on the same release adds nothing.
    pub fn record_release(
        &self,
        engine: &Engine,
        release: &Release,
        evaluated_at: &str,
    ) -> Result<Recorded, ClaimError> {
        let history = self.history()?;
        let mut out = Recorded::default();
        let mut records = Vec::new();
        for claim in self.claims(engine)? {
            let fingerprint = claim.fingerprint();
            let release_id = release.manifest.id.to_string();
            let done = history.iter().any(|r| {
                r.evaluation.claim == claim.id
                    && r.evaluation.fingerprint == fingerprint
                    && r.evaluation.release == release_id
            });
            if done {
                continue;
            }
            let evaluation = evaluate(engine, release, &claim);
            if let Some(previous) = history
                .iter()
                .rev()
                .find(|r| r.evaluation.claim == claim.id)
            {
                let (before, now) = (
                    previous.evaluation.verdict.outcome,
                    evaluation.verdict.outcome,
                );
                if before != now {
                    out.changed.push((claim.id.clone(), before, now));
                }
            }
            records.push(Record {
                evaluated_at: evaluated_at.into(),
                evaluation,
            });
        }
        out.added = records.len();
        self.append(VERDICTS, &records.iter().collect::<Vec<_>>())?;
        Ok(out)
    }

    fn read_lines<T: DeserializeOwned>(&self, name: &str) -> Result<Vec<T>, ClaimError> {
        let path = self.dir.join(name);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io(&path)(e)),
        };
        // Only complete lines are data; a final line without its newline was torn by a crash.
        let complete = text.rfind('\n').map_or("", |end| &text[..end]);
        complete
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| {
                serde_json::from_str(l).map_err(|e| ClaimError::Corrupt {
                    file: path.display().to_string(),
                    line: i + 1,
                    message: e.to_string(),
                })
            })
            .collect()
    }

    fn append<T: Serialize>(&self, name: &str, items: &[&T]) -> Result<(), ClaimError> {
        if items.is_empty() {
            return Ok(());
        }
        let path = self.dir.join(name);
        let mut buf = Vec::new();
        for item in items {
            serde_json::to_writer(&mut buf, item).map_err(|e| ClaimError::Corrupt {
                file: path.display().to_string(),
                line: 0,
                message: e.to_string(),
            })?;
            buf.push(b'\n');
        }
        let mut file = OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(&path)
            .map_err(io(&path))?;
        cut_torn_tail(&mut file).map_err(io(&path))?;
        file.write_all(&buf).map_err(io(&path))?;
        file.sync_all().map_err(io(&path))
    }
}

/// Truncates a final line that lacks its newline, left by a write cut short.
fn cut_torn_tail(file: &mut File) -> std::io::Result<()> {
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(());
    }
    let mut last = [0u8];
    file.seek(SeekFrom::Start(len - 1))?;
    file.read_exact(&mut last)?;
    if last[0] == b'\n' {
        return Ok(());
    }
    let mut text = Vec::new();
    file.seek(SeekFrom::Start(0))?;
    file.read_to_end(&mut text)?;
    let keep = text.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    file.set_len(keep as u64)
}
