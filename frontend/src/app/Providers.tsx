import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { App as AntApp, ConfigProvider } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import { useEffect, useState, type ReactNode } from "react";
import { I18nextProvider, useTranslation } from "react-i18next";
import { i18n, isLanguage, setDocumentLanguage } from "../i18n";
import { createQueryClient } from "./queryClient";

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
      theme={{ token: { borderRadius: 4 } }}
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
