//! Class statistics: pure functions over a course's final grades.

use crate::model::Course;

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
    /// Mean percent per assessment over the students graded in it.
    pub assessment_means: Vec<Option<f64>>,
    /// How many final grades fall in each letter band: A, B, C, D, F.
    pub letters: [usize; 5],
}

impl Report {
    pub fn of(course: &Course) -> Self {
        let finals: Vec<Option<f64>> = course
            .students
            .iter()
            .map(|s| course.final_grade(s))
            .collect();
        let ranks = ranks(&finals);
        let stats = class_stats(&finals);
        let top = match stats.max {
            Some(max) => (0..finals.len())
                .filter(|&i| finals[i] == Some(max))
                .collect(),
            None => Vec::new(),
        };
        let mut letters = [0; 5];
        for f in finals.iter().flatten() {
            letters[letter_band(course.thresholds.letter(*f))] += 1;
        }
        Self {
            assessment_means: assessment_means(course),
            finals,
            ranks,
            stats,
            top,
            letters,
        }
    }
}

/// Position of a letter in [`Report::letters`].
pub fn letter_band(letter: char) -> usize {
    match letter {
        'A' => 0,
        'B' => 1,
        'C' => 2,
        'D' => 3,
        _ => 4,
    }
}

/// Statistics over the final grades that exist.
pub fn class_stats(finals: &[Option<f64>]) -> ClassStats {
    let mut values: Vec<f64> = finals.iter().flatten().copied().collect();
    let count = values.len();
    if count == 0 {
        return ClassStats::default();
    }
    let n = count as f64;
    let mean = values.iter().sum::<f64>() / n;
    let std_dev = (count >= 2).then(|| {
        let ss: f64 = values.iter().map(|v| (v - mean) * (v - mean)).sum();
        (ss / (n - 1.0)).sqrt()
    });
    values.sort_unstable_by(f64::total_cmp);
    let mid = count / 2;
    let median = if count % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    };
    ClassStats {
        count,
        mean: Some(mean),
        median: Some(median),
        std_dev,
        min: values.first().copied(),
        max: values.last().copied(),
    }
}

/// Competition ranking by final grade, highest first: equal grades share a rank and the
/// next rank skips (1, 1, 3).
pub fn ranks(finals: &[Option<f64>]) -> Vec<Option<usize>> {
    let mut order: Vec<(usize, f64)> = finals
        .iter()
        .enumerate()
        .filter_map(|(i, f)| f.map(|f| (i, f)))
        .collect();
    order.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut ranks = vec![None; finals.len()];
    let mut rank = 0;
    for (pos, &(i, f)) in order.iter().enumerate() {
        if pos == 0 || order[pos - 1].1 != f {
            rank = pos + 1;
        }
        ranks[i] = Some(rank);
    }
    ranks
}

/// Mean percent of each assessment over the students who have a grade in it.
pub fn assessment_means(course: &Course) -> Vec<Option<f64>> {
    course
        .assessments
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let (sum, n) = course
                .students
                .iter()
                .filter_map(|s| s.grades[i])
                .fold((0.0, 0usize), |(sum, n), p| (sum + p, n + 1));
            (n > 0).then(|| sum / n as f64 / a.max_points * 100.0)
        })
        .collect()
}
