//! Three-way merge of one customer file by meaning, for git's merge driver: every log entry of
//! both sides is kept (in date order, an entry both sides have once), front-matter keys merge
//! one by one, and only a key both sides changed differently becomes a conflict, marked with
//! git's conflict markers at its line so `followup check` reports it. Pure: bytes in, bytes out.

use crate::model::document::{Document, conflict_marker_lines, to_newline};
use crate::model::reader::{Block, split_blocks};
use crate::model::toml_path;
use std::collections::{BTreeMap, HashMap, HashSet};
use toml_edit::{DocumentMut, Item, Table, TableLike, Value};

/// The merged file and how many conflicts it holds.
#[derive(Debug)]
pub struct Merged {
    pub bytes: Vec<u8>,
    pub conflicts: usize,
}

struct Side {
    doc: Document,
    toml: DocumentMut,
}

fn side(bytes: &[u8]) -> Option<Side> {
    let doc = if bytes.is_empty() {
        Document::parse(b"+++\n+++\n").ok()?
    } else {
        Document::parse(bytes).ok()?
    };
    if !conflict_marker_lines(&doc.text).is_empty() {
        return None;
    }
    let toml = toml_edit::Document::parse(doc.front_matter())
        .ok()?
        .into_mut();
    Some(Side { doc, toml })
}

/// Merges by meaning; `None` when a side cannot be parsed (the caller then falls back to git's
/// line merge, which never drops text).
pub fn merge(base: &[u8], ours: &[u8], theirs: &[u8]) -> Option<Merged> {
    let (b, o, t) = (side(base)?, side(ours)?, side(theirs)?);
    let nl = o.doc.newline;
    let (front, front_conflicts) = merge_front(&b.toml, &o.toml, &t.toml);
    let (body, body_conflicts) = merge_body(b.doc.body(), o.doc.body(), t.doc.body(), nl);
    let fence_open = &o.doc.text[..o.doc.front.start];
    let fence_close = &o.doc.text[o.doc.front.end..o.doc.body_start];
    let text = format!("{fence_open}{}{fence_close}{body}", to_newline(&front, nl));
    let mut bytes = Vec::new();
    if o.doc.bom {
        bytes.extend_from_slice("\u{feff}".as_bytes());
    }
    bytes.extend_from_slice(text.as_bytes());
    Some(Merged {
        bytes,
        conflicts: front_conflicts + body_conflicts,
    })
}

// ---------------------------------------------------------------- front matter

/// A leaf of the front matter: a value, or a whole array of tables; compared without comments.
#[derive(Clone)]
struct Leaf {
    repr: String,
    item: Item,
}

fn leaves(table: &dyn TableLike, prefix: &str, out: &mut BTreeMap<String, Leaf>) {
    for (key, item) in table.iter() {
        let path = if prefix.is_empty() {
            key.to_string()
        } else {
            format!("{prefix}.{key}")
        };
        match item {
            Item::Table(t) => leaves(t, &path, out),
            Item::Value(v) => {
                let mut bare = v.clone();
                bare.decor_mut().clear();
                out.insert(
                    path,
                    Leaf {
                        repr: bare.to_string(),
                        item: item.clone(),
                    },
                );
            }
            Item::ArrayOfTables(a) => {
                let repr = a
                    .iter()
                    .map(|t| {
                        let mut inner = BTreeMap::new();
                        leaves(t, "", &mut inner);
                        inner
                            .iter()
                            .map(|(k, l)| format!("{k}={}", l.repr))
                            .collect::<Vec<_>>()
                            .join(";")
                    })
                    .collect::<Vec<_>>()
                    .join("|");
                out.insert(
                    path,
                    Leaf {
                        repr,
                        item: item.clone(),
                    },
                );
            }
            Item::None => {}
        }
    }
}

fn set_item(root: &mut Table, dotted: &str, item: &Item) {
    match item {
        Item::Value(v) => {
            let _ = toml_path::set(root, dotted, v.clone());
        }
        other => {
            let (parent, leaf) = dotted
                .rsplit_once('.')
                .map_or(("", dotted), |(p, l)| (p, l));
            let table: Option<&mut dyn TableLike> = if parent.is_empty() {
                Some(root)
            } else {
                crate::model::toml_path::get_table_mut(root, parent)
            };
            if let Some(t) = table {
                t.insert(leaf, other.clone());
            }
        }
    }
}

/// A key both sides changed differently: (key, ours, theirs).
struct Conflict {
    key: String,
    ours: Option<Leaf>,
    theirs: Option<Leaf>,
}

