import { silenceSdkNodeVersionWarning } from "../src/util/quiet-warnings.js";

silenceSdkNodeVersionWarning();
