<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>BudgetPanel</name>
    <message>
        <source>年初预算</source>
        <translation>Approved</translation>
    </message>
    <message>
        <source>万元</source>
        <translation>10k yuan</translation>
    </message>
    <message>
        <source>调整后预算</source>
        <translation>Adjusted budget</translation>
    </message>
    <message>
        <source>比上年增减</source>
        <translation>Change on last year</translation>
    </message>
    <message>
        <source>科目数</source>
        <translation>Items</translation>
    </message>
    <message>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <source>筛选科目名称或编码…</source>
        <translation>Filter by name or code…</translation>
    </message>
    <message>
        <source>年初预算（万元）</source>
        <translation>Approved (10k yuan)</translation>
    </message>
    <message>
        <source>乡镇预算</source>
        <translation>Township budget</translation>
    </message>
    <message>
        <source>编码</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>占比</source>
        <translation>Share</translation>
    </message>
    <message>
        <source>上年预算</source>
        <translation>Last year</translation>
    </message>
    <message>
        <source>比上年</source>
        <translation>vs last year</translation>
    </message>
    <message>
        <source>按功能分类</source>
        <translation>By function</translation>
    </message>
    <message>
        <source>按经济分类</source>
        <translation>By economic class</translation>
    </message>
    <message>
        <source>按部门</source>
        <translation>By department</translation>
    </message>
    <message>
        <source>按资金性质</source>
        <translation>By fund</translation>
    </message>
    <message>
        <source>{region} {year} 年没有预算数据。
请换一个年度或区域，或点击「立即同步」。</source>
        <translation>No budget data for {region} in {year}.
Choose another year or region, or click &quot;Sync now&quot;.</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>修改密码</source>
        <translation>Change password</translation>
    </message>
    <message>
        <source>管理员重置了 {user} 的密码。请设置一个新密码后继续。</source>
        <translation>An administrator reset {user}&apos;s password. Set a new password to continue.</translation>
    </message>
    <message>
        <source>为 {user} 设置新密码。</source>
        <translation>Set a new password for {user}.</translation>
    </message>
    <message>
        <source>当前密码</source>
        <translation>Current password</translation>
    </message>
    <message>
        <source>新密码</source>
        <translation>New password</translation>
    </message>
    <message>
        <source>再次输入新密码</source>
        <translation>New password again</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>新密码至少需要 {n} 个字符</source>
        <translation>The new password needs at least {n} characters</translation>
    </message>
    <message>
        <source>两次输入的新密码不一致</source>
        <translation>The two new passwords differ</translation>
    </message>
    <message>
        <source>新密码不能与当前密码相同</source>
        <translation>The new password must differ from the current one</translation>
    </message>
</context>
<context>
    <name>CumulativeProgressChart</name>
    <message>
        <source>序时进度</source>
        <translation>Time progress</translation>
    </message>
    <message>
        <source>数据截至{month}月</source>
        <translation>Data to month {month}</translation>
    </message>
</context>
<context>
    <name>DesktopApp</name>
    <message>
        <source>请登录后同步；本机数据照常可看</source>
        <translation>Sign in to sync; the data on this PC stays readable</translation>
    </message>
    <message>
        <source>拉取 {rows} 行，上传 {commands} 条</source>
        <translation>{rows} rows received, {commands} sent</translation>
    </message>
    <message>
        <source>需要更新</source>
        <translation>Update needed</translation>
    </message>
</context>
<context>
    <name>DrillBar</name>
    <message>
        <source>← 返回上一级</source>
        <translation>← Up one level</translation>
    </message>
    <message>
        <source>（双击一行查看下一级）</source>
        <translation>(double-click a row for the level below)</translation>
    </message>
