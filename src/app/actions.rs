//! What the changing actions do: open forms, submit them, confirm deletes.

use crossterm::event::Event;

use super::{Action, App, Form, FormKind, Mode, Pending, Screen, Tone};
use crate::model::{
    Assessment, Command, Course, DEFAULT_ASSESSMENT, GradeEntry, Student, Thresholds, fmt_num,
    parse_number,
};

impl App {
    pub(super) fn start_add(&mut self) {
        if self.screen == Screen::Courses || self.course().is_none() {
            let name = [("Name", String::new())];
            return self.open_form(FormKind::AddCourse, "Add a course", &name);
        }
        match self.screen {
            Screen::Predictor => self.start_add_observation(),
            _ => self.open_form(
                FormKind::AddStudent,
                "Add a student",
                &[("Name", String::new())],
            ),
        }
    }

    pub(super) fn start_edit(&mut self) {
        match self.screen {
            Screen::Courses => {
                let Some(c) = self.editor.book.courses.get(self.course_row) else {
                    return;
                };
                let name = c.name.clone();
                self.open_form(
                    FormKind::RenameCourse(self.course_row),
                    "Rename the course",
                    &[("Name", name)],
                );
            }
            Screen::Gradebook => {
                let Some(&student) = self.view.order.get(self.row) else {
                    return;
                };
                if self.col == 0 {
                    let name = self
                        .course()
                        .map(|c| c.students[student].name.clone())
                        .unwrap_or_default();
                    self.open_form(
                        FormKind::RenameStudent(student),
                        "Rename the student",
                        &[("Name", name)],
                    );
                } else {
                    self.open_grade_form(student, self.col - 1);
                }
            }
            Screen::Predictor => self.start_query(),
            Screen::Statistics => self.start_thresholds(),
        }
    }

