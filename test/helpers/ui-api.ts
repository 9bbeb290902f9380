import { request } from "node:http";

export interface ApiAnswer<T> {
  status: number;
  body: T;
}

/**
 * A GET of the page's JSON API on a running `pipes ui` (its URL ends in "/"), with the token it printed; a path is
 * taken with or without its leading "/". Bounded: no answer in 20 s fails the test instead of hanging it.
 */
export function uiApi<T = any>(url: string, token: string | undefined): (path: string) => Promise<ApiAnswer<T>> {
  return (path) =>
    new Promise((resolve, reject) => {
      const req = request(`${url}${path.replace(/^\//, "")}`, { headers: { "X-Pipes-Token": token ?? "" }, timeout: 20_000 }, (res) => {
        let text = "";
        res.on("data", (d) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      });
      req.on("timeout", () => req.destroy(new Error(`${path}: no answer in 20 s`)));
      req.on("error", reject);
      req.end();
    });
}
