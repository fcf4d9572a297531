import { act, render } from "@testing-library/react";
import { Form, Input, type FormInstance } from "antd";
import dayjs from "dayjs";
import { describe, expect, it } from "vitest";
import { ProblemError, type FieldError } from "../api/problem";
import { i18n } from "../i18n";
import { applyProblemToForm, fieldErrorText, fieldPathOf, fieldPathsOf } from "./formProblems";

function validationProblem(errors: FieldError[]): ProblemError {
  return new ProblemError({ type: "/problems/validation-error", title: "Invalid", status: 422, detail: "Invalid input", errors });
}

/** A form holding fields at these paths (as a screen's form would), with their values. */
function aForm(fields: string[][], values: Record<string, unknown> = {}): FormInstance {
  let instance: FormInstance | undefined;
  function Screen() {
    const [form] = Form.useForm();
    instance = form;
    return (
      <Form form={form} initialValues={values}>
        {fields.map((name) => (
          <Form.Item key={name.join(".")} name={name} label={name.join(".")}>
            <Input />
          </Form.Item>
        ))}
      </Form>
    );
  }
  render(<Screen />);
  return instance as FormInstance;
}

describe("fieldPathOf", () => {
  const known = [["email"], ["redirect_uris"], ["capacity"], ["capacity", "free"], ["geometry"]];
  it.each([
    ["email", ["email"]],
    ["body.email", ["email"]],
    ["redirect_uris.0", ["redirect_uris"]],
    ["body.capacity.free", ["capacity", "free"]],
    ["capacity.total", ["capacity"]],
    ["data.geometry.coordinates.3.0", ["geometry"]],
    ["body", undefined],
    ["If-Match", undefined],
  ])("places %s on %j", (field, expected) => {
    expect(fieldPathOf({ field, message: "m" }, known)).toEqual(expected);
  });
});

describe("fieldPathsOf", () => {
  it("lists every nested field, with lists and dates as leaves", () => {
    const paths = fieldPathsOf({ name: "x", sharing: { terms: "t", fee: { cny: 1 } }, kinds: ["tower"], by: dayjs("2027-01-01") });
    expect(paths).toEqual([["name"], ["sharing"], ["sharing", "terms"], ["sharing", "fee"], ["sharing", "fee", "cny"], ["kinds"], ["by"]]);
  });
});

describe("applyProblemToForm", () => {
  it("puts each field error on its nested field and returns those that found none", () => {
    const form = aForm([["name"], ["capacity", "total"], ["capacity", "free"]], { name: "", capacity: { total: 4, free: 9 } });
    let unplaced: FieldError[] = [];
    act(() => {
      unplaced = applyProblemToForm(
        form,
        validationProblem([
          { field: "body.capacity.free", message: "more than the total" },
          { field: "body.capacity.free", message: "too many" },
          { field: "name", message: "required" },
          { field: "body.owner", message: "unknown organisation" },
        ]),
      );
    });
    expect(form.getFieldError(["capacity", "free"])).toEqual(["more than the total", "too many"]);
    expect(form.getFieldError(["name"])).toEqual(["required"]);
    expect(unplaced).toEqual([{ field: "body.owner", message: "unknown organisation" }]);
  });

  it("uses the fields and the renaming it is given", () => {
    const form = aForm([["attributes", "height_m"]]);
    act(() => {
      applyProblemToForm(form, validationProblem([{ field: "attributes.tower.height_m", message: "must be > 0" }]), {
        fields: [["attributes", "height_m"]],
        rewrite: (field) => field.replace(".tower.", "."),
      });
    });
    expect(form.getFieldError(["attributes", "height_m"])).toEqual(["must be > 0"]);
  });

  it("leaves the form alone for an error that is not a problem", () => {
    const form = aForm([["name"]], { name: "x" });
    expect(applyProblemToForm(form, new TypeError("Failed to fetch"))).toEqual([]);
    expect(form.getFieldError(["name"])).toEqual([]);
  });
});

describe("fieldErrorText", () => {
  it("words a reason code in the reader's language, with its params", async () => {
    const error: FieldError = { field: "password", message: "use at least 12 characters", code: "password-too-short", params: { min_length: 12 } };
    await act(() => i18n.changeLanguage("en"));
    expect(fieldErrorText(error)).toBe("Use at least 12 characters.");
    await act(() => i18n.changeLanguage("zh-CN"));
    expect(fieldErrorText(error)).toBe("至少需要 12 个字符。");
    expect(fieldErrorText({ field: "password", message: "as sent", code: "unknown-code" })).toBe("as sent");
  });
});
