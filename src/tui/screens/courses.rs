//! The Courses screen: every course, the one shown marked; add, rename, delete, open, and
//! the whole gradebook in and out as JSON.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Paragraph, Row, Table, Wrap};

use super::{Ctx, Measured, Screen, ScreenId};
use crate::interop::files::Kind;
use crate::model::Command;
use crate::text::count;
use crate::tui::action::Action;
use crate::tui::data::{Change, Data};
use crate::tui::files;
use crate::tui::keymap::Context;
use crate::tui::popup::{Form, Mistake, Modal, Reply};
use crate::tui::theme::{Tone, theme};
use crate::tui::widgets::{capitalise, moved, scroll, truncate};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FormKind {
    Rename(usize),
    Import,
    Export,
}

#[derive(Debug, Clone, Default)]
pub struct CoursesScreen {
    /// Selected course.
    pub row: usize,
    seen: Measured,
    pub modal: Modal<FormKind, usize>,
}

impl CoursesScreen {
    pub fn new(data: &Data) -> Self {
        Self {
            row: data.course_index().unwrap_or(0),
            ..Self::default()
        }
    }

    fn browse(&mut self, action: Action, ctx: &mut Ctx) -> bool {
        use Action::*;
        let n = ctx.data.book().courses.len();
        match action {
            Up | Down | PageUp | PageDown | Home | End => {
                self.row = moved(self.row, action, n, self.seen.page)
            }
            Add => ctx.add_course(),
            Edit if self.row < n => {
                let name = ctx.data.book().courses[self.row].name.clone();
                self.modal = Modal::Form(Form::new(
                    FormKind::Rename(self.row),
                    "Rename the course",
                    &[("Name", name)],
                ));
            }
            Open if self.row < n => match ctx.data.open_course(self.row) {
                Ok(()) => ctx.goto(ScreenId::Gradebook),
                Err(e) => ctx.say(Tone::Error, e.to_string()),
            },
            Delete if self.row < n => {
                let c = &ctx.data.book().courses[self.row];
                self.modal = Modal::Confirm(crate::tui::popup::Confirm {
                    pending: self.row,
                    question: format!(
                        "Delete course {} with its {}?",
                        c.name,
                        count(c.students.len(), "student")
                    ),
                    yes: "delete",
                });
            }
            History if self.row < n => {
                let name = ctx.data.book().courses[self.row].name.clone();
                let filter = crate::tui::history::HistoryFilter {
                    course: Some(name.clone()),
                    ..Default::default()
                };
                ctx.history(format!("History of {}", crate::text::quote(&name)), filter);
            }
            Import => self.modal = Modal::Form(files::import_form(FormKind::Import, Kind::Json)),
            Export => {
                self.modal = Modal::Form(files::export_form(FormKind::Export, Kind::Json, None))
            }
            _ => return false,
        }
        true
    }

    fn submit(&mut self, ctx: &mut Ctx) -> Result<(), Mistake> {
        let Modal::Form(form) = &self.modal else {
            return Ok(());
        };
        match form.kind {
            FormKind::Rename(course) => {
                let name = form.value(0).to_string();
                ctx.data.execute(Command::RenameCourse { course, name })?;
            }
            FormKind::Import => files::import(ctx, Kind::Json, form.value(0))?,
            FormKind::Export => files::export(ctx, Kind::Json, form.value(0))?,
        }
        self.modal = Modal::None;
        Ok(())
    }

    fn delete(&mut self, index: usize, ctx: &mut Ctx) {
        let cmd = Command::RemoveCourse { index };
        let said = cmd.summary(ctx.data.book());
        match ctx.data.execute(cmd) {
            Ok(_) => ctx.say(
                Tone::Success,
                format!("{} (u undoes it)", capitalise(&said)),
            ),
            Err(e) => ctx.say(Tone::Error, e.to_string()),
        }
    }
}

impl Screen for CoursesScreen {
    fn context(&self) -> Context {
        self.modal
            .context()
            .unwrap_or(Context::On(ScreenId::Courses))
    }

    fn update(&mut self, action: Action, ctx: &mut Ctx) -> bool {
        match self.modal.handle(action) {
            Reply::Ignored if self.modal.is_open() => false,
            Reply::Ignored => self.browse(action, ctx),
            Reply::Done => true,
            Reply::Submit => {
                if let Err(e) = self.submit(ctx) {
                    self.modal.fail(e);
                }
                true
            }
            Reply::Confirmed(index) => {
                self.delete(index, ctx);
                true
            }
            Reply::Declined => {
                ctx.say(Tone::Info, "Nothing deleted");
                true
            }
        }
    }

    fn data_changed(&mut self, data: &Data, change: Change) {
        let n = data.book().courses.len();
        if change == Change::Course {
            self.row = data.course_index().unwrap_or(0);
        }
        self.row = self.row.min(n.saturating_sub(1));
    }

    fn draw(&self, frame: &mut Frame, area: Rect, data: &Data) -> Measured {
        let t = theme();
        let book = data.book();
        if book.courses.is_empty() {
            let text =
                "No courses yet. Press a to add one, or L to load the tutorial's sample class.";
            frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
            self.modal.draw(frame);
            return self.seen;
        }
        let page = area.height.saturating_sub(1).max(1) as usize;
        let offset = scroll(self.seen.offset, self.row, page, book.courses.len());
        // Narrow terminals keep the name and drop the details.
        let wide = area.width >= 60;
        let details = if wide { 9 + 12 + 17 } else { 9 };
        // The names take what they need, not the whole width (the numbers stay by them).
        let longest = book
            .courses
            .iter()
            .map(|c| unicode_width::UnicodeWidthStr::width(c.name.as_str()))
            .max()
            .unwrap_or(0)
            .max(6);
        let name_w = area
            .width
            .saturating_sub(2 + details + 1)
            .min(u16::try_from(longest).unwrap_or(u16::MAX))
            .max(8);
        let rows = book
            .courses
            .iter()
            .enumerate()
            .skip(offset)
            .take(page)
            .map(|(i, c)| {
                let mark = if data.course_index() == Some(i) {
                    "▶"
                } else {
                    " "
                };
                let updated = crate::text::local_time(c.last_updated);
                let mut cells = vec![
                    Cell::from(mark),
                    Cell::from(truncate(&c.name, name_w as usize)),
                    Cell::from(Line::from(c.students.len().to_string()).right_aligned()),
                ];
                if wide {
                    cells.push(Cell::from(
                        Line::from(c.assessments.len().to_string()).right_aligned(),
                    ));
                    cells.push(Cell::from(
                        updated.get(..16).unwrap_or(&updated).to_string(),
                    ));
                }
                let row = Row::new(cells);
                if i == self.row {
                    row.style(t.selected_row)
                } else {
                    row
                }
            });
        let widths = [
            Constraint::Length(1),
            Constraint::Length(name_w),
            Constraint::Length(8),
            Constraint::Length(11),
            Constraint::Length(16),
        ];
        let columns = if wide { 5 } else { 3 };
        let titles = ["", "Course", "Students", "Assessments", "Last updated"];
        let header = Row::new(titles[..columns].iter().copied()).style(t.header);
        frame.render_widget(Table::new(rows, &widths[..columns]).header(header), area);
        self.modal.draw(frame);
        Measured {
            page,
            offset,
            ..self.seen
        }
    }

    fn measured(&mut self, m: Measured) {
        self.seen = m;
    }

    fn hints(&self) -> &'static [Action] {
        &[
            Action::Help,
            Action::Open,
            Action::Add,
            Action::Delete,
            Action::Quit,
        ]
    }
}
