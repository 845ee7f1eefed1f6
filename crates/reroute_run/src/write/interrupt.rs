//! SIGINT and SIGTERM during `apply` (the caller's handlers set the flag here; the run
//! installs none): the first one is only noted; the writes already
//! started finish (each is one rename), no new one starts, every temp file is removed by
//! the normal path, and the one renderer says what was and was not written (exit 130 or
//! 143). A second signal exits at once (its temp files, if any, are removed by a later run).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A termination signal `apply` stops for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    Int,
    Term,
}

impl Signal {
    pub fn name(self) -> &'static str {
        match self {
            Signal::Int => "SIGINT",
            Signal::Term => "SIGTERM",
        }
    }

    /// 128 + the signal number, as a shell reports a process the signal ended.
    pub fn exit_code(self) -> u8 {
        match self {
            Signal::Int => 130,
            Signal::Term => 143,
        }
    }

    /// The signal's number.
    pub fn number(self) -> usize {
        match self {
            Signal::Int => 2,
            Signal::Term => 15,
        }
    }
}

/// Whether a termination signal arrived (set from the signal handler).
#[derive(Debug, Clone, Default)]
pub struct Interrupt {
    signal: Arc<AtomicUsize>,
}

impl Interrupt {
    /// A flag that no signal sets (`diff`, `check`: they write nothing, so the default
    /// action, ending the process, is right).
    pub fn none() -> Interrupt {
        Interrupt::default()
    }

    /// The flag a signal handler sets: it stores the signal's number (2 for SIGINT, 15
    /// for SIGTERM). The run installs no handler itself; its caller does.
    pub fn flag(&self) -> Arc<AtomicUsize> {
        Arc::clone(&self.signal)
    }

    /// Marks the run as interrupted by `signal` (what a handler or a host does).
    pub fn set(&self, signal: Signal) {
        self.signal.store(signal.number(), Ordering::SeqCst);
    }

    /// The signal that arrived, if any.
    pub fn received(&self) -> Option<Signal> {
        match self.signal.load(Ordering::SeqCst) {
            0 => None,
            n if n == Signal::Term.number() => Some(Signal::Term),
            _ => Some(Signal::Int),
        }
    }
}

/// Test-only hook (`REROUTE_TEST_SIGNAL_AT=k:SIGNAL`, read by the settings stage): the
/// process raises SIGNAL to itself once the k-th write has filled its temp file, so tests
/// interrupt a run at a chosen write instead of at a wall-clock time. Not a user feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignalAt {
    pub write: usize,
    pub signal: TestSignal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestSignal {
    Int,
    Term,
    Kill,
}

impl SignalAt {
    /// `k:SIGINT`, `k:SIGTERM` or `k:SIGKILL` with k ≥ 1.
    pub fn parse(value: &str) -> Option<SignalAt> {
        let (write, signal) = value.split_once(':')?;
        let write: usize = write.parse().ok().filter(|k| *k > 0)?;
        let signal = match signal {
            "SIGINT" => TestSignal::Int,
            "SIGTERM" => TestSignal::Term,
            "SIGKILL" => TestSignal::Kill,
            _ => return None,
        };
        Some(SignalAt { write, signal })
    }

    /// Raises the signal to this process.
    pub fn raise(self) {
        #[cfg(unix)]
        {
            use signal_hook::consts::{SIGINT, SIGKILL, SIGTERM};
            let number = match self.signal {
                TestSignal::Int => SIGINT,
                TestSignal::Term => SIGTERM,
                TestSignal::Kill => SIGKILL,
            };
            // To this thread, so that the handler has run when `raise` returns (a signal
            // to the process may land later). A test hook: if raising fails the test sees a
            // run that was not interrupted.
            let _ = signal_hook::low_level::raise(number);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_test_hook() {
        assert_eq!(
            SignalAt::parse("3:SIGKILL"),
            Some(SignalAt {
                write: 3,
                signal: TestSignal::Kill
            })
        );
        assert_eq!(SignalAt::parse("0:SIGINT"), None);
        assert_eq!(SignalAt::parse("3:SIGHUP"), None);
        assert_eq!(SignalAt::parse("SIGINT"), None);
    }

    #[test]
    fn none_is_never_set() {
        assert_eq!(Interrupt::none().received(), None);
    }
}
