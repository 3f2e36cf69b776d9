//! `--explain METRIC[:GROUP]`: the lines behind a number. The engines report, while they count,
//! each file and line that adds to the metric asked for — and nothing when no metric is asked
//! for, so a plain report pays only a branch per item.

use crate::model::config::Lang;
use serde::Serialize;

/// One line behind a number: the file and line it came from, and what it adds.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Trace {
    pub file: String,
    pub line: usize,
    pub customer: String,
    /// The row of the report it belongs to — a stage, a close month, an objection category, a
    /// channel, a lost reason — which `METRIC:GROUP` picks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// What it adds, in the team's language: `2026-09-22 stage: intent -> won`, `650,000 × 0.4
    /// = 260,000`.
    pub detail: String,
    /// For a rate: whether this line is in the numerator (every line is in the denominator).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counts: Option<bool>,
}

/// Collects the traces of one metric (or of none).
pub struct Tracer {
    metric: Option<String>,
    pub lang: Lang,
    /// How an amount is shown in a detail: formatted, or masked when `deal.amount` is
    /// confidential (the command layer decides).
    amount: Box<dyn Fn(f64) -> String>,
    pub traces: Vec<Trace>,
}

impl Tracer {
    /// Traces nothing.
    pub fn off() -> Tracer {
        Tracer {
            metric: None,
            lang: Lang::En,
            amount: Box::new(|a| a.to_string()),
            traces: Vec::new(),
        }
    }

    /// Traces `metric`, with details in `lang` and amounts shown by `amount`.
    pub fn on(metric: &str, lang: Lang, amount: impl Fn(f64) -> String + 'static) -> Tracer {
        Tracer {
            metric: Some(metric.to_string()),
            lang,
            amount: Box::new(amount),
            traces: Vec::new(),
        }
    }

    /// Is one of these metrics traced? (Callers skip building details otherwise.)
    pub fn wants(&self, metrics: &[&str]) -> bool {
        self.metric.as_deref().is_some_and(|m| metrics.contains(&m))
    }

    /// Adds a trace when `metric` is the one traced; `trace` is built only then.
    pub fn add(&mut self, metric: &str, trace: impl FnOnce(&Tracer) -> Trace) {
        if self.metric.as_deref() == Some(metric) {
            let t = trace(self);
            self.traces.push(t);
        }
    }

    /// An amount as this tracer shows it.
    pub fn amount(&self, a: f64) -> String {
        (self.amount)(a)
    }

    /// A message of the catalogue in the tracer's language.
    pub fn say(&self, text: impl Into<crate::msg::Text>) -> String {
        text.into().render(self.lang)
    }

    /// A stage as the tracer's language shows it: its key, or its label in Chinese.
    pub fn stage<'a>(&self, def: &'a crate::model::config::StageDef) -> &'a str {
        match self.lang {
            Lang::En => &def.key,
            Lang::Zh => &def.label,
        }
    }
}

/// A trace at `file:line` about `customer`.
pub fn trace(
    file: &std::path::Path,
    line: usize,
    customer: &str,
    group: Option<&str>,
    detail: String,
) -> Trace {
    Trace {
        file: file.display().to_string(),
        line,
        customer: customer.to_string(),
        group: group.map(str::to_string),
        detail,
        counts: None,
    }
}

impl Trace {
    /// Marks whether the line is in a rate's numerator.
    pub fn counting(mut self, counts: bool) -> Trace {
        self.counts = Some(counts);
        self
    }
}
