// `md` metadata as it reads, built as DOM nodes from a small, safe subset of Markdown: headings, paragraphs,
// emphasis, inline and fenced code, lists, quotes and links. Never innerHTML: any HTML in the text shows as
// text, and a link is made only for an http(s) address (a `javascript:` one stays text).
import { h } from "./dom.js";

/** Longer text is cut: a metadata value is a note, not a book. */
const MAX_CHARS = 20_000;

export function markdown(source: string): HTMLElement {
  const root = h("div", { class: "markdown" });
  const lines = source.slice(0, MAX_CHARS).replace(/\r\n?/g, "\n").split("\n");
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const fence = /^\s*(```|~~~)/.exec(line);
    if (fence) {
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i]!.trimStart().startsWith(fence[1]!); i++) code.push(lines[i]!);
      i++;
      root.append(h("pre", {}, h("code", {}, code.join("\n"))));
      continue;
    }
    // Closing #s only after a space: `# Learn C#` is about C#.
    const heading = /^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
    if (heading) {
      // Levels from h3 down: a value's heading sits under the page's own.
      const level = Math.min(6, heading[1]!.length + 2);
      root.append(h(`h${level}` as "h3", {}, ...inline(heading[2]!)));
      i++;
      continue;
    }
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      root.append(h("hr"));
      i++;
      continue;
    }
    const item = listItem(line);
    if (item) {
      const list = h(item.ordered ? "ol" : "ul");
      while (i < lines.length) {
        const next = listItem(lines[i]!);
        if (!next || next.ordered !== item.ordered) break;
        list.append(h("li", {}, ...inline(next.text)));
        i++;
      }
      root.append(list);
      continue;
    }
    if (/^\s*>/.test(line)) {
      const quoted: string[] = [];
      for (; i < lines.length && /^\s*>/.test(lines[i]!); i++) quoted.push(lines[i]!.replace(/^\s*>\s?/, ""));
      root.append(h("blockquote", {}, ...inline(quoted.join(" "))));
      continue;
    }
    if (!line.trim()) {
      i++;
      continue;
    }
    const paragraph: string[] = [];
    for (; i < lines.length && lines[i]!.trim() && !startsBlock(lines[i]!); i++) paragraph.push(lines[i]!.trim());
    root.append(h("p", {}, ...inline(paragraph.join(" "))));
  }
  return root;
}

function listItem(line: string): { ordered: boolean; text: string } | null {
  const bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
  if (bullet) return { ordered: false, text: bullet[1]! };
  const numbered = /^\s*\d{1,9}[.)]\s+(.*)$/.exec(line);
  return numbered ? { ordered: true, text: numbered[1]! } : null;
}

const startsBlock = (line: string) => /^(\s*(```|~~~|>)|#{1,6}\s)/.test(line) || listItem(line) !== null;

/**
 * Inline code first (nothing inside it is Markdown), then links, then bold and italics. A link's text holds no
 * bracket (`[a [b](u)` links `b`, as CommonMark does) and its address and title are bounded: otherwise every `[` of a
 * long `[[[[…` scans to the end of the text, and 20,000 of them freeze the page for seconds (quadratic).
 */
const INLINE = /`([^`]+)`|\[([^[\]]*)\]\(\s*([^)\s]{0,2048})(?:\s+"[^"]{0,256}")?\s*\)|\*\*(.+?)\*\*|__(.+?)__|\*([^*\s](?:[^*]*[^*\s])?)\*|\b_([^_\s](?:[^_]*[^_\s])?)_\b/g;

export function inline(text: string): Array<Node | string> {
  const out: Array<Node | string> = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    if (m.index! > last) out.push(text.slice(last, m.index));
    last = m.index! + m[0].length;
    if (m[1] !== undefined) out.push(h("code", {}, m[1]));
    else if (m[3] !== undefined) out.push(isWebUrl(m[3]) ? h("a", { href: m[3], rel: "noopener noreferrer", target: "_blank" }, ...inline(m[2]!)) : m[0]);
    else if (m[4] !== undefined || m[5] !== undefined) out.push(h("strong", {}, ...inline(m[4] ?? m[5]!)));
    else out.push(h("em", {}, ...inline(m[6] ?? m[7]!)));
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** Only http(s): a `javascript:` or `data:` address is shown as text, never made a link. */
export function isWebUrl(value: unknown): value is string {
  if (typeof value !== "string") return false;
  try {
    return ["http:", "https:"].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}
