import { memo } from "react";
import { useTranslation } from "react-i18next";
import type { MessageDto } from "@inbox/contracts";
import {
  Check,
  CheckCheck,
  CircleAlert,
  Clock,
  FileText,
  LayoutTemplate,
  MapPin,
  MousePointerClick,
  UserRound,
} from "lucide-react";
import { formatDateTime } from "../../../lib/format";
import { SHELL_NS } from "../../shell/locales";
import type { Reaction } from "../thread";
import { ImageThumbnail } from "./image-viewer";

type P = Record<string, unknown>;
const obj = (v: unknown): P => (v && typeof v === "object" ? (v as P) : {});
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

function Ticks({ m }: { m: MessageDto }) {
  const { t } = useTranslation();
  if (m.direction !== "outbound" || m.isPrivate) return null;
  const label = t(`conv.status.${m.status}`);
  if (m.status === "failed")
    return (
      <span className="ticks failed" role="img" aria-label={label} title={label}>
        <CircleAlert aria-hidden="true" />
      </span>
    );
  const Icon = m.status === "queued" || m.status === "sending" ? Clock : m.status === "sent" ? Check : CheckCheck;
  return (
    <span
      className={`ticks ${m.status === "read" || m.status === "played" ? "read" : ""}`}
      role="img"
      aria-label={label}
      title={label}
      data-status={m.status}
    >
      <Icon aria-hidden="true" />
    </span>
  );
}

/** The line of a "German\nEnglish" server text in the console's language. */
function inLanguage(text: string | null, language: string): string | null {
  if (!text) return null;
  const [de, en] = text.split("\n");
  return (language.startsWith("de") ? de : (en ?? de)) ?? null;
}

function Body({ m }: { m: MessageDto }) {
  const { t, i18n } = useTranslation();
  const p = m.payload;
  const inner = obj(p[m.type]);
  const media = m.media[0];
  const mediaUrl = media ? `/api/media/${media.id}` : undefined;
  switch (m.type) {
    case "text":
    case "note":
      return <p className="text">{m.text}</p>;
    case "image":
    case "sticker":
      return (
        <figure>
          {mediaUrl && m.type === "image" ? (
            <ImageThumbnail src={mediaUrl} alt={str(inner.caption) ?? m.text ?? t("conv.image")} />
          ) : mediaUrl ? (
            <img src={mediaUrl} alt={t(`conv.${m.type}`)} loading="lazy" className="sticker" />
          ) : (
            <span>[{t(`conv.${m.type}`)}]</span>
          )}
          {m.text && <figcaption>{m.text}</figcaption>}
        </figure>
      );
    case "audio":
    case "voice":
      return mediaUrl ? (
        <audio controls src={mediaUrl} aria-label={t("conv.audio")} />
      ) : (
        <span>[{t("conv.audio")}]</span>
      );
    case "video":
      return mediaUrl ? (
        <video controls src={mediaUrl} aria-label={t("conv.video")} />
      ) : (
        <span>[{t("conv.video")}]</span>
      );
    case "document":
      return (
        <p className="with-icon">
          <FileText aria-hidden="true" />{" "}
          {mediaUrl ? (
            <a href={mediaUrl}>{media?.filename ?? str(inner.filename) ?? t("conv.document")}</a>
          ) : (
            (str(inner.filename) ?? t("conv.document"))
          )}
          {m.text && <span className="caption"> — {m.text}</span>}
        </p>
      );
    case "location": {
      const lat = Number(inner.latitude);
      const lng = Number(inner.longitude);
      return (
        <p className="with-icon">
          <MapPin aria-hidden="true" /> {str(inner.name) ?? t("conv.location")} {str(inner.address) ?? ""}{" "}
          {Number.isFinite(lat) && (
            <a
              href={`https://www.openstreetmap.org/?mlat=${lat}&mlon=${lng}#map=16/${lat}/${lng}`}
              target="_blank"
              rel="noreferrer noopener"
            >
              {lat.toFixed(5)}, {lng.toFixed(5)}
            </a>
          )}
        </p>
      );
    }
    case "contacts": {
      const list = Array.isArray(p.contacts) ? (p.contacts as P[]) : [];
      return (
        <ul className="contacts" aria-label={t("conv.contacts")}>
          {list.map((c, i) => {
            const phones = Array.isArray(c.phones) ? (c.phones as P[]) : [];
            return (
              <li key={i} className="with-icon">
                <UserRound aria-hidden="true" /> {str(obj(c.name).formatted_name) ?? "?"}{" "}
                {phones
                  .map((ph) => str(ph.phone))
                  .filter(Boolean)
                  .join(", ")}
              </li>
            );
          })}
        </ul>
      );
    }
    case "interactive":
    case "button": {
      const reply = obj(inner.button_reply ?? inner.list_reply ?? inner.nfm_reply);
      return (
        <p className="with-icon">
          <MousePointerClick aria-hidden="true" />{" "}
          {m.text ?? str(reply.title) ?? str(obj(p.button).text) ?? t("conv.interactive")}
        </p>
      );
    }
    case "reaction":
      return (
        <p aria-label={t("conv.reaction")}>
          {str(obj(p.reaction).emoji) ?? m.text ?? "👍"} <span className="muted small">{t("conv.reaction")}</span>
        </p>
      );
    case "template":
      return (
        <p className="text with-icon">
          <LayoutTemplate aria-hidden="true" /> {m.templateName}
          {m.text ? `: ${m.text}` : ""}
        </p>
      );
    case "system":
    case "unsupported":
      // The server explains these in German (first line) and English (second line).
      return (
        <p className={`muted ${m.type === "system" ? "system-line" : ""}`}>
          {inLanguage(m.text, i18n.language) ?? t("conv.unsupported", { type: m.type })}
        </p>
      );
    default:
      return <p className="muted">{m.text ?? t("conv.unsupported", { type: m.type })}</p>;
  }
}

