//! Checks on what a teacher types or a file contains, each with a message fit for the user.

use super::MAX_NAME_CHARS;
use super::Study;
use crate::error::ModelError;
use crate::predictor::TrainedModel;
use crate::text::quote;

/// Trims a name and checks it: non-empty, at most 100 characters, no control characters,
/// nothing invisible or that reorders text. Returns it in Unicode NFC, so that a name
/// typed with decomposed accents is stored as most keyboards type it.
pub fn check_name(what: &'static str, name: &str) -> Result<String, ModelError> {
    use unicode_normalization::UnicodeNormalization;
    let name = check_name_str(what, name)?;
    Ok(if name.is_ascii() {
        name.to_string()
    } else {
        name.nfc().collect()
    })
}

/// Whether a name ends in `(computed)`, read as a person would (full-width brackets,
/// capitals and invisible joiners included): kept for the columns an export computes
/// (final grade, letter...), so that no assessment can be mistaken for one, or one for it.
pub fn is_computed_name(name: &str) -> bool {
    use caseless::Caseless;
    use unicode_normalization::UnicodeNormalization;
    let key: String = name
        .nfkc()
        .default_case_fold()
        .filter(|&c| !is_ignorable(c) && !is_hidden(c))
        .collect();
    key.trim_end().ends_with("(computed)")
}

/// An assessment's name: a name, and not one kept for computed columns.
pub fn check_assessment_name(name: &str) -> Result<String, ModelError> {
    let name = check_name("assessment", name)?;
    if is_computed_name(&name) {
        return Err(ModelError::invalid(
            "assessment names ending in \"(computed)\" are kept for the columns an export computes",
        ));
    }
    Ok(name)
}

/// Characters refused in names: they show nothing, or change the direction of the text
/// after them, so two names that look the same could differ, or a report line could be
/// shown reversed. Unicode's default-ignorable code points (bidi controls, zero-width
/// space, word joiner, soft hyphen, BOM, tag characters, fillers...) but for the joiners
/// and variation selectors of [`is_ignorable`], the other format characters, and the
/// blank Braille pattern.
pub fn is_hidden(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}'..='\u{1160}' | '\u{17B4}'..='\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}' | '\u{200E}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{FFF0}'..='\u{FFFB}' | '\u{1BCA0}'..='\u{1BCA3}'
        | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E00FF}' | '\u{E01F0}'..='\u{E0FFF}'
        | '\u{0600}'..='\u{0605}' | '\u{06DD}' | '\u{070F}' | '\u{0890}'..='\u{0891}'
        | '\u{08E2}' | '\u{110BD}' | '\u{110CD}' | '\u{13430}'..='\u{1343F}' | '\u{2800}')
}

/// Characters left out when names are compared: the joiners some scripts and emoji need
/// (so they are allowed) but which change nothing a reader sees, and variation selectors.
pub fn is_ignorable(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}' | '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}')
}

/// Checks a name already stored: valid and without surrounding spaces. Allocates nothing.
pub fn check_stored_name(what: &'static str, name: &str) -> Result<(), ModelError> {
    // Most names: printable ASCII, no space at either end, short enough.
    let b = name.as_bytes();
    if (1..=MAX_NAME_CHARS).contains(&b.len())
        && b[0] != b' '
        && b[b.len() - 1] != b' '
        && b.iter().all(|&c| (b' '..=b'~').contains(&c))
    {
        return Ok(());
    }
    if check_name_str(what, name)?.len() != name.len() {
        return Err(ModelError::invalid(format!(
            "{what} name has surrounding spaces"
        )));
    }
    Ok(())
}

fn check_name_str<'a>(what: &'static str, name: &'a str) -> Result<&'a str, ModelError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(ModelError::invalid(format!("{what} name cannot be empty")));
    }
    let chars = if name.is_ascii() {
        name.len()
    } else {
        name.chars().count()
    };
    if chars > MAX_NAME_CHARS {
        return Err(ModelError::invalid(format!(
            "{what} name is longer than {MAX_NAME_CHARS} characters"
        )));
    }
    let control = if name.is_ascii() {
        name.bytes().any(|b| b.is_ascii_control())
    } else {
        name.chars().any(char::is_control)
    };
    if control {
        return Err(ModelError::invalid(format!(
            "{what} name cannot contain control characters"
        )));
    }
    if let Some(c) = (!name.is_ascii())
        .then(|| name.chars().find(|&c| is_hidden(c)))
        .flatten()
    {
        return Err(ModelError::invalid(format!(
            "{what} name cannot contain invisible or direction-changing characters (U+{:04X})",
            u32::from(c)
        )));
    }
    Ok(name)
}

