//! The Syllabus screen: the course's categories (weight as a share of the final, drops,
//! mode) and the assessments of the selected one (weight, max points, extra credit, never
//! dropped), the letters and the late policy. Every change of policy shows, before it is
//! applied, whose letter it would change.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, TableState, Wrap};

use super::{Ctx, Measured, Screen, ScreenId};
use crate::model::{Assessment, Command, Course, Outcome, fmt_num};
use crate::tui::action::Action;
use crate::tui::data::{Change, Data};
use crate::tui::keymap::Context;
use crate::tui::policy;
use crate::tui::popup::{Confirm, Form, Mistake, Modal, Reply};
use crate::tui::theme::{Tone, theme};
use crate::tui::widgets::{capitalise, moved, truncate};

/// Which list the keys move in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pane {
    #[default]
    Categories,
    Assessments,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FormKind {
    AddCategory,
    EditCategory(usize),
    /// Where the assessments of a category being deleted go.
    DeleteCategory(usize),
    EditAssessment(usize),
    MoveAssessment(usize),
    Curve(usize),
    Letters,
    LatePolicy,
}

#[derive(Debug, Clone, Default)]
pub struct SyllabusScreen {
    pub pane: Pane,
    /// Selected category.
    pub category: usize,
    /// Selected row in the category's assessments.
    pub assessment: usize,
    seen: Measured,
    /// A form, or a question: delete this (empty) category? apply this flag?
    pub modal: Modal<FormKind, Pending>,
}

/// What yes to a question does.
#[derive(Debug, Clone)]
pub enum Pending {
    /// Delete this category, which holds no assessment.
    DeleteCategory(usize),
    /// Make this change (its words for the message and undo).
    Apply(Box<Command>, String),
}

/// The assessments of category `k`, in course order.
fn members(course: &Course, k: usize) -> Vec<usize> {
    course.assessments_in(k).collect()
}

impl SyllabusScreen {
    fn selected_assessment(&self, course: &Course) -> Option<usize> {
        members(course, self.category).get(self.assessment).copied()
    }

    fn browse(&mut self, action: Action, ctx: &mut Ctx) -> bool {
        use Action::*;
        let Some(course) = ctx.data.course() else {
            if action == Add {
                ctx.add_course();
                return true;
            }
            return false;
        };
        match action {
            Up | Down | PageUp | PageDown | Home | End => self.move_in_pane(action, course),
            Left => self.pane = Pane::Categories,
            Right => self.pane = Pane::Assessments,
            Add => {
                let form = policy::category_form(FormKind::AddCategory, "Add a category", None);
                self.modal = Modal::Form(form);
            }
            Edit => self.edit(ctx),
            Delete => self.ask_delete(ctx),
            MoveAssessment => self.assessment_form(ctx, true),
            ToggleExtraCredit | ToggleNeverDrop => self.toggle(ctx, action),
            Curve => self.open(ctx, |s, course| {
                let a = s.selected_assessment(course)?;
                Some(policy::curve_form(FormKind::Curve(a), course, a))
            }),
            EditLetters => self.open(ctx, |_, course| {
                Some(policy::letters_form(FormKind::Letters, course))
            }),
            EditLatePolicy => self.open(ctx, |_, course| {
                Some(policy::late_form(FormKind::LatePolicy, course))
            }),
            _ => return false,
        }
        true
    }

    fn move_in_pane(&mut self, action: Action, course: &Course) {
        match self.pane {
            Pane::Categories => {
                let before = self.category;
                self.category = moved(
                    self.category,
                    action,
                    course.categories.len(),
                    self.seen.page,
                );
                if before != self.category {
                    self.assessment = 0;
                }
            }
            Pane::Assessments => {
                let n = members(course, self.category).len();
                self.assessment = moved(self.assessment, action, n, self.seen.page);
            }
        }
    }

    /// Opens the form `make` builds from the course, with its preview.
    fn open(&mut self, ctx: &mut Ctx, make: impl FnOnce(&Self, &Course) -> Option<Form<FormKind>>) {
        let Some(form) = ctx.data.course().and_then(|c| make(self, c)) else {
            return ctx.say(Tone::Info, "Select an assessment first (l or →)");
        };
        self.modal = Modal::Form(form);
        self.refresh_preview(ctx);
    }

