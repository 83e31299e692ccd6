//! The Statistics screen: class numbers, top students, letter thresholds, a histogram of
//! final grades by letter, and a table of the assessments that scrolls with j/k.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{BarChart, Block, Cell, Paragraph, Row, Table, Wrap};

use super::{Ctx, Measured, Screen, ScreenId};
use crate::model::{Course, Outcome, fmt_num};
use crate::stats::LiveStats;
use crate::text::two_decimals;
use crate::tui::action::Action;
use crate::tui::data::{Change, Data};
use crate::tui::keymap::Context;
use crate::tui::popup::{Mistake, Modal, Reply};
use crate::tui::theme::{Tone, theme};
use crate::tui::widgets::{moved, truncate};

/// The only form here: the course's letters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LettersForm;

#[derive(Debug, Clone, Default)]
pub struct StatisticsScreen {
    /// First assessment row shown in the table, and how many fit.
    seen: Measured,
    pub modal: Modal<LettersForm, ()>,
}

impl StatisticsScreen {
    fn open_letters(&mut self, ctx: &mut Ctx) {
        let Some(course) = ctx.data.course() else {
            return;
        };
        self.modal = Modal::Form(crate::tui::policy::letters_form(LettersForm, course));
        self.refresh_preview(ctx);
    }

    fn refresh_preview(&mut self, ctx: &mut Ctx) {
        let Modal::Form(form) = &self.modal else {
            return;
        };
        let cmd = crate::tui::policy::letters_command(form, ctx.data).map_err(|m| m.message);
        let note = crate::tui::preview::note(ctx.data, cmd);
        if let Some(form) = self.modal.form_mut() {
            form.note = Some(note);
        }
    }

    fn submit(&mut self, ctx: &mut Ctx) -> Result<(), Mistake> {
        let Modal::Form(form) = &self.modal else {
            return Ok(());
        };
        let cmd = crate::tui::policy::letters_command(form, ctx.data)?;
        if ctx.data.execute(cmd)? == Outcome::Changed {
            ctx.say(Tone::Success, "Letters changed (u undoes it)");
        }
        self.modal = Modal::None;
        Ok(())
    }
}

impl Screen for StatisticsScreen {
    fn context(&self) -> Context {
        self.modal
            .context()
            .unwrap_or(Context::On(ScreenId::Statistics))
    }

    fn update(&mut self, action: Action, ctx: &mut Ctx) -> bool {
        match self.modal.handle(action) {
            Reply::Ignored if self.modal.is_open() => return false,
            Reply::Ignored => {}
            Reply::Done => {
                self.refresh_preview(ctx);
                return true;
            }
            Reply::Submit => {
                if let Err(e) = self.submit(ctx) {
                    self.modal.fail(e);
                }
                return true;
            }
            _ => return true,
        }
        let rows = ctx.data.course().map_or(0, |c| c.assessments.len());
        match action {
            Action::Edit => self.open_letters(ctx),
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Home
            | Action::End => {
                // The table scrolls; its last page stays full.
                let last = rows.saturating_sub(self.seen.page) + 1;
                self.seen.offset = moved(self.seen.offset, action, last, self.seen.page);
            }
            _ => return false,
        }
        true
    }

    fn data_changed(&mut self, _data: &Data, change: Change) {
        if change == Change::Course {
            self.seen.offset = 0;
        }
    }

    fn draw(&self, frame: &mut Frame, area: Rect, data: &Data) -> Measured {
        let Some(course) = data.course() else {
            return self.seen;
        };
        // Per-assessment rows only when there is room for some of them.
        let table_height = if area.height >= 14 {
            (course.assessments.len() as u16 + 3).min(area.height / 2)
        } else {
            0
        };
        let [top, table] =
            Layout::vertical([Constraint::Min(8), Constraint::Length(table_height)]).areas(area);
        let [numbers, histogram] =
            Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(top);
        draw_numbers(course, &data.stats, frame, numbers);
        draw_histogram(course, &data.stats, frame, histogram);
        let measured = self.draw_table(course, &data.stats, frame, table);
        self.modal.draw(frame);
        measured
    }

    fn measured(&mut self, m: Measured) {
        self.seen = m;
    }

    fn hints(&self) -> &'static [Action] {
        &[
            Action::Help,
            Action::Edit,
            Action::Down,
            Action::Undo,
            Action::Quit,
        ]
    }
}

