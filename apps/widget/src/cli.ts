import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildWidget, WIDGET_GZIP_LIMIT_BYTES } from "./index";

/** `pnpm --filter @inbox/widget build`: writes dist/widget.js and reports its size; fails above the limit. */
const widget = await buildWidget().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
const dist = fileURLToPath(new URL("../dist/", import.meta.url));
mkdirSync(dist, { recursive: true });
writeFileSync(`${dist}widget.js`, widget.code);
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
console.log(
  `widget.js: ${kb(widget.bytes)} minified, ${kb(widget.gzipBytes)} gzipped (limit ${kb(WIDGET_GZIP_LIMIT_BYTES)})`,
);
