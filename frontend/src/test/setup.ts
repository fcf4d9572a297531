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

// Waits end when their condition holds; the limit only catches a condition that never will,
// so it is far above what a screen needs on a loaded two-CPU machine.
configure({ asyncUtilTimeout: 10_000 });