fn draw_numbers(course: &Course, stats: &LiveStats, frame: &mut Frame, area: Rect) {
    let t = theme();
    let s = stats.stats;
    let label = |l: &'static str| Span::styled(format!("{l:<9}"), t.dim);
    let top_names: Vec<String> = stats
        .top
        .iter()
        .map(|&i| course.students.at(i).name.to_string())
        .collect();
    let top_label = if top_names.len() > 1 {
        "Top students"
    } else {
        "Top student"
    };

    let lines = vec![
        Line::from(vec![
            label("Graded"),
            Span::raw({
                let withdrawn = course.students.withdrawn_count();
                let mut text = format!(
                    "{} of {} students",
                    s.count,
                    course.students.len() - withdrawn
                );
                if withdrawn > 0 {
                    text.push_str(&format!(" ({withdrawn} withdrawn)"));
                }
                text
            }),
        ]),
        Line::from(vec![label("Mean"), Span::raw(two_decimals(s.mean))]),
        Line::from(vec![label("Median"), Span::raw(two_decimals(s.median))]),
        Line::from(vec![
            label("Std dev"),
            Span::raw(s.std_dev.map_or("–".into(), |d| format!("{d:.2}"))),
        ]),
        Line::from(vec![
            label("Min–max"),
            Span::raw(format!("{} – {}", two_decimals(s.min), two_decimals(s.max))),
        ]),
        Line::from(vec![
            Span::styled(format!("{top_label}: "), t.dim),
            Span::styled(
                if top_names.is_empty() {
                    "–".to_string()
                } else {
                    top_names.join(", ")
                },
                t.title,
            ),
            Span::raw(s.max.map_or(String::new(), |m| format!(" ({m:.2})"))),
        ]),
        Line::from(vec![label("Letters"), Span::raw(course.letters.describe())]),
    ];
    let block = Block::bordered().title(truncate(
        &course.name,
        area.width.saturating_sub(4) as usize,
    ));
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(block),
        area,
    );
}

fn draw_histogram(course: &Course, stats: &LiveStats, frame: &mut Frame, area: Rect) {
    let t = theme();
    let data: Vec<(&str, u64)> = course
        .letters
        .letters()
        .zip(&stats.letters)
        .map(|(b, n)| (b, *n as u64))
        .collect();
    let bars = data.len().max(1) as u16;
    let bar_width = (area.width.saturating_sub(2) / bars)
        .saturating_sub(1)
        .clamp(1, 7);
    let chart = BarChart::default()
        .block(Block::bordered().title("Final grades by letter"))
        .data(&data)
        .bar_width(bar_width)
        .bar_gap(1)
        .bar_style(t.band)
        .value_style(t.selected_cell);
    frame.render_widget(chart, area);
}

impl StatisticsScreen {
    fn draw_table(
        &self,
        course: &Course,
        stats: &LiveStats,
        frame: &mut Frame,
        area: Rect,
    ) -> Measured {
        let page = area.height.saturating_sub(3) as usize;
        let n = course.assessments.len();
        let offset = self.seen.offset.min(n.saturating_sub(page));
        if area.height == 0 {
            return Measured {
                page,
                offset,
                ..self.seen
            };
        }
        let rows = course
            .assessments
            .iter()
            .zip(&stats.assessment_means)
            .skip(offset)
            .take(page)
            .map(|(a, m)| {
                Row::new([
                    Cell::from(a.name.clone()),
                    Cell::from(Line::from(fmt_num(a.weight)).right_aligned()),
                    Cell::from(Line::from(fmt_num(a.max_points)).right_aligned()),
                    Cell::from(
                        Line::from(m.map_or("–".into(), |m| format!("{m:.1}%"))).right_aligned(),
                    ),
                ])
            });
        let widths = [
            Constraint::Min(10),
            Constraint::Length(8),
            Constraint::Length(10),
            Constraint::Length(8),
        ];
        let header = Row::new(["Assessment", "Weight", "Max points", "Mean"]).style(theme().header);
        let title = if n > page {
            format!(
                "Per assessment ({}–{} of {n}, j/k scroll)",
                offset + 1,
                (offset + page).min(n)
            )
        } else {
            "Per assessment".to_string()
        };
        frame.render_widget(
            Table::new(rows, widths)
                .header(header)
                .block(Block::bordered().title(title)),
            area,
        );
        Measured {
            page,
            offset,
            ..self.seen
        }
    }
}
