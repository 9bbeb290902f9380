import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    globalSetup: ["test/global-setup.ts"],
    // e2e tests spawn real processes; on a loaded 2-core CI machine they need room, not speed.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
