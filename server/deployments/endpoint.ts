/** Where callers reach a deployment: the serving process's public URL (CAIRN_SERVE_PUBLIC_URL; npm start passes it to the web server). */
export function servingPublicUrl(): string {
  const configured = process.env.CAIRN_SERVE_PUBLIC_URL?.replace(/\/+$/, "");
  return configured || `http://localhost:${process.env.CAIRN_SERVE_PORT ?? 3001}`;
}

/** The Open Inference Protocol infer URL of deployment `name`. */
export function inferUrl(name: string): string {
  return `${servingPublicUrl()}/v2/models/${encodeURIComponent(name)}/infer`;
}
