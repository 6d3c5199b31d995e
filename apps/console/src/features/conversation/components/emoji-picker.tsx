import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Smile } from "lucide-react";

/** Common emoji for support chats: a built-in grid, no library (a few hundred bytes instead of a large bundle). */
const EMOJI = [
  "😀",
  "😃",
  "😊",
  "🙂",
  "😉",
  "😍",
  "🥰",
  "😘",
  "😅",
  "😂",
  "🤣",
  "😇",
  "🤔",
  "🙄",
  "😐",
  "😕",
  "😢",
  "😭",
  "😡",
  "😱",
  "😴",
  "🤗",
  "🤝",
  "🙏",
  "👍",
  "👎",
  "👌",
  "👏",
  "🙌",
  "💪",
  "👋",
  "✌️",
  "❤️",
  "💙",
  "💚",
  "💛",
  "🔥",
  "✨",
  "🎉",
  "🎁",
  "✅",
  "❌",
  "⚠️",
  "❗",
  "❓",
  "💡",
  "📌",
  "📎",
  "📞",
  "📧",
  "📦",
  "🚚",
  "🕐",
  "📅",
  "💶",
  "🧾",
  "🔒",
  "🛠️",
  "☀️",
  "🌧️",
  "🍀",
  "☕",
];

export function EmojiPicker({ onPick }: { onPick: (emoji: string) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", close);
    return () => document.removeEventListener("mousedown", close);
  }, [open]);
  return (
    <div className="emoji" ref={ref}>
      <button
        type="button"
        aria-label={t("composer.emoji")}
        title={t("composer.emoji")}
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        <Smile aria-hidden="true" />
      </button>
      {open && (
        <div
          className="emoji-grid"
          role="dialog"
          aria-label={t("composer.emoji")}
          onKeyDown={(e) => e.key === "Escape" && setOpen(false)}
        >
          {EMOJI.map((e) => (
            <button
              key={e}
              type="button"
              onClick={() => {
                onPick(e);
                setOpen(false);
              }}
              aria-label={e}
            >
              {e}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
