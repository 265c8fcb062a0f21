/**
 * Git push webhooks, the pure part: checking GitHub's signature and GitLab's token, reading the
 * push out of either provider's payload, and matching its branch against the `push` trigger.
 * No I/O here; server/pipelines/triggers/webhook.ts does the database work.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";

export type PushProvider = "github" | "gitlab";

/** Webhook bodies above this are refused (413) before they are read further: GitHub caps its own payloads at 25 MB but a push with a few commits is a few KiB. */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

/** Equal-length digests compared in constant time; a length mismatch is answered at once (the length of a SHA-256 is no secret). */
function digestsEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Whether `header` (X-Hub-Signature-256, "sha256=<hex>") is GitHub's HMAC-SHA256 of the exact body
 * bytes under `secret`. The body is never re-serialised: any change of whitespace or key order breaks
 * the signature, which is the point.
 */
export function githubSignatureValid(body: Uint8Array, header: string | null, secret: string): boolean {
  const expected = createHmac("sha256", secret).update(body).digest();
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header?.trim() ?? "");
  // Without a well-formed header the HMAC is still computed above, so a missing header costs the same time as a wrong one.
  if (!match) return false;
  return digestsEqual(Buffer.from(match[1]!, "hex"), expected);
}

/**
 * Whether X-Gitlab-Token equals the secret. GitLab sends the secret itself; both sides are hashed
 * first so the comparison takes the same time whatever the token's length.
 */
export function gitlabTokenValid(header: string | null, secret: string): boolean {
  const sha = (s: string) => createHash("sha256").update(s, "utf8").digest();
  return digestsEqual(sha(header ?? ""), sha(secret)) && header !== null;
}

/** SHA-256 of the body: the run's idempotency key, so the same signed body sent under a new delivery id starts nothing new. */
export const bodyDigest = (body: Uint8Array) => createHash("sha256").update(body).digest("hex");

/** A push as both providers describe it. */
export interface Push {
  /** "refs/heads/main", "refs/tags/v1" ... */
  ref: string;
  /** The branch name for refs/heads/*, null for tags and other refs. */
  branch: string | null;
  /** The commit the ref points to after the push; null when the push deleted the ref. */
  commit: string | null;
  repository: string | null;
  pusher: string | null;
}

const ZSha = z.string().regex(/^[0-9a-f]{7,64}$/i);
// Control characters (NUL above all) cannot be stored in the run's JSON; git refuses them in ref names anyway.
const ZText = z.string().max(1000).regex(/^[^\u0000-\u001f\u007f]*$/, "must not contain control characters");
const ZNullableText = ZText.nullish();
// Only the fields read here; providers send much more, which passes through untouched (zod strips it).
const ZGithubPush = z.object({
  ref: ZText.min(1),
  after: ZSha.nullish(),
  deleted: z.boolean().optional(),
  repository: z.object({ full_name: ZNullableText }).nullish(),
  pusher: z.object({ name: ZNullableText }).nullish(),
});
const ZGitlabPush = z.object({
  ref: ZText.min(1),
  checkout_sha: ZSha.nullish(),
  project: z.object({ path_with_namespace: ZNullableText }).nullish(),
  user_username: ZNullableText,
});

const ZERO_SHA = /^0+$/;

function branchOf(ref: string): string | null {
  return ref.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : null;
}

/** The push described by a provider's JSON payload; a ZodError when the payload is not a push. */
export function parsePush(provider: PushProvider, payload: unknown): Push {
  if (provider === "github") {
    const p = ZGithubPush.parse(payload);
    const commit = p.deleted || !p.after || ZERO_SHA.test(p.after) ? null : p.after;
    return { ref: p.ref, branch: branchOf(p.ref), commit, repository: p.repository?.full_name ?? null, pusher: p.pusher?.name ?? null };
  }
  const p = ZGitlabPush.parse(payload);
  // GitLab sends checkout_sha null when the push deleted the branch.
  const commit = !p.checkout_sha || ZERO_SHA.test(p.checkout_sha) ? null : p.checkout_sha;
  return { ref: p.ref, branch: branchOf(p.ref), commit, repository: p.project?.path_with_namespace ?? null, pusher: p.user_username ?? null };
}

function globToRegExp(pattern: string): RegExp {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*" && pattern[i + 1] === "*") {
      out += ".*";
      i++;
    } else if (c === "*") out += "[^/]*";
    else out += c.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${out}$`);
}

/**
 * Whether a push to `branch` matches the trigger's `branches`: a name, or a pattern where `*` is any
 * text without "/" and `**` any text ("release/*", "feature/**"). No list means every branch.
 */
export function branchMatches(branches: readonly string[] | undefined, branch: string): boolean {
  if (!branches || branches.length === 0) return true;
  return branches.some((b) => globToRegExp(b).test(branch));
}

/**
 * Why a push starts no run, or null when it does: only pushes of a branch's new commit count
 * (tags and deletions do not), filtered by the trigger's branches.
 */
export function pushIgnoredBecause(push: Push, branches: readonly string[] | undefined): string | null {
  if (push.branch === null) return `${push.ref} is not a branch`;
  if (push.commit === null) return `the push deleted ${push.branch}`;
  if (!branchMatches(branches, push.branch)) return `branch ${push.branch} is not in the trigger's branches (${branches!.join(", ")})`;
  return null;
}
