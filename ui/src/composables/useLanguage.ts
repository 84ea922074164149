// The UI language: switches vue-i18n and Element Plus together and remembers the choice.
import { computed } from "vue";
import { useI18n } from "vue-i18n";
import { DEFAULT_LOCALE, elementLocales, isAppLocale, type AppLocale } from "@/i18n";

const STORAGE_KEY = "dangan.locale";

/** The language chosen last time, or zh-CN. */
export function storedLocale(): AppLocale {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    return isAppLocale(saved) ? saved : DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}

export function useLanguage() {
  const { locale } = useI18n({ useScope: "global" });
  const current = computed<AppLocale>(() => (isAppLocale(locale.value) ? locale.value : DEFAULT_LOCALE));

  function setLocale(next: AppLocale) {
    locale.value = next;
    document.documentElement.lang = next;
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, next);
    } catch {
      // Storage can be unavailable (private mode); the choice then lasts for this session only.
    }
  }

  return {
    locale: current,
    elementLocale: computed(() => elementLocales[current.value]),
    setLocale,
  };
}
