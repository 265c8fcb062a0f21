import { describe, expect, it } from "vitest";
import { branchMatches, githubSignatureValid, gitlabTokenValid, parsePush, pushIgnoredBecause } from "./push";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("GitHub signatures", () => {
  // The test vector from GitHub's "Validating webhook deliveries" documentation.
  const secret = "It's a Secret to Everybody";
  const body = bytes("Hello, World!");
  const good = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

  it("accepts GitHub's documented example and refuses any change of body, secret or header", () => {
    expect(githubSignatureValid(body, good, secret)).toBe(true);
    expect(githubSignatureValid(body, good.toUpperCase().replace("SHA256=", "sha256="), secret)).toBe(true);
    expect(githubSignatureValid(bytes("Hello, World! "), good, secret)).toBe(false);
    expect(githubSignatureValid(body, good, `${secret}x`)).toBe(false);
    expect(githubSignatureValid(body, good.replace(/.$/, "f"), secret)).toBe(false);
  });

  it("refuses missing, truncated and SHA-1 style headers", () => {
    expect(githubSignatureValid(body, null, secret)).toBe(false);
    expect(githubSignatureValid(body, "", secret)).toBe(false);
    expect(githubSignatureValid(body, good.slice(0, -2), secret)).toBe(false);
    expect(githubSignatureValid(body, good.replace("sha256=", "sha1="), secret)).toBe(false);
    expect(githubSignatureValid(body, good.replace("sha256=", ""), secret)).toBe(false);
  });
});

describe("GitLab tokens", () => {
  it("accepts exactly the secret", () => {
    expect(gitlabTokenValid("s3cret-token", "s3cret-token")).toBe(true);
    expect(gitlabTokenValid("s3cret-toke", "s3cret-token")).toBe(false);
    expect(gitlabTokenValid("s3cret-token ", "s3cret-token")).toBe(false);
    expect(gitlabTokenValid(null, "s3cret-token")).toBe(false);
    expect(gitlabTokenValid("", "s3cret-token")).toBe(false);
  });
});

describe("push payloads", () => {
  const sha = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";

  it("reads a GitHub push", () => {
    const push = parsePush("github", { ref: "refs/heads/main", after: sha, repository: { full_name: "acme/eta" }, pusher: { name: "ana" }, commits: [] });
    expect(push).toEqual({ ref: "refs/heads/main", branch: "main", commit: sha, repository: "acme/eta", pusher: "ana" });
  });

  it("reads a GitLab push", () => {
    const push = parsePush("gitlab", { object_kind: "push", ref: "refs/heads/release/2", checkout_sha: sha, project: { path_with_namespace: "acme/eta" }, user_username: "bo" });
    expect(push).toEqual({ ref: "refs/heads/release/2", branch: "release/2", commit: sha, repository: "acme/eta", pusher: "bo" });
  });

  it("sees deletions and tags", () => {
    const deleted = parsePush("github", { ref: "refs/heads/old", after: "0".repeat(40), deleted: true });
    expect(deleted.commit).toBeNull();
    expect(pushIgnoredBecause(deleted, undefined)).toMatch(/deleted old/);
    expect(parsePush("gitlab", { ref: "refs/heads/old", checkout_sha: null }).commit).toBeNull();
    expect(pushIgnoredBecause(parsePush("github", { ref: "refs/tags/v1", after: sha }), undefined)).toMatch(/not a branch/);
  });

  it("refuses a payload that is not a push", () => {
    expect(() => parsePush("github", { zen: "Keep it logically awesome." })).toThrow();
    expect(() => parsePush("gitlab", { ref: "refs/heads/main", checkout_sha: "not a sha" })).toThrow();
    expect(() => parsePush("github", { ref: "refs/heads/ma\u0000in", after: "6113728f27ae82c7b1a177c8d03f9e96e0adf246" })).toThrow(/control characters/);
    expect(() => parsePush("gitlab", { ref: "refs/heads/main", checkout_sha: "6113728f27ae82c7b1a177c8d03f9e96e0adf246", user_username: "a\u0000" })).toThrow(/control characters/);
  });
});

describe("branch filters", () => {
  it("matches names and patterns", () => {
    expect(branchMatches(undefined, "anything")).toBe(true);
    expect(branchMatches([], "anything")).toBe(true);
    expect(branchMatches(["main"], "main")).toBe(true);
    expect(branchMatches(["main"], "main2")).toBe(false);
    expect(branchMatches(["release/*"], "release/2")).toBe(true);
    expect(branchMatches(["release/*"], "release/2/hotfix")).toBe(false);
    expect(branchMatches(["feature/**"], "feature/a/b")).toBe(true);
    // Regular-expression characters in a branch name are literal.
    expect(branchMatches(["v1.0"], "v1x0")).toBe(false);
  });

  it("says why a push of another branch is ignored", () => {
    const push = parsePush("github", { ref: "refs/heads/dev", after: "6113728f27ae82c7b1a177c8d03f9e96e0adf246" });
    expect(pushIgnoredBecause(push, ["main", "release/*"])).toBe("branch dev is not in the trigger's branches (main, release/*)");
    expect(pushIgnoredBecause(push, ["dev"])).toBeNull();
  });
});
