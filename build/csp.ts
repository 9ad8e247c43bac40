/**
 * The Content-Security-Policy of the built site, written into every page as a `<meta>` element
 * after the build. Inline scripts (Starlight's theme and search bootstraps, Astro's island
 * loader, the lesson-visit recorder) are allowed by the SHA-256 of their exact text, so no
 * `'unsafe-inline'` is needed for scripts; everything else must come from this origin.
 *
 * `'wasm-unsafe-eval'` is the one allowance beyond that: it lets WebAssembly compile (tfjs's WASM
 * backend, Pagefind's search) without allowing JavaScript `eval`. Styles keep `'unsafe-inline'`:
 * Starlight and Svelte write `style` attributes, and CSS cannot run code.
 */
import { createHash } from 'node:crypto';

/** An inline `<script>`: one without `src`, whatever its type. Matched lazily up to `</script>`. */
const INLINE_SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;

/** Script types a browser runs (an empty type, JavaScript, or a module); JSON data is inert. */
function runs(attributes: string): boolean {
  const type = /\btype\s*=\s*["']?([^"'\s>]+)/i.exec(attributes)?.[1]?.toLowerCase();
  return (
    type === undefined ||
    type === 'module' ||
    type === 'text/javascript' ||
    type === 'application/javascript'
  );
}

/** `'sha256-…'` of a script's text, as CSP writes it (base64 of the digest of its UTF-8 bytes). */
export function scriptHashSource(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * The hash sources of every inline script in a page that a browser would run, sorted and without
 * duplicates (so equal pages give equal policies).
 */
export function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>();
  for (const match of html.matchAll(INLINE_SCRIPT)) {
    const attributes = match[1] ?? '';
    if (/\bsrc\s*=/i.test(attributes) || !runs(attributes)) continue;
    hashes.add(scriptHashSource(match[2] ?? ''));
  }
  return [...hashes].sort();
}

/**
 * The policy for a page. `frame-ancestors` and `report-uri` are left out: a `<meta>` policy
 * cannot carry them (browsers ignore them there and warn).
 */
export function policyFor(html: string): string {
  return [
    "default-src 'self'",
    ["script-src 'self' 'wasm-unsafe-eval'", ...inlineScriptHashes(html)].join(' '),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
}

/** The `<meta>` element that carries a page's policy. */
export function cspMetaFor(html: string): string {
  return `<meta http-equiv="Content-Security-Policy" content="${policyFor(html)}">`;
}

/**
 * The page with its policy early in `<head>`: right after `<meta charset>` (which must stay within
 * the first 1,024 bytes), else first, and in any case before every script (a policy only governs
 * what comes after it). A page that already has one is returned unchanged; a page without
 * `<head>` throws, so a broken build is not shipped without a policy.
 */
export function withCspMeta(html: string): string {
  if (/<meta\s+http-equiv=["']?content-security-policy/i.test(html)) return html;
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (!head) throw new Error('withCspMeta: the page has no <head>');
  const headEnd = head.index + head[0].length;
  const charset = /<meta\s+charset=[^>]*>/i.exec(html.slice(headEnd));
  const firstScript = html.slice(headEnd).search(/<script\b/i);
  const afterCharset =
    charset && (firstScript === -1 || charset.index < firstScript)
      ? headEnd + charset.index + charset[0].length
      : headEnd;
  return `${html.slice(0, afterCharset)}${cspMetaFor(html)}${html.slice(afterCharset)}`;
}
