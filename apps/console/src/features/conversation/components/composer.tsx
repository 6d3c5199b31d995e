import { useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Paperclip, X } from "lucide-react";
import {
  CAPTION_MAX_LENGTH,
  TEXT_MESSAGE_MAX_LENGTH,
  type AttachmentDto,
  type ConversationDto,
  type SendMessageBody,
} from "@inbox/contracts";
import { ApiError } from "../../../lib/http";
import { formatDuration } from "../../../lib/format";
import { useQuickReplies } from "../../inbox/hooks/use-directory";
import { fetchConversationTemplates, requestConsent, sendMessage } from "../api";
import { sendTyping, showMessages } from "../../live/hooks/use-live";
import { COMPOSER_NS, errorKey, isRetryableCode } from "../locale";
import { formatBytes, precheckAttachment, uploadAttachment } from "../upload-attachment";
import { EmojiPicker } from "./emoji-picker";
import { TemplatePicker } from "./template-picker";
import "../composer.css";

interface Attachment {
  file: File;
  progress: number;
  asset: AttachmentDto | null;
  abort: AbortController;
}

/** A composer error: its text, and whether "send again" can help. */
interface ComposerError {
  text: string;
  canRetry: boolean;
}

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/**
 * Text, note or template. The idempotency key (clientId) is made once per draft and kept across retries, so a
 * double click or a resend after a network error never sends twice; it is renewed only after a success.
 */
