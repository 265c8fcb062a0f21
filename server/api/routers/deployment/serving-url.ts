import { servingPublicUrl } from "../../../deployments/endpoint";
import { ZServingUrlDto } from "../../../deployments/schemas";
import { ZProjectRef } from "../../../tenancy/schemas";
import { projectProcedure } from "../../trpc";

/** The serving processes' public URL, for the endpoint and curl example the Deployments pages show. */
export const servingUrl = projectProcedure("VIEWER")
  .input(ZProjectRef)
  .output(ZServingUrlDto)
  .query(() => ({ baseUrl: servingPublicUrl() }));
