import { Segmented } from "antd";
import { useTranslation } from "react-i18next";
import { isLanguage, rememberLanguage, type Language } from "../i18n";

const OPTIONS: { value: Language; label: string }[] = [
  { value: "zh-CN", label: "中文" },
  { value: "en", label: "English" },
];

/** 中文 | English; the choice is kept in localStorage for the next visit. */
export function LanguageSwitch() {
  const { i18n, t } = useTranslation();
  const value = isLanguage(i18n.language) ? i18n.language : "zh-CN";
  return (
    <div role="group" aria-label={t("language.switch")} id="language-switch">
      <Segmented<Language>
        size="small"
        value={value}
        options={OPTIONS.map((option) => ({
          value: option.value,
          label: <span lang={option.value}>{option.label}</span>,
        }))}
        onChange={(language) => {
          rememberLanguage(language);
          void i18n.changeLanguage(language);
        }}
      />
    </div>
  );
}
