//! The Gradebook screen: students × assessments with final %, letter and rank, the class
//! average pinned under the students. Grades are typed into the cell itself; Enter saves
//! and moves to the next student. Only the rows and columns that fit are built, so
//! drawing costs the same for 30 or 100,000 students.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, Wrap};
use tui_input::{Input, InputRequest};
use unicode_width::UnicodeWidthStr;

use super::{Ctx, Measured, Prompt, Screen, ScreenId};
use crate::interop::files::Kind;
use crate::model::{
    Assessment, Command, Course, DEFAULT_ASSESSMENT, GradeEntry, Outcome, Student, fmt_num,
    name_matches, parse_number, search_key,
};
use crate::stats::LiveStats;
use crate::text::{count, one_decimal};
use crate::tui::action::Action;
use crate::tui::data::{Change, Data};
use crate::tui::files;
use crate::tui::keymap::Context;
use crate::tui::popup::{Confirm, Form, Mistake, Modal, Reply};
use crate::tui::theme::{Tone, theme};
use crate::tui::widgets::{capitalise, hints_for, moved, right, scroll, short_num, truncate};

/// Order of the students.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Roster,
    Name,
    /// By the last word of the name (or what comes before a comma: `Lee, Ann`).
    Surname,
    Final,
}

impl Sort {
    pub fn label(self) -> &'static str {
        match self {
            Sort::Roster => "roster order",
            Sort::Name => "name",
            Sort::Surname => "surname",
            Sort::Final => "final grade",
        }
    }

    fn next(self) -> Sort {
        match self {
            Sort::Roster => Sort::Name,
            Sort::Name => Sort::Surname,
            Sort::Surname => Sort::Final,
            Sort::Final => Sort::Roster,
        }
    }
}

/// What a form of this screen is for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FormKind {
    AddStudent,
    RenameStudent(usize),
    AddAssessment,
    EditAssessment(usize),
    Import,
    Export,
}

/// What a confirmation of this screen would delete.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Pending {
    Student(usize),
    Assessment(usize),
}

/// A grade being typed into its cell.
#[derive(Debug, Clone)]
pub struct Entry {
    pub student: usize,
    pub assessment: usize,
    pub input: Input,
    /// The text is selected: typing replaces it (a grade already there, or a mistake).
    fresh: bool,
    pub error: Option<String>,
}

/// The Gradebook screen's own state.
#[derive(Debug, Clone)]
pub struct GradebookScreen {
    /// Selected display row.
    pub row: usize,
    /// Selected column: 0 is the name, `i + 1` assessment `i`.
    pub col: usize,
    pub sort: Sort,
    filter: Input,
    filtering: bool,
    /// Roster indices of the students shown, in display order.
    pub order: Vec<usize>,
    /// Display width of the longest student name.
    name_width: usize,
    /// What the last frame measured: rows that fit, first row and first column shown.
    seen: Measured,
    pub entry: Option<Entry>,
    pub modal: Modal<FormKind, Pending>,
}

impl GradebookScreen {
    pub fn new(data: &Data) -> Self {
        let mut screen = Self {
            row: 0,
            col: 0,
            sort: Sort::Roster,
            filter: Input::default(),
            filtering: false,
            order: Vec::new(),
            name_width: 0,
            seen: Measured {
                page: 10,
                ..Measured::default()
            },
            entry: None,
            modal: Modal::None,
        };
        screen.reorder(data);
        screen
    }

    /// The filter as typed.
    pub fn filter(&self) -> &str {
        self.filter.value()
    }

    /// Grade columns: the assessments, or the `Grade` column a course without any shows.
    fn columns(data: &Data) -> usize {
        data.course().map_or(0, |c| c.assessments.len().max(1))
    }

    /// Redoes the order of the students (after the filter, the sort or the roster changed).
    fn reorder(&mut self, data: &Data) {
        self.order = match data.course() {
            Some(c) => display_order(c, &data.stats, self.sort, self.filter.value()),
            None => Vec::new(),
        };
        self.name_width = data.course().map_or(0, |c| {
            c.students.iter().map(|s| s.name.width()).max().unwrap_or(0)
        });
        self.row = self.row.min(self.order.len().saturating_sub(1));
        self.col = self.col.min(Self::columns(data));
    }

