import { execFile } from "node:child_process";
import os from "node:os";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { GpuDto } from "../server/fleet/schemas";

/** GPUs from `nvidia-smi`; none when the tool is missing or fails (CPU-only host). */
export function detectGpus(timeoutMs = 5000): Promise<GpuDto[]> {
  return new Promise((resolve) => {
    execFile(
      process.env.CAIRN_NVIDIA_SMI ?? "nvidia-smi",
      ["--query-gpu=name,memory.total,driver_version,uuid", "--format=csv,noheader,nounits"],
      { timeout: timeoutMs },
      (err, stdout) => {
        if (err) return resolve([]);
        resolve(
          stdout
            .split("\n")
            .map((line) => line.split(",").map((s) => s.trim()))
            .filter((cols) => cols.length >= 4 && cols[0])
            .map(([name, mem, driver, uuid]) => ({
              name: name ?? "GPU",
              memoryMiB: Number.isFinite(Number(mem)) ? Number(mem) : null,
              driver: driver || null,
              uuid: uuid || null,
            })),
        );
      },
    );
  });
}

export function cairnVersion(): string {
  if (process.env.CAIRN_VERSION) return process.env.CAIRN_VERSION;
  const pkg = JSON.parse(readFileSync(path.join(import.meta.dirname, "..", "package.json"), "utf8")) as { version: string };
  return pkg.version;
}

export function hostFacts() {
  const cpus = os.cpus();
  return {
    hostname: os.hostname(),
    cpuCount: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    memoryBytes: os.totalmem(),
    nodeVersion: process.version,
  };
}
