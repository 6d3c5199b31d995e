import { useEffect, useRef } from "react";
import { shortcutFor, type ShortcutAction } from "../shortcuts";

/** Calls `handle` for the inbox's single-key shortcuts (see ../shortcuts.ts), never while typing or in a dialog. */
export function useShortcuts(handle: (action: ShortcutAction) => void): void {
  const ref = useRef(handle);
  useEffect(() => {
    ref.current = handle;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (document.querySelector("dialog[open]")) return;
      const action = shortcutFor(e);
      if (!action) return;
      e.preventDefault();
      ref.current(action);
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);
}

/** The shortcuts' effects on the page as it is: they act on what is shown (rows, the composer, the resolve button). */
export function runShortcut(action: ShortcutAction, openHelp: () => void): void {
  if (action === "help") return openHelp();
  if (action === "search") return document.querySelector<HTMLInputElement>('[data-shortcut="search"]')?.focus();
  if (action === "reply") return document.querySelector<HTMLTextAreaElement>("form.composer textarea")?.focus();
  if (action === "resolve") return document.querySelector<HTMLButtonElement>('[data-shortcut="resolve"]')?.click();
  const rows = [...document.querySelectorAll<HTMLAnchorElement>("a[data-conversation-id]")].sort(
    (a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top,
  );
  const current = rows.findIndex((r) => r.getAttribute("aria-current") === "page");
  const next = action === "next" ? (current < 0 ? 0 : current + 1) : current < 0 ? 0 : current - 1;
  const target = rows[Math.max(0, Math.min(rows.length - 1, next))];
  if (target) {
    target.click();
    target.scrollIntoView({ block: "nearest" });
  }
}
