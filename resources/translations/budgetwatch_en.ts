<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AssignDialog</name>
    <message>
        <location filename="../../desktop/dialogs/suggestion_step.py" line="90"/>
        <source>交办</source>
        <translation>Assign</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_step.py" line="93"/>
        <source>（请选择）</source>
        <translation>(choose)</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_step.py" line="100"/>
        <source>交办意见（可不填）</source>
        <translation>Instructions (optional)</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_step.py" line="102"/>
        <source>承办部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_step.py" line="103"/>
        <source>办理期限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_step.py" line="104"/>
        <source>交办意见</source>
        <translation>Instructions</translation>
    </message>
</context>
<context>
    <name>AttachmentModel</name>
    <message>
        <location filename="../../desktop/attachments_strip.py" line="275"/>
        <source>上传中 {percent}%</source>
        <translation>Uploading {percent}%</translation>
    </message>
    <message>
        <location filename="../../desktop/attachments_strip.py" line="277"/>
        <source>失败：{reason}</source>
        <translation>Failed: {reason}</translation>
    </message>
    <message>
        <location filename="../../desktop/attachments_strip.py" line="278"/>
        <source>提交后上传</source>
        <translation>Uploaded once sent</translation>
    </message>
    <message>
        <location filename="../../desktop/attachments_strip.py" line="278"/>
        <source>待上传</source>
        <translation>Waiting to upload</translation>
    </message>
    <message>
        <location filename="../../desktop/attachments_strip.py" line="278"/>
        <location filename="../../desktop/attachments_strip.py" line="279"/>
        <source>已上传</source>
        <translation>Uploaded</translation>
    </message>
    <message>
        <location filename="../../desktop/attachments_strip.py" line="335"/>
        <source>{size} KB · {state}</source>
        <translation>{size} KB · {state}</translation>
    </message>
    <message>
        <location filename="../../desktop/attachments_strip.py" line="338"/>
        <source>办理经过中的附件（如答复函）</source>
        <translation>Attached to a step of its handling (e.g. a reply letter)</translation>
    </message>
</context>
<context>
    <name>AttachmentStrip</name>
    <message>
        <location filename="../../desktop/attachments_strip.py" line="142"/>
        <source>无法识别的图片</source>
        <translation>Unrecognised image</translation>
    </message>
    <message>
        <location filename="../../desktop/attachments_strip.py" line="144"/>
        <source>图片尺寸 {width}×{height} 异常，不生成缩略图</source>
        <translation>Image size {width}×{height} is abnormal: no thumbnail</translation>
    </message>
    <message>
        <location filename="../../desktop/attachments_strip.py" line="149"/>
        <source>图片已损坏：{error}</source>
        <translation>Damaged image: {error}</translation>
    </message>
    <message>
        <location filename="../../desktop/attachments_strip.py" line="386"/>
        <source>添加附件…</source>
        <translation>Attach files…</translation>
    </message>
    <message>
        <location filename="../../desktop/attachments_strip.py" line="388"/>
        <source>打开</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../../desktop/attachments_strip.py" line="390"/>
        <source>另存为…</source>
        <translation>Save a copy…</translation>
    </message>
    <message>
        <location filename="../../desktop/attachments_strip.py" line="392"/>
        <source>重试</source>
        <translation>Retry</translation>
    </message>
    <message>
        <location filename="../../desktop/attachments_strip.py" line="394"/>
        <source>移除</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location filename="../../desktop/attachments_strip.py" line="443"/>
        <source>附件（{count}）</source>
        <translation>Attachments ({count})</translation>
    </message>
    <message>
        <location filename="../../desktop/attachments_strip.py" line="446"/>
        <source>可拖入照片或文档；离线也可以添加，联网后自动上传。</source>
        <translation>Drop photos or documents here; works offline too, uploaded when connected.</translation>
    </message>
    <message>
        <location filename="../../desktop/attachments_strip.py" line="471"/>
        <source>图片和文档 (*.jpg *.jpeg *.png *.pdf *.docx *.xlsx *.pptx);;所有文件 (*)</source>
        <translation>Images and documents (*.jpg *.jpeg *.png *.pdf *.docx *.xlsx *.pptx);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../desktop/attachments_strip.py" line="472"/>
        <source>添加附件</source>
        <translation>Attach files</translation>
    </message>
    <message>
        <location filename="../../desktop/attachments_strip.py" line="530"/>
        <source>正在下载，请稍候再打开。</source>
        <translation>Still downloading: open it in a moment.</translation>
    </message>
    <message>
        <location filename="../../desktop/attachments_strip.py" line="548"/>
        <source>另存为</source>
        <translation>Save a copy</translation>
    </message>
</context>
<context>
    <name>AutomaticReview</name>
    <message>
        <location filename="../../desktop/automatic_review.py" line="86"/>
        <source>无法完成自动审查：{message}</source>
        <translation>The automatic review could not run: {message}</translation>
    </message>
    <message>
        <location filename="../../desktop/automatic_review.py" line="99"/>
        <source>{title} ({count})</source>
        <translation>{title} ({count})</translation>
    </message>
</context>
<context>
    <name>BudgetPanel</name>
    <message>
        <location filename="../../desktop/panels/budget.py" line="28"/>
        <location filename="../../desktop/panels/budget.py" line="36"/>
        <location filename="../../desktop/panels/budget.py" line="46"/>
        <source>年初预算</source>
        <translation>Approved</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/budget.py" line="28"/>
        <location filename="../../desktop/panels/budget.py" line="29"/>
        <source>万元</source>
        <translation>10k yuan</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/budget.py" line="29"/>
        <location filename="../../desktop/panels/budget.py" line="47"/>
        <source>调整后预算</source>
        <translation>Adjusted budget</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/budget.py" line="30"/>
        <source>比上年增减</source>
        <translation>Change on last year</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/budget.py" line="31"/>
        <source>科目数</source>
        <translation>Items</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/budget.py" line="32"/>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/budget.py" line="34"/>
        <source>筛选科目名称或编码…</source>
        <translation>Filter by name or code…</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/budget.py" line="36"/>
        <source>年初预算（万元）</source>
        <translation>Approved (10k yuan)</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/budget.py" line="40"/>
        <source>乡镇预算</source>
        <translation>Township budget</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/budget.py" line="44"/>
        <source>编码</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/budget.py" line="45"/>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/budget.py" line="48"/>
        <source>占比</source>
        <translation>Share</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/budget.py" line="49"/>
        <source>上年预算</source>
        <translation>Last year</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/budget.py" line="50"/>
        <source>比上年</source>
        <translation>vs last year</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/budget.py" line="56"/>
        <source>按功能分类</source>
        <translation>By function</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/budget.py" line="57"/>
        <source>按经济分类</source>
        <translation>By economic class</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/budget.py" line="58"/>
        <source>按部门</source>
        <translation>By department</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/budget.py" line="59"/>
        <source>按资金性质</source>
        <translation>By fund</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/budget.py" line="88"/>
        <source>{region} {year} 年没有预算数据。
请换一个年度或区域，或点击「立即同步」。</source>
        <translation>No budget data for {region} in {year}.
Choose another year or region, or click &quot;Sync now&quot;.</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <location filename="../../desktop/dialogs/change_password.py" line="16"/>
        <location filename="../../desktop/dialogs/change_password.py" line="30"/>
        <source>修改密码</source>
        <translation>Change password</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/change_password.py" line="18"/>
        <source>管理员重置了 {user} 的密码。请设置一个新密码后继续。</source>
        <translation>An administrator reset {user}&apos;s password. Set a new password to continue.</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/change_password.py" line="19"/>
        <source>为 {user} 设置新密码。</source>
        <translation>Set a new password for {user}.</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/change_password.py" line="26"/>
        <source>当前密码</source>
        <translation>Current password</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/change_password.py" line="27"/>
        <source>新密码</source>
        <translation>New password</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/change_password.py" line="28"/>
        <source>再次输入新密码</source>
        <translation>New password again</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/change_password.py" line="31"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/change_password.py" line="43"/>
        <source>新密码至少需要 {n} 个字符</source>
        <translation>The new password needs at least {n} characters</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/change_password.py" line="45"/>
        <source>两次输入的新密码不一致</source>
        <translation>The two new passwords differ</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/change_password.py" line="47"/>
        <source>新密码不能与当前密码相同</source>
        <translation>The new password must differ from the current one</translation>
    </message>
