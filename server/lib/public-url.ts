/** The address people reach this Cairn at, for links in messages that leave it (invitations, alerts). */
export function publicBaseUrl(): string {
  return (process.env.CAIRN_PUBLIC_URL ?? process.env.NEXTAUTH_URL ?? "http://localhost:3000").replace(/\/+$/, "");
}

/** An absolute URL for a path of this Cairn ("/org/project/…"); absolute URLs are kept as they are. */
export function absoluteUrl(pathOrUrl: string): string {
  return /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${publicBaseUrl()}${pathOrUrl.startsWith("/") ? "" : "/"}${pathOrUrl}`;
}
