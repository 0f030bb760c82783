/**
 * Adding or editing one employee. The ID number and phone are checked here with the contracts' validators
 * before anything is sent. Editing never shows the stored name, ID number or phone (the server only has them
 * masked for us): they are typed again in full, and the masked values are shown as a reminder.
 */
import {
  EMPLOYEE_STATUSES,
  type EmployeeBodyInput,
  ERROR_CATALOG,
  HEALTH_CODES,
  ITINERARY_CODES,
  ROLE_CATEGORIES,
  VACCINATION_STATUSES,
  validateIdNumber,
  validateMobile,
} from '@sibao/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal, Select } from 'antd';
import { type Employee, workforceApi } from '../../api';
import { applyFieldErrors, errorMessage } from '../../components/forms';
import { useI18n } from '../../i18n';
import { wfKeys } from './common';

interface Values {
  name: string;
  idNumber: string;
  phone: string;
  roleCategory: EmployeeBodyInput['roleCategory'];
  workUnit?: string;
  shift?: string;
  dorm?: string;
  status: 'active' | 'left';
  startedOn?: string;
  healthCode: EmployeeBodyInput['healthCode'];
  itineraryCode: EmployeeBodyInput['itineraryCode'];
  vaccination?: (typeof VACCINATION_STATUSES)[number];
}

const FIELDS = [
  'name',
  'idNumber',
  'phone',
  'roleCategory',
  'workUnit',
  'shift',
  'dorm',
  'status',
  'startedOn',
  'healthCode',
  'itineraryCode',
  'vaccination',
] as const;

const blankToNull = (value: string | undefined) => (value?.trim() ? value.trim() : null);

export function EmployeeDialog({ employee, onClose }: { employee: Employee | 'new'; onClose: () => void }) {
  const { lang, t } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const editing = employee === 'new' ? null : employee;

  const save = useMutation({
    mutationFn: (values: Values) => {
      const body: EmployeeBodyInput = {
        name: values.name.trim(),
        idNumber: values.idNumber,
        phone: values.phone,
        roleCategory: values.roleCategory,
        workUnit: blankToNull(values.workUnit),
        shift: blankToNull(values.shift),
        dorm: blankToNull(values.dorm),
        status: values.status,
        startedOn: values.startedOn || null,
        healthCode: values.healthCode,
        itineraryCode: values.itineraryCode,
        ...(values.vaccination ? { vaccination: values.vaccination } : {}),
      };
      return editing ? workforceApi.updateEmployee(editing.id, body) : workforceApi.addEmployee(body);
    },
    onSuccess: async () => {
      void message.success(t(editing ? 'wf.employee.updated' : 'wf.employee.added'));
      await queryClient.invalidateQueries({ queryKey: wfKeys.all });
      onClose();
    },
    onError: (error) => {
      if (!applyFieldErrors(form, error, lang, FIELDS)) void message.error(errorMessage(error, lang));
    },
  });

  const codeText = (code: string) => ERROR_CATALOG[code as keyof typeof ERROR_CATALOG]?.[lang] ?? code;

  return (
    <Modal
      open
      title={t(editing ? 'wf.employee.edit' : 'wf.employee.add')}
      onCancel={onClose}
      okText={t('wf.employee.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      onOk={() => form.submit()}
      destroyOnHidden
      width={640}
    >
      {editing ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('wf.employee.retypeHint')}
          description={`${editing.name} · ${editing.idNumber} · ${editing.phone}`}
        />
      ) : null}
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark="optional"
        onFinish={(values) => save.mutate(values)}
        initialValues={
          editing
            ? {
                roleCategory: editing.roleCategory,
                workUnit: editing.workUnit ?? undefined,
                shift: editing.shift ?? undefined,
                dorm: editing.dorm ?? undefined,
                status: editing.status,
                healthCode: editing.healthCode,
                itineraryCode: editing.itineraryCode,
                vaccination: editing.vaccination ?? undefined,
              }
            : { roleCategory: 'regular', status: 'active', healthCode: 'green', itineraryCode: 'normal' }
        }
        className="wf-employee-form"
      >
        <Form.Item
          name="name"
          label={t('wf.employee.name')}
          rules={[{ required: true, whitespace: true, max: 50 }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="idNumber"
          label={t('wf.employee.idNumber')}
          validateTrigger="onBlur"
          rules={[
            { required: true, message: t('wf.employee.idNumberRequired') },
            {
              validator: async (_, value: string | undefined) => {
                if (!value) return;
                const result = validateIdNumber(value);
                if (!result.ok) throw new Error(codeText(result.code));
              },
            },
          ]}
        >
          <Input autoComplete="off" maxLength={20} className="mono" />
        </Form.Item>
        <Form.Item
          name="phone"
          label={t('wf.employee.phone')}
          validateTrigger="onBlur"
          rules={[
            { required: true, message: t('wf.employee.phoneRequired') },
            {
              validator: async (_, value: string | undefined) => {
                if (!value) return;
                const result = validateMobile(value);
                if (!result.ok) throw new Error(codeText(result.code));
              },
            },
          ]}
        >
          <Input autoComplete="off" inputMode="tel" maxLength={16} />
        </Form.Item>
        <Form.Item name="roleCategory" label={t('wf.employee.role')} rules={[{ required: true }]}>
          <Select options={ROLE_CATEGORIES.map((value) => ({ value, label: t(`wf.role.${value}`) }))} />
        </Form.Item>
        <div className="wf-form-row">
          <Form.Item name="workUnit" label={t('wf.employee.workUnit')} rules={[{ max: 50 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="shift" label={t('wf.employee.shift')} rules={[{ max: 50 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="dorm" label={t('wf.employee.dorm')} rules={[{ max: 50 }]}>
            <Input />
          </Form.Item>
        </div>
        <div className="wf-form-row">
          <Form.Item name="healthCode" label={t('wf.employee.healthCode')} rules={[{ required: true }]}>
            <Select options={HEALTH_CODES.map((value) => ({ value, label: t(`wf.health.${value}`) }))} />
          </Form.Item>
          <Form.Item name="itineraryCode" label={t('wf.employee.itineraryCode')} rules={[{ required: true }]}>
            <Select
              options={ITINERARY_CODES.map((value) => ({ value, label: t(`wf.itinerary.${value}`) }))}
            />
          </Form.Item>
          <Form.Item name="vaccination" label={t('wf.employee.vaccination')}>
            <Select
              allowClear
              options={VACCINATION_STATUSES.map((value) => ({ value, label: t(`wf.vaccination.${value}`) }))}
            />
          </Form.Item>
        </div>
        <div className="wf-form-row">
          <Form.Item name="startedOn" label={t('wf.employee.startedOn')}>
            <Input type="date" />
          </Form.Item>
          {editing ? (
            <Form.Item name="status" label={t('wf.employee.status')} rules={[{ required: true }]}>
              <Select
                options={EMPLOYEE_STATUSES.map((value) => ({ value, label: t(`wf.status.${value}`) }))}
              />
            </Form.Item>
          ) : null}
        </div>
      </Form>
    </Modal>
  );
}
