import { afterEach, describe, expect, it } from "vitest";
import { sandboxCommand } from "../training/sandbox";
import { decryptSecret, encryptSecret } from "./crypto";

const KEY = "unit-test-key-unit-test-key-unit-test-key";
const saved = { key: process.env.CAIRN_SECRET_KEY, sandbox: process.env.CAIRN_SANDBOX };

afterEach(() => {
  process.env.CAIRN_SECRET_KEY = saved.key;
  process.env.CAIRN_SANDBOX = saved.sandbox;
});

describe("alert secrets at rest", () => {
  it("round-trip with a fresh IV each time, and refuse altered values", () => {
    process.env.CAIRN_SECRET_KEY = KEY;
    const scope = { orgId: "org1", purpose: "alert-channel" } as const;
    const a = encryptSecret("https://hooks.slack.com/services/T/B/x", scope);
    const b = encryptSecret("https://hooks.slack.com/services/T/B/x", scope);
    expect(a).not.toBe(b);
    expect(a).not.toContain("hooks.slack.com");
    expect(decryptSecret(a, scope)).toBe("https://hooks.slack.com/services/T/B/x");
    const [v, iv, body, tag] = a.split(".");
    const flipped = Buffer.from(body!, "base64url");
    flipped[0]! ^= 1;
    expect(() => decryptSecret([v, iv, flipped.toString("base64url"), tag].join("."), scope)).toThrow(/could not be decrypted/);
    expect(() => decryptSecret("plain text", scope)).toThrow(/Not an encrypted/);
  });

  it("the key is kept from training commands run without the sandbox", () => {
    process.env.CAIRN_SECRET_KEY = KEY;
    process.env.CAIRN_SANDBOX = "off";
    const cmd = sandboxCommand({ command: "env", root: "/", runDir: "/tmp", cwd: "/tmp", hidden: [], env: {}, timeoutSeconds: 10, hostname: "h" });
    expect(cmd.env.CAIRN_SECRET_KEY).toBeUndefined();
    expect(JSON.stringify(cmd.env)).not.toContain(KEY);
  });
});
