import { createTRPCRouter } from "../../trpc";
import { remove } from "./delete";

export const experimentRouter = createTRPCRouter({ delete: remove });
