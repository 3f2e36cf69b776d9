//! The body is read as GitHub renders it. A corpus of tricky bodies (tests/fixtures/markdown)
//! with the entries, fields, open items and reading diagnostics written down by hand from the
//! CommonMark spec; the real binary must read exactly those, and an independent CommonMark
//! implementation (comrak, GitHub-flavoured) must render the same entries. Then every write
//! must render as intended: a new entry is a top-level h2 with its task item, whatever the file
//! and whatever the rep typed.

mod common;

use common::*;
use comrak::nodes::{AstNode, NodeValue};
use comrak::{Arena, Options, parse_document};

/// One corpus file and what a GitHub rendering of it implies.
struct Case {
    file: String,
    expected: Vec<String>,
}

fn corpus() -> Vec<Case> {
    let text = std::fs::read_to_string(fixture("markdown").join("expected.txt")).unwrap();
    let mut cases: Vec<Case> = Vec::new();
    for line in text.lines() {
        if let Some(file) = line.strip_prefix("== ") {
            cases.push(Case {
                file: file.to_string(),
                expected: Vec::new(),
            });
        } else if !line.trim().is_empty() && !line.starts_with('#') {
            cases.last_mut().unwrap().expected.push(line.to_string());
        }
    }
    assert!(cases.len() >= 40, "the corpus has {} cases", cases.len());
    cases
}

fn stem(file: &str) -> &str {
    file.trim_end_matches(".md")
}

/// What followup reads in one corpus file, in the corpus's notation.
fn read_by_followup(s: &Sandbox, case: &Case) -> Vec<String> {
    let show = s
        .run(&["show", stem(&case.file), "--json", "--entries", "100"])
        .ok()
        .json();
    let mut out = Vec::new();
    for e in show["entries"].as_array().unwrap() {
        let date = e["date"].as_str().unwrap();
        let channel = e["channel"].as_str().unwrap();
        out.push(format!("entry {date} {channel}").trim_end().to_string());
    }
    for e in show["entries"].as_array().unwrap() {
        let date = e["date"].as_str().unwrap();
        for f in e["fields"].as_array().unwrap() {
            out.push(format!(
                "field {date} {}: {}",
                f["key"].as_str().unwrap(),
                f["value"].as_str().unwrap()
            ));
        }
    }
    for o in show["open_items"].as_array().unwrap() {
        out.push(format!(
            "open {}: {}",
            o["kind"].as_str().unwrap(),
            o["text"].as_str().unwrap()
        ));
    }
    let path = format!("customers/{}", case.file);
    let check = s.run(&["check", "--json", &path]).json();
    for d in check["diagnostics"].as_array().unwrap() {
        let code = d["code"].as_str().unwrap();
        if [
            "not-an-entry",
            "unclosed-block",
            "bad-heading",
            "missing-channel",
            "conflict-marker",
        ]
        .contains(&code)
        {
            out.push(format!("diag {code} {}", d["line"]));
        }
    }
    out
}

