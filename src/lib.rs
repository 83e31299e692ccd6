//! gradebook: a keyboard-driven terminal gradebook for teachers.
//!
//! The domain (`model`, `stats`, `predictor`, `store`, `interop`) knows nothing of the
//! terminal; `app` and `ui` are the TUI; `cli` the commands for scripts.

pub mod app;
pub mod cli;
pub mod error;
pub mod interop;
pub mod model;
pub mod plot;
pub mod predictor;
pub mod sample;
pub mod stats;
pub mod store;
pub mod text;
pub mod ui;
