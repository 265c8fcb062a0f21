import { z } from "zod";
import { acceptInvitationByLink, listMyInvitations, previewInvitation, respondToInvitation } from "../../tenancy/invitations";
import {
  ZInvitationLinkInput,
  ZInvitationPreviewDto,
  ZJoinedOrgDto,
  ZMyInvitationDto,
  ZRespondInvitationInput,
} from "../../tenancy/schemas";
import { createTRPCRouter, publicProcedure, userProcedure } from "../trpc";

/** The invitee's side of invitations: opening a link, and the invitations made for one's own account. */
export const invitationRouter = createTRPCRouter({
  /** Public: the link's secret is the credential; unknown, used and expired links are NOT_FOUND alike. */
  preview: publicProcedure.input(ZInvitationLinkInput).output(ZInvitationPreviewDto).query(({ input }) => previewInvitation(input.secret)),

  accept: userProcedure
    .input(ZInvitationLinkInput)
    .output(ZJoinedOrgDto)
    .mutation(({ ctx, input }) => acceptInvitationByLink({ secret: input.secret, user: { id: ctx.user.userId, email: ctx.user.email } })),

  listMine: userProcedure.output(z.array(ZMyInvitationDto)).query(({ ctx }) => listMyInvitations(ctx.user.userId)),

  respond: userProcedure
    .input(ZRespondInvitationInput)
    .output(ZJoinedOrgDto.nullable())
    .mutation(({ ctx, input }) =>
      respondToInvitation({ invitationId: input.invitationId, accept: input.accept, user: { id: ctx.user.userId, email: ctx.user.email } }),
    ),
});
