//! `followup report`: the review as a self-contained web page, `DIR/index.html` — the figures
//! of `stats` and `pipeline` for the same window (the same engine calls), the due board of
//! `agenda --week`, charts in inline SVG, links to each customer's file relative to the page.

use crate::cli::{ReportArgs, ReportPeriod};
use crate::cmd::shared::{check_range, date_flag};
use crate::engine::agenda::agenda;
use crate::engine::explain::Tracer;
use crate::engine::pipeline::{Snapshot, by_owner, snapshot};
use crate::engine::review::period_review;
use crate::engine::stats::{Period, Subject, review, subjects};
use crate::error::{Error, Result};
use crate::io::store::{self, output_dir};
use crate::model::dates::add_days;
use crate::model::record::Record;
use crate::model::summary::Summary;
use crate::msg::m;
use crate::present::html::{Input, Source, href, page, render, url_path};
use crate::present::mask::Masker;
use crate::present::render::json;
use crate::{Ctx, Output};
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

pub fn run(args: &ReportArgs, ctx: &Ctx) -> Result<Output> {
    let store = ctx.store()?;
    let config = &store.config;
    let lang = ctx.lang(&store);
    for w in config.role_warnings() {
        store.warn_text(w);
    }
    let (period, period_arg) = match args.period {
        ReportPeriod::Week => (Period::Week, "week"),
        ReportPeriod::Month => (Period::Month, "month"),
    };
    let records = store.load_lean()?;
    let until = date_flag(args.until.as_deref(), "--until", ctx.today)?.unwrap_or(ctx.today);
    let since = date_flag(args.since.as_deref(), "--since", ctx.today)?
        .unwrap_or_else(|| period.default_since(until, &records));
    check_range(since, until)?;

    // The review: what `stats --json` computes for [since, until], and the last period against
    // the one before it (the Markdown review's data).
    let subjects = subjects(&records);
    let refs: Vec<&Subject<'_>> = subjects.iter().collect();
    let the_review = review(&refs, config, period, since, until, ctx.today);
    let periods = period_review(&refs, &records, config, period, (since, until), ctx.today);

    // The pipeline today, as `pipeline --json --by owner` computes it.
    let all: Vec<&Record> = records.iter().collect();
    let snap = snapshot(&all, config, ctx.today, &mut Tracer::off());
    if snap.currencies.len() > 1 {
        store.warn_text(
            m::W_CURRENCIES.with("currencies", crate::msg::list(lang, &snap.currencies)),
        );
    }
    let pipeline_owners: Vec<(String, Snapshot)> = by_owner(&all)
        .into_iter()
        .map(|(owner, mine)| {
            let s = snapshot(&mine, config, ctx.today, &mut Tracer::off());
            (owner, s)
        })
        .collect();

    // The due board: `agenda --week`, from today through Sunday.
    let summaries: Vec<Summary> = records.iter().map(Summary::of).collect();
    let sunday = add_days(
        ctx.today,
        6 - i64::from(ctx.today.weekday().num_days_from_monday()),
    );
    let board = agenda(&summaries, config, ctx.today, sunday, None);

    // Where the page goes, and the way from there to each customer file.
    let out = match &args.out {
        Some(p) if p.is_absolute() => p.clone(),
        Some(p) => ctx.start.join(p),
        None => store.root.join("report"),
    };
    // The default place was not told: a `report` symlink (committed by anyone) must not
    // carry the page outside the folder.
    if args.out.is_none() && store::is_symlink(&out) {
        return Err(m::E_REPORT_LINK.into());
    }
    let base = link_base(args.link_base.as_deref())?;
    let out_dir = output_dir(&out, args.out.as_deref().unwrap_or(&out))?;
    let root = store::canonical(&store.root)?;
    let up = relative(&out_dir, &root);
    let link = |file: &str| -> Option<String> {
        let file = Path::new(file);
        if let Some(base) = &base {
            return Some(format!("{base}{}", url_path(file)));
        }
        Some(href(&match &up {
            Some(up) => up.join(file),
            None => root.join(file),
        }))
    };
    let files: HashMap<&str, String> = records
        .iter()
        .map(|r| (r.customer.name.as_str(), r.path.display().to_string()))
        .collect();
    let file_of = |name: &str| files.get(name).cloned();

    let sources = sources(
        ctx,
        period_arg,
        (since, until),
        (periods.start, periods.end),
        periods.previous.as_ref().map(|p| (p.start, p.end)),
    );
    let input = Input {
        lang,
        config,
        today: ctx.today,
        period,
        since,
        until,
        review: &the_review,
        periods: &periods,
        snapshot: &snap,
        pipeline_owners: &pipeline_owners,
        agenda: &board,
        masker: Masker::new(config, ctx.reveal),
        link: &link,
        file_of: &file_of,
        sources,
    };
    let html =
        render(&page(&input)).map_err(|e| Error::Text(m::E_RENDER_PAGE.with("detail", e)))?;
    let index = out_dir.join("index.html");
    store::write_file(&index, html.as_bytes())?;
    let shown = match &args.out {
        Some(p) => p.join("index.html"),
        None => PathBuf::from("report").join("index.html"),
    };
    if ctx.json {
        return Ok(Output::text(json(&serde_json::json!({
            "file": index.display().to_string(),
            "period": period_arg,
            "since": since.to_string(),
            "until": until.to_string(),
            "today": ctx.today.to_string(),
        }))));
    }
    let unit = if period == Period::Week {
        m::UNIT_WEEK
    } else {
        m::UNIT_MONTH
    };
    Ok(Output::text(
        m::REPORT_WROTE
            .with("file", shown.display())
            .with("since", since)
            .with("until", until)
            .with_text("unit", unit)
            .render(lang)
            + "\n",
    ))
}

