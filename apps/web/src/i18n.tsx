import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { format, type Label, type Lang, type MessageKey, messages } from './messages';

/** The only thing the web app keeps in browser storage: the chosen UI language (nothing personal). */
const LANG_STORAGE_KEY = 'sibao.lang';

function initialLang(): Lang {
  try {
    return window.localStorage.getItem(LANG_STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

export interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  /** A dictionary string, with `{placeholders}` filled. */
  t: (key: MessageKey, vars?: Record<string, string | number>) => string;
  /** The current language's side of a `{ zh, en }` label that came with data (Chinese when English is missing). */
  pick: (label: Label | { zh: string; en?: string }) => string;
  /** A timestamp in Beijing time, e.g. 2022-05-25 14:03. */
  dateTime: (iso: string) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);

  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      window.localStorage.setItem(LANG_STORAGE_KEY, next);
    } catch {
      // Storage may be disabled (private mode); the choice then lasts for this page only.
    }
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = messages['app.fullName'][lang];
  }, [lang]);

  const value = useMemo<I18n>(() => {
    const dateTimeFormat = new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    });
    return {
      lang,
      setLang,
      t: (key, vars) => format(messages[key][lang], vars),
      pick: (label) => (lang === 'en' && label.en ? label.en : label.zh),
      dateTime: (iso) => {
        const date = new Date(iso);
        return Number.isNaN(date.getTime()) ? iso : dateTimeFormat.format(date);
      },
    };
  }, [lang, setLang]);

  return <I18nContext value={value}>{children}</I18nContext>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n outside I18nProvider');
  return i18n;
}
