//! Robustness on real text: 260 real documents (White House, Wikinews, Portal:Current events) and
//! 18 that stress the text layer (`tests/fixtures/robustness/`), plus very long synthetic ones and a
//! property test on arbitrary Unicode, are coded without an error or a panic, and every span the
//! pipeline emits (paragraphs, sentences, tokens, actor mentions, triggers, entities, and the
//! events' trigger, actor and evidence texts) slices the text on character boundaries.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::Command;
use std::sync::{Arc, OnceLock};

use proptest::prelude::*;
use tocsin::batch::{self, BatchOptions, Finished, Sink};
use tocsin::doc::{Article, Document, Event, Span};
use tocsin::ingest::{Origin, ReadOptions};
use tocsin::Tocsin;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/robustness")
        .join(name)
}

const FILES: [&str; 2] = ["real.jsonl", "stress.jsonl"];

/// The fixture's article ids, in file order.
fn fixture_ids() -> Vec<String> {
    FILES
        .iter()
        .flat_map(|f| {
            std::fs::read_to_string(fixture(f))
                .expect("fixture is readable")
                .lines()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(&l).expect("fixture line is JSON");
            v["id"].as_str().expect("fixture line has an id").to_string()
        })
        .collect()
}

fn coder() -> &'static Tocsin {
    static CODER: OnceLock<Tocsin> = OnceLock::new();
    CODER.get_or_init(|| Tocsin::builtin().expect("the built-in coder loads"))
}

/// The text between two character offsets, if both lie within the text.
fn chars(text: &str, start: usize, end: usize) -> Option<&str> {
    let mut bytes = text.char_indices().map(|(b, _)| b).chain([text.len()]);
    let from = bytes.clone().nth(start)?;
    let to = bytes.nth(end)?;
    (start <= end).then(|| &text[from..to])
}

/// Checks one event against its whole article's text: the trigger and actor texts are what their
/// character offsets slice, and the evidence (and every further mention's) is in the text.
fn check_event(text: &str, e: &Event) -> Result<(), String> {
    let who = format!("event {} of {}", e.id, e.article_id);
    if chars(text, e.trigger.start, e.trigger.end) != Some(e.trigger.text.as_str()) {
        return Err(format!(
            "{who}: trigger {:?} is not at {}..{}",
            e.trigger.text, e.trigger.start, e.trigger.end
        ));
    }
    for a in [&e.source, &e.target].into_iter().flatten() {
        // An implied actor (no words of its own) has an empty span at the trigger.
        let at = chars(text, a.start, a.end);
        if at != Some(a.text.as_str()) {
            return Err(format!(
                "{who}: actor {:?} is not at {}..{} ({at:?})",
                a.text, a.start, a.end
            ));
        }
    }
    if e.evidence.is_empty() || !text.contains(&e.evidence) {
        return Err(format!("{who}: evidence {:?} is not in the text", e.evidence));
    }
    for m in &e.mentions {
        if chars(text, m.trigger.start, m.trigger.end) != Some(m.trigger.text.as_str()) || !text.contains(&m.evidence) {
            return Err(format!(
                "{who}: mention in sentence {} does not slice the text",
                m.sentence
            ));
        }
    }
    Ok(())
}

/// Checks every layer of an analysed document: byte spans in bounds and on character boundaries,
/// tokens inside their sentences, token indices in range; then its events.
fn check_document(doc: &Document) -> Result<(), String> {
    let text = &doc.article.text;
    let span_ok = |s: Span| s.start <= s.end && text.get(s.start..s.end).is_some();
    let bad = |what: &str, s: Span| {
        format!(
            "{what} {}..{} does not slice a text of {} bytes",
            s.start,
            s.end,
            text.len()
        )
    };
    for &p in &doc.paragraphs {
        if !span_ok(p) {
            return Err(bad("paragraph", p));
        }
    }
    for t in &doc.tokens {
        if !span_ok(t.span) || t.span.start == t.span.end {
            return Err(bad("token", t.span));
        }
    }
    for (i, s) in doc.sentences.iter().enumerate() {
        if !span_ok(s.span) {
            return Err(bad("sentence", s.span));
        }
        let tokens = doc
            .tokens
            .get(s.tokens.clone())
            .ok_or(format!("sentence {i}: tokens {:?} out of range", s.tokens))?;
        if let Some(t) = tokens
            .iter()
            .find(|t| t.span.start < s.span.start || t.span.end > s.span.end)
        {
            return Err(format!("sentence {i} {:?}: token {:?} lies outside it", s.span, t.span));
        }
    }
    for m in &doc.mentions {
        if !span_ok(m.span) || m.tokens.end > doc.tokens.len() || m.sentence >= doc.sentences.len() {
            return Err(bad("mention", m.span));
        }
    }
    for (s, triggers) in doc.triggers.iter().enumerate() {
        let range = doc
            .sentences
            .get(s)
            .map(|s| s.tokens.clone())
            .ok_or(format!("triggers of missing sentence {s}"))?;
        let detections = doc.detections.get(s).into_iter().flatten().map(|d| &d.trigger);
        for t in triggers.iter().chain(detections) {
            if t.tokens.is_empty() || t.tokens.iter().any(|i| !range.contains(i)) {
                return Err(format!("sentence {s}: trigger tokens {:?} outside {range:?}", t.tokens));
            }
        }
    }
    for e in &doc.entities {
        if e.tokens.end > doc.tokens.len() || e.sentence >= doc.sentences.len() {
            return Err(format!("entity {:?} out of range", e.tokens));
        }
    }
    doc.events.iter().try_for_each(|e| check_event(text, e))
}

