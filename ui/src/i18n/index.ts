// vue-i18n set-up: zh-CN is the default and fallback language, English the second one.
// Element Plus has its own locale objects; `elementLocales` keeps them in step with ours.
import type { Language } from "element-plus/es/locale";
import elementEn from "element-plus/es/locale/lang/en";
import elementZhCn from "element-plus/es/locale/lang/zh-cn";
import { createI18n } from "vue-i18n";
import en from "./en";
import zhCN, { type MessageSchema } from "./zh-CN";

export const LOCALES = ["zh-CN", "en"] as const;
export type AppLocale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: AppLocale = "zh-CN";

export const elementLocales: Record<AppLocale, Language> = {
  "zh-CN": elementZhCn,
  en: elementEn,
};

export function isAppLocale(value: unknown): value is AppLocale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

export function createAppI18n(locale: AppLocale = DEFAULT_LOCALE) {
  return createI18n<[MessageSchema], AppLocale, false>({
    legacy: false,
    locale,
    fallbackLocale: DEFAULT_LOCALE,
    messages: { "zh-CN": zhCN, en },
  });
}
