// The one place that calls Tauri's `invoke`; the area files (`archive.ts`, `org.ts`,
// `members.ts`) wrap it with typed functions named after the backend commands.
import { invoke, isTauri, type InvokeArgs, type InvokeOptions } from "@tauri-apps/api/core";
import type { ApiError } from "@/generated/ApiError";
import { NO_BACKEND, toApiError } from "./errors";

/**
 * Calls a backend command; a failure always rejects with a normalised `ApiError`. `args` may be
 * raw bytes (a Uint8Array), sent as the request body with `options.headers` beside them.
 */
export async function call<T>(command: string, args?: InvokeArgs, options?: InvokeOptions): Promise<T> {
  if (!isTauri()) {
    const error: ApiError = {
      code: NO_BACKEND,
      message: `Command "${command}" needs the Dangan desktop window`,
      details: null,
    };
    throw error;
  }
  try {
    return await (options === undefined
      ? invoke<T>(command, args)
      : invoke<T>(command, args, options));
  } catch (reason) {
    throw toApiError(reason);
  }
}