</context>
<context>
    <name>ExecutionPanel</name>
    <message>
        <source>调整后预算</source>
        <translation>Adjusted budget</translation>
    </message>
    <message>
        <source>万元</source>
        <translation>10k yuan</translation>
    </message>
    <message>
        <source>累计支出</source>
        <translation>Paid to date</translation>
    </message>
    <message>
        <source>执行进度</source>
        <translation>Executed</translation>
    </message>
    <message>
        <source>序时进度</source>
        <translation>Time progress</translation>
    </message>
    <message>
        <source>进度滞后的预算项目</source>
        <translation>Lines behind time</translation>
    </message>
    <message>
        <source>全部支出</source>
        <translation>All spending</translation>
    </message>
    <message>
        <source>累计支出进度（%）</source>
        <translation>Cumulative spending (%)</translation>
    </message>
    <message>
        <source>筛选部门、项目或科目…</source>
        <translation>Filter by department, project or item…</translation>
    </message>
    <message>
        <source>只看滞后</source>
        <translation>Lagging only</translation>
    </message>
    <message>
        <source>预算执行</source>
        <translation>Budget execution</translation>
    </message>
    <message>
        <source>预算单位</source>
        <translation>Budget unit</translation>
    </message>
    <message>
        <source>项目 / 科目</source>
        <translation>Project / item</translation>
    </message>
    <message>
        <source>功能科目</source>
        <translation>Function</translation>
    </message>
    <message>
        <source>落后序时（百分点）</source>
        <translation>Behind time (points)</translation>
    </message>
    <message>
        <source>标签</source>
        <translation>Tags</translation>
    </message>
    <message>
        <source>民生</source>
        <translation>Livelihood</translation>
    </message>
    <message>
        <source>专项</source>
        <translation>Special</translation>
    </message>
    <message>
        <source>{region} {year} 年没有预算执行数据。
请换一个年度或区域，或点击「立即同步」。</source>
        <translation>No execution data for {region} in {year}.
Choose another year or region, or click &quot;Sync now&quot;.</translation>
    </message>
    <message>
        <source>截至{month}月</source>
        <translation>to month {month}</translation>
    </message>
    <message>
        <source>预警 {red} · 提示 {yellow}</source>
        <translation>{red} red · {yellow} yellow</translation>
    </message>
</context>
<context>
    <name>FinalPanel</name>
    <message>
        <source>调整后预算</source>
        <translation>Adjusted budget</translation>
    </message>
    <message>
        <source>万元</source>
        <translation>10k yuan</translation>
    </message>
    <message>
        <source>决算支出</source>
        <translation>Final spending</translation>
    </message>
    <message>
        <source>决算与预算差额</source>
        <translation>Final minus budget</translation>
    </message>
    <message>
        <source>偏离率</source>
        <translation>Deviation</translation>
    </message>
    <message>
        <source>全部功能分类</source>
        <translation>All function classes</translation>
    </message>
    <message>
        <source>筛选科目名称或编码…</source>
        <translation>Filter by name or code…</translation>
    </message>
    <message>
        <source>只看偏离大的</source>
        <translation>Large deviations only</translation>
    </message>
    <message>
        <source>年初预算</source>
        <translation>Approved</translation>
    </message>
    <message>
        <source>决算</source>
        <translation>Final</translation>
    </message>
    <message>
        <source>决算监督</source>
        <translation>Final accounts</translation>
    </message>
    <message>
        <source>编码</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>功能分类</source>
        <translation>Function class</translation>
    </message>
    <message>
        <source>差额</source>
        <translation>Difference</translation>
    </message>
    <message>
        <source>{region} 在 {year} 年及以前还没有决算数据。
决算一般在次年编制完成后同步到本机。</source>
        <translation>No final accounts for {region} up to {year}.
Final accounts arrive after they are compiled the following year.</translation>
    </message>
    <message>
        <source>{region} {year} 年决算与预算对比。</source>
        <translation>Final accounts against budget, {region} {year}.</translation>
    </message>
    <message>
        <source>{selected} 年决算尚未编制，下面是最近一个有决算的年度：{year} 年。</source>
        <translation>The {selected} final accounts are not compiled yet; shown is the latest year that has them: {year}.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>预算联网监督</source>
        <extracomment>Bumped when the docks change, so an old saved layout is not forced onto new docks.</extracomment>
        <translation>BudgetWatch</translation>
    </message>
    <message>
        <source>选择</source>
        <translation>Selection</translation>
    </message>
    <message>
        <source>区域</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>年度</source>
        <translation>Year</translation>
    </message>
    <message>
        <source>立即同步</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>登录</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <source>首选项…</source>
        <translation>Preferences…</translation>
    </message>
    <message>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>视图</source>
        <translation>View</translation>
    </message>
    <message>
        <source>恢复默认布局</source>
        <translation>Restore default layout</translation>
    </message>
    <message>
        <source>账号</source>
        <translation>Account</translation>
    </message>
    <message>
        <source>切换用户</source>
        <translation>Switch user</translation>
    </message>
    <message>
        <source>修改密码…</source>
        <translation>Change password…</translation>
    </message>
    <message>
        <source>退出登录</source>
        <translation>Sign out</translation>
    </message>
    <message>
        <source>帮助</source>
        <translation>Help</translation>
    </message>
    <message>
        <source>关于预算联网监督</source>
        <translation>About BudgetWatch</translation>
    </message>
    <message>
        <source>预算联网监督 — 供人大代表在代表之家监督预算执行、重大政策、民生实事，并提出意见建议。数据保存在本机，没有网络也能查看。</source>
        <translation>BudgetWatch — for people&apos;s congress deputies to supervise budget execution, major policies and livelihood projects from the deputies&apos; home, and to make suggestions. The data is kept on this PC and readable without the network.</translation>
    </message>
    <message>
        <source>未登录</source>
        <translation>Not signed in</translation>
    </message>
    <message>
        <source>其他用户登录…</source>
        <translation>Another user…</translation>
    </message>
    <message>
        <source>代表</source>
        <translation>Deputy</translation>
    </message>
    <message>
        <source>人大工委</source>
        <translation>Staff</translation>
    </message>
    <message>
        <source>职能部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>已退出登录。请点击「登录」。</source>
        <translation>Signed out. Click &quot;Sign in&quot;.</translation>
    </message>
    <message>
        <source>还没有同步数据 — 点击「立即同步」。
