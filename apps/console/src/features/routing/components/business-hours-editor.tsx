import { useTranslation } from "react-i18next";
import { WEEKDAYS, type BusinessHours } from "@inbox/contracts";
import { ROUTING_NS } from "../locales";

const STATES = ["BB", "BE", "BW", "BY", "HB", "HE", "HH", "MV", "NI", "NW", "RP", "SH", "SL", "SN", "ST", "TH"];
const DEFAULT_HOURS: BusinessHours = {
  timeZone: "Europe/Berlin",
  days: Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [{ from: "09:00", to: "17:00" }]])),
  holidayState: null,
  closedDates: [],
};

/** One opening period per weekday (empty: closed), time zone, public holidays of a German state, extra closed dates. */
export function BusinessHoursEditor({
  value,
  onChange,
}: {
  value: BusinessHours | null;
  onChange: (v: BusinessHours | null) => void;
}) {
  const { t } = useTranslation(ROUTING_NS);
  const setDay = (day: (typeof WEEKDAYS)[number], key: "from" | "to", time: string) => {
    if (!value) return;
    const current = value.days[day]?.[0] ?? { from: "09:00", to: "17:00" };
    const next = { ...current, [key]: time };
    onChange({ ...value, days: { ...value.days, [day]: next.from || next.to ? [next] : [] } });
  };
  return (
    <fieldset>
      <legend>{t("teams.businessHours")}</legend>
      <label className="row">
        <input
          type="checkbox"
          checked={value === null}
          onChange={(e) => onChange(e.target.checked ? null : DEFAULT_HOURS)}
        />{" "}
        {t("teams.alwaysOpen")}
      </label>
      {value && (
        <>
          <label>
            {t("teams.timeZone")}
            <input value={value.timeZone} onChange={(e) => onChange({ ...value, timeZone: e.target.value })} />
          </label>
          {WEEKDAYS.map((day) => {
            const period = value.days[day]?.[0];
            return (
              <div key={day} className="row">
                <span>{t(`teams.days.${day}`)}</span>
                <input
                  type="time"
                  aria-label={`${t(`teams.days.${day}`)} from`}
                  value={period?.from ?? ""}
                  onChange={(e) => setDay(day, "from", e.target.value)}
                />
                –
                <input
                  type="time"
                  aria-label={`${t(`teams.days.${day}`)} to`}
                  value={period?.to ?? ""}
                  onChange={(e) => setDay(day, "to", e.target.value)}
                />
                {!period && <span className="muted small">{t("teams.closed")}</span>}
              </div>
            );
          })}
          <label>
            {t("teams.holidayState")}
            <select
              value={value.holidayState ?? ""}
              onChange={(e) => onChange({ ...value, holidayState: e.target.value || null })}
            >
              <option value="">{t("teams.noHolidays")}</option>
              {STATES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("teams.closedDates")}
            <input
              value={value.closedDates.join(", ")}
              onChange={(e) =>
                onChange({
                  ...value,
                  closedDates: e.target.value
                    .split(",")
                    .map((s) => s.trim())
                    .filter(Boolean),
                })
              }
            />
          </label>
        </>
      )}
    </fieldset>
  );
}
