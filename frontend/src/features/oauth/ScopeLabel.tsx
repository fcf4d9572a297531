import { useTranslation } from "react-i18next";

/** The localised name of an OAuth scope (`assets:read` → 读取资产); unknown scopes show as they are. */
export function ScopeLabel({ scope }: { scope: string }) {
  const { t, i18n } = useTranslation();
  const key = `oauth.scope.${scope.replace(/[^a-z]/gi, "_")}`;
  return <>{i18n.exists(key) ? t(key as "oauth.scope.assets_read") : scope}</>;
}
