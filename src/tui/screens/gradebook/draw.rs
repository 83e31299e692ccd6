//! Drawing the Gradebook screen: which columns fit (the selected one always does), the
//! grid with its marks (dropped, excused, missing, late, commented), the class average,
//! and the line about the selected student.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, Wrap};
use unicode_width::UnicodeWidthStr;

use super::{Entry, GradebookScreen};
use crate::grading::{Plan, Standing};
use crate::model::{Course, DEFAULT_ASSESSMENT, Mark, fmt_num};
use crate::stats::LiveStats;
use crate::text::{count, two_decimals};
use crate::tui::data::Data;
use crate::tui::screens::Measured;
use crate::tui::theme::theme;
use crate::tui::widgets::{right, scroll, short_num, truncate};

const FINAL_W: u16 = 6;
const LETTER_W: u16 = 6;
const MIN_NAME: u16 = 7;
/// Columns the table puts between two columns.
const GAP: u16 = 1;

/// Which assessment columns fit, and how wide each column is. The selected assessment is
/// always among them; the name column takes the room there is.
pub(super) struct Columns {
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
    pub(super) fn fit(screen: &GradebookScreen, course: &Course, width: u16) -> Self {
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
    // Columns come back on the left while everything from there to the last one fits
    // (after the terminal grew, or columns were deleted).
    let to_end = |from: usize| (from..n).map(|i| width(i) + GAP).sum::<u16>() <= available;
    while first > 0 && to_end(first - 1) {
        first -= 1;
    }
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
    pub(super) fn draw_title(
        &self,
        course: &Course,
        cols: Option<&Columns>,
        frame: &mut Frame,
        area: Rect,
    ) {
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

    pub(super) fn draw_grid(
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
        let plan = Plan::of(course);
        let rows = self
            .order
            .iter()
            .enumerate()
            .skip(offset)
            .take(page)
            .map(|(row, &s)| {
                // Drops only matter for the rows shown: worked out for them alone.
                let standing = plan.standing(course.students.at(s));
                self.grid_row(course, stats, &standing, cols, row, s)
            });
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
        standing: &Standing,
        cols: &Columns,
        row: usize,
        s: usize,
    ) -> Row<'static> {
        let t = theme();
        let student = course.students.at(s);
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
                let (text, style) = cell_look(student, a, standing.dropped.contains(&a));
                Cell::from(right(text, w)).style(style.patch(style_of(a + 1)))
            }
        };
        let mut cells =
            vec![Cell::from(truncate(student.name, cols.name as usize)).style(style_of(0))];
        cells.extend(cols.shown.iter().map(|&(i, w)| grade_cell(i, w)));
        if cols.placeholder {
            cells.push(grade_cell(0, 5));
        }
        let fin = stats.finals.get(s).copied().flatten();
        cells.push(Cell::from(right(two_decimals(fin), FINAL_W)));
        cells.push(Cell::from(fin.map_or(Span::raw("–"), |f| {
            let letter = course.letters.letter(f).to_string();
            let style = t.letter(letter.chars().next().unwrap_or('F'));
            Span::styled(letter, style)
        })));
        // A withdrawn student has no rank, and the row is dimmed.
        let withdrawn = student.profile.withdrawn();
        let rank = match fin {
            Some(f) if !withdrawn => stats.rank(f).to_string(),
            _ if withdrawn => "w".into(),
            _ => "–".into(),
        };
        cells.push(Cell::from(right(rank, cols.rank)));
        let row = Row::new(cells);
        match (selected, withdrawn) {
            (true, _) => row.style(t.selected_row),
            (false, true) => row.style(t.dim),
            (false, false) => row,
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

/// How a cell looks: `9.5`, `EX`, `M`, `·` for empty; `!` after late work, `*` after a
/// comment; dropped cells in brackets, dimmed and struck through, excused and missing in
/// their own styles.
fn cell_look(student: crate::model::StudentRef<'_>, a: usize, dropped: bool) -> (String, Style) {
    let t = theme();
    let mark = student.mark(a);
    let (mut text, mut style) = match mark {
        Mark::Empty => ("·".to_string(), Style::new()),
        Mark::Points(p) => (fmt_num(p), Style::new()),
        Mark::Excused => ("EX".to_string(), t.dim),
        Mark::Missing => ("M".to_string(), t.warning),
    };
    if student.late_days(a) > 0 {
        text.push('!');
    }
    if student.comment(a).is_some() {
        text.push('*');
    }
    if dropped {
        // In brackets as in the report, for terminals that cannot strike through.
        text = format!("[{text}]");
        style = t.dim.add_modifier(Modifier::CROSSED_OUT);
    }
    (text, style)
}

/// The class-average row, pinned below the students whatever the sort: each assessment's
/// mean in points (as its column shows grades), the mean final in percent.
pub(super) fn draw_average(
    course: &Course,
    stats: &LiveStats,
    cols: &Columns,
    frame: &mut Frame,
    area: Rect,
) {
    let mut cells = vec![Cell::from("Average")];
    cells.extend(cols.shown.iter().map(|&(i, w)| {
        let mean = stats.assessment_means[i].map(|m| m * course.assessments[i].max_points / 100.0);
        Cell::from(right(mean.map_or("–".into(), short_num), w))
    }));
    if cols.placeholder {
        cells.push(Cell::from(right("–", 5)));
    }
    let mean = stats.stats.mean;
    cells.push(Cell::from(right(two_decimals(mean), FINAL_W)));
    cells.push(Cell::from(mean.map_or("–".to_string(), |m| {
        course.letters.letter(m).to_string()
    })));
    let table = Table::new(
        [Row::new(cells).style(theme().average_row)],
        cols.constraints(),
    );
    frame.render_widget(table, area);
}

/// The selected student: final and letter, the final with every empty cell a zero and
/// each category's percent; the score needed on the empty cells for each letter (above
/// 100%: out of reach); and the selected cell's late days, drop and comment. Wrapped into
/// the lines there are.
pub(super) fn draw_selected(
    course: &Course,
    s: usize,
    assessment: Option<usize>,
    frame: &mut Frame,
    area: Rect,
) {
    let t = theme();
    let Some(student) = course.students.get(s) else {
        return;
    };
    let plan = Plan::of(course);
    let standing = plan.standing(student);
    let fin = standing.final_grade;
    let mut head = format!(": {}", two_decimals(fin));
    if let Some(f) = fin {
        head.push(' ');
        head.push_str(course.letters.letter(f));
    }
    let mut spans = vec![
        Span::styled(student.name.to_string(), t.title),
        Span::raw(head),
    ];
    if let Some(z) = plan.final_with_zeros(student).filter(|z| Some(*z) != fin) {
        spans.push(Span::styled(
            format!(" · with zeros {}", two_decimals(Some(z))),
            t.dim,
        ));
    }
    if course.categories.len() > 1 {
        let parts: Vec<String> = course
            .categories
            .iter()
            .zip(&standing.categories)
            .map(|(k, p)| format!("{} {}", k.name, two_decimals(*p)))
            .collect();
        spans.push(Span::styled(format!(" · {}", parts.join(" · ")), t.dim));
    }
    // Who they are, last: the final matters most on a narrow terminal.
    let who = student.profile.describe();
    if !who.is_empty() {
        spans.push(Span::styled(format!(" · {who}"), t.dim));
    }
    let mut lines = vec![Line::from(spans)];
    if let Some(a) = assessment
        && let Some(detail) = cell_detail(course, student, a, standing.dropped.contains(&a))
    {
        lines.push(detail);
    }
    let empty = student.marks.iter().filter(|m| *m == Mark::Empty).count();
    if empty > 0 {
        lines.push(Line::from(vec![
            Span::styled(
                format!("Needs on the {} left: ", count(empty, "empty cell")),
                t.dim,
            ),
            Span::raw(crate::model::needed_words(
                course.letters.letters().zip(plan.needed(student)),
            )),
        ]));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
}

/// `A+–B out of reach, B− 92.5%, C+ 70.1%, ...`: the letters a student cannot reach on
/// their empty cells (above 100%, or never) in one run, then each score needed.
/// What the grid's markers stand for in the selected cell: `Quiz 1: 18 of 20, 2 days
/// late (counts 14) · dropped · “resubmitted”`; nothing for a plain cell.
fn cell_detail(
    course: &Course,
    student: crate::model::StudentRef<'_>,
    a: usize,
    dropped: bool,
) -> Option<Line<'static>> {
    let t = theme();
    let x = course.assessments.get(a)?;
    let cell = student.cell(a);
    if cell.late_days == 0 && cell.comment.is_none() && !dropped {
        return None;
    }
    let mut text = match cell.mark {
        Mark::Points(p) => format!("{}: {} of {}", x.name, fmt_num(p), fmt_num(x.max_points)),
        Mark::Empty => format!("{}: not graded", x.name),
        mark => format!("{}: {}", x.name, mark.text()),
    };
    if cell.late_days > 0 {
        text.push_str(&format!(", {} late", count(cell.late_days as usize, "day")));
        match (cell.mark, course.late_policy) {
            (Mark::Points(p), Some(policy)) => text.push_str(&format!(
                " (counts {})",
                fmt_num(policy.effective(p, x.max_points, cell.late_days))
            )),
            (_, None) => text.push_str(" (no late policy)"),
            _ => {}
        }
    }
    let mut spans = vec![Span::styled(text, t.dim)];
    if dropped {
        spans.push(Span::styled(" · dropped", t.dim));
    }
    if let Some(c) = &cell.comment {
        spans.push(Span::raw(format!(" · “{}”", c.replace('\n', " "))));
    }
    Some(Line::from(spans))
}
