/**
 * Moving run files between the registry and the learner's disk: saving an export's files as
 * downloads, and reading chosen files back as `RunFile`s for `importRun`.
 */
import type { RunFile } from '../../../src/lib/registry/exchange';

/** Largest file read for an import: far above any model here (a 1,024-unit MLP is ~4 MB). */
export const MAX_RUN_FILE_BYTES = 50_000_000;

/** Saves each file as a download, one after another. */
export function downloadRunFiles(files: readonly RunFile[]): void {
  for (const file of files) {
    const url = URL.createObjectURL(new Blob([file.bytes.slice()], { type: file.mediaType }));
    const link = document.createElement('a');
    link.href = url;
    link.download = file.name;
    link.style.display = 'none';
    document.body.append(link);
    link.click();
    link.remove();
    // Revoke later: some browsers start reading the Blob only after click() returns.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

/**
 * Reads chosen files as `RunFile`s. Resolves with a reason instead when one is too large to be
 * an export of this course, so a stray video is refused before it is read into memory.
 */
export async function readRunFiles(
  list: FileList | readonly File[],
): Promise<{ ok: true; files: RunFile[] } | { ok: false; reason: string }> {
  const chosen = [...list];
  const large = chosen.find((file) => file.size > MAX_RUN_FILE_BYTES);
  if (large) {
    return {
      ok: false,
      reason: `${large.name} is ${Math.round(large.size / 1e6)} MB, too large to be an exported run (at most ${MAX_RUN_FILE_BYTES / 1e6} MB).`,
    };
  }
  const files = await Promise.all(
    chosen.map(async (file) => ({
      name: file.name,
      mediaType: file.type || 'application/octet-stream',
      bytes: new Uint8Array(await file.arrayBuffer()),
    })),
  );
  return { ok: true, files };
}
