//! Class statistics over the students' final grades (PRODUCT.md 2.1: the current grade,
//! categories, drops and all), kept up to date one cell at a time.

use crate::grading::Plan;
use crate::model::{Cell, Course, round2};

/// Count, mean, median, sample standard deviation, min and max of the final grades.
/// Each is `None` where undefined (no student graded; std dev below two students).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ClassStats {
    pub count: usize,
    pub mean: Option<f64>,
    pub median: Option<f64>,
    pub std_dev: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

/// Everything the gradebook shows about a course, computed in one go.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Report {
    /// Final grade per student, in roster order.
    pub finals: Vec<Option<f64>>,
    /// Competition rank per student (1, 1, 3), `None` without a final grade.
    pub ranks: Vec<Option<usize>>,
    pub stats: ClassStats,
    /// Every student with the highest final grade, in roster order.
    pub top: Vec<usize>,
    /// Mean percent per assessment over the students it counts for.
    pub assessment_means: Vec<Option<f64>>,
    /// How many final grades earn each letter of the course's scheme, best first.
    pub letters: Vec<usize>,
}

impl Report {
    pub fn of(course: &Course) -> Self {
        let live = LiveStats::of(course);
        let ranks = live
            .finals
            .iter()
            .zip(&course.students)
            .map(|(f, s)| f.filter(|_| !s.profile.withdrawn()).map(|f| live.rank(f)))
            .collect();
        Self {
            ranks,
            finals: live.finals,
            stats: live.stats,
            top: live.top,
            assessment_means: live.assessment_means,
            letters: live.letters,
        }
    }
}

/// The statistics of a course kept up to date as cells change one at a time, without
/// rescanning every student: the interactive gradebook's view of [`Report`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LiveStats {
    /// Final grade per student, in roster order.
    pub finals: Vec<Option<f64>>,
    /// The final grades that exist, ascending: median, min, max and ranks by binary search.
    sorted: Vec<f64>,
    pub stats: ClassStats,
    /// Every student with the highest final grade, in roster order.
    pub top: Vec<usize>,
    /// How many final grades earn each letter of the course's scheme, best first.
    pub letters: Vec<usize>,
    /// Mean percent per assessment over the students it counts for (points and missing;
    /// late work lost).
    pub assessment_means: Vec<Option<f64>>,
    /// Sum of percents and count of counted cells per assessment.
    sums: Vec<(f64, usize)>,
}

impl LiveStats {
    /// Everything computed afresh.
    pub fn of(course: &Course) -> Self {
        let plan = Plan::of(course);
        let finals: Vec<Option<f64>> = course
            .students
            .iter()
            .map(|s| plan.final_grade(s))
            .collect();
        // Withdrawn students keep their finals but count in no statistic.
        let mut sorted: Vec<f64> = finals
            .iter()
            .zip(&course.students)
            .filter(|(_, s)| !s.profile.withdrawn())
            .filter_map(|(f, _)| *f)
            .collect();
        sorted.sort_unstable_by(f64::total_cmp);
        let mut sums = vec![(0.0, 0); course.assessments.len()];
        for s in course.students.iter().filter(|s| !s.profile.withdrawn()) {
            for (a, sum) in sums.iter_mut().enumerate() {
                if let Some(q) = plan.cell_percent(s, a) {
                    sum.0 += q;
                    sum.1 += 1;
                }
            }
        }
        let mut live = Self {
            finals,
            sorted,
            sums,
            ..Self::default()
        };
        live.summarise(course);
        live
    }

    /// Competition rank of a final grade: 1 + how many are strictly higher.
    pub fn rank(&self, final_grade: f64) -> usize {
        let highest_tie = final_grade + crate::grading::noise(final_grade);
        1 + self.sorted.len() - self.sorted.partition_point(|&v| v <= highest_tie)
    }

    /// After student `s` got a new cell in assessment `a` (`old` before).
    pub fn cell_changed(&mut self, course: &Course, s: usize, a: usize, old: &Cell) {
        let (Some(student), Some(assessment), true) = (
            course.students.get(s),
            course.assessments.get(a),
            self.finals.len() == course.students.len() && self.sums.len() > a,
        ) else {
            *self = Self::of(course);
            return;
        };
        let plan = Plan::of(course);
        if student.profile.withdrawn() {
            self.finals[s] = plan.final_grade(student);
            return;
        }
        let sum = &mut self.sums[a];
        if let Some(q) = crate::grading::percent(old, assessment.max_points, course) {
            sum.0 -= q;
            sum.1 -= 1;
        }
        if let Some(q) = plan.cell_percent(student, a) {
            sum.0 += q;
            sum.1 += 1;
        }
        // Recompute the column's mean exactly when it empties, so no rounding lingers.
        if sum.1 == 0 {
            sum.0 = 0.0;
        }
        let fin = plan.final_grade(student);
        let before = std::mem::replace(&mut self.finals[s], fin);
        if let Some(v) = before {
            let i = self.sorted.partition_point(|&x| x.total_cmp(&v).is_lt());
            self.sorted.remove(i);
        }
        if let Some(v) = fin {
            let i = self.sorted.partition_point(|&x| x.total_cmp(&v).is_lt());
            self.sorted.insert(i, v);
        }
        self.summarise(course);
    }

    /// The numbers that follow from `finals`, `sorted` and `sums`: linear in the number of
    /// graded students over contiguous memory, never touching the students themselves.
    fn summarise(&mut self, course: &Course) {
        self.stats = sorted_stats(&self.sorted);
        self.top = match self.stats.max {
            Some(max) => (0..self.finals.len())
                .filter(|&i| {
                    self.finals[i].is_some_and(|f| crate::grading::same_final(f, max))
                        && !course
                            .students
                            .get(i)
                            .is_some_and(|s| s.profile.withdrawn())
                })
                .collect(),
            None => Vec::new(),
        };
        // A letter's count: the finals that reach its lowest percent once rounded, less
        // those a better letter took. Rounding keeps the order, so each boundary is
        // one binary search.
        let reaching =
            |min: f64| self.sorted.len() - self.sorted.partition_point(|&v| round2(v) < min);
        let mut taken = 0;
        self.letters = course
            .letters
            .0
            .iter()
            .enumerate()
            .map(|(i, g)| {
                let last = i + 1 == course.letters.0.len();
                let reach = if last {
                    self.sorted.len()
                } else {
                    reaching(g.min)
                };
                let n = reach.saturating_sub(taken);
                taken = taken.max(reach);
                n
            })
            .collect();
        self.assessment_means = self
            .sums
            .iter()
            .map(|&(sum, count)| (count > 0).then(|| sum / count as f64))
            .collect();
    }
}

/// Class statistics from final grades sorted ascending.
fn sorted_stats(sorted: &[f64]) -> ClassStats {
    let count = sorted.len();
    if count == 0 {
        return ClassStats::default();
    }
    let n = count as f64;
    let mean = sorted.iter().sum::<f64>() / n;
    let std_dev = (count >= 2)
        .then(|| (sorted.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0)).sqrt());
    let mid = count / 2;
    let median = if count % 2 == 1 {
        sorted[mid]
    } else {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    };
    ClassStats {
        count,
        mean: Some(mean),
        median: Some(median),
        std_dev,
        min: sorted.first().copied(),
        max: sorted.last().copied(),
    }
}
