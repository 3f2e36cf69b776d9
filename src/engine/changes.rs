//! What changed in the sales folder, in words, for `followup sync`'s commit message:
//! `new: 华东机械; log: Acme phone+email; done: Acme; set: Beta priority, next.due`. Pure: the
//! old and new bytes of each file in, a message out.

use crate::model::entry::parse_heading;
use crate::model::reader::split_blocks;
use std::collections::HashMap;

/// One changed file of the folder, old and new bytes (`None`: no such file on that side).
pub struct FileChange<'a> {
    /// Path relative to the sales folder.
    pub path: &'a str,
    /// Is it a customer file (under the customers folder, `.md`)?
    pub customer: bool,
    pub old: Option<&'a [u8]>,
    pub new: Option<&'a [u8]>,
}

/// What one customer file's change amounts to.
#[derive(Debug, Default, PartialEq, Eq)]
struct Summary {
    name: String,
    created: bool,
    removed: bool,
    /// Channels of the new contact entries, in order (each once).
    logged: Vec<String>,
    /// Front-matter keys set or removed (not those a new entry records).
    keys: Vec<String>,
    ticked: bool,
    /// Other edits of the log (old entries changed, `set` notes aside).
    edited: bool,
}

/// The front matter's TOML and the body, line endings normalised; `None` if not a customer file.
fn split(bytes: &[u8]) -> Option<(toml::Table, String)> {
    let text = std::str::from_utf8(bytes).ok()?;
    let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    let rest = text.strip_prefix("+++\n")?;
    let end = rest.find("\n+++")?;
    let front = &rest[..end + 1];
    let body = rest[end + 4..].to_string();
    Some((toml::from_str(front).unwrap_or_default(), body))
}

fn flatten(table: &toml::Table, prefix: &str, out: &mut HashMap<String, String>) {
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::Table(t) => flatten(t, &key, out),
            other => {
                out.insert(key, other.to_string());
            }
        }
    }
}

fn stem(path: &str) -> String {
    std::path::Path::new(path)
        .file_stem()
        .map_or_else(|| path.to_string(), |s| s.to_string_lossy().into_owned())
}

/// Checked task boxes in a body.
fn ticks(body: &str) -> usize {
    body.lines()
        .filter(|l| {
            let l = l.trim_start();
            ["- [x]", "- [X]", "* [x]", "* [X]", "+ [x]", "+ [X]"]
                .iter()
                .any(|p| l.starts_with(p))
        })
        .count()
}

fn summarize(path: &str, old: Option<&[u8]>, new: Option<&[u8]>) -> Summary {
    let (old, new) = (old.and_then(split), new.and_then(split));
    let name = new
        .as_ref()
        .or(old.as_ref())
        .and_then(|(t, _)| t.get("name")?.as_str().map(str::to_string))
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| stem(path));
    let mut s = Summary {
        name,
        created: old.is_none() && new.is_some(),
        removed: new.is_none(),
        ..Summary::default()
    };
    let (Some((old_toml, old_body)), Some((new_toml, new_body))) = (&old, &new) else {
        return s;
    };
    // New entries: headings the new body has more often than the old one (so a second
    // identical no-answer call is one too). Blocks whose text is not in the old body beyond
    // those are old entries changed in place.
    let key = |text: &str| {
        text.lines()
            .map(str::trim_end)
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_string()
    };
    let heading = |b: &crate::model::reader::Block| {
        b.heading
            .as_deref()
            .and_then(|h| h.lines().next())
            .map(|h| h.trim_start_matches('#').trim().to_string())
    };
    let (old_blocks, new_blocks) = (split_blocks(old_body), split_blocks(new_body));
    let mut texts: HashMap<String, usize> = HashMap::new();
    let mut heads: HashMap<String, isize> = HashMap::new();
    for b in &old_blocks {
        *texts.entry(key(&b.text)).or_default() += 1;
        *heads.entry(heading(b).unwrap_or_default()).or_default() += 1;
    }
    let mut unmatched = 0;
    let mut added = 0;
    let mut contact = false;
    for b in &new_blocks {
        match texts.get_mut(&key(&b.text)) {
            Some(n) if *n > 0 => *n -= 1,
            _ => unmatched += 1,
        }
        let h = heading(b).unwrap_or_default();
        let left = heads.entry(h.clone()).or_default();
        *left -= 1;
        if *left >= 0 {
            continue;
        }
        added += 1;
        if let Ok(Some(entry)) = parse_heading(&h)
            && entry.channel != "note"
        {
            contact = true;
            let channel = if entry.channel.is_empty() {
                "entry".to_string()
            } else {
                entry.channel.to_string()
            };
            if !s.logged.contains(&channel) {
                s.logged.push(channel);
            }
        }
    }
    s.ticked = ticks(new_body) > ticks(old_body);
    s.edited = unmatched > added || new_blocks.len() < old_blocks.len();
    let (mut a, mut b) = (HashMap::new(), HashMap::new());
    flatten(old_toml, "", &mut a);
    flatten(new_toml, "", &mut b);
    let recorded_by_log = ["next.action", "next.due", "stage", "status", "deal.amount"];
    let mut keys: Vec<String> = a
        .keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .filter(|k| !(contact && recorded_by_log.contains(&k.as_str())))
        .cloned()
        .collect();
    keys.sort();
    keys.dedup();
    s.keys = keys;
    s
}

