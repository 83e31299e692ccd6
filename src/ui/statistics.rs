//! The Statistics screen: class numbers, top students, letter histogram, assessment means.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{BarChart, Block, Cell, Paragraph, Row, Table};

use super::{one_decimal, theme, truncate};
use crate::app::App;

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let Some(course) = app.course() else { return };
    let r = &app.view.stats;
    // Per-assessment means only when there is room for at least one of them.
    let means_height = if area.height >= 14 {
        (course.assessments.len() as u16 + 3).min(area.height / 2)
    } else {
        0
    };
    let [top, means] =
        Layout::vertical([Constraint::Min(7), Constraint::Length(means_height)]).areas(area);
    let [numbers, histogram] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(top);

    let s = r.stats;
    let label = |l: &'static str| Span::styled(format!("{l:<9}"), theme::dim());
    let mut lines = vec![
        Line::from(vec![
            label("Graded"),
            Span::raw(format!("{} of {} students", s.count, course.students.len())),
        ]),
        Line::from(vec![label("Mean"), Span::raw(one_decimal(s.mean))]),
        Line::from(vec![label("Median"), Span::raw(one_decimal(s.median))]),
        Line::from(vec![
            label("Std dev"),
            Span::raw(s.std_dev.map_or("–".into(), |d| format!("{d:.2}"))),
        ]),
        Line::from(vec![
            label("Min–max"),
            Span::raw(format!("{} – {}", one_decimal(s.min), one_decimal(s.max))),
        ]),
    ];
    let top_names: Vec<String> = r
        .top
        .iter()
        .map(|&i| course.students[i].name.clone())
        .collect();
    let top_label = if top_names.len() > 1 {
        "Top students"
    } else {
        "Top student"
    };
    lines.push(Line::from(vec![
        Span::styled(format!("{top_label}: "), theme::dim()),
        Span::styled(
            if top_names.is_empty() {
                "–".to_string()
            } else {
                top_names.join(", ")
            },
            theme::title(),
        ),
        Span::raw(s.max.map_or(String::new(), |m| format!(" ({m:.1})"))),
    ]));
    let block = Block::bordered().title(truncate(
        &course.name,
        numbers.width.saturating_sub(4) as usize,
    ));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(ratatui::widgets::Wrap { trim: true })
            .block(block),
        numbers,
    );

    let bands = ["A", "B", "C", "D", "F"];
    let data: Vec<(&str, u64)> = bands
        .iter()
        .zip(r.letters)
        .map(|(b, n)| (*b, n as u64))
        .collect();
    let bar_width = (histogram.width.saturating_sub(2) / 5)
        .saturating_sub(1)
        .clamp(1, 7);
    let chart = BarChart::default()
        .block(Block::bordered().title("Final grades by letter"))
        .data(&data)
        .bar_width(bar_width)
        .bar_gap(1)
        .bar_style(theme::band())
        .value_style(theme::selected_cell());
    frame.render_widget(chart, histogram);

    let rows = course
        .assessments
        .iter()
        .zip(&r.assessment_means)
        .map(|(a, m)| {
            Row::new([
                Cell::from(truncate(&a.name, 24)),
                Cell::from(Line::from(format!("{}", a.weight)).right_aligned()),
                Cell::from(Line::from(format!("{}", a.max_points)).right_aligned()),
                Cell::from(
                    Line::from(m.map_or("–".into(), |m| format!("{m:.1}%"))).right_aligned(),
                ),
            ])
        });
    let widths = [
        Constraint::Min(10),
        Constraint::Length(6),
        Constraint::Length(10),
        Constraint::Length(8),
    ];
    let header = Row::new(["Assessment", "Weight", "Max points", "Mean"]).style(theme::header());
    frame.render_widget(
        Table::new(rows, widths)
            .header(header)
            .block(Block::bordered().title("Per assessment")),
        means,
    );
}
