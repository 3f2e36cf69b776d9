//! Customer names as identities and as file names. Two names are the same customer when they
//! are equal after Unicode compatibility normalisation and case folding (`Ａｃｍｅ` = `Acme`,
//! `Café` in NFC = NFD, `STRASSE` = `straße`), with runs of spaces counted as one. File names
//! are portable: no Windows device names, at most [`MAX_STEM_BYTES`] bytes.

use caseless::Caseless;
use unicode_normalization::UnicodeNormalization;

/// The longest file stem `new` makes, in bytes: far below every filesystem's 255, with room for
/// `-2.md`, a sub-folder and the temporary file's longer name.
pub const MAX_STEM_BYTES: usize = 100;

/// What a file name never needs: `AUX.md` cannot be checked out on Windows.
const RESERVED: [&str; 4] = ["con", "prn", "aux", "nul"];

/// The identity of a customer name: compatibility caseless form (Unicode 3.13: NFD, case fold,
/// NFKD, case fold, NFKD — stored as NFKC), surrounding spaces trimmed and inner runs of white
/// space made one space.
pub fn identity(name: &str) -> String {
    let folded: String = name
        .nfd()
        .default_case_fold()
        .nfkd()
        .default_case_fold()
        .nfkc()
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A character that acts on a terminal or reorders text: C0 and C1 controls, DEL, and the
/// bidirectional overrides and isolates ("Trojan Source").
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// File stem for a customer name: compatibility-normalised (NFKC), lower-case, Unicode letters
/// and digits kept (Chinese stays Chinese), every other run of characters becomes `-`. Never
/// contains a path separator or `..`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in name.nfkc().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
    }
    out
}

/// The file names a new customer with this stem may take, in order: `STEM.md`, then
/// `STEM-2.md`, `STEM-3.md`… when the name before is taken.
pub fn file_names(stem: &str) -> impl Iterator<Item = String> + '_ {
    (1..).map(move |n: usize| {
        if n == 1 {
            format!("{stem}.md")
        } else {
            format!("{stem}-{n}.md")
        }
    })
}

/// Is this stem a Windows device name (`con`, `aux`, `com1`, `lpt9`, …)?
pub fn is_reserved(stem: &str) -> bool {
    let lower = stem.to_ascii_lowercase();
    let base = lower.split('.').next().unwrap_or("");
    RESERVED.contains(&base)
        || ((base.starts_with("com") || base.starts_with("lpt"))
            && base.len() == 4
            && base.as_bytes()[3].is_ascii_digit())
}

/// What was changed to make a stem portable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Adjusted {
    /// Cut to this many bytes.
    Shortened(usize),
    /// A Windows device name, given the `-customer` suffix.
    Reserved,
}

/// A slug made portable: cut to at most [`MAX_STEM_BYTES`] bytes on a character boundary
/// (without a trailing `-`), and a Windows device name suffixed with `-customer`
/// (`aux` → `aux-customer`). Returns the stem and what was changed.
pub fn portable_stem(slug: &str) -> (String, Vec<Adjusted>) {
    let mut stem = slug.to_string();
    let mut adjusted = Vec::new();
    if stem.len() > MAX_STEM_BYTES {
        let mut end = MAX_STEM_BYTES;
        while !stem.is_char_boundary(end) {
            end -= 1;
        }
        stem.truncate(end);
        while stem.ends_with('-') {
            stem.pop();
        }
        adjusted.push(Adjusted::Shortened(stem.len()));
    }
    if is_reserved(&stem) {
        stem.push_str("-customer");
        adjusted.push(Adjusted::Reserved);
    }
    (stem, adjusted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_is_nfkc_and_case_folded() {
        assert_eq!(identity("Café"), identity("Cafe\u{301}"));
        assert_eq!(identity("Ａｃｍｅ"), identity("acme"));
        assert_eq!(identity("  ACME   Manufacturing "), "acme manufacturing");
        assert_eq!(identity("Straße"), identity("STRASSE"));
        assert_ne!(identity("Acme"), identity("Acne"));
        assert_eq!(identity("华东机械"), "华东机械");
    }

    #[test]
    fn slugs_keep_letters_and_stay_inside() {
        assert_eq!(
            slug("Acme Manufacturing Co., Ltd."),
            "acme-manufacturing-co-ltd"
        );
        assert_eq!(slug("华东机械 (上海)"), "华东机械-上海");
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("..."), "");
        assert_eq!(slug("Café Ünïcode"), "café-ünïcode");
        assert_eq!(slug("Cafe\u{301}"), "café");
        assert_eq!(slug("Ａｃｍｅ"), "acme");
    }

    #[test]
    fn portable_stems() {
        assert_eq!(portable_stem("aux").0, "aux-customer");
        assert_eq!(portable_stem("com1").0, "com1-customer");
        assert_eq!(portable_stem("lpt9").0, "lpt9-customer");
        assert_eq!(portable_stem("nul").1, vec![Adjusted::Reserved]);
        assert_eq!(portable_stem("auxiliary").0, "auxiliary");
        assert_eq!(portable_stem("com10").0, "com10");
        let long = "华".repeat(100);
        let (stem, adjusted) = portable_stem(&long);
        assert_eq!(stem, "华".repeat(33));
        assert_eq!(adjusted, vec![Adjusted::Shortened(99)]);
        let (stem, _) = portable_stem(&format!("{}-b", "a".repeat(99)));
        assert_eq!(stem, "a".repeat(99));
    }
}
