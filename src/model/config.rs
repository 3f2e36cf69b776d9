//! `followup.toml`: the team's settings, with every key defaulted so an empty file works.

use crate::model::dates::Duration;
use serde::Deserialize;

/// Language of human-readable output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    pub fn parse(text: &str) -> Option<Lang> {
        match text.trim().to_lowercase().as_str() {
            "en" | "english" => Some(Lang::En),
            "zh" | "zh-cn" | "cn" | "chinese" | "中文" => Some(Lang::Zh),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct StageDef {
    pub key: String,
    pub cadence: Duration,
    pub label: String,
    /// The chance a deal at this stage closes, 0–1 (`probability`; see [`default_probability`]).
    pub probability: f64,
    /// The stage that means a signed deal (`won = true`; default: the stage named `won`).
    pub won: bool,
    /// The first stage the conversion rate counts (`converted = true`; default: `intent`).
    pub converted: bool,
}

#[derive(Debug, Clone)]
pub struct Rules {
    pub required: Vec<String>,
    pub log_within: Duration,
    pub max_contacts_per_day: u32,
    pub unanswered_streak: u32,
    pub stale_after: Duration,
    pub vague_phrases: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub customers_dir: String,
    pub lang: Lang,
    /// In funnel order: a later stage is further along.
    pub stages: Vec<StageDef>,
    pub rules: Rules,
    pub channels: Vec<String>,
    pub objections: Vec<String>,
    /// Dotted front-matter keys masked in every output unless `--reveal`.
    pub confidential: Vec<String>,
    /// The git-ignored overlay that holds confidential values when it exists.
    pub private_file: String,
    /// `[notify]`: how `followup notify` reaches each owner.
    pub notify: Notify,
}

/// The chat platforms `followup notify` speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Platform {
    DingTalk,
    WeCom,
    Feishu,
    Slack,
    Markdown,
}

impl Platform {
    pub const ALL: [Platform; 5] = [
        Platform::DingTalk,
        Platform::WeCom,
        Platform::Feishu,
        Platform::Slack,
        Platform::Markdown,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Platform::DingTalk => "dingtalk",
            Platform::WeCom => "wecom",
            Platform::Feishu => "feishu",
            Platform::Slack => "slack",
            Platform::Markdown => "markdown",
        }
    }

    pub fn parse(text: &str) -> Option<Platform> {
        let t = text.trim().to_lowercase();
        Platform::ALL
            .into_iter()
            .find(|p| p.key() == t)
            .or(match t.as_str() {
                "钉钉" => Some(Platform::DingTalk),
                "企业微信" | "wechat-work" | "wework" => Some(Platform::WeCom),
                "飞书" | "lark" => Some(Platform::Feishu),
                _ => None,
            })
    }
}

/// One owner's chat IDs: per platform, or `None` for the ID that applies to every platform.
pub type Mentions = Vec<(Option<Platform>, String)>;

/// `[notify]` in followup.toml.
#[derive(Debug, Clone, Default)]
pub struct Notify {
    /// The format when `--format` is not given and the URL does not tell.
    pub format: Option<Platform>,
    /// Owner → who to mention, per platform; a plain string applies to every platform.
    pub mentions: Vec<(String, Mentions)>,
}

impl Notify {
    /// The ID to mention for an owner on a platform: the platform's own entry, else the
    /// owner's plain one. Owners match case-insensitively.
    pub fn mention(&self, owner: &str, platform: Platform) -> Option<&str> {
        let (_, ids) = self
            .mentions
            .iter()
            .find(|(o, _)| o.eq_ignore_ascii_case(owner))?;
        ids.iter()
            .find(|(p, _)| *p == Some(platform))
            .or_else(|| ids.iter().find(|(p, _)| p.is_none()))
            .map(|(_, id)| id.as_str())
    }

    fn parse(table: &toml::Table) -> Result<Notify, String> {
        let mut notify = Notify::default();
        for (key, value) in table {
            match (key.as_str(), value) {
                ("format", toml::Value::String(s)) => {
                    let p = Platform::parse(s).ok_or_else(|| {
                        format!(
                            "notify.format `{s}` is unknown; use dingtalk, wecom, feishu, slack or markdown"
                        )
                    })?;
                    notify.format = Some(p);
                }
                ("mentions", toml::Value::Table(t)) => {
                    for (owner, v) in t {
                        notify
                            .mentions
                            .push((owner.clone(), parse_mention(owner, v)?));
                    }
                }
                ("format" | "mentions", _) => {
                    return Err(format!(
                        "notify.{key} has the wrong type; see docs/notify.md"
                    ));
                }
                _ => {}
            }
        }
        Ok(notify)
    }
}

