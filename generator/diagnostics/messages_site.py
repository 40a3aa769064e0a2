"""Messages for privacy (E8xx), site configuration (E7xx), theme/engine/installation and
`gongkai init` (E75x–E76x), and import (E9xx)."""

from __future__ import annotations

from generator.diagnostics.message import Message

SITE: dict[str, Message] = {
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
}
