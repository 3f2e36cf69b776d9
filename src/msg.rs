//! The message catalogue: every sentence and label a person reads, in English and Chinese.
//!
//! A message is a [`Msg`] constant in [`m`] (`m::DUE_NOTHING`), written once with both
//! languages side by side. Placeholders are `{name}`; `{name|one|other}` picks a word by the
//! number in `name` (English plurals: `{n} {n|customer|customers}`; Chinese has none and simply
//! leaves it out). A message with arguments becomes a [`Text`], which keeps its arguments and
//! is rendered only when the language is known — errors and diagnostics are built deep in the
//! model, where the language is not, and printed in it at the edge (JSON keeps English).
//!
//! Why a typed table and not fluent or rust-i18n: a key is a Rust constant, so a message that
//! does not exist does not compile; both languages sit on one line, so a reviewer sees them
//! together; a test (`every_message_has_both_languages`) walks every key and checks that the
//! two languages use the same placeholders; there is nothing to parse at start-up (`due` on
//! ten thousand files is measured in milliseconds), and no bidi isolation marks end up in
//! tables. Two languages with no grammar beyond English's one/other plural do not need
//! Fluent's selectors or CLDR rules.

pub(crate) mod m;

use crate::model::config::Lang;
use std::fmt;

/// One message of the catalogue: its key and its text in each language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Msg {
    pub key: &'static str,
    pub en: &'static str,
    pub zh: &'static str,
}

/// A value put into a message: plain text (a name, a number, a date), or a message of its own,
/// rendered in the same language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Plain(String),
    Text(Text),
    /// Words shown as a list in the language: `a, b` / `a、b`.
    List(Vec<String>),
}

/// A message with its arguments, rendered when the language is known. `Display` is English
/// (the machine formats' and the logs' language).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text(Box<Inner>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Inner {
    msg: Msg,
    args: Vec<(&'static str, Arg)>,
    /// Confidential values that must not appear in the rendered text: shown as `***`.
    hide: Vec<String>,
}

impl Msg {
    pub fn template(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Zh => self.zh,
        }
    }

    /// The message in `lang` (one without placeholders).
    pub fn get(self, lang: Lang) -> String {
        Text::from(self).render(lang)
    }

    /// The message with one argument; more with [`Text::with`].
    pub fn with(self, name: &'static str, value: impl Into<Arg>) -> Text {
        Text::from(self).with(name, value)
    }

    /// The message with one argument that is a message of its own.
    pub fn with_text(self, name: &'static str, value: impl Into<Text>) -> Text {
        Text::from(self).with_text(name, value)
    }

    /// The message with one argument that is a list of words.
    pub fn with_list(
        self,
        name: &'static str,
        items: impl IntoIterator<Item = impl fmt::Display>,
    ) -> Text {
        Text::from(self).with_list(name, items)
    }
}

impl From<Msg> for Text {
    fn from(msg: Msg) -> Text {
        Text(Box::new(Inner {
            msg,
            args: Vec::new(),
            hide: Vec::new(),
        }))
    }
}

impl<T: fmt::Display> From<T> for Arg {
    fn from(value: T) -> Arg {
        Arg::Plain(value.to_string())
    }
}

impl Text {
    #[must_use]
    pub fn with(mut self, name: &'static str, value: impl Into<Arg>) -> Text {
        self.0.args.push((name, value.into()));
        self
    }

    /// A message as an argument of another, rendered in the same language.
    #[must_use]
    pub fn with_text(mut self, name: &'static str, value: impl Into<Text>) -> Text {
        self.0.args.push((name, Arg::Text(value.into())));
        self
    }

    /// Words as one argument, joined as a list in the language it is rendered in
    /// (`a, b, c` / `a、b、c`).
    #[must_use]
    pub fn with_list(
        mut self,
        name: &'static str,
        items: impl IntoIterator<Item = impl fmt::Display>,
    ) -> Text {
        let items = items.into_iter().map(|i| i.to_string()).collect();
        self.0.args.push((name, Arg::List(items)));
        self
    }

