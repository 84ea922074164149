// Test set-up shared by all component tests: browser APIs jsdom lacks that Element Plus touches.
import { afterEach, vi } from "vitest";

if (!("ResizeObserver" in globalThis)) {
  class ResizeObserverStub {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
  globalThis.ResizeObserver = ResizeObserverStub as unknown as typeof ResizeObserver;
}

// jsdom does not lay out, so it has no scrollIntoView (the reports section scrolls to itself).
const elementProto = Element.prototype as { scrollIntoView?: Element["scrollIntoView"] };
elementProto.scrollIntoView ??= () => {};

afterEach(() => {
  vi.useRealTimers();
  localStorage.clear();
});
