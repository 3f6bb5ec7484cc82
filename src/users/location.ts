/** Where someone was, as one line: "Paris, Île-de-France, France" without empty or repeated parts; "" when unknown. */
export function formatLocation(l: { city?: string | null; region?: string | null; country?: string | null } | null | undefined): string {
  if (!l) return "";
  const parts = [l.city, l.region, l.country].filter((p): p is string => !!p && p.trim() !== "");
  return [...new Set(parts)].join(", ");
}
