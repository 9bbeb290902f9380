// A bare loopback HTTP server that answers any Lambda Invoke at once: the floor of the SDK path.
import { createServer } from "node:http";

const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(200, { "Content-Type": "application/json", "X-Amz-Executed-Version": "$LATEST", "x-amzn-RequestId": "stub", "Content-Length": 4 });
    res.end("null");
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => console.log(`Ready on http://127.0.0.1:${server.address().port}`));
process.on("SIGTERM", () => process.exit(0));
