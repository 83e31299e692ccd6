//! The runner: the only place that sees both the app and the terminal. It opens the file,
//! runs the loop (keys in, frames out, saves handed to the writer after each frame), and
//! ends it on `q` or on a signal, with every change saved and the terminal restored.

use std::io;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crossterm::event::{self, Event, KeyEventKind};
use ratatui::Terminal;
use ratatui::backend::Backend;
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};

use super::app::App;
use super::session::Clock;
use crate::error::Error;
use crate::store::{Store, StoreError};

/// How often the loop looks for a signal and for the outcome of a save while no key comes.
const SIGNAL_CHECK: Duration = Duration::from_millis(50);
/// How often a failed save is tried again while the teacher does nothing.
const RETRY_EVERY: Duration = Duration::from_secs(2);

/// Whether the terminal went away (closed window, lost connection) without a signal
/// saying so: its input reports a hangup or an error.
fn hung_up() -> bool {
    // SAFETY: isatty and poll are given a plain descriptor number and one pollfd that
    // lives on the stack for the call; a zero timeout never blocks.
    unsafe {
        if libc::isatty(0) != 1 {
            return false;
        }
        let mut fd = libc::pollfd {
            fd: 0,
            events: 0,
            revents: 0,
        };
        libc::poll(&mut fd, 1, 0) > 0
            && fd.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0
    }
}

/// Opens the data file as its one writer and runs the interactive gradebook on the
/// terminal, which is restored on exit and on panic (ratatui's hook). A file in use is refused before
/// anything is drawn; an unreadable one is offered to be moved aside.
pub fn start(path: &Path) -> Result<(), Error> {
    let (store, opened) = Store::open_saved(path, "interactive session")?;
    let app = match opened {
        Ok(opened) => App::open(opened, store, Clock::System),
        Err(e @ StoreError::Format { .. }) => App::recovering(store, e.to_string(), Clock::System),
        Err(e) => return Err(e.into()),
    };
    let mut terminal = ratatui::try_init().map_err(Error::Terminal)?;
    let result = run(app, &mut terminal);
    // Quietly: after a hangup there is no terminal left to restore, and complaining
    // about it on a closed terminal would only fail again.
    let _ = ratatui::try_restore();
    if terminal.show_cursor().is_err() {
        // Its drop would try again and print the failure.
        std::mem::forget(terminal);
    }
    result.map_err(Error::Terminal)
}

/// Draws one frame and hands back to the app what it measured.
pub fn frame<B: Backend>(app: &mut App, terminal: &mut Terminal<B>) -> Result<(), B::Error> {
    let mut measured = None;
    terminal.draw(|f| measured = Some(app.view(f)))?;
    if let Some(m) = measured {
        app.measured(m);
    }
    Ok(())
}

/// Runs until the teacher quits or a signal (SIGTERM, SIGHUP, SIGINT) asks it to end.
/// Either way, and even when the terminal is gone, every change is saved before it
/// returns.
pub fn run(mut app: App, terminal: &mut ratatui::DefaultTerminal) -> io::Result<()> {
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [SIGTERM, SIGHUP, SIGINT] {
        signal_hook::flag::register(signal, Arc::clone(&stop))?;
    }
    app.save_in_background();
    let result = event_loop(&mut app, terminal, &stop);
    app.finish_saving();
    // After a hangup the terminal is gone and drawing fails: that is how the session
    // ends, not an error.
    if stop.load(Ordering::Relaxed) || hung_up() {
        return Ok(());
    }
    result
}

fn event_loop(
    app: &mut App,
    terminal: &mut ratatui::DefaultTerminal,
    stop: &AtomicBool,
) -> io::Result<()> {
    let mut idle = Duration::ZERO;
    while !app.should_quit() && !stop.load(Ordering::Relaxed) && !hung_up() {
        frame(app, terminal)?;
        // The frame is out: now the change may be encoded and handed to the writer.
        app.save_if_due();
        if event::poll(SIGNAL_CHECK)? {
            idle = Duration::ZERO;
            if let Event::Key(key) = event::read()?
                && key.kind != KeyEventKind::Release
            {
                app.dispatch(app.handle_key(key));
            }
        } else {
            idle += SIGNAL_CHECK;
            if idle >= RETRY_EVERY {
                idle = Duration::ZERO;
                app.retry_save();
            }
        }
        app.poll_saves();
    }
    Ok(())
}