</context>
<context>
    <name>ChartExport</name>
    <message>
        <location filename="../../desktop/charts/chart_export.py" line="42"/>
        <source>保存为图片（PNG）…</source>
        <translation>Save as picture (PNG)…</translation>
    </message>
    <message>
        <location filename="../../desktop/charts/chart_export.py" line="43"/>
        <source>复制图片</source>
        <translation>Copy picture</translation>
    </message>
    <message>
        <location filename="../../desktop/charts/chart_export.py" line="48"/>
        <source>保存图表</source>
        <translation>Save chart</translation>
    </message>
    <message>
        <location filename="../../desktop/charts/chart_export.py" line="49"/>
        <source>PNG 图片 (*.png)</source>
        <translation>PNG pictures (*.png)</translation>
    </message>
</context>
<context>
    <name>ContentFetcher</name>
    <message>
        <location filename="../../desktop/attachments_strip.py" line="223"/>
        <source>本机的副本已不存在</source>
        <translation>The copy on this PC is gone</translation>
    </message>
    <message>
        <location filename="../../desktop/attachments_strip.py" line="226"/>
        <source>登录后才能下载</source>
        <translation>Sign in to download</translation>
    </message>
</context>
<context>
    <name>CumulativeProgressChart</name>
    <message>
        <location filename="../../desktop/charts/progress_chart.py" line="43"/>
        <source>序时进度</source>
        <translation>Time progress</translation>
    </message>
    <message>
        <location filename="../../desktop/charts/progress_chart.py" line="66"/>
        <source>数据截至{month}月</source>
        <translation>Data to month {month}</translation>
    </message>
</context>
<context>
    <name>DesktopApp</name>
    <message>
        <location filename="../../desktop/app.py" line="242"/>
        <source>请登录后同步；本机数据照常可看</source>
        <translation>Sign in to sync; the data on this PC stays readable</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="304"/>
        <source>拉取 {rows} 行，上传 {commands} 条</source>
        <translation>{rows} rows received, {commands} sent</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="342"/>
        <source>新版本下载地址：{url}</source>
        <translation>Download the new version from: {url}</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="343"/>
        <source>请向人大工委索取新版本。</source>
        <translation>Ask the people&apos;s congress office for the new version.</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="344"/>
        <source>需要更新</source>
        <translation>Update needed</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="345"/>
        <source>本机尚未上传的内容都已保留，更新后会自动上传。</source>
        <translation>Nothing waiting to upload on this PC is lost: it uploads after the update.</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="357"/>
        <location filename="../../desktop/app.py" line="364"/>
        <source>导出诊断信息</source>
        <translation>Export diagnostics</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="358"/>
        <source>压缩文件 (*.zip)</source>
        <translation>Zip archives (*.zip)</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="365"/>
        <source>无法写入 {path}：{error}</source>
        <translation>Cannot write {path}: {error}</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="367"/>
        <source>诊断信息已保存到 {path}</source>
        <translation>Diagnostics saved to {path}</translation>
    </message>
</context>
<context>
    <name>DrillBar</name>
    <message>
        <location filename="../../desktop/panels/drill_bar.py" line="26"/>
        <source>← 返回上一级</source>
        <translation>← Up one level</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/drill_bar.py" line="29"/>
        <source>（双击一行查看下一级）</source>
        <translation>(double-click a row for the level below)</translation>
    </message>
</context>
<context>
    <name>DutyPanel</name>
    <message>
        <location filename="../../desktop/panels/duty.py" line="23"/>
        <location filename="../../desktop/panels/duty.py" line="44"/>
        <source>登录</source>
        <translation>Sign-ins</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/duty.py" line="24"/>
        <source>同步</source>
        <translation>Syncs</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/duty.py" line="25"/>
        <source>查看模块</source>
        <translation>Modules opened</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/duty.py" line="26"/>
        <location filename="../../desktop/panels/duty.py" line="42"/>
        <source>提出建议</source>
        <translation>Suggestions</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/duty.py" line="27"/>
        <location filename="../../desktop/panels/duty.py" line="43"/>
        <source>视察调研</source>
        <translation>Inspections</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/duty.py" line="28"/>
        <source>反馈办理结果</source>
        <translation>Feedback given</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/duty.py" line="41"/>
        <source>有履职记录的代表</source>
        <translation>Deputies with activity</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/duty.py" line="41"/>
        <source>人</source>
        <translation>people</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/duty.py" line="42"/>
        <source>条</source>
        <translation>items</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/duty.py" line="43"/>
        <location filename="../../desktop/panels/duty.py" line="44"/>
        <source>次</source>
        <translation>times</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/duty.py" line="45"/>
        <source>筛选代表或区域…</source>
        <translation>Filter by deputy or region…</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/duty.py" line="46"/>
        <source>导出…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/duty.py" line="49"/>
        <source>按代表和月份统计次数（只计次数，不记录具体操作）</source>
        <translation>Counts per deputy and month (counts only, no details of what was done)</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/duty.py" line="55"/>
        <source>履职记录</source>
        <translation>Duty record</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/duty.py" line="60"/>
        <location filename="../../desktop/panels/duty.py" line="65"/>
        <source>代表</source>
        <translation>Deputy</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/duty.py" line="60"/>
        <location filename="../../desktop/panels/duty.py" line="65"/>
        <source>区域</source>
        <translation>Region</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/duty.py" line="61"/>
        <location filename="../../desktop/panels/duty.py" line="65"/>
        <source>月份</source>
        <translation>Month</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/duty.py" line="61"/>
        <source>{month}月</source>
        <translation>{month}</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/duty.py" line="62"/>
        <location filename="../../desktop/panels/duty.py" line="65"/>
        <source>合计</source>
        <translation>Total</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/duty.py" line="73"/>
        <source>履职记录只对代表本人和人大工委开放。</source>
        <translation>The duty record is open only to the deputy and the congress staff.</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/duty.py" line="78"/>
        <source>{region} {year} 年还没有履职记录。</source>
        <translation>No duty record for {region} in {year} yet.</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/duty.py" line="89"/>
        <source>履职记录{year}</source>
        <translation>duty-record-{year}</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/duty.py" line="90"/>
        <source>导出履职记录</source>
        <translation>Export the duty record</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/duty.py" line="91"/>
        <source>Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv)</source>
        <translation>Excel workbook (*.xlsx);;CSV file (*.csv)</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/duty.py" line="92"/>
        <source>CSV 文件 (*.csv)</source>
        <translation>CSV file (*.csv)</translation>
    </message>
</context>
<context>
    <name>ExecutionPanel</name>
    <message>
        <location filename="../../desktop/panels/execution.py" line="34"/>
        <location filename="../../desktop/panels/execution.py" line="53"/>
        <source>调整后预算</source>
        <translation>Adjusted budget</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/execution.py" line="34"/>
        <location filename="../../desktop/panels/execution.py" line="35"/>
        <source>万元</source>
        <translation>10k yuan</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/execution.py" line="35"/>
        <location filename="../../desktop/panels/execution.py" line="54"/>
        <source>累计支出</source>
        <translation>Paid to date</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/execution.py" line="36"/>
        <location filename="../../desktop/panels/execution.py" line="55"/>
        <source>执行进度</source>
        <translation>Executed</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/execution.py" line="37"/>
        <source>序时进度</source>
        <translation>Time progress</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/execution.py" line="38"/>
        <source>进度滞后的预算项目</source>
        <translation>Lines behind time</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/execution.py" line="39"/>
        <source>全部支出</source>
        <translation>All spending</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/execution.py" line="39"/>
        <source>累计支出进度（%）</source>
        <translation>Cumulative spending (%)</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/execution.py" line="40"/>
        <source>筛选部门、项目或科目…</source>
        <translation>Filter by department, project or item…</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/execution.py" line="41"/>
        <source>只看滞后</source>
        <translation>Lagging only</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/execution.py" line="46"/>
        <source>预算执行</source>
        <translation>Budget execution</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/execution.py" line="50"/>
        <source>预算单位</source>
        <translation>Budget unit</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/execution.py" line="51"/>
        <source>项目 / 科目</source>
        <translation>Project / item</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/execution.py" line="52"/>
        <source>功能科目</source>
        <translation>Function</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/execution.py" line="56"/>
        <source>落后序时（百分点）</source>
        <translation>Behind time (points)</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/execution.py" line="57"/>
        <source>标签</source>
        <translation>Tags</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/execution.py" line="61"/>
        <source>民生</source>
        <translation>Livelihood</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/execution.py" line="63"/>
        <source>专项</source>
        <translation>Special</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/execution.py" line="64"/>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../desktop/panels/execution.py" line="85"/>
        <source>{region} {year} 年没有预算执行数据。
