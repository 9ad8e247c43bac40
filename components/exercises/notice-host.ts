/**
 * Several exercises may share a page; only one of them should show the progress notices
 * (unreadable saved data, a refused save). The first to ask becomes the host.
 */
let host: string | null = null;

/** true for the first exercise id that asks on this page (and for that id again). */
export function claimNoticeHost(exerciseId: string): boolean {
  host ??= exerciseId;
  return host === exerciseId;
}
