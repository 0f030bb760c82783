import { z } from 'zod';

/**
 * Stable error codes with their HTTP status and messages in Chinese and English.
 * The server answers every error as RFC 9457 problem+json carrying `code`; the web shows the message
 * in the user's language. Modules add their codes here so the catalogue stays one list.
 */
export const ERROR_CATALOG = {
  VALIDATION_FAILED: { status: 400, zh: '提交的数据不符合要求', en: 'The request is not valid' },
  BAD_REQUEST: { status: 400, zh: '请求格式错误', en: 'Malformed request' },
  UNKNOWN_FIELD: { status: 400, zh: '包含不允许的字段', en: 'The request has fields that are not allowed' },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '请求内容过大', en: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: '不支持的内容类型', en: 'Unsupported content type' },
  UNAUTHENTICATED: { status: 401, zh: '请先登录', en: 'Please sign in' },
  SESSION_EXPIRED: {
    status: 401,
    zh: '登录已过期，请重新登录',
    en: 'Your session has expired; please sign in again',
  },
  FORBIDDEN: { status: 403, zh: '没有权限执行此操作', en: 'You are not allowed to do this' },
  NOT_FOUND: { status: 404, zh: '未找到', en: 'Not found' },
  CONFLICT: { status: 409, zh: '数据已被修改或已存在', en: 'Conflict with the current state' },
  RATE_LIMITED: { status: 429, zh: '请求过于频繁，请稍后再试', en: 'Too many requests; try again later' },
  OVERLOADED: { status: 503, zh: '系统繁忙，请稍后再试', en: 'The service is busy; try again shortly' },
  REQUEST_TIMEOUT: { status: 503, zh: '请求处理超时', en: 'The request timed out' },
  INTERNAL: { status: 500, zh: '系统内部错误', en: 'Internal error' },
  LOGIN_FAILED: { status: 401, zh: '用户名或密码错误', en: 'Wrong username or password' },
  ACCOUNT_LOCKED: {
    status: 423,
    zh: '连续登录失败次数过多，账户已锁定，请稍后再试或联系管理员',
    en: 'Too many failed sign-ins; the account is locked for a while',
  },
  MFA_REQUIRED: { status: 401, zh: '请输入动态验证码', en: 'Enter your one-time code' },
  MFA_INVALID: {
    status: 401,
    zh: '动态验证码错误或已使用',
    en: 'The one-time code is wrong or already used',
  },
  MFA_NOT_ENROLLED: { status: 400, zh: '尚未绑定动态验证码', en: 'No second factor is enrolled' },
  PASSWORD_WEAK: { status: 400, zh: '密码不符合安全要求', en: 'The password does not meet the policy' },
  PASSWORD_WRONG: { status: 400, zh: '当前密码错误', en: 'The current password is wrong' },
  PASSWORD_EXPIRED: {
    status: 403,
    zh: '密码已过期，请先修改密码',
    en: 'Your password has expired; change it first',
  },
  TOKEN_INVALID: {
    status: 401,
    zh: '访问令牌无效、已过期或已吊销',
    en: 'The API token is invalid, expired or revoked',
  },
  USERNAME_TAKEN: { status: 409, zh: '用户名已存在', en: 'The username is taken' },
  PARAMETER_NOT_FOUND: { status: 404, zh: '参数不存在', en: 'No such parameter' },
  PARAMETER_NOT_IN_FORCE: {
    status: 404,
    zh: '该日期参数未生效',
    en: 'The parameter is not in force on that date',
  },
  REGION_NOT_FOUND: { status: 404, zh: '行政区划不存在', en: 'No such region' },
  JOB_NOT_FOUND: { status: 404, zh: '任务不存在', en: 'No such job' },
  IDEMPOTENCY_CONFLICT: {
    status: 409,
    zh: '同一幂等键对应的请求内容不一致',
    en: 'The idempotency key was used with a different request',
  },
  FILE_EMPTY: { status: 400, zh: '文件为空', en: 'The file is empty' },
  FILE_TOO_LARGE: { status: 413, zh: '文件过大', en: 'The file is too large' },
  FILE_TOO_MANY_ENTRIES: {
    status: 413,
    zh: '文件内部条目过多,不像正常的表格文件',
    en: 'The file holds too many entries to be a normal spreadsheet',
  },
  FILE_ZIP_BOMB: {
    status: 413,
    zh: '文件解压后过大或压缩比异常,已拒绝处理',
    en: 'The file expands to too much data or is compressed suspiciously well; it was refused',
  },
  FILE_TOO_MANY_ROWS: { status: 413, zh: '数据行数超过上限', en: 'The file has more data rows than allowed' },
  FILE_NOT_SPREADSHEET: {
    status: 415,
    zh: '文件不是有效的 Excel(.xlsx)表格',
    en: 'The file is not a valid Excel (.xlsx) workbook',
  },
  FILE_UNSUPPORTED_TYPE: {
    status: 415,
    zh: '不支持的文件类型,请上传 .xlsx 或 .csv 文件',
    en: 'Unsupported file type; upload an .xlsx or .csv file',
  },
  FILE_ENCODING: {
    status: 415,
    zh: '无法识别文件的字符编码,请另存为 UTF-8 或 GB18030 编码的 CSV',
    en: 'The character encoding of the file cannot be read; save the CSV as UTF-8 or GB18030',
  },
  FILE_CSV_MALFORMED: { status: 422, zh: 'CSV 文件格式有误', en: 'The CSV file is malformed' },
  FILE_SHEET_MISSING: { status: 422, zh: '找不到指定的工作表', en: 'The requested worksheet does not exist' },
  FILE_HEADER_MISSING: { status: 422, zh: '缺少必填的表头列', en: 'Required header columns are missing' },
  FILE_HEADER_DUPLICATE: {
    status: 422,
    zh: '表头中有重复的列',
    en: 'The header has the same column more than once',
  },
  IMPORT_ROWS_INVALID: {
    status: 422,
    zh: '部分行数据有误，未导入任何数据',
    en: 'Some rows are invalid; nothing was imported',
  },
  ID_NUMBER_FORMAT: { status: 400, zh: '身份证号格式错误', en: 'Malformed ID number' },
  ID_NUMBER_BIRTH_DATE: {
    status: 400,
    zh: '身份证号出生日期无效',
    en: 'The ID number has an impossible birth date',
  },
  ID_NUMBER_CHECK_DIGIT: { status: 400, zh: '身份证号校验码错误', en: 'The ID number check digit is wrong' },
  USCC_FORMAT: { status: 400, zh: '统一社会信用代码格式错误', en: 'Malformed unified social credit code' },
  USCC_CHECK_CHAR: { status: 400, zh: '统一社会信用代码校验码错误', en: 'The USCC check character is wrong' },
  MOBILE_FORMAT: { status: 400, zh: '手机号码格式错误', en: 'Malformed mobile number' },
  FIELD_REQUIRED: { status: 400, zh: '缺少必填字段', en: 'A required field is missing' },
  FIELD_INVALID: { status: 400, zh: '字段取值不符合要求', en: 'The field value is not valid' },
  WORKFORCE_ROW_NOT_OBJECT: { status: 400, zh: '该行不是一个数据对象', en: 'The row is not an object' },
  WORKFORCE_NOT_ON_ROSTER: {
    status: 400,
    zh: '该身份证号不在本企业在岗员工名册中',
    en: 'The ID number is not on your active roster',
  },
  WORKFORCE_NAME_MISMATCH: {
    status: 400,
    zh: '姓名与员工名册不一致',
    en: 'The name differs from your roster',
  },
  WORKFORCE_LAB_NAME_UNKNOWN: {
    status: 400,
    zh: '检测机构未在平台登记(请填写登记的机构全称)',
    en: 'No registered lab has this name (use its registered full name)',
  },
  WORKFORCE_METHOD_UNKNOWN: {
    status: 400,
    zh: '检测方式应为混检或单采',
    en: 'The method must be pooled or single',
  },
  WORKFORCE_SAMPLE_TIME_INVALID: {
    status: 400,
    zh: '采样时间格式应为 2022-06-02 08:30(北京时间)',
    en: 'The sample time must read like 2022-06-02 08:30 (Beijing time)',
  },
  WORKFORCE_LINE_MALFORMED: {
    status: 400,
    zh: '该行不是合法的 JSON(NDJSON 每行一条记录)',
    en: 'The line is not valid JSON (NDJSON: one record a line)',
  },
  WORKFORCE_SAMPLE_TIME_FUTURE: {
    status: 400,
    zh: '采样时间晚于当前时间',
    en: 'The sample time is in the future',
  },
  WORKFORCE_RESULT_UNKNOWN: {
    status: 400,
    zh: '检测结果须为阴性、阳性或无效',
    en: 'The result must be negative, positive or invalid',
  },
  WORKFORCE_DUPLICATE_ROW: {
    status: 409,
    zh: '同一样本编号重复提交',
    en: 'The same lab sample id was sent more than once',
  },
  WORKFORCE_SAMPLE_CONFLICT: {
    status: 409,
    zh: '同一样本编号在本批中出现内容不一致的结果',
    en: 'The same lab sample id appears in the batch with different content',
  },
  WORKFORCE_RETEST_NOT_SINGLE: {
    status: 400,
    zh: '混检阳性复核须为单采单检',
    en: 'A re-test of a pooled sample must be a single-tube test',
  },
  WORKFORCE_RETEST_OF_ITSELF: {
    status: 400,
    zh: '复核样本不能指向自身',
    en: 'A re-test cannot re-test itself',
  },
  WORKFORCE_CADENCE_INVALID: {
    status: 500,
    zh: '核酸检测频次参数无效',
    en: 'The PCR test cadence parameter is not valid',
  },
  DAILY_REPORT_DUPLICATE_ANOMALY: {
    status: 400,
    zh: '同一员工的同类异常重复填报',
    en: 'The same anomaly is reported twice for one employee',
  },
  ARRIVAL_VISITOR_WITH_EMPLOYEE: {
    status: 400,
    zh: '到访人员不应关联本企业员工',
    en: 'A visitor cannot be linked to a roster employee',
  },
  WORKFORCE_OUT_OF_SCOPE: {
    status: 403,
    zh: '该人员不在本机构服务区域内',
    en: 'This person is outside the region you serve',
  },
  WORKFORCE_LAB_UNKNOWN: {
    status: 403,
    zh: '访问令牌未绑定核酸检测机构',
    en: 'The API token does not belong to a testing lab',
  },
  EMPLOYEE_NOT_FOUND: { status: 404, zh: '员工不存在', en: 'No such employee' },
  EMPLOYEE_ID_NUMBER_EXISTS: {
    status: 409,
    zh: '该身份证号已在在岗员工名册中',
    en: 'This ID number is already on an active roster',
  },
  EMPLOYEE_ENTERPRISE_REQUIRED: {
    status: 400,
    zh: '请指定员工所属企业',
    en: 'Name the enterprise the employee belongs to',
  },
  DAILY_REPORT_EMPLOYEE_UNKNOWN: {
    status: 400,
    zh: '异常人员不在本企业名册中',
    en: 'The anomaly names someone who is not on this enterprise’s roster',
  },
  DAILY_REPORT_FUTURE_DATE: {
    status: 400,
    zh: '不能填报未来日期的日报告',
    en: 'A daily report cannot be filed for a future day',
  },
  ARRIVAL_NOT_FOUND: { status: 404, zh: '入豫报备记录不存在', en: 'No such arrival' },
  ARRIVAL_IN_FUTURE: {
    status: 400,
    zh: '到达时间不能晚于当前时间',
    en: 'The arrival time is in the future',
  },
  ARRIVAL_ALREADY_REGISTERED: {
    status: 409,
    zh: '该人员已完成报备',
    en: 'This arrival is already registered',
  },
  RISK_LEVEL_UNKNOWN: {
    status: 400,
    zh: '风险等级须为中风险、高风险或静态管理',
    en: 'The level must be medium, high or static management',
  },
  ARRIVAL_TEST_NOT_OPEN: {
    status: 409,
    zh: '该人员没有待完成的落地核酸检测',
    en: 'This arrival has no arrival test still to do',
  },
  ARRIVAL_TEST_BEFORE_ARRIVAL: {
    status: 400,
    zh: '采样时间须在到达之后、当前时间之前',
    en: 'The sample time must lie between the arrival and now',
  },
  WORKFORCE_PURCHASE_TIME_FUTURE: {
    status: 400,
    zh: '购药时间晚于当前时间',
    en: 'The purchase time is in the future',
  },
  ALERT_NOT_FOUND: { status: 404, zh: '预警不存在', en: 'No such alert' },
  ALERT_TRANSITION_INVALID: {
    status: 409,
    zh: '预警当前状态不允许此操作',
    en: 'The alert is not in a state that allows this',
  },
  PII_REASON_REQUIRED: {
    status: 400,
    zh: '查看完整信息需填写事由',
    en: 'A reason is required to see the full value',
  },
  ENTERPRISE_USCC_EXISTS: {
    status: 409,
    zh: '该统一社会信用代码已登记',
    en: 'An enterprise with this USCC is already registered',
  },
  ENTERPRISE_REGION_NOT_COUNTY: {
    status: 400,
    zh: '所在地须为县级行政区划代码',
    en: 'The region must be a county-level code',
  },
  ENTERPRISE_LINK_SELF: {
    status: 400,
    zh: '不能与自身建立关联',
    en: 'An enterprise cannot be linked to itself',
  },
  ENTERPRISE_LINK_EXISTS: { status: 409, zh: '该关联已存在', en: 'This link already exists' },
  ACTIVATION_CODE_INVALID: {
    status: 400,
    zh: '激活码无效、已使用或已过期',
    en: 'The activation code is wrong, used or expired',
  },
  ENTERPRISE_ALREADY_CLAIMED: {
    status: 409,
    zh: '该企业账户已被认领',
    en: 'This enterprise already has an account',
  },
  REGISTRATION_NOT_PENDING: {
    status: 409,
    zh: '该注册申请已处理',
    en: 'This registration has already been decided',
  },
  WHITELIST_NO_CRITERIA: {
    status: 409,
    zh: '该行业尚未发布白名单遴选标准',
    en: 'No selection criteria are published for this sector',
  },
  WHITELIST_SECTOR_MISMATCH: {
    status: 400,
    zh: '企业不属于所申报的行业领域',
    en: 'The enterprise is not in the sector it applies for',
  },
  WHITELIST_APPLICATION_PENDING: {
    status: 409,
    zh: '该行业已有待审核的申报',
    en: 'An application for this sector is already pending',
  },
  WHITELIST_ALREADY_LISTED: {
    status: 409,
    zh: '企业已在该行业白名单内',
    en: 'The enterprise is already on this sector’s whitelist',
  },
  WHITELIST_REAPPLY_TOO_SOON: {
    status: 409,
    zh: '因熔断移出白名单，未满规定期限不得重新申报',
    en: 'Removed by the circuit breaker: re-application is not yet allowed',
  },
  WHITELIST_APPLICATION_DECIDED: {
    status: 409,
    zh: '该申报当前状态不允许此操作',
    en: 'The application is not in a state that allows this',
  },
  WHITELIST_CRITERIA_NOT_DRAFT: {
    status: 409,
    zh: '只能修改或发布草稿版本的遴选标准',
    en: 'Only a draft version of the criteria can be changed or published',
  },
  WHITELIST_CRITERIA_NOT_PUBLISHABLE: {
    status: 422,
    zh: '遴选标准校验未通过或测试用例未全部通过，不能发布',
    en: 'The criteria do not validate or their tests fail; not published',
  },
  WHITELIST_ENTRY_STATE: {
    status: 409,
    zh: '白名单条目当前状态不允许此操作',
    en: 'The entry is not in a state that allows this',
  },
  WHITELIST_BATCH_EMPTY: {
    status: 422,
    zh: '没有可发布的新入库企业，不能发布空批次',
    en: 'No newly listed entries: an empty batch cannot be published',
  },
  WHITELIST_ATTACHMENT_TYPE: {
    status: 415,
    zh: '不支持的材料文件类型，请上传 PDF、JPG、PNG、Word(.docx) 或 Excel(.xlsx) 文件',
    en: 'Unsupported material type; upload a PDF, JPEG, PNG, Word (.docx) or Excel (.xlsx) file',
  },
  WHITELIST_ATTACHMENT_LIMIT: {
    status: 409,
    zh: '该申报的材料数量已达上限',
    en: 'This application already holds the most materials allowed',
  },
  WHITELIST_REVIEW_BATCH_REFUSED: {
    status: 409,
    zh: '部分申报不能由您审核或已处理，本次批量审核未作任何处理',
    en: 'Some applications cannot be reviewed by you or are already decided; nothing was decided',
  },
  SPOT_CHECK_RECTIFIED: { status: 409, zh: '该抽查问题已整改', en: 'This spot check is already rectified' },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

export const FieldErrorSchema = z.object({
  path: z.string(),
  code: z.string(),
  message: z.string(),
  row: z.number().int().optional(),
});
export type FieldError = z.infer<typeof FieldErrorSchema>;

/** RFC 9457 problem details, as every error response of the API. */
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  code: z.string(),
  message: z.object({ zh: z.string(), en: z.string() }),
  errors: z.array(FieldErrorSchema).optional(),
  requestId: z.string(),
});
export type Problem = z.infer<typeof ProblemSchema>;