请换一个年度或区域，或点击「立即同步」。</source>
        <translation>No execution data for {region} in {year}.
Choose another year or region, or click &quot;Sync now&quot;.</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/execution.py" line="103"/>
        <source>截至{month}月</source>
        <translation>to month {month}</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/execution.py" line="107"/>
        <source>预警 {red} · 提示 {yellow}</source>
        <translation>{red} red · {yellow} yellow</translation>
    </message>
</context>
<context>
    <name>ExportActions</name>
    <message>
        <location filename="../../desktop/export/export_actions.py" line="40"/>
        <source>生成监督分析报告（PDF）…</source>
        <translation>Supervision report (PDF)…</translation>
    </message>
    <message>
        <location filename="../../desktop/export/export_actions.py" line="42"/>
        <source>导出开放数据（财政数据包）…</source>
        <translation>Export open data (Fiscal Data Package)…</translation>
    </message>
    <message>
        <location filename="../../desktop/export/export_actions.py" line="51"/>
        <source>没有数据</source>
        <translation>No data</translation>
    </message>
    <message>
        <location filename="../../desktop/export/export_actions.py" line="51"/>
        <source>请先同步数据，并选择区域和年度。</source>
        <translation>Sync first, then choose a region and a year.</translation>
    </message>
    <message>
        <location filename="../../desktop/export/export_actions.py" line="60"/>
        <source>{region}{year}年预算执行监督分析报告</source>
        <translation>{region} {year} budget supervision report</translation>
    </message>
    <message>
        <location filename="../../desktop/export/export_actions.py" line="62"/>
        <source>保存监督分析报告</source>
        <translation>Save the supervision report</translation>
    </message>
    <message>
        <location filename="../../desktop/export/export_actions.py" line="62"/>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../desktop/export/export_actions.py" line="69"/>
        <source>正在生成监督分析报告…</source>
        <translation>Building the supervision report…</translation>
    </message>
    <message>
        <location filename="../../desktop/export/export_actions.py" line="69"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../desktop/export/export_actions.py" line="70"/>
        <source>监督分析报告</source>
        <translation>Supervision report</translation>
    </message>
    <message>
        <location filename="../../desktop/export/export_actions.py" line="75"/>
        <source>正在生成监督分析报告：{what}…</source>
        <translation>Building the supervision report: {what}…</translation>
    </message>
    <message>
        <location filename="../../desktop/export/export_actions.py" line="81"/>
        <source>无法生成报告</source>
        <translation>Cannot build the report</translation>
    </message>
    <message>
        <location filename="../../desktop/export/export_actions.py" line="81"/>
        <source>生成报告时出错：{message}</source>
        <translation>The report could not be built: {message}</translation>
    </message>
    <message>
        <location filename="../../desktop/export/export_actions.py" line="94"/>
        <source>报告已生成</source>
        <translation>Report ready</translation>
    </message>
    <message>
        <location filename="../../desktop/export/export_actions.py" line="95"/>
        <source>监督分析报告已保存（{pages} 页）：
{path}

现在打开吗？</source>
        <translation>The supervision report was saved ({pages} pages):
{path}

Open it now?</translation>
    </message>
    <message>
        <location filename="../../desktop/export/export_actions.py" line="105"/>
        <source>选择保存开放数据的文件夹</source>
        <translation>Choose a folder for the open data</translation>
    </message>
    <message>
        <location filename="../../desktop/export/export_actions.py" line="117"/>
        <source>{region}{year}年预算数据</source>
        <translation>{region} {year} budget data</translation>
    </message>
    <message>
        <location filename="../../desktop/export/export_actions.py" line="122"/>
        <source>已导出 {rows} 条预算行到
{folder}
（datapackage.json 和 CSV，财政数据包格式）</source>
        <translation>{rows} budget lines exported to
{folder}
(datapackage.json and CSV, Fiscal Data Package format)</translation>
    </message>
    <message>
        <location filename="../../desktop/export/export_actions.py" line="123"/>
        <source>开放数据已导出</source>
        <translation>Open data exported</translation>
    </message>
</context>
<context>
    <name>FeedbackDialog</name>
    <message>
        <location filename="../../desktop/dialogs/suggestion_step.py" line="149"/>
        <source>反馈办理结果</source>
        <translation>Feedback on the handling</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_step.py" line="151"/>
        <source>满意，办结</source>
        <translation>Satisfied, close it</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_step.py" line="152"/>
        <source>不满意，请重新办理</source>
        <translation>Not satisfied, handle it again</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_step.py" line="162"/>
        <source>（请选择）</source>
        <translation>(choose)</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_step.py" line="165"/>
        <source>意见（可不填）</source>
        <translation>Comment (optional)</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_step.py" line="167"/>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_step.py" line="168"/>
        <source>满意度</source>
        <translation>Satisfaction</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_step.py" line="169"/>
        <source>意见</source>
        <translation>Comment</translation>
    </message>
</context>
<context>
    <name>FinalPanel</name>
    <message>
        <location filename="../../desktop/panels/final.py" line="39"/>
        <location filename="../../desktop/panels/final.py" line="49"/>
        <location filename="../../desktop/panels/final.py" line="61"/>
        <source>调整后预算</source>
        <translation>Adjusted budget</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/final.py" line="39"/>
        <location filename="../../desktop/panels/final.py" line="40"/>
        <location filename="../../desktop/panels/final.py" line="41"/>
        <location filename="../../desktop/panels/final.py" line="50"/>
        <source>万元</source>
        <translation>10k yuan</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/final.py" line="40"/>
        <source>决算支出</source>
        <translation>Final spending</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/final.py" line="41"/>
        <source>决算与预算差额</source>
        <translation>Final minus budget</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/final.py" line="42"/>
        <location filename="../../desktop/panels/final.py" line="64"/>
        <source>偏离率</source>
        <translation>Deviation</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/final.py" line="43"/>
        <source>全部功能分类</source>
        <translation>All function classes</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/final.py" line="45"/>
        <source>筛选科目名称或编码…</source>
        <translation>Filter by name or code…</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/final.py" line="46"/>
        <source>只看偏离大的</source>
        <translation>Large deviations only</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/final.py" line="49"/>
        <location filename="../../desktop/panels/final.py" line="60"/>
        <source>年初预算</source>
        <translation>Approved</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/final.py" line="49"/>
        <location filename="../../desktop/panels/final.py" line="62"/>
        <source>决算</source>
        <translation>Final</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/final.py" line="54"/>
        <source>决算监督</source>
        <translation>Final accounts</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/final.py" line="58"/>
        <source>编码</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/final.py" line="59"/>
        <source>功能分类</source>
        <translation>Function class</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/final.py" line="63"/>
        <source>差额</source>
        <translation>Difference</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/final.py" line="78"/>
        <source>{region} 在 {year} 年及以前还没有决算数据。
决算一般在次年编制完成后同步到本机。</source>
        <translation>No final accounts for {region} up to {year}.
Final accounts arrive after they are compiled the following year.</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/final.py" line="85"/>
        <source>{region} {year} 年决算与预算对比。</source>
        <translation>Final accounts against budget, {region} {year}.</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/final.py" line="87"/>
        <source>{selected} 年决算尚未编制，下面是最近一个有决算的年度：{year} 年。</source>
        <translation>The {selected} final accounts are not compiled yet; shown is the latest year that has them: {year}.</translation>
    </message>
