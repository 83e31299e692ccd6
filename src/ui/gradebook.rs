//! The Gradebook screen: students × assessments, final %, letter, rank, class average.
//! Only the rows and columns that fit are built, so drawing costs the same for 30 or
//! 100,000 students.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};
use unicode_width::UnicodeWidthStr;

use super::{one_decimal, theme, truncate};
use crate::app::App;
use crate::model::{Course, fmt_num};

const FINAL_W: u16 = 6;
const LETTER_W: u16 = 6;

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let Some(course) = app.course() else { return };
    // The average row sits right under the last student, or at the bottom when they fill
    // the screen.
    let rows = app.view.order.len() as u16 + 1;
    let [title, table, average, _] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Max(rows),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(area);
    draw_title(app, course, frame, title);
    if course.students.is_empty() {
        let text = "No students yet. Press a to add one, A to add an assessment.";
        frame.render_widget(
            Paragraph::new(text).wrap(ratatui::widgets::Wrap { trim: true }),
            table,
        );
        return;
    }
    if app.view.order.is_empty() {
        frame.render_widget(
            Paragraph::new("No student matches the filter (Esc clears it)."),
            table,
        );
        return;
    }
    let layout = Columns::fit(app, course, area.width);
    draw_grid(app, course, &layout, frame, table);
    draw_average(app, course, &layout, frame, average);
}

