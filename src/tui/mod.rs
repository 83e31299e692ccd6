//! The interactive gradebook, room by room:
//!
//! - [`runner`]: the loop, the terminal, signals; the only place that sees both the app
//!   and the terminal.
//! - [`app`]: routes each action to the popup or screen in front, follows changes of the
//!   data, lays out the frame.
//! - [`screens`]: one file per screen, each owning its state, its keys and its drawing.
//! - [`session`]: the file behind it: lock, writer thread, save state, retries.
//! - [`data`]: the gradebook with its undo history and what is derived from it.
//! - [`keymap`]: the one key table, read by key handling, help, hints and confirmations.
//! - [`popup`], [`theme`], [`files`]: forms and popups, styles, import and export prompts.
//! - [`history`]: which history entries a cell, a student or a course shows.

pub mod action;
pub mod app;
pub mod data;
pub mod files;
pub mod history;
pub mod keymap;
pub mod policy;
pub mod popup;
pub mod preview;
pub mod runner;
mod saver;
pub mod screens;
pub mod session;
pub mod theme;
mod widgets;

pub use action::Action;
pub use app::App;
pub use runner::start;
pub use session::{Clock, SaveState};
