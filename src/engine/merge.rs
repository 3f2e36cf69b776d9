//! Three-way merge of one customer file by meaning, for git's merge driver. Pure: bytes in,
//! bytes out.
//!
//! - Line endings and the byte-order mark are taken out before comparing (a CRLF side and an LF
//!   side of one entry are the same entry) and put back as the sides agree: a side that kept the
//!   base's style yields to one that changed it.
//! - The body is cut into blocks at its top-level h1/h2 headings (`reader::split_blocks`), each
//!   block's trailing blank lines set apart, so appending after the last entry does not change
//!   that entry. Each side's blocks are matched to the base's (by exact text, then by heading);
//!   a block both sides kept is merged line by line (three-way, so a tick on one side and a new
//!   line on the other both land; only the same lines changed differently are marked); blocks a
//!   side added go where that side put them, in date order with the other side's; each distinct
//!   block is kept as many times as the side holding it most (two identical no-answer calls on
//!   one side stay two, one added on both sides stays one). No side's entry is ever dropped.
//! - Front-matter keys merge one by one; only a key both sides changed to different values is a
//!   conflict, marked inside the key's own table so that keeping either side is valid TOML that
//!   sets that very key.

use crate::model::document::{Document, conflict_marker_lines};
use crate::model::entry::parse_heading;
use crate::model::reader::split_blocks;
use chrono::NaiveDate;
use similar::{Algorithm, DiffTag, capture_diff_slices};
use std::collections::{BTreeMap, HashMap};
use toml_edit::{DocumentMut, Item, Key, Table, TableLike, Value};

const BOM: &str = "\u{feff}";

/// What git tells the driver about one side: the ref or commit it comes from (`%X`, `%Y`) and,
/// when known, who last changed the file on that side.
#[derive(Debug, Clone, Default)]
pub struct SideName {
    pub name: Option<String>,
    pub who: Option<String>,
}

/// The names written after the conflict markers.
#[derive(Debug, Clone, Default)]
pub struct Labels {
    pub ours: SideName,
    pub theirs: SideName,
}

/// The merged file and what conflicts it holds, one phrase each (`key next.due`, `entry
/// ## 2024-01-09 wechat @li.wei`).
#[derive(Debug)]
pub struct Merged {
    pub bytes: Vec<u8>,
    pub conflicts: Vec<String>,
}

/// One side, line endings normalised to LF and the BOM set apart.
struct Side {
    bom: bool,
    crlf: bool,
    fence_open: String,
    fence_close: String,
    body: String,
    toml: DocumentMut,
}

fn side(bytes: &[u8]) -> Option<Side> {
    let empty = bytes.is_empty();
    let text = std::str::from_utf8(if empty { b"+++\n+++\n" } else { bytes }).ok()?;
    let (bom, text) = match text.strip_prefix(BOM) {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let crlf = text.split('\n').next().is_some_and(|l| l.ends_with('\r'));
    let text = text.replace("\r\n", "\n");
    if !conflict_marker_lines(&text).is_empty() {
        return None;
    }
    let doc = Document::parse(text.as_bytes()).ok()?;
    let toml = toml_edit::Document::parse(doc.front_matter().to_string())
        .ok()?
        .into_mut();
    Some(Side {
        bom,
        crlf,
        fence_open: doc.text[..doc.front.start].to_string(),
        fence_close: doc.text[doc.front.end..doc.body_start].to_string(),
        body: doc.body().to_string(),
        toml,
    })
}

/// Merges by meaning; `None` when a side cannot be read as a customer file (not UTF-8, no front
/// matter, broken TOML, conflict markers already there): the caller then falls back to git's
/// line merge, which never drops text.
pub fn merge(base: &[u8], ours: &[u8], theirs: &[u8], labels: &Labels) -> Option<Merged> {
    let (b, o, t) = (side(base)?, side(ours)?, side(theirs)?);
    let body = merge_body(&b.body, &o.body, &t.body);
    let marks = Marks::new(labels, &body);
    let (front, mut conflicts) = merge_front(&b.toml, &o.toml, &t.toml, &marks);
    let (body_text, body_conflicts) = body.render(&marks);
    conflicts.extend(body_conflicts);
    // Untouched by the merge, the fences are ours; a side that kept the base's style of line
    // ending or BOM yields to one that changed it.
    let crlf = if o.crlf == b.crlf { t.crlf } else { o.crlf };
    let bom = if o.bom == b.bom { t.bom } else { o.bom };
    let mut text = format!("{}{front}{}{body_text}", o.fence_open, o.fence_close);
    if crlf {
        text = text.replace('\n', "\r\n");
    }
    let mut bytes = Vec::with_capacity(text.len() + 3);
    if bom {
        bytes.extend_from_slice(BOM.as_bytes());
    }
    bytes.extend_from_slice(text.as_bytes());
    Some(Merged { bytes, conflicts })
}

/// The marker lines' labels: who wrote each side (git's author of the side's last change to the
/// file, else the authors of the entries the side added) and the ref git names.
struct Marks {
    ours: SideName,
    theirs: SideName,
    /// Authors of the entries each side added, with the entries' text, for key conflicts.
    ours_added: Vec<(String, String)>,
    theirs_added: Vec<(String, String)>,
}

impl Marks {
    fn new(labels: &Labels, body: &BodyMerge) -> Marks {
        Marks {
            ours: labels.ours.clone(),
            theirs: labels.theirs.clone(),
            ours_added: body.added_by(Origin::Ours),
            theirs_added: body.added_by(Origin::Theirs),
        }
    }

    /// `bob (HEAD)`, `HEAD`, `alice`, or `ours` / `theirs` when nothing is known. For a key,
    /// the authors of the side's new entries that record a change of that key come first.
    fn label(&self, origin: Origin, key: Option<&[String]>) -> String {
        let (side, added, fallback) = match origin {
            Origin::Ours => (&self.ours, &self.ours_added, "ours"),
            Origin::Theirs => (&self.theirs, &self.theirs_added, "theirs"),
        };
        let who = side.who.clone().or_else(|| {
            let mut names: Vec<&str> = added
                .iter()
                .filter(|(_, text)| key.is_none_or(|k| records_key(text, k)))
                .map(|(who, _)| who.as_str())
                .collect();
            names.dedup();
            (key.is_some() && !names.is_empty()).then(|| names.join(", "))
        });
        let name = side.name.as_deref().map(short_ref);
        match (who, name) {
            (Some(w), Some(n)) => format!("{w} ({n})"),
            (Some(w), None) => w,
            (None, Some(n)) => n.to_string(),
            (None, None) => fallback.to_string(),
        }
    }

    fn open(&self, key: Option<&[String]>) -> String {
        format!("<<<<<<< {}\n", self.label(Origin::Ours, key))
    }

    fn close(&self, key: Option<&[String]>) -> String {
        format!(">>>>>>> {}\n", self.label(Origin::Theirs, key))
    }
}

/// A full commit id is cut to 10 characters; a label stays on one line.
fn short_ref(name: &str) -> &str {
    let name = name.lines().next().unwrap_or("").trim();
    if name.len() == 40 && name.bytes().all(|c| c.is_ascii_hexdigit()) {
        &name[..10]
    } else {
        name
    }
}

/// Does an entry's text record a change of this key (`- set: next.due: …`, `- stage: …`,
/// `- next: …` for `next.*`, `- amount: …` for `deal.amount`)?
fn records_key(text: &str, key: &[String]) -> bool {
    let dotted = key.join(".");
    let field = match dotted.as_str() {
        "next.action" | "next.due" => Some("next"),
        "deal.amount" => Some("amount"),
        "stage" | "status" => Some(dotted.as_str()),
        _ => None,
    };
    text.lines().any(|l| {
        let l = l
            .trim_start()
            .trim_start_matches(['-', '*', '+'])
            .trim_start();
        l.strip_prefix("set:")
            .is_some_and(|rest| rest.trim_start().starts_with(&format!("{dotted}:")))
            || field.is_some_and(|f| l.starts_with(&format!("{f}:")))
    })
}

// ---------------------------------------------------------------- line merge

/// A piece of a three-way line merge.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Chunk {
    Clean(Vec<String>),
    Conflict {
        ours: Vec<String>,
        theirs: Vec<String>,
    },
}