    fn edit(&mut self, ctx: &mut Ctx) {
        match self.pane {
            Pane::Categories => {
                let k = self.category;
                self.open(ctx, |_, course| {
                    let category = course.categories.get(k)?;
                    Some(policy::category_form(
                        FormKind::EditCategory(k),
                        "Edit the category",
                        Some(category),
                    ))
                });
            }
            Pane::Assessments => self.assessment_form(ctx, false),
        }
    }

    /// The assessment's name, weight, max points, category and flags; or, to `move`, its
    /// category alone.
    fn assessment_form(&mut self, ctx: &mut Ctx, only_category: bool) {
        self.open(ctx, |s, course| {
            let a = s.selected_assessment(course)?;
            let x = &course.assessments[a];
            let category = course.categories[x.category].name.clone();
            let yes_no = |b: bool| if b { "yes" } else { "no" }.to_string();
            let form = if only_category {
                Form::new(
                    FormKind::MoveAssessment(a),
                    format!("Move {} to the category", x.name),
                    &[("Category", category)],
                )
            } else {
                Form::new(
                    FormKind::EditAssessment(a),
                    "Edit the assessment",
                    &[
                        ("Name", x.name.clone()),
                        ("Weight", fmt_num(x.weight)),
                        ("Max points", fmt_num(x.max_points)),
                        ("Category", category),
                        ("Extra credit (yes/no)", yes_no(x.extra_credit)),
                        ("Never dropped (yes/no)", yes_no(x.never_drop)),
                    ],
                )
            };
            Some(form.submit_as("apply"))
        });
    }

    fn ask_delete(&mut self, ctx: &mut Ctx) {
        let Some(course) = ctx.data.course() else {
            return;
        };
        let Some(category) = course.categories.get(self.category) else {
            return;
        };
        if course.categories.len() == 1 {
            return ctx.say(
                Tone::Info,
                "A course keeps at least one category: add another (a) first",
            );
        }
        if members(course, self.category).is_empty() {
            self.modal = Modal::Confirm(Confirm {
                pending: Pending::DeleteCategory(self.category),
                question: format!("Delete category {}?", category.name),
                yes: "delete",
            });
            return;
        }
        let other = course
            .categories
            .iter()
            .enumerate()
            .find(|(i, _)| *i != self.category)
            .map_or(String::new(), |(_, k)| k.name.clone());
        let form = Form::new(
            FormKind::DeleteCategory(self.category),
            format!(
                "Delete {}: its assessments move to the category",
                category.name
            ),
            &[("Move them to", other)],
        );
        self.modal = Modal::Form(form.submit_as("delete"));
        self.refresh_preview(ctx);
    }

    /// Extra credit or never dropped, turned on or off once the teacher has seen whose
    /// letter it changes.
    fn toggle(&mut self, ctx: &mut Ctx, action: Action) {
        let (Some(c), Some(course)) = (ctx.data.course_index(), ctx.data.course()) else {
            return;
        };
        let Some(a) = self.selected_assessment(course) else {
            return ctx.say(Tone::Info, "Select an assessment first (l or →)");
        };
        let mut assessment = course.assessments[a].clone();
        let (what, on) = if action == Action::ToggleExtraCredit {
            assessment.extra_credit = !assessment.extra_credit;
            ("extra credit", assessment.extra_credit)
        } else {
            assessment.never_drop = !assessment.never_drop;
            ("never dropped", assessment.never_drop)
        };
        let name = crate::text::quote(&assessment.name);
        let label = if on {
            format!("made {name} {what}")
        } else {
            format!("made {name} no longer {what}")
        };
        let cmd = Command::EditAssessment {
            course: c,
            index: a,
            assessment,
        };
        let effect = crate::tui::preview::note(ctx.data, Ok(cmd.clone()));
        self.modal = Modal::Confirm(Confirm {
            question: format!(
                "{}? {effect}",
                capitalise(&label).replacen("Made", "Make", 1)
            ),
            pending: Pending::Apply(Box::new(cmd), label),
            yes: "apply",
        });
    }

