// A long table shown a page at a time (newest first), with older/newer buttons: an asset with 247 attempts is a
// screen tall, not 10,000 px. The page a table is on outlives the re-renders of the live stream.
import { h } from "./dom.js";
import { table } from "./parts.js";

export const PAGE_ROWS = 25;

const shown = new Map<string, number>();

/**
 * The table, then (when there is more than a page) its pager. `id`: what the page is remembered by (the asset and
 * the table); `row(i)` builds the i-th row when it is shown.
 */
export function pagedTable(id: string, head: string[], count: number, row: (i: number) => Array<Node | string>, cls: string): DocumentFragment {
  const pages = Math.max(1, Math.ceil(count / PAGE_ROWS));
  const shell = table(head, [], cls);
  const nav = h("p", { class: "pager" });
  const show = (page: number) => {
    const at = Math.min(Math.max(0, page), pages - 1);
    shown.set(id, at);
    const first = at * PAGE_ROWS;
    const rows = table(head, Array.from({ length: Math.min(PAGE_ROWS, count - first) }, (_, i) => row(first + i)));
    shell.querySelector("tbody")!.replaceWith(rows.querySelector("tbody")!);
    if (pages === 1) return;
    const newer = h("button", { type: "button", "data-page": "newer" }, "‹ newer");
    const older = h("button", { type: "button", "data-page": "older" }, "older ›");
    if (at === 0) newer.setAttribute("disabled", "");
    if (at === pages - 1) older.setAttribute("disabled", "");
    newer.addEventListener("click", () => show(at - 1));
    older.addEventListener("click", () => show(at + 1));
    nav.replaceChildren(newer, h("span", { class: "muted" }, ` ${first + 1}–${Math.min(first + PAGE_ROWS, count)} of ${count} · page ${at + 1} of ${pages} `), older);
  };
  show(shown.get(id) ?? 0);
  const out = document.createDocumentFragment();
  out.append(shell);
  if (pages > 1) out.append(nav);
  return out;
}
