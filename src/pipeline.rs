//! The default pipeline and the coding entry point, with segmenting of very large articles.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use tocsin_actors::{ActorRecognizer, KnowledgeBase, UnknownPersons};
use tocsin_doc::{Article, Event, Pipeline, Segment, Stage};
use tocsin_events::{EventCoder, Lexicon};
use tocsin_nlp::{HeuristicAnalyzer, ModelError, Morphology};
use tocsin_text::TextSplitter;

/// Articles longer than this are coded in paragraph-aligned segments, bounding memory.
pub const MAX_SEGMENT_BYTES: usize = 256 * 1024;

/// Where to find user-edited data instead of the built-in copies.
#[derive(Debug, Clone, Default)]
pub struct TocsinOptions {
    /// Directory with knowledge-base TSV files (`countries.tsv`, `people.tsv`, …).
    pub kb_dir: Option<PathBuf>,
    /// An event lexicon in `events.tsv` format.
    pub lexicon: Option<PathBuf>,
    /// Extra gazetteer rows (`places.tsv` format).
    pub places: Option<PathBuf>,
    /// A trained tagger model replacing the rule-based POS of the `nlp` stage (experimental).
    pub tagger: Option<PathBuf>,
    /// A directory of PETRARCH/TABARI dictionaries (`*.actors.txt`, `*.agents.txt`) merged into the
    /// knowledge base instead of the built-in Phoenix actor dictionaries.
    pub dictionaries: Option<PathBuf>,
    /// Merge no actor dictionaries at all (the knowledge base alone).
    pub no_dictionaries: bool,
    /// A directory with `tagger.bin` and `parser.bin` replacing the built-in models of the `parse`
    /// stage, whose dependency relations the coder prefers for roles.
    pub models: Option<PathBuf>,
    /// Leave out the `parse` stage: roles from clause positions only (faster, less accurate).
    pub no_parse: bool,
    /// A trained event model (`tocsin train events`) replacing the built-in one.
    pub event_model: Option<PathBuf>,
    /// Code with the lexicon's rules alone, without the trained event model.
    pub rules: bool,
    /// Parse every sentence that holds an actor (training needs the parse where the model may look).
    pub parse_all: bool,
    /// Code articles in any language; by default an article that is not English is skipped.
    pub any_language: bool,
}

/// A built-in model that could not be read.
#[derive(Debug, Clone, thiserror::Error)]
#[error("built-in {file}: {source}")]
pub struct BuiltinModelError {
    /// The model file under `models/`.
    pub file: &'static str,
    /// Why it could not be read.
    pub source: ModelError,
}

/// A built-in model loaded once per process: the first call runs `load`, later calls share its
/// result (a failure too).
fn load_once<T: Clone>(
    cell: &'static std::sync::OnceLock<Result<T, BuiltinModelError>>,
    load: impl FnOnce() -> Result<T, BuiltinModelError>,
) -> Result<T, BuiltinModelError> {
    cell.get_or_init(load).clone()
}

/// Reads one built-in model file's bytes as a model.
fn builtin<T>(file: &'static str, read: impl FnOnce() -> Result<T, ModelError>) -> Result<T, BuiltinModelError> {
    read().map_err(|source| BuiltinModelError { file, source })
}

/// The built-in tagger and parser (`models/`).
fn builtin_models() -> Result<(Arc<tocsin_nlp::TaggerModel>, Arc<tocsin_nlp::ParserModel>), BuiltinModelError> {
    type Models = (Arc<tocsin_nlp::TaggerModel>, Arc<tocsin_nlp::ParserModel>);
    static MODELS: std::sync::OnceLock<Result<Models, BuiltinModelError>> = std::sync::OnceLock::new();
    load_once(&MODELS, || {
        let tagger = builtin("models/tagger.bin", || {
            tocsin_nlp::TaggerModel::from_bytes(include_bytes!("../models/tagger.bin"))
        })?;
        let parser = builtin("models/parser.bin", || {
            tocsin_nlp::ParserModel::from_bytes(include_bytes!("../models/parser.bin"))
        })?;
        Ok((Arc::new(tagger), Arc::new(parser)))
    })
}