    /// The change the open form describes.
    fn command(&self, form: &Form<FormKind>, data: &Data) -> Result<Command, Mistake> {
        let c = data.course_index().ok_or("no course")?;
        let course = data.course().ok_or("no course")?;
        Ok(match form.kind {
            FormKind::AddCategory => Command::InsertCategory {
                course: c,
                index: course.categories.len(),
                category: policy::category_value(form)?,
            },
            FormKind::EditCategory(index) => {
                let category = policy::category_value(form)?;
                course
                    .check_drop(index, &category)
                    .map_err(|e| Mistake::at(2, e))?;
                Command::EditCategory {
                    course: c,
                    index,
                    category,
                }
            }
            FormKind::DeleteCategory(index) => delete_category(form, course, c, index)?,
            FormKind::EditAssessment(a) | FormKind::MoveAssessment(a) => Command::EditAssessment {
                course: c,
                index: a,
                assessment: assessment_value(form, course, a)?,
            },
            FormKind::Curve(a) => policy::curve_command(form, data, a)?,
            FormKind::Letters => policy::letters_command(form, data)?,
            FormKind::LatePolicy => policy::late_command(form, data)?,
        })
    }

    fn refresh_preview(&mut self, ctx: &mut Ctx) {
        let Modal::Form(form) = &self.modal else {
            return;
        };
        let note = match form.kind {
            FormKind::AddCategory => return,
            FormKind::Curve(a) => policy::curve_note(form, ctx.data, a),
            _ => {
                let cmd = self.command(form, ctx.data).map_err(|m| m.message);
                Some(crate::tui::preview::note(ctx.data, cmd))
            }
        };
        if let Some(form) = self.modal.form_mut() {
            form.note = note;
        }
    }

    fn submit(&mut self, ctx: &mut Ctx) -> Result<(), Mistake> {
        let Modal::Form(form) = &self.modal else {
            return Ok(());
        };
        let cmd = self.command(form, ctx.data)?;
        let course = ctx.data.course().ok_or("no course")?;
        let said = match form.kind {
            FormKind::Curve(a) => policy::curve_label(course, a, form),
            FormKind::DeleteCategory(k) => format!(
                "deleted category {}, its assessments moved to {}",
                crate::text::quote(&course.categories[k].name),
                crate::text::quote(form.value(0).trim())
            ),
            _ => cmd.summary(ctx.data.book()),
        };
        let effect = crate::tui::preview::done(ctx.data, cmd.clone());
        if ctx.data.execute_as(cmd, said.clone())? == Outcome::Changed {
            ctx.say(
                Tone::Success,
                format!("{}. {} (u undoes it)", capitalise(&said), effect),
            );
        }
        if form.kind == FormKind::AddCategory {
            self.category = ctx.data.course().map_or(0, |c| c.categories.len() - 1);
        }
        self.modal = Modal::None;
        Ok(())
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
            Reply::Confirmed(pending) => {
                let Some(c) = ctx.data.course_index() else {
                    return true;
                };
                let (cmd, label) = match pending {
                    Pending::DeleteCategory(index) => {
                        let cmd = Command::RemoveCategory { course: c, index };
                        let label = cmd.summary(ctx.data.book());
                        (cmd, label)
                    }
                    Pending::Apply(cmd, label) => (*cmd, label),
                };
                let effect = crate::tui::preview::done(ctx.data, cmd.clone());
                match ctx.data.execute_as(cmd, label.clone()) {
                    Ok(_) => ctx.say(
                        Tone::Success,
                        format!("{}. {} (u undoes it)", capitalise(&label), effect),
                    ),
                    Err(e) => ctx.say(Tone::Error, e.to_string()),
                }
            }
            Reply::Declined => ctx.say(Tone::Info, "Nothing changed"),
        }
        true
    }
}