</context>
<context>
    <name>InspectionDialog</name>
    <message>
        <location filename="../../desktop/dialogs/suggestion_step.py" line="181"/>
        <source>记录视察</source>
        <translation>Record inspection</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_step.py" line="185"/>
        <source>视察调研：{subject}</source>
        <translation>Inspection: {subject}</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_step.py" line="186"/>
        <source>看到的情况、群众反映、发现的问题</source>
        <translation>What you saw, what residents said, problems found</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_step.py" line="188"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_step.py" line="189"/>
        <source>主题</source>
        <translation>Subject</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_step.py" line="190"/>
        <source>记录</source>
        <translation>Record</translation>
    </message>
</context>
<context>
    <name>InspectionSection</name>
    <message>
        <location filename="../../desktop/panels/inspections.py" line="33"/>
        <source>记录视察…</source>
        <translation>Record a visit…</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/inspections.py" line="48"/>
        <source>待上传</source>
        <translation>waiting to upload</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/inspections.py" line="48"/>
        <source>被退回</source>
        <translation>refused</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/inspections.py" line="49"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/inspections.py" line="50"/>
        <source>代表</source>
        <translation>Deputy</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/inspections.py" line="51"/>
        <source>视察记录</source>
        <translation>Visit</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/inspections.py" line="82"/>
        <source>视察调研（{count} 次）</source>
        <translation>Inspections ({count})</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop/main_window.py" line="89"/>
        <source>预算联网监督</source>
        <extracomment>Bumped when the docks change, so an old saved layout is not forced onto new docks.</extracomment>
        <translation>BudgetWatch</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="128"/>
        <source>选择</source>
        <translation>Selection</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="137"/>
        <source>区域</source>
        <translation>Region</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="140"/>
        <source>年度</source>
        <translation>Year</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="145"/>
        <source>立即同步</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="148"/>
        <source>登录</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="156"/>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="158"/>
        <source>首选项…</source>
        <translation>Preferences…</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="163"/>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="164"/>
        <source>视图</source>
        <translation>View</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="168"/>
        <source>恢复默认布局</source>
        <translation>Restore default layout</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="169"/>
        <source>账号</source>
        <translation>Account</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="170"/>
        <source>切换用户</source>
        <translation>Switch user</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="173"/>
        <source>修改密码…</source>
        <translation>Change password…</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="175"/>
        <source>退出登录</source>
        <translation>Sign out</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="177"/>
        <source>帮助</source>
        <translation>Help</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="178"/>
        <source>导出诊断信息…</source>
        <translation>Export diagnostics…</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="179"/>
        <location filename="../../desktop/main_window.py" line="201"/>
        <source>关于预算联网监督</source>
        <translation>About BudgetWatch</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="202"/>
        <source>预算联网监督 — 供人大代表在代表之家监督预算执行、重大政策、民生实事，并提出意见建议。数据保存在本机，没有网络也能查看。</source>
        <translation>BudgetWatch — for people&apos;s congress deputies to supervise budget execution, major policies and livelihood projects from the deputies&apos; home, and to make suggestions. The data is kept on this PC and readable without the network.</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="258"/>
        <source>未登录</source>
        <translation>Not signed in</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="261"/>
        <source>{name}（{role}）</source>
        <translation>{name} ({role})</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="268"/>
        <source>{name}（{username}）</source>
        <translation>{name} ({username})</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="273"/>
        <source>其他用户登录…</source>
        <translation>Another user…</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="276"/>
        <source>代表</source>
        <translation>Deputy</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="276"/>
        <source>人大工委</source>
        <translation>Staff</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="276"/>
        <source>职能部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="286"/>
        <source>已退出登录。请点击「登录」。</source>
        <translation>Signed out. Click &quot;Sign in&quot;.</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="287"/>
        <source>还没有同步数据 — 点击「立即同步」。
同步一次后，没有网络也能查看。</source>
        <translation>No data synced yet — click &quot;Sync now&quot;.
After one sync everything works without the network.</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="314"/>
        <source>{year}年</source>
        <translation>{year}</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="368"/>
        <source>数据截至 {year}年{month}月 · 序时进度 {progress}</source>
        <translation>Data to {year}-{month} · time progress {progress}</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="370"/>
        <source>{year}年尚无执行数据</source>
        <translation>No execution data for {year} yet</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="372"/>
        <source>上次同步 {when}（服务器时间）</source>
        <translation>Last sync {when} (server time)</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="373"/>
        <source>尚未同步</source>
        <translation>Not synced yet</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="379"/>
        <source>● 已同步</source>
        <translation>● Synced</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="380"/>
        <source>● 离线（本机数据照常可用）</source>
        <translation>● Offline (the data on this PC works as usual)</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="381"/>
        <source>● 未登录</source>
        <translation>● Signed out</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="382"/>
        <source>● 同步失败</source>
        <translation>● Sync failed</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="383"/>
        <source>● 正在同步</source>
        <translation>● Syncing</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="395"/>
        <source>● 正在同步 {rows} 行</source>
        <translation>● Syncing {rows} rows</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="402"/>
        <source>待上传 {count} 条</source>
        <translation>{count} waiting to upload</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="409"/>
        <source>有新版本 {version}</source>
        <translation>Version {version} available</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="414"/>
        <source>需要更新本程序</source>
        <translation>Update required</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="419"/>
        <source>下载地址：{url}</source>
        <translation>Download: {url}</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="420"/>
        <source>请向人大工委索取新版本</source>
        <translation>Ask the people&apos;s congress office for the new version</translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message>
        <location filename="../../desktop/dialogs/suggestion_step.py" line="131"/>
        <source>合并</source>
        <translation>Merge</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_step.py" line="134"/>
        <source>（请选择）</source>
        <translation>(choose)</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_step.py" line="137"/>
        <source>说明（可不填）</source>
        <translation>Note (optional)</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_step.py" line="138"/>
        <source>并入</source>
        <translation>Merge into</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_step.py" line="139"/>
        <source>说明</source>
        <translation>Note</translation>
    </message>
</context>
<context>
    <name>MonthAxis</name>
    <message>
        <location filename="../../desktop/charts/month_axis.py" line="47"/>
        <source>年初</source>
        <translation>Start</translation>
    </message>
    <message>
        <location filename="../../desktop/charts/month_axis.py" line="48"/>
        <source>{month}月</source>
        <translation>M{month}</translation>
    </message>
</context>
<context>
    <name>PoliciesPanel</name>
    <message>
        <location filename="../../desktop/panels/policies.py" line="46"/>
        <source>重大政策</source>
        <translation>Major policies</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/policies.py" line="46"/>
        <source>项</source>
        <translation>policies</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/policies.py" line="47"/>
        <location filename="../../desktop/panels/policies.py" line="70"/>
        <source>安排资金</source>
        <translation>Arranged</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/policies.py" line="47"/>
        <location filename="../../desktop/panels/policies.py" line="48"/>
        <source>万元</source>
        <translation>10k yuan</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/policies.py" line="48"/>
        <location filename="../../desktop/panels/policies.py" line="71"/>
        <source>已拨付</source>
        <translation>Disbursed</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/policies.py" line="49"/>
        <location filename="../../desktop/panels/policies.py" line="72"/>
        <source>拨付进度</source>
        <translation>Disbursed %</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/policies.py" line="50"/>
        <source>筛选政策或部门…</source>
        <translation>Filter by policy or department…</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/policies.py" line="51"/>
        <source>只看滞后</source>
        <translation>Lagging only</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/policies.py" line="53"/>
        <source>全部政策</source>
        <translation>All policies</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/policies.py" line="53"/>
        <source>累计拨付进度（%）</source>
        <translation>Cumulative disbursement (%)</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/policies.py" line="61"/>
        <source>重大政策执行</source>
        <translation>Major policies</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/policies.py" line="68"/>
        <source>政策</source>
        <translation>Policy</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/policies.py" line="69"/>
        <source>牵头部门</source>
        <translation>Lead department</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/policies.py" line="73"/>
        <source>落后序时（百分点）</source>
        <translation>Behind time (points)</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/policies.py" line="74"/>
        <source>项目数</source>
        <translation>Projects</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/policies.py" line="79"/>
        <source>项目</source>
        <translation>Project</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/policies.py" line="80"/>
        <source>预算</source>
        <translation>Budget</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/policies.py" line="81"/>
        <source>已支付</source>
        <translation>Paid</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/policies.py" line="82"/>
        <source>实际进度</source>
        <translation>Actual progress</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/policies.py" line="101"/>
        <source>{region} {year} 年没有重大政策数据。