同步一次后，没有网络也能查看。</source>
        <translation>No data synced yet — click &quot;Sync now&quot;.
After one sync everything works without the network.</translation>
    </message>
    <message>
        <source>{year}年</source>
        <translation>{year}</translation>
    </message>
    <message>
        <source>数据截至 {year}年{month}月 · 序时进度 {progress}</source>
        <translation>Data to {year}-{month} · time progress {progress}</translation>
    </message>
    <message>
        <source>{year}年尚无执行数据</source>
        <translation>No execution data for {year} yet</translation>
    </message>
    <message>
        <source>上次同步 {when}（服务器时间）</source>
        <translation>Last sync {when} (server time)</translation>
    </message>
    <message>
        <source>尚未同步</source>
        <translation>Not synced yet</translation>
    </message>
    <message>
        <source>● 已同步</source>
        <translation>● Synced</translation>
    </message>
    <message>
        <source>● 离线（本机数据照常可用）</source>
        <translation>● Offline (the data on this PC works as usual)</translation>
    </message>
    <message>
        <source>● 未登录</source>
        <translation>● Signed out</translation>
    </message>
    <message>
        <source>● 同步失败</source>
        <translation>● Sync failed</translation>
    </message>
    <message>
        <source>● 正在同步</source>
        <translation>● Syncing</translation>
    </message>
    <message>
        <source>● 正在同步 {rows} 行</source>
        <translation>● Syncing {rows} rows</translation>
    </message>
    <message>
        <source>待上传 {count} 条</source>
        <translation>{count} waiting to upload</translation>
    </message>
</context>
<context>
    <name>MonthAxis</name>
    <message>
        <source>年初</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>{month}月</source>
        <translation>M{month}</translation>
    </message>
</context>
<context>
    <name>PoliciesPanel</name>
    <message>
        <source>重大政策</source>
        <translation>Major policies</translation>
    </message>
    <message>
        <source>项</source>
        <translation>policies</translation>
    </message>
    <message>
        <source>安排资金</source>
        <translation>Arranged</translation>
    </message>
    <message>
        <source>万元</source>
        <translation>10k yuan</translation>
    </message>
    <message>
        <source>已拨付</source>
        <translation>Disbursed</translation>
    </message>
    <message>
        <source>拨付进度</source>
        <translation>Disbursed %</translation>
    </message>
    <message>
        <source>筛选政策或部门…</source>
        <translation>Filter by policy or department…</translation>
    </message>
    <message>
        <source>只看滞后</source>
        <translation>Lagging only</translation>
    </message>
    <message>
        <source>全部政策</source>
        <translation>All policies</translation>
    </message>
    <message>
        <source>累计拨付进度（%）</source>
        <translation>Cumulative disbursement (%)</translation>
    </message>
    <message>
        <source>重大政策执行</source>
        <translation>Major policies</translation>
    </message>
    <message>
        <source>政策</source>
        <translation>Policy</translation>
    </message>
    <message>
        <source>牵头部门</source>
        <translation>Lead department</translation>
    </message>
    <message>
        <source>落后序时（百分点）</source>
        <translation>Behind time (points)</translation>
    </message>
    <message>
        <source>项目数</source>
        <translation>Projects</translation>
    </message>
    <message>
        <source>项目</source>
        <translation>Project</translation>
    </message>
    <message>
        <source>预算</source>
        <translation>Budget</translation>
    </message>
    <message>
        <source>已支付</source>
        <translation>Paid</translation>
    </message>
    <message>
        <source>实际进度</source>
        <translation>Actual progress</translation>
    </message>
    <message>
        <source>{region} {year} 年没有重大政策数据。
