import { useMemo, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { MapPin } from "lucide-react";
import {
  checkTemplateValues,
  describeTemplate,
  fillPlaceholders,
  TEMPLATE_PARAMETER_KINDS,
  type ConversationTemplateDto,
  type SendMessageBody,
  type TemplateHeaderLocation,
  type TemplateParameterKind,
  type TemplateProblem,
  type TemplateShape,
  type TypedTemplateParameter,
} from "@inbox/contracts";
import { COMPOSER_NS } from "../locale";
import { uploadAttachment } from "../upload-attachment";

type TemplateBody = Extract<SendMessageBody, { type: "template" }>["template"];

interface HeaderUpload {
  name: string;
  progress: number;
  mediaId: string | null;
  previewUrl: string | null;
}

const ACCEPT = { IMAGE: "image/jpeg,image/png", VIDEO: "video/mp4,video/3gpp", DOCUMENT: "application/pdf" } as const;

const EMPTY_LOCATION: TemplateHeaderLocation = { latitude: "", longitude: "", name: "", address: "" };
const LOCATION_FIELDS = ["latitude", "longitude", "name", "address"] as const;

/** An amount as typed ("12,50", "12.50", "1250") in thousandths: 12500; NaN when it is no amount. */
function toAmount1000(text: string): number {
  const normalized = text.trim().replace(/\s/g, "").replace(",", ".");
  if (!/^-?\d+(\.\d{1,3})?$/.test(normalized)) return Number.NaN;
  return Math.round(Number(normalized) * 1000);
}

/** The customer-facing text of an amount or a date in the template's language ("12,50 €", "3. Dezember 2026"). */
function formatAmount(amount1000: number, code: string, language: string): string | null {
  try {
    return new Intl.NumberFormat(language, { style: "currency", currency: code }).format(amount1000 / 1000);
  } catch {
    return null;
  }
}
function formatDate(isoDate: string, language: string): string | null {
  const date = new Date(`${isoDate}T12:00:00`);
  if (Number.isNaN(date.getTime())) return null;
  return new Intl.DateTimeFormat(language, { dateStyle: "long" }).format(date);
}

function optionLabel(t: ConversationTemplateDto): string {
  return `${t.name} (${t.language}, ${t.category})`;
}

/** Why a template is not offered, in words (the API's code, and for consent the purpose). */
function useBlockedText() {
  const { t } = useTranslation(COMPOSER_NS);
  return (x: ConversationTemplateDto) => {
    if (x.blockedBy === "consent_missing")
      return t(`template.blocked.consent_missing_${x.category === "marketing" ? "marketing" : "service"}`);
    if (x.blockedBy === "template_not_approved")
      return t("template.blocked.template_not_approved", { status: x.status.toLowerCase() });
    return t("template.blocked.opted_out");
  };
}

/**
 * The template form: the templates this contact may receive (the others disabled with the reason), then a field
 * for every value the chosen template needs — header text, media (upload or https link) or a map pin, body variables
 * (positional or named; text, an amount or a date, whose text is what the customer sees), dynamic URL buttons and
 * quick-reply payloads — checked as the API checks them
 * (checkTemplateValues), and a preview of what the customer will see.
 */
export function TemplatePicker({
  conversationId,
  templates,
  isSending,
  onSend,
}: {
  conversationId: string;
  templates: ConversationTemplateDto[] | undefined;
  isSending: boolean;
  onSend: (template: TemplateBody) => void;
}) {
  const { t } = useTranslation(COMPOSER_NS);
  const { t: tc } = useTranslation();
  const blockedText = useBlockedText();
  const [templateId, setTemplateId] = useState("");
  const [params, setParams] = useState<Record<string, string>>({});
  const [headerParams, setHeaderParams] = useState<Record<string, string>>({});
  const [buttons, setButtons] = useState<Record<string, string>>({});
  const [link, setLink] = useState("");
  const [upload, setUpload] = useState<HeaderUpload | null>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [isChecked, setIsChecked] = useState(false);
  const [location, setLocation] = useState<TemplateHeaderLocation>(EMPTY_LOCATION);
  /** Per body variable: the kind the agent chose (text unless changed), a currency's code and amount as typed. */
  const [kinds, setKinds] = useState<Record<string, TemplateParameterKind>>({});
  const [amounts, setAmounts] = useState<Record<string, { code: string; amount: string }>>({});

  const reset = () => {
    setLocation(EMPTY_LOCATION);
    setKinds({});
    setAmounts({});
    setParams({});
    setHeaderParams({});
    setButtons({});
    setLink("");
    setUpload(null);
    setUploadError(null);
    setIsChecked(false);
  };

  const template = templates?.find((x) => x.id === templateId && x.isSendable);
  const shape = useMemo<TemplateShape | null>(
    () => (template ? describeTemplate(template.components) : null),
    [template],
  );
  const sendable = templates?.filter((x) => x.isSendable) ?? [];
  const blocked = templates?.filter((x) => !x.isSendable) ?? [];

  const typedParameters: Record<string, TypedTemplateParameter> = {};
  for (const [name, kind] of Object.entries(kinds)) {
    if (kind === "date_time") typedParameters[name] = { type: "date_time" };
    if (kind === "currency") {
      const entry = amounts[name] ?? { code: "EUR", amount: "" };
      typedParameters[name] = { type: "currency", code: entry.code, amount1000: toAmount1000(entry.amount) };
    }
  }
  const values: TemplateBody | null = template
    ? {
        name: template.name,
        language: template.language,
        parameters: params,
        ...(Object.keys(typedParameters).length ? { typedParameters } : {}),
        ...(shape?.header?.format === "LOCATION" ? { headerLocation: location } : {}),
        ...(Object.keys(headerParams).length ? { headerParameters: headerParams } : {}),
        ...(upload?.mediaId
          ? { headerMedia: { mediaId: upload.mediaId } }
          : link.trim()
            ? { headerMedia: { link: link.trim() } }
            : {}),
        ...(Object.values(buttons).some((v) => v.trim())
          ? { buttonParameters: Object.fromEntries(Object.entries(buttons).filter(([, v]) => v.trim())) }
          : {}),
      }
    : null;
  const problems: TemplateProblem[] = shape && values ? checkTemplateValues(shape, values) : [];
  const problemOf = (field: string) => (isChecked ? problems.find((p) => p.field === field) : undefined);
  const isUploading = !!upload && !upload.mediaId;

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (!values || isSending || isUploading) return;
    setIsChecked(true);
    if (problems.length) return;
    onSend(values);
  };

  const attach = (file: File | undefined) => {
    if (!file) return;
    setUploadError(null);
    setLink("");
    const previewUrl = file.type.startsWith("image/") ? URL.createObjectURL(file) : null;
    setUpload({ name: file.name, progress: 0, mediaId: null, previewUrl });
    uploadAttachment(conversationId, file, (progress) =>
      setUpload((u) => (u && u.name === file.name ? { ...u, progress } : u)),
    )
      .then((asset) => setUpload((u) => (u && u.name === file.name ? { ...u, progress: 1, mediaId: asset.id } : u)))
      .catch((error: unknown) => {
        setUpload(null);
        const code = (error as { code?: string }).code ?? "network";
        setUploadError(
          t(
            code in ({ payload_too_large: 1, unsupported_media_type: 1 } as const)
              ? `errors.${code}`
              : "errors.network",
          ),
        );
      });
  };

  const fieldProblem = (field: string) => {
    const p = problemOf(field);
    return p ? (
      <span className="field-problem" role="note">
        {t(`template.problems.${p.code}`)}
      </span>
    ) : null;
  };

  /** A changed amount or currency fills the variable's text (Meta's fallback_value) in the template's language. */
  const changeAmount = (name: string, change: Partial<{ code: string; amount: string }>) => {
    const next = { ...(amounts[name] ?? { code: "EUR", amount: "" }), ...change };
    setAmounts((v) => ({ ...v, [name]: next }));
    const amount1000 = toAmount1000(next.amount);
    const text = Number.isSafeInteger(amount1000)
      ? formatAmount(amount1000, next.code, template?.language ?? "de")
      : null;
    if (text) setParams((v) => ({ ...v, [name]: text }));
  };

  const header = shape?.header;
  const mediaFormat = header && header.format !== "TEXT" && header.format !== "LOCATION" ? header.format : null;
  const previewHeader =
    header?.format === "TEXT"
      ? fillPlaceholders(header.text, headerParams)
      : mediaFormat
        ? t("template.mediaPlaceholder", { kind: upload?.name ?? (link.trim() || mediaFormat.toLowerCase()) })
        : null;

  return (
    <div className="template-picker" data-testid="template-picker">
      <label>
        {tc("composer.template")}
        <select
          value={templateId}
          onChange={(e) => {
            setTemplateId(e.target.value);
            reset();
          }}
        >
          <option value="">{tc("composer.chooseTemplate")}</option>
          {sendable.map((x) => (
            <option key={x.id} value={x.id}>
              {optionLabel(x)}
            </option>
          ))}
          {blocked.map((x) => (
            <option key={x.id} value={x.id} disabled>
              {optionLabel(x)} — {blockedText(x)}
            </option>
          ))}
        </select>
      </label>
      {templates && sendable.length === 0 && (
        <p className="small error" role="status">
          {t("template.noneSendable")}
        </p>
      )}
      {blocked.length > 0 && (
        <details className="template-blocked small">
          <summary>
            {t("template.blockedTitle")} ({blocked.length})
          </summary>
          <ul>
            {blocked.map((x) => (
              <li key={x.id} data-template={`${x.name}/${x.language}`}>
                {x.name} ({x.language}) — {blockedText(x)}
              </li>
            ))}
          </ul>
        </details>
      )}
      {shape && template && (
        <>
          {header?.format === "TEXT" &&
            header.params.map((name) => (
              <label key={`h-${name}`} className={problemOf(`header.${name}`) ? "invalid" : undefined}>
                {t("template.headerText", { name })}
                <input
                  value={headerParams[name] ?? ""}
                  maxLength={60}
                  onChange={(e) => setHeaderParams((v) => ({ ...v, [name]: e.target.value }))}
                />
                {fieldProblem(`header.${name}`)}
              </label>
            ))}
          {mediaFormat && (
            <fieldset className={problemOf("header.media") ? "header-media invalid" : "header-media"}>
              <legend>{t(`template.headerMedia.${mediaFormat}`)}</legend>
              <label>
                {t("template.upload")}
                <input
                  type="file"
                  accept={ACCEPT[mediaFormat]}
                  data-testid="template-header-file"
                  onChange={(e) => attach(e.target.files?.[0])}
                />
              </label>
              {upload &&
                (upload.mediaId ? (
                  <span className="small muted">{t("template.uploaded", { name: upload.name })}</span>
                ) : (
                  <progress max={1} value={upload.progress} aria-label={tc("composer.uploading")} />
                ))}
              <label>
                {t("template.orLink")}
                <input
                  type="url"
                  inputMode="url"
                  placeholder="https://"
                  value={link}
                  disabled={!!upload}
                  onChange={(e) => setLink(e.target.value)}
                />
              </label>
              {fieldProblem("header.media")}
              {uploadError && (
                <p className="small error" role="alert">
                  {uploadError}
                </p>
              )}
            </fieldset>
          )}
          {header?.format === "LOCATION" && (
            <fieldset className="header-location" data-testid="template-header-location">
              <legend>{t("template.location.legend")}</legend>
              <p className="small muted">{t("template.location.hint")}</p>
              {LOCATION_FIELDS.map((key) => (
                <label key={key} className={problemOf(`header.location.${key}`) ? "invalid" : undefined}>
                  {t(`template.location.${key}`)}
                  <input
                    value={location[key]}
                    inputMode={key === "latitude" || key === "longitude" ? "decimal" : undefined}
                    onChange={(e) => setLocation((v) => ({ ...v, [key]: e.target.value }))}
                  />
                  {fieldProblem(`header.location.${key}`)}
                </label>
              ))}
            </fieldset>
          )}
          {shape.body.params.map((name) => {
            const kind = kinds[name] ?? "text";
            const amount = amounts[name] ?? { code: "EUR", amount: "" };
            return (
              <div key={`b-${name}`} className="template-variable">
                <label>
                  {t("template.kind.label", { n: name })}
                  <select
                    value={kind}
                    onChange={(e) => {
                      const next = e.target.value as TemplateParameterKind;
                      setKinds((v) => ({ ...v, [name]: next }));
                      if (next === "currency") changeAmount(name, {});
                    }}
                  >
                    {TEMPLATE_PARAMETER_KINDS.map((k) => (
                      <option key={k} value={k}>
                        {t(`template.kind.${k}`)}
                      </option>
                    ))}
                  </select>
                </label>
                {kind === "currency" && (
                  <>
                    <label className={problemOf(`body.${name}.amount`) ? "invalid" : undefined}>
                      {t("template.amount", { n: name })}
                      <input
                        inputMode="decimal"
                        value={amount.amount}
                        onChange={(e) => changeAmount(name, { amount: e.target.value })}
                      />
                      {fieldProblem(`body.${name}.amount`)}
                    </label>
                    <label className={problemOf(`body.${name}.currency`) ? "invalid" : undefined}>
                      {t("template.currencyCode", { n: name })}
                      <input
                        value={amount.code}
                        maxLength={3}
                        autoCapitalize="characters"
                        onChange={(e) => changeAmount(name, { code: e.target.value.trim().toUpperCase() })}
                      />
                      {fieldProblem(`body.${name}.currency`)}
                    </label>
                  </>
                )}
                {kind === "date_time" && (
                  <label>
                    {t("template.date", { n: name })}
                    <input
                      type="date"
                      onChange={(e) => {
                        const text = formatDate(e.target.value, template.language);
                        if (text) setParams((v) => ({ ...v, [name]: text }));
                      }}
                    />
                  </label>
                )}
                <label className={problemOf(`body.${name}`) ? "invalid" : undefined}>
                  {t("template.variable", { n: name })}
                  <input
                    value={params[name] ?? ""}
                    onChange={(e) => setParams((v) => ({ ...v, [name]: e.target.value }))}
                  />
                  {fieldProblem(`body.${name}`)}
                </label>
                {kind !== "text" && <span className="small muted">{t("template.fallbackHint")}</span>}
              </div>
            );
          })}
          {shape.buttons
            .filter((b) => (b.type === "URL" && b.hasUrlParam) || b.type === "QUICK_REPLY")
            .map((b) => (
              <label key={`btn-${b.index}`} className={problemOf(`button.${b.index}`) ? "invalid" : undefined}>
                {b.type === "URL"
                  ? t("template.urlButton", { text: b.text, url: b.url?.replace(/\{\{\s*\w+\s*\}\}/, "…") ?? "" })
                  : t("template.quickReply", { text: b.text })}
                <input
                  value={buttons[String(b.index)] ?? ""}
                  onChange={(e) => setButtons((v) => ({ ...v, [String(b.index)]: e.target.value }))}
                />
                {fieldProblem(`button.${b.index}`)}
              </label>
            ))}
          <div className="template-preview" aria-label={t("template.preview")}>
            {upload?.previewUrl && <img src={upload.previewUrl} alt="" className="template-preview-image" />}
            {previewHeader && <strong className="template-preview-header">{previewHeader}</strong>}
            {header?.format === "LOCATION" && (
              <p className="template-preview-location" data-testid="template-preview-location">
                <MapPin aria-hidden="true" size={16} />{" "}
                {[location.name.trim(), location.address.trim()].filter(Boolean).join(", ") ||
                  t("template.location.legend")}
              </p>
            )}
            <p className="preview">{fillPlaceholders(shape.body.text, params)}</p>
            {shape.footer && <p className="small muted">{shape.footer}</p>}
            {shape.buttons.length > 0 && (
              <ul className="template-preview-buttons">
                {shape.buttons.map((b) => (
                  <li key={b.index}>{b.text}</li>
                ))}
              </ul>
            )}
            {problemOf("body") && <p className="small error">{t("template.problems.too_long")}</p>}
          </div>
          {isChecked && problems.length > 0 && (
            <p className="small error" role="alert">
              {t("template.fixFields")}
            </p>
          )}
        </>
      )}
      <button type="button" onClick={() => submit()} disabled={!template || isSending || isUploading}>
        {isSending ? tc("composer.sending") : tc("composer.sendTemplate")}
      </button>
    </div>
  );
}