请换一个年度或区域，或点击「立即同步」。</source>
        <translation>No major policies for {region} in {year}.
Choose another year or region, or click &quot;Sync now&quot;.</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/policies.py" line="113"/>
        <source>序时 {time}</source>
        <translation>time {time}</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/policies.py" line="130"/>
        <source>「{policy}」的项目（{count} 个）</source>
        <translation>Projects of &quot;{policy}&quot; ({count})</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/policies.py" line="132"/>
        <source>选中一项政策，查看它的项目</source>
        <translation>Select a policy to see its projects</translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <location filename="../../desktop/dialogs/preferences.py" line="16"/>
        <source>首选项</source>
        <translation>Preferences</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/preferences.py" line="29"/>
        <source>界面语言和字号在下次启动时生效。</source>
        <translation>Language and type size apply at the next start.</translation>
    </message>
</context>
<context>
    <name>ProjectsPanel</name>
    <message>
        <location filename="../../desktop/panels/projects.py" line="37"/>
        <source>未开工</source>
        <translation>Planned</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/projects.py" line="38"/>
        <source>在建</source>
        <translation>In progress</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/projects.py" line="39"/>
        <source>已完工</source>
        <translation>Completed</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/projects.py" line="40"/>
        <source>停工</source>
        <translation>Suspended</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/projects.py" line="52"/>
        <source>民生实事项目</source>
        <translation>Livelihood projects</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/projects.py" line="52"/>
        <location filename="../../desktop/panels/projects.py" line="55"/>
        <source>个</source>
        <translation>projects</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/projects.py" line="53"/>
        <source>项目预算</source>
        <translation>Project budgets</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/projects.py" line="53"/>
        <location filename="../../desktop/panels/projects.py" line="54"/>
        <source>万元</source>
        <translation>10k yuan</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/projects.py" line="54"/>
        <location filename="../../desktop/panels/projects.py" line="83"/>
        <source>已支付</source>
        <translation>Paid</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/projects.py" line="55"/>
        <source>需关注的项目</source>
        <translation>Needing attention</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/projects.py" line="56"/>
        <source>筛选项目、乡镇或部门…</source>
        <translation>Filter by project, township or department…</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/projects.py" line="57"/>
        <source>只看需关注的</source>
        <translation>Needing attention only</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/projects.py" line="60"/>
        <location filename="../../desktop/panels/projects.py" line="86"/>
        <source>计划进度</source>
        <translation>Planned progress</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/projects.py" line="60"/>
        <location filename="../../desktop/panels/projects.py" line="87"/>
        <source>实际进度</source>
        <translation>Actual progress</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/projects.py" line="60"/>
        <location filename="../../desktop/panels/projects.py" line="84"/>
        <source>支付进度</source>
        <translation>Paid %</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/projects.py" line="61"/>
        <source>进度（%）</source>
        <translation>Progress (%)</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/projects.py" line="72"/>
        <source>民生实事</source>
        <translation>Livelihood projects</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/projects.py" line="79"/>
        <source>项目</source>
        <translation>Project</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/projects.py" line="80"/>
        <source>乡镇/街道</source>
        <translation>Township</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/projects.py" line="81"/>
        <source>牵头部门</source>
        <translation>Lead department</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/projects.py" line="82"/>
        <source>预算</source>
        <translation>Budget</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/projects.py" line="89"/>
        <location filename="../../desktop/panels/projects.py" line="101"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/projects.py" line="90"/>
        <source>完工期限</source>
        <translation>Due</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/projects.py" line="91"/>
        <source>所属政策</source>
        <translation>Policy</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/projects.py" line="95"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/projects.py" line="96"/>
        <source>进展</source>
        <translation>Progress</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/projects.py" line="99"/>
        <source>编号</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/projects.py" line="100"/>
        <source>建议</source>
        <translation>Suggestion</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/projects.py" line="122"/>
        <source>{region} {year} 年没有民生实事项目。
请换一个年度或区域，或点击「立即同步」。</source>
        <translation>No livelihood projects for {region} in {year}.
Choose another year or region, or click &quot;Sync now&quot;.</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/projects.py" line="130"/>
        <source>万元 · {percent}</source>
        <translation>10k yuan · {percent}</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/projects.py" line="145"/>
        <source>选中一个项目，查看它的进展和相关建议</source>
        <translation>Select a project to see its progress and related suggestions</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/projects.py" line="153"/>
        <source>「{project}」的进展</source>
        <translation>Progress of &quot;{project}&quot;</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/projects.py" line="154"/>
        <source>相关意见建议（{count} 条）</source>
        <translation>Related suggestions ({count})</translation>
    </message>
</context>
<context>
    <name>Review</name>
    <message>
        <location filename="../../desktop/review/__init__.py" line="51"/>
        <source>执行进度滞后</source>
        <extracomment>What each rule is called on screen (DESIGN.md §5).</extracomment>
        <translation>Execution behind schedule</translation>
    </message>
    <message>
        <location filename="../../desktop/review/__init__.py" line="52"/>
        <source>民生资金支付慢</source>
        <translation>Livelihood funds paid slowly</translation>
    </message>
    <message>
        <location filename="../../desktop/review/__init__.py" line="53"/>
        <source>年底突击花钱</source>
        <translation>Year-end spending rush</translation>
    </message>
    <message>
        <location filename="../../desktop/review/__init__.py" line="54"/>
        <source>决算偏离预算</source>
        <translation>Final accounts off budget</translation>
    </message>
    <message>
        <location filename="../../desktop/review/__init__.py" line="55"/>
        <source>预算调整幅度大</source>
        <translation>Large budget adjustment</translation>
    </message>
    <message>
        <location filename="../../desktop/review/__init__.py" line="56"/>
        <source>三公经费增长或超支</source>
        <translation>Three public expenses up or over budget</translation>
    </message>
    <message>
        <location filename="../../desktop/review/__init__.py" line="57"/>
        <source>专项资金闲置</source>
        <translation>Special funds idle</translation>
    </message>
    <message>
        <location filename="../../desktop/review/__init__.py" line="58"/>
        <source>项目进度滞后</source>
        <translation>Project behind plan</translation>
    </message>
    <message>
        <location filename="../../desktop/review/__init__.py" line="59"/>
        <source>资金支付超进度</source>
        <translation>Paid ahead of the works</translation>
    </message>
    <message>
        <location filename="../../desktop/review/__init__.py" line="60"/>
        <source>政策资金拨付慢</source>
        <translation>Policy funds disbursed slowly</translation>
    </message>
    <message>
        <location filename="../../desktop/review/__init__.py" line="61"/>
        <source>建议办理超期</source>
        <translation>Suggestion overdue</translation>
    </message>
    <message>
        <location filename="../../desktop/review/__init__.py" line="63"/>
        <source>预警</source>
        <translation>Warning</translation>
    </message>
    <message>
        <location filename="../../desktop/review/__init__.py" line="63"/>
        <source>提示</source>
        <translation>Notice</translation>
    </message>
    <message>
        <location filename="../../desktop/review/report.py" line="75"/>
        <source>落后{}个百分点</source>
        <extracomment>Figure name → how the headline shows it, in the order they are looked for.</extracomment>
        <translation>{} points behind</translation>
    </message>
    <message>
        <location filename="../../desktop/review/report.py" line="76"/>
        <source>超前{}个百分点</source>
        <translation>{} points ahead</translation>
    </message>
    <message>
        <location filename="../../desktop/review/report.py" line="77"/>
        <source>12月占{}%</source>
        <translation>December {}%</translation>
    </message>
    <message>
        <location filename="../../desktop/review/report.py" line="78"/>
        <source>偏离{:+}%</source>
        <translation>off by {:+}%</translation>
    </message>
    <message>
        <location filename="../../desktop/review/report.py" line="79"/>
        <source>调整{:+}%</source>
        <translation>adjusted {:+}%</translation>
    </message>
    <message>
        <location filename="../../desktop/review/report.py" line="80"/>
        <source>预算增{}%</source>
        <translation>budget up {}%</translation>
    </message>
    <message>
        <location filename="../../desktop/review/report.py" line="81"/>
        <source>支出增{}%</source>
        <translation>spending up {}%</translation>
    </message>
    <message>
        <location filename="../../desktop/review/report.py" line="82"/>
        <source>超预算{}%</source>
        <translation>{}% over budget</translation>
    </message>
    <message>
        <location filename="../../desktop/review/report.py" line="83"/>
        <source>{}个月未支付</source>
        <translation>nothing paid in {} months</translation>
    </message>
    <message>
        <location filename="../../desktop/review/report.py" line="84"/>
        <source>超期{}天</source>
        <translation>{} days overdue</translation>
    </message>
    <message>
        <location filename="../../desktop/review/report.py" line="86"/>
        <source>无预算，已有{}万元</source>
        <translation>no budget, {} (10k yuan) spent</translation>
    </message>
