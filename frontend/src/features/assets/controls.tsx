// Form controls that drop the `aria-required` a Form.Item hands them: Ant Design puts it on the
// group's or select's outer <div>, where ARIA does not allow it (axe: aria-allowed-attr). The
// label still carries the required mark and the field its error.
import { Checkbox, Radio, Select, type RadioGroupProps, type SelectProps } from "antd";
import type { CheckboxGroupProps } from "antd/es/checkbox";

interface FromFormItem {
  "aria-required"?: boolean | "true" | "false";
}

export function FormSelect(props: SelectProps & FromFormItem) {
  const { "aria-required": _dropped, ...rest } = props;
  return <Select {...rest} />;
}

export function FormRadioGroup(props: RadioGroupProps & FromFormItem) {
  const { "aria-required": _dropped, ...rest } = props;
  return <Radio.Group {...rest} />;
}

export function FormCheckboxGroup(props: CheckboxGroupProps & FromFormItem) {
  const { "aria-required": _dropped, ...rest } = props;
  return <Checkbox.Group {...rest} />;
}