请换一个年度或区域，或点击「立即同步」。</source>
        <translation>No major policies for {region} in {year}.
Choose another year or region, or click &quot;Sync now&quot;.</translation>
    </message>
    <message>
        <source>序时 {time}</source>
        <translation>time {time}</translation>
    </message>
    <message>
        <source>「{policy}」的项目（{count} 个）</source>
        <translation>Projects of &quot;{policy}&quot; ({count})</translation>
    </message>
    <message>
        <source>选中一项政策，查看它的项目</source>
        <translation>Select a policy to see its projects</translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <source>首选项</source>
        <translation>Preferences</translation>
    </message>
    <message>
        <source>界面语言和字号在下次启动时生效。</source>
        <translation>Language and type size apply at the next start.</translation>
    </message>
</context>
<context>
    <name>ProjectsPanel</name>
    <message>
        <source>未开工</source>
        <translation>Planned</translation>
    </message>
    <message>
        <source>在建</source>
        <translation>In progress</translation>
    </message>
    <message>
        <source>已完工</source>
        <translation>Completed</translation>
    </message>
    <message>
        <source>停工</source>
        <translation>Suspended</translation>
    </message>
    <message>
        <source>民生实事项目</source>
        <translation>Livelihood projects</translation>
    </message>
    <message>
        <source>个</source>
        <translation>projects</translation>
    </message>
    <message>
        <source>项目预算</source>
        <translation>Project budgets</translation>
    </message>
    <message>
        <source>万元</source>
        <translation>10k yuan</translation>
    </message>
    <message>
        <source>已支付</source>
        <translation>Paid</translation>
    </message>
    <message>
        <source>需关注的项目</source>
        <translation>Needing attention</translation>
    </message>
    <message>
        <source>筛选项目、乡镇或部门…</source>
        <translation>Filter by project, township or department…</translation>
    </message>
    <message>
        <source>只看需关注的</source>
        <translation>Needing attention only</translation>
    </message>
    <message>
        <source>计划进度</source>
        <translation>Planned progress</translation>
    </message>
    <message>
        <source>实际进度</source>
        <translation>Actual progress</translation>
    </message>
    <message>
        <source>支付进度</source>
        <translation>Paid %</translation>
    </message>
    <message>
        <source>进度（%）</source>
        <translation>Progress (%)</translation>
    </message>
    <message>
        <source>民生实事</source>
        <translation>Livelihood projects</translation>
    </message>
    <message>
        <source>项目</source>
        <translation>Project</translation>
    </message>
    <message>
        <source>乡镇/街道</source>
        <translation>Township</translation>
    </message>
    <message>
        <source>牵头部门</source>
        <translation>Lead department</translation>
    </message>
    <message>
        <source>预算</source>
        <translation>Budget</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <source>完工期限</source>
        <translation>Due</translation>
    </message>
    <message>
        <source>所属政策</source>
        <translation>Policy</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>进展</source>
        <translation>Progress</translation>
    </message>
    <message>
        <source>编号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>建议</source>
        <translation>Suggestion</translation>
    </message>
    <message>
        <source>{region} {year} 年没有民生实事项目。
请换一个年度或区域，或点击「立即同步」。</source>
        <translation>No livelihood projects for {region} in {year}.