/// Returns the merged TOML text and the number of conflicting keys.
fn merge_front(base: &DocumentMut, ours: &DocumentMut, theirs: &DocumentMut) -> (String, usize) {
    let (mut b, mut o, mut t) = (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
    leaves(base.as_table(), "", &mut b);
    leaves(ours.as_table(), "", &mut o);
    leaves(theirs.as_table(), "", &mut t);
    let mut merged = ours.clone();
    let mut conflicts = Vec::new();
    let mut keys: Vec<&String> = b.keys().chain(o.keys()).chain(t.keys()).collect();
    keys.sort();
    keys.dedup();
    let repr = |m: &BTreeMap<String, Leaf>, k: &str| m.get(k).map(|l| l.repr.clone());
    for key in keys {
        let (rb, ro, rt) = (repr(&b, key), repr(&o, key), repr(&t, key));
        if ro == rt || rt == rb {
            continue; // same on both sides, or only ours changed: ours stands
        }
        if ro == rb {
            match t.get(key) {
                Some(leaf) => set_item(merged.as_table_mut(), key, &leaf.item),
                None => toml_path::remove(merged.as_table_mut(), key),
            }
            continue;
        }
        conflicts.push(Conflict {
            key: key.clone(),
            ours: o.get(key).cloned(),
            theirs: t.get(key).cloned(),
        });
    }
    // Arrays of tables in conflict are moved to the end, where a marked block can hold them.
    for c in &conflicts {
        if matches!(
            c.ours.as_ref().map(|l| &l.item),
            Some(Item::ArrayOfTables(_))
        ) {
            toml_path::remove(merged.as_table_mut(), &c.key);
        }
    }
    let text = merged.to_string();
    let count = conflicts.len();
    (mark_conflicts(&text, &conflicts), count)
}

fn render_leaf(key: &str, leaf: &Leaf) -> String {
    match &leaf.item {
        Item::ArrayOfTables(a) => {
            let mut doc = DocumentMut::new();
            doc.insert(key, Item::ArrayOfTables(a.clone()));
            doc.to_string()
        }
        Item::Value(v) => {
            let mut bare: Value = v.clone();
            bare.decor_mut().clear();
            format!("{key} = {bare}\n")
        }
        _ => String::new(),
    }
}

/// Replaces each conflicting key's lines by a git-style marked block (ours, then theirs).
fn mark_conflicts(text: &str, conflicts: &[Conflict]) -> String {
    if conflicts.is_empty() {
        return text.to_string();
    }
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let line_of = |offset: usize| text[..offset].matches('\n').count();
    let parsed = toml_edit::Document::parse(text.to_string()).ok();
    // (first line, last line, replacement) for conflicts placed in line; others go at the end.
    let mut in_place: Vec<(usize, usize, String)> = Vec::new();
    let mut at_end = String::new();
    for c in conflicts {
        let leaf_name = c.key.rsplit('.').next().unwrap_or(&c.key);
        let theirs = c
            .theirs
            .as_ref()
            .map_or_else(String::new, |l| render_leaf(leaf_name, l));
        let span = parsed.as_ref().and_then(|doc| {
            let (parent, leaf) = c
                .key
                .rsplit_once('.')
                .map_or(("", c.key.as_str()), |(p, l)| (p, l));
            let table: &dyn TableLike = if parent.is_empty() {
                doc.as_table()
            } else {
                toml_path::get(doc.as_table(), parent)?.as_table_like()?
            };
            let key_span = table.key(leaf)?.span()?;
            let value_span = table.get(leaf)?.span()?;
            let first = line_of(key_span.start);
            let last = line_of(value_span.end.saturating_sub(1)).max(first);
            (last < lines.len()).then_some((first, last))
        });
        match (span, &c.ours) {
            (
                Some((first, last)),
                Some(Leaf {
                    item: Item::Value(_),
                    ..
                }),
            ) => {
                let ours: String = lines[first..=last].concat();
                in_place.push((
                    first,
                    last,
                    format!("<<<<<<< ours\n{ours}=======\n{theirs}>>>>>>> theirs\n"),
                ));
            }
            _ => {
                let ours = c
                    .ours
                    .as_ref()
                    .map_or_else(String::new, |l| render_leaf(&c.key, l));
                let theirs = c
                    .theirs
                    .as_ref()
                    .map_or_else(String::new, |l| render_leaf(&c.key, l));
                at_end.push_str(&format!(
                    "<<<<<<< ours\n{ours}=======\n{theirs}>>>>>>> theirs\n"
                ));
            }
        }
    }
    in_place.sort_by_key(|(first, _, _)| *first);
    let mut out = String::new();
    let mut next = 0;
    for (first, last, block) in in_place {
        if first < next {
            continue;
        }
        out.push_str(&lines[next..first].concat());
        out.push_str(&block);
        next = last + 1;
    }
    out.push_str(&lines[next.min(lines.len())..].concat());
    if !at_end.is_empty() {
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&at_end);
    }
    out
}

