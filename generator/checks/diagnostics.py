"""Diagnostics: one record per problem, a stable code, bilingual messages.

Every stage (reading, checking, building) reports problems as :class:`Diagnostic`
values; nothing raises for a content problem. Messages live in :data:`MESSAGES`,
keyed by code, so that the documentation can list every code and tests can
assert exact text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Message:
    zh: str
    en: str
    hint_zh: str = ""
    hint_en: str = ""


# code -> message templates. Parameters are filled with str.format(**params).
MESSAGES: dict[str, Message] = {
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
    # --- privacy (E8xx) ---
    "E801": Message(
        "疑似居民身份证号码 {masked}（{excerpt}）",
        "looks like a resident ID number {masked} ({excerpt})",
        "{hint}",
        "{hint_en}",
    ),
    "E802": Message(
        "疑似手机号码 {masked}（{excerpt}）",
        "looks like a mobile phone number {masked} ({excerpt})",
        "{hint}",
        "{hint_en}",
    ),
    "E803": Message(
        "疑似银行卡号 {masked}（{excerpt}）",
        "looks like a bank card number {masked} ({excerpt})",
        "{hint}",
        "{hint_en}",
    ),
    # --- configuration (E7xx) ---
    "E701": Message(
        "找不到站点配置文件 {file}",
        "site configuration {file} not found",
        "在仓库根目录创建 site_config.yml",
        "create site_config.yml at the repository root",
    ),
    "E702": Message(
        "站点配置项 {key} 无效：{problem}", "invalid site configuration {key}: {problem_en}", "{hint}", "{hint}"
    ),
    # --- theme, engine and installation (E750–E758), gongkai init (E760–E762) ---
    "E750": Message(
        "gongkai 安装不完整：找不到随软件包提供的网站主题 {theme}",
        "gongkai is not installed completely: its site theme {theme} is missing",
        "重新安装 gongkai（python3 -m pip install --force-reinstall gongkai==版本号）",
        "reinstall gongkai (python3 -m pip install --force-reinstall gongkai==VERSION)",
    ),
    "E751": Message(
        "主题文件是指向仓库之外（或不存在）的符号链接",
        "theme file is a symbolic link leading outside the repository (or nowhere)",
        "把文件本身放进 theme/，不要使用符号链接：链接的目标会被发布到网站上",
        "put the file itself into theme/: the target of a link would be published",
    ),
    "E752": Message(
        "主题模板语法错误：{problem}",
        "theme template syntax error: {problem_en}",
        "检查这一行的 {{{{ }}}} 与 {{% %}} 是否成对、标签是否拼写正确；也可以删除这个文件，改用 gongkai 自带的版本",
        "check that {{{{ }}}} and {{% %}} are balanced and tags spelled right, or delete the file to use gongkai's own",
    ),
    "E753": Message(
        "无法读取主题文件：{reason}",
        "cannot read the theme file: {reason_en}",
        "theme/ 中只放普通文件，模板须为 UTF-8 文本",
        "theme/ holds regular files only; templates must be UTF-8 text",
    ),
    "E754": Message(
        "主题模板引用的模板 {name} 不存在",
        "theme template refers to a template {name} that does not exist",
        "检查 include / extends / import 中的文件名；gongkai 自带的模板见其主题文件夹",
        "check the name in include / extends / import",
    ),
    "E755": Message(
        "主题模板在生成页面时出错：{problem}",
        "theme template failed while rendering a page: {problem_en}",
        "检查这一行用到的变量；删除 theme/ 中的这个文件可恢复 gongkai 自带的版本",
        "check the variables used on this line; deleting the file from theme/ restores gongkai's own",
    ),
    "E756": Message(
        "网站引擎（MkDocs）拒绝了由 site_config.yml 生成的配置：{detail}",
        "the site engine (MkDocs) refused the configuration derived from site_config.yml: {detail}",
        "检查 site_config.yml；如果配置无误，这是 gongkai 的问题，请连同这条信息一起报告",
        "check site_config.yml; if it is right, this is a gongkai bug: please report it with this message",
    ),
    "E757": Message(
        "写入网站文件失败：{reason}",
        "writing the site failed: {reason_en}",
        "检查磁盘空间和输出文件夹的写入权限后重新构建；原有网站未改动",
        "check disk space and write permission, then build again; the previous site is untouched",
    ),
    "E758": Message(
        "网站引擎出错：{detail}",
        "the site engine failed: {detail}",
        "这是 gongkai 或网站主题的问题；设置 GONGKAI_DEBUG=1 可查看详细信息，请连同这条信息一起报告",
        "a gongkai or theme problem; set GONGKAI_DEBUG=1 for details and please report it with this message",
    ),
    "E760": Message(
        "已存在，gongkai init 不会覆盖已有内容",
        "already exists; gongkai init never overwrites anything",
        "在新的空文件夹中运行 gongkai init，或先移走这些文件和文件夹",
        "run gongkai init in a new, empty folder, or move these files and folders away first",
    ),
    "E761": Message(
        "不是文件夹，无法在其中新建网站",
        "is not a folder; a new site cannot be created in it",
        "指定一个新的或空的文件夹，例如 gongkai init my-site",
        "name a new or empty folder, e.g. gongkai init my-site",
    ),
    "E762": Message(
        "无法写入：{reason}",
        "cannot write: {reason_en}",
        "检查文件夹的写入权限和磁盘空间；已写入的文件已删除",
        "check write permission and disk space; the files already written were removed",
    ),
    # --- import (E9xx) ---
    "E901": Message(
        "无法读取导入文件 {file}：{reason}",
        "cannot read the export {file}: {reason}",
        "检查文件路径和权限；CSV 应为 UTF-8 或 GBK/GB18030 编码",
        "check the path and permissions; a CSV must be UTF-8 or GBK/GB18030",
    ),
    "E902": Message(
        "不支持的导入文件格式：{file}",
        "unsupported export format: {file}",
        "可导入 .csv、.xlsx、.json、.jsonl 文件",
        "gongkai import reads .csv, .xlsx, .json and .jsonl files",
    ),
    "E903": Message(
        "读取 {file} 需要 openpyxl",
        "reading {file} needs openpyxl",
        "安装：python3 -m pip install 'gongkai[xlsx]'，或在 Excel 中另存为 CSV",
        "install it: python3 -m pip install 'gongkai[xlsx]', or save the sheet as CSV",
    ),
    "E904": Message(
        "导入文件格式错误：{problem}",
        "malformed export: {problem}",
        "JSON 应为对象数组，JSONL 每行一个对象",
        "JSON must be an array of objects, JSONL one object per line",
    ),
    "E905": Message(
        "映射文件中的 {key} 无效：{problem}",
        "invalid mapping file entry {key}: {problem}",
        "映射文件的写法见 docs/import.md",
        "see docs/import.md for the mapping file",
    ),
    "E906": Message(
        "{label} {value} 不是可识别的日期，未导入",
        "{label} {value} is not a date it can read; not imported",
        "可识别的写法：2020-12-10、2020年12月10日、2020/12/10、20201210",
        "readable forms: 2020-12-10, `2020年12月10日`, 2020/12/10, 20201210",
    ),
    "E907": Message(
        "{label} {value} 不在本站词表中，按原样写入",
        "{label} {value} is not in the site's vocabulary; written as it is",
        "在 site_config.yml 的词表中加入它（或作为已有词的 aliases），或在 CMS 中更正",
        "add it to the vocabulary in site_config.yml (or as an alias of a term), or correct it in the CMS",
    ),
    "E908": Message(
        "{file} 中没有表头或记录",
        "{file} has no header row or records",
        "第一行应为列名",
        "the first row must hold the column names",
    ),
    "E909": Message(
        "与 {other} 是同一条记录（CMS id 或索引号相同），未重复导入",
        "the same record as {other} (same CMS id or index_no); not imported twice",
        "删除重复的行，或检查 CMS 导出",
        "remove the duplicate row or check the CMS export",
    ),
    "E910": Message(
        "导入目标 {folder} 不是 gongkai 仓库，也不是空文件夹",
        "import target {folder} is neither a gongkai repository nor an empty folder",
        "--into 指定已有仓库（含 site_config.yml）或一个尚不存在的文件夹",
        "--into takes an existing repository (with site_config.yml) or a folder that does not exist yet",
    ),
    # --- warnings (W) ---
    "W101": Message(
        "{doc_type}尚无政策解读",
        "{doc_type} has no interpretation",
        "规章和行政规范性文件应同步发布解读（content/interpretations/），可用 gongkai new interpretation",
        '"规章" and "行政规范性文件" must be interpreted; try `gongkai new interpretation`',
    ),
    "W102": Message(
        "引用了未公开的条目 {value}",
        "refers to non-public entry {value}",
        "草稿或尚未到公开时间的条目不会出现在网站上，链接将显示为纯文本",
        "drafts and embargoed entries are not published; the link renders as plain text",
    ),
    "W104": Message(
        "施行日期 {effective} 已到，但效力状况仍为 尚未生效",
        'effective_date {effective} has come but validity is still "尚未生效"',
        "在 validity_history 中补记 {{date: {effective}, status: 有效}} 并把 validity 改为 有效",
        "append `{{date: {effective}, status: 有效}}` and set validity to `有效`",
    ),
    "W105": Message(
        "{what} 的网址 {url} 与 {other}（{where}）只有字母大小写不同",
        "{what} at {url} differs from {other} ({where}) only in letter case",
        "在不区分大小写的服务器（如 IIS）或 Windows、macOS 上二者会互相覆盖，请改用不同的名称",
        "on a case-insensitive server (e.g. IIS) or on Windows or macOS one overwrites the other: rename one",
    ),
    "W801": Message(
        "privacy_ack 登记的号码 {masked} 未在本条信息中出现",
        "privacy_ack value {masked} does not occur in this item",
        "删除这条登记，或检查号码是否写错",
        "remove the acknowledgement or correct the number",
    ),
    "W802": Message(
        "privacy_ack 登记的 {masked} 不是身份证号、手机号或银行卡号，隐私检查不会报告它，无需登记",
        "privacy_ack value {masked} is not an ID, mobile or bank card number; the check never reports it",
        '删除这条登记；value 只写号码本身，例如 value: "13800000000"',
        'remove the acknowledgement; value is the number only, e.g. value: "13800000000"',
    ),
    # --- statutory deadlines in working days (W71x; generator/checks/deadlines.py) ---
    "W710": Message(
        "公开日期 {published} 距成文日期 {written} 已 {days} 个工作日，超过 20 个工作日",
        "published {published}, {days} working days after written_date {written}: more than 20",
        "《政府信息公开条例》第二十六条：主动公开的政府信息应自形成或者变更之日起 20 个工作日内公开"
        "（最迟 {due}）；如成文日期有误请更正",
        "Regulations Art. 26: proactive information is published within 20 working days of being made "
        "or changed (here by {due}); correct written_date if it is wrong",
    ),
    "W711": Message(
        "解读发布于原文件 {target}（公开于 {source_date}）之后第 {days} 个工作日，超过 3 个工作日",
        "interpretation published {days} working days after its document {target} ({source_date}): more than 3",
        "“发布·解读·回应”规定：政策解读与文件同步发布，最迟在文件公开后 3 个工作日内（本件最迟 {due}）",
        'the "发布·解读·回应" rule: interpretations are due with the document, '
        "at the latest 3 working days later (here {due})",
    ),
    "W712": Message(
        "工作日历没有 {year} 年的节假日安排，无法计算{what}的工作日",
        "the working-day calendar has no holiday arrangement for {year}: cannot count working days for {what_en}",
        "升级 chinesecalendar（pip install -U chinesecalendar）；国务院通知已发布而软件包尚未更新时，"
        "可在 site_config.yml 的 calendar.years 中加入 {year}，并在 days_off、workdays 中写明当年的放假和调休上班日",
        "upgrade chinesecalendar (pip install -U chinesecalendar); until it covers {year}, add {year} to "
        "calendar.years in site_config.yml and list that year's holidays and make-up days in days_off and workdays",
    ),
    "W713": Message(
        "{doc_type}自 {start} 起已满 {years} 年有效期（至 {end}），未见延续，效力状况仍为 有效",
        "{doc_type} in force since {start} has passed its {years}-year validity period (ended {end}) without renewal",
        "行政规范性文件有效期一般为 5 年，标题含“暂行”“试行”的为 2 年；经评估继续有效的，重新登记、编号、公布，"
        "并填写新的 expires；不再适用的，补记 {{date: {lapse}, status: 失效}}",
        'normative documents ("行政规范性文件") are valid for 5 years, "暂行"/"试行" ones for 2; renew it (re-register, re-publish, '
        "set a new expires) or append `{{date: {lapse}, status: 失效}}`",
    ),
    "W714": Message(
        "有效期至 {end}，还有 {days} 天到期",
        "expires {end}, in {days} days",
        "请及早评估（提醒期 {window} 天，site_config.yml 的 deadlines.expiry_window）：继续有效的重新登记、编号、"
        "公布并更新 expires；不再适用的按期失效或废止（清理）",
        "review it now (reminder window {window} days, deadlines.expiry_window): renew and update expires, "
        "or let it lapse / repeal it",
    ),
    "W715": Message(
        "{agency} 未在 {due} 前公开 {year} 年政府信息公开工作年度报告",
        "{agency} has not published its {year} annual report (due {due})",
        "《政府信息公开条例》第四十九条：政府部门每年 1 月 31 日前、本级政府每年 3 月 31 日前公布上一年度年度报告；"
        "公开后在目录中加入信息类别为 公开年报 的条目",
        "Regulations Art. 49: departments publish last year's report by 31 January, governments by 31 March; "
        'add it to the catalogue with info_type "公开年报"',
    ),
    "W716": Message(
        "{year} 年度报告公开于 {published}，晚于 {due}",
        "{year} annual report published {published}, after {due}",
        "《政府信息公开条例》第四十九条：政府部门每年 1 月 31 日前、本级政府每年 3 月 31 日前公布上一年度年度报告"
        "（本级政府的期限可在 deadlines.annual_report_due 中设为 03-31）",
        "Regulations Art. 49: departments by 31 January, governments by 31 March "
        "(set a government's date in deadlines.annual_report_due)",
    ),
    "W717": Message(
        "{other} 自 {changed} 起{action}本文件，{days} 个工作日后效力状况仍为 {status}",
        "{other} {action_en} this document from {changed}; {days} working days later its validity is still {status}",
        "《政府信息公开条例》第二十六条：信息变更之日起 20 个工作日内公开（最迟 {due}）；"
        "在 validity_history 中补记 {{date: {changed}, status: {expected}, by: {other}}} 并更新 validity",
        "Regulations Art. 26: a change is published within 20 working days (here by {due}); append "
        "{{date: {changed}, status: {expected}, by: {other}}} to validity_history and update validity",
    ),
    "W750": Message(
        "gongkai init 留下的占位内容尚未替换{more}：{text}",
        "placeholder left by gongkai init is still there{more_en}: {text}",
        "发布前改为本机关的真实信息；占位内容会原样出现在网站上",
        "replace it with the office's real information before publishing: it is shown on the site as is",
    ),
    "W110": Message(
        "草稿的{label}仍是模板中的占位文字“{text}”",
        'the draft\'s {key} still holds the template placeholder "{text}"',
        "发布前把占位文字换成实际内容",
        "replace the placeholder with the real text before publishing",
    ),
    "W301": Message(
        "草稿缺少必填字段 {key}（{label}）",
        "draft lacks the required field {key} ({label})",
        "{hint}；补全后再删除 draft: true 发布",
        "fill it in before removing draft: true to publish",
    ),
    "W901": Message(
        "来源没有提供{label}（{key}），已作为草稿导入",
        "the source gives no {label} ({key}); imported as a draft",
        "补全后删除 draft: true 即可发布；gongkai check 会列出仍缺少的字段",
        "fill it in, then remove draft: true to publish; gongkai check lists what is still missing",
    ),
    "W902": Message(
        "列 {column} 未对应任何字段，未导入",
        "column {column} maps to no field; not imported",
        "需要时在映射文件 columns 中指定字段，或写 null 表示有意忽略",
        "map it under columns in a mapping file, or write null to ignore it on purpose",
    ),
    "W903": Message(
        "{label} {value} 是推断值（不是元数据表中的值），未导入",
        "{label} {value} was guessed, not read from a metadata table; not imported",
        "需要时由编辑核实后填写",
        "an editor may fill it in after checking",
    ),
    "W904": Message(
        "{label} {value} 已规范为 {new}",
        "{label} {value} normalised to {new}",
        "",
        "",
    ),
    "W905": Message(
        "附件或图片 {title} 在站外（{href}），未下载，保留为正文中的链接",
        "attachment or image {title} is elsewhere ({href}); not downloaded, kept as a link in the body",
        "把文件放在导出文件旁（相对路径）再导入，即可作为附件",
        "put the file beside the export (relative link) and import again to attach it",
    ),
    "W906": Message(
        "机构 {agency} 的索引号前段码不唯一（{codes}），未写入 code",
        "agency {agency} has several index_no prefixes ({codes}); no code written",
        "在 site_config.yml 中为该机构填写正确的 code",
        "set the right code for it in site_config.yml",
    ),
    "W907": Message(
        "所解读的文件 {title} 不在本站，记为站外原文件（interprets_external）",
        "the document {title} is not in this catalogue; recorded as interprets_external",
        "原文件导入本站后再次导入，即改为 interprets 链接",
        "import the document too and re-import to link it with interprets",
    ),
    "W909": Message(
        "来源没有公开方式：{count} 条记录附有已在网上发布的正文，按 主动公开 导入",
        'the source gives no disclosure mode: {count} records carry a body published online; imported as "主动公开"',
        "依申请公开的信息不会在网上发布正文；如有例外，在映射文件 values 中写明 disclosure",
        '"依申请公开" information is never published with its text; state disclosure under values in a mapping file if not so',
    ),
    "W908": Message(
        "未能自动把机构 {agency}（id {id}）加入 site_config.yml",
        "could not add agency {agency} (id {id}) to site_config.yml",
        "在 agencies 列表中手工加入 - {{id: {id}, name: {agency}}}",
        "add - {{id: {id}, name: {agency}}} to the agencies list by hand",
    ),
    "W130": Message(
        "{year} 年{info_type}年度统计勾稽关系不成立（本条影响 {effect}）：{reason}",
        "{year} annual report, {info_type}: this entry breaks the identity in force = in force last year "
        "+ issued − repealed (effect {effect}): {reason}",
        "核对成文日期（written_date）和效力状况记录（validity_history）是否完整准确；数据无误时，在年度报告中说明差额",
        "check written_date and validity_history; if they are right, explain the difference in the annual report",
    ),
}


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place. ``line``/``col`` are 1-based; 0 means unknown."""

    path: str
    line: int
    col: int
    code: str
    params: tuple[tuple[str, Any], ...] = ()

    @property
    def severity(self) -> Severity:
        return Severity.WARNING if self.code.startswith("W") else Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def message(self, lang: str = "zh") -> str:
        tpl = MESSAGES[self.code]
        return _fill(tpl.en if lang == "en" else tpl.zh, self.params)

    def hint(self, lang: str = "zh") -> str:
        tpl = MESSAGES[self.code]
        if lang == "en":
            return _fill_hint_en(tpl.hint_en, self.params)
        return _fill(tpl.hint_zh, self.params)

    def location(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.col}"
        return self.path

    def format(self, lang: str = "zh") -> str:
        word = _SEVERITY_WORD[lang][self.severity]
        text = f"{self.location()}: {word}[{self.code}]: {self.message(lang)}"
        hint = self.hint(lang)
        if hint:
            text += f"\n  {_HINT_WORD[lang]}{hint}"
        return text

    def to_json(self, lang: str = "zh") -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message(lang),
            "hint": self.hint(lang),
        }