</context>
<context>
    <name>ReviewRunner</name>
    <message>
        <location filename="../../desktop/review_runner.py" line="143"/>
        <source>自动审查进程意外退出，请重新同步或重启程序</source>
        <translation>The automatic review process quit unexpectedly; please sync again or restart the program</translation>
    </message>
</context>
<context>
    <name>SaveDialog</name>
    <message>
        <location filename="../../desktop/export/save_dialog.py" line="28"/>
        <source>无法写入 {path}：{reason}
文件若正被打开，请先关闭它。</source>
        <translation>Cannot write {path}: {reason}
If the file is open in another program, close it first.</translation>
    </message>
    <message>
        <location filename="../../desktop/export/save_dialog.py" line="29"/>
        <source>无法保存</source>
        <translation>Cannot save</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <location filename="../../desktop/settings.py" line="34"/>
        <source>界面语言（auto = 跟随系统）</source>
        <translation>Language (auto = as the system)</translation>
    </message>
    <message>
        <location filename="../../desktop/settings.py" line="36"/>
        <source>字号（磅）</source>
        <translation>Type size (pt)</translation>
    </message>
    <message>
        <location filename="../../desktop/settings.py" line="39"/>
        <source>无人操作多久后自动退出登录（分钟，0 = 不退出）</source>
        <translation>Sign out after this many idle minutes (0 = never)</translation>
    </message>
    <message>
        <location filename="../../desktop/settings.py" line="42"/>
        <source>自动同步间隔（分钟，0 = 只在手动时同步）</source>
        <translation>Sync every (minutes, 0 = only by hand)</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../desktop/dialogs/sign_in.py" line="31"/>
        <source>登录预算联网监督</source>
        <translation>Sign in to BudgetWatch</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/sign_in.py" line="33"/>
        <source>请用您的账号登录。登录一次后，没有网络时也能查看本机数据。</source>
        <translation>Sign in with your account. After one sign-in the data on this PC is readable without the network.</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/sign_in.py" line="40"/>
        <source>记住我（在这台电脑上保持登录；公用电脑请勿勾选）</source>
        <translation>Remember me (stay signed in on this PC; not on a shared PC)</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/sign_in.py" line="44"/>
        <source>服务器</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/sign_in.py" line="45"/>
        <source>用户名</source>
        <translation>Username</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/sign_in.py" line="46"/>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/sign_in.py" line="49"/>
        <source>登录</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/sign_in.py" line="50"/>
        <source>暂不登录（查看本机数据）</source>
        <translation>Not now (read the data on this PC)</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/sign_in.py" line="69"/>
        <source>请输入用户名和密码</source>
        <translation>Enter username and password</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/sign_in.py" line="71"/>
        <source>正在登录…</source>
        <translation>Signing in…</translation>
    </message>
</context>
<context>
    <name>StepDialog</name>
    <message>
        <location filename="../../desktop/dialogs/suggestion_step.py" line="57"/>
        <source>放入待上传</source>
        <translation>Queue for upload</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_step.py" line="58"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_step.py" line="65"/>
        <source>离线也可以操作：下次同步时上传，服务器确认后生效。</source>
        <translation>Works offline too: uploaded at the next sync, effective once the server confirms.</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_step.py" line="74"/>
        <source>附件</source>
        <translation>Attachments</translation>
    </message>
</context>
<context>
    <name>SuggestionEditor</name>
    <message>
        <location filename="../../desktop/dialogs/suggestion_editor.py" line="53"/>
        <source>修改后重新提交</source>
        <translation>Correct and resubmit</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_editor.py" line="53"/>
        <source>提出意见建议</source>
        <translation>New suggestion</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_editor.py" line="71"/>
        <source>一句话说明建议，如：某路段请增设路灯</source>
        <translation>The suggestion in one line, e.g. street lights needed on a road</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_editor.py" line="74"/>
        <source>情况、问题和具体建议</source>
        <translation>The situation, the problem and what you suggest</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_editor.py" line="76"/>
        <source>本人提出</source>
        <translation>My own</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_editor.py" line="77"/>
        <source>群众反映（群众点单）</source>
        <translation>From constituents</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_editor.py" line="85"/>
        <source>群众姓名（只有您、人大工委和承办部门能看到）</source>
        <translation>Name (seen only by you, staff and the assigned department)</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_editor.py" line="86"/>
        <location filename="../../desktop/dialogs/suggestion_editor.py" line="97"/>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_editor.py" line="88"/>
        <source>（不关联）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_editor.py" line="92"/>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_editor.py" line="93"/>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_editor.py" line="94"/>
        <source>内容</source>
        <translation>Text</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_editor.py" line="95"/>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_editor.py" line="96"/>
        <source>群众姓名</source>
        <translation>Constituent&apos;s name</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_editor.py" line="98"/>
        <source>关联项目或政策</source>
        <translation>Linked project or policy</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_editor.py" line="99"/>
        <source>附件</source>
        <translation>Attachments</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_editor.py" line="104"/>
        <source>重新提交</source>
        <translation>Resubmit</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_editor.py" line="104"/>
        <source>提交</source>
        <translation>Submit</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_editor.py" line="106"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_editor.py" line="106"/>
        <source>存为草稿并关闭</source>
        <translation>Keep as draft and close</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_editor.py" line="130"/>
        <source>离线也可以写：每次修改都会保存在本机</source>
        <translation>Works offline: every edit is saved on this PC</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_editor.py" line="159"/>
        <source>请填写标题</source>
        <translation>Give a title</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_editor.py" line="161"/>
        <source>请填写建议内容</source>
        <translation>Write the suggestion</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_editor.py" line="163"/>
        <source>群众反映的建议请至少留下群众姓名或电话，便于部门回访</source>
        <translation>For a constituent&apos;s suggestion, give at least their name or phone so the department can follow up</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_editor.py" line="170"/>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_editor.py" line="179"/>
        <source>已保存在本机（草稿）</source>
        <translation>Saved on this PC (draft)</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_editor.py" line="186"/>
        <source>保存失败：{message}</source>
        <translation>Could not save: {message}</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/suggestion_editor.py" line="196"/>
        <source>正在放入待上传…</source>
        <translation>Queuing for upload…</translation>
    </message>
</context>
<context>
    <name>SuggestionState</name>
    <message>
        <location filename="../../desktop/panels/suggestion_states.py" line="16"/>
        <source>草稿</source>
        <translation>Draft</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestion_states.py" line="17"/>
        <source>待上传</source>
        <translation>Waiting to upload</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestion_states.py" line="18"/>
        <source>已上传</source>
        <translation>Uploaded</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestion_states.py" line="19"/>
        <source>被退回</source>
        <translation>Refused</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestion_states.py" line="20"/>
        <source>已提交</source>
        <translation>Submitted</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestion_states.py" line="21"/>
        <source>已交办</source>
        <translation>Assigned</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestion_states.py" line="22"/>
        <source>办理中</source>
        <translation>In hand</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestion_states.py" line="23"/>
        <source>已答复</source>
        <translation>Replied</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestion_states.py" line="24"/>
        <source>已办结</source>
        <translation>Closed</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestion_states.py" line="25"/>
        <source>重新办理</source>
        <translation>Reopened</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestion_states.py" line="26"/>
        <source>不予立案</source>
        <translation>Declined</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestion_states.py" line="27"/>
        <source>已合并</source>
        <translation>Merged</translation>
    </message>
