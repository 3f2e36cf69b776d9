//! Who must be contacted by a date, and why (docs/commands.md, `due`): cadence since the last
//! contact, the next action's deadline, open promises and assists. Pure: records and today in,
//! items out.

use crate::model::config::{Config, Lang};
use crate::model::customer::Status;
use crate::model::dates::{Duration, days_between};
use crate::model::summary::Summary;
use crate::msg::{Text, m};
use chrono::NaiveDate;

/// One reason a customer is due, with the date it falls due.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    Cadence {
        date: NaiveDate,
        cadence: Duration,
        last_contact: NaiveDate,
    },
    NeverContacted {
        date: NaiveDate,
    },
    NextAction {
        date: NaiveDate,
    },
    Promise {
        date: NaiveDate,
        text: String,
    },
    Assist {
        date: NaiveDate,
        text: String,
    },
    /// An open to-do box (`- [ ] …`) without a `promised:` or `assist:` key.
    Task {
        date: NaiveDate,
        text: String,
    },
}

impl Reason {
    pub fn date(&self) -> NaiveDate {
        match self {
            Reason::Cadence { date, .. }
            | Reason::NeverContacted { date }
            | Reason::NextAction { date }
            | Reason::Promise { date, .. }
            | Reason::Assist { date, .. }
            | Reason::Task { date, .. } => *date,
        }
    }

    /// The reason's kind as `due --json` and docs/commands.md name it.
    pub fn kind(&self) -> &'static str {
        match self {
            Reason::Cadence { .. } | Reason::NeverContacted { .. } => "cadence",
            Reason::NextAction { .. } => "next-action",
            Reason::Promise { .. } => "promise",
            Reason::Assist { .. } => "assist",
            Reason::Task { .. } => "task",
        }
    }

    /// One human phrase: "every 3 days, last contact 5 days ago" / "节奏 3 天，上次联系 5 天前".
    pub fn describe(&self, today: NaiveDate, lang: Lang) -> String {
        let when = due_phrase(self.date(), today);
        let text = match self {
            Reason::Cadence {
                cadence,
                last_contact,
                ..
            } => m::WHY_CADENCE
                .with("cadence", crate::present::i18n::duration(lang, *cadence))
                .with_text("last", relative_text(*last_contact, today)),
            Reason::NeverContacted { .. } => m::WHY_NEVER.with_text("when", when),
            Reason::NextAction { .. } => m::WHY_NEXT.with_text("when", when),
            Reason::Promise { text, .. } => {
                m::WHY_PROMISE.with("text", text).with_text("when", when)
            }
            Reason::Assist { text, .. } => m::WHY_ASSIST.with("text", text).with_text("when", when),
            Reason::Task { text, .. } => m::WHY_TASK.with("text", text).with_text("when", when),
        };
        text.render(lang)
    }
}

/// "5 days ago", "today", "in 2 days" / "5 天前", "今天", "2 天后".
pub fn relative(date: NaiveDate, today: NaiveDate, lang: Lang) -> String {
    relative_text(date, today).render(lang)
}

fn relative_text(date: NaiveDate, today: NaiveDate) -> Text {
    match days_between(today, date) {
        0 => m::TODAY.into(),
        1 => m::TOMORROW.into(),
        -1 => m::YESTERDAY.into(),
        d if d > 0 => m::IN_DAYS.with("n", d),
        d => m::DAYS_AGO.with("n", -d),
    }
}

/// When something falls due, in the one word order every command uses: "overdue 3 days" /
/// "逾期 3 天", "due today" / "今天到期", "due in 2 days" / "2 天后到期".
pub fn due_phrase(date: NaiveDate, today: NaiveDate) -> Text {
    match days_between(today, date) {
        0 => m::DUE_TODAY.into(),
        1 => m::DUE_TOMORROW.into(),
        d if d > 0 => m::DUE_IN_DAYS.with("n", d),
        d => m::OVERDUE_DAYS.with("n", -d),
    }
}

/// A customer that is due, with every reason that holds.
#[derive(Debug, Clone)]
pub struct DueItem<'a> {
    pub summary: &'a Summary,
    pub due: NaiveDate,
    /// today − due: positive when overdue, negative when upcoming.
    pub overdue_days: i64,
    pub reasons: Vec<Reason>,
    /// Length of the unanswered streak when it reaches the team's threshold.
    pub unanswered_streak: Option<usize>,
}

