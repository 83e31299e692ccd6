//! The Predictor screen (filled in by the predictor work).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;

use crate::app::App;

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let n = app.course().map_or(0, |c| c.study.len());
    frame.render_widget(
        Paragraph::new(format!("{n} observations. Press t to train.")),
        area,
    );
}
