//! The syllabus's numbers (PRODUCT.md 2.1): the percent of a cell with late work, each
//! category's percent with the drops best for the student, the final over categories,
//! the final with every empty cell as a zero, and the score needed for each letter.
//!
//! For a category with regular items K (counted: points or missing, not excused) and
//! extra-credit items E: P = (Σ_K wᵢqᵢ + Σ_E wₑqₑ) / Σ_K wᵢ, w the assessment weight (mean
//! mode) or its max points (points mode). Exactly k = min(drop_lowest, droppable, |K| − 1)
//! items of K are dropped, those whose removal gives the highest P. The final is
//! Σ W_c·P_c / Σ W_c over categories with a percent and a weight above 0.

use crate::model::{CategoryMode, Cell, Course, Mark, StudentRef};

/// How a course turns cells into grades, worked out once for all its students.
#[derive(Debug, Clone)]
pub struct Plan<'a> {
    course: &'a Course,
    /// For each category, its assessments in course order.
    members: Vec<Vec<usize>>,
}

/// What a student's grades come to.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Standing {
    /// The current grade: empty cells left out.
    pub final_grade: Option<f64>,
    /// Each category's percent; `None` where it counts no regular item.
    pub categories: Vec<Option<f64>>,
    /// The assessments dropped, in course order.
    pub dropped: Vec<usize>,
}

/// How empty cells count.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Empty {
    /// Left out (the current grade).
    Skip,
    /// As this percent (0 for the final with zeros; x for the score needed).
    As(f64),
}

/// A counted item of a category.
#[derive(Debug, Clone, Copy)]
struct Item {
    assessment: usize,
    q: f64,
    w: f64,
    droppable: bool,
}

/// The percent a cell counts for in an assessment of `max_points`, late work lost: `None`
/// for an empty or excused cell, 0 for a missing one.
pub fn percent(cell: &Cell, max_points: f64, course: &Course) -> Option<f64> {
    mark_percent(cell.mark, cell.late_days, max_points, course)
}

fn mark_percent(mark: Mark, late_days: u32, max_points: f64, course: &Course) -> Option<f64> {
    match mark {
        Mark::Empty | Mark::Excused => None,
        Mark::Missing => Some(0.0),
        Mark::Points(points) => {
            let effective = match &course.late_policy {
                Some(policy) => policy.effective(points, max_points, late_days),
                None => points,
            };
            Some(effective / max_points * 100.0)
        }
    }
}

impl<'a> Plan<'a> {
    pub fn of(course: &'a Course) -> Self {
        let mut members = vec![Vec::new(); course.categories.len()];
        for (a, assessment) in course.assessments.iter().enumerate() {
            if let Some(m) = members.get_mut(assessment.category) {
                m.push(a);
            }
        }
        Self { course, members }
    }

    /// The current grade of a student.
    pub fn final_grade(&self, student: StudentRef<'_>) -> Option<f64> {
        self.evaluate(student, Empty::Skip, None)
    }

    /// The final with every empty cell counted as missing (0).
    pub fn final_with_zeros(&self, student: StudentRef<'_>) -> Option<f64> {
        self.evaluate(student, Empty::As(0.0), None)
    }

    /// The current grade with its category percents and drops.
    pub fn standing(&self, student: StudentRef<'_>) -> Standing {
        let mut standing = Standing::default();
        standing.final_grade = self.evaluate(student, Empty::Skip, Some(&mut standing));
        standing.dropped.sort_unstable();
        standing
    }

    /// The percent student `s` counts for in assessment `a`, late work lost; `None` for
    /// an empty or excused cell.
    pub fn cell_percent(&self, student: StudentRef<'_>, a: usize) -> Option<f64> {
        let mark = student.marks.get(a)?;
        let late = if matches!(mark, Mark::Points(_)) {
            student.late_days(a)
        } else {
            0
        };
        mark_percent(
            mark,
            late,
            self.course.assessments[a].max_points,
            self.course,
        )
    }

    fn percent_or(&self, student: StudentRef<'_>, a: usize, empty: Empty) -> Option<f64> {
        match (student.marks.get(a), empty) {
            (Some(Mark::Empty), Empty::As(x)) => Some(x),
            _ => self.cell_percent(student, a),
        }
    }

    /// The final under `empty`; fills `details` with categories and drops if given.
    fn evaluate(
        &self,
        student: StudentRef<'_>,
        empty: Empty,
        mut details: Option<&mut Standing>,
    ) -> Option<f64> {
        let mut items = Vec::new();
        let (mut num, mut den, mut any) = (0.0, 0.0, false);
        for (c, category) in self.course.categories.iter().enumerate() {
            items.clear();
            let mut extra = 0.0;
            for &a in &self.members[c] {
                let assessment = &self.course.assessments[a];
                let Some(q) = self.percent_or(student, a, empty) else {
                    continue;
                };
                let w = match category.mode {
                    CategoryMode::Mean => assessment.weight,
                    CategoryMode::Points => assessment.max_points,
                };
                if assessment.extra_credit {
                    extra += w * q;
                } else {
                    items.push(Item {
                        assessment: a,
                        q,
                        w,
                        droppable: !assessment.never_drop,
                    });
                }
            }
            let (p, dropped) = category_percent(&items, extra, category.drop_lowest as usize);
            if let Some(d) = details.as_deref_mut() {
                d.categories.push(p);
                d.dropped.extend(dropped);
            }
            if let Some(p) = p
                && category.weight > 0.0
            {
                num += category.weight * p;
                den += category.weight;
                any = true;
            }
        }
        any.then(|| num / den)
    }

