import { createTRPCRouter } from "../../trpc";
import { archive } from "./archive";
import { compare } from "./compare";
import { create } from "./create";
import { remove } from "./delete";
import { experiments } from "./experiments";
import { finish } from "./finish";
import { get } from "./get";
import { list } from "./list";
import { logMetrics } from "./log-metrics";
import { logParams } from "./log-params";
import { setTags } from "./set-tags";

export const runRouter = createTRPCRouter({ create, logParams, logMetrics, setTags, finish, get, list, compare, experiments, archive, delete: remove });
