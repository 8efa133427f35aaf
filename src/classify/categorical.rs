//! Categorical classes: survey answers (« Oui, tout à fait » … « Ne sait pas ») or any
//! text field, in a natural order rather than the order of appearance.

use std::cmp::Ordering;

use crate::survey::ANSWER_LABELS;

/// One category: its key in the data, its legend label, how many values it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    /// Value in the data: `"1"` for « Oui, tout à fait », or any text.
    pub key: String,
    /// French legend label.
    pub label: String,
    /// Number of values counted by [`Categorical::count`].
    pub count: usize,
}

/// Ordered categories; the class of a value is its category's index.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Categorical {
    /// Categories in legend order.
    pub categories: Vec<Category>,
    /// Values counted that match no category (drawn as no data).
    pub unknown: usize,
}

impl Categorical {
    /// The survey answer scale, codes 1-4 then 9 (« Ne sait pas »), in that order.
    pub fn answers() -> Self {
        Self::new(
            ANSWER_LABELS
                .iter()
                .map(|(code, label)| (code.to_string(), label.to_string())),
        )
    }

    /// Categories from (key, label) pairs, kept in the given order.
    pub fn new(pairs: impl IntoIterator<Item = (String, String)>) -> Self {
        let categories = pairs
            .into_iter()
            .map(|(key, label)| Category {
                key,
                label,
                count: 0,
            })
            .collect();
        Categorical {
            categories,
            unknown: 0,
        }
    }

    /// One category per distinct key, labelled by the key itself, in natural order: numbers
    /// by value (`2` before `10`), then text alphabetically; and counted.
    pub fn from_keys<'a>(keys: impl IntoIterator<Item = &'a str> + Clone) -> Self {
        let mut distinct: Vec<&str> = keys
            .clone()
            .into_iter()
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .collect();
        distinct.sort_by(|a, b| natural_cmp(a, b));
        distinct.dedup();
        let mut c = Self::new(distinct.into_iter().map(|k| (k.to_string(), k.to_string())));
        c.count(keys);
        c
    }

    /// Counts `keys` into the categories (blank keys are missing values, not unknown).
    pub fn count<'a>(&mut self, keys: impl IntoIterator<Item = &'a str>) {
        for key in keys.into_iter().map(str::trim).filter(|k| !k.is_empty()) {
            match self.class_of(key) {
                Some(i) => self.categories[i].count += 1,
                None => self.unknown += 1,
            }
        }
    }

    /// Index of the category of `key` (surrounding blanks ignored).
    pub fn class_of(&self, key: &str) -> Option<usize> {
        let key = key.trim();
        self.categories.iter().position(|c| c.key == key)
    }

    /// Index of the category of an answer code (1-4, 9).
    pub fn class_of_code(&self, code: u8) -> Option<usize> {
        self.class_of(&code.to_string())
    }

    /// Legend labels, in order.
    pub fn labels(&self) -> Vec<String> {
        self.categories.iter().map(|c| c.label.clone()).collect()
    }

    /// Number of categories.
    pub fn len(&self) -> usize {
        self.categories.len()
    }

    /// True when there is no category.
    pub fn is_empty(&self) -> bool {
        self.categories.is_empty()
    }

    /// A warning when counted values matched no category.
    pub fn warning(&self) -> Option<String> {
        (self.unknown > 0).then(|| {
            format!(
                "{} values match no category: shown as no data",
                self.unknown
            )
        })
    }
}

/// Numbers by value first, then text in byte order.
fn natural_cmp(a: &str, b: &str) -> Ordering {
    match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => x.total_cmp(&y),
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        (Err(_), Err(_)) => a.cmp(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_in_natural_order() {
        let mut c = Categorical::answers();
        assert_eq!(
            c.labels(),
            [
                "Oui, tout à fait",
                "Oui, plutôt",
                "Non, plutôt pas",
                "Non, pas du tout",
                "Ne sait pas"
            ]
        );
        c.count(["1", "9", "2", "2", " ", "7"]);
        assert_eq!(
            c.categories.iter().map(|k| k.count).collect::<Vec<_>>(),
            [1, 2, 0, 0, 1]
        );
        assert_eq!(c.unknown, 1);
        assert_eq!(c.class_of_code(9), Some(4));
        assert_eq!(c.class_of_code(5), None);
        assert!(c.warning().is_some());
    }

    #[test]
    fn keys_sorted_naturally() {
        let c = Categorical::from_keys(["10", "2", "b", "a", "2"]);
        assert_eq!(c.labels(), ["2", "10", "a", "b"]);
        assert_eq!(c.categories[0].count, 2);
    }
}
