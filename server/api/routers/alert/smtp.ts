import { getSmtpSettings, setSmtpSettings } from "../../../alerts/smtp";
import { ZSmtpSettingsDto, ZSmtpSettingsInput } from "../../../alerts/schemas";
import { ZOrgRef } from "../../../tenancy/schemas";
import { orgProcedure } from "../../trpc";

/** The organisation's SMTP server; the password is reported only as present or not. */
export const smtp = orgProcedure("ADMIN")
  .input(ZOrgRef)
  .output(ZSmtpSettingsDto)
  .query(({ ctx }) => getSmtpSettings(ctx.org.id));

export const setSmtp = orgProcedure("ADMIN")
  .input(ZSmtpSettingsInput)
  .output(ZSmtpSettingsDto)
  .mutation(({ ctx, input }) =>
    setSmtpSettings({ orgId: ctx.org.id, host: input.host, port: input.port, secure: input.secure, user: input.user, password: input.password, from: input.from, actor: ctx.actor }),
  );
