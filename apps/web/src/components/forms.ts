import type { FormInstance } from 'antd';
import { ApiError, fieldErrorText, fieldName } from '../api';
import type { Lang } from '../messages';

/**
 * Puts the server's field errors (`errors: [{ path, code, message }]`) on the form's fields.
 * Returns true when at least one error found a field, so the caller need not repeat it in an alert.
 */
export function applyFieldErrors<T>(
  form: FormInstance<T>,
  error: unknown,
  lang: Lang,
  fields: readonly (keyof T & string)[],
): boolean {
  if (!(error instanceof ApiError) || error.fieldErrors.length === 0) return false;
  const known = new Set<string>(fields);
  const byField = new Map<string, string[]>();
  for (const fieldError of error.fieldErrors) {
    const [name] = fieldName(fieldError.path);
    if (name === undefined || !known.has(name)) continue;
    byField.set(name, [...(byField.get(name) ?? []), fieldErrorText(fieldError, lang)]);
  }
  form.setFields([...byField].map(([name, errors]) => ({ name: name as never, errors })));
  return byField.size > 0;
}

/** The message to show for any error, in the UI language. */
export function errorMessage(error: unknown, lang: Lang): string {
  if (error instanceof ApiError) return error.text(lang);
  return lang === 'zh' ? '操作失败，请重试' : 'Something failed; try again';
}
