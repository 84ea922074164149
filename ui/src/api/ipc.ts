// The one place that calls Tauri's `invoke`; the area files (`archive.ts`, `org.ts`,
// `members.ts`) wrap it with typed functions named after the backend commands.
import { invoke, isTauri, type InvokeArgs } from "@tauri-apps/api/core";
import type { ApiError } from "@/generated/ApiError";
import { NO_BACKEND, toApiError } from "./errors";

/** Calls a backend command; a failure always rejects with a normalised `ApiError`. */
export async function call<T>(command: string, args?: InvokeArgs): Promise<T> {
  if (!isTauri()) {
    const error: ApiError = {
      code: NO_BACKEND,
      message: `Command "${command}" needs the Dangan desktop window`,
      details: null,
    };
    throw error;
  }
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    throw toApiError(reason);
  }
}