</context>
<context>
    <name>SuggestionSteps</name>
    <message>
        <location filename="../../desktop/suggestion_steps.py" line="49"/>
        <source>请选择承办部门</source>
        <translation>Choose the department</translation>
    </message>
    <message>
        <location filename="../../desktop/suggestion_steps.py" line="51"/>
        <source>还没有和服务器同步过，不知道今天的日期：请先同步一次</source>
        <translation>Not synced with the server yet, so today&apos;s date is unknown: please sync once first</translation>
    </message>
    <message>
        <location filename="../../desktop/suggestion_steps.py" line="54"/>
        <source>办理期限不能早于今天（{date}）</source>
        <translation>The deadline cannot be before today ({date})</translation>
    </message>
    <message>
        <location filename="../../desktop/suggestion_steps.py" line="65"/>
        <source>请填写答复内容</source>
        <translation>Please write the reply</translation>
    </message>
    <message>
        <location filename="../../desktop/suggestion_steps.py" line="71"/>
        <source>请给出 1 到 5 星的满意度</source>
        <translation>Please give a rating of 1 to 5 stars</translation>
    </message>
    <message>
        <location filename="../../desktop/suggestion_steps.py" line="77"/>
        <source>请填写不予立案的理由</source>
        <translation>Please give the reason for declining</translation>
    </message>
    <message>
        <location filename="../../desktop/suggestion_steps.py" line="83"/>
        <source>请选择要并入的另一条建议</source>
        <translation>Choose another suggestion to merge into</translation>
    </message>
    <message>
        <location filename="../../desktop/suggestion_steps.py" line="90"/>
        <source>视察日期不能晚于今天（{date}）</source>
        <translation>The visit cannot be after today ({date})</translation>
    </message>
    <message>
        <location filename="../../desktop/suggestion_steps.py" line="92"/>
        <source>请填写视察主题</source>
        <translation>Please give the visit a title</translation>
    </message>
</context>
<context>
    <name>SuggestionsPanel</name>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="64"/>
        <source>提出建议</source>
        <extracomment>What each role may do to a suggestion in which states (the server&apos;s table, sync/server/suggestion_workflow.py).</extracomment>
        <translation>Submitted</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="65"/>
        <source>交办</source>
        <translation>Assigned</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="66"/>
        <location filename="../../desktop/panels/suggestions.py" line="137"/>
        <source>接单</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="67"/>
        <location filename="../../desktop/panels/suggestions.py" line="495"/>
        <source>答复</source>
        <translation>Replied</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="69"/>
        <location filename="../../desktop/panels/suggestions.py" line="497"/>
        <source>不予立案</source>
        <translation>Declined</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="70"/>
        <source>合并</source>
        <translation>Merged</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="95"/>
        <location filename="../../desktop/panels/suggestions.py" line="120"/>
        <source>意见建议</source>
        <translation>Suggestions</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="95"/>
        <location filename="../../desktop/panels/suggestions.py" line="96"/>
        <location filename="../../desktop/panels/suggestions.py" line="97"/>
        <location filename="../../desktop/panels/suggestions.py" line="98"/>
        <location filename="../../desktop/panels/suggestions.py" line="99"/>
        <source>条</source>
        <translation>items</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="96"/>
        <location filename="../../desktop/panels/suggestions.py" line="188"/>
        <source>办理中</source>
        <translation>In hand</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="97"/>
        <location filename="../../desktop/panels/suggestions.py" line="384"/>
        <source>已超期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="99"/>
        <source>本机待上传 / 草稿</source>
        <translation>On this PC (waiting / drafts)</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="100"/>
        <source>＋ 提出建议</source>
        <translation>+ New suggestion</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="106"/>
        <source>筛选标题、部门或编号…</source>
        <translation>Filter by title, department or number…</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="111"/>
        <location filename="../../desktop/panels/suggestions.py" line="325"/>
        <source>继续编辑</source>
        <translation>Continue editing</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="124"/>
        <location filename="../../desktop/panels/suggestions.py" line="387"/>
        <source>编号</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="125"/>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="125"/>
        <source>（未填标题）</source>
        <translation>(no title)</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="126"/>
        <location filename="../../desktop/panels/suggestions.py" line="387"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="127"/>
        <location filename="../../desktop/panels/suggestions.py" line="392"/>
        <source>承办部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="128"/>
        <location filename="../../desktop/panels/suggestions.py" line="393"/>
        <source>办理期限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="130"/>
        <location filename="../../desktop/panels/suggestions.py" line="388"/>
        <source>提出人</source>
        <translation>Author</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="131"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="79"/>
        <source>代表反馈：满意</source>
        <translation>Deputy&apos;s feedback: satisfied</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="68"/>
        <source>反馈</source>
        <translation>Feedback</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="80"/>
        <source>代表反馈：不满意</source>
        <translation>Deputy&apos;s feedback: not satisfied</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="98"/>
        <source>7 天内到期</source>
        <translation>Due within 7 days</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="136"/>
        <source>交办…</source>
        <translation>Assign…</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="136"/>
        <source>不予立案…</source>
        <translation>Decline…</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="136"/>
        <source>合并…</source>
        <translation>Merge…</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="137"/>
        <source>答复…</source>
        <translation>Reply…</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="137"/>
        <source>反馈办理结果…</source>
        <translation>Give feedback…</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="138"/>
        <source>知道了</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="149"/>
        <source>显示</source>
        <translation>Show</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="186"/>
        <source>待交办（新提交和重新办理）</source>
        <translation>To assign (new and reopened)</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="186"/>
        <source>超期和不满意</source>
        <translation>Overdue and unsatisfied</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="187"/>
        <location filename="../../desktop/panels/suggestions.py" line="190"/>
        <source>全部建议</source>
        <translation>All suggestions</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="188"/>
        <source>待接单</source>
        <translation>To accept</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="189"/>
        <source>全部交办给本单位的</source>
        <translation>All assigned to this department</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="190"/>
        <source>我提出的</source>
        <translation>Mine</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="191"/>
        <source>待我反馈</source>
        <translation>Awaiting my feedback</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="249"/>
        <source>{state} · 待上传{step}</source>
        <translation>{state} · {step} waiting to upload</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="250"/>
        <source>{state} · {step}被退回</source>
        <translation>{state} · {step} refused</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="305"/>
        <source>有 {count} 项操作被服务器退回：选中标红的建议查看原因。</source>
        <translation>{count} action(s) refused by the server: select a suggestion marked red to see why.</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="307"/>
        <source>还没有意见建议。点击「提出建议」写第一条——没有网络也可以写，联网后自动上传。</source>
        <translation>No suggestions yet. Click &quot;New suggestion&quot; to write one — it works offline and uploads by itself later.</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="309"/>
        <source>这里暂时没有需要处理的建议。</source>
        <translation>No suggestions to handle here for now.</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="322"/>
        <source>选中一条建议，查看内容和办理经过。</source>
        <translation>Select a suggestion to see its text and history.</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="325"/>
        <source>修改后重新提交</source>
        <translation>Correct and resubmit</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="326"/>
        <source>放弃这条</source>
        <translation>Discard</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="326"/>
        <source>删除草稿</source>
        <translation>Delete draft</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="372"/>
        <source>「{step}」已放入待上传，下次同步时上传，服务器确认后生效。</source>
        <translation>“{step}” is queued: it uploads at the next sync and takes effect once the server confirms.</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="375"/>
        <source>「{step}」被服务器退回：</source>
        <translation>“{step}” was refused by the server:</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="384"/>
        <source>即将到期</source>
        <translation>Due soon</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="389"/>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="389"/>
        <location filename="../../desktop/panels/suggestions.py" line="442"/>
        <source>群众反映</source>
        <translation>From constituents</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="389"/>
        <source>本人提出</source>
        <translation>My own</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="390"/>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="391"/>
        <source>提交时间</source>
        <translation>Submitted</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="392"/>
        <source>尚未交办</source>
        <translation>Not assigned yet</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="396"/>
        <source>关联</source>
        <translation>Linked</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="398"/>
        <source>群众</source>
        <translation>Constituent</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="400"/>
        <source>满意度</source>
        <translation>Satisfaction</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="411"/>
        <source>不予立案理由：</source>
        <translation>Reason for declining: </translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="422"/>
        <source>（期限 {date}）</source>
        <translation>(due {date})</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="430"/>
        <source>草稿，只保存在这台电脑上。写完后点击「提交」。</source>
        <translation>Draft, saved on this PC only. Click &quot;Submit&quot; when done.</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="431"/>
        <source>已提交，待上传：下次连上服务器时自动上传，无需重复提交。</source>
        <translation>Submitted, waiting to upload: it goes up by itself next time the server is reachable — no need to submit again.</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="432"/>
        <source>已上传到服务器，下一次同步后显示登记编号。</source>
        <translation>Uploaded; its registration number shows after the next sync.</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="433"/>
        <source>服务器退回了这条建议。</source>
        <translation>The server refused this suggestion.</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="438"/>
        <source>退回原因：</source>
        <translation>Reason: </translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="495"/>
        <source>答复内容</source>
        <translation>Reply</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="497"/>
        <source>理由</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="521"/>
        <source>项目：{name}</source>
        <translation>Project: {name}</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/suggestions.py" line="522"/>
        <source>政策：{name}</source>
        <translation>Policy: {name}</translation>
    </message>