export function Composer({ conversation, isOptedOut }: { conversation: ConversationDto; isOptedOut: boolean }) {
  const { t, i18n } = useTranslation();
  const { t: tx } = useTranslation(COMPOSER_NS);
  const client = useQueryClient();
  const [text, setText] = useState("");
  const [isNote, setIsNote] = useState(false);
  const clientId = useRef(crypto.randomUUID());
  const [error, setError] = useState<ComposerError | null>(null);
  const [sentCount, setSentCount] = useState(0);
  const [consentAsked, setConsentAsked] = useState(false);
  const [attachment, setAttachment] = useState<Attachment | null>(null);
  const [isDragging, setIsDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const textArea = useRef<HTMLTextAreaElement>(null);
  const now = useNow(30_000);
  const windowLeft = conversation.windowExpiresAt ? new Date(conversation.windowExpiresAt).getTime() - now : 0;
  // Web chat has no service window (see docs/design/channels.md): agents answer at any time.
  const hasWindow = conversation.channel.type !== "webchat";
  const windowOpen = !hasWindow || windowLeft > 0;
  const quickReplies = useQuickReplies();
  // Which templates this contact may receive now, and why not the others (the send rules, server-side).
  const templates = useQuery({
    queryKey: ["conversation-templates", conversation.id, conversation.windowExpiresAt],
    queryFn: () => fetchConversationTemplates(conversation.id),
    enabled: hasWindow && !windowOpen,
    staleTime: 30_000,
  });

  const send = useMutation({
    mutationFn: (body: SendMessageBody) => sendMessage(conversation.id, body),
    onSuccess: (message) => {
      clientId.current = crypto.randomUUID();
      setText("");
      setAttachment(null);
      setError(null);
      // A note is one note: the next message goes to the customer again unless the agent ticks "Note" anew.
      setIsNote(false);
      setSentCount((n) => n + 1);
      // The answer is the stored message: shown at once (its live event, before or after, changes nothing).
      showMessages(client, [message]);
    },
    onError: (e) => setError(describeError(e)),
  });
  const consentClientId = useRef(crypto.randomUUID());
  const askConsent = useMutation({
    mutationFn: () => requestConsent(conversation.id, { clientId: consentClientId.current }),
    onSuccess: (message) => {
      consentClientId.current = crypto.randomUUID();
      setConsentAsked(true);
      setError(null);
      showMessages(client, [message]);
    },
    onError: (e) => setError({ ...describeError(e), canRetry: false }),
  });

  /** Every API error code in words (German or English); "send again" only where a retry can succeed. */
  function describeError(e: unknown): ComposerError {
    if (!(e instanceof ApiError)) return { text: tx("errors.network"), canRetry: true };
    const maxBytes = (e as ApiError & { maxBytes?: number }).maxBytes;
    if (e.code === "payload_too_large") {
      return {
        text: maxBytes
          ? t("composer.tooLarge", { max: formatBytes(maxBytes, i18n.language) })
          : t("composer.tooLargeAny"),
        canRetry: false,
      };
    }
    if (e.code === "unsupported_media_type") return { text: t("composer.unsupported"), canRetry: false };
    if (e.code === "network") return { text: t("composer.uploadFailed"), canRetry: true };
    return { text: tx(errorKey(e.code)), canRetry: isRetryableCode(e.code) };
  }

  const attach = (file: File | undefined) => {
    if (!file || isNote) return;
    attachment?.abort.abort();
    setError(null);
    const tooLarge = precheckAttachment(file);
    if (tooLarge) {
      setAttachment(null);
      setError({
        text: t("composer.tooLarge", { max: formatBytes(tooLarge.maxBytes, i18n.language) }),
        canRetry: false,
      });
      return;
    }
    const current: Attachment = { file, progress: 0, asset: null, abort: new AbortController() };
    setAttachment(current);
    // A new attachment is a new draft: a new idempotency key.
    clientId.current = crypto.randomUUID();
    uploadAttachment(
      conversation.id,
      file,
      (progress) => setAttachment((a) => (a === null || a.file !== file ? a : { ...a, progress })),
      current.abort.signal,
    )
      .then((asset) => setAttachment((a) => (a === null || a.file !== file ? a : { ...a, progress: 1, asset })))
      .catch((e: unknown) => {
        if (e instanceof ApiError && e.code === "aborted") return;
        setAttachment((a) => (a === null || a.file !== file ? a : null));
        setError(describeError(e));
      });
  };
  const removeAttachment = () => {
    attachment?.abort.abort();
    setAttachment(null);
    setError(null);
    if (fileInput.current) fileInput.current.value = "";
  };
  const insertEmoji = (emoji: string) => {
    const el = textArea.current;
    const start = el?.selectionStart ?? text.length;
    const end = el?.selectionEnd ?? text.length;
    setText(text.slice(0, start) + emoji + text.slice(end));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + emoji.length, start + emoji.length);
    });
  };

  const slash = text.startsWith("/") ? text.slice(1).toLowerCase() : null;
  const suggestions = useMemo(
    () =>
      slash === null
        ? []
        : (quickReplies.data?.items ?? []).filter((r) => r.shortcut.toLowerCase().startsWith(slash)).slice(0, 6),
    [slash, quickReplies.data],
  );

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (send.isPending) return;
    // Templates are sent by the picker's own button.
    if (!isNote && !windowOpen) return;
    const value = text.trim();
    if (attachment && !isNote) {
      const asset = attachment.asset;
      if (!asset) return;
      if (value && (asset.type === "audio" || asset.type === "sticker")) {
        setError({ text: t("composer.noCaption"), canRetry: false });
        return;
      }
      send.mutate({
        type: asset.type,
        mediaId: asset.id,
        clientId: clientId.current,
        ...(value ? { caption: value } : {}),
        ...(asset.filename ? { filename: asset.filename } : {}),
      });
      return;
    }
    if (!value) return;
    send.mutate(
      isNote
        ? { type: "note", text: value, clientId: clientId.current }
        : { type: "text", text: value, clientId: clientId.current },
    );
  };
  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && !e.shiftKey) {
      e.preventDefault();
      const first = suggestions[0];
      if (first) setText(first.text);
      else submit();
    }
  };

  if (isOptedOut && !isNote) {
    return (
      <div className="composer disabled" role="status">
        <p>{t("composer.optedOut")}</p>
        <button type="button" onClick={() => setIsNote(true)}>
          {t("composer.note")}
        </button>
      </div>
    );
  }

  const limit = attachment ? CAPTION_MAX_LENGTH : TEXT_MESSAGE_MAX_LENGTH;
  const length = text.trim().length;
  return (
    <form
      className={["composer", isNote ? "note" : "", isDragging ? "dragging" : ""].join(" ")}
      onSubmit={submit}
      aria-label={t("app.composer")}
      onDragOver={(e) => {
        if (isNote || !windowOpen || !e.dataTransfer.types.includes("Files")) return;
        e.preventDefault();
        setIsDragging(true);
      }}
      onDragLeave={() => setIsDragging(false)}
      onDrop={(e) => {
        if (isNote || !windowOpen) return;
        e.preventDefault();
        setIsDragging(false);
        attach(e.dataTransfer.files[0]);
      }}
    >
      <div className="composer-bar">
        <label className="small">
          <input type="checkbox" checked={isNote} onChange={(e) => setIsNote(e.target.checked)} /> {t("composer.note")}
        </label>
        {hasWindow && windowOpen && !isNote && (
          <button
            type="button"
            className="ask-consent"
            title={tx("consent.hint")}
            disabled={askConsent.isPending}
            onClick={() => askConsent.mutate()}
          >
            {askConsent.isPending ? tx("consent.asking") : tx("consent.ask")}
          </button>
        )}
        {hasWindow && (
          <span className="small muted" data-testid="window">
            {windowOpen ? t("composer.windowLeft", { time: formatDuration(windowLeft) }) : t("composer.windowClosed")}
          </span>
        )}
      </div>
      {!isNote && !windowOpen ? (
        <TemplatePicker
          // A new form after each successful send.
          key={sentCount}
          conversationId={conversation.id}
          templates={templates.data?.items}
          isSending={send.isPending}
          onSend={(template) => send.mutate({ type: "template", clientId: clientId.current, template })}
        />
      ) : (
        <div className="composer-row">
          {!isNote && (
            <>
              <input
                ref={fileInput}
                type="file"
                hidden
                data-testid="attach-input"
                accept="image/jpeg,image/png,image/webp,video/mp4,video/3gpp,audio/*,application/pdf,text/plain,.doc,.docx,.xls,.xlsx,.ppt,.pptx"
                onChange={(e) => attach(e.target.files?.[0])}
              />
              <button
                type="button"
                className="icon"
                aria-label={t("composer.attach")}
                title={t("composer.attach")}
                onClick={() => fileInput.current?.click()}
              >
                <Paperclip aria-hidden="true" />
              </button>
            </>
          )}
          <EmojiPicker onPick={insertEmoji} />
          <textarea
            ref={textArea}
            aria-label={t("composer.placeholder")}
            placeholder={t("composer.placeholder")}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              sendTyping(conversation.id);
            }}
            onKeyDown={onKey}
            rows={2}
          />
          <button type="submit" disabled={send.isPending || (attachment && !isNote ? !attachment.asset : !text.trim())}>
            {send.isPending ? t("composer.sending") : t("composer.send")}
          </button>
        </div>
      )}
      {!isNote && windowOpen && (
        <p className={length > limit ? "counter small error" : "counter small muted"} data-testid="char-counter">
          {tx("counter", { count: length, max: limit })}
          {length > limit && <> — {tx("tooLongHint", { over: length - limit, max: limit })}</>}
        </p>
      )}
      {attachment && !isNote && (
        <div className="attachment" data-testid="attachment">
          <span className="name">
            <Paperclip aria-hidden="true" /> {attachment.file.name}
          </span>
          <span className="small muted">{formatBytes(attachment.file.size, i18n.language)}</span>
          {attachment.asset ? (
            <span className="small muted">{t("composer.attached")}</span>
          ) : (
            <progress max={1} value={attachment.progress} aria-label={t("composer.uploading")} />
          )}
          <button type="button" onClick={removeAttachment} aria-label={t("composer.removeAttachment")}>
            <X aria-hidden="true" />
          </button>
        </div>
      )}
      {consentAsked && (
        <p className="small muted" role="status">
          {tx("consent.asked")}
        </p>
      )}
      {isDragging && <p className="small muted">{t("composer.dropHere")}</p>}
      {slash !== null && quickReplies.isSuccess && quickReplies.data.items.length === 0 && (
        <p className="small muted" role="status" data-testid="no-quick-replies">
          {tx("noQuickReplies")}
        </p>
      )}
      {suggestions.length > 0 && (
        <ul className="suggestions" aria-label={t("composer.quickReplies")}>
          {suggestions.map((r) => (
            <li key={r.id}>
              <button type="button" onClick={() => setText(r.text)}>
                /{r.shortcut} — {r.title}
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p role="alert" className="error">
          {error.text}{" "}
          {error.canRetry && (
            <button type="button" onClick={() => submit()}>
              {t("composer.retry")}
            </button>
          )}
        </p>
      )}
    </form>
  );
}
