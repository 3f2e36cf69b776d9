//! What each known front-matter key holds, and turning `KEY=VALUE` text typed by a user into a
//! checked TOML value — so `set`, `new --set` and `log` never write a value `check` rejects.

use crate::model::config::Config;
use crate::model::customer::{Priority, Status};
use crate::model::dates::{Duration, parse_date_arg};
use crate::model::edit::{Change, date_value};
use crate::msg::{Text, m};
use chrono::NaiveDate;
use toml_edit::Value;

const DATE_KEYS: [&str; 4] = ["created", "paused_until", "next.due", "deal.expected_close"];
const NUMBER_KEYS: [&str; 2] = ["deal.amount", "size.employees"];
const LIST_KEYS: [&str; 2] = ["tags", "pain_points"];

/// Checks a stage value against the team's stages; returns it as the user wrote it.
pub fn check_stage(raw: &str, config: &Config) -> Result<String, Text> {
    config
        .stage_key(raw)
        .map(|_| raw.trim().to_string())
        .ok_or_else(|| {
            m::MESSAGE_HINT
                .with_text("message", m::D_UNKNOWN_STAGE.with("value", raw))
                .with_text("hint", m::H_USE_ONE_OF.with("values", config.stage_list()))
        })
}

pub fn check_status(raw: &str) -> Result<String, Text> {
    Status::parse(raw)
        .map(|_| raw.trim().to_string())
        .ok_or_else(|| {
            m::MESSAGE_HINT
                .with_text("message", m::D_UNKNOWN_STATUS.with("value", raw))
                .with_text("hint", m::H_STATUSES)
        })
}

pub fn check_priority(raw: &str) -> Result<String, Text> {
    Priority::parse(raw)
        .map(|_| raw.trim().to_string())
        .ok_or_else(|| {
            m::MESSAGE_HINT
                .with_text("message", m::D_UNKNOWN_PRIORITY.with("value", raw))
                .with_text("hint", m::H_PRIORITIES)
        })
}

/// The `stage` / `status` field value for a change: `OLD -> NEW`, or just `NEW` when the old
/// value was missing or not a known one (so the log never repeats an invalid value).
pub fn change_text(key: &str, old: Option<&str>, new: &str, config: &Config) -> String {
    let known = |v: &str| match key {
        "stage" => config.stage_key(v).is_some(),
        _ => Status::parse(v).is_some(),
    };
    match old {
        Some(o) if known(o) => format!("{o} -> {new}"),
        _ => new.to_string(),
    }
}

/// Checks that a dotted key is a plain key path (`next.due`, `contact.phone`).
fn check_key(key: &str) -> Result<(), Text> {
    let ok = !key.is_empty()
        && key.split('.').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        });
    if ok {
        Ok(())
    } else {
        Err(m::E_NOT_A_FIELD_NAME.with("key", key))
    }
}

/// Turns `KEY=VALUE` into a change; an empty VALUE removes the key (not a required one).
pub fn parse_assignment(pair: &str, config: &Config, today: NaiveDate) -> Result<Change, Text> {
    let (key, value) = pair
        .split_once('=')
        .ok_or_else(|| m::E_NOT_KEY_VALUE.with("pair", pair))?;
    let key = key.trim();
    check_key(key)?;
    let value = value.trim();
    if value.is_empty() {
        if config.rules.required.iter().any(|r| r == key) {
            return Err(m::E_REQUIRED_KEY.with("key", key));
        }
        return Ok(Change::Remove(key.to_string()));
    }
    // An error never repeats a confidential value (it may end up in a shared terminal or log).
    let typed = typed_value(key, value, config, today).map_err(|e| {
        if config.touches(key) {
            e.hiding(value)
        } else {
            e
        }
    })?;
    Ok(Change::Set(key.to_string(), typed))
}

/// The TOML value for a known key, checked; unknown keys take TOML literals, else strings.
pub fn typed_value(
    key: &str,
    value: &str,
    config: &Config,
    today: NaiveDate,
) -> Result<Value, Text> {
    let v = match key {
        "stage" => Value::from(check_stage(value, config)?),
        "status" => Value::from(check_status(value)?),
        "priority" => Value::from(check_priority(value)?),
        "cadence" => {
            Duration::parse(value)?;
            Value::from(value)
        }
        "decision_chain" => {
            return Err(m::E_CHAIN_IN_FILE.into());
        }
        k if DATE_KEYS.contains(&k) => date_value(parse_date_arg(value, today)?),
        k if NUMBER_KEYS.contains(&k) => {
            number(value).ok_or_else(|| m::E_NOT_A_NUMBER.with("key", k))?
        }
        k if LIST_KEYS.contains(&k) => {
            if value.starts_with('[') {
                value
                    .parse::<Value>()
                    .map_err(|_| m::E_NOT_A_TOML_LIST.with("key", k).with("value", value))?
            } else {
                Value::from_iter(
                    value
                        .split([',', '，'])
                        .map(str::trim)
                        .filter(|s| !s.is_empty()),
                )
            }
        }
        k if is_text_key(k) => Value::from(value),
        _ => literal(value).unwrap_or_else(|| Value::from(value)),
    };
    Ok(v)
}

fn is_text_key(key: &str) -> bool {
    matches!(
        key,
        "name" | "industry" | "owner" | "budget" | "obstacle" | "size.revenue"
    ) || key.starts_with("contact.")
        || key.starts_with("next.")
        || key.starts_with("deal.")
}

fn number(text: &str) -> Option<Value> {
    let t: String = text.chars().filter(|c| *c != ',' && *c != '_').collect();
    if let Ok(i) = t.parse::<i64>() {
        return Some(Value::from(i));
    }
    t.parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .map(Value::from)
}

/// A bare TOML literal: number, boolean, date, list or inline table.
fn literal(text: &str) -> Option<Value> {
    let looks_literal = text.starts_with(['[', '{', '"'])
        || text == "true"
        || text == "false"
        || text.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+');
    if !looks_literal {
        return None;
    }
    text.parse::<Value>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(pair: &str) -> Result<String, Text> {
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        match parse_assignment(pair, &Config::default(), today)? {
            Change::Set(k, v) => Ok(format!("{k}={}", v.to_string().trim())),
            Change::Remove(k) => Ok(format!("-{k}")),
        }
    }

    #[test]
    fn known_keys_are_typed_and_checked() {
        assert_eq!(set("next.due=fri").unwrap(), "next.due=2026-11-27");
        assert_eq!(set("deal.amount=650,000").unwrap(), "deal.amount=650000");
        assert_eq!(set("stage=意向").unwrap(), "stage=\"意向\"");
        assert_eq!(set("tags=east, vip").unwrap(), "tags=[\"east\", \"vip\"]");
        assert_eq!(
            set("contact.phone=+86 138").unwrap(),
            "contact.phone=\"+86 138\""
        );
        assert_eq!(set("region=east").unwrap(), "region=\"east\"");
        assert_eq!(set("paused_until=").unwrap(), "-paused_until");
        assert!(set("stage=closed").is_err());
        assert!(set("name=").is_err());
        assert!(set("../x=1").is_err());
        assert!(set("priority").is_err());
    }
}