/// The assessment `a` as the form says it should be.
fn assessment_value(
    form: &Form<FormKind>,
    course: &Course,
    a: usize,
) -> Result<Assessment, Mistake> {
    let mut x = course
        .assessments
        .get(a)
        .ok_or("that assessment no longer exists")?
        .clone();
    let category_field = match form.kind {
        FormKind::MoveAssessment(_) => 0,
        _ => {
            x.name = form.value(0).to_string();
            x.weight = form.number(1, "weight")?;
            x.max_points = form.number(2, "max points")?;
            x.extra_credit = yes(form, 4)?;
            x.never_drop = yes(form, 5)?;
            3
        }
    };
    let name = form.value(category_field);
    x.category = course.find_category(name).ok_or_else(|| {
        Mistake::at(
            category_field,
            format!("there is no category named {}", crate::text::quote(name)),
        )
    })?;
    Ok(x)
}

fn yes(form: &Form<FormKind>, i: usize) -> Result<bool, Mistake> {
    match form.value(i).trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" => Ok(true),
        "no" | "n" | "false" | "" => Ok(false),
        other => Err(Mistake::at(
            i,
            format!("yes or no, not {}", crate::text::quote(other)),
        )),
    }
}

/// Deleting category `index` of course `c`: its assessments move to the one the form
/// names first, then it goes; one change.
fn delete_category(
    form: &Form<FormKind>,
    course: &Course,
    c: usize,
    index: usize,
) -> Result<Command, Mistake> {
    let name = form.value(0);
    let target = course
        .find_category(name)
        .filter(|&t| t != index)
        .ok_or_else(|| {
            Mistake::at(
                0,
                format!(
                    "name another category than this one, not {}",
                    crate::text::quote(name)
                ),
            )
        })?;
    let mut cmds: Vec<Command> = members(course, index)
        .into_iter()
        .map(|a| {
            let mut assessment = course.assessments[a].clone();
            assessment.category = target;
            Command::EditAssessment {
                course: c,
                index: a,
                assessment,
            }
        })
        .collect();
    cmds.push(Command::RemoveCategory { course: c, index });
    Ok(Command::Batch(cmds))
}

impl Screen for SyllabusScreen {
    fn context(&self) -> Context {
        self.modal
            .context()
            .unwrap_or(Context::On(ScreenId::Syllabus))
    }

    fn update(&mut self, action: Action, ctx: &mut Ctx) -> bool {
        if self.modal.is_open() {
            return self.modal_action(action, ctx);
        }
        self.browse(action, ctx)
    }

    fn data_changed(&mut self, data: &Data, change: Change) {
        let Some(course) = data.course() else {
            return;
        };
        if change == Change::Course {
            *self = Self::default();
        }
        self.category = self.category.min(course.categories.len().saturating_sub(1));
        let n = members(course, self.category).len();
        self.assessment = self.assessment.min(n.saturating_sub(1));
    }

    fn draw(&self, frame: &mut Frame, area: Rect, data: &Data) -> Measured {
        let Some(course) = data.course() else {
            return self.seen;
        };
        // The letters may take two lines (plus-minus does on 80 columns), the late policy
        // one; a short terminal keeps one line for them.
        let policy_height = if area.height >= 16 { 3 } else { 1 };
        let [lists, policy_lines] =
            Layout::vertical([Constraint::Min(4), Constraint::Length(policy_height)]).areas(area);
        // Side by side when there is room, else the pane in use alone.
        let left = if area.width >= 70 {
            let [left, right] =
                Layout::horizontal([Constraint::Length(44), Constraint::Fill(1)]).areas(lists);
            self.draw_categories(course, frame, left);
            self.draw_assessments(course, frame, right);
            left
        } else {
            match self.pane {
                Pane::Categories => self.draw_categories(course, frame, lists),
                Pane::Assessments => self.draw_assessments(course, frame, lists),
            }
            lists
        };
        draw_policy(course, frame, policy_lines);
        self.modal.draw(frame);
        Measured {
            page: left.height.saturating_sub(3).max(1) as usize,
            ..self.seen
        }
    }

    fn measured(&mut self, m: Measured) {
        self.seen = m;
    }

