//! Text for people: aligned tables for any Unicode (wide characters included), times,
//! numbers. Shared by the commands and the screens.

use chrono::{DateTime, Local, Utc};
use unicode_width::UnicodeWidthStr;

/// Pads `s` to `width` display columns, on the left when `right` is set.
pub fn pad(s: &str, width: usize, right: bool) -> String {
    let fill = " ".repeat(width.saturating_sub(s.width()));
    if right {
        format!("{fill}{s}")
    } else {
        format!("{s}{fill}")
    }
}

/// A table with an optional header row; columns separated by two spaces, no trailing blanks.
pub fn table(header: &[&str], rows: &[Vec<String>], right: &[bool]) -> String {
    let cols = header
        .len()
        .max(rows.iter().map(Vec::len).max().unwrap_or(0));
    let mut widths = vec![0; cols];
    let header_row: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    let all = std::iter::once(&header_row)
        .filter(|h| !h.is_empty())
        .chain(rows);
    for row in all.clone() {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    let mut out = String::new();
    for row in all {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, c)| pad(c, widths[i], right.get(i).copied().unwrap_or(false)))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// A time as the teacher's clock shows it.
pub fn local_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// A percentage or points with one decimal, or "–" when there is none.
pub fn one_decimal(x: Option<f64>) -> String {
    x.map_or_else(|| "–".to_string(), |x| format!("{x:.1}"))
}

/// "1 student", "3 students".
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
