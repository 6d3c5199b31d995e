import { memo, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  AlertCircle,
  Check,
  CheckCheck,
  Clock3,
  Contact,
  FileText,
  LayoutTemplate,
  MapPin,
  MousePointerClick,
} from "lucide-react";
import type { MessageDto } from "@inbox/contracts";
import { formatDateTime } from "../../../lib/format";
import { ImageViewer } from "./image-viewer";

type P = Record<string, unknown>;
const obj = (v: unknown): P => (v && typeof v === "object" ? (v as P) : {});
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** Reactions shown on the message they react to: emoji with who reacted. */
export interface Reaction {
  emoji: string;
  by: string;
}

function Ticks({ m }: { m: MessageDto }) {
  const { t } = useTranslation();
  if (m.direction !== "outbound" || m.isPrivate) return null;
  const label = t(`conv.status.${m.status}`);
  if (m.status === "failed")
    return (
      <span className="ticks failed" aria-label={label} title={label} data-status={m.status} role="img">
        <AlertCircle aria-hidden size={14} />
      </span>
    );
  const Icon = m.status === "queued" || m.status === "sending" ? Clock3 : m.status === "sent" ? Check : CheckCheck;
  return (
    <span
      className={`ticks ${m.status === "read" || m.status === "played" ? "read" : ""}`}
      aria-label={label}
      title={label}
      data-status={m.status}
      role="img"
    >
      <Icon aria-hidden size={14} />
    </span>
  );
}

function Thumbnail({ src, alt }: { src: string; alt: string }) {
  const { t } = useTranslation();
  const [isOpen, setIsOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="thumb"
        onClick={() => setIsOpen(true)}
        aria-label={`${t("conv.openImage")}: ${alt}`}
      >
        <img src={src} alt={alt} loading="lazy" />
      </button>
      {isOpen && <ImageViewer src={src} alt={alt} onClose={() => setIsOpen(false)} />}
    </>
  );
}

function Body({ m }: { m: MessageDto }) {
  const { t } = useTranslation();
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
          {mediaUrl ? (
            m.type === "image" ? (
              <Thumbnail src={mediaUrl} alt={str(inner.caption) ?? m.text ?? t("conv.image")} />
            ) : (
              <img src={mediaUrl} alt={t("conv.sticker")} loading="lazy" className="sticker" />
            )
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
        <p>
          <FileText aria-hidden size={16} className="inline-icon" />{" "}
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
        <p>
          <MapPin aria-hidden size={16} className="inline-icon" /> {str(inner.name) ?? t("conv.location")}{" "}
          {str(inner.address) ?? ""}{" "}
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
              <li key={i}>
                <Contact aria-hidden size={16} className="inline-icon" /> {str(obj(c.name).formatted_name) ?? "?"}{" "}
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
        <p>
          <MousePointerClick aria-hidden size={16} className="inline-icon" />{" "}
          {m.text ?? str(reply.title) ?? str(obj(p.button).text) ?? t("conv.interactive")}
        </p>
      );
    }
    case "reaction":
      return (
        <p aria-label={t("conv.reaction")}>
          {str(obj(p.reaction).emoji) ?? m.text ?? ""} <span className="muted small">{t("conv.reaction")}</span>
        </p>
      );
    case "template":
      return (
        <div className="template-message">
          {mediaUrl && media?.mimeType.startsWith("image/") && <Thumbnail src={mediaUrl} alt={t("conv.image")} />}
          <span className="small muted">
            <LayoutTemplate aria-hidden size={14} className="inline-icon" /> {t("conv.template")}: {m.templateName}
          </span>
          {m.text && <p className="text">{m.text}</p>}
        </div>
      );
    default:
      return <p className="muted">{m.text ?? t("conv.unsupported", { type: m.type })}</p>;
  }
}

/**
 * One message: every WhatsApp type, its author, reply context, reactions on it, ticks (sent, delivered, read in
 * blue) and the failure reason in the user's language.
 */
export const MessageItem = memo(function MessageItem({
  m,
  quoted,
  author,
  reactions,
}: {
  m: MessageDto;
  quoted?: MessageDto | undefined;
  author: string;
  reactions?: Reaction[] | undefined;
}) {
  const { t, i18n } = useTranslation();
  const cls = ["msg", m.direction, m.isPrivate ? "note" : "", m.status === "failed" ? "is-failed" : ""].join(" ");
  const reason = m.errorDetails
    ? (m.errorDetails
        .split("\n")
        .find((l) => l.startsWith(`${i18n.language}:`))
        ?.slice(3)
        .trim() ??
      m.errorDetails.split("\n")[i18n.language === "de" ? 0 : 1] ??
      m.errorDetails)
    : null;
  return (
    <li className={cls} data-message-id={m.id} data-testid="message">
      <span className="author small" data-testid="author">
        {author}
        {m.isPrivate && <span className="note-tag"> · {t("conv.note")}</span>}
      </span>
      {m.replyToExternalId && (
        <blockquote className="quote">
          {t("conv.replyTo")}: {quoted ? (quoted.text ?? `[${quoted.type}]`) : "…"}
        </blockquote>
      )}
      <Body m={m} />
      <span className="meta">
        <time dateTime={m.createdAt}>{formatDateTime(m.createdAt, { timeStyle: "short" })}</time> <Ticks m={m} />
      </span>
      {reactions && reactions.length > 0 && (
        <ul className="reactions" aria-label={t("conv.reaction")}>
          {reactions.map((r, i) => (
            <li key={i} title={t("conv.reactedWith", { name: r.by, emoji: r.emoji })}>
              <span aria-hidden>{r.emoji}</span>
              <span className="sr-only">{t("conv.reactedWith", { name: r.by, emoji: r.emoji })}</span>
            </li>
          ))}
        </ul>
      )}
      {m.status === "failed" && (
        <p className="error small" role="note">
          {t("conv.failed")}: {m.errorTitle ?? ""} {m.errorCode ? `(${m.errorCode})` : ""} {reason}
        </p>
      )}
    </li>
  );
});
