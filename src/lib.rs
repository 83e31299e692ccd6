//! gradebook: a keyboard-driven terminal gradebook for teachers.
//!
//! The domain (`model`, `grading`, `stats`, `predictor`, `store`, `interop`) knows nothing of the
//! terminal; `tui` is the interactive gradebook; `cli` the commands for scripts. Neither
//! front end knows the other.

pub mod cli;
pub mod error;
pub mod grading;
pub mod interop;
pub mod journal;
pub mod model;
pub mod page;
pub mod plot;
pub mod predictor;
pub mod progress;
pub mod sample;
pub mod stats;
pub mod store;
pub mod text;
pub mod tui;