    /// The same text with each `wrapper` message in it (at any depth) replaced by its
    /// argument `arg`: a refusal's `…; nothing was written` left out where the rest goes on.
    #[must_use]
    pub fn unwrapping(&self, wrapper: Msg, arg: &str) -> Text {
        if self.0.msg == wrapper
            && let Some((_, Arg::Text(inner))) = self.0.args.iter().find(|(n, _)| *n == arg)
        {
            return inner.unwrapping(wrapper, arg);
        }
        let mut out = self.clone();
        for (_, a) in &mut out.0.args {
            if let Arg::Text(t) = a {
                *t = t.unwrapping(wrapper, arg);
            }
        }
        out
    }

    /// Text that is not the tool's own sentence (a TOML parser's detail, a setting's
    /// explanation not yet in the catalogue): shown as it is in every language.
    pub fn raw(text: impl Into<String>) -> Text {
        m::RAW.with("text", text.into())
    }

    /// The same text with `secret` shown as `***` wherever it appears.
    #[must_use]
    pub fn hiding(mut self, secret: &str) -> Text {
        if !secret.is_empty() {
            self.0.hide.push(secret.to_string());
        }
        self
    }

    fn arg(&self, name: &str, lang: Lang) -> Option<String> {
        let mut value = String::new();
        self.push_arg(name, lang, &mut value).then_some(value)
    }

    /// Appends the argument `name` rendered in `lang` to `out`; false when there is none.
    fn push_arg(&self, name: &str, lang: Lang, out: &mut String) -> bool {
        let Some((_, arg)) = self.0.args.iter().find(|(n, _)| *n == name) else {
            return false;
        };
        match arg {
            Arg::Plain(s) => out.push_str(s),
            Arg::Text(t) => t.render_into(lang, out),
            Arg::List(items) => out.push_str(&list(lang, items)),
        }
        true
    }

    /// Does the English text hold `part`? (for tests)
    #[cfg(test)]
    pub fn contains(&self, part: &str) -> bool {
        self.to_string().contains(part)
    }

    /// The message in `lang` with its arguments in place.
    pub fn render(&self, lang: Lang) -> String {
        let mut out = String::new();
        self.render_into(lang, &mut out);
        out
    }

    /// [`Text::render`], appended to `out` (what it hides is hidden in its own part only).
    fn render_into(&self, lang: Lang, out: &mut String) {
        if self.0.hide.is_empty() {
            self.fill(lang, out);
        } else {
            let mut own = String::new();
            self.fill(lang, &mut own);
            for secret in &self.0.hide {
                own = own.replace(secret.as_str(), "***");
            }
            out.push_str(&own);
        }
    }

    /// The template in `lang` with each `{name}` (or `{name|one|other}`) filled in, appended.
    fn fill(&self, lang: Lang, out: &mut String) {
        let template = self.0.msg.template(lang);
        out.reserve(template.len() + 16);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let Some(close) = rest[open..].find('}') else {
                out.push_str(&rest[open..]);
                return;
            };
            let inner = &rest[open + 1..open + close];
            let mut parts = inner.split('|');
            let name = parts.next().unwrap_or_default();
            let found = match (parts.next(), parts.next()) {
                (Some(one), Some(other)) => {
                    let value = self.arg(name, lang);
                    let n: f64 = value
                        .as_deref()
                        .map_or(0.0, |v| v.trim().replace(',', "").parse().unwrap_or(0.0));
                    out.push_str(if n.abs() == 1.0 { one } else { other });
                    debug_assert!(
                        value.is_some(),
                        "message {} has no `{name}`",
                        self.0.msg.key
                    );
                    true // a plural form is always shown, even without its number
                }
                _ => self.push_arg(name, lang, out),
            };
            debug_assert!(found, "message {} has no argument `{name}`", self.0.msg.key);
            if !found {
                out.push('{');
                out.push_str(name);
                out.push('}');
            }
            rest = &rest[open + close + 1..];
        }
        out.push_str(rest);
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

/// A `Text` is stored (the read cache keeps diagnostics) as its key, its arguments and what it
/// hides; it reads back only against this catalogue — an unknown key or argument is an error,
/// and the cache is then rebuilt.
#[derive(serde::Serialize, serde::Deserialize)]
struct Stored {
    key: String,
    args: Vec<(String, StoredArg)>,
    hide: Vec<String>,
}

#[derive(serde::Serialize, serde::Deserialize)]
enum StoredArg {
    Plain(String),
    Text(Box<Stored>),
    List(Vec<String>),
}

impl Text {
    fn stored(&self) -> Stored {
        Stored {
            key: self.0.msg.key.to_string(),
            args: self
                .0
                .args
                .iter()
                .map(|(n, a)| {
                    let a = match a {
                        Arg::Plain(s) => StoredArg::Plain(s.clone()),
                        Arg::Text(t) => StoredArg::Text(Box::new(t.stored())),
                        Arg::List(items) => StoredArg::List(items.clone()),
                    };
                    ((*n).to_string(), a)
                })
                .collect(),
            hide: self.0.hide.clone(),
        }
    }