/// Points must be a finite number from 0 to twice the assessment's maximum (above the
/// maximum is bonus).
#[inline]
pub fn check_points(points: f64, max_points: f64, assessment: &str) -> Result<(), ModelError> {
    if (0.0..=2.0 * max_points).contains(&points) {
        Ok(())
    } else {
        Err(points_error(points, max_points, assessment))
    }
}

#[cold]
fn points_error(points: f64, max_points: f64, assessment: &str) -> ModelError {
    if !points.is_finite() {
        return ModelError::invalid("points must be a finite number");
    }
    ModelError::invalid(format!(
        "points must be from 0 to {} for {assessment} (up to {} with bonus), not {}",
        fmt_num(max_points),
        fmt_num(2.0 * max_points),
        fmt_num(points)
    ))
}

/// A cell's comment: at most 500 characters, line breaks and tabs allowed, no other
/// control character nor anything invisible or direction-changing.
pub fn check_comment(comment: &str) -> Result<(), ModelError> {
    use super::MAX_COMMENT_CHARS;
    if comment.chars().count() > MAX_COMMENT_CHARS {
        return Err(ModelError::invalid(format!(
            "a comment is at most {MAX_COMMENT_CHARS} characters"
        )));
    }
    if comment
        .chars()
        .any(|c| (c.is_control() && c != '\n' && c != '\t') || is_hidden(c))
    {
        return Err(ModelError::invalid(
            "a comment cannot contain control, invisible or direction-changing characters",
        ));
    }
    Ok(())
}

/// A category's weight (0 allowed, at most [`MAX_WEIGHT`]) and drop count.
pub fn check_category(c: &super::Category) -> Result<(), ModelError> {
    if !(0.0..=MAX_WEIGHT).contains(&c.weight) {
        return Err(ModelError::invalid(format!(
            "a category's weight must be from 0 to {}, not {}",
            fmt_num(MAX_WEIGHT),
            quote(&fmt_num(c.weight))
        )));
    }
    if c.drop_lowest > MAX_DROP {
        return Err(ModelError::invalid(format!(
            "a category drops at most {MAX_DROP} items"
        )));
    }
    Ok(())
}

/// A late policy: percent per day and most percent lost, finite, per day ≥ 0, most 0 to
/// 100.
pub fn check_late_policy(p: &super::LatePolicy) -> Result<(), ModelError> {
    if !(p.per_day >= 0.0 && p.per_day <= 100.0) {
        return Err(ModelError::invalid(format!(
            "late work loses from 0 to 100 percent a day, not {}",
            quote(&fmt_num(p.per_day))
        )));
    }
    if !(0.0..=100.0).contains(&p.max) {
        return Err(ModelError::invalid(format!(
            "the most late work can lose in all is from 0 to 100 percent, not {}",
            quote(&fmt_num(p.max))
        )));
    }
    Ok(())
}

/// Most courses a gradebook holds, and assessments, students and observations a course
/// holds: far beyond any school, and small enough that no file or import can make a
/// check or a screen crawl.
pub const MAX_COURSES: usize = 1_000;
pub const MAX_CATEGORIES: usize = 100;
/// Most items a category may drop.
pub const MAX_DROP: u32 = 1_000;
pub const MAX_ASSESSMENTS: usize = 1_000;
pub const MAX_STUDENTS: usize = 1_000_000;
pub const MAX_OBSERVATIONS: usize = 100_000_000;

/// Refuses more than `max` of something (`what`: "courses in a gradebook").
pub fn check_count(what: &str, n: usize, max: usize) -> Result<(), ModelError> {
    if n > max {
        return Err(ModelError::invalid(format!(
            "there can be at most {max} {what}, not {n}"
        )));
    }
    Ok(())
}

/// Smallest and largest weight and max points. Bounded, every sum behind a final grade
/// stays finite and exact enough (a weight of 1e308 once made every final infinite, one
/// of 5e-324 lost every digit).
pub const MIN_WEIGHT: f64 = 0.001;
pub const MAX_WEIGHT: f64 = 1_000_000.0;

/// Weights and max points must be from [`MIN_WEIGHT`] to [`MAX_WEIGHT`].
pub fn check_positive(what: &str, value: f64) -> Result<(), ModelError> {
    if !(MIN_WEIGHT..=MAX_WEIGHT).contains(&value) {
        return Err(ModelError::invalid(format!(
            "{what} must be from {} to {}, not {}",
            fmt_num(MIN_WEIGHT),
            fmt_num(MAX_WEIGHT),
            crate::text::quote(&fmt_num(value))
        )));
    }
    Ok(())
}

