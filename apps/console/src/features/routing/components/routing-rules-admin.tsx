import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import {
  CONTACT_ATTRIBUTES,
  type RoutingConditions,
  type RoutingRuleInput,
  type RoutingTestResult,
} from "@inbox/contracts";
import { adminApi } from "../../admin/api";
import { useLabels } from "../../inbox/hooks/use-directory";
import { routingApi } from "../api";
import { errorText } from "../error-text";
import { ROUTING_NS } from "../locales";

const list = (s: string) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
const orUndefined = <T,>(xs: T[]) => (xs.length ? xs : undefined);

function RuleEditor({
  rule,
  index,
  count,
  onChange,
  onMove,
  onRemove,
}: {
  rule: RoutingRuleInput;
  index: number;
  count: number;
  onChange: (r: RoutingRuleInput) => void;
  onMove: (delta: number) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation(ROUTING_NS);
  const teams = useQuery({ queryKey: ["admin-teams"], queryFn: routingApi.teams });
  const channels = useQuery({ queryKey: ["admin-channels"], queryFn: adminApi.channels });
  const labels = useLabels();
  const c = rule.conditions;
  const set = (patch: Partial<RoutingConditions>) => {
    const conditions = { ...c, ...patch };
    for (const k of Object.keys(conditions) as (keyof RoutingConditions)[]) {
      if (conditions[k] === undefined) delete conditions[k];
    }
    onChange({ ...rule, conditions });
  };
  const toggle = (ids: string[] | undefined, id: string, on: boolean) =>
    orUndefined(on ? [...(ids ?? []), id] : (ids ?? []).filter((x) => x !== id));
  return (
    <li className="card" data-testid="routing-rule">
      <div className="row">
        <strong>{index + 1}.</strong>
        <input
          aria-label={t("rules.name")}
          placeholder={t("rules.name")}
          value={rule.name}
          maxLength={120}
          onChange={(e) => onChange({ ...rule, name: e.target.value })}
        />
        <label>
          {t("rules.team")}{" "}
          <select value={rule.teamId} onChange={(e) => onChange({ ...rule, teamId: e.target.value })}>
            <option value="">—</option>
            {teams.data?.items.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </select>
        </label>
        <label className="row">
          <input
            type="checkbox"
            checked={rule.isActive}
            onChange={(e) => onChange({ ...rule, isActive: e.target.checked })}
          />{" "}
          {t("rules.active")}
        </label>
        <button type="button" aria-label={t("rules.up")} disabled={index === 0} onClick={() => onMove(-1)}>
          ↑
        </button>
        <button type="button" aria-label={t("rules.down")} disabled={index === count - 1} onClick={() => onMove(1)}>
          ↓
        </button>
        <button type="button" onClick={onRemove}>
          {t("rules.remove")}
        </button>
      </div>
      <fieldset>
        <legend>{t("rules.channels")}</legend>
        {channels.data?.items.map((ch) => (
          <label key={ch.id} className="row">
            <input
              type="checkbox"
              checked={c.channelIds?.includes(ch.id) ?? false}
              onChange={(e) => set({ channelIds: toggle(c.channelIds, ch.id, e.target.checked) })}
            />{" "}
            {ch.name}
          </label>
        ))}
      </fieldset>
      <label>
        {t("rules.languages")}
        <input
          value={c.languages?.join(", ") ?? ""}
          onChange={(e) => set({ languages: orUndefined(list(e.target.value.toLowerCase())) })}
        />
      </label>
      <label>
        {t("rules.keywords")}
        <input
          value={c.keywords?.join(", ") ?? ""}
          onChange={(e) => set({ keywords: orUndefined(list(e.target.value)) })}
        />
      </label>
      <label>
        {t("rules.pattern")}
        <input value={c.pattern ?? ""} onChange={(e) => set({ pattern: e.target.value || undefined })} />
      </label>
      <label>
        {t("rules.replyIds")}
        <input
          value={c.replyIds?.join(", ") ?? ""}
          onChange={(e) => set({ replyIds: orUndefined(list(e.target.value)) })}
        />
      </label>
      {(labels.data?.items.length ?? 0) > 0 && (
        <fieldset>
          <legend>{t("rules.labels")}</legend>
          {labels.data?.items.map((l) => (
            <label key={l.id} className="row">
              <input
                type="checkbox"
                checked={c.labelIds?.includes(l.id) ?? false}
                onChange={(e) => set({ labelIds: toggle(c.labelIds, l.id, e.target.checked) })}
              />{" "}
              {l.name}
            </label>
          ))}
        </fieldset>
      )}
      <div className="row">
        <label>
          {t("rules.attribute")}{" "}
          <select
            value={c.contactAttribute?.name ?? ""}
            onChange={(e) =>
              set({
                contactAttribute: e.target.value
                  ? {
                      name: e.target.value as (typeof CONTACT_ATTRIBUTES)[number],
                      value: c.contactAttribute?.value ?? "",
                    }
                  : undefined,
              })
            }
          >
            {(["", ...CONTACT_ATTRIBUTES] as const).map((a) => (
              <option key={a} value={a}>
                {t(`rules.attributes.${a}`)}
              </option>
            ))}
          </select>
        </label>
        {c.contactAttribute && (
          <label>
            {t("rules.attributeValue")}{" "}
            <input
              value={c.contactAttribute.value}
              onChange={(e) => set({ contactAttribute: { name: c.contactAttribute!.name, value: e.target.value } })}
            />
          </label>
        )}
      </div>
    </li>
  );
}

function Tester({ rules }: { rules: RoutingRuleInput[] }) {
  const { t } = useTranslation(ROUTING_NS);
  const channels = useQuery({ queryKey: ["admin-channels"], queryFn: adminApi.channels });
  const [form, setForm] = useState({ channelId: "", text: "", language: "de", replyId: "" });
  const run = useMutation({
    mutationFn: () =>
      routingApi.test({
        channelId: form.channelId || channels.data?.items[0]?.id || "",
        text: form.text,
        language: form.language || null,
        replyId: form.replyId || null,
        rules,
      }),
  });
  const describe = (r: RoutingTestResult) =>
    r.teamName
      ? `${t("tester.result", { team: r.teamName })} (${
          r.ruleIndex !== null
            ? t("tester.byRule", { index: r.ruleIndex + 1, name: r.ruleName })
            : t("tester.byDefault")
        })`
      : t("tester.nobody");
  return (
    <form
      className="card"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        run.mutate();
      }}
    >
      <h3>{t("tester.title")}</h3>
      <label>
        {t("tester.channel")}
        <select value={form.channelId} onChange={(e) => setForm({ ...form, channelId: e.target.value })}>
          {channels.data?.items.map((ch) => (
            <option key={ch.id} value={ch.id}>
              {ch.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("tester.text")}
        <textarea rows={2} value={form.text} onChange={(e) => setForm({ ...form, text: e.target.value })} />
      </label>
      <label>
        {t("tester.language")}
        <input
          value={form.language}
          maxLength={2}
          onChange={(e) => setForm({ ...form, language: e.target.value.toLowerCase() })}
        />
      </label>
      <label>
        {t("tester.replyId")}
        <input value={form.replyId} onChange={(e) => setForm({ ...form, replyId: e.target.value })} />
      </label>
      <button type="submit" disabled={!channels.data?.items.length}>
        {t("tester.run")}
      </button>
      {run.data && (
        <p role="status" data-testid="routing-test-result">
          {describe(run.data)}
        </p>
      )}
      {run.error && (
        <p role="alert" className="error">
          {errorText(t, run.error)}
        </p>
      )}
    </form>
  );
}

function ChannelDefaults() {
  const { t } = useTranslation(ROUTING_NS);
  const client = useQueryClient();
  const channels = useQuery({ queryKey: ["admin-channels"], queryFn: adminApi.channels });
  const teams = useQuery({ queryKey: ["admin-teams"], queryFn: routingApi.teams });
  const set = useMutation({
    mutationFn: (a: { channelId: string; teamId: string | null }) => routingApi.setDefaultTeam(a.channelId, a.teamId),
    onSuccess: () => void client.invalidateQueries({ queryKey: ["admin-channels"] }),
  });
  return (
    <section>
      <h3>{t("rules.defaults")}</h3>
      {channels.data?.items.map((ch) => (
        <label key={ch.id} className="row">
          {ch.name}{" "}
          <select
            value={ch.defaultTeamId ?? ""}
            onChange={(e) => set.mutate({ channelId: ch.id, teamId: e.target.value || null })}
          >
            <option value="">{t("rules.noDefault")}</option>
            {teams.data?.items.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </select>
        </label>
      ))}
      {set.error && (
        <p role="alert" className="error">
          {errorText(t, set.error)}
        </p>
      )}
    </section>
  );
}

/** Ordered routing rules (first match wins), the "which team would get this?" tester and channel default teams. */
export function RoutingRulesAdmin() {
  const { t } = useTranslation(ROUTING_NS);
  const stored = useQuery({ queryKey: ["routing-rules"], queryFn: routingApi.rules });
  return (
    <div className="routing-admin">
      <h2>{t("rules.title")}</h2>
      <p className="muted">{t("rules.help")}</p>
      {stored.isPending && <p className="muted">…</p>}
      {stored.error && (
        <p role="alert" className="error">
          {errorText(t, stored.error)}
        </p>
      )}
      {stored.data && (
        <RulesEditor
          key={stored.dataUpdatedAt}
          initial={stored.data.items.map(({ name, isActive, conditions, teamId }) => ({
            name,
            isActive,
            conditions,
            teamId,
          }))}
        />
      )}
      <ChannelDefaults />
    </div>
  );
}

function RulesEditor({ initial }: { initial: RoutingRuleInput[] }) {
  const { t } = useTranslation(ROUTING_NS);
  const client = useQueryClient();
  const [rules, setRules] = useState(initial);
  const save = useMutation({
    mutationFn: () => routingApi.saveRules(rules),
    onSuccess: () => void client.invalidateQueries({ queryKey: ["routing-rules"] }),
  });
  const move = (i: number, delta: number) => {
    const next = [...rules];
    const [r] = next.splice(i, 1);
    next.splice(i + delta, 0, r!);
    setRules(next);
  };
  return (
    <>
      {rules.length === 0 && <p className="muted">{t("rules.empty")}</p>}
      <ol className="plain">
        {rules.map((rule, i) => (
          <RuleEditor
            key={i}
            rule={rule}
            index={i}
            count={rules.length}
            onChange={(r) => setRules(rules.map((x, j) => (j === i ? r : x)))}
            onMove={(d) => move(i, d)}
            onRemove={() => setRules(rules.filter((_, j) => j !== i))}
          />
        ))}
      </ol>
      <div className="actions">
        <button
          type="button"
          onClick={() => setRules([...rules, { name: "", isActive: true, conditions: {}, teamId: "" }])}
        >
          {t("rules.add")}
        </button>
        <button type="button" disabled={save.isPending} onClick={() => save.mutate()}>
          {t("rules.save")}
        </button>
      </div>
      {save.isSuccess && <p role="status">{t("rules.saved")}</p>}
      {save.error && (
        <p role="alert" className="error">
          {errorText(t, save.error)}
        </p>
      )}
      <Tester rules={rules} />
    </>
  );
}
