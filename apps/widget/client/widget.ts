import type { WebchatMessageDto, WebchatServerFrame, WebchatSessionDto, WhatsAppHandoffDto } from "@inbox/contracts";
import { widgetCss } from "./styles";
import { ACCEPT, MAX_FILE_BYTES, MAX_IMAGE_BYTES, MAX_TEXT, pickLanguage, TEXTS } from "./texts";

/**
 * The embeddable web chat: `<script src="…/widget.js" data-channel="KEY" async></script>`. Talks only to the server
 * it was loaded from (no third-party requests), renders in a shadow root, keeps the visitor's signed token in
 * localStorage so the thread survives page loads, and receives agent replies, typing and read state over a websocket
 * that reconnects by itself.
 */
class WidgetError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // storage blocked: the thread lasts for this page only
  }
}

function start(script: HTMLScriptElement, key: string): void {
  const base = new URL(script.src).origin;
  const lang = pickLanguage(navigator.languages?.length ? navigator.languages : [navigator.language]);
  const tx = TEXTS[lang];
  const storageKey = `inbox-webchat:${key}`;
  let token = storage()?.getItem(storageKey) ?? null;
  let session: WebchatSessionDto | null = null;
  const messages = new Map<string, WebchatMessageDto & { isPending?: boolean; preview?: string }>();
  let isReadByAgent = false;
  let socket: WebSocket | null = null;
  let retries = 0;
  let typingTimer: number | undefined;

  // ── DOM ──
  const host = el("div", { "data-inbox-webchat": "" });
  const root = host.attachShadow({ mode: "open" });
  const style = el("style");
  const launcher = el(
    "button",
    { class: "launcher", type: "button", "aria-label": tx.open, "aria-expanded": "false" },
    "💬",
  );
  const title = el("span");
  const closeButton = el("button", { type: "button", "aria-label": tx.close }, "×");
  const log = el("div", { class: "log", role: "log", "aria-live": "polite" });
  const typing = el("div", { class: "typing", "aria-live": "polite" });
  const error = el("div", { class: "error", role: "alert" });
  const consentText = el("p");
  const privacyLink = el("a", { target: "_blank", rel: "noopener" }, tx.privacy);
  const checkbox = el("input", { type: "checkbox", name: "consent" });
  const agree = el("button", { type: "button" }, tx.agree);
  const consent = el(
    "div",
    { class: "consent" },
    el("strong", {}, tx.consentTitle),
    el("label", {}, checkbox, consentText),
    privacyLink,
    agree,
  );
  // "Continue on WhatsApp": after the same consent, a wa.me link with a reference (QR code for desktop visitors).
  const waButton = el("button", { type: "button" }, tx.whatsapp);
  const waResult = el("div");
  const wa = el("div", { class: "wa", hidden: "" }, waButton, waResult);
  const input = el("textarea", { rows: "1", placeholder: tx.placeholder, "aria-label": tx.placeholder });
  const sendButton = el("button", { type: "submit" }, tx.send);
  // Attachments: a real file input (keyboard and screen readers), visually replaced by the paper-clip button.
  const fileInput = el("input", { type: "file", accept: ACCEPT, hidden: "", tabindex: "-1", "aria-hidden": "true" });
  const attachButton = el(
    "button",
    { type: "button", class: "attach", "aria-label": tx.attach, title: tx.attach },
    "📎",
  );
  const progress = el("div", { class: "meta progress", role: "status", "aria-live": "polite" });
  const composer = el("form", { class: "composer" }, attachButton, fileInput, input, sendButton);
  const panel = el(
    "div",
    { class: "panel", role: "dialog", "aria-label": "Chat", hidden: "" },
    el("header", {}, title, closeButton),
    log,
    typing,
    progress,
    error,
    consent,
    wa,
    composer,
  );
  root.append(style, panel, launcher);
  style.textContent = widgetCss("#0b7a75", "#ffffff");

  const isOpen = () => !panel.hidden;
  const showError = (code: string | null, n: number = MAX_TEXT) => {
    if (!code) {
      error.textContent = "";
      return;
    }
    const known = (tx.errors as Record<string, string>)[code] ?? tx.errors.other;
    error.textContent = known.replace("{n}", String(n));
  };
  const mb = (bytes: number) => Math.round(bytes / 1048576);

  /** A file of the thread, fetched with the visitor token (never in a URL) and shown from a blob: URL. */
  const blobs = new Map<string, Promise<string>>();
  const mediaUrl = (id: string) => {
    let url = blobs.get(id);
    if (!url) {
      url = fetch(`${base}/webchat/${encodeURIComponent(key)}/media/${encodeURIComponent(id)}`, {
        headers: { authorization: `Bearer ${token ?? ""}` },
      }).then(async (res) => {
        if (!res.ok) throw new WidgetError("other");
        return URL.createObjectURL(await res.blob());
      });
      url.catch(() => blobs.delete(id));
      blobs.set(id, url);
    }
    return url;
  };
  const mediaView = (m: WebchatMessageDto & { preview?: string }): Node => {
    const media = m.media!;
    const name = media.filename ?? tx.file;
    if (media.mimeType.startsWith("image/")) {
      const img = el("img", { class: "thumb", alt: name });
      const link = el("a", { target: "_blank", rel: "noopener", download: name }, img);
      const show = (url: string) => {
        img.src = url;
        link.href = url;
      };
      if (m.preview) show(m.preview);
      else void mediaUrl(media.id).then(show, () => undefined);
      return link;
    }
    const link = el("a", { href: "#", download: name, class: "file" }, `📄 ${name}`);
    link.addEventListener("click", (event) => {
      if (link.getAttribute("href") !== "#") return;
      event.preventDefault();
      void mediaUrl(media.id).then(
        (url) => {
          link.href = url;
          link.click();
        },
        () => showError("other"),
      );
    });
    return link;
  };

  const render = () => {
    const hasConsent = session?.consent.hasConsent ?? false;
    consent.hidden = !session || hasConsent;
    composer.hidden = !hasConsent;
    wa.hidden = !session?.appearance.hasWhatsApp;
    log.replaceChildren();
    if (session?.appearance.greeting) log.append(el("div", { class: "msg greeting" }, session.appearance.greeting));
    const sorted = [...messages.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    for (const m of sorted) {
      const content = m.media
        ? [mediaView(m), ...(m.text && m.type !== "document" ? [m.text] : [])]
        : [m.text ?? `[${m.type}]`];
      log.append(el("div", { class: `msg ${m.direction === "inbound" ? "in" : "out"}` }, ...content));
    }
    const last = sorted.at(-1);
    if (last?.isPending) log.append(el("div", { class: "meta" }, tx.sending));
    else if (last?.direction === "inbound" && isReadByAgent) log.append(el("div", { class: "meta" }, tx.read));
    log.scrollTop = log.scrollHeight;
  };

  const upsert = (m: WebchatMessageDto) => {
    const pending = m.clientMessageId ? messages.get(`pending:${m.clientMessageId}`) : undefined;
    if (m.clientMessageId) messages.delete(`pending:${m.clientMessageId}`);
    // The visitor's own image stays on its local preview (no second download).
    if (pending?.preview && m.media) blobs.set(m.media.id, Promise.resolve(pending.preview));
    messages.set(m.id, m);
  };

  async function call<T>(path: string, body: unknown): Promise<T> {
    const res = await fetch(`${base}/webchat/${encodeURIComponent(key)}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const json = (await res.json().catch(() => ({}))) as { code?: string };
    if (!res.ok) throw new WidgetError(json.code ?? "other");
    return json as T;
  }

  const sendRead = () => {
    if (isOpen() && document.visibilityState === "visible" && socket?.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ type: "read" }));
    }
  };

  async function loadSession(): Promise<void> {
    try {
      session = await call<WebchatSessionDto>("/sessions", { ...(token ? { token } : {}), language: lang });
    } catch (e) {
      if (!(e instanceof WidgetError) || e.code !== "visitor_token_invalid" || !token) throw e;
      token = null; // expired or no longer valid: start afresh
      storage()?.removeItem(storageKey);
      session = await call<WebchatSessionDto>("/sessions", { language: lang });
    }
    token = session.token;
    storage()?.setItem(storageKey, token);
    style.textContent = widgetCss(session.appearance.colors.primary, session.appearance.colors.text);
    title.textContent = session.appearance.name;
    consentText.textContent = session.consent.wording.text;
    privacyLink.hidden = !session.appearance.privacyUrl;
    if (session.appearance.privacyUrl) privacyLink.href = session.appearance.privacyUrl;
    for (const m of session.messages) upsert(m);
    render();
    connect();
  }

  function connect(): void {
    if (socket || !token) return;
    const ws = new WebSocket(`${base.replace(/^http/, "ws")}/webchat/${encodeURIComponent(key)}/ws`);
    socket = ws;
    ws.onopen = () => ws.send(JSON.stringify({ type: "auth", token }));
    ws.onmessage = (event: MessageEvent<string>) => {
      const frame = JSON.parse(event.data) as WebchatServerFrame;
      if (frame.type === "ready") {
        if (retries > 0) void loadSession().catch(() => undefined); // catch up on what came while offline
        retries = 0;
        showError(null);
        sendRead();
      } else if (frame.type === "message") {
        upsert(frame.message);
        if (frame.message.direction === "outbound") {
          typing.textContent = "";
          sendRead();
        }
        render();
      } else if (frame.type === "typing") {
        typing.textContent = tx.typing;
        clearTimeout(typingTimer);
        typingTimer = window.setTimeout(() => (typing.textContent = ""), 4000);
      } else if (frame.type === "read") {
        isReadByAgent = true;
        render();
      } else if (frame.type === "error") {
        showError(frame.code);
      }
    };
    ws.onclose = (event) => {
      socket = null;
      if (event.code === 4401) {
        token = null;
        storage()?.removeItem(storageKey);
        return;
      }
      retries += 1;
      if (isOpen()) error.textContent = tx.offline;
      window.setTimeout(connect, Math.min(15_000, 500 * 2 ** Math.min(retries, 5)));
    };
  }

  launcher.addEventListener("click", () => {
    panel.hidden = !panel.hidden;
    launcher.setAttribute("aria-expanded", String(!panel.hidden));
    if (!panel.hidden) {
      if (!session) void loadSession().catch((e: unknown) => showError(e instanceof WidgetError ? e.code : "other"));
      input.focus();
      sendRead();
    }
  });
  closeButton.addEventListener("click", () => {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
  });
  document.addEventListener("visibilitychange", sendRead);

  agree.addEventListener("click", () => {
    if (!session) return;
    if (!checkbox.checked) {
      error.textContent = tx.mustTick;
      return;
    }
    const current = session;
    call("/consent", { wordingVersion: current.consent.wording.version, language: lang }).then(
      () => {
        current.consent.hasConsent = true;
        showError(null);
        render();
        input.focus();
      },
      (e: unknown) => {
        const code = e instanceof WidgetError ? e.code : "other";
        showError(code);
        if (code === "consent_text_changed") void loadSession().catch(() => undefined);
      },
    );
  });

  waButton.addEventListener("click", () => {
    if (!session) return;
    // The privacy notice is shown with its checkbox until the visitor consented in the chat.
    if (!session.consent.hasConsent && !checkbox.checked) {
      error.textContent = tx.mustTick;
      return;
    }
    const body = { wordingVersion: session.consent.wording.version, language: lang };
    call<WhatsAppHandoffDto>("/whatsapp", body).then(
      (handoff) => {
        showError(null);
        const link = el("a", { href: handoff.url, target: "_blank", rel: "noopener" }, tx.whatsappOpen);
        const qr = el("img", {
          src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(handoff.qrSvg)}`,
          alt: "QR",
        });
        const isPhone = window.matchMedia("(pointer: coarse)").matches;
        waResult.replaceChildren(...(isPhone ? [link] : [el("span", {}, tx.whatsappScan), qr, link]));
        if (isPhone) window.open(handoff.url, "_blank", "noopener");
      },
      (e: unknown) => showError(e instanceof WidgetError ? e.code : "other"),
    );
  });

  composer.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    if (text.length > MAX_TEXT) {
      showError("payload_too_large");
      return;
    }
    const clientMessageId = crypto.randomUUID();
    messages.set(`pending:${clientMessageId}`, {
      id: `pending:${clientMessageId}`,
      direction: "inbound",
      type: "text",
      text,
      status: "pending",
      clientMessageId,
      media: null,
      createdAt: new Date().toISOString(),
      isPending: true,
    });
    input.value = "";
    isReadByAgent = false;
    showError(null);
    render();
    call<WebchatMessageDto>("/messages", { clientMessageId, text }).then(
      (stored) => {
        upsert(stored);
        render();
      },
      (e: unknown) => {
        messages.delete(`pending:${clientMessageId}`);
        input.value = text; // nothing is lost: the text goes back into the box
        showError(e instanceof WidgetError ? e.code : "other");
        render();
      },
    );
  });
  attachButton.addEventListener("click", () => fileInput.click());
  fileInput.addEventListener("change", () => {
    const file = fileInput.files?.[0];
    fileInput.value = "";
    if (!file || !token) return;
    const isImage = file.type.startsWith("image/");
    const limit = isImage ? MAX_IMAGE_BYTES : MAX_FILE_BYTES;
    if (file.size > limit) {
      showError("file_too_large", mb(limit));
      return;
    }
    const clientMessageId = crypto.randomUUID();
    const preview = isImage ? URL.createObjectURL(file) : undefined;
    messages.set(`pending:${clientMessageId}`, {
      id: `pending:${clientMessageId}`,
      direction: "inbound",
      type: isImage ? "image" : "document",
      text: null,
      status: "pending",
      clientMessageId,
      media: { id: `pending:${clientMessageId}`, mimeType: file.type, filename: file.name, sizeBytes: file.size },
      createdAt: new Date().toISOString(),
      isPending: true,
      ...(preview ? { preview } : {}),
    });
    isReadByAgent = false;
    showError(null);
    render();
    // XMLHttpRequest, not fetch: it reports upload progress.
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `${base}/webchat/${encodeURIComponent(key)}/attachments?clientMessageId=${clientMessageId}`);
    xhr.setRequestHeader("authorization", `Bearer ${token}`);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable)
        progress.textContent = tx.uploading.replace("{n}", String(Math.round((event.loaded / event.total) * 100)));
    };
    const fail = (code: string, max?: number) => {
      progress.textContent = "";
      messages.delete(`pending:${clientMessageId}`);
      if (preview) URL.revokeObjectURL(preview);
      showError(code, max ? mb(max) : undefined);
      render();
    };
    xhr.onerror = () => fail("other");
    xhr.onload = () => {
      let json: { code?: string; maxBytes?: number } = {};
      try {
        json = JSON.parse(xhr.responseText) as typeof json;
      } catch {
        // not JSON: a proxy's page
      }
      if (xhr.status >= 300) {
        const code = json.code === "payload_too_large" ? "file_too_large" : (json.code ?? "other");
        fail(code, json.maxBytes ?? limit);
        return;
      }
      progress.textContent = "";
      upsert(json as WebchatMessageDto);
      render();
    };
    const form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      composer.requestSubmit();
    }
  });

  document.body.append(host);
  render();
  // A returning visitor: reconnect at once, so replies arrive while they browse.
  if (token) void loadSession().catch(() => undefined);
}

const script = document.currentScript as HTMLScriptElement | null;
const key = script?.dataset.channel;
if (script && key) {
  if (document.body) start(script, key);
  else document.addEventListener("DOMContentLoaded", () => start(script, key));
}