_SEVERITY_WORD = {
    "zh": {Severity.ERROR: "错误", Severity.WARNING: "警告"},
    "en": {Severity.ERROR: "error", Severity.WARNING: "warning"},
}
_HINT_WORD = {"zh": "提示：", "en": "hint: "}


class _Missing(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def _fill(template: str, params: tuple[tuple[str, Any], ...]) -> str:
    return template.format_map(_Missing(params))


def _fill_hint_en(template: str, params: tuple[tuple[str, Any], ...]) -> str:
    """The English hint. ``{hint}`` stands for the caller's ``hint_en`` (never the Chinese ``hint``)."""
    values = dict(params)
    if template == "{hint}":
        if values.get("hint_en"):
            return str(values["hint_en"])
        return f"did you mean {values['suggestion']}?" if values.get("suggestion") else ""
    return _fill(template, params)


def diag(path: str, pos: tuple[int, int] | None, code: str, **params: Any) -> Diagnostic:
    """Build a diagnostic; ``pos`` is ``(line, col)`` or ``None``."""
    if code not in MESSAGES:  # programming error, not content error
        raise KeyError(code)
    line, col = pos if pos else (0, 0)
    return Diagnostic(path, line, col, code, tuple(sorted(params.items())))


def sort_diagnostics(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    return sorted(set(diags), key=lambda d: (d.path, d.line, d.col, d.code, d.params))


def summary(diags: list[Diagnostic], lang: str = "zh") -> str:
    errors = sum(1 for d in diags if d.is_error)
    warnings = len(diags) - errors
    if lang == "en":
        return f"{errors} error(s), {warnings} warning(s)"
    return f"共 {errors} 个错误，{warnings} 个警告"


def render_text(diags: list[Diagnostic], lang: str = "zh") -> str:
    """All diagnostics; a hint already shown for the same code is not repeated."""
    shown: set[tuple[str, str]] = set()
    lines: list[str] = []
    for d in diags:
        key = (d.code, d.hint(lang))
        text = d.format(lang)
        if key in shown:
            text = text.split("\n", 1)[0]
        shown.add(key)
        lines.append(text)
    return "\n".join(lines)


def render_json(diags: list[Diagnostic], lang: str = "zh", extra: Mapping[str, Any] | None = None) -> str:
    payload: dict[str, Any] = {"diagnostics": [d.to_json(lang) for d in diags]}
    payload["errors"] = sum(1 for d in diags if d.is_error)
    payload["warnings"] = len(diags) - payload["errors"]
    if extra:
        payload.update(extra)
    return json.dumps(payload, ensure_ascii=False, indent=2)
