//! Words that repeat across every entry of a folder — channels, authors, times, field keys —
//! kept once per process. Ten thousand customers hold some 300,000 entries; a `&'static str`
//! per word instead of a `String` each saves a small allocation per word and keeps `stats`'
//! memory near what the distinct words need.

use rustc_hash::FxHashSet;
use std::cell::RefCell;
use std::sync::{LazyLock, PoisonError, RwLock};

pub type Word = &'static str;

static WORDS: LazyLock<RwLock<FxHashSet<&'static str>>> = LazyLock::new(Default::default);

thread_local! {
    /// The words this thread has met: most lookups end here, without touching the shared lock
    /// (whose every read is an atomic write other cores must see).
    static SEEN: RefCell<FxHashSet<&'static str>> = RefCell::default();
}

pub fn intern(word: &str) -> &'static str {
    if word.is_empty() {
        return "";
    }
    if let Some(known) = SEEN.with_borrow(|seen| seen.get(word).copied()) {
        return known;
    }
    let known = shared(word);
    SEEN.with_borrow_mut(|seen| seen.insert(known));
    known
}

/// The one copy of `word` kept for the process, made on first use.
fn shared(word: &str) -> &'static str {
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

/// A word read back (from the read cache) straight into its kept copy: no `String` is made
/// for it when the input can lend its bytes.
struct WordVisitor;

impl serde::de::Visitor<'_> for WordVisitor {
    type Value = &'static str;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a word")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<&'static str, E> {
        Ok(intern(text))
    }
}

pub mod word {
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(word: &&'static str, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(word)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
        d.deserialize_str(super::WordVisitor)
    }
}

pub mod word_opt {
    use serde::{Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(word: &Option<&'static str>, s: S) -> Result<S::Ok, S::Error> {
        word.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<&'static str>, D::Error> {
        struct Maybe;
        impl<'de> serde::de::Visitor<'de> for Maybe {
            type Value = Option<&'static str>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a word or nothing")
            }

            fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }

            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                super::word::deserialize(d).map(Some)
            }
        }
        d.deserialize_option(Maybe)
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
