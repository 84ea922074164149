// Routes of the app shell. Hash history, because the Tauri window serves files, not a web server.
import { createRouter, createWebHashHistory, type RouteRecordRaw } from "vue-router";
import DashboardView from "@/views/DashboardView.vue";
import ExchangeView from "@/views/ExchangeView.vue";
import MemberDetailView from "@/views/MemberDetailView.vue";
import MeetingsView from "@/views/MeetingsView.vue";
import MemberListView from "@/views/MemberListView.vue";
import ReportsView from "@/views/ReportsView.vue";
import SearchView from "@/views/SearchView.vue";
import AuditView from "@/views/AuditView.vue";
import SettingsView from "@/views/SettingsView.vue";

/** The side navigation, in display order; `key` names both the route and the `nav.*` label. */
export const NAV_ENTRIES = [
  { key: "members", path: "/members" },
  { key: "reports", path: "/reports" },
  { key: "meetings", path: "/meetings" },
  { key: "exchange", path: "/exchange" },
  { key: "dashboard", path: "/dashboard" },
  { key: "audit", path: "/audit" },
  { key: "settings", path: "/settings" },
] as const;

export type NavKey = (typeof NAV_ENTRIES)[number]["key"];

declare module "vue-router" {
  interface RouteMeta {
    /** Which side-navigation entry is active on this route. */
    nav?: NavKey;
  }
}

export const routes: RouteRecordRaw[] = [
  { path: "/", redirect: "/members" },
  { path: "/members", name: "members", component: MemberListView, meta: { nav: "members" } },
  {
    path: "/members/:id(\\d+)",
    name: "member-detail",
    component: MemberDetailView,
    props: (route) => ({ id: Number(route.params.id) }),
    meta: { nav: "members" },
  },
  {
    path: "/search",
    name: "search",
    component: SearchView,
    props: (route) => ({ q: typeof route.query.q === "string" ? route.query.q : "" }),
  },
  { path: "/reports", name: "reports", component: ReportsView, meta: { nav: "reports" } },
  { path: "/meetings", name: "meetings", component: MeetingsView, meta: { nav: "meetings" } },
  { path: "/exchange", name: "exchange", component: ExchangeView, meta: { nav: "exchange" } },
  { path: "/dashboard", name: "dashboard", component: DashboardView, meta: { nav: "dashboard" } },
  { path: "/audit", name: "audit", component: AuditView, meta: { nav: "audit" } },
  { path: "/settings", name: "settings", component: SettingsView, meta: { nav: "settings" } },
  { path: "/:pathMatch(.*)*", redirect: "/members" },
];

export function createAppRouter() {
  return createRouter({ history: createWebHashHistory(), routes });
}
