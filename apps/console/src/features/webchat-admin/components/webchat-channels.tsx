import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { ChannelDto, WebchatChannelDto } from "@inbox/contracts";
import { webchatAdminApi, type WebchatChannelInput } from "../api";
import "../locale";
import "../webchat-admin.css";

const EMPTY: WebchatChannelInput = {
  name: "",
  settings: {
    allowedOrigins: [],
    colors: { primary: "#0b7a75", text: "#ffffff" },
    greeting: { de: "Hallo! Wie können wir helfen?", en: "Hello! How can we help?" },
  },
};

function ChannelForm({
  initial,
  submitLabel,
  onSubmit,
  onCancel,
  error,
  isPending,
}: {
  initial: WebchatChannelInput;
  submitLabel: string;
  onSubmit: (input: WebchatChannelInput) => void;
  onCancel?: () => void;
  error: Error | null;
  isPending: boolean;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState(initial.name);
  const [origins, setOrigins] = useState(initial.settings.allowedOrigins.join("\n"));
  const [primary, setPrimary] = useState(initial.settings.colors.primary);
  const [text, setText] = useState(initial.settings.colors.text);
  const [greetingDe, setGreetingDe] = useState(initial.settings.greeting.de);
  const [greetingEn, setGreetingEn] = useState(initial.settings.greeting.en);
  const [privacyUrl, setPrivacyUrl] = useState(initial.settings.privacyUrl ?? "");
  const [whatsappChannelId, setWhatsappChannelId] = useState(initial.settings.whatsappChannelId ?? "");
  const whatsappChannels = useQuery({
    queryKey: ["admin-whatsapp-channels"],
    queryFn: webchatAdminApi.whatsappChannels,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit({
      name: name.trim(),
      settings: {
        allowedOrigins: origins
          .split(/\s+/)
          .map((o) => o.trim())
          .filter(Boolean),
        colors: { primary, text },
        greeting: { de: greetingDe, en: greetingEn },
        ...(privacyUrl.trim() ? { privacyUrl: privacyUrl.trim() } : {}),
        ...(whatsappChannelId ? { whatsappChannelId } : {}),
      },
    });
  };
  return (
    <form className="stack-form" onSubmit={submit}>
      <label>
        {t("webchat.name")}
        <input required maxLength={80} value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        {t("webchat.origins")}
        <textarea
          required
          rows={3}
          value={origins}
          placeholder="https://www.example.de"
          aria-describedby="webchat-origins-hint"
          onChange={(e) => setOrigins(e.target.value)}
        />
      </label>
      <small id="webchat-origins-hint">{t("webchat.originsHint")}</small>
      <label>
        {t("webchat.primary")}
        <input type="color" value={primary} onChange={(e) => setPrimary(e.target.value)} />
      </label>
      <label>
        {t("webchat.text")}
        <input type="color" value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      <label>
        {t("webchat.greetingDe")}
        <input maxLength={500} value={greetingDe} onChange={(e) => setGreetingDe(e.target.value)} />
      </label>
      <label>
        {t("webchat.greetingEn")}
        <input maxLength={500} value={greetingEn} onChange={(e) => setGreetingEn(e.target.value)} />
      </label>
      <label>
        {t("webchat.privacyUrl")}
        <input
          type="url"
          value={privacyUrl}
          placeholder="https://www.example.de/datenschutz"
          onChange={(e) => setPrivacyUrl(e.target.value)}
        />
      </label>
      <label>
        {t("webchat.whatsapp")}
        <select value={whatsappChannelId} onChange={(e) => setWhatsappChannelId(e.target.value)}>
          <option value="">{t("webchat.noWhatsapp")}</option>
          {whatsappChannels.data?.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name} {c.displayNumber ?? ""}
            </option>
          ))}
        </select>
      </label>
      <div className="row">
        <button type="submit" disabled={isPending}>
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            {t("webchat.cancel")}
          </button>
        )}
      </div>
      {error && (
        <p role="alert" className="error">
          {error.message}
        </p>
      )}
    </form>
  );
}

function toInput(c: WebchatChannelDto): WebchatChannelInput {
  return {
    name: c.name,
    settings: {
      allowedOrigins: c.settings.allowedOrigins,
      colors: c.settings.colors,
      greeting: c.settings.greeting,
      ...(c.settings.privacyUrl ? { privacyUrl: c.settings.privacyUrl } : {}),
      ...(c.settings.whatsappChannelId ? { whatsappChannelId: c.settings.whatsappChannelId } : {}),
    },
  };
}

