//! A customer file as bytes with spans: where the `+++` front matter and the body are, which
//! line ending and BOM it uses — so edits are splices and everything else stays byte-for-byte.

use std::ops::Range;

const BOM: &str = "\u{feff}";

/// A customer file split into front matter and body, keeping byte offsets into `text`.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file's text without its byte-order mark.
    pub text: String,
    pub bom: bool,
    /// `"\r\n"` when the file's first line ends that way, else `"\n"`.
    pub newline: &'static str,
    /// The TOML between the two `+++` lines.
    pub front: Range<usize>,
    /// Offset of the first byte after the closing `+++` line.
    pub body_start: usize,
    /// 1-based line number of the first TOML line (the line after the opening `+++`).
    pub front_line: usize,
}

/// Why a file is not a customer file; each carries the 1-based line to point at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    NotUtf8 { line: usize },
    NoFrontMatter,
    Unclosed,
}

impl SplitError {
    pub fn line(&self) -> usize {
        match self {
            SplitError::NotUtf8 { line } => *line,
            SplitError::NoFrontMatter | SplitError::Unclosed => 1,
        }
    }

    pub fn message(&self) -> crate::msg::Msg {
        use crate::msg::m;
        match self {
            SplitError::NotUtf8 { .. } => m::D_NOT_UTF8,
            SplitError::NoFrontMatter => m::D_NO_FRONT_MATTER,
            SplitError::Unclosed => m::D_UNCLOSED_FRONT_MATTER,
        }
    }

    pub fn hint(&self) -> crate::msg::Msg {
        use crate::msg::m;
        match self {
            SplitError::NotUtf8 { .. } => m::H_NOT_UTF8,
            SplitError::NoFrontMatter => m::H_NO_FRONT_MATTER,
            SplitError::Unclosed => m::H_UNCLOSED_FRONT_MATTER,
        }
    }
}

/// Is this line (without its line ending) a `+++` fence?
fn is_fence(line: &str) -> bool {
    line.trim_end() == "+++"
}

impl Document {
    /// Splits a file's bytes; never panics, whatever the input.
    pub fn parse(bytes: &[u8]) -> Result<Document, SplitError> {
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let line = bytes[..e.valid_up_to()]
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count()
                    + 1;
                return Err(SplitError::NotUtf8 { line });
            }
        };
        let (bom, text) = match text.strip_prefix(BOM) {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
        let first = &text[..first_end];
        if !is_fence(first.trim_end_matches(['\n', '\r'])) {
            return Err(SplitError::NoFrontMatter);
        }
        let newline = if first.ends_with("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        let mut pos = first_end;
        while pos < text.len() {
            let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
            if is_fence(text[pos..end].trim_end_matches(['\n', '\r'])) {
                return Ok(Document {
                    text: text.to_string(),
                    bom,
                    newline,
                    front: first_end..pos,
                    body_start: end,
                    front_line: 2,
                });
            }
            pos = end;
        }
        Err(SplitError::Unclosed)
    }

    pub fn front_matter(&self) -> &str {
        &self.text[self.front.clone()]
    }

    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// 1-based line number of the first body line.
    pub fn body_line(&self) -> usize {
        self.text[..self.body_start].matches('\n').count() + 1
    }

    /// The file's bytes, BOM included.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.text.len() + 3);
        if self.bom {
            out.extend_from_slice(BOM.as_bytes());
        }
        out.extend_from_slice(self.text.as_bytes());
        out
    }

    /// Replaces `range` of the text with `with`, returning the new document.
    pub fn splice(&self, range: Range<usize>, with: &str) -> Document {
        let mut text = String::with_capacity(self.text.len() + with.len());
        text.push_str(&self.text[..range.start]);
        text.push_str(with);
        text.push_str(&self.text[range.end..]);
        let delta = with.len() as isize - (range.end - range.start) as isize;
        let shift = |at: usize| {
            if at >= range.end {
                (at as isize + delta) as usize
            } else {
                at
            }
        };
        Document {
            text,
            bom: self.bom,
            newline: self.newline,
            front: self.front.start..shift(self.front.end),
            body_start: shift(self.body_start),
            front_line: self.front_line,
        }
    }

    /// Replaces the front matter with new TOML text, written in the file's line ending.
    pub fn with_front_matter(&self, toml: &str) -> Document {
        let toml = to_newline(toml, self.newline);
        self.splice(self.front.clone(), &toml)
    }
}

/// Rewrites every line ending of `text` to `newline`.
pub fn to_newline(text: &str, newline: &str) -> String {
    if newline == "\n" {
        return text.replace("\r\n", "\n");
    }
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("\r\n");
        }
        out.push_str(line.strip_suffix('\r').unwrap_or(line));
    }
    out
}

