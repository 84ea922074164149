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
import { sessionAllows, useSession } from "@/composables/useSession";
import type { Permission } from "@/generated/Permission";

/** Who may open a page: one of these permissions of the session's role (none listed: anyone). */
const EXCHANGE: readonly Permission[] = ["import", "export"];
const AUDIT: readonly Permission[] = ["audit_read"];

/**
 * The side navigation, in display order; `key` names both the route and the `nav.*` label.
 * An entry with `anyOf` shows only to a role with one of those permissions (the route is
 * guarded by the same list).
 */
export const NAV_ENTRIES: readonly {
  key: "members" | "reports" | "meetings" | "exchange" | "dashboard" | "audit" | "settings";
  path: string;
  anyOf?: readonly Permission[];
}[] = [
  { key: "members", path: "/members" },
  { key: "reports", path: "/reports" },
  { key: "meetings", path: "/meetings" },
  { key: "exchange", path: "/exchange", anyOf: EXCHANGE },
  { key: "dashboard", path: "/dashboard" },
  { key: "audit", path: "/audit", anyOf: AUDIT },
  { key: "settings", path: "/settings" },
];

export type NavKey = (typeof NAV_ENTRIES)[number]["key"];

declare module "vue-router" {
  interface RouteMeta {
    /** Which side-navigation entry is active on this route. */
    nav?: NavKey;
    /** The permissions of which the session's role needs one to open the page. */
    anyOf?: readonly Permission[];
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
  {
    path: "/exchange",
    name: "exchange",
    component: ExchangeView,
    meta: { nav: "exchange", anyOf: EXCHANGE },
  },
  { path: "/dashboard", name: "dashboard", component: DashboardView, meta: { nav: "dashboard" } },
  { path: "/audit", name: "audit", component: AuditView, meta: { nav: "audit", anyOf: AUDIT } },
  { path: "/settings", name: "settings", component: SettingsView, meta: { nav: "settings" } },
  { path: "/:pathMatch(.*)*", redirect: "/members" },
];

export function createAppRouter() {
  const router = createRouter({ history: createWebHashHistory(), routes });
  // A page the role may not open (typed into the address or left open by another user) sends
  // the user to the member list instead of showing a refusal. Before a login nothing is routed
  // anyway: the shell shows the login page.
  router.beforeEach(async (to) => {
    if (!to.meta.anyOf) return true;
    const { session, ensureLoaded } = useSession();
    await ensureLoaded();
    if (!session.value || sessionAllows(to.meta.anyOf)) return true;
    return { path: "/members" };
  });
  return router;
}
