//! Coding a batch on all cores: articles are coded in parallel (a rayon pool of `threads`) and
//! handed back in input order, with at most `window` articles read ahead, so memory is bounded by
//! the window, not by the batch.

use std::collections::{BTreeMap, VecDeque};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};

use tocsin_doc::Event;
use tocsin_ingest::{InputError, Origin, ReadItem};

use crate::pipeline::{Coding, Tocsin};

/// How a batch runs.
#[derive(Debug, Clone, Copy)]
pub struct BatchOptions {
    /// Coding threads (at least 1).
    pub threads: usize,
    /// Articles read ahead of the oldest one still being coded (at least `threads`).
    pub window: usize,
}

impl BatchOptions {
    /// `threads` coding threads (0: all cores) with a window of four articles per thread.
    pub fn new(threads: usize) -> Self {
        let threads = if threads == 0 {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            threads
        };
        BatchOptions {
            threads,
            window: threads * 4,
        }
    }
}

/// How one item of the batch ended.
#[derive(Debug)]
pub enum Finished {
    /// Coded; its events went to [`Sink::events`] before this.
    Coded(Coding),
    /// Not coded: not English (the coding carries the article and its language).
    Skipped(Coding),
    /// Coding failed or panicked: the article's error.
    Failed {
        /// The article's id.
        id: String,
        /// Why (a [`crate::Panicked`] for a panic).
        error: anyhow::Error,
    },
    /// The input (or one line of it) could not be read.
    Unreadable(InputError),
}

/// Receives a batch's results, in input order. An error stops the batch at once (a closed pipe).
pub trait Sink {
    /// Events of the current article (several calls for an article coded in segments).
    fn events(&mut self, origin: &Origin, events: Vec<Event>) -> anyhow::Result<()>;
    /// The current item is finished; `origin` is `None` for an unreadable input.
    fn finished(&mut self, origin: Option<&Origin>, how: Finished) -> anyhow::Result<()>;
}

/// What a worker thread reports about item `index`.
enum Report {
    Events(usize, Vec<Event>),
    Done(usize, Finished),
}

/// The position of the oldest unfinished item, which workers with much output wait for.
struct Head {
    index: Mutex<usize>,
    moved: Condvar,
}

impl Head {
    fn wait_for(&self, index: usize) {
        let mut head = self.index.lock().unwrap_or_else(|p| p.into_inner());
        while *head < index {
            head = self.moved.wait(head).unwrap_or_else(|p| p.into_inner());
        }
    }

    fn advance(&self, to: usize) {
        *self.index.lock().unwrap_or_else(|p| p.into_inner()) = to;
        self.moved.notify_all();
    }
}

/// An item waiting for its turn: its origin, its events so far and how it ended, once it has.
struct Pending {
    origin: Option<Origin>,
    events: VecDeque<Vec<Event>>,
    finished: Option<Finished>,
}

/// Codes every item on `opts.threads` threads and hands the results to `sink` in input order.
/// Returns the sink's first error, at once (coding still under way is abandoned).
pub fn run(
    coder: Arc<Tocsin>,
    items: impl Iterator<Item = ReadItem>,
    opts: BatchOptions,
    sink: &mut dyn Sink,
) -> anyhow::Result<()> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads.max(1))
        .thread_name(|i| format!("tocsin-code-{i}"))
        .build()?;
    let window = opts.window.max(opts.threads).max(1);
    let (tx, rx) = mpsc::channel::<Report>();
    let head = Arc::new(Head {
        index: Mutex::new(0),
        moved: Condvar::new(),
    });
    let mut items = items.enumerate();
    let mut pending: BTreeMap<usize, Pending> = BTreeMap::new();
    let (mut next, mut read, mut exhausted) = (0usize, 0usize, false);
    loop {
        // Read ahead up to the window; unreadable items finish at once.
        while !exhausted && read < next + window {
            let Some((index, item)) = items.next() else {
                exhausted = true;
                break;
            };
            read = index + 1;
            match item {
                Err(e) => {
                    pending.insert(
                        index,
                        Pending {
                            origin: None,
                            events: VecDeque::new(),
                            finished: Some(Finished::Unreadable(e)),
                        },
                    );
                }
                Ok((origin, article)) => {
                    pending.insert(
                        index,
                        Pending {
                            origin: Some(origin),
                            events: VecDeque::new(),
                            finished: None,
                        },
                    );
                    let (coder, tx, head) = (Arc::clone(&coder), tx.clone(), Arc::clone(&head));
                    pool.spawn_fifo(move || code_one(&coder, index, article, &tx, &head));
                }
            }
        }
        // Hand over what the oldest items have, in order.
        while let Some(p) = pending.get_mut(&next) {
            let origin = p.origin.clone();
            while let Some(events) = p.events.pop_front() {
                if let Some(o) = &origin {
                    sink.events(o, events)?;
                }
            }
            let Some(finished) = p.finished.take() else {
                break;
            };
            pending.remove(&next);
            sink.finished(origin.as_ref(), finished)?;
            next += 1;
            head.advance(next);
        }
        if next == read {
            if exhausted {
                return Ok(());
            }
            // Everything read so far is handed over: read on.
            continue;
        }
        if pending
            .get(&next)
            .is_some_and(|p| p.finished.is_some() || !p.events.is_empty())
        {
            continue;
        }
        match rx.recv() {
            Ok(Report::Events(i, events)) => {
                if let Some(p) = pending.get_mut(&i) {
                    p.events.push_back(events);
                }
            }
            Ok(Report::Done(i, finished)) => {
                if let Some(p) = pending.get_mut(&i) {
                    p.finished = Some(finished);
                }
            }
            // Every worker holds a sender until it reports; this cannot happen while items are due.
            Err(_) => anyhow::bail!("the coding threads stopped before the batch was done"),
        }
    }
}

/// Segments an article may hand over ahead of its turn before it waits (bounds buffered events).
const SEGMENTS_AHEAD: usize = 2;

/// Codes item `index` on a pool thread and reports its events and its end.
fn code_one(coder: &Tocsin, index: usize, article: tocsin_doc::Article, tx: &mpsc::Sender<Report>, head: &Head) {
    let id = article.id.clone();
    let mut sent = 0usize;
    let result = coder.code_with(article, |events| {
        sent += 1;
        if sent > SEGMENTS_AHEAD {
            // A long article far ahead of the output waits for its turn instead of piling up events.
            head.wait_for(index);
        }
        if !events.is_empty() {
            let _ = tx.send(Report::Events(index, events));
        }
        Ok(())
    });
    let finished = match result {
        Ok(c) if c.skipped.is_some() => Finished::Skipped(c),
        Ok(c) => Finished::Coded(c),
        Err(error) => Finished::Failed { id, error },
    };
    let _ = tx.send(Report::Done(index, finished));
}
