//! A student's page on the Gradebook screen (Enter on a name): who they are, final,
//! letter and what is needed, a bar per assessment, their grades by category with every
//! mark and comment, and their history. ←/→ go to the previous and next student.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Paragraph, Wrap};

use crate::page::StudentPage;
use crate::text::two_decimals;
use crate::tui::theme::theme;
use crate::tui::widgets::truncate;

/// The page open, and how far it is scrolled.
#[derive(Debug, Clone)]
pub struct PageView {
    pub student: usize,
    pub page: StudentPage,
    pub scroll: u16,
}

pub fn draw(view: &PageView, frame: &mut Frame, area: Rect) {
    let t = theme();
    let p = &view.page;
    let mut head = vec![Line::from(vec![
        Span::styled(p.name.clone(), t.title),
        Span::styled(format!("  {}", p.course), t.dim),
    ])];
    let who = p.identity();
    if !who.is_empty() {
        head.push(Line::styled(who, t.dim));
    }
    head.push(Line::from(vec![
        Span::styled("Final ", t.dim),
        Span::raw(p.standing()),
        Span::styled("  with every empty cell a zero ", t.dim),
        Span::raw(two_decimals(p.final_with_zeros)),
    ]));
    head.push(Line::raw(p.needed_line()));
    if let Some(note) = &p.note {
        head.push(Line::from(vec![
            Span::styled("Note: ", t.dim),
            Span::raw(note.replace('\n', " ")),
        ]));
    }
    let chart_height = if area.height >= 24 { 7 } else { 0 };
    let head_height = (head.len() as u16 + 1).min(area.height / 2);
    let [top, chart, rest] = Layout::vertical([
        Constraint::Length(head_height),
        Constraint::Length(chart_height),
        Constraint::Min(0),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(head).wrap(Wrap { trim: true }), top);
    if chart_height > 0 {
        draw_chart(p, frame, chart);
    }
    let mut lines = Vec::new();
    for cat in &p.categories {
        lines.push(Line::from(vec![
            Span::styled(format!("{} ", cat.name), t.header),
            Span::styled(format!("({}) ", cat.rule), t.dim),
            Span::raw(two_decimals(cat.percent)),
        ]));
        if cat.items.is_empty() {
            lines.push(Line::styled("  no assessment yet", t.dim));
        }
        let name_w = cat
            .items
            .iter()
            .map(|i| unicode_width::UnicodeWidthStr::width(i.assessment.as_str()))
            .max()
            .unwrap_or(0)
            .min(24);
        for i in &cat.items {
            let style = if i.dropped {
                t.dim.add_modifier(Modifier::CROSSED_OUT)
            } else {
                ratatui::style::Style::new()
            };
            let mut spans = vec![
                Span::styled(
                    format!("  {:<name_w$} ", truncate(&i.assessment, name_w)),
                    style,
                ),
                Span::styled(format!("{:>12} ", i.grade), style),
                Span::styled(
                    format!(
                        "{:>7} ",
                        i.percent.map_or("–".into(), |x| format!("{x:.1}%"))
                    ),
                    style,
                ),
            ];
            let marks = i.marks();
            if !marks.is_empty() {
                spans.push(Span::styled(marks, t.warning));
            }
            if let Some(c) = &i.comment {
                spans.push(Span::raw(format!("  “{}”", c.replace('\n', " "))));
            }
            lines.push(Line::from(spans));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("History (newest first)", t.header));
    if p.history.is_empty() {
        lines.push(Line::styled("  No change recorded yet.", t.dim));
    }
    for e in p.history.iter().rev() {
        lines.push(Line::raw(format!("  {}", e.line())));
    }
    let block = Block::new().title(Line::styled(
        " Esc back · ←/→ previous/next student · j/k scroll · e edit · H history ",
        t.dim,
    ));
    let max = (lines.len() as u16).saturating_sub(rest.height.saturating_sub(1));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((view.scroll.min(max), 0)),
        rest,
    );
}

/// A bar per assessment: the percent it counts for, 0 to 100 (bonus shows full).
fn draw_chart(p: &StudentPage, frame: &mut Frame, area: Rect) {
    let t = theme();
    let n = p.chart.len().max(1) as u16;
    let width = ((area.width.saturating_sub(2)) / n)
        .saturating_sub(1)
        .clamp(1, 8);
    let bars: Vec<Bar> = p
        .chart
        .iter()
        .map(|(name, pct)| {
            let value = pct.map_or(0, |x| x.clamp(0.0, 100.0).round() as u64);
            Bar::default()
                .value(value)
                .text_value(pct.map_or("–".into(), |x| format!("{x:.0}")))
                .label(Line::raw(truncate(name, width as usize)))
        })
        .collect();
    let chart = BarChart::default()
        .block(Block::new().title(Line::styled("Percent per assessment", t.dim)))
        .data(BarGroup::default().bars(&bars))
        .bar_width(width)
        .bar_gap(1)
        .max(100)
        .bar_style(t.key);
    frame.render_widget(chart, area);
}
