//! Letter schemes: an ordered list of (letter, lowest percent), strictly descending, the
//! last at 0. A final gets the first letter whose lowest percent it reaches once rounded
//! to two decimals: what the teacher sees decides the letter.

use serde::{Deserialize, Serialize};

use super::fmt_num;
use crate::error::ModelError;
use crate::text::quote;

/// One letter and the lowest final (percent) that earns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LetterGrade {
    pub letter: String,
    pub min: f64,
}

/// A course's letters, best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LetterScheme(pub Vec<LetterGrade>);

/// Most letters a scheme has, and the longest letter.
const MAX_LETTERS: usize = 30;
const MAX_LETTER_CHARS: usize = 5;

fn scheme(pairs: &[(&str, f64)]) -> LetterScheme {
    LetterScheme(
        pairs
            .iter()
            .map(|&(letter, min)| LetterGrade {
                letter: letter.into(),
                min,
            })
            .collect(),
    )
}

impl Default for LetterScheme {
    /// A 90, B 80, C 70, D 60, F 0.
    fn default() -> Self {
        scheme(&[
            ("A", 90.0),
            ("B", 80.0),
            ("C", 70.0),
            ("D", 60.0),
            ("F", 0.0),
        ])
    }
}

/// A final rounded to two decimals, halves up, as a teacher rounds: the number the
/// screens and reports show, and the one letters are decided on. A final that is a half
/// in decimals but lands a few units of float noise below it (6999.5 / 10000 · 100 is
/// 69.99499999999999) still rounds up, as the exact number does.
pub fn round2(x: f64) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let cents = x.abs() * 100.0;
    let rounded = (cents + 0.5 + cents.max(1.0) * 1e-10).floor() / 100.0;
    rounded.copysign(x)
}

impl LetterScheme {
    /// A+ 97, A 93, A− 90, B+ 87 ... D− 60, F 0.
    pub fn plus_minus() -> Self {
        scheme(&[
            ("A+", 97.0),
            ("A", 93.0),
            ("A−", 90.0),
            ("B+", 87.0),
            ("B", 83.0),
            ("B−", 80.0),
            ("C+", 77.0),
            ("C", 73.0),
            ("C−", 70.0),
            ("D+", 67.0),
            ("D", 63.0),
            ("D−", 60.0),
            ("F", 0.0),
        ])
    }