    fn from_stored(s: Stored) -> Option<Text> {
        let msg = *m::ALL.iter().find(|m| m.key == s.key)?;
        let mut text = Text::from(msg);
        for (name, arg) in s.args {
            // The name as the template spells it (a `&'static str`).
            let name = static_placeholder(msg.en, &name)?;
            let arg = match arg {
                StoredArg::Plain(p) => Arg::Plain(p),
                StoredArg::Text(t) => Arg::Text(Text::from_stored(*t)?),
                StoredArg::List(items) => Arg::List(items),
            };
            text.0.args.push((name, arg));
        }
        text.0.hide = s.hide;
        Some(text)
    }
}

/// `name` as a slice of the template that uses it.
fn static_placeholder(template: &'static str, name: &str) -> Option<&'static str> {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = after.find('}')?;
        let inner = &after[..close];
        let end = inner.find('|').unwrap_or(inner.len());
        if &inner[..end] == name {
            return Some(&after[..end]);
        }
        rest = &after[close..];
    }
    None
}

impl serde::Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.stored().serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        let stored = Stored::deserialize(d)?;
        Text::from_stored(stored)
            .ok_or_else(|| serde::de::Error::custom("a message this version does not know"))
    }
}

#[cfg(test)]
/// The placeholder names a template uses (`{n}` and `{n|a|b}` both name `n`), sorted.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut out: Vec<&str> = template
        .split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}'))
        .map(|(inner, _)| inner.split('|').next().unwrap_or_default())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Words joined as a list in the language: `a, b, c` / `a、b、c`.
