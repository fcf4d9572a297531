import "@testing-library/jest-dom/vitest";
import { cleanup, configure } from "@testing-library/react";
import { afterEach, beforeEach } from "vitest";
import { i18n } from "../i18n";

// Test files share one module graph and one jsdom per worker (`isolate: false`: importing antd
// and the app once instead of per file saves ~35 s), so each test starts from the same state:
// nothing in the browser's storage, Chinese.
beforeEach(async () => {
  window.localStorage.clear();
  await i18n.changeLanguage("zh-CN");
});
afterEach(() => cleanup());

// Ant Design asks for these; jsdom has neither.
if (!window.matchMedia) {
  window.matchMedia = (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => undefined,
      removeListener: () => undefined,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      dispatchEvent: () => false,
    }) as MediaQueryList;
}
if (!window.ResizeObserver) {
  window.ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
}

// jsdom draws nothing: without the optional `canvas` package its getContext() returns null for
// every kind of context after printing "Not implemented". Returning null at once describes the
// same browser, one without WebGL, where the map shows its "needs WebGL" notice (MapView).
HTMLCanvasElement.prototype.getContext = function getContext() {
  return null;
} as typeof HTMLCanvasElement.prototype.getContext;

// Test files share this jsdom (`isolate: false`) and this file runs before each of them: what
// follows wraps and adds things, so it is done once per jsdom.
const SETUP_MARK = "data-test-setup";
if (!document.head.querySelector(`style[${SETUP_MARK}]`)) {
  // Accessible names (dom-accessibility-api, behind role and label queries) include CSS generated
  // content, so they ask for getComputedStyle(element, "::before"). jsdom has no pseudo-element
  // styles: it prints "Not implemented" and answers with the element's own style. This answers
  // the same without the notice (no stylesheet in the tests gives a pseudo-element content).
  const elementStyle = window.getComputedStyle.bind(window);
  window.getComputedStyle = (element: Element) => elementStyle(element);

  // Every browser's user-agent stylesheet gives a textarea padding and a border; jsdom's does not,
  // so their computed values are "" and antd's autoSize TextArea (rc-textarea measures a row with
  // parseFloat of them) would compute a NaN height. These are Chromium's defaults.
  const userAgentStyles = document.createElement("style");
  userAgentStyles.setAttribute(SETUP_MARK, "");
  userAgentStyles.textContent = "textarea { padding: 2px; border: 1px solid; }";
  document.head.append(userAgentStyles);
}

// Waits end when their condition holds; the limit only catches a condition that never will,
// so it is far above what a screen needs on a loaded two-CPU machine.
configure({ asyncUtilTimeout: 10_000 });