    /// Selects the student with roster index `student` if shown.
    fn select_student(&mut self, student: usize) {
        if let Some(row) = self.order.iter().position(|&s| s == student) {
            self.row = row;
        }
    }

    fn selected_student(&self) -> Option<usize> {
        self.order.get(self.row).copied()
    }

    /// The assessment of the selected column, if it is one.
    fn selected_assessment(&self, course: &Course) -> Option<usize> {
        self.col
            .checked_sub(1)
            .filter(|&a| a < course.assessments.len())
    }

    fn browse(&mut self, action: Action, ctx: &mut Ctx) -> bool {
        use Action::*;
        if ctx.data.course().is_none() {
            if action == Add {
                ctx.add_course();
                return true;
            }
            return false;
        }
        match action {
            Up | Down | PageUp | PageDown | Home | End => {
                self.row = moved(self.row, action, self.order.len(), self.seen.page)
            }
            Left => self.col = self.col.saturating_sub(1),
            Right => self.col = (self.col + 1).min(Self::columns(ctx.data)),
            Add => self.open_form(
                FormKind::AddStudent,
                "Add a student",
                &[("Name", String::new())],
            ),
            Edit => self.edit(ctx),
            Delete => self.ask_delete_student(ctx.data),
            AddAssessment => self.assessment_form(None, ctx.data),
            EditAssessment => self.edit_assessment(ctx),
            DeleteAssessment => self.ask_delete_assessment(ctx),
            ClearGrade => self.clear_grade(ctx),
            Filter => self.filtering = true,
            CycleSort => {
                self.sort = self.sort.next();
                self.reorder(ctx.data);
                ctx.say(Tone::Info, format!("Sorted by {}", self.sort.label()));
            }
            Cancel if !self.filter.value().is_empty() => {
                self.filter.reset();
                self.reorder(ctx.data);
            }
            Import => self.modal = Modal::Form(files::import_form(FormKind::Import, Kind::Grades)),
            Export => {
                let name = ctx.data.course().map(|c| c.name.as_str());
                self.modal = Modal::Form(files::export_form(FormKind::Export, Kind::Grades, name));
            }
            _ => return false,
        }
        true
    }

