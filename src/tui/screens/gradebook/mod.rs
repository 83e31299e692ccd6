//! The Gradebook screen: students × assessments with final %, letter and rank, the class
//! average pinned under the students. Grades are typed into the cell itself; Enter saves
//! and moves to the next student. Only the rows and columns that fit are built, so
//! drawing costs the same for 30 or 100,000 students.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use tui_input::{Input, InputRequest};
use unicode_width::UnicodeWidthStr;

mod draw;
pub mod page;

use draw::{Columns, draw_average, draw_selected};

use super::{Ctx, Measured, Prompt, Screen, ScreenId};
use crate::interop::files::Kind;
use crate::model::{
    Assessment, CellEntry, Command, Course, DEFAULT_ASSESSMENT, Mark, Outcome, Profile, Status,
    Student, check_profile, fmt_num, name_matches, search_key,
};
use crate::stats::LiveStats;
use crate::tui::action::Action;
use crate::tui::data::{Change, Data};
use crate::tui::files;
use crate::tui::keymap::{self, Context};
use crate::tui::popup::{Confirm, Form, Mistake, Modal, Reply};
use crate::tui::theme::{Tone, theme};
use crate::tui::widgets::{capitalise, hint_spans, hints_for, moved};

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
    /// A student's name and who they are.
    EditStudent(usize),
    AddAssessment,
    EditAssessment(usize),
    /// Days late of a student's work in an assessment.
    LateDays {
        student: usize,
        assessment: usize,
    },
    /// The comment of a student's cell in an assessment.
    Comment {
        student: usize,
        assessment: usize,
    },
    /// Points added to every graded cell of an assessment.
    Curve(usize),
    Import,
    /// An LMS export whose changes are shown: Enter imports it.
    ImportLms,
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
    /// Points above the max points wait for the teacher to say they are bonus.
    pub bonus: Option<f64>,
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
    /// The cell last excused or marked missing and what it held, so that the same key
    /// again gives it back.
    unmarked: Option<(usize, usize, Mark)>,
    /// Withdrawn students are left out of the grid (`W` shows them again).
    pub hide_withdrawn: bool,
    /// What the last frame measured: rows that fit, first row and first column shown.
    seen: Measured,
    pub entry: Option<Entry>,
    pub modal: Modal<FormKind, Pending>,
    /// A student's page, open over the grid.
    pub page: Option<page::PageView>,
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
            unmarked: None,
            hide_withdrawn: false,
            seen: Measured {
                page: 10,
                ..Measured::default()
            },
            entry: None,
            modal: Modal::None,
            page: None,
        };
        screen.roster_changed(data);
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

    /// After the roster or the course changed: the widest name, and the order.
    fn roster_changed(&mut self, data: &Data) {
        self.name_width = data.course().map_or(0, |c| {
            c.students.iter().map(|s| s.name.width()).max().unwrap_or(0)
        });
        self.reorder(data);
    }

    /// Redoes the order of the students (after the filter, the sort or the roster changed).
    fn reorder(&mut self, data: &Data) {
        self.order = match data.course() {
            Some(c) => display_order(
                c,
                &data.stats,
                self.sort,
                self.filter.value(),
                self.hide_withdrawn,
            ),
            None => Vec::new(),
        };
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
                "Add a student (id, e-mail, section optional)",
                &[
                    ("Name", String::new()),
                    ("Id", String::new()),
                    ("E-mail", String::new()),
                    ("Section", String::new()),
                ],
            ),
            Edit => self.edit(ctx),
            Open if self.col == 0 => {
                if let Some(s) = self.selected_student() {
                    self.open_page(ctx.data, s);
                }
            }
            Open => self.edit(ctx),
            Delete => self.ask_delete_student(ctx.data),
            AddAssessment => self.assessment_form(None, ctx.data),
            EditAssessment => self.edit_assessment(ctx),
            DeleteAssessment => self.ask_delete_assessment(ctx),
            ClearGrade => self.mark_cell(ctx, Mark::Empty),
            Excuse => self.mark_cell(ctx, Mark::Excused),
            Missing => self.mark_cell(ctx, Mark::Missing),
            LateDays => self.late_days_form(ctx),
            Comment => self.comment_form(ctx),
            Curve => self.curve_form(ctx),
            Filter => self.filtering = true,
            History => {
                let (Some(s), Some(course)) = (self.selected_student(), ctx.data.course()) else {
                    return false;
                };
                let student = course.students.at(s);
                let mut filter = crate::tui::history::HistoryFilter {
                    course: Some(course.name.clone()),
                    student: Some((student.name.to_string(), student.profile.id.clone())),
                    ..Default::default()
                };
                let mut title = format!("History of {}", student.name);
                if let Some(a) = self.selected_assessment(course) {
                    let name = course.assessments[a].name.clone();
                    title.push_str(&format!(" · {name}"));
                    filter.assessment = Some(name);
                }
                ctx.history(title, filter);
            }
            ToggleWithdrawn => {
                self.hide_withdrawn = !self.hide_withdrawn;
                self.reorder(ctx.data);
                ctx.say(
                    Tone::Info,
                    if self.hide_withdrawn {
                        "Withdrawn students hidden (W shows them)"
                    } else {
                        "Withdrawn students shown, dimmed (W hides them)"
                    },
                );
            }
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
                let mut form = files::export_form(FormKind::Export, Kind::Grades, name);
                form.fields.push(crate::tui::popup::Field::new(
                    "For (grades, canvas, moodle, classroom)",
                    "grades",
                ));
                self.modal = Modal::Form(form);
            }
            _ => return false,
        }
        true
    }

    /// Opens (or rebuilds) the page of roster student `s`.
    fn open_page(&mut self, data: &Data, s: usize) {
        let Some(course) = data.course().filter(|c| s < c.students.len()) else {
            self.page = None;
            return;
        };
        let (history, _) = data.history();
        let page = crate::page::StudentPage::of(course, s, &history, data.now());
        self.page = Some(page::PageView {
            student: s,
            page,
            scroll: 0,
        });
    }

    /// Keys while a student's page is open: scroll, previous and next student, edit who
    /// they are, history; Esc goes back to the grid.
    fn page_action(&mut self, action: Action, ctx: &mut Ctx) -> bool {
        use Action::*;
        let Some(view) = &mut self.page else {
            return false;
        };
        match action {
            Down => view.scroll = view.scroll.saturating_add(1),
            Up => view.scroll = view.scroll.saturating_sub(1),
            PageDown => view.scroll = view.scroll.saturating_add(10),
            PageUp => view.scroll = view.scroll.saturating_sub(10),
            Home => view.scroll = 0,
            Cancel => self.page = None,
            Left | Right => {
                let student = view.student;
                let at = self.order.iter().position(|&s| s == student).unwrap_or(0);
                let next = if action == Right {
                    (at + 1).min(self.order.len().saturating_sub(1))
                } else {
                    at.saturating_sub(1)
                };
                if let Some(&s) = self.order.get(next) {
                    self.row = next;
                    self.open_page(ctx.data, s);
                }
            }
            Edit | Open => {
                let student = view.student;
                if let Some(row) = self.order.iter().position(|&s| s == student) {
                    self.row = row;
                }
                self.col = 0;
                self.edit(ctx);
            }
            History => return self.browse(History, ctx),
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
            let s = course.students.at(student);
            let p = &s.profile;
            let text = |v: &Option<String>| v.clone().unwrap_or_default();
            self.open_form(
                FormKind::EditStudent(student),
                "The student (empty fields are none)",
                &[
                    ("Name", s.name.to_string()),
                    ("Id", text(&p.id)),
                    ("E-mail", text(&p.email)),
                    ("Section", text(&p.section)),
                    ("Status (active/withdrawn)", p.status.name().to_string()),
                    ("Note (private)", text(&p.note)),
                ],
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
        let value = s.marks.get(assessment).unwrap_or_default().text();
        self.entry = Some(Entry {
            student,
            assessment,
            fresh: !value.is_empty(),
            input: Input::new(value),
            error: None,
            bonus: None,
        });
    }

    fn entry_action(&mut self, action: Action, ctx: &mut Ctx) -> bool {
        let Some(entry) = self.entry.as_mut() else {
            return false;
        };
        if let Some(points) = entry.bonus.take() {
            match action {
                Action::Confirm => self.save_entry(ctx, Mark::Points(points)),
                Action::Quit => return false,
                _ => {}
            }
            return true;
        }
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

    /// Reads the grade typed: points, `EX` or `M`; nothing typed changes nothing. Points
    /// above the max points are saved once the teacher says they are bonus.
    fn submit_entry(&mut self, ctx: &mut Ctx) {
        let (Some(entry), Some(course)) = (self.entry.as_mut(), ctx.data.course()) else {
            return;
        };
        let text = entry.input.value().trim().to_string();
        if text.is_empty() {
            return self.next_entry(ctx);
        }
        let max = course
            .assessments
            .get(entry.assessment)
            .map_or(100.0, |a| a.max_points);
        match Mark::parse(&text) {
            Ok(Mark::Points(p)) if p > max && p <= 2.0 * max => entry.bonus = Some(p),
            Ok(mark) => self.save_entry(ctx, mark),
            Err(e) => {
                entry.error = Some(e.to_string());
                entry.fresh = true;
            }
        }
    }

    /// Saves `mark` in the cell being typed into (its late days and comment kept) and
    /// moves on.
    fn save_entry(&mut self, ctx: &mut Ctx, mark: Mark) {
        let (Some(entry), Some(c), Some(course)) = (
            self.entry.as_mut(),
            ctx.data.course_index(),
            ctx.data.course(),
        ) else {
            return;
        };
        let old = course.students.at(entry.student).cell(entry.assessment);
        let cell_entry = CellEntry {
            course: c,
            student: entry.student,
            assessment: entry.assessment,
            cell: old.with_mark(mark),
        };
        let result = ctx.data.book().set_cell(cell_entry);
        if let Err(e) = result.and_then(|cmd| ctx.data.execute(cmd)) {
            entry.error = Some(e.to_string());
            entry.fresh = true;
            return;
        }
        self.next_entry(ctx);
    }

    /// The next student in the order shown before the change (a re-sort after it must
    /// not skip or repeat anyone), in the same assessment; or the end.
    fn next_entry(&mut self, ctx: &mut Ctx) {
        let Some(assessment) = self.entry.as_ref().map(|e| e.assessment) else {
            return;
        };
        let next = self.order.get(self.row + 1).copied();
        match (next, ctx.data.course()) {
            (Some(next), Some(course)) => {
                self.select_student(next);
                self.start_entry(next, assessment, course);
            }
            _ => {
                self.entry = None;
                let name = ctx
                    .data
                    .course()
                    .and_then(|c| c.assessments.get(assessment))
                    .map_or(DEFAULT_ASSESSMENT, |a| a.name.as_str());
                let said = format!("Last student in {} graded", crate::text::quote(name));
                ctx.say(Tone::Success, said);
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
                // In the category of the column selected, if any.
                Assessment {
                    category: self
                        .selected_assessment(course)
                        .map_or(0, |s| course.assessments[s].category),
                    ..Assessment::named("")
                },
            ),
        };
        let category = course
            .categories
            .get(a.category)
            .map_or_else(String::new, |k| k.name.clone());
        let fields = [
            ("Name", a.name),
            ("Weight", fmt_num(a.weight)),
            ("Max points", fmt_num(a.max_points)),
            ("Category", category),
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
                course.students.at(s).name
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

    /// The selected cell with `mark` (a second press of the same mark takes it back);
    /// its comment stays, late days go with points.
    fn mark_cell(&mut self, ctx: &mut Ctx, mark: Mark) {
        let Some((c, student, assessment)) = self.selected_cell(ctx.data) else {
            return;
        };
        let Some(course) = ctx.data.course() else {
            return;
        };
        let old = course.students.at(student).cell(assessment);
        // Pressed again, the mark goes and what the cell held before comes back.
        let mark = if old.mark == mark {
            match self.unmarked {
                Some((s, a, before)) if (s, a) == (student, assessment) => before,
                _ => Mark::Empty,
            }
        } else {
            if !matches!(old.mark, Mark::Excused | Mark::Missing) {
                self.unmarked = Some((student, assessment, old.mark));
            }
            mark
        };
        let cmd = Command::SetCell(CellEntry {
            course: c,
            student,
            assessment,
            cell: old.with_mark(mark),
        });
        let said = cmd.summary(ctx.data.book());
        match ctx.data.execute(cmd) {
            Ok(Outcome::Changed) => ctx.say(Tone::Success, format!("{said} (u undoes it)")),
            Ok(Outcome::Unchanged) => ctx.say(Tone::Info, "Nothing to clear"),
            Err(e) => ctx.say(Tone::Error, e.to_string()),
        }
    }

    /// The course, student and assessment of the selected cell, if it is one.
    fn selected_cell(&self, data: &Data) -> Option<(usize, usize, usize)> {
        let course = data.course()?;
        Some((
            data.course_index()?,
            self.selected_student()?,
            self.selected_assessment(course)?,
        ))
    }

    fn late_days_form(&mut self, ctx: &mut Ctx) {
        let Some((_, student, assessment)) = self.selected_cell(ctx.data) else {
            return ctx.say(Tone::Info, "Select a grade (l or →) to say it was late");
        };
        let Some(course) = ctx.data.course() else {
            return;
        };
        if !matches!(
            course.students.at(student).mark(assessment),
            Mark::Points(_)
        ) {
            return ctx.say(
                Tone::Info,
                "Late days go with points: grade the cell first (e or Enter)",
            );
        }
        let days = course.students.at(student).late_days(assessment);
        let title = format!(
            "{} · {}: days late{}",
            course.students.at(student).name,
            course.assessments[assessment].name,
            course
                .late_policy
                .map_or(" (the course has no late policy)".into(), |p| format!(
                    " (−{}% a day, at most −{}%)",
                    fmt_num(p.per_day),
                    fmt_num(p.max)
                ))
        );
        let form = Form::new(
            FormKind::LateDays {
                student,
                assessment,
            },
            title,
            &[("Days late", days.to_string())],
        );
        self.modal = Modal::Form(form);
    }

    fn comment_form(&mut self, ctx: &mut Ctx) {
        let Some((_, student, assessment)) = self.selected_cell(ctx.data) else {
            return ctx.say(Tone::Info, "Select a grade (l or →) to comment on it");
        };
        let Some(course) = ctx.data.course() else {
            return;
        };
        let comment = course
            .students
            .at(student)
            .comment(assessment)
            .unwrap_or_default()
            .to_string();
        let title = format!(
            "{} · {}: comment (empty removes it)",
            course.students.at(student).name,
            course.assessments[assessment].name
        );
        let mut form = Form::new(
            FormKind::Comment {
                student,
                assessment,
            },
            title,
            &[("Comment", comment.clone())],
        );
        // Typing adds to the comment; the whole of it reads below the field.
        for field in &mut form.fields {
            field.fresh = false;
        }
        if !comment.is_empty() {
            form.note = Some(comment);
        }
        self.modal = Modal::Form(form);
    }

    fn curve_form(&mut self, ctx: &mut Ctx) {
        let Some(course) = ctx.data.course() else {
            return;
        };
        let Some(a) = self.selected_assessment(course) else {
            return ctx.say(
                Tone::Info,
                "Move to an assessment column (l or →) to curve it",
            );
        };
        self.modal = Modal::Form(crate::tui::policy::curve_form(
            FormKind::Curve(a),
            course,
            a,
        ));
        self.refresh_preview(ctx);
    }

    /// Keeps the open form's preview (whose letter a curve would change) up to date.
    fn refresh_preview(&mut self, ctx: &mut Ctx) {
        let Modal::Form(form) = &self.modal else {
            return;
        };
        let FormKind::Curve(a) = form.kind else {
            return;
        };
        let note = crate::tui::policy::curve_note(form, ctx.data, a);
        if let Some(form) = self.modal.form_mut() {
            form.note = note;
        }
    }

    fn modal_action(&mut self, action: Action, ctx: &mut Ctx) -> bool {
        match self.modal.handle(action) {
            Reply::Ignored => return false,
            Reply::Done => self.refresh_preview(ctx),
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
                let mut student = Student::new(name, 0);
                student.profile = profile_of(form, Profile::default())?;
                ctx.data
                    .execute(Command::InsertStudents {
                        course: c,
                        index,
                        students: vec![student],
                    })
                    .map_err(err)?;
                select.0 = Some(index);
            }
            FormKind::EditStudent(student) => {
                let old = ctx
                    .data
                    .course()
                    .and_then(|c| c.students.get(student))
                    .ok_or("that student no longer exists")?
                    .profile
                    .clone();
                let profile = profile_of(form, old)?;
                let rename = Command::RenameStudent {
                    course: c,
                    student,
                    name,
                };
                // An id first when there is one (a name shared with students who have ids
                // can then be taken); else the name first, before an id goes.
                let with_id = profile.id.is_some();
                let set = Command::SetProfile {
                    course: c,
                    student,
                    profile,
                };
                let both = if with_id {
                    [set, rename]
                } else {
                    [rename, set]
                };
                // Only what changed, so that the undo history says it plainly.
                let cmd = Command::Batch(
                    both.into_iter()
                        .filter(|c| ctx.data.book().changes(c))
                        .collect(),
                );
                let said = cmd.summary(ctx.data.book());
                let outcome = ctx.data.execute(cmd).map_err(|e| match e {
                    crate::error::ModelError::Invalid(ref m) if m.contains("id") => {
                        Mistake::at(1, e)
                    }
                    e => Mistake::at(0, e),
                })?;
                if outcome == Outcome::Changed {
                    ctx.say(
                        Tone::Success,
                        format!("{} (u undoes it)", capitalise(&said)),
                    );
                }
            }
            FormKind::AddAssessment | FormKind::EditAssessment(_) => {
                select.1 = Some(submit_assessment(form, ctx)? + 1);
            }
            FormKind::LateDays {
                student,
                assessment,
            } => submit_cell(form, ctx, student, assessment)?,
            FormKind::Comment {
                student,
                assessment,
            } => submit_cell(form, ctx, student, assessment)?,
            FormKind::Curve(a) => {
                let cmd = crate::tui::policy::curve_command(form, ctx.data, a)?;
                let effect = crate::tui::preview::done(ctx.data, cmd.clone());
                let label = ctx
                    .data
                    .course()
                    .map(|course| crate::tui::policy::curve_label(course, a, form))
                    .unwrap_or_default();
                ctx.data.execute_as(cmd, label.clone())?;
                ctx.say(
                    Tone::Success,
                    format!("{}. {} (u undoes it)", capitalise(&label), effect),
                );
            }
            FormKind::Import | FormKind::ImportLms => {
                let confirmed = form.kind == FormKind::ImportLms;
                if let files::Imported::Preview(summary) =
                    files::import_grades(ctx, form.value(0), confirmed)?
                {
                    // The LMS export's changes, seen before they are made: Enter again.
                    let path = form.value(0).to_string();
                    let mut next = Form::new(
                        FormKind::ImportLms,
                        "Import this LMS export?",
                        &[("File", path)],
                    )
                    .submit_as("import");
                    next.note = Some(summary);
                    self.modal = Modal::Form(next);
                    return Ok(());
                }
            }
            FormKind::Export => match form.value(1).trim().to_ascii_lowercase().as_str() {
                "" | "grades" | "csv" => files::export(ctx, Kind::Grades, form.value(0))?,
                "canvas" => {
                    files::export_lms(ctx, crate::interop::lms::System::Canvas, form.value(0))?
                }
                "moodle" => {
                    files::export_lms(ctx, crate::interop::lms::System::Moodle, form.value(0))?
                }
                "classroom" | "google classroom" => {
                    files::export_lms(ctx, crate::interop::lms::System::Classroom, form.value(0))?
                }
                other => {
                    return Err(Mistake::at(
                        1,
                        format!(
                            "grades, canvas, moodle or classroom, not {}",
                            crate::text::quote(other)
                        ),
                    ));
                }
            },
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
        } else if self.entry.as_ref().is_some_and(|e| e.bonus.is_some()) {
            Context::Confirm
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
        if self.page.is_some() {
            return self.page_action(action, ctx);
        }
        self.browse(action, ctx)
    }

    fn data_changed(&mut self, data: &Data, change: Change) {
        if change == Change::Course {
            self.page = None;
        }
        if let Some(view) = &self.page {
            let (student, scroll) = (view.student, view.scroll);
            self.open_page(data, student);
            if let Some(view) = &mut self.page {
                view.scroll = scroll;
            }
        }
        match change {
            Change::Grade { student, .. } => self.grade_changed(data, student),
            Change::Other => self.roster_changed(data),
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
                self.roster_changed(data);
            }
        }
    }

    fn draw(&self, frame: &mut Frame, area: Rect, data: &Data) -> Measured {
        let Some(course) = data.course() else {
            return self.seen;
        };
        if let Some(view) = &self.page {
            page::draw(view, frame, area);
            self.modal.draw(frame);
            return self.seen;
        }
        // The average row sits right under the last student, or at the bottom when they
        // fill the screen.
        // Under it, the selected student and cell in up to three lines (one when short).
        let rows = u16::try_from(self.order.len() + 1).unwrap_or(u16::MAX);
        let info = if area.height >= 18 { 3 } else { 1 };
        let [title, table, average, selected, _] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Max(rows),
            Constraint::Length(1),
            Constraint::Length(info),
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
            if let Some(s) = self.selected_student() {
                draw_selected(course, s, self.selected_assessment(course), frame, selected);
            }
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
        if self.page.is_some() {
            return &[
                Action::Help,
                Action::Edit,
                Action::History,
                Action::Undo,
                Action::Quit,
            ];
        }
        &[
            Action::Help,
            Action::Open,
            Action::Add,
            Action::Edit,
            Action::Undo,
            Action::Quit,
        ]
    }
}

/// Adds or edits the assessment the form describes; the index of that assessment.
fn submit_assessment(form: &Form<FormKind>, ctx: &mut Ctx) -> Result<usize, Mistake> {
    let c = ctx.data.course_index().unwrap_or(0);
    let base = match form.kind {
        FormKind::EditAssessment(index) => ctx
            .data
            .course()
            .and_then(|c| c.assessments.get(index).cloned()),
        _ => None,
    }
    .unwrap_or_else(|| Assessment::named(""));
    let typed = form.value(3);
    let category = ctx
        .data
        .course()
        .and_then(|c| c.find_category(typed))
        .ok_or_else(|| {
            Mistake::at(
                3,
                format!(
                    "there is no category named {} (the Syllabus screen adds one)",
                    crate::text::quote(typed)
                ),
            )
        })?;
    let assessment = Assessment {
        name: form.value(0).to_string(),
        weight: form.number(1, "weight")?,
        max_points: form.number(2, "max points")?,
        category,
        ..base
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
                cells: Vec::new(),
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

/// Who the student is, from the form's fields 1 (id), 2 (e-mail), 3 (section), and when
/// it has them 4 (status) and 5 (note); each mistake on its own field.
fn profile_of(form: &Form<FormKind>, base: Profile) -> Result<Profile, Mistake> {
    let text = |i: usize| Some(form.value(i).to_string());
    let one = |i: usize, p: Profile| check_profile(p).map_err(|e| Mistake::at(i, e));
    one(
        1,
        Profile {
            id: text(1),
            ..Profile::default()
        },
    )?;
    one(
        2,
        Profile {
            email: text(2),
            ..Profile::default()
        },
    )?;
    one(
        3,
        Profile {
            section: text(3),
            ..Profile::default()
        },
    )?;
    let mut profile = Profile {
        id: text(1),
        email: text(2),
        section: text(3),
        ..base
    };
    if form.fields.len() > 4 {
        profile.status = Status::parse(form.value(4)).ok_or_else(|| {
            Mistake::at(
                4,
                format!(
                    "the status is active or withdrawn, not {}",
                    crate::text::quote(form.value(4))
                ),
            )
        })?;
        profile.note = text(5);
        one(
            5,
            Profile {
                note: text(5),
                ..Profile::default()
            },
        )?;
    }
    Ok(check_profile(profile)?)
}

/// Late days or a comment, from the form, on a cell (its mark kept).
fn submit_cell(
    form: &Form<FormKind>,
    ctx: &mut Ctx,
    student: usize,
    assessment: usize,
) -> Result<(), Mistake> {
    let c = ctx.data.course_index().ok_or("no course")?;
    let course = ctx.data.course().ok_or("no course")?;
    let mut cell = course
        .students
        .get(student)
        .ok_or("that student no longer exists")?
        .cell(assessment);
    match form.kind {
        FormKind::LateDays { .. } => {
            let text = form.value(0).trim();
            cell.late_days = text
                .parse()
                .ok()
                .filter(|&d| d <= crate::model::MAX_LATE_DAYS)
                .ok_or_else(|| {
                    Mistake::at(
                        0,
                        format!(
                            "late days are a whole number from 0 to {}, not {}",
                            crate::model::MAX_LATE_DAYS,
                            crate::text::quote(text)
                        ),
                    )
                })?;
        }
        _ => {
            let text = form.value(0);
            cell.comment = (!text.trim().is_empty()).then(|| text.to_string());
        }
    }
    let cmd = Command::SetCell(CellEntry {
        course: c,
        student,
        assessment,
        cell,
    });
    let said = cmd.summary(ctx.data.book());
    if ctx.data.execute(cmd)? == Outcome::Changed {
        ctx.say(Tone::Success, format!("{said} (u undoes it)"));
    }
    Ok(())
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
    let name = course.students.get(entry.student).map_or("", |s| s.name);
    if let Some(error) = &entry.error {
        return Prompt {
            line: Line::styled(error.clone(), t.error),
            cursor: None,
        };
    }
    if let Some(points) = entry.bonus {
        let mut hints = keymap::hints(Context::Confirm, &[Action::Confirm, Action::Cancel]);
        if let Some(h) = hints.first_mut() {
            h.1 = "yes";
        }
        // The question and its keys first: a narrow terminal cuts the reason, not them.
        let mut spans = vec![Span::styled("Bonus? ", t.warning)];
        spans.extend(hint_spans(&hints));
        spans.push(Span::styled(
            format!(
                " · {} is above the {} points of {}",
                fmt_num(points),
                fmt_num(a.max_points),
                a.name
            ),
            t.warning,
        ));
        return Prompt {
            line: Line::from(spans),
            cursor: None,
        };
    }
    let next = screen
        .order
        .get(screen.row + 1)
        .and_then(|&s| course.students.get(s))
        .map_or("the end".to_string(), |s| s.name.to_string());
    let mut spans = vec![
        Span::styled(format!("{name} · {}", a.name), t.title),
        Span::raw(format!(
            " (0 to {} points, up to {} as bonus, EX, M), then {next}  ",
            fmt_num(a.max_points),
            fmt_num(2.0 * a.max_points)
        )),
    ];
    spans.extend(hints_for(Context::Entry, &[Action::Submit, Action::Cancel]));
    Prompt {
        line: Line::from(spans),
        cursor: None,
    }
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
fn display_order(
    course: &Course,
    stats: &LiveStats,
    sort: Sort,
    filter: &str,
    hide_withdrawn: bool,
) -> Vec<usize> {
    let needle = search_key(filter);
    // The withdrawn are among the few students with a profile: found without a pass.
    let withdrawn: Vec<usize> = if hide_withdrawn {
        course
            .students
            .extras()
            .filter(|(_, p, _)| p.withdrawn())
            .map(|(i, _, _)| i)
            .collect()
    } else {
        Vec::new()
    };
    let mut order: Vec<usize> = course
        .students
        .names()
        .enumerate()
        .filter(|&(i, n)| name_matches(n, &needle) && withdrawn.binary_search(&i).is_err())
        .map(|(i, _)| i)
        .collect();
    let name = |i: usize| course.students.at(i).name;
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
