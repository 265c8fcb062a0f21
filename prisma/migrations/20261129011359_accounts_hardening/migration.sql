-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN     "rootUserId" TEXT;

-- AlterTable
ALTER TABLE "Invitation" ADD COLUMN     "secretHash" TEXT,
ADD COLUMN     "userId" TEXT;

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),
    "ip" TEXT,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SignUpAttempt" (
    "id" BIGSERIAL NOT NULL,
    "ip" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SignUpAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE INDEX "SignUpAttempt_ip_at_idx" ON "SignUpAttempt"("ip", "at");

-- CreateIndex
CREATE INDEX "ApiToken_rootUserId_idx" ON "ApiToken"("rootUserId");

-- CreateIndex
CREATE UNIQUE INDEX "Invitation_secretHash_key" ON "Invitation"("secretHash");

-- CreateIndex
CREATE INDEX "Invitation_userId_idx" ON "Invitation"("userId");

-- CreateIndex
CREATE INDEX "SignInAttempt_ip_at_idx" ON "SignInAttempt"("ip", "at");

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_rootUserId_fkey" FOREIGN KEY ("rootUserId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Backfill: a token made by a user has that user at its root.
UPDATE "ApiToken" SET "rootUserId" = "createdById" WHERE "createdById" IS NOT NULL AND "rootUserId" IS NULL;

-- A token made by a token (createdById is null) inherits the root of the token that made it, which is known
-- only from the audit event of its creation. Follow the chains from their user-made roots.
WITH RECURSIVE chain(id, root) AS (
  SELECT t."id", t."rootUserId" FROM "ApiToken" t WHERE t."rootUserId" IS NOT NULL
  UNION
  SELECT e."targetId", chain.root
  FROM "AuditEvent" e JOIN chain ON e."actorType" = 'token' AND e."actorId" = chain.id
  WHERE e."action" = 'token.create' AND e."targetType" = 'token'
)
UPDATE "ApiToken" t SET "rootUserId" = chain.root
FROM chain WHERE t."id" = chain.id AND t."rootUserId" IS NULL AND t."runId" IS NULL;