/** A WhatsApp number's plain click-to-chat link and QR code (rendered by the server). */
function ClickToChat({ channel }: { channel: ChannelDto }) {
  const { t } = useTranslation();
  const link = useQuery({
    queryKey: ["admin-click-to-chat", channel.id],
    queryFn: () => webchatAdminApi.clickToChat(channel.id),
    enabled: !!channel.displayNumber,
  });
  if (!channel.displayNumber)
    return (
      <p>
        {channel.name}: {t("webchat.noNumber")}
      </p>
    );
  return (
    <article className="card" aria-label={channel.name}>
      <h4>
        {channel.name} {channel.displayNumber}
      </h4>
      {link.isLoading && <p role="status">{t("app.loading")}</p>}
      {link.error && (
        <p role="alert" className="error">
          {link.error.message}
        </p>
      )}
      {link.data && (
        <>
          <a href={link.data.url} target="_blank" rel="noreferrer">
            {link.data.url}
          </a>
          <img
            className="qr"
            alt={`QR ${link.data.url}`}
            src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(link.data.qrSvg)}`}
          />
        </>
      )}
    </article>
  );
}

function ClickToChatLinks() {
  const { t } = useTranslation();
  const channels = useQuery({ queryKey: ["admin-whatsapp-channels"], queryFn: webchatAdminApi.whatsappChannels });
  if (!channels.data || channels.data.length === 0) return null;
  return (
    <section aria-label={t("webchat.clickToChat")}>
      <h3>{t("webchat.clickToChat")}</h3>
      <p className="small muted">{t("webchat.clickToChatHint")}</p>
      {channels.data.map((c) => (
        <ClickToChat key={c.id} channel={c} />
      ))}
    </section>
  );
}

function ChannelCard({ channel }: { channel: WebchatChannelDto }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [isEditing, setEditing] = useState(false);
  const [copied, setCopied] = useState(false);
  const update = useMutation({
    mutationFn: (input: WebchatChannelInput) => webchatAdminApi.update(channel.id, input),
    onSuccess: () => {
      setEditing(false);
      void client.invalidateQueries({ queryKey: ["admin-webchat"] });
    },
  });
  return (
    <article className="card" aria-label={channel.name}>
      <h3>{channel.name}</h3>
      {isEditing ? (
        <ChannelForm
          initial={toInput(channel)}
          submitLabel={t("webchat.save")}
          onSubmit={(input) => update.mutate(input)}
          onCancel={() => setEditing(false)}
          error={update.error}
          isPending={update.isPending}
        />
      ) : (
        <>
          <p>
            {t("webchat.origins")}: {channel.settings.allowedOrigins.join(", ")}
          </p>
          <label>
            {t("webchat.snippet")}
            <textarea readOnly rows={2} value={channel.snippet} onFocus={(e) => e.target.select()} />
          </label>
          <div className="row">
            <button
              type="button"
              onClick={() =>
                void navigator.clipboard?.writeText(channel.snippet).then(
                  () => setCopied(true),
                  () => setCopied(false),
                )
              }
            >
              {t("webchat.copy")}
            </button>
            <button type="button" onClick={() => setEditing(true)}>
              {t("webchat.edit")}
            </button>
            {copied && <span role="status">{t("webchat.copied")}</span>}
          </div>
        </>
      )}
    </article>
  );
}

/** Admin tab: web chat channels — create, edit, copy the snippet for the website. */
export default function WebchatChannels() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const list = useQuery({ queryKey: ["admin-webchat"], queryFn: webchatAdminApi.list });
  const [formKey, setFormKey] = useState(0);
  const create = useMutation({
    mutationFn: webchatAdminApi.create,
    onSuccess: () => {
      setFormKey((k) => k + 1);
      void client.invalidateQueries({ queryKey: ["admin-webchat"] });
    },
  });
  return (
    <div className="webchat-admin">
      <p>{t("webchat.intro")}</p>
      {list.isLoading && <p role="status">{t("app.loading")}</p>}
      {list.error && (
        <p role="alert" className="error">
          {list.error.message}
        </p>
      )}
      {list.data && list.data.items.length === 0 && <p className="empty">{t("webchat.empty")}</p>}
      {list.data?.items.map((c) => (
        <ChannelCard key={c.id} channel={c} />
      ))}
      <h3>{t("webchat.create")}</h3>
      <ChannelForm
        key={formKey}
        initial={EMPTY}
        submitLabel={t("webchat.create")}
        onSubmit={(input) => create.mutate(input)}
        error={create.error}
        isPending={create.isPending}
      />
      <ClickToChatLinks />
    </div>
  );
}
