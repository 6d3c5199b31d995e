import { describe, expect, it } from "vitest";
import { isTypingTarget, shortcutFor } from "./shortcuts";

const el = (tagName: string, extra: Record<string, unknown> = {}) => ({ tagName, isContentEditable: false, ...extra });
const key = (k: string, target: unknown = el("BODY"), mods: Partial<Record<string, boolean>> = {}) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  defaultPrevented: false,
  target: target as EventTarget,
  ...mods,
});

describe("shortcuts", () => {
  it("maps the documented keys", () => {
    expect(shortcutFor(key("j"))).toBe("next");
    expect(shortcutFor(key("k"))).toBe("previous");
    expect(shortcutFor(key("r"))).toBe("reply");
    expect(shortcutFor(key("e"))).toBe("resolve");
    expect(shortcutFor(key("/"))).toBe("search");
    expect(shortcutFor(key("?"))).toBe("help");
    expect(shortcutFor(key("x"))).toBeNull();
  });
  it("does nothing while typing or with a modifier", () => {
    expect(shortcutFor(key("j", el("TEXTAREA")))).toBeNull();
    expect(shortcutFor(key("j", el("INPUT", { type: "search" })))).toBeNull();
    expect(shortcutFor(key("j", el("SELECT")))).toBeNull();
    expect(shortcutFor(key("j", el("DIV", { isContentEditable: true })))).toBeNull();
    expect(shortcutFor(key("r", el("BODY"), { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(key("e", el("BODY"), { defaultPrevented: true }))).toBeNull();
  });
  it("still works on buttons and checkboxes", () => {
    expect(isTypingTarget(el("INPUT", { type: "checkbox" }) as unknown as EventTarget)).toBe(false);
    expect(shortcutFor(key("j", el("BUTTON")))).toBe("next");
  });
});
