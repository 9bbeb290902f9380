import { afterAll } from "vitest";
import { silenceSdkNodeVersionWarning } from "../src/util/quiet-warnings.js";
import { removeTempDirs } from "./helpers/temp.js";

silenceSdkNodeVersionWarning();
// Registered first, so it runs after the test file's own afterAll hooks (which stop what runs in those folders).
afterAll(removeTempDirs);
// .ci/run runs the suite on each Node.js it tests with, first on PATH: a worker on another one would test nothing new.
const wanted = process.env.PIPES_TEST_NODE;
if (wanted && process.version !== wanted) throw new Error(`the tests run on Node.js ${process.version}, not ${wanted} (PIPES_TEST_NODE)`);
