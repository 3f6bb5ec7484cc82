/** The fields a user's display identifier is made from. */
export interface IdentifiableUser {
  id: number | string;
  identity?: string | null;
  properties?: Record<string, unknown> | null;
}

/** Which field named the user: shown dimmed/labelled differently in the UI. */
export type IdentifierKind = "identity" | "email" | "anonymous";

/** How the dashboard names a user: the identity, else the `email` property, else `User <user id>`. */
export function userIdentifier(user: IdentifiableUser): { text: string; kind: IdentifierKind } {
  if (user.identity) return { text: user.identity, kind: "identity" };
  const email = user.properties?.email;
  if (typeof email === "string" && email.trim() !== "") return { text: email, kind: "email" };
  if (typeof email === "number") return { text: String(email), kind: "email" };
  return { text: `User ${user.id}`, kind: "anonymous" };
}

export function displayIdentifier(user: IdentifiableUser): string {
  return userIdentifier(user).text;
}
