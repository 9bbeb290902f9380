// `md` metadata as it reads, drawn as DOM nodes from what markdown-parse.ts read. Never innerHTML: any HTML in the
// text shows as text, and a link is made only for an http(s) address (a `javascript:` one stays text).
import { h } from "./dom.js";
import { type Block, type Inline, parseMarkdown } from "./markdown-parse.js";

export { isWebUrl } from "./markdown-parse.js";

export function markdown(source: string): HTMLElement {
  return h("div", { class: "markdown" }, ...parseMarkdown(source).map(block));
}

function block(b: Block): HTMLElement {
  switch (b.kind) {
    case "code":
      return h("pre", {}, h("code", {}, b.text));
    case "heading":
      return h(`h${b.level}` as "h3", {}, ...inline(b.children));
    case "hr":
      return h("hr");
    case "list":
      return h(b.ordered ? "ol" : "ul", {}, ...b.items.map((item) => h("li", {}, ...inline(item))));
    case "quote":
      return h("blockquote", {}, ...inline(b.children));
    case "paragraph":
      return h("p", {}, ...inline(b.children));
  }
}

function inline(runs: Inline[]): Array<Node | string> {
  return runs.map((run) => {
    if (typeof run === "string") return run;
    if (run.kind === "code") return h("code", {}, run.text);
    if (run.kind === "link") return h("a", { href: run.href, rel: "noopener noreferrer", target: "_blank" }, ...inline(run.children));
    return h(run.kind, {}, ...inline(run.children));
  });
}
