-- AlterTable
ALTER TABLE "TranscodeSession" ADD COLUMN     "pausedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "SessionWatch" (
    "sessionId" TEXT NOT NULL,
    "viewerId" TEXT NOT NULL,
    "seenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SessionWatch_pkey" PRIMARY KEY ("sessionId","viewerId")
);

-- CreateIndex
CREATE INDEX "SessionWatch_sessionId_seenAt_idx" ON "SessionWatch"("sessionId", "seenAt");

-- AddForeignKey
ALTER TABLE "SessionWatch" ADD CONSTRAINT "SessionWatch_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "TranscodeSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;
