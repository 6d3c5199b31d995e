import i18n from "i18next";
import { initReactI18next } from "react-i18next";

import type De from "./locales/de.json";
import type En from "./locales/en.json";

type En = typeof En;
type De = typeof De;

/** The texts' shape with every leaf a string. */
type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };
/** Compiles only when A has every key of B (with string leaves). */
type HasKeysOf<A extends Shape<B>, B> = [A, B];
// Both locale files have exactly the same keys: a key missing in either fails the type check (both directions).
export type LocaleKeysMatch = [HasKeysOf<De, En>, HasKeysOf<En, De>];

declare module "i18next" {
  interface CustomTypeOptions {
    resources: { translation: En };
  }
}

export type Language = "de" | "en";
/** Each language is its own chunk: the console downloads only the one in use. */
const LOADERS: Record<Language, () => Promise<{ default: Shape<En> }>> = {
  de: () => import("./locales/de.json"),
  en: () => import("./locales/en.json"),
};

async function ensureLoaded(lng: Language): Promise<void> {
  if (i18n.hasResourceBundle(lng, "translation")) return;
  i18n.addResourceBundle(lng, "translation", (await LOADERS[lng]()).default);
}

/** Loads the user's language (stored choice, else the browser's) and starts i18next; render after it resolves. */
export async function initI18n(): Promise<void> {
  const stored = localStorage.getItem("inbox.lang");
  const lng: Language = stored === "de" || stored === "en" ? stored : navigator.language.startsWith("de") ? "de" : "en";
  await i18n.use(initReactI18next).init({
    resources: {},
    lng,
    fallbackLng: false,
    interpolation: { escapeValue: false },
    partialBundledLanguages: true,
  });
  await ensureLoaded(lng);
  document.documentElement.lang = lng;
  i18n.on("languageChanged", (next) => {
    document.documentElement.lang = next;
    localStorage.setItem("inbox.lang", next);
  });
}

/** Switches the console's language, loading its texts first. */
export async function switchLanguage(lng: string): Promise<void> {
  const language: Language = lng === "de" ? "de" : "en";
  await ensureLoaded(language);
  await i18n.changeLanguage(language);
}

export default i18n;
