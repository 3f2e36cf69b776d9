//! Words that repeat across every entry of a folder — channels, authors, times, field keys —
//! kept once per process. Ten thousand customers hold some 300,000 entries; a `&'static str`
//! per word instead of a `String` each saves a small allocation per word and keeps `stats`'
//! memory near what the distinct words need.

use std::collections::HashSet;
use std::sync::{LazyLock, PoisonError, RwLock};

/// An interned word. (A name of its own also keeps serde's derive from taking a `&'static str`
/// field for one borrowed from the input.)
pub type Word = &'static str;

static WORDS: LazyLock<RwLock<HashSet<&'static str>>> = LazyLock::new(Default::default);

/// The one copy of `word` for this process (made on first sight, never freed: a folder has
/// few distinct channels, authors and keys, and a distinct one costs what its `String` did).
pub fn intern(word: &str) -> &'static str {
    if word.is_empty() {
        return "";
    }
    if let Some(&known) = WORDS
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .get(word)
    {
        return known;
    }
    let mut words = WORDS.write().unwrap_or_else(PoisonError::into_inner);
    if let Some(&known) = words.get(word) {
        return known;
    }
    let kept: &'static str = Box::leak(word.into());
    words.insert(kept);
    kept
}

/// Serde for an interned word (the read cache stores it as a string).
pub mod word {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(word: &&'static str, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(word)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Ok(super::intern(&text))
    }
}

/// [`word`] for an optional word.
pub mod word_opt {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(word: &Option<&'static str>, s: S) -> Result<S::Ok, S::Error> {
        word.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<&'static str>, D::Error> {
        let text = Option::<std::borrow::Cow<'de, str>>::deserialize(d)?;
        Ok(text.map(|t| super::intern(&t)))
    }
}

#[cfg(test)]
mod tests {
    use super::intern;

    #[test]
    fn the_same_word_is_the_same_copy() {
        let a = intern(&String::from("phone"));
        let b = intern(&String::from("phone"));
        assert_eq!(a, "phone");
        assert!(std::ptr::eq(a, b));
        assert_eq!(intern(""), "");
    }
}
