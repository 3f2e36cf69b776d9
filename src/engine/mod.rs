//! The engines: the rules of the product as pure functions over the model — who is due (`due`),
//! the due reasons as dated items for the agenda, calendar and chat digest (`agenda`), the
//! review's numbers (`stats`), one period reviewed against the one before (`review`), the
//! pipeline, forecast and funnel (`pipeline`), the lines behind any of those numbers
//! (`explain`), the validator's rules (`check`), the three-way merge of a customer file
//! (`merge`) and what changed in words (`changes`). Records, settings and today in; results
//! out.

pub(crate) mod agenda;
pub(crate) mod changes;
pub(crate) mod check;
pub(crate) mod due;
pub(crate) mod explain;
pub(crate) mod merge;
pub(crate) mod pipeline;
pub(crate) mod review;
pub(crate) mod stats;
