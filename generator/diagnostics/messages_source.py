"""Messages for reading and checking one source file and the catalogue: E0xx–E6xx."""

from __future__ import annotations

from generator.diagnostics.message import Message

SOURCE: dict[str, Message] = {
    # --- reading (E0xx) ---
    "E001": Message(
        "文件不是有效的 UTF-8 编码（第 {byte} 字节附近）",
        "file is not valid UTF-8 (near byte {byte})",
        "{hint}",
        "save the file as UTF-8",
    ),
    "E002": Message(
        "文件含有 NUL 字节，可能是二进制文件",
        "file contains NUL bytes; it looks binary",
        "目录与内容目录中只应放置 Markdown 文本文件",
        "only Markdown text files belong in catalogue/ and content/",
    ),
    "E003": Message(
        "文件为空",
        "file is empty",
        "以 --- 开头写入元数据，可用 gongkai new 生成模板",
        "start with --- front matter; `gongkai new` writes a template",
    ),
    "E004": Message(
        "缺少元数据（YAML front matter）",
        "missing front matter",
        "文件第一行应为 ---，随后是元数据，再以 --- 结束",
        "the first line must be ---, followed by the metadata and a closing ---",
    ),
    "E005": Message(
        "元数据没有结束标记 ---",
        "front matter is not closed",
        "在元数据最后一行之后加一行 ---",
        "add a line --- after the last metadata line",
    ),
    "E006": Message("YAML 语法错误：{problem}", "YAML syntax error: {problem_en}", "{hint}", "{hint}"),
    "E007": Message(
        "元数据应为“字段: 值”的映射，实际是{actual}",
        "front matter must be a mapping of field: value, got {actual}",
        "每行写一个字段，例如 title: 某某通知",
        "write one field per line, e.g. title: …",
    ),
    "E008": Message(
        "字段 {key} 重复出现（首次在第 {first_line} 行）",
        "duplicate key {key} (first on line {first_line})",
        "删除重复的一行",
        "remove the duplicate line",
    ),
    "E009": Message(
        "不支持 YAML 锚点和别名（&、*）",
        "YAML anchors and aliases (&, *) are not supported",
        "请直接写出完整的值",
        "write the value out in full",
    ),
    "E010": Message(
        "不支持的 YAML 标签 {tag}",
        "unsupported YAML tag {tag}",
        "删除标签，直接写值",
        "remove the tag and write the plain value",
    ),
    "E011": Message(
        "文件编码为 {encoding}，应为 UTF-8",
        "file is encoded as {encoding}, not UTF-8",
        "请用 UTF-8 编码另存此文件",
        "save the file as UTF-8",
    ),
    "E012": Message(
        "元数据过于复杂：{detail}",
        "front matter is too complex: {detail_en}",
        "元数据只需两三层结构",
        "front matter needs two or three levels at most",
    ),
    "E013": Message(
        "字段名必须是文字，实际是 {actual}",
        "keys must be text, got {actual}",
        "例如 title: …",
        "e.g. title: …",
    ),
    "E014": Message(
        "符号链接指向仓库之外",
        "symbolic link points outside the repository",
        "请把文件本身放入仓库，不要链接到仓库外",
        "put the file itself into the repository",
    ),
    "E015": Message(
        "文件过大（{size} 字节，上限 {limit} 字节）",
        "file is too large ({size} bytes, limit {limit})",
        "拆分为多个文件，或把大段数据放入附件",
        "split it, or move bulk data into an attachment",
    ),
    "E016": Message(
        "无法读取文件：{reason}",
        "cannot read the file: {reason_en}",
        "目录和内容目录中只应放置普通的 Markdown 文件",
        "only regular Markdown files belong in catalogue/ and content/",
    ),
    "E017": Message(
        "一个文件中写了 {count} 条信息，第二条从这里开始",
        "{count} entries in one file; the second starts here",
        "每条信息单独保存为一个文件",
        "save each entry as a file of its own",
    ),
    "E018": Message(
        "这一行过长（{length} 个字符，上限 {limit}）",
        "line too long ({length} characters, limit {limit})",
        "在段落之间换行；图片和大段数据请作为附件",
        "break the text into paragraphs; put images and bulk data into attachments",
    ),
    "E019": Message(
        "含有不可见的控制字符 {char}",
        "invisible control character {char}",
        "删除该字符（常见于从 Word 或网页复制的文字）",
        "delete the character (it often comes with text copied from Word or web pages)",
    ),
    "E020": Message(
        "正文嵌套过深：{detail}",
        "body is nested too deeply: {detail_en}",
        "列表、引用和提示框最多嵌套 {limit} 层",
        "lists, quotes and admonitions nest at most {limit} levels",
    ),
    "E021": Message(
        "正文过于复杂，无法安全排版：{detail}",
        "body is too complex to render safely: {detail_en}",
        "{hint}",
        "{hint_en}",
    ),
    "E022": Message(
        "正文无法排版：{detail}",
        "the body cannot be rendered: {detail}",
        "简化这段正文的格式（嵌套的列表、引用、强调）",
        "simplify the formatting of this body (nested lists, quotes, emphasis)",
    ),
    "E023": Message(
        "构建目标 {target} {reason}，拒绝写入",
        "build target {target} {reason_en}; refused",
        "把网站生成到项目中一个普通的新文件夹（默认 site/），不要使用符号链接或源文件所在的文件夹",
        "build into a plain folder of its own (site/ by default), not a symbolic link or a source folder",
    ),
    "E024": Message(
        "构建目标 {target} 已存在，但不是 gongkai 生成的网站，拒绝覆盖",
        "build target {target} exists and is not a site built by gongkai; refused",
        "换一个输出文件夹，或先自行检查并移走这个文件夹",
        "choose another output folder, or inspect and move this folder away yourself",
    ),
    "E025": Message(
        "构建缓存 {target} 是符号链接或不是文件夹，拒绝使用",
        "build cache {target} is a symbolic link or not a folder; refused",
        "删除这个符号链接或文件，下次构建会重新创建缓存",
        "remove the link or file; the next build creates the cache again",
    ),
    "E026": Message(
        "{what} 的网址 {url} 已被 {other}（{where}）使用",
        "{what} would be published at {url}, already used by {other} ({where})",
        "两个页面不能使用同一网址：修改其中一个的 slug、文件名或索引号",
        "two pages cannot share one address: change the slug, file name or index_no of one of them",
    ),
    "E027": Message(
        "附件或媒体文件 {file} 无法读取：{reason}",
        "attachment or media file {file} cannot be read: {reason_en}",
        "检查文件权限（例如 chmod a+r），或从元数据中删除这个文件",
        "check the file's permissions (e.g. chmod a+r), or remove it from the front matter",
    ),
    "E028": Message(
        "检查之后文件又被修改，本次构建未使用它",
        "the file changed after it was checked; this build did not use it",
        "保存完成后重新运行构建",
        "run the build again once the file is saved",
    ),
    # --- schema (E1xx) ---
    "E101": Message("缺少必填字段 {key}（{label}）", "missing required field {key}", "{hint}", "{hint}"),
    "E102": Message("未知字段 {key}", "unknown field {key}", "{hint}", "{hint}"),
    "E103": Message(
        "字段 {key} 应为{expected}，实际是{actual}",
        "field {key} must be {expected_en}, got {actual_en}",
        "{hint}",
        "{hint}",
    ),
    "E104": Message(
        "字段 {key} 不能为空", "field {key} must not be empty", "填写内容或删除此行", "fill it in or delete the line"
    ),
    "E105": Message(
        "{label}为{doc_type}时必须填写 {key}",
        "{key} is required when info_type is {doc_type}",
        "{hint}",
        "{hint}",
    ),
    "E106": Message(
        "{label}仍是模板中的占位文字“{text}”",
        '{key} still holds the template placeholder "{text}"',
        "把占位文字换成实际内容",
        "replace the placeholder with the real text",
    ),
    "E107": Message(
        "元数据中有制表符（Tab）",
        "tab character in the front matter",
        "YAML 只能用空格缩进：把 Tab 换成空格",
        "YAML is indented with spaces only: replace the tab with spaces",
    ),
    # --- dates (E2xx) ---
    "E201": Message(
        "{key} 不是有效日期：{value}",
        "{key} is not a valid date: {value}",
        "日期格式为 YYYY-MM-DD，例如 2024-03-05",
        "use YYYY-MM-DD, e.g. 2024-03-05",
    ),
    "E202": Message(
        "日期 {value} 不存在",
        "date {value} does not exist",
        "检查月份和日期，例如 2 月最多 29 天",
        "check month and day; February has at most 29 days",
    ),
    "E203": Message(
        "成文日期 {written} 晚于公开日期 {published}",
        "written_date {written} is after published_date {published}",
        "成文日期（written_date）应不晚于公开日期（published_date）",
        "written_date must not be later than published_date",
    ),
    "E204": Message(
        "{key} 的日期 {value} 早于前一条记录 {previous}",
        "{key} date {value} is earlier than the previous event {previous}",
        "按时间先后顺序排列",
        "list events in chronological order",
    ),
    # --- identifiers (E3xx) ---
    "E301": Message(
        "索引号 {value} 不符合本站格式",
        "index_no {value} does not match the site pattern",
        "格式示例：{example}",
        "example: {example}",
    ),
    "E302": Message(
        "索引号前段码 {prefix} 与发布机构 {agency} 的代码 {agency_code} 不一致",
        "index_no prefix {prefix} does not match the code {agency_code} of {agency}",
        "改为 {suggestion}",
        "use {suggestion}",
    ),
    "E303": Message(
        "索引号年份 {year} 与{date_label} {date} 不一致",
        "index_no year {year} does not match {date_key} {date}",
        "索引号年份应取{date_label}所在年份",
        "the year in index_no is the year of {date_key}",
    ),
    "E304": Message(
        "索引号 {value} 重复，已用于 {other}",
        "index_no {value} is already used by {other}",
        "索引号必须唯一且永不复用，请分配新的序号",
        "index numbers are unique and never reused; allocate a new serial",
    ),
    "E311": Message(
        "文号 {value} 格式不规范",
        "doc_number {value} is malformed",
        "{hint}",
        "{hint_en}",
    ),
    "E312": Message(
        "文号 {value} 的年份应使用六角括号〔〕",
        "doc_number {value} must wrap the year in 〔〕",
        "改为 {suggestion}",
        "use {suggestion}",
    ),
    "E305": Message(
        "文号 {value} 中有空格",
        "doc_number {value} contains spaces",
        "改为 {suggestion}（gongkai fmt 会自动删除空格）",
        "use {suggestion} (gongkai fmt removes the spaces)",
    ),
    "E306": Message(
        "索引号 {value} 中有空格",
        "index_no {value} contains spaces",
        "改为 {suggestion}（gongkai fmt 会自动删除空格）",
        "use {suggestion} (gongkai fmt removes the spaces)",
    ),
    "E307": Message(
        "站外原文件的网址 {value} 无效",
        "the address {value} of a document published elsewhere is not valid",
        "写 http:// 或 https:// 开头的完整网址，或省略 url",
        "write a full http:// or https:// address, or leave url out",
    ),
    # --- vocabularies (E4xx) ---
    "E401": Message(
        "{label} {value} 不在词表中",
        "{key} value {value} is not in the vocabulary",
        "{hint}",
        "{hint}",
    ),
    "E402": Message(
        "未知机构 {value}",
        "unknown agency {value}",
        "{hint}",
        "{hint}",
    ),
    # --- references and validity (E5xx) ---
    "E501": Message(
        "引用的索引号 {value} 不存在",
        "referenced index_no {value} does not exist",
        "{hint}",
        "{hint}",
    ),
    "E502": Message(
        "效力状况不能从 {old} 变为 {new}",
        "validity cannot change from {old} to {new}",
        "允许的变化：{allowed}",
        "allowed: {allowed}",
    ),
    "E503": Message(
        "效力状况 {validity} 与效力记录最后一条 {last} 不一致",
        "validity {validity} differs from the last validity_history status {last}",
        "在 validity_history 末尾补记一条 {{date: …, status: {validity}}}",
        "append {{date: …, status: {validity}}} to validity_history",
    ),
    "E504": Message(
        "填写了效力状况 {validity}，但缺少 validity_history",
        "validity {validity} is set but validity_history is missing",
        "补充带日期的效力记录，例如 - {{date: 2024-01-01, status: 有效}}",
        "add dated events, e.g. `- {{date: 2024-01-01, status: 有效}}`",
    ),
    "E505": Message(
        "关系引用形成循环：{cycle}",
        "relations form a cycle: {cycle}",
        "修改、废止、替代关系只能指向更早的文件",
        "amends/repeals/replaces may only point at earlier documents",
    ),
    "E506": Message(
        "条目不能引用自身",
        "an entry cannot refer to itself",
        "删除此引用",
        "remove this reference",
    ),
    "E507": Message(
        "有效期至 {expires} 已过，但效力状况仍为 有效",
        'expires {expires} has passed but validity is still "有效"',
        "在 validity_history 中补记 {{date: {expires}, status: 失效}} 并把 validity 改为 失效",
        "append `{{date: {expires}, status: 失效}}` and set validity to `失效`",
    ),
    # --- attachments (E6xx) ---
    "E601": Message(
        "附件文件 {file} 不存在",
        "attachment {file} does not exist",
        "路径相对于 {base}/ 目录",
        "paths are relative to {base}/",
    ),
    "E602": Message(
        "附件 {file} 的 sha256 与文件内容不符",
        "sha256 of attachment {file} does not match its content",
        "实际为 {actual}",
        "actual: {actual}",
    ),
    "E603": Message(
        "附件路径 {file} 不安全",
        "attachment path {file} is not allowed",
        "只能使用仓库内的相对路径，不能含 ..、绝对路径或网址",
        "use a relative path inside the repository: no .., absolute paths or URLs",
    ),
    "E604": Message(
        "sha256 应为 64 位十六进制数",
        "sha256 must be 64 hexadecimal digits",
        "可用 sha256sum 命令计算",
        "compute it with sha256sum",
    ),
}
