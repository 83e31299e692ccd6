//! A course's study-hours observations, kept by column (all hours, all scores, all
//! students) so that fitting reads only the two arrays of numbers it needs. In the file
//! and in JSON they are a plain list of observations. The columns are shared between
//! copies until one of them changes (a copy for the writer thread costs nothing).

use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Observation;

/// The observations of a course, in order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Study {
    hours: Arc<Vec<f64>>,
    scores: Arc<Vec<f64>>,
    students: Arc<Vec<Option<String>>>,
}

/// One observation, borrowed from a [`Study`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ObservationRef<'a> {
    pub hours: f64,
    pub score: f64,
    pub student: Option<&'a str>,
}

impl ObservationRef<'_> {
    pub fn to_owned(self) -> Observation {
        Observation {
            hours: self.hours,
            score: self.score,
            student: self.student.map(str::to_string),
        }
    }
}

impl Study {
    pub fn len(&self) -> usize {
        self.hours.len()
    }

    pub fn is_empty(&self) -> bool {
        self.hours.is_empty()
    }

    /// Every observation's study hours, in order.
    pub fn hours(&self) -> &[f64] {
        &self.hours
    }

    /// Every observation's test score, in order.
    pub fn scores(&self) -> &[f64] {
        &self.scores
    }

    pub fn get(&self, i: usize) -> Option<ObservationRef<'_>> {
        Some(ObservationRef {
            hours: *self.hours.get(i)?,
            score: *self.scores.get(i)?,
            student: self.students.get(i)?.as_deref(),
        })
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = ObservationRef<'_>> + '_ {
        (0..self.len()).map(|i| ObservationRef {
            hours: self.hours[i],
            score: self.scores[i],
            student: self.students[i].as_deref(),
        })
    }

    pub fn push(&mut self, o: Observation) {
        Arc::make_mut(&mut self.hours).push(o.hours);
        Arc::make_mut(&mut self.scores).push(o.score);
        Arc::make_mut(&mut self.students).push(o.student);
    }

    /// Inserts at `index` (≤ len).
    pub fn insert(&mut self, index: usize, o: Observation) {
        Arc::make_mut(&mut self.hours).insert(index, o.hours);
        Arc::make_mut(&mut self.scores).insert(index, o.score);
        Arc::make_mut(&mut self.students).insert(index, o.student);
    }

    /// Removes and returns observation `index` (< len).
    pub fn remove(&mut self, index: usize) -> Observation {
        Observation {
            hours: Arc::make_mut(&mut self.hours).remove(index),
            score: Arc::make_mut(&mut self.scores).remove(index),
            student: Arc::make_mut(&mut self.students).remove(index),
        }
    }

    /// Inserts many at `index` (≤ len).
    pub fn insert_many(&mut self, index: usize, list: Vec<Observation>) {
        let tail = self.split_off(index);
        list.into_iter().for_each(|o| self.push(o));
        self.append(tail);
    }

    /// Removes and returns observations `start..end` (end ≤ len).
    pub fn remove_many(&mut self, start: usize, end: usize) -> Vec<Observation> {
        let mut tail = self.split_off(start);
        let rest = tail.split_off(end - start);
        self.append(rest);
        tail.iter().map(ObservationRef::to_owned).collect()
    }

    fn split_off(&mut self, at: usize) -> Study {
        Study {
            hours: Arc::new(Arc::make_mut(&mut self.hours).split_off(at)),
            scores: Arc::new(Arc::make_mut(&mut self.scores).split_off(at)),
            students: Arc::new(Arc::make_mut(&mut self.students).split_off(at)),
        }
    }

    fn append(&mut self, mut other: Study) {
        Arc::make_mut(&mut self.hours).append(Arc::make_mut(&mut other.hours));
        Arc::make_mut(&mut self.scores).append(Arc::make_mut(&mut other.scores));
        Arc::make_mut(&mut self.students).append(Arc::make_mut(&mut other.students));
    }
}

impl FromIterator<Observation> for Study {
    fn from_iter<I: IntoIterator<Item = Observation>>(iter: I) -> Self {
        let mut study = Study::default();
        iter.into_iter().for_each(|o| study.push(o));
        study
    }
}

impl From<Vec<Observation>> for Study {
    fn from(list: Vec<Observation>) -> Self {
        list.into_iter().collect()
    }
}

impl Serialize for Study {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Study {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<Observation>::deserialize(deserializer).map(Study::from)
    }
}
