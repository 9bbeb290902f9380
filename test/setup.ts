import { afterAll } from "vitest";
import { silenceSdkNodeVersionWarning } from "../src/util/quiet-warnings.js";
import { removeTempDirs } from "./helpers/temp.js";

silenceSdkNodeVersionWarning();
// Registered first, so it runs after the test file's own afterAll hooks (which stop what runs in those folders).
afterAll(removeTempDirs);
