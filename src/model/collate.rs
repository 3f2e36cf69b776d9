//! The order of names as people expect it: Chinese by pinyin (北京 杭州 华东 南宁 深圳), Latin
//! letters without regard to case (Acme, beta), the two interleaved by the letters they read as
//! (Acme, 阿里 `ali`, beta). A han character reads as its most common pinyin (pinyin crate),
//! without tones first, then with them; full-width forms as their ASCII (NFKC); ties fall back
//! to the text itself, so an order is total and stable.

use std::cmp::Ordering;
use unicode_normalization::UnicodeNormalization;

/// The sort key of a name: (letters, letters with tone numbers, the text).
pub fn key(text: &str) -> (String, String, String) {
    use pinyin::ToPinyin;
    if text.is_ascii() {
        // NFKC leaves ASCII as it is, and no ASCII character has a pinyin.
        let letters = text.to_ascii_lowercase();
        return (letters.clone(), letters, text.to_string());
    }
    let mut plain = String::with_capacity(text.len());
    let mut toned = String::with_capacity(text.len());
    for c in text.nfkc() {
        match c.to_pinyin() {
            Some(p) => {
                plain.push_str(p.plain());
                toned.push_str(p.with_tone_num());
            }
            None => {
                for l in c.to_lowercase() {
                    plain.push(l);
                    toned.push(l);
                }
            }
        }
    }
    (plain, toned, text.to_string())
}

/// Compares two names by [`key`].
pub fn cmp(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    key(a).cmp(&key(b))
}

/// Sorts `items` by the name `name` gives each, computing every key once.
pub fn sort_by_name<T>(items: &mut [T], name: impl Fn(&T) -> &str) {
    items.sort_by_cached_key(|x| key(name(x)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = names.iter().map(|s| (*s).to_string()).collect();
        sort_by_name(&mut v, |s| s.as_str());
        v
    }

    #[test]
    fn chinese_by_pinyin_latin_without_case_mixed_by_letters() {
        assert_eq!(
            sorted(&["北京", "华东", "南宁", "杭州", "深圳"]),
            ["北京", "杭州", "华东", "南宁", "深圳"]
        );
        assert_eq!(
            sorted(&["beta", "阿里", "Acme", "Zeta", "alpha"]),
            ["Acme", "阿里", "alpha", "beta", "Zeta"]
        );
        // Case and width do not decide, the text breaks the tie.
        assert_eq!(
            sorted(&["acme", "Ａｃｍｅ", "Acme"]),
            ["Acme", "acme", "Ａｃｍｅ"]
        );
        assert_eq!(
            sorted(&[
                "佛山家具集团",
                "深圳前海科技",
                "华东精密机械有限公司",
                "南宁农业科技",
                "杭州云帆贸易"
            ]),
            [
                "佛山家具集团",
                "杭州云帆贸易",
                "华东精密机械有限公司",
                "南宁农业科技",
                "深圳前海科技"
            ]
        );
        assert_eq!(cmp("华东", "华东"), Ordering::Equal);
    }
}
