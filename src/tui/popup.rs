//! Popups: forms and confirmations (each owned by the screen that opened it, as a
//! [`Modal`]), and the app's own help, notices and unreadable-file question.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use tui_input::{Input, InputRequest};
use unicode_width::UnicodeWidthStr;

use super::action::Action;
use super::keymap::{self, Context};
use super::theme::theme;
use super::widgets::{centered, hint_spans, titled, truncate};

/// A mistake in a form: what is wrong, and the field it is about when known (the focus
/// moves there, its text selected).
#[derive(Debug, Clone, PartialEq)]
pub struct Mistake {
    pub field: Option<usize>,
    pub message: String,
}

impl Mistake {
    pub fn at(field: usize, message: impl ToString) -> Self {
        Self {
            field: Some(field),
            message: message.to_string(),
        }
    }
}

impl From<String> for Mistake {
    fn from(message: String) -> Self {
        Self {
            field: None,
            message,
        }
    }
}

impl From<&str> for Mistake {
    fn from(message: &str) -> Self {
        message.to_string().into()
    }
}

impl From<crate::error::ModelError> for Mistake {
    fn from(e: crate::error::ModelError) -> Self {
        e.to_string().into()
    }
}

/// One labelled text field.
#[derive(Debug, Clone)]
pub struct Field {
    pub label: &'static str,
    pub input: Input,
    /// Its text is selected: typing replaces it, as with a selection; moving the cursor
    /// or deleting first keeps it for editing. True for a prefilled value, and for the
    /// field in focus once a mistake is shown.
    pub fresh: bool,
}

impl Field {
    /// A field prefilled with `value` (selected: typing replaces it).
    pub fn new(label: &'static str, value: &str) -> Self {
        Self {
            label,
            input: Input::new(value.to_string()),
            fresh: !value.is_empty(),
        }
    }
}

/// An open form: a few fields, what it is for (`kind`, the owner's own enum), and the
/// mistake in the last submission, if any.
#[derive(Debug, Clone)]
pub struct Form<K> {
    pub kind: K,
    pub title: String,
    pub fields: Vec<Field>,
    /// Index of the field being typed in.
    pub focus: usize,
    pub error: Option<String>,
    /// The word Enter does, for the hint under the fields.
    pub submit: &'static str,
    /// What submitting would do, kept up to date as the teacher types (a policy's
    /// preview: whose letter changes).
    pub note: Option<String>,
}