/// The built-in NER model and its name lists.
fn builtin_ner() -> Result<(Arc<tocsin_nlp::NerModel>, Arc<tocsin_nlp::NameLists>), BuiltinModelError> {
    type Ner = (Arc<tocsin_nlp::NerModel>, Arc<tocsin_nlp::NameLists>);
    static NER: std::sync::OnceLock<Result<Ner, BuiltinModelError>> = std::sync::OnceLock::new();
    load_once(&NER, || {
        let ner = builtin("models/ner.bin", || {
            tocsin_nlp::NerModel::from_bytes(include_bytes!("../models/ner.bin"))
        })?;
        Ok((Arc::new(ner), Arc::new(tocsin_nlp::NameLists::builtin())))
    })
}

/// The built-in event model (`models/events.bin`, `tocsin train events`; see models/README.md).
fn builtin_event_model() -> Result<Arc<tocsin_events::EventModel>, BuiltinModelError> {
    static MODEL: std::sync::OnceLock<Result<Arc<tocsin_events::EventModel>, BuiltinModelError>> =
        std::sync::OnceLock::new();
    load_once(&MODEL, || {
        let model = builtin("models/events.bin", || {
            tocsin_events::EventModel::from_bytes(include_bytes!("../models/events.bin"))
        })?;
        Ok(Arc::new(model))
    })
}

/// What coding one article did.
#[derive(Debug, Clone)]
pub struct Coding {
    /// The article, its `language` filled in (a BCP 47 tag such as `en-Latn`).
    pub article: Article,
    /// The article's language when it was skipped as not English (no events were coded).
    pub skipped: Option<String>,
    /// How many events were coded.
    pub events: usize,
}

/// The assembled coder; cheap to share across threads.
pub struct Tocsin {
    pipeline: Pipeline,
    kb: Arc<KnowledgeBase>,
    any_language: bool,
    coder: Arc<EventCoder>,
}

impl Tocsin {
    /// The pipeline with built-in data.
    pub fn builtin() -> anyhow::Result<Self> {
        Self::new(&TocsinOptions::default())
    }