pub fn list(lang: Lang, items: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    let sep = match lang {
        Lang::En => ", ",
        Lang::Zh => "、",
    };
    items
        .into_iter()
        .map(|s| s.as_ref().to_string())
        .collect::<Vec<_>>()
        .join(sep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_has_both_languages() {
        let mut keys = std::collections::HashSet::new();
        for msg in m::ALL {
            assert!(
                keys.insert(msg.key),
                "{} is in the catalogue twice",
                msg.key
            );
            assert!(!msg.en.trim().is_empty(), "{} has no English", msg.key);
            assert!(!msg.zh.trim().is_empty(), "{} has no Chinese", msg.key);
            assert_eq!(
                placeholders(msg.en),
                placeholders(msg.zh),
                "{}: the languages use different placeholders",
                msg.key
            );
            // Chinese text is Chinese: a han character, or nothing but placeholders and
            // punctuation (`{a}；{b}`), or a term kept as it is (marked in the catalogue).
            let letters: String = msg
                .zh
                .split('{')
                .map(|s| s.split_once('}').map_or(s, |(_, rest)| rest))
                .collect();
            let han = letters
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
            let latin_words = letters
                .split(|c: char| !c.is_ascii_alphabetic())
                .any(|w| w.len() > 1);
            assert!(
                han || !latin_words || m::KEPT_AS_IS.contains(&msg.key),
                "{} is not translated: {:?}",
                msg.key,
                msg.zh
            );
            // Every placeholder renders when given.
            let mut text = Text::from(*msg);
            for name in placeholders(msg.en) {
                text = text.with(name, "1");
            }
            for lang in [Lang::En, Lang::Zh] {
                let out = text.render(lang);
                assert!(!out.contains('{'), "{}: {out}", msg.key);
            }
        }
    }

    /// A message read back from the cache is the one written, arguments and all.
    #[test]
    fn a_stored_message_reads_back() {
        let t = m::ERROR_NOTHING_WRITTEN
            .with_text("why", m::N_CUSTOMERS.with("n", 3))
            .hiding("secret");
        let stored = serde_json::to_string(&t).unwrap();
        let back: Text = serde_json::from_str(&stored).unwrap();
        assert_eq!(back, t);
        assert_eq!(back.render(Lang::Zh), "3 位客户；未写入任何内容");
        let unknown = stored.replace("ERROR_NOTHING_WRITTEN", "NO_SUCH_KEY");
        assert!(serde_json::from_str::<Text>(&unknown).is_err());
    }

    #[test]
    fn a_list_is_joined_in_the_language_and_stored() {
        let t = m::ERR_NO_CUSTOMER_MEAN
            .with("query", "ac")
            .with_list("candidates", ["acme", "acorn"]);
        assert!(t.render(Lang::En).ends_with("did you mean acme, acorn"));
        assert!(t.render(Lang::Zh).ends_with("你是不是要找 acme、acorn"));
        let back: Text = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
        assert_eq!(back, t);
    }

    /// A wrapper left out at any depth: the guard's "nothing was written" where the rest goes on.
    #[test]
    fn a_wrapper_is_left_out() {
        let why = m::N_CUSTOMERS.with("n", 2);
        let t = m::ERR_AT_FILE.with("file", "a.md").with_text(
            "message",
            m::ERROR_NOTHING_WRITTEN.with_text("why", why.clone()),
        );
        let out = t.unwrapping(m::ERROR_NOTHING_WRITTEN, "why");
        assert_eq!(out.to_string(), "a.md: 2 customers");
        assert_eq!(out.render(Lang::Zh), "a.md：2 位客户");
        assert_eq!(
            why.unwrapping(m::ERROR_NOTHING_WRITTEN, "why"),
            why,
            "a text without the wrapper stays as it is"
        );
    }

    #[test]
    fn plurals_follow_the_number() {
        let t = |n: usize| m::N_CUSTOMERS.with("n", n);
        assert_eq!(t(1).render(Lang::En), "1 customer");
        assert_eq!(t(2).render(Lang::En), "2 customers");
        assert_eq!(t(2).render(Lang::Zh), "2 位客户");
    }

    #[test]
    fn nested_messages_render_in_the_same_language() {
        let t = m::ERROR_NOTHING_WRITTEN.with_text("why", m::N_CUSTOMERS.with("n", 3));
        assert_eq!(t.render(Lang::Zh), "3 位客户；未写入任何内容");
        assert_eq!(t.to_string(), "3 customers; nothing was written");
    }

    /// Labels looked up by their English text (`i18n::t`) exist in the catalogue: every
    /// `t(lang, "…")` in the source names one.
    #[test]
    fn every_label_looked_up_by_text_exists() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut missing = Vec::new();
        for entry in walkdir::WalkDir::new(src) {
            let entry = entry.unwrap();
            if entry.path().extension().is_none_or(|e| e != "rs")
                || entry.path().ends_with("msg.rs")
            {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).unwrap();
            for part in text.split("t(lang, \"").skip(1) {
                let label = part.split('"').next().unwrap();
                if !m::ALL.iter().any(|m| m.en == label) {
                    missing.push(format!("{}: {label}", entry.path().display()));
                }
            }
        }
        assert!(missing.is_empty(), "not in the catalogue: {missing:#?}");
    }
}
