//! The progress bar on stderr (indicatif): shown only when a run lasts longer than its
//! delay (about a second) and [`ProgressSettings`] allow
//! it (a terminal, not CI, not `-q`). Workers only bump a counter; one thread of its own
//! draws, and it is cleared before the renderer writes the report.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::ProgressSettings;

/// How often the bar is redrawn.
const TICK: Duration = Duration::from_millis(100);

pub struct Progress {
    settings: ProgressSettings,
    verb: &'static str,
    done: Arc<AtomicUsize>,
    finished: Arc<AtomicBool>,
    drawer: Mutex<Option<JoinHandle<()>>>,
}

impl Progress {
    /// A bar that starts counting when the run says how many files it has (`begin`).
    pub fn start_lazy(settings: ProgressSettings, verb: &'static str) -> Progress {
        Progress {
            settings,
            verb,
            done: Arc::new(AtomicUsize::new(0)),
            finished: Arc::new(AtomicBool::new(false)),
            drawer: Mutex::new(None),
        }
    }

    /// Starts counting `total` files; draws nothing unless the settings allow it and the
    /// run outlasts their delay.
    pub fn begin(&self, total: usize) {
        if !self.settings.enabled {
            return;
        }
        let (done, finished) = (Arc::clone(&self.done), Arc::clone(&self.finished));
        let (after, verb) = (self.settings.after, self.verb);
        let handle = std::thread::spawn(move || draw(total, after, verb, &done, &finished));
        if let Ok(mut drawer) = self.drawer.lock() {
            *drawer = Some(handle);
        }
    }

    /// One more file done (called by the workers; never prints).
    pub fn tick(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }

    /// Stops and clears the bar; returns once nothing more will be drawn.
    pub fn finish(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        self.finished.store(true, Ordering::Relaxed);
        let drawer = self.drawer.lock().ok().and_then(|mut d| d.take());
        if let Some(drawer) = drawer {
            // A panic in the drawer only loses the bar.
            let _ = drawer.join();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.stop();
    }
}

fn draw(total: usize, after: Duration, verb: &str, done: &AtomicUsize, finished: &AtomicBool) {
    let started = Instant::now();
    while started.elapsed() < after {
        if finished.load(Ordering::Relaxed) {
            return;
        }
        std::thread::sleep(TICK.min(after));
    }
    let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
    let template = format!("{{elapsed:>4}} [{{bar:40}}] {{pos}}/{{len}} files {verb}");
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style.progress_chars("=> "));
    }
    loop {
        bar.set_position(done.load(Ordering::Relaxed) as u64);
        if finished.load(Ordering::Relaxed) {
            break;
        }
        std::thread::sleep(TICK);
    }
    bar.finish_and_clear();
}
