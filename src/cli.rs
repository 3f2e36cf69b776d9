//! The command line as clap types: one Args struct per subcommand; doc comments are the help.
//! Nothing below the command layer sees these types.
//!
//! Every option and argument has a one-line description (a test walks the tree); enumerated
//! values are listed in the help. Options act where they are offered: the output format
//! (`--format`, with `--json`/`--csv` as its aliases) and `--reveal` belong to the commands that
//! print data. The global spellings of docs/commands.md still work in the global position —
//! `followup --json due`, `followup --reveal list` — so scripts keep running; `-C`, `--today`,
//! `--color`, `--lang` and `--no-input` are global and listed apart under "Global options".

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Follow up with customers in plain text: one Markdown file per customer, shared through git.
#[derive(Debug, Parser)]
#[command(
    name = "followup",
    version,
    propagate_version = true,
    max_term_width = 100
)]
#[command(
    after_help = "Every morning:  followup due\nAfter a call:   followup log acme -m \"Discussed the trial\" --next \"Send the quote\" --due fri\nBefore commit:  followup check"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Run in this sales folder (else $FOLLOWUP_DIR, else the nearest folder above with followup.toml), e.g. -C ~/sales
    #[arg(
        short = 'C',
        long = "dir",
        global = true,
        value_name = "DIR",
        env = "FOLLOWUP_DIR"
    )]
    pub dir: Option<PathBuf>,
    /// Use this date as today for every date computation, e.g. --today 2026-11-26
    #[arg(long, global = true, value_name = "YYYY-MM-DD", env = "FOLLOWUP_TODAY")]
    pub today: Option<String>,
    /// Print data as JSON (the same as the command's --json; kept here for scripts: followup --json due)
    #[arg(long)]
    pub json: bool,
    /// When to use colours (NO_COLOR is honoured)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Show confidential fields unmasked (the same as the command's --reveal; kept here for scripts)
    #[arg(long)]
    pub reveal: bool,
    /// Language of labels and messages: en or zh (中文); overrides followup.toml's `lang`
    #[arg(long, global = true, value_name = "en|zh")]
    pub lang: Option<String>,
    /// Never prompt or open an editor, even at a terminal
    #[arg(long, global = true)]
    pub no_input: bool,
}

/// The output of a command that prints data as a table, JSON or CSV.
#[derive(Debug, Args)]
pub struct TableJsonCsv {
    /// Output format: table (for people), json, or csv (UTF-8 with BOM, opens in Excel)
    #[arg(long, value_name = "table|json|csv", value_parser = ["table", "json", "csv"])]
    pub format: Option<String>,
    /// Print JSON: the same as --format json
    #[arg(long)]
    pub json: bool,
    /// Write CSV (UTF-8 with BOM, opens in Excel): the same as --format csv
    #[arg(long)]
    pub csv: bool,
}

/// The output of a command that prints a table (or text) or JSON.
#[derive(Debug, Args)]
pub struct TableJson {
    /// Output format: table (for people) or json
    #[arg(long, value_name = "table|json", value_parser = ["table", "json"])]
    pub format: Option<String>,
    /// Print JSON: the same as --format json
    #[arg(long)]
    pub json: bool,
}