/// One owner's mention: `"13800000000"` (every platform) or
/// `{ dingtalk = "13800000000", wecom = "LiWei", feishu = "ou_…", slack = "U0123ABCD" }`.
fn parse_mention(
    owner: &str,
    value: &toml::Value,
) -> Result<Vec<(Option<Platform>, String)>, String> {
    let check = |platform: Option<Platform>, id: &toml::Value| -> Result<String, String> {
        let where_ = match platform {
            Some(p) => format!("notify.mentions.\"{owner}\".{}", p.key()),
            None => format!("notify.mentions.\"{owner}\""),
        };
        let id = id
            .as_str()
            .ok_or_else(|| format!("{where_} must be a string"))?
            .trim();
        let plain = |c: char| c.is_ascii_alphanumeric() || "._-+@".contains(c);
        if id.is_empty() || id.len() > 64 || !id.chars().all(plain) {
            return Err(format!(
                "{where_} = `{id}` is not a chat ID; use a mobile number or a user ID of letters, digits and . _ - + @"
            ));
        }
        if platform == Some(Platform::Slack)
            && !(id.len() > 2
                && (id.starts_with('U') || id.starts_with('W'))
                && id
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()))
        {
            return Err(format!(
                "{where_} = `{id}` is not a Slack member ID (like U0123ABCD)"
            ));
        }
        Ok(id.to_string())
    };
    match value {
        toml::Value::String(_) => Ok(vec![(None, check(None, value)?)]),
        toml::Value::Table(t) => {
            let mut out = Vec::new();
            for (k, v) in t {
                let p = Platform::parse(k).filter(|p| *p != Platform::Markdown).ok_or_else(|| {
                    format!(
                        "notify.mentions.\"{owner}\".{k}: unknown platform; use dingtalk, wecom, feishu or slack"
                    )
                })?;
                out.push((Some(p), check(Some(p), v)?));
            }
            Ok(out)
        }
        _ => Err(format!(
            "notify.mentions.\"{owner}\" must be a string or a table of platform = ID"
        )),
    }
}

/// Built-in Chinese aliases of the default stage keys, recognised whatever the labels say.
const STAGE_ALIASES: [(&str, &str); 4] = [
    ("潜在", "potential"),
    ("意向", "intent"),
    ("成交", "won"),
    ("维护", "maintenance"),
];

pub const CHANNEL_ALIASES: [(&str, &str); 5] = [
    ("电话", "phone"),
    ("邮件", "email"),
    ("拜访", "visit"),
    ("微信", "wechat"),
    ("会议", "meeting"),
];

/// Chinese aliases of the default objection categories (docs/format.md), recognised like channels.
pub const OBJECTION_ALIASES: [(&str, &str); 7] = [
    ("价格", "price"),
    ("预算", "budget"),
    ("时机", "timing"),
    ("竞品", "competitor"),
    ("决策流程", "decision-process"),
    ("功能", "feature-gap"),
    ("信任", "trust"),
];

pub const ALWAYS_CONFIDENTIAL: [&str; 3] = ["contact.phone", "contact.email", "contact.wechat"];

/// The channels a folder knows without a `channels` setting.
pub const DEFAULT_CHANNELS: [&str; 5] = ["phone", "email", "visit", "wechat", "meeting"];

/// The objection categories a folder knows without an `objections` setting.
pub const DEFAULT_OBJECTIONS: [&str; 7] = [
    "price",
    "budget",
    "timing",
    "competitor",
    "decision-process",
    "feature-gap",
    "trust",
];

