import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

/** The embeddable script may not grow beyond this (gzipped); the build fails above it. */
export const WIDGET_GZIP_LIMIT_BYTES = 30 * 1024;

const ENTRY = fileURLToPath(new URL("../client/widget.ts", import.meta.url));

export interface BuiltWidget {
  code: string;
  bytes: number;
  gzipBytes: number;
}

/** Bundles and minifies the widget (one self-contained IIFE, no imports at run time) and checks its size. */
export async function buildWidget(): Promise<BuiltWidget> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    minify: true,
    format: "iife",
    target: ["es2020"],
    write: false,
    legalComments: "none",
    logLevel: "silent",
  });
  const code = result.outputFiles[0]!.text;
  const gzipBytes = gzipSync(code).length;
  if (gzipBytes > WIDGET_GZIP_LIMIT_BYTES) {
    throw new Error(`widget.js is ${gzipBytes} bytes gzipped, over the limit of ${WIDGET_GZIP_LIMIT_BYTES} bytes`);
  }
  return { code, bytes: Buffer.byteLength(code), gzipBytes };
}