/// `--reveal` on a command that shows confidential values.
#[derive(Debug, Args)]
pub struct Reveal {
    /// Show confidential fields (phone, email, wechat, keys in `confidential`) instead of masking them
    #[arg(long)]
    pub reveal: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colours when printing to a terminal and NO_COLOR is not set
    Auto,
    /// Always colours
    Always,
    /// Never colours
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a sales folder: followup.toml, customers/, .gitattributes for the merge driver
    #[command(after_help = "Example:\n  followup init sales --lang zh")]
    Init(InitArgs),
    /// Create a customer file
    #[command(
        after_help = "Example:\n  followup new \"Acme Manufacturing\" --industry Manufacturing --owner li.wei --contact \"Wang Fang\"\n  followup new 华东机械 --stage 潜在 --set contact.phone=\"+86 138 0000 0000\""
    )]
    New(NewArgs),
    /// Append a follow-up entry (call, visit, email, chat) to a customer's log
    #[command(
        after_help = "Example:\n  followup log acme -m \"Walked through the proposal\" --channel phone --objection \"price:offered instalments\" --next \"Send the contract\" --due fri"
    )]
    Log(LogArgs),
    /// Who must be contacted today (or within DUR), most urgent first, and why
    #[command(after_help = "Example:\n  followup due --owner li.wei --within 3d")]
    Due(DueArgs),
    /// Day by day what falls due (next actions, promises, assists, cadence), overdue first
    #[command(
        after_help = "Example:\n  followup agenda --week --owner li.wei\n  followup agenda --days 14 --json"
    )]
    Agenda(AgendaArgs),
    /// The folder in another format: a calendar for phones (ics), a database for BI (sqlite),
    /// the template's two tables for Excel (csv)
    #[command(subcommand)]
    Export(ExportCommand),
    /// Move a team off its spreadsheet: import the template's customer profiles and follow-up
    /// records (.xlsx, .xls, .ods, .csv)
    #[command(
        after_help = "Profiles (客户名称, 行业, 联系人, 电话, 阶段, 负责人 …) and records (日期, 客户, 跟进方式, 沟通内容,\n反馈, 异议, 下一步, 截止日期 …) are recognised by their Chinese or English headers; other sheets\nby a rules file (docs/import.md). Existing customers only gain missing keys; an entry already\nthere is skipped, so a second import changes nothing. Exit status: 0 imported, 1 some rows\nrefused (the others imported), 2 an error.\nExample:\n  followup import 销售跟进.xlsx --dry-run\n  followup import 客户档案.csv 跟进记录.csv\n  followup import old.xlsx --sheet 2024 --rules import-rules.toml"
    )]
    Import(ImportArgs),
    /// Post one digest per owner of what is due to a chat robot (DingTalk, WeCom, Feishu, Slack)
    #[command(
        after_help = "The webhook URL holds a token: pass it with --to-env VAR or FOLLOWUP_WEBHOOK rather than --to in\nshared scripts; it is never printed. DingTalk and Feishu signing secret: FOLLOWUP_WEBHOOK_SECRET\n(or --secret-env VAR). Mentions: [notify.mentions] in followup.toml. See docs/notify.md.\nExample:\n  export FOLLOWUP_WEBHOOK='https://oapi.dingtalk.com/robot/send?access_token=…'\n  followup notify --dry-run\n  followup notify --format wecom --owner li.wei"
    )]
    Notify(NotifyArgs),
    /// The customers as a table
    #[command(
        after_help = "Example:\n  followup list --stage intent --priority high\n  followup list --csv > customers.csv"
    )]
    List(ListArgs),
    /// A customer's profile, plan, open items and recent entries
    #[command(after_help = "Example:\n  followup show acme")]
    Show(ShowArgs),
    /// Change front-matter fields (format-preserving) and record the change in the log
    #[command(
        after_help = "Example:\n  followup set acme priority=high next.due=+3d deal.amount=650000\n  followup set acme paused_until=   (an empty value removes the key)"
    )]
    Set(SetArgs),
    /// Tick an open promise or assist
    #[command(after_help = "Example:\n  followup done acme \"trial agreement\"")]
    Done(DoneArgs),
    /// Validate customer files like a compiler: required fields, known values, dates
    #[command(
        after_help = "Exit status: 0 clean, 1 errors (or warnings with --deny-warnings), 2 usage or I/O error.\nExample:\n  followup check --deny-warnings"
    )]
    Check(CheckArgs),
    /// Share your changes with the team in one step: commit the folder, pull, check, push
    #[command(
        after_help = "What it does: commits the customer files and the folder's settings (never other files, never\nfollowup.private.toml) with a message that says what changed, pulls (the merge driver keeps\neveryone's entries), checks the files the pull brought, pushes. Never force-pushes.\nExit status: 0 done (or committed locally, push pending when offline), 1 a conflict to settle,\n2 an error. See docs/git.md.\nExample:\n  followup sync\n  followup sync -m \"Quarterly review notes\""
    )]
    Sync(SyncArgs),
    /// The review (复盘): reach, conversion, cycle, objections, promises kept, lost reasons, streaks, stale customers
    #[command(
        after_help = "Without --since the review is this period beside the one before, with the change.\nExample:\n  followup stats --period week                     (this week beside last week)\n  followup stats --period month --last 6           (six months and a total)\n  followup stats --since 2026-09-01 --until 2026-11-30\n  followup stats --period week --by owner\n  followup stats --period week --format markdown   (the review to paste into a chat or a wiki)\n  followup stats --explain won                     (the entry behind each win)"
    )]
    Stats(StatsArgs),
    /// The pipeline and forecast: per stage the customers, amount and weighted amount; the open
    /// deals by expected close month; the funnel with conversion and days in stage
    #[command(
        after_help = "Stage probabilities and the won stage come from followup.toml ([stages], see docs/pipeline.md).\nExample:\n  followup pipeline\n  followup pipeline --by owner\n  followup pipeline --explain weighted:intent"
    )]
    Pipeline(PipelineArgs),
    /// The review as a web page: headline figures, trends, funnel, objections, owners, due board,
    /// pipeline — one self-contained index.html with charts, for a screen or for print
    #[command(
        after_help = "The page needs nothing from the network (inline CSS and SVG, no script); every figure is the\nsame as `stats --json` and `pipeline --json` for the same window (listed at the page's foot).\nPublishing it with GitHub or GitLab Pages: see docs/report.md.\nExample:\n  followup report                          (report/index.html in the sales folder)\n  followup report --period week --out public"
    )]
    Report(ReportArgs),
    /// Shell completions: bash, zsh, fish, powershell or elvish
    #[command(
        after_help = "Install, e.g.:\n  followup completions bash > ~/.local/share/bash-completion/completions/followup\n  followup completions zsh > ~/.zfunc/_followup\n  followup completions fish > ~/.config/fish/completions/followup.fish"
    )]
    Completions(CompletionsArgs),
    /// Print the man page (roff)
    #[command(after_help = "Install, e.g.:\n  followup man > ~/.local/share/man/man1/followup.1")]
    Man,
    /// Git merge driver for customer files (set up by `followup init`)
    #[command(name = "merge-driver", hide = true)]
    MergeDriver(MergeArgs),
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to create (default: the current folder, or -C)
    #[arg(id = "init_dir", value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Keep confidential values (phone, email, wechat, …) in a git-ignored followup.private.toml,
    /// moving those already in customer files there
    #[arg(long)]
    pub private: bool,
    /// Install a git pre-commit hook that runs `followup check` on staged customer files
    #[arg(long)]
    pub hooks: bool,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The customer's name, e.g. "Acme Manufacturing" or 华东机械
    pub name: String,
    /// The customer's industry, e.g. --industry Manufacturing or --industry 机械制造
    #[arg(long, value_name = "TEXT")]
    pub industry: Option<String>,
    /// Sales owner (default: git user.name), e.g. --owner li.wei
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,
    /// Stage (default: the first in followup.toml): potential, intent, won, maintenance (潜在 意向 成交 维护)
    #[arg(long, value_name = "STAGE")]
    pub stage: Option<String>,
    /// Priority: high, medium or low (高 中 低)
    #[arg(long, value_name = "high|medium|low")]
    pub priority: Option<String>,
    /// Contact person's name, e.g. --contact "Wang Fang"
    #[arg(long, value_name = "NAME")]
    pub contact: Option<String>,
    /// Sub-folder of customers/ to create the file in, e.g. east
    #[arg(long, value_name = "FOLDER")]
    pub folder: Option<String>,
    /// Any other field, e.g. --set contact.title=Manager (repeatable)
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    #[command(flatten)]
    pub output: TableJson,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// The customer: file name, name, or a unique part of either, e.g. acme or 华东
    pub customer: String,
    /// What was discussed (repeat for paragraphs); without it, $EDITOR opens at a terminal
    #[arg(short = 'm', long = "message", value_name = "TEXT")]
    pub message: Vec<String>,
    /// How you reached them: phone, email, visit, wechat, meeting (电话 邮件 拜访 微信), or a channel from followup.toml
    #[arg(long, default_value = "phone", value_name = "CHANNEL")]
    pub channel: String,
    /// Date of the contact (default today): 2026-11-25, yesterday, -2d, 昨天, 前天
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub date: Option<String>,
    /// What came of it: reached, no-answer, voicemail, busy, declined (接通 未接 语音信箱 占线 拒接)
    #[arg(long, value_name = "OUTCOME")]
    pub outcome: Option<String>,
    /// What the customer said
    #[arg(long, value_name = "TEXT")]
    pub feedback: Vec<String>,
    /// An objection and how it was handled, e.g. "price:offered instalments" (价格 预算 时机 竞品 决策流程 功能 信任)
    #[arg(long, value_name = "CAT[:HOW]")]
    pub objection: Vec<String>,
    /// A commitment made to the customer; may end with "(due DATE)"
    #[arg(long, value_name = "TEXT")]
    pub promised: Vec<String>,
    /// The next action (also set in the front matter)
    #[arg(long, value_name = "TEXT")]
    pub next: Option<String>,
    /// Deadline of the next action: 2026-12-01, fri, 3d, +1w, 明天, 下周五, 本周五, 下个月
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub due: Option<String>,
    /// New stage, recorded as OLD -> NEW and set in the front matter: potential, intent, won, maintenance (潜在 意向 成交 维护)
    #[arg(long, value_name = "STAGE")]
    pub stage: Option<String>,
    /// New status: active, paused, won, lost (推进中 暂缓 已成交 丢单); won also moves the stage to the won stage
    #[arg(long, value_name = "STATUS")]
    pub status: Option<String>,
    /// Help asked of another role: WHO:TASK; may end with "(due DATE)"
    #[arg(long, value_name = "WHO:TASK")]
    pub assist: Vec<String>,
    /// Deal amount mentioned, e.g. 650000 (also sets deal.amount)
    #[arg(long, value_name = "NUMBER")]
    pub amount: Option<String>,
    /// Why, e.g. why a deal was lost (with --status lost); stats ranks the reasons
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// Author of the entry (default: git user.name, else the customer's owner)
    #[arg(long, value_name = "AUTHOR")]
    pub by: Option<String>,
    #[command(flatten)]
    pub output: TableJson,
}

