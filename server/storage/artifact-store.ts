import path from "node:path";
import { env } from "../env";
import { LocalArtifactStore } from "./local-store";
import { S3ArtifactStore, s3ConfigFromEnv } from "./s3-store";
import type { ArtifactStore } from "./types";

export type { ArtifactRange, ArtifactStore, ClosableRange, PendingArtifact } from "./types";

let store: ArtifactStore | undefined;

/**
 * The process's artifact store: S3-compatible when CAIRN_ARTIFACT_STORE is `s3://bucket/prefix`,
 * otherwise the folder CAIRN_ARTIFACTS_DIR (default <CAIRN_DATA_DIR>/artifacts).
 */
export function artifactStore(): ArtifactStore {
  store ??= storeFromEnv();
  return store;
}

function storeFromEnv(): ArtifactStore {
  const e = env();
  if (e.CAIRN_ARTIFACT_STORE) return new S3ArtifactStore(s3ConfigFromEnv(e.CAIRN_ARTIFACT_STORE, process.env));
  // The folder is configuration, read at run time; the bundler must not try to trace it.
  return new LocalArtifactStore(path.resolve(/*turbopackIgnore: true*/ e.CAIRN_ARTIFACTS_DIR ?? path.join(e.CAIRN_DATA_DIR, "artifacts")));
}