/// Every reason a customer falls due, from its summary as of `today`.
pub fn reasons(summary: &Summary, config: &Config, today: NaiveDate) -> Vec<Reason> {
    reasons_with_last_contact(summary, summary.last_contact(today), config, today)
}

/// The reasons with another last contact (the review asks as of each period's end).
pub fn reasons_with_last_contact(
    summary: &Summary,
    last_contact: Option<NaiveDate>,
    config: &Config,
    today: NaiveDate,
) -> Vec<Reason> {
    let c = &summary.customer;
    let status = c.status();
    if status == Status::Lost {
        return Vec::new();
    }
    let mut out = Vec::new();
    let paused = status == Status::Paused;
    // A won deal follows the won stage's cadence even while its stage still lags behind
    // (`check` warns about that pair).
    let won_stage = config
        .won_stage()
        .filter(|_| status == Status::Won)
        .filter(|_| {
            c.stage
                .as_deref()
                .is_none_or(|s| !config.is_won_or_later(s))
        });
    let cadence = c
        .cadence
        .or_else(|| won_stage.map(|s| s.cadence))
        .or_else(|| {
            c.stage
                .as_deref()
                .and_then(|s| config.stage(s))
                .map(|s| s.cadence)
        })
        .unwrap_or(config.stages[0].cadence);
    let cadence_reason = match last_contact {
        Some(last) => Reason::Cadence {
            date: cadence.after(last),
            cadence,
            last_contact: last,
        },
        None => Reason::NeverContacted {
            date: c.created.unwrap_or(today),
        },
    };
    match (paused, c.paused_until) {
        (false, _) => out.push(cadence_reason),
        (true, Some(from)) => out.push(match cadence_reason {
            Reason::Cadence {
                date,
                cadence,
                last_contact,
            } => Reason::Cadence {
                date: date.max(from),
                cadence,
                last_contact,
            },
            Reason::NeverContacted { date } => Reason::NeverContacted {
                date: date.max(from),
            },
            other => other,
        }),
        (true, None) => {}
    }
    if let Some(date) = c.next_due {
        out.push(Reason::NextAction { date });
    }
    if !paused {
        for item in &summary.open_items {
            let Some(date) = item.due else {
                continue;
            };
            let text = item.text.clone();
            out.push(match item.kind.as_str() {
                "promised" => Reason::Promise { date, text },
                "assist" => Reason::Assist { date, text },
                _ => Reason::Task { date, text },
            });
        }
    }
    out
}

/// The customers due on or before `until`, most overdue first, then priority, then name.
pub fn due_items<'a>(
    summaries: &'a [Summary],
    config: &Config,
    today: NaiveDate,
    until: NaiveDate,
    owner: Option<&str>,
) -> Vec<DueItem<'a>> {
    let mut items: Vec<DueItem<'a>> = summaries
        .iter()
        .filter(|r| {
            owner.is_none_or(|o| {
                r.customer
                    .owner
                    .as_deref()
                    .is_some_and(|x| x.eq_ignore_ascii_case(o))
            })
        })
        .filter_map(|summary| {
            let mut reasons: Vec<Reason> = reasons(summary, config, today)
                .into_iter()
                .filter(|r| r.date() <= until)
                .collect();
            reasons.sort_by_key(Reason::date);
            let due = reasons.first()?.date();
            let streak = summary.unanswered_streak(today);
            Some(DueItem {
                summary,
                due,
                overdue_days: days_between(due, today),
                reasons,
                unanswered_streak: (streak >= config.rules.unanswered_streak as usize)
                    .then_some(streak),
            })
        })
        .collect();
    // Each name's collation key is computed once (a folder of ten thousand has many ties).
    items.sort_by_cached_key(|i| {
        (
            i.due,
            i.summary.customer.priority(),
            crate::model::collate::key(&i.summary.customer.name),
            i.summary.path.clone(),
        )
    });
    items
}

/// The change-channel hint for a streak of unanswered contacts.
pub fn channel_hint(streak: usize, lang: Lang) -> String {
    m::CHANGE_CHANNEL.with("n", streak).render(lang)
}