    /// The pipeline with user data where given.
    pub fn new(opts: &TocsinOptions) -> anyhow::Result<Self> {
        let kb = match &opts.kb_dir {
            Some(dir) => KnowledgeBase::from_dir(dir)
                .with_context(|| format!("cannot load knowledge base from {}", dir.display()))?,
            None => KnowledgeBase::builtin()?,
        };
        let mut kb = kb;
        let dictionaries = match (&opts.dictionaries, opts.no_dictionaries) {
            (_, true) => None,
            (Some(dir), false) => {
                let d = tocsin_dictionaries::Dictionaries::read_dir(dir)?;
                for w in &d.warnings {
                    tracing::warn!("skipped dictionary line: {w}");
                }
                Some(d)
            }
            (None, false) => Some(tocsin_dictionaries::Dictionaries::builtin()),
        };
        if let Some(d) = &dictionaries {
            kb.add_dictionaries(&d.actors, &d.agents)
                .context("cannot merge the actor dictionaries into the knowledge base")?;
        }
        // A verb dictionary replaces the built-in lexicon's event patterns (a --lexicon file wins over both).
        let dict_verbs = dictionaries.as_ref().filter(|d| !d.verbs.is_empty()).map(|d| &d.verbs);
        let coder = match (&opts.lexicon, &opts.places, dict_verbs) {
            (None, None, None) => EventCoder::builtin()?,
            (lex, places, verbs) => {
                let lexicon = match (lex, verbs) {
                    (Some(p), _) => {
                        let text = std::fs::read_to_string(p)
                            .with_context(|| format!("cannot read lexicon {}", p.display()))?;
                        Lexicon::parse(&text, &Morphology::builtin()).with_context(|| format!("in {}", p.display()))?
                    }
                    (None, Some(v)) => {
                        Lexicon::from_verb_dictionary(v).context("in the lexicon made from the verb dictionary")?
                    }
                    (None, None) => Lexicon::builtin()?,
                };
                let places = match places {
                    Some(p) => Some(
                        std::fs::read_to_string(p).with_context(|| format!("cannot read gazetteer {}", p.display()))?,
                    ),
                    None => None,
                };
                let coder = EventCoder::with(lexicon, places.as_deref());
                if verbs.is_some() && lex.is_none() {
                    coder.without_intentions()
                } else {
                    coder
                }
            }
        };
        let coder = match (&opts.event_model, opts.rules) {
            (_, true) => coder,
            (Some(path), false) => {
                let bytes =
                    std::fs::read(path).with_context(|| format!("cannot read event model {}", path.display()))?;
                let model = tocsin_events::EventModel::from_bytes(&bytes)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
                coder.with_model(Arc::new(model))
            }
            (None, false) => coder.with_model(builtin_event_model()?),
        };
        let coder = Arc::new(coder);
        let kb = Arc::new(kb);
        let mut pipeline = Pipeline::new()
            .with(TextSplitter::default())
            .with(HeuristicAnalyzer::default())
            .with(ActorRecognizer::new(Arc::clone(&kb)))
            .with(coder.trigger_finder());
        if !opts.no_parse {
            let (tagger, parser) = match &opts.models {
                Some(dir) => {
                    let read = |name: &str| -> anyhow::Result<Vec<u8>> {
                        let path = dir.join(name);
                        std::fs::read(&path).with_context(|| format!("cannot read model {}", path.display()))
                    };
                    let tagger = tocsin_nlp::TaggerModel::from_bytes(&read("tagger.bin")?)
                        .with_context(|| dir.join("tagger.bin").display().to_string())?;
                    let parser = tocsin_nlp::ParserModel::from_bytes(&read("parser.bin")?)
                        .with_context(|| dir.join("parser.bin").display().to_string())?;
                    (Arc::new(tagger), Arc::new(parser))
                }
                None => builtin_models()?,
            };
            // Only sentences with an actor and an event are parsed: one the model found, or (coding by
            // the rules) a trigger that is not only a reporting verb; training parses them all.
            let (all, learned) = (opts.parse_all, coder.model().is_some());
            let eventful = move |doc: &tocsin_doc::Document, s: usize| {
                all || if learned {
                    doc.detections.get(s).is_some_and(|d| !d.is_empty())
                } else {
                    doc.triggers.get(s).is_some_and(|t| t.iter().any(|t| !t.speech))
                }
            };
            let (ner, names) = builtin_ner()?;
            pipeline = pipeline
                .with(
                    tocsin_nlp::DependencyParser::new(tagger, parser)
                        .with_filter(Box::new(eventful))
                        .with_ner(ner, names),
                )
                .with(UnknownPersons);
        }
        let mut pipeline = pipeline.with(Arc::clone(&coder));
        if let Some(path) = &opts.tagger {
            let bytes = std::fs::read(path).with_context(|| format!("cannot read tagger model {}", path.display()))?;
            let model = tocsin_nlp::TaggerModel::from_bytes(&bytes).with_context(|| path.display().to_string())?;
            pipeline = pipeline.replace(tocsin_nlp::TaggedAnalyzer::new(Arc::new(model)));
        }
        Ok(Tocsin {
            pipeline,
            kb,
            any_language: opts.any_language,
            coder,
        })
    }

    /// The knowledge base of the actors stage (with the dictionaries merged), for inspection.
    pub fn kb(&self) -> &KnowledgeBase {
        &self.kb
    }

    /// The events stage (its lexicon and model), for training and inspection.
    pub fn event_coder(&self) -> &EventCoder {
        &self.coder
    }

    /// Adds a stage of your own before the `events` stage (or replaces the stage of that name).
    pub fn with_stage(mut self, stage: impl Stage + 'static) -> Self {
        let mut stages = std::mem::take(&mut self.pipeline).into_stages();
        match stages.iter().position(|s| s.name() == stage.name()) {
            Some(i) => stages[i] = Box::new(stage),
            None => {
                let at = stages.iter().position(|s| s.name() == "events").unwrap_or(stages.len());
                stages.insert(at, Box::new(stage));
            }
        }
        self.pipeline = Pipeline::from_stages(stages);
        self
    }