/// One side's change to the base: lines `start..end` of the base become `lines`.
#[derive(Debug, Clone)]
struct Hunk {
    start: usize,
    end: usize,
    lines: Vec<String>,
}

impl Hunk {
    /// The hunk's extent in doubled coordinates: base line `i` is the point `2i + 1`, the gap
    /// before it `2i`. Two hunks interact exactly when their extents meet: the same lines
    /// changed, or two insertions at one gap, or an insertion inside the other's lines — never
    /// changes of adjacent lines.
    fn extent(&self) -> (usize, usize) {
        if self.start == self.end {
            (2 * self.start, 2 * self.start)
        } else {
            (2 * self.start + 1, 2 * self.end - 1)
        }
    }
}

/// One side's changes: a run of lines replaced by as many lines is one change per line (so a
/// tick on one line and a tick on the next, one by each side, do not meet).
fn hunks(base: &[String], side: &[String]) -> Vec<Hunk> {
    let mut out = Vec::new();
    for (tag, old, new) in capture_diff_slices(Algorithm::Myers, base, side)
        .iter()
        .map(similar::DiffOp::as_tag_tuple)
    {
        match tag {
            DiffTag::Equal => {}
            DiffTag::Replace if old.len() == new.len() => {
                out.extend(
                    old.zip(new)
                        .filter(|(o, n)| base[*o] != side[*n])
                        .map(|(o, n)| Hunk {
                            start: o,
                            end: o + 1,
                            lines: vec![side[n].clone()],
                        }),
                );
            }
            _ => out.push(Hunk {
                start: old.start,
                end: old.end,
                lines: side[new].to_vec(),
            }),
        }
    }
    out
}

/// `base[start..end]` with these hunks (all inside that range, in order) applied.
fn apply(base: &[String], start: usize, end: usize, hunks: &[&Hunk]) -> Vec<String> {
    let mut out = Vec::new();
    let mut at = start;
    for h in hunks {
        out.extend_from_slice(&base[at..h.start]);
        out.extend(h.lines.iter().cloned());
        at = h.end;
    }
    out.extend_from_slice(&base[at..end]);
    out
}

/// Lines in both lists once, in an order that keeps each list's own order.
fn union(ours: &[String], theirs: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for (tag, o, t) in capture_diff_slices(Algorithm::Myers, ours, theirs)
        .iter()
        .map(similar::DiffOp::as_tag_tuple)
    {
        match tag {
            DiffTag::Equal | DiffTag::Delete => out.extend_from_slice(&ours[o]),
            DiffTag::Insert => out.extend_from_slice(&theirs[t]),
            DiffTag::Replace => {
                out.extend_from_slice(&ours[o]);
                out.extend_from_slice(&theirs[t]);
            }
        }
    }
    out
}

/// Three-way merge of lines: changes of different lines (adjacent ones too) all apply; lines
/// both sides inserted at one place are all kept; only lines both sides changed differently
/// become a conflict.
fn merge_lines(base: &[String], ours: &[String], theirs: &[String]) -> Vec<Chunk> {
    if ours == theirs || theirs == base {
        return vec![Chunk::Clean(ours.to_vec())];
    }
    if ours == base {
        return vec![Chunk::Clean(theirs.to_vec())];
    }
    let mut all: Vec<(bool, Hunk)> = hunks(base, ours)
        .into_iter()
        .map(|h| (true, h))
        .chain(hunks(base, theirs).into_iter().map(|h| (false, h)))
        .collect();
    all.sort_by_key(|(is_ours, h)| (h.extent(), !*is_ours));
    let mut chunks: Vec<Chunk> = Vec::new();
    let mut clean: Vec<String> = Vec::new();
    let mut at = 0;
    let mut i = 0;
    while i < all.len() {
        // A cluster: hunks whose extents meet, transitively.
        let mut hi = all[i].1.extent().1;
        let mut j = i + 1;
        while j < all.len() && all[j].1.extent().0 <= hi {
            hi = hi.max(all[j].1.extent().1);
            j += 1;
        }
        let cluster = &all[i..j];
        let start = cluster.iter().map(|(_, h)| h.start).min().unwrap_or(at);
        let end = cluster.iter().map(|(_, h)| h.end).max().unwrap_or(at);
        clean.extend_from_slice(&base[at..start]);
        let of = |want: bool| -> Vec<&Hunk> {
            cluster
                .iter()
                .filter(|(o, _)| *o == want)
                .map(|(_, h)| h)
                .collect()
        };
        let (oh, th) = (of(true), of(false));
        let o_text = apply(base, start, end, &oh);
        let t_text = apply(base, start, end, &th);
        if oh.is_empty() {
            clean.extend(t_text);
        } else if th.is_empty() || o_text == t_text {
            clean.extend(o_text);
        } else if start == end {
            clean.extend(union(&o_text, &t_text));
        } else {
            if !clean.is_empty() {
                chunks.push(Chunk::Clean(std::mem::take(&mut clean)));
            }
            chunks.push(Chunk::Conflict {
                ours: o_text,
                theirs: t_text,
            });
        }
        at = end;
        i = j;
    }
    clean.extend_from_slice(&base[at..]);
    if !clean.is_empty() {
        chunks.push(Chunk::Clean(clean));
    }
    chunks
}

// ---------------------------------------------------------------- body

/// A block of the body: its heading, its lines up to the last non-blank one, and the blank
/// lines after them.
#[derive(Debug, Clone)]
struct Piece {
    heading: Option<String>,
    date: Option<NaiveDate>,
    lines: Vec<String>,
    trail: String,
    /// Heading and lines without trailing spaces: equal blocks compare equal.
    key: String,
}

