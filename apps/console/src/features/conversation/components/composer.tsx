import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Paperclip, Send, StickyNote, X } from "lucide-react";
import type { ConversationDto, SendMessageBody } from "@inbox/contracts";
import type { TemplateProblem } from "@inbox/contracts/template-structure";
import { describeApiError, type DescribedError } from "../../../lib/api-errors";
import { ApiError } from "../../../lib/http";
import { useQuickReplies } from "../../inbox/hooks/use-directory";
import { sendTyping } from "../../live/hooks/use-live";
import { requestConsent, sendMessage } from "../api";
import { useAttachmentUpload } from "../hooks/use-attachment-upload";
import { formatBytes } from "../upload-attachment";
import { EmojiPicker } from "./emoji-picker";
import { matchQuickReplies, QuickReplyMenu } from "./quick-reply-menu";
import { TemplatePicker } from "./template-picker";
import { useNow, WindowNotice } from "./window-notice";

/** WhatsApp's limit for a text message body. */
export const MAX_TEXT_LENGTH = 4096;
const MAX_NOTE_LENGTH = 10_000;

/** Focus requests from keyboard shortcuts ("r" reply, "n" note). */
export const COMPOSER_FOCUS_EVENT = "inbox:composer-focus";

/**
 * Text, note or template. The idempotency key (clientId) is made once per draft and kept across retries, so a
 * double click or a resend after a network error never sends twice; it is renewed only after a success.
 */
