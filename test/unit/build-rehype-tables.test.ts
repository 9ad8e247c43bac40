import type { Element, Root } from 'hast';
import { describe, expect, it } from 'vitest';
import { rehypeScrollableTables, TABLE_FRAME_CLASS } from '../../build/rehype-scrollable-tables';

const el = (tagName: string, children: Element[] = [], className?: string[]): Element => ({
  type: 'element',
  tagName,
  properties: className ? { className } : {},
  children,
});

describe('rehypeScrollableTables', () => {
  it('frames every table, at any depth, as a focusable named region', () => {
    const tree: Root = {
      type: 'root',
      children: [el('table'), el('section', [el('p'), el('table')])],
    };
    rehypeScrollableTables()(tree);
    const [first, section] = tree.children as Element[];
    for (const frame of [first!, (section!.children as Element[])[1]!]) {
      expect(frame.tagName).toBe('div');
      expect(frame.properties).toMatchObject({
        className: [TABLE_FRAME_CLASS],
        role: 'region',
        tabIndex: 0,
      });
      expect(String(frame.properties['ariaLabel'])).toContain('scrolls sideways');
      expect((frame.children as Element[])[0]!.tagName).toBe('table');
    }
    expect((section!.children as Element[])[0]!.tagName).toBe('p');
  });

  it('does not frame a table twice when the plugin runs again', () => {
    const tree: Root = { type: 'root', children: [el('table')] };
    rehypeScrollableTables()(tree);
    rehypeScrollableTables()(tree);
    const frame = tree.children[0] as Element;
    expect(frame.tagName).toBe('div');
    expect((frame.children[0] as Element).tagName).toBe('table');
  });
});
