import { createTRPCRouter } from "../../trpc";
import { archiveVersion, unarchiveVersion } from "./archive-version";
import { batchJob, batchJobs } from "./batch-jobs";
import { batchScore } from "./batch-score";
import { create } from "./create";
import { deleteVersion } from "./delete-version";
import { get } from "./get";
import { history } from "./history";
import { list } from "./list";
import { register } from "./register";
import { removeAlias } from "./remove-alias";
import { setAlias } from "./set-alias";
import { update } from "./update";
import { version } from "./version";
import { versions } from "./versions";

/** Registered models, versions, aliases and comparison (issue 11). */
export const modelRouter = createTRPCRouter({
  list,
  get,
  create,
  update,
  versions,
  version,
  register,
  setAlias,
  removeAlias,
  archiveVersion,
  unarchiveVersion,
  deleteVersion,
  history,
  batchScore,
  batchJobs,
  batchJob,
});
