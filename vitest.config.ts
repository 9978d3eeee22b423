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
      {
        resolve: { alias },
        // Tests that serve the production build with real `next start` servers. `npm test` runs them
        // after `next build` (they build first, under the build lock, when no build exists).
        test: {
          name: "built",
          include: ["tests/built/**/*.test.ts"],
          environment: "node",
          testTimeout: 600_000,
          hookTimeout: 600_000,
          env: { AUTH_URL: "http://localhost:3000" },
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
