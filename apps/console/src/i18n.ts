import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import de from "./locales/de.json";
import en from "./locales/en.json";

/** The texts' shape with every leaf a string. */
type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };
// Both locale files have exactly the same keys: a key missing in either fails the type check (both directions).
const isSameShapeDe: Shape<typeof en> = de;
const isSameShapeEn: Shape<typeof de> = en;
void [isSameShapeDe, isSameShapeEn];

declare module "i18next" {
  interface CustomTypeOptions {
    resources: { translation: typeof en };
  }
}

const stored = typeof localStorage !== "undefined" ? localStorage.getItem("inbox.lang") : null;
void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, de: { translation: de } },
  lng: stored ?? (navigator.language.startsWith("de") ? "de" : "en"),
  fallbackLng: "en",
  interpolation: { escapeValue: false },
});
i18n.on("languageChanged", (lng) => {
  document.documentElement.lang = lng;
  localStorage.setItem("inbox.lang", lng);
});
document.documentElement.lang = i18n.language;

export default i18n;
