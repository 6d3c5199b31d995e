import { useEffect, useState } from "react";
import { useNavigate } from "react-router";
import { COMPOSER_FOCUS_EVENT } from "../conversation/components/composer";
import { ACTION_EVENT } from "../conversation/components/conversation-actions";
import { BACK_EVENT } from "../conversation/components/conversation-view";

/** The keys (shown in the help dialog, "?"). */
export const SHORTCUTS = [
  { keys: ["/"], label: "shortcuts.search" },
  { keys: ["j", "k"], label: "shortcuts.next" },
  { keys: ["r"], label: "shortcuts.reply" },
  { keys: ["n"], label: "shortcuts.note" },
  { keys: ["e"], label: "shortcuts.resolve" },
  { keys: ["a"], label: "shortcuts.assign" },
  { keys: ["Esc"], label: "shortcuts.back" },
  { keys: ["?"], label: "shortcuts.help" },
] as const;

const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));

/** Keyboard shortcuts for the common actions; letters only when no text field has the focus. */
export function useShortcuts(): { isHelpOpen: boolean; closeHelp: () => void } {
  const navigate = useNavigate();
  const [isHelpOpen, setIsHelpOpen] = useState(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      if (e.key === "Escape") {
        if (document.querySelector("dialog[open]")) return;
        const back = new CustomEvent(BACK_EVENT, { cancelable: true });
        window.dispatchEvent(back);
        if (!back.defaultPrevented && window.location.pathname.startsWith("/c/")) void navigate("/");
        return;
      }
      if (isTyping(e.target)) return;
      const fire = (name: string, detail: string) => window.dispatchEvent(new CustomEvent(name, { detail }));
      switch (e.key) {
        case "/":
          e.preventDefault();
          document.querySelector<HTMLInputElement>("[data-search-input]")?.focus();
          break;
        case "j":
        case "k": {
          const links = [...document.querySelectorAll<HTMLAnchorElement>("[data-conversation-id]")];
          const at = links.findIndex((l) => l.getAttribute("aria-current") === "page");
          const next = links[Math.max(0, Math.min(links.length - 1, at + (e.key === "j" ? 1 : -1)))];
          if (next) {
            next.focus();
            next.click();
          }
          break;
        }
        case "r":
          e.preventDefault();
          fire(COMPOSER_FOCUS_EVENT, "reply");
          break;
        case "n":
          e.preventDefault();
          fire(COMPOSER_FOCUS_EVENT, "note");
          break;
        case "e":
          fire(ACTION_EVENT, "resolve");
          break;
        case "a":
          fire(ACTION_EVENT, "assign");
          break;
        case "?":
          setIsHelpOpen(true);
          break;
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [navigate]);
  return { isHelpOpen, closeHelp: () => setIsHelpOpen(false) };
}
