// `md` metadata is user data: reading it must take time linear in its length. Each shape below made a pattern of
// markdown-parse.ts backtrack quadratically (a heading's trailing spaces, a link's spaces before its `)`): one value
// of 20,000 characters took a second or more, so a page of them froze. The test reads a page's worth of each and
// asserts what they read as; the timeout is far above what linear reading takes and far below the quadratic cost.
import { describe, expect, it } from "vitest";
import { type Block, MAX_CHARS, parseInline, parseMarkdown } from "../../src/ui/page/markdown-parse.js";

const SPACES = " ".repeat(20_000);
/** Values on one page: enough that a quadratic pattern takes tens of seconds, a linear one milliseconds. */
const VALUES = 50;
const GENEROUS = 10_000;

const readMany = (source: string): Block[] => {
  let blocks: Block[] = [];
  for (let i = 0; i < VALUES; i++) blocks = parseMarkdown(source);
  return blocks;
};

describe("md metadata is read in time linear in its length", () => {
  it("a heading followed by 20,000 spaces (and then a word) is a heading", { timeout: GENEROUS }, () => {
    expect(readMany(`# a${SPACES}`)).toEqual([{ kind: "heading", level: 3, children: ["a"] }]);
    expect(readMany(`# a${SPACES.slice(0, MAX_CHARS - 5)}b`)).toEqual([{ kind: "heading", level: 3, children: [`a${SPACES.slice(0, MAX_CHARS - 5)}b`] }]);
    expect(readMany(`## a${SPACES.slice(0, MAX_CHARS - 10)}##b`)).toEqual([{ kind: "heading", level: 4, children: [`a${SPACES.slice(0, MAX_CHARS - 10)}##b`] }]);
  });

  it("a link's opening followed by 20,000 spaces stays text", { timeout: GENEROUS }, () => {
    const source = `[a](${SPACES}`.slice(0, MAX_CHARS);
    expect(readMany(source)).toEqual([{ kind: "paragraph", children: ["[a]("] }]);
    const titled = `[a](https://example.com/a ${SPACES.slice(0, MAX_CHARS - 40)}x`;
    expect(readMany(titled)).toEqual([{ kind: "paragraph", children: [titled] }]);
  });

  it("rules, lists and quotes of long runs of spaces read as they are", { timeout: GENEROUS }, () => {
    const rule = `_${" _".repeat(2000)}${SPACES.slice(0, 10_000)}x`;
    expect(readMany(rule).map((b) => b.kind)).toEqual(["paragraph"]);
    expect(readMany(`- - -${SPACES.slice(0, 15_000)}`)).toEqual([{ kind: "hr" }]);
    expect(readMany(`-${SPACES.slice(0, 15_000)}item`)).toEqual([{ kind: "list", ordered: false, items: [["item"]] }]);
    expect(readMany(`1.${SPACES.slice(0, 15_000)}one`)).toEqual([{ kind: "list", ordered: true, items: [["one"]] }]);
    expect(readMany(`${SPACES.slice(0, 15_000)}> said`)).toEqual([{ kind: "quote", children: ["said"] }]);
  });

  it("emphasis and code that never close stay text", { timeout: GENEROUS }, () => {
    for (const source of [`*a${SPACES.slice(0, 15_000)}b`, `**a${" *a".repeat(5000)}`, `_a ${"_a ".repeat(5000)}`, "`".repeat(MAX_CHARS), "[](".repeat(6000)]) {
      let runs = parseInline(source);
      for (let i = 1; i < VALUES; i++) runs = parseInline(source);
      expect(runs.filter((r) => typeof r !== "string" && r.kind === "link")).toEqual([]);
    }
  });
});

describe("what md reads as", () => {
  it("headings keep a C# and drop a closing sequence after a space", () => {
    expect(parseMarkdown("## Learn C#")).toEqual([{ kind: "heading", level: 4, children: ["Learn C#"] }]);
    expect(parseMarkdown("# Title ##   ")).toEqual([{ kind: "heading", level: 3, children: ["Title"] }]);
    expect(parseMarkdown("# a # #")).toEqual([{ kind: "heading", level: 3, children: ["a #"] }]);
    expect(parseMarkdown("####### seven")).toEqual([{ kind: "paragraph", children: ["####### seven"] }]);
    expect(parseMarkdown("#nospace")).toEqual([{ kind: "paragraph", children: ["#nospace"] }]);
  });

  it("links: http(s) only, with an optional title, spaces inside the parentheses allowed", () => {
    expect(parseInline('see [docs]( https://example.com/d "the docs" ) now')).toEqual(["see ", { kind: "link", href: "https://example.com/d", children: ["docs"] }, " now"]);
    expect(parseInline("[evil](javascript:alert(3))")).toEqual(["[evil](javascript:alert(3)", ")"]);
    expect(parseInline("[a [b](https://example.com/b) c")).toEqual(["[a ", { kind: "link", href: "https://example.com/b", children: ["b"] }, " c"]);
    expect(parseInline("**bold** and *soft* and `co*de*`")).toEqual([{ kind: "strong", children: ["bold"] }, " and ", { kind: "em", children: ["soft"] }, " and ", { kind: "code", text: "co*de*" }]);
  });
});
