//! The progress bar on stderr (indicatif): shown only when a run lasts longer than its
//! delay (about a second) and [`ProgressSettings`](crate::config::ProgressSettings) allow
//! it (a terminal, not CI, not `-q`). Workers only bump a counter; one thread of its own
//! draws, and it is cleared before the renderer writes the report.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::config::ProgressSettings;

/// How often the bar is redrawn.
const TICK: Duration = Duration::from_millis(100);

pub struct Progress {
    done: Arc<AtomicUsize>,
    finished: Arc<AtomicBool>,
    drawer: Option<JoinHandle<()>>,
}

impl Progress {
    /// Starts counting `total` files; draws nothing unless `settings` allow it and the run
    /// outlasts `settings.after`.
    pub fn start(total: usize, settings: ProgressSettings, verb: &'static str) -> Progress {
        let done = Arc::new(AtomicUsize::new(0));
        let finished = Arc::new(AtomicBool::new(false));
        let drawer = settings.enabled.then(|| {
            let (done, finished) = (Arc::clone(&done), Arc::clone(&finished));
            std::thread::spawn(move || draw(total, settings.after, verb, &done, &finished))
        });
        Progress {
            done,
            finished,
            drawer,
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
        if let Some(drawer) = self.drawer.take() {
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
