//! Realistic synthetic sales folders for the benchmark (`examples/gen.rs`) and the tests that
//! compare the fast and the straightforward reading paths: the same arguments give the same bytes.

use crate::io::files::{create_dir_all, write_plain};
use crate::model::config::{DEFAULT_CHANNELS, DEFAULT_OBJECTIONS};
use std::fmt::Write as _;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*: small, fast and good enough for test data.
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const CITIES: [&str; 12] = [
    "华东", "苏州", "杭州", "深圳", "广州", "宁波", "无锡", "厦门", "南宁", "天津", "青岛", "成都",
];
const ZH_TRADES: [&str; 8] = [
    "精密机械",
    "电子科技",
    "物流",
    "食品",
    "纺织",
    "化工",
    "医疗器械",
    "家具",
];
const EN_WORDS: [&str; 12] = [
    "Acme",
    "Blue River",
    "Pearl Bay",
    "Golden Gate",
    "Summit",
    "Harbor",
    "Evergreen",
    "Redwood",
    "Silver Line",
    "North Star",
    "Lotus",
    "Orchid",
];
const EN_TRADES: [&str; 8] = [
    "Manufacturing",
    "Logistics",
    "Foods",
    "Textiles",
    "Chemicals",
    "MedTech",
    "Solar",
    "Electronics",
];
const OWNERS: [&str; 6] = [
    "li.wei",
    "zhang.min",
    "chen.hao",
    "wang.fang",
    "liu.yang",
    "zhao.lei",
];
const STAGES: [&str; 4] = ["potential", "intent", "won", "maintenance"];
const TEXTS: [&str; 6] = [
    "Walked through the proposal and the rollout plan.",
    "They asked for references in their industry.",
    "讨论了实施周期和培训安排。",
    "客户对价格比较敏感，需要内部再讨论。",
    "Demo of the dashboard; the plant manager joined.",
    "Followed up on the open questions from the last call.",
];

fn date(days_from_epoch: i64) -> String {
    // Civil-from-days (Howard Hinnant), to stay free of dependencies.
    let z = days_from_epoch + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

fn days(iso: &str) -> Option<i64> {
    let p: Vec<i64> = iso
        .split('-')
        .map(|x| x.parse().ok())
        .collect::<Option<_>>()?;
    if p.len() != 3 {
        return None;
    }
    let (y, m, d) = (p[0] - i64::from(p[1] <= 2), p[1], p[2]);
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

fn customer(rng: &mut Rng, i: usize, entries: usize, today: i64) -> (String, String) {
    let chinese = rng.chance(50);
    let name = if chinese {
        format!("{}{}{}号", rng.pick(&CITIES), rng.pick(&ZH_TRADES), i)
    } else {
        format!("{} {} {i}", rng.pick(&EN_WORDS), rng.pick(&EN_TRADES))
    };
    let stem = if chinese {
        format!(
            "{}-{i}",
            name.trim_end_matches(|c: char| c.is_ascii_digit() || c == '号')
        )
    } else {
        name.to_lowercase().replace(' ', "-")
    };
    let stage_idx = rng.below(4);
    let status = match (stage_idx, rng.below(10)) {
        (2 | 3, _) => "won",
        (_, 0) => "lost",
        (_, 1) => "paused",
        _ => "active",
    };
    let span = 20 + rng.below(700) as i64;
    let created = today - span;
    let mut out = String::with_capacity(4096);
    let _ = write!(
        out,
        "+++\nname = \"{name}\"\nindustry = \"{}\"\nowner = \"{}\"\nstage = \"{}\"\nstatus = \"{status}\"\npriority = \"{}\"\ncreated = {}\ntags = [\"{}\"]\n",
        rng.pick(&EN_TRADES),
        rng.pick(&OWNERS),
        STAGES[stage_idx],
        rng.pick(&["high", "medium", "low"]),
        date(created),
        rng.pick(&["east", "south", "north", "west"]),
    );
    if status == "paused" {
        let _ = writeln!(
            out,
            "paused_until = {}",
            date(today + rng.below(40) as i64 - 10)
        );
    }
    let _ = write!(
        out,
        "\n[contact]\nname = \"Contact {i}\"\ntitle = \"Manager\"\nphone = \"+86 138 {:04} {:04}\"\n",
        rng.below(10_000),
        i % 10_000
    );
    if rng.chance(70) {
        let _ = write!(
            out,
            "\n[next]\naction = \"Send the revised quote #{i}\"\ndue = {}\n",
            date(today + rng.below(30) as i64 - 15)
        );
    }
    let _ = write!(
        out,
        "\n[deal]\namount = {}\ncurrency = \"CNY\"\nobstacle = \"internal review\"\n+++\n\n# {name}\n\nNotes kept by the team.\n",
        50_000 + rng.below(200) * 5_000
    );
    let step = (span / entries.max(1) as i64).max(1);
    let mut day = created;
    let mut stage_written = 0;
    for e in 0..entries {
        day = (day + 1 + rng.below(step as usize) as i64).min(today);
        let _ = write!(
            out,
            "\n## {} {} @{}\n\n",
            date(day),
            rng.pick(&DEFAULT_CHANNELS),
            rng.pick(&OWNERS)
        );
        if rng.chance(20) {
            out.push_str(rng.pick(&[
                "- outcome: no-answer\n",
                "- outcome: voicemail\n",
                "- outcome: busy\n",
            ]));
            continue;
        }
        let _ = writeln!(out, "{}\n", rng.pick(&TEXTS));
        let _ = writeln!(out, "- feedback: interested in phase {}", 1 + rng.below(3));
        if rng.chance(35) {
            let _ = writeln!(
                out,
                "- objection: {} — handled with a reference case",
                rng.pick(&DEFAULT_OBJECTIONS)
            );
        }
        if rng.chance(15) {
            let done = if rng.chance(60) { "x" } else { " " };
            let _ = writeln!(
                out,
                "- [{done}] promised: send the material #{e} (due {})",
                date(day + 3)
            );
        }
        if stage_written < stage_idx && rng.chance(20) {
            let _ = writeln!(
                out,
                "- stage: {} -> {}",
                STAGES[stage_written],
                STAGES[stage_written + 1]
            );
            stage_written += 1;
        }
    }
    (stem, out)
}

/// Writes `customers` customer files with about `entries` entries each into `dir` (with an
/// empty followup.toml), spread over the folders east, south, north and west.
pub fn generate(
    dir: &std::path::Path,
    customers: usize,
    entries: usize,
    seed: u64,
    today: &str,
) -> std::io::Result<()> {
    let today = days(today).ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("`{today}` is not YYYY-MM-DD"),
        )
    })?;
    create_dir_all(&dir.join("customers"))?;
    write_plain(&dir.join("followup.toml"), b"")?;
    let mut rng = Rng(seed.max(1).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    for i in 0..customers {
        let region = rng.pick(&["east", "south", "north", "west"]);
        let (stem, text) = customer(&mut rng, i, entries, today);
        let folder = dir.join("customers").join(region);
        create_dir_all(&folder)?;
        write_plain(&folder.join(format!("{stem}.md")), text.as_bytes())?;
    }
    Ok(())
}