    fn open_form(&mut self, kind: FormKind, title: &str, fields: &[(&'static str, String)]) {
        self.modal = Modal::Form(Form::new(kind, title, fields));
    }

    fn edit(&mut self, ctx: &mut Ctx) {
        let (Some(student), Some(course)) = (self.selected_student(), ctx.data.course()) else {
            return;
        };
        if self.col == 0 {
            let name = course.students[student].name.clone();
            self.open_form(
                FormKind::RenameStudent(student),
                "Rename the student",
                &[("Name", name)],
            );
        } else {
            self.start_entry(student, self.col - 1, course);
        }
    }

    /// Starts typing a grade into the cell of `student` in `assessment` (assessment 0 of
    /// a course without any is the `Grade` its first grade creates).
    fn start_entry(&mut self, student: usize, assessment: usize, course: &Course) {
        let Some(s) = course.students.get(student) else {
            return;
        };
        if assessment >= course.assessments.len().max(1) {
            return;
        }
        let value = s
            .grades
            .get(assessment)
            .copied()
            .flatten()
            .map(fmt_num)
            .unwrap_or_default();
        self.entry = Some(Entry {
            student,
            assessment,
            fresh: !value.is_empty(),
            input: Input::new(value),
            error: None,
        });
    }

    fn entry_action(&mut self, action: Action, ctx: &mut Ctx) -> bool {
        let Some(entry) = self.entry.as_mut() else {
            return false;
        };
        match action {
            Action::Submit => self.submit_entry(ctx),
            Action::Cancel => self.entry = None,
            Action::ClearField => {
                entry.input.reset();
                entry.error = None;
            }
            Action::Input(key) => {
                let event = crossterm::event::Event::Key(key);
                if let Some(req) = tui_input::backend::crossterm::to_input_request(&event) {
                    if std::mem::take(&mut entry.fresh)
                        && matches!(req, InputRequest::InsertChar(_))
                    {
                        entry.input.reset();
                    }
                    entry.input.handle(req);
                    entry.error = None;
                }
            }
            _ => return false,
        }
        true
    }

    /// Saves the grade typed (nothing typed changes nothing) and moves to the next student
    /// in the order shown now: a re-sort after the change must not skip or repeat anyone.
    fn submit_entry(&mut self, ctx: &mut Ctx) {
        let Some(entry) = self.entry.as_mut() else {
            return;
        };
        let (Some(c), text) = (
            ctx.data.course_index(),
            entry.input.value().trim().to_string(),
        ) else {
            return;
        };
        let next = self.order.get(self.row + 1).copied();
        if !text.is_empty() {
            let grade = GradeEntry {
                course: c,
                student: entry.student,
                assessment: entry.assessment,
                points: None,
            };
            let result = parse_number("points", &text).and_then(|p| {
                ctx.data.book().grade(GradeEntry {
                    points: Some(p),
                    ..grade
                })
            });
            if let Err(e) = result.and_then(|cmd| ctx.data.execute(cmd)) {
                entry.error = Some(e.to_string());
                entry.fresh = true;
                return;
            }
        }
        let assessment = entry.assessment;
        match (next, ctx.data.course()) {
            (Some(next), Some(course)) => {
                self.select_student(next);
                self.start_entry(next, assessment, course);
            }
            _ => {
                self.entry = None;
                ctx.say(Tone::Success, "Last student graded");
            }
        }
    }

    fn assessment_form(&mut self, edit: Option<usize>, data: &Data) {
        let Some(course) = data.course() else { return };
        let (kind, title, a) = match edit.and_then(|i| course.assessments.get(i)) {
            Some(a) => (
                FormKind::EditAssessment(edit.unwrap_or(0)),
                "Edit the assessment",
                a.clone(),
            ),
            None => (
                FormKind::AddAssessment,
                "Add an assessment",
                Assessment::named(""),
            ),
        };
        let fields = [
            ("Name", a.name),
            ("Weight", fmt_num(a.weight)),
            ("Max points", fmt_num(a.max_points)),
        ];
        self.open_form(kind, title, &fields);
    }

    fn edit_assessment(&mut self, ctx: &mut Ctx) {
        match ctx.data.course().and_then(|c| self.selected_assessment(c)) {
            Some(a) => self.assessment_form(Some(a), ctx.data),
            None => ctx.say(
                Tone::Info,
                "Move to an assessment column (l or →) to edit it",
            ),
        }
    }

    fn ask_delete_student(&mut self, data: &Data) {
        let (Some(s), Some(course)) = (self.selected_student(), data.course()) else {
            return;
        };
        self.modal = Modal::Confirm(Confirm {
            pending: Pending::Student(s),
            question: format!(
                "Delete student {} and their grades?",
                course.students[s].name
            ),
            yes: "delete",
        });
    }

    fn ask_delete_assessment(&mut self, ctx: &mut Ctx) {
        let Some(course) = ctx.data.course() else {
            return;
        };
        match self.selected_assessment(course) {
            Some(a) => {
                self.modal = Modal::Confirm(Confirm {
                    pending: Pending::Assessment(a),
                    question: format!(
                        "Delete assessment {} and all its grades?",
                        course.assessments[a].name
                    ),
                    yes: "delete",
                })
            }
            None => ctx.say(
                Tone::Info,
                "Move to an assessment column (l or →) to delete it",
            ),
        }
    }

    fn clear_grade(&mut self, ctx: &mut Ctx) {
        let (Some(student), Some(c), Some(course)) = (
            self.selected_student(),
            ctx.data.course_index(),
            ctx.data.course(),
        ) else {
            return;
        };
        let Some(assessment) = self.selected_assessment(course) else {
            return;
        };
        let cmd = Command::SetGrade(GradeEntry {
            course: c,
            student,
            assessment,
            points: None,
        });
        match ctx.data.execute(cmd) {
            Ok(Outcome::Changed) => ctx.say(Tone::Success, "Grade cleared (u undoes it)"),
            Ok(Outcome::Unchanged) => ctx.say(Tone::Info, "No grade to clear"),
            Err(e) => ctx.say(Tone::Error, e.to_string()),
        }
    }

    fn modal_action(&mut self, action: Action, ctx: &mut Ctx) -> bool {
        match self.modal.handle(action) {
            Reply::Ignored => return false,
            Reply::Done => {}
            Reply::Submit => {
                if let Err(e) = self.submit(ctx) {
                    self.modal.fail(e);
                }
            }
            Reply::Confirmed(pending) => self.delete(pending, ctx),
            Reply::Declined => ctx.say(Tone::Info, "Nothing deleted"),
        }
        true
    }

    /// Turns the open form into a change; on error the form stays open with the message.
    fn submit(&mut self, ctx: &mut Ctx) -> Result<(), Mistake> {
        let Modal::Form(form) = &self.modal else {
            return Ok(());
        };
        let c = ctx.data.course_index().unwrap_or(0);
        let name = form.value(0).to_string();
        let err = |e: crate::error::ModelError| Mistake::at(0, e);
        // Where the selection goes once the form is closed: a student, or a column.
        let mut select = (None, None);
        match form.kind {
            FormKind::AddStudent => {
                let index = ctx.data.course().map_or(0, |c| c.students.len());
                let students = vec![Student {
                    name,
                    grades: Vec::new(),
                }];
                ctx.data
                    .execute(Command::InsertStudents {
                        course: c,
                        index,
                        students,
                    })
                    .map_err(err)?;
                select.0 = Some(index);
            }
            FormKind::RenameStudent(student) => {
                ctx.data
                    .execute(Command::RenameStudent {
                        course: c,
                        student,
                        name,
                    })
                    .map_err(err)?;
            }
            FormKind::AddAssessment | FormKind::EditAssessment(_) => {
                select.1 = Some(submit_assessment(form, ctx)? + 1);
            }
            FormKind::Import => files::import(ctx, Kind::Grades, form.value(0))?,
            FormKind::Export => files::export(ctx, Kind::Grades, form.value(0))?,
        }
        self.modal = Modal::None;
        if let Some(student) = select.0 {
            self.reorder(ctx.data);
            self.select_student(student);
        }
        if let Some(col) = select.1 {
            self.col = col;
        }
        Ok(())
    }

    fn delete(&mut self, pending: Pending, ctx: &mut Ctx) {
        let Some(c) = ctx.data.course_index() else {
            return;
        };
        let cmd = match pending {
            Pending::Student(index) => Command::RemoveStudents {
                course: c,
                index,
                count: 1,
            },
            Pending::Assessment(index) => Command::RemoveAssessment { course: c, index },
        };
        let said = cmd.summary(ctx.data.book());
        match ctx.data.execute(cmd) {
            Ok(_) => ctx.say(
                Tone::Success,
                format!("{} (u undoes it)", capitalise(&said)),
            ),
            Err(e) => ctx.say(Tone::Error, e.to_string()),
        }
    }

    fn filter_action(&mut self, action: Action, ctx: &mut Ctx) -> bool {
        match action {
            Action::Submit => self.filtering = false,
            Action::Cancel => {
                self.filtering = false;
                self.filter.reset();
                self.reorder(ctx.data);
            }
            Action::Input(key) => {
                let event = crossterm::event::Event::Key(key);
                if let Some(req) = tui_input::backend::crossterm::to_input_request(&event) {
                    self.filter.handle(req);
                    self.row = 0;
                    self.reorder(ctx.data);
                }
            }
            _ => return false,
        }
        true
    }

    /// After one grade of the course changed: only that student moves, if the order is by
    /// final grade.
    fn grade_changed(&mut self, data: &Data, student: usize) {
        if self.sort != Sort::Final {
            return;
        }
        let Some(pos) = self.order.iter().position(|&i| i == student) else {
            return;
        };
        self.order.remove(pos);
        let finals = &data.stats.finals;
        let at = self
            .order
            .partition_point(|&i| final_order(finals, i, student).is_lt());
        self.order.insert(at, student);
    }
}

impl Screen for GradebookScreen {
    fn context(&self) -> Context {
        if let Some(context) = self.modal.context() {
            context
        } else if self.entry.is_some() {
            Context::Entry
        } else if self.filtering {
            Context::Filter
        } else {
            Context::On(ScreenId::Gradebook)
        }
    }

    fn update(&mut self, action: Action, ctx: &mut Ctx) -> bool {
        if self.modal.is_open() {
            return self.modal_action(action, ctx);
        }
        if self.entry.is_some() {
            return self.entry_action(action, ctx);
        }
        if self.filtering {
            return self.filter_action(action, ctx);
        }
        self.browse(action, ctx)
    }

    fn data_changed(&mut self, data: &Data, change: Change) {
        match change {
            Change::Grade { student, .. } => self.grade_changed(data, student),
            Change::Other => self.reorder(data),
            Change::Course => {
                self.row = 0;
                self.col = 0;
                self.filter.reset();
                self.filtering = false;
                self.entry = None;
                self.seen = Measured {
                    page: self.seen.page,
                    ..Measured::default()
                };
                self.reorder(data);
            }
        }
    }

    fn draw(&self, frame: &mut Frame, area: Rect, data: &Data) -> Measured {
        let Some(course) = data.course() else {
            return self.seen;
        };
        // The average row sits right under the last student, or at the bottom when they
        // fill the screen.
        let rows = self.order.len() as u16 + 1;
        let [title, table, average, _] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Max(rows),
            Constraint::Length(1),
            Constraint::Min(0),
        ])
        .areas(area);
        let mut measured = self.seen;
        if course.students.is_empty() || self.order.is_empty() {
            let text = if course.students.is_empty() {
                "No students yet. Press a to add one, A to add an assessment."
            } else {
                "No student matches the filter (Esc clears it)."
            };
            self.draw_title(course, None, frame, title);
            frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), table);
        } else {
            let cols = Columns::fit(self, course, area.width);
            self.draw_title(course, Some(&cols), frame, title);
            measured = self.draw_grid(course, data, &cols, frame, table);
            draw_average(course, &data.stats, &cols, frame, average);
        }
        self.modal.draw(frame);
        measured
    }

    fn measured(&mut self, m: Measured) {
        self.seen = m;
    }

    fn prompt(&self, data: &Data) -> Option<Prompt> {
        if let Some(entry) = &self.entry {
            return Some(entry_prompt(entry, self, data));
        }
        if self.filtering {
            let t = theme();
            let line = Line::from(vec![
                Span::styled("Filter: ", t.key),
                Span::raw(self.filter.value().to_string()),
                Span::raw("  "),
            ]);
            let mut line = line;
            line.spans.extend(hints_for(
                Context::Filter,
                &[Action::Submit, Action::Cancel],
            ));
            let cursor = 8 + self.filter.visual_cursor() as u16;
            return Some(Prompt {
                line,
                cursor: Some(cursor),
            });
        }
        (!self.filter.value().is_empty()).then(|| Prompt {
            line: Line::styled(
                format!("Filter: {}  (Esc clears it)", self.filter.value()),
                theme().dim,
            ),
            cursor: None,
        })
    }

    fn hints(&self) -> &'static [Action] {
        &[
            Action::Help,
            Action::Add,
            Action::Edit,
            Action::Delete,
            Action::Undo,
            Action::Quit,
        ]
    }
}

