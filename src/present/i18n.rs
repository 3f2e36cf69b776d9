//! Labels and headers in the team's language (`lang = "zh"` or `--lang zh`); English is the key.

use crate::model::config::{Config, Lang};

const ZH: &[(&str, &str)] = &[
    ("Customer", "客户"),
    ("Owner", "负责人"),
    ("Stage", "阶段"),
    ("Status", "状态"),
    ("Priority", "优先级"),
    ("Due", "到期"),
    ("Overdue", "逾期"),
    ("Why", "原因"),
    ("Next action", "下一步"),
    ("Next due", "下一步截止"),
    ("Last contact", "上次联系"),
    ("Industry", "行业"),
    ("Tags", "标签"),
    ("File", "文件"),
    ("Contact", "联系人"),
    ("Open items", "待办事项"),
    ("Recent entries", "最近记录"),
    ("Profile", "客户档案"),
    ("Plan", "跟进计划"),
    ("Deal", "商机"),
    ("Decision chain", "决策链"),
    ("Other fields", "其他字段"),
    ("Nothing is due.", "今天没有需要跟进的客户。"),
    ("No customers match.", "没有符合条件的客户。"),
    (
        "No customers yet; add one with `followup new \"Name\"`.",
        "还没有客户；用 `followup new \"客户名称\"` 新建一个。",
    ),
    ("high", "高"),
    ("medium", "中"),
    ("low", "低"),
    ("active", "推进中"),
    ("paused", "暂缓"),
    ("won", "已成交"),
    ("lost", "丢单"),
    ("today", "今天"),
    ("Entries", "记录数"),
    ("Touched", "跟进客户"),
    ("Reached", "接通"),
    ("Unanswered", "未接通"),
    ("Reach rate", "接通率"),
    ("Conversion", "转化率"),
    ("Won", "成交"),
    ("Won amount", "成交金额"),
    ("Avg cycle", "平均周期"),
    ("Median cycle", "周期中位数"),
    ("Lost", "丢单"),
    ("Win rate", "赢单率"),
    ("Period", "周期"),
    ("Total", "合计"),
    ("Objections", "异议"),
    ("Channels", "渠道"),
    ("Count", "次数"),
    ("Share", "占比"),
    ("Unanswered streaks", "连续未接通"),
    ("Stale customers", "沉睡客户"),
    ("Stale", "沉睡"),
    ("Overdue today", "今日逾期"),
    ("Channel", "渠道"),
    ("days", "天"),
    ("Customers", "客户数"),
    ("Amount", "金额"),
    ("Probability", "赢率"),
    ("Weighted", "加权金额"),
    ("Month", "月份"),
    ("Past due", "已过预计成交日"),
    ("Past-due closes", "已过预计成交日的商机"),
    ("No close date", "未填预计成交日"),
    ("Entered", "进入"),
    ("Advanced", "推进"),
    ("Median days", "停留天数中位数"),
    ("By owner", "按负责人"),
    ("New customers", "新客户"),
    ("Promises due", "到期承诺"),
    ("Promises kept", "按时兑现"),
    ("Promise kept rate", "承诺兑现率"),
    ("Overdue promises", "逾期承诺"),
    ("Overdue assists", "逾期协助"),
    ("Lost reasons", "丢单原因"),
    ("Broken promises", "未按时兑现的承诺"),
    ("Reason", "原因"),
];

/// The label in the given language (the English text when no translation is known).
pub fn t(lang: Lang, en: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Zh => ZH.iter().find(|(k, _)| *k == en).map_or(en, |(_, zh)| zh),
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

/// A channel as shown: `phone`, or 电话 in Chinese.
pub fn channel(lang: Lang, key: &str) -> String {
    match lang {
        Lang::Zh => crate::model::config::CHANNEL_ALIASES
            .iter()
            .find(|(_, en)| *en == key)
            .map_or_else(|| key.to_string(), |(zh, _)| (*zh).to_string()),
        Lang::En => key.to_string(),
    }
}

/// The stage as shown to people: the key, or its label in Chinese.
pub fn stage_label(stage: Option<&str>, config: &Config, lang: Lang) -> String {
    match (stage, lang) {
        (None, _) => "?".into(),
        (Some(s), Lang::Zh) => config
            .stage(s)
            .map_or_else(|| s.to_string(), |d| d.label.clone()),
        (Some(s), Lang::En) => s.to_string(),
    }
}
