// Turns whatever a failed backend call rejects with into an `ApiError`, so the rest of the UI
// only ever sees `{ code, message, details }`.
import type { ApiError } from "@/generated/ApiError";

/** Code used when the page runs outside the Tauri window (plain `vite` in a browser). */
export const NO_BACKEND = "no_backend";
/** Code used when a rejection does not look like an ApiError at all. */
export const UNKNOWN_ERROR = "unknown";

export function isApiError(value: unknown): value is ApiError {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.code === "string" && typeof candidate.message === "string";
}

export function toApiError(reason: unknown): ApiError {
  if (isApiError(reason)) {
    return { code: reason.code, message: reason.message, details: reason.details ?? null };
  }
  if (reason instanceof Error) {
    return { code: UNKNOWN_ERROR, message: reason.message, details: null };
  }
  if (typeof reason === "string") {
    return { code: UNKNOWN_ERROR, message: reason, details: null };
  }
  return { code: UNKNOWN_ERROR, message: String(reason), details: reason ?? null };
}