/// Adds or edits the assessment the form describes; the index of that assessment.
fn submit_assessment(form: &Form<FormKind>, ctx: &mut Ctx) -> Result<usize, Mistake> {
    let c = ctx.data.course_index().unwrap_or(0);
    let assessment = Assessment {
        name: form.value(0).to_string(),
        weight: form.number(1, "weight")?,
        max_points: form.number(2, "max points")?,
    };
    let (index, cmd) = match form.kind {
        FormKind::EditAssessment(index) => (
            index,
            Command::EditAssessment {
                course: c,
                index,
                assessment,
            },
        ),
        _ => {
            let index = ctx.data.course().map_or(0, |c| c.assessments.len());
            let cmd = Command::InsertAssessment {
                course: c,
                index,
                assessment,
                grades: Vec::new(),
            };
            (index, cmd)
        }
    };
    let said = cmd.summary(ctx.data.book());
    if ctx.data.execute(cmd)? == Outcome::Changed {
        ctx.say(Tone::Success, capitalise(&said));
    }
    Ok(index)
}

/// What the line above the status line says while a grade is typed: whose and what, or
/// the mistake.
fn entry_prompt(entry: &Entry, screen: &GradebookScreen, data: &Data) -> Prompt {
    let t = theme();
    let Some(course) = data.course() else {
        return Prompt {
            line: Line::raw(""),
            cursor: None,
        };
    };
    let default = Assessment::named(DEFAULT_ASSESSMENT);
    let a = course.assessments.get(entry.assessment).unwrap_or(&default);
    let name = course
        .students
        .get(entry.student)
        .map_or("", |s| s.name.as_str());
    if let Some(error) = &entry.error {
        return Prompt {
            line: Line::styled(error.clone(), t.error),
            cursor: None,
        };
    }
    let next = screen
        .order
        .get(screen.row + 1)
        .and_then(|&s| course.students.get(s))
        .map_or("the end".to_string(), |s| s.name.clone());
    let mut spans = vec![
        Span::styled(format!("{name} · {}", a.name), t.title),
        Span::raw(format!(
            " (0 to {} points), then {next}  ",
            fmt_num(a.max_points)
        )),
    ];
    spans.extend(hints_for(Context::Entry, &[Action::Submit, Action::Cancel]));
    Prompt {
        line: Line::from(spans),
        cursor: None,
    }
}