fn draw_title(app: &App, course: &Course, frame: &mut Frame, area: Rect) {
    let shown = app.view.order.len();
    let count = if shown == course.students.len() {
        format!("{shown} students")
    } else {
        format!("{shown} of {} students", course.students.len())
    };
    let line = Line::from(vec![
        Span::styled(course.name.as_str(), theme::title()),
        Span::styled(
            format!(" · {count} · by {}", app.sort.label()),
            theme::dim(),
        ),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}

/// Which assessment columns fit, and how wide each column is.
struct Columns {
    name: u16,
    /// Assessment indices shown, left to right.
    shown: Vec<usize>,
    widths: Vec<u16>,
    rank: u16,
    /// A course without assessments shows an empty `Grade` column: entering a grade
    /// there creates the assessment, as the tutorial's one-grade-per-student flow.
    placeholder: bool,
}

impl Columns {
    fn fit(app: &App, course: &Course, width: u16) -> Self {
        let name = (app.view.name_width.max(7) as u16)
            .min(24)
            .min(width / 3)
            .max(4);
        // Ranks go up to the number of students.
        let rank = (course.students.len().max(1).ilog10() as u16 + 1).max(4);
        let fixed = name + FINAL_W + LETTER_W + rank + 4;
        let available = width.saturating_sub(fixed);
        let col_width = |i: usize| (course.assessments[i].name.width().clamp(5, 12) as u16) + 1;
        // Start far enough right that the selected assessment is visible.
        let last = course.assessments.len().checked_sub(1);
        let selected = app
            .col
            .checked_sub(1)
            .zip(last)
            .map(|(s, last)| s.min(last));
        let mut first = 0;
        if let Some(sel) = selected {
            let mut used = 0;
            first = sel + 1;
            while first > 0 && used + col_width(first - 1) <= available {
                first -= 1;
                used += col_width(first);
            }
        }
        let mut shown = Vec::new();
        let mut widths = Vec::new();
        let mut used = 0;
        for i in first..course.assessments.len() {
            let w = col_width(i);
            if used + w > available {
                break;
            }
            used += w;
            shown.push(i);
            widths.push(w - 1);
        }
        let placeholder = course.assessments.is_empty();
        if placeholder {
            widths.push(5);
        }
        Self {
            name,
            shown,
            widths,
            rank,
            placeholder,
        }
    }

    fn constraints(&self) -> Vec<Constraint> {
        let mut c = vec![Constraint::Length(self.name)];
        c.extend(self.widths.iter().map(|w| Constraint::Length(*w)));
        c.extend([
            Constraint::Length(FINAL_W),
            Constraint::Length(LETTER_W),
            Constraint::Length(self.rank),
        ]);
        c
    }
}

fn right(text: String, width: u16) -> Line<'static> {
    Line::from(truncate(&text, width as usize)).right_aligned()
}

fn draw_grid(app: &App, course: &Course, cols: &Columns, frame: &mut Frame, area: Rect) {
    let page = area.height.saturating_sub(1).max(1) as usize;
    app.page.set(page);
    let offset = scroll(app.grid_offset.get(), app.row, page, app.view.order.len());
    app.grid_offset.set(offset);

    let mut header = vec![Cell::from("Student")];
    header.extend(cols.shown.iter().zip(&cols.widths).map(|(&i, &w)| {
        let a = &course.assessments[i];
        Cell::from(right(a.name.clone(), w))
    }));
    if cols.placeholder {
        header.push(Cell::from(right(
            crate::model::DEFAULT_ASSESSMENT.into(),
            5,
        )));
    }
    header.extend([
        Cell::from(right("Final".into(), FINAL_W)),
        Cell::from("Letter"),
        Cell::from(right("Rank".into(), cols.rank)),
    ]);

    let report = &app.view.stats;
    let rows = app
        .view
        .order
        .iter()
        .enumerate()
        .skip(offset)
        .take(page)
        .map(|(row, &s)| {
            let student = &course.students[s];
            let selected = row == app.row;
            let cell_style = |col: usize| {
                if selected && app.col == col {
                    theme::selected_cell()
                } else {
                    Style::new()
                }
            };
            let mut cells =
                vec![Cell::from(truncate(&student.name, cols.name as usize)).style(cell_style(0))];
            cells.extend(cols.shown.iter().zip(&cols.widths).map(|(&i, &w)| {
                let text = student.grades[i].map_or_else(|| "·".to_string(), fmt_num);
                Cell::from(right(text, w)).style(cell_style(i + 1))
            }));
            if cols.placeholder {
                cells.push(Cell::from(right("–".into(), 5)));
            }
            if cols.placeholder {
                cells.push(Cell::from(right("·".into(), 5)).style(cell_style(1)));
            }
            let fin = report.finals[s];
            let letter = fin.map(|f| course.thresholds.letter(f));
            cells.push(Cell::from(right(one_decimal(fin), FINAL_W)));
            cells.push(Cell::from(letter.map_or(Span::raw("–"), |l| {
                Span::styled(l.to_string(), theme::letter(l))
            })));
            cells.push(Cell::from(right(
                fin.map_or("–".into(), |f| report.rank(f).to_string()),
                cols.rank,
            )));
            let row = Row::new(cells);
            if selected {
                row.style(theme::selected_row())
            } else {
                row
            }
        });
    let table =
        Table::new(rows, cols.constraints()).header(Row::new(header).style(theme::header()));
    frame.render_widget(table, area);
}

/// The class-average row, pinned below the students whatever the sort.
fn draw_average(app: &App, course: &Course, cols: &Columns, frame: &mut Frame, area: Rect) {
    let report = &app.view.stats;
    let mut cells = vec![Cell::from("Average")];
    cells.extend(cols.shown.iter().zip(&cols.widths).map(|(&i, &w)| {
        Cell::from(right(
            report.assessment_means[i].map_or("–".into(), |m| format!("{m:.1}%")),
            w,
        ))
    }));
    let mean = report.stats.mean;
    cells.push(Cell::from(right(one_decimal(mean), FINAL_W)));
    cells.push(Cell::from(mean.map_or("–".to_string(), |m| {
        course.thresholds.letter(m).to_string()
    })));
    let table = Table::new(
        [Row::new(cells).style(theme::average_row())],
        cols.constraints(),
    );
    frame.render_widget(table, area);
}

/// The first row to draw so that `selected` is visible, moving as little as possible.
pub fn scroll(offset: usize, selected: usize, page: usize, len: usize) -> usize {
    let mut offset = offset.min(len.saturating_sub(page));
    if selected < offset {
        offset = selected;
    } else if selected >= offset + page {
        offset = selected + 1 - page;
    }
    offset
}