/// Collects a batch's results: every article's events and how it ended.
#[derive(Default)]
struct Collect {
    events: Vec<Event>,
    coded: Vec<(String, Vec<Event>)>,
    problems: Vec<String>,
}

impl Sink for Collect {
    fn events(&mut self, _origin: &Origin, events: Vec<Event>) -> anyhow::Result<()> {
        self.events.extend(events);
        Ok(())
    }

    fn finished(&mut self, origin: Option<&Origin>, how: Finished) -> anyhow::Result<()> {
        let events = std::mem::take(&mut self.events);
        match how {
            Finished::Coded(c) => {
                if let Err(e) = events.iter().try_for_each(|e| check_event(&c.article.text, e)) {
                    self.problems.push(e);
                }
                self.coded.push((c.article.id, events));
            }
            Finished::Skipped(c) => self
                .problems
                .push(format!("{}: skipped as {:?}", c.article.id, c.skipped)),
            Finished::Failed { id, error } => self.problems.push(format!("{origin:?}: {id}: {error:#}")),
            Finished::Unreadable(e) => self.problems.push(e.to_string()),
        }
        Ok(())
    }
}

/// Codes the fixture as `tocsin code` does (the batch on two threads) and returns what it collected.
fn code_fixture() -> Collect {
    let opts = ReadOptions::default();
    let items = FILES
        .iter()
        .flat_map(|f| tocsin::ingest::articles(fixture(f).to_str().expect("UTF-8 path"), &opts))
        .collect::<Vec<_>>();
    let mut sink = Collect::default();
    let coder = Arc::new(Tocsin::builtin().expect("the built-in coder loads"));
    batch::run(coder, items.into_iter(), BatchOptions::new(2), &mut sink).expect("the batch runs");
    sink
}

#[test]
fn real_documents_are_coded_without_error_and_their_spans_slice_the_text() {
    let got = code_fixture();
    assert!(
        got.problems.is_empty(),
        "{} problems:\n{}",
        got.problems.len(),
        got.problems.join("\n")
    );
    let ids: Vec<&str> = got.coded.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, fixture_ids(), "every document is coded, in input order");
    assert_eq!(ids.len(), 278);
    let events: usize = got.coded.iter().map(|(_, e)| e.len()).sum();
    let with_events = got.coded.iter().filter(|(_, e)| !e.is_empty()).count();
    // Real news codes into real events: a coder that silently returned nothing would fail here.
    assert!(
        events > 500 && with_events > 120,
        "{events} events in {with_events} documents"
    );
    // The White House documents with '…' (which once panicked the splitter) are coded too.
    let ellipsis = got
        .coded
        .iter()
        .filter(|(id, e)| id.starts_with("wh-") && e.iter().any(|e| e.evidence.contains('…')))
        .count();
    assert!(
        ellipsis >= 5,
        "{ellipsis} White House documents with events on a sentence with '…'"
    );
}

#[test]
fn every_layer_of_the_stress_documents_slices_the_text() {
    let opts = ReadOptions::default();
    let mut n = 0;
    for item in tocsin::ingest::articles(fixture("stress.jsonl").to_str().expect("UTF-8 path"), &opts) {
        let (_, article) = item.expect("the stress fixture reads");
        let id = article.id.clone();
        let doc = coder().analyze(article).unwrap_or_else(|e| panic!("{id}: {e:#}"));
        check_document(&doc).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert!(
            !doc.sentences.is_empty() && !doc.tokens.is_empty(),
            "{id}: no sentences or tokens"
        );
        n += 1;
    }
    assert_eq!(n, 18);
}

/// Over the segment limit, with and without places to cut: segments must start and end on
/// character boundaries and offsets must count characters of the whole article.
#[test]
fn articles_over_the_segment_limit_cut_between_characters() {
    let sentence = "Russia’s army attacked Kharkiv… Ukraine 🇺🇦 condemned the strike on Kyiv (Київ) “at once”. ";
    let spaced = sentence.repeat(tocsin::MAX_SEGMENT_BYTES / sentence.len() + 400);
    let unbroken: String = sentence
        .replace(' ', "…")
        .repeat(tocsin::MAX_SEGMENT_BYTES / sentence.len() + 40);
    for (name, text) in [("spaced", spaced), ("unbroken", unbroken)] {
        assert!(text.len() > tocsin::MAX_SEGMENT_BYTES);
        let mut article = Article::from_text(text.clone());
        article.language = Some("en".into());
        let (coding, events) = coder()
            .code_article(article)
            .unwrap_or_else(|e| panic!("{name}: {e:#}"));
        assert!(coding.skipped.is_none());
        for e in &events {
            check_event(&text, e).unwrap_or_else(|err| panic!("{name}: {err}"));
        }
        if name == "spaced" {
            // Repeats merge within a segment, not across: the second segment codes its own events,
            // with offsets counted from the article's start.
            let mut cut = tocsin::MAX_SEGMENT_BYTES - 1000;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            let first = text[..cut].chars().count();
            assert!(
                events.iter().any(|e| e.trigger.start < first),
                "{name}: no event in the first segment"
            );
            assert!(
                events.iter().any(|e| e.trigger.start > first),
                "{name}: no event in the second segment"
            );
        }
    }
}

