import { connect, type Socket } from "node:net";

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** True when the connection ended (FIN or reset) after the answer. */
  closed: boolean;
}

/**
 * Sends a request head (and, when given, a body that may never be read) over a fresh socket and resolves with the
 * first answer and whether the server then closed the connection. Write errors after an answer are expected (the
 * server may close without reading the body) and ignored.
 */
export function rawRequest(port: number, head: string, body?: Buffer, timeoutMs = 20_000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let data = "";
    let answer: Omit<RawAnswer, "closed"> | null = null;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const done = (closed: boolean) => {
      if (!answer) return;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...answer, closed });
    };
    socket.on("data", (chunk: Buffer) => {
      data += chunk.toString("latin1");
      const end = data.indexOf("\r\n\r\n");
      if (answer || end < 0) return;
      const [statusLine, ...lines] = data.slice(0, end).split("\r\n");
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const at = line.indexOf(":");
        headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
      }
      const length = Number(headers["content-length"] ?? 0);
      if (data.length - end - 4 < length) return;
      answer = { status: Number(statusLine!.split(" ")[1]), headers, body: data.slice(end + 4, end + 4 + length) };
      // Wait a moment for the server's close, if it closes.
      setTimeout(() => done(false), 3_000).unref();
    });
    socket.on("end", () => done(true));
    socket.on("close", () => {
      if (answer) return done(true);
      clearTimeout(timer);
      reject(new Error(`closed without an answer: ${data.slice(0, 200)}`));
    });
    socket.on("error", () => undefined);
    socket.write(head);
    if (body) socket.write(body, () => undefined);
  });
}

/** Opens a socket and sends nothing; resolves once connected. It reads (and drops) what comes, so it sees a close. */
export function idleSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => resolve(socket));
    socket.on("error", reject);
    socket.resume();
  });
}

/** Resolves with the ms until the socket closes, or null past `withinMs`. */
export function closesWithin(socket: Socket, withinMs: number): Promise<number | null> {
  const start = Date.now();
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve(0);
    const timer = setTimeout(() => resolve(null), withinMs);
    socket.on("error", () => undefined);
    socket.once("close", () => {
      clearTimeout(timer);
      resolve(Date.now() - start);
    });
  });
}