    /// For each letter but the last, the smallest percent x ≥ 0 that, scored on every
    /// empty cell of the student (extra credit included), brings the final (unrounded,
    /// drops recomputed) to the letter's lowest percent; `None` when the student has no
    /// empty cell or no x reaches it. Not capped: it may exceed 100 or 200.
    pub fn needed(&self, student: StudentRef<'_>) -> Vec<Option<f64>> {
        let letters = &self.course.letters.0;
        let wanted = letters.len().saturating_sub(1);
        if !student.marks.contains(Mark::Empty) {
            return vec![None; wanted];
        }
        let f = |x: f64| {
            self.evaluate(student, Empty::As(x), None)
                .unwrap_or(f64::NEG_INFINITY)
        };
        let linear = self.is_linear(student);
        letters[..wanted]
            .iter()
            .map(|g| solve(&f, g.min, linear))
            .collect()
    }

    /// Whether the final is a straight line in the score on the empty cells: no category
    /// that drops anything has an empty cell (else the drops may change with the score).
    fn is_linear(&self, student: StudentRef<'_>) -> bool {
        self.course.categories.iter().enumerate().all(|(c, cat)| {
            cat.drop_lowest == 0
                || !self.members[c]
                    .iter()
                    .any(|&a| student.marks.get(a) == Some(Mark::Empty))
        })
    }
}

/// How far apart two finals may be and still be one number computed two ways: a few
/// units of float rounding (0.739 · 60 / 0.739 is 59.99999999999999, not 60), far below
/// anything a grade can mean.
pub fn noise(x: f64) -> f64 {
    x.abs().max(1.0) * 1e-12
}

/// Whether two finals are the same number (ties in ranks and the top student).
pub fn same_final(a: f64, b: f64) -> bool {
    (a - b).abs() <= noise(a.abs().max(b.abs()))
}

/// Whether a final reaches `target`, float noise forgiven.
pub fn reaches(final_grade: f64, target: f64) -> bool {
    final_grade >= target - noise(target)
}

/// The smallest x ≥ 0 with f(x) ≥ target, f nondecreasing; straight from two points when
/// f is a line, else by bisection.
fn solve(f: &impl Fn(f64) -> f64, target: f64, linear: bool) -> Option<f64> {
    let at_zero = f(0.0);
    if reaches(at_zero, target) {
        return Some(0.0);
    }
    if linear {
        let slope = (f(100.0) - at_zero) / 100.0;
        if slope.is_nan() || slope <= 0.0 {
            return None;
        }
        let x = (target - at_zero) / slope;
        return x.is_finite().then_some(x);
    }
    // Raising scores never lowers a final: find a score that reaches it, then halve.
    let mut hi = 100.0;
    while f(hi) < target {
        hi *= 2.0;
        if hi > 1e12 {
            return None;
        }
    }
    let mut lo = 0.0;
    for _ in 0..200 {
        let mid = lo + (hi - lo) / 2.0;
        if mid <= lo || mid >= hi {
            break;
        }
        if f(mid) >= target {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some(hi)
}

/// A category's percent and the assessments it drops.
fn category_percent(items: &[Item], extra: f64, drop_lowest: usize) -> (Option<f64>, Vec<usize>) {
    if items.is_empty() {
        return (None, Vec::new());
    }
    let droppable = items.iter().filter(|i| i.droppable).count();
    let k = drop_lowest.min(droppable).min(items.len() - 1);
    if k == 0 {
        return (Some(ratio(items, &[], extra)), Vec::new());
    }
    let dropped = best_drop(items, k, extra);
    let p = ratio(items, &dropped, extra);
    (
        Some(p),
        dropped.iter().map(|&i| items[i].assessment).collect(),
    )
}

/// (Σ wq + extra) / Σ w over the items not in `dropped` (positions in `items`), summed in
/// course order.
fn ratio(items: &[Item], dropped: &[usize], extra: f64) -> f64 {
    let (mut s, mut sw) = (0.0, 0.0);
    for (i, item) in items.iter().enumerate() {
        if !dropped.contains(&i) {
            s += item.w * item.q;
            sw += item.w;
        }
    }
    (s + extra) / sw
}

/// The k droppable items whose removal gives the highest percent (positions in
/// `items`). Dinkelbach's method: for a candidate percent t, the best drop removes the k
/// items with the smallest w(q − t); its percent is at least t, and equal only at the
/// optimum, which a finite number of rounds reaches. Among drops that are as good, the
/// lowest percents go first, then the earliest assessments.
fn best_drop(items: &[Item], k: usize, extra: f64) -> Vec<usize> {
    let mut drop = choose(items, k, |i| i.q);
    let mut t = ratio(items, &drop, extra);
    for _ in 0..100 {
        let next = choose(items, k, |i| i.w * (i.q - t));
        let p = ratio(items, &next, extra);
        if p > t {
            drop = next;
            t = p;
        } else {
            if p == t {
                drop = next;
            }
            break;
        }
    }
    drop
}

/// Positions of the k droppable items with the smallest key, then percent, then position.
fn choose(items: &[Item], k: usize, key: impl Fn(&Item) -> f64) -> Vec<usize> {
    let mut candidates: Vec<usize> = (0..items.len()).filter(|&i| items[i].droppable).collect();
    candidates.sort_by(|&a, &b| {
        key(&items[a])
            .total_cmp(&key(&items[b]))
            .then(items[a].q.total_cmp(&items[b].q))
            .then(a.cmp(&b))
    });
    candidates.truncate(k);
    candidates
}
