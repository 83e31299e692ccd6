//! The forms that change a course's policy (letters, late policy, a category), shared by
//! the screens that offer them. Each form's change can be built from what is typed so far,
//! for the live preview of whose letter it would change.

use super::data::Data;
use super::popup::{Form, Mistake};
use crate::model::{Category, CategoryMode, Command, Course, LatePolicy, LetterScheme, fmt_num};

/// The letters, as text: a preset's name, four thresholds, or `A=90 B=80 ... F=0`.
pub fn letters_form<K>(kind: K, course: &Course) -> Form<K> {
    let mut form = Form::new(kind, "Letters", &[("Letters", course.letters.text())]);
    form.note = Some("default, plus-minus, or your own: A=95 B=85 C=75 D=65 F=0".into());
    form.submit_as("apply")
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
    let title = "Late policy (both empty: none)";
    let fields = [("Percent lost a day", per_day), ("At most, in all", max)];
    Form::new(kind, title, &fields).submit_as("apply")
}

pub fn late_command(form: &Form<impl Sized>, data: &Data) -> Result<Command, Mistake> {
    let course = data.course_index().ok_or("no course")?;
    let policy = if form.value(0).trim().is_empty() && form.value(1).trim().is_empty() {
        None
    } else {
        let policy = LatePolicy {
            per_day: form.number(0, "the percent lost a day")?,
            max: form.number(1, "the most percent lost")?,
        };
        // Each mistake on the field it is about.
        let per_day_only = LatePolicy {
            max: 100.0,
            ..policy
        };
        crate::model::check_late_policy(&per_day_only).map_err(|e| Mistake::at(0, e))?;
        crate::model::check_late_policy(&policy).map_err(|e| Mistake::at(1, e))?;
        Some(policy)
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

/// A curve in words, for the message and the undo history: `curved Quiz 1 by +2 points`.
pub fn curve_label(course: &Course, a: usize, form: &Form<impl Sized>) -> String {
    let name = course.assessments.get(a).map_or("", |x| x.name.as_str());
    let add = form.number(0, "points").unwrap_or(0.0);
    let sign = if add >= 0.0 { "+" } else { "−" };
    format!(
        "curved {} by {sign}{} points",
        crate::text::quote(name),
        fmt_num(add.abs())
    )
}

/// What a curve of `add` points does to the cells beyond the simple sum: how many go
/// above the max points (bonus), and how many stop at twice the max or at 0.
pub fn curve_effect(course: &Course, a: usize, add: f64) -> Option<String> {
    let max = course.assessments.get(a)?.max_points;
    let (mut bonus, mut capped, mut floored) = (0, 0, 0);
    for s in &course.students {
        if let Some(crate::model::Mark::Points(p)) = s.marks.get(a) {
            let raw = p + add;
            if raw > 2.0 * max {
                capped += 1;
            } else if raw < 0.0 {
                floored += 1;
            } else if raw > max && p <= max {
                bonus += 1;
            }
        }
    }
    let mut parts = Vec::new();
    if bonus > 0 {
        parts.push(format!(
            "{} above the max of {} (bonus)",
            crate::text::count(bonus, "grade"),
            fmt_num(max)
        ));
    }
    if capped > 0 {
        parts.push(format!(
            "{} at twice the max ({})",
            crate::text::count(capped, "grade"),
            fmt_num(2.0 * max)
        ));
    }
    if floored > 0 {
        parts.push(format!("{} at 0", crate::text::count(floored, "grade")));
    }
    (!parts.is_empty()).then(|| {
        let mut text = parts.join(", ");
        text.insert_str(0, "Then ");
        text.push('.');
        text
    })
}

/// The note a curve form shows as the teacher types: nothing before a number, else the
/// preview and what happens at the max.
pub fn curve_note(form: &Form<impl Sized>, data: &mut Data, a: usize) -> Option<String> {
    if form.value(0).trim().is_empty() {
        return None;
    }
    let cmd = curve_command(form, data, a).map_err(|m| m.message);
    let mut note = super::preview::note(data, cmd);
    if let (Ok(add), Some(course)) = (form.number(0, "points"), data.course())
        && let Some(effect) = curve_effect(course, a, add)
    {
        note.push(' ');
        note.push_str(&effect);
    }
    Some(note)
}