</context>
<context>
    <name>TableSection</name>
    <message>
        <location filename="../../desktop/panels/table_section.py" line="69"/>
        <source>金额单位：万元</source>
        <translation>Amounts in 10k yuan</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/table_section.py" line="90"/>
        <source>导出</source>
        <translation>Export</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/table_section.py" line="103"/>
        <source>表格</source>
        <translation>Table</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/table_section.py" line="83"/>
        <source>导出为 xlsx 表格…</source>
        <translation>Export as xlsx…</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/table_section.py" line="84"/>
        <source>导出为 csv 文件…</source>
        <translation>Export as CSV…</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/table_section.py" line="91"/>
        <source>把表中显示的行（按当前筛选和排序）导出为 xlsx 表格或 csv 文件</source>
        <translation>Export the rows shown (with the current filter and sort) as xlsx or CSV</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/table_section.py" line="113"/>
        <source>xlsx 表格 (*.xlsx)</source>
        <translation>Excel workbooks (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/table_section.py" line="113"/>
        <source>csv 文件 (*.csv)</source>
        <translation>CSV files (*.csv)</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/table_section.py" line="114"/>
        <source>导出表格</source>
        <translation>Export table</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/table_section.py" line="126"/>
        <source>显示全部</source>
        <translation>Show all</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/table_section.py" line="138"/>
        <source>只看：{what}</source>
        <translation>Only: {what}</translation>
    </message>
</context>
<context>
    <name>ThresholdsEditor</name>
    <message>
        <location filename="../../desktop/dialogs/thresholds_editor.py" line="39"/>
        <source>个百分点</source>
        <translation>points</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/thresholds_editor.py" line="40"/>
        <source>%</source>
        <translation>%</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/thresholds_editor.py" line="41"/>
        <source>个月</source>
        <translation>months</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/thresholds_editor.py" line="42"/>
        <source>天</source>
        <translation>days</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/thresholds_editor.py" line="72"/>
        <source>审查阈值</source>
        <translation>Review thresholds</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/thresholds_editor.py" line="91"/>
        <source>不设</source>
        <translation>none</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/thresholds_editor.py" line="96"/>
        <source> 万元</source>
        <translation> 10k yuan</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/thresholds_editor.py" line="103"/>
        <source>规则</source>
        <translation>Rule</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/thresholds_editor.py" line="103"/>
        <source>启用</source>
        <translation>On</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/thresholds_editor.py" line="103"/>
        <source>提示线</source>
        <translation>Notice at</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/thresholds_editor.py" line="103"/>
        <source>预警线</source>
        <translation>Warning at</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/thresholds_editor.py" line="104"/>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/thresholds_editor.py" line="104"/>
        <source>最低金额</source>
        <translation>Minimum amount</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/thresholds_editor.py" line="113"/>
        <source>保存并上传</source>
        <translation>Save and upload</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/thresholds_editor.py" line="116"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/thresholds_editor.py" line="128"/>
        <source>阈值由区人大工作机构设置，所有用户相同。超过提示线为「提示」，超过预警线为「预警」；小于最低金额的项目不审查。</source>
        <translation>The district&apos;s congress staff set the thresholds; they are the same for every user. Past the notice level a subject is a notice, past the warning level a warning; subjects below the minimum amount are not reviewed.</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/thresholds_editor.py" line="130"/>
        <source>修改后点「保存并上传」：下次同步时上传，服务器确认后对所有用户（包括本机）生效。取消「启用」即停用这条规则。</source>
        <translation>Change them and click “Save and upload”: they are uploaded with the next sync and apply to every user (this PC included) once the server has accepted them. Untick “On” to switch a rule off.</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/thresholds_editor.py" line="138"/>
        <source>待上传的修改：{rules}</source>
        <translation>Changes waiting for upload: {rules}</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/thresholds_editor.py" line="139"/>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/thresholds_editor.py" line="140"/>
        <source>服务器退回了「{rule}」的修改：{reason}</source>
        <translation>The server refused the change to “{rule}”: {reason}</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/thresholds_editor.py" line="156"/>
        <source>「{rule}」启用时至少要设提示线或预警线</source>
        <translation>“{rule}” needs a notice or a warning level when it is on</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/thresholds_editor.py" line="158"/>
        <source>「{rule}」的提示线不能高于预警线</source>
        <translation>“{rule}”: the notice level cannot be above the warning level</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/thresholds_editor.py" line="186"/>
        <source>保存失败：{message}</source>
        <translation>Could not save: {message}</translation>
    </message>
</context>
<context>
    <name>WarningTreeModel</name>
    <message>
        <location filename="../../desktop/panels/warning_model.py" line="49"/>
        <source>{rule} · {level}（{count}）</source>
        <translation>{rule} · {level} ({count})</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/warning_model.py" line="61"/>
        <source>对象</source>
        <translation>Subject</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/warning_model.py" line="61"/>
        <source>要点</source>
        <translation>Key figure</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/warning_model.py" line="61"/>
        <source>区域</source>
        <translation>Region</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/warning_model.py" line="61"/>
        <source>年度</source>
        <translation>Year</translation>
    </message>
</context>
<context>
    <name>WarningsPanel</name>
    <message>
        <location filename="../../desktop/panels/warnings.py" line="61"/>
        <location filename="../../desktop/panels/warnings.py" line="81"/>
        <source>预警</source>
        <translation>Warnings</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/warnings.py" line="61"/>
        <location filename="../../desktop/panels/warnings.py" line="62"/>
        <source>条</source>
        <translation>items</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/warnings.py" line="62"/>
        <source>提示</source>
        <translation>Notices</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/warnings.py" line="63"/>
        <source>所有年度</source>
        <translation>All years</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/warnings.py" line="64"/>
        <source>也列出其他年度的预警（已结束年度的决算偏离、年底突击花钱等）</source>
        <translation>Also list other years&apos; warnings (final accounts off budget, year-end rush of closed years…)</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/warnings.py" line="65"/>
        <source>只看预警</source>
        <translation>Warnings only</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/warnings.py" line="68"/>
        <source>审查阈值…</source>
        <translation>Thresholds…</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/warnings.py" line="74"/>
        <source>查看对象</source>
        <translation>Show subject</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/warnings.py" line="76"/>
        <source>据此提出建议</source>
        <translation>Make a suggestion of it</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/warnings.py" line="123"/>
        <source>正在审查本机数据…</source>
        <translation>Reviewing the data on this PC…</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/warnings.py" line="174"/>
        <source>选中一条预警，查看它的数据；双击跳到预警对象。</source>
        <translation>Select a warning to see its figures; double-click to go to its subject.</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/warnings.py" line="175"/>
        <source>所选区域和年度没有预警。</source>
        <translation>No warnings for the selected region and year.</translation>
    </message>
</context>
</TS>
