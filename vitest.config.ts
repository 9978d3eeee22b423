import path from "node:path";
import { defineConfig } from "vitest/config";

// `server-only` throws outside the react-server condition; the tests run server modules directly.
const alias = { "@": path.resolve(import.meta.dirname), "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js") };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: { name: "unit", include: ["tests/unit/**/*.test.ts", "lib/**/*.test.ts"], environment: "node" },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Each file gets its own throw-away database; two at a time keeps a 2-core machine responsive.
          maxWorkers: 2,
          // Route handlers under test build better-auth, which wants the app's public address.
          env: { AUTH_URL: "http://localhost:3000" },
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
