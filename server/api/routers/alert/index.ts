import { createTRPCRouter } from "../../trpc";
import { channels, createChannelProcedure, deleteChannelProcedure, testChannelProcedure, updateChannelProcedure } from "./channels";
import { acknowledge, incidents } from "./incidents";
import { setSmtp, smtp } from "./smtp";

/** Alert channels (organisation), SMTP settings, and a project's incidents (issue 14). */
export const alertRouter = createTRPCRouter({
  channels,
  createChannel: createChannelProcedure,
  updateChannel: updateChannelProcedure,
  deleteChannel: deleteChannelProcedure,
  testChannel: testChannelProcedure,
  smtp,
  setSmtp,
  incidents,
  acknowledge,
});
