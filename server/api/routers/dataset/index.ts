import { createTRPCRouter } from "../../trpc";
import { archive } from "./archive";
import { compare } from "./compare";
import { contract, proposeContractFrom, revalidate, saveContract } from "./contract";
import { create } from "./create";
import { remove } from "./delete";
import { deleteVersion } from "./delete-version";
import { get } from "./get";
import { lineage } from "./lineage";
import { list } from "./list";
import { setDerivation } from "./set-derivation";
import { update } from "./update";
import { version } from "./version";
import { versions } from "./versions";

export const datasetRouter = createTRPCRouter({
  list,
  get,
  create,
  update,
  versions,
  version,
  setDerivation,
  contract,
  saveContract,
  proposeContract: proposeContractFrom,
  revalidate,
  compare,
  lineage,
  archive,
  delete: remove,
  deleteVersion,
});