Choose another year or region, or click &quot;Sync now&quot;.</translation>
    </message>
    <message>
        <source>万元 · {percent}</source>
        <translation>10k yuan · {percent}</translation>
    </message>
    <message>
        <source>选中一个项目，查看它的进展和相关建议</source>
        <translation>Select a project to see its progress and related suggestions</translation>
    </message>
    <message>
        <source>「{project}」的进展</source>
        <translation>Progress of &quot;{project}&quot;</translation>
    </message>
    <message>
        <source>相关意见建议（{count} 条）</source>
        <translation>Related suggestions ({count})</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>界面语言（auto = 跟随系统）</source>
        <translation>Language (auto = as the system)</translation>
    </message>
    <message>
        <source>字号（磅）</source>
        <translation>Type size (pt)</translation>
    </message>
    <message>
        <source>无人操作多久后自动退出登录（分钟，0 = 不退出）</source>
        <translation>Sign out after this many idle minutes (0 = never)</translation>
    </message>
    <message>
        <source>自动同步间隔（分钟，0 = 只在手动时同步）</source>
        <translation>Sync every (minutes, 0 = only by hand)</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>登录预算联网监督</source>
        <translation>Sign in to BudgetWatch</translation>
    </message>
    <message>
        <source>请用您的账号登录。登录一次后，没有网络时也能查看本机数据。</source>
        <translation>Sign in with your account. After one sign-in the data on this PC is readable without the network.</translation>
    </message>
    <message>
        <source>记住我（在这台电脑上保持登录；公用电脑请勿勾选）</source>
        <translation>Remember me (stay signed in on this PC; not on a shared PC)</translation>
    </message>
    <message>
        <source>服务器</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>Username</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>登录</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>暂不登录（查看本机数据）</source>
        <translation>Not now (read the data on this PC)</translation>
    </message>
    <message>
        <source>请输入用户名和密码</source>
        <translation>Enter username and password</translation>
    </message>
    <message>
        <source>正在登录…</source>
        <translation>Signing in…</translation>
    </message>
</context>
<context>
    <name>SuggestionEditor</name>
    <message>
        <source>修改后重新提交</source>
        <translation>Correct and resubmit</translation>
    </message>
    <message>
        <source>提出意见建议</source>
        <translation>New suggestion</translation>
    </message>
    <message>
        <source>一句话说明建议，如：某路段请增设路灯</source>
        <translation>The suggestion in one line, e.g. street lights needed on a road</translation>
    </message>
    <message>
        <source>情况、问题和具体建议</source>
        <translation>The situation, the problem and what you suggest</translation>
    </message>
    <message>
        <source>本人提出</source>
        <translation>My own</translation>
    </message>
    <message>
        <source>群众反映（群众点单）</source>
        <translation>From constituents</translation>
    </message>
    <message>
        <source>群众姓名（只有您、人大工委和承办部门能看到）</source>
        <translation>Name (seen only by you, staff and the assigned department)</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>（不关联）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>内容</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>群众姓名</source>
        <translation>Constituent&apos;s name</translation>
    </message>
    <message>
        <source>关联项目或政策</source>
        <translation>Linked project or policy</translation>
    </message>
    <message>
        <source>重新提交</source>
        <translation>Resubmit</translation>
    </message>
    <message>
        <source>提交</source>
        <translation>Submit</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>存为草稿并关闭</source>
        <translation>Keep as draft and close</translation>
    </message>
    <message>
        <source>离线也可以写：每次修改都会保存在本机</source>
        <translation>Works offline: every edit is saved on this PC</translation>
    </message>
    <message>
        <source>请填写标题</source>
        <translation>Give a title</translation>
    </message>
    <message>
        <source>请填写建议内容</source>
        <translation>Write the suggestion</translation>
    </message>
    <message>
        <source>群众反映的建议请至少留下群众姓名或电话，便于部门回访</source>
        <translation>For a constituent&apos;s suggestion, give at least their name or phone so the department can follow up</translation>
    </message>
    <message>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>已保存在本机（草稿）</source>
        <translation>Saved on this PC (draft)</translation>
    </message>
    <message>
        <source>保存失败：{message}</source>
        <translation>Could not save: {message}</translation>
    </message>
    <message>
        <source>正在放入待上传…</source>
        <translation>Queuing for upload…</translation>
    </message>
</context>
<context>
    <name>SuggestionState</name>
    <message>
        <source>草稿</source>
        <translation>Draft</translation>
    </message>
    <message>
        <source>待上传</source>
        <translation>Waiting to upload</translation>
    </message>
    <message>
        <source>已上传</source>
        <translation>Uploaded</translation>
    </message>
    <message>
        <source>被退回</source>
        <translation>Refused</translation>
    </message>
    <message>
        <source>已提交</source>
        <translation>Submitted</translation>
    </message>
    <message>
        <source>已交办</source>
        <translation>Assigned</translation>
    </message>
    <message>
        <source>办理中</source>
        <translation>In hand</translation>
    </message>
    <message>
        <source>已答复</source>
        <translation>Replied</translation>
    </message>
    <message>
        <source>已办结</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>重新办理</source>
        <translation>Reopened</translation>
    </message>
    <message>
        <source>不予立案</source>
        <translation>Declined</translation>
    </message>
    <message>
        <source>已合并</source>
        <translation>Merged</translation>
    </message>