    fn open_form(&mut self, kind: FormKind, title: &str, fields: &[(&'static str, String)]) {
        self.mode = Mode::Form(Form::new(kind, title, fields));
    }

    pub(super) fn open_grade_form(&mut self, student: usize, assessment: usize) {
        let Some(course) = self.course() else { return };
        let first = Assessment::named(DEFAULT_ASSESSMENT);
        // No assessment yet: the first grade creates `Grade`.
        let a = if course.assessments.is_empty() && assessment == 0 {
            Some(&first)
        } else {
            course.assessments.get(assessment)
        };
        let (Some(s), Some(a)) = (course.students.get(student), a) else {
            return;
        };
        let title = format!(
            "{} · {} (0 to {} points)",
            s.name,
            a.name,
            fmt_num(a.max_points)
        );
        let value = s
            .grades
            .get(assessment)
            .copied()
            .flatten()
            .map(fmt_num)
            .unwrap_or_default();
        self.open_form(
            FormKind::Grade {
                student,
                assessment,
            },
            &title,
            &[("Points", value)],
        );
    }

    fn start_thresholds(&mut self) {
        let Some(t) = self.course().map(|c| c.thresholds) else {
            return;
        };
        let fields = [
            ("A from", fmt_num(t.a)),
            ("B from", fmt_num(t.b)),
            ("C from", fmt_num(t.c)),
            ("D from", fmt_num(t.d)),
        ];
        self.open_form(
            FormKind::Thresholds,
            "Letter grades (final % at least)",
            &fields,
        );
    }

    pub(super) fn start_assessment_form(&mut self, edit: Option<usize>) {
        if self.screen != Screen::Gradebook || self.course().is_none() {
            return;
        }
        let (kind, title, a) =
            match edit.and_then(|i| self.course().and_then(|c| c.assessments.get(i))) {
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

    pub(super) fn start_edit_assessment(&mut self) {
        if self.col == 0 {
            self.say(
                Tone::Info,
                "Move to an assessment column (l or →) to edit it",
            );
        } else {
            self.start_assessment_form(Some(self.col - 1));
        }
    }

    pub(super) fn ask_delete(&mut self) {
        let pending = match self.screen {
            Screen::Gradebook => self.view.order.get(self.row).map(|&s| Pending::Student(s)),
            Screen::Courses => (self.course_row < self.editor.book.courses.len())
                .then_some(Pending::Course(self.course_row)),
            Screen::Predictor => (self.obs_row < self.course().map_or(0, |c| c.study.len()))
                .then_some(Pending::Observation(self.obs_row)),
            Screen::Statistics => None,
        };
        if let Some(p) = pending {
            self.mode = Mode::Confirm(p);
        }
    }

    pub(super) fn ask_delete_assessment(&mut self) {
        if self.col == 0 {
            self.say(
                Tone::Info,
                "Move to an assessment column (l or →) to delete it",
            );
        } else if self
            .course()
            .is_some_and(|c| self.col <= c.assessments.len())
        {
            self.mode = Mode::Confirm(Pending::Assessment(self.col - 1));
        }
    }

    /// What a pending delete would remove, in words, for the confirmation popup.
    pub fn describe(&self, p: &Pending) -> String {
        let book = &self.editor.book;
        let course = self.course();
        match p {
            Pending::Student(i) => course
                .and_then(|c| c.students.get(*i))
                .map_or_else(String::new, |s| {
                    format!("Delete student {} and their grades?", s.name)
                }),
            Pending::Assessment(i) => course
                .and_then(|c| c.assessments.get(*i))
                .map_or_else(String::new, |a| {
                    format!("Delete assessment {} and all its grades?", a.name)
                }),
            Pending::Course(i) => book.courses.get(*i).map_or_else(String::new, |c| {
                format!(
                    "Delete course {} with its {} students?",
                    c.name,
                    c.students.len()
                )
            }),
            Pending::Observation(i) => {
                course
                    .and_then(|c| c.study.get(*i))
                    .map_or_else(String::new, |o| {
                        format!(
                            "Delete the observation {} h → {}?",
                            fmt_num(o.hours),
                            fmt_num(o.score)
                        )
                    })
            }
        }
    }

    pub(super) fn update_confirm(&mut self, action: Action) -> Option<Action> {
        let Mode::Confirm(pending) = std::mem::replace(&mut self.mode, Mode::Normal) else {
            return None;
        };
        if action != Action::Confirm {
            self.say(Tone::Info, "Nothing deleted");
            return None;
        }
        let what = self.describe(&pending);
        let c = self.view.course.unwrap_or(0);
        let cmd = match pending {
            Pending::Student(index) => Command::RemoveStudents {
                course: c,
                index,
                count: 1,
            },
            Pending::Assessment(index) => Command::RemoveAssessment { course: c, index },
            Pending::Course(index) => Command::RemoveCourse { index },
            Pending::Observation(index) => Command::RemoveObservations {
                course: c,
                index,
                count: 1,
            },
        };
        let course_removed = matches!(cmd, Command::RemoveCourse { .. });
        match self.execute(cmd) {
            Ok(()) => {
                if course_removed {
                    self.select_any_course();
                }
                let done = what.trim_start_matches("Delete ").trim_end_matches('?');
                self.say(Tone::Success, format!("Deleted {done} (u to undo)"));
            }
            Err(e) => self.say(Tone::Error, e),
        }
        None
    }

    /// After the current course went away, show another one.
    fn select_any_course(&mut self) {
        if self.editor.book.current_course().is_none() && !self.editor.book.courses.is_empty() {
            self.editor.book.current = Some(0);
            self.refresh();
        }
    }

    pub(super) fn clear_grade(&mut self) {
        let (Some(&student), Some(c)) = (self.view.order.get(self.row), self.view.course) else {
            return;
        };
        if self.col == 0
            || self
                .course()
                .is_some_and(|c| self.col > c.assessments.len())
        {
            return;
        }
        let entry = GradeEntry {
            course: c,
            student,
            assessment: self.col - 1,
            points: None,
        };
        match self.execute(Command::SetGrade(entry)) {
            Ok(()) => self.say(Tone::Success, "Grade cleared (u to undo)"),
            Err(e) => self.say(Tone::Error, e),
        }
    }

    pub(super) fn load_sample(&mut self) {
        let result = crate::sample::course(self.clock.now()).and_then(|course| {
            let index = self.editor.book.courses.len();
            self.execute(Command::InsertCourse {
                index,
                course: Box::new(course),
            })?;
            Ok(index)
        });
        match result {
            Ok(index) => {
                self.switch_course(index);
                self.say(Tone::Success, "Added the sample class (u to undo)");
            }
            Err(e) => self.say(Tone::Error, e),
        }
    }

    /// Adds the tutorial's 30 study-hours points to the course shown.
    pub(super) fn load_sample_points(&mut self) {
        let Some(c) = self.view.course else {
            return self.say(
                Tone::Info,
                "Add a course first (a), or L elsewhere for the sample class",
            );
        };
        let index = self.course().map_or(0, |c| c.study.len());
        let result = crate::sample::sample_observations().and_then(|observations| {
            self.execute(Command::InsertObservations {
                course: c,
                index,
                observations,
            })
        });
        match result {
            Ok(()) => self.say(
                Tone::Success,
                "Added the tutorial's 30 observations (u to undo)",
            ),
            Err(e) => self.say(Tone::Error, e),
        }
    }

    pub(super) fn open_course(&mut self) {
        if self.course_row < self.editor.book.courses.len() {
            self.switch_course(self.course_row);
            self.screen = Screen::Gradebook;
        }
    }

    /// Shows course `index`; remembered in the file as the course last used.
    fn switch_course(&mut self, index: usize) {
        if self.editor.book.current != Some(index) {
            self.editor.book.current = Some(index);
            self.request_save();
        }
        self.course_row = index;
        self.row = 0;
        self.col = 0;
        self.filter.reset();
        self.refresh();
    }

    pub(super) fn update_form(&mut self, action: Action) -> Option<Action> {
        let Mode::Form(form) = &mut self.mode else {
            return None;
        };
        match action {
            Action::Quit => return self.quit(),
            Action::Cancel => self.mode = Mode::Normal,
            Action::NextField => form.next_field(),
            Action::PrevField => form.prev_field(),
            Action::Input(key) => {
                if let Some(req) = tui_input::backend::crossterm::to_input_request(&Event::Key(key))
                {
                    form.edit(req);
                }
            }
            Action::Submit => {
                let form = form.clone();
                match self.submit(&form) {
                    Ok(()) => {}
                    Err(e) => {
                        if let Mode::Form(f) = &mut self.mode {
                            f.error = Some(e);
                        }
                    }
                }
            }
            _ => {}
        }
        None
    }

    /// Turns a filled form into a change. On error the form stays open with the message.
    fn submit(&mut self, form: &Form) -> Result<(), String> {
        let c = self.view.course.unwrap_or(0);
        let name = form.value(0).to_string();
        match form.kind {
            FormKind::AddCourse => {
                let index = self.editor.book.courses.len();
                let course = Course::new(name, self.clock.now());
                self.execute(Command::InsertCourse {
                    index,
                    course: Box::new(course),
                })?;
                self.mode = Mode::Normal;
                self.switch_course(index);
                self.say(
                    Tone::Success,
                    "Course added. Press a to add students, A to add an assessment.",
                );
            }
            FormKind::RenameCourse(course) => {
                self.execute(Command::RenameCourse { course, name })?;
                self.mode = Mode::Normal;
            }
            FormKind::AddStudent => {
                let index = self.course().map_or(0, |c| c.students.len());
                let student = Student {
                    name,
                    grades: Vec::new(),
                };
                let students = vec![student];
                self.execute(Command::InsertStudents {
                    course: c,
                    index,
                    students,
                })?;
                self.mode = Mode::Normal;
                self.select_student(index);
            }
            FormKind::RenameStudent(student) => {
                self.execute(Command::RenameStudent {
                    course: c,
                    student,
                    name,
                })?;
                self.mode = Mode::Normal;
            }
            FormKind::AddAssessment | FormKind::EditAssessment(_) => {
                let weight = parse_number("weight", form.value(1)).map_err(|e| e.to_string())?;
                let max_points =
                    parse_number("max points", form.value(2)).map_err(|e| e.to_string())?;
                let assessment = Assessment {
                    name,
                    weight,
                    max_points,
                };
                let index = match form.kind {
                    FormKind::EditAssessment(index) => index,
                    _ => self.course().map_or(0, |c| c.assessments.len()),
                };
                let cmd = match form.kind {
                    FormKind::EditAssessment(_) => Command::EditAssessment {
                        course: c,
                        index,
                        assessment,
                    },
                    _ => Command::InsertAssessment {
                        course: c,
                        index,
                        assessment,
                        grades: Vec::new(),
                    },
                };
                self.execute(cmd)?;
                self.col = index + 1;
                self.mode = Mode::Normal;
            }
            FormKind::Grade {
                student,
                assessment,
            } => self.submit_grade(c, student, assessment, form.value(0))?,
            FormKind::AddObservation | FormKind::Query => self.submit_predictor(form)?,
            FormKind::Thresholds => {
                let read = |i: usize, what: &str| {
                    parse_number(what, form.value(i)).map_err(|e| e.to_string())
                };
                let thresholds = Thresholds {
                    a: read(0, "A")?,
                    b: read(1, "B")?,
                    c: read(2, "C")?,
                    d: read(3, "D")?,
                };
                self.execute(Command::SetThresholds {
                    course: c,
                    thresholds,
                })?;
                self.mode = Mode::Normal;
            }
            FormKind::Import(kind) => self.submit_file(kind, true, form.value(0))?,
            FormKind::Export(kind) => self.submit_file(kind, false, form.value(0))?,
        }
        Ok(())
    }

    /// Saves a grade (an empty field changes nothing) and moves to the next student.
    fn submit_grade(
        &mut self,
        c: usize,
        student: usize,
        assessment: usize,
        text: &str,
    ) -> Result<(), String> {
        // The next student by the order shown now: re-sorting after the change must not
        // make fast entry skip or repeat anyone.
        let next = self.view.order.get(self.row + 1).copied();
        if !text.trim().is_empty() {
            let points = parse_number("points", text).map_err(|e| e.to_string())?;
            let entry = GradeEntry {
                course: c,
                student,
                assessment,
                points: Some(points),
            };
            let cmd = if self.course().is_some_and(|c| c.assessments.is_empty()) {
                let first = Assessment::named(DEFAULT_ASSESSMENT);
                let create = Command::InsertAssessment {
                    course: c,
                    index: 0,
                    assessment: first,
                    grades: Vec::new(),
                };
                Command::Batch(vec![create, Command::SetGrade(entry)])
            } else {
                Command::SetGrade(entry)
            };
            self.execute(cmd)?;
        }
        if let Some(next) = next {
            self.select_student(next);
            self.open_grade_form(next, assessment);
        } else {
            self.mode = Mode::Normal;
            self.say(Tone::Success, "Last student graded");
        }
        Ok(())
    }

    /// Selects the student with roster index `student` if shown.
    fn select_student(&mut self, student: usize) {
        if let Some(row) = self.view.order.iter().position(|&s| s == student) {
            self.row = row;
        }
    }
}