export function Composer({ conversation, isOptedOut }: { conversation: ConversationDto; isOptedOut: boolean }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [text, setText] = useState("");
  const [isNote, setIsNote] = useState(false);
  const clientId = useRef(crypto.randomUUID());
  const [error, setError] = useState<DescribedError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [serverProblems, setServerProblems] = useState<TemplateProblem[]>([]);
  const [isDragging, setIsDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const textArea = useRef<HTMLTextAreaElement>(null);
  const now = useNow(30_000);
  const windowLeft = conversation.windowExpiresAt ? new Date(conversation.windowExpiresAt).getTime() - now : 0;
  const windowOpen = windowLeft > 0;
  const quickReplies = useQuickReplies();
  useEffect(() => {
    const focus = (e: Event) => {
      if ((e as CustomEvent<string>).detail === "note") setIsNote(true);
      requestAnimationFrame(() => textArea.current?.focus());
    };
    window.addEventListener(COMPOSER_FOCUS_EVENT, focus);
    return () => window.removeEventListener(COMPOSER_FOCUS_EVENT, focus);
  }, []);

  const describe = (e: unknown): DescribedError => {
    if (e instanceof ApiError && e.code === "payload_too_large") {
      const maxBytes = (e as ApiError & { maxBytes?: number }).maxBytes ?? (e.body.maxBytes as number | undefined);
      return {
        text: maxBytes
          ? t("composer.tooLarge", { max: formatBytes(maxBytes, i18n.language) })
          : t("composer.tooLargeAny"),
        canRetry: false,
      };
    }
    if (e instanceof ApiError && e.code === "unsupported_media_type")
      return { text: t("composer.unsupported"), canRetry: false };
    return describeApiError(e, t);
  };
  const upload = useAttachmentUpload(conversation.id, (e) => setError(describe(e)));
  const attachment = isNote ? null : upload.attachment;

  const refresh = () => {
    void client.invalidateQueries({ queryKey: ["messages", conversation.id] });
    void client.invalidateQueries({ queryKey: ["conversation-templates", conversation.id] });
  };
  const send = useMutation({
    mutationFn: (body: SendMessageBody) => sendMessage(conversation.id, body),
    onSuccess: (_, body) => {
      clientId.current = crypto.randomUUID();
      setText("");
      upload.clear();
      setError(null);
      setServerProblems([]);
      // A note is the exception: the next message is a reply again.
      if (body.type === "note") setIsNote(false);
      refresh();
    },
    onError: (e) => {
      setError(describe(e));
      if (e instanceof ApiError && Array.isArray(e.body.problems))
        setServerProblems(e.body.problems as TemplateProblem[]);
    },
  });
  const askConsent = useMutation({
    mutationFn: () => requestConsent(conversation.id, crypto.randomUUID()),
    onSuccess: () => {
      setNotice(t("composer.consentAsked"));
      setError(null);
      refresh();
    },
    onError: (e) => setError(describe(e)),
  });

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

  const suggestions = matchQuickReplies(text, quickReplies.data?.items);
  const maxLength = isNote ? MAX_NOTE_LENGTH : attachment ? 1024 : MAX_TEXT_LENGTH;
  const isTooLong = text.trim().length > maxLength;

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (send.isPending) return;
    const value = text.trim();
    setNotice(null);
    if (value.length > maxLength) {
      // Said before anything is sent: a resend could not help.
      setError({ text: t("errors.textTooLong", { count: value.length, max: maxLength }), canRetry: false });
      return;
    }
    if (attachment) {
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
      const first = suggestions?.[0];
      if (first) setText(first.text);
      else submit();
    }
  };

  const noteToggle = (
    <label className="toggle small">
      <input type="checkbox" checked={isNote} onChange={(e) => setIsNote(e.target.checked)} />
      <StickyNote aria-hidden size={14} /> {t("composer.note")}
    </label>
  );
  const errorLine = error && (
    <p role="alert" className="error" data-testid="composer-error">
      {error.text}{" "}
      {error.canRetry && (
        <button type="button" onClick={() => submit()}>
          {t("composer.retry")}
        </button>
      )}
    </p>
  );

  if (isOptedOut && !isNote) {
    return (
      <div className="composer disabled" role="status">
        <p>{t("composer.optedOut")}</p>
        <button type="button" onClick={() => setIsNote(true)}>
          <StickyNote aria-hidden size={16} /> {t("composer.note")}
        </button>
      </div>
    );
  }

  const windowNotice = (
    <WindowNotice
      windowLeftMs={windowLeft}
      canAskConsent={!isNote}
      isAsking={askConsent.isPending}
      onAskConsent={() => askConsent.mutate()}
    />
  );

  if (!isNote && !windowOpen) {
    return (
      <div className="composer" data-testid="composer">
        <div className="composer-bar">
          {noteToggle}
          {windowNotice}
        </div>
        <TemplatePicker
          conversationId={conversation.id}
          isSending={send.isPending}
          serverProblems={serverProblems}
          onUploadError={(e) => setError(describe(e))}
          onSend={(template) => send.mutate({ type: "template", clientId: clientId.current, template })}
        />
        {errorLine}
      </div>
    );
  }

  const count = text.trim().length;
  return (
    <form
      className={["composer", isNote ? "note" : "", isDragging ? "dragging" : ""].join(" ")}
      onSubmit={submit}
      aria-label={t("app.composer")}
      data-testid="composer"
      onDragOver={(e) => {
        if (isNote || !e.dataTransfer.types.includes("Files")) return;
        e.preventDefault();
        setIsDragging(true);
      }}
      onDragLeave={() => setIsDragging(false)}
      onDrop={(e) => {
        if (isNote) return;
        e.preventDefault();
        setIsDragging(false);
        setError(null);
        upload.attach(e.dataTransfer.files[0]);
      }}
    >
      <div className="composer-bar">
        {noteToggle}
        {isNote ? <span className="small muted">{t("composer.noteHint")}</span> : windowNotice}
      </div>
      <div className="composer-row">
        {!isNote && (
          <>
            <input
              ref={fileInput}
              type="file"
              hidden
              data-testid="attach-input"
              accept="image/jpeg,image/png,image/webp,video/mp4,video/3gpp,audio/*,application/pdf,text/plain,.doc,.docx,.xls,.xlsx,.ppt,.pptx"
              onChange={(e) => {
                setError(null);
                upload.attach(e.target.files?.[0]);
              }}
            />
            <button
              type="button"
              className="icon"
              aria-label={t("composer.attach")}
              title={t("composer.attach")}
              onClick={() => fileInput.current?.click()}
            >
              <Paperclip aria-hidden size={20} />
            </button>
          </>
        )}
        <EmojiPicker onPick={insertEmoji} />
        <textarea
          ref={textArea}
          data-composer-input
          aria-label={t("composer.placeholder")}
          aria-describedby="composer-counter"
          placeholder={t("composer.placeholder")}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            if (error && !error.canRetry) setError(null);
            if (!isNote) sendTyping(conversation.id);
          }}
          onKeyDown={onKey}
          rows={2}
        />
        <button
          type="submit"
          className="primary send"
          disabled={send.isPending || (attachment ? !attachment.asset : !text.trim())}
          aria-label={send.isPending ? t("composer.sending") : t("composer.send")}
        >
          <Send aria-hidden size={18} />
          <span className="label">{send.isPending ? t("composer.sending") : t("composer.send")}</span>
        </button>
      </div>
      <div className="composer-foot">
        <span id="composer-counter" className={isTooLong ? "small error" : "small muted"} data-testid="char-counter">
          {t("composer.counter", { count, max: maxLength })}
        </span>
      </div>
      {attachment && (
        <div className="attachment" data-testid="attachment">
          <Paperclip aria-hidden size={16} />
          <span className="name">{attachment.file.name}</span>
          <span className="small muted">{formatBytes(attachment.file.size, i18n.language)}</span>
          {attachment.asset ? (
            <span className="small muted">{t("composer.attached")}</span>
          ) : (
            <progress max={1} value={attachment.progress} aria-label={t("composer.uploading")} />
          )}
          <button
            type="button"
            className="icon"
            onClick={() => {
              upload.remove();
              setError(null);
              if (fileInput.current) fileInput.current.value = "";
            }}
            aria-label={t("composer.removeAttachment")}
          >
            <X aria-hidden size={16} />
          </button>
        </div>
      )}
      {isDragging && <p className="small muted">{t("composer.dropHere")}</p>}
      <QuickReplyMenu
        text={text}
        suggestions={suggestions}
        hasAny={(quickReplies.data?.items.length ?? 0) > 0 || quickReplies.isPending}
        onPick={setText}
      />
      {notice && (
        <p role="status" className="small success">
          {notice}
        </p>
      )}
      {errorLine}
    </form>
  );
}
