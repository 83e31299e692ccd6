//! Grade cells: empty, points, excused or missing, with late days and a comment.
//!
//! A student keeps one [`Mark`] per assessment, and apart from them the few cells that
//! carry late days or a comment ([`CellNote`]), so that what every final grade reads stays
//! a plain array of marks.

use serde::{Deserialize, Serialize};

use super::Student;
use crate::error::ModelError;

/// What a grade cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub enum Mark {
    /// Not graded yet: left out of the current grade.
    #[default]
    Empty,
    /// Points, from 0 to twice the assessment's max points (above max is bonus).
    Points(f64),
    /// `EX`: counts nowhere.
    Excused,
    /// `M`: counts as 0.
    Missing,
}

impl Mark {
    pub fn points(self) -> Option<f64> {
        match self {
            Mark::Points(p) => Some(p),
            _ => None,
        }
    }

    /// How a teacher writes it: points, `EX`, `M`, or nothing.
    pub fn text(self) -> String {
        match self {
            Mark::Empty => String::new(),
            Mark::Points(p) => super::fmt_num(p),
            Mark::Excused => "EX".into(),
            Mark::Missing => "M".into(),
        }
    }

    /// Reads what a teacher typed: points (with a point or a comma), `EX` (or `excused`),
    /// `M` (or `missing`), or nothing for an empty cell. Points are not range-checked.
    pub fn parse(text: &str) -> Result<Mark, ModelError> {
        let t = text.trim();
        Ok(if t.is_empty() {
            Mark::Empty
        } else if t.eq_ignore_ascii_case("ex") || t.eq_ignore_ascii_case("excused") {
            Mark::Excused
        } else if t.eq_ignore_ascii_case("m") || t.eq_ignore_ascii_case("missing") {
            Mark::Missing
        } else {
            // "NaN" and "inf" are numbers to Rust, and get the message about numbers.
            let numeric = t.replace(',', ".").parse::<f64>().is_ok();
            Mark::Points(super::parse_number("points", t).map_err(|e| {
                if numeric {
                    e
                } else {
                    ModelError::invalid(format!(
                        "a grade is points, EX (excused) or M (missing), not {}",
                        crate::text::quote(t)
                    ))
                }
            })?)
        })
    }
}

/// Late days and a comment of one cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellNote {
    /// The assessment (column) it belongs to.
    pub assessment: usize,
    /// Days late; only a cell with points has any.
    pub late_days: u32,
    pub comment: Option<String>,
}

/// A whole cell, as commands, files and screens handle it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Cell {
    pub mark: Mark,
    /// Days late; only a cell with points has any.
    pub late_days: u32,
    /// At most [`MAX_COMMENT_CHARS`] characters.
    pub comment: Option<String>,
}

/// Longest comment on a cell, in characters.
pub const MAX_COMMENT_CHARS: usize = 500;
/// Most days a piece of work can be late.
pub const MAX_LATE_DAYS: u32 = 1000;

impl From<Mark> for Cell {
    fn from(mark: Mark) -> Self {
        Cell {
            mark,
            late_days: 0,
            comment: None,
        }
    }
}

impl Cell {
    pub fn points(points: f64) -> Self {
        Mark::Points(points).into()
    }

    /// Whether it holds nothing at all: no mark, no late days, no comment.
    pub fn is_blank(&self) -> bool {
        self.mark == Mark::Empty && self.late_days == 0 && self.comment.is_none()
    }

    /// The cell with another mark; late days go with points, the comment stays.
    pub fn with_mark(&self, mark: Mark) -> Cell {
        Cell {
            mark,
            late_days: if matches!(mark, Mark::Points(_)) {
                self.late_days
            } else {
                0
            },
            comment: self.comment.clone(),
        }
    }

    pub(super) fn note(&self, assessment: usize) -> Option<CellNote> {
        (self.late_days > 0 || self.comment.is_some()).then(|| CellNote {
            assessment,
            late_days: self.late_days,
            comment: self.comment.clone(),
        })
    }
}

impl Student {
    /// A student with these cells, one per assessment.
    pub fn with_cells(name: impl Into<String>, cells: impl IntoIterator<Item = Cell>) -> Self {
        let mut student = Student {
            name: name.into(),
            ..Student::default()
        };
        for (a, cell) in cells.into_iter().enumerate() {
            student.marks.push(cell.mark);
            student.notes.extend(cell.note(a));
        }
        student
    }

    /// A student with an empty cell for each of `assessments`.
    pub fn new(name: impl Into<String>, assessments: usize) -> Self {
        Student {
            name: name.into(),
            marks: vec![Mark::Empty; assessments],
            ..Student::default()
        }
    }

    /// Cell `a` whole (an empty cell past the end).
    pub fn cell(&self, a: usize) -> Cell {
        self.view().cell(a)
    }

    /// Every cell, in assessment order.
    pub fn cells(&self) -> impl Iterator<Item = Cell> + '_ {
        self.view().cells()
    }

    pub fn late_days(&self, a: usize) -> u32 {
        self.view().late_days(a)
    }

    pub fn comment(&self, a: usize) -> Option<&str> {
        self.view().comment(a)
    }
}
