// Page state kept in the URL's query string (filters, search, tabs), so a filtered view is a link
// that can be shared or bookmarked, and Back restores it.
import { useCallback } from 'react';
import { useLocation, useSearch } from 'wouter';

export function useQueryState(): [URLSearchParams, (changes: Record<string, string>) => void] {
  const search = useSearch();
  const [location, navigate] = useLocation();
  const params = new URLSearchParams(search);
  const set = useCallback(
    (changes: Record<string, string>) => {
      const next = new URLSearchParams(window.location.search);
      for (const [k, v] of Object.entries(changes)) {
        if (v === '') next.delete(k);
        else next.set(k, v);
      }
      const qs = next.toString();
      navigate(`${location}${qs ? `?${qs}` : ''}`, { replace: true });
    },
    [location, navigate],
  );
  return [params, set];
}
