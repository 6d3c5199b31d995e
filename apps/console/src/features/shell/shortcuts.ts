/** Single-key shortcuts of the inbox; they never fire while the user types in a field or holds a modifier. */
export const SHORTCUTS = [
  { key: "j", action: "next" },
  { key: "k", action: "previous" },
  { key: "r", action: "reply" },
  { key: "e", action: "resolve" },
  { key: "/", action: "search" },
  { key: "?", action: "help" },
] as const;
export type ShortcutAction = (typeof SHORTCUTS)[number]["action"];

interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  defaultPrevented: boolean;
  target: EventTarget | null;
}

/** True for targets that take text: inputs (except buttons/checkboxes), textareas, selects, contenteditable. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof target !== "object" || !("tagName" in target)) return false;
  const el = target as HTMLElement;
  const tag = el.tagName.toLowerCase();
  if (tag === "textarea" || tag === "select" || el.isContentEditable) return true;
  if (tag !== "input") return false;
  const type = ((el as HTMLInputElement).type || "text").toLowerCase();
  return !["button", "checkbox", "radio", "submit", "reset", "range", "color", "file"].includes(type);
}

export function shortcutFor(e: KeyLike): ShortcutAction | null {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target)) return null;
  return SHORTCUTS.find((s) => s.key === e.key)?.action ?? null;
}
