// Lambda entry (`index.handler` in lambdas/partitioner/dist/index.js, bundled by scripts/bundle-partitioner.ts).
export { handler } from "./handler";