#[derive(Debug, Args)]
pub struct DueArgs {
    /// Only this owner's customers, e.g. --owner li.wei
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,
    /// Also list what falls due within this span: 3d, 1w, 2b (business days)
    #[arg(long, value_name = "DUR")]
    pub within: Option<String>,
    #[command(flatten)]
    pub output: TableJsonCsv,
    #[command(flatten)]
    pub reveal: Reveal,
}

#[derive(Debug, Args)]
pub struct AgendaArgs {
    /// How many days to show, today included (default 7)
    #[arg(long, value_name = "N", conflicts_with = "week")]
    pub days: Option<u32>,
    /// Show the rest of this week, through Sunday
    #[arg(long)]
    pub week: bool,
    /// Only this owner's customers, e.g. --owner li.wei
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,
    #[command(flatten)]
    pub output: TableJson,
    #[command(flatten)]
    pub reveal: Reveal,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The spreadsheets: .xlsx, .xls, .ods or .csv (profile tables are read before record tables)
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Only this sheet of a workbook
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// How to read other sheets: column → key, value maps, date formats, default owner (docs/import.md)
    #[arg(long, value_name = "RULES.toml")]
    pub rules: Option<PathBuf>,
    /// Print the plan and what `check` will say of the result; write nothing
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub output: TableJson,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// An iCalendar (.ics) file: one all-day event per due item, for a phone's calendar
    #[command(
        after_help = "UIDs are stable: the same item (customer file, kind, text) keeps its UID when its date moves.\nContact details are masked unless --reveal.\nExample:\n  followup export ics --owner li.wei --out public/li.wei.ics"
    )]
    Ics(IcsArgs),
    /// A SQLite database for BI tools and SQL: customers, entries, fields, items, stage_changes,
    /// objections
    #[command(
        after_help = "Confidential values are masked unless --reveal. Schema and example queries: docs/export.md.\nExample:\n  followup export sqlite sales.db\n  sqlite3 sales.db \"SELECT owner, count(*) FROM customers GROUP BY owner\""
    )]
    Sqlite(SqliteArgs),
    /// The template's two tables as CSV for Excel (客户档案.csv, 跟进记录.csv); `followup import`
    /// reads them back
    #[command(
        after_help = "UTF-8 with a byte-order mark, formulas neutralised, confidential values masked unless --reveal\n(export with --reveal to import the files into another folder).\nExample:\n  followup export csv out/ --reveal\n  followup -C other import out/客户档案.csv out/跟进记录.csv"
    )]
    Csv(CsvArgs),
}

