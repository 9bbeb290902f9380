/**
 * `pipes ui` and `pipes dev --ui`: a local web page of the pipeline (its graph, runs, timelines, metadata) and
 * the JSON API it reads (README: "The UI's API"). Bound to 127.0.0.1 only; every request passes guard.ts; the
 * page is the project's own bundle (dist/ui/page), served with a strict Content Security Policy. The page itself
 * holds nothing; everything under /api/ (run history, logs included, and the live stream) needs the token printed
 * with the URL: another user of the machine can reach the port, not the token.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { fileURLToPath } from "node:url";
import type { ResolvedDefinitions } from "../defs/normalized.js";
import { UserError } from "../errors.js";
import { stringifyJson } from "../protocol/python-json.js";
import { PyFloat } from "../protocol/python-json-parse.js";
import { selectAssets } from "../run/select.js";
import { CACHE_MAX_BYTES, HistoryCache, historySignature } from "../history/cache.js";
import { assetHistory, type DefsResponse, defsView, type HistoryFolds, historyFolds, runsView, runViewJson } from "./api.js";
import { refused, tokenMatches } from "./guard.js";
import type { LiveHub } from "./live.js";
import { decodePathSegment, malformedEscapeMessage } from "../util/uri.js";
import { displayPath } from "../util/paths.js";

// "../ui/page/" rather than "./page/": the same folder from src/ui, dist/ui and the CLI's bundle (dist/cli-bundle).
const PAGE_DIR = new URL("../ui/page/", import.meta.url);
const BODY_LIMIT = 64 * 1024;

export interface UiOptions {
  port: number;
  historyDir: string;
  /** The cap on a run file's size that readers apply (location.ts's historyLimits). */
  maxRunBytes?: number;
  /** The bound on what is kept of the history between requests (history/cache.ts; PIPES_UI_CACHE_MB). */
  cacheBytes?: number;
  /** The definitions now (dev reloads them on save). */
  defs: () => Promise<ResolvedDefinitions>;
  /** `pipes dev --ui`: the live stream, and what the Materialize button runs; absent for `pipes ui`. */
  live?: LiveHub;
  /** Queues a run of `assets`; rejects when that run could not start (its error is shown on the page). */
  materialize?: (assets: string[]) => Promise<void>;
  /** Where the user ran pipes: the definitions file is named from there, as in the terminal. */
  cwd?: string;
}

export interface UiServer {
  url: string;
  /** Made at start: every API request must carry it (X-Pipes-Token; `?token=` for the live stream). */
  token: string;
  close(): Promise<void>;
}

const HEADERS = {
  "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-store",
};

