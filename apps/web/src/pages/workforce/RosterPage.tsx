/**
 * 员工名册: the enterprise's employees (officials: those of their region, read-only) with masked ID number
 * and phone, role, 划小单元, 两码 and test compliance in colour, a testing filter (all / overdue / due soon —
 * the server's `workforce.dueSoonHours` window, soonest first) kept in the URL; enterprise users add, edit and
 * import. Below 768 px the list is cards. Full personal values are never shown here.
 */
import { EditOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  Empty,
  Flex,
  Grid,
  Segmented,
  Select,
  Spin,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { type Employee, type EmployeeFilter, workforceApi } from '../../api';
import { QueryErrorResult } from '../../components/ErrorResult';
import { useI18n } from '../../i18n';
import { can, useMe } from '../../session';
import {
  CodeTags,
  ComplianceCell,
  complianceOf,
  RoleTag,
  unitText,
  useCursorList,
  useFilterParams,
  wfKeys,
} from './common';
import { EmployeeDialog } from './EmployeeDialog';
import { RosterImportDialog } from './RosterImportDialog';
import { TestResultsImportButton } from './TestResultsImportDialog';
import './workforce.css';

const PAGE = 50;

/** The testing filter: everyone, the overdue (`overdue=true`) or those due soon (`dueSoon=true`). */
type TestFilter = 'all' | 'overdue' | 'dueSoon';

export default function RosterPage() {
  const { t } = useI18n();
  const me = useMe();
  const isPhone = Grid.useBreakpoint().md === false;
  const mayManage = can(me, 'workforce.manage_roster');
  const [params, set] = useFilterParams();
  const testFilter: TestFilter =
    params.get('overdue') === 'true' ? 'overdue' : params.get('dueSoon') === 'true' ? 'dueSoon' : 'all';
  const status =
    params.get('status') === 'left' ? 'left' : params.get('status') === 'all' ? undefined : 'active';
  // Officials may narrow to one enterprise (a link from the compliance view names it).
  const enterpriseId = params.get('enterpriseId') ?? undefined;
  const enterpriseName = params.get('enterprise');
  const official = me.orgUnit.enterpriseId === null;
  // Overdue and due soon list active staff only (the server applies it); the status choice waits meanwhile.
  const filter: EmployeeFilter = {
    enterpriseId,
    overdue: testFilter === 'overdue' ? 'true' : undefined,
    dueSoon: testFilter === 'dueSoon' ? 'true' : undefined,
    status: testFilter === 'all' ? status : undefined,
  };
  const [editing, setEditing] = useState<Employee | 'new' | null>(null);
  const [importing, setImporting] = useState(false);

  const { list, rows, total } = useCursorList(wfKeys.employees(filter), (cursor) =>
    workforceApi.employees(filter, { limit: PAGE, cursor }),
  );

  const columns: TableColumnsType<Employee> = [
    ...(official
      ? [
          {
            key: 'enterprise',
            title: t('wf.roster.enterprise'),
            width: 180,
            render: (_: unknown, row: Employee) => row.enterpriseName ?? '—',
          },
        ]
      : []),
    {
      key: 'name',
      title: t('wf.employee.name'),
      width: 110,
      render: (_, row) => (
        <span>
          {row.name}
          {row.status === 'left' ? <Tag style={{ marginInlineStart: 6 }}>{t('wf.status.left')}</Tag> : null}
        </span>
      ),
    },
    {
      key: 'id',
      title: t('wf.employee.idNumber'),
      width: 170,
      render: (_, row) => <span className="mono small">{row.idNumber}</span>,
    },
    {
      key: 'phone',
      title: t('wf.employee.phone'),
      width: 110,
      render: (_, row) => <span className="mono small">{row.phone}</span>,
    },
    {
      key: 'role',
      title: t('wf.employee.role'),
      width: 130,
      render: (_, row) => <RoleTag role={row.roleCategory} />,
    },
    { key: 'unit', title: t('wf.roster.unit'), render: (_, row) => unitText(row) },
    {
      key: 'codes',
      title: t('wf.roster.codes'),
      width: 150,
      render: (_, row) => <CodeTags health={row.healthCode} itinerary={row.itineraryCode} />,
    },
    {
      key: 'compliance',
      title: t('wf.roster.compliance'),
      width: 190,
      render: (_, row) => <ComplianceCell employee={row} />,
    },
    ...(mayManage
      ? [
          {
            key: 'act',
            title: '',
            width: 80,
            render: (_: unknown, row: Employee) => (
              <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(row)}>
                {t('wf.employee.editShort')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <div>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('wf.roster.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        {t(mayManage ? 'wf.roster.hint' : 'wf.roster.hintReadOnly')}
      </Typography.Paragraph>
      <Card>
        <Flex vertical gap={16}>
          <Flex gap={12} wrap="wrap" align="center" justify="space-between">
            <Flex gap={12} wrap="wrap" align="center" className="wf-filters">
              <Segmented<TestFilter>
                aria-label={t('wf.roster.testFilter')}
                value={testFilter}
                onChange={(value) =>
                  set({
                    overdue: value === 'overdue' ? 'true' : undefined,
                    dueSoon: value === 'dueSoon' ? 'true' : undefined,
                  })
                }
                options={[
                  { value: 'all', label: t('wf.roster.filterAll') },
                  { value: 'overdue', label: t('wf.roster.filterOverdue') },
                  { value: 'dueSoon', label: t('wf.roster.filterDueSoon') },
                ]}
                data-testid="test-filter"
              />
              <Select<'active' | 'left' | 'all'>
                aria-label={t('wf.employee.status')}
                value={testFilter === 'all' ? (status ?? 'all') : 'active'}
                disabled={testFilter !== 'all'}
                onChange={(value) => set({ status: value === 'active' ? undefined : value })}
                options={[
                  { value: 'active', label: t('wf.status.active') },
                  { value: 'left', label: t('wf.status.left') },
                  { value: 'all', label: t('wf.roster.allStatuses') },
                ]}
                style={{ width: isPhone ? '100%' : 120 }}
              />
              {enterpriseId ? (
                <Tag
                  closable
                  onClose={() => set({ enterpriseId: undefined })}
                  data-testid="roster-enterprise"
                >
                  {t('wf.roster.onlyEnterprise', { name: enterpriseName ?? enterpriseId })}
                </Tag>
              ) : null}
            </Flex>
            {mayManage ? (
              <Flex gap={8} wrap="wrap" className="wf-actions">
                <Button icon={<UploadOutlined />} onClick={() => setImporting(true)}>
                  {t('wf.roster.import')}
                </Button>
                <TestResultsImportButton />
                <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
                  {t('wf.employee.add')}
                </Button>
              </Flex>
            ) : null}
          </Flex>
          <Flex gap={8} wrap="wrap" align="center" className="small">
            <Typography.Text type="secondary">{t('wf.roster.legend')}</Typography.Text>
            <Tag color="green">{t('wf.compliance.current')}</Tag>
            <Tag color="gold">{t('wf.compliance.dueSoon')}</Tag>
            <Tag color="red">{t('wf.compliance.overdue')}</Tag>
          </Flex>
          {testFilter === 'dueSoon' ? (
            <Typography.Text type="secondary" className="small">
              {t('wf.roster.dueSoonHint')}
            </Typography.Text>
          ) : null}
          {list.isError ? (
            <QueryErrorResult error={list.error} onRetry={() => void list.refetch()} />
          ) : (
            <>
              <Typography.Text type="secondary" data-testid="roster-count">
                {list.isPending ? t('common.loading') : t('wf.roster.count', { n: total })}
              </Typography.Text>
              {isPhone ? (
                <EmployeeCards
                  rows={rows}
                  loading={list.isPending}
                  onEdit={mayManage ? setEditing : undefined}
                  showEnterprise={official}
                />
              ) : (
                <Table<Employee>
                  rowKey="id"
                  size="small"
                  loading={list.isPending}
                  columns={columns}
                  dataSource={rows}
                  pagination={false}
                  scroll={{ x: official ? 1140 : 960 }}
                  rowClassName={(row) => `wf-row-${complianceOf(row)}`}
                  data-testid="roster-table"
                />
              )}
              {list.hasNextPage ? (
                <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
                  {t('wf.loadMore', { shown: rows.length, total })}
                </Button>
              ) : null}
            </>
          )}
        </Flex>
      </Card>
      {editing ? <EmployeeDialog employee={editing} onClose={() => setEditing(null)} /> : null}
      {importing ? <RosterImportDialog onClose={() => setImporting(false)} /> : null}
    </div>
  );
}

function EmployeeCards({
  rows,
  loading,
  onEdit,
  showEnterprise = false,
}: {
  rows: Employee[];
  loading: boolean;
  onEdit: ((row: Employee) => void) | undefined;
  showEnterprise?: boolean;
}) {
  const { t } = useI18n();
  if (loading) return <Spin className="page-spin" />;
  if (rows.length === 0) return <Empty description={t('wf.roster.empty')} />;
  return (
    <Flex vertical gap={8} data-testid="roster-cards">
      {rows.map((row) => (
        <Card
          key={row.id}
          size="small"
          className={`wf-card wf-card-${complianceOf(row)}`}
          title={
            <Flex gap={8} align="center">
              <span>{row.name}</span>
              <RoleTag role={row.roleCategory} />
            </Flex>
          }
          extra={
            onEdit ? (
              <Button
                size="small"
                type="text"
                icon={<EditOutlined />}
                aria-label={t('wf.employee.edit')}
                onClick={() => onEdit(row)}
              />
            ) : null
          }
        >
          <Flex vertical gap={6}>
            {showEnterprise && row.enterpriseName ? (
              <Typography.Text strong>{row.enterpriseName}</Typography.Text>
            ) : null}
            <span className="mono small">
              {row.idNumber} · {row.phone}
            </span>
            <ComplianceCell employee={row} />
            <Flex gap={4} wrap="wrap" align="center">
              <CodeTags health={row.healthCode} itinerary={row.itineraryCode} />
              {row.status === 'left' ? <Tag>{t('wf.status.left')}</Tag> : null}
            </Flex>
            <Typography.Text type="secondary" className="small">
              {unitText(row)}
            </Typography.Text>
          </Flex>
        </Card>
      ))}
    </Flex>
  );
}
