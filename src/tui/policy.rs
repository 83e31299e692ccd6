//! The forms that change a course's policy (letters, late policy, a category), shared by
//! the screens that offer them. Each form's change can be built from what is typed so far,
//! for the live preview of whose letter it would change.

use super::data::Data;
use super::popup::{Form, Mistake};
use crate::model::{Category, CategoryMode, Command, Course, LatePolicy, LetterScheme, fmt_num};

/// The letters, as text: a preset's name, four thresholds, or `A=90 B=80 ... F=0`.
pub fn letters_form<K>(kind: K, course: &Course) -> Form<K> {
    let title = "Letters: default, plus-minus, or your own (A=95 B=85 C=75 D=65 F=0)";
    Form::new(kind, title, &[("Letters", course.letters.text())]).submit_as("apply")
}

pub fn letters_command(form: &Form<impl Sized>, data: &Data) -> Result<Command, Mistake> {
    let course = data.course_index().ok_or("no course")?;
    let letters = LetterScheme::read(form.value(0)).map_err(|e| Mistake::at(0, e))?;
    Ok(Command::SetLetters { course, letters })
}

/// The late policy: percent lost a day and at most; both empty for none.
pub fn late_form<K>(kind: K, course: &Course) -> Form<K> {
    let (per_day, max) = course
        .late_policy
        .map_or((String::new(), String::new()), |p| {
            (fmt_num(p.per_day), fmt_num(p.max))
        });
    let title = "Late work loses a percent of the max points a day (both empty: nothing)";
    let fields = [("Percent a day", per_day), ("At most percent", max)];
    Form::new(kind, title, &fields).submit_as("apply")
}

pub fn late_command(form: &Form<impl Sized>, data: &Data) -> Result<Command, Mistake> {
    let course = data.course_index().ok_or("no course")?;
    let policy = if form.value(0).trim().is_empty() && form.value(1).trim().is_empty() {
        None
    } else {
        Some(LatePolicy {
            per_day: form.number(0, "percent a day")?,
            max: form.number(1, "most percent")?,
        })
    };
    Ok(Command::SetLatePolicy { course, policy })
}

/// A category's name, weight, drops and mode (prefilled from `category` when editing).
pub fn category_form<K>(kind: K, title: &str, category: Option<&Category>) -> Form<K> {
    let c = category.cloned().unwrap_or_else(|| Category::named(""));
    let fields = [
        ("Name", c.name),
        ("Weight", fmt_num(c.weight)),
        ("Drop lowest", c.drop_lowest.to_string()),
        ("Mode (mean or points)", c.mode.name().to_string()),
    ];
    Form::new(kind, title, &fields)
}

pub fn category_value(form: &Form<impl Sized>) -> Result<Category, Mistake> {
    let drop = form.value(2).trim();
    let mode = form.value(3);
    Ok(Category {
        name: form.value(0).to_string(),
        weight: form.number(1, "a category's weight")?,
        drop_lowest: drop.parse().map_err(|_| {
            Mistake::at(
                2,
                format!(
                    "drop lowest is a whole number, not {}",
                    crate::text::quote(drop)
                ),
            )
        })?,
        mode: CategoryMode::parse(mode).ok_or_else(|| {
            Mistake::at(
                3,
                format!(
                    "the mode is mean or points, not {}",
                    crate::text::quote(mode)
                ),
            )
        })?,
    })
}

/// Points to add to every graded cell of assessment `a`.
pub fn curve_form<K>(kind: K, course: &Course, a: usize) -> Form<K> {
    let x = &course.assessments[a];
    let title = format!(
        "Curve {}: points added to every graded cell (up to {})",
        x.name,
        fmt_num(2.0 * x.max_points)
    );
    Form::new(kind, title, &[("Points to add", String::new())]).submit_as("curve")
}

pub fn curve_command(form: &Form<impl Sized>, data: &Data, a: usize) -> Result<Command, Mistake> {
    let add = form.number(0, "points to add")?;
    let c = data.course_index().ok_or("no course")?;
    Ok(data.book().curve(c, a, add)?)
}
