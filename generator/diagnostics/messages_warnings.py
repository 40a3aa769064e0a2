"""Warnings (Wxxx): problems that do not stop a build."""

from __future__ import annotations

from generator.diagnostics.message import Message

WARNINGS: dict[str, Message] = {
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
        "+ issued − repealed (effect {effect}): {reason_en}",
        "核对成文日期（written_date）和效力状况记录（validity_history）是否完整准确；数据无误时，在年度报告中说明差额",
        "check written_date and validity_history; if they are right, explain the difference in the annual report",
    ),
}
