//! The stage contract: each pipeline component reads the document and adds its layer.

use crate::{Article, Document, Segment};

/// An error raised by a stage, naming the stage.
#[derive(Debug, thiserror::Error)]
#[error("stage `{stage}` failed: {message}")]
pub struct StageError {
    /// The stage's name.
    pub stage: String,
    /// What went wrong.
    pub message: String,
}

/// One named, replaceable pipeline component (tokenizer, tagger, actor recogniser, coder…).
pub trait Stage: Send + Sync {
    /// A short name used in errors and by [`Pipeline::replace`].
    fn name(&self) -> &'static str;
    /// Adds this stage's layer to the document.
    fn process(&self, doc: &mut Document) -> Result<(), StageError>;
}

/// A shared stage is a stage (one coder can serve as a stage and as another stage's helper).
impl<S: Stage + ?Sized> Stage for std::sync::Arc<S> {
    fn name(&self) -> &'static str {
        (**self).name()
    }

    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        (**self).process(doc)
    }
}

/// An ordered list of stages; shareable across threads.
#[derive(Default)]
pub struct Pipeline {
    stages: Vec<Box<dyn Stage>>,
}

impl Pipeline {
    /// An empty pipeline.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a stage.
    pub fn with(mut self, stage: impl Stage + 'static) -> Self {
        self.stages.push(Box::new(stage));
        self
    }

    /// Replaces the stage with the same name (or appends it), so a trained parser can swap in.
    pub fn replace(mut self, stage: impl Stage + 'static) -> Self {
        match self.stages.iter().position(|s| s.name() == stage.name()) {
            Some(i) => self.stages[i] = Box::new(stage),
            None => self.stages.push(Box::new(stage)),
        }
        self
    }

    /// The stages, in order (to rearrange them; [`Pipeline::from_stages`] puts them back).
    pub fn into_stages(self) -> Vec<Box<dyn Stage>> {
        self.stages
    }

    /// A pipeline of these stages, in this order.
    pub fn from_stages(stages: Vec<Box<dyn Stage>>) -> Self {
        Pipeline { stages }
    }

    /// Names of the stages in order.
    pub fn names(&self) -> Vec<&'static str> {
        self.stages.iter().map(|s| s.name()).collect()
    }

    /// Runs every stage over a fresh document for the article.
    pub fn run(&self, article: Article) -> Result<Document, StageError> {
        self.run_segment(article, Segment::default())
    }

    /// Runs every stage over one segment of a longer article: offsets and sentence numbers of the
    /// events it codes count from the article's start.
    pub fn run_segment(&self, article: Article, segment: Segment) -> Result<Document, StageError> {
        let mut doc = Document::in_segment(article, segment);
        for stage in &self.stages {
            stage.process(&mut doc)?;
        }
        Ok(doc)
    }
}