fn pieces(body: &str) -> Vec<Piece> {
    split_blocks(body)
        .into_iter()
        .map(|b| {
            let content = b.text.trim_end_matches(|c: char| c.is_whitespace());
            // Keep the line holding the last visible character whole (with its trailing spaces).
            let cut = b.text[content.len()..]
                .find('\n')
                .map_or(b.text.len(), |i| content.len() + i);
            let lines: Vec<String> = if cut == 0 {
                Vec::new()
            } else {
                b.text[..cut].split('\n').map(str::to_string).collect()
            };
            let trail = b.text[cut..].chars().filter(|c| *c == '\n').collect();
            let key = format!(
                "{}\u{0}{}",
                b.heading.as_deref().unwrap_or(""),
                lines
                    .iter()
                    .map(|l| l.trim_end())
                    .collect::<Vec<_>>()
                    .join("\n")
            );
            Piece {
                heading: b.heading,
                date: b.date,
                lines,
                trail,
                key,
            }
        })
        .collect()
}

/// Which side a block of the result comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    Ours,
    Theirs,
}

/// How one side's blocks line up with the base's.
struct Alignment {
    /// For each base block, the side's block it became (or `None`: the side removed it).
    to_side: Vec<Option<usize>>,
    /// The side's added blocks, with the base gap they sit in (before base block `gap`).
    added: Vec<(usize, usize)>,
}

fn align(base: &[Piece], side: &[Piece]) -> Alignment {
    let mut to_side = vec![None; base.len()];
    let mut added = Vec::new();
    let keys = |p: &[Piece]| p.iter().map(|x| x.key.clone()).collect::<Vec<_>>();
    let heads = |p: &[Piece]| p.iter().map(|x| x.heading.clone()).collect::<Vec<_>>();
    let (bk, sk) = (keys(base), keys(side));
    for (tag, old, new) in capture_diff_slices(Algorithm::Myers, &bk, &sk)
        .iter()
        .map(similar::DiffOp::as_tag_tuple)
    {
        match tag {
            DiffTag::Equal => {
                for (o, n) in old.zip(new) {
                    to_side[o] = Some(n);
                }
            }
            DiffTag::Delete => {}
            DiffTag::Insert => added.extend(new.map(|n| (old.start, n))),
            DiffTag::Replace => {
                // Changed blocks: matched by heading, then in order.
                let (bh, sh) = (heads(&base[old.clone()]), heads(&side[new.clone()]));
                for (tag, o2, n2) in capture_diff_slices(Algorithm::Myers, &bh, &sh)
                    .iter()
                    .map(similar::DiffOp::as_tag_tuple)
                {
                    let (o2, n2) = (
                        old.start + o2.start..old.start + o2.end,
                        new.start + n2.start..new.start + n2.end,
                    );
                    match tag {
                        DiffTag::Delete => {}
                        DiffTag::Insert => added.extend(n2.map(|n| (o2.start, n))),
                        DiffTag::Equal | DiffTag::Replace => {
                            let pairs = o2.len().min(n2.len());
                            for k in 0..pairs {
                                to_side[o2.start + k] = Some(n2.start + k);
                            }
                            added.extend((n2.start + pairs..n2.end).map(|n| (o2.end, n)));
                        }
                    }
                }
            }
        }
    }
    added.sort_unstable();
    Alignment { to_side, added }
}

/// One block of the merged body.
#[derive(Debug, Clone)]
struct OutBlock {
    heading: Option<String>,
    chunks: Vec<Chunk>,
    trail: String,
    /// Its index in ours, when it stands where ours has it.
    ours_index: Option<usize>,
    /// The side that added it, for blocks new since the base.
    added_by: Option<Origin>,
    /// Its text when it is new: for the authors in conflict labels.
    added_text: Option<String>,
}

impl OutBlock {
    fn is_empty(&self) -> bool {
        self.chunks.iter().all(|c| match c {
            Chunk::Clean(l) => l.is_empty(),
            Chunk::Conflict { .. } => false,
        })
    }

    fn key(&self) -> Option<String> {
        let mut lines = Vec::new();
        for c in &self.chunks {
            match c {
                Chunk::Clean(l) => lines.extend(l.iter().map(|x| x.trim_end())),
                Chunk::Conflict { .. } => return None,
            }
        }
        Some(format!(
            "{}\u{0}{}",
            self.heading.as_deref().unwrap_or(""),
            lines.join("\n")
        ))
    }
}

struct BodyMerge {
    blocks: Vec<OutBlock>,
}

fn from_piece(p: &Piece, ours_index: Option<usize>, added_by: Option<Origin>) -> OutBlock {
    OutBlock {
        heading: p.heading.clone(),
        chunks: vec![Chunk::Clean(p.lines.clone())],
        trail: p.trail.clone(),
        ours_index,
        added_by,
        added_text: added_by.map(|_| p.lines.join("\n")),
    }
}

/// The blocks the sides added in one gap of the base: ours (with their indices in ours), theirs.
type Gap<'a> = (Vec<&'a Piece>, Vec<usize>, Vec<&'a Piece>);

