import { InputNumber, Space, type GetRef, type InputNumberProps } from "antd";
import { forwardRef, type CSSProperties, type ReactNode } from "react";

export interface AddonNumberProps extends Omit<InputNumberProps<number>, "addonBefore" | "addonAfter" | "style"> {
  /** Joined to the input's start (a name) or its end (a unit). */
  before?: ReactNode;
  after?: ReactNode;
  /** As wide as its container (in a form), instead of as wide as `style` says. */
  block?: boolean;
  /** The whole group's style (its width); the input takes the room the addons leave. */
  style?: CSSProperties;
}

/**
 * A number input with text joined to it: antd's replacement for InputNumber's deprecated
 * `addonBefore`/`addonAfter` (a Space.Compact of the input and Space.Addon cells). Every other
 * prop goes to the InputNumber, so a Form.Item around this gives the input itself its id (what
 * the item's label points at), value, onChange and ref, and an `aria-label` names the input.
 */
export const AddonNumber = forwardRef<GetRef<typeof InputNumber>, AddonNumberProps>(function AddonNumber(
  { before, after, block, style, ...props },
  ref,
) {
  return (
    <Space.Compact block={block} style={style}>
      {before != null ? <Space.Addon style={{ whiteSpace: "nowrap" }}>{before}</Space.Addon> : null}
      <InputNumber<number> ref={ref} {...props} style={{ flex: 1, minWidth: 0 }} />
      {after != null ? <Space.Addon style={{ whiteSpace: "nowrap" }}>{after}</Space.Addon> : null}
    </Space.Compact>
  );
});
