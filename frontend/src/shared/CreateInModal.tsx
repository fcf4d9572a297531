// Creating something in a dialog: a form whose submit sends one mutation; the API's problem is
// shown above the form and its field errors on the fields; closing resets the form and the mutation.
import type { UseMutationResult } from "@tanstack/react-query";
import { Form, Modal, type ButtonProps } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { applyProblemToForm, type FieldPath } from "./formProblems";
import { ProblemAlert } from "./problems";

export interface CreateInModalProps<Values, Body, Created> {
  title: ReactNode;
  open: boolean;
  onClose: () => void;
  /** The one mutation the form sends. */
  mutation: UseMutationResult<Created, Error, Body>;
  /** The request body for the form's values. */
  toBody: (values: Values) => Body;
  /** After a success, once the dialog has closed. */
  onCreated?: (created: Created) => void;
  /** The `id` of the form element (browser tests find forms by it). */
  formId: string;
  initialValues?: Partial<Values>;
  /** The form's fields for the API's field errors, when they are not all holding values. */
  fields?: readonly FieldPath[];
  okText?: string;
  okButtonProps?: ButtonProps;
  width?: number;
  children: ReactNode;
}

export function CreateInModal<Values, Body, Created>({
  title,
  open,
  onClose,
  mutation,
  toBody,
  onCreated,
  formId,
  initialValues,
  fields,
  okText,
  okButtonProps,
  width,
  children,
}: CreateInModalProps<Values, Body, Created>) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const close = () => {
    form.resetFields();
    mutation.reset();
    onClose();
  };
  return (
    <Modal
      title={title}
      open={open}
      onCancel={close}
      okText={okText ?? t("common.create")}
      cancelText={t("common.cancel")}
      onOk={() => form.submit()}
      confirmLoading={mutation.isPending}
      okButtonProps={okButtonProps}
      destroyOnHidden
      width={width}
    >
      <Form<Values>
        form={form}
        id={formId}
        layout="vertical"
        initialValues={initialValues}
        onFinish={(values) =>
          mutation.mutate(toBody(values), {
            onSuccess: (created) => {
              close();
              onCreated?.(created);
            },
            onError: (error) => applyProblemToForm(form, error, { fields }),
          })
        }
      >
        <ProblemAlert error={mutation.error} />
        {children}
      </Form>
    </Modal>
  );
}
