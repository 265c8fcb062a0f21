import { z } from "zod";
import { listIncidents } from "../../../alerts/incidents";
import { acknowledgeAlert } from "../../../alerts/notify";
import { ZAcknowledgeInput, ZAlertIncidentDto, ZIncidentListInput } from "../../../alerts/schemas";
import { projectProcedure } from "../../trpc";

export const incidents = projectProcedure("VIEWER")
  .input(ZIncidentListInput)
  .output(z.array(ZAlertIncidentDto))
  .query(({ ctx, input }) => listIncidents({ projectId: ctx.project.id, status: input.status, limit: input.limit }));

/** Stops the incident's reminders; its resolved notice still goes out. */
export const acknowledge = projectProcedure("MEMBER")
  .input(ZAcknowledgeInput)
  .output(ZAlertIncidentDto)
  .mutation(({ ctx, input }) => acknowledgeAlert({ projectId: ctx.project.id, incidentId: input.incidentId, actor: ctx.actor }));
