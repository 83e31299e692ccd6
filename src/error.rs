//! Errors of the model, each a sentence a teacher can act on.

use thiserror::Error;

use crate::text::quote;

/// Why a change to the gradebook was refused. Nothing was changed.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ModelError {
    /// The input breaks a rule: a bad name, points out of range...
    #[error("{0}")]
    Invalid(String),
    #[error("there is no course named {}", quote(.0))]
    UnknownCourse(String),
    #[error("there is no student named {}", quote(.0))]
    UnknownStudent(String),
    #[error("there is no assessment named {}", quote(.0))]
    UnknownAssessment(String),
    #[error("a {what} named {} already exists", quote(.name))]
    Duplicate { what: &'static str, name: String },
    /// A name several students share: the command needs one of their ids.
    #[error(
        "{} is more than one student: {candidates}; give the id instead",
        quote(.name)
    )]
    Ambiguous { name: String, candidates: String },
    #[error(
        "there is no course yet: add one with `gradebook course add NAME` or `gradebook sample`"
    )]
    NoCourse,
    /// A command referred to a position that does not exist (a stale selection).
    #[error("that {0} no longer exists")]
    Gone(&'static str),
}

impl ModelError {
    pub fn invalid(msg: impl Into<String>) -> Self {
        Self::Invalid(msg.into())
    }
}

/// Anything a command or the interactive gradebook can fail with, for the one line the
/// binary prints.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error(transparent)]
    File(#[from] crate::interop::FileError),
    #[error(transparent)]
    Import(#[from] crate::interop::ImportError),
    #[error("cannot train: {0}")]
    Fit(#[from] crate::predictor::FitError),
    #[error(transparent)]
    Plot(#[from] crate::plot::PlotError),
    #[error("the built-in sample data is damaged: {0}")]
    Sample(#[from] csv::Error),
    #[error("the terminal failed: {0}")]
    Terminal(std::io::Error),
    #[error("cannot write the output: {0}")]
    Output(std::io::Error),
    /// A command refused for a reason of its own (a missing `--yes`, no trained model).
    #[error("{0}")]
    Refused(String),
}
