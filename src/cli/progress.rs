//! Progress on stderr for an import or export that takes a while: nothing for the first
//! second (most take far less), nothing at all when stderr is not a terminal, and the line
//! cleared when the work ends, so scripts and logs see only the result.

use std::borrow::Cow;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long work runs before its progress is shown; `GRADEBOOK_PROGRESS_AFTER_MS` changes
/// it (for tests).
fn delay() -> Duration {
    std::env::var("GRADEBOOK_PROGRESS_AFTER_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map_or(Duration::from_secs(1), Duration::from_millis)
}

/// One piece of long work, in phases; shown from a thread of its own, so a phase that is
/// one long call (a parse, a save) still shows that it is going.
pub struct Progress {
    bar: ProgressBar,
    /// Whether the bar follows the input read so far ([`crate::progress`]).
    follows: Arc<AtomicBool>,
    stop: Option<mpsc::Sender<()>>,
    shower: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    /// Starts with a phase that reads `bytes` of input.
    pub fn reading(message: impl Into<Cow<'static, str>>, bytes: u64) -> Self {
        let p = Progress::start();
        p.read(message, bytes);
        p
    }

    /// Starts with a phase of unknown length.
    pub fn working(message: impl Into<Cow<'static, str>>) -> Self {
        let p = Progress::start();
        p.work(message);
        p
    }

    fn start() -> Self {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        let follows = Arc::new(AtomicBool::new(false));
        if !std::io::stderr().is_terminal() {
            return Progress {
                bar,
                follows,
                stop: None,
                shower: None,
            };
        }
        let (stop, stopped) = mpsc::channel::<()>();
        let shown = bar.clone();
        let following = Arc::clone(&follows);
        let delay = delay();
        if delay.is_zero() {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        let show_at = Instant::now() + delay;
        let shower = std::thread::spawn(move || {
            if !delay.is_zero() {
                let wait = show_at.saturating_duration_since(Instant::now());
                if stopped.recv_timeout(wait) != Err(mpsc::RecvTimeoutError::Timeout) {
                    return;
                }
                shown.set_draw_target(ProgressDrawTarget::stderr());
            }
            loop {
                if following.load(Ordering::Relaxed) {
                    shown.set_position(crate::progress::get());
                }
                shown.tick();
                match stopped.recv_timeout(Duration::from_millis(100)) {
                    Err(mpsc::RecvTimeoutError::Timeout) => {}
                    _ => return,
                }
            }
        });
        Progress {
            bar,
            follows,
            stop: Some(stop),
            shower: Some(shower),
        }
    }

    /// A phase that reads `bytes` of input, with a bar.
    pub fn read(&self, message: impl Into<Cow<'static, str>>, bytes: u64) {
        crate::progress::reached(0);
        self.bar.set_style(
            ProgressStyle::with_template("{msg} [{bar:30}] {bytes}/{total_bytes} ({elapsed})")
                .expect("a valid template")
                .progress_chars("=> "),
        );
        self.bar.set_length(bytes);
        self.bar.set_position(0);
        self.bar.set_message(message);
        self.follows.store(true, Ordering::Relaxed);
    }

    /// A phase of unknown length, with a spinner.
    pub fn work(&self, message: impl Into<Cow<'static, str>>) {
        self.follows.store(false, Ordering::Relaxed);
        self.bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} ({elapsed})").expect("a valid template"),
        );
        self.bar.set_message(message);
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(shower) = self.shower.take() {
            let _ = shower.join();
        }
        self.bar.finish_and_clear();
    }
}
