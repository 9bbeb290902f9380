/**
 * The live stream of `pipes dev --ui`: run events as the reporters get them, to every page that listens
 * (server-sent events). A page that goes away is dropped; one that reads too slowly is dropped rather than
 * buffered without bound.
 */
import type { ServerResponse } from "node:http";
import type { RunEvent } from "../run/events.js";

export type LiveNotice = { type: "materialize-error"; request: number; assets: string[]; message: string };

const HEARTBEAT_MS = 15_000;
/** Bytes a listener may have waiting before it is dropped. */
const MAX_BUFFERED = 4 * 1024 * 1024;

export class LiveHub {
  private readonly listeners = new Set<ServerResponse>();
  private readonly heartbeat = setInterval(() => this.send(": keep-alive\n\n"), HEARTBEAT_MS).unref();

  listen(res: ServerResponse): void {
    res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-store", Connection: "keep-alive" });
    res.write(": connected\n\n");
    this.listeners.add(res);
    const drop = () => this.listeners.delete(res);
    res.on("close", drop);
    res.on("error", drop);
  }

  broadcast(event: RunEvent): void {
    this.send(`data: ${JSON.stringify(event)}\n\n`);
  }

  /**
   * What the page must hear that is not a run's event: a Materialize whose run could not start (the definitions
   * changed between the click and its turn) says so to the action that asked, named by its `request`.
   */
  notice(event: LiveNotice): void {
    this.send(`data: ${JSON.stringify(event)}\n\n`);
  }

  get size(): number {
    return this.listeners.size;
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const res of this.listeners) res.end();
    this.listeners.clear();
  }

  private send(text: string): void {
    for (const res of this.listeners) {
      if (res.destroyed || res.writableLength > MAX_BUFFERED) {
        this.listeners.delete(res);
        res.destroy();
        continue;
      }
      res.write(text);
    }
  }
}
