//! The Courses screen: every course, the current one marked.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use super::gradebook::scroll;
use super::{theme, truncate};
use crate::app::App;

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let book = &app.editor.book;
    if book.courses.is_empty() {
        let text = "No courses yet. Press a to add one, or L to load the tutorial's sample class.";
        frame.render_widget(
            Paragraph::new(text).wrap(ratatui::widgets::Wrap { trim: true }),
            area,
        );
        return;
    }
    let page = area.height.saturating_sub(1).max(1) as usize;
    let offset = scroll(0, app.course_row, page, book.courses.len());
    // Narrow terminals keep the name and drop the details.
    let wide = area.width >= 60;
    let details = if wide { 9 + 12 + 17 } else { 9 };
    let name_w = area.width.saturating_sub(2 + details + 1).max(8);
    let rows = book
        .courses
        .iter()
        .enumerate()
        .skip(offset)
        .take(page)
        .map(|(i, c)| {
            let mark = if book.current == Some(i) { "▶" } else { " " };
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
            if i == app.course_row {
                row.style(theme::selected_row())
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
    let titles = ["", "Course", "Students", "Assessments", "Last updated"];
    let header =
        Row::new(titles.iter().take(if wide { 5 } else { 3 }).copied()).style(theme::header());
    let columns = if wide { 5 } else { 3 };
    frame.render_widget(Table::new(rows, &widths[..columns]).header(header), area);
}