impl<K> Form<K> {
    pub fn new(kind: K, title: impl Into<String>, fields: &[(&'static str, String)]) -> Self {
        let fields = fields
            .iter()
            .map(|(label, value)| Field::new(label, value))
            .collect();
        Self {
            kind,
            title: title.into(),
            fields,
            focus: 0,
            error: None,
            submit: "save",
            note: None,
        }
    }

    /// Says what Enter does (`predict`, `import`...), instead of `save`.
    pub fn submit_as(mut self, word: &'static str) -> Self {
        self.submit = word;
        self
    }

    /// The text of field `i` (empty if there is no such field).
    pub fn value(&self, i: usize) -> &str {
        self.fields.get(i).map_or("", |f| f.input.value())
    }

    pub fn next_field(&mut self) {
        self.focus = (self.focus + 1) % self.fields.len().max(1);
    }

    pub fn prev_field(&mut self) {
        let n = self.fields.len().max(1);
        self.focus = (self.focus + n - 1) % n;
    }

    /// Applies an editing request to the focused field.
    pub fn edit(&mut self, req: InputRequest) {
        if let Some(field) = self.fields.get_mut(self.focus) {
            if std::mem::take(&mut field.fresh) && matches!(req, InputRequest::InsertChar(_)) {
                field.input.reset();
            }
            field.input.handle(req);
        }
        self.error = None;
    }

    /// Shows a mistake; its field (or the one in focus) is focused and selected, so the
    /// next thing typed replaces it instead of being added to what was wrong.
    pub fn fail(&mut self, mistake: impl Into<Mistake>) {
        let mistake = mistake.into();
        if let Some(i) = mistake.field.filter(|&i| i < self.fields.len()) {
            self.focus = i;
        }
        self.error = Some(mistake.message);
        if let Some(field) = self.fields.get_mut(self.focus) {
            field.fresh = true;
        }
    }

    /// Field `i` read as a number (a point or a comma for decimals).
    pub fn number(&self, i: usize, what: &str) -> Result<f64, Mistake> {
        crate::model::parse_number(what, self.value(i)).map_err(|e| Mistake::at(i, e))
    }

    /// Handles the typing actions; `false` for anything else.
    pub fn typing(&mut self, action: Action) -> bool {
        match action {
            Action::NextField => self.next_field(),
            Action::PrevField => self.prev_field(),
            Action::ClearField => self.edit(InputRequest::DeleteLine),
            Action::Input(key) => {
                let event = crossterm::event::Event::Key(key);
                if let Some(req) = tui_input::backend::crossterm::to_input_request(&event) {
                    self.edit(req);
                }
            }
            _ => return false,
        }
        true
    }
}

/// A question waiting for yes, and what yes does.
#[derive(Debug, Clone)]
pub struct Confirm<P> {
    pub pending: P,
    pub question: String,
    /// The word for yes (`delete`, `add again`).
    pub yes: &'static str,
}

/// The form or question a screen has open, if any.
#[derive(Debug, Clone, Default)]
pub enum Modal<K, P> {
    #[default]
    None,
    Form(Form<K>),
    Confirm(Confirm<P>),
}

/// What an action did to a [`Modal`], for its owner to act on.
#[derive(Debug)]
pub enum Reply<P> {
    /// Nothing open, or an action the modal does not take (the owner or the app may).
    Ignored,
    /// Taken care of inside (typing, moving between fields, closing).
    Done,
    /// Enter on a form: the owner checks it and makes the change, or calls `fail`.
    Submit,
    /// Yes to a question.
    Confirmed(P),
    /// No to a question.
    Declined,
}

impl<K, P> Modal<K, P> {
    /// How keys are read while it is open.
    pub fn context(&self) -> Option<Context> {
        match self {
            Modal::None => None,
            Modal::Form(_) => Some(Context::Form),
            Modal::Confirm(_) => Some(Context::Confirm),
        }
    }

    pub fn is_open(&self) -> bool {
        !matches!(self, Modal::None)
    }

    pub fn form_mut(&mut self) -> Option<&mut Form<K>> {
        match self {
            Modal::Form(f) => Some(f),
            _ => None,
        }
    }

    /// Shows a mistake in the open form.
    pub fn fail(&mut self, mistake: impl Into<Mistake>) {
        if let Some(form) = self.form_mut() {
            form.fail(mistake);
        }
    }

    pub fn handle(&mut self, action: Action) -> Reply<P> {
        match self {
            Modal::None => Reply::Ignored,
            Modal::Form(form) => match action {
                Action::Submit => Reply::Submit,
                Action::Cancel => {
                    *self = Modal::None;
                    Reply::Done
                }
                a if form.typing(a) => Reply::Done,
                _ => Reply::Ignored,
            },
            Modal::Confirm(_) => match action {
                Action::Confirm | Action::Cancel => {
                    let Modal::Confirm(c) = std::mem::take(self) else {
                        return Reply::Ignored;
                    };
                    if action == Action::Confirm {
                        Reply::Confirmed(c.pending)
                    } else {
                        Reply::Declined
                    }
                }
                _ => Reply::Ignored,
            },
        }
    }

    pub fn draw(&self, frame: &mut Frame) {
        match self {
            Modal::None => {}
            Modal::Form(form) => draw_form(form, frame),
            Modal::Confirm(c) => draw_confirm(&c.question, c.yes, frame),
        }
    }
}

/// Greedy word wrap to `width` columns (words longer than a line are cut).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split(' ') {
            let needed = line.width() + usize::from(!line.is_empty()) + word.width();
            if !line.is_empty() && needed > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
            while line.width() > width {
                let cut = truncate(&line, width);
                let kept = cut.trim_end_matches('…').len();
                lines.push(line[..kept].to_string());
                line = line[kept..].to_string();
                if kept == 0 {
                    break;
                }
            }
        }
        lines.push(line);
    }
    lines
}

const FORM_WIDTH: u16 = 64;

