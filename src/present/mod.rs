//! Presentation: data in, text out — tables, colours, CSV and JSON, terminal and spreadsheet
//! safety (`render`), masking of confidential values (`mask`), the words in the team's language
//! (`i18n`), the review as a Markdown report (`report`) and as a
//! self-contained HTML page with SVG charts (`html`, `chart`).

pub(crate) mod chart;
pub(crate) mod chat;
pub(crate) mod html;
pub(crate) mod i18n;
pub(crate) mod ics;
pub(crate) mod mask;
pub(crate) mod reach;
pub(crate) mod render;
pub(crate) mod report;
