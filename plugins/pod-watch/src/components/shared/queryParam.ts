/** A query parameter of the page URL: search results link to tabs with `?incident=` or `?workload=`. */
export function queryParam(name: string): string | undefined {
  if (typeof window === 'undefined') return undefined;
  return new URLSearchParams(window.location.search).get(name) ?? undefined;
}