#[derive(Debug, Args)]
pub struct SqliteArgs {
    /// The database file to write (replaced if it exists)
    #[arg(value_name = "OUT.db")]
    pub out: PathBuf,
    #[command(flatten)]
    pub reveal: Reveal,
}

#[derive(Debug, Args)]
pub struct CsvArgs {
    /// The folder to write 客户档案.csv and 跟进记录.csv into (created if needed)
    #[arg(id = "csv_dir", value_name = "DIR")]
    pub dir: PathBuf,
    #[command(flatten)]
    pub reveal: Reveal,
}

#[derive(Debug, Args)]
pub struct IcsArgs {
    /// Only this owner's customers, e.g. --owner li.wei
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,
    /// Include what falls due within this many days from today (overdue items always)
    #[arg(long, value_name = "N", default_value_t = 30)]
    pub days: u32,
    /// Write the calendar to this file instead of stdout
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub reveal: Reveal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChatFormat {
    /// DingTalk (钉钉) custom robot, markdown message
    Dingtalk,
    /// WeCom (企业微信) group robot, markdown message
    Wecom,
    /// Feishu (飞书) custom bot, interactive card
    Feishu,
    /// Slack incoming webhook, blocks with mrkdwn
    Slack,
    /// The digest as Markdown text (Content-Type text/markdown)
    Markdown,
}

#[derive(Debug, Args)]
pub struct NotifyArgs {
    /// The robot's webhook URL (else --to-env, else $FOLLOWUP_WEBHOOK); never printed
    #[arg(long, value_name = "URL")]
    pub to: Option<String>,
    /// Read the webhook URL from this environment variable
    #[arg(long, value_name = "VAR", conflicts_with = "to")]
    pub to_env: Option<String>,
    /// Message format (default: from the URL's host, else followup.toml's notify.format, else markdown)
    #[arg(long, value_enum)]
    pub format: Option<ChatFormat>,
    /// Only this owner's digest, e.g. --owner li.wei
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,
    /// Read the DingTalk/Feishu signing secret from this variable (default FOLLOWUP_WEBHOOK_SECRET)
    #[arg(long, value_name = "VAR")]
    pub secret_env: Option<String>,
    /// Print the messages that would be sent and send nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only customers at this stage: potential, intent, won, maintenance (潜在 意向 成交 维护), or a stage from followup.toml
    #[arg(long, value_name = "STAGE")]
    pub stage: Option<String>,
    /// Only customers with this status: active, paused, won, lost (推进中 暂缓 已成交 丢单)
    #[arg(long, value_name = "STATUS")]
    pub status: Option<String>,
    /// Only customers with this priority: high, medium, low (高 中 低)
    #[arg(long, value_name = "high|medium|low")]
    pub priority: Option<String>,
    /// Only this owner's customers, e.g. --owner li.wei
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,
    /// Only customers with this tag, e.g. --tag east
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,
    #[command(flatten)]
    pub output: TableJsonCsv,
    #[command(flatten)]
    pub reveal: Reveal,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The customer: file name, name, or a unique part of either, e.g. acme or 华东
    pub customer: String,
    /// How many recent entries to show
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub entries: usize,
    #[command(flatten)]
    pub output: TableJson,
    #[command(flatten)]
    pub reveal: Reveal,
}

#[derive(Debug, Args)]
pub struct SetArgs {
    /// The customer: file name, name, or a unique part of either, e.g. acme or 华东
    pub customer: String,
    /// KEY=VALUE pairs; dotted keys reach tables (next.due=fri); an empty VALUE removes the key
    #[arg(required = true, value_name = "KEY=VALUE")]
    pub pairs: Vec<String>,
    /// Author of the log entry that records the change
    #[arg(long, value_name = "AUTHOR")]
    pub by: Option<String>,
    #[command(flatten)]
    pub output: TableJson,
    #[command(flatten)]
    pub reveal: Reveal,
}

#[derive(Debug, Args)]
pub struct DoneArgs {
    /// The customer: file name, name, or a unique part of either, e.g. acme or 华东
    pub customer: String,
    /// Part of the open item's text (not needed when only one item is open)
    pub text: Option<String>,
    #[command(flatten)]
    pub output: TableJson,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or folders to check (default: every customer file), e.g. customers/east
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Exit 1 on warnings too
    #[arg(long)]
    pub deny_warnings: bool,
    #[command(flatten)]
    pub output: TableJson,
    #[command(flatten)]
    pub reveal: Reveal,
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// The commit message (default: what changed, e.g. "log: Acme phone; set: Beta priority")
    #[arg(short = 'm', long = "message", value_name = "TEXT")]
    pub message: Option<String>,
    #[command(flatten)]
    pub output: TableJson,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Period {
    /// Calendar weeks, Monday to Sunday (ISO weeks: 2026-W48)
    Week,
    /// Calendar months
    Month,
    /// Calendar quarters
    Quarter,
    /// Everything in one column
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatsBy {
    /// One column per owner (calls count for who logged them, wins for the customer's owner)
    Owner,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatsFormat {
    /// Aligned tables for the terminal
    Table,
    /// The data as JSON (same as --json)
    Json,
    /// One row per period and a total (same as --csv)
    Csv,
    /// The review of the last period as a Markdown report, to paste into a chat or a wiki
    Markdown,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// The review's period: this week (or month, quarter) beside the one before; all: everything in one column
    #[arg(long, value_enum, default_value_t = Period::Month)]
    pub period: Period,
    /// How many periods to show, the current one last (default 2: this one and the one before), e.g. --last 8
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=520))]
    pub last: Option<u32>,
    /// First day of an explicit range, one column per period in it, e.g. --since 2026-09-01 or --since -4w
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub since: Option<String>,
    /// Last day of the range (default: today), e.g. --until 2026-11-30
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub until: Option<String>,
    /// Only this owner's customers, e.g. --owner li.wei
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,
    /// One column per owner instead of per period (over the range; by default this period)
    #[arg(long, value_enum)]
    pub by: Option<StatsBy>,
    /// Write CSV (UTF-8 with BOM, opens in Excel; rates in percent): the same as --format csv
    #[arg(long)]
    pub csv: bool,
    /// Print JSON: the same as --format json
    #[arg(long)]
    pub json: bool,
    /// Output format: table, json, csv, or markdown (the review to paste into a chat or a wiki)
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<StatsFormat>,
    /// List the files and lines behind a number of the range: METRIC or METRIC:GROUP, e.g. won, objections:price
    #[arg(long, value_name = "METRIC")]
    pub explain: Option<String>,
    #[command(flatten)]
    pub reveal: Reveal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PipelineBy {
    /// One row per owner
    Owner,
    /// The forecast's months split by stage
    Month,
}

#[derive(Debug, Args)]
pub struct PipelineArgs {
    /// Only this owner's customers, e.g. --owner li.wei
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,
    /// Break down by owner, or split the forecast's months by stage
    #[arg(long, value_enum)]
    pub by: Option<PipelineBy>,
    /// First day of the funnel's window (default: 6 months back, counting this one), e.g. --since 2026-06-01
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub since: Option<String>,
    /// Last day of the funnel's window (default: today), e.g. --until 2026-11-30
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub until: Option<String>,
    /// List the files and lines behind a number: METRIC or METRIC:GROUP (a stage or a month), e.g. weighted, entered:intent
    #[arg(long, value_name = "METRIC")]
    pub explain: Option<String>,
    #[command(flatten)]
    pub output: TableJsonCsv,
    #[command(flatten)]
    pub reveal: Reveal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportPeriod {
    /// Calendar weeks, Monday to Sunday; this week reviewed against the last
    Week,
    /// Calendar months; this month reviewed against the last
    Month,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Length of each period of the trends; the last one is reviewed against the one before it
    #[arg(long, value_enum, default_value_t = ReportPeriod::Month)]
    pub period: ReportPeriod,
    /// First day of the trends and the funnel (default: 8 weeks or 6 months back, counting this one), e.g. --since 2026-06-01
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub since: Option<String>,
    /// Last day of the trends and the funnel (default: today)
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub until: Option<String>,
    /// Folder to write index.html into (default: report/ in the sales folder)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Link customers to URL + their path in the folder (a repository's web view) instead of a relative path
    #[arg(long, value_name = "URL")]
    pub link_base: Option<String>,
    #[command(flatten)]
    pub output: TableJson,
    #[command(flatten)]
    pub reveal: Reveal,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to write completions for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `followup merge-driver %O %A %B %P --base-label %S --ours-label %X --theirs-label %Y`: git
/// substitutes the placeholders (git before 2.44 leaves the label ones as they are).
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The common ancestor's version (git's %O)
    pub base: PathBuf,
    /// Our version, where the result is written (git's %A)
    pub ours: PathBuf,
    /// Their version (git's %B)
    pub theirs: PathBuf,
    /// The file's path in the repository (git's %P)
    pub path: Option<String>,
    /// The merge base's name (git's %S)
    #[arg(long, value_name = "NAME", allow_hyphen_values = true)]
    pub base_label: Option<String>,
    /// Our side's name (git's %X): HEAD, a branch, a commit
    #[arg(long, value_name = "NAME", allow_hyphen_values = true)]
    pub ours_label: Option<String>,
    /// Their side's name (git's %Y)
    #[arg(long, value_name = "NAME", allow_hyphen_values = true)]
    pub theirs_label: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// Every command, option and argument in every `--help` says what it is for in one line.
    #[test]
    fn every_option_and_argument_has_a_description() {
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            let path = format!("{path} {}", cmd.get_name()).trim().to_string();
            if cmd.get_about().is_none() && path != "followup" {
                missing.push(format!("{path}: the command"));
            }
            for arg in cmd.get_arguments() {
                let id = arg.get_id().as_str();
                if matches!(id, "help" | "version") {
                    continue;
                }
                let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
                if help.trim().is_empty() {
                    missing.push(format!("{path}: {id}"));
                }
                if help.contains('\n') {
                    missing.push(format!("{path}: {id} has more than one line"));
                }
                let takes_value = arg.get_action().takes_values();
                for value in arg
                    .get_possible_values()
                    .into_iter()
                    .filter(|_| takes_value)
                {
                    if value.get_help().is_none() && !matches!(id, "shell" | "format") {
                        missing.push(format!("{path}: {id} value {}", value.get_name()));
                    }
                }
            }
            for sub in cmd.get_subcommands() {
                walk(sub, &path, missing);
            }
        }
        let mut missing = Vec::new();
        walk(&Cli::command(), "", &mut missing);
        assert!(missing.is_empty(), "no description: {missing:#?}");
    }

