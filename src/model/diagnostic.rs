//! A problem found in a customer file, with its position in the `.md` file and a stable code.

use crate::msg::{Text, m};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A diagnostic's stable code, as printed (`error[bad-date]`) and documented in docs/check.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// `unreadable`
    Unreadable,
    /// `not-utf8`
    NotUtf8,
    /// `no-front-matter`
    NoFrontMatter,
    /// `unclosed-front-matter`
    UnclosedFrontMatter,
    /// `toml-syntax`
    TomlSyntax,
    /// `bad-date`
    BadDate,
    /// `missing-field`
    MissingField,
    /// `unknown-stage`
    UnknownStage,
    /// `unknown-status`
    UnknownStatus,
    /// `unknown-priority`
    UnknownPriority,
    /// `unknown-role`
    UnknownRole,
    /// `bad-value`
    BadValue,
    /// `conflict-marker`
    ConflictMarker,
    /// `bad-heading`
    BadHeading,
    /// `unclosed-block`
    UnclosedBlock,
    /// `control-char`
    ControlChar,
    /// `entry-order`
    EntryOrder,
    /// `future-entry`
    FutureEntry,
    /// `unknown-channel`
    UnknownChannel,
    /// `unknown-objection`
    UnknownObjection,
    /// `unknown-outcome`
    UnknownOutcome,
    /// `next-without-due`
    NextWithoutDue,
    /// `vague-next`
    VagueNext,
    /// `paused-without-reason`
    PausedWithoutReason,
    /// `over-contact`
    OverContact,
    /// `duplicate-customer`
    DuplicateCustomer,
    /// `missing-channel`
    MissingChannel,
    /// `confidential-in-shared`
    ConfidentialInShared,
    /// `not-an-entry`
    NotAnEntry,
    /// `stage-status-mismatch`
    StageStatusMismatch,
    /// `merge-driver-missing`
    MergeDriverMissing,
}

impl Code {
    /// Every code, errors first, in the order docs/check.md lists them.
    pub const ALL: [Code; 31] = [
        Code::Unreadable,
        Code::NotUtf8,
        Code::NoFrontMatter,
        Code::UnclosedFrontMatter,
        Code::TomlSyntax,
        Code::BadDate,
        Code::MissingField,
        Code::UnknownStage,
        Code::UnknownStatus,
        Code::UnknownPriority,
        Code::UnknownRole,
        Code::BadValue,
        Code::ConflictMarker,
        Code::BadHeading,
        Code::UnclosedBlock,
        Code::ControlChar,
        Code::EntryOrder,
        Code::FutureEntry,
        Code::UnknownChannel,
        Code::UnknownObjection,
        Code::UnknownOutcome,
        Code::NextWithoutDue,
        Code::VagueNext,
        Code::PausedWithoutReason,
        Code::OverContact,
        Code::DuplicateCustomer,
        Code::MissingChannel,
        Code::ConfidentialInShared,
        Code::NotAnEntry,
        Code::StageStatusMismatch,
        Code::MergeDriverMissing,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::Unreadable => "unreadable",
            Code::NotUtf8 => "not-utf8",
            Code::NoFrontMatter => "no-front-matter",
            Code::UnclosedFrontMatter => "unclosed-front-matter",
            Code::TomlSyntax => "toml-syntax",
            Code::BadDate => "bad-date",
            Code::MissingField => "missing-field",
            Code::UnknownStage => "unknown-stage",
            Code::UnknownStatus => "unknown-status",
            Code::UnknownPriority => "unknown-priority",
            Code::UnknownRole => "unknown-role",
            Code::BadValue => "bad-value",
            Code::ConflictMarker => "conflict-marker",
            Code::BadHeading => "bad-heading",
            Code::UnclosedBlock => "unclosed-block",
            Code::ControlChar => "control-char",
            Code::EntryOrder => "entry-order",
            Code::FutureEntry => "future-entry",
            Code::UnknownChannel => "unknown-channel",
            Code::UnknownObjection => "unknown-objection",
            Code::UnknownOutcome => "unknown-outcome",
            Code::NextWithoutDue => "next-without-due",
            Code::VagueNext => "vague-next",
            Code::PausedWithoutReason => "paused-without-reason",
            Code::OverContact => "over-contact",
            Code::DuplicateCustomer => "duplicate-customer",
            Code::MissingChannel => "missing-channel",
            Code::ConfidentialInShared => "confidential-in-shared",
            Code::NotAnEntry => "not-an-entry",
            Code::StageStatusMismatch => "stage-status-mismatch",
            Code::MergeDriverMissing => "merge-driver-missing",
        }
    }

    /// The severity a diagnostic with this code always has.
    pub fn severity(self) -> Severity {
        if Code::ALL[..16].contains(&self) {
            Severity::Error
        } else {
            Severity::Warning
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Code::ALL
            .into_iter()
            .find(|c| c.as_str() == text)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown code `{text}`")))
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Diagnostic {
    /// 1-based line and column (in characters) in the file.
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    pub code: Code,
    /// Rendered in the reader's language; English in JSON (`message.to_string()`).
    pub message: Text,
    pub hint: Option<Text>,
}

impl Diagnostic {
    pub fn error(line: usize, column: usize, code: Code, message: impl Into<Text>) -> Self {
        debug_assert_eq!(code.severity(), Severity::Error, "{code}");
        Diagnostic {
            line,
            column,
            severity: Severity::Error,
            code,
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(line: usize, column: usize, code: Code, message: impl Into<Text>) -> Self {
        debug_assert_eq!(code.severity(), Severity::Warning, "{code}");
        Diagnostic {
            line,
            column,
            severity: Severity::Warning,
            code,
            message: message.into(),
            hint: None,
        }
    }

    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<Text>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// "did you mean `x`?" for the closest of `choices`, if any is close.
pub fn did_you_mean<'a>(value: &str, choices: impl IntoIterator<Item = &'a str>) -> Option<Text> {
    let lower = value.to_lowercase();
    choices
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| m::DID_YOU_MEAN.with("value", c))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/check.md lists every code under its severity, and nothing else.
    #[test]
    fn every_code_is_documented_under_its_severity() {
        let doc = include_str!("../../docs/check.md");
        let section = |title: &str| -> Vec<String> {
            let start = doc.find(title).expect(title);
            let rest = &doc[start + title.len()..];
            let end = rest.find("\n#").unwrap_or(rest.len());
            rest[..end]
                .lines()
                .filter_map(|l| l.strip_prefix("| `"))
                .filter_map(|l| l.split('`').next())
                .map(str::to_string)
                .collect()
        };
        let of = |severity: Severity| -> Vec<String> {
            Code::ALL
                .iter()
                .filter(|c| c.severity() == severity)
                .map(|c| c.as_str().to_string())
                .collect()
        };
        assert_eq!(section("### Errors"), of(Severity::Error));
        assert_eq!(section("### Warnings"), of(Severity::Warning));
    }
}
