// State of the member list page: filters, paging and the current page of rows.
// The state lives at module level on purpose, so that leaving for a member's file and coming
// back finds the list as it was (same search, filters and page).
import { computed, reactive, readonly, ref, shallowRef } from "vue";
import { toApiError } from "@/api/errors";
import { memberList } from "@/api/members";
import type { ApiError } from "@/generated/ApiError";
import type { MemberPage } from "@/generated/MemberPage";
import type { MemberQuery } from "@/generated/MemberQuery";
import type { Stage } from "@/generated/Stage";

export const PAGE_SIZES = [50, 100, 200] as const;
export const SEARCH_DEBOUNCE_MS = 250;

interface ListState {
  text: string;
  branchId: number | null;
  stage: Stage | null;
  page: number;
  pageSize: number;
}

function initialState(): ListState {
  return { text: "", branchId: null, stage: null, page: 1, pageSize: PAGE_SIZES[0] };
}

const state = reactive<ListState>(initialState());
const result = shallowRef<MemberPage | null>(null);
const loading = ref(false);
const error = shallowRef<ApiError | null>(null);
// Each request gets a number; an answer to anything but the latest request is dropped, so a
// slow reply to an old search can never overwrite the rows of a newer one.
let requestSeq = 0;
let debounceTimer: ReturnType<typeof setTimeout> | undefined;

function cancelDebounce() {
  if (debounceTimer !== undefined) {
    clearTimeout(debounceTimer);
    debounceTimer = undefined;
  }
}

function currentQuery(): MemberQuery {
  const text = state.text.trim();
  return {
    text: text === "" ? null : text,
    branch_id: state.branchId,
    stage: state.stage,
    offset: (state.page - 1) * state.pageSize,
    limit: state.pageSize,
  };
}

async function load(): Promise<void> {
  cancelDebounce();
  const seq = ++requestSeq;
  loading.value = true;
  try {
    const page = await memberList(currentQuery());
    if (seq !== requestSeq) return;
    result.value = page;
    error.value = null;
  } catch (reason) {
    if (seq !== requestSeq) return;
    result.value = null;
    error.value = toApiError(reason);
  } finally {
    if (seq === requestSeq) loading.value = false;
  }
}

/** Search-as-you-type: the request goes out once typing pauses. */
function setText(text: string) {
  state.text = text;
  state.page = 1;
  cancelDebounce();
  debounceTimer = setTimeout(() => void load(), SEARCH_DEBOUNCE_MS);
}

function setBranch(branchId: number | null) {
  state.branchId = branchId;
  state.page = 1;
  void load();
}

function setStage(stage: Stage | null) {
  state.stage = stage;
  state.page = 1;
  void load();
}

function setPage(page: number) {
  state.page = page;
  void load();
}

function setPageSize(pageSize: number) {
  state.pageSize = pageSize;
  state.page = 1;
  void load();
}

/** Forgets filters, rows and pending requests; for tests, which share this module's state. */
export function resetMemberListState() {
  cancelDebounce();
  requestSeq++;
  Object.assign(state, initialState());
  result.value = null;
  loading.value = false;
  error.value = null;
}

export function useMemberList() {
  return {
    state: readonly(state),
    rows: computed(() => result.value?.rows ?? []),
    total: computed(() => result.value?.total ?? 0),
    loading: readonly(loading),
    error: readonly(error),
    load,
    setText,
    setBranch,
    setStage,
    setPage,
    setPageSize,
  };
}