const FINAL_W: u16 = 6;
const LETTER_W: u16 = 6;
const MIN_NAME: u16 = 7;
/// Columns the table puts between two columns.
const GAP: u16 = 1;

/// Which assessment columns fit, and how wide each column is. The selected assessment is
/// always among them; the name column takes the room there is.
struct Columns {
    name: u16,
    /// Assessment indices shown, left to right, with their widths.
    shown: Vec<(usize, u16)>,
    rank: u16,
    /// A course without assessments shows an empty `Grade` column: entering a grade there
    /// creates the assessment, as the tutorial's one-grade-per-student flow.
    placeholder: bool,
    /// Assessments hidden to the left and to the right.
    hidden: (usize, usize),
}

impl Columns {
    fn fit(screen: &GradebookScreen, course: &Course, width: u16) -> Self {
        let n = course.assessments.len();
        // Ranks go up to the number of students.
        let rank = (course.students.len().max(1).ilog10() as u16 + 1).max(4);
        let tail = FINAL_W + LETTER_W + rank + 3 * GAP;
        let col_width = |i: usize| course.assessments[i].name.width().clamp(5, 12) as u16;
        let all: u16 = (0..n).map(|i| col_width(i) + GAP).sum::<u16>() + if n == 0 { 6 } else { 0 };
        let wanted = (screen.name_width as u16).max(MIN_NAME);
        let name = if wanted + GAP + all + tail <= width {
            wanted
        } else {
            wanted.min((width / 3).max(MIN_NAME + 3))
        };
        let available = width.saturating_sub(name + tail);
        let selected = screen.col.checked_sub(1).filter(|&s| s < n);
        let first = first_column(screen.seen.first_column, selected, n, available, col_width);
        let mut shown = Vec::new();
        let mut used = 0;
        for i in first..n {
            let w = col_width(i);
            if used + w + GAP > available {
                break;
            }
            used += w + GAP;
            shown.push((i, w));
        }
        if shown.is_empty() && n > 0 {
            // Not even one fits whole: the selected one, cut to the room there is.
            let w = available.saturating_sub(GAP).max(3);
            shown.push((first.min(n - 1), w));
        }
        let last = shown.last().map_or(0, |s| s.0 + 1);
        Self {
            name,
            hidden: (shown.first().map_or(0, |s| s.0), n.saturating_sub(last)),
            shown,
            rank,
            placeholder: n == 0,
        }
    }

