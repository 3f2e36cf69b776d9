//! Values in the team's language (`lang = "zh"` or `--lang zh`): the labels of stages,
//! statuses, priorities, channels, objection categories, outcomes, roles, field and front-matter
//! keys; durations with their unit; amounts with thousands separators (万 in Chinese) and the
//! deal's currency. Sentences live in the catalogue (`crate::msg::m`); JSON and CSV keep the
//! canonical English keys and plain numbers.

use crate::model::config::{Config, Lang};
use crate::model::dates::Duration;
use crate::msg::m;

/// A catalogue label looked up by its English text (the label when it is not there; a test
/// checks that every label the source looks up is in the catalogue).
pub fn t(lang: Lang, en: &'static str) -> &'static str {
    match m::ALL.iter().find(|msg| msg.en == en) {
        Some(msg) => msg.template(lang),
        None => en,
    }
}

/// A log field's key as shown: `feedback`, or 反馈 in Chinese.
pub fn field(lang: Lang, key: &str) -> String {
    match lang {
        Lang::Zh => crate::model::entry::FIELD_KEYS
            .iter()
            .find(|(en, _)| *en == key)
            .map_or_else(|| key.to_string(), |(_, zh)| (*zh).to_string()),
        Lang::En => key.to_string(),
    }
}

/// A channel as shown: `phone`, or 电话 in Chinese (meeting 会议, and a channel the team
/// added as it is written). Takes the key or an alias.
pub fn channel(lang: Lang, key: &str) -> String {
    const MORE: [(&str, &str); 1] = [("会议", "meeting")];
    let key = key.trim();
    let canonical = crate::model::config::CHANNEL_ALIASES
        .iter()
        .chain(MORE.iter())
        .find(|(zh, en)| *zh == key || en.eq_ignore_ascii_case(key));
    match (canonical, lang) {
        (Some((zh, _)), Lang::Zh) => (*zh).to_string(),
        (Some((_, en)), Lang::En) => (*en).to_string(),
        (None, _) => key.to_string(),
    }
}

/// An objection category as shown: `price`, or 价格 in Chinese. Takes the key or an alias.
pub fn objection(lang: Lang, key: &str) -> String {
    let key = key.trim();
    let canonical = crate::model::config::OBJECTION_ALIASES
        .iter()
        .find(|(zh, en)| *zh == key || en.eq_ignore_ascii_case(key));
    match (canonical, lang) {
        (Some((zh, _)), Lang::Zh) => (*zh).to_string(),
        (Some((_, en)), Lang::En) => (*en).to_string(),
        (None, _) => key.to_string(),
    }
}

const OUTCOMES: [(&str, &str); 5] = [
    ("reached", "接通"),
    ("no-answer", "未接"),
    ("voicemail", "语音信箱"),
    ("busy", "占线"),
    ("declined", "拒接"),
];

/// An outcome as shown: `no-answer`, or 未接 in Chinese. Takes the key or an alias.
pub fn outcome(lang: Lang, value: &str) -> String {
    let parsed = crate::model::entry::Outcome::parse(value);
    match (OUTCOMES.iter().find(|(en, _)| *en == parsed.key()), lang) {
        (Some((en, _)), Lang::En) => (*en).to_string(),
        (Some((_, zh)), Lang::Zh) => (*zh).to_string(),
        (None, _) => value.trim().to_string(),
    }
}

/// A status as shown: `active`, or 推进中. Takes the key or an alias; other text as it is
/// (a masked value).
pub fn status(lang: Lang, value: &str) -> String {
    use crate::model::customer::Status;
    match Status::parse(value) {
        Some(Status::Active) => m::ACTIVE.get(lang),
        Some(Status::Paused) => m::PAUSED.get(lang),
        Some(Status::Won) => m::STATUS_WON.get(lang),
        Some(Status::Lost) => m::STATUS_LOST.get(lang),
        None => value.to_string(),
    }
}

/// A priority as shown: `high`, or 高.
pub fn priority(lang: Lang, value: &str) -> String {
    use crate::model::customer::Priority;
    match Priority::parse(value) {
        Some(Priority::High) => m::HIGH.get(lang),
        Some(Priority::Medium) => m::MEDIUM.get(lang),
        Some(Priority::Low) => m::LOW.get(lang),
        None => value.to_string(),
    }
}

/// A decision-chain role as shown: `decision-maker`, or 决策人.
pub fn role(lang: Lang, value: &str) -> String {
    match crate::model::customer::role_key(value) {
        Some(key) => match lang {
            Lang::En => key.to_string(),
            Lang::Zh => crate::model::customer::ROLES
                .iter()
                .find(|(en, _)| *en == key)
                .and_then(|(_, zh)| zh.first())
                .map_or_else(|| key.to_string(), |zh| (*zh).to_string()),
        },
        None => value.to_string(),
    }
}

/// The stage as shown to people: its key in English, its label (followup.toml's `label`) in
/// Chinese. Takes the key or the label; an unknown stage as it is written.
pub fn stage_label(stage: Option<&str>, config: &Config, lang: Lang) -> String {
    match stage {
        None => "?".into(),
        Some(s) => match config.stage_key(s).and_then(|k| config.stage(k)) {
            Some(def) => match lang {
                Lang::Zh => def.label.clone(),
                Lang::En => def.key.clone(),
            },
            None => s.to_string(),
        },
    }
}

/// A duration with its unit: `3 days` / `3 天`, `2 weeks` / `2 周`, `1 month` / `1 个月`,
/// `2 business days` / `2 个工作日`, `24 hours` / `24 小时`.
pub fn duration(lang: Lang, d: Duration) -> String {
    let text = d.to_string();
    let (n, unit) = text.split_at(text.len() - 1);
    let msg = match unit {
        "h" => m::N_HOURS,
        "w" => m::N_WEEKS,
        "m" => m::N_MONTHS,
        "b" => m::N_BUSINESS_DAYS,
        _ => m::N_DAYS,
    };
    msg.with("n", n).render(lang)
}

/// A number with thousands separators and at most `decimals` decimals, trailing zeros dropped:
/// 3690000 → `3,690,000`, 57.5 → `57.5`.
pub fn number(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
    let frac = frac.trim_end_matches('0');
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let zero = grouped.chars().all(|c| c == '0' || c == ',') && frac.is_empty();
    let sign = if value < 0.0 && !zero { "-" } else { "" };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

/// An amount for people to read. English: thousands separators, cents when there are any
/// (`3,690,000`, `1,234.5`). Chinese: from 10,000 on, in 万 (ten thousands) with at most two
/// decimals (`65 万`, `369 万`, `1.23 万`, `12,000 万`), below it as it is (`9,800`). With a
/// known currency: `CNY 650,000` / `65 万元` (CNY, RMB, 元 and 人民币 are 元; another code
/// follows the number: `12 万 USD`). JSON and CSV keep plain numbers.
pub fn amount(lang: Lang, value: f64, currency: Option<&str>) -> String {
    let yuan = currency.is_some_and(|c| {
        matches!(
            c.trim().to_uppercase().as_str(),
            "CNY" | "RMB" | "元" | "人民币"
        )
    });
    match lang {
        Lang::Zh => {
            let (n, wan) = if value.abs() >= 10_000.0 {
                (number(value / 10_000.0, 2), true)
            } else {
                (number(value, 2), false)
            };
            match (wan, currency.filter(|c| !c.trim().is_empty())) {
                (true, _) if yuan => format!("{n} 万元"),
                (false, _) if yuan => format!("{n} 元"),
                (true, Some(c)) => format!("{n} 万 {}", c.trim()),
                (false, Some(c)) => format!("{n} {}", c.trim()),
                (true, None) => format!("{n} 万"),
                (false, None) => n,
            }
        }
        Lang::En => {
            let n = number(value, 2);
            match currency.filter(|c| !c.trim().is_empty()) {
                Some(_) if yuan => format!("CNY {n}"),
                Some(c) => format!("{} {n}", c.trim()),
                None => n,
            }
        }
    }
}

/// A number of days with its unit, one decimal at most: `57.5 days` / `57.5 天`; `-` when
/// there is none.
pub fn days(lang: Lang, d: Option<f64>) -> String {
    d.map_or_else(
        || "-".to_string(),
        |d| m::N_DAYS.with("n", number(d, 1)).render(lang),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_wan_and_with_separators() {
        assert_eq!(amount(Lang::Zh, 650_000.0, None), "65 万");
        assert_eq!(amount(Lang::Zh, 3_690_000.0, None), "369 万");
        assert_eq!(amount(Lang::Zh, 12_345.0, None), "1.23 万");
        assert_eq!(amount(Lang::Zh, 655_000.0, Some("CNY")), "65.5 万元");
        assert_eq!(amount(Lang::Zh, 9_800.0, Some("CNY")), "9,800 元");
        assert_eq!(amount(Lang::Zh, 120_000_000.0, None), "12,000 万");
        assert_eq!(amount(Lang::Zh, 120_000.0, Some("USD")), "12 万 USD");
        assert_eq!(amount(Lang::Zh, 0.0, None), "0");
        assert_eq!(amount(Lang::En, 650_000.0, None), "650,000");
        assert_eq!(amount(Lang::En, 650_000.0, Some("CNY")), "CNY 650,000");
        assert_eq!(amount(Lang::En, 1_234.5, Some("USD")), "USD 1,234.5");
        assert_eq!(amount(Lang::En, -56_000.0, None), "-56,000");
    }

    #[test]
    fn durations_carry_their_unit() {
        let d = |s: &str| Duration::parse(s).unwrap();
        assert_eq!(duration(Lang::Zh, d("3d")), "3 天");
        assert_eq!(duration(Lang::En, d("3d")), "3 days");
        assert_eq!(duration(Lang::En, d("1d")), "1 day");
        assert_eq!(duration(Lang::Zh, d("2w")), "2 周");
        assert_eq!(duration(Lang::En, d("1m")), "1 month");
        assert_eq!(duration(Lang::Zh, d("5b")), "5 个工作日");
        assert_eq!(days(Lang::Zh, Some(57.5)), "57.5 天");
        assert_eq!(days(Lang::En, Some(102.0)), "102 days");
    }

    #[test]
    fn values_show_in_the_language() {
        assert_eq!(channel(Lang::Zh, "phone"), "电话");
        assert_eq!(channel(Lang::En, "电话"), "phone");
        assert_eq!(channel(Lang::Zh, "meeting"), "会议");
        assert_eq!(objection(Lang::Zh, "price"), "价格");
        assert_eq!(objection(Lang::En, "竞品"), "competitor");
        assert_eq!(outcome(Lang::Zh, "no-answer"), "未接");
        assert_eq!(outcome(Lang::En, "未接"), "no-answer");
        assert_eq!(status(Lang::En, "推进中"), "active");
        assert_eq!(priority(Lang::Zh, "high"), "高");
        assert_eq!(role(Lang::Zh, "decision-maker"), "决策人");
        let config = Config::default();
        assert_eq!(stage_label(Some("意向"), &config, Lang::En), "intent");
        assert_eq!(stage_label(Some("intent"), &config, Lang::Zh), "意向");
    }
}
