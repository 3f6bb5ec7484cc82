// Limits on what clients may send, shared by every wire format (Heap's documented limits, enforced at
// each ingest boundary) and by the filters that search what was stored under them.
export const LIMITS = {
  eventNameChars: 1024,
  identityChars: 255,
  propertyKeyChars: 512,
  propertyValueChars: 1024,
  bulkItems: 1000,
  maxPropertiesPerObject: 1000,
  targetTextChars: 255,
  urlChars: 2048,
  hierarchyChars: 4096,
} as const;
