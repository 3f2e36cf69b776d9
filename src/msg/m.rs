//! The catalogue: every message in English and Chinese, one line each. Keys are the constant
//! names; `{name}` is a placeholder, `{name|one|other}` a word chosen by the number `name`.
//! Add a message here, never a sentence in a command.

use super::Msg;

macro_rules! catalogue {
    ($($(#[$doc:meta])* $name:ident: $en:literal => $zh:literal;)*) => {
        $($(#[$doc])* pub const $name: Msg = Msg { key: stringify!($name), en: $en, zh: $zh };)*
        /// Every message, for the test that walks them.
        pub const ALL: &[Msg] = &[$($name),*];
    };
}

/// Messages whose Chinese keeps Latin words on purpose (commands, file names, codes).
#[cfg(test)]
pub const KEPT_AS_IS: &[&str] = &[];

catalogue! {
    // Table headers and labels.
    CUSTOMER: "Customer" => "客户";
    OWNER: "Owner" => "负责人";
    STAGE: "Stage" => "阶段";
    STATUS: "Status" => "状态";
    PRIORITY: "Priority" => "优先级";
    DUE: "Due" => "到期";
    OVERDUE: "Overdue" => "逾期";
    WHY: "Why" => "原因";
    NEXT_ACTION: "Next action" => "下一步";
    NEXT_DUE: "Next due" => "下一步截止";
    LAST_CONTACT: "Last contact" => "上次联系";
    INDUSTRY: "Industry" => "行业";
    TAGS: "Tags" => "标签";
    FILE: "File" => "文件";
    CONTACT: "Contact" => "联系人";
    OPEN_ITEMS: "Open items" => "待办事项";
    RECENT_ENTRIES: "Recent entries" => "最近记录";
    PROFILE: "Profile" => "客户档案";
    PLAN: "Plan" => "跟进计划";
    DEAL: "Deal" => "商机";
    DECISION_CHAIN: "Decision chain" => "决策链";
    OTHER_FIELDS: "Other fields" => "其他字段";
    NOTHING_DUE: "Nothing is due." => "今天没有需要跟进的客户。";
    NO_CUSTOMERS_MATCH: "No customers match." => "没有符合条件的客户。";
    NO_CUSTOMERS_YET: "No customers yet; add one with `followup new \"Name\"`." => "还没有客户；用 `followup new \"客户名称\"` 新建一个。";
    HIGH: "high" => "高";
    MEDIUM: "medium" => "中";
    LOW: "low" => "低";
    ACTIVE: "active" => "推进中";
    PAUSED: "paused" => "暂缓";
    STATUS_WON: "won" => "已成交";
    STATUS_LOST: "lost" => "丢单";
    TODAY: "today" => "今天";
    ENTRIES: "Entries" => "记录数";
    TOUCHED: "Touched" => "跟进客户";
    REACHED: "Reached" => "接通";
    UNANSWERED: "Unanswered" => "未接通";
    REACH_RATE: "Reach rate" => "接通率";
    CONVERSION: "Conversion" => "转化率";
    WON: "Won" => "成交";
    WON_AMOUNT: "Won amount" => "成交金额";
    AVG_CYCLE: "Avg cycle" => "平均周期";
    MEDIAN_CYCLE: "Median cycle" => "周期中位数";
    LOST: "Lost" => "丢单";
    WIN_RATE: "Win rate" => "赢单率";
    PERIOD: "Period" => "周期";
    TOTAL: "Total" => "合计";
    OBJECTIONS: "Objections" => "异议";
    CHANNELS: "Channels" => "渠道";
    COUNT: "Count" => "次数";
    SHARE: "Share" => "占比";
    UNANSWERED_STREAKS: "Unanswered streaks" => "连续未接通";
    STALE_CUSTOMERS: "Stale customers" => "沉睡客户";
    STALE: "Stale" => "沉睡";
    OVERDUE_TODAY: "Overdue today" => "今日逾期";
    CHANNEL: "Channel" => "渠道";
    DAYS: "days" => "天";
    CUSTOMERS: "Customers" => "客户数";
    AMOUNT: "Amount" => "金额";
    PROBABILITY: "Probability" => "赢率";
    WEIGHTED: "Weighted" => "加权金额";
    MONTH: "Month" => "月份";
    PAST_DUE: "Past due" => "已过预计成交日";
    PAST_DUE_CLOSES: "Past-due closes" => "已过预计成交日的商机";
    NO_CLOSE_DATE: "No close date" => "未填预计成交日";
    ENTERED: "Entered" => "进入";
    ADVANCED: "Advanced" => "推进";
    MEDIAN_DAYS: "Median days" => "停留天数中位数";
    BY_OWNER: "By owner" => "按负责人";
    NEW_CUSTOMERS: "New customers" => "新客户";
    PROMISES_DUE: "Promises due" => "到期承诺";
    PROMISES_KEPT: "Promises kept" => "按时兑现";
    PROMISE_KEPT_RATE: "Promise kept rate" => "承诺兑现率";
    OVERDUE_PROMISES: "Overdue promises" => "逾期承诺";
    OVERDUE_ASSISTS: "Overdue assists" => "逾期协助";
    LOST_REASONS: "Lost reasons" => "丢单原因";
    BROKEN_PROMISES: "Broken promises" => "未按时兑现的承诺";
    REASON: "Reason" => "原因";

    // Counts.
    N_CUSTOMERS: "{n} {n|customer|customers}" => "{n} 位客户";
    N_DAYS: "{n} {n|day|days}" => "{n} 天";
    N_HOURS: "{n} {n|hour|hours}" => "{n} 小时";
    N_WEEKS: "{n} {n|week|weeks}" => "{n} 周";
    N_MONTHS: "{n} {n|month|months}" => "{n} 个月";
    N_BUSINESS_DAYS: "{n} business {n|day|days}" => "{n} 个工作日";

    // Errors: the line, and the shapes every error shares.
    ERROR_LINE: "error: {message}" => "错误：{message}";
    WARNING_LINE: "warning: {message}" => "警告：{message}";
    ERROR_NOTHING_WRITTEN: "{why}; nothing was written" => "{why}；未写入任何内容";
    MESSAGE_HINT: "{message}; {hint}" => "{message}；{hint}";
    ERR_AT_FILE: "{file}: {message}" => "{file}：{message}";
    ERR_AT_LINE: "{file}:{line}: {message}" => "{file}:{line}：{message}";
    ERR_NO_ROOT: "no followup.toml found in {dir} or any folder above it; run `followup init` to create a sales folder, or pass -C DIR" => "在 {dir} 及其上级目录中找不到 followup.toml；运行 `followup init` 新建销售目录，或用 -C 指定目录";
    ERR_NO_CUSTOMER: "no customer matches `{query}`; run `followup list` to see the customers" => "没有匹配 `{query}` 的客户；运行 `followup list` 查看客户";
    ERR_NO_CUSTOMER_MEAN: "no customer matches `{query}`: did you mean {candidates}" => "没有匹配 `{query}` 的客户：你是不是要找 {candidates}";
    ERR_AMBIGUOUS_CUSTOMER: "`{query}` matches several customers: {candidates}; name one of them exactly" => "`{query}` 匹配到多个客户：{candidates}；请写出其中一个的完整名称";
    IO_NOT_FOUND: "no such file or folder" => "没有这个文件或目录";
    IO_PERMISSION: "permission denied; check the file's permissions" => "没有权限；请检查文件的权限";
    IO_OTHER: "{detail}" => "{detail}";
    RAW: "{text}" => "{text}";
    DID_YOU_MEAN: "did you mean `{value}`?" => "是不是要写 `{value}`？";
    IO_SYMLINK: "the file is a symbolic link, which followup never follows; replace it with the file itself" => "这是一个符号链接，followup 从不跟随符号链接；请换成文件本身";
    IO_NOT_REGULAR: "this is a {kind}, not a regular file; remove it or replace it with a regular file" => "这是{kind}，不是普通文件；请删除它或换成普通文件";
    IO_TOO_LARGE: "the file is {size} MB, over the {limit} MB limit for one file; move what does not belong there out of it" => "文件大小 {size} MB，超过单个文件 {limit} MB 的上限；请把不属于这里的内容移出去";
    KIND_FIFO: "FIFO (named pipe)" => "命名管道（FIFO）";
    KIND_DEVICE: "device" => "设备文件";
    KIND_SOCKET: "socket" => "套接字";
    KIND_FOLDER: "folder" => "目录";
    KIND_SPECIAL: "special file" => "特殊文件";
    NOT_UTF8: "is not UTF-8 text" => "不是 UTF-8 文本";
    HINT_SAVE_UTF8: "save it as UTF-8" => "请以 UTF-8 编码保存";
    HINT_FIX_CONFIG: "fix followup.toml; every key is optional" => "请修正 followup.toml；每个键都可以省略";
    HINT_FIX_OVERLAY: "fix the overlay's TOML" => "请修正这个私密文件的 TOML";

    // check: diagnostics and their hints (docs/check.md lists the codes).
    D_ENTRY_ORDER: "entry dated {date} comes after an entry dated {prev}" => "日期为 {date} 的记录排在 {prev} 的记录之后";
    H_ENTRY_ORDER: "keep the log in date order: move this entry up" => "记录应按日期排列：把这条记录往前移";
    D_FUTURE_ENTRY: "entry is dated {date}, after today ({today})" => "记录日期 {date} 晚于今天（{today}）";
    D_UNKNOWN_CHANNEL: "unknown channel `{channel}`" => "未知的渠道 `{channel}`";
    H_UNKNOWN_CHANNEL: "add it to `channels` in followup.toml if the team uses it" => "如果团队使用这个渠道，请把它加到 followup.toml 的 `channels` 中";
    D_OVER_CONTACT: "more than {n} contacts on {date}" => "{date} 联系超过 {n} 次";
    H_OVER_CONTACT: "too many touches in one day push customers away; space them out" => "一天内联系太多次会让客户反感；请把联系分散开";
    H_USE_ONE_OF: "use one of: {values}" => "请使用其中之一：{values}";
    D_UNKNOWN_OBJECTION: "unknown objection category `{category}`" => "未知的异议类别 `{category}`";
    D_UNKNOWN_OUTCOME: "unknown outcome `{value}`" => "未知的结果 `{value}`";
    H_OUTCOMES: "use reached, no-answer, voicemail, busy or declined" => "请用 接通、未接、语音信箱、占线 或 拒接（reached、no-answer、voicemail、busy、declined）";
    D_UNKNOWN_STAGE_CHANGE: "unknown stage `{value}` in a stage change" => "阶段变更中有未知的阶段 `{value}`";
    D_UNKNOWN_STATUS_CHANGE: "unknown status `{value}` in a status change" => "状态变更中有未知的状态 `{value}`";
    H_STATUSES: "use active, paused, won or lost (推进中 暂缓 已成交 丢单)" => "请用 推进中、暂缓、已成交 或 丢单（active、paused、won、lost）";
    D_VAGUE_NEXT_ENTRY: "the next action is vague (\"{phrase}\")" => "下一步太笼统（“{phrase}”）";
    H_VAGUE_NEXT: "say exactly what happens next, e.g. \"send the revised quote\"" => "请写清楚下一步具体做什么，例如“发送修改后的报价”";
    D_BAD_DUE: "`(due {date})` is not a date" => "`(due {date})` 不是日期";
    H_BAD_DUE: "write due dates as YYYY-MM-DD, like (due 2024-01-12)" => "截止日期请写成 YYYY-MM-DD，例如 (due 2024-01-12)";
    D_DUPLICATE: "`{name}` is also in {file}" => "`{name}` 也在 {file} 中";
    H_DUPLICATE: "merge the two files into one, or rename one customer" => "请把两个文件合并成一个，或给其中一个客户改名";
    D_UNKNOWN_STAGE: "unknown stage `{value}`" => "未知的阶段 `{value}`";
    D_UNKNOWN_STATUS: "unknown status `{value}`" => "未知的状态 `{value}`";
    D_UNKNOWN_PRIORITY: "unknown priority `{value}`" => "未知的优先级 `{value}`";
    H_PRIORITIES: "use high, medium or low (高 中 低)" => "请用 高、中 或 低（high、medium、low）";
    D_CADENCE_NOT_DURATION: "cadence is not a duration like \"3d\"" => "cadence 不是像 \"3d\" 这样的时长";
    D_KEY_DETAIL: "{key}: {detail}" => "{key}：{detail}";
    D_AMOUNT_NOT_NUMBER: "deal.amount must be a number, like 650000" => "deal.amount 必须是数字，例如 650000";
    D_NEXT_WITHOUT_DUE: "the next action has no due date" => "下一步没有截止日期";
    H_NEXT_WITHOUT_DUE: "add `due = YYYY-MM-DD` under [next], or log with --due" => "在 [next] 下加上 `due = YYYY-MM-DD`，或记录时用 --due";
    D_VAGUE_NEXT: "the next action `{action}` is vague (\"{phrase}\")" => "下一步 `{action}` 太笼统（“{phrase}”）";
    D_STAGE_STATUS_MISMATCH: "status is won but the stage `{stage}` is before the won stage `{won}`" => "状态是已成交，但阶段 `{stage}` 在成交阶段 `{won}` 之前";
    H_STAGE_STATUS_MISMATCH: "set `stage = \"{won}\"` too (`followup log --status won` moves it), or change the status" => "同时设置 `stage = \"{won}\"`（`followup log --status won` 会自动移动），或修改状态";
    D_PAUSED_WITHOUT_REASON: "the customer is paused without an obstacle or paused_until" => "客户已暂缓，但没有写明障碍（obstacle）或恢复日期（paused_until）";
    H_PAUSED_WITHOUT_REASON: "add `obstacle = \"…\"` under [deal] or `paused_until = YYYY-MM-DD`" => "在 [deal] 下加上 `obstacle = \"…\"`，或加上 `paused_until = YYYY-MM-DD`";
    D_NOT_A_STRING: "{key} must be a string in quotes" => "{key} 必须是带引号的字符串";
    D_NOT_A_LIST: "{key} must be a list of strings, like [\"a\", \"b\"]" => "{key} 必须是字符串列表，例如 [\"a\", \"b\"]";
    D_KEY_NOT_A_DATE: "{key} `{value}` is not a date" => "{key} `{value}` 不是日期";
    H_DATE_FORMAT: "write a date as YYYY-MM-DD, like 2024-01-24" => "日期请写成 YYYY-MM-DD，例如 2024-01-24";
    D_CHAIN_NOT_TABLES: "decision_chain must be a list of [[decision_chain]] tables" => "decision_chain 必须是一组 [[decision_chain]] 表";
    H_ROLES: "use decision-maker, influencer, key-person or evaluator" => "请用 决策人、影响者、关键人 或 评估者（decision-maker、influencer、key-person、evaluator）";
    D_UNKNOWN_ROLE: "unknown decision-chain role `{value}`" => "未知的决策链角色 `{value}`";
    D_MISSING_FIELD: "required field `{key}` is missing" => "缺少必填字段 `{key}`";
    H_MISSING_FIELD: "add `{example}` to the front matter" => "在 front matter 中加上 `{example}`";

    // Values typed on the command line or in $EDITOR.
    E_NOT_A_DURATION: "`{text}` is not a duration; write a number (up to 100000) and a unit, like 3d, 2w, 1m, 5b or 24h" => "`{text}` 不是时长；请写数字（不超过 100000）加单位，例如 3d、2w、1m、5b 或 24h";
    E_DURATION_UNIT: "`{text}` has an unknown unit; use h (hours), d (days), w (weeks), m (months) or b (business days)" => "`{text}` 的单位无法识别；请用 h（小时）、d（天）、w（周）、m（月）或 b（工作日）";
    E_DATE_OUT_OF_RANGE: "`{text}` falls on {date}, outside the years 0000–9999 that a date can be written in; pick a nearer date" => "`{text}` 是 {date}，超出了可以书写的 0000–9999 年；请选一个更近的日期";
    E_NOT_A_DATE: "`{text}` is not a date; use {forms}" => "`{text}` 不是日期；请用 {forms}";
    E_NOT_A_FIELD_NAME: "`{key}` is not a field name; use letters, digits, `_` and `-`, with `.` for tables (next.due)" => "`{key}` 不是字段名；请用字母、数字、`_` 和 `-`，表用 `.` 分隔（next.due）";
    E_NOT_KEY_VALUE: "`{pair}` is not KEY=VALUE, like priority=high" => "`{pair}` 不是 KEY=VALUE 的形式，例如 priority=high";
    E_REQUIRED_KEY: "`{key}` is required and cannot be removed" => "`{key}` 是必填字段，不能删除";
    E_CHAIN_IN_FILE: "decision_chain is a list of tables; edit it in the file" => "decision_chain 是一组表；请直接在文件中编辑";
    E_NOT_A_NUMBER: "{key} must be a number, like 650000" => "{key} 必须是数字，例如 650000";
    E_NOT_A_TOML_LIST: "{key}: `{value}` is not a TOML list" => "{key}：`{value}` 不是 TOML 列表";
    D_HEADING_DATE: "entry heading date `{date}` is not a valid YYYY-MM-DD date" => "记录标题中的日期 `{date}` 不是有效的 YYYY-MM-DD 日期";
    H_BAD_HEADING: "write entry headings as `## YYYY-MM-DD channel @author`" => "记录标题请写成 `## YYYY-MM-DD 渠道 @作者`";
    D_MISSING_CHANNEL: "entry heading has no channel; add one, like `phone` or `email`" => "记录标题没有渠道；请加上一个，例如 `电话` 或 `邮件`";
    D_NOT_AN_ENTRY: "this looks like an entry heading but is not read as one: {why}" => "这一行看起来像记录标题，但不会被读成记录：{why}";
    H_NOT_AN_ENTRY: "write entry headings as `## YYYY-MM-DD channel` at the start of a line, outside code, comments, quotes and lists" => "记录标题请写成 `## YYYY-MM-DD 渠道`，放在行首，不要放在代码、注释、引用或列表里";
    N_IN_QUOTE: "it is inside a block quote" => "它在引用块里";
    N_INDENTED: "it is indented 4 spaces or more, so it renders as code" => "它缩进了 4 个或更多空格，会显示成代码";
    N_NO_SPACE: "`##` needs a space before the date" => "`##` 和日期之间需要一个空格";
    N_ODD_SPACE: "the space after `##` is not a plain space" => "`##` 后面的空格不是普通空格";
    N_IN_BLOCK: "it is inside a code block, an HTML block or comment, or a list item" => "它在代码块、HTML 块或注释、或列表项里";
    U_FENCE: "the code block opened here with {marker} is never closed" => "这里用 {marker} 开始的代码块没有结束";
    U_COMMENT: "the HTML comment `<!--` opened here is never closed with `-->`" => "这里开始的 HTML 注释 `<!--` 没有用 `-->` 结束";
    U_PI: "the `<?` block opened here is never closed with `?>`" => "这里开始的 `<?` 块没有用 `?>` 结束";
    U_CDATA: "the `<![CDATA[` block opened here is never closed with `]]>`" => "这里开始的 `<![CDATA[` 块没有用 `]]>` 结束";
    U_DECL: "the `<!` block opened here is never closed with `>`" => "这里开始的 `<!` 块没有用 `>` 结束";
    U_HTML: "the `<{tag}>` HTML block opened here is never closed with `</{tag}>`" => "这里开始的 `<{tag}>` HTML 块没有用 `</{tag}>` 结束";
    H_UNCLOSED_BLOCK: "close it, or everything after it (new entries too) is hidden inside it" => "请把它结束，否则后面的所有内容（包括新记录）都会被藏在里面";
    D_CONFLICT_MARKER: "git conflict marker" => "git 冲突标记";
    H_CONFLICT_MARKER: "resolve the merge conflict: keep the right lines and delete the markers" => "请解决合并冲突：保留正确的行，删除冲突标记";
    D_TOML_DATE: "not a valid date: {detail}" => "不是有效的日期：{detail}";
    D_TOML_SYNTAX: "TOML syntax: {detail}" => "TOML 语法错误：{detail}";
    H_TOML_SYNTAX: "fix the front matter so it is valid TOML (strings need double quotes)" => "请修正 front matter，使其成为有效的 TOML（字符串需要双引号）";
    D_NOT_UTF8: "the file is not valid UTF-8" => "文件不是有效的 UTF-8";
    H_NOT_UTF8: "save the file as UTF-8" => "请把文件保存为 UTF-8";
    D_NO_FRONT_MATTER: "the file does not start with a `+++` front matter line" => "文件没有以 `+++` front matter 行开头";
    H_NO_FRONT_MATTER: "start the file with a `+++` line, the TOML profile, and another `+++` line" => "文件开头应是一行 `+++`、TOML 客户档案，再一行 `+++`";
    D_UNCLOSED_FRONT_MATTER: "the front matter opened by `+++` is never closed" => "以 `+++` 开始的 front matter 没有结束";
    H_UNCLOSED_FRONT_MATTER: "close the front matter with a `+++` line" => "请用一行 `+++` 结束 front matter";
    AT_LINE: "line {line}: {message}" => "第 {line} 行：{message}";
    E_MD_HEADING: "line {line} `{source}` would start a new section and end the entry; use ### for a heading inside an entry" => "第 {line} 行 `{source}` 会开始一个新章节并结束这条记录；记录内的标题请用 ###";
    E_MD_SETEXT: "the `---` or `===` under line {line} would turn it into a heading that ends the entry; leave a blank line before it, or use *** for a rule" => "第 {line} 行下面的 `---` 或 `===` 会把它变成标题并结束这条记录；请在前面空一行，或用 *** 作分隔线";

    // log: what a new entry cannot hold (flags, $EDITOR lines, import columns).
    P_EMPTY: "{key} is empty; {what}" => "{key} 是空的；{what}";
    P_TWICE: "{arg} is given twice; give it once" => "{arg} 给了两次；只给一次";
    P_CHANNEL_WORD: "channel `{value}` must be one word, like phone" => "渠道 `{value}` 必须是一个词，例如 电话";
    P_DEADLINE_IN: "the deadline in `{value}`: {detail}" => "`{value}` 中的截止日期：{detail}";
    P_ONE_OUTCOME: "an entry has one outcome; give it once" => "一条记录只有一个结果；只给一次";
    P_UNKNOWN_OUTCOME: "outcome `{value}` is unknown" => "结果 `{value}` 无法识别";
    P_OBJECTION_CATEGORY: "objection `{value}` has no category; write CATEGORY or CATEGORY:HOW, like price:offered instalments" => "异议 `{value}` 没有类别；请写 类别 或 类别:处理方式，例如 价格:提出分期付款";
    P_ONLY_DEADLINE: "{key} `{value}` says only a deadline; say what" => "{key} `{value}` 只有截止日期；请写明内容";
    P_ASSIST_SHAPE: "assist `{value}` needs WHO:TASK, like presales-zhou:integration plan" => "协助 `{value}` 需要写成 谁:任务，例如 presales-zhou:集成方案";
    P_ONE_NEXT: "an entry has one next action; give it once" => "一条记录只有一个下一步；只给一次";
    P_NEXT_ONLY_DEADLINE: "next `{value}` says only a deadline; say what happens next" => "下一步 `{value}` 只有截止日期；请写明接下来做什么";
    P_CHANGE_ONCE: "an entry changes the {key} once; give it once" => "一条记录只能改一次 {key}；只给一次";
    P_UNKNOWN_STAGE: "stage `{value}` is unknown" => "阶段 `{value}` 无法识别";
    P_UNKNOWN_STATUS: "status `{value}` is unknown" => "状态 `{value}` 无法识别";
    P_ONE_AMOUNT: "an entry has one amount; give it once" => "一条记录只有一个金额；只给一次";
    P_ONE_REASON: "an entry has one reason; give it once" => "一条记录只有一个原因；只给一次";
    P_TWO_DEADLINES: "the next action has two deadlines, {a} and {b}; give one" => "下一步有两个截止日期：{a} 和 {b}；只给一个";
    P_DEADLINE_NEEDS_ACTION: "a deadline needs a next action: {name} has none; add the action (--next \"what happens next\")" => "截止日期需要对应一个下一步：{name} 还没有下一步；请加上（--next \"接下来做什么\"）";
    P_DEADLINE_NEEDS_ACTION_ANON: "a deadline needs a next action: the customer has none; add the action (--next \"what happens next\")" => "截止日期需要对应一个下一步：这个客户还没有下一步；请加上（--next \"接下来做什么\"）";
    P_STAGE_WITH_WON: "stage `{stage}` with status won: a won deal is at the won stage `{won}` or later; leave the stage out (status won moves it) or give a later one" => "阶段 `{stage}` 与状态已成交矛盾：成交的商机应在成交阶段 `{won}` 或之后；请不要给阶段（状态已成交会自动移动阶段），或给一个更靠后的阶段";
    P_WON_MOVES_STAGE: "status won moves the stage from {from} to {to}" => "状态已成交，阶段从 {from} 移到 {to}";
    P_ALREADY: "the {key} is already {value}, so it is not logged as a change" => "{key} 已经是 {value}，不记为变更";
    W_MESSAGE: "write what was discussed, or leave it out" => "请写沟通内容，或者不写这一项";
    W_FEEDBACK: "write what the customer said, or leave it out" => "请写客户的反馈，或者不写这一项";
    W_OBJECTION: "write CATEGORY or CATEGORY:HOW, like price:offered instalments" => "请写 类别 或 类别:处理方式，例如 价格:提出分期付款";
    W_PROMISED: "write what was promised, or leave it out" => "请写承诺的内容，或者不写这一项";
    W_ASSIST: "write WHO:TASK, like presales-zhou:integration plan" => "请写 谁:任务，例如 presales-zhou:集成方案";
    W_NEXT: "write what happens next" => "请写接下来做什么";
    W_REASON: "write why, like lost to a cheaper competitor, or leave it out" => "请写原因，例如 输给了更便宜的竞品，或者不写这一项";
    W_DATE: "write a date, like 2026-12-01, fri or 明天" => "请写日期，例如 2026-12-01、周五 或 明天";
    W_VALUE: "write a value, or leave it out" => "请写一个值，或者不写这一项";
    CHECK_CLEAN: "checked {files} {files|file|files}: no problems" => "已检查 {files} 个文件：没有问题";
    CHECK_FOUND: "checked {files} {files|file|files}: {errors} {errors|error|errors}, {warnings} {warnings|warning|warnings}" => "已检查 {files} 个文件：{errors} 个错误，{warnings} 个警告";
    CHECK_HINT: "hint: {hint}" => "提示：{hint}";
    D_DRIVER_UNREGISTERED: "this clone has no merge driver for customer files, so git merges them line by line and stops on conflicts that are none (two people logging one customer)" => "这个克隆没有为客户文件注册合并驱动，git 会逐行合并并在并非真正冲突的地方停下（例如两人同时记录同一客户）";
    D_DRIVER_GONE: "the merge driver registered in this clone runs {program}, which is not there any more, so git merges customer files line by line and stops on conflicts that are none" => "这个克隆注册的合并驱动运行 {program}，但它已经不存在了，git 会逐行合并客户文件并在并非真正冲突的地方停下";
    D_DRIVER_OUTDATED: "the merge driver registered in this clone needs `followup` on PATH and has nothing behind it: where git cannot run it (a GUI client, cron), a merged customer file keeps one side only" => "这个克隆注册的合并驱动依赖 PATH 中的 `followup` 且没有后备：git 运行不了它的地方（图形客户端、cron），合并后的客户文件只会保留一方的内容";
    D_DRIVER_NOT_ROUTED: ".gitattributes does not send {dir}/**/*.md to the merge driver" => ".gitattributes 没有把 {dir}/**/*.md 交给合并驱动";
    H_DRIVER: "run `followup init` in this clone" => "请在这个克隆中运行 `followup init`";
    D_UNREADABLE: "cannot read the file: {why}" => "无法读取文件：{why}";
    D_CONFIDENTIAL_SHARED: "`{key}` is confidential but stored in the shared file" => "`{key}` 是保密字段，却保存在共享文件中";
    H_CONFIDENTIAL_SHARED: "move it to {file} with `followup set {stem} {key}=…`, or run `followup init --private`" => "用 `followup set {stem} {key}=…` 把它移到 {file}，或运行 `followup init --private`";
    E_CHECK_SYMLINK: "{path} is a symbolic link, which followup never follows; check the file itself" => "{path} 是符号链接，followup 从不跟随符号链接；请检查文件本身";
    E_CHECK_OUTSIDE: "{path} is outside the customers folder {dir}/; check only customer files" => "{path} 不在客户目录 {dir}/ 中；只能检查客户文件";
    E_CHECK_NOT_REGULAR: "{path} is not a regular file or folder; check only customer files" => "{path} 不是普通文件或目录；只能检查客户文件";

    // Writes: the guard and its notes.
    H_RUN_CHECK: "run `followup check` for details" => "运行 `followup check` 查看详情";
    H_THEN_CHECK: "{hint}, then run `followup check`" => "{hint}，然后运行 `followup check`";
    E_UNCLOSED_WRITE: "{file}:{line}: {message}, so anything written after it would be hidden inside it; close it, then try again; nothing was written" => "{file}:{line}：{message}，写在它后面的内容都会被藏起来；请先把它结束再试；未写入任何内容";
    E_WOULD_BE_UNREADABLE: "the change would leave the file unreadable ({why})" => "这个修改会让文件无法读取（{why}）";
    E_WOULD_NOT_READ_BACK: "the change would not read back with {n} new {n|entry|entries}" => "这个修改读回来后不是 {n} 条新记录";
    E_FIELDS_WOULD_NOT_READ_BACK: "the new entry would not read back with all its fields" => "新记录读回来后缺少字段";
    E_WOULD_ADD: "the change would add {what} at line {line}: {message}" => "这个修改会在第 {line} 行增加 {what}：{message}";
    NOTE: "{file}:{line}: {message} [{code}]" => "{file}:{line}：{message} [{code}]";
    NO_OWNERS_YET: "there are no owners yet" => "还没有负责人";
    OWNERS_ARE: "the owners are {owners}" => "负责人有 {owners}";
    UNKNOWN_OWNER: "no customer is owned or logged by `{owner}`{mean}; {list}" => "没有客户的负责人或记录人是 `{owner}`{mean}；{list}";
    E_NOT_A_METRIC: "--explain `{text}` is not a metric" => "--explain `{text}` 不是指标";
    MESSAGE_MEAN: "{message} ({mean})" => "{message}（{mean}）";
    EXPLAIN_NOTHING: "No line adds to this number." => "没有任何记录计入这个数字。";
    E_TWO_FORMATS: "--format {a} and --format {b} (or --json/--csv) ask for different outputs; give one of them" => "--format {a} 和 --format {b}（或 --json/--csv）要求的输出不同；只给其中一个";
    E_MAN: "cannot render the man page: {detail}" => "无法生成 man 手册：{detail}";

    // due: when, and why.
    TOMORROW: "tomorrow" => "明天";
    YESTERDAY: "yesterday" => "昨天";
    IN_DAYS: "in {n} {n|day|days}" => "{n} 天后";
    DAYS_AGO: "{n} {n|day|days} ago" => "{n} 天前";
    DUE_TODAY: "due today" => "今天到期";
    DUE_TOMORROW: "due tomorrow" => "明天到期";
    DUE_IN_DAYS: "due in {n} {n|day|days}" => "{n} 天后到期";
    OVERDUE_DAYS: "overdue {n} {n|day|days}" => "逾期 {n} 天";
    WHY_CADENCE: "every {cadence}, last contact {last}" => "节奏 {cadence}，上次联系 {last}";
    WHY_NEVER: "never contacted, {when}" => "从未联系，{when}";
    WHY_NEXT: "next action {when}" => "下一步 {when}";
    WHY_PROMISE: "promised \"{text}\" {when}" => "承诺「{text}」{when}";
    WHY_ASSIST: "assist \"{text}\" {when}" => "协助「{text}」{when}";
    WHY_TASK: "to-do \"{text}\" {when}" => "待办「{text}」{when}";
    CHANGE_CHANNEL: "change channel: the last {n} contacts went unanswered" => "换个渠道：最近 {n} 次联系均未接通";
    DUE_SUMMARY: "{n} due: {overdue} overdue, {today} today, {upcoming} upcoming" => "共 {n} 位：逾期 {overdue}，今天 {today}，即将到期 {upcoming}";
    E_FLAG: "{flag}: {detail}" => "{flag}：{detail}";
    E_FLAG_UNKNOWN: "{flag} `{value}` is unknown" => "{flag} `{value}` 无法识别";

    // show: keys, values, fields.
    K_NAME: "Name" => "名称";
    K_CREATED: "Created" => "创建日期";
    K_PAIN_POINTS: "Pain points" => "痛点";
    K_BUDGET: "Budget" => "预算";
    K_EMPLOYEES: "Employees" => "员工人数";
    K_REVENUE: "Revenue" => "营收";
    K_CONTACT_TITLE: "Contact's title" => "联系人职位";
    K_PHONE: "Phone" => "电话";
    K_EMAIL: "Email" => "邮箱";
    K_WECHAT: "WeChat" => "微信";
    K_CADENCE: "Cadence" => "跟进节奏";
    K_CURRENCY: "Currency" => "币种";
    K_EXPECTED_CLOSE: "Expected close" => "预计成交";
    K_OBSTACLE: "Obstacle" => "障碍";
    K_PAUSED_UNTIL: "Paused until" => "暂缓至";
    PERSON_TITLE: ", {title}" => "，{title}";
    FIELD_LINE: "{key}: {value}" => "{key}：{value}";
    FIELD_DUE: " (due {date})" => "（{date} 到期）";
    FIELD_DUE_OPEN: " (due {date}, {when})" => "（{date} 到期，{when}）";
    PAREN: "{a} ({b})" => "{a}（{b}）";
    EARLIER_ENTRIES: "{n} earlier {n|entry|entries} in {file}" => "{n} 条更早的记录见 {file}";

    // stats: what each metric counts (--explain).
    ABOUT_ENTRIES: "Contact entries in the range (not `note` entries)." => "期间的跟进记录（不含 note）。";
    ABOUT_CUSTOMERS_TOUCHED: "Customers with a contact entry in the range; the line is their first." => "期间有跟进记录的客户；行号指向第一条。";
    ABOUT_REACHED: "Entries whose outcome is reached (the default)." => "结果为接通（默认）的记录。";
    ABOUT_NO_ANSWER: "Entries whose outcome is no-answer, voicemail or busy." => "结果为未接、语音信箱或占线的记录。";
    ABOUT_REACH_RATE: "reached / entries: ✓ reached, ✗ not." => "接通数 / 记录数：✓ 接通，✗ 未接通。";
    ABOUT_CONVERSION_RATE: "Customers touched whose stage at the range's end is the converted stage or later: ✓ counts, ✗ not; the line is where that stage was read." => "期间跟进过、且期末阶段达到转化阶段或之后的客户：✓ 计入，✗ 不计入；行号指向读取该阶段的位置。";
    ABOUT_WON: "Customers that became won in the range; the line is the entry that made them won." => "期间成交的客户；行号指向使其成交的记录。";
    ABOUT_WON_AMOUNT: "The deal.amount of the customers won in the range." => "期间成交客户的 deal.amount 之和。";
    ABOUT_AVG_CYCLE_DAYS: "Days from a won customer's first contact to the entry that made it won." => "从首次联系到成交记录的天数。";
    ABOUT_LOST: "Customers whose status became lost in the range." => "期间状态变为丢单的客户。";
    ABOUT_WIN_RATE: "won / (won + lost): ✓ won, ✗ lost." => "成交 / (成交 + 丢单)：✓ 成交，✗ 丢单。";
    ABOUT_OBJECTIONS: "Objection fields of the entries in the range (METRIC:CATEGORY for one)." => "期间记录中的异议字段（用 objections:类别 只看一类）。";
    ABOUT_CHANNELS: "Entries per channel (channels:CHANNEL for one): ✓ reached, ✗ not." => "按渠道的记录（用 channels:渠道 只看一个）：✓ 接通，✗ 未接通。";
    ABOUT_UNANSWERED: "Customers whose latest contacts all went unanswered, as of the range's end." => "截至期末最近连续未接通的客户。";
    ABOUT_STALE: "Customers with no contact for rules.stale_after, as of the range's end." => "截至期末超过 rules.stale_after 未联系的客户。";
    ABOUT_OVERDUE: "Customers due before the range's end by the rules of `followup due`; the line is the earliest reason." => "按 `followup due` 的规则在期末前已到期的客户；行号指向最早的原因。";
    ABOUT_NEW_CUSTOMERS: "Customers created in the range (`created`, else their first entry)." => "期间新建的客户（`created`，否则第一条记录的日期）。";
    ABOUT_PROMISES_DUE: "Promises due in the range, up to yesterday." => "期间（截至昨天）到期的承诺。";
    ABOUT_PROMISES_KEPT: "Promises due in the range ticked by their due date (done DATE on or before it; ticked without a date counts)." => "期间到期、且在截止日前完成的承诺（done 日期不晚于截止日；已勾选但无日期也算）。";
    ABOUT_PROMISE_KEPT_RATE: "promises_kept / promises_due: ✓ kept, ✗ broken." => "按时兑现数 / 到期承诺数：✓ 兑现，✗ 未兑现。";
    ABOUT_OVERDUE_PROMISES: "Promises open at the range's end whose due date is before it." => "期末仍未完成且已过截止日的承诺。";
    ABOUT_OVERDUE_ASSISTS: "Assists open at the range's end whose due date is before it." => "期末仍未完成且已过截止日的协助。";
    ABOUT_LOST_REASONS: "Why the customers lost in the range were lost: the reason of the entry that made them lost (lost_reasons:REASON for one, `none` for no reason)." => "期间丢单客户的原因：使其丢单的记录中的 reason（用 lost_reasons:原因 只看一个，none 表示未填）。";

    // stats: the review.
    NO_OWNER: "(no owner)" => "（无负责人）";
    CHANGE: "Change" => "变化";
    POINTS: "{n} pp" => "{n} 个百分点";
    LISTS_ARE_FOR: "Lists below: {period}" => "以下列表：{period}";
    RANGE: "{since} … {until}" => "{since} … {until}";
    UNIT_WEEK: "week" => "周";
    UNIT_MONTH: "month" => "月";
    UNIT_QUARTER: "quarter" => "季度";
    UNIT_ALL: "all" => "全部";
    N_QUARTERS: "{n} {n|quarter|quarters}" => "{n} 个季度";
    REVIEW_COMPARE: "Review of {current}, beside the {unit} before" => "复盘 {current}，左边一列是上一{unit}";
    REVIEW_CURRENT_BY_OWNER: "Review of {current}, by owner" => "复盘 {current}，按负责人";
    REVIEW_LAST: "Review of the last {units}, {range}, one column per {unit}" => "复盘最近 {units}（{range}），每{unit}一列";
    REVIEW_BY_OWNER: "Review {range}, by owner" => "复盘 {range}，按负责人";
    REVIEW_ALL: "Review {range}, all in one column" => "复盘 {range}，全部合为一列";
    REVIEW_RANGE: "Review {range}, one column per {unit}" => "复盘 {range}，每{unit}一列";
    REVIEW_FOR_OWNER: "{review} — {owner}" => "{review}——{owner}";
    E_SINCE_AFTER_UNTIL: "--since {since} is after --until {until}" => "--since {since} 晚于 --until {until}";
    E_EXPLAIN_FORMAT: "--explain prints text or JSON; leave out --csv and --format markdown" => "--explain 只输出文本或 JSON；请去掉 --csv 和 --format markdown";
    E_EXPLAIN_GROUP: "--explain {metric}:{group}: only objections, channels and lost_reasons have groups; use --since and --until to explain one period" => "--explain {metric}:{group}：只有 objections、channels 和 lost_reasons 可以分组；要解释某一期，请用 --since 和 --until";
    TITLE_COUNT: "{title} ({n})" => "{title}（{n}）";
    IN_A_ROW: "{n} in a row" => "连续 {n} 次";
    NO_CONTACT_FOR: "{n} {n|day|days} since contact" => "{n} 天未联系";
    NONE_GIVEN: "(none given)" => "（未填写）";
    PROMISE_OPEN: "due {due}, still open" => "{due} 到期，仍未完成";
    PROMISE_LATE: "due {due}, done {done}" => "{due} 到期，{done} 才完成";

    // log.
    NOTE_LINE: "note: {message}" => "说明：{message}";
    SEMICOLON: "; " => "；";
    PROBLEM_AT: "{at}: {message}" => "{at}：{message}";
    LINE_N: "line {n}" => "第 {n} 行";
    E_NOTHING_TO_LOG_FLAGS: "nothing to log: pass -m \"what was discussed\" (or fields like --outcome no-answer); the editor opens only at a terminal" => "没有可记录的内容：请用 -m \"沟通内容\"（或 --outcome 未接 这样的字段）；只有在终端里才会打开编辑器";
    E_MESSAGE_NOT_LOGGED: "the message cannot be logged: {problems}; nothing was logged" => "这段内容无法记录：{problems}；未记录任何内容";
    E_NOT_LOGGED: "{problems}; nothing was logged" => "{problems}；未记录任何内容";
    ENTRY_WOULD_BE_EMPTY: "the entry would be empty" => "这条记录会是空的";
    E_NOTHING_TO_LOG: "nothing to log: {why}; add -m \"what was discussed\" or a field" => "没有可记录的内容：{why}；请加上 -m \"沟通内容\" 或一个字段";
    LOGGED: "Logged {date} {channel} for {name} ({file}:{line})" => "已记录 {name} 的 {date} {channel}跟进（{file}:{line}）";
    TEXT_KEPT: "{message}; your text is kept in {file}" => "{message}；你写的内容保存在 {file}";
    W_LATE_LOG: "this contact was {n} {n|day|days} ago; the team logs within {within} of a contact" => "这次联系是 {n} 天前的；团队要求在联系后 {within} 内记录";
    N_BACK_DATED: "the entry is dated before {n} {n|entry|entries} already in the log; it was placed in date order" => "这条记录的日期早于日志中已有的 {n} 条记录；已按日期顺序插入";
    EDITOR_TEMPLATE: "# Log a follow-up for {file}.\n# Write what was discussed (Markdown). These '#' lines are ignored; an empty message aborts.\n# Fields, one per line (they update the customer like the flags do):\n#   - feedback: what the customer said\n#   - objection: price — how it was handled\n#   - [ ] promised: send the quote (due fri)\n#   - next: technical call (due 下周一)\n#   - stage: intent        - status: won        - outcome: no-answer\n#   - status: lost         - reason: chose a cheaper competitor" => "# 记录 {file} 的一次跟进。\n# 写下沟通内容（Markdown）。以 '#' 开头的这些行会被忽略；内容为空则放弃。\n# 字段每行一个（和命令行参数一样会更新客户档案）：\n#   - 反馈: 客户说了什么\n#   - 异议: 价格 — 如何处理的\n#   - [ ] 承诺: 发送报价 (due 周五)\n#   - 下一步: 技术交流 (due 下周一)\n#   - 阶段: 意向        - 状态: 已成交        - 结果: 未接\n#   - 状态: 丢单        - 原因: 选了更便宜的竞品";
    E_EDITOR_START: "cannot start the editor `{editor}`: {detail}; set $EDITOR or pass -m" => "无法启动编辑器 `{editor}`：{detail}；请设置 $EDITOR 或使用 -m";
    E_EDITOR_FAILED: "the editor `{editor}` failed; nothing was logged" => "编辑器 `{editor}` 运行失败；未记录任何内容";
    E_THE_MESSAGE: "the message: {why}; nothing was logged" => "这段内容：{why}；未记录任何内容";
    E_EMPTY_MESSAGE: "empty message; nothing was logged" => "内容为空；未记录任何内容";

    // new.
    E_NAME_CONTROL: "the name `{name}` holds a line break, tab or other control character; give the name on one line, without them" => "名称 `{name}` 含有换行、制表符或其他控制字符；请在一行内给出名称，不要带这些字符";
    E_NAME_NO_LETTERS: "`{name}` has no letters or digits to name a file after; give the customer a real name" => "`{name}` 中没有可以用作文件名的字母或数字；请给客户一个真实的名称";
    E_FOLDER_NO_LETTERS: "--folder needs letters or digits" => "--folder 需要包含字母或数字";
    E_EXISTS: "customer `{name}` already exists in {file} (as `{as}`); nothing was written (log to it with `followup log {stem}`)" => "客户 `{name}` 已经存在于 {file}（名为 `{as}`）；未写入任何内容（用 `followup log {stem}` 记录跟进）";
    WHAT_FILE: "file" => "文件";
    WHAT_FOLDER: "folder" => "目录";
    NAME_SHORTENED: "the {what} name was cut to {n} bytes so that every system can store it: {result}" => "{what}名已截短到 {n} 字节，以便所有系统都能保存：{result}";
    NAME_RESERVED: "the {what} name is a device name on Windows (CON, PRN, AUX, NUL, COM1…, LPT1…), so it got the suffix `-customer`: {result}" => "{what}名是 Windows 的设备名（CON、PRN、AUX、NUL、COM1…、LPT1…），已加上后缀 `-customer`：{result}";
    CREATED: "Created {file}" => "已创建 {file}";
    W_MISSING_REQUIRED: "{file} is missing required fields: {keys}; add them with `followup set {stem} KEY=VALUE`" => "{file} 缺少必填字段：{keys}；请用 `followup set {stem} KEY=VALUE` 补上";
    NEW_NEXT: "Next: followup log {stem} -m \"…\" --next \"…\" --due fri" => "下一步：followup log {stem} -m \"…\" --next \"…\" --due 周五";

    // set, done.
    SET_NOTHING: "{file}: nothing to change" => "{file}：没有需要修改的内容";
    SET_DONE: "Updated {file}: {changes}" => "已更新 {file}：{changes}";
    E_NO_OPEN_ITEM: "{name} has no open promise or assist; see them with `followup show {stem}`" => "{name} 没有未完成的承诺或协助；用 `followup show {stem}` 查看";
    E_NO_OPEN_ITEM_MATCHING: "{name} has no open promise or assist matching `{text}`; see them with `followup show {stem}`" => "{name} 没有与 `{text}` 匹配的未完成承诺或协助；用 `followup show {stem}` 查看";
    E_SEVERAL_ITEMS: "several open items match; add words to pick one:\n  {items}" => "有多个未完成事项匹配；请多写几个字来选定一个：\n  {items}";
    E_NOT_TICKED: "{file}:{line}: the item would not read back as ticked; tick its box by hand; nothing was written" => "{file}:{line}：这一项读回来后没有被勾选；请手动勾选；未写入任何内容";
    DONE: "Done: {item}" => "已完成：{item}";
    CONTACT_NAME: "Contact name" => "联系人姓名";
    E_LAST_WITH_SINCE: "--last counts periods back from --until and --since gives the first day; give one of them" => "--last 从 --until 往回数周期，--since 给出起始日；只给其中一个";

    // agenda, calendar, digest.
    KIND_NEXT: "Next action" => "下一步";
    KIND_PROMISE: "Promise" => "承诺";
    KIND_ASSIST: "Assist" => "协助";
    KIND_TASK: "To-do" => "待办";
    KIND_CONTACT: "Contact" => "联系";
    HEAD_NEXT: "Next actions" => "下一步行动";
    HEAD_PROMISE: "Promises to customers" => "对客户的承诺";
    HEAD_ASSIST: "Help asked of colleagues" => "协助事项";
    HEAD_TASK: "Other to-dos" => "其他待办";
    HEAD_CONTACT: "Time to get in touch (cadence)" => "按节奏该联系了";
    WHAT_NEXT_BARE: "next action" => "下一步";
    WHAT_NEXT: "next action: {text}" => "下一步：{text}";
    WHAT_PROMISE: "promised: {text}" => "承诺：{text}";
    WHAT_ASSIST: "assist: {text}" => "协助：{text}";
    WHAT_TASK: "to-do: {text}" => "待办：{text}";
    NEVER_CONTACTED: "never contacted" => "从未联系";
    MON: "Mon" => "周一";
    TUE: "Tue" => "周二";
    WED: "Wed" => "周三";
    THU: "Thu" => "周四";
    FRI: "Fri" => "周五";
    SAT: "Sat" => "周六";
    SUN: "Sun" => "周日";
    /// A chrono format: the date in a day heading.
    DAY_DATE_FORMAT: "%Y-%m-%d" => "%-m月%-d日";
    DAY_HEADING: "{weekday} {date}" => "{date} {weekday}";
    DAY_RELATIVE: "{day} · {rel}" => "{day} · {rel}";
    AGENDA_NOTHING: "Nothing falls due by {until}." => "截至 {until} 没有到期的事项。";
    AGENDA_OVERDUE: "Overdue ({n})" => "已逾期（{n} 项）";
    AGENDA_SUMMARY: "{n} {n|item|items} through {until}: {overdue} overdue, {today} today, {later} later" => "截至 {until} 共 {n} 项：逾期 {overdue}，今天 {today}，之后 {later}";
    DATE_FORMS: "YYYY-MM-DD, today, tomorrow, yesterday, +3d or 3d, -2d, +1w, +1m, +2b, a weekday like fri, or 今天 明天 后天 大后天 昨天 前天 周五 星期五 下周五 本周五 下个月 3天后" => "YYYY-MM-DD，今天 明天 后天 大后天 昨天 前天，周五 星期五 下周五 本周五，下个月，3天后，或 today、tomorrow、yesterday、+3d（3d）、-2d、+1w、+1m、+2b（工作日）、fri 这样的星期";
    E_NOT_A_FOLDER: "{dir} is not a folder; pass -C with the sales folder" => "{dir} 不是目录；请用 -C 指定销售目录";
    E_OUTSIDE_CUSTOMERS: "`{query}` points outside the customers folder; name a customer or a path inside {dir}/" => "`{query}` 指向客户目录之外；请写客户名称或 {dir}/ 中的路径";
    E_NAME_A_CUSTOMER: "name a customer (file name or name)" => "请指定一个客户（文件名或名称）";

    // The folder, the settings, the program.
    W_UNKNOWN_SETTING: "{file}: unknown key `{key}` is ignored" => "{file}：未知的设置项 `{key}`，已忽略";
    W_SKIPPED: "skipped {file}:{line}: {message}; run `followup check` to see every problem" => "已跳过 {file}:{line}：{message}；运行 `followup check` 查看所有问题";
    E_LEADS_OUTSIDE: "{dir} leads outside {customers}/ through a symbolic link; nothing was written" => "{dir} 通过符号链接指向 {customers}/ 之外；未写入任何内容";
    E_PRIVATE_GONE: "{file} disappeared while the customer was being created; nothing was written" => "新建客户时 {file} 不见了；未写入任何内容";
    E_PRIVATE_TRACKED: "{file} is tracked by git, so the confidential values in it are shared; run `git rm --cached {file}` and add it to .gitignore" => "{file} 被 git 跟踪，其中的保密信息会被共享；请运行 `git rm --cached {file}` 并把它加入 .gitignore";
    E_OUT_IS_FOLDER: "{dir} is a folder; give --out a file name such as {dir}/calendar.ics" => "{dir} 是目录；请给 --out 一个文件名，例如 {dir}/calendar.ics";
    E_WRITE_OUTPUT: "cannot write the output: {detail}" => "无法写出结果：{detail}";
    E_NOW_MS: "FOLLOWUP_NOW_MS `{value}` is not a number of milliseconds since 1970" => "FOLLOWUP_NOW_MS `{value}` 不是自 1970 年起的毫秒数";
    E_TODAY: "--today `{value}` is not a date; write it as YYYY-MM-DD" => "--today `{value}` 不是日期；请写成 YYYY-MM-DD";
    E_LANG: "--lang `{value}` is unknown; use en or zh" => "--lang `{value}` 无法识别；请用 en 或 zh";
    E_AGENDA_DAYS: "--days {days} is out of range; give 1 to 366 (1 is today only)" => "--days {days} 超出范围；请给 1 到 366（1 表示只看今天）";
    E_ICS_DAYS: "--days {days} is out of range; give 0 to 366" => "--days {days} 超出范围；请给 0 到 366";
    E_OWN_PATH: "cannot find this program's own path to register the merge driver: {detail}" => "找不到本程序的路径，无法注册合并驱动：{detail}";
    E_DRIVER_NOT_SET: "git would not set merge.followup.driver in {dir}; run: git config merge.followup.driver {command}" => "git 无法在 {dir} 中设置 merge.followup.driver；请运行：git config merge.followup.driver {command}";
    E_NOT_A_CLONE: "{dir} is not a git clone; run `git init` first, then `followup init --hooks`" => "{dir} 不是 git 仓库；请先运行 `git init`，再运行 `followup init --hooks`";
    E_HOOK_EXISTS: "{file} already exists and is not followup's; add this line to it: git diff --cached --name-only -z -- '{dir}/*.md' | xargs -0 -r followup check" => "{file} 已经存在且不是 followup 写的；请在其中加上这一行：git diff --cached --name-only -z -- '{dir}/*.md' | xargs -0 -r followup check";
    W_CURRENCIES: "the amounts are in {currencies}, summed as plain numbers; write every deal.amount in one currency for a true total" => "金额的币种有 {currencies}，已按数字直接相加；要得到准确的合计，请把所有 deal.amount 写成同一币种";
    E_EXPLAIN_STAGE: "--explain {metric}:{group}: `{group}` is not a stage; use one of: {stages}" => "--explain {metric}:{group}：`{group}` 不是阶段；请使用其中之一：{stages}";
    W_NO_WON_STAGE: "followup.toml: no stage is marked `won = true` and none is named `won`, so wins are counted only from `status: won`; add `won = true` to the stage that means a signed deal" => "followup.toml：没有阶段标记为 `won = true`，也没有名为 `won` 的阶段，因此只按 `status: won` 统计成交；请给代表签约的阶段加上 `won = true`";
    W_NO_CONVERTED_STAGE: "followup.toml: no stage is marked `converted = true` and none is named `intent`, so the conversion rate counts `{stage}` and later; add `converted = true` to the stage that counts" => "followup.toml：没有阶段标记为 `converted = true`，也没有名为 `intent` 的阶段，因此转化率按 `{stage}` 及之后的阶段计算；请给计入转化的阶段加上 `converted = true`";
}
