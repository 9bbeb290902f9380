// Before any test: the Node.js binaries of every Node.js runtime (the host's major aside) are in the user's cache,
// fetched once here, as `pipes` fetches them on first need. Tests that run functions on nodejs22.x or nodejs24.x
// then never race each other to fetch, nor wait on the registry inside their own time limit.
import { NODE_RUNTIMES, nodeMajorOf } from "../src/facts/runtimes.js";
import { cachedNode, fetchNode } from "../src/runtimes/node-cache.js";

export default async function setup(): Promise<void> {
  const host = Number(process.versions.node.split(".")[0]);
  const majors = [...new Set(NODE_RUNTIMES.map((r) => nodeMajorOf(r)!))].filter((major) => major !== host && major >= 20);
  await Promise.all(
    majors.map(async (major) => {
      if (cachedNode(major, process.env)) return;
      const fetched = await fetchNode(major, process.env);
      process.stderr.write(`test setup: fetched Node.js ${fetched.version} for nodejs${major}.x functions\n`);
    }),
  );
}