/// A form: one line per field, the focused one with the cursor; under them the mistake
/// (wrapped, never cut) or the keys.
pub fn draw_form<K>(form: &Form<K>, frame: &mut Frame) {
    let inner_width = FORM_WIDTH.min(frame.area().width).saturating_sub(2);
    let below: Vec<Line> = match &form.error {
        Some(e) => wrap(e, inner_width as usize)
            .into_iter()
            .map(|l| Line::styled(l, theme().error))
            .collect(),
        None => {
            let mut hints = vec![("Enter", form.submit)];
            hints.extend(keymap::hints(
                Context::Form,
                &[Action::NextField, Action::Cancel],
            ));
            if form.fields.len() < 2 {
                hints.retain(|h| h.0 != "Tab");
            }
            vec![Line::from(hint_spans(&hints))]
        }
    };
    // The note (a preview) gives way to a mistake, and to the screen's height.
    let room = frame
        .area()
        .height
        .saturating_sub((form.fields.len() + 1 + below.len()) as u16 + 2) as usize;
    let note_text = form.note.as_deref().filter(|_| form.error.is_none());
    let note: Vec<Line> = note_text.map_or_else(Vec::new, |n| {
        let mut lines = wrap(n, inner_width as usize);
        if lines.len() > room {
            let hidden = lines.len() + 1 - room.max(1);
            lines.truncate(room.saturating_sub(1));
            lines.push(format!(
                "… {} more (a taller terminal shows them)",
                crate::text::count(hidden, "line")
            ));
        }
        lines
            .into_iter()
            .map(|l| Line::styled(l, theme().info))
            .collect()
    });
    let below: Vec<Line> = note.into_iter().chain(below).collect();
    let height = (form.fields.len() + 1 + below.len()) as u16 + 2;
    let area = centered(frame, FORM_WIDTH, height);
    let block = titled(format!(
        " {} ",
        truncate(&form.title, area.width.saturating_sub(4) as usize)
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let label_width = form
        .fields
        .iter()
        .map(|f| f.label.width())
        .max()
        .unwrap_or(0) as u16
        + 2;
    let [fields, _, hint] = Layout::vertical([
        Constraint::Length(form.fields.len() as u16),
        Constraint::Length(1),
        Constraint::Min(1),
    ])
    .areas(inner);
    let rows = Layout::vertical(vec![Constraint::Length(1); form.fields.len()]).split(fields);
    for (i, field) in form.fields.iter().enumerate() {
        let [label, input] =
            Layout::horizontal([Constraint::Length(label_width), Constraint::Min(1)])
                .areas(rows[i]);
        let style = if i == form.focus {
            theme().key
        } else {
            theme().dim
        };
        frame.render_widget(Paragraph::new(Span::styled(field.label, style)), label);
        let scroll = field
            .input
            .visual_scroll(input.width.saturating_sub(1) as usize);
        let text_style = if field.fresh && i == form.focus {
            theme().selected_cell
        } else {
            ratatui::style::Style::new()
        };
        frame.render_widget(
            Paragraph::new(Span::styled(field.input.value(), text_style))
                .scroll((0, scroll as u16)),
            input,
        );
        if i == form.focus {
            let x = input.x + (field.input.visual_cursor().saturating_sub(scroll)) as u16;
            frame.set_cursor_position((x.min(input.right().saturating_sub(1)), input.y));
        }
    }
    frame.render_widget(Paragraph::new(below), hint);
}

/// A question with its answers, from the key table.
pub fn draw_confirm(question: &str, yes: &'static str, frame: &mut Frame) {
    let width = 60u16.min(frame.area().width);
    let mut lines: Vec<Line> = wrap(question, width.saturating_sub(2) as usize)
        .into_iter()
        .map(Line::raw)
        .collect();
    let mut hints = keymap::hints(Context::Confirm, &[Action::Confirm, Action::Cancel]);
    if let Some(h) = hints.first_mut() {
        h.1 = yes;
    }
    lines.push(Line::from(hint_spans(&hints)));
    let area = centered(frame, width, lines.len() as u16 + 2);
    frame.render_widget(
        Paragraph::new(lines).block(titled(" Confirm ".into())),
        area,
    );
}

/// Help, generated from the key table: the screen's keys, then those of everywhere, then
/// the typing contexts.
pub fn draw_help(
    screen: Context,
    title: &str,
    extra: &[(Context, &str)],
    legend: &[&str],
    scroll: u16,
    frame: &mut Frame,
) {
    let width = 76u16.min(frame.area().width);
    // Descriptions wrap under themselves, right of the 13-column key and two spaces.
    let text_width = usize::from(width.saturating_sub(2 + 15)).max(10);
    let mut lines = Vec::new();
    help_section(&mut lines, &format!("{title} screen"), screen, text_width);
    for paragraph in legend {
        for line in wrap(paragraph, usize::from(width.saturating_sub(2))) {
            lines.push(Line::styled(line, theme().dim));
        }
    }
    help_section(&mut lines, "Everywhere", Context::Global, text_width);
    for (context, heading) in extra {
        help_section(&mut lines, heading, *context, text_width);
    }
    help_section(&mut lines, "In a form", Context::Form, text_width);
    help_section(
        &mut lines,
        "When asked to confirm",
        Context::Confirm,
        text_width,
    );
    let area = centered(frame, width, lines.len() as u16 + 2);
    let block = titled(" Keys (j/k scroll, Esc closes) ".into());
    let scroll = scroll.min((lines.len() as u16).saturating_sub(area.height.saturating_sub(2)));
    frame.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), area);
}