    /// Stage names in order.
    pub fn stages(&self) -> Vec<&'static str> {
        self.pipeline.names()
    }

    /// Runs every stage on one article and returns the analysed document (tokens, parse, mentions,
    /// events), for inspection.
    pub fn analyze(&self, article: Article) -> anyhow::Result<tocsin_doc::Document> {
        Ok(self.pipeline.run(article)?)
    }

    /// Codes one article into events (none when it is skipped as not English; see
    /// [`Tocsin::code_with`] for streaming and the language).
    pub fn code(&self, article: Article) -> anyhow::Result<Vec<Event>> {
        Ok(self.code_article(article)?.1)
    }

    /// Codes one article: what coding did (the article with its language, whether it was skipped)
    /// and its events.
    pub fn code_article(&self, article: Article) -> anyhow::Result<(Coding, Vec<Event>)> {
        let mut all = Vec::new();
        let coding = self.code_with(article, |events| {
            all.extend(events);
            Ok(())
        })?;
        Ok((coding, all))
    }

    /// Codes one article, handing events to `emit` as they are produced. The article's language and
    /// script are identified first (a declared `language` is kept, with the script added); an article
    /// that is not English is skipped unless the coder codes any language. Articles over
    /// [`MAX_SEGMENT_BYTES`] are coded in paragraph-aligned segments, so memory stays bounded
    /// (within-article dedup then works inside each segment); offsets, sentence numbers and ids
    /// count from the article's start.
    ///
    /// A panic while coding is caught and returned as this article's error ([`crate::Panicked`]),
    /// so one bad article never ends a batch.
    pub fn code_with(
        &self,
        mut article: Article,
        mut emit: impl FnMut(Vec<Event>) -> anyhow::Result<()>,
    ) -> anyhow::Result<Coding> {
        let identified = tocsin_text::identify(&article.text);
        let (tag, english) = match article.language.as_deref().filter(|l| !l.trim().is_empty()) {
            Some(declared) => (
                tocsin_text::language::with_script(declared, &identified),
                tocsin_text::language::is_english_tag(declared),
            ),
            None => (identified.tag.clone(), identified.english),
        };
        article.language = Some(tag.clone());
        if !english && !self.any_language {
            return Ok(Coding {
                article,
                skipped: Some(tag),
                events: 0,
            });
        }
        crate::isolate::catch(|| self.code_segments(article, &mut emit))?
    }

    fn code_segments(
        &self,
        article: Article,
        emit: &mut impl FnMut(Vec<Event>) -> anyhow::Result<()>,
    ) -> anyhow::Result<Coding> {
        if article.text.len() <= MAX_SEGMENT_BYTES {
            let doc = self.pipeline.run(article)?;
            let events = doc.events.len();
            emit(doc.events)?;
            return Ok(Coding {
                article: doc.article,
                skipped: None,
                events,
            });
        }
        let Article {
            id,
            text,
            published,
            title,
            source,
            url,
            language,
        } = article;
        let (mut byte, mut segment, mut events) = (0, Segment::default(), 0);
        while byte < text.len() {
            let end = segment_end(&text, byte);
            let part = Article {
                id: id.clone(),
                text: text[byte..end].to_string(),
                published,
                title: title.clone(),
                source: source.clone(),
                url: url.clone(),
                language: language.clone(),
            };
            let doc = self.pipeline.run_segment(part, segment)?;
            events += doc.events.len();
            emit(doc.events)?;
            segment.sentences += doc.sentences.len();
            segment.chars += text[byte..end].chars().count();
            byte = end;
        }
        Ok(Coding {
            article: Article {
                id,
                text,
                published,
                title,
                source,
                url,
                language,
            },
            skipped: None,
            events,
        })
    }
}

/// End of the segment starting at `start`: the last paragraph break (else whitespace) before the limit.
fn segment_end(text: &str, start: usize) -> usize {
    let mut limit = (start + MAX_SEGMENT_BYTES).min(text.len());
    while !text.is_char_boundary(limit) {
        limit -= 1;
    }
    if limit == text.len() {
        return limit;
    }
    let window = &text[start..limit];
    // Cut after the break: "\n\n" ends on its second byte; other whitespace may be wider than one byte
    // (a no-break space is two, an ideographic space three).
    let cut = window.rfind("\n\n").map(|i| start + i + 1).or_else(|| {
        window
            .char_indices()
            .rfind(|(_, c)| c.is_whitespace())
            .map(|(i, c)| start + i + c.len_utf8())
    });
    match cut {
        Some(c) if c > start => c,
        // No break at all: cut at the limit, or after the first character if the limit is the start.
        _ if limit > start => limit,
        _ => start + text[start..].chars().next().map_or(1, char::len_utf8),
    }
}

impl tocsin_serve::ArticleCoder for Tocsin {
    fn code(&self, article: Article) -> anyhow::Result<Vec<Event>> {
        Tocsin::code(self, article)
    }
}
