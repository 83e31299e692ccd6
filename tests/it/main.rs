//! Every integration test in one binary, so that the crate and its test dependencies are
//! linked once rather than once per file.
#![allow(clippy::unwrap_used)]

mod cli;
mod common;
mod crash;
mod history;
mod identity;
mod interop;
mod lms;
mod model;
mod predictor;
mod pty;
mod shell;
mod store;
mod syllabus;
mod tui;
mod tui_syllabus;