// ---------------------------------------------------------------- body

/// Lines without trailing spaces and without trailing blank lines: equal entries compare equal.
fn normalized(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let end = lines
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(0, |i| i + 1);
    lines[..end].join("\n")
}

/// Each block keyed by its heading and how many times that heading came before.
fn keyed(blocks: &[Block]) -> Vec<((String, usize), &Block)> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    blocks
        .iter()
        .map(|b| {
            let heading = b.heading.clone().unwrap_or_default();
            let n = seen.entry(heading.clone()).or_default();
            let key = (heading, *n);
            *n += 1;
            (key, b)
        })
        .collect()
}

/// Three-way merge of one block's text: whole-block, then line by line when the line counts
/// match; `None` when both sides changed the same lines.
fn merge_text(base: &str, ours: &str, theirs: &str) -> Option<String> {
    if ours == theirs || theirs == base {
        return Some(ours.to_string());
    }
    if ours == base {
        return Some(theirs.to_string());
    }
    let (b, o, t): (Vec<&str>, Vec<&str>, Vec<&str>) = (
        base.split_inclusive('\n').collect(),
        ours.split_inclusive('\n').collect(),
        theirs.split_inclusive('\n').collect(),
    );
    if b.len() != o.len() || b.len() != t.len() {
        return None;
    }
    let mut out = String::new();
    for i in 0..b.len() {
        out.push_str(if o[i] == t[i] || t[i] == b[i] {
            o[i]
        } else if o[i] == b[i] {
            t[i]
        } else {
            return None;
        });
    }
    Some(out)
}

fn ensure_blank_line_after(text: &mut String, nl: &str) {
    if text.trim().is_empty() {
        return;
    }
    if !text.ends_with('\n') {
        text.push_str(nl);
    }
    if !text.ends_with(&format!("{nl}{nl}")) && !text.ends_with("\n\n") {
        text.push_str(nl);
    }
}

/// Returns the merged body and the number of conflicting blocks.
fn merge_body(base: &str, ours: &str, theirs: &str, nl: &str) -> (String, usize) {
    let (b_blocks, o_blocks, t_blocks) =
        (split_blocks(base), split_blocks(ours), split_blocks(theirs));
    let b: HashMap<(String, usize), &Block> = keyed(&b_blocks).into_iter().collect();
    let t: HashMap<(String, usize), &Block> = keyed(&t_blocks).into_iter().collect();
    let o_keyed = keyed(&o_blocks);
    let o_keys: HashSet<&(String, usize)> = o_keyed.iter().map(|(k, _)| k).collect();
    let mut conflicts = 0;
    let mut result: Vec<Block> = Vec::new();
    for (key, ob) in &o_keyed {
        let mut block = (*ob).clone();
        if let (Some(bb), Some(tb)) = (b.get(key), t.get(key)) {
            match merge_text(&bb.text, &ob.text, &tb.text) {
                Some(text) => block.text = text,
                None => {
                    conflicts += 1;
                    let (mut o_text, mut t_text) = (ob.text.clone(), tb.text.clone());
                    for text in [&mut o_text, &mut t_text] {
                        *text = normalized(text).replace('\n', nl) + nl;
                    }
                    block.text = format!(
                        "<<<<<<< ours{nl}{o_text}======={nl}{t_text}>>>>>>> theirs{nl}{nl}"
                    );
                }
            }
        }
        result.push(block);
    }
    // Theirs: blocks ours does not have — added by them, or removed by us (never dropped).
    let ours_texts: HashSet<String> = o_blocks.iter().map(|x| normalized(&x.text)).collect();
    let added: Vec<Block> = keyed(&t_blocks)
        .into_iter()
        .filter(|(key, tb)| {
            let ours_has_key = o_keys.contains(key);
            !(ours_has_key && (b.contains_key(key) || tb.heading.is_none()))
                && !ours_texts.contains(&normalized(&tb.text))
        })
        .map(|(_, tb)| tb.clone())
        .collect();
    (interleave(result, added, nl), conflicts)
}

