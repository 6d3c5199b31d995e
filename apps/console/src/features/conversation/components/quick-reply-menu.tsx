import { useTranslation } from "react-i18next";
import type { QuickReplyDto } from "@inbox/contracts";

/** Quick replies whose shortcut starts with what follows "/" in the draft (at most six). */
export function matchQuickReplies(text: string, all: QuickReplyDto[] | undefined): QuickReplyDto[] | null {
  if (!text.startsWith("/")) return null;
  const slash = text.slice(1).toLowerCase();
  return (all ?? []).filter((r) => r.shortcut.toLowerCase().startsWith(slash)).slice(0, 6);
}

/** The "/" menu under the draft; says what to do when there are none (yet) or nothing matches. */
export function QuickReplyMenu(props: {
  text: string;
  suggestions: QuickReplyDto[] | null;
  hasAny: boolean;
  onPick: (text: string) => void;
}) {
  const { t } = useTranslation();
  if (props.suggestions === null) return null;
  if (!props.hasAny) return <p className="small muted">{t("composer.noQuickReplies")}</p>;
  if (props.suggestions.length === 0)
    return <p className="small muted">{t("composer.noQuickReplyMatch", { text: props.text.slice(1) })}</p>;
  return (
    <ul className="suggestions" aria-label={t("composer.quickReplies")}>
      {props.suggestions.map((r) => (
        <li key={r.id}>
          <button type="button" onClick={() => props.onPick(r.text)}>
            /{r.shortcut} — {r.title}
          </button>
        </li>
      ))}
    </ul>
  );
}