    fn constraints(&self) -> Vec<Constraint> {
        let mut c = vec![Constraint::Length(self.name)];
        c.extend(self.shown.iter().map(|&(_, w)| Constraint::Length(w)));
        if self.placeholder {
            c.push(Constraint::Length(5));
        }
        c.extend([
            Constraint::Length(FINAL_W),
            Constraint::Length(LETTER_W),
            Constraint::Length(self.rank),
        ]);
        c
    }

    /// Where grade column `k` (of those shown) starts, from the table's left edge.
    fn x_of(&self, k: usize) -> u16 {
        self.name + GAP + self.shown[..k].iter().map(|&(_, w)| w + GAP).sum::<u16>()
    }

    fn width_of(&self, k: usize) -> u16 {
        self.shown.get(k).map_or(5, |&(_, w)| w)
    }
}

/// The first assessment column to show: as before, unless the selected one would then be
/// off screen, in which case as little a move as brings it in.
fn first_column(
    before: usize,
    selected: Option<usize>,
    n: usize,
    available: u16,
    width: impl Fn(usize) -> u16,
) -> usize {
    let mut first = before.min(n.saturating_sub(1));
    let Some(sel) = selected else {
        return first;
    };
    if sel < first {
        return sel;
    }
    let fits = |from: usize| (from..=sel).map(|i| width(i) + GAP).sum::<u16>() <= available;
    while first < sel && !fits(first) {
        first += 1;
    }
    first
}