/// At most three names, then how many more.
fn names(list: &[String]) -> String {
    if list.len() <= 3 {
        list.join(", ")
    } else {
        format!("{} and {} more", list[..3].join(", "), list.len() - 3)
    }
}

/// The commit message for these changes: one line, customer by customer.
pub fn commit_message(changes: &[FileChange<'_>]) -> String {
    let summaries: Vec<Summary> = changes
        .iter()
        .filter(|c| c.customer)
        .map(|c| summarize(c.path, c.old, c.new))
        .collect();
    let mut parts: Vec<String> = Vec::new();
    let mut group = |label: &str, items: Vec<String>| {
        if !items.is_empty() {
            parts.push(format!("{label}: {}", names(&items)));
        }
    };
    group(
        "new",
        summaries
            .iter()
            .filter(|s| s.created)
            .map(|s| s.name.clone())
            .collect(),
    );
    group(
        "log",
        summaries
            .iter()
            .filter(|s| !s.logged.is_empty())
            .map(|s| format!("{} {}", s.name, s.logged.join("+")))
            .collect(),
    );
    group(
        "done",
        summaries
            .iter()
            .filter(|s| s.ticked)
            .map(|s| s.name.clone())
            .collect(),
    );
    group(
        "set",
        summaries
            .iter()
            .filter(|s| !s.created && !s.keys.is_empty())
            .map(|s| {
                let keys = if s.keys.len() <= 3 {
                    s.keys.join(", ")
                } else {
                    format!(
                        "{} and {} more keys",
                        s.keys[..3].join(", "),
                        s.keys.len() - 3
                    )
                };
                format!("{} {keys}", s.name)
            })
            .collect(),
    );
    group(
        "edit",
        summaries
            .iter()
            .filter(|s| {
                !s.created
                    && !s.removed
                    && s.edited
                    && s.logged.is_empty()
                    && s.keys.is_empty()
                    && !s.ticked
            })
            .map(|s| s.name.clone())
            .collect(),
    );
    group(
        "remove",
        summaries
            .iter()
            .filter(|s| s.removed)
            .map(|s| s.name.clone())
            .collect(),
    );
    group(
        "settings",
        changes
            .iter()
            .filter(|c| !c.customer)
            .map(|c| c.path.to_string())
            .collect(),
    );
    if parts.is_empty() {
        // A change the words above do not cover (spaces, a note's text): name the files.
        let files: Vec<String> = changes.iter().map(|c| stem(c.path)).collect();
        return format!("edit: {}", names(&files));
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACME: &str = "+++\nname = \"Acme\"\npriority = \"high\"\n\n[next]\naction = \"call\"\n+++\n\n## 2024-01-01 phone @a\n\n- [ ] promised: send it\n";

    fn change<'a>(path: &'a str, old: Option<&'a str>, new: Option<&'a str>) -> FileChange<'a> {
        FileChange {
            path,
            customer: path.ends_with(".md"),
            old: old.map(str::as_bytes),
            new: new.map(str::as_bytes),
        }
    }

    #[test]
    fn says_what_changed_customer_by_customer() {
        let logged = format!(
            "{}\n## 2024-01-02 email @a\n\nSent.\n\n## 2024-01-02 visit @a\n\n- next: demo\n",
            ACME.replace("\"call\"", "\"demo\"")
        );
        let beta = ACME.replace("Acme", "Beta");
        let beta_set = format!(
            "{}\n## 2024-01-03 note @b\n\n- set: priority: high -> low\n",
            beta.replace("\"high\"", "\"low\"")
        );
        let new = ACME.replace("Acme", "华东机械");
        let msg = commit_message(&[
            change("customers/acme.md", Some(ACME), Some(&logged)),
            change("customers/beta.md", Some(&beta), Some(&beta_set)),
            change("customers/east/华东机械.md", None, Some(&new)),
        ]);
        assert_eq!(
            msg,
            "new: 华东机械; log: Acme email+visit; set: Beta priority"
        );
    }

    #[test]
    fn ticks_removals_settings_and_repeated_calls() {
        let ticked = ACME.replace(
            "- [ ] promised: send it",
            "- [x] promised: send it (done 2024-01-02)",
        );
        let call = "\n## 2024-01-01 phone @a\n\n- outcome: no-answer\n";
        let once = format!("{ACME}{call}");
        let twice = format!("{ACME}{call}{call}");
        assert_eq!(
            commit_message(&[
                change("customers/acme.md", Some(ACME), Some(&ticked)),
                change("customers/old.md", Some(ACME), None),
                change("followup.toml", Some("a"), Some("b")),
            ]),
            "done: Acme; remove: Acme; settings: followup.toml"
        );
        assert_eq!(
            commit_message(&[change("customers/acme.md", Some(&once), Some(&twice))]),
            "log: Acme phone"
        );
        let edited = ACME.replace("send it", "send it today");
        assert_eq!(
            commit_message(&[change("customers/acme.md", Some(ACME), Some(&edited))]),
            "edit: Acme"
        );
    }
}