/// Lines that are git conflict markers, 1-based: `<<<<<<<` and `>>>>>>>` lines wherever they
/// are, and the `|||||||` and `=======` lines of a group that a `<<<<<<<` opens. A lone
/// `=======` (a setext heading's underline) is Markdown, not a marker.
pub fn conflict_marker_lines(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    let marker = |at: usize| -> Option<u8> {
        let line = &b[at..];
        let end = memchr::memchr(b'\n', line).unwrap_or(line.len());
        let l = text[at..at + end].trim_end();
        let c = *l.as_bytes().first()?;
        let run = l.bytes().take_while(|x| *x == c).count();
        if run != 7 {
            return None;
        }
        match c {
            b'=' => (l.len() == 7).then_some(c),
            b'<' | b'>' | b'|' => (l.len() == 7 || l.as_bytes()[7] == b' ').then_some(c),
            _ => None,
        }
    };
    // Only lines that start with one of the marker characters can be markers: one memchr pass
    // finds the few candidates instead of walking every line.
    let mut starts: Vec<(usize, u8)> = memchr::memchr3_iter(b'<', b'=', b'>', b)
        .chain(memchr::memchr_iter(b'|', b))
        .filter(|&i| i == 0 || b[i - 1] == b'\n')
        .filter_map(|i| marker(i).map(|c| (i, c)))
        .collect();
    starts.sort_unstable();
    let mut lines = Vec::new();
    let mut open = false;
    let mut line = 1;
    let mut counted = 0;
    for (at, c) in starts {
        line += memchr::memchr_iter(b'\n', &b[counted..at]).count();
        counted = at;
        let keep = match c {
            b'<' => {
                open = true;
                true
            }
            b'>' => {
                open = false;
                true
            }
            _ => open,
        };
        if keep {
            lines.push(line);
        }
    }
    lines
}

/// Maps byte offsets of a text to 1-based line and column (columns count characters).
/// Positions are computed on demand: they are only needed for the rare diagnostic, so reading a
/// file never pays for an index of its lines.
pub struct LineIndex<'a> {
    text: &'a str,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        LineIndex { text }
    }

    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &self.text[..offset];
        let start = before.rfind('\n').map_or(0, |i| i + 1);
        (
            before.matches('\n').count() + 1,
            before[start..].chars().count() + 1,
        )
    }

    /// The text of a 1-based line without its line ending.
    pub fn line_text(&self, line: usize) -> &'a str {
        self.text
            .split_inclusive('\n')
            .nth(line.saturating_sub(1))
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let doc = Document::parse(b"+++\nname = \"A\"\n+++\n\n# A\n").unwrap();
        assert_eq!(doc.front_matter(), "name = \"A\"\n");
        assert_eq!(doc.body(), "\n# A\n");
        assert_eq!(doc.body_line(), 4);
        assert_eq!(doc.newline, "\n");
    }

    #[test]
    fn keeps_bom_and_crlf() {
        let bytes = "\u{feff}+++\r\nname = \"A\"\r\n+++\r\nbody\r\n".as_bytes();
        let doc = Document::parse(bytes).unwrap();
        assert!(doc.bom);
        assert_eq!(doc.newline, "\r\n");
        assert_eq!(doc.front_matter(), "name = \"A\"\r\n");
        assert_eq!(doc.to_bytes(), bytes);
    }

    #[test]
    fn pluses_in_content_and_no_final_newline() {
        let doc = Document::parse(b"+++\nx = \"+++\"\n+++").unwrap();
        assert_eq!(doc.front_matter(), "x = \"+++\"\n");
        assert_eq!(doc.body(), "");
        let doc = Document::parse(b"+++\n+++\nsome +++ text\n").unwrap();
        assert_eq!(doc.front_matter(), "");
    }

    #[test]
    fn rejects_what_is_not_a_customer_file() {
        assert_eq!(Document::parse(b"").unwrap_err(), SplitError::NoFrontMatter);
        assert_eq!(
            Document::parse(b"# title\n").unwrap_err(),
            SplitError::NoFrontMatter
        );
        assert_eq!(
            Document::parse(b"+++\nname = 1\n").unwrap_err(),
            SplitError::Unclosed
        );
        assert_eq!(
            Document::parse(b"+++\n\xff\n+++\n").unwrap_err(),
            SplitError::NotUtf8 { line: 2 }
        );
    }

    #[test]
    fn splice_shifts_spans() {
        let doc = Document::parse(b"+++\na = 1\n+++\nbody\n").unwrap();
        let edited = doc.with_front_matter("a = 1\nb = 2\n");
        assert_eq!(edited.text, "+++\na = 1\nb = 2\n+++\nbody\n");
        assert_eq!(edited.body(), "body\n");
    }

    #[test]
    fn finds_conflict_markers() {
        let text = "a\n<<<<<<< HEAD\nb\n=======\nc\n>>>>>>> theirs\n";
        assert_eq!(conflict_marker_lines(text), vec![2, 4, 6]);
        assert!(conflict_marker_lines("======== heading underline\n").is_empty());
        // A lone `=======` under a paragraph is a setext heading, not a marker.
        assert!(conflict_marker_lines("Title\n=======\n").is_empty());
        let diff3 = "<<<<<<< ours\na\n||||||| base\nb\n=======\nc\n>>>>>>> theirs\n";
        assert_eq!(conflict_marker_lines(diff3), vec![1, 3, 5, 7]);
    }

    #[test]
    fn line_col_counts_characters() {
        let idx = LineIndex::new("ab\n客户 x\n");
        assert_eq!(idx.line_col(0), (1, 1));
        assert_eq!(idx.line_col(3 + 7), (2, 4));
        assert_eq!(idx.line_text(2), "客户 x");
    }
}