fn merge_body(base: &str, ours: &str, theirs: &str) -> BodyMerge {
    let (b, o, t) = (pieces(base), pieces(ours), pieces(theirs));
    let (ao, at) = (align(&b, &o), align(&b, &t));
    // The base's blocks, each merged from what the sides made of it.
    let mut kept: Vec<Option<OutBlock>> = Vec::with_capacity(b.len());
    for (i, bp) in b.iter().enumerate() {
        kept.push(match (ao.to_side[i], at.to_side[i]) {
            (Some(oi), Some(ti)) => {
                let (op, tp) = (&o[oi], &t[ti]);
                Some(OutBlock {
                    heading: op.heading.clone(),
                    chunks: merge_lines(&bp.lines, &op.lines, &tp.lines),
                    trail: if op.trail == bp.trail {
                        tp.trail.clone()
                    } else {
                        op.trail.clone()
                    },
                    ours_index: Some(oi),
                    added_by: None,
                    added_text: None,
                })
            }
            // A block one side removed is kept as the other side has it: a merge never drops
            // an entry.
            (Some(oi), None) => Some(from_piece(&o[oi], Some(oi), None)),
            (None, Some(ti)) => Some(from_piece(&t[ti], None, None)),
            (None, None) => None,
        });
    }
    // How often each distinct block appears so far, to keep theirs' added copies only up to
    // the number theirs holds.
    let mut count: HashMap<String, usize> = HashMap::new();
    for k in kept.iter().flatten().filter_map(OutBlock::key) {
        *count.entry(k).or_default() += 1;
    }
    for &(_, oi) in &ao.added {
        *count.entry(o[oi].key.clone()).or_default() += 1;
    }
    let mut theirs_holds: HashMap<&str, usize> = HashMap::new();
    for p in &t {
        *theirs_holds.entry(p.key.as_str()).or_default() += 1;
    }
    let mut gaps: BTreeMap<usize, Gap<'_>> = BTreeMap::new();
    for &(gap, oi) in &ao.added {
        let g = gaps.entry(gap).or_default();
        g.0.push(&o[oi]);
        g.1.push(oi);
    }
    // Their last copies are the ones kept: the last of a run ends the way the run does.
    for &(gap, ti) in at.added.iter().rev() {
        let p = &t[ti];
        let have = count.entry(p.key.clone()).or_default();
        if *have < theirs_holds.get(p.key.as_str()).copied().unwrap_or(0) {
            *have += 1;
            gaps.entry(gap).or_default().2.push(p);
        }
    }
    for g in gaps.values_mut() {
        g.2.reverse();
    }
    // The result: each gap's added blocks (both sides' in date order), then the base block.
    let mut blocks = Vec::with_capacity(b.len() + ao.added.len() + at.added.len());
    let mut last_date = NaiveDate::MIN;
    let slots = kept
        .into_iter()
        .zip(b.iter().map(|p| p.date))
        .chain(std::iter::once((None, None)));
    for (i, (slot, date)) in slots.enumerate() {
        if let Some((ours_added, ours_idx, theirs_added)) = gaps.remove(&i) {
            let dated = |list: &[&Piece]| -> Vec<NaiveDate> {
                let mut d = last_date;
                list.iter()
                    .map(|p| {
                        d = p.date.unwrap_or(d);
                        d
                    })
                    .collect()
            };
            let (od, td) = (dated(&ours_added), dated(&theirs_added));
            let (mut x, mut y) = (0, 0);
            while x < ours_added.len() || y < theirs_added.len() {
                let take_theirs = x == ours_added.len() || (y < td.len() && td[y] < od[x]);
                if take_theirs {
                    blocks.push(from_piece(theirs_added[y], None, Some(Origin::Theirs)));
                    y += 1;
                } else {
                    blocks.push(from_piece(
                        ours_added[x],
                        Some(ours_idx[x]),
                        Some(Origin::Ours),
                    ));
                    x += 1;
                }
            }
        }
        if let Some(d) = date {
            last_date = d;
        }
        blocks.extend(slot);
    }
    BodyMerge { blocks }
}

impl BodyMerge {
    /// (author, text) of each entry a side added.
    fn added_by(&self, origin: Origin) -> Vec<(String, String)> {
        self.blocks
            .iter()
            .filter(|b| b.added_by == Some(origin))
            .filter_map(|b| {
                let heading = b.heading.as_deref()?;
                let text = heading.lines().next()?.trim_start_matches('#').trim();
                let author = parse_heading(text).ok()??.author?;
                Some((author.to_string(), b.added_text.clone().unwrap_or_default()))
            })
            .collect()
    }

    /// The body's text (LF) and a phrase for each conflict.
    fn render(&self, marks: &Marks) -> (String, Vec<String>) {
        let mut out = String::new();
        let mut conflicts = Vec::new();
        let n = self.blocks.len();
        for (k, block) in self.blocks.iter().enumerate() {
            let mut lines: Vec<String> = Vec::new();
            for chunk in &block.chunks {
                match chunk {
                    Chunk::Clean(l) => lines.extend(l.iter().cloned()),
                    Chunk::Conflict { ours, theirs } => {
                        conflicts.push(match &block.heading {
                            Some(h) => format!("entry {}", h.lines().next().unwrap_or(h)),
                            None => "text before the first entry".to_string(),
                        });
                        lines.push(marks.open(None).trim_end().to_string());
                        lines.extend(ours.iter().cloned());
                        lines.push("=======".to_string());
                        lines.extend(theirs.iter().cloned());
                        lines.push(marks.close(None).trim_end().to_string());
                    }
                }
            }
            out.push_str(&lines.join("\n"));
            let mut trail = block.trail.clone();
            let next_is_ours_next = match (block.ours_index, self.blocks.get(k + 1)) {
                (Some(i), Some(next)) => next.ours_index == Some(i + 1),
                (Some(_), None) => true,
                (None, _) => false,
            };
            if !block.is_empty() && !next_is_ours_next {
                // A block now followed by another than in ours ends with a blank line (so a
                // setext heading cannot join it); the last block ends with a line ending.
                let want = if k + 1 < n { 2 } else { 1 };
                while trail.len() < want {
                    trail.push('\n');
                }
            }
            out.push_str(&trail);
        }
        (out, conflicts)
    }
}

// ---------------------------------------------------------------- front matter

/// A leaf of the front matter: a value, or a whole array of tables; compared without comments.
#[derive(Clone)]
struct Leaf {
    repr: String,
    item: Item,
}

type Path = Vec<String>;

fn leaves(table: &dyn TableLike, prefix: &[String], out: &mut BTreeMap<Path, Leaf>) {
    for (key, item) in table.iter() {
        let mut path = prefix.to_vec();
        path.push(key.to_string());
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
                        leaves(t, &[], &mut inner);
                        inner
                            .iter()
                            .map(|(k, l)| format!("{}={}", k.join("."), l.repr))
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

/// The table at `path`, creating missing tables (implicit ones in between).
fn table_mut<'a>(root: &'a mut Table, path: &[String]) -> Option<&'a mut dyn TableLike> {
    let mut table: &mut dyn TableLike = root;
    for (depth, part) in path.iter().enumerate() {
        if table.get(part).is_none() {
            let mut new = Table::new();
            new.set_implicit(depth + 1 < path.len());
            table.insert(part, Item::Table(new));
        }
        table = table.get_mut(part)?.as_table_like_mut()?;
    }
    Some(table)
}

fn set_item(root: &mut Table, path: &[String], item: &Item) {
    let Some((leaf, parents)) = path.split_last() else {
        return;
    };
    let Some(table) = table_mut(root, parents) else {
        return;
    };
    match (table.get_mut(leaf), item) {
        (Some(Item::Value(old)), Item::Value(new)) => {
            // Keep our spacing and same-line comment around their value.
            let decor = old.decor().clone();
            *old = new.clone();
            *old.decor_mut() = decor;
        }
        _ => {
            let mut item = item.clone();
            if let Item::Value(v) = &mut item {
                v.decor_mut().clear();
            }
            table.insert(leaf, item);
        }
    }
}

fn remove_item(root: &mut Table, path: &[String]) {
    let Some((leaf, parents)) = path.split_last() else {
        return;
    };
    let mut table: &mut dyn TableLike = root;
    for part in parents {
        match table.get_mut(part).and_then(Item::as_table_like_mut) {
            Some(t) => table = t,
            None => return,
        }
    }
    table.remove(leaf);
}

/// A key both sides changed differently.
struct Conflict {
    path: Path,
    ours: Option<Leaf>,
    theirs: Option<Leaf>,
}

