//! Forms: a few labelled text fields, each a `tui_input::Input`, and an inline error.

use tui_input::{Input, InputRequest};

/// What a form is for, and what it changes when submitted.
#[derive(Debug, Clone, PartialEq)]
pub enum FormKind {
    AddCourse,
    RenameCourse(usize),
    AddStudent,
    RenameStudent(usize),
    AddAssessment,
    EditAssessment(usize),
    /// Points of a student (by roster index) in an assessment.
    Grade {
        student: usize,
        assessment: usize,
    },
    AddObservation,
    Query,
    /// The lowest final grade for A, B, C and D.
    Thresholds,
    /// A file to import from.
    Import(crate::interop::files::Kind),
    /// A file to export to.
    Export(crate::interop::files::Kind),
}

/// One labelled field.
#[derive(Debug, Clone)]
pub struct Field {
    pub label: &'static str,
    pub input: Input,
    /// Still holds its prefilled value untouched: typing replaces it, as with a selection;
    /// moving the cursor or deleting first keeps it for editing.
    pub fresh: bool,
}

/// An open form.
#[derive(Debug, Clone)]
pub struct Form {
    pub kind: FormKind,
    pub title: String,
    pub fields: Vec<Field>,
    /// Index of the field being typed in.
    pub focus: usize,
    /// What is wrong with the last submission, shown under the fields.
    pub error: Option<String>,
}

impl Form {
    pub fn new(
        kind: FormKind,
        title: impl Into<String>,
        fields: &[(&'static str, String)],
    ) -> Self {
        let fields = fields
            .iter()
            .map(|(label, value)| Field {
                label,
                input: Input::new(value.clone()),
                fresh: !value.is_empty(),
            })
            .collect();
        Self {
            kind,
            title: title.into(),
            fields,
            focus: 0,
            error: None,
        }
    }

    /// The text of field `i` (empty if there is no such field).
    pub fn value(&self, i: usize) -> &str {
        self.fields.get(i).map_or("", |f| f.input.value())
    }

    pub fn next_field(&mut self) {
        self.focus = (self.focus + 1) % self.fields.len().max(1);
    }

    pub fn prev_field(&mut self) {
        let n = self.fields.len().max(1);
        self.focus = (self.focus + n - 1) % n;
    }

    /// Applies an editing request to the focused field.
    pub fn edit(&mut self, req: InputRequest) {
        if let Some(field) = self.fields.get_mut(self.focus) {
            if std::mem::take(&mut field.fresh) && matches!(req, InputRequest::InsertChar(_)) {
                field.input.reset();
            }
            field.input.handle(req);
        }
        self.error = None;
    }
}
