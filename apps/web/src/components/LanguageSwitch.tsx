import { Segmented } from 'antd';
import { useI18n } from '../i18n';
import type { Lang } from '../messages';

const OPTIONS: { value: Lang; label: string }[] = [
  { value: 'zh', label: '中文' },
  { value: 'en', label: 'EN' },
];

export function LanguageSwitch({ size = 'middle' }: { size?: 'small' | 'middle' }) {
  const { lang, setLang, t } = useI18n();
  return (
    <Segmented<Lang>
      aria-label={t('lang.switch')}
      size={size}
      value={lang}
      options={OPTIONS}
      onChange={(value) => setLang(value)}
    />
  );
}
