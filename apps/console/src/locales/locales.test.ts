import { describe, expect, it } from "vitest";
import de from "./de.json";
import en from "./en.json";

type Tree = { [key: string]: string | Tree };

/** Every leaf as "a.b.c" → text. */
function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe("console locale files", () => {
  const flatDe = flatten(de);
  const flatEn = flatten(en);

  it("German and English have the same keys", () => {
    expect([...flatDe.keys()].sort()).toEqual([...flatEn.keys()].sort());
  });

  it("no text is empty and each keeps the other language's {{placeholders}}", () => {
    for (const [key, text] of flatEn) {
      expect(text.trim(), key).not.toBe("");
      expect(flatDe.get(key)?.trim(), key).not.toBe("");
      expect(placeholders(flatDe.get(key) ?? ""), key).toEqual(placeholders(text));
    }
  });
});
