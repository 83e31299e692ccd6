//! Checks on what a teacher types or a file contains, each with a message fit for the user.

use super::MAX_NAME_CHARS;
use crate::error::ModelError;

/// Trims a name and checks it: non-empty, at most 100 characters, no control characters.
pub fn check_name(what: &'static str, name: &str) -> Result<String, ModelError> {
    check_name_str(what, name).map(str::to_string)
}

/// Checks a name already stored: valid and without surrounding spaces. Allocates nothing.
pub fn check_stored_name(what: &'static str, name: &str) -> Result<(), ModelError> {
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
    Ok(name)
}

/// Points must be a finite number from 0 to the assessment's maximum.
#[inline]
pub fn check_points(points: f64, max_points: f64, assessment: &str) -> Result<(), ModelError> {
    if (0.0..=max_points).contains(&points) {
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
        "points must be from 0 to {} for {assessment}, not {}",
        fmt_num(max_points),
        fmt_num(points)
    ))
}

/// Weights and max points must be finite and above zero.
pub fn check_positive(what: &str, value: f64) -> Result<(), ModelError> {
    if !value.is_finite() || value <= 0.0 {
        return Err(ModelError::invalid(format!(
            "{what} must be a number above 0, not {}",
            fmt_num(value)
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

/// Parses a number typed by the user: finite, with a decimal point.
pub fn parse_number(what: &str, text: &str) -> Result<f64, ModelError> {
    match text.trim().parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        Ok(_) => Err(ModelError::invalid(format!(
            "{what} must be a finite number, not \"{text}\""
        ))),
        Err(_) => Err(ModelError::invalid(format!(
            "{what} must be a number, not \"{}\"",
            text.trim()
        ))),
    }
}

/// A number as a teacher would write it: no trailing `.0`, shortest exact digits.
pub fn fmt_num(x: f64) -> String {
    format!("{x}")
}