impl Default for Config {
    fn default() -> Self {
        let stage = |key: &str, cadence: Duration, label: &str| StageDef {
            key: key.to_string(),
            cadence,
            label: label.to_string(),
            probability: DEFAULT_PROBABILITY
                .iter()
                .find(|(k, _)| *k == key)
                .map_or(0.0, |(_, p)| *p),
            won: key == "won",
            converted: key == "intent",
        };
        let strings = |items: &[&str]| items.iter().map(|s| (*s).to_string()).collect();
        Config {
            customers_dir: "customers".to_string(),
            lang: Lang::En,
            stages: vec![
                stage("potential", Duration::Days(7), "潜在"),
                stage("intent", Duration::Days(3), "意向"),
                stage("won", Duration::Days(30), "成交"),
                stage("maintenance", Duration::Days(30), "维护"),
            ],
            rules: Rules {
                required: strings(&["name", "owner", "stage", "industry", "contact.name"]),
                log_within: Duration::Hours(24),
                max_contacts_per_day: 2,
                unanswered_streak: 3,
                stale_after: Duration::Days(30),
                vague_phrases: strings(&["follow up", "keep in touch", "跟进客户", "保持联系"]),
            },
            channels: strings(&DEFAULT_CHANNELS),
            objections: strings(&DEFAULT_OBJECTIONS),
            confidential: Vec::new(),
            private_file: "followup.private.toml".to_string(),
            notify: Notify::default(),
        }
    }
}

#[derive(Deserialize, Default)]
struct RawConfig {
    customers_dir: Option<String>,
    lang: Option<String>,
    stages: Option<toml::Table>,
    rules: Option<RawRules>,
    channels: Option<Vec<String>>,
    objections: Option<Vec<String>>,
    confidential: Option<Vec<String>>,
    private_file: Option<String>,
    notify: Option<toml::Table>,
}

/// `channels`, `objections` and `confidential` are accepted inside `[rules]` too: in the
/// followup.toml `init` writes they follow the `[rules]` table, so TOML puts them there.
#[derive(Deserialize, Default)]
struct RawRules {
    required: Option<Vec<String>>,
    log_within: Option<String>,
    max_contacts_per_day: Option<u32>,
    unanswered_streak: Option<u32>,
    stale_after: Option<String>,
    vague_phrases: Option<Vec<String>>,
    channels: Option<Vec<String>>,
    objections: Option<Vec<String>>,
    confidential: Option<Vec<String>>,
}