</context>
<context>
    <name>SuggestionsPanel</name>
    <message>
        <source>提出建议</source>
        <translation>Submitted</translation>
    </message>
    <message>
        <source>交办</source>
        <translation>Assigned</translation>
    </message>
    <message>
        <source>接单</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>答复</source>
        <translation>Replied</translation>
    </message>
    <message>
        <source>代表反馈</source>
        <translation>Feedback</translation>
    </message>
    <message>
        <source>重新办理</source>
        <translation>Reopened</translation>
    </message>
    <message>
        <source>办结</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>不予立案</source>
        <translation>Declined</translation>
    </message>
    <message>
        <source>合并</source>
        <translation>Merged</translation>
    </message>
    <message>
        <source>意见建议</source>
        <translation>Suggestions</translation>
    </message>
    <message>
        <source>条</source>
        <translation>items</translation>
    </message>
    <message>
        <source>办理中</source>
        <translation>In hand</translation>
    </message>
    <message>
        <source>已超期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>本机待上传 / 草稿</source>
        <translation>On this PC (waiting / drafts)</translation>
    </message>
    <message>
        <source>＋ 提出建议</source>
        <translation>+ New suggestion</translation>
    </message>
    <message>
        <source>只看我提出的</source>
        <translation>Mine only</translation>
    </message>
    <message>
        <source>筛选标题、部门或编号…</source>
        <translation>Filter by title, department or number…</translation>
    </message>
    <message>
        <source>继续编辑</source>
        <translation>Continue editing</translation>
    </message>
    <message>
        <source>编号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>（未填标题）</source>
        <translation>(no title)</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <source>承办部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>办理期限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <source>提出人</source>
        <translation>Author</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>有 {count} 条建议被服务器退回：选中它查看原因，修改后可重新提交。</source>
        <translation>{count} suggestion(s) refused by the server: select one to see why; correct it and resubmit.</translation>
    </message>
    <message>
        <source>还没有意见建议。点击「提出建议」写第一条——没有网络也可以写，联网后自动上传。</source>
        <translation>No suggestions yet. Click &quot;New suggestion&quot; to write one — it works offline and uploads by itself later.</translation>
    </message>
    <message>
        <source>选中一条建议，查看内容和办理经过。</source>
        <translation>Select a suggestion to see its text and history.</translation>
    </message>
    <message>
        <source>修改后重新提交</source>
        <translation>Correct and resubmit</translation>
    </message>
    <message>
        <source>放弃这条</source>
        <translation>Discard</translation>
    </message>
    <message>
        <source>删除草稿</source>
        <translation>Delete draft</translation>
    </message>
    <message>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>群众反映</source>
        <translation>From constituents</translation>
    </message>
    <message>
        <source>本人提出</source>
        <translation>My own</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>提交时间</source>
        <translation>Submitted</translation>
    </message>
    <message>
        <source>尚未交办</source>
        <translation>Not assigned yet</translation>
    </message>
    <message>
        <source>关联</source>
        <translation>Linked</translation>
    </message>
    <message>
        <source>群众</source>
        <translation>Constituent</translation>
    </message>
    <message>
        <source>满意度</source>
        <translation>Satisfaction</translation>
    </message>
    <message>
        <source>不予立案理由：</source>
        <translation>Reason for declining: </translation>
    </message>
    <message>
        <source>办理经过</source>
        <translation>History</translation>
    </message>
    <message>
        <source>草稿，只保存在这台电脑上。写完后点击「提交」。</source>
        <translation>Draft, saved on this PC only. Click &quot;Submit&quot; when done.</translation>
    </message>
    <message>
        <source>已提交，待上传：下次连上服务器时自动上传，无需重复提交。</source>
        <translation>Submitted, waiting to upload: it goes up by itself next time the server is reachable — no need to submit again.</translation>
    </message>
    <message>
        <source>已上传到服务器，下一次同步后显示登记编号。</source>
        <translation>Uploaded; its registration number shows after the next sync.</translation>
    </message>
    <message>
        <source>服务器退回了这条建议。</source>
        <translation>The server refused this suggestion.</translation>
    </message>
    <message>
        <source>退回原因：</source>
        <translation>Reason: </translation>
    </message>
    <message>
        <source>项目：{name}</source>
        <translation>Project: {name}</translation>
    </message>
    <message>
        <source>政策：{name}</source>
        <translation>Policy: {name}</translation>
    </message>
</context>
<context>
    <name>TableSection</name>
    <message>
        <source>金额单位：万元</source>
        <translation>Amounts in 10k yuan</translation>
    </message>
</context>
</TS>