/// Returns the merged TOML text (LF) and a phrase for each conflicting key.
fn merge_front(
    base: &DocumentMut,
    ours: &DocumentMut,
    theirs: &DocumentMut,
    marks: &Marks,
) -> (String, Vec<String>) {
    let (mut b, mut o, mut t) = (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
    leaves(base.as_table(), &[], &mut b);
    leaves(ours.as_table(), &[], &mut o);
    leaves(theirs.as_table(), &[], &mut t);
    let mut merged = ours.clone();
    let mut conflicts = Vec::new();
    let mut keys: Vec<&Path> = b.keys().chain(o.keys()).chain(t.keys()).collect();
    keys.sort();
    keys.dedup();
    let repr = |m: &BTreeMap<Path, Leaf>, k: &Path| m.get(k).map(|l| l.repr.clone());
    for key in keys {
        let (rb, ro, rt) = (repr(&b, key), repr(&o, key), repr(&t, key));
        if ro == rt || rt == rb {
            continue; // the same on both sides, or only ours changed: ours stands
        }
        if ro == rb {
            match t.get(key) {
                Some(leaf) => set_item(merged.as_table_mut(), key, &leaf.item),
                None => remove_item(merged.as_table_mut(), key),
            }
            continue;
        }
        conflicts.push(Conflict {
            path: key.clone(),
            ours: o.get(key).cloned(),
            theirs: t.get(key).cloned(),
        });
    }
    let phrases = conflicts
        .iter()
        .map(|c| format!("key {}", c.path.join(".")))
        .collect();
    if conflicts.is_empty() {
        return (merged.to_string(), phrases);
    }
    // Arrays of tables in conflict leave their place: their marked block goes at the end,
    // where a `[[…]]` header is as valid as anywhere.
    for c in &conflicts {
        if matches!(
            c.ours.as_ref().map(|l| &l.item),
            Some(Item::ArrayOfTables(_))
        ) {
            remove_item(merged.as_table_mut(), &c.path);
        }
    }
    let text = merged.to_string();
    let marked = mark_conflicts(&text, &conflicts, marks);
    // Keeping either side of every marked block must be valid TOML with that side's values;
    // when it would not be (a layout the placement cannot handle), the whole front matter is
    // one marked block instead: ours, and ours with their values.
    let mut with_theirs = merged.clone();
    for c in &conflicts {
        match &c.theirs {
            Some(leaf) => set_item(with_theirs.as_table_mut(), &c.path, &leaf.item),
            None => remove_item(with_theirs.as_table_mut(), &c.path),
        }
    }
    let mut with_ours = merged;
    for c in &conflicts {
        if let Some(leaf) = &c.ours {
            set_item(with_ours.as_table_mut(), &c.path, &leaf.item);
        }
    }
    let valid = [true, false].iter().all(|&keep_ours| {
        let resolved = resolve_markers(&marked, keep_ours);
        let Ok(doc) = resolved.parse::<DocumentMut>() else {
            return false;
        };
        let mut got = BTreeMap::new();
        leaves(doc.as_table(), &[], &mut got);
        conflicts.iter().all(|c| {
            let want = if keep_ours { &c.ours } else { &c.theirs };
            got.get(&c.path).map(|l| &l.repr) == want.as_ref().map(|l| &l.repr)
        })
    });
    if valid {
        return (marked, phrases);
    }
    let mut ours_text = with_ours.to_string();
    let mut theirs_text = with_theirs.to_string();
    for text in [&mut ours_text, &mut theirs_text] {
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
    }
    (
        format!(
            "{}{ours_text}=======\n{theirs_text}{}",
            marks.open(conflicts.first().map(|c| c.path.as_slice())),
            marks.close(conflicts.first().map(|c| c.path.as_slice()))
        ),
        phrases,
    )
}

/// Keeps one side of every marked block (ours, or theirs) and drops the marker lines.
pub fn resolve_markers(text: &str, keep_ours: bool) -> String {
    let mut out = String::with_capacity(text.len());
    // 0 outside a block, 1 in its ours part, 2 in its theirs part.
    let mut state = 0;
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end();
        if bare.starts_with("<<<<<<<") && (bare.len() == 7 || bare.as_bytes()[7] == b' ') {
            state = 1;
        } else if state == 1 && bare == "=======" {
            state = 2;
        } else if state == 2
            && bare.starts_with(">>>>>>>")
            && (bare.len() == 7 || bare.as_bytes()[7] == b' ')
        {
            state = 0;
        } else if state == 0 || (state == 1) == keep_ours {
            out.push_str(line);
        }
    }
    out
}

/// A key path as TOML writes it, quoting what needs it (`"east/华东".contact`).
fn dotted(path: &[String]) -> String {
    path.iter()
        .map(|p| Key::new(p.as_str()).display_repr().to_string())
        .collect::<Vec<_>>()
        .join(".")
}

fn render_value(key: &str, item: &Item) -> String {
    with_prefix(&format!("{key} = "), item)
}

/// `PREFIX value # comment` and a line ending: the value bare, its same-line comment kept.
fn with_prefix(prefix: &str, item: &Item) -> String {
    match item {
        Item::Value(v) => {
            let mut bare: Value = v.clone();
            bare.decor_mut().clear();
            let comment = v
                .decor()
                .suffix()
                .and_then(|s| s.as_str())
                .map_or("", str::trim_end);
            format!("{prefix}{bare}{comment}\n")
        }
        _ => String::new(),
    }
}

/// `[[a.b]]` blocks for a whole array of tables at `path`.
fn render_array(path: &[String], item: &Item) -> String {
    let mut doc = DocumentMut::new();
    if let Some((leaf, parents)) = path.split_last()
        && let Some(table) = table_mut(doc.as_table_mut(), parents)
    {
        table.insert(leaf, item.clone());
    }
    doc.to_string()
}