    /// Output options are offered where they act; the global spellings stay for scripts.
    #[test]
    fn options_only_where_they_act() {
        let mut cli = Cli::command();
        cli.build();
        let sub = |name: &str| cli.find_subcommand(name).unwrap().clone();
        let has = |cmd: &clap::Command, id: &str| cmd.get_arguments().any(|a| a.get_id() == id);
        for data in ["due", "list", "pipeline"] {
            for id in ["format", "json", "csv", "reveal"] {
                assert!(has(&sub(data), id), "{data} --{id}");
            }
        }
        for name in ["init", "completions", "man"] {
            for id in ["json", "csv", "reveal", "format"] {
                assert!(!has(&sub(name), id), "{name} offers --{id}");
            }
        }
        assert!(!has(&sub("log"), "reveal") && !has(&sub("log"), "csv"));
        // The global position still parses.
        for args in [
            &["followup", "--json", "due"][..],
            &["followup", "--reveal", "list"],
            &["followup", "due", "--json"],
            &[
                "followup",
                "-C",
                "x",
                "--today",
                "2026-11-26",
                "--lang",
                "zh",
                "--color",
                "never",
                "due",
            ],
            &["followup", "due", "--lang", "zh"],
        ] {
            assert!(Cli::try_parse_from(args).is_ok(), "{args:?}");
        }
        let help = sub("due").render_help().to_string();
        assert!(help.contains("--lang <en|zh>"), "{help}");
        assert!(help.contains("Global options"), "{help}");
        assert!(help.contains("--format <table|json|csv>"), "{help}");
    }
}