/// Study hours: finite, 0 to 168 (the hours in a week).
pub fn check_hours(hours: f64) -> Result<(), ModelError> {
    if !hours.is_finite() {
        return Err(ModelError::invalid("study hours must be a finite number"));
    }
    if hours < 0.0 {
        return Err(ModelError::invalid("study hours cannot be negative"));
    }
    if hours > 168.0 {
        return Err(ModelError::invalid(format!(
            "study hours cannot exceed 168 (the hours in a week), not {}",
            fmt_num(hours)
        )));
    }
    Ok(())
}

/// Test scores: finite, 0 to 100.
pub fn check_score(score: f64) -> Result<(), ModelError> {
    if !score.is_finite() || !(0.0..=100.0).contains(&score) {
        return Err(ModelError::invalid(format!(
            "test score must be from 0 to 100, not {}",
            fmt_num(score)
        )));
    }
    Ok(())
}

/// Parses a number typed by the user: finite, with a decimal point or a decimal comma
/// (`7,5` as much of Europe writes it).
pub fn parse_number(what: &str, text: &str) -> Result<f64, ModelError> {
    let trimmed = text.trim();
    let parsed = match decimal_comma(trimmed) {
        Some(dotted) => dotted.parse::<f64>(),
        None => trimmed.parse::<f64>(),
    };
    match parsed {
        // + 0.0 makes -0 a plain 0.
        Ok(x) if x.is_finite() => Ok(x + 0.0),
        Ok(_) => Err(ModelError::invalid(format!(
            "{what} must be a finite number, not {}",
            quote(trimmed)
        ))),
        Err(_) => Err(ModelError::invalid(format!(
            "{what} must be a number, not {}",
            quote(trimmed)
        ))),
    }
}

/// `7,5` as `7.5`: one comma between digits, and no point.
fn decimal_comma(text: &str) -> Option<String> {
    let (whole, fraction) = text.split_once(',')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let whole_digits = whole.strip_prefix(['-', '+']).unwrap_or(whole);
    (digits(whole_digits) && digits(fraction)).then(|| format!("{whole}.{fraction}"))
}

/// A number as a teacher would write it: no trailing `.0`, shortest exact digits; with
/// an exponent when that is shorter than hundreds of zeros (`1e308`, `5e-324`).
pub fn fmt_num(x: f64) -> String {
    let a = x.abs();
    if a != 0.0 && !(1e-6..1e16).contains(&a) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// A stored study-hours model must be one training could have produced: every number
/// finite, at least two observations, hours within a week and in order, sums and fit
/// measures in their ranges, and `n` the number of observations when it was trained on the
/// observations the course has now (then the fingerprints agree). A stale model was
/// trained on other data, whose count is not kept.
pub fn check_model(m: &TrainedModel, study: &Study) -> Result<(), ModelError> {
    let bad = |what: &str| Err(ModelError::invalid(format!("the trained model {what}")));
    let numbers = [
        m.slope,
        m.intercept,
        m.mse,
        m.r2,
        m.hours_min,
        m.hours_max,
        m.hours_mean,
        m.sxx,
        m.sse,
    ];
    if !numbers.iter().all(|x| x.is_finite()) {
        return bad("has a number that is not finite");
    }
    if m.n < 2 {
        return bad("needs at least two observations");
    }
    if !(0.0 <= m.hours_min && m.hours_min < m.hours_max && m.hours_max <= 168.0) {
        return bad("has an impossible range of hours");
    }
    // The mean is computed, so it may stray from the range by rounding, never further.
    let slack = 1e-9 * m.hours_max;
    if !(m.hours_min - slack <= m.hours_mean && m.hours_mean <= m.hours_max + slack) {
        return bad("has a mean of hours outside their range");
    }
    if !(m.sxx > 0.0 && m.sse >= 0.0 && m.mse >= 0.0 && (0.0..=1.0).contains(&m.r2)) {
        return bad("has impossible sums or fit measures");
    }
    let current = crate::predictor::fingerprint(study.hours(), study.scores());
    if m.fingerprint == current && m.n != study.len() as u64 {
        return bad("does not match the number of observations");
    }
    let n = m.n as f64;
    if (m.mse - m.sse / n).abs() > 1e-9 * m.mse.max(f64::MIN_POSITIVE) {
        return bad("has a mean squared error that is not its sum over n");
    }
    // Scores are 0 to 100 and hours 0 to 168: the sums cannot exceed what such data
    // gives, and the fitted line passes through the mean score, itself 0 to 100.
    if m.sse > n * 1e4 || m.sxx > n * 168.0 * 168.0 {
        return bad("has sums larger than any data could give");
    }
    let mean_score = m.intercept + m.slope * m.hours_mean;
    let slack = 1e-9 * (1.0 + (m.slope * m.hours_mean).abs());
    if !(-slack..=100.0 + slack).contains(&mean_score) {
        return bad("has a line that does not pass through scores from 0 to 100");
    }
    Ok(())
}