impl GradebookScreen {
    /// The course, how many students by which order, and, kept at the right edge
    /// whatever the width, how many assessment columns are hidden on each side.
    fn draw_title(&self, course: &Course, cols: Option<&Columns>, frame: &mut Frame, area: Rect) {
        let t = theme();
        let shown = self.order.len();
        let students = if shown == course.students.len() {
            count(shown, "student")
        } else {
            format!("{shown} of {}", count(course.students.len(), "student"))
        };
        let title = Line::from(vec![
            Span::styled(course.name.clone(), t.title),
            Span::styled(format!(" · {students} · by {}", self.sort.label()), t.dim),
        ]);
        let (left, right) = cols.map_or((0, 0), |c| c.hidden);
        let mut more = String::new();
        if left > 0 {
            more.push_str(&format!(" ◂ {left} more"));
        }
        if right > 0 {
            more.push_str(&format!(" {right} more ▸"));
        }
        let [title_area, more_area] =
            Layout::horizontal([Constraint::Min(0), Constraint::Length(more.width() as u16)])
                .areas(area);
        frame.render_widget(Paragraph::new(title), title_area);
        frame.render_widget(Paragraph::new(Span::styled(more, t.key)), more_area);
    }

    fn draw_grid(
        &self,
        course: &Course,
        data: &Data,
        cols: &Columns,
        frame: &mut Frame,
        area: Rect,
    ) -> Measured {
        let t = theme();
        let page = area.height.saturating_sub(1).max(1) as usize;
        let offset = scroll(self.seen.offset, self.row, page, self.order.len());
        let mut header = vec![Cell::from("Student")];
        header.extend(
            cols.shown
                .iter()
                .map(|&(i, w)| Cell::from(right(&course.assessments[i].name, w))),
        );
        if cols.placeholder {
            header.push(Cell::from(right(DEFAULT_ASSESSMENT, 5)));
        }
        header.extend([
            Cell::from(right("Final", FINAL_W)),
            Cell::from("Letter"),
            Cell::from(right("Rank", cols.rank)),
        ]);
        let stats = &data.stats;
        let rows = self
            .order
            .iter()
            .enumerate()
            .skip(offset)
            .take(page)
            .map(|(row, &s)| self.grid_row(course, stats, cols, row, s));
        let table = Table::new(rows, cols.constraints()).header(Row::new(header).style(t.header));
        frame.render_widget(table, area);
        if let Some(entry) = &self.entry {
            self.place_cursor(entry, cols, offset, frame, area);
        }
        Measured {
            page,
            offset,
            first_column: cols.shown.first().map_or(0, |s| s.0),
        }
    }

