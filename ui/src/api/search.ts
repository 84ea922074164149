// Typed wrapper for the search command (`search_query`): members and documents in one answer.
import type { SearchResults } from "@/generated/SearchResults";
import { call } from "./ipc";

/** The first `limit` things matching `query` (all its terms), with the total that match. */
export function searchQuery(query: string, limit: number): Promise<SearchResults> {
  return call<SearchResults>("search_query", { query, limit });
}