    /// The presets by name: `default` (A–F) and `plus-minus`.
    pub fn preset(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "default" | "a-f" => Some(Self::default()),
            "plus-minus" | "plusminus" | "+/-" => Some(Self::plus_minus()),
            _ => None,
        }
    }

    /// The scheme of four thresholds for A, B, C and D (file version 1 and the old form of
    /// `course letters`): equal thresholds keep only the first letter, and a threshold of
    /// 0 is the last letter, so that every final keeps its letter.
    pub fn from_thresholds(a: f64, b: f64, c: f64, d: f64) -> Self {
        let mut grades: Vec<LetterGrade> = Vec::new();
        for (letter, min) in [("A", a), ("B", b), ("C", c), ("D", d), ("F", 0.0)] {
            if grades.last().is_some_and(|g| g.min <= min) {
                continue;
            }
            grades.push(LetterGrade {
                letter: letter.into(),
                min,
            });
            if min <= 0.0 {
                break;
            }
        }
        LetterScheme(grades)
    }

    /// Reads a scheme as a teacher writes one: a preset's name (`default`,
    /// `plus-minus`), four lowest percents for A, B, C and D (`93 85 75 65`), or letters
    /// with their lowest percents (`A=90 B=80 C=70 D=60 F=0`).
    pub fn read(text: &str) -> Result<Self, ModelError> {
        if let Some(preset) = Self::preset(text) {
            return Ok(preset);
        }
        let words: Vec<&str> = text.split_whitespace().collect();
        // Four words are thresholds, unless they read as two letters with their percents
        // (`P 50 F 0`: the first and third words not numbers).
        let number = |w: &str| super::parse_number("a percent", w).is_ok();
        let thresholds = words.len() == 4
            && !text.contains(['=', ':'])
            && (number(words[0]) || number(words[2]));
        if thresholds {
            let letters = ["A", "B", "C", "D"];
            let numbers = words
                .iter()
                .zip(letters)
                .map(|(w, l)| super::parse_number(&format!("the lowest percent of {l}"), w))
                .collect::<Result<Vec<f64>, _>>()?;
            let scheme = Self::from_thresholds(numbers[0], numbers[1], numbers[2], numbers[3]);
            if scheme.0.len() < 5 || numbers.iter().any(|x| !(0.0..=100.0).contains(x)) {
                return Err(ModelError::invalid(
                    "four thresholds must be from 0 to 100 and go strictly down: A > B > C > D > 0",
                ));
            }
            return Ok(scheme);
        }
        Self::parse(text)
    }

    /// As a teacher would type it: `A=90 B=80 C=70 D=60 F=0`.
    pub fn text(&self) -> String {
        self.0
            .iter()
            .map(|g| format!("{}={}", g.letter, fmt_num(g.min)))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Reads `A=90 B=80 C=70 D=60 F=0` (or with `:`, commas, or spaces alone).
    pub fn parse(text: &str) -> Result<Self, ModelError> {
        let words: Vec<&str> = text
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|w| !w.is_empty())
            .collect();
        let mut grades = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let (letter, min) = match words[i].split_once(['=', ':']) {
                Some((l, m)) if !m.is_empty() => (l, m),
                Some((l, _)) => {
                    i += 1;
                    (l, *words.get(i).unwrap_or(&""))
                }
                None => {
                    i += 1;
                    (words[i - 1], *words.get(i).unwrap_or(&""))
                }
            };
            let min = super::parse_number(&format!("the lowest percent of {letter}"), min)?;
            grades.push(LetterGrade {
                letter: letter.to_string(),
                min,
            });
            i += 1;
        }
        let scheme = LetterScheme(grades);
        scheme.check()?;
        Ok(scheme)
    }

    /// Letters: 1 to 30 of them, each 1 to 5 characters and different; lowest percents
    /// finite, from 0 to 200, strictly descending, the last 0.
    pub fn check(&self) -> Result<(), ModelError> {
        let bad = |m: String| Err(ModelError::invalid(m));
        if self.0.is_empty() || self.0.len() > MAX_LETTERS {
            return bad(format!("a letter scheme has 1 to {MAX_LETTERS} letters"));
        }
        for (i, g) in self.0.iter().enumerate() {
            let chars = g.letter.chars().count();
            if chars == 0
                || chars > MAX_LETTER_CHARS
                || g.letter
                    .chars()
                    .any(|c| c.is_control() || c.is_whitespace() || super::is_hidden(c))
            {
                return bad(format!(
                    "a letter is 1 to {MAX_LETTER_CHARS} visible characters, not {}",
                    quote(&g.letter)
                ));
            }
            if self.0[..i]
                .iter()
                .any(|o| o.letter.eq_ignore_ascii_case(&g.letter))
            {
                return bad(format!("the letter {} appears twice", quote(&g.letter)));
            }
            if !(0.0..=200.0).contains(&g.min) {
                return bad(format!(
                    "the lowest percent of {} must be from 0 to 200, not {}",
                    g.letter,
                    fmt_num(g.min)
                ));
            }
            if i > 0 && g.min >= self.0[i - 1].min {
                return bad(format!(
                    "letters must go strictly down: {} {} is not below {} {}",
                    g.letter,
                    fmt_num(g.min),
                    self.0[i - 1].letter,
                    fmt_num(self.0[i - 1].min)
                ));
            }
        }
        match self.0.last() {
            Some(last) if last.min == 0.0 => Ok(()),
            Some(last) => bad(format!(
                "the last letter ({}) must start at 0, not {}",
                last.letter,
                fmt_num(last.min)
            )),
            None => Ok(()),
        }
    }

    /// Which letter (by position) a final earns.
    pub fn index(&self, final_grade: f64) -> usize {
        let shown = round2(final_grade);
        self.0
            .iter()
            .position(|g| shown >= g.min)
            .unwrap_or(self.0.len().saturating_sub(1))
    }

    /// The letter a final earns.
    pub fn letter(&self, final_grade: f64) -> &str {
        self.0
            .get(self.index(final_grade))
            .map_or("", |g| g.letter.as_str())
    }

    /// `A ≥ 90 · B ≥ 80 · ... · F`.
    pub fn describe(&self) -> String {
        let n = self.0.len();
        self.0
            .iter()
            .enumerate()
            .map(|(i, g)| {
                if i + 1 == n {
                    g.letter.clone()
                } else {
                    format!("{} ≥ {}", g.letter, fmt_num(g.min))
                }
            })
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// The letters, best first.
    pub fn letters(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|g| g.letter.as_str())
    }
}