    fn grid_row(
        &self,
        course: &Course,
        stats: &LiveStats,
        cols: &Columns,
        row: usize,
        s: usize,
    ) -> Row<'static> {
        let t = theme();
        let student = &course.students[s];
        let selected = row == self.row;
        let style_of = |col: usize| {
            if selected && self.col == col {
                t.selected_cell
            } else {
                Style::new()
            }
        };
        let editing = |a: usize| {
            self.entry
                .as_ref()
                .filter(|e| e.student == s && e.assessment == a)
        };
        let grade_cell = |a: usize, w: u16| match editing(a) {
            Some(e) => Cell::from(truncate(e.input.value(), w as usize)).style(if e.fresh {
                t.selected_cell
            } else {
                t.editing
            }),
            None => {
                let text = student
                    .grades
                    .get(a)
                    .copied()
                    .flatten()
                    .map_or_else(|| "·".to_string(), fmt_num);
                Cell::from(right(text, w)).style(style_of(a + 1))
            }
        };
        let mut cells =
            vec![Cell::from(truncate(&student.name, cols.name as usize)).style(style_of(0))];
        cells.extend(cols.shown.iter().map(|&(i, w)| grade_cell(i, w)));
        if cols.placeholder {
            cells.push(grade_cell(0, 5));
        }
        let fin = stats.finals.get(s).copied().flatten();
        let letter = fin.map(|f| course.thresholds.letter(f));
        cells.push(Cell::from(right(one_decimal(fin), FINAL_W)));
        cells.push(Cell::from(letter.map_or(Span::raw("–"), |l| {
            Span::styled(l.to_string(), t.letter(l))
        })));
        cells.push(Cell::from(right(
            fin.map_or("–".into(), |f| stats.rank(f).to_string()),
            cols.rank,
        )));
        let row = Row::new(cells);
        if selected {
            row.style(t.selected_row)
        } else {
            row
        }
    }

    /// The cursor in the cell being typed into.
    fn place_cursor(
        &self,
        entry: &Entry,
        cols: &Columns,
        offset: usize,
        frame: &mut Frame,
        area: Rect,
    ) {
        let Some(row) = self.order.iter().position(|&s| s == entry.student) else {
            return;
        };
        let k = cols.shown.iter().position(|&(a, _)| a == entry.assessment);
        let k = match (k, cols.placeholder) {
            (Some(k), _) => k,
            (None, true) => 0,
            (None, false) => return,
        };
        let x = if cols.placeholder {
            cols.name + GAP
        } else {
            cols.x_of(k)
        };
        let width = cols.width_of(k);
        let y = area.y + 1 + (row.saturating_sub(offset)) as u16;
        let cursor = (entry.input.visual_cursor() as u16).min(width.saturating_sub(1));
        if row >= offset && y < area.bottom() {
            frame.set_cursor_position((area.x + x + cursor, y));
        }
    }
}

/// The class-average row, pinned below the students whatever the sort: each assessment's
/// mean in points (as its column shows grades), the mean final in percent.
fn draw_average(course: &Course, stats: &LiveStats, cols: &Columns, frame: &mut Frame, area: Rect) {
    let mut cells = vec![Cell::from("Average")];
    cells.extend(cols.shown.iter().map(|&(i, w)| {
        let mean = stats.assessment_means[i].map(|m| m * course.assessments[i].max_points / 100.0);
        Cell::from(right(mean.map_or("–".into(), short_num), w))
    }));
    if cols.placeholder {
        cells.push(Cell::from(right("–", 5)));
    }
    let mean = stats.stats.mean;
    cells.push(Cell::from(right(one_decimal(mean), FINAL_W)));
    cells.push(Cell::from(mean.map_or("–".to_string(), |m| {
        course.thresholds.letter(m).to_string()
    })));
    let table = Table::new(
        [Row::new(cells).style(theme().average_row)],
        cols.constraints(),
    );
    frame.render_widget(table, area);
}

/// The order of the Final sort: graded first, highest first, then roster order.
fn final_order(finals: &[Option<f64>], a: usize, b: usize) -> std::cmp::Ordering {
    let (fa, fb) = (finals[a], finals[b]);
    fb.is_some()
        .cmp(&fa.is_some())
        .then(fb.unwrap_or(0.0).total_cmp(&fa.unwrap_or(0.0)))
        .then(a.cmp(&b))
}

/// The surname of a name: before the comma of `Lee, Ann`, else its last word.
fn surname(name: &str) -> &str {
    match name.split_once(',') {
        Some((last, _)) => last.trim(),
        None => name.split_whitespace().last().unwrap_or(name),
    }
}

/// The students to show, filtered by name and sorted.
fn display_order(course: &Course, stats: &LiveStats, sort: Sort, filter: &str) -> Vec<usize> {
    let needle = search_key(filter);
    let mut order: Vec<usize> = (0..course.students.len())
        .filter(|&i| name_matches(&course.students[i].name, &needle))
        .collect();
    let name = |i: usize| course.students[i].name.as_str();
    match sort {
        Sort::Roster => {}
        Sort::Name => order.sort_by_cached_key(|&i| search_key(name(i))),
        Sort::Surname => {
            order.sort_by_cached_key(|&i| (search_key(surname(name(i))), search_key(name(i))))
        }
        Sort::Final => order.sort_by(|&a, &b| final_order(&stats.finals, a, b)),
    }
    order
}
