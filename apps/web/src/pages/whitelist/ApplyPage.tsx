/**
 * 白名单申报 for an enterprise user, phone first: read the published criteria of the sector, answer the
 * questions the fact catalogue asks (the inputs follow each fact's type, label and unit), pick the materials
 * (承诺书, 闭环方案 … held in memory only, never in browser storage), submit, and see at once whether the
 * criteria are met (达标即入) with the reason per criterion while the materials upload with progress. Below,
 * the enterprise's applications with their materials (added or deleted while open); a returned one is
 * answered again in the same wizard.
 */
import { FileAddOutlined, PlusOutlined } from '@ant-design/icons';
import {
  type Application,
  MAX_ATTACHMENTS_PER_APPLICATION,
  SECTOR_LABELS,
  type Sector,
  type WhitelistAnswers,
} from '@sibao/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  Radio,
  Segmented,
  Spin,
  Steps,
  Typography,
  Upload,
  type UploadFile,
} from 'antd';
import { type ReactNode, useState } from 'react';
import { api, whitelistApi } from '../../api';
import { QueryErrorResult } from '../../components/ErrorResult';
import { errorMessage } from '../../components/forms';
import { type I18n, useI18n } from '../../i18n';
import { useMe } from '../../session';
import { ApplicationFiles, MATERIAL_ACCEPT, materialProblem } from './ApplicationFiles';
import {
  ApplicationStatusTag,
  answerText,
  CriteriaResultView,
  CriteriaStatusTag,
  type FactCatalogue,
} from './whitelist.shared';

/** Only the answers given: an empty field is left out, so its criteria stay undetermined, not false. */
function cleanAnswers(values: Record<string, unknown>, facts: string[]): WhitelistAnswers {
  const out: Record<string, unknown> = {};
  for (const fact of facts) {
    const value = values[fact];
    if (value === undefined || value === null) continue;
    if (typeof value === 'string' && value.trim() === '') continue;
    out[fact] = typeof value === 'string' ? value.trim() : value;
  }
  return out as WhitelistAnswers;
}

