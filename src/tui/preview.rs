//! Live previews of policy changes: before letters, weights, drops, a late policy or a
//! curve are applied, the form says whose letter would change.

use super::data::Data;
use crate::model::{Command, Course, Preview};

/// How many students a preview names before "and N more".
const NAMED: usize = 200;

/// What `cmd` would do, in a sentence or two; or why it cannot be made.
pub fn note(data: &mut Data, cmd: Result<Command, String>) -> String {
    said(data, cmd, false)
}

/// What `cmd` does, said once it is made (`2 letters changed: ...`); taken before it is.
pub fn done(data: &mut Data, cmd: Command) -> String {
    said(data, Ok(cmd), true)
}

fn said(data: &mut Data, cmd: Result<Command, String>, done: bool) -> String {
    let result = cmd.and_then(|cmd| data.preview(cmd).map_err(|e| e.to_string()));
    match (result, data.course()) {
        (Ok(p), Some(course)) => describe(course, &p, done),
        (Err(e), _) => format!("Cannot apply: {e}"),
        (Ok(_), None) => String::new(),
    }
}

/// `2 letters would change: Ann B → A, Bob C → B (3 finals would move)`; with `done`,
/// `2 letters changed: ... (3 finals moved)`.
pub fn describe(course: &Course, p: &Preview, done: bool) -> String {
    let moved = crate::text::count(p.finals_moved, "final");
    let (preview, change, moves) = if done {
        ("", "changed", "moved")
    } else {
        ("Preview: ", "would change", "would move")
    };
    if p.letters.is_empty() {
        return format!("{preview}no letter {change} ({moved} {moves}).");
    }
    let mut names: Vec<String> = p
        .letters
        .iter()
        .take(NAMED)
        .map(|(s, old, new)| {
            format!(
                "{} {} → {}",
                course.students.at(*s).name,
                crate::text::or_dash(old),
                crate::text::or_dash(new)
            )
        })
        .collect();
    if p.letters.len() > NAMED {
        names.push(format!("and {} more", p.letters.len() - NAMED));
    }
    format!(
        "{preview}{} {change}: {} ({moved} {moves}).",
        crate::text::count(p.letters.len(), "letter"),
        names.join(", ")
    )
}