export async function startUi(options: UiOptions): Promise<UiServer> {
  const token = randomBytes(24).toString("base64url");
  const cacheBytes = options.cacheBytes ?? CACHE_MAX_BYTES;
  // Of the bound, the run files' folds take the most; the answers made from them a quarter.
  const cache = new HistoryCache(cacheBytes - Math.floor(cacheBytes / 4));
  const read = { maxRunBytes: options.maxRunBytes, cache };
  const answers = new Answers(() => historySignature(options.historyDir), Math.floor(cacheBytes / 4));
  let port = 0;
  /** Numbers each accepted Materialize, so that a failure to start reaches the action that asked. */
  let requests = 0;
  const page = (name: string) => readFileSync(fileURLToPath(new URL(name, PAGE_DIR)));
  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      if (!res.headersSent) send(res, 500, { error: `pipes ui: ${error.message}` });
      else res.destroy();
    });
  });
  server.requestTimeout = 10_000;
  server.headersTimeout = 10_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refusal = refused(req.headers, port);
    if (refusal) return send(res, 403, { error: refusal });
    const url = new URL(req.url ?? "/", `http://127.0.0.1:${port}`);
    const path = url.pathname;
    if (path.startsWith("/api/") && !carriesToken(req, url)) return send(res, 403, { error: "the API needs the token printed with the URL: open the page from that URL" });
    // One check for every route: a malformed escape (`%ZZ`) is the client's fault, said as such.
    if (decodePathSegment(path) === null) return send(res, 400, { error: malformedEscapeMessage(path) });
    if (req.method === "POST" && path === "/api/materialize") return materialize(req, res);
    if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, { error: "only GET, and POST /api/materialize" });
    if (path === "/") return sendFile(res, page("index.html"), "text/html; charset=utf-8");
    if (path === "/app.js") return sendFile(res, page("app.js"), "text/javascript; charset=utf-8");
    if (path === "/app.css") return sendFile(res, page("app.css"), "text/css; charset=utf-8");
    if (path === "/api/defs") {
      const defs = await options.defs();
      const folds = answers.get("folds", (): HistoryFolds => historyFolds(options.historyDir, read));
      const body: DefsResponse = { ...defsView(defs, folds, read), live: Boolean(options.live), canMaterialize: Boolean(options.materialize) };
      return send(res, 200, body);
    }
    if (path === "/api/runs") return sendText(res, 200, answers.get("runs", () => JSON.stringify(runsView(options.historyDir, read))));
    const run = /^\/api\/runs\/([\w-]{1,64})\/events$/.exec(path);
    if (run) {
      const text = runViewJson(options.historyDir, run[1]!, read);
      return text !== null ? sendText(res, 200, text) : send(res, 404, { error: `no run ${run[1]}` });
    }
    const asset = /^\/api\/assets\/(.{1,512})\/history$/.exec(path);
    if (asset) {
      const name = decodePathSegment(asset[1]!)!;
      return sendText(res, 200, answers.get(`asset\0${name}`, () => JSON.stringify(assetHistory(options.historyDir, name, read))));
    }
    if (path === "/api/live") {
      if (!options.live) return send(res, 404, { error: "no live stream: pipes dev --ui has one" });
      return options.live.listen(res);
    }
    return send(res, 404, { error: `nothing at ${path.slice(0, 200)}` });
  }

  /** The header; for the live stream also `?token=` (a browser's EventSource cannot set a header). */
  function carriesToken(req: IncomingMessage, url: URL): boolean {
    const header = req.headers["x-pipes-token"];
    if (tokenMatches(Array.isArray(header) ? header[0] : header, token)) return true;
    return url.pathname === "/api/live" && tokenMatches(url.searchParams.get("token") ?? undefined, token);
  }

  async function materialize(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!options.materialize) return send(res, 404, { error: "pipes ui only shows: run pipes dev --ui to materialize from the page" });
    const body = await readBody(req);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return send(res, 400, { error: 'expected JSON: {"assets": ["name", ...]}' });
    }
    // A field it does not take is refused, not dropped: {"partition": …} would otherwise run every asset's newest.
    const unknownField = parsed !== null && typeof parsed === "object" ? Object.keys(parsed).find((k) => k !== "assets") : undefined;
    if (unknownField !== undefined) {
      return send(res, 400, { error: `unknown field ${JSON.stringify(unknownField.slice(0, 40))}: this takes {"assets": [...]} only (partitions and flags: pipes dev's prompt)` });
    }
    const assets = (parsed as { assets?: unknown } | null)?.assets;
    if (!Array.isArray(assets) || assets.length === 0 || assets.length > 100 || !assets.every((a) => typeof a === "string" && a.length <= 512)) {
      return send(res, 400, { error: 'expected {"assets": ["name", "+name", "tag:k=v", ...]}' });
    }
    // Names or selections, as `pipes materialize` takes them.
    const defs = await options.defs();
    let keys: string[];
    try {
      keys = selectAssets(defs.assets, assets as string[], { upstream: false, file: displayPath(defs.file, options.cwd ?? process.cwd()) }).map((a) => a.key);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      return send(res, 400, { error: error.message.split("\n")[0] });
    }
    // The run streams to the page through the live stream; the answer says only that it was queued. A run that
    // cannot start when its turn comes (the definitions changed since: an asset gone) says why on the stream,
    // to the action of this request: the page would otherwise wait on "starting…" for ever.
    const request = ++requests;
    options.materialize(keys).catch((error: unknown) => {
      const message = error instanceof Error ? error.message.split("\n")[0]! : String(error);
      options.live?.notice({ type: "materialize-error", request, assets: keys, message });
    });
    return send(res, 202, { started: keys, request });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolve());
  });
  port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        options.live?.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * JSON text of an answer that holds values of the definitions (NaN or Infinity as a string, a bigint, a marked float:
 * what stringifyJson writes as the page expects). The runs list and an asset's history are made of values read from
 * the history's lines by JSON.parse, which has none of those: they are written by JSON.stringify alone (a look at each
 * value of a 10,000-step asset history, megabytes, cost more than writing it).
 */
function json(body: unknown): string {
  let plain = true;
  const look = (_key: string, value: unknown): unknown => {
    if (typeof value === "number" ? !Number.isFinite(value) : typeof value === "bigint" || value instanceof PyFloat) plain = false;
    return value;
  };
  try {
    const text = JSON.stringify(body, look);
    if (plain) return text;
  } catch {
    // a bigint: stringifyJson writes its digits
  }
  return stringifyJson(body, { nonFinite: "string" });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  sendText(res, status, json(body));
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { ...HEADERS, "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

function sendFile(res: ServerResponse, content: Buffer, type: string): void {
  res.writeHead(200, { ...HEADERS, "Content-Type": type, "Content-Length": content.length });
  res.end(content);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT) {
        reject(new Error("the request body is too large"));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Answers at most kept: one per asset page asked for, besides the runs list and the graph's folds. */
const MAX_ANSWERS = 64;

/**
 * Answers computed from the whole history, kept while the history's files are as they were (historySignature):
 * the runs list and an asset's history are not folded again from a hundred runs when nothing was recorded since.
 * Bounded like the history cache: answers written as text count their size (an asset of a 10,000-step run has MBs),
 * the least recently asked dropped first past `maxBytes`.
 */
class Answers {
  private readonly kept = new Map<string, { signature: string; value: unknown; bytes: number }>();
  private bytes = 0;

  constructor(
    private readonly sign: () => string,
    private readonly maxBytes: number,
  ) {}

  get<T>(name: string, compute: () => T): T {
    const signature = this.sign();
    const kept = this.kept.get(name);
    if (kept) this.drop(name);
    const value = kept && kept.signature === signature ? (kept.value as T) : compute();
    const bytes = typeof value === "string" ? 2 * value.length : 0;
    if (this.maxBytes === 0 || bytes > this.maxBytes) return value;
    this.kept.set(name, { signature, value, bytes });
    this.bytes += bytes;
    for (const oldest of this.kept.keys()) {
      if (this.kept.size <= MAX_ANSWERS && this.bytes <= this.maxBytes) break;
      this.drop(oldest);
    }
    return value;
  }

  private drop(name: string): void {
    this.bytes -= this.kept.get(name)?.bytes ?? 0;
    this.kept.delete(name);
  }
}
