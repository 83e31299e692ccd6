//! Saving off the input path. The app hands a copy of its data (the rosters' runs and
//! the undo steps shared, so the copy takes microseconds even at 100,000 students) to a
//! writer thread, which encodes it straight into the file, fsyncs and renames, however
//! slow the disk is. Only the newest state matters: older jobs still queued are skipped.

use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::model::Saved;
use crate::store::Writer;

/// The result of one save, by sequence number.
pub type Outcome = (u64, Result<(), String>);

/// A writer thread and what it was given.
/// A save: its sequence number, what the data file keeps, and the journal records new
/// since the save before.
type Job = (u64, Saved, Vec<u8>);

pub struct Saver {
    jobs: Option<Sender<Job>>,
    done: Receiver<Outcome>,
    thread: Option<JoinHandle<()>>,
    /// Sequence number of the newest job sent.
    pub sent: u64,
    /// Sequence number of the newest job whose outcome arrived.
    pub finished: u64,
}

impl Saver {
    pub fn start(mut writer: Writer) -> Self {
        let (jobs, inbox) = channel::<Job>();
        let (outbox, done) = channel();
        let thread = std::thread::spawn(move || {
            while let Ok(mut job) = inbox.recv() {
                // Skip to the newest state, the ones before it being out of date; but
                // every history record is written, in order.
                let mut history = std::mem::take(&mut job.2);
                while let Ok(mut newer) = inbox.try_recv() {
                    history.append(&mut newer.2);
                    job = newer;
                }
                let result = writer
                    .write(&job.1.view(), &history)
                    .map_err(|e| e.to_string());
                if outbox.send((job.0, result)).is_err() {
                    break;
                }
            }
        });
        Self {
            jobs: Some(jobs),
            done,
            thread: Some(thread),
            sent: 0,
            finished: 0,
        }
    }

    /// Queues what the data file keeps and the journal records new since the last job;
    /// returns false if the thread is gone.
    pub fn send(&mut self, saved: Saved, history: Vec<u8>) -> bool {
        self.sent += 1;
        self.jobs
            .as_ref()
            .is_some_and(|jobs| jobs.send((self.sent, saved, history)).is_ok())
    }

    /// Whether a job is still being written.
    pub fn busy(&self) -> bool {
        self.finished < self.sent
    }

    /// The outcomes that arrived, without waiting.
    pub fn poll(&mut self) -> Vec<Outcome> {
        let outcomes: Vec<Outcome> = self.done.try_iter().collect();
        self.note(&outcomes);
        outcomes
    }

    /// Waits (at most `limit`) until the newest job is done; returns its outcomes.
    pub fn wait(&mut self, limit: Duration) -> Vec<Outcome> {
        let deadline = Instant::now() + limit;
        let mut outcomes = Vec::new();
        while self.busy() {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.done.recv_timeout(left) {
                Ok(outcome) => {
                    self.note(std::slice::from_ref(&outcome));
                    outcomes.push(outcome);
                }
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => break,
            }
        }
        outcomes
    }

    fn note(&mut self, outcomes: &[Outcome]) {
        if let Some(newest) = outcomes.iter().map(|o| o.0).max() {
            self.finished = self.finished.max(newest);
        }
    }
}

impl Drop for Saver {
    /// Lets the thread finish what it was given, so that no save is cut off.
    fn drop(&mut self) {
        self.jobs.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