/// The start of each `[table]` / `[[array]]` header line of a TOML text, in order.
fn header_starts(text: &str) -> Vec<usize> {
    fn walk(table: &Table, out: &mut Vec<usize>) {
        if let Some(span) = table.span() {
            out.push(span.start);
        }
        for (_, item) in table.iter() {
            match item {
                Item::Table(t) => walk(t, out),
                Item::ArrayOfTables(a) => a.iter().for_each(|t| walk(t, out)),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    if let Ok(doc) = toml_edit::Document::parse(text) {
        for (_, item) in doc.as_table().iter() {
            match item {
                Item::Table(t) => walk(t, &mut out),
                Item::ArrayOfTables(a) => a.iter().for_each(|t| walk(t, &mut out)),
                _ => {}
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Replaces each conflicting key's lines by a marked block (ours, then theirs), or, when ours
/// has no such line, puts the block at the end of the key's own table, written relative to it.
fn mark_conflicts(text: &str, conflicts: &[Conflict], marks: &Marks) -> String {
    let parsed = toml_edit::Document::parse(text.to_string()).ok();
    let line_start = |at: usize| text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = |at: usize| text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
    let headers = header_starts(text);
    // (start, end, replacement) byte ranges of the text; insertions have start == end.
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let mut at_end = String::new();
    for c in conflicts {
        let open = marks.open(Some(&c.path));
        let close = marks.close(Some(&c.path));
        let (leaf_name, parents) = c.path.split_last().expect("a key path is never empty");
        let is_array =
            |l: &Option<Leaf>| matches!(l.as_ref().map(|x| &x.item), Some(Item::ArrayOfTables(_)));
        if is_array(&c.ours) || is_array(&c.theirs) {
            let side = |l: &Option<Leaf>| {
                l.as_ref().map_or_else(String::new, |l| match &l.item {
                    Item::ArrayOfTables(_) => render_array(&c.path, &l.item),
                    item => render_value(&dotted(&c.path), item),
                })
            };
            at_end.push_str(&format!(
                "{open}{}=======\n{}{close}",
                side(&c.ours),
                side(&c.theirs)
            ));
            continue;
        }
        // In place: ours' own lines of the key; theirs written with the same key text.
        let span = parsed.as_ref().and_then(|doc| {
            c.ours.as_ref()?;
            let mut table: &dyn TableLike = doc.as_table();
            for p in parents {
                table = table.get(p)?.as_table_like()?;
            }
            let key_start = table.key(leaf_name)?.span()?.start;
            let value_span = table.get(leaf_name)?.span()?;
            Some((key_start, value_span))
        });
        let in_place = span.and_then(|(key_start, value_span)| {
            let (start, end) = (line_start(key_start), line_end(value_span.end));
            Some((start, end, text.get(start..value_span.start)?))
        });
        if let Some((start, end, prefix)) = in_place {
            let theirs = c
                .theirs
                .as_ref()
                .map_or_else(String::new, |l| with_prefix(prefix, &l.item));
            let mut ours = text[start..end].to_string();
            if !ours.ends_with('\n') {
                ours.push('\n');
            }
            edits.push((start, end, format!("{open}{ours}=======\n{theirs}{close}")));
            continue;
        }
        // Ours has no such key: the block goes at the end of the deepest enclosing table that
        // has a `[header]` (or of the top-level keys), the key written relative to it.
        let mut anchor: Option<(usize, usize)> = None; // (header start, path length)
        if let Some(doc) = &parsed {
            let mut table: &dyn TableLike = doc.as_table();
            for (depth, p) in parents.iter().enumerate() {
                let Some(next) = table.get(p) else { break };
                if let Some(t) = next.as_table()
                    && !t.is_implicit()
                    && !t.is_dotted()
                    && let Some(span) = t.span()
                {
                    anchor = Some((span.start, depth + 1));
                }
                match next.as_table_like() {
                    Some(t) => table = t,
                    None => break,
                }
            }
        }
        let (at, relative) = match anchor {
            Some((header, depth)) => {
                let end = headers
                    .iter()
                    .copied()
                    .find(|&h| h > header)
                    .unwrap_or(text.len());
                (end, &c.path[depth..])
            }
            None => (headers.first().copied().unwrap_or(text.len()), &c.path[..]),
        };
        // Before the blank lines that end the section.
        let mut at = at;
        while at > 0 {
            let start = line_start(at - 1);
            if text[start..at].trim().is_empty() && start < at {
                at = start;
            } else {
                break;
            }
        }
        let key = dotted(relative);
        let side = |l: &Option<Leaf>| {
            l.as_ref()
                .map_or_else(String::new, |l| render_value(&key, &l.item))
        };
        let mut block = String::new();
        if at > 0 && !text[..at].ends_with('\n') {
            block.push('\n');
        }
        block.push_str(&format!(
            "{open}{}=======\n{}{close}",
            side(&c.ours),
            side(&c.theirs)
        ));
        edits.push((at, at, block));
    }
    edits.sort_by_key(|(start, end, _)| (*start, *end));
    let mut out = String::with_capacity(text.len() + 256);
    let mut next = 0;
    for (start, end, block) in edits {
        if start < next {
            continue;
        }
        out.push_str(&text[next..start]);
        out.push_str(&block);
        next = end;
    }
    out.push_str(&text[next..]);
    if !at_end.is_empty() {
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&at_end);
    }
    out
}

// ---------------------------------------------------------------- reading conflicts back

/// The conflicts marked in a customer file, one phrase each: `key next.due` for a block in the
/// front matter (each key in it), `entry ## 2024-01-09 wechat @li.wei` for one in the log.
/// For telling a person what to settle after git stopped on the file.
pub fn describe_conflicts(text: &str) -> Vec<String> {
    let text = text.trim_start_matches(BOM).replace("\r\n", "\n");
    let lines: Vec<&str> = text.lines().collect();
    let marker_lines = conflict_marker_lines(&text);
    // The front matter: between the first line `+++` and the next.
    let front_end = if lines.first().map(|l| l.trim_end()) == Some("+++") {
        lines
            .iter()
            .skip(1)
            .position(|l| l.trim_end() == "+++")
            .map(|i| i + 1)
    } else {
        None
    };
    let mut out: Vec<String> = Vec::new();
    let mut push = |s: String| {
        if !out.contains(&s) {
            out.push(s);
        }
    };
    for &n in &marker_lines {
        let i = n - 1;
        if !lines.get(i).is_some_and(|l| l.starts_with("<<<<<<<")) {
            continue;
        }
        let block_end = marker_lines
            .iter()
            .map(|m| m - 1)
            .find(|&m| m > i && lines.get(m).is_some_and(|l| l.starts_with(">>>>>>>")))
            .unwrap_or(lines.len());
        if front_end.is_some_and(|e| i < e) {
            // The table around the block, then the keys (and tables) inside it.
            let mut table: Vec<String> = Vec::new();
            for l in lines.get(1..i).unwrap_or_default() {
                if let Some(t) = table_header(l) {
                    table = t;
                }
            }
            let mut inner = table.clone();
            let mut found = false;
            for l in &lines[i + 1..block_end] {
                if l.starts_with("=======") {
                    inner = table.clone();
                } else if let Some(t) = table_header(l) {
                    inner = t;
                    if inner.len() > table.len() || l.trim_start().starts_with("[[") {
                        push(format!("key {}", inner.join(".")));
                        found = true;
                    }
                } else if let Some((k, _)) = l.split_once('=')
                    && !k.trim().is_empty()
                    && !k.trim_start().starts_with('#')
                {
                    let mut path = inner.clone();
                    path.extend(
                        k.trim()
                            .split('.')
                            .map(|p| p.trim().trim_matches('"').to_string()),
                    );
                    push(format!("key {}", path.join(".")));
                    found = true;
                }
            }
            if !found {
                push("front matter".to_string());
            }
        } else {
            let heading = lines[..i]
                .iter()
                .rev()
                .find(|l| l.starts_with("## ") || l.starts_with("# "))
                .map(|l| l.trim().to_string());
            push(match heading {
                Some(h) => format!("entry {h}"),
                None => "text before the first entry".to_string(),
            });
        }
    }
    out
}

/// `[a.b]` or `[[a.b]]` → the path.
fn table_header(line: &str) -> Option<Vec<String>> {
    let l = line.trim();
    let inner = l
        .strip_prefix("[[")
        .and_then(|x| x.split("]]").next())
        .or_else(|| l.strip_prefix('[').and_then(|x| x.split(']').next()))?;
    Some(
        inner
            .split('.')
            .map(|p| p.trim().trim_matches('"').to_string())
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "+++\nname = \"Acme\"\nstage = \"intent\" # why\npriority = \"high\"\n+++\n\n# Acme\n\n## 2024-01-01 phone @a\n\nFirst.\n";

    fn m(base: &str, ours: &str, theirs: &str) -> (String, usize) {
        let r = merge(
            base.as_bytes(),
            ours.as_bytes(),
            theirs.as_bytes(),
            &Labels::default(),
        )
        .unwrap();
        (String::from_utf8(r.bytes).unwrap(), r.conflicts.len())
    }

    /// The same merge with the sides swapped holds the same entries.
    fn symmetric(base: &str, ours: &str, theirs: &str) -> String {
        let (a, n) = m(base, ours, theirs);
        let (b, k) = m(base, theirs, ours);
        assert_eq!(n, k);
        let mut x: Vec<&str> = a.split("\n## ").collect();
        let mut y: Vec<&str> = b.split("\n## ").collect();
        x.sort_unstable();
        y.sort_unstable();
        if n == 0 {
            assert_eq!(x.len(), y.len(), "{a}\n----\n{b}");
        }
        a
    }

    #[test]
    fn both_sides_entries_are_kept_in_date_order() {
        let ours = format!("{BASE}\n## 2024-01-03 phone @a\n\nOurs.\n");
        let theirs = format!("{BASE}\n## 2024-01-02 email @b\n\nTheirs.\n");
        let out = symmetric(BASE, &ours, &theirs);
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
    fn identical_entries_are_kept_as_often_as_the_side_holding_them_most() {
        let call = "\n## 2024-01-02 phone @a\n\n- outcome: no-answer\n";
        let one = format!("{BASE}{call}");
        let two = format!("{BASE}{call}{call}");
        let three = format!("{BASE}{call}{call}{call}");
        assert_eq!(m(BASE, &two, BASE).0, two);
        assert_eq!(m(BASE, BASE, &two).0, two);
        assert_eq!(m(BASE, &one, &two).0, two);
        assert_eq!(m(BASE, &two, &one).0, two);
        // Ours already had one; theirs logged a second identical call.
        assert_eq!(m(&one, &one, &two).0, two);
        assert_eq!(m(&one, &two, &three).0, three);
    }

    #[test]
    fn done_on_the_last_entry_and_a_new_entry_merge_cleanly() {
        let base = format!(
            "{BASE}\n## 2024-01-02 wechat @a\n\n- [ ] promised: send it (due 2024-01-05)\n"
        );
        let ours = base.replace(
            "- [ ] promised: send it (due 2024-01-05)",
            "- [x] promised: send it (due 2024-01-05) (done 2024-01-04)",
        );
        let theirs = format!("{base}\n## 2024-01-03 phone @b\n\nCalled.\n");
        let out = symmetric(&base, &ours, &theirs);
        assert_eq!(
            out,
            format!("{ours}\n## 2024-01-03 phone @b\n\nCalled.\n"),
            "{out}"
        );
    }

    #[test]
    fn crlf_and_bom_sides_merge_with_lf_sides() {
        let base = format!("{BASE}\n## 2024-01-02 wechat @a\n\n- [ ] promised: x\n");
        let crlf = format!("\u{feff}{}", base.replace('\n', "\r\n"));
        let theirs = format!("{base}\n## 2024-01-03 phone @b\n\nCalled.\n");
        // The base and ours are CRLF with a BOM; theirs came back LF: the style of the base
        // stays (ours kept it, theirs changed it… so theirs' LF wins), and no entry conflicts.
        let (out, n) = m(&crlf, &crlf, &theirs);
        assert_eq!(n, 0);
        assert_eq!(out, theirs, "{out:?}");
        let ours = crlf.replace("[ ] promised", "[x] promised");
        let (out, n) = m(
            &crlf,
            &ours,
            &format!("\u{feff}{}", theirs.replace('\n', "\r\n")),
        );
        assert_eq!(n, 0, "{out}");
        assert!(
            out.starts_with('\u{feff}') && out.contains("[x] promised: x\r\n\r\n## 2024-01-03")
        );
        assert!(!out.replace("\r\n", "").contains('\n'));
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
        assert!(out.contains("<<<<<<< ours\nstage = \"won\" # why\n=======\nstage = \"potential\" # why\n>>>>>>> theirs\n"), "{out}");
        assert_eq!(conflict_marker_lines(&out), vec![3, 5, 7]);
        assert_eq!(describe_conflicts(&out), vec!["key stage"]);
    }

    #[test]
    fn a_conflict_sits_in_its_own_table_so_either_side_is_valid() {
        let base = "+++\nname = \"A\"\n\n[next]\naction = \"call\"\ndue = 2024-01-24\n\n[deal]\namount = 1\n+++\n";
        // Ours removed next.due, theirs moved it: the block goes under [next], not after [deal].
        let ours = base.replace("due = 2024-01-24\n", "");
        let theirs = base.replace("2024-01-24", "2024-02-01");
        for (o, t) in [(&ours, &theirs), (&theirs, &ours)] {
            let (out, n) = m(base, o, t);
            assert_eq!(n, 1, "{out}");
            for keep in [true, false] {
                let resolved = resolve_markers(&out, keep);
                let doc = Document::parse(resolved.as_bytes()).unwrap();
                let toml: toml::Table = toml::from_str(doc.front_matter()).unwrap();
                assert!(
                    toml.get("deal").unwrap().get("next").is_none(),
                    "{resolved}"
                );
                let due = toml.get("next").and_then(|n| n.get("due")).is_some();
                let want_due = if keep {
                    o.contains("due =")
                } else {
                    t.contains("due =")
                };
                assert_eq!(due, want_due, "{resolved}");
            }
            assert_eq!(describe_conflicts(&out), vec!["key next.due"], "{out}");
        }
        // A key removed by ours whose whole table is gone: written as a dotted key.
        let ours = "+++\nname = \"A\"\n\n[deal]\namount = 1\n+++\n";
        let (out, n) = m(base, ours, &theirs);
        assert!(n >= 1);
        for keep in [true, false] {
            let resolved = resolve_markers(&out, keep);
            let doc = Document::parse(resolved.as_bytes()).unwrap();
            assert!(
                toml::from_str::<toml::Table>(doc.front_matter()).is_ok(),
                "{resolved}"
            );
        }
    }

    #[test]
    fn ticks_and_edits_in_one_entry_merge_line_by_line() {
        let base = format!(
            "{BASE}\n## 2024-01-02 phone @a\n\nText.\n\n- [ ] promised: one\n- [ ] promised: two\n"
        );
        let ours = base.replace("[ ] promised: one", "[x] promised: one");
        let theirs = base
            .replace("[ ] promised: two", "[x] promised: two")
            .replace("Text.\n", "Text, edited.\n\nMore text.\n");
        let (out, n) = m(&base, &ours, &theirs);
        assert_eq!(n, 0);
        assert!(
            out.ends_with(
                "Text, edited.\n\nMore text.\n\n- [x] promised: one\n- [x] promised: two\n"
            ),
            "{out}"
        );
        // The same line changed differently: only that line is marked.
        let ours = base.replace("two", "two (done 2024-01-03)");
        let theirs = base.replace("two", "two (done 2024-01-04)");
        let (out, n) = m(&base, &ours, &theirs);
        assert_eq!(n, 1);
        assert!(out.contains("- [ ] promised: one\n<<<<<<< ours\n- [ ] promised: two (done 2024-01-03)\n=======\n- [ ] promised: two (done 2024-01-04)\n>>>>>>> theirs\n"), "{out}");
        assert_eq!(
            describe_conflicts(&out),
            vec!["entry ## 2024-01-02 phone @a"]
        );
    }

    #[test]
    fn labels_name_the_side_and_who_changed_the_key() {
        let ours = format!(
            "{}\n## 2024-01-02 note @bob\n\n- set: priority: high -> low\n",
            BASE.replace("\"high\"", "\"low\"")
        );
        let theirs = format!(
            "{}\n## 2024-01-02 note @alice\n\n- set: priority: high -> medium\n",
            BASE.replace("\"high\"", "\"medium\"")
        );
        let labels = Labels {
            ours: SideName {
                name: Some("HEAD".into()),
                who: None,
            },
            theirs: SideName {
                name: Some("0123456789abcdef0123456789abcdef01234567".into()),
                who: None,
            },
        };
        let r = merge(BASE.as_bytes(), ours.as_bytes(), theirs.as_bytes(), &labels).unwrap();
        let out = String::from_utf8(r.bytes).unwrap();
        assert!(out.contains("<<<<<<< bob (HEAD)\n"), "{out}");
        assert!(out.contains(">>>>>>> alice (0123456789)\n"), "{out}");
        assert!(out.contains("@bob") && out.contains("@alice"));
    }

    #[test]
    fn adjacent_and_overlapping_line_changes() {
        let l = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
        let base = l("a b c d");
        assert_eq!(
            merge_lines(&base, &l("A b c d"), &l("a B c d")),
            vec![Chunk::Clean(l("A B c d"))]
        );
        assert_eq!(
            merge_lines(&base, &l("a b c d x"), &l("a b c D")),
            vec![Chunk::Clean(l("a b c D x"))]
        );
        assert_eq!(
            merge_lines(&base, &l("a b c d x"), &l("a b c d y")),
            vec![Chunk::Clean(l("a b c d x y"))]
        );
        assert_eq!(
            merge_lines(&base, &l("a X c d"), &l("a Y c d")),
            vec![
                Chunk::Clean(l("a")),
                Chunk::Conflict {
                    ours: l("X"),
                    theirs: l("Y")
                },
                Chunk::Clean(l("c d"))
            ]
        );
    }

    #[test]
    fn a_file_both_sides_added_merges_key_by_key() {
        let (out, n) = m("", BASE, BASE);
        assert_eq!((out.as_str(), n), (BASE, 0));
        let theirs = BASE.replace("\"high\"", "\"low\"");
        let (out, n) = m("", BASE, &theirs);
        assert_eq!(n, 1, "{out}");
        assert_eq!(describe_conflicts(&out), vec!["key priority"]);
        assert_eq!(out.matches("## 2024-01-01 phone @a").count(), 1, "{out}");
    }

    #[test]
    fn an_entry_one_side_removed_and_the_other_changed_is_kept() {
        let base = format!("{BASE}\n## 2024-01-02 phone @a\n\n- [ ] promised: x\n");
        let ours = BASE.to_string();
        let theirs = base.replace("[ ] promised", "[x] promised");
        let (out, n) = m(&base, &ours, &theirs);
        assert_eq!(n, 0);
        assert!(out.contains("- [x] promised: x"), "{out}");
    }

    #[test]
    fn a_corrected_heading_and_a_new_entry_after_it() {
        let base = format!("{BASE}\n## 2024-01-02 phone @a\n\nSecond.\n");
        let ours = base.replace("2024-01-02 phone", "2024-01-03 phone");
        let theirs = format!("{base}\n## 2024-01-05 email @b\n\nThird.\n");
        let (out, n) = m(&base, &ours, &theirs);
        assert_eq!(n, 0);
        assert_eq!(out, format!("{ours}\n## 2024-01-05 email @b\n\nThird.\n"));
    }

    #[test]
    fn back_dated_entries_of_both_sides_interleave_by_date() {
        let base = format!("{BASE}\n## 2024-01-10 phone @a\n\nTenth.\n");
        let ours = base.replace(
            "\n## 2024-01-10",
            "\n## 2024-01-05 visit @o\n\nFifth.\n\n## 2024-01-10",
        ) + "\n## 2024-01-12 phone @o\n\nTwelfth.\n";
        let theirs = base.replace(
            "\n## 2024-01-10",
            "\n## 2024-01-03 email @t\n\nThird.\n\n## 2024-01-07 email @t\n\nSeventh.\n\n## 2024-01-10",
        );
        let out = symmetric(&base, &ours, &theirs);
        let order: Vec<&str> = out.lines().filter(|l| l.starts_with("## ")).collect();
        assert_eq!(
            order,
            [
                "## 2024-01-01 phone @a",
                "## 2024-01-03 email @t",
                "## 2024-01-05 visit @o",
                "## 2024-01-07 email @t",
                "## 2024-01-10 phone @a",
                "## 2024-01-12 phone @o"
            ]
        );
    }

    #[test]
    fn conflicts_git_marked_are_described_too() {
        let text = format!(
            "{BASE}\n## 2024-01-02 phone @a\n\n<<<<<<< ours\nOne.\n=======\nTwo.\n>>>>>>> theirs\n"
        );
        assert_eq!(
            describe_conflicts(&text),
            vec!["entry ## 2024-01-02 phone @a"]
        );
        let text = BASE.replace(
            "priority = \"high\"\n",
            "<<<<<<< ours\npriority = \"high\"\n=======\n[next]\ndue = 2024-01-01\n>>>>>>> theirs\n",
        );
        assert_eq!(
            describe_conflicts(&text),
            vec!["key priority", "key next", "key next.due"]
        );
    }

    #[test]
    fn unparseable_sides_are_refused() {
        let none = Labels::default();
        assert!(merge(BASE.as_bytes(), b"no front matter", BASE.as_bytes(), &none).is_none());
        assert!(merge(b"", BASE.as_bytes(), BASE.as_bytes(), &none).is_some());
        let marked = format!("{BASE}<<<<<<< a\nx\n=======\ny\n>>>>>>> b\n");
        assert!(merge(BASE.as_bytes(), marked.as_bytes(), BASE.as_bytes(), &none).is_none());
    }
}
