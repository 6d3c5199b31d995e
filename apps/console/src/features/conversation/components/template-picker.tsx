import { useEffect, useMemo, useState, type FormEvent } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link2, Paperclip, Send, X } from "lucide-react";
import type { ConversationTemplateDto, SendMessageBody } from "@inbox/contracts";
import type { TemplateProblem, TemplateSendValues } from "@inbox/contracts/template-structure";
import {
  checkTemplateValues,
  isMediaHeader,
  readTemplateStructure,
  renderTemplate,
} from "@inbox/contracts/template-structure";
import type { ApiError } from "../../../lib/http";
import { formatBytes } from "../upload-attachment";
import { fetchConversationTemplates } from "../api";
import { useAttachmentUpload } from "../hooks/use-attachment-upload";

type TemplateBody = Extract<SendMessageBody, { type: "template" }>["template"];

const ACCEPT = {
  IMAGE: "image/jpeg,image/png",
  VIDEO: "video/mp4,video/3gpp",
  DOCUMENT: "application/pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,text/plain",
} as const;

/**
 * Outside the 24 h window: an approved template with every value it needs — header (text, or an image / video /
 * document uploaded or linked), body variables (positional or named), URL button endings and quick-reply
 * payloads — checked as the server and Meta check them, with a preview of what the customer will see. Templates
 * the contact may not receive are shown disabled with the reason.
 */
