/**
 * A rehype plugin that puts every Markdown table of the lessons in a frame of its own: a named
 * region that takes keyboard focus and scrolls sideways when the table is wider than the screen
 * (WCAG 2.1.1: a scrolling area must be reachable by keyboard; at 375 px several tables are wider
 * than a phone). Done once here, every lesson's tables get it without a line in the lesson.
 */
import type { Element, ElementContent, Root, RootContent } from 'hast';

/** The frame's class; its look is in `src/styles/course.css`. */
export const TABLE_FRAME_CLASS = 'lesson-table';

function frame(table: Element): Element {
  return {
    type: 'element',
    tagName: 'div',
    properties: {
      className: [TABLE_FRAME_CLASS],
      role: 'region',
      ariaLabel: 'Table (scrolls sideways on narrow screens)',
      tabIndex: 0,
    },
    children: [table],
  };
}

function isFrame(node: Root | Element): boolean {
  const className = node.type === 'element' ? node.properties['className'] : undefined;
  return Array.isArray(className) && className.includes(TABLE_FRAME_CLASS);
}

function wrapTables(parent: Root | Element): void {
  const framed = isFrame(parent);
  parent.children = (parent.children as (RootContent | ElementContent)[]).map((child) => {
    if (child.type !== 'element') return child;
    if (child.tagName === 'table' && !framed) return frame(child);
    wrapTables(child);
    return child;
  }) as typeof parent.children;
}

/** The plugin: `markdown: { rehypePlugins: [rehypeScrollableTables] }`. */
export function rehypeScrollableTables(): (tree: Root) => void {
  return (tree) => wrapTables(tree);
}
