import { describe, expect, it } from 'vitest';
import { inlineScriptHashes, policyFor, scriptHashSource, withCspMeta } from '../../build/csp';

// Hashes computed independently with Python: base64(hashlib.sha256(text.encode()).digest()).
const ALERT = "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='";
const EMPTY = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='";
const ASSIGN = "'sha256-U1BU0BfAhaBREBgsEDDctSYokOF3U7hQUIj6mrtukfw='";

const page = (head: string, body = '') =>
  `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">${head}</head><body>${body}</body></html>`;

describe('inline script hashes', () => {
  it('hashes the exact text of each inline script a browser runs, once each, sorted', () => {
    expect(scriptHashSource('alert(1)')).toBe(ALERT);
    const html = page(
      '<script>alert(1)</script><script type="module">window.x = 1;</script>',
      '<script>alert(1)</script><script></script>',
    );
    expect(inlineScriptHashes(html)).toEqual([ALERT, EMPTY, ASSIGN].sort());
  });

  it('skips external scripts and data blocks that never run', () => {
    const html = page(
      '<script type="module" src="/_astro/page.js"></script>' +
        '<script type="application/ld+json">{"a":1}</script>' +
        '<script src="/x.js" defer>ignored()</script>',
    );
    expect(inlineScriptHashes(html)).toEqual([]);
  });
});

describe('the page policy', () => {
  it('allows this origin and the listed hashes, never inline scripts or eval', () => {
    const policy = policyFor(page('<script>alert(1)</script>'));
    const directives = Object.fromEntries(
      policy.split('; ').map((part) => {
        const [name, ...values] = part.split(' ');
        return [name, values];
      }),
    );
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'", "'wasm-unsafe-eval'", ALERT]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(policy).not.toContain("'unsafe-eval'");
  });

  it('goes right after <meta charset>, before every script, and only once', () => {
    const html = page('<title>t</title><script>alert(1)</script>');
    const out = withCspMeta(html);
    const meta = out.indexOf('http-equiv="Content-Security-Policy"');
    expect(meta).toBeGreaterThan(out.indexOf('<meta charset="utf-8">'));
    expect(meta).toBeLessThan(out.indexOf('<script>'));
    expect(withCspMeta(out)).toBe(out);
  });

  it('goes first in <head> when a script comes before the charset, and refuses a page without <head>', () => {
    const html = '<html><head><script>alert(1)</script><meta charset="utf-8"></head></html>';
    expect(withCspMeta(html)).toMatch(/^<html><head><meta http-equiv="Content-Security-Policy"/);
    expect(() => withCspMeta('<p>no head</p>')).toThrow('no <head>');
  });
});