fn run_cli(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tocsin"))
        .args(args)
        .output()
        .expect("tocsin runs")
}

#[test]
fn code_and_ingest_on_two_threads_take_every_document() {
    let files: Vec<String> = FILES.iter().map(|f| fixture(f).display().to_string()).collect();
    let mut args = vec!["code", "--format", "jsonl", "--threads", "2"];
    args.extend(files.iter().map(String::as_str));
    let out = run_cli(&args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.trim().is_empty(), "no error or skip lines: {stderr}");
    let ids = fixture_ids();
    let order: BTreeMap<&str, usize> = ids.iter().enumerate().map(|(i, id)| (id.as_str(), i)).collect();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut last = 0;
    let mut seen = BTreeSet::new();
    for line in stdout.lines() {
        let e: Event = serde_json::from_str(line).expect("each output line is an event");
        let at = *order
            .get(e.article_id.as_str())
            .unwrap_or_else(|| panic!("unknown article {}", e.article_id));
        assert!(
            at >= last,
            "events in input order: {} after the {last}th document",
            e.article_id
        );
        last = at;
        seen.insert(e.article_id);
    }
    assert!(seen.len() > 120, "{} documents with events", seen.len());

    // `ingest` stores every document (events or not), on two threads.
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = dir.path().join("robust.db");
    let mut args = vec!["ingest", "--db", db.to_str().expect("UTF-8 path"), "--threads", "2"];
    args.extend(files.iter().map(String::as_str));
    let out = run_cli(&args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("278 new articles") && stderr.contains(" 0 failed"),
        "{stderr}"
    );
    use tocsin_store::Store as _;
    let store = tocsin_store::SqliteStore::open(&db).expect("the store opens");
    let (articles, events, _) = store.counts().expect("counts");
    assert_eq!(articles, 278);
    assert!(events > 500, "{events} events stored");
}

/// Pieces of arbitrary text: words (some of them actors and triggers), punctuation, quotes,
/// ellipses, multi-byte letters, emoji, joiners, combining marks, wide spaces and line breaks.
fn piece() -> impl Strategy<Value = String> {
    let words = prop::sample::select(vec![
        "Russia",
        "Ukraine",
        "NATO",
        "attacked",
        "condemned",
        "the",
        "President",
        "Mr.",
        "U.S.",
        "said",
        "on",
        "Friday",
        "killed",
        "12",
        "people",
        "in",
        "Kyiv",
        "Israel",
        "Hamas",
        "agreed",
        "to",
        "talks",
        "a",
        "St.",
        "3.5",
        "No.",
        "e.g.",
        "Jan.",
        "1,000",
        "dollars",
        "police",
        "arrested",
        "protesters",
    ]);
    let marks = prop::sample::select(vec![
        " ",
        " ",
        " ",
        ". ",
        ", ",
        "…",
        "...",
        "“",
        "”",
        "‘",
        "’",
        "\"",
        "'",
        "«",
        "»",
        "—",
        "–",
        "-",
        "(",
        ")",
        "!",
        "?",
        ":",
        ";",
        "\n",
        "\n\n",
        "\r\n",
        "\t",
        "|",
        "\u{a0}",
        "\u{3000}",
        "\u{2009}",
        "\u{200b}",
        "\u{200d}",
        "\u{301}",
        "\u{feff}",
        "🇺🇦",
        "👨‍👩‍👧",
        "🔥",
        "习近平",
        "北京。",
        "محمود عباس",
        "בנימין",
        "Zürich",
        "Ñ",
        "ß",
        "İ",
        "ǅ",
        "ﬁ",
        "Ⅻ",
        "x\u{308}",
        "\u{2028}",
    ]);
    prop_oneof![
        4 => words.prop_map(str::to_string),
        4 => marks.prop_map(str::to_string),
        1 => any::<char>().prop_map(|c| c.to_string()),
        1 => "\\PC{1,6}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Every span of every layer, and every event's texts, slice arbitrary text on character
    /// boundaries and within bounds.
    #[test]
    fn every_span_slices_arbitrary_text(pieces in prop::collection::vec(piece(), 1..80)) {
        let text: String = pieces.concat();
        prop_assume!(!text.trim().is_empty());
        let mut article = Article::from_text(text);
        article.language = Some("en".into());
        let doc = coder().analyze(article);
        let doc = doc.map_err(|e| TestCaseError::fail(format!("{e:#}")))?;
        check_document(&doc).map_err(TestCaseError::fail)?;
    }
}
