// The layers' packages for `import`: Node.js resolves a CommonJS `require` through NODE_PATH (the layers'
// nodejs/node_modules folders, src/emulator/layers.ts), an ES module `import` never does. A bare specifier the
// default resolution cannot find is looked up in those folders, in NODE_PATH's order (the later layer first), and
// only a package found inside one of them is taken: the folders above a layer (a user's project) play no part.
import { join, sep } from "node:path";
import { pathToFileURL } from "node:url";

let folders = [];

export function initialize(data) {
  folders = Array.isArray(data?.folders) ? data.folders : [];
}

const isBare = (specifier) => !/^(?:\.{0,2}\/|[a-z][a-z0-9+.-]*:)/i.test(specifier);

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (error?.code !== "ERR_MODULE_NOT_FOUND" || !isBare(specifier)) throw error;
    for (const folder of folders) {
      // A module beside the folder resolves bare specifiers from the folder first (`<parent>/node_modules`).
      const parentURL = pathToFileURL(join(folder, "..", "pipes-layer-import.mjs")).href;
      try {
        const found = await nextResolve(specifier, { ...context, parentURL });
        if (found.url.startsWith(pathToFileURL(folder + sep).href)) return found;
      } catch {
        // not in this layer
      }
    }
    throw error;
  }
}
