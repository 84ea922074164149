// Entry point: mounts the app with Element Plus, vue-i18n and the router.
import ElementPlus from "element-plus";
import "element-plus/dist/index.css";
import { createApp } from "vue";
import App from "./App.vue";
import { storedLocale } from "./composables/useLanguage";
import { createAppI18n } from "./i18n";
import { createAppRouter } from "./router";
import "./styles.css";

const locale = storedLocale();
document.documentElement.lang = locale;

createApp(App).use(ElementPlus).use(createAppI18n(locale)).use(createAppRouter()).mount("#app");
