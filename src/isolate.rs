//! Panic isolation: a panic while coding one article becomes that article's error, with the panic's
//! message and source location, instead of ending the batch.

use std::cell::{Cell, RefCell};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

/// A panic caught while running one unit of work (one article).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("coding panicked at {location}: {message}")]
pub struct Panicked {
    /// The panic message.
    pub message: String,
    /// `file:line:column` of the panic in tocsin's source, or `unknown`.
    pub location: String,
}

thread_local! {
    /// Depth of [`catch`] calls on this thread: inside one, the hook records instead of printing.
    static DEPTH: Cell<u32> = const { Cell::new(0) };
    /// Where the last caught panic on this thread happened.
    static LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
}

static HOOK: Once = Once::new();

/// Installs (once per process) a panic hook that, inside [`catch`], records the location quietly
/// (unless `RUST_BACKTRACE` is set, for debugging) and elsewhere behaves as before.
fn install_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if DEPTH.with(Cell::get) == 0 {
                return previous(info);
            }
            let location = info
                .location()
                .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()));
            LOCATION.with(|l| *l.borrow_mut() = location);
            if std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0") {
                previous(info);
            }
        }));
    });
}

/// The text of a panic payload (`panic!` with a literal or a formatted message).
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "a panic without a message".into())
}

/// Runs `f`, turning a panic inside it into [`Panicked`]. The work must leave no shared state half
/// updated when it panics: the coder's stages only write the document they are given.
pub fn catch<R>(f: impl FnOnce() -> R) -> Result<R, Panicked> {
    install_hook();
    DEPTH.with(|d| d.set(d.get() + 1));
    let out = catch_unwind(AssertUnwindSafe(f));
    DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    out.map_err(|payload| Panicked {
        message: panic_message(payload.as_ref()),
        location: LOCATION
            .with(|l| l.borrow_mut().take())
            .unwrap_or_else(|| "unknown".into()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_with_message_and_location() {
        let text = "a … b".to_string();
        let end = text.find('…').map_or(0, |i| i + 1);
        let r = catch(|| text[..end].len());
        let e = r.expect_err("slicing inside '…' panics");
        assert!(e.message.contains("is not a char boundary"), "{e}");
        assert!(e.location.starts_with("src/isolate.rs:"), "{e}");
        // Work that does not panic returns its value, and the hook leaves other panics alone.
        assert_eq!(catch(|| 2 + 2), Ok(4));
        assert_eq!(DEPTH.with(Cell::get), 0);
    }

    #[test]
    fn nested_catches_report_the_inner_panic() {
        let outer: Result<Result<(), Panicked>, Panicked> = catch(|| catch(|| panic!("inner {}", 1)));
        let inner = outer
            .expect("the inner catch holds it")
            .expect_err("the inner work panics");
        assert_eq!(inner.message, "inner 1");
    }
}
