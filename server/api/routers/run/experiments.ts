import { z } from "zod";
import { listExperiments } from "../../../runs/runs";
import { ZExperimentDto } from "../../../runs/schemas";
import { projectProcedure } from "../../trpc";

export const experiments = projectProcedure("VIEWER").output(z.array(ZExperimentDto)).query(({ ctx }) => listExperiments(ctx.project.id));