/// Puts each added entry after the last entry dated on or before it (before the first entry when
/// none is; other sections go last), in one pass: "the last index with date ≤ d" only grows
/// with d, so a prefix maximum over the entries sorted by date answers each in O(log n).
fn interleave(result: Vec<Block>, added: Vec<Block>, nl: &str) -> String {
    let mut by_date: Vec<(chrono::NaiveDate, usize)> = result
        .iter()
        .enumerate()
        .filter_map(|(i, x)| x.date.map(|d| (d, i)))
        .collect();
    by_date.sort_unstable();
    let prefix_max: Vec<usize> = by_date
        .iter()
        .scan(0, |max, (_, i)| {
            *max = (*max).max(*i);
            Some(*max)
        })
        .collect();
    let first_entry = result.iter().position(|x| x.date.is_some());
    let mut at: BTreeMap<usize, Vec<Block>> = BTreeMap::new();
    for block in added {
        let position = match block.date {
            Some(d) => match by_date.partition_point(|(date, _)| *date <= d) {
                0 => first_entry.unwrap_or(result.len()),
                n => prefix_max[n - 1] + 1,
            },
            None => result.len(),
        };
        at.entry(position).or_default().push(block);
    }
    for blocks in at.values_mut() {
        blocks.sort_by_key(|x| x.date.is_none()); // stable: entries by their order, sections last
        blocks.sort_by_key(|x| x.date.unwrap_or(chrono::NaiveDate::MAX));
    }
    let mut out: Vec<Block> = Vec::with_capacity(result.len() + at.len());
    let mut inserted_last = false;
    let total = result.len();
    let mut result = result.into_iter();
    for i in 0..=total {
        for block in at.remove(&i).unwrap_or_default() {
            if let Some(prev) = out.last_mut() {
                ensure_blank_line_after(&mut prev.text, nl);
            }
            out.push(block);
            inserted_last = true;
        }
        if let Some(next) = result.next() {
            if inserted_last && let Some(prev) = out.last_mut() {
                ensure_blank_line_after(&mut prev.text, nl);
            }
            out.push(next);
            inserted_last = false;
        }
    }
    if let Some(last) = out.last_mut()
        && !last.text.is_empty()
        && !last.text.ends_with('\n')
    {
        last.text.push_str(nl);
    }
    out.into_iter().map(|x| x.text).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "+++\nname = \"Acme\"\nstage = \"intent\" # why\npriority = \"high\"\n+++\n\n# Acme\n\n## 2024-01-01 phone @a\n\nFirst.\n";

    fn m(base: &str, ours: &str, theirs: &str) -> (String, usize) {
        let r = merge(base.as_bytes(), ours.as_bytes(), theirs.as_bytes()).unwrap();
        (String::from_utf8(r.bytes).unwrap(), r.conflicts)
    }

    #[test]
    fn both_sides_entries_are_kept_in_date_order() {
        let ours = format!("{BASE}\n## 2024-01-03 phone @a\n\nOurs.\n");
        let theirs = format!("{BASE}\n## 2024-01-02 email @b\n\nTheirs.\n");
        let (out, n) = m(BASE, &ours, &theirs);
        assert_eq!(n, 0);
        assert_eq!(
            out,
            format!(
                "{BASE}\n## 2024-01-02 email @b\n\nTheirs.\n\n## 2024-01-03 phone @a\n\nOurs.\n"
            )
        );
        // The same entry added on both sides is kept once.
        let (out, _) = m(BASE, &ours, &ours);
        assert_eq!(out, ours);
    }

    #[test]
    fn keys_merge_three_way_and_keep_comments() {
        let ours = BASE.replace("priority = \"high\"", "priority = \"low\"");
        let theirs = BASE.replace("\"intent\" # why", "\"won\" # why");
        let (out, n) = m(BASE, &ours, &theirs);
        assert_eq!(n, 0);
        assert_eq!(
            out,
            BASE.replace("priority = \"high\"", "priority = \"low\"")
                .replace("\"intent\" # why", "\"won\" # why")
        );
    }

    #[test]
    fn the_same_key_changed_differently_is_a_marked_conflict() {
        let ours = BASE.replace("\"intent\"", "\"won\"");
        let theirs = BASE.replace("\"intent\"", "\"potential\"");
        let (out, n) = m(BASE, &ours, &theirs);
        assert_eq!(n, 1);
        assert!(out.contains("<<<<<<< ours\nstage = \"won\" # why\n=======\nstage = \"potential\"\n>>>>>>> theirs\n"), "{out}");
        assert_eq!(conflict_marker_lines(&out), vec![3, 5, 7]);
    }

    #[test]
    fn ticks_in_different_lines_of_one_entry_merge() {
        let base =
            format!("{BASE}\n## 2024-01-02 phone @a\n\n- [ ] promised: one\n- [ ] promised: two\n");
        let ours = base.replace("[ ] promised: one", "[x] promised: one");
        let theirs = base.replace("[ ] promised: two", "[x] promised: two");
        let (out, n) = m(&base, &ours, &theirs);
        assert_eq!(n, 0);
        assert!(
            out.ends_with("- [x] promised: one\n- [x] promised: two\n"),
            "{out}"
        );
    }

    #[test]
    fn unparseable_sides_are_refused() {
        assert!(merge(BASE.as_bytes(), b"no front matter", BASE.as_bytes()).is_none());
        assert!(merge(b"", BASE.as_bytes(), BASE.as_bytes()).is_some());
    }
}
