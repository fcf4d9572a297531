import dayjs from "dayjs";

/** A server timestamp in the reader's time zone; an em dash for none. */
export function formatDateTime(value: string | null | undefined): string {
  return value ? dayjs(value).format("YYYY-MM-DD HH:mm") : "—";
}
