//! Live previews of policy changes: before letters, weights, drops, a late policy or a
//! curve are applied, the form says whose letter would change.

use super::data::Data;
use crate::model::{Command, Course, Preview};

/// How many students a preview names before "and N more".
const NAMED: usize = 200;

/// What `cmd` would do, in a sentence or two; or why it cannot be made.
pub fn note(data: &mut Data, cmd: Result<Command, String>) -> String {
    let result = cmd.and_then(|cmd| data.preview(cmd).map_err(|e| e.to_string()));
    match (result, data.course()) {
        (Ok(p), Some(course)) => describe(course, &p),
        (Err(e), _) => format!("Cannot apply: {e}"),
        (Ok(_), None) => String::new(),
    }
}

/// `2 letters would change: Ann B → A, Bob C → B (3 finals move)`.
pub fn describe(course: &Course, p: &Preview) -> String {
    let moved = crate::text::count(p.finals_moved, "final");
    if p.letters.is_empty() {
        return format!("Preview: no letter would change ({moved} would move).");
    }
    let blank = |l: &str| {
        if l.is_empty() {
            "–".to_string()
        } else {
            l.to_string()
        }
    };
    let mut names: Vec<String> = p
        .letters
        .iter()
        .take(NAMED)
        .map(|(s, old, new)| {
            format!(
                "{} {} → {}",
                course.students.at(*s).name,
                blank(old),
                blank(new)
            )
        })
        .collect();
    if p.letters.len() > NAMED {
        names.push(format!("and {} more", p.letters.len() - NAMED));
    }
    format!(
        "Preview: {} would change: {} ({moved} would move).",
        crate::text::count(p.letters.len(), "letter"),
        names.join(", ")
    )
}

/// A preview's words once the change is made: `2 letters changed: ...`.
pub fn done(note: &str) -> String {
    note.replace("Preview: ", "")
        .replace("would change", "changed")
        .replace("would move", "moved")
}
