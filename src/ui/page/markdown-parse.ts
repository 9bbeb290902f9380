// `md` metadata read into blocks and inline runs, pure (no DOM), from a small, safe subset of Markdown: headings,
// paragraphs, emphasis, inline and fenced code, lists, quotes and links. markdown.ts draws them as DOM nodes.
// A metadata value is user data: every pattern here must stay linear in the text's length (no nested or adjacent
// quantifiers that can trade characters), or a crafted value freezes the page.

/** Longer text is cut: a metadata value is a note, not a book. */
export const MAX_CHARS = 20_000;

export type Inline = string | { kind: "code"; text: string } | { kind: "link"; href: string; children: Inline[] } | { kind: "strong" | "em"; children: Inline[] };

export type Block =
  | { kind: "code"; text: string }
  | { kind: "heading"; level: number; children: Inline[] }
  | { kind: "hr" }
  | { kind: "list"; ordered: boolean; items: Inline[][] }
  | { kind: "quote"; children: Inline[] }
  | { kind: "paragraph"; children: Inline[] };

export function parseMarkdown(source: string): Block[] {
  const blocks: Block[] = [];
  const lines = source.slice(0, MAX_CHARS).replace(/\r\n?/g, "\n").split("\n");
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const fence = /^\s*(```|~~~)/.exec(line);
    if (fence) {
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i]!.trimStart().startsWith(fence[1]!); i++) code.push(lines[i]!);
      i++;
      blocks.push({ kind: "code", text: code.join("\n") });
      continue;
    }
    const heading = headingOf(line);
    if (heading) {
      // Levels from h3 down: a value's heading sits under the page's own.
      blocks.push({ kind: "heading", level: Math.min(6, heading.hashes + 2), children: parseInline(heading.text) });
      i++;
      continue;
    }
    if (isRule(line)) {
      blocks.push({ kind: "hr" });
      i++;
      continue;
    }
    const item = listItem(line);
    if (item) {
      const items: Inline[][] = [];
      while (i < lines.length) {
        const next = listItem(lines[i]!);
        if (!next || next.ordered !== item.ordered) break;
        items.push(parseInline(next.text));
        i++;
      }
      blocks.push({ kind: "list", ordered: item.ordered, items });
      continue;
    }
    if (/^\s*>/.test(line)) {
      const quoted: string[] = [];
      for (; i < lines.length && /^\s*>/.test(lines[i]!); i++) quoted.push(lines[i]!.replace(/^\s*>\s?/, ""));
      blocks.push({ kind: "quote", children: parseInline(quoted.join(" ")) });
      continue;
    }
    if (!line.trim()) {
      i++;
      continue;
    }
    const paragraph: string[] = [];
    for (; i < lines.length && lines[i]!.trim() && !startsBlock(lines[i]!); i++) paragraph.push(lines[i]!.trim());
    blocks.push({ kind: "paragraph", children: parseInline(paragraph.join(" ")) });
  }
  return blocks;
}

/**
 * `## Title ##`, scanned by hand: the pattern it replaces (`^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$`) let its lazy text and
 * the optional closing sequence trade spaces, quadratic on `# a` and 20,000 spaces.
 */
function headingOf(line: string): { hashes: number; text: string } | null {
  const hashes = /^#{1,6}/.exec(line)?.[0].length ?? 0;
  if (!hashes || !/\s/.test(line[hashes] ?? "")) return null;
  const text = line.slice(hashes).trim();
  // Closing #s only after a space: `# Learn C#` is about C#.
  let end = text.length;
  while (end > 0 && text[end - 1] === "#") end--;
  return { hashes, text: end < text.length && end > 0 && /\s/.test(text[end - 1]!) ? text.slice(0, end).trimEnd() : text };
}

/** `---`, `* * *`, `___`: three or more of one of them, and spaces. */
function isRule(line: string): boolean {
  const marks = line.replace(/\s+/g, "");
  return marks.length >= 3 && "-*_".includes(marks[0]!) && marks === marks[0]!.repeat(marks.length);
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
 * long `[[[[…` scans to the end of the text, and 20,000 of them freeze the page for seconds (quadratic). Its address
 * is not empty and holds no `[`: the spaces before it cannot be traded with those after it (`[a](` and 20,000 spaces
 * was quadratic), and one link's address never runs into the next link (`[]([](…` rescanned 2,048 characters each).
 */
const INLINE = /`([^`]+)`|\[([^[\]]*)\]\(\s*([^)\s[]{1,2048})(?:\s+"[^"]{0,256}")?\s*\)|\*\*(.+?)\*\*|__(.+?)__|\*([^*\s](?:[^*]*[^*\s])?)\*|\b_([^_\s](?:[^_]*[^_\s])?)_\b/g;

export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    if (m.index! > last) out.push(text.slice(last, m.index));
    last = m.index! + m[0].length;
    if (m[1] !== undefined) out.push({ kind: "code", text: m[1] });
    else if (m[3] !== undefined) out.push(isWebUrl(m[3]) ? { kind: "link", href: m[3], children: parseInline(m[2]!) } : m[0]);
    else if (m[4] !== undefined || m[5] !== undefined) out.push({ kind: "strong", children: parseInline(m[4] ?? m[5]!) });
    else out.push({ kind: "em", children: parseInline(m[6] ?? m[7]!) });
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
