import { useMemo, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import {
  checkTemplateValues,
  describeTemplate,
  fillPlaceholders,
  type ConversationTemplateDto,
  type SendMessageBody,
  type TemplateProblem,
  type TemplateShape,
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
 * for every value the chosen template needs — header text or media (upload or https link), body variables
 * (positional or named), dynamic URL buttons and quick-reply payloads — checked as the API checks them
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

  const reset = () => {
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

  const values: TemplateBody | null = template
    ? {
        name: template.name,
        language: template.language,
        parameters: params,
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
          {shape.body.params.map((name) => (
            <label key={`b-${name}`} className={problemOf(`body.${name}`) ? "invalid" : undefined}>
              {t("template.variable", { n: name })}
              <input
                value={params[name] ?? ""}
                onChange={(e) => setParams((v) => ({ ...v, [name]: e.target.value }))}
              />
              {fieldProblem(`body.${name}`)}
            </label>
          ))}
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