export function TemplatePicker(props: {
  conversationId: string;
  isSending: boolean;
  onSend: (template: TemplateBody) => void;
  /** Problems the server found (template_parameters_invalid), shown at their fields. */
  serverProblems: TemplateProblem[];
  onUploadError: (error: ApiError) => void;
}) {
  const { t, i18n } = useTranslation();
  const templates = useQuery({
    queryKey: ["conversation-templates", props.conversationId],
    queryFn: () => fetchConversationTemplates(props.conversationId),
    staleTime: 60_000,
  });
  const [templateId, setTemplateId] = useState("");
  const [values, setValues] = useState<TemplateSendValues>({ parameters: {} });
  const [headerMode, setHeaderMode] = useState<"upload" | "link">("upload");
  const [isTouched, setIsTouched] = useState(false);
  const upload = useAttachmentUpload(props.conversationId, props.onUploadError);
  const template: ConversationTemplateDto | undefined = templates.data?.items.find((x) => x.id === templateId);
  const structure = useMemo(() => (template ? readTemplateStructure(template.components) : null), [template]);
  const asset = upload.attachment?.asset;
  const effective: TemplateSendValues = {
    ...values,
    header:
      structure?.header && isMediaHeader(structure.header.format)
        ? headerMode === "upload"
          ? asset
            ? { mediaId: asset.id, filename: values.header?.filename }
            : undefined
          : values.header
        : values.header,
  };
  const problems = structure ? checkTemplateValues(structure, effective) : [];
  const shown = isTouched ? problems : props.serverProblems;
  const problemOf = (field: string) => shown.find((p) => p.field === field);
  const preview = structure ? renderTemplate(structure, effective) : null;

  const file = upload.attachment?.file;
  const previewUrl = useMemo(() => (file?.type.startsWith("image/") ? URL.createObjectURL(file) : null), [file]);
  useEffect(() => () => void (previewUrl && URL.revokeObjectURL(previewUrl)), [previewUrl]);

  const choose = (id: string) => {
    setTemplateId(id);
    setValues({ parameters: {} });
    setIsTouched(false);
    upload.remove();
  };
  const setParameter = (name: string, value: string) =>
    setValues((v) => ({ ...v, parameters: { ...v.parameters, [name]: value } }));
  const setButton = (index: number, patch: { text?: string; payload?: string }) =>
    setValues((v) => {
      const others = (v.buttons ?? []).filter((b) => b.index !== index);
      const current = v.buttons?.find((b) => b.index === index) ?? { index };
      return { ...v, buttons: [...others, { ...current, ...patch }] };
    });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setIsTouched(true);
    if (!template || !structure || problems.length || props.isSending) return;
    const buttons = (effective.buttons ?? []).filter((b) => b.text || b.payload);
    props.onSend({
      name: template.name,
      language: template.language,
      parameters: Object.fromEntries(structure.body.variables.map((v) => [v, effective.parameters[v] ?? ""])),
      ...(effective.header && (effective.header.text || effective.header.mediaId || effective.header.link)
        ? { header: effective.header }
        : {}),
      ...(buttons.length ? { buttons } : {}),
    });
  };

  const hint = (field: string) => {
    const problem = problemOf(field);
    return problem ? (
      <span className="field-error" role="alert">
        {t(`template.problem.${problem.kind}`, { limit: problem.limit })}
      </span>
    ) : null;
  };
  const items = templates.data?.items ?? [];
  const hasBlocked = items.some((x) => !x.isSendable);

  return (
    <form className="template-picker" onSubmit={submit} noValidate>
      <label>
        {t("composer.template")}
        <select value={templateId} onChange={(e) => choose(e.target.value)}>
          <option value="">{t("composer.chooseTemplate")}</option>
          {items.map((x) => (
            <option key={x.id} value={x.id} disabled={!x.isSendable}>
              {x.name} ({x.language}, {t(`template.category.${x.category}`)})
              {x.isSendable ? "" : ` — ${t(`template.blocked.${x.blockedBy ?? "consent_missing"}`)}`}
            </option>
          ))}
        </select>
      </label>
      {templates.isSuccess && items.length === 0 && <p className="small muted">{t("template.none")}</p>}
      {hasBlocked && !template && <p className="small muted">{t("template.blockedHelp")}</p>}
      {structure?.header?.format === "TEXT" && structure.header.variable && (
        <label>
          {t("template.headerText")}
          <input
            value={values.header?.text ?? ""}
            aria-invalid={!!problemOf("header")}
            onChange={(e) => setValues((v) => ({ ...v, header: { text: e.target.value } }))}
          />
          {hint("header")}
        </label>
      )}
      {structure?.header && isMediaHeader(structure.header.format) && (
        <fieldset className="header-media">
          <legend>
            {t("template.header")}: {t(`template.${structure.header.format.toLowerCase() as "image"}`)}
          </legend>
          <div className="segmented" role="radiogroup" aria-label={t("template.header")}>
            <label>
              <input
                type="radio"
                checked={headerMode === "upload"}
                onChange={() => setHeaderMode("upload")}
                name="header-mode"
              />
              <Paperclip aria-hidden size={14} /> {t("template.upload")}
            </label>
            <label>
              <input
                type="radio"
                checked={headerMode === "link"}
                onChange={() => setHeaderMode("link")}
                name="header-mode"
              />
              <Link2 aria-hidden size={14} /> {t("template.orLink")}
            </label>
          </div>
          {headerMode === "upload" ? (
            <>
              <input
                type="file"
                data-testid="template-header-file"
                aria-label={t("template.upload")}
                accept={ACCEPT[structure.header.format]}
                onChange={(e) => upload.attach(e.target.files?.[0])}
              />
              {upload.attachment && (
                <span className="attachment small">
                  {upload.attachment.file.name} ({formatBytes(upload.attachment.file.size, i18n.language)}){" "}
                  {upload.attachment.asset ? (
                    t("composer.attached")
                  ) : (
                    <progress max={1} value={upload.attachment.progress} aria-label={t("composer.uploading")} />
                  )}
                  <button
                    type="button"
                    className="icon"
                    onClick={upload.remove}
                    aria-label={t("composer.removeAttachment")}
                  >
                    <X aria-hidden size={16} />
                  </button>
                </span>
              )}
            </>
          ) : (
            <input
              type="url"
              inputMode="url"
              aria-label={t("template.orLink")}
              placeholder="https://…"
              value={values.header?.link ?? ""}
              onChange={(e) => setValues((v) => ({ ...v, header: { ...v.header, link: e.target.value } }))}
            />
          )}
          {structure.header.format === "DOCUMENT" && (
            <label>
              {t("template.filename")}
              <input
                value={values.header?.filename ?? ""}
                onChange={(e) => setValues((v) => ({ ...v, header: { ...v.header, filename: e.target.value } }))}
              />
            </label>
          )}
          {hint("header")}
        </fieldset>
      )}
      {structure?.body.variables.map((name) => (
        <label key={name}>
          {/^\d+$/.test(name) ? t("composer.variable", { n: name }) : name}
          <input
            value={values.parameters[name] ?? ""}
            aria-invalid={!!problemOf(`body.${name}`)}
            onChange={(e) => setParameter(name, e.target.value)}
          />
          {hint(`body.${name}`)}
        </label>
      ))}
      {hint("body")}
      {structure?.buttons.map((b) =>
        b.hasUrlVariable ? (
          <label key={b.index}>
            {t("template.urlSuffix", { label: b.text })}
            <span className="url-suffix">
              <span className="muted small">{b.url?.replace(/\{\{\s*1\s*\}\}.*$/, "")}</span>
              <input
                value={values.buttons?.find((x) => x.index === b.index)?.text ?? ""}
                aria-invalid={!!problemOf(`buttons.${b.index}`)}
                onChange={(e) => setButton(b.index, { text: e.target.value })}
              />
            </span>
            {hint(`buttons.${b.index}`)}
          </label>
        ) : b.type === "QUICK_REPLY" ? (
          <label key={b.index}>
            {t("template.payload", { label: b.text })}
            <input
              value={values.buttons?.find((x) => x.index === b.index)?.payload ?? ""}
              onChange={(e) => setButton(b.index, { payload: e.target.value })}
            />
            {hint(`buttons.${b.index}`)}
          </label>
        ) : null,
      )}
      {preview && structure && (
        <div className="preview" aria-label={t("composer.preview")} role="group">
          <span className="small muted">{t("template.previewTitle")}</span>
          {structure.header && isMediaHeader(structure.header.format) && (
            <div className="preview-media">
              {previewUrl && headerMode === "upload" ? (
                <img src={previewUrl} alt={t("template.image")} />
              ) : (
                <span className="muted small">
                  [{t(`template.${structure.header.format.toLowerCase() as "image"}`)}]
                </span>
              )}
            </div>
          )}
          {preview.header && <strong className="preview-header">{preview.header}</strong>}
          <p className="preview-body">{preview.body}</p>
          {preview.footer && <p className="small muted">{preview.footer}</p>}
          {preview.buttons.length > 0 && (
            <ul className="preview-buttons">
              {preview.buttons.map((b, i) => (
                <li key={i} title={b.url ?? undefined}>
                  {b.text}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <button type="submit" className="primary" disabled={!template || props.isSending}>
        <Send aria-hidden size={16} /> {props.isSending ? t("composer.sending") : t("composer.sendTemplate")}
      </button>
    </form>
  );
}