    fn hints(&self) -> &'static [Action] {
        match self.pane {
            Pane::Categories => &[
                Action::Help,
                Action::Add,
                Action::Edit,
                Action::Delete,
                Action::Right,
                Action::EditLetters,
                Action::EditLatePolicy,
                Action::Undo,
            ],
            Pane::Assessments => &[
                Action::Help,
                Action::Left,
                Action::Edit,
                Action::MoveAssessment,
                Action::ToggleExtraCredit,
                Action::ToggleNeverDrop,
                Action::Curve,
                Action::Undo,
            ],
        }
    }
}

impl SyllabusScreen {
    fn draw_categories(&self, course: &Course, frame: &mut Frame, area: Rect) {
        let t = theme();
        let rows = course.categories.iter().enumerate().map(|(i, k)| {
            let share = course
                .category_share(i)
                .map_or("–".into(), |s| format!("{s:.1}%"));
            let row = Row::new([
                Cell::from(k.name.clone()),
                Cell::from(Line::from(share).right_aligned()),
                Cell::from(Line::from(k.drop_lowest.to_string()).right_aligned()),
                Cell::from(k.mode.name()),
                Cell::from(Line::from(members(course, i).len().to_string()).right_aligned()),
            ]);
            if i == self.category {
                row.style(if self.pane == Pane::Categories {
                    t.selected_row
                } else {
                    t.selected_cell
                })
            } else {
                row
            }
        });
        let widths = [
            Constraint::Min(8),
            Constraint::Length(6),
            Constraint::Length(4),
            Constraint::Length(6),
            Constraint::Length(5),
        ];
        let header = Row::new(["Category", "Share", "Drop", "Mode", "Items"]).style(t.header);
        let title = format!(" Categories of {} ", truncate(&course.name, 28));
        // The table scrolls to keep the selected row in sight.
        let mut state = TableState::default().with_selected(Some(self.category));
        frame.render_stateful_widget(
            Table::new(rows, widths)
                .header(header)
                .block(Block::bordered().title(title)),
            area,
            &mut state,
        );
    }

    fn draw_assessments(&self, course: &Course, frame: &mut Frame, area: Rect) {
        let t = theme();
        let list = members(course, self.category);
        let rows = list.iter().enumerate().map(|(row, &a)| {
            let x = &course.assessments[a];
            let mut flags = Vec::new();
            if x.extra_credit {
                flags.push("extra credit");
            }
            if x.never_drop {
                flags.push("never drop");
            }
            let r = Row::new([
                Cell::from(x.name.clone()),
                Cell::from(Line::from(fmt_num(x.weight)).right_aligned()),
                Cell::from(Line::from(fmt_num(x.max_points)).right_aligned()),
                Cell::from(flags.join(", ")),
            ]);
            if row == self.assessment && self.pane == Pane::Assessments {
                r.style(t.selected_row)
            } else {
                r
            }
        });
        let widths = [
            Constraint::Min(10),
            Constraint::Length(6),
            Constraint::Length(5),
            Constraint::Fill(1),
        ];
        let header = Row::new(["Assessment", "Weight", "Max", "Flags"]).style(t.header);
        let name = course
            .categories
            .get(self.category)
            .map_or("", |k| k.name.as_str());
        let title = format!(" Assessments in {} ", truncate(name, 24));
        let mut state = TableState::default().with_selected(Some(self.assessment));
        frame.render_stateful_widget(
            Table::new(rows, widths)
                .header(header)
                .block(Block::bordered().title(title)),
            area,
            &mut state,
        );
    }
}

/// The letters and the late policy, under the lists.
fn draw_policy(course: &Course, frame: &mut Frame, area: Rect) {
    let t = theme();
    let late = course.late_policy.map_or("none".to_string(), |p| {
        format!(
            "−{}% of the max points a day, at most −{}%",
            fmt_num(p.per_day),
            fmt_num(p.max)
        )
    });
    let lines = vec![
        Line::from(vec![
            Span::styled("Letters (S) ", t.dim),
            Span::raw(course.letters.describe()),
        ]),
        Line::from(vec![Span::styled("Late work (P) ", t.dim), Span::raw(late)]),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
}