/** One message: every WhatsApp type, reply context, ticks (✓ sent, ✓✓ delivered, blue ✓✓ read), failure reason. */
export const MessageItem = memo(function MessageItem({
  m,
  quoted,
  author,
  reactions,
}: {
  m: MessageDto;
  quoted?: MessageDto | undefined;
  /** Who wrote an outbound message or note: a colleague's name, or "automatic". */
  author?: string | undefined;
  reactions?: Reaction[] | undefined;
}) {
  const { t, i18n } = useTranslation();
  const { t: ts } = useTranslation(SHELL_NS);
  if (m.type === "system" && m.isPrivate) {
    // A line the product wrote into the timeline (who got the conversation, and why); never sent to the customer.
    return (
      <li className="msg event" data-message-id={m.id} data-testid="message" data-event="assignment">
        <p className="muted system-line">
          {inLanguage(m.text, i18n.language)}{" "}
          <time dateTime={m.createdAt}>{formatDateTime(m.createdAt, { timeStyle: "short" })}</time>
        </p>
      </li>
    );
  }
  const cls = ["msg", m.direction, m.isPrivate ? "note" : "", m.status === "failed" ? "is-failed" : ""].join(" ");
  const reason = m.errorDetails
    ? (m.errorDetails
        .split("\n")
        .find((l) => l.startsWith(`${i18n.language}:`))
        ?.slice(3)
        .trim() ?? m.errorDetails)
    : null;
  return (
    <li className={cls} data-message-id={m.id} data-testid="message">
      {(m.isPrivate || author) && (
        <span className="msg-head">
          {m.isPrivate && <span className="note-tag">{t("conv.note")}</span>}
          {author && (
            <span className="author" data-testid="message-author">
              {author}
            </span>
          )}
        </span>
      )}
      {m.replyToExternalId && (
        <blockquote className="quote">
          {t("conv.replyTo")}: {quoted ? (quoted.text ?? `[${quoted.type}]`) : "…"}
        </blockquote>
      )}
      <Body m={m} />
      {reactions && reactions.length > 0 && (
        <ul className="reactions" aria-label={ts("reactions")} data-testid="reactions">
          {reactions.map((r) => (
            <li
              key={r.by}
              title={r.by === "customer" ? ts("reactionBy", { emoji: r.emoji, who: ts("customer") }) : r.emoji}
            >
              {r.emoji}
            </li>
          ))}
        </ul>
      )}
      <span className="meta">
        <time dateTime={m.createdAt}>{formatDateTime(m.createdAt, { timeStyle: "short" })}</time> <Ticks m={m} />
      </span>
      {m.status === "failed" && (
        <p className="error small" role="note">
          {t("conv.failed")}: {m.errorTitle ?? ""} {m.errorCode ? `(${m.errorCode})` : ""} {reason}
        </p>
      )}
    </li>
  );
});
