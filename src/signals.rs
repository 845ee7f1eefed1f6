//! What the binary installs process-wide (the libraries install nothing): the handlers that
//! turn SIGINT and SIGTERM into the run's interruption flag during `apply`, and the panic
//! hook that keeps a panic inside the engine quiet (the engine reports it as the file's
//! error).

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use reroute_run::{Interrupt, Signal};

/// Keeps panics inside the engine quiet (they are reported as that file's error by the
/// one renderer); any other panic prints as usual.
pub fn install_panic_hook() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !reroute_engine::is_processing() {
            default(info);
        }
    }));
}

/// Installs the handlers for SIGINT and SIGTERM: the first signal sets the flag (the
/// writes already started finish, no new one starts); a second one exits at once.
#[cfg(unix)]
pub fn install_interrupt() -> std::io::Result<Interrupt> {
    use signal_hook::flag;
    let interrupt = Interrupt::none();
    let seen = Arc::new(AtomicBool::new(false));
    for signal in [Signal::Int, Signal::Term] {
        let number = signal.number() as i32;
        // First: a second signal exits at once. Then: note the first one.
        flag::register_conditional_shutdown(
            number,
            i32::from(signal.exit_code()),
            Arc::clone(&seen),
        )?;
        flag::register(number, Arc::clone(&seen))?;
        flag::register_usize(number, interrupt.flag(), signal.number())?;
    }
    Ok(interrupt)
}

/// Without Unix signals the default action stays (the process ends; a file is still
/// wholly old or new, and a later run removes a temp file left behind).
#[cfg(not(unix))]
pub fn install_interrupt() -> std::io::Result<Interrupt> {
    Ok(Interrupt::none())
}