impl Config {
    /// Reads the text of followup.toml; the error is one sentence with the line.
    pub fn parse(text: &str) -> Result<Config, (usize, String)> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(1, |s| {
                text[..s.start.min(text.len())].matches('\n').count() + 1
            });
            (line, e.message().trim().to_string())
        })?;
        let mut config = Config::default();
        if let Some(dir) = raw.customers_dir {
            config.customers_dir = dir;
        }
        if let Some(lang) = raw.lang {
            config.lang = Lang::parse(&lang)
                .ok_or((1, format!("lang `{lang}` is unknown; use \"en\" or \"zh\"")))?;
        }
        if let Some(stages) = raw.stages {
            config.stages = parse_stages(&stages, &config.stages, text)?;
        }
        let rules = raw.rules.unwrap_or_default();
        let duration = |text: Option<String>, default: Duration, key: &str| match text {
            None => Ok(default),
            Some(t) => Duration::parse(&t).map_err(|e| (1, format!("rules.{key}: {e}"))),
        };
        config.rules.log_within =
            duration(rules.log_within, config.rules.log_within, "log_within")?;
        config.rules.stale_after =
            duration(rules.stale_after, config.rules.stale_after, "stale_after")?;
        if let Some(v) = rules.required {
            config.rules.required = v;
        }
        if let Some(v) = rules.max_contacts_per_day {
            config.rules.max_contacts_per_day = v;
        }
        if let Some(v) = rules.unanswered_streak {
            config.rules.unanswered_streak = v.max(1);
        }
        if let Some(v) = rules.vague_phrases {
            config.rules.vague_phrases = v;
        }
        if let Some(v) = raw.channels.or(rules.channels) {
            config.channels = v;
        }
        if let Some(v) = raw.objections.or(rules.objections) {
            config.objections = v;
        }
        if let Some(v) = raw.confidential.or(rules.confidential) {
            config.confidential = v;
        }
        if let Some(v) = raw.private_file {
            config.private_file = v;
        }
        if let Some(t) = raw.notify {
            let line = text
                .lines()
                .position(|l| l.trim_start().starts_with("[notify"))
                .map_or(1, |i| i + 1);
            config.notify = Notify::parse(&t).map_err(|e| (line, e))?;
        }
        Ok(config)
    }

    /// Keys of a followup.toml that this version does not know (they are ignored, with a
    /// warning, so a typo is seen and a newer file still works).
    pub fn unknown_keys(text: &str) -> Vec<String> {
        const TOP: [&str; 10] = [
            "notify",
            "customers_dir",
            "lang",
            "stages",
            "rules",
            "channels",
            "objections",
            "confidential",
            "private_file",
            "$schema",
        ];
        const STAGE_KEYS: [&str; 5] = ["cadence", "label", "probability", "won", "converted"];
        const RULES: [&str; 9] = [
            "required",
            "log_within",
            "max_contacts_per_day",
            "unanswered_streak",
            "stale_after",
            "vague_phrases",
            "channels",
            "objections",
            "confidential",
        ];
        let Ok(table) = text.parse::<toml::Table>() else {
            return Vec::new();
        };
        let mut unknown: Vec<String> = table
            .keys()
            .filter(|k| !TOP.contains(&k.as_str()))
            .cloned()
            .collect();
        if let Some(toml::Value::Table(rules)) = table.get("rules") {
            unknown.extend(
                rules
                    .keys()
                    .filter(|k| !RULES.contains(&k.as_str()))
                    .map(|k| format!("rules.{k}")),
            );
        }
        if let Some(toml::Value::Table(stages)) = table.get("stages") {
            for (stage, value) in stages {
                if let toml::Value::Table(fields) = value {
                    unknown.extend(
                        fields
                            .keys()
                            .filter(|k| !STAGE_KEYS.contains(&k.as_str()))
                            .map(|k| format!("stages.{stage}.{k}")),
                    );
                }
            }
        }
        if let Some(toml::Value::Table(notify)) = table.get("notify") {
            unknown.extend(
                notify
                    .keys()
                    .filter(|k| !["format", "mentions"].contains(&k.as_str()))
                    .map(|k| format!("notify.{k}")),
            );
        }
        unknown
    }

    /// The team's stages as `key (label)`, for a hint: `potential (潜在), intent (意向), …`.
    pub fn stage_list(&self) -> String {
        self.stages
            .iter()
            .map(|s| format!("{} ({})", s.key, s.label))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The canonical stage key for a key, a label or a built-in Chinese alias.
    pub fn stage_key(&self, raw: &str) -> Option<&str> {
        let t = raw.trim();
        let lower = t.to_lowercase();
        if let Some(s) = self
            .stages
            .iter()
            .find(|s| s.key.to_lowercase() == lower || s.label == t)
        {
            return Some(&s.key);
        }
        let alias = STAGE_ALIASES.iter().find(|(zh, _)| *zh == t)?.1;
        self.stages
            .iter()
            .find(|s| s.key == alias)
            .map(|s| s.key.as_str())
    }

    /// Position of a canonical stage key in the funnel (0 = first).
    pub fn stage_rank(&self, key: &str) -> Option<usize> {
        self.stages.iter().position(|s| s.key == key)
    }

    pub fn stage(&self, key: &str) -> Option<&StageDef> {
        self.stages.iter().find(|s| s.key == key)
    }

    /// The stage that means a signed deal (`won = true`, default: the stage named `won`).
    pub fn won_stage(&self) -> Option<&StageDef> {
        self.stages.iter().find(|s| s.won)
    }

    /// The won stage's position in the funnel.
    pub fn won_rank(&self) -> Option<usize> {
        self.stages.iter().position(|s| s.won)
    }

    /// Is this stage (a key, label or alias) the won stage or later in the funnel?
    pub fn is_won_or_later(&self, raw: &str) -> bool {
        let rank = self.stage_key(raw).and_then(|k| self.stage_rank(k));
        matches!((rank, self.won_rank()), (Some(r), Some(w)) if r >= w)
    }

    /// The first stage the conversion rate counts: the one marked `converted = true`
    /// (default: `intent`); without either, the second stage.
    pub fn converted_rank(&self) -> usize {
        self.stages
            .iter()
            .position(|s| s.converted)
            .unwrap_or(1.min(self.stages.len().saturating_sub(1)))
    }

    /// What a team should know about its stage roles: stats cannot count wins without a won
    /// stage, and the conversion rate falls back to the second stage without a converted one.
    pub fn role_warnings(&self) -> Vec<crate::msg::Text> {
        use crate::msg::m;
        let mut out = Vec::new();
        if self.won_stage().is_none() {
            out.push(m::W_NO_WON_STAGE.into());
        }
        if !self.stages.iter().any(|s| s.converted) {
            let second = &self.stages[self.converted_rank()].key;
            out.push(m::W_NO_CONVERTED_STAGE.with("stage", second));
        }
        out
    }

    /// The canonical channel for a known channel or its Chinese alias, else the text as written.
    pub fn channel_key(&self, raw: &str) -> crate::model::intern::Word {
        use crate::model::intern::intern;
        let t = raw.trim();
        if let Some((_, en)) = CHANNEL_ALIASES.iter().find(|(zh, _)| *zh == t) {
            return en;
        }
        if let Some(c) = self.channels.iter().find(|c| c.eq_ignore_ascii_case(t)) {
            // Usually written as configured, in lower case: no new string then.
            return if t.bytes().any(|b| b.is_ascii_uppercase()) || c != t {
                intern(&c.to_lowercase())
            } else {
                intern(t)
            };
        }
        if t.eq_ignore_ascii_case("note") {
            return "note";
        }
        intern(t)
    }

    pub fn is_known_channel(&self, key: &str) -> bool {
        key == "note" || self.channels.iter().any(|c| c.eq_ignore_ascii_case(key))
    }

    pub fn is_known_objection(&self, category: &str) -> bool {
        self.objection_key(category).is_some()
    }

    /// The canonical objection category for a category of followup.toml (any case) or its
    /// Chinese alias (价格 → price); `None` for an unknown one.
    pub fn objection_key(&self, raw: &str) -> Option<String> {
        let t = raw.trim();
        let en = OBJECTION_ALIASES
            .iter()
            .find(|(zh, _)| *zh == t)
            .map_or(t, |(_, en)| *en);
        self.objections
            .iter()
            .find(|c| c.eq_ignore_ascii_case(en) || c.trim() == t)
            .map(|c| c.to_lowercase())
    }

    /// The categories as a hint lists them: `price (价格), budget (预算), …, custom`.
    pub fn objection_list(&self) -> String {
        self.objections
            .iter()
            .map(|c| match OBJECTION_ALIASES.iter().find(|(_, en)| c == en) {
                Some((zh, _)) => format!("{c} ({zh})"),
                None => c.clone(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The categories and their aliases, for a did-you-mean.
    pub fn objection_words(&self) -> impl Iterator<Item = &str> {
        self.objections.iter().map(String::as_str).chain(
            OBJECTION_ALIASES
                .iter()
                .filter(|(_, en)| self.objections.iter().any(|c| c == en))
                .map(|(zh, _)| *zh),
        )
    }

    /// Is this dotted front-matter key masked unless `--reveal`? (The same as [`Config::hides`].)
    pub fn is_confidential(&self, dotted: &str) -> bool {
        self.hides(dotted)
    }

    /// Is the value at this dotted key confidential — the key itself, or inside a confidential
    /// table (`confidential = ["contact"]` hides `contact.phone`)?
    pub fn hides(&self, dotted: &str) -> bool {
        self.confidential_keys().any(|k| {
            dotted == k
                || dotted
                    .strip_prefix(k)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
    }

    /// Does the value at this dotted key hold something confidential — is it confidential, or a
    /// table with a confidential key inside (`contact` holds `contact.phone`)?
    pub fn touches(&self, dotted: &str) -> bool {
        self.hides(dotted)
            || self.confidential_keys().any(|k| {
                k.strip_prefix(dotted)
                    .is_some_and(|rest| rest.starts_with('.'))
            })
    }

    /// Every confidential dotted key.
    pub fn confidential_keys(&self) -> impl Iterator<Item = &str> {
        ALWAYS_CONFIDENTIAL
            .iter()
            .copied()
            .chain(self.confidential.iter().map(String::as_str))
    }
}

/// Default probabilities of the default stage names (docs/pipeline.md, "Stage roles").
const DEFAULT_PROBABILITY: [(&str, f64); 4] = [
    ("potential", 0.1),
    ("intent", 0.4),
    ("won", 1.0),
    ("maintenance", 1.0),
];

/// The probability of a stage that does not set one: the default for its name, else by
/// its role — 1.0 at or after the won stage, 0.4 from the converted stage on, 0.1 before it
/// (which gives the same defaults for the four default stages, renamed or not).
pub fn default_probability(key: &str, rank: usize, won: Option<usize>, converted: usize) -> f64 {
    if let Some((_, p)) = DEFAULT_PROBABILITY.iter().find(|(k, _)| *k == key) {
        return *p;
    }
    match won {
        Some(w) if rank >= w => 1.0,
        _ if rank >= converted => 0.4,
        _ => 0.1,
    }
}

/// The 1-based line of `stages.KEY.FIELD` (or of the stage, or of `[stages`) in followup.toml.
fn stage_line(text: &str, key: &str, field: Option<&str>) -> usize {
    let Ok(doc) = toml_edit::Document::parse(text) else {
        return 1;
    };
    let line_at = |span: Option<std::ops::Range<usize>>| {
        span.map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
    };
    let stage = doc.get("stages").and_then(|s| s.get(key));
    let field_span = stage
        .and_then(|s| field.and_then(|f| s.get(f)))
        .and_then(toml_edit::Item::span);
    line_at(field_span)
        .or_else(|| line_at(stage.and_then(toml_edit::Item::span)))
        .or_else(|| {
            text.lines()
                .position(|l| l.trim_start().starts_with(&format!("[stages.{key}]")))
                .map(|i| i + 1)
        })
        .or_else(|| {
            text.lines()
                .position(|l| l.trim_start().starts_with("[stages"))
                .map(|i| i + 1)
        })
        .unwrap_or(1)
}

fn parse_stages(
    table: &toml::Table,
    defaults: &[StageDef],
    text: &str,
) -> Result<Vec<StageDef>, (usize, String)> {
    let mut stages = Vec::new();
    // Roles as written: (probability, won, converted); `None` when not set.
    let mut roles: Vec<(Option<f64>, Option<bool>, Option<bool>)> = Vec::new();
    for (key, value) in table {
        let at = |field: &str| stage_line(text, key, Some(field));
        let default = defaults.iter().find(|d| &d.key == key);
        let cadence = match value.get("cadence") {
            Some(toml::Value::String(s)) => Duration::parse(s)
                .map_err(|e| (at("cadence"), format!("stages.{key}.cadence: {e}")))?,
            Some(_) => {
                return Err((
                    at("cadence"),
                    format!("stages.{key}.cadence must be a string like \"7d\""),
                ));
            }
            None => default.map_or(Duration::Days(7), |d| d.cadence),
        };
        let label = match value.get("label") {
            Some(toml::Value::String(s)) => s.clone(),
            _ => default.map_or_else(|| key.clone(), |d| d.label.clone()),
        };
        let probability = match value.get("probability") {
            None => None,
            Some(toml::Value::Float(p)) if (0.0..=1.0).contains(p) => Some(*p),
            Some(toml::Value::Integer(p)) if (0..=1).contains(p) => Some(*p as f64),
            Some(other) => {
                return Err((
                    at("probability"),
                    format!(
                        "stages.{key}.probability `{other}` must be a number from 0 to 1, like 0.3"
                    ),
                ));
            }
        };
        let flag = |name: &str| match value.get(name) {
            None => Ok(None),
            Some(toml::Value::Boolean(b)) => Ok(Some(*b)),
            Some(other) => Err((
                at(name),
                format!("stages.{key}.{name} `{other}` must be true or false"),
            )),
        };
        roles.push((probability, flag("won")?, flag("converted")?));
        stages.push(StageDef {
            key: key.clone(),
            cadence,
            label,
            probability: 0.0,
            won: false,
            converted: false,
        });
    }
    if stages.is_empty() {
        return Err((
            stage_line(text, "", None),
            "[stages] is empty; list at least one stage".to_string(),
        ));
    }
    // One won stage and one converted stage at most: the flagged one, else the default name.
    for (role, pick) in [("won", 1usize), ("converted", 2)] {
        let flagged: Vec<usize> = roles
            .iter()
            .enumerate()
            .filter(|(_, r)| if pick == 1 { r.1 } else { r.2 } == Some(true))
            .map(|(i, _)| i)
            .collect();
        if let [_, second, ..] = flagged.as_slice() {
            let key = &stages[*second].key;
            return Err((
                stage_line(text, key, Some(role)),
                format!(
                    "stages.{key}.{role}: only one stage can be marked `{role} = true`; `{}` already is",
                    stages[flagged[0]].key
                ),
            ));
        }
        let default_name = if pick == 1 { "won" } else { "intent" };
        let chosen = flagged.first().copied().or_else(|| {
            stages
                .iter()
                .position(|s| s.key == default_name)
                .filter(|&i| {
                    // `won = false` on the stage named `won` turns the default off.
                    let r = &roles[i];
                    (if pick == 1 { r.1 } else { r.2 }) != Some(false)
                })
        });
        if let Some(i) = chosen {
            if pick == 1 {
                stages[i].won = true;
            } else {
                stages[i].converted = true;
            }
        }
    }
    let won = stages.iter().position(|s| s.won);
    let converted = stages
        .iter()
        .position(|s| s.converted)
        .unwrap_or(1.min(stages.len() - 1));
    if let Some(w) = won
        && converted > w
    {
        let key = &stages[converted].key;
        return Err((
            stage_line(text, key, Some("converted")),
            format!(
                "stages.{key}: the converted stage comes after the won stage `{}`; mark an earlier stage `converted = true`",
                stages[w].key
            ),
        ));
    }
    for (rank, (stage, role)) in stages.iter_mut().zip(&roles).enumerate() {
        stage.probability = role
            .0
            .unwrap_or_else(|| default_probability(&stage.key, rank, won, converted));
    }
    Ok(stages)
}

/// The followup.toml that `followup init` writes: every default, commented.
pub fn template(lang: Lang) -> String {
    let lang = match lang {
        Lang::En => "en",
        Lang::Zh => "zh",
    };
    format!(
        r#"# followup settings; every key has a default, so any of them can be removed.
customers_dir = "customers"
lang = "{lang}"                  # "zh": labels, headers and messages in Chinese

[stages]                     # order matters: later = further in the funnel
# probability: chance to close; converted = true: the conversion rate counts this stage and
# later (default: intent); won = true: a signed deal (default: the stage named won).
potential   = {{ cadence = "7d",  label = "潜在", probability = 0.1 }}
intent      = {{ cadence = "3d",  label = "意向", probability = 0.4, converted = true }}
won         = {{ cadence = "30d", label = "成交", probability = 1.0, won = true }}
maintenance = {{ cadence = "30d", label = "维护", probability = 1.0 }}

[rules]
required = ["name", "owner", "stage", "industry", "contact.name"]
log_within = "24h"           # a log written later than this after the contact gets a warning
max_contacts_per_day = 2     # more touches of one customer in a day: over-contact warning
unanswered_streak = 3        # this many no-answer entries in a row: change channel
stale_after = "30d"          # no contact for this long: stale
vague_phrases = ["follow up", "keep in touch", "跟进客户", "保持联系"]
channels = ["phone", "email", "visit", "wechat", "meeting"]
objections = ["price", "budget", "timing", "competitor", "decision-process", "feature-gap", "trust"]
confidential = []            # more front-matter keys to mask, e.g. "deal.amount"
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_gives_defaults() {
        let c = Config::parse("").unwrap();
        assert_eq!(c.customers_dir, "customers");
        assert_eq!(c.stages.len(), 4);
        assert_eq!(c.stage_key("意向"), Some("intent"));
        assert_eq!(c.stage_key("Won"), Some("won"));
        assert_eq!(c.stage_key("closed"), None);
    }

    #[test]
    fn template_parses_and_its_layout_puts_channels_in_rules() {
        Config::parse(&template(Lang::Zh)).unwrap();
        let c = Config::parse("[rules]\nstale_after = \"2w\"\n\nchannels = [\"phone\", \"fax\"]\n")
            .unwrap();
        assert_eq!(c.rules.stale_after, Duration::Weeks(2));
        assert!(c.is_known_channel("fax"));
    }

    #[test]
    fn custom_stage_order_is_kept() {
        let c = Config::parse("[stages]\nlead = { cadence = \"2d\" }\ndeal = {}\n").unwrap();
        let keys: Vec<_> = c.stages.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, ["lead", "deal"]);
        assert_eq!(c.stage_rank("deal"), Some(1));
    }

    #[test]
    fn unknown_keys_are_named_not_fatal() {
        let text = "team = \"east\"\n[rules]\nstale_afer = \"10d\"\n";
        assert!(Config::parse(text).is_ok());
        assert_eq!(Config::unknown_keys(text), ["team", "rules.stale_afer"]);
        assert!(Config::unknown_keys(&template(Lang::En)).is_empty());
    }

    #[test]
    fn notify_mentions_per_platform_and_validated() {
        let c = Config::parse(
            "[notify]\nformat = \"钉钉\"\n[notify.mentions]\n\"li.wei\" = \"13800000000\"\n\"zhang.min\" = { wecom = \"ZhangMin\", slack = \"U0123ABCD\" }\n",
        )
        .unwrap();
        assert_eq!(c.notify.format, Some(Platform::DingTalk));
        assert_eq!(
            c.notify.mention("Li.Wei", Platform::Feishu),
            Some("13800000000")
        );
        assert_eq!(
            c.notify.mention("zhang.min", Platform::WeCom),
            Some("ZhangMin")
        );
        assert_eq!(c.notify.mention("zhang.min", Platform::DingTalk), None);
        assert_eq!(c.notify.mention("chen.hao", Platform::Slack), None);
        let bad = |text: &str| Config::parse(text).unwrap_err();
        let (line, msg) = bad("lang = \"en\"\n[notify.mentions]\n\"li.wei\" = \"<@all>\"\n");
        assert_eq!(line, 2);
        assert!(msg.contains("not a chat ID"), "{msg}");
        assert!(
            bad("[notify.mentions]\n\"a\" = { slack = \"li\" }\n")
                .1
                .contains("Slack member ID")
        );
        assert!(
            bad("[notify.mentions]\n\"a\" = { icq = \"1\" }\n")
                .1
                .contains("unknown platform")
        );
        assert!(bad("[notify]\nformat = \"telex\"\n").1.contains("unknown"));
    }

    #[test]
    fn stage_roles_default_to_the_spec_names() {
        let c = Config::parse("").unwrap();
        assert_eq!(c.won_stage().map(|s| s.key.as_str()), Some("won"));
        assert_eq!(c.converted_rank(), 1);
        let p: Vec<f64> = c.stages.iter().map(|s| s.probability).collect();
        assert_eq!(p, [0.1, 0.4, 1.0, 1.0]);
        assert!(c.is_won_or_later("维护") && !c.is_won_or_later("意向"));
        assert!(c.role_warnings().is_empty());
    }

    #[test]
    fn renamed_stages_take_their_roles_from_followup_toml() {
        let text = "[stages]\nlead = {}\nqualified = { converted = true }\nsigned = { won = true, probability = 0.95 }\ncare = {}\n";
        let c = Config::parse(text).unwrap();
        assert_eq!(c.won_stage().map(|s| s.key.as_str()), Some("signed"));
        assert_eq!(c.converted_rank(), 1);
        let p: Vec<f64> = c.stages.iter().map(|s| s.probability).collect();
        assert_eq!(p, [0.1, 0.4, 0.95, 1.0]);
        assert!(c.role_warnings().is_empty());
        let none = Config::parse("[stages]\nlead = {}\ndeal = {}\n").unwrap();
        assert!(none.won_stage().is_none());
        assert_eq!(none.role_warnings().len(), 2);
    }

    #[test]
    fn stage_roles_are_validated_with_the_line() {
        let bad = |text: &str| Config::parse(text).unwrap_err();
        let (line, msg) = bad("lang = \"en\"\n[stages]\na = {}\nb = { probability = 1.5 }\n");
        assert_eq!(line, 4, "{msg}");
        assert!(msg.contains("from 0 to 1"), "{msg}");
        let (line, msg) = bad("[stages]\na = { won = true }\nb = { won = true }\n");
        assert_eq!(line, 3, "{msg}");
        assert!(msg.contains("only one stage"), "{msg}");
        let (line, msg) = bad("[stages.a]\ncadence = \"3d\"\n\n[stages.b]\nwon = \"yes\"\n");
        assert_eq!(line, 5, "{msg}");
        assert!(msg.contains("true or false"), "{msg}");
        let (_, msg) = bad("[stages]\na = { won = true }\nb = { converted = true }\n");
        assert!(msg.contains("after the won stage"), "{msg}");
        assert_eq!(
            Config::unknown_keys("[stages]\na = { probabilty = 0.2 }\n"),
            ["stages.a.probabilty"]
        );
    }

    #[test]
    fn objection_categories_have_chinese_aliases() {
        let c = Config::default();
        assert_eq!(c.objection_key("价格").as_deref(), Some("price"));
        assert_eq!(c.objection_key("Price").as_deref(), Some("price"));
        assert_eq!(
            c.objection_key("决策流程").as_deref(),
            Some("decision-process")
        );
        assert_eq!(c.objection_key("colour"), None);
        assert!(
            c.objection_list()
                .starts_with("price (价格), budget (预算)")
        );
    }

    #[test]
    fn confidential_keys_reach_into_and_out_of_tables() {
        let c = Config::parse("confidential = [\"deal\", \"size.revenue\"]\n").unwrap();
        assert!(c.hides("contact.phone") && c.hides("deal.amount") && c.hides("deal"));
        assert!(!c.hides("contact") && c.touches("contact") && c.touches("size"));
        assert!(!c.touches("contact.name") && !c.hides("dealer"));
    }

    #[test]
    fn errors_name_the_line() {
        let (line, _) = Config::parse("lang = \"en\"\nrules = 3\n").unwrap_err();
        assert_eq!(line, 2);
    }
}
