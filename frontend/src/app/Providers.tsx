import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { App as AntApp, ConfigProvider, type ThemeConfig } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import { useEffect, useState, type ReactNode } from "react";
import { I18nextProvider, useTranslation } from "react-i18next";
import { i18n, isLanguage, setDocumentLanguage } from "../i18n";
import { createQueryClient } from "./queryClient";

// Darker than Ant Design's defaults where those miss WCAG AA contrast (4.5:1) on white.
const THEME: ThemeConfig = {
  token: {
    borderRadius: 4,
    colorPrimary: "#0958d9",
    colorInfo: "#0958d9",
    colorLink: "#0958d9",
    colorSuccess: "#237804",
    colorError: "#cf1322",
    colorTextSecondary: "rgba(0, 0, 0, 0.65)",
    colorTextDescription: "rgba(0, 0, 0, 0.65)",
    colorTextTertiary: "rgba(0, 0, 0, 0.6)",
    colorTextPlaceholder: "rgba(0, 0, 0, 0.58)",
  },
};

function LocalisedAntd({ children }: { children: ReactNode }) {
  const { i18n: current } = useTranslation();
  const language = isLanguage(current.language) ? current.language : "zh-CN";
  useEffect(() => {
    setDocumentLanguage(language);
    dayjs.locale(language === "zh-CN" ? "zh-cn" : "en");
  }, [language]);
  return (
    <ConfigProvider
      locale={language === "zh-CN" ? zhCN : enUS}
      theme={THEME}
      button={{ autoInsertSpace: false }}
    >
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

/** Query cache, translations and Ant Design's locale; tests wrap components in the same. */
export function Providers({ children, queryClient }: { children: ReactNode; queryClient?: QueryClient }) {
  const [client] = useState(() => queryClient ?? createQueryClient());
  return (
    <QueryClientProvider client={client}>
      <I18nextProvider i18n={i18n}>
        <LocalisedAntd>{children}</LocalisedAntd>
      </I18nextProvider>
    </QueryClientProvider>
  );
}