#[test]
fn the_corpus_reads_as_written_down_by_hand() {
    let s = Sandbox::new("markdown");
    let mut wrong = Vec::new();
    for case in corpus() {
        let mut got = read_by_followup(&s, &case);
        let mut want = case.expected.clone();
        // Entries, fields and open items keep their order; diagnostics are compared as a set.
        got.sort_by_key(|l| !l.starts_with("diag"));
        want.sort_by_key(|l| !l.starts_with("diag"));
        let (mut gd, mut wd): (Vec<_>, Vec<_>) = (
            got.iter().filter(|l| l.starts_with("diag")).collect(),
            want.iter().filter(|l| l.starts_with("diag")).collect(),
        );
        gd.sort();
        wd.sort();
        let rest = |v: &Vec<String>| -> Vec<String> {
            v.iter()
                .filter(|l| !l.starts_with("diag"))
                .cloned()
                .collect()
        };
        if gd != wd || rest(&got) != rest(&want) {
            wrong.push(format!(
                "{}:\n  want {:?}\n  got  {:?}",
                case.file, case.expected, got
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

// ---------------------------------------------------------------- an independent renderer

fn gfm() -> Options<'static> {
    let mut o = Options::default();
    o.extension.table = true;
    o.extension.tasklist = true;
    o.extension.strikethrough = true;
    o.extension.footnotes = true;
    o.extension.front_matter_delimiter = Some("+++".to_string());
    o
}

fn text_of<'a>(node: &'a AstNode<'a>) -> String {
    let mut out = String::new();
    for d in node.descendants() {
        match &d.data().value {
            NodeValue::Text(t) => out.push_str(t),
            NodeValue::Code(c) => out.push_str(&c.literal),
            NodeValue::SoftBreak | NodeValue::LineBreak => out.push('\n'),
            _ => {}
        }
    }
    out
}

/// A top-level entry as comrak renders it: its heading text, its discussion text (paragraphs
/// and other blocks that are not lists) and its top-level list items (text, task state).
#[derive(Debug, Default)]
struct Rendered {
    heading: String,
    discussion: Vec<String>,
    items: Vec<(String, Option<bool>)>,
}

fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[7] == b'-'
        && b[5..7].iter().chain(&b[8..10]).all(u8::is_ascii_digit)
        && (1..=12).contains(&text[5..7].parse::<u32>().unwrap_or(0))
        && (1..=31).contains(&text[8..10].parse::<u32>().unwrap_or(0))
}

fn rendered_entries(markdown: &str) -> Vec<Rendered> {
    let arena = Arena::new();
    let options = gfm();
    let root = parse_document(&arena, markdown, &options);
    let mut entries: Vec<Rendered> = Vec::new();
    let mut open = false;
    for node in root.children() {
        let value = node.data().value.clone();
        match value {
            NodeValue::Heading(h) if h.level <= 2 => {
                let text = text_of(node).replace('\n', " ");
                open = h.level == 2 && is_date(&text);
                if open {
                    entries.push(Rendered {
                        heading: text,
                        ..Rendered::default()
                    });
                }
            }
            // Front matter is not rendered; footnotes render in their own section at the end.
            NodeValue::FrontMatter(_) | NodeValue::FootnoteDefinition(_) => {}
            NodeValue::List(_) if open => {
                for item in node.children() {
                    let task = match &item.data().value {
                        NodeValue::TaskItem(t) => Some(t.symbol.is_some()),
                        _ => None,
                    };
                    let first = item
                        .children()
                        .next()
                        .map(|c| text_of(c).replace('\n', " "))
                        .unwrap_or_default();
                    entries.last_mut().unwrap().items.push((first, task));
                }
            }
            _ if open => entries.last_mut().unwrap().discussion.push(text_of(node)),
            _ => {}
        }
    }
    entries
}

#[test]
fn an_independent_renderer_agrees_on_the_entries() {
    let s = Sandbox::new("markdown");
    for case in corpus() {
        let text = s.read(&format!("customers/{}", case.file));
        let got: Vec<String> = rendered_entries(&text)
            .iter()
            .map(|e| e.heading[..10].to_string())
            .collect();
        let want: Vec<String> = case
            .expected
            .iter()
            .filter_map(|l| l.strip_prefix("entry "))
            .map(|l| l[..10].to_string())
            .collect();
        assert_eq!(got, want, "{}", case.file);
    }
}

// ---------------------------------------------------------------- writes render as intended

/// The new entry in a file written by `log`, as comrak renders it.
fn logged_entry(text: &str, heading: &str) -> Rendered {
    let mut found: Vec<Rendered> = rendered_entries(text)
        .into_iter()
        .filter(|e| e.heading == heading)
        .collect();
    assert_eq!(found.len(), 1, "one `{heading}` entry in:\n{text}");
    found.remove(0)
}

#[test]
fn log_into_every_corpus_file_writes_a_top_level_entry_or_refuses_naming_the_line() {
    for case in corpus() {
        let s = Sandbox::new("markdown");
        let before = s.snapshot();
        let run = s.run(&[
            "log",
            stem(&case.file),
            "-m",
            "Called them.",
            "--promised",
            "call back (due 2026-12-01)",
            "--by",
            "tester",
        ]);
        let unclosed = case
            .expected
            .iter()
            .find_map(|l| l.strip_prefix("diag unclosed-block "));
        match unclosed {
            Some(line) => {
                assert_eq!(run.code, 2, "{}: {}", case.file, run.stderr);
                assert!(
                    run.stderr.contains(&format!("{}:{line}:", case.file)),
                    "{}: {}",
                    case.file,
                    run.stderr
                );
                assert_eq!(s.snapshot(), before, "{}", case.file);
            }
            None => {
                assert_eq!(run.code, 0, "{}: {}", case.file, run.stderr);
                let text = s.read(&format!("customers/{}", case.file));
                let entry = logged_entry(&text, "2026-11-26 phone @tester");
                assert_eq!(entry.discussion, vec!["Called them.".to_string()]);
                assert_eq!(
                    entry.items,
                    vec![(
                        "promised: call back (due 2026-12-01)".to_string(),
                        Some(false)
                    )],
                    "{}:\n{text}",
                    case.file
                );
            }
        }
    }
}

/// Lines a rep might type that mean something in Markdown.
const SHAPES: [&str; 24] = [
    "## 2026-11-20 phone",
    "# Big news",
    "---",
    "===",
    "***",
    "___",
    "```",
    "~~~ js",
    "<!-- hidden?",
    "<pre>",
    "<div>",
    "> quoted",
    "- a bullet",
    "+ a bullet",
    "* a bullet",
    "1. first",
    "2) second",
    "[ref]: http://example.com",
    "[^1]: a footnote",
    "a <b>bold</b> claim",
    "R&D &amp; co",
    "C:\\path\\* and \\_",
    "ends with a backslash \\",
    "- [ ] promised: not a real promise",
];

#[test]
fn typed_text_of_every_markdown_shape_renders_as_typed() {
    let s = Sandbox::new("acme");
    // Each shape as its own paragraph, and all of them as one paragraph of lines.
    let mut args: Vec<String> = vec!["log".into(), "acme".into(), "--by".into(), "rep".into()];
    for shape in SHAPES {
        args.push("-m".into());
        args.push(format!("Before\n{shape}"));
    }
    args.push("-m".into());
    args.push(SHAPES.join("\n"));
    args.extend([
        "--promised".into(),
        "send the quote (due 2026-12-01)".into(),
    ]);
    args.extend(["--feedback".into(), "<!-- not hidden --> & <b>".into()]);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    s.run(&refs).ok();
    let text = s.read("customers/acme.md");
    let entry = logged_entry(&text, "2026-11-26 phone @rep");
    assert_eq!(
        entry.discussion.len(),
        SHAPES.len() + 1,
        "{:#?}",
        entry.discussion
    );
    for (shape, rendered) in SHAPES.iter().zip(&entry.discussion) {
        assert_eq!(rendered, &format!("Before\n{shape}"), "typed {shape:?}");
    }
    assert_eq!(entry.discussion.last().unwrap(), &SHAPES.join("\n"));
    assert_eq!(
        entry.items,
        vec![
            ("feedback: <!-- not hidden --> & <b>".to_string(), None),
            (
                "promised: send the quote (due 2026-12-01)".to_string(),
                Some(false)
            ),
        ]
    );
    // And followup reads back what the rep typed.
    let show = s.run(&["show", "acme", "--json"]).ok().json();
    let last = show["entries"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["fields"][0]["value"], "<!-- not hidden --> & <b>");
    s.run(&["check"]).ok();
}

#[test]
fn a_file_ending_inside_an_unclosed_block_is_refused_for_every_write() {
    let s = Sandbox::new("markdown");
    let before = s.snapshot();
    for args in [
        vec!["log", "37-unclosed-fence", "-m", "x"],
        vec!["set", "37-unclosed-fence", "priority=high"],
        vec!["done", "38-unclosed-comment"],
    ] {
        let run = s.run(&args).code(2);
        assert!(run.stderr.contains(":9:"), "{args:?}: {}", run.stderr);
    }
    assert_eq!(s.snapshot(), before);
}
