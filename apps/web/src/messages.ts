/**
 * The UI dictionary: every string the shell shows, in Chinese (default) and English.
 * Labels that come with data (roles, tiers, sectors, parameters) are translated where they are defined.
 */
export type Lang = 'zh' | 'en';
export type Label = { zh: string; en: string };

export const messages = {
  'app.name': { zh: '四保企业运行调度平台', en: 'Sibao dispatch platform' },
  'app.fullName': {
    zh: '四保白名单企业(项目)运行调度平台',
    en: 'Sibao whitelist enterprise dispatch platform',
  },
  'app.short': { zh: '四保', en: 'Sibao' },
  'app.issuer': { zh: '河南省', en: 'Henan Province' },
  'lang.switch': { zh: '界面语言', en: 'Language' },

  'login.title': { zh: '登录', en: 'Sign in' },
  'login.subtitle': {
    zh: '运行状态一屏掌控 · 问题诉求一键响应 · 涉疫风险一览无余',
    en: 'One screen for operations · one click for requests · every epidemic risk in sight',
  },
  'login.username': { zh: '用户名', en: 'Username' },
  'login.password': { zh: '密码', en: 'Password' },
  'login.usernameRequired': { zh: '请输入用户名', en: 'Enter your username' },
  'login.passwordRequired': { zh: '请输入密码', en: 'Enter your password' },
  'login.submit': { zh: '登录', en: 'Sign in' },
  'login.expired': { zh: '登录已过期，请重新登录', en: 'Your session has expired; please sign in again' },
  'login.loggedOut': { zh: '您已安全退出', en: 'You have signed out' },
  'login.mfaTitle': { zh: '二次验证', en: 'Second factor' },
  'login.mfaHint': {
    zh: '请打开身份验证器应用，输入显示的 6 位动态验证码。',
    en: 'Open your authenticator app and enter the 6-digit code it shows.',
  },
  'login.back': { zh: '返回重新登录', en: 'Back to sign-in' },
  'login.enrolTitle': { zh: '绑定动态验证码', en: 'Set up a second factor' },
  'login.enrolHint': {
    zh: '您的账户需要启用动态验证码（TOTP）后才能继续使用。',
    en: 'Your account needs a one-time-code authenticator (TOTP) before you can continue.',
  },
  'login.footer': {
    zh: '本系统仅供授权人员使用，操作全程留痕审计。',
    en: 'For authorised staff only; every action is audited.',
  },

  'mfa.code': { zh: '动态验证码', en: 'One-time code' },
  'mfa.codeInvalid': { zh: '请输入 6 位数字验证码', en: 'Enter the 6-digit code' },
  'mfa.verify': { zh: '验证', en: 'Verify' },
  'mfa.start': { zh: '生成绑定密钥', en: 'Generate a secret' },
  'mfa.step1': {
    zh: '用身份验证器应用（如微信小程序“腾讯身份验证器”、Google Authenticator、Microsoft Authenticator）扫描二维码，或手动输入下方密钥。',
    en: 'Scan the QR code with an authenticator app, or type the secret below into it.',
  },
  'mfa.secret': { zh: '密钥', en: 'Secret' },
  'mfa.uri': { zh: '配置链接', en: 'Setup URI' },
  'mfa.step2': { zh: '输入应用显示的 6 位验证码完成绑定。', en: 'Enter the 6-digit code the app shows.' },
  'mfa.confirm': { zh: '完成绑定', en: 'Confirm' },
  'mfa.enrolled': { zh: '动态验证码已绑定', en: 'The authenticator is set up' },
  'mfa.enabled': { zh: '已启用', en: 'Enabled' },
  'mfa.disabled': { zh: '未启用', en: 'Not set up' },
  'mfa.requiredNote': {
    zh: '按照管理要求，您的账户必须启用动态验证码。',
    en: 'Your account is required to use a second factor.',
  },
  'mfa.optionalNote': {
    zh: '启用后，登录时除密码外还需输入动态验证码。',
    en: 'Once set up, signing in asks for a one-time code as well as the password.',
  },

  'header.userMenu': { zh: '用户菜单', en: 'Account menu' },
  'header.openMenu': { zh: '打开菜单', en: 'Open menu' },
  'header.logout': { zh: '退出登录', en: 'Sign out' },
  'header.account': { zh: '我的账户', en: 'My account' },
  'nav.label': { zh: '主菜单', en: 'Main menu' },

  'home.greeting': { zh: '您好，{name}', en: 'Hello, {name}' },
  'home.orgUnit': { zh: '所属单位', en: 'Organisation' },
  'home.tier': { zh: '层级', en: 'Tier' },
  'home.region': { zh: '行政区划', en: 'Region' },
  'home.role': { zh: '角色', en: 'Role' },
  'home.sectors': { zh: '主管行业', en: 'Sectors' },
  'home.duties': { zh: '本角色的工作', en: 'What this role does' },
  'home.quickLinks': { zh: '快捷入口', en: 'Quick links' },
  'home.mfaReminder': {
    zh: '建议为账户启用动态验证码，提升账户安全。',
    en: 'Set up a second factor to protect your account.',
  },
  'home.goAccount': { zh: '前往设置', en: 'Set it up' },

  'regions.title': { zh: '行政区划', en: 'Administrative divisions' },
  'regions.hint': {
    zh: '依据 GB/T 2260 河南省行政区划代码，点击展开下级。',
    en: 'Henan divisions by GB/T 2260 code; expand a node to load its children.',
  },
  'regions.detail': { zh: '区划信息', en: 'Division' },
  'regions.code': { zh: '区划代码', en: 'Code' },
  'regions.name': { zh: '名称', en: 'Name' },
  'regions.level': { zh: '级别', en: 'Level' },
  'regions.children': { zh: '下级区划数', en: 'Subdivisions' },
  'regions.selectHint': { zh: '选择左侧区划查看详情', en: 'Select a division to see its details' },
  'regions.level.province': { zh: '省', en: 'Province' },
  'regions.level.city': { zh: '市', en: 'City' },
  'regions.level.county': { zh: '县（市、区）', en: 'County' },
  'regions.level.zone': { zh: '功能区', en: 'Functional zone' },

  'parameters.title': { zh: '参数', en: 'Parameters' },
  'parameters.hint': {
    zh: '文件规定的各项数值按生效日期管理，修改参数即可适应新的应急情形，无需改动程序。',
    en: 'Every number the documents fix is kept with its validity dates, so a new emergency changes data, not code.',
  },
  'parameters.label': { zh: '参数', en: 'Parameter' },
  'parameters.key': { zh: '标识', en: 'Key' },
  'parameters.current': { zh: '当前值', en: 'In force today' },
  'parameters.notInForce': { zh: '今日未生效', en: 'Not in force today' },
  'parameters.source': { zh: '依据', en: 'Source' },
  'parameters.versions': { zh: '版本', en: 'Versions' },
  'parameters.timeline': { zh: '生效时间线', en: 'Timeline' },
  'parameters.from': { zh: '{from} 起', en: 'from {from}' },
  'parameters.fromTo': { zh: '{from} 至 {to}', en: '{from} to {to}' },
  'parameters.revision': { zh: '第 {n} 版', en: 'revision {n}' },
  'parameters.search': { zh: '搜索参数', en: 'Search parameters' },

  'enterprises.title': { zh: '企业名录', en: 'Enterprise registry' },
  'enterprises.hint': {
    zh: '本单位管辖范围内的企业(项目)，可按名称或统一社会信用代码查找，按行业、区划筛选并导出。',
    en: 'Enterprises and projects within your remit: search by name or USCC, filter by sector and region, export.',
  },
  'enterprises.search': { zh: '企业名称或统一社会信用代码', en: 'Name or USCC' },
  'enterprises.sector': { zh: '行业领域', en: 'Sector' },
  'enterprises.allSectors': { zh: '全部行业', en: 'All sectors' },
  'enterprises.region': { zh: '所在区划', en: 'Region' },
  'enterprises.allRegions': { zh: '全部区划', en: 'All regions' },
  'enterprises.reset': { zh: '重置', en: 'Reset' },
  'enterprises.total': { zh: '共 {total} 家', en: '{total} in all' },
  'enterprises.shown': { zh: '已显示 {shown} / {total} 家', en: 'Showing {shown} of {total}' },
  'enterprises.loadMore': { zh: '加载更多', en: 'Load more' },
  'enterprises.empty': { zh: '没有符合条件的企业', en: 'No enterprise matches' },
  'enterprises.name': { zh: '企业(项目)名称', en: 'Name' },
  'enterprises.uscc': { zh: '统一社会信用代码', en: 'USCC' },
  'enterprises.kind': { zh: '类型', en: 'Kind' },
  'enterprises.kind.enterprise': { zh: '企业', en: 'Enterprise' },
  'enterprises.kind.project': { zh: '项目', en: 'Project' },
  'enterprises.kind.park': { zh: '园区', en: 'Park' },
  'enterprises.sectors': { zh: '行业领域', en: 'Sectors' },
  'enterprises.regionCode': { zh: '所在县(市、区)', en: 'County' },
  'enterprises.address': { zh: '地址', en: 'Address' },
  'enterprises.headcount': { zh: '员工人数', en: 'Headcount' },
  'enterprises.annualValue': { zh: '年产值/计划总投资', en: 'Annual output / investment' },
  'enterprises.cityOperations': { zh: '城市运行保障企业', en: 'City operations' },
  'enterprises.wan': { zh: '{value} 万元', en: '{value} × 10k yuan' },
  'enterprises.yes': { zh: '是', en: 'Yes' },
  'enterprises.no': { zh: '否', en: 'No' },
  'enterprises.detail': { zh: '企业详情', en: 'Enterprise' },
  'enterprises.view': { zh: '查看', en: 'View' },
  'enterprises.export': { zh: '导出', en: 'Export' },
  'enterprises.exportXlsx': { zh: '导出 Excel', en: 'Export Excel' },
  'enterprises.exportCsv': { zh: '导出 CSV', en: 'Export CSV' },
  'enterprises.csvUtf8': { zh: 'CSV（UTF-8）', en: 'CSV (UTF-8)' },
  'enterprises.csvGb18030': {
    zh: 'CSV（GB18030，适用于旧版 Excel/WPS）',
    en: 'CSV (GB18030, for older Excel/WPS)',
  },
  'enterprises.exported': { zh: '已下载 {name}', en: 'Downloaded {name}' },
  'enterprises.import': { zh: '导入', en: 'Import' },

  'import.title': { zh: '导入企业名录', en: 'Import enterprises' },
  'import.step1': {
    zh: '下载模板，按表头填写（中文表头，支持 .xlsx 与 UTF-8 / GB18030 编码的 .csv）。',
    en: 'Download the template and fill it in (.xlsx, or .csv in UTF-8 or GB18030).',
  },
  'import.template': { zh: '下载导入模板', en: 'Download the template' },
  'import.step2': {
    zh: '选择填好的文件上传。全部行校验通过才会导入；任何一行有误则不导入任何数据。',
    en: 'Upload the filled-in file. Rows are imported only if every row is valid; any error imports nothing.',
  },
  'import.pick': { zh: '点击或拖拽文件到此处', en: 'Click or drop a file here' },
  'import.pickHint': { zh: '支持 .xlsx、.csv，不超过 20 MB', en: '.xlsx or .csv, up to 20 MB' },
  'import.start': { zh: '开始导入', en: 'Start the import' },
  'import.again': { zh: '导入其他文件', en: 'Import another file' },
  'import.close': { zh: '关闭', en: 'Close' },
  'import.succeeded': { zh: '导入成功，共导入 {n} 条', en: 'Imported {n} rows' },
  'import.failedRows': {
    zh: '发现 {n} 处错误，未导入任何数据。请修改后重新上传。',
    en: '{n} errors found; nothing was imported. Correct the file and upload it again.',
  },
  'import.failedFile': {
    zh: '文件无法导入，未导入任何数据',
    en: 'The file cannot be imported; nothing was imported',
  },
  'import.truncated': {
    zh: '仅列出前 {shown} 处错误',
    en: 'Only the first {shown} errors are listed',
  },
  'import.row': { zh: '行号', en: 'Row' },
  'import.rowN': { zh: '第 {n} 行', en: 'Row {n}' },
  'import.column': { zh: '列', en: 'Column' },
  'import.problem': { zh: '问题', en: 'Problem' },

  'job.queued': { zh: '排队中…', en: 'Queued…' },
  'job.running': { zh: '处理中…', en: 'Working…' },
  'job.runningCount': { zh: '处理中：{done} / {total}', en: 'Working: {done} of {total}' },
  'job.succeeded': { zh: '已完成', en: 'Done' },
  'job.failed': { zh: '未完成', en: 'Failed' },

  'account.title': { zh: '我的账户', en: 'My account' },
  'account.profile': { zh: '账户信息', en: 'Profile' },
  'account.username': { zh: '用户名', en: 'Username' },
  'account.displayName': { zh: '姓名', en: 'Name' },
  'account.sessionEnds': { zh: '本次登录最迟至', en: 'This session ends at the latest' },
  'account.passwordExpired': {
    zh: '您的密码已过期，请先修改密码后再继续使用系统。',
    en: 'Your password has expired. Change it before you continue.',
  },
  'account.changePassword': { zh: '修改密码', en: 'Change password' },
  'account.currentPassword': { zh: '当前密码', en: 'Current password' },
  'account.newPassword': { zh: '新密码', en: 'New password' },
  'account.confirmPassword': { zh: '确认新密码', en: 'Confirm the new password' },
  'account.passwordMismatch': { zh: '两次输入的新密码不一致', en: 'The two new passwords differ' },
  'account.passwordSame': {
    zh: '新密码不能与当前密码相同',
    en: 'The new password must differ from the current one',
  },
  'account.passwordChanged': { zh: '密码已修改', en: 'Password changed' },
  'account.rules': { zh: '密码要求', en: 'Password rules' },
  'account.rule.length': { zh: '至少 12 个字符', en: 'At least 12 characters' },
  'account.rule.classes': {
    zh: '包含大写字母、小写字母、数字、符号中的至少 3 类',
    en: 'At least 3 of: upper-case, lower-case, digits, symbols',
  },
  'account.rule.common': {
    zh: '不能是常见密码或易猜测的密码（由服务器检查）',
    en: 'Not a common or easily guessed password (checked by the server)',
  },
  'account.save': { zh: '保存', en: 'Save' },
  'account.mfa': { zh: '动态验证码（TOTP）', en: 'Authenticator (TOTP)' },
  'account.sessions': { zh: '登录会话', en: 'Active sessions' },
  'account.sessionsHint': {
    zh: '如发现不认识的登录，请立即结束该会话并修改密码。',
    en: 'If you see a sign-in you do not recognise, end it and change your password.',
  },
  'account.session.device': { zh: '设备', en: 'Device' },
  'account.session.ip': { zh: 'IP 地址', en: 'IP address' },
  'account.session.createdAt': { zh: '登录时间', en: 'Signed in' },
  'account.session.lastSeenAt': { zh: '最近活动', en: 'Last active' },
  'account.session.current': { zh: '当前会话', en: 'This session' },
  'account.session.end': { zh: '结束', en: 'End' },
  'account.session.endConfirm': { zh: '确定结束该会话？', en: 'End this session?' },
  'account.session.ended': { zh: '会话已结束', en: 'Session ended' },
  'account.session.unknown': { zh: '未知', en: 'Unknown' },

  'error.forbidden': { zh: '没有访问权限', en: 'Access denied' },
  'error.forbiddenHint': {
    zh: '您的账户没有访问此页面的权限。如需开通，请联系本单位管理员。',
    en: 'Your account may not open this page. Ask your administrator if you need it.',
  },
  'error.notFound': { zh: '页面不存在', en: 'Page not found' },
  'error.notFoundHint': {
    zh: '您访问的页面不存在或已被移除。',
    en: 'The page you asked for does not exist.',
  },
  'error.crash': { zh: '页面出错了', en: 'Something went wrong' },
  'error.crashHint': {
    zh: '请刷新页面重试。如问题持续，请联系技术支持并提供请求编号。',
    en: 'Reload the page. If it keeps happening, contact support with the request id.',
  },
  'error.reload': { zh: '刷新页面', en: 'Reload' },
  'error.home': { zh: '返回首页', en: 'Back to home' },
  'error.requestId': { zh: '请求编号：{id}', en: 'Request id: {id}' },
  'error.network': { zh: '无法连接服务器，请检查网络', en: 'Cannot reach the server; check the network' },
  'error.badResponse': {
    zh: '服务器返回的数据格式有误',
    en: 'The server answered in an unexpected format',
  },
  'error.retry': { zh: '重试', en: 'Retry' },

  'common.loading': { zh: '加载中…', en: 'Loading…' },
  'common.none': { zh: '无', en: 'None' },
  'common.cancel': { zh: '取消', en: 'Cancel' },
  'common.ok': { zh: '确定', en: 'OK' },
} satisfies Record<string, Label>;

export type MessageKey = keyof typeof messages;

/** Fills `{name}` placeholders. */
export function format(template: string, vars?: Record<string, string | number>): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name];
    return value === undefined ? whole : String(value);
  });
}