export default function ApplyPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const me = useMe();
  const enterpriseId = me.orgUnit.enterpriseId;
  const enterprise = useQuery({
    queryKey: ['enterprises', 'detail', enterpriseId],
    queryFn: () => api.enterprise(enterpriseId ?? ''),
    enabled: enterpriseId !== null,
  });
  const mine = useQuery({
    queryKey: ['whitelist', 'applications', 'mine'],
    queryFn: () => whitelistApi.applications({}, { limit: 50 }),
  });
  /** `new`: a fresh application; an application: answering it again after a return. */
  const [wizard, setWizard] = useState<'new' | Application | null>(null);

  if (enterpriseId === null) return <Empty description={t('wl.apply.noEnterprise')} />;
  if (enterprise.isPending || mine.isPending) return <Spin className="page-spin" />;
  if (enterprise.isError)
    return <QueryErrorResult error={enterprise.error} onRetry={() => void enterprise.refetch()} />;
  if (mine.isError) return <QueryErrorResult error={mine.error} onRetry={() => void mine.refetch()} />;

  const applications = mine.data.items;
  return (
    <Flex vertical gap={16} style={{ maxWidth: 760 }}>
      <div>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {t('wl.apply.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {t('wl.apply.hint', { name: enterprise.data.name })}
        </Typography.Paragraph>
      </div>
      {wizard ? (
        <ApplicationWizard
          key={wizard === 'new' ? 'new' : wizard.id}
          sectors={enterprise.data.sectors}
          returned={wizard === 'new' ? null : wizard}
          onClose={() => setWizard(null)}
          i18n={i18n}
        />
      ) : (
        <Button type="primary" size="large" icon={<PlusOutlined />} onClick={() => setWizard('new')} block>
          {t('wl.apply.start')}
        </Button>
      )}
      <Card title={t('wl.apply.mine')} size="small">
        {applications.length === 0 ? (
          <Empty description={t('wl.apply.mineEmpty')} />
        ) : (
          <Flex vertical gap={8} data-testid="my-applications">
            {applications.map((a) => (
              <MyApplication key={a.id} application={a} onResubmit={() => setWizard(a)} i18n={i18n} />
            ))}
          </Flex>
        )}
      </Card>
    </Flex>
  );
}

function MyApplication({
  application: a,
  onResubmit,
  i18n,
}: {
  application: Application;
  onResubmit: () => void;
  i18n: I18n;
}) {
  const { t, pick, dateTime } = i18n;
  const [open, setOpen] = useState(false);
  return (
    <Card size="small" type="inner" data-testid="my-application">
      <Flex vertical gap={6}>
        <Flex justify="space-between" align="center" gap={8} wrap="wrap">
          <Typography.Text strong>{pick(SECTOR_LABELS[a.sector])}</Typography.Text>
          <Flex gap={4}>
            <CriteriaStatusTag status={a.result.status} i18n={i18n} />
            <ApplicationStatusTag status={a.status} i18n={i18n} />
          </Flex>
        </Flex>
        <Typography.Text type="secondary" className="small">
          {t('wl.apply.submittedAt', { time: dateTime(a.submittedAt) })}
          {a.decidedAt ? ` · ${t('wl.apply.decidedAt', { time: dateTime(a.decidedAt) })}` : ''}
        </Typography.Text>
        {a.decisionReason ? (
          <Alert
            type={a.status === 'rejected' ? 'error' : 'warning'}
            showIcon
            title={t('wl.apply.reason', { reason: a.decisionReason })}
          />
        ) : null}
        <Flex gap={8} wrap="wrap">
          <Button size="small" onClick={() => setOpen(!open)}>
            {open ? t('wl.apply.hideResult') : t('wl.apply.showResult')}
          </Button>
          {a.actions.includes('resubmit') ? (
            <Button size="small" type="primary" onClick={onResubmit}>
              {t('wl.apply.resubmit')}
            </Button>
          ) : null}
        </Flex>
        {open ? <CriteriaResultView result={a.result} reviewTier={a.reviewTier} i18n={i18n} /> : null}
        {a.files.length > 0 || a.filesEditable ? (
          <section>
            <Typography.Text strong className="small">
              {t('wl.files.manage', { n: a.files.length })}
            </Typography.Text>
            <ApplicationFiles application={a} i18n={i18n} />
          </section>
        ) : null}
      </Flex>
    </Card>
  );
}

function ApplicationWizard({
  sectors,
  returned,
  onClose,
  i18n,
}: {
  sectors: Sector[];
  returned: Application | null;
  onClose: () => void;
  i18n: I18n;
}) {
  const { lang, t, pick, dateTime } = i18n;
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [step, setStep] = useState(0);
  const [sector, setSector] = useState<Sector>(returned?.sector ?? sectors[0] ?? 'industry');
  const [answers, setAnswers] = useState<Record<string, unknown>>(returned?.answers ?? {});
  /** Materials picked, sent once the application is submitted (with their progress and outcome). */
  const [materials, setMaterials] = useState<UploadFile[]>([]);
  const [uploading, setUploading] = useState(false);
  const room = MAX_ATTACHMENTS_PER_APPLICATION - (returned?.files.length ?? 0);
  const [form] = Form.useForm<Record<string, unknown>>();
  const criteria = useQuery({
    queryKey: ['public-whitelist', 'criteria', sector],
    queryFn: () => whitelistApi.publicCriteria(sector),
    staleTime: 5 * 60_000,
  });
  const facts: FactCatalogue = criteria.data?.facts ?? {};
  const questions = Object.entries(facts).filter(([, def]) => def.source === 'answer');

  const patchMaterial = (uid: string, change: Partial<UploadFile>) =>
    setMaterials((list) => list.map((f) => (f.uid === uid ? { ...f, ...change } : f)));

  /** One after another, each with its progress; a refused one says why and the rest go on. */
  const uploadMaterials = async (applicationId: string) => {
    setUploading(true);
    for (const item of materials) {
      const file = item.originFileObj;
      if (!file) continue;
      patchMaterial(item.uid, { status: 'uploading', percent: 0 });
      try {
        await whitelistApi.uploadApplicationFile(applicationId, file, (percent) =>
          patchMaterial(item.uid, { percent }),
        );
        patchMaterial(item.uid, { status: 'done', percent: 100 });
      } catch (error) {
        patchMaterial(item.uid, { status: 'error', response: errorMessage(error, lang) });
      }
    }
    setUploading(false);
    void queryClient.invalidateQueries({ queryKey: ['whitelist', 'applications'] });
  };

  const submit = useMutation({
    mutationFn: () => {
      const body = {
        answers: cleanAnswers(
          answers,
          questions.map(([fact]) => fact),
        ),
      };
      return returned
        ? whitelistApi.resubmitApplication(returned.id, body)
        : whitelistApi.submitApplication({ sector, ...body });
    },
    onSuccess: (application) => {
      setStep(3);
      void queryClient.invalidateQueries({ queryKey: ['whitelist', 'applications'] });
      void uploadMaterials(application.id);
    },
  });

  const next = async () => {
    if (step === 1) setAnswers({ ...answers, ...(await form.validateFields()) });
    setStep(step + 1);
  };

  const steps = [
    { title: t('wl.apply.step.criteria') },
    { title: t('wl.apply.step.answers') },
    { title: t('wl.apply.step.attachments') },
    { title: t('wl.apply.step.result') },
  ];

  let body: ReactNode = null;
  if (criteria.isPending) body = <Spin className="page-spin" />;
  else if (criteria.isError)
    body = <QueryErrorResult error={criteria.error} onRetry={() => void criteria.refetch()} />;
  else if (!criteria.data.criteria) body = <Alert type="warning" showIcon title={t('wl.apply.noCriteria')} />;
  else if (step === 0) {
    const published = criteria.data.criteria;
    body = (
      <Flex vertical gap={12}>
        {returned ? (
          <Alert
            type="warning"
            showIcon
            title={t('wl.apply.returnedBecause', { reason: returned.decisionReason ?? '' })}
          />
        ) : sectors.length > 1 ? (
          <Segmented<Sector>
            value={sector}
            onChange={setSector}
            options={sectors.map((s) => ({ value: s, label: pick(SECTOR_LABELS[s]) }))}
          />
        ) : null}
        <Typography.Text strong>{published.title}</Typography.Text>
        <Typography.Text type="secondary" className="small">
          {t('wl.apply.criteriaVersion', {
            version: published.version,
            time: dateTime(published.publishedAt),
          })}
        </Typography.Text>
        <ol style={{ paddingInlineStart: 22, margin: 0, lineHeight: 1.8 }}>
          {published.lines.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ol>
      </Flex>
    );
  } else if (step === 1) {
    body = (
      <Form
        form={form}
        layout="vertical"
        initialValues={answers}
        requiredMark={false}
        data-testid="answers-form"
      >
        <Typography.Paragraph type="secondary">{t('wl.apply.answersHint')}</Typography.Paragraph>
        {questions.map(([fact, def]) => (
          <Form.Item key={fact} name={fact} label={pick(def.label)} className="wl-question">
            {def.type === 'number' ? (
              <InputNumber
                min={0}
                precision={0}
                style={{ width: '100%' }}
                inputMode="numeric"
                suffix={def.unit ? pick(def.unit) : undefined}
              />
            ) : def.type === 'boolean' ? (
              <Radio.Group
                optionType="button"
                buttonStyle="solid"
                options={[
                  { value: true, label: t('wl.apply.yes') },
                  { value: false, label: t('wl.apply.no') },
                ]}
              />
            ) : def.type === 'enum' && def.values ? (
              <Radio.Group
                className="wl-enum"
                options={Object.entries(def.values).map(([value, label]) => ({ value, label: pick(label) }))}
              />
            ) : (
              <Input maxLength={50} />
            )}
          </Form.Item>
        ))}
      </Form>
    );
  } else if (step === 2) {
    body = (
      <Flex vertical gap={12}>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {t('wl.apply.attachmentsHint')}
        </Typography.Paragraph>
        {returned ? <ApplicationFiles application={returned} i18n={i18n} /> : null}
        <Upload
          multiple
          accept={MATERIAL_ACCEPT}
          fileList={materials}
          beforeUpload={(file) => {
            const problem = materialProblem(file, i18n);
            if (problem || materials.length >= room) {
              void message.error(problem ?? t('wl.files.tooMany', { n: MAX_ATTACHMENTS_PER_APPLICATION }));
              return Upload.LIST_IGNORE;
            }
            return false; // Held in memory until the application is submitted.
          }}
          onChange={(info) => setMaterials(info.fileList)}
        >
          <Button icon={<FileAddOutlined />} disabled={materials.length >= room}>
            {t('wl.apply.addAttachment')}
          </Button>
        </Upload>
        <Card size="small" type="inner" title={t('wl.apply.summary')}>
          <Flex vertical gap={2}>
            {questions.map(([fact, def]) => (
              <Flex key={fact} justify="space-between" gap={12}>
                <Typography.Text type="secondary">{pick(def.label)}</Typography.Text>
                <Typography.Text style={{ textAlign: 'right' }}>
                  {answerText(fact, answers[fact], facts, i18n)}
                </Typography.Text>
              </Flex>
            ))}
          </Flex>
        </Card>
        {submit.isError ? <Alert type="error" showIcon title={errorMessage(submit.error, lang)} /> : null}
      </Flex>
    );
  } else if (submit.data) {
    body = (
      <Flex vertical gap={12}>
        <CriteriaResultView result={submit.data.result} reviewTier={submit.data.reviewTier} i18n={i18n} />
        <Typography.Text type="secondary">
          {t('wl.apply.routed', { due: dateTime(submit.data.dueAt) })}
        </Typography.Text>
        {materials.length > 0 ? (
          <Flex vertical gap={8} data-testid="material-uploads">
            <Typography.Text strong>{t('wl.files.title')}</Typography.Text>
            <Upload fileList={materials} showUploadList={{ showRemoveIcon: false }} />
            {materials
              .filter((f) => f.status === 'error')
              .map((f) => (
                <Typography.Text key={f.uid} type="danger" className="small">
                  {f.name}：{String(f.response ?? '')}
                </Typography.Text>
              ))}
            {uploading ? (
              <Typography.Text type="secondary">{t('wl.files.uploading')}</Typography.Text>
            ) : materials.some((f) => f.status === 'error') ? (
              <Alert
                type="warning"
                showIcon
                title={t('wl.files.failedSome', {
                  failed: materials.filter((f) => f.status === 'error').length,
                })}
              />
            ) : (
              <Alert type="success" showIcon title={t('wl.files.allUploaded', { n: materials.length })} />
            )}
          </Flex>
        ) : null}
      </Flex>
    );
  }

  return (
    <Card data-testid="apply-wizard">
      <Flex vertical gap={16}>
        <Steps current={step} size="small" items={steps} responsive={false} titlePlacement="vertical" />
        {body}
        <Flex justify="space-between" gap={8} className="wl-steps-actions">
          {step === 3 ? (
            <Button type="primary" block onClick={onClose} disabled={uploading}>
              {t('wl.apply.done')}
            </Button>
          ) : (
            <>
              <Button onClick={() => (step === 0 ? onClose() : setStep(step - 1))}>
                {step === 0 ? t('common.cancel') : t('wl.apply.back')}
              </Button>
              {step < 2 ? (
                <Button type="primary" disabled={!criteria.data?.criteria} onClick={() => void next()}>
                  {t('wl.apply.next')}
                </Button>
              ) : (
                <Button type="primary" loading={submit.isPending} onClick={() => submit.mutate()}>
                  {returned ? t('wl.apply.submitAgain') : t('wl.apply.submit')}
                </Button>
              )}
            </>
          )}
        </Flex>
      </Flex>
    </Card>
  );
}
