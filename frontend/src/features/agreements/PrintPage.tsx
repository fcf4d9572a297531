// The agreement as the server renders it for printing, in a frame with a print button.
import { ArrowLeftOutlined, ExportOutlined, PrinterOutlined } from "@ant-design/icons";
import { Button, Space } from "antd";
import { useRef } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { ErrorState, Loading } from "../../app/states";
import { PageHeader } from "../../shared/PageHeader";
import { documentUrl, useAgreementDocument } from "./api";

export default function PrintPage() {
  const { t } = useTranslation();
  const { requestId = "" } = useParams();
  const document = useAgreementDocument(requestId);
  const frame = useRef<HTMLIFrameElement>(null);

  return (
    <section aria-labelledby="page-title">
      <PageHeader
        title={t("agreements.printTitle")}
        extra={
          <>
            <Link to={`/requests/${requestId}`}>
              <ArrowLeftOutlined aria-hidden /> {t("agreements.backToRequest")}
            </Link>
            <a href={documentUrl(requestId)} target="_blank" rel="noreferrer">
              <ExportOutlined aria-hidden /> {t("agreements.openDocument")}
            </a>
            <Button
              type="primary"
              icon={<PrinterOutlined />}
              disabled={!document.data}
              onClick={() => frame.current?.contentWindow?.print()}
            >
              {t("agreements.print")}
            </Button>
          </>
        }
      />
      {document.isPending ? <Loading /> : null}
      {document.isError ? <ErrorState error={document.error} onRetry={() => void document.refetch()} /> : null}
      {document.data ? (
        <Space direction="vertical" style={{ width: "100%" }}>
          <iframe
            ref={frame}
            id="agreement-document"
            title={t("agreements.printTitle")}
            srcDoc={document.data}
            // Same origin so the print button can reach it; no scripts run inside.
            sandbox="allow-same-origin allow-modals"
            style={{ width: "100%", height: "calc(100vh - 220px)", minHeight: 480, border: "1px solid #d9d9d9", background: "#fff" }}
          />
        </Space>
      ) : null}
    </section>
  );
}
