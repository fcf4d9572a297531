// A list answer as the API sends it: one page (Page[T] on the server).
export function pageOf<T>(items: T[], more: Record<string, unknown> = {}) {
  return { items, total: items.length, page: 1, page_size: 50, ...more };
}