/// `--link-base URL`: an http(s) URL the files' paths are appended to, ending in `/`.
fn link_base(base: Option<&str>) -> Result<Option<String>> {
    let Some(base) = base.map(str::trim) else {
        return Ok(None);
    };
    let rest = base
        .strip_prefix("https://")
        .or_else(|| base.strip_prefix("http://"));
    if rest.is_none_or(|r| r.is_empty() || r.contains(char::is_whitespace)) {
        return Err(m::E_LINK_BASE.with("base", base).into());
    }
    Ok(Some(if base.ends_with('/') {
        base.to_string()
    } else {
        format!("{base}/")
    }))
}

/// The commands whose JSON holds the page's figures, as the page lists them.
fn sources(
    ctx: &Ctx,
    period: &str,
    (since, until): (NaiveDate, NaiveDate),
    (start, end): (NaiveDate, NaiveDate),
    previous: Option<(NaiveDate, NaiveDate)>,
) -> Vec<Source> {
    let make = |id: &'static str, args: &[&str]| {
        let mut all: Vec<String> = args.iter().map(|s| (*s).to_string()).collect();
        all.extend(["--json".to_string(), "--today".to_string()]);
        all.push(ctx.today.to_string());
        if ctx.reveal {
            all.push("--reveal".to_string());
        }
        Source { id, args: all }
    };
    let (since, until) = (since.to_string(), until.to_string());
    let (start, end) = (start.to_string(), end.to_string());
    let mut out = vec![make(
        "stats",
        &[
            "stats", "--period", period, "--since", &since, "--until", &until,
        ],
    )];
    if let Some((ps, pe)) = previous {
        let (ps, pe) = (ps.to_string(), pe.to_string());
        out.push(make(
            "previous",
            &["stats", "--period", period, "--since", &ps, "--until", &pe],
        ));
    }
    out.push(make(
        "owners",
        &[
            "stats", "--period", period, "--since", &start, "--until", &end, "--by", "owner",
        ],
    ));
    out.push(make(
        "pipeline",
        &[
            "pipeline", "--by", "owner", "--since", &since, "--until", &until,
        ],
    ));
    out.push(make("agenda", &["agenda", "--week"]));
    out
}

/// The way from folder `from` to folder `to`, both canonical: `..` up to their common part,
/// then down; none when they share no root (another drive).
fn relative(from: &Path, to: &Path) -> Option<PathBuf> {
    let a: Vec<Component<'_>> = from.components().collect();
    let b: Vec<Component<'_>> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if common == 0 {
        return None;
    }
    let mut out = PathBuf::new();
    for _ in common..a.len() {
        out.push("..");
    }
    for c in &b[common..] {
        out.push(c);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_between_folders() {
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(relative(&p("/r/report"), &p("/r")), Some(p("..")));
        assert_eq!(relative(&p("/r"), &p("/r")), Some(p("")));
        assert_eq!(relative(&p("/r/a/b"), &p("/r/c")), Some(p("../../c")));
        assert_eq!(relative(&p("/tmp/out"), &p("/r")), Some(p("../../r")));
        assert_eq!(
            href(
                &relative(&p("/r/report"), &p("/r"))
                    .unwrap()
                    .join("customers/acme.md")
            ),
            "../customers/acme.md"
        );
        assert_eq!(
            href(
                &relative(&p("/r"), &p("/r"))
                    .unwrap()
                    .join("customers/acme.md")
            ),
            "./customers/acme.md"
        );
    }
}