/// A heading and the keys of `context` under it, each with what it does.
fn help_section(lines: &mut Vec<Line>, heading: &str, context: Context, text_width: usize) {
    lines.push(Line::styled(heading.to_string(), theme().header));
    for b in keymap::help_rows(context) {
        for (i, part) in wrap(b.help, text_width).into_iter().enumerate() {
            let key = if i == 0 { b.label } else { "" };
            lines.push(Line::from(vec![
                Span::styled(format!("{key:>13}  "), theme().key),
                Span::raw(part),
            ]));
        }
    }
}

/// Lines of history, newest first, in a box as tall as the screen allows; j/k scroll,
/// Esc closes.
pub fn draw_history(title: &str, lines: &[String], scroll: u16, frame: &mut Frame) {
    let width = 100u16.min(frame.area().width);
    let inner = usize::from(width.saturating_sub(2));
    // Only the lines up to the bottom of the box are wrapped (a course's history may hold
    // many thousands): the rest are known to be there when they are not reached.
    let reach = usize::from(scroll) + usize::from(frame.area().height);
    let mut wrapped: Vec<String> = Vec::new();
    let mut all = true;
    for line in lines {
        if wrapped.len() >= reach {
            all = false;
            break;
        }
        wrapped.extend(wrap(line, inner));
    }
    let tall = u16::try_from(wrapped.len() + 2).unwrap_or(u16::MAX);
    let area = centered(frame, width, tall);
    let shown = usize::from(area.height.saturating_sub(2));
    let mut scroll = usize::from(scroll);
    if all {
        scroll = scroll.min(wrapped.len().saturating_sub(shown));
    }
    let visible: Vec<Line> = wrapped
        .into_iter()
        .skip(scroll)
        .take(shown)
        .map(Line::raw)
        .collect();
    let block = titled(format!(
        " {} (newest first; j/k scroll, Esc closes) ",
        truncate(title, usize::from(width.saturating_sub(40)))
    ));
    frame.render_widget(Paragraph::new(visible).block(block), area);
}

/// A message with a title; any key closes it (and then does what it does).
pub fn draw_notice(title: &str, body: &str, frame: &mut Frame) {
    let width = 76u16.min(frame.area().width);
    let lines: Vec<Line> = wrap(body, width.saturating_sub(2) as usize)
        .into_iter()
        .map(Line::raw)
        .collect();
    let area = centered(frame, width, lines.len() as u16 + 2);
    let block = titled(format!(" {title} (any key closes) "));
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// The file could not be read: why, and what the teacher can do.
pub fn draw_recover(reason: &str, frame: &mut Frame) {
    let area = centered(frame, 70, 11);
    let mut text = vec![
        Line::styled("The gradebook file cannot be opened", theme().error),
        Line::raw(reason.to_string()),
        Line::raw(""),
    ];
    for b in keymap::help_rows(Context::Recover).filter(|b| b.mods.is_empty()) {
        text.push(Line::from(vec![
            Span::styled(b.label, theme().key),
            Span::raw(format!(" {}", b.help)),
        ]));
    }
    frame.render_widget(
        Paragraph::new(text)
            .wrap(Wrap { trim: true })
            .block(titled(" Unreadable file ".into())),
        area,
    );
}
